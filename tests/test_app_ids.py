"""App wiring without a browser: unique, page-prefixed component ids across every layout;
Thai by default; a clear message (not a traceback) when there is no warehouse; a new snapshot
is read without a restart."""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter

import duckdb
import pytest
from flask_login import login_user

from web import auth


def _walk_ids(component) -> list[str]:
    """Every component id in a Dash component tree (dict ids as sorted JSON)."""
    out: list[str] = []
    stack = [component]
    while stack:
        c = stack.pop()
        if c is None or isinstance(c, (str, int, float)):
            continue
        if isinstance(c, (list, tuple)):
            stack.extend(c)
            continue
        cid = getattr(c, "id", None)
        if cid is not None:
            out.append(json.dumps(cid, sort_keys=True) if isinstance(cid, dict) else str(cid))
        for prop in getattr(c, "_prop_names", ()):
            value = getattr(c, prop, None)
            if hasattr(value, "_prop_names") or isinstance(value, (list, tuple)):
                stack.append(value)
    return out


@pytest.fixture
def app_module(monkeypatch, built_warehouse):
    monkeypatch.setenv("SANYAN_WAREHOUSE", str(built_warehouse))
    import app as app_module

    return app_module


def _pages():
    import dash

    return list(dash.page_registry.values())


def _render_all(app_module, lang: str | None = None) -> dict[str, list[str]]:
    """Ids per layout (each page and the shell), built as for a visitor's request."""
    headers = {"Cookie": f"sanyan_lang={lang}"} if lang else {}
    ids: dict[str, list[str]] = {}
    with app_module.server.test_request_context("/", headers=headers):
        login_user(auth.User(0, "tester", "admin", None, None))  # a reader every page admits
        for page in _pages():
            layout = page["layout"]
            ids[page["module"]] = _walk_ids(layout() if callable(layout) else layout)
        ids["shell"] = _walk_ids(app_module.shell_layout())
    return ids


@pytest.mark.parametrize("lang", [None, "en"])
def test_component_ids_unique_across_pages(app_module, lang):
    ids = _render_all(app_module, lang)
    assert len(ids) >= 3
    counts = Counter(i for per in ids.values() for i in per)
    dupes = {i: n for i, n in counts.items() if n > 1}
    assert not dupes, f"duplicate component ids: {dupes}"


def test_component_ids_are_page_prefixed(app_module):
    ids = _render_all(app_module)
    prefixes: dict[str, str] = {}
    for module, per in ids.items():
        if module == "shell":
            assert all(i.startswith("shell") or i.startswith("_pages_") for i in per), per
            continue
        mine = {i.split("-", 1)[0] for i in per if not i.startswith("{")}
        assert len(mine) == 1, f"{module}: ids should share one page prefix, got {sorted(mine)}"
        prefix = mine.pop()
        assert prefix != "shell" and prefix not in prefixes.values(), f"{module} reuses prefix {prefix}"
        prefixes[module] = prefix


def test_pages_registered_with_thai_and_english_names(app_module):
    for page in _pages():
        assert page.get("name") and page.get("name_en"), page["module"]
        if not page["module"].endswith("not_found_404"):
            assert page.get("order") is not None, page["module"]


def test_thai_is_the_default_language(app_module):
    from components.i18n import current_lang

    assert current_lang() == "th"
    with app_module.server.test_request_context("/"):
        assert current_lang() == "th"
    with app_module.server.test_request_context("/", headers={"Cookie": "sanyan_lang=en"}):
        assert current_lang() == "en"
    with app_module.server.test_request_context("/", headers={"Cookie": "sanyan_lang=fr"}):
        assert current_lang() == "th"


def test_index_is_thai_and_phone_ready(app_module):
    client = app_module.server.test_client()
    assert client.get("/").status_code == 302  # internal: sign in first
    html = client.get("/gpp").get_data(as_text=True)  # a public page
    assert '<html lang="th">' in html
    assert 'name="viewport"' in html
    assert "//" not in "".join(line for line in html.splitlines() if "<link" in line or "<script src" in line), (
        "an asset is loaded from another host"
    )
    client.set_cookie("sanyan_lang", "en")
    assert '<html lang="en">' in client.get("/gpp").get_data(as_text=True)


def test_healthz_reports_the_snapshot(app_module, built_warehouse):
    con = duckdb.connect(str(built_warehouse), read_only=True)
    (version,) = con.execute("SELECT version FROM meta_snapshot").fetchone()
    con.close()
    r = app_module.server.test_client().get("/healthz")
    assert r.status_code == 200
    assert r.get_json()["snapshot"] == version and r.get_json()["status"] == "ok"


def test_missing_warehouse_is_a_message_not_a_traceback(app_module, monkeypatch, tmp_path):
    monkeypatch.setenv("SANYAN_WAREHOUSE", str(tmp_path / "nowhere" / "eis.duckdb"))
    import db

    assert not db.available()
    r = app_module.server.test_client().get("/healthz")
    assert r.status_code == 503
    assert r.get_json() == {"status": "no-snapshot", "snapshot": None, "built_at": None}
    for lang in (None, "en"):
        headers = {"Cookie": f"sanyan_lang={lang}"} if lang else {}
        with app_module.server.test_request_context("/", headers=headers):
            login_user(auth.User(0, "tester", "admin", None, None))  # a reader every page admits
            for page in _pages():
                if page["module"].endswith(("not_found_404", "pages.admin", "pages.open_s9", "pages.open_request")):
                    continue  # these read and write the ops store, not the warehouse
                text = json.dumps(
                    page["layout"]().to_plotly_json(), ensure_ascii=False, default=lambda o: o.to_plotly_json()
                )
                assert "python -m etl build" in text and "ยังไม่มีคลังข้อมูล" in text, page["module"]
            shell = json.dumps(
                app_module.shell_layout().to_plotly_json(), ensure_ascii=False, default=lambda o: o.to_plotly_json()
            )
            assert "ยังไม่มีคลังข้อมูล" in shell or "No warehouse yet" in shell


def test_db_reads_a_new_snapshot_without_restart(monkeypatch, built_warehouse, tmp_path):
    import db

    live = tmp_path / "eis.duckdb"
    shutil.copy2(built_warehouse, live)
    monkeypatch.setenv("SANYAN_WAREHOUSE", str(live))
    before = db.snapshot_info()["version"]
    assert before
    held = db.query("meta/snapshot")  # a reader of the old snapshot
    new = tmp_path / "next.duckdb"
    shutil.copy2(live, new)
    con = duckdb.connect(str(new))
    con.execute("UPDATE meta_snapshot SET version = 'next-snapshot'")
    con.close()
    os.replace(new, live)
    assert db.snapshot_info()["version"] == "next-snapshot"
    assert held.iloc[0]["version"] == before
    gpp = db.query("gpp/official_totals", province="86")
    assert list(gpp.columns)[:3] == ["edition", "classification", "year_be"]


def test_named_queries_only(monkeypatch, built_warehouse):
    import db

    monkeypatch.setenv("SANYAN_WAREHOUSE", str(built_warehouse))
    for bad in ("../config", "meta/../../x", "meta/snapshot; DROP", "Meta/Snapshot"):
        with pytest.raises(ValueError):
            db.query(bad)
    with pytest.raises(KeyError):
        db.query("meta/no_such_query")
