"""Issue 25: the marts against an independent re-computation of docs/RULES.md (tests/reference_rules.py,
plain Python over the fact tables), on the demo warehouse at several as-of dates: the 1st of a month,
mid-month within grace, the day after grace, a day before October's reports are due, 30 September.
Every disagreement fails, listed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import duckdb
import pytest

from etl.build import build
from tests.conftest import make_data_dir
from tests.reference_rules import compute

AS_OF = [date(2026, 11, 10), date(2026, 12, 1), date(2026, 12, 7), date(2026, 12, 16), date(2027, 9, 30)]


@pytest.fixture(scope="module", params=AS_OF, ids=str)
def judged(request, tmp_path_factory):
    data = make_data_dir(tmp_path_factory.mktemp(f"ref{request.param:%Y%m%d}") / "data")
    wh = build(data_dir=data, warehouse=data / "warehouse" / "eis.duckdb", as_of=request.param).warehouse
    con = duckdb.connect(str(wh), read_only=True)
    try:
        yield con, compute(con)
    finally:
        con.close()


def _dec(x):
    return None if x is None else Decimal(repr(float(x))).quantize(Decimal("0.0001"))


def _close(a, b: Fraction | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(Fraction(a) - b) <= Fraction(1, 10**7) * max(1, abs(b))


def _diff(name, bad, total):
    assert not bad, f"{name}: {len(bad)} of {total} disagree, e.g. {bad[:8]}"


def test_every_point_state_status_and_score(judged):
    con, ref = judged
    rows = con.execute(
        "SELECT kpi_code, fiscal_year, fiscal_idx, area_code, status, score, value_to_date, is_early, reporters, reported "
        "FROM fct_kpi_status"
    ).fetchall()
    got = {(r[0], r[1], r[2], r[3]): r[4:] for r in rows}
    assert set(got) == set(ref.points), (
        f"points: {len(set(got) - set(ref.points))} only in the mart, {len(set(ref.points) - set(got))} only in the rules"
    )
    bad = []
    for key, p in ref.points.items():
        status, score, to_date, early, reporters, reported = got[key]
        mine = (p.status, p.score, p.early, p.reporters, p.reported)
        theirs = (status, _dec(score), bool(early), reporters, reported)
        if mine != theirs or not _close(to_date, p.value_to_date):
            bad.append((key, "rules", mine, float(p.value_to_date or 0), "mart", theirs, to_date))
    _diff("points", bad, len(ref.points))


def test_only_judged_points_have_a_score_or_a_projection(judged):
    con, _ = judged
    wrong = con.execute(
        "SELECT count(*) FROM fct_kpi_status s JOIN fct_kpi_projection p USING (kpi_code, fiscal_year, fiscal_idx, area_code) "
        "WHERE s.status IN ('late', 'awaiting', 'not_due') AND (s.score IS NOT NULL OR p.projected IS NOT NULL OR p.projected_miss)"
    ).fetchone()[0]
    assert wrong == 0


def test_the_round(judged):
    con, ref = judged
    got = dict(con.execute("SELECT fiscal_year, round_idx FROM fct_kpi_round").fetchall())
    assert got == ref.rounds
    # the round the screens open on is the newest with one
    current = con.execute("SELECT fiscal_year FROM fct_kpi_round WHERE is_current").fetchall()
    assert current == [(max(fy for fy, r in ref.rounds.items() if r is not None),)]


def test_projection_one_centre_in_its_range(judged):
    con, ref = judged
    rows = con.execute(
        "SELECT kpi_code, fiscal_year, fiscal_idx, area_code, projected, projected_low, projected_high, projected_miss "
        "FROM fct_kpi_projection"
    ).fetchall()
    bad = []
    for k, fy, i, area, proj, low, high, miss in rows:
        p = ref.points[(k, fy, i, area)]
        if not (_close(proj, p.projected) and _close(low, p.low) and _close(high, p.high)) or bool(miss) != p.miss:
            bad.append(((k, fy, i, area), proj, low, high, miss, "rules", p.projected, p.low, p.high, p.miss))
        if proj is not None and not (low <= proj <= high):
            bad.append(((k, fy, i, area), "outside its range", low, proj, high))
    _diff("projections", bad, len(rows))


def test_agreement_and_nodes(judged):
    con, ref = judged
    got = {
        (fy, i): _dec(s)
        for fy, i, s in con.execute("SELECT fiscal_year, fiscal_idx, score FROM fct_agreement_score").fetchall()
    }
    bad = [(k, got.get(k), v) for k, v in ref.agreement.items() if got.get(k) != v]
    _diff("agreement", bad, len(ref.agreement))
    nodes = {
        (n, fy, i, a): _dec(s)
        for n, fy, i, a, s in con.execute(
            "SELECT node_code, fiscal_year, fiscal_idx, area_code, score FROM fct_node_score"
        ).fetchall()
    }
    bad = [(k, nodes.get(k), v) for k, v in ref.nodes.items() if nodes.get(k) != v]
    _diff("nodes", bad, len(ref.nodes))


def test_the_judged_point_is_the_point_at_the_round(judged):
    con, ref = judged
    rows = con.execute(
        "SELECT kpi_code, fiscal_year, area_code, fiscal_idx, status, score FROM fct_kpi_judged"
    ).fetchall()
    want = {
        (k, fy, area): (i, p.status, p.score) for (k, fy, i, area), p in ref.points.items() if ref.rounds.get(fy) == i
    }
    assert {(k, fy, a): (i, s, _dec(sc)) for k, fy, a, i, s, sc in rows} == want
