"""Why a KPI is off track, in words, from its own row: one definition for the overview's red list
(pages/home.py) and the meeting's overview slide (pages/slide.py). Pure: a row and the figures it
is judged against in, ``(texts, kinds)`` out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from components import cockpit as ck
from components import thai
from components.status import score_text

WORDS = {
    "th": {
        "red": "คะแนนต่ำกว่าเส้นสีแดง {line}",
        "red_noline": "คะแนนอยู่ในเกณฑ์สีแดง",
        "miss": "คาดว่าสิ้นปีไม่ถึงเป้า: คาดการณ์ {p} จากเป้าหมาย {t} {unit}",
        "late": "รายงานล่าช้า {n} จาก {m} หน่วยที่ต้องรายงาน",
        "warned": "ตัวชี้วัดนำแย่ลง",
    },
    "en": {
        "red": "the score is below the red line {line}",
        "red_noline": "the score is in the red band",
        "miss": "projected to miss the target: {p} of a year target of {t} {unit}",
        "late": "{n} of {m} reporting units are late",
        "warned": "a leading KPI is deteriorating",
    },
}


def rule_value(rules: pd.DataFrame, name: str) -> float | None:
    """One threshold of queries/cockpit/rules.sql (data/seeds/cockpit_rules.csv), None without it."""
    got = rules[rules["rule"] == name]["value"] if not rules.empty else rules
    return ck.v(got.iloc[0]) if len(got) else None


def red_lines(lines: pd.DataFrame, default: float | None) -> Callable[[str], float | None]:
    """The score below which a KPI is red this year, by its code: its criteria's
    (queries/cockpit/red_lines.sql, one query for every KPI of the year), else the rules' default."""
    got = {code: ck.v(line) for code, line in zip(lines["kpi_code"], lines["red_below"])}

    def line(code: str) -> float | None:
        own = got.get(code)
        return own if own is not None else default

    return line


def miss(r: Any, lang: str) -> str | None:
    """Its projected year end short of its target, in words; None when it is not projected to miss."""
    projected, target = ck.field(r, "projected"), ck.field(r, "target_year")
    if not (ck.field(r, "projected_miss") and projected is not None and target is not None):
        return None
    w = WORDS["en" if lang == "en" else "th"]
    p, t = thai.format_number(projected, 2, lang), thai.format_number(target, 2, lang)
    return w["miss"].format(p=p, t=t, unit=ck.unit(r, lang)).rstrip()


def why(r: Any, lang: str, line: float | None, fresh: dict | None) -> tuple[list[str], list[str]]:
    """(what is said, its kinds) of row `r` (queries/cockpit/kpi_status.sql): its score against the
    red line `line`, its projected year end against its target, its late reports (`fresh`: its
    freshness row, components/freshness.py) and a deteriorating leading KPI."""
    w = WORDS["en" if lang == "en" else "th"]
    said, kinds = [], []
    score = ck.field(r, "score")
    if score is not None:
        said.append(w["red"].format(line=score_text(line, lang)) if line is not None else w["red_noline"])
        kinds.append("red")
    short = miss(r, lang)
    if short is not None:
        said.append(short)
        kinds.append("miss")
    late = int(ck.v((fresh or {}).get("reports_late")) or 0)
    if late:
        reporters = int(ck.v((fresh or {}).get("reporters")) or 0)
        said.append(w["late"].format(n=thai.format_number(late, 0, lang), m=thai.format_number(reporters, 0, lang)))
        kinds.append("late")
    if ck.field(r, "leading_warnings"):
        said.append(w["warned"])
        kinds.append("warned")
    return said, kinds
