"""Data quality (RM 4.1) drawn: percentages, the 1-5 band, the history chart. Pure: frames in,
components and figure dicts out; the arithmetic is in etl/sql/marts/quality.sql."""

from __future__ import annotations

import pandas as pd
from dash import html

from components import thai
from components.cockpit import fig_base, v
from components.layout import sample_suffix

DATABASES = {
    "kpi": ("ตัวชี้วัด (IT1)", "KPIs (IT1)"),
    "indicators": ("ฐานข้อมูลจังหวัด (IT2)", "Provincial database (IT2)"),
    "gpp": ("ผลิตภัณฑ์มวลรวมจังหวัด (IT3)", "Gross provincial product (IT3)"),
}
MEASURES = {
    "coverage_pct": ("ครอบคลุม", "coverage"),
    "accuracy_pct": ("ถูกต้อง", "accuracy"),
    "timeliness_pct": ("ทันสมัย", "timeliness"),
    "index_pct": ("ดัชนีรวม", "index"),
}


def pct(x, lang: str) -> str:
    return "–" if v(x) is None else thai.format_number(float(x), 2, lang) + " %"


def band_text(band, lang: str) -> str:
    """The 1-5 level with 4 decimals, as agreements print a score."""
    return "–" if v(band) is None else thai.format_number(float(band), 4, lang)


def history_figure(hist: pd.DataFrame, lang: str, sample: bool) -> dict:
    """Coverage, accuracy, timeliness and the index round by round (fiscal year / month)."""
    title = "คุณภาพข้อมูลตัวชี้วัดรายรอบ" if lang == "th" else "KPI data quality round by round"
    if sample:
        title += sample_suffix("sample", lang)
    fig = fig_base(title)
    x = [f"{thai.month_name(int(m), lang, abbr=True)} {int(y)}" for y, m in zip(hist["fiscal_year"], hist["month"])]
    dashes = {"coverage_pct": "solid", "accuracy_pct": "dot", "timeliness_pct": "dash", "index_pct": "solid"}
    fig["data"] = [
        {
            "type": "scatter",
            "x": x,
            "y": [None if v(y) is None else float(y) for y in hist[col]],
            "mode": "lines+markers" if col == "index_pct" else "lines",
            "name": names[0 if lang == "th" else 1],
            "line": {"dash": dashes[col], "width": 3 if col == "index_pct" else 2},
        }
        for col, names in MEASURES.items()
    ]
    fig["layout"]["yaxis"].update({"title": {"text": "%"}, "range": [0, 105]})
    fig["layout"]["xaxis"].update({"type": "category", "nticks": 12})
    return fig


def measure_list(row: pd.Series, lang: str, id_: str) -> html.Dl:
    """Coverage, accuracy (automated and verified), timeliness, passport completeness, index, band."""
    th = lang == "th"
    items = [
        (
            "ครอบคลุม" if th else "Coverage",
            f"{pct(row['coverage_pct'], lang)} "
            f"({thai.format_number(int(row['present']), 0, lang)}/{thai.format_number(int(row['required']), 0, lang)})",
        ),
        (
            "ถูกต้อง" if th else "Accuracy",
            f"{pct(row['accuracy_pct'], lang)} · "
            + ("ผ่านการตรวจอัตโนมัติ " if th else "automated checks ")
            + pct(row["automated_pct"], lang)
            + " · "
            + ("สอบทานแล้ว " if th else "verified ")
            + pct(row["verified_pct"], lang),
        ),
        ("ทันสมัย" if th else "Timeliness", pct(row["timeliness_pct"], lang)),
    ]
    if v(row.get("passport_pct")) is not None:
        items.append(("บัญชีตัวชี้วัดครบถ้วน" if th else "Passport complete", pct(row["passport_pct"], lang)))
    items.append(
        ("ดัชนีรวม / ระดับ" if th else "Index / level", f"{pct(row['index_pct'], lang)} · {band_text(row['band'], lang)}")
    )
    return html.Dl([x for k, val in items for x in (html.Dt(k), html.Dd(val))], className="sy-dl mb-0", id=id_)
