"""NESDC's GPP by sector (2020 edition) as official data: shares, real growth, deflator and
contributions in the warehouse against the same figures computed here from the raw CSV (read with
the csv module, not through the ETL), Bueng Kan before it was a province, NESDC's provisional
flag, and the build check that refuses a sector table that does not add up or that differs from
the totals already shipped."""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from etl.build import BuildError, build
from tests.conftest import ROOT, make_data_dir

CSV = ROOT / "data" / "official" / "gpp" / "nesdc_sector_2020" / "tha_gpp.csv"
GPP_LINES = {"Gross provincial product (GPP)", "Gross regional product (GRP)", "Gross domestic product (GDP)"}
CVM_LINES = {"Gross provincial product (CVMs)", "Gross regional product (CVMs)", "Gross domestic product (CVMs)"}
A = "Agriculture, forestry and fishing"
G = "Wholesale and retail trade and repair of motor vehicles and motorcycle"


def raw() -> dict[tuple[str, str, str], dict[str, float]]:
    """(NESDC area name, type, sector) -> {year C.E.: value}, first occurrence of each line."""
    out = {}
    with open(CSV, encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            key = (r["province_nesdc_en"], r["type"], r["sector"])
            out.setdefault(key, {y: float(v) for y, v in r.items() if y.isdigit()})
    return out


def line(t, area, kind, sector):
    names = GPP_LINES if sector == "GPP" else CVM_LINES if sector == "CVM" else {sector}
    basis = "Chain Volume Measures" if sector == "CVM" or kind == "cvm" else "Current Market Prices"
    return next(v for (a, ty, s), v in t.items() if a == area and ty == basis and s in names)


@pytest.fixture(scope="module")
def con(built_warehouse):
    c = duckdb.connect(str(built_warehouse), read_only=True)
    yield c
    c.close()


def mart(con, area: str, year_be: int, sector: str) -> dict:
    df = con.execute(
        """SELECT * FROM mart_gpp_sector WHERE area_code = $a AND year_be = $y AND sector_code = $s
                        AND edition = 'nesdc-2013-2020'""",
        {"a": area, "y": year_be, "s": sector},
    ).df()
    assert len(df) == 1, (area, year_be, sector)
    return df.iloc[0].to_dict()


# (warehouse area code, NESDC's name in the file, year C.E.)
PAIRS = [
    ("86", "CHUMPHON", 2020),
    ("86", "CHUMPHON", 2019),
    ("86", "CHUMPHON", 1996),
    ("10", "BANGKOK METROPOLIS", 2010),
    ("R-S", "SOUTHERN", 2020),
    ("TH", "WHOLE KINGDOM", 2020),
]


@pytest.mark.parametrize("code,name,year", PAIRS)
def test_shares_and_contributions_equal_the_csv(con, code, name, year):
    t = raw()
    gpp, gpp0 = line(t, name, "cp", "GPP")[str(year)], line(t, name, "cp", "GPP")[str(year - 1)]
    for sector, title in (("A", A), ("G", G)):
        cp, cvm = line(t, name, "cp", title), line(t, name, "cvm", title)
        got = mart(con, code, year + 543, sector)
        assert got["va_cp"] == cp[str(year)] and got["va_cvm"] == cvm[str(year)]
        # the share's denominator is the edition's published total (NESDC rounding: relative 1e-6)
        assert got["share_pct"] == pytest.approx(100 * cp[str(year)] / gpp, rel=1e-6)
        want = 100 * cp[str(year - 1)] / gpp0 * (cvm[str(year)] / cvm[str(year - 1)] - 1)
        assert got["contribution_pp"] == pytest.approx(want, rel=1e-6, abs=1e-9)
        assert got["provenance"] == "official"


@pytest.mark.parametrize("code,name,year", PAIRS)
def test_real_growth_and_deflator_equal_the_csv(con, code, name, year):
    t = raw()
    cvm, cp = line(t, name, "cvm", "CVM"), line(t, name, "cp", "GPP")
    if code.isdigit():
        row = con.execute(
            """SELECT real_growth_pct, deflator FROM mart_gpp_total WHERE province_code = $a
                             AND year_be = $y AND edition = 'nesdc-2013-2020'""",
            {"a": code, "y": year + 543},
        ).fetchone()
    else:
        row = con.execute(
            """SELECT real_growth_pct, deflator FROM mart_gpp_area_total WHERE area_code = $a
                             AND year_be = $y""",
            {"a": code, "y": year + 543},
        ).fetchone()
    assert row[0] == pytest.approx(100 * (cvm[str(year)] / cvm[str(year - 1)] - 1), rel=1e-9)
    assert row[1] == pytest.approx(100 * cp[str(year)] / cvm[str(year)], rel=1e-6)


def test_chumphon_agriculture_and_the_largest_contributor(con):
    """The figures the issue asks for, from the CSV: section A's share 2019 and 2020, and the
    section with the largest contribution to real growth in 2020."""
    t = raw()
    sections = [
        s
        for (a, ty, s) in t
        if a == "CHUMPHON"
        and ty == "Current Market Prices"
        and s
        not in GPP_LINES
        | {
            "Agriculture",
            "Non-Agriculture",
            "Industrial",
            "Services",
            "GPP Per capita (Baht)",
            "Population (1,000 persons)",
        }
    ]
    assert len(sections) == 19
    gpp = line(t, "CHUMPHON", "cp", "GPP")
    contrib = {
        s: line(t, "CHUMPHON", "cp", s)["2019"]
        / gpp["2019"]
        * (line(t, "CHUMPHON", "cvm", s)["2020"] / line(t, "CHUMPHON", "cvm", s)["2019"] - 1)
        for s in sections
    }
    assert max(contrib, key=contrib.get) == G
    top = con.execute("""SELECT sector_code FROM mart_gpp_sector WHERE province_code = '86' AND year_be = 2563
                         AND edition = 'nesdc-2013-2020' ORDER BY contribution_pp DESC LIMIT 1""").fetchone()[0]
    assert top == "G"
    for year in (2019, 2020):
        share = 100 * line(t, "CHUMPHON", "cp", A)[str(year)] / gpp[str(year)]
        assert mart(con, "86", year + 543, "A")["share_pct"] == pytest.approx(share, rel=1e-6)
    # its rank among the 77 provinces by that share
    shares = {
        a: line(t, a, "cp", A)["2020"] / line(t, a, "cp", "GPP")["2020"]
        for (a, ty, s) in t
        if s == "Gross provincial product (GPP)"
    }
    assert len(shares) == 77
    rank = sorted(shares.values(), reverse=True).index(shares["CHUMPHON"]) + 1
    got = mart(con, "86", 2563, "A")
    assert (got["rank_share"], got["ranked"]) == (rank, 77)


def test_bueng_kan_before_2011_is_not_a_province(con):
    for table in ("fct_gpp", "mart_gpp_sector", "mart_gpp_total"):
        years = [
            r[0]
            for r in con.execute(
                f"SELECT DISTINCT year_be FROM {table} WHERE province_code = '38' "
                "AND edition = 'nesdc-2013-2020' ORDER BY 1"
            ).fetchall()
        ]
        assert years[0] == 2554, table  # 2011: no row before, never a zero
    ranked = con.execute("""SELECT max(ranked) FROM mart_gpp_sector WHERE year_be = 2553
                            AND edition = 'nesdc-2013-2020'""").fetchone()[0]
    assert ranked == 76


def test_2020_is_provisional_and_chain_volume_is_never_a_share(con):
    flags = dict(
        con.execute("""SELECT year_be, string_agg(DISTINCT coalesce(revision_flag, '-'))
                                FROM fct_gpp WHERE province_code = '86' AND edition = 'nesdc-2013-2020'
                                AND year_be >= 2562 GROUP BY 1""").fetchall()
    )
    assert flags == {2562: "-", 2563: "p"}
    assert (
        con.execute(
            """SELECT count(*) FROM mart_gpp_sector WHERE share_pct IS NOT NULL AND va_cp IS NULL"""
        ).fetchone()[0]
        == 0
    )
    assert con.execute("""SELECT count(*) FROM fct_gpp WHERE provenance = 'sample'""").fetchone()[0] == 0
    # a section NESDC shows as 0 (Bangkok's mining) has no growth, so no contribution: never NaN or infinite
    assert (
        con.execute("""SELECT count(*) FROM mart_gpp_sector
                          WHERE isnan(contribution_pp) OR isinf(contribution_pp)""").fetchone()[0]
        == 0
    )
    assert mart(con, "10", 2539, "B")["va_cp"] == 0 and pd.isna(mart(con, "10", 2539, "B")["contribution_pp"])


def _tampered(tmp_path: Path, edits: dict[tuple[str, str, str], tuple[str, str]]) -> Path:
    """A data dir whose sector table has `edits` applied: (area, type, sector) -> (year, value)."""
    data = make_data_dir(tmp_path / "data", sample=False)
    os.unlink(data / "official")
    official = data / "official"
    official.mkdir()
    for p in (ROOT / "data" / "official").iterdir():
        if p.name != "gpp":
            os.symlink(p, official / p.name)
    shutil.copytree(ROOT / "data" / "official" / "gpp", official / "gpp")
    path = official / "gpp" / "nesdc_sector_2020" / "tha_gpp.csv"
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    head = rows[0]
    for r in rows[1:]:
        hit = edits.get((r[1], r[2], r[3]))
        if hit:
            r[head.index(hit[0])] = hit[1]
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)
    return data


def test_a_sector_table_that_does_not_add_up_fails_the_build(tmp_path):
    data = _tampered(
        tmp_path,
        {
            ("CHUMPHON", "Current Market Prices", "Manufacturing"): ("2005", "9999"),
            ("TRAT", "Current Market Prices", "Gross provincial product (GPP)"): ("2016", "1"),
        },
    )
    with pytest.raises(BuildError) as e:
        build(data_dir=data, warehouse=data / "warehouse" / "eis.duckdb", ops_url=f"sqlite:///{tmp_path}/o.db")
    failures = dict(e.value.failures)
    assert "gpp_nesdc_sector" in failures
    rows = failures["gpp_nesdc_sector"]
    assert set(rows["file"]) == {"tha_gpp.csv"}
    reasons = " | ".join(rows["reason"])
    assert "19 sections of 86 in 2548" in reasons  # Chumphon's sections, 2005
    assert "GPP of 23 in 2559" in reasons and "shipped total" in reasons  # Trat's GPP line, 2016
    with open(CSV, encoding="utf-8-sig") as f:  # the rows named are the lines changed
        recs = list(csv.DictReader(f))
    named = {recs[int(r) - 2]["province_nesdc_en"] for r in rows["row"]}
    assert {"CHUMPHON", "TRAT"} <= named
    assert not (data / "warehouse" / "eis.duckdb").exists()


def test_the_official_indicators_beside_the_economy_rank_as_the_csv_does(con, monkeypatch, built_warehouse):
    """/gpp's comparison with NESDC's HAI: Chumphon's latest value, exactly as in the CSV, its rank among
    the provinces of that year (1 = highest) and the kingdom's median, all counted here from the file."""
    import statistics

    path = ROOT / "data" / "official" / "indicators" / "tha_human_achievement_index.csv"
    with open(path, encoding="utf-8-sig") as f:
        rows = [r for r in csv.DictReader(f) if r["level"] == "Provincial"]
    year = max(int(y) for y in rows[0] if y.isdigit())
    values = {r["name_en"]: float(r[str(year)]) for r in rows if r[str(year)].strip()}
    mine = values["Chumphon"]
    monkeypatch.setenv("SANYAN_WAREHOUSE", str(built_warehouse))
    import db

    got = db.query("gpp/indicators", province="86", last=year + 543).set_index("indicator_code").loc["HAI"]
    assert (got["year_be"], got["value"], got["provenance"]) == (year + 543, mine, "official")
    assert got["rank"] == 1 + sum(v > mine for v in values.values()) and got["ranked"] == len(values) == 77
    assert got["kingdom_median"] == pytest.approx(statistics.median(values.values()), abs=1e-12)
    # a year before the series begins: nothing shown, never a zero
    assert db.query("gpp/indicators", province="86", last=2550).empty


def test_the_medians_beside_bangkoks_economy_are_of_its_nesdc_region(con, monkeypatch, built_warehouse):
    """A province's own region in every comparison: Bangkok's indicator medians are those of NESDC's
    "Bangkok and vicinities" (6 provinces), the region its GRP and ranks use, not DOPA's Central (22)."""
    import statistics

    monkeypatch.setenv("SANYAN_WAREHOUSE", str(built_warehouse))
    import db

    got = db.query("gpp/indicators", province="10", last=2570).set_index("indicator_code").loc["HAI"]
    members = [r[0] for r in con.execute("SELECT area_code FROM dim_gpp_area WHERE region_code = 'R-BKK'").fetchall()]
    values = [
        r[0]
        for r in con.execute(
            "SELECT value FROM mart_indicator_province WHERE indicator_code = 'HAI' AND year_be = $y "
            "AND province_code IN (SELECT unnest($m))",
            {"y": int(got["year_be"]), "m": members},
        ).fetchall()
    ]
    assert len(values) == 6
    assert got["region_median"] == pytest.approx(statistics.median(values), abs=1e-12)
