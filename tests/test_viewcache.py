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


@pytest.mark.parametrize("path", ["/kpi/K05", "/meeting", "/quality"])
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
    ] == [True, True, True, True, False, False, False, False, False]
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
    # the detail of a red KPI is not kept (it reads the ops store), but its queries were run ahead
    red = vc._follow_ups()["queries"]
    assert red and len(red) <= vc.WARM_DETAILS
    code = red[0].rsplit("/", 1)[1]
    kept = {(k[2], dict(k[3]).get("kpi")) for k in db._cache}  # (query, its kpi parameter) db.py holds
    assert ("cockpit/kpi_months", repr(code)) in kept and ("cockpit/kpi_passport", repr(code)) in kept
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
        answers = [bytes(d) for (d,) in con.execute("SELECT data FROM views")]
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
    assert vc.stats["misses"] == misses  # every first visit answered from what the build made
    assert vc.load(out, "another-snapshot") == 0


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
    """Issue 29: /kpi/<code> (never kept: it reads the ops store) answers with the period's
    commentary in its layout, no callback after the page; an approval shows at the next request."""
    import ops
    from ops import commentary
    from ops.commentary import Actor

    unit = "กลุ่มส่งเสริมและพัฒนาการผลิต"  # K01's owner unit in the demo
    k01 = {"kpi_code": "K01", "owner_unit": unit}
    why, next_ = "ค้างตรวจ 42 แปลงในรอบนี้ (issue 29)", "เพิ่มรอบตรวจแปลงเดือนหน้า"
    vc, eng = site["vc"], ops.engine()
    ex = site["client"]("vc_exec")
    before = dict(vc.stats)
    first = _ids_in(router_call(ex, "/kpi/K01").get_json())
    assert "kpidetail-commentary" in first and "kpidetail-cm-none" in first
    assert not any(i.endswith("-ask") for i in first)
    row = commentary.save(eng, Actor("own", "editor", unit), "K01", k01, 2570, 10, why, next_, 0, submit=True)
    row = commentary.verify(eng, Actor("ver", "verifier", unit), row["comment_id"], row["version"], True, None, k01)
    commentary.approve(eng, Actor("boss", "executive"), row["comment_id"], row["version"], k01)
    now = router_call(ex, "/kpi/K01")
    assert "kpidetail-cm-current" in _ids_in(now.get_json()) and why in _text(now)
    assert vc.stats == before  # never kept
