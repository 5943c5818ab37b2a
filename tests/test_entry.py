"""Web entry workflow (ops/entry.py): who may do what, checks before storing, conflicts, the
draft → submitted → verified → approved life cycle with rounds locked per area and reopened per
area, an older store's whole-month rounds migrated, the plausibility ceiling and whole counts, the
audit trail, and approved figures reaching the next snapshot."""

from __future__ import annotations

import csv

import duckdb
import pandas as pd
import pytest

import ops
from ops import entry
from ops.entry import Actor, Conflict, EntryError, Forbidden, Locked

UNIT = "กลุ่มส่งเสริมและพัฒนาการผลิต"
# reported_by district: each district's editors enter its figures (docs/RULES.md section 12)
K01 = {"kpi_code": "K01", "owner_unit": UNIT, "unit": "แปลง", "is_count": True, "reported_by": "district"}
K03 = {"kpi_code": "K03", "owner_unit": UNIT, "unit": "ร้อยละ", "reported_by": "district"}
RAI = {"kpi_code": "K04", "owner_unit": UNIT, "unit": "ไร่", "is_count": False, "reported_by": "district"}
OTHER = {"kpi_code": "K26", "owner_unit": "ฝ่ายบริหารทั่วไป", "unit": "ราย", "reported_by": "district"}
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
        ("๑,๒๓๔.๕", RAI, 1234.5),
        ("๑,๒๓๔", K01, 1234.0),
        ("๑,๒๓๔.๕", K01, None),  # a count of plots: whole numbers only
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
        entry.approve_round(eng, VERIFIER, 2570, 10, "8604")
    assert entry.approve_round(eng, EXEC, 2570, 10, "8604") == 1
    row = entry.get(eng, "K01", 2570, 10, "8604")
    assert (row["status"], row["approved_value"], row["approved_by"]) == ("approved", 13, "boss")
    with pytest.raises(Locked) as e:  # a locked round refuses edits, with the reason
        entry.save(eng, EDITOR, K01, 2570, 10, "8604", "15", None, row["version"])
    assert "ปิดแล้ว" in e.value.th and "ตุลาคม 2569" in e.value.th and "8604" in e.value.en
    assert e.value.field == "area_code"
    with pytest.raises(EntryError) as e:
        entry.reopen_round(eng, EXEC, 2570, 10, "", "8604")
    assert e.value.field == "reason"
    entry.reopen_round(eng, EXEC, 2570, 10, "แก้ไขตามหนังสืออำเภอ", "8604")
    row = entry.save(eng, EDITOR, K01, 2570, 10, "8604", "15", None, row["version"])
    assert (row["status"], row["value"], row["approved_value"]) == ("draft", 15, 13)  # the snapshot keeps 13
    assert entry.approved_frame(eng)["value"].tolist() == [13]
    audit = [(a["action"], a["outcome"], a["target"]) for a in ops.audit_rows(eng)]
    assert audit == [
        ("entry.save", "ok", "K01 2570/10 8604"),
        ("entry.submit", "ok", "K01 2570/10 8604"),
        ("entry.verify", "refused", "K01 2570/10 8604"),
        ("entry.return", "ok", "K01 2570/10 8604"),
        ("entry.submit", "ok", "K01 2570/10 8604"),
        ("entry.verify", "ok", "K01 2570/10 8604"),
        ("round.approve", "refused", "round 2570/10 8604"),
        ("round.approve", "ok", "round 2570/10 8604"),
        ("round.reopen", "ok", "round 2570/10 8604"),
        ("entry.save", "ok", "K01 2570/10 8604"),
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
    assert entry.needs(prev * 1.25, ok, 0.5, K01) | {"ceiling": None} == {
        "note": False,
        "red": False,
        "implausible": False,
        "refuse": False,
        "ceiling": None,
        "change": pytest.approx(0.25),
        "prev": prev,
        "confirm": False,
    }
    assert entry.needs(prev * 1.55, ok, 0.5)["confirm"]


def test_an_upload_is_all_or_nothing(eng):
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


# ---------------------------------------------------------------- approval locks only what it approved
ED_8601 = Actor("ed1", "editor", UNIT, "8601")
CHECKS = {"what_if": lambda *a: {}, "change_limit": 0.5, "confirmed": False}


def _verified(eng, who, kpi, area, value, month=11) -> dict:
    row = entry.save(eng, who, kpi, 2570, month, area, value, None, 0, submit=True)
    return entry.verify(eng, VERIFIER, kpi, row["entry_id"], row["version"], True)


def _state(eng, month, area) -> str:
    return entry.round_state(eng, 2570, month, area)["status"]


def test_approving_one_district_locks_that_district_only(eng):
    """8604's early November figure approved: 8601 still saves, submits, gets verified and approved
    for November; 8604 stays locked (the Locked error) until reopened with a reason."""
    early = _verified(eng, EDITOR, K01, "8604", "12")
    draft = entry.save(eng, ED_8601, K01, 2570, 11, "8601", "7", None, 0)
    assert entry.approve_round(eng, EXEC, 2570, 11, "8604") == 1
    assert (_state(eng, 11, "8604"), _state(eng, 11, "8601"), _state(eng, 11, "86")) == ("locked", "open", "open")
    assert entry.get(eng, "K01", 2570, 11, "8601")["status"] == "draft"  # not approved with 8604's
    with pytest.raises(Locked) as e:
        entry.save(eng, EDITOR, K01, 2570, 11, "8604", "13", None, early["version"] + 1)
    assert e.value.field == "area_code" and "พฤศจิกายน 2569" in e.value.th and "November 2569" in e.value.en

    row = entry.save(eng, ED_8601, K01, 2570, 11, "8601", "8", None, draft["version"], submit=True)
    row = entry.verify(eng, VERIFIER, K01, row["entry_id"], row["version"], True)
    assert entry.approve_round(eng, EXEC, 2570, 11, "8601") == 1
    got = entry.rows(eng, fy=2570, month=11)
    assert dict(zip(got["area_code"], got["approved_value"])) == {"8601": 8.0, "8604": 12.0}
    assert set(got["status"]) == {"approved"}

    with pytest.raises(EntryError) as e:  # a reopen needs its reason
        entry.reopen_round(eng, EXEC, 2570, 11, "  ", "8604")
    assert e.value.field == "reason" and _state(eng, 11, "8604") == "locked"
    with pytest.raises(Forbidden):
        entry.reopen_round(eng, VERIFIER, 2570, 11, "แก้ไข", "8604")
    entry.reopen_round(eng, EXEC, 2570, 11, "ตัวเลขแก้ไขตามหนังสืออำเภอ", "8604")
    assert entry.round_state(eng, 2570, 11, "8604")["reason"] == "ตัวเลขแก้ไขตามหนังสืออำเภอ"
    assert (_state(eng, 11, "8604"), _state(eng, 11, "8601")) == ("open", "locked")
    fixed = entry.get(eng, "K01", 2570, 11, "8604")
    assert entry.save(eng, EDITOR, K01, 2570, 11, "8604", "13", None, fixed["version"])["value"] == 13
    with pytest.raises(Locked):  # the other district's reopen is its own
        entry.save(eng, ED_8601, K01, 2570, 11, "8601", "9", None, row["version"] + 1)

    with pytest.raises(EntryError) as e:  # an area with nothing verified: nothing to approve, nothing locked
        entry.approve_round(eng, EXEC, 2570, 11, "8602")
    assert e.value.field == "area_code" and _state(eng, 11, "8602") == "open"
    with pytest.raises(EntryError) as e:  # an open round cannot be reopened
        entry.reopen_round(eng, EXEC, 2570, 11, "ไม่มีเหตุ", "8602")
    assert e.value.field == "area_code"
    rounds = [(a["action"], a["outcome"], a["target"]) for a in ops.audit_rows(eng) if a["action"].startswith("round.")]
    assert rounds == [
        ("round.approve", "ok", "round 2570/11 8604"),
        ("round.approve", "ok", "round 2570/11 8601"),
        ("round.reopen", "refused", "round 2570/11 8604"),  # the verifier's
        ("round.reopen", "ok", "round 2570/11 8604"),
    ]


def test_approving_a_month_without_an_area_locks_only_the_areas_it_approved(eng):
    _verified(eng, EDITOR, K01, "8604", "12")
    entry.save(eng, ED_8601, K01, 2570, 11, "8601", "7", None, 0, submit=True)  # submitted, not verified
    assert entry.approve_round(eng, EXEC, 2570, 11) == 1
    assert (_state(eng, 11, "8604"), _state(eng, 11, "8601")) == ("locked", "open")
    assert [a["target"] for a in ops.audit_rows(eng) if a["action"] == "round.approve"] == ["round 2570/11 8604"]
    entry.reopen_round(eng, EXEC, 2570, 11, "ทั้งเดือน")  # no area: every locked area of the month
    assert _state(eng, 11, "8604") == "open"


def test_an_upload_obeys_the_same_area_rounds(eng):
    _verified(eng, EDITOR, K01, "8604", "12")
    entry.approve_round(eng, EXEC, 2570, 11, "8604")
    frame = pd.DataFrame(
        [
            {"kpi_code": "K01", "fiscal_year": 2570, "month": 11, "area_code": "8604", "value": 13.0, "_row": 2},
            {"kpi_code": "K01", "fiscal_year": 2570, "month": 11, "area_code": "8601", "value": 9.0, "_row": 3},
        ]
    )
    admin = Actor("adm", "admin")
    problems = entry.check_upload(eng, admin, {"K01": K01}, frame, **CHECKS)
    assert [(p[0], p[1]) for p in problems] == [(2, "area_code")]
    assert "8604" in problems[0][2] and "ปิดแล้ว" in problems[0][2] and "locked" in problems[0][3]
    with pytest.raises(EntryError):
        entry.submit_upload(eng, admin, {"K01": K01}, frame, "nov.csv", **CHECKS)
    assert entry.get(eng, "K01", 2570, 11, "8601") is None  # all or nothing
    assert entry.submit_upload(eng, admin, {"K01": K01}, frame.iloc[1:], "nov.csv", **CHECKS) == 1
    entry.reopen_round(eng, EXEC, 2570, 11, "แก้ตามหนังสืออำเภอ", "8604")
    assert entry.check_upload(eng, EDITOR, {"K01": K01}, frame.iloc[:1], **CHECKS) == []
    assert entry.submit_upload(eng, EDITOR, {"K01": K01}, frame.iloc[:1], "nov.csv", **CHECKS) == 1
    assert entry.get(eng, "K01", 2570, 11, "8604")["value"] == 13.0


def test_an_older_store_keeps_its_whole_month_locks(ops_url):
    """A store made when a round was a whole month: the table is migrated on first use, a locked
    month still locks every area, and reopening one area opens that area alone."""
    from datetime import UTC, datetime

    import sqlalchemy as sa

    old = sa.MetaData()
    table = sa.Table(
        "rounds",
        old,
        sa.Column("fiscal_year", sa.Integer, primary_key=True),
        sa.Column("month", sa.Integer, primary_key=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("changed_by", sa.String(100), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text),
    )
    raw = sa.create_engine(ops_url, poolclass=sa.pool.NullPool)
    old.create_all(raw)
    at = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
    with raw.begin() as con:
        con.execute(
            table.insert(),
            [
                {"fiscal_year": 2570, "month": 10, "status": "locked", "changed_by": "boss", "changed_at": at},
                {"fiscal_year": 2570, "month": 9, "status": "open", "changed_by": "boss", "changed_at": at},
            ],
        )
    raw.dispose()

    eng = ops.engine(ops_url)  # migrates
    have = sa.inspect(eng)
    assert have.get_pk_constraint("rounds")["constrained_columns"] == ["fiscal_year", "month", "area_code"]
    assert {(r["month"], r["area_code"], r["status"]) for r in entry.round_rows(eng, 2570, 10).values()} == {
        (10, ops.ALL_AREAS, "locked")
    }
    assert entry.round_rows(eng, 2570, 10)[ops.ALL_AREAS]["changed_by"] == "boss"
    assert ops.migrate(eng) == []  # once
    assert all(_state(eng, 10, a) == "locked" for a in ("8601", "8604", "86"))
    assert _state(eng, 9, "8604") == "open"
    with pytest.raises(Locked):
        entry.save(eng, EDITOR, K01, 2570, 10, "8604", "5", None, 0)
    assert (
        entry.check_upload(
            eng,
            EDITOR,
            {"K01": K01},
            pd.DataFrame(
                [{"kpi_code": "K01", "fiscal_year": 2570, "month": 10, "area_code": "8604", "value": 5, "_row": 2}]
            ),
            **CHECKS,
        )[0][1]
        == "area_code"
    )

    entry.reopen_round(eng, EXEC, 2570, 10, "เปิดเฉพาะอำเภอหลังสวน", "8604")
    assert (_state(eng, 10, "8604"), _state(eng, 10, "8601")) == ("open", "locked")
    with pytest.raises(Locked):
        entry.save(eng, ED_8601, K01, 2570, 10, "8601", "5", None, 0)
    _verified(eng, EDITOR, K01, "8604", "5", month=10)
    assert entry.approve_round(eng, EXEC, 2570, 10, "8604") == 1
    assert (_state(eng, 10, "8604"), _state(eng, 10, "8601")) == ("locked", "locked")


# ---------------------------------------------------------------- plausibility: the ceiling, whole counts
W = {  # a what-if row (queries/entry/what_if.sql): K01 in 8604, target 260.76, largest month 32
    "status_new": "green",
    "prev_value": 9.0,
    "year_target": 260.76,
    "history_max": 32.0,
    "ceiling_multiple": 3.0,
    "ceiling_hard": 10.0,
}


def test_the_ceiling_is_data():
    c = entry.ceiling(W, K01)
    assert c == {
        "base": 260.76,
        "multiple": 3.0,
        "ceiling": pytest.approx(782.28),
        "hard": pytest.approx(7822.8),
    }
    assert entry.ceiling({**W, "history_max": 400.0}, K01)["ceiling"] == 1200.0  # the larger of the two
    assert entry.ceiling(W, {**K01, "entry_ceiling_multiple": 5.0})["ceiling"] == pytest.approx(1303.8)  # its own
    assert entry.ceiling(W, {**K01, "entry_ceiling_multiple": float("nan")})["multiple"] == 3.0  # blank: the rule
    assert entry.ceiling({**W, "ceiling_multiple": None}, K01) is None  # no rule, no ceiling
    assert entry.ceiling({**W, "year_target": None, "history_max": 0.0}, K01) is None  # nothing to compare with
    assert entry.ceiling({**W, "ceiling_hard": None}, K01)["hard"] is None
    assert not entry.needs(782.0, W, 0.5, K01)["implausible"]
    over = entry.needs(783.0, W, 0.5, K01)
    assert over["implausible"] and over["note"] and not over["red"] and not over["refuse"]
    absurd = entry.needs(999_999_999.0, W, 0.5, K01)
    assert absurd["refuse"] and absurd["implausible"]


def test_a_figure_beyond_the_ceiling_needs_a_reason_or_is_refused(eng):
    kw = {"what_if": W, "change_limit": 0.5, "confirmed": True}
    with pytest.raises(EntryError) as e:  # 999,999,999 GAP plots: refused, whatever the note says
        entry.save(eng, EDITOR, K01, 2570, 11, "8604", "999,999,999", "แน่ใจ", 0, **kw)
    assert e.value.field == "value" and e.value.th.startswith("ผลการดำเนินงาน") and "7,822" in e.value.th
    with pytest.raises(EntryError) as e:  # above the ceiling: a reason first
        entry.save(eng, EDITOR, K01, 2570, 11, "8604", "900", "  ", 0, **kw)
    assert e.value.field == "note" and "782" in e.value.th and "verifier" in e.value.en
    assert entry.rows(eng).empty
    row = entry.save(eng, EDITOR, K01, 2570, 11, "8604", "900", "รับรองแปลงใหญ่ทั้งตำบล", 0, submit=True, **kw)
    assert (row["value"], row["note"], row["status"]) == (900.0, "รับรองแปลงใหญ่ทั้งตำบล", "submitted")
    assert entry.save(eng, EDITOR, K01, 2570, 12, "8604", "700", None, 0, **kw)["value"] == 700  # below: no reason

    frame = pd.DataFrame(  # a file has no note: above the ceiling, through the form; above the bound, refused
        [
            {"kpi_code": "K01", "fiscal_year": 2570, "month": 1, "area_code": "8604", "value": 900.0, "_row": 2},
            {
                "kpi_code": "K01",
                "fiscal_year": 2570,
                "month": 2,
                "area_code": "8604",
                "value": 999_999_999.0,
                "_row": 3,
            },
            {"kpi_code": "K01", "fiscal_year": 2570, "month": 3, "area_code": "8604", "value": 30.0, "_row": 4},
        ]
    )
    checks = {"what_if": lambda *a: W, "change_limit": 0.5, "confirmed": True}
    problems = entry.check_upload(eng, EDITOR, {"K01": K01}, frame, **checks)
    assert [(p[0], p[1]) for p in problems] == [(2, "value"), (3, "value")]
    assert "แบบฟอร์ม" in problems[0][2] and "form" in problems[0][3]
    assert "ไม่รับ" in problems[1][2] and "refused" in problems[1][3]


@pytest.mark.parametrize("text", ["6.5", "๖.๕", "1,234.25"])
def test_a_count_takes_whole_numbers_only(eng, text):
    with pytest.raises(EntryError) as e:
        entry.check_value(K01, text)
    assert e.value.field == "value" and e.value.th.startswith("ผลการดำเนินงาน:")
    assert "จำนวนเต็ม" in e.value.th and "แปลง" in e.value.th and "whole" in e.value.en
    with pytest.raises(EntryError):
        entry.save(eng, EDITOR, K01, 2570, 11, "8604", text, "note", 0)
    assert entry.rows(eng).empty
    frame = pd.DataFrame(
        [{"kpi_code": "K01", "fiscal_year": 2570, "month": 11, "area_code": "8604", "value": 6.5, "_row": 2}]
    )
    assert [(p[0], p[1]) for p in entry.check_upload(eng, EDITOR, {"K01": K01}, frame, **CHECKS)] == [(2, "value")]


def test_counts_are_whole_and_shown_without_decimals(eng):
    assert entry.check_value(K01, "6") == 6.0 and entry.check_value(K01, "๑,๒๐๐") == 1200.0
    assert entry.check_value({**K01, "unit": "ไร่", "is_count": False}, "6.5") == 6.5  # rai: an area, not a count
    assert entry.check_value({**K01, "is_count": float("nan")}, "6.5") == 6.5  # a snapshot without the column
    assert entry.number_text(K01, 6.0) == "6" and entry.number_text(K01, 1200.0, "en") == "1,200"
    assert entry.number_text(K01, 6.000000000001) == "6"  # a sum of counts carried as a double
    assert entry.number_text({"unit": "ไร่"}, 6.000000000001) == "6.00"  # an area keeps what it has
    assert entry.number_text({"unit": "ไร่"}, 6.5) == "6.50" and entry.number_text(K01, None) == "–"
    # a count stored with a fraction before the rule is marked and cannot be verified
    row = entry.save(eng, EDITOR, {**K01, "is_count": False}, 2570, 11, "8604", "6.5", None, 0, submit=True)
    assert [p.field for p in entry.stored_problems(row, K01)] == ["value"]
    with pytest.raises(EntryError) as e:
        entry.verify(eng, VERIFIER, K01, row["entry_id"], row["version"], True)
    assert e.value.field == "value" and entry.get(eng, "K01", 2570, 11, "8604")["status"] == "submitted"


def test_the_ceiling_and_the_counts_come_from_the_seeds(built_warehouse, monkeypatch):
    """The rules entry_ceiling_multiple / entry_ceiling_hard of cockpit_rules.csv and the units of
    count_units.csv reach the what-if row and the KPI list; the base is the area's target and its
    largest month, computed here from the sample files."""
    import db
    from tests.conftest import ROOT

    monkeypatch.setenv("SANYAN_WAREHOUSE", str(built_warehouse))
    seeds = ROOT / "data" / "seeds"
    with open(seeds / "cockpit_rules.csv", encoding="utf-8") as f:
        rules = {r["rule"]: float(r["value"]) for r in csv.DictReader(f)}
    with open(seeds / "count_units.csv", encoding="utf-8") as f:
        counts = {r["unit"] for r in csv.DictReader(f)}
    with open(ROOT / "data" / "sample" / "kpi_targets.csv", encoding="utf-8") as f:
        target = next(
            float(r["target"])
            for r in csv.DictReader(f)
            if (r["kpi_code"], r["fiscal_year"], r["month"], r["area_code"]) == ("K01", "2570", "", "8604")
        )
    with open(ROOT / "data" / "sample" / "kpi_actuals.csv", encoding="utf-8") as f:
        largest = max(
            float(r["value"])
            for r in csv.DictReader(f)
            if (r["kpi_code"], r["area_code"]) == ("K01", "8604") and (r["fiscal_year"], r["month"]) != ("2570", "11")
        )
    w = db.query("entry/what_if", kpi="K01", fy=2570, month=11, area="8604", new=999_999_999.0).iloc[0].to_dict()
    assert (w["ceiling_multiple"], w["ceiling_hard"]) == (rules["entry_ceiling_multiple"], rules["entry_ceiling_hard"])
    assert (w["year_target"], w["history_max"]) == (target, largest)
    kpis = db.query("entry/kpis").set_index("kpi_code")
    k01 = kpis.loc["K01"].to_dict() | {"kpi_code": "K01"}
    need = entry.needs(999_999_999.0, w, rules["entry_change_confirm"], k01)
    assert need["refuse"] and need["ceiling"]["ceiling"] == pytest.approx(rules["entry_ceiling_multiple"] * target)
    assert set(kpis.index[kpis["is_count"].astype(bool)]) == set(kpis.index[kpis["unit"].isin(counts)])
    assert kpis.at["K01", "is_count"] and kpis.at["K02", "is_count"] and not kpis.at["K04", "is_count"]  # ไร่


def test_one_calendar_label_for_a_round():
    from components import thai

    assert thai.round_label(2570, 11) == "พฤศจิกายน 2569"  # FY 2570 began 1 October 2569
    assert thai.round_label(2570, 11, "en") == "November 2569"
    assert thai.round_label(2570, 3, "th", abbr=True) == "มี.ค. 2570"
    assert thai.round_label(2570, 10, "en", abbr=True) == "Oct 2569"
    assert thai.round_label(2570, 9) == "กันยายน 2570"
    assert thai.round_label(2570, 13).startswith("⚠")


# ---------------------------------------------------------------- a list where one value goes (issue 27)
def _entry_save_body(app, month, note=""):
    output = next(o for o in app.app.callback_map if "entry-message.children" in o)
    return {
        "output": output,
        "outputs": [{"id": "entry-message", "property": "children"}, {"id": "entry-tick", "property": "data"}],
        "inputs": [
            {"id": "entry-save", "property": "n_clicks", "value": 1},
            {"id": "entry-submit", "property": "n_clicks", "value": None},
        ],
        "state": [
            {"id": "entry-kpi", "property": "value", "value": "K01"},
            {"id": "entry-fy", "property": "value", "value": "2570"},
            {"id": "entry-month", "property": "value", "value": month},
            {"id": "entry-area", "property": "value", "value": "8604"},
            {"id": "entry-value", "property": "value", "value": "5"},
            {"id": "entry-note", "property": "value", "value": note},
            {"id": "entry-version", "property": "data", "value": 0},
            {"id": "entry-confirm", "property": "value", "value": []},
            {"id": "entry-tick", "property": "data", "value": 0},
        ],
        "changedPropIds": ["entry-save.n_clicks"],
    }


def test_a_list_for_the_month_of_a_save_answers_400_before_any_rule_reads_it(
    built_warehouse, tmp_path, monkeypatch, caplog
):
    """No component sends a list where /entry's save expects a month: the page refuses it (400),
    and no TypeError reaches the server's log (it once failed inside inputs/parsing.py)."""
    from tests.conftest import ORIGIN, signed_in_clients

    monkeypatch.setenv("SANYAN_WAREHOUSE", str(built_warehouse))
    monkeypatch.setenv("SANYAN_OPS_URL", f"sqlite:///{tmp_path / 'ops.sqlite'}")
    monkeypatch.setenv("SANYAN_SECRET_KEY", "entry-tests-" + "k" * 30)
    import app

    eng = ops.engine()
    make = signed_in_clients(eng, "ent", ["editor"], {"editor": {"unit": UNIT, "area_code": "8604"}}, dash=True)
    c = make("editor")
    for month in ([10], {"m": 10}):
        caplog.clear()
        r = c.post("/_dash-update-component", json=_entry_save_body(app, month), headers=ORIGIN)
        assert r.status_code == 400, r.get_data(as_text=True)[:300]
        assert not [rec for rec in caplog.records if rec.exc_info and issubclass(rec.exc_info[0], TypeError)]
    assert entry.rows(eng).empty
    r = c.post("/_dash-update-component", json=_entry_save_body(app, "10", "น้ำท่วม"), headers=ORIGIN)
    assert r.status_code == 200  # the same save with one month: the rules answer it on the page
    assert "entry-ok" in r.get_data(as_text=True) or "entry-error" in r.get_data(as_text=True)
