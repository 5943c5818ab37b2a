"""Web entry of the other uniform templates (ops/records.py): who may enter and verify which rows,
a form parsed by the rules of a file, the checks beyond them, conflicts, the draft → submitted →
verified → approved life cycle with reopening, all-or-nothing uploads, and approved rows reaching
the next snapshot."""

from __future__ import annotations

import duckdb
import pytest

import ops
from ops import records
from ops.entry import Actor, Conflict, EntryError, Forbidden, Locked

UNIT = "กลุ่มส่งเสริมและพัฒนาการผลิต"
OWNERS = records.Catalogue.from_rows(
    [
        ("indicator_code", "I01", UNIT, "district", "open"),
        ("indicator_code", "I02", UNIT, "district", "open"),
        ("indicator_code", "I03", "ฝ่ายบริหารทั่วไป", "district", "open"),
        ("kpi_code", "K01", UNIT, "district", "open"),
        ("project_code", "S1.P1.J01", UNIT, "province", "open"),
    ]
)
EDITOR = Actor("ed", "editor", UNIT, "8604")
EDITOR2 = Actor("ed2", "editor", None, "8604")
VERIFIER = Actor("ver", "verifier", UNIT)
EXEC = Actor("boss", "executive")
CODES = {
    "indicator": {"I01": "ประชากร", "I02": "อัตราการว่างงาน"},
    "area": {"86": "ชุมพร", "8601": "เมืองชุมพร", "8604": "หลังสวน", "860401": "หลังสวน (ตำบล)"},
}


def iv(area="8604", value=70000.0, year=2569, code="I01") -> dict:
    return {"indicator_code": code, "year": year, "area_code": area, "value": value}


@pytest.fixture()
def eng(ops_url):
    return ops.engine(ops_url)


def test_scope_of_entry_and_verification():
    assert records.may_enter(EDITOR, "indicator_values", iv("860401"), OWNERS)  # a sub-district of the district
    assert records.may_enter(EDITOR, "indicator_values", iv("8604"), OWNERS)
    assert not records.may_enter(EDITOR, "indicator_values", iv("8601"), OWNERS)  # another district
    assert not records.may_enter(EDITOR, "indicator_values", iv(code="I03"), OWNERS)  # another unit's indicator
    assert records.may_enter(Actor("u", "editor", UNIT), "indicator_values", iv("8601"), OWNERS)
    assert not records.may_enter(Actor("u", "editor", UNIT), "indicator_values", iv(code="I03"), OWNERS)
    assert not records.may_enter(EDITOR, "gpp_sector", {"province_code": "86"}, OWNERS)  # province-wide
    assert not records.may_enter(Actor("v", "viewer", UNIT, "8604"), "indicator_values", iv(), OWNERS)
    assert not records.may_enter(Actor("e", "editor"), "indicator_values", iv(), OWNERS)  # no unit, no area
    assert records.may_enter(Actor("a", "admin"), "gpp_sector", {"province_code": "86"}, OWNERS)
    assert records.may_verify(VERIFIER, "indicator_values", iv(), OWNERS)
    assert not records.may_verify(VERIFIER, "indicator_values", iv(code="I03"), OWNERS)
    assert not records.may_verify(EDITOR, "indicator_values", iv(), OWNERS)
    assert records.may_verify(Actor("v0", "verifier"), "indicator_values", iv(code="I03"), OWNERS)  # all units


def test_a_refused_save_is_audited_and_stores_nothing(eng):
    with pytest.raises(Forbidden):
        records.save(eng, EDITOR, "indicator_values", iv("8601"), None, 0, owners=OWNERS)
    last = ops.audit_rows(eng)[-1]
    assert (last["who"], last["action"], last["outcome"]) == ("ed", "record.save", "refused")
    assert "I01" in last["target"] and "8601" in last["target"]
    assert records.rows(eng) == []


def test_parse_reads_a_form_like_a_file():
    rec, errors = records.parse(
        "indicator_values", {"indicator_code": "I01", "year": "๒๕๖๙", "area_code": "8604", "value": "๗๐,๐๐๐"}, CODES
    )
    assert errors == {}
    assert (rec["indicator_code"], rec["year"], rec["area_code"], rec["value"]) == ("I01", 2569, "8604", 70000.0)
    rec, errors = records.parse(
        "indicator_values", {"indicator_code": "I01", "year": "2026", "area_code": "8601", "value": "1,234.5"}, CODES
    )
    assert errors == {} and (rec["year"], rec["value"]) == (2569, 1234.5)  # C.E. stored as B.E.
    rec, errors = records.parse(
        "indicator_values",
        {"indicator_code": "I99", "year": "2569", "area_code": "8604", "value": "abc", "provenance": "official"},
        CODES,
    )
    assert rec is None and set(errors) == {"indicator_code", "value"}
    assert "unknown" in errors["indicator_code"][1] and errors["indicator_code"][0].startswith("ไม่พบรหัส")
    assert errors["value"] == ("ไม่ใช่ตัวเลข", "not a number")
    rec, errors = records.parse(
        "indicator_values", {"indicator_code": "I01", "year": "2569", "area_code": "9999", "value": " "}, CODES
    )
    assert rec is None and set(errors) == {"area_code", "value"} and errors["value"][1] == "a value is required"
    with pytest.raises(EntryError):  # KPI results have their own form (ops/entry.py)
        records.parse("kpi_actuals", {}, CODES)


def test_checks_beyond_the_file_rules():
    records.check("indicator_values", iv(code="I02", value=100.0), percent={"I02"})
    with pytest.raises(EntryError) as e:
        records.check("indicator_values", iv(code="I02", value=100.5), percent={"I02"})
    assert e.value.field == "value" and e.value.th and e.value.en
    records.check("indicator_values", iv(code="I01", value=100.5), percent={"I02"})  # not a percentage
    records.check("indicator_values", iv(value=29.0), prev=20.0, change_limit=0.5)  # +45 %
    with pytest.raises(EntryError) as e:  # +55 %
        records.check("indicator_values", iv(value=31.0), prev=20.0, change_limit=0.5)
    assert e.value.field == "confirm" and "+55%" in e.value.en
    records.check("indicator_values", iv(value=31.0), prev=20.0, change_limit=0.5, confirmed=True)


def test_two_editors_saving_the_same_record_conflict(eng):
    first = records.save(eng, EDITOR, "indicator_values", iv(value=10.0), None, 0, owners=OWNERS)
    assert (first["version"], first["status"], first["data"]["value"]) == (1, "draft", 10.0)
    with pytest.raises(Conflict) as e:  # the second editor's form was also blank
        records.save(eng, EDITOR2, "indicator_values", iv(value=20.0), None, 0, owners=OWNERS)
    assert "ed " in e.value.en and "ed " in e.value.th
    second = records.save(eng, EDITOR, "indicator_values", iv(value=11.0), None, 1, owners=OWNERS)
    with pytest.raises(Conflict):  # a stale version is refused too
        records.save(eng, EDITOR2, "indicator_values", iv(value=20.0), None, 1, owners=OWNERS)
    got = records.get(eng, "indicator_values", iv())
    assert (got["version"], got["entered_by"], got["data"]["value"]) == (2, "ed", 11.0)
    assert len(records.rows(eng)) == 1
    third = records.save(eng, EDITOR2, "indicator_values", iv(value=20.0), None, second["version"], owners=OWNERS)
    assert (third["version"], third["entered_by"], third["data"]["value"]) == (3, "ed2", 20.0)


def test_life_cycle_lock_approve_and_reopen(eng):
    ds = "indicator_values"
    row = records.save(eng, EDITOR, ds, iv(value=12.0), "ร่าง", 0, owners=OWNERS)
    assert (row["status"], row["note"]) == ("draft", "ร่าง")
    row = records.save(eng, EDITOR, ds, iv(value=12.0), None, row["version"], submit=True, owners=OWNERS)
    assert row["status"] == "submitted"
    with pytest.raises(Forbidden):  # a verifier of another unit
        records.verify(
            eng, Actor("v2", "verifier", "ฝ่ายบริหารทั่วไป"), row["record_id"], row["version"], True, owners=OWNERS
        )
    with pytest.raises(EntryError) as e:  # returning needs a reason
        records.verify(eng, VERIFIER, row["record_id"], row["version"], False, "  ", owners=OWNERS)
    assert e.value.field == "reason"
    row = records.verify(eng, VERIFIER, row["record_id"], row["version"], False, "ตัวเลขไม่ตรงรายงาน", owners=OWNERS)
    assert (row["status"], row["reason"]) == ("returned", "ตัวเลขไม่ตรงรายงาน")
    row = records.save(eng, EDITOR, ds, iv(value=13.0), None, row["version"], submit=True, owners=OWNERS)
    row = records.verify(eng, VERIFIER, row["record_id"], row["version"], True, owners=OWNERS)
    assert (row["status"], row["verified_by"]) == ("verified", "ver")
    with pytest.raises(Locked):  # verified: the editor cannot change it
        records.save(eng, EDITOR, ds, iv(value=14.0), None, row["version"], owners=OWNERS)
    with pytest.raises(Forbidden):
        records.approve(eng, VERIFIER, ds)
    assert records.approve(eng, EXEC, ds) == 1
    row = records.by_id(eng, row["record_id"])
    assert (row["status"], row["approved_by"], row["approved_data"]["value"]) == ("approved", "boss", 13.0)
    with pytest.raises(Locked) as e:  # approved rows are locked
        records.save(eng, EDITOR, ds, iv(value=15.0), None, row["version"], owners=OWNERS)
    assert "ปิดแล้ว" in e.value.th
    with pytest.raises(Forbidden):  # only an approver reopens
        records.reopen(eng, VERIFIER, row["record_id"], row["version"], "แก้ไข")
    with pytest.raises(EntryError):
        records.reopen(eng, EXEC, row["record_id"], row["version"], " ")
    row = records.reopen(eng, EXEC, row["record_id"], row["version"], "แก้ไขตามหนังสืออำเภอ")
    assert (row["status"], row["reason"]) == ("returned", "แก้ไขตามหนังสืออำเภอ")
    row = records.save(eng, EDITOR, ds, iv(value=15.0), None, row["version"], owners=OWNERS)
    assert (row["status"], row["data"]["value"], row["approved_data"]["value"]) == ("draft", 15.0, 13.0)
    actions = [(a["action"], a["outcome"]) for a in ops.audit_rows(eng)]
    assert actions == [
        ("record.save", "ok"),
        ("record.submit", "ok"),
        ("record.verify", "refused"),
        ("record.return", "ok"),
        ("record.submit", "ok"),
        ("record.verify", "ok"),
        ("record.approve", "refused"),
        ("record.approve", "ok"),
        ("record.reopen", "refused"),
        ("record.reopen", "ok"),
        ("record.save", "ok"),
    ]


def test_approved_files_hold_approved_data_only(eng, tmp_path):
    import pandas as pd

    row = records.save(eng, EDITOR, "indicator_values", iv(value=13.0), None, 0, submit=True, owners=OWNERS)
    records.verify(eng, VERIFIER, row["record_id"], row["version"], True, owners=OWNERS)
    records.approve(eng, EXEC, "indicator_values")
    row = records.get(eng, "indicator_values", iv())
    row = records.reopen(eng, EXEC, row["record_id"], row["version"], "แก้ไข")
    records.save(eng, EDITOR, "indicator_values", iv(value=15.0), None, row["version"], owners=OWNERS)
    records.save(eng, EDITOR, "indicator_values", iv("860401", 5.0), None, 0, submit=True, owners=OWNERS)
    files = records.approved_files(eng, tmp_path)
    assert [(d, p.name) for d, p in files] == [("indicator_values", "approved_indicator_values.csv")]
    got = pd.read_csv(files[0][1], dtype=str)
    assert got[["area_code", "value", "provenance"]].values.tolist() == [["8604", "13.0", "entered"]]
    assert "อนุมัติโดย boss" in got["source_ref"][0]


def _write_csv(path, rows):
    path.write_text("indicator_code,year,area_code,value\n" + "".join(f"{r}\n" for r in rows), encoding="utf-8")
    return path


def test_an_upload_is_all_or_nothing(eng, tmp_path):
    from inputs.parsing import parse_file

    bad = parse_file(
        _write_csv(tmp_path / "bad.csv", ["I01,2569,8604,10", "I01,2569,8601,11", "I02,2569,860401,5"]),
        "indicator_values",
        CODES,
    )
    assert bad.ok
    problems = records.check_upload(eng, EDITOR, "indicator_values", bad.frame, owners=OWNERS)
    assert [p[0] for p in problems] == [3]  # only the other district's row
    with pytest.raises(EntryError) as e:
        records.submit_upload(eng, EDITOR, "indicator_values", bad.frame, "bad.csv", owners=OWNERS)
    assert e.value.en.startswith("row 3:")
    assert records.rows(eng) == []
    with pytest.raises(EntryError):  # a percentage above 100 is refused as well
        records.submit_upload(
            eng,
            EDITOR,
            "indicator_values",
            parse_file(_write_csv(tmp_path / "pct.csv", ["I02,2569,8604,101"]), "indicator_values", CODES).frame,
            "pct.csv",
            owners=OWNERS,
            percent={"I02"},
        )
    assert records.rows(eng) == []

    good = parse_file(
        _write_csv(tmp_path / "good.csv", ["I01,2569,8604,10", "I02,2569,860401,5"]), "indicator_values", CODES
    )
    assert records.submit_upload(eng, EDITOR, "indicator_values", good.frame, "good.csv", owners=OWNERS) == 2
    stored = records.rows(eng, "indicator_values")
    assert [(r["data"]["area_code"], r["data"]["value"], r["status"]) for r in stored] == [
        ("8604", 10.0, "submitted"),
        ("860401", 5.0, "submitted"),
    ]
    assert ops.audit_rows(eng)[-1]["action"] == "record.upload"

    records.verify(eng, VERIFIER, stored[0]["record_id"], stored[0]["version"], True, owners=OWNERS)
    again = parse_file(
        _write_csv(tmp_path / "again.csv", ["I01,2569,8604,99", "I02,2569,860401,6"]), "indicator_values", CODES
    )
    assert [p[0] for p in records.check_upload(eng, EDITOR, "indicator_values", again.frame, owners=OWNERS)] == [2]
    with pytest.raises(EntryError):
        records.submit_upload(eng, EDITOR, "indicator_values", again.frame, "again.csv", owners=OWNERS)
    assert [r["data"]["value"] for r in records.rows(eng, "indicator_values")] == [10.0, 5.0]


def test_approved_rows_reach_the_next_snapshot(eng, tmp_path):
    """The real build: approved rows appear marked entered and replace the sample row of their
    grain; a row not yet approved does not appear; the temp folder of approved files is removed."""
    from etl.build import build
    from tests.conftest import DEMO_AS_OF, make_data_dir

    ed = Actor("ed1", "editor", UNIT, "8601")
    for rec in (iv("8601", 70000.0, 2569), iv("8601", 12345.0, 2567)):  # years DOPA's table lacks
        row = records.save(eng, ed, "indicator_values", rec, None, 0, submit=True, owners=OWNERS)
        records.verify(eng, VERIFIER, row["record_id"], row["version"], True, owners=OWNERS)
    assert records.approve(eng, EXEC, "indicator_values") == 2
    records.save(
        eng,
        Actor("ed1u", "editor", UNIT),  # targets: the owner unit at the province (RULES.md section 12)
        "kpi_targets",
        {"kpi_code": "K01", "fiscal_year": 2570, "month": None, "area_code": "8601", "target": 999.0},
        None,
        0,
        submit=True,
        owners=OWNERS,
    )
    data = make_data_dir(tmp_path / "data")
    wh = data / "warehouse" / "eis.duckdb"
    build(data_dir=data, warehouse=wh, ops_url=eng.url.render_as_string(hide_password=False), as_of=DEMO_AS_OF)
    con = duckdb.connect(str(wh), read_only=True)
    try:
        got = con.execute(
            "SELECT year_be, value, provenance, source_ref FROM fct_indicator_value WHERE "
            "indicator_code='I01' AND area_code='8601' AND year_be IN (2567, 2569) ORDER BY year_be"
        ).fetchall()
        targets = con.execute(
            "SELECT target, provenance FROM fct_kpi_target WHERE kpi_code='K01' AND "
            "fiscal_year=2570 AND area_code='8601'"
        ).fetchall()
    finally:
        con.close()
    assert [g[:3] for g in got] == [(2567, 12345.0, "entered"), (2569, 70000.0, "entered")]
    assert all("อนุมัติโดย boss" in g[3] for g in got)
    assert targets and all(t != (999.0, "entered") and t[1] != "entered" for t in targets)
    assert not [p for p in wh.parent.iterdir() if p.name.endswith(".entered")]


def test_an_upload_never_overwrites_another_editors_row(eng, tmp_path):
    """Nothing silently overwritten: a row someone else has entered (even a draft) is refused in a
    file; it is changed through the form, where the version check applies."""
    from inputs.parsing import parse_file

    other = Actor("ed2", "editor", UNIT, "8604")
    records.save(eng, other, "indicator_values", iv("8604", 1.0, 2569), "mine", 0, owners=OWNERS)
    f = parse_file(_write_csv(tmp_path / "f.csv", ["I01,2569,8604,10"]), "indicator_values", CODES)
    problems = records.check_upload(eng, EDITOR, "indicator_values", f.frame, owners=OWNERS)
    assert [(p[0], "ed2" in p[3]) for p in problems] == [(2, True)]
    with pytest.raises(EntryError):
        records.submit_upload(eng, EDITOR, "indicator_values", f.frame, "f.csv", owners=OWNERS)
    (row,) = records.rows(eng, "indicator_values")
    assert (row["entered_by"], row["note"], row["data"]["value"]) == ("ed2", "mine", 1.0)
