"""Data quality (RM 4.1, etl/sql/marts/quality.sql) on a fixture with known gaps, a late report
and an incomplete passport: the demo data with two reports removed, one dated after its deadline
and one verifier blanked, built by the real ETL and compared with the unchanged demo build and
with counts made independently from the CSV files."""

from __future__ import annotations

import csv

import duckdb
import pytest

UNIT = "กลุ่มส่งเสริมและพัฒนาการผลิต"


def _rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _write(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


@pytest.fixture(scope="module")
def gappy(tmp_path_factory):
    from etl.build import build
    from tests.conftest import DEMO_AS_OF, ROOT, make_data_dir

    base = tmp_path_factory.mktemp("quality")
    data = make_data_dir(base / "data")
    actuals = _rows(ROOT / "data" / "sample" / "kpi_actuals.csv")
    gone = {("K01", "8601"), ("K01", "8602")}
    kept = [
        r
        for r in actuals
        if not (r["fiscal_year"] == "2570" and r["month"] == "10" and (r["kpi_code"], r["area_code"]) in gone)
    ]
    assert len(kept) == len(actuals) - 2
    for r in kept:
        if (r["kpi_code"], r["fiscal_year"], r["month"], r["area_code"]) == ("K03", "2570", "10", "8603"):
            r["reported_on"] = "2026-11-20"  # deadline: 31 Oct + 15 days = 15 Nov
    (data / "sample" / "kpi_actuals.csv").unlink()
    _write(data / "sample" / "kpi_actuals.csv", kept)
    kpis = _rows(ROOT / "data" / "sample" / "kpis.csv")
    for r in kpis:
        if r["kpi_code"] == "K07":
            r["verifier"] = ""
    (data / "sample" / "kpis.csv").unlink()
    _write(data / "sample" / "kpis.csv", kpis)
    res = build(
        data_dir=data,
        warehouse=data / "warehouse" / "eis.duckdb",
        ops_url=f"sqlite:///{base / 'ops.sqlite'}",
        as_of=DEMO_AS_OF,
    )
    return res.warehouse


def _one(wh, sql, **p):
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return con.execute(sql, p).fetchone()
    finally:
        con.close()


ROUND = (
    "SELECT required, present, coverage_pct, timeliness_pct, passport_pct FROM mart_quality "
    "WHERE database = 'kpi' AND owner_unit = $u AND fiscal_year = 2570 AND month = 10"
)


def _required_independently() -> int:
    """Monthly KPIs of the unit x areas with a FY 2570 target (the province only when no district
    has one), counted from the CSV files: October is due for monthly KPIs only."""
    from tests.conftest import ROOT

    kpis = {
        r["kpi_code"]
        for r in _rows(ROOT / "data" / "sample" / "kpis.csv")
        if r["owner_unit"] == UNIT and r["frequency"] == "monthly"
    }
    areas: dict[str, set] = {}
    for r in _rows(ROOT / "data" / "sample" / "kpi_targets.csv"):
        if r["kpi_code"] in kpis and r["fiscal_year"] == "2570":
            areas.setdefault(r["kpi_code"], set()).add(r["area_code"])
    return sum(len(a - {"86"}) if a - {"86"} else len(a) for a in areas.values())


def test_gaps_and_a_late_report_lower_coverage_and_timeliness_exactly(built_warehouse, gappy):
    required = _required_independently()
    before = _one(built_warehouse, ROUND, u=UNIT)
    after = _one(gappy, ROUND, u=UNIT)
    assert before[0] == after[0] == required
    assert before[1] == required and after[1] == required - 2  # the two removed reports
    assert after[2] == round(100 * (required - 2) / required, 2)
    assert before[3] == 100.0
    assert after[3] == round(100 * (required - 3) / required, 2)  # two missing + one late
    n = sum(
        1
        for r in _rows(__import__("tests.conftest", fromlist=["ROOT"]).ROOT / "data" / "sample" / "kpis.csv")
        if r["owner_unit"] == UNIT
    )
    assert before[4] == 100.0 and after[4] == round(100 * (n - 1) / n, 2)  # K07 lost its verifier


def test_the_overdue_list_names_the_missing_reports_and_their_owners(gappy, monkeypatch):
    monkeypatch.setenv("SANYAN_WAREHOUSE", str(gappy))
    import db

    od = db.query("quality/overdue", fy=2570, province="86")
    mine = od[od["kpi_code"] == "K01"]
    assert sorted(mine["area_code"]) == ["8601", "8602"]
    assert set(mine["days_late"]) == {9} and set(mine["owner_unit"]) == {UNIT}  # 24 Nov - 15 Nov
    assert mine["verifier"].notna().all()


def test_index_and_band(built_warehouse):
    """The index is the mean of coverage, accuracy and timeliness; 60/70/80/90/100 % are levels
    1-5; RM 4.1 is the mean of the three databases."""
    con = duckdb.connect(str(built_warehouse), read_only=True)
    try:
        assert con.execute(
            "SELECT pct_band(50), pct_band(60), pct_band(85), pct_band(100), pct_band(120)"
        ).fetchone() == (1.0, 1.0, 3.5, 5.0, 5.0)
        bad = con.execute("""SELECT count(*) FROM mart_quality WHERE present > 0 AND
                             abs(index_pct - (coverage_pct + accuracy_pct + timeliness_pct) / 3) > 0.01""").fetchone()
        assert bad == (0,)
        k, i, g, idx = con.execute(
            "SELECT kpi_index_pct, indicators_index_pct, gpp_index_pct, index_pct "
            "FROM mart_quality_rm41 WHERE fiscal_year = 2570"
        ).fetchone()
        assert idx == pytest.approx((k + i + g) / 3, abs=0.01)
        # sample rows are never verified: the demo's verified share is 0, its automated share high
        assert con.execute(
            "SELECT verified_pct, automated_pct > 95 FROM mart_quality WHERE database = 'kpi' "
            "AND owner_unit IS NULL AND fiscal_year = 2570 AND month IS NULL"
        ).fetchone() == (0.0, True)
    finally:
        con.close()


def test_an_approved_web_entry_counts_as_verified(tmp_path, monkeypatch):
    """A figure entered, verified and approved on /entry replaces a sample row: verified share rises."""
    import ops
    from etl.build import build
    from ops import entry
    from tests.conftest import DEMO_AS_OF, make_data_dir

    eng = ops.engine(f"sqlite:///{tmp_path / 'ops.sqlite'}")
    kpi = {"kpi_code": "K01", "owner_unit": UNIT, "unit": "แปลง"}
    row = entry.save(eng, entry.Actor("ed", "admin"), kpi, 2570, 10, "8604", "25", None, 0, submit=True)
    entry.verify(eng, entry.Actor("v", "verifier"), kpi, row["entry_id"], row["version"], True)
    entry.approve_round(eng, entry.Actor("b", "executive"), 2570, 10)
    data = make_data_dir(tmp_path / "data")
    wh = build(
        data_dir=data,
        warehouse=data / "warehouse" / "eis.duckdb",
        ops_url=eng.url.render_as_string(hide_password=False),
        as_of=DEMO_AS_OF,
    ).warehouse
    present, verified = _one(
        wh,
        "SELECT present, verified FROM mart_quality WHERE database = 'kpi' AND owner_unit = $u "
        "AND fiscal_year = 2570 AND month = 10",
        u=UNIT,
    )
    assert verified == 1 and present > 1


def test_per_agency_rows_add_up_to_the_provincial_database(built_warehouse, monkeypatch):
    monkeypatch.setenv("SANYAN_WAREHOUSE", str(built_warehouse))
    import db

    agencies = db.query("quality/units", database="indicators", fy=None)
    whole = db.query("quality/summary").query("database == 'indicators' and fiscal_year.isna()").iloc[0]
    assert len(agencies) > 1 and agencies["required"].sum() == whole["required"]
    assert agencies["present"].sum() == whole["present"]


def test_gpp_quality_asks_only_for_what_nesdc_published(built_warehouse):
    """The GPP window is the latest three years of NESDC's totals file; a year whose sectors NESDC has
    not published (its sector table ends in 2020) asks for the current-price total only, so the
    province that has every published total scores 100 %, not 0 % for sections nobody published."""
    from tests.conftest import ROOT

    gpp = ROOT / "data" / "official" / "gpp"
    total_years = sorted(
        {int(r["year"]) + 543 for r in _rows(gpp / "nesdc_gpp_current_prices_by_province_2019_2023.csv")}
        | {int(c) for c in _rows(gpp / "raw" / "pnithida_gpp_current_prices_2013_2020_th.csv")[0] if c.isdigit()}
    )
    with open(gpp / "nesdc_sector_2020" / "tha_gpp.csv", encoding="utf-8-sig") as f:
        head = next(csv.reader(f))
    sector_years = {int(c) + 543 for c in head if c.strip().isdigit()}
    con = duckdb.connect(str(built_warehouse), read_only=True)
    try:
        as_of_be = con.execute("SELECT year(CAST(as_of AS DATE)) + 543 FROM meta_snapshot").fetchone()[0]
        window = [y for y in total_years if y <= as_of_be - 2][-3:]
        assert window and not set(window) & sector_years  # the demo's window: totals only
        cells = con.execute(
            "SELECT year_be, sector_code, price_basis, present FROM fct_quality_gpp_cell ORDER BY year_be"
        ).fetchall()
        assert cells == [(y, "TOTAL", "cp", True) for y in window]
        for y in window:
            assert con.execute(
                "SELECT required, present, coverage_pct FROM mart_quality WHERE database = 'gpp' "
                "AND owner_unit IS NULL AND fiscal_year = $y",
                {"y": y},
            ).fetchone() == (1, 1, 100.0)
    finally:
        con.close()
