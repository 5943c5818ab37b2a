"""Real figures in the provincial database (issue 17, items 3 and 4): registered population (I01)
is DOPA's table for the province and every district, and NESDC's HAI, the Ministry of Tourism and
Sports' figures and BOI applications are official province-level indicators, each value exactly as
in the published CSV (read here on its own, not through etl/official.py)."""

from __future__ import annotations

import csv

import duckdb
import pytest

from tests.conftest import ROOT

OFFICIAL = ROOT / "data" / "official"


def read(path) -> list[dict]:
    with open(path, encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def con(built_warehouse):
    c = duckdb.connect(str(built_warehouse), read_only=True)
    yield c
    c.close()


def values(con, code: str, area: str = "86") -> dict[int, tuple[float, str]]:
    return {
        y: (v, p)
        for y, v, p in con.execute(
            "SELECT year_be, value, provenance FROM fct_indicator_value WHERE indicator_code = ? AND area_code = ?",
            [code, area],
        ).fetchall()
    }


def test_registered_population_is_dopa_for_the_province_and_every_district(con):
    dopa = {}
    for r in read(OFFICIAL / "population" / "dopa_registered_population_chumphon.csv"):
        if r["data_type"] == "total" and r["adm_level"] in ("1", "2"):
            dopa[r["dopa_geocode"], int(r["year"]) + 543] = float(r["total"])
    got = {
        (a, y): (v, p, s)
        for a, y, v, p, s in con.execute(
            "SELECT area_code, year_be, value, provenance, source_ref FROM fct_indicator_value "
            "WHERE indicator_code = 'I01'"
        ).fetchall()
    }
    assert got, "no I01 rows"
    areas = {a for a, _y in got}
    assert areas == {"86", "8601", "8602", "8603", "8604", "8605", "8606", "8607", "8608"}
    first = min(y for _a, y in got)
    assert {k for k in dopa if k[1] >= first} == set(got)  # every DOPA year from the first, nothing else
    for key, (v, prov, src) in got.items():
        assert v == dopa[key] and prov == "official" and "กรมการปกครอง" in src, key
    assert got["8601", 2564][0] == 149530 and got["86", 2564][0] == 509479  # as SOURCES.md quotes DOPA


def test_hai_tourism_and_boi_for_chumphon_equal_the_csvs(con):
    expected: dict[tuple[str, int], float] = {}
    for r in read(OFFICIAL / "indicators" / "tha_human_achievement_index.csv"):
        if r["name_en"] == "Chumphon":
            expected.update({("HAI", int(y) + 543): float(r[y]) for y in r if y.isdigit()})
    mots = {
        "Number of Visitors": "TOUR_VISITORS",
        "Number of Thai Visitors": "TOUR_VISITORS_TH",
        "Number of Foreign Visitors": "TOUR_VISITORS_FOREIGN",
        "Receipts from Visitors (MB)": "TOUR_RECEIPTS",
        "Occupancy Rate (%)": "TOUR_OCCUPANCY",
    }
    for r in read(OFFICIAL / "indicators" / "tha_mots_annual_by_province.csv"):
        if r["province_en"] == "Chumphon" and r["variable_en"] in mots:
            expected[mots[r["variable_en"]], int(r["year"]) + 543] = float(r["value"])
    boi = {
        "number_of_projects": "BOI_PROJECTS",
        "total_investment": "BOI_INVESTMENT",
        "employment_thais": "BOI_EMPLOY_TH",
        "employment_foreigners": "BOI_EMPLOY_FOREIGN",
    }
    for r in read(OFFICIAL / "indicators" / "tha_boi_applications_by_province.csv"):
        if r["province_en"] == "Chumphon":
            expected.update({(code, int(r["year"]) + 543): float(r[col]) for col, code in boi.items()})
    got = {
        (c, y): (v, p)
        for c, y, v, p in con.execute(
            "SELECT indicator_code, year_be, value, provenance FROM fct_indicator_value WHERE area_code = '86' "
            "AND indicator_code IN (SELECT indicator_code FROM dim_indicator WHERE area_level = 'province')"
        ).fetchall()
    }
    assert set(got) == set(expected)
    assert all(got[k] == (v, "official") for k, v in expected.items())
    assert got["HAI", 2564][0] == 0.649448208 and got["TOUR_VISITORS", 2562][0] == 1514747
    assert got["BOI_INVESTMENT", 2564][0] == 10199.6


def test_province_level_indicators_are_official_open_and_never_split_by_district(con):
    cat = con.execute(
        "SELECT indicator_code, provenance, classification, source_ref FROM dim_indicator "
        "WHERE area_level = 'province' ORDER BY 1"
    ).fetchall()
    assert len(cat) == 10
    assert all(p == "official" and c == "open" and "CC0" in s for _code, p, c, s in cat)
    publishers = {s.split()[0] for *_x, s in cat}
    assert publishers == {"สศช.", "กระทรวงการท่องเที่ยวและกีฬา", "สำนักงานคณะกรรมการส่งเสริมการลงทุน"}
    assert (
        con.execute(
            "SELECT count(*) FROM fct_indicator_value v JOIN dim_indicator i USING (indicator_code) "
            "WHERE i.area_level = 'province' AND length(v.area_code) <> 2"
        ).fetchone()[0]
        == 0
    )
    # no sample value beside an official indicator
    assert (
        con.execute(
            "SELECT count(*) FROM fct_indicator_value v JOIN dim_indicator i USING (indicator_code) "
            "WHERE i.provenance = 'official' AND v.provenance <> 'official'"
        ).fetchone()[0]
        == 0
    )


def test_district_page_rows_show_one_population_and_the_province_level_values(con):
    """queries/district/indicators.sql for Mueang Chumphon: I01 2564 is DOPA's 149,530 (the figure
    the page's header shows from fct_population), the province-level indicators come once, at
    their latest year, with no district value."""
    sql = (ROOT / "queries" / "district" / "indicators.sql").read_text(encoding="utf-8")
    df = con.execute(sql, {"district": "8601", "province": "86"}).df()
    pop = df[df["indicator_code"] == "I01"].set_index("year_be")
    header = con.execute(
        "SELECT total FROM fct_population WHERE source = 'DOPA' AND area_code = '8601' AND year_be = 2564"
    ).fetchone()[0]
    assert pop.loc[2564, "value"] == header == 149530 and set(pop["provenance"]) == {"official"}
    prov = df[~df["district_level"]]
    assert prov["indicator_code"].is_unique and len(prov) == 10 and prov["value"].isna().all()
    assert dict(zip(prov["indicator_code"], prov["year_be"]))["HAI"] == 2564
