"""The cockpit's rules in the marts, on hand-computed cases: the five-level score, statuses,
expected progress, the projection, leading warnings, the roll-up and the agreement score."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from etl.build import build
from tests.conftest import ROOT, make_data_dir
from tests.test_etl_build import write_csv

MACROS = (ROOT / "etl" / "sql" / "marts" / "_macros.sql").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def mem():
    con = duckdb.connect()
    con.execute(MACROS)
    yield con
    con.close()


@pytest.mark.parametrize(
    "x, t, score",
    [
        (30, (10, 20, 30, 40, 50), 3.0),  # exactly on a criterion
        (35, (10, 20, 30, 40, 50), 3.5),
        (12.3456, (10, 20, 30, 40, 50), 1.2346),  # 4 decimals
        (10, (10, 20, 30, 40, 50), 1.0),
        (5, (10, 20, 30, 40, 50), 1.0),  # clamp below level 1
        (50, (10, 20, 30, 40, 50), 5.0),
        (60, (10, 20, 30, 40, 50), 5.0),  # clamp above level 5
        (25, (50, 40, 30, 20, 10), 3.5),  # lower is better
        (55, (50, 40, 30, 20, 10), 1.0),
        (9, (50, 40, 30, 20, 10), 5.0),
        (20, (10, 20, 20, 40, 50), 3.0),  # equal criteria: the higher level
        (None, (10, 20, 30, 40, 50), None),
        (30, (None, 20, 30, 40, 50), None),
    ],
)
def test_kpi_score(mem, x, t, score):
    assert (
        mem.execute(
            "SELECT kpi_score($x, $a, $b, $c, $d, $e)", {"x": x, "a": t[0], "b": t[1], "c": t[2], "d": t[3], "e": t[4]}
        ).fetchone()[0]
        == score
    )


@pytest.mark.parametrize("x, score", [(17.5, 5.0), (16.0, 5.0), (19.0, 5.0), (15.0, 3.6667), (20.5, 3.0), (12.0, 1.0)])
def test_within_a_range_is_scored_on_the_distance_outside(mem, x, score):
    got = mem.execute(
        "SELECT kpi_score(kpi_scored_value('range', $x, 16, 19), 3, 2.25, 1.5, 0.75, 0)", {"x": x}
    ).fetchone()[0]
    assert got == score


@pytest.mark.parametrize(
    "score, status", [(2.9999, "red"), (3.0, "yellow"), (3.9999, "yellow"), (4.0, "green"), (None, None)]
)
def test_status_bands(mem, score, status):
    assert mem.execute("SELECT score_status($s, 3, 4)", {"s": score}).fetchone()[0] == status


# ---------------------------------------------------------------- a small plan built by the real ETL
S = "sample"
PASSPORT = [
    "name_th",
    "name_en",
    "definition_th",
    "formula_th",
    "unit",
    "direction",
    "range_low",
    "range_high",
    "frequency",
    "aggregation",
    "data_source",
    "verifier",
    "data_users",
    "owner_unit",
    "importance_tier",
    "indicator_type",
    "classification",
]


def kpi(code, direction="higher", frequency="monthly", aggregation="sum", lo="", hi="", typ="lagging"):
    return [
        code,
        "",
        f"ตัวชี้วัด {code}",
        code,
        "นิยาม",
        "สูตร",
        "ราย",
        direction,
        lo,
        hi,
        frequency,
        aggregation,
        "แหล่ง",
        "ผู้สอบทาน",
        "ผู้ใช้",
        "กลุ่ม",
        "1",
        typ,
        "open",
        S,
        "t",
    ]


def monthly(code, fy, values, area="86"):
    months = [10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9]
    return [[code, str(fy), str(m), area, str(v), "", S, "t"] for m, v in zip(months, values) if v is not None]


@pytest.fixture(scope="module")
def wh(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("rules")
    data = make_data_dir(base / "data", sample=False)
    d = data / "sample"
    write_csv(
        d / "strategy_nodes.csv",
        ["node_code", "parent_code", "node_type", "name_th", "weight", "provenance", "source_ref"],
        [
            ["S1", "", "issue", "ประเด็น", "", S, "t"],
            ["P1", "S1", "plan", "แผน", "", S, "t"],
            ["J1", "P1", "project", "โครงการ 1", "", S, "t"],
            ["J2", "P1", "project", "โครงการ 2", "", S, "t"],
        ],
    )
    write_csv(
        d / "kpis.csv",
        ["kpi_code", "parent_kpi_code"] + PASSPORT + ["provenance", "source_ref"],
        [
            kpi("KA"),
            kpi("KB", frequency="quarterly"),
            kpi("KC"),
            kpi("KD", "lower", aggregation="mean"),
            kpi("KE", "range", aggregation="mean", lo="16", hi="19"),
            kpi("KF"),
            kpi("KG", aggregation="mean", typ="leading"),
            kpi("KH"),
        ],
    )
    write_csv(
        d / "kpi_links.csv",
        ["kpi_code", "node_code", "weight", "provenance", "source_ref"],
        [["KA", "J1", "1", S, "t"], ["KD", "J1", "3", S, "t"], ["KF", "J2", "", S, "t"]],
    )
    write_csv(
        d / "kpi_leading_links.csv",
        ["leading_kpi_code", "lagging_kpi_code", "provenance", "source_ref"],
        [["KG", "KA", S, "t"]],
    )
    crit = ["kpi_code", "fiscal_year", "t1", "t2", "t3", "t4", "t5", "weight", "provenance", "source_ref"]
    write_csv(
        d / "kpi_criteria.csv",
        crit,
        [
            ["KA", "2568", "90", "100", "110", "120", "130", "", S, "t"],
            ["KA", "2569", "90", "100", "110", "120", "130", "", S, "t"],
            ["KA", "2570", "90", "100", "110", "120", "130", "60", S, "t"],
            ["KB", "2570", "60", "80", "100", "120", "140", "40", S, "t"],
            ["KC", "2570", "80", "100", "120", "140", "160", "", S, "t"],
            ["KD", "2570", "50", "40", "30", "20", "10", "", S, "t"],
            ["KE", "2570", "3", "2.25", "1.5", "0.75", "0", "", S, "t"],
            ["KG", "2570", "10", "20", "30", "40", "50", "", S, "t"],
            ["KH", "2570", "60", "80", "100", "120", "140", "", S, "t"],
        ],
    )
    tgt = ["kpi_code", "fiscal_year", "month", "area_code", "target", "provenance", "source_ref"]
    write_csv(
        d / "kpi_targets.csv",
        tgt,
        [
            ["KA", "2568", "", "86", "110", S, "t"],
            ["KA", "2569", "", "86", "110", S, "t"],
            ["KA", "2570", "", "86", "110", S, "t"],
            ["KB", "2570", "", "86", "100", S, "t"],
            ["KC", "2570", "", "86", "120", S, "t"],
            ["KC", "2570", "10", "86", "5", S, "t"],
            ["KC", "2570", "11", "86", "15", S, "t"],
            ["KD", "2570", "", "86", "30", S, "t"],
            ["KE", "2570", "", "86", "17.5", S, "t"],
            ["KF", "2570", "", "86", "10", S, "t"],
            ["KG", "2570", "", "86", "30", S, "t"],
            # a seasonal KPI: its plan expects nothing in October and November, 10 of 100 by December
            ["KH", "2570", "", "86", "100", S, "t"],
            ["KH", "2570", "10", "86", "0", S, "t"],
            ["KH", "2570", "11", "86", "0", S, "t"],
            ["KH", "2570", "12", "86", "10", S, "t"],
        ],
    )
    history = [12] * 6 + [8] * 6  # 60 % of the year by the end of March
    act = (
        monthly("KA", 2568, history)
        + monthly("KA", 2569, history)
        + monthly("KA", 2570, [10] * 6)
        + [["KB", "2570", "12", "86", "30", "", S, "t"], ["KB", "2570", "3", "86", "20", "", S, "t"]]
        + monthly("KC", 2570, [6, 9])
        + monthly("KD", 2570, [25] * 6)
        + monthly("KE", 2570, [15] * 6)
        + monthly("KG", 2570, [30, 30, 30, 30, 30, 5])
        + monthly("KH", 2570, [0, 0, 4])
        + monthly("KH", 2570, [1, 1], area="8601")
    )  # a district that reported October and November only
    write_csv(
        d / "kpi_actuals.csv",
        ["kpi_code", "fiscal_year", "month", "area_code", "value", "reported_on", "provenance", "source_ref"],
        act,
    )
    result = build(
        data_dir=data,
        warehouse=data / "warehouse" / "eis.duckdb",
        ops_url=f"sqlite:///{base}/ops.db",
        as_of=date(2027, 4, 20),
    )
    return result.warehouse


def one(wh, sql, **params):
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return con.execute(sql, params).fetchone()
    finally:
        con.close()


STATUS = """SELECT status, score, value_to_date, expected_share, expected_curve, pace
            FROM fct_kpi_status WHERE kpi_code = $k AND fiscal_year = $fy AND fiscal_idx = $i AND area_code = '86'"""


def test_linear_expected_progress_and_score(wh):
    assert one(wh, STATUS, k="KA", fy=2570, i=6) == (
        "green",
        4.0,
        60.0,
        0.5,
        "linear",
        pytest.approx(60 / 55, abs=1e-4),
    )
    assert one(wh, STATUS, k="KA", fy=2568, i=12)[:3] == ("green", 4.0, 120.0)
    assert one(wh, "SELECT count(*) FROM fct_kpi_status WHERE fiscal_year = 2570 AND fiscal_idx > 6") == (0,)


def test_stepped_expected_progress(wh):
    assert one(wh, STATUS, k="KB", fy=2570, i=2)[:2] == ("not_due", None)  # nothing due before December
    assert one(wh, STATUS, k="KB", fy=2570, i=3) == ("green", 4.0, 30.0, 0.25, "stepped", 1.2)
    assert one(wh, STATUS, k="KB", fy=2570, i=5) == ("green", 4.0, 30.0, 0.25, "stepped", 1.2)
    assert one(wh, STATUS, k="KB", fy=2570, i=6) == ("yellow", 3.0, 50.0, 0.5, "stepped", 1.0)


def test_monthly_plan_and_late(wh):
    assert one(wh, STATUS, k="KC", fy=2570, i=2) == ("yellow", 3.0, 15.0, 0.125, "plan", 1.0)
    assert one(wh, STATUS, k="KC", fy=2570, i=3)[0] == "late"  # December was due by 15 January
    assert one(wh, STATUS, k="KC", fy=2570, i=6)[0] == "late"
    assert one(wh, "SELECT count(*) FROM fct_kpi_status WHERE status = 'red' AND (is_late OR n_reports = 0)") == (0,)


def test_a_plan_that_expects_nothing_yet_is_never_red(wh):
    """A sum KPI before its season: the plan's share to date is 0, so the reports of 0 are 'nothing
    due yet', with no score and no projection (not red at 0 of 0, nor green); once the plan expects
    something, the same rules score it (4 of an expected 10 = 40 a year: red)."""
    for i in (1, 2):
        assert one(wh, STATUS, k="KH", fy=2570, i=i) == ("not_due", None, 0.0, 0.0, "plan", None)
        assert one(
            wh,
            "SELECT projected, projected_score, projected_miss FROM fct_kpi_projection WHERE kpi_code = 'KH' "
            "AND fiscal_year = 2570 AND fiscal_idx = $i AND area_code = '86'",
            i=i,
        ) == (None, None, False)
    assert one(wh, STATUS, k="KH", fy=2570, i=3) == ("red", 1.0, 4.0, 0.1, "plan", 0.4)
    # the what-if on /entry follows the same rule: 3 in November is still before the plan expects anything
    con = duckdb.connect(str(wh), read_only=True)
    try:
        sql = (ROOT / "queries" / "entry" / "what_if.sql").read_text(encoding="utf-8")
        got = con.execute(sql, {"kpi": "KH", "fy": 2570, "month": 11, "area": "86", "new": 3}).fetchone()
    finally:
        con.close()
    assert got[:6] == (0.0, "not_due", None, 3.0, None, "not_due")


def test_the_round_is_the_latest_due_month_and_a_missing_report_is_late_not_judged_on_old_figures(wh):
    """docs/RULES.md section 3: on 20 April 2570 March's reports are due (15 April), so the round is
    March. At 8601 only October and November came: its March point is late, with no score (not March
    judged on November's figures to date), and its judged point names November as its last judged."""
    from components import cockpit as ck

    sql = (ROOT / "queries" / "cockpit" / "fiscal_years.sql").read_text(encoding="utf-8")
    con = duckdb.connect(str(wh), read_only=True)
    try:
        years = con.execute(sql, {"area": "8601"}).df()
        judged = con.execute(
            "SELECT fiscal_idx, status, score, last_judged_month FROM fct_kpi_judged "
            "WHERE kpi_code = 'KH' AND area_code = '8601' AND fiscal_year = 2570"
        ).fetchone()
    finally:
        con.close()
    assert years.to_dict("records") == [{"fiscal_year": 2570, "latest_idx": 6, "last_idx": 6}]
    point = ck.resolve_point(years)
    assert (point.fy, point.idx) == (2570, 6)
    assert judged == (6, "late", None, 11)


def test_lower_and_range_and_no_data(wh):
    assert one(wh, STATUS, k="KD", fy=2570, i=6)[:2] == ("yellow", 3.5)
    assert one(wh, STATUS, k="KE", fy=2570, i=6)[:2] == ("yellow", 3.6667)
    assert one(wh, STATUS, k="KF", fy=2570, i=6)[:2] == ("late", None)  # due, never reported


def test_projection_with_a_known_answer_fires_before_red(wh):
    got = one(
        wh,
        """SELECT projected, projected_low, projected_high, history_years, projected_score, projected_miss
                     FROM fct_kpi_projection WHERE kpi_code = 'KA' AND fiscal_year = 2570 AND fiscal_idx = 6
                     AND area_code = '86'""",
    )
    assert got == (pytest.approx(100.0), pytest.approx(100.0), pytest.approx(100.0), 2, 2.0, True)
    assert one(wh, STATUS, k="KA", fy=2570, i=6)[0] == "green"  # still green today


def test_leading_warning(wh):
    rows = one(
        wh,
        """SELECT leading_kpi_code, reason FROM fct_kpi_leading_warning
                      WHERE kpi_code = 'KA' AND fiscal_year = 2570 AND month = 3 AND area_code = '86'""",
    )
    assert rows == ("KG", "red")
    assert one(wh, "SELECT count(*) FROM fct_kpi_leading_warning WHERE fiscal_year = 2570 AND month = 2") == (0,)


def test_rollup_and_agreement(wh):
    node = (
        "SELECT score, children, children_scored FROM fct_node_score WHERE node_code = $n AND fiscal_year = 2570 "
        "AND fiscal_idx = 6 AND area_code = '86'"
    )
    assert one(wh, node, n="J1") == ((1 * 4.0 + 3 * 3.5) / 4, 2, 2)
    assert one(wh, node, n="J2") == (None, 1, 0)
    assert one(wh, node, n="P1") == (3.625, 2, 1)
    assert one(wh, node, n="S1") == (3.625, 1, 1)
    assert one(
        wh, "SELECT score, scored_weight FROM fct_agreement_score WHERE fiscal_year = 2570 AND fiscal_idx = 6"
    ) == ((60 * 4.0 + 40 * 3.0) / 100, 100.0)
