"""web/viewcache.py: a view's whole answer is kept per snapshot, reader kind and language, and only
for views that read nothing but the snapshot; the access check still runs for every request."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from config import views_path
from tests.conftest import login
from tests.test_auth import PASSWORD, router_call
from tests.test_serving import _another_snapshot

SECRET_NAME = "ร้อยละของโครงการที่ดำเนินการแล้วเสร็จตามแผน"  # K40, classified secret in the sample


@pytest.fixture(scope="module")
def site(built_warehouse, tmp_path_factory):
    home = tmp_path_factory.mktemp("viewcache")
    wh = home / "eis.duckdb"
    shutil.copy(built_warehouse, wh)  # this module swaps its own copy
    mp = pytest.MonkeyPatch()
    mp.setenv("SANYAN_WAREHOUSE", str(wh))
    mp.setenv("SANYAN_OPS_URL", f"sqlite:///{home / 'ops.sqlite'}")
    mp.setenv("SANYAN_SECRET_KEY", "viewcache-tests-" + "k" * 30)
    import app
    import ops
    from web import auth, viewcache

    for name, role in (("vc_exec", "executive"), ("vc_view", "viewer")):
        auth.add_user(ops.engine(), name, PASSWORD, role)

    def client(name=None):
        c = app.server.test_client()
        if name:
            ops.counter_clear(ops.engine())
            assert login(c, name, PASSWORD).status_code == 302
        return c

    yield {"client": client, "wh": wh, "vc": viewcache}
    mp.undo()


def _text(r) -> str:
    assert r.status_code == 200
    return json.dumps(r.get_json(), ensure_ascii=False)


def test_the_same_view_is_answered_once_per_snapshot_and_reader(site):
    vc = site["vc"]
    vc.clear()
    ex = site["client"]("vc_exec")
    before = dict(vc.stats)
    first = router_call(ex, "/kpi")
    again = router_call(ex, "/kpi")
    assert first.get_data() == again.get_data()
    assert vc.stats["misses"] == before["misses"] + 1 and vc.stats["hits"] == before["hits"] + 1
    assert SECRET_NAME in _text(again)
    # another kind of reader never gets the executive's answer: the secret KPI stays hidden
    viewer = site["client"]("vc_view")
    seen = _text(router_call(viewer, "/kpi"))
    assert SECRET_NAME not in seen and '"K40' not in seen
    assert vc.stats["misses"] == before["misses"] + 2
    # and a visitor who may not open the page is refused before the cache is asked
    assert router_call(site["client"](), "/kpi").status_code == 403


def test_a_new_snapshot_is_a_new_answer(site):
    vc = site["vc"]
    ex = site["client"]("vc_exec")
    router_call(ex, "/gpp")
    misses = vc.stats["misses"]
    router_call(ex, "/gpp")
    assert vc.stats["misses"] == misses  # answered from the cache
    new = site["wh"].with_name("next.duckdb")
    _another_snapshot(site["wh"], new, "-next")
    os.replace(new, site["wh"])  # what `etl build` does: a new snapshot (a new version) swapped in
    router_call(ex, "/gpp")
    assert vc.stats["misses"] == misses + 1


@pytest.mark.parametrize("path", ["/meeting", "/quality"])
def test_views_that_read_the_ops_store_are_never_kept(site, path):
    vc = site["vc"]
    ex = site["client"]("vc_exec")
    before = dict(vc.stats)
    for _ in range(2):
        assert router_call(ex, path).status_code == 200
    assert vc.stats == before


def test_cacheable_is_a_fixed_list():
    from web import viewcache

    def body(p):
        return {
            "output": viewcache.ROUTER,
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": p}],
        }

    assert [
        viewcache.cacheable(body(p))
        for p in ("/", "/kpi", "/kpi/", "/district/8601", "/kpi/K01", "/admin", "/entry", "/open/s9", None)
    ] == [True, True, True, True, True, False, False, False, False]
    assert viewcache.cacheable({"output": "..map-graph.figure...map-url.search.."})
    assert not viewcache.cacheable({"output": "directives-table.children"})


def test_a_new_snapshot_is_warmed_for_every_kind_of_reader(site, monkeypatch):
    """Issue 20: when the worker sees a new snapshot, a thread of its own asks every cached view as
    each kind of reader; the first person to come is answered from the cache, in whichever shape
    their browser posts the visit (a first visit, a link inside the app), and each kind of reader
    gets its own answer: the viewer's warmed /kpi has no secret KPI."""
    import time

    import db
    from tests.conftest import ORIGIN

    vc = site["vc"]
    monkeypatch.setenv("SANYAN_WARM_VIEWS", "1")
    runs = vc.warm_stats["runs"]
    new = site["wh"].with_name("warm.duckdb")
    _another_snapshot(site["wh"], new, "-warm")
    os.replace(new, site["wh"])
    db.snapshot_id()  # the worker's first look at the new snapshot starts the warming
    end = time.monotonic() + 120
    while vc.warm_stats["runs"] == runs and time.monotonic() < end:
        time.sleep(0.1)
    assert vc.warm_stats["runs"] == runs + 1, "no warming ran"
    misses = vc.stats["misses"]
    ex, viewer, public = site["client"]("vc_exec"), site["client"]("vc_view"), site["client"]()
    assert SECRET_NAME in _text(router_call(ex, "/kpi"))  # a link followed inside the app
    first_visit = ex.post("/_dash-update-component", json=vc.router_body("/"), headers=ORIGIN)
    assert first_visit.status_code == 200
    seen = _text(router_call(viewer, "/kpi"))
    assert SECRET_NAME not in seen and '"K40' not in seen
    assert router_call(public, "/gpp").status_code == 200
    assert router_call(public, "/kpi").status_code == 403  # warming opened nothing to the public
    assert router_call(viewer, "/district/8601").status_code == 200  # the province's districts too
    assert vc.stats["misses"] == misses  # every one of them answered from the warmed cache
    # the detail of a red KPI (kept, its ops-store parts fresh pieces) and the tree's filters too
    red = vc._follow_ups()["details"]
    assert red and len(red) <= 2 * vc.WARM_DETAILS
    for path, search in (red[0], ("/kpi", "?tier=1&type=lagging")):
        r = ex.post("/_dash-update-component", json=vc.router_body(path, search), headers=ORIGIN)
        assert r.status_code == 200 and b"@@sanyan-fresh:" not in r.get_data()
    assert vc.stats["misses"] == misses
    db.snapshot_id()
    time.sleep(0.2)
    assert vc.warm_stats["runs"] == runs + 1  # once per snapshot


def test_answers_made_by_the_build_are_taken_before_the_first_reader(site):
    """Issue 29: the answers prerender.py makes on a snapshot before it is swapped in are taken
    by the worker that finds it, before it answers anyone: no warming, and every kind of reader's
    first visit is answered from them, each its own (the viewer's /kpi without the secret KPI); a
    file made for another snapshot is never taken."""
    import subprocess
    import sys

    import db
    from tests.conftest import ORIGIN, ROOT

    vc = site["vc"]
    new = site["wh"].with_name("pre.duckdb")
    version = _another_snapshot(site["wh"], new, "-pre")
    out = views_path(site["wh"])
    made = subprocess.run(
        [sys.executable, "-m", "prerender", str(new), str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert made.returncode == 0, made.stderr
    n = int(made.stdout.strip().splitlines()[-1])
    assert n >= 40  # the pages, the province's districts, as each kind of reader who may open them
    import sqlite3

    con = sqlite3.connect(out)
    try:
        answers = [bytes(d) for (d,) in con.execute("SELECT data FROM blobs")]
        shared = con.execute("SELECT count(*) FROM views").fetchone()[0] - len(answers)
    finally:
        con.close()
    # the overview's ops-store pieces are marks in the file, made for each reader when served
    assert any(b"@@sanyan-fresh:home-since@@" in d for d in answers)
    assert not any(b"home-since-when" in d or b'"home-updating"' in d for d in answers)
    loaded, runs = vc.stats.get("loaded", 0), vc.warm_stats["runs"]
    os.replace(new, site["wh"])
    assert db.snapshot_version() == version  # the worker's first look at the new snapshot takes them
    assert vc.stats["loaded"] == loaded + n and vc.warm_stats["runs"] == runs
    misses = vc.stats["misses"]
    ex, viewer, public = site["client"]("vc_exec"), site["client"]("vc_view"), site["client"]()
    assert SECRET_NAME in _text(router_call(ex, "/kpi"))
    home = ex.post("/_dash-update-component", json=vc.router_body("/"), headers=ORIGIN)
    assert home.status_code == 200 and "home-since-when" in _ids_in(home.get_json())  # its pieces made now
    seen = _text(router_call(viewer, "/kpi"))
    assert SECRET_NAME not in seen and '"K40' not in seen
    assert router_call(public, "/gpp").status_code == 200
    assert router_call(public, "/kpi").status_code == 403  # made ahead, still refused to the public
    assert router_call(viewer, "/district/8601").status_code == 200
    # the views readers go to next, made too: the overview's link to the KPI tree and its filters
    # (as the filters' URL has them and bare), a red KPI's detail, the map's layer changes
    more = vc._follow_ups()
    asked = [more["tree"][0], ("/kpi", "?tier=1&type=lagging"), ("/kpi", "?fy=2570&tier=2"), *more["details"][:2]]
    for path, search in asked:
        r = ex.post("/_dash-update-component", json=vc.router_body(path, search), headers=ORIGIN)
        assert r.status_code == 200 and b"@@sanyan-fresh:" not in r.get_data(), (path, search)
    assert "kpidetail-commentary" in _ids_in(r.get_json())  # a detail's pieces made for this reader
    layers = vc._map_changes(app_server(), "viewer")
    assert len(layers) >= 3
    for body in (layers[0], layers[-1]):
        got = viewer.post("/_dash-update-component", json=body, headers=ORIGIN)
        assert got.status_code == 200
    assert vc.stats["misses"] == misses  # every first visit answered from what the build made
    assert any(b"@@sanyan-fresh:kpidetail-commentary:code=" in d for d in answers)
    assert shared > 0  # the same answer for readers of the same classes, written once
    assert vc.load(out, "another-snapshot") == 0


def app_server():
    import app

    return app.server


def test_the_build_makes_the_answers_beside_the_snapshot_or_goes_on_without(tmp_path, monkeypatch):
    import duckdb

    from etl import build as b
    from tests.conftest import make_data_dir

    monkeypatch.setenv("SANYAN_PRERENDER", "1")
    data = make_data_dir(tmp_path / "data")
    wh = data / "warehouse" / "eis.duckdb"
    b.build(data_dir=data, warehouse=wh, ops_url=f"sqlite:///{tmp_path / 'ops.sqlite'}")
    import sqlite3

    views = views_path(wh)
    with duckdb.connect(str(wh), read_only=True) as con:
        version = con.execute("SELECT version FROM meta_snapshot").fetchone()[0]
    con = sqlite3.connect(views)
    assert con.execute("SELECT version FROM meta").fetchone()[0] == version
    assert con.execute("SELECT count(*) FROM views").fetchone()[0] >= 40
    con.close()
    assert not [p.name for p in wh.parent.iterdir() if ".tmp" in p.name]  # nothing of the making left
    # views that cannot be made (here: no snapshot to make them on) leave the build to go on without
    assert b.prerender(tmp_path / "missing.duckdb", tmp_path / "w" / "eis.duckdb") is None
    assert not (tmp_path / "w").exists() or not any((tmp_path / "w").iterdir())


def test_a_damaged_file_of_answers_is_passed_over_and_readers_are_still_answered(site):
    """A views file that is not one (a disk error, a copy cut short) is never served: the worker
    goes on as without it, and the first reader is answered by the page itself."""
    import db

    vc = site["vc"]
    views_path(site["wh"]).write_bytes(b"not a database at all")
    new = site["wh"].with_name("damaged.duckdb")
    _another_snapshot(site["wh"], new, "-damaged")
    os.replace(new, site["wh"])
    loaded = vc.stats.get("loaded", 0)
    db.snapshot_id()  # the worker finds the new snapshot; the file is passed over
    assert vc.stats.get("loaded", 0) == loaded
    assert SECRET_NAME in _text(router_call(site["client"]("vc_exec"), "/kpi"))
    views_path(site["wh"]).unlink()


def _ids_in(answer: dict) -> dict:
    """Every component of a router answer's layout (the JSON Dash sends) by its id."""
    out: dict = {}

    def walk(node):
        if isinstance(node, list):
            for n in node:
                walk(n)
        elif isinstance(node, dict):
            props = node.get("props")
            if isinstance(props, dict):
                if isinstance(props.get("id"), str):
                    out[props["id"]] = props
                walk(props.get("children"))
            else:
                for v in node.values():
                    walk(v)

    walk(answer)
    return out


def test_the_overview_settles_once_with_the_ops_store_current_at_every_request(site, monkeypatch):
    """Issue 29, "pages settle once": the overview's first answer (the page router's, kept per
    snapshot) already holds "since the last meeting" and the "updating" notice, made for this
    reader at this request: no callback fills them after the page. What is kept holds only their
    marks (never the store's content, never one reader's); a change in the ops store shows at the
    next request, from the same kept answer, without a new snapshot; a viewer is not told of the
    secret KPI; a failing store leaves the page standing."""
    from datetime import date

    import ops
    from ops import meeting
    from ops.workflow import Actor
    from tests.test_overview_glance import add_directive, add_event, utc

    monkeypatch.setenv("SANYAN_AS_OF", "2026-11-24")
    vc = site["vc"]
    vc.clear()
    eng = ops.engine()
    ex, viewer = site["client"]("vc_exec"), site["client"]("vc_view")

    def overview(c) -> dict:
        r = router_call(c, "/")
        assert r.status_code == 200 and b"@@sanyan-fresh:" not in r.get_data()
        return _ids_in(r.get_json())

    def when(got) -> str:
        kids = got["home-since-when"]["children"]
        return kids if isinstance(kids, str) else json.dumps(kids, ensure_ascii=False)

    before = dict(vc.stats)
    first = overview(ex)
    assert "home-since-when" in first and "home-since-red-count" in first  # in the first answer
    assert not any(i.endswith("-ask") for i in first)  # nothing left to ask for after the page
    assert "home-updating" not in first and first["home-updating-slot"].get("children") is None
    assert vc.stats["misses"] == before["misses"] + 1
    kept = [data for data, _m in vc._store.values()]
    assert len(kept) == 1 and b"@@sanyan-fresh:home-since@@" in kept[0]
    assert b"@@sanyan-fresh:home-updating@@" in kept[0] and b"home-since-when" not in kept[0]

    title = "ครั้งที่ 29/2569 ตรวจรอบเดียว"
    meeting.create_agenda(eng, Actor("boss", "executive"), title, date(2026, 11, 20))
    add_event(eng, "turned_red", "K01", utc(21, 3))
    add_event(eng, "turned_red", "K40", utc(21, 4))  # secret
    add_directive(eng, "K05", utc(22, 3))
    with eng.begin() as con:
        ops.want_build(con, "round.approve 2570/10 8601")
    now = overview(ex)  # the same snapshot: the kept answer, its pieces made again
    assert vc.stats["hits"] == before["hits"] + 1 and vc.stats["misses"] == before["misses"] + 1
    assert title in when(now)
    assert now["home-since-red-count"]["data-count"] == "2"
    assert now["home-since-directives-count"]["data-count"] == "1"
    assert "home-updating" in now  # the approval not yet built, said in the first answer
    seen = overview(viewer)
    assert seen["home-since-red-count"]["data-count"] == "1"  # K40 is secret
    assert '"K40' not in json.dumps(seen["home-since"], ensure_ascii=False)
    assert all(b"home-since-when" not in data and title.encode() not in data for data, _m in vc._store.values())

    ops.builds_done(eng, ops.take_builds(eng))
    assert "home-updating" not in overview(ex)

    def broken(*_a, **_k):
        raise RuntimeError("the ops store is down")

    monkeypatch.setattr(meeting, "since_last_meeting", broken)
    monkeypatch.setattr(ops, "builds_wanted", broken)
    down = overview(ex)
    assert "home-red-section" in down and "home-since-when" not in down  # the page stands
    assert "home-since-unread" in down  # and says the section cannot be read, not "loading"
    assert "home-updating" not in down


def test_a_kpis_commentary_is_in_its_first_answer_and_current(site):
    """Issue 29: /kpi/<code> (kept: its ops-store parts are fresh pieces) answers with the period's
    commentary in its layout, no callback after the page; an approval shows at the next request,
    from the same kept answer (no new snapshot), which holds only the pieces' marks."""
    import ops
    from ops import commentary
    from ops.commentary import Actor

    unit = "กลุ่มส่งเสริมและพัฒนาการผลิต"  # K01's owner unit in the demo
    k01 = {"kpi_code": "K01", "owner_unit": unit}
    why, next_ = "ค้างตรวจ 42 แปลงในรอบนี้ (issue 29)", "เพิ่มรอบตรวจแปลงเดือนหน้า"
    vc, eng = site["vc"], ops.engine()
    vc.clear()
    ex = site["client"]("vc_exec")
    before = dict(vc.stats)
    first = _ids_in(router_call(ex, "/kpi/K01").get_json())
    assert "kpidetail-commentary" in first and "kpidetail-cm-none" in first
    assert "kpidetail-follow-state" in first and "kpidetail-directives" in first
    assert not any(i.endswith("-ask") for i in first)
    assert vc.stats["misses"] == before["misses"] + 1
    (kept,) = [data for data, _m in vc._store.values()]
    for piece in ("kpidetail-commentary", "kpidetail-follow", "kpidetail-directives"):
        assert f"@@sanyan-fresh:{piece}:code=K01".encode() in kept
    assert b"kpidetail-cm-none" not in kept and b"kpidetail-follow-state" not in kept
    row = commentary.save(eng, Actor("own", "editor", unit), "K01", k01, 2570, 10, why, next_, 0, submit=True)
    row = commentary.verify(eng, Actor("ver", "verifier", unit), row["comment_id"], row["version"], True, None, k01)
    commentary.approve(eng, Actor("boss", "executive"), row["comment_id"], row["version"], k01)
    now = router_call(ex, "/kpi/K01")
    assert "kpidetail-cm-current" in _ids_in(now.get_json()) and why in _text(now)
    assert vc.stats["hits"] == before["hits"] + 1 and vc.stats["misses"] == before["misses"] + 1
    assert all(why.encode() not in data for data, _m in vc._store.values())


def test_a_secret_kpis_kept_detail_is_never_served_to_a_reader_who_may_not_read_it(site):
    """/kpi/<code> is kept per snapshot, role, classifications and language: after an executive's
    answer for the secret K40 is kept, a viewer (no "secret" class) asking the same URL gets its own
    answer, the not-found page, never the executive's; the public is refused before the cache; and a
    piece's mark naming K40, served to the viewer, makes nothing (the piece reads the KPI again)."""
    import flask

    from web import auth

    vc = site["vc"]
    vc.clear()
    ex, viewer = site["client"]("vc_exec"), site["client"]("vc_view")
    mine = _ids_in(router_call(ex, "/kpi/K40").get_json())
    assert "kpidetail-title" in mine and SECRET_NAME in json.dumps(mine["kpidetail-title"], ensure_ascii=False)
    assert len(vc._store) == 1
    for _ in range(2):  # the second time from the viewer's own kept answer
        r = router_call(viewer, "/kpi/K40")
        seen = _ids_in(r.get_json())
        assert "kpidetail-notfound-title" in seen or any(i.startswith("kpidetail-notfound") for i in seen)
        assert "kpidetail-title" not in seen and SECRET_NAME not in _text(r)
    assert len(vc._store) == 2  # the viewer's, beside the executive's
    assert router_call(site["client"](), "/kpi/K40").status_code == 403
    forged = b'["@@sanyan-fresh:kpidetail-commentary:code=K40:fy=2570:month=10@@",'
    forged += b'"@@sanyan-fresh:kpidetail-directives:code=K40@@","@@sanyan-fresh:kpidetail-follow:code=K40@@"]'
    with app_server().test_request_context("/", base_url="http://localhost"):
        flask.g._login_user = auth.User(0, "v", "viewer", None, None)
        assert vc.fill_in(forged) == b"[null,null,null]"
        flask.g._login_user = auth.User(0, "e", "executive", None, None)
        assert b"kpidetail-directives" in vc.fill_in(forged)


def test_a_fresh_piece_carries_small_arguments_or_is_not_kept():
    """A piece's arguments travel in its mark, names and values of [A-Za-z0-9_.-] only; the piece
    gets them as strings, kept or not; a value a mark cannot carry makes the piece itself, and the
    answer that holds it is not kept."""
    import flask

    from web import viewcache as vc

    got = []

    @vc.fresh_piece("test-echo")
    def echo(**kw):
        got.append(kw)
        return {"echo": kw}

    with app_server().test_request_context("/", base_url="http://localhost"):
        assert vc.fresh("test-echo", code="K01", fy=2570, none=None) == {"echo": {"code": "K01", "fy": "2570"}}
        flask.g.sanyan_view_kept = True
        mark = vc.fresh("test-echo", fy=2570, code="K-01.a")
        assert mark == "@@sanyan-fresh:test-echo:code=K-01.a:fy=2570@@"
        assert not flask.g.get("sanyan_view_unkept")
        data = json.dumps({"children": [mark]}).encode()
        assert json.loads(vc.fill_in(data)) == {"children": [{"echo": {"code": "K-01.a", "fy": "2570"}}]}
        for bad in ('K01"}', "K 01", "ก01", "K01@@", ""):
            assert vc.fresh("test-echo", code=bad) == {"echo": {"code": bad}}  # the piece itself
            assert flask.g.sanyan_view_unkept
            flask.g.sanyan_view_unkept = False
        with pytest.raises(ValueError):
            vc.fresh("test echo")
    vc._pieces.pop("test-echo")


def test_the_same_answer_for_several_keys_is_kept_once(monkeypatch):
    """Readers of the same classes mostly get the same bytes: kept once, counted once, and gone
    with the last key that holds it."""
    from web import viewcache as vc

    monkeypatch.setenv("SANYAN_VIEW_CACHE_MB", "1")
    vc.clear()
    try:
        a = b"a" * 200_000
        for k in ("k1", "k2", "k3"):
            vc._put(k, bytes(a), "application/json")
        assert vc._bytes == 200_000 and len(vc._blobs) == 1
        assert vc._store["k1"][0] is vc._store["k3"][0]
        for n, k in enumerate(("k4", "k5", "k6", "k7")):
            vc._put(k, bytes([66 + n]) * 200_000, "application/json")
        assert vc._bytes == 1_000_000 and "k1" in vc._store
        vc._put("k8", b"z" * 200_000, "application/json")  # over 1 MB: the oldest keys go, then their answer
        assert [k for k in ("k1", "k2", "k3") if k in vc._store] == []
        assert vc._bytes == 1_000_000 and len(vc._blobs) == 5 and len(vc._store) == 5
    finally:
        vc.clear()


def test_answers_made_by_other_code_are_not_taken(tmp_path, monkeypatch):
    """An upgrade served on an unchanged snapshot: the build's file was made by the old code (a
    file of the first shape, or another code fingerprint), so its answers are not taken; the
    worker warms as without them. The same code's file is taken."""
    import sqlite3

    from web import viewcache as vc

    path = tmp_path / "old.views"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE meta (version TEXT NOT NULL, made_at TEXT NOT NULL)")
    con.execute("CREATE TABLE views (key TEXT PRIMARY KEY, mimetype TEXT NOT NULL, data BLOB NOT NULL)")
    con.execute("INSERT INTO meta VALUES ('v1', '-')")
    con.executemany("INSERT INTO views VALUES (?, 'application/json', ?)", [("a", b"{}"), ("b", b"{}")])
    con.commit()
    con.close()
    vc.clear()
    try:
        assert vc.load(path, "v1") == 0 and vc._get("a") is None  # the first shape: older code
        vc._put("a", b"{}", "application/json")
        vc._put("b", b"{}", "application/json")
        vc.dump(tmp_path / "new.views", "v1")
        vc.clear()
        assert vc.load(tmp_path / "new.views", "v1") == 2 and vc._get("b")[0] == b"{}"
        vc.clear()
        monkeypatch.setattr(vc, "_code_version", "another code")  # the app upgraded since
        assert vc.load(tmp_path / "new.views", "v1") == 0 and vc._get("b") is None
    finally:
        vc.clear()
