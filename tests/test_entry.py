"""Web entry workflow (ops/entry.py): who may do what, checks before storing, conflicts, the
draft → submitted → verified → approved life cycle with locked rounds and reopening, the audit
trail, and approved figures reaching the next snapshot."""

from __future__ import annotations

import csv

import duckdb
import pytest

import ops
from ops import entry
from ops.entry import Actor, Conflict, EntryError, Forbidden, Locked

UNIT = "กลุ่มส่งเสริมและพัฒนาการผลิต"
K01 = {"kpi_code": "K01", "owner_unit": UNIT, "unit": "แปลง"}
K03 = {"kpi_code": "K03", "owner_unit": UNIT, "unit": "ร้อยละ"}
OTHER = {"kpi_code": "K26", "owner_unit": "ฝ่ายบริหารทั่วไป", "unit": "ราย"}
EDITOR = Actor("ed", "editor", UNIT, "8604")
EDITOR2 = Actor("ed2", "editor", None, "8604")
VERIFIER = Actor("ver", "verifier", UNIT)
EXEC = Actor("boss", "executive")


@pytest.fixture()
def eng(ops_url):
    return ops.engine(ops_url)


def test_scope_own_unit_and_district_only(eng):
    assert entry.may_enter(EDITOR, K01, "8604")
    assert not entry.may_enter(EDITOR, K01, "8601")  # another district
    assert not entry.may_enter(EDITOR, OTHER, "8604")  # another unit's KPI
    assert not entry.may_enter(Actor("v", "viewer"), K01, "8604")
    assert not entry.may_enter(Actor("e", "editor"), K01, "8604")  # an editor with no unit or district
    with pytest.raises(Forbidden):
        entry.save(eng, EDITOR, K01, 2570, 10, "8601", "5", None, 0)
    last = ops.audit_rows(eng)[-1]
    assert (last["who"], last["action"], last["outcome"]) == ("ed", "entry.save", "refused")
    assert entry.rows(eng).empty


@pytest.mark.parametrize(
    "text,kpi,ok",
    [
        ("๑,๒๓๔.๕", K01, 1234.5),
        (" 12 ", K01, 12.0),
        ("abc", K01, None),
        ("-3", K01, None),
        ("100.5", K03, None),
        ("", K01, None),
        ("99.5", K03, 99.5),
    ],
)
def test_checks_before_storing(text, kpi, ok):
    if ok is None:
        with pytest.raises(EntryError) as e:
            entry.check_value(kpi, text)
        assert e.value.field == "value" and e.value.th and e.value.en
    else:
        assert entry.check_value(kpi, text) == ok


def test_two_editors_saving_the_same_record_conflict(eng):
    first = entry.save(eng, EDITOR, K01, 2570, 10, "8604", "10", None, 0)
    with pytest.raises(Conflict) as e:  # the second editor's form was also blank
        entry.save(eng, EDITOR2, K01, 2570, 10, "8604", "20", None, 0)
    assert "ed" in e.value.th and "10" in e.value.en
    with pytest.raises(Conflict):  # an old version is refused too
        entry.save(eng, EDITOR2, K01, 2570, 10, "8604", "20", None, first["version"] - 1)
    assert entry.get(eng, "K01", 2570, 10, "8604")["value"] == 10
    second = entry.save(eng, EDITOR2, K01, 2570, 10, "8604", "20", None, first["version"])
    assert (second["value"], second["version"], second["entered_by"]) == (20, 2, "ed2")


def test_life_cycle_lock_and_reopen(eng):
    row = entry.save(eng, EDITOR, K01, 2570, 10, "8604", "12", "draft note", 0)
    assert row["status"] == "draft"
    row = entry.save(eng, EDITOR, K01, 2570, 10, "8604", "12", None, row["version"], submit=True)
    assert row["status"] == "submitted"
    with pytest.raises(Forbidden):  # a verifier of another unit
        entry.verify(eng, Actor("v2", "verifier", "ฝ่ายบริหารทั่วไป"), K01, row["entry_id"], row["version"], True)
    with pytest.raises(EntryError):  # returning needs a reason
        entry.verify(eng, VERIFIER, K01, row["entry_id"], row["version"], False, "  ")
    row = entry.verify(eng, VERIFIER, K01, row["entry_id"], row["version"], False, "ตัวเลขไม่ตรงรายงาน")
    assert (row["status"], row["reason"]) == ("returned", "ตัวเลขไม่ตรงรายงาน")
    row = entry.save(eng, EDITOR, K01, 2570, 10, "8604", "13", None, row["version"], submit=True)
    row = entry.verify(eng, VERIFIER, K01, row["entry_id"], row["version"], True)
    with pytest.raises(Locked):  # verified: the editor cannot change it
        entry.save(eng, EDITOR, K01, 2570, 10, "8604", "14", None, row["version"])
    with pytest.raises(Forbidden):
        entry.approve_round(eng, VERIFIER, 2570, 10)
    assert entry.approve_round(eng, EXEC, 2570, 10) == 1
    row = entry.get(eng, "K01", 2570, 10, "8604")
    assert (row["status"], row["approved_value"], row["approved_by"]) == ("approved", 13, "boss")
    with pytest.raises(Locked) as e:  # a locked round refuses edits, with the reason
        entry.save(eng, EDITOR, K01, 2570, 10, "8604", "15", None, row["version"])
    assert "ปิดแล้ว" in e.value.th
    with pytest.raises(EntryError):
        entry.reopen_round(eng, EXEC, 2570, 10, "")
    entry.reopen_round(eng, EXEC, 2570, 10, "แก้ไขตามหนังสืออำเภอ")
    row = entry.save(eng, EDITOR, K01, 2570, 10, "8604", "15", None, row["version"])
    assert (row["status"], row["value"], row["approved_value"]) == ("draft", 15, 13)  # the snapshot keeps 13
    assert entry.approved_frame(eng)["value"].tolist() == [13]
    actions = [(a["action"], a["outcome"]) for a in ops.audit_rows(eng)]
    assert actions == [
        ("entry.save", "ok"),
        ("entry.submit", "ok"),
        ("entry.verify", "refused"),
        ("entry.return", "ok"),
        ("entry.submit", "ok"),
        ("entry.verify", "ok"),
        ("round.approve", "refused"),
        ("round.approve", "ok"),
        ("round.reopen", "ok"),
        ("entry.save", "ok"),
    ]


def test_approved_figures_reach_the_next_snapshot(eng, tmp_path):
    """The real build: an approved figure replaces the sample value of its grain, marked entered;
    a figure not yet approved does not appear."""
    from etl.build import build
    from tests.conftest import DEMO_AS_OF, make_data_dir

    row = entry.save(eng, EDITOR, K01, 2570, 10, "8604", "๙๙๙", None, 0, submit=True)
    entry.verify(eng, VERIFIER, K01, row["entry_id"], row["version"], True)
    entry.approve_round(eng, EXEC, 2570, 10)
    entry.save(eng, Actor("ed3", "editor", UNIT, "8601"), K01, 2570, 11, "8601", "5", None, 0, submit=True)
    data = make_data_dir(tmp_path / "data")
    wh = data / "warehouse" / "eis.duckdb"
    build(data_dir=data, warehouse=wh, ops_url=eng.url.render_as_string(hide_password=False), as_of=DEMO_AS_OF)
    con = duckdb.connect(str(wh), read_only=True)
    got = con.execute(
        "SELECT value, provenance, source_ref FROM fct_kpi_actual WHERE kpi_code='K01' AND "
        "fiscal_year=2570 AND month=10 AND area_code='8604'"
    ).fetchall()
    assert len(got) == 1 and got[0][:2] == (999.0, "entered") and "อนุมัติโดย boss" in got[0][2]
    status = con.execute(
        "SELECT value_month FROM fct_kpi_status WHERE kpi_code='K01' AND fiscal_year=2570 "
        "AND month=10 AND area_code='8604'"
    ).fetchone()
    assert status == (999.0,)
    assert con.execute(
        "SELECT count(*) FROM fct_kpi_actual WHERE kpi_code='K01' AND fiscal_year=2570 AND month=11"
    ).fetchone() == (0,)
    assert not (wh.parent / "approved_entries.csv").exists()


def test_a_red_light_needs_a_note_and_a_big_change_a_confirmation(eng, built_warehouse, monkeypatch):
    import db

    monkeypatch.setenv("SANYAN_WAREHOUSE", str(built_warehouse))
    from tests.conftest import ROOT

    with open(ROOT / "data" / "sample" / "kpi_actuals.csv", encoding="utf-8") as f:  # September 2569's report
        prev = next(
            float(r["value"])
            for r in csv.DictReader(f)
            if (r["kpi_code"], r["fiscal_year"], r["month"], r["area_code"]) == ("K01", "2569", "9", "8604")
        )
    red = db.query("entry/what_if", kpi="K01", fy=2570, month=10, area="8604", new=0.0).iloc[0].to_dict()
    ok = db.query("entry/what_if", kpi="K01", fy=2570, month=10, area="8604", new=prev * 1.25).iloc[0].to_dict()
    assert red["status_new"] == "red" and ok["status_new"] != "red" and ok["prev_value"] == prev
    with pytest.raises(EntryError) as e:
        entry.save(eng, EDITOR, K01, 2570, 10, "8604", "0", None, 0, what_if=red, change_limit=0.5, confirmed=True)
    assert e.value.field == "note"
    with pytest.raises(EntryError) as e:  # 0 against the previous report is -100 %
        entry.save(eng, EDITOR, K01, 2570, 10, "8604", "0", "น้ำท่วมทั้งอำเภอ", 0, what_if=red, change_limit=0.5)
    assert e.value.field == "confirm" and "-100%" in e.value.en
    assert entry.rows(eng).empty  # nothing stored by a refused save
    row = entry.save(
        eng, EDITOR, K01, 2570, 10, "8604", "0", "น้ำท่วมทั้งอำเภอ", 0, what_if=red, change_limit=0.5, confirmed=True
    )
    assert row["note"] == "น้ำท่วมทั้งอำเภอ"
    assert entry.needs(prev * 1.25, ok, 0.5) == {
        "note": False,
        "change": pytest.approx(0.25),
        "prev": prev,
        "confirm": False,
    }
    assert entry.needs(prev * 1.55, ok, 0.5)["confirm"]


def test_an_upload_is_all_or_nothing(eng):
    import pandas as pd

    frame = pd.DataFrame(
        [
            {"kpi_code": "K01", "fiscal_year": 2570, "month": 10, "area_code": "8604", "value": 21.0, "_row": 2},
            {"kpi_code": "K01", "fiscal_year": 2570, "month": 10, "area_code": "8601", "value": 21.0, "_row": 3},
        ]
    )
    checks = {"what_if": lambda *a: {}, "change_limit": 0.5, "confirmed": False}
    problems = entry.check_upload(eng, EDITOR, {"K01": K01}, frame, **checks)
    assert [(p[0], p[1]) for p in problems] == [(3, "kpi_code")]  # only the other district's row
    with pytest.raises(EntryError) as e:
        entry.submit_upload(eng, EDITOR, {"K01": K01}, frame, "f.csv", **checks)
    assert e.value.en.startswith("row 3:")
    assert entry.rows(eng).empty
    assert entry.submit_upload(eng, EDITOR, {"K01": K01}, frame.iloc[:1], "f.csv", **checks) == 1
    row = entry.get(eng, "K01", 2570, 10, "8604")
    assert (row["status"], row["value"]) == ("submitted", 21.0)
    assert ops.audit_rows(eng)[-1]["action"] == "entry.upload"
