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
    loaded, runs = vc.stats.get("loaded", 0), vc.warm_stats["runs"]
    os.replace(new, site["wh"])
    assert db.snapshot_version() == version  # the worker's first look at the new snapshot takes them
    assert vc.stats["loaded"] == loaded + n and vc.warm_stats["runs"] == runs
    misses = vc.stats["misses"]
    ex, viewer, public = site["client"]("vc_exec"), site["client"]("vc_view"), site["client"]()
    assert SECRET_NAME in _text(router_call(ex, "/kpi"))
    assert ex.post("/_dash-update-component", json=vc.router_body("/"), headers=ORIGIN).status_code == 200
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
