"""The sample generator: deterministic, every row marked sample, the shape the issue asks for,
and current-price GPP sectors that add up to the real NESDC totals."""
from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from etl import sample
from etl.official import read_nesdc_2024
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
    assert len(names) == 13
    for name in names:
        assert (again / name).read_bytes() == (fresh / name).read_bytes(), name
        assert (ROOT / "data" / "sample" / name).read_bytes() == (fresh / name).read_bytes(), \
            f"data/sample/{name} differs from `python -m etl sample`: regenerate, do not edit by hand"
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
        last = 2570 if freq[code] == "monthly" else 2569     # no quarter of FY 2570 has ended yet
        assert ys == set(range(first, last + 1)), code
    # the current fiscal year (2570, from 1 Oct 2026) only up to the last complete month before 15 Nov 2026
    assert {int(r["month"]) for r in rows(fresh, "kpi_actuals") if r["fiscal_year"] == "2570"} <= {10}


def test_gpp_sectors_sum_to_the_real_nesdc_totals(fresh):
    nesdc = read_nesdc_2024(ROOT / "data" / "official")
    real = {int(y) + 543: float(v) for p, y, v in zip(nesdc["province_code"], nesdc["year"],
                                                      nesdc["gpp_current_million_baht"]) if p == "86"}
    assert real[2562] == 116633.389 and real[2566] == 114266.362
    sums, lines = defaultdict(float), defaultdict(int)
    for r in rows(fresh, "gpp_sector"):
        if r["classification"] == "ISIC4" and r["price_basis"] == "cp":
            assert r["sector_code"] != "TOTAL"          # the total stays the official row
            sums[int(r["year"])] += float(r["value_million_baht"])
            lines[int(r["year"])] += 1
    assert set(sums) == set(real)
    for y, total in real.items():
        assert abs(sums[y] - total) <= 1e-6, (y, sums[y], total)
    assert all(r["reference_year"] for r in rows(fresh, "gpp_sector") if r["price_basis"] == "cvm")


def test_provincial_database_catalogue_is_marked_unverified(fresh):
    assert len(rows(fresh, "topic_groups")) == 45 and len(rows(fresh, "indicators")) == 32
    assert all("unverified" in r["source_ref"] for r in rows(fresh, "indicators") + rows(fresh, "topic_groups"))
    years = {int(r["year"]) for r in rows(fresh, "indicator_values")}
    assert len(years) >= 3
