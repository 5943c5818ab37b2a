"""Issue 25: one truth for the lights (docs/RULES.md). A month's end alone changes nothing; one
district's early report moves neither the province's round, nor its agreement score, nor its red
count; a province figure is a whole or nothing; a within-a-range KPI without a value has no score
and does not lift its node; scores round half up."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from etl.build import build
from ops import events
from tests.conftest import make_data_dir
from tests.test_etl_build import write_csv

HEADER = ["kpi_code", "fiscal_year", "month", "area_code", "value"]


def q(wh, sql, **params):
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def overview(wh) -> dict:
    """What the overview shows, read as the page reads it: its round (queries/cockpit/fiscal_years.sql
    through components.cockpit.resolve_point), the agreement score there, the red count there."""
    from components import cockpit as ck

    con = duckdb.connect(str(wh), read_only=True)
    try:
        sql = open("queries/cockpit/fiscal_years.sql", encoding="utf-8").read()
        point = ck.resolve_point(con.execute(sql, {"area": "86"}).df())
        score = con.execute(
            "SELECT score FROM fct_agreement_score WHERE fiscal_year = $f AND fiscal_idx = $i",
            {"f": point.fy, "i": point.idx},
        ).fetchone()
        red = con.execute(
            "SELECT count(*) FROM fct_kpi_status WHERE fiscal_year = $f AND fiscal_idx = $i AND area_code = '86' "
            "AND status = 'red'",
            {"f": point.fy, "i": point.idx},
        ).fetchone()[0]
    finally:
        con.close()
    return {"round": (point.fy, point.month), "score": score[0] if score else None, "red": red}


@pytest.fixture
def site(tmp_path):
    import ops

    url = f"sqlite:///{tmp_path / 'ops.sqlite'}"
    data = make_data_dir(tmp_path / "data")
    wh = data / "warehouse" / "eis.duckdb"

    def rebuild(as_of):
        return build(data_dir=data, warehouse=wh, ops_url=url, as_of=as_of)

    return {"eng": ops.engine(url), "data": data, "wh": wh, "rebuild": rebuild}


def test_a_month_end_with_nothing_new_records_nothing_and_changes_no_light(site):
    site["rebuild"](date(2026, 11, 30))
    before = overview(site["wh"])
    site["rebuild"](date(2026, 12, 1))  # November has ended; nobody's November report is due
    assert overview(site["wh"]) == before
    assert before["round"] == (2570, 10)
    assert events.recent(site["eng"]) == []
    # November has points, all awaiting reports: no score, no projection, no miss flag
    assert q(
        site["wh"],
        "SELECT DISTINCT s.status, s.score, p.projected, p.projected_miss FROM fct_kpi_status s "
        "JOIN fct_kpi_projection p USING (kpi_code, fiscal_year, fiscal_idx, area_code) "
        "WHERE s.fiscal_year = 2570 AND s.fiscal_idx = 2 AND s.status <> 'not_due'",
    ) == [("awaiting", None, None, False)]
    site["rebuild"](date(2026, 12, 7))
    assert overview(site["wh"]) == before and events.recent(site["eng"]) == []
    # the day after November's grace: the round is November and what did not come is late, only that
    site["rebuild"](date(2026, 12, 16))
    after = overview(site["wh"])
    assert after["round"] == (2570, 11)
    kinds = {e["kind"] for e in events.recent(site["eng"])}
    assert kinds == {"late"}, kinds


def test_one_early_report_moves_nobody_elses_round(site):
    site["rebuild"](date(2026, 12, 7))
    before = overview(site["wh"])
    write_csv(
        site["data"] / "incoming" / "kpi_actuals" / "20261205T000000Z_aaaaaaaaaaaa_nov.csv",
        HEADER,
        [["K01", "2570", "11", "8604", "12"]],
    )
    site["rebuild"](date(2026, 12, 7))
    assert overview(site["wh"]) == before
    assert before["round"] == (2570, 10)
    # the district's early report is judged and kept beside its round's point
    assert q(
        site["wh"],
        "SELECT month, early_month, early_value_to_date IS NOT NULL, early_score IS NOT NULL FROM fct_kpi_judged "
        "WHERE kpi_code = 'K01' AND area_code = '8604' AND fiscal_year = 2570",
    ) == [(10, 11, True, True)]
    assert q(
        site["wh"],
        "SELECT is_early FROM fct_kpi_status WHERE kpi_code = 'K01' AND area_code = '8604' AND fiscal_year = 2570 "
        "AND month = 11",
    ) == [(True,)]
    # the province is not 'October's total + one district': it awaits the other seven
    prov = q(
        site["wh"],
        "SELECT status, score, reporters, reported FROM fct_kpi_status WHERE kpi_code = 'K01' AND area_code = '86' "
        "AND fiscal_year = 2570 AND month = 11",
    )
    assert prov == [("awaiting", None, 8, 1)]
    # and no event for the province: its judged point did not change
    assert [e for e in events.recent(site["eng"]) if e["area_code"] == "86"] == []


def test_a_province_made_of_some_districts_is_late_not_scored(site):
    """K32 in October 2570: 8606 did not report; after 15 November the province is late, 7 of 8."""
    site["rebuild"](date(2026, 12, 7))
    rows = q(
        site["wh"],
        "SELECT area_code FROM fct_kpi_status WHERE fiscal_year = 2570 AND month = 10 AND status = 'late'",
    )
    assert rows, "the demo has a late district report in October 2570"
    got = q(
        site["wh"],
        "SELECT s.kpi_code, s.status, s.score, s.reporters, s.reported FROM fct_kpi_status s "
        "WHERE s.fiscal_year = 2570 AND s.month = 10 AND s.area_code = '86' AND s.reported < s.reporters "
        "AND s.status <> 'not_due'",
    )
    assert got and all(status == "late" and score is None and n < m for _k, status, score, m, n in got)


def test_a_range_kpi_without_a_value_has_no_score_and_does_not_lift_its_node(tmp_path):
    con = duckdb.connect()
    con.execute(open("etl/sql/marts/_macros.sql", encoding="utf-8").read())
    assert con.execute("SELECT kpi_scored_value('range', NULL, 16, 19)").fetchone()[0] is None
    assert (
        con.execute("SELECT kpi_score(kpi_scored_value('range', NULL, 16, 19), 3, 2.25, 1.5, 0.75, 0)").fetchone()[0]
        is None
    )
    # half up, not the binary double's half down: 3 + 0.69275 is 3.6928
    assert con.execute("SELECT kpi_score(3.69275, 1, 2, 3, 4, 5)").fetchone()[0] == 3.6928
    assert con.execute("SELECT round4(CAST(7.38551 AS DECIMAL(18, 6)) / 2)").fetchone()[0] == 3.6928


def test_k38_on_the_demo_never_scores_without_a_value(built_warehouse):
    assert q(
        built_warehouse,
        "SELECT count(*) FROM fct_kpi_status WHERE kpi_code = 'K38' AND value_to_date IS NULL AND score IS NOT NULL",
    ) == [(0,)]
    # a node none of whose children is scored has no score; a node's score is never lifted by one
    # that is not (the reference re-computation checks every node: tests/test_rules_reference.py)
    assert q(
        built_warehouse,
        "SELECT count(*) FROM fct_node_score WHERE children_scored = 0 AND score IS NOT NULL",
    ) == [(0,)]


def test_a_file_with_a_fractional_count_is_refused_whole_naming_file_row_and_column(tmp_path):
    """docs/RULES.md 8.3: the CLI and incoming files run the web form's rule (a build check)."""
    from etl.build import BuildError

    data = make_data_dir(tmp_path / "data")
    wh = data / "warehouse" / "eis.duckdb"
    build(data_dir=data, warehouse=wh, as_of=date(2026, 12, 7))
    before = wh.read_bytes()
    bad = write_csv(
        data / "incoming" / "kpi_actuals" / "20261205T000000Z_aaaaaaaaaaaa_nov.csv",
        HEADER,
        [["K01", "2570", "11", "8604", "12"], ["K01", "2570", "11", "8605", "6.5"]],
    )
    with pytest.raises(BuildError) as err:
        build(data_dir=data, warehouse=wh, as_of=date(2026, 12, 7))
    failures = dict(err.value.failures)
    rows = failures["numeric_ranges"]
    hit = rows[rows["reason"] == "a count is a whole number"]
    assert len(hit) == 1 and hit["file"].iloc[0].endswith(bad.name) and hit["column_name"].iloc[0] == "value"
    assert int(hit["row"].iloc[0]) == 3  # the line of the file: header 1, 8604 on 2, 8605 on 3
    assert wh.read_bytes() == before  # all or nothing: the last good snapshot is served
