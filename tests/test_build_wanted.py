"""Issue 27, point 6: an approval survives a crash. The approval writes a "build wanted" row
(ops.build_requests) in its own transaction; a server killed mid-build leaves it wanted; the app at
start builds it in the background (etl/refresh.resume_soon), removing the killed build's temp
files; the build marks it done once its snapshot is swapped in; meanwhile the overview says so."""

from __future__ import annotations

import signal
import subprocess
import sys

import duckdb
import pytest

import ops
from etl import refresh
from etl.build import build
from ops import entry, records
from ops.entry import Actor
from tests.conftest import ROOT, make_data_dir, walk
from tests.test_build_cleanup import KILLED_BUILD
from tests.test_etl_build import small_inputs

UNIT = "กลุ่มส่งเสริมและพัฒนาการผลิต"
K01 = {"kpi_code": "K01", "owner_unit": UNIT, "unit": "แปลง", "is_count": True, "reported_by": "district"}
EDITOR = Actor("ed", "editor", UNIT, "8601")
VERIFIER = Actor("ver", "verifier", UNIT)
EXEC = Actor("boss", "executive")


def _verified(eng, value="777", month=10):
    row = entry.save(eng, EDITOR, K01, 2570, month, "8601", value, None, 0, submit=True)
    entry.verify(eng, VERIFIER, K01, row["entry_id"], row["version"], True)


def test_an_approval_wants_a_build_in_its_own_transaction(ops_url, monkeypatch):
    eng = ops.engine(ops_url)
    _verified(eng)
    assert ops.builds_wanted(eng) == []
    # the approval fails after approving the figures (locking the round): nothing of it stays, no want either
    monkeypatch.setattr(entry, "_upsert_round", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("crash")))
    with pytest.raises(RuntimeError):
        entry.approve_round(eng, EXEC, 2570, 10)
    monkeypatch.undo()
    assert ops.builds_wanted(eng) == []
    assert set(entry.rows(eng)["status"]) == {"verified"}
    # the want fails: the approval is undone with it
    monkeypatch.setattr(ops, "want_build", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("crash")))
    with pytest.raises(RuntimeError):
        entry.approve_round(eng, EXEC, 2570, 10)
    monkeypatch.undo()
    assert set(entry.rows(eng)["status"]) == {"verified"}
    assert entry.round_state(eng, 2570, 10, "8601")["status"] != "locked"
    # the approval that succeeds leaves exactly one want, with the approval
    assert entry.approve_round(eng, EXEC, 2570, 10) == 1
    wanted = ops.builds_wanted(eng)
    assert len(wanted) == 1 and wanted[0]["reason"].startswith("round.approve") and wanted[0]["done_at"] is None
    # approving nothing new wants nothing more
    entry.approve_round(eng, EXEC, 2570, 10, "8601")
    assert len(ops.builds_wanted(eng)) == 1
    # a build takes it and marks it done after its swap; one wanted meanwhile stays for the next
    upto = ops.take_builds(eng)
    with eng.begin() as con:
        ops.want_build(con, "record.approve later")
    assert ops.builds_done(eng, upto) == 1
    assert [w["reason"] for w in ops.builds_wanted(eng)] == ["record.approve later"]


def test_a_dataset_approval_wants_a_build(ops_url):
    from tests.test_records import EDITOR as REC_EDITOR
    from tests.test_records import OWNERS, iv

    eng = ops.engine(ops_url)
    ds = "indicator_values"
    assert records.approve(eng, EXEC, ds) == 0  # nothing verified: no want
    assert ops.builds_wanted(eng) == []
    row = records.save(eng, REC_EDITOR, ds, iv(value=13.0), None, 0, submit=True, owners=OWNERS)
    records.verify(eng, VERIFIER, row["record_id"], row["version"], True, owners=OWNERS)
    assert records.approve(eng, EXEC, ds) == 1
    assert [w["reason"] for w in ops.builds_wanted(eng)] == [f"record.approve {ds}"]


@pytest.fixture
def site(tmp_path):
    data = make_data_dir(tmp_path / "data", sample=False)
    small_inputs(data / "sample")
    wh = data / "warehouse" / "eis.duckdb"
    ops_url = f"sqlite:///{tmp_path / 'ops.sqlite'}"
    build(data_dir=data, warehouse=wh, ops_url=ops_url)  # the snapshot being served
    return {"data": data, "wh": wh, "ops_url": ops_url}


def _value(wh):
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return con.execute(
            "SELECT value FROM fct_kpi_actual WHERE kpi_code='K01' AND fiscal_year=2570 AND month=10 "
            "AND area_code='8601' AND provenance='entered'"
        ).fetchall()
    finally:
        con.close()


def test_an_approval_whose_build_was_killed_is_built_at_start(site):
    """The server is killed mid-build (SIGKILL at the build's checks, after the approval): the store
    holds the approval and the want, the snapshot lacks the figure, temp files stay. The app's
    start-up hook builds it; the figure is then served, the want done, the temp files gone."""
    eng = ops.engine(site["ops_url"])
    wh = site["wh"]
    assert refresh.resume_soon(data_dir=site["data"], warehouse=wh, ops_url=site["ops_url"]) is None  # nothing wanted
    _verified(eng)
    entry.approve_round(eng, EXEC, 2570, 10)
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_BUILD, str(site["data"]), str(wh), site["ops_url"]],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert list(wh.parent.glob(".eis.duckdb.*.tmp*"))  # the killed build's temp files
    assert _value(wh) == []  # the snapshot lacks the approved figure
    wanted = ops.builds_wanted(eng)
    assert len(wanted) == 1 and wanted[0]["taken_at"] is not None  # taken by the killed build, not done

    thread = refresh.resume_soon(data_dir=site["data"], warehouse=wh, ops_url=site["ops_url"])
    assert thread is not None
    thread.join(timeout=300)
    assert _value(wh) == [(777.0,)]
    assert ops.builds_wanted(eng) == []
    assert not list(wh.parent.glob(".eis.duckdb.*"))
    # a second start finds nothing to do
    assert refresh.resume_soon(data_dir=site["data"], warehouse=wh, ops_url=site["ops_url"]) is None


def test_a_build_wanted_only_if_wanted(site):
    """Two workers starting at once: the second, after waiting for the lock, finds it done."""
    assert build(data_dir=site["data"], warehouse=site["wh"], ops_url=site["ops_url"], only_if_wanted=True) is None


def test_the_overview_says_updating_while_an_approval_is_not_built(ops_url, tmp_path, monkeypatch):
    from flask_login import login_user

    monkeypatch.setenv("SANYAN_OPS_URL", ops_url)
    monkeypatch.setenv("SANYAN_WAREHOUSE", str(tmp_path / "none" / "eis.duckdb"))  # the notice needs no snapshot
    import app
    from pages import home
    from web import auth

    def notice(lang="th"):
        with app.server.test_request_context("/", headers={"Cookie": f"sanyan_lang={lang}"}):
            return home.updating_notice()

    eng = ops.engine(ops_url)
    assert notice() is None
    with eng.begin() as con:
        ops.want_build(con, "round.approve 2570/10 8601")
    got = notice()
    assert got is not None and got.id == "home-updating"
    assert got.children == "กำลังปรับปรุงข้อมูล: มีการอนุมัติที่ยังไม่เข้าสู่ชุดข้อมูล"
    assert notice("en").children.startswith("Updating")
    # the page holds the notice itself (issue 29: in its first answer, no callback after it) ...
    import flask

    def page(kept=False):
        with app.server.test_request_context("/"):
            login_user(auth.User(0, "tester", "executive", None, None))
            flask.g.sanyan_view_kept = kept
            return {getattr(c, "id", None): c for c in walk(home.layout())}

    ids = page()
    assert "home-updating" in ids and "home-updating-ask" not in ids
    # ... but what web/viewcache.py keeps holds only its mark, made again at every request
    kept = page(kept=True)
    assert "home-updating" not in kept and kept["home-updating-slot"].children == "@@sanyan-fresh:home-updating@@"
    ops.builds_done(eng, ops.take_builds(eng))
    assert notice() is None
    assert "home-updating" not in page() and "home-updating-slot" in page()
