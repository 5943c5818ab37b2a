"""Freshness marks: how recent the data behind a tile or chart is, and whether it is overdue for
its frequency. Never colour alone: every mark has an icon and a word (colour-blind readers,
black-and-white printouts), and ``data-freshness`` carries the state for tests and print CSS.

Pure: rows of ``fct_freshness`` (dicts, pandas Series or namedtuples) in, Dash components out.
The rules (what is expected by when, how many periods behind) live in the mart
(etl/sql/marts/quality.sql); this module only shows them.

    ข้อมูล ณ ต.ค. ปีงบ 2570 · ✓ เป็นปัจจุบัน      Data as of Oct FY 2570 · ✓ current
    ข้อมูล ณ พ.ศ. 2567 · ◔ ค้างส่ง 1 งวด           Data as of 2567 · ◔ 1 period late
    ข้อมูล ณ พ.ศ. 2564 · ⚠ ล่าช้า 4 งวด            Data as of 2564 · ⚠ 4 periods overdue

The "due" icon is ◔ rather than a stopwatch: no font the app or a Debian print server ships has
U+23F1, and a missing glyph would print as a box.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import duckdb
import pandas as pd
from dash import html

from components import thai

# state -> (icon, Thai word, English word, rank: higher is worse)
STATES: dict[str, tuple[str, str, str, int]] = {
    "current": ("✓", "เป็นปัจจุบัน", "current", 0),
    "due": ("◔", "ค้างส่ง", "late", 1),
    "overdue": ("⚠", "ล่าช้า", "overdue", 2),
    "none": ("○", "ไม่มีข้อมูล", "no data", -1),
}
#: icon of a neutral "as of" (a snapshot date, no frequency to judge against)
ASOF_ICON = "◷"
FIELDS = ("dataset", "item_code", "frequency", "latest_year", "latest_month", "periods_behind", "freshness")


def _val(x: Any) -> Any:
    """None for missing values (None, NaN, NaT, pd.NA); numpy scalars to plain Python."""
    if x is None:
        return None
    try:
        if pd.isna(x):
            return None
    except (TypeError, ValueError):
        return x
    return x.item() if hasattr(x, "item") else x


class _Row(dict):
    """A row already made plain by ``as_dict``: handed back as it is (every mark asks for it
    several times; a list of 545 KPIs made 8,000 copies)."""


def as_dict(row: Any) -> dict | None:
    """A freshness row (dict, Series, namedtuple) as a plain dict of FIELDS; None stays None."""
    if row is None or type(row) is _Row:
        return row
    if isinstance(row, Mapping):
        get = row.get
    elif isinstance(row, pd.Series):

        def get(k, d=None):
            return row[k] if k in row.index else d

    else:

        def get(k, d=None):
            return getattr(row, k, d)

    out = _Row((k, _val(get(k, None))) for k in FIELDS)
    for k in ("n", "n_stale"):
        if get(k, None) is not None:
            out[k] = _val(get(k, None))
    return out


def state(row: Any) -> str:
    """'current', 'due', 'overdue', or 'none' when there is no row."""
    r = as_dict(row)
    if r is None:
        return "none"
    s = r.get("freshness")
    return s if s in STATES else "none"


_last: tuple = (None, {})  # (frame, its index): db.query hands out the same frame per snapshot


def index(frame: pd.DataFrame | None) -> dict[tuple[str, str], dict]:
    """fct_freshness as {(dataset, item_code): row} for look-ups by page code. Built once per
    frame (db.query answers every request of a snapshot with the same cached frame); callers
    must not modify it."""
    global _last
    if frame is None or frame.empty:
        return {}
    last_frame, last_idx = _last
    if last_frame is frame:
        return last_idx
    # made plain column by column (as_dict row by row took 4 ms of a cold page on the demo data)
    plain = frame[[c for c in FIELDS if c in frame.columns]].astype(object)
    plain = plain.where(plain.notna(), None)
    empty = dict.fromkeys(FIELDS)
    idx = {(str(r["dataset"]), str(r["item_code"])): _Row({**empty, **r}) for r in plain.to_dict("records")}
    _last = (frame, idx)
    return idx


def load(query: Callable[[str], pd.DataFrame]) -> dict[tuple[str, str], dict]:
    """The index from ``db.query`` (passed in: this module does no I/O). A snapshot built before
    fct_freshness existed gives an empty index, so marks say "no data" instead of failing."""
    try:
        return index(query("freshness/all"))
    except duckdb.CatalogException:
        return {}


def lookup(idx: Mapping[tuple[str, str], dict], dataset: str, item: Any) -> dict | None:
    return idx.get((dataset, str(item)))


def rows_for(idx: Mapping[tuple[str, str], dict], dataset: str, items: Iterable[Any]) -> list[dict]:
    """The rows of `items` that have one (items the reader may not see must not be passed)."""
    out = []
    for i in items:
        r = idx.get((dataset, str(i)))
        if r is not None:
            out.append(r)
    return out


def _period_key(r: Mapping) -> tuple[int, int]:
    """Order of the latest period: a fiscal year and its month (Oct first), or a year."""
    m = r.get("latest_month")
    return int(r["latest_year"]), (thai.fiscal_month_index(int(m)) if m is not None else 12)


def worst(rows: Iterable[Any]) -> dict | None:
    """One row summarising several series (a tile showing many KPIs): the worst state, the most
    periods behind, and the oldest latest period (the point by which all of them are in).
    ``n`` = series summarised, ``n_stale`` = how many are due or overdue. None rows are
    ignored; None when nothing is left."""
    rs = [r for r in (as_dict(x) for x in rows) if r is not None and r.get("freshness") in STATES]
    if not rs:
        return None
    bad = max(rs, key=lambda r: STATES[r["freshness"]][3])
    dated = [r for r in rs if r.get("latest_year") is not None]
    oldest = min(dated, key=_period_key) if dated else None
    freqs = {r.get("frequency") for r in rs}
    behind = [int(r["periods_behind"]) for r in rs if r.get("periods_behind") is not None]
    return {
        "dataset": rs[0].get("dataset") if len({r.get("dataset") for r in rs}) == 1 else "mixed",
        "item_code": None,
        "frequency": freqs.pop() if len(freqs) == 1 else "mixed",
        "latest_year": oldest["latest_year"] if oldest else None,
        "latest_month": oldest["latest_month"] if oldest else None,
        "periods_behind": max(behind) if behind else None,
        "freshness": bad["freshness"],
        "n": len(rs),
        "n_stale": sum(1 for r in rs if r["freshness"] in ("due", "overdue")),
    }


def period_label(row: Any, lang: str) -> str | None:
    """'ต.ค. ปีงบ 2570' / 'Oct FY 2570' for a monthly/quarterly KPI (fiscal year), 'พ.ศ. 2567' /
    '2567' for a yearly series; None when the series has no data yet."""
    r = as_dict(row)
    if r is None or r.get("latest_year") is None:
        return None
    year = int(r["latest_year"])
    month = r.get("latest_month")
    if month is not None:
        m = thai.month_name(int(month), lang, abbr=True)
        return f"{m} FY {year}" if lang == "en" else f"{m} ปีงบ {year}"
    return str(year) if lang == "en" else f"พ.ศ. {year}"


def state_word(row: Any, lang: str) -> str:
    """'เป็นปัจจุบัน', 'ค้างส่ง 1 งวด', 'ล่าช้า 3 งวด' / 'current', '1 period late', '3 periods overdue'."""
    r = as_dict(row)
    s = state(r)
    _icon, th, en, _rank = STATES[s]
    n = r.get("periods_behind") if r else None
    if s in ("due", "overdue") and n is not None and r.get("latest_year") is not None:
        n = int(n)
        if lang == "en":
            return f"{n} period{'s' if n != 1 else ''} {en}"
        return f"{th} {thai.format_number(n, 0, lang)} งวด"
    return en if lang == "en" else th


def _of(r: Mapping, lang: str) -> str:
    """' (2 จาก 45 รายการ)' / ' (ทั้ง 45 รายการ)' when a summary has stale series."""
    n, k = r.get("n"), r.get("n_stale")
    if not n or n <= 1 or not k:
        return ""
    if k == n:
        return f" (all {n} series)" if lang == "en" else f" (ทั้ง {n} รายการ)"
    return f" ({k} of {n} series)" if lang == "en" else f" ({k} จาก {n} รายการ)"


def _asof(r: Mapping, lang: str, small: bool) -> str:
    label = period_label(r, lang)
    if not label:
        return "no data yet" if lang == "en" else "ยังไม่มีข้อมูล"
    prefix = ("as of" if small else "Data as of") if lang == "en" else ("ณ" if small else "ข้อมูล ณ")
    return f"{prefix} {label}"


def text(row: Any, lang: str, as_of_label_only: bool = False, small: bool = False) -> str:
    """The mark as one line of text (its title; hover texts)."""
    r = as_dict(row)
    s = state(r)
    if r is None:
        return f"{STATES['none'][0]} {STATES['none'][2] if lang == 'en' else STATES['none'][1]}"
    asof = _asof(r, lang, small)
    if as_of_label_only and s == "current":
        return f"{STATES['current'][0]} {asof}"
    return f"{asof} · {STATES[s][0]} {state_word(r, lang)}{_of(r, lang)}"


def freshness_mark(
    row: Any,
    lang: str,
    id: str | None = None,
    as_of_label_only: bool = False,
    small: bool = False,
    what: str | None = None,
) -> html.Span:
    """The mark of one series (or of a ``worst()`` summary): as-of period, icon and word.

    * ``row=None``: the "no data" mark.
    * ``as_of_label_only``: for long lists; a current series shows only its as-of period
      (neutral, no colour, so nothing is said by colour alone); a due or overdue one still
      shows its state: staleness is never hidden.
    * ``small``: a compact chip for list items ("ณ ..." instead of "ข้อมูล ณ ...").
    * ``what``: which series, when a block shows several ("ประชากร สศช.: ...").
    """
    r = as_dict(row)
    s = state(r)
    label_only = as_of_label_only and s == "current"
    css = f"sy-fresh sy-fresh-{s}" + (" sy-fresh-label" if label_only else "") + (" sy-fresh-sm" if small else "")
    full = text(r, lang)
    kids: list = []
    if what:
        kids.append(html.Span(f"{what}:", className="sy-fresh-what"))
    if r is None:
        icon, th, en, _ = STATES["none"]
        kids += [
            html.Span(icon, className="sy-fresh-icon", **{"aria-hidden": "true"}),
            html.Span(en if lang == "en" else th, className="sy-fresh-word"),
        ]
    else:
        asof = _asof(r, lang, small)
        if label_only:
            kids += [
                html.Span(STATES["current"][0], className="sy-fresh-icon", **{"aria-hidden": "true"}),
                html.Span(asof, className="sy-fresh-asof"),
            ]
        else:
            kids += [
                html.Span(asof, className="sy-fresh-asof"),
                html.Span("·", className="sy-fresh-sep", **{"aria-hidden": "true"}),
                html.Span(
                    [
                        html.Span(STATES[s][0], className="sy-fresh-icon", **{"aria-hidden": "true"}),
                        " " + state_word(r, lang) + _of(r, lang),
                    ],
                    className="sy-fresh-word",
                ),
            ]
    attrs: dict[str, Any] = {"data-freshness": s}
    if label_only or small:  # the whole line, where the visible mark is shortened
        attrs["title"] = (f"{what}: " if what else "") + full
    if id is not None:
        attrs["id"] = id
    return html.Span(kids, className=css, **attrs)


def mark_key(row: Any, lang: str, small: bool = False) -> tuple:
    """Everything of ``row`` that ``freshness_mark(row, lang, small=small)`` shows (without
    ``what`` or ``id``): rows with the same key draw the same mark (a long list writes it once)."""
    r = as_dict(row)
    if r is None:
        return (None,)
    return (state(r), text(r, lang), _asof(r, lang, small), state_word(r, lang), _of(r, lang))


def as_of_mark(when: Any, lang: str, id: str | None = None, what: str | None = None, small: bool = False) -> html.Span:
    """A neutral "as of" for data with no frequency to judge against (the snapshot date of
    project plans, disaster records): ◷ and the words, no colour, ``data-freshness="as_of"``."""
    if isinstance(when, float) and math.isnan(when):
        when = None
    shown = thai.format_date_th(when, lang=lang, abbr=True) if when is not None else "–"
    words = f"{'Data as of' if lang == 'en' else 'ข้อมูล ณ'} {shown}"
    kids: list = []
    if what:
        kids.append(html.Span(f"{what}:", className="sy-fresh-what"))
    kids += [
        html.Span(ASOF_ICON, className="sy-fresh-icon", **{"aria-hidden": "true"}),
        html.Span(words, className="sy-fresh-asof"),
    ]
    attrs: dict[str, Any] = {"data-freshness": "as_of"}
    if id is not None:
        attrs["id"] = id
    return html.Span(kids, className="sy-fresh sy-fresh-asofdate" + (" sy-fresh-sm" if small else ""), **attrs)


__all__ = [
    "STATES",
    "as_dict",
    "state",
    "index",
    "load",
    "lookup",
    "rows_for",
    "worst",
    "period_label",
    "state_word",
    "text",
    "freshness_mark",
    "as_of_mark",
]
