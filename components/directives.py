"""Directives (ops/meeting.py) as the pages show them: pure pieces, records in, components out,
shared by /meeting/directives and a KPI's page. Overdue is judged on the day given (`on`)."""

from __future__ import annotations

from datetime import date

import pandas as pd
from dash import html

from components import icons, thai

# status -> (icon, Thai, English, classes): an icon and a word, never colour alone
STATUS = {
    "open": ("●", "เปิด", "Open", "bg-warning-subtle text-warning-emphasis border-warning"),
    "answered": (icons.icon("pencil"), "ตอบแล้ว", "Answered", "bg-info-subtle text-info-emphasis border-info"),
    "closed": ("✓", "ปิดแล้ว", "Closed", "bg-success-subtle text-success-emphasis border-success"),
}
OVERDUE = {"th": "เกินกำหนด", "en": "Overdue"}


def records(frame: pd.DataFrame, visible: set[str] | None = None) -> list[dict]:
    """ops.meeting.directives as plain dicts (None for missing, whole numbers as int), only those of
    KPIs in `visible`, not closed first, then by due date."""
    out = []
    for r in frame.to_dict("records"):
        r = {k: (None if not isinstance(v, (list, dict)) and pd.isna(v) else v) for k, v in r.items()}
        for k in ("directive_id", "fiscal_year", "month", "agenda_id", "version"):
            if r.get(k) is not None:
                r[k] = int(r[k])
        if visible is None or r["kpi_code"] in visible:
            out.append(r)
    return sorted(out, key=lambda r: (r["status"] == "closed", r["due_date"], r["directive_id"]))


def status_chip(status: str, lang: str, **attrs) -> html.Span:
    icon, th, en, css = STATUS.get(status, ("?", status, status, "border-secondary"))
    return html.Span(
        [html.Span(icon, **{"aria-hidden": "true"}), " ", en if lang == "en" else th],
        className=f"d-inline-block px-2 rounded border fw-bold text-nowrap {css}",
        **{"data-status": status},
        **attrs,
    )


def is_overdue(r: dict, on: date) -> bool:
    return r["status"] != "closed" and r["due_date"] is not None and r["due_date"] < on


def overdue_mark(lang: str) -> html.Span:
    return html.Span(
        [html.Span("⚠", **{"aria-hidden": "true"}), " ", OVERDUE["en" if lang == "en" else "th"]],
        className="d-inline-block px-2 rounded border fw-bold text-nowrap "
        "bg-danger-subtle text-danger-emphasis border-danger",
        **{"data-overdue": "yes"},
    )


def period_text(fy: int, month: int | None, lang: str) -> str:
    year = thai.format_fiscal_year(fy, lang)
    if month is None:
        return year
    return f"{thai.month_name(month, lang)} {year}" if lang != "en" else f"{thai.month_name(month, 'en')}, {year}"


def due_cell(r: dict, lang: str, on: date) -> list:
    out = [html.Span(thai.format_date_th(r["due_date"], lang, abbr=True), className="text-nowrap")]
    if is_overdue(r, on):
        out += [" ", overdue_mark(lang)]
    return out
