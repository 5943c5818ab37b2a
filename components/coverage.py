"""Coverage of the integrated provincial database: which indicator has values for which year and
district, and whether it has the three years of history the plan asks for (IT2). Pure."""

from __future__ import annotations

import pandas as pd

YEARS_REQUIRED = 3


def summarise(cells: pd.DataFrame) -> pd.DataFrame:
    """cells: indicator_code, year_be, district_code, present -> one row per indicator x year with
    districts present / expected, plus per indicator the number of complete years and whether it
    has the required three."""
    per_year = cells.groupby(["indicator_code", "year_be"], as_index=False).agg(
        present=("present", "sum"), expected=("present", "size")
    )
    per_year["complete"] = per_year["present"] == per_year["expected"]
    per_ind = per_year.groupby("indicator_code", as_index=False).agg(
        complete_years=("complete", "sum"), years_with_any=("present", lambda s: int((s > 0).sum()))
    )
    per_ind["has_required"] = per_ind["complete_years"] >= YEARS_REQUIRED
    return per_year.merge(per_ind, on="indicator_code")


def missing_cells(cells: pd.DataFrame) -> pd.DataFrame:
    return cells[~cells["present"].astype(bool)][["indicator_code", "year_be", "district_code"]]
