"""Official files as received (NESDC, DOPA, code tables) -> raw DataFrames.

Values are read as published: codes as text, figures as in the file. Renaming, casting and
unit conversion happen in etl/sql/staging. Each reader names the file it read so that a
problem points at it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

NESDC_2024 = "nesdc-2024"
NESDC_OLD = "nesdc-2013-2020"
SECTOR_FILE = "nesdc_sector_2020/tha_gpp.csv"

# NESDC's 19 ISIC Rev.4 sections in the 2020-edition sector table, by the table's English titles.
NESDC_SECTIONS = {
    "Agriculture, forestry and fishing": "A",
    "Mining and quarrying": "B",
    "Manufacturing": "C",
    "Electricity, gas, steam and air conditioning supply": "D",
    "Water supply; sewerage, waste management and remediation activities": "E",
    "Construction": "F",
    "Wholesale and retail trade and repair of motor vehicles and motorcycle": "G",
    "Transportation and storage": "H",
    "Accommodation and food service activities": "I",
    "Information and communication": "J",
    "Financial and insurance activities": "K",
    "Real estate activities": "L",
    "Professional, scientific and technical activities": "M",
    "Administrative and support service activities": "N",
    "Public administration and defence; compulsory social security": "O",
    "Education": "P",
    "Human health and social work activities": "Q",
    "Arts, entertainment and recreation": "R",
    "Other service activities": "S",
}
# The area's own total line (current prices / chain volume): GPP, GRP, GDP or a cluster's.
NESDC_TOTALS = {
    "Gross provincial product (GPP)",
    "Gross provincial product (CVMs)",
    "Gross regional product (GRP)",
    "Gross regional product (CVMs)",
    "Gross domestic product (GDP)",
    "Gross domestic product (CVMs)",
    "Gross provincial cluster product",
    "Gross provincial cluster product (CVMs)",
}
# NESDC's seven regions (code, Thai, English, member provinces by DOPA code) and the kingdom.
# Membership is NESDC's regional grouping; the build checks each region's current-price GRP
# against the sum of its provinces (etl/sql/checks/gpp_nesdc_sector.sql).
NESDC_REGIONS = {
    "BANGKOK AND VICINITIES": ("R-BKK", "กรุงเทพมหานครและปริมณฑล", "Bangkok and vicinities", "10 11 12 13 73 74"),
    "CENTRAL": ("R-C", "ภาคกลาง", "Central", "14 15 16 17 18 19"),
    "EASTERN": ("R-E", "ภาคตะวันออก", "Eastern", "20 21 22 23 24 25 26 27"),
    "WESTERN": ("R-W", "ภาคตะวันตก", "Western", "70 71 72 75 76 77"),
    "NORTHERN": ("R-N", "ภาคเหนือ", "Northern", "50 51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 67"),
    "NORTHEASTERN": (
        "R-NE",
        "ภาคตะวันออกเฉียงเหนือ",
        "Northeastern",
        "30 31 32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49",
    ),
    "SOUTHERN": ("R-S", "ภาคใต้", "Southern", "80 81 82 83 84 85 86 90 91 92 93 94 95 96"),
}
KINGDOM = ("TH", "ทั้งประเทศ", "Whole kingdom")
BUENG_KAN, BUENG_KAN_FROM = "38", 2011  # a province from 2011 (C.E.); Nong Khai's figures include it before


class OfficialFileError(ValueError):
    pass


def _csv(path: Path, **kw) -> pd.DataFrame:
    if not path.exists():
        raise OfficialFileError(f"{path}: official file missing")
    return pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False, **kw)


def read_reference(official: Path) -> dict[str, pd.DataFrame]:
    ref = official / "reference"
    return {
        "raw_ref_province": _csv(ref / "thailand-adm1-provinces-v1.0.0.csv"),
        "raw_ref_district": _csv(ref / "thailand-adm2-districts-v1.0.0.csv"),
        "raw_ref_subdistrict": _csv(ref / "thailand-adm3-subdistricts-v1.0.0.csv"),
    }


def read_nesdc_2024(official: Path) -> pd.DataFrame:
    path = official / "gpp" / "nesdc_gpp_current_prices_by_province_2019_2023.csv"
    df = _csv(path)
    df["_file"] = path.name
    df["_row"] = range(2, len(df) + 2)
    return df


def read_nesdc_old(official: Path, provinces: pd.DataFrame) -> pd.DataFrame:
    """The older edition is wide, keyed by Thai province name, years in B.E.: melt it and
    map names to DOPA codes with the official code table; an unmatched name is an error."""
    path = official / "gpp" / "raw" / "pnithida_gpp_current_prices_2013_2020_th.csv"
    wide = _csv(path)
    wide["_row"] = range(2, len(wide) + 2)
    name_to_code = dict(zip(provinces["name_th"].str.strip(), provinces["tis1099_code"]))
    wide["province_code"] = wide["จังหวัด"].str.strip().map(name_to_code)
    missing = wide[wide["province_code"].isna()]
    if len(missing):
        rows = ", ".join(f"row {r} ({n})" for r, n in zip(missing["_row"], missing["จังหวัด"]))
        raise OfficialFileError(f"{path.name}: province names not in the code table: {rows}")
    long = wide.melt(
        id_vars=["province_code", "จังหวัด", "_row"], var_name="year_be", value_name="gpp_current_million_baht"
    )
    long["_file"] = path.name
    return long


def _key(name: str) -> str:
    return "".join(ch for ch in name.upper() if ch.isalnum())


def nesdc_name_codes(official: Path, provinces: pd.DataFrame) -> dict[str, str]:
    """NESDC's English province names -> DOPA codes: the code table's English names (canonical
    and alternates) and NESDC's own spellings in the 2024 totals file, compared in capitals
    without spaces or punctuation."""
    codes = {}
    for code, canonical, alternates in zip(
        provinces["tis1099_code"], provinces["name_en_canonical"], provinces["name_alternates_en"]
    ):
        for name in [canonical, *alternates.split("|")]:
            if name.strip():
                codes[_key(name)] = code
    totals = read_nesdc_2024(official)
    codes.update({_key(n): c for n, c in zip(totals["province_name_nesdc"], totals["province_code"])})
    return codes


def read_nesdc_sector(official: Path, provinces: pd.DataFrame) -> pd.DataFrame:
    """NESDC's GPP by sector, 2020 edition (wide: level, province, type, sector, 1995..2020):
    exact duplicate rows dropped; the 19 sections and each area's total line kept at current
    prices and in chain volume (the aggregates Agriculture / Non-Agriculture / Industrial /
    Services, per capita and population are left out); long, one row per area, basis, sector
    and year (C.E., as in the file). Areas get codes: provinces their DOPA code, regions
    NESDC_REGIONS', the kingdom ``TH``, a sub-region (cluster) ``SR-`` and its member provinces'
    codes in order (its name lists them). Bueng Kan before 2011 (zeros in the file: not yet a
    province) has no row. `_row` is the record's row in the file (the header is row 1)."""
    path = official / "gpp" / SECTOR_FILE
    wide = _csv(path)
    wide["_row"] = range(2, len(wide) + 2)
    wide = wide.drop_duplicates(subset=[c for c in wide.columns if c != "_row"])
    names = nesdc_name_codes(official, provinces)
    bad = []

    def area(level: str, name: str, row: int) -> tuple[str, str]:
        if level == "Provincial":
            code = names.get(_key(name))
            return ("province", code) if code else bad.append(f"row {row} ({name})")
        if level == "Regional":
            return ("region", NESDC_REGIONS[name][0]) if name in NESDC_REGIONS else bad.append(f"row {row} ({name})")
        if level == "Whole Kingdom":
            return "kingdom", KINGDOM[0]
        if level == "Subregional" and "(" in name:
            members = name[name.index("(") + 1 : name.rindex(")")].replace(" and ", ",").split(",")
            codes = [names.get(_key(m)) for m in members]
            if all(codes):
                return "subregion", "SR-" + "-".join(sorted(codes))
        bad.append(f"row {row} ({level}: {name})")

    wide = wide[wide["sector"].isin(NESDC_SECTIONS.keys() | NESDC_TOTALS)].copy()
    wide[["area_level", "area_code"]] = [
        area(lv, n, r) or (None, None) for lv, n, r in zip(wide["level"], wide["province_nesdc_en"], wide["_row"])
    ]
    if bad:
        raise OfficialFileError(f"{path.name}: areas not in the code table: {', '.join(bad)}")
    wide["price_basis"] = wide["type"].map({"Current Market Prices": "cp", "Chain Volume Measures": "cvm"})
    wide["sector_code"] = wide["sector"].map(NESDC_SECTIONS).fillna("TOTAL")
    years = [c for c in wide.columns if c.isdigit()]
    long = wide.melt(
        id_vars=["area_level", "area_code", "province_nesdc_en", "price_basis", "sector_code", "_row"],
        value_vars=years,
        var_name="year",
        value_name="value_million_baht",
    )
    long = long[~((long["area_code"] == BUENG_KAN) & (long["year"].astype(int) < BUENG_KAN_FROM))]
    clash = long[long.duplicated(["area_code", "price_basis", "sector_code", "year"], keep=False)]
    if len(clash) or wide["price_basis"].isna().any():
        rows = sorted(set(clash["_row"]) | set(wide.loc[wide["price_basis"].isna(), "_row"]))
        raise OfficialFileError(
            f"{path.name}: rows {rows[:10]} repeat a line with other figures or have an unknown type"
        )
    long["_file"] = path.name
    return long.reset_index(drop=True)


def nesdc_areas() -> pd.DataFrame:
    """NESDC's regions and the kingdom: one row per (area, member province)."""
    rows = [(code, "region", th, en, m) for code, th, en, members in NESDC_REGIONS.values() for m in members.split()]
    return pd.DataFrame(
        rows + [(*KINGDOM[:1], "kingdom", *KINGDOM[1:], None)],
        columns=["area_code", "area_level", "name_th", "name_en", "member_code"],
    )


def read_dopa(official: Path) -> pd.DataFrame:
    pop = official / "population"
    prov = _csv(pop / "dopa_registered_population_by_province_1966_2021.csv")
    prov["adm_level"] = "1"
    prov["_file"] = "dopa_registered_population_by_province_1966_2021.csv"
    local = _csv(pop / "dopa_registered_population_chumphon.csv")
    local["_file"] = "dopa_registered_population_chumphon.csv"
    local = local[local["adm_level"] != "1"]  # province rows are already in the national file
    cols = [
        "year",
        "reference_date",
        "adm_level",
        "dopa_geocode",
        "data_type",
        "total",
        "male",
        "female",
        "households",
        "_file",
    ]
    return pd.concat([prov[cols], local[cols]], ignore_index=True)


def read_official(official: Path) -> dict[str, pd.DataFrame]:
    frames = read_reference(official)
    frames["raw_nesdc_gpp_2024"] = read_nesdc_2024(official)
    frames["raw_nesdc_gpp_old"] = read_nesdc_old(official, frames["raw_ref_province"])
    frames["raw_nesdc_gpp_sector"] = read_nesdc_sector(official, frames["raw_ref_province"])
    frames["raw_nesdc_area"] = nesdc_areas()
    frames["raw_dopa_population"] = read_dopa(official)
    frames["raw_official_indicators"] = official_indicator_catalogue()
    frames["raw_official_indicator_values"] = read_indicators(official, frames["raw_ref_province"])
    return frames


# ---------------------------------------------------------------- official province-level indicators
# The provincial database's indicators whose figures a public source publishes (catalogue columns
# as the ``indicators`` dataset, plus the level the figures are published at). Registered
# population (I01) is DOPA's table already loaded as population (stg_population); the others are
# NESDC's Human Achievement Index, the Ministry of Tourism and Sports' annual figures and BOI
# applications, all by province only (no district split), copied unmodified in
# data/official/indicators (CC0 1.0 compilation by phat-ap/econvis).
INDICATOR_FILES = {
    "hai": "tha_human_achievement_index.csv",
    "mots": "tha_mots_annual_by_province.csv",
    "boi": "tha_boi_applications_by_province.csv",
}
# BOI's "provincial" rows that are no province: businesses without a fixed or stated location
BOI_NO_PROVINCE = ("กิจการที่ไม่มีที่ตั้งแน่นอน", "กิจการที่ไม่ระบุที่ตั้ง")
_VIA = "ผ่าน phat-ap/econvis (CC0 1.0)"
# code, group, Thai, English, unit, source agency, direction, is percent, area level, file, column or variable
OFFICIAL_INDICATORS = (
    (
        "I01",
        "G01",
        "ประชากรตามทะเบียนราษฎร์",
        "Registered population",
        "คน",
        "กรมการปกครอง",
        "neutral",
        False,
        "district",
        "dopa",
        "total",
    ),
    (
        "HAI",
        "G23",
        "ดัชนีความก้าวหน้าของคน (HAI)",
        "Human Achievement Index (HAI)",
        "ดัชนี (0–1)",
        "สำนักงานสภาพัฒนาการเศรษฐกิจและสังคมแห่งชาติ (สศช.)",
        "higher",
        False,
        "province",
        "hai",
        None,
    ),
    (
        "TOUR_VISITORS",
        "G15",
        "จำนวนผู้เยี่ยมเยือนทั้งหมด",
        "Visitors",
        "คน",
        "กระทรวงการท่องเที่ยวและกีฬา",
        "higher",
        False,
        "province",
        "mots",
        "Number of Visitors",
    ),
    (
        "TOUR_VISITORS_TH",
        "G15",
        "จำนวนผู้เยี่ยมเยือนคนไทย",
        "Thai visitors",
        "คน",
        "กระทรวงการท่องเที่ยวและกีฬา",
        "higher",
        False,
        "province",
        "mots",
        "Number of Thai Visitors",
    ),
    (
        "TOUR_VISITORS_FOREIGN",
        "G15",
        "จำนวนผู้เยี่ยมเยือนชาวต่างชาติ",
        "Foreign visitors",
        "คน",
        "กระทรวงการท่องเที่ยวและกีฬา",
        "higher",
        False,
        "province",
        "mots",
        "Number of Foreign Visitors",
    ),
    (
        "TOUR_RECEIPTS",
        "G15",
        "รายได้จากผู้เยี่ยมเยือน",
        "Receipts from visitors",
        "ล้านบาท",
        "กระทรวงการท่องเที่ยวและกีฬา",
        "higher",
        False,
        "province",
        "mots",
        "Receipts from Visitors (MB)",
    ),
    (
        "TOUR_OCCUPANCY",
        "G15",
        "อัตราการเข้าพักของโรงแรมและที่พัก",
        "Accommodation occupancy rate",
        "ร้อยละ",
        "กระทรวงการท่องเที่ยวและกีฬา",
        "higher",
        True,
        "province",
        "mots",
        "Occupancy Rate (%)",
    ),
    (
        "BOI_PROJECTS",
        "G13",
        "จำนวนโครงการที่ยื่นขอรับการส่งเสริมการลงทุน",
        "BOI applications: projects",
        "โครงการ",
        "สำนักงานคณะกรรมการส่งเสริมการลงทุน (BOI)",
        "higher",
        False,
        "province",
        "boi",
        "number_of_projects",
    ),
    (
        "BOI_INVESTMENT",
        "G13",
        "เงินลงทุนของโครงการที่ยื่นขอรับการส่งเสริม",
        "BOI applications: investment",
        "ล้านบาท",
        "สำนักงานคณะกรรมการส่งเสริมการลงทุน (BOI)",
        "higher",
        False,
        "province",
        "boi",
        "total_investment",
    ),
    (
        "BOI_EMPLOY_TH",
        "G13",
        "การจ้างงานคนไทยของโครงการที่ยื่นขอรับการส่งเสริม",
        "BOI applications: Thai employment",
        "คน",
        "สำนักงานคณะกรรมการส่งเสริมการลงทุน (BOI)",
        "higher",
        False,
        "province",
        "boi",
        "employment_thais",
    ),
    (
        "BOI_EMPLOY_FOREIGN",
        "G13",
        "การจ้างงานชาวต่างชาติของโครงการที่ยื่นขอรับการส่งเสริม",
        "BOI applications: foreign employment",
        "คน",
        "สำนักงานคณะกรรมการส่งเสริมการลงทุน (BOI)",
        "higher",
        False,
        "province",
        "boi",
        "employment_foreigners",
    ),
)
INDICATOR_SOURCES = {
    "dopa": "กรมการปกครอง สถิติประชากรทางการทะเบียน ณ 31 ธ.ค. ผ่าน Ahoerstemeier/tambon",
    "hai": f"สศช. ดัชนีความก้าวหน้าของคน (Human Achievement Index) {_VIA} {INDICATOR_FILES['hai']}",
    "mots": f"กระทรวงการท่องเที่ยวและกีฬา สถิติการท่องเที่ยวรายจังหวัด {_VIA} {INDICATOR_FILES['mots']}",
    "boi": f"สำนักงานคณะกรรมการส่งเสริมการลงทุน (BOI) คำขอรับการส่งเสริมการลงทุนรายจังหวัด {_VIA} {INDICATOR_FILES['boi']}",
}


def official_indicator_catalogue() -> pd.DataFrame:
    """The official indicators in the shape of the ``indicators`` dataset, with their area level."""
    cols = [
        "indicator_code",
        "group_code",
        "name_th",
        "name_en",
        "unit",
        "source_agency",
        "direction",
        "is_percent",
        "area_level",
        "source_key",
        "source_column",
    ]
    cat = pd.DataFrame(OFFICIAL_INDICATORS, columns=cols)
    cat["source_ref"] = cat["source_key"].map(INDICATOR_SOURCES)
    return cat.drop(columns=["source_column"])


def read_indicators(official: Path, provinces: pd.DataFrame) -> pd.DataFrame:
    """HAI, tourism and BOI figures of every province, long: indicator_code, year (C.E., as
    published), province_code, value (text, as published), source_ref, _file, _row. Provinces are
    matched on their Thai name with the official code table; regions, the kingdom and BOI's rows of
    no province are not carried; any other unmatched name is an error."""
    name_to_code = dict(zip(provinces["name_th"].str.strip(), provinces["tis1099_code"]))
    parts = []
    for code, *_mid, key, column in OFFICIAL_INDICATORS:
        if key == "dopa":
            continue
        path = official / "indicators" / INDICATOR_FILES[key]
        df = _csv(path)
        df["_row"] = range(2, len(df) + 2)
        df = df[df["level"] == "Provincial"]
        name_col = "name_th" if key == "hai" else "province_th"
        if key == "boi":
            df = df[~df[name_col].str.strip().isin(BOI_NO_PROVINCE)]
        if key == "hai":  # wide: one column per year
            df = df.melt(
                id_vars=[name_col, "_row"],
                value_vars=[c for c in df.columns if c.isdigit()],
                var_name="year",
                value_name="value",
            )
        elif key == "mots":
            df = df[df["variable_en"] == column]
        else:
            df = df.rename(columns={column: "value"})
        df = df.assign(province_code=df[name_col].str.strip().map(name_to_code))
        missing = df[df["province_code"].isna()]
        if len(missing):
            rows = ", ".join(f"row {r} ({n})" for r, n in zip(missing["_row"], missing[name_col]))
            raise OfficialFileError(f"{path.name}: province names not in the code table: {rows}")
        parts.append(
            pd.DataFrame(
                {
                    "indicator_code": code,
                    "year": df["year"],
                    "province_code": df["province_code"],
                    "value": df["value"],
                    "source_ref": INDICATOR_SOURCES[key],
                    "_file": path.name,
                    "_row": df["_row"],
                }
            )
        )
    return pd.concat(parts, ignore_index=True)
