"""Access on the server: the role matrix over every registered page and the callbacks of each
page, login (argon2, one message for a wrong name or password, rate limit, CSRF), session
expiry, cross-site posts, and the audit trail."""

from __future__ import annotations

import json
import re
from contextlib import ExitStack

import dash
import pytest

from tests.conftest import ORIGIN, login, pg_schema_url, router_body

ROLES = ("admin", "executive", "verifier", "editor", "viewer", "public")
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def client_factory(request, built_warehouse, tmp_path_factory):
    """The app with its ops store on SQLite, then on PostgreSQL (sign-in, audit, refusals and a
    KPI entry all write to it)."""
    with ExitStack() as stack:
        home = tmp_path_factory.mktemp("auth")
        url = f"sqlite:///{home / 'ops.sqlite'}" if request.param == "sqlite" else stack.enter_context(pg_schema_url())
        yield from _client_factory(built_warehouse, url)


def _client_factory(built_warehouse, ops_url):
    mp = pytest.MonkeyPatch()
    mp.setenv("SANYAN_WAREHOUSE", str(built_warehouse))
    mp.setenv("SANYAN_OPS_URL", ops_url)
    mp.setenv("SANYAN_SECRET_KEY", "auth-tests-" + "k" * 30)
    import app
    import ops
    from web import auth

    eng = ops.engine()
    for r in ROLES[:-1]:
        auth.add_user(eng, f"u_{r}", PASSWORD, r, area_code="8604" if r == "editor" else None)

    def make(role: str, check: bool = True):
        c = app.server.test_client()
        if role != "public":
            ops.counter_clear(eng)  # a rate-limit test before must not lock the next test out
            r = login(c, f"u_{role}", PASSWORD)
            assert r.status_code == 302 or not check
        return c

    yield make, app, eng
    mp.undo()


def expected(role: str, path: str) -> bool:
    top = "/" + path.strip("/").split("/")[0] if path != "/" else "/"
    if top == "/admin":
        return role == "admin"
    if top == "/entry":
        return role in ("admin", "executive", "verifier", "editor")
    return role != "public" or top in ("/about-data", "/gpp", "/open", "/api")


def page_paths(app):
    out = []
    for p in dash.page_registry.values():
        if p["module"].endswith("not_found_404"):
            continue
        out.append(p.get("example_path") or p["path"])
    return out


def router_call(c, path):
    return c.post("/_dash-update-component", json=router_body(path), headers=ORIGIN)


@pytest.mark.parametrize("client_factory", ["sqlite"], indirect=True)  # access, not the store
@pytest.mark.parametrize("role", ROLES)
def test_role_matrix_pages_and_router(client_factory, role):
    make, app, _eng = client_factory
    c = make(role)
    for path in page_paths(app):
        allowed = expected(role, path)
        got = c.get(path)
        assert (got.status_code == 200) == allowed, (role, path, got.status_code)
        if not allowed:
            assert got.status_code in (302, 403)
        r = router_call(c, path)
        assert (r.status_code == 200) == allowed, (role, path, r.status_code)


@pytest.mark.parametrize("client_factory", ["sqlite"], indirect=True)  # access, not the store
@pytest.mark.parametrize("role", ROLES)
def test_role_matrix_page_callbacks(client_factory, role):
    """Every callback of every page, by the page its outputs belong to (downloads included)."""
    from web import auth

    make, app, _eng = client_factory
    c = make(role)
    c.get("/_dash-dependencies")  # Dash registers the callbacks on its first request
    seen = 0
    for outputs in list(app.app.callback_map):
        ids = re.findall(r"([A-Za-z0-9_-]+)\.[A-Za-z_]+", outputs)
        page = next((pg for i in ids for pref, pg in auth.PREFIX_PAGE.items() if i.startswith(pref)), None)
        if page is None:
            continue
        seen += 1
        body = {
            "output": outputs,
            "outputs": [{"id": i, "property": "x"} for i in ids],
            "inputs": [],
            "changedPropIds": [],
            "state": [],
        }
        r = c.post("/_dash-update-component", json=body, headers={"Origin": "http://localhost"})
        if expected(role, page):
            assert r.status_code != 403, (role, outputs)
        else:
            assert r.status_code == 403, (role, outputs, r.status_code)
    assert seen >= 5


def test_wrong_password_and_wrong_name_say_the_same(client_factory):
    make, app, eng = client_factory
    c = app.server.test_client()
    a = login(c, "u_viewer", "wrong password here").get_data(as_text=True)
    b = login(c, "nobody-at-all", PASSWORD).get_data(as_text=True)
    msg = "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"
    assert msg in a and msg in b
    assert login(c, "u_viewer", PASSWORD).status_code == 302


def test_rate_limit_and_audit(client_factory):
    import ops

    make, app, eng = client_factory
    c = app.server.test_client()
    codes = [login(c, "u_editor", f"wrong-{i}-xxxxxxxx").status_code for i in range(6)]
    assert codes[:5] == [200] * 5 and codes[5] == 429
    assert login(c, "u_editor", PASSWORD).status_code == 429  # even the right one, for now
    rows = [(r["action"], r["target"], r["outcome"]) for r in ops.audit_rows(eng)]
    assert ("login", "u_editor", "failed") in rows and ("login", "u_editor", "refused") in rows


def test_csrf_and_cross_site_posts_are_refused(client_factory):
    make, app, _eng = client_factory
    c = app.server.test_client()
    c.get("/login")
    r = c.post(
        "/login",
        data={"username": "u_admin", "password": PASSWORD, "csrf": "forged"},
        headers={"Origin": "http://localhost"},
    )
    assert r.status_code == 400
    viewer = make("viewer")
    r = viewer.post(
        "/_dash-update-component",
        json={"outputs": [{"id": "kpi-nav", "property": "search"}]},
        headers={"Origin": "http://evil.example"},
    )
    assert r.status_code == 403


def test_refused_callback_is_audited(client_factory):
    import ops

    make, app, eng = client_factory
    c = make("viewer")
    r = c.post(
        "/_dash-update-component",
        json={
            "output": "admin-download.data",
            "outputs": {"id": "admin-download", "property": "data"},
            "inputs": [],
            "state": [],
        },
        headers={"Origin": "http://localhost"},
    )
    assert r.status_code == 403
    last = ops.audit_rows(eng)[-1]
    assert (last["who"], last["action"], last["outcome"]) == ("u_viewer", "refused", "refused")


def test_session_expires(client_factory, monkeypatch):
    make, app, _eng = client_factory
    c = make("viewer")
    assert c.get("/kpi").status_code == 200
    monkeypatch.setitem(app.server.config, "PERMANENT_SESSION_LIFETIME", __import__("datetime").timedelta(seconds=-1))
    c2 = make("viewer", check=False)  # a cookie issued already expired
    assert c2.get("/kpi").status_code == 302


def test_security_headers(client_factory):
    make, app, _eng = client_factory
    r = make("public").get("/gpp")
    csp = r.headers["Content-Security-Policy"]
    assert r.headers["X-Frame-Options"] == "SAMEORIGIN"  # only the app's own presenter may frame it
    assert "frame-ancestors 'self'" in csp and "default-src 'self'" in csp


def test_cli_first_admin_and_password_leak_steps(tmp_path):
    """The runbook's commands: create the first admin, then after a leak disable the account or
    give it a new password; the old password stops working and a disabled user is signed out."""
    import os
    import subprocess
    import sys

    import ops
    from tests.conftest import ROOT

    url = f"sqlite:///{tmp_path / 'ops.sqlite'}"
    env = {**os.environ, "SANYAN_OPS_URL": url, "SANYAN_DATA_DIR": str(tmp_path), "SANYAN_USER": "root"}

    def etl(*a, stdin=None):
        return subprocess.run(
            [sys.executable, "-m", "etl", "user", *a],
            cwd=ROOT,
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert etl("add", "boss", "--role", "admin", "--password-stdin", stdin="short\n").returncode == 2
    assert etl("add", "boss", "--role", "admin", "--password-stdin", stdin=PASSWORD + "\n").returncode == 0
    assert etl("add", "boss", "--role", "viewer", "--password-stdin", stdin=PASSWORD + "\n").returncode == 2
    from web import auth

    eng = ops.engine(url)
    assert auth.check_password(eng, "boss", PASSWORD).role == "admin"
    assert etl("passwd", "boss", "--password-stdin", stdin="a brand new secret\n").returncode == 0
    assert auth.check_password(eng, "boss", PASSWORD) is None
    assert auth.check_password(eng, "boss", "a brand new secret") is not None
    assert etl("disable", "boss").returncode == 0
    assert auth.check_password(eng, "boss", "a brand new secret") is None
    assert etl("passwd", "nobody", "--password-stdin", stdin=PASSWORD + "\n").returncode == 2
    actions = [r["action"] for r in ops.audit_rows(eng)]
    assert actions == ["user.add", "user.password", "user.disable"]


@pytest.mark.parametrize(
    "role,sees", [("executive", True), ("admin", True), ("viewer", False), ("editor", False), ("verifier", False)]
)
def test_a_secret_kpi_is_seen_by_executives_and_admins_only(client_factory, role, sees):
    """K40 is classified secret in the sample catalogue: its name is in the cockpit, the KPI list,
    its detail page and the map's KPI list for executives and admins, and nowhere for the others."""
    import db

    make, app, _eng = client_factory
    secret = db.query("meta/kpi_classes").query("classification == 'secret'")["kpi_code"].tolist()
    assert secret == ["K40"]
    name = "ร้อยละของโครงการที่ดำเนินการแล้วเสร็จตามแผน"
    c = make(role)

    def text(path):
        r = router_call(c, path)
        assert r.status_code == 200
        return json.dumps(r.get_json(), ensure_ascii=False)

    assert (name in text("/kpi")) == sees
    assert (name in text("/kpi/K40")) == sees
    if not sees:
        for path in ("/", "/map", "/projects", "/district/8601"):
            assert name not in text(path) and "K40" not in text(path), (role, path)
    # the map's values for a KPI asked for by its code (a crafted URL or callback) carry the code, so
    # db.query's filter applies to them too
    for name_, params in (
        ("map/kpi_values", {"code": "K01", "year": 2569, "province": "86"}),
        ("map/indicator_values", {"code": "I01", "year": 2564, "level": "district", "province": "86"}),
    ):
        got = db.query(name_, **params)
        assert not got.empty and {"kpi_code", "indicator_code"} & set(got.columns), name_
    # and so do a KPI's own views, asked for by code whatever page asks (K40 has province rows)
    from web import auth

    with app.server.test_request_context("/kpi/K40"), pytest.MonkeyPatch.context() as mp:
        mp.setattr(auth, "role", lambda: role)
        years = db.query("cockpit/kpi_years", kpi="K40", area="86")
        months = db.query("cockpit/kpi_months", kpi="K40", fy=2569, area="86")
    assert (not years.empty, not months.empty) == (sees, sees), role


def _entry_save_body(app, area: str, value="25"):
    """The body the browser posts for /entry's save button, with the area set to `area`."""
    out = next(k for k in app.app.callback_map if "entry-message.children" in k)
    states = {
        "entry-kpi": "K01",
        "entry-fy": "2570",
        "entry-month": "10",
        "entry-area": area,
        "entry-value": value,
        "entry-note": "",
        "entry-version": 0,
        "entry-confirm": ["yes"],
        "entry-tick": 0,
    }
    props = {"entry-version": "data", "entry-confirm": "value", "entry-tick": "data"}
    return {
        "output": out,
        "outputs": [{"id": "entry-message", "property": "children"}, {"id": "entry-tick", "property": "data"}],
        "inputs": [
            {"id": "entry-save", "property": "n_clicks", "value": 1},
            {"id": "entry-submit", "property": "n_clicks", "value": None},
        ],
        "changedPropIds": ["entry-save.n_clicks"],
        "state": [{"id": k, "property": props.get(k, "value"), "value": v} for k, v in states.items()],
    }


def test_an_editor_crafting_a_callback_for_another_district_gets_403_and_an_audit_entry(client_factory):
    """u_editor may enter figures for district 8604 only."""
    import ops
    from ops import entry

    make, app, eng = client_factory
    c = make("editor")
    c.get("/_dash-dependencies")
    r = c.post("/_dash-update-component", json=_entry_save_body(app, "8601"), headers={"Origin": "http://localhost"})
    assert r.status_code == 403
    last = ops.audit_rows(eng)[-1]
    assert (last["who"], last["action"], last["target"], last["outcome"]) == (
        "u_editor",
        "entry.save",
        "K01 2570/10 8601",
        "refused",
    )
    assert entry.get(eng, "K01", 2570, 10, "8601") is None
    r = c.post("/_dash-update-component", json=_entry_save_body(app, "8604"), headers={"Origin": "http://localhost"})
    assert r.status_code == 200 and "entry-ok" in r.get_data(as_text=True)
    assert entry.get(eng, "K01", 2570, 10, "8604")["value"] == 25
    viewer = make("viewer")  # a viewer may not even reach the page's callbacks
    r = viewer.post(
        "/_dash-update-component", json=_entry_save_body(app, "8604"), headers={"Origin": "http://localhost"}
    )
    assert r.status_code == 403


def test_the_first_reader_of_a_fresh_process_leaks_nothing_to_the_next(built_warehouse, tmp_path):
    """Dash can render every page as the first request's reader and embed that in every page
    served afterwards (its validation layout). A fresh `python app.py` process whose first request
    is an executive's must serve the public no classified KPI code."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    script = f"""
import json, re, sys
sys.path.insert(0, {str(ROOT)!r})
import duckdb, app
from web import auth
import ops
uid = auth.add_user(ops.engine(), "first_exec", {PASSWORD!r}, "executive")
hidden = [c for (c,) in duckdb.connect({str(built_warehouse)!r}, read_only=True).execute(
    "SELECT kpi_code FROM dim_kpi WHERE classification <> 'open'").fetchall()]
ex = app.server.test_client()
with ex.session_transaction() as s:            # signed in without a request: the executive's is the first
    s["_user_id"] = str(uid); s["_fresh"] = True
first = ex.get("/kpi").get_data(as_text=True)
public = app.server.test_client().get("/gpp").get_data(as_text=True)
pattern = re.compile(r"(?<![\\w.])(?:" + "|".join(map(re.escape, hidden)) + r")(?![\\w.])")
print(json.dumps({{"hidden": hidden, "signed_in": "login-form" not in first, "leaked": sorted(set(pattern.findall(public)))}}))
"""
    env = {
        **os.environ,
        "SANYAN_WAREHOUSE": str(built_warehouse),
        "SANYAN_OPS_URL": f"sqlite:///{tmp_path / 'ops.sqlite'}",
        "SANYAN_SECRET_KEY": "first-reader-" + "k" * 30,
    }
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-2000:]
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["hidden"] and got["signed_in"]
    assert got["leaked"] == []


def test_behind_a_proxy_each_reader_is_counted_by_their_own_address(client_factory, monkeypatch):
    """With SANYAN_PROXY_HOPS=1 (nginx in front) the sign-in lockout of one address does not lock
    out a reader forwarded from another; without it, a forged X-Forwarded-For changes nothing."""
    import ops

    make, app, eng = client_factory
    ops.counter_clear(eng)

    def attempt(ip, password):
        return login(app.server.test_client(), "u_viewer", password, headers={"X-Forwarded-For": ip}).status_code

    monkeypatch.setenv("SANYAN_PROXY_HOPS", "1")
    assert [attempt("203.0.113.7", "wrong-password-x") for _ in range(6)][-1] == 429
    assert attempt("203.0.113.7", PASSWORD) == 429  # that address waits
    assert attempt("198.51.100.4", PASSWORD) == 302  # another reader does not
    ops.counter_clear(eng)
    monkeypatch.setenv("SANYAN_PROXY_HOPS", "0")
    assert [attempt("203.0.113.7", "wrong-password-x") for _ in range(6)][-1] == 429
    assert attempt("198.51.100.4", PASSWORD) == 429  # a forged header is not believed
    ops.counter_clear(eng)
