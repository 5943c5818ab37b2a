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
    long = wide.melt(id_vars=["province_code", "จังหวัด", "_row"], var_name="year_be",
                     value_name="gpp_current_million_baht")
    long["_file"] = path.name
    return long


def read_dopa(official: Path) -> pd.DataFrame:
    pop = official / "population"
    prov = _csv(pop / "dopa_registered_population_by_province_1966_2021.csv")
    prov["adm_level"] = "1"
    prov["_file"] = "dopa_registered_population_by_province_1966_2021.csv"
    local = _csv(pop / "dopa_registered_population_chumphon.csv")
    local["_file"] = "dopa_registered_population_chumphon.csv"
    local = local[local["adm_level"] != "1"]   # province rows are already in the national file
    cols = ["year", "reference_date", "adm_level", "dopa_geocode", "data_type",
            "total", "male", "female", "households", "_file"]
    return pd.concat([prov[cols], local[cols]], ignore_index=True)


def read_official(official: Path) -> dict[str, pd.DataFrame]:
    frames = read_reference(official)
    frames["raw_nesdc_gpp_2024"] = read_nesdc_2024(official)
    frames["raw_nesdc_gpp_old"] = read_nesdc_old(official, frames["raw_ref_province"])
    frames["raw_dopa_population"] = read_dopa(official)
    return frames
