"""The sample generator: deterministic, every row marked sample, the shape the issue asks for,
no twin of an official indicator, and indicator series that move like their kind of figure."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from etl import sample
from tests.conftest import ROOT


def rows(folder: Path, name: str) -> list[dict]:
    with open(folder / f"{name}.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample")
    sample.generate(out, data_dir=ROOT / "data")
    return out


def test_same_seed_same_bytes_and_committed_files_are_generated(fresh, tmp_path):
    again = tmp_path / "again"
    sample.generate(again, data_dir=ROOT / "data")
    names = sorted(p.name for p in fresh.glob("*.csv"))
    assert len(names) == 12
    for name in names:
        assert (again / name).read_bytes() == (fresh / name).read_bytes(), name
        assert (ROOT / "data" / "sample" / name).read_bytes() == (fresh / name).read_bytes(), (
            f"data/sample/{name} differs from `python -m etl sample`: regenerate, do not edit by hand"
        )
    other = tmp_path / "other"
    sample.generate(other, seed=7, data_dir=ROOT / "data")
    assert (other / "kpi_actuals.csv").read_bytes() != (fresh / "kpi_actuals.csv").read_bytes()


def test_every_row_is_marked_sample(fresh):
    for p in fresh.glob("*.csv"):
        got = {r["provenance"] for r in rows(fresh, p.stem)}
        assert got == {"sample"}, p.name
        assert all(r["source_ref"] for r in rows(fresh, p.stem)), p.name


def test_plan_and_kpi_model(fresh):
    nodes = rows(fresh, "strategy_nodes")
    kinds = defaultdict(int)
    for n in nodes:
        kinds[n["node_type"]] += 1
    assert kinds["issue"] == 3 and kinds["project"] >= 20
    assert all(float(n["budget_baht"]) > 0 for n in nodes if n["node_type"] == "project")
    kpis = rows(fresh, "kpis")
    assert len(kpis) >= 40 and any(k["parent_kpi_code"] for k in kpis)
    assert {k["direction"] for k in kpis} == {"higher", "lower", "range"}
    linked = {r["kpi_code"] for r in rows(fresh, "kpi_links")}
    assert linked == {k["kpi_code"] for k in kpis}


def test_fiscal_year_coverage_and_agreement_weights(fresh):
    years = defaultdict(set)
    for r in rows(fresh, "kpi_actuals"):
        years[r["kpi_code"]].add(int(r["fiscal_year"]))
    weights = defaultdict(float)
    agreement = set()
    for c in rows(fresh, "kpi_criteria"):
        if c["weight"]:
            weights[int(c["fiscal_year"])] += float(c["weight"])
            agreement.add(c["kpi_code"])
    assert len(agreement) >= 5
    assert all(abs(w - 100) < 1e-9 for w in weights.values()) and min(weights) == 2549
    freq = {k["kpi_code"]: k["frequency"] for k in rows(fresh, "kpis")}
    assert set(years) == set(freq)
    for code, ys in years.items():
        first = 2549 if code in agreement else 2562
        last = 2570 if freq[code] == "monthly" else 2569  # no quarter of FY 2570 has ended yet
        assert ys == set(range(first, last + 1)), code
    # the current fiscal year (2570, from 1 Oct 2026) only up to the last complete month before 15 Nov 2026
    assert {int(r["month"]) for r in rows(fresh, "kpi_actuals") if r["fiscal_year"] == "2570"} <= {10}


def test_provincial_database_catalogue_is_marked_unverified(fresh):
    # 32 indicators less registered population and visitors, which official sources publish
    assert len(rows(fresh, "topic_groups")) == 45 and len(rows(fresh, "indicators")) == 30
    assert all("unverified" in r["source_ref"] for r in rows(fresh, "indicators") + rows(fresh, "topic_groups"))
    years = {int(r["year"]) for r in rows(fresh, "indicator_values")}
    assert len(years) >= 3


def _series(fresh) -> dict[tuple[str, str], dict[int, float]]:
    out = defaultdict(dict)
    for r in rows(fresh, "indicator_values"):
        out[r["indicator_code"], r["area_code"]][int(r["year"])] = float(r["value"])
    return out


def test_no_sample_indicator_twins_an_official_one(fresh):
    """Registered population (DOPA) and tourism (MOTS) are official: the sample has no indicator of
    their code or name, and no value of an official indicator."""
    from etl.official import OFFICIAL_INDICATORS

    codes = {o[0] for o in OFFICIAL_INDICATORS}
    names = {o[3].lower() for o in OFFICIAL_INDICATORS} | {o[2] for o in OFFICIAL_INDICATORS}
    cat = rows(fresh, "indicators")
    assert not codes & {r["indicator_code"] for r in cat}
    assert not names & ({r["name_en"].lower() for r in cat} | {r["name_th"] for r in cat})
    assert not any("visitor" in r["name_en"].lower() or "population" == r["name_en"].lower().split()[-1] for r in cat)
    assert not codes & {r["indicator_code"] for r in rows(fresh, "indicator_values")}


def test_sample_indicator_series_move_like_their_kind(fresh):
    """No year-on-year change beyond the kind's bound (relative for levels, points for shares;
    one rounding unit of slack), shares within 0-100, and every series has its years."""
    kind = {c[0]: c[9] for c in sample.INDICATORS}
    unit = {c[0]: c[4] for c in sample.INDICATORS}
    series = _series(fresh)
    assert {code for code, _a in series} == set(kind)
    for (code, area), by_year in series.items():
        bound = sample.KINDS[kind[code]][1]
        years = sorted(by_year)
        if kind[code] == "share":
            assert all(0 <= x <= 100 for x in by_year.values()), (code, area)
        for y0, y1 in zip(years, years[1:]):
            a, b = by_year[y0], by_year[y1]
            if kind[code] == "share":
                assert abs(b - a) <= bound, (code, area, y0, a, b)
            else:
                slack = 1 if unit[code] in sample.WHOLE_UNITS or max(a, b) >= 100 else 0.01
                assert abs(b - a) <= bound * max(a, b) + slack, (code, area, y0, a, b)


def test_districts_add_up_to_the_province_where_additive(fresh):
    """Stocks and flows: the province is the sum of its districts in every year all of them
    reported; averages and shares: the districts' mean."""
    kind = {c[0]: c[9] for c in sample.INDICATORS}
    series = _series(fresh)
    districts = defaultdict(set)
    for code, area in series:
        if len(area) == 4:
            districts[code].add(area)
    checked = 0
    for code, k in kind.items():
        for y, total in series[code, sample.PROVINCE].items():
            vals = [series[code, d].get(y) for d in sorted(districts[code])]
            if None in vals:
                continue  # a district did not report (the gaps on purpose)
            expect = sum(vals) if k in sample.ADDITIVE else sum(vals) / len(vals)
            assert abs(total - round(expect, 2)) <= 0.011, (code, y, total, expect)
            checked += 1
    assert checked >= 100


def test_sample_kpi_results_follow_each_kpis_own_seasonal_curve(fresh):
    """Every monthly sum KPI has a monthly plan (cumulative targets) for every year and area it has a
    whole-year target; the plan reaches the whole-year target in September; and the results of
    each month, over all years and areas, take about the plan's share of the year, so an early
    month is read against its own small share (durian, K05, brings nothing from October to
    January)."""
    from collections import defaultdict

    kpis = {r["kpi_code"]: r for r in rows(fresh, "kpis")}
    summed = {c for c, k in kpis.items() if k["frequency"] == "monthly" and k["aggregation"] == "sum"}
    year_t, plan = {}, defaultdict(dict)
    for r in rows(fresh, "kpi_targets"):
        key = (r["kpi_code"], r["fiscal_year"], r["area_code"])
        if r["month"]:
            plan[key][int(r["month"])] = float(r["target"])
        else:
            year_t[key] = float(r["target"])
    assert {k for k in plan} == {k for k in year_t if k[0] in summed}  # a plan for every summed KPI's year
    months = (10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9)
    for key, p in plan.items():
        cum = [p[m] for m in months]
        assert cum == sorted(cum) and cum[-1] == pytest.approx(year_t[key], abs=0.02), key
    got, want = defaultdict(lambda: defaultdict(float)), defaultdict(lambda: defaultdict(float))
    actuals = [r for r in rows(fresh, "kpi_actuals") if r["kpi_code"] in summed]
    by_district = {r["kpi_code"] for r in actuals if r["area_code"] != "86"}  # else reported for the province

    def counted(code, area):
        return (area != "86") == (code in by_district)

    for r in actuals:
        if counted(r["kpi_code"], r["area_code"]):
            got[r["kpi_code"]][int(r["month"])] += float(r["value"])
    for key, p in plan.items():
        if counted(key[0], key[2]):
            prev = 0.0
            for m in months:
                want[key[0]][m] += p[m] - prev
                prev = p[m]
    for code in summed:
        total_g, total_w = sum(got[code].values()), sum(want[code].values())
        for m in months:
            share_g, share_w = got[code][m] / total_g, want[code][m] / total_w
            assert share_g == pytest.approx(share_w, rel=0.2, abs=0.03), (code, m, share_g, share_w)
    assert all(got["K05"][m] == 0 for m in (10, 11, 12, 1))
