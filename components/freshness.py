"""Freshness marks: how recent the data behind a tile or chart is, and whether it is overdue for
its frequency. Never colour alone: every mark has an icon and a word (colour-blind readers,
black-and-white printouts), and ``data-freshness`` carries the state for tests and print CSS.

Pure: rows of ``fct_freshness`` (dicts, pandas Series or namedtuples) in, Dash components out.
The rules (docs/RULES.md section 7: what is judged, what is expected by when, how many periods
behind) live in the mart (etl/sql/marts/quality.sql); this module only shows them.

    ข้อมูล ณ ต.ค. ปีงบ 2570 · ✓ เป็นปัจจุบัน      Data as of Oct FY 2570 · ✓ current
    ข้อมูล ณ พ.ศ. 2567 · ◔ ค้างส่ง 1 งวด           Data as of 2567 · ◔ 1 period late
    ข้อมูล ณ พ.ศ. 2564 · ⚠ ล่าช้า 4 งวด            Data as of 2564 · ⚠ 4 periods overdue

A KPI's row says what is judged: the latest month at which it was judged (for the province,
every reporter's report in) and, when a report of its latest expected month is missing, how many
of its reporters are in. A tile of many KPIs (``worst``) says the round it shows, the worst state
and how many reports of the round are late and how many are awaited (after the round, not due):

    ข้อมูลรอบ ต.ค. ปีงบ 2570 · ✓ เป็นปัจจุบัน · ◐ รอรายงาน 164
    Round Oct FY 2570 · ✓ current · ◐ 164 reports awaited

The "due" icon is ◔ rather than a stopwatch: no font the app or a Debian print server ships has
U+23F1, and a missing glyph would print as a box. Late and awaited reports carry the icons of
their lights (◆, ◐: assets/sanyan.css).
"""

from __future__ import annotations

import math
import threading
import weakref
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
FIELDS = (
    "dataset",
    "item_code",
    "frequency",
    "latest_year",
    "latest_month",
    "periods_behind",
    "freshness",
    # a KPI's: the round it is judged against, the "n of m" of its latest expected month, the
    # round's reports late and those awaited after it
    "round_year",
    "round_month",
    "reporters",
    "reported",
    "reports_late",
    "reports_awaited",
    # a yearly official series': its publisher and the next expected release (release_calendar.csv)
    "publisher_th",
    "publisher_en",
    "next_release",
)
#: icons of late and awaited reports: the lights' own (status-late, status-awaiting)
LATE_ICON, AWAITED_ICON = "◆", "◐"


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
    for k in ("n", "n_stale", "summary"):
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


# (a weak reference to the frame, its index), newest last: db.query hands out the same frame per
# snapshot and parameters (fct_freshness, a page's round). Weak: an index lives no longer than its
# frame in db.py's bounded result cache (a new snapshot empties it), not until pushed out of here.
_cache: list[tuple[weakref.ref, dict]] = []
_CACHE_SIZE = 8
_cache_lock = threading.Lock()  # pages render on several threads


def index(frame: pd.DataFrame | None) -> dict[tuple[str, str], dict]:
    """fct_freshness (or queries/freshness/kpis_at) as {(dataset, item_code): row} for look-ups
    by page code. Built once per frame (db.query answers every request of a snapshot with the
    same cached frame; a few frames are kept: a page reads the whole table and its round's
    KPIs); callers must not modify it."""
    if frame is None or frame.empty:
        return {}
    with _cache_lock:
        _cache[:] = [(f, idx) for f, idx in _cache if f() is not None]  # the indexes of frames gone
        for i, (f, idx) in enumerate(_cache):
            if f() is frame:
                _cache.append(_cache.pop(i))
                return idx
    # made plain column by column (as_dict row by row took 4 ms of a cold page on the demo data)
    plain = frame[[c for c in FIELDS if c in frame.columns]].astype(object)
    plain = plain.where(plain.notna(), None)
    empty = dict.fromkeys(FIELDS)
    idx = {(str(r["dataset"]), str(r["item_code"])): _Row({**empty, **r}) for r in plain.to_dict("records")}
    with _cache_lock:
        _cache.append((weakref.ref(frame), idx))
        del _cache[:-_CACHE_SIZE]
    return idx


def load(query: Callable[..., pd.DataFrame]) -> dict[tuple[str, str], dict]:
    """The index from ``db.query`` (passed in: this module does no I/O). A snapshot built before
    fct_freshness existed gives an empty index, so marks say "no data" instead of failing."""
    try:
        return index(query("freshness/all"))
    except duckdb.CatalogException:
        return {}


def load_at(query: Callable[..., pd.DataFrame], fy: Any, idx: Any, area: str) -> dict[tuple[str, str], dict]:
    """The KPIs' freshness judged against the round a page shows (fiscal year `fy`, fiscal month
    index `idx`, the point of components.cockpit.resolve_point) at `area`: an index of the same
    shape as ``load``'s, dataset 'kpi' only (queries/freshness/kpis_at.sql). Empty without a
    round, or on a snapshot built before the query's mart existed."""
    if fy is None or idx is None:
        return {}
    try:
        return index(query("freshness/kpis_at", fy=int(fy), idx=int(idx), area=str(area)))
    except (duckdb.CatalogException, duckdb.BinderException):
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


def _sum(rs: list[Mapping], key: str) -> int | None:
    got = [int(r[key]) for r in rs if r.get(key) is not None]
    return sum(got) if got else None


def worst(rows: Iterable[Any]) -> dict | None:
    """One row summarising several series (a tile showing many KPIs): the worst state and the
    most periods behind. KPI rows judged against one round (all of them, as the mart and
    queries/freshness/kpis_at give them) are summarised by that round, with the round's reports
    late and awaited summed; other series by the oldest latest period (the point by which all of
    them are in). ``n`` = series summarised, ``n_stale`` = how many are due or overdue. None rows
    are ignored; None when nothing is left."""
    rs = [r for r in (as_dict(x) for x in rows) if r is not None and r.get("freshness") in STATES]
    if not rs:
        return None
    bad = max(rs, key=lambda r: STATES[r["freshness"]][3])
    rounds = {(r.get("round_year"), r.get("round_month")) for r in rs}
    one_round = rounds.pop() if len(rounds) == 1 else (None, None)
    dated = [r for r in rs if r.get("latest_year") is not None]
    oldest = min(dated, key=_period_key) if dated else None
    freqs = {r.get("frequency") for r in rs}
    behind = [int(r["periods_behind"]) for r in rs if r.get("periods_behind") is not None]
    out = _Row.fromkeys(FIELDS)
    out.update(
        {
            "dataset": rs[0].get("dataset") if len({r.get("dataset") for r in rs}) == 1 else "mixed",
            "frequency": freqs.pop() if len(freqs) == 1 else "mixed",
            "latest_year": oldest["latest_year"] if oldest else None,
            "latest_month": oldest["latest_month"] if oldest else None,
            "periods_behind": max(behind) if behind else None,
            "freshness": bad["freshness"],
            "round_year": one_round[0],
            "round_month": one_round[1],
            "reports_late": _sum(rs, "reports_late") if one_round[0] is not None else None,
            "reports_awaited": _sum(rs, "reports_awaited") if one_round[0] is not None else None,
            "n": len(rs),
            "n_stale": sum(1 for r in rs if r["freshness"] in ("due", "overdue")),
            "summary": True,
        }
    )
    return out


def _month_label(year: int, month: int, lang: str) -> str:
    m = thai.month_name(int(month), lang, abbr=True)
    return f"{m} FY {int(year)}" if lang == "en" else f"{m} ปีงบ {int(year)}"


def period_label(row: Any, lang: str) -> str | None:
    """'ต.ค. ปีงบ 2570' / 'Oct FY 2570' for a monthly/quarterly KPI (fiscal year), 'พ.ศ. 2567' /
    '2567' for a yearly series; None when the series has no data yet."""
    r = as_dict(row)
    if r is None or r.get("latest_year") is None:
        return None
    year = int(r["latest_year"])
    month = r.get("latest_month")
    if month is not None:
        return _month_label(year, month, lang)
    return str(year) if lang == "en" else f"พ.ศ. {year}"


def round_label(row: Any, lang: str) -> str | None:
    """The round a summary of KPIs is judged against, 'ต.ค. ปีงบ 2570' / 'Oct FY 2570'; None for
    a single series or series of no round."""
    r = as_dict(row)
    if r is None or not r.get("summary") or r.get("round_year") is None or r.get("round_month") is None:
        return None
    return _month_label(r["round_year"], r["round_month"], lang)


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
    """' (2 จาก 45 รายการ)' / ' (ทั้ง 45 รายการ)' when a summary has stale series; for one KPI
    behind, how many of its reporters (districts) are in at its latest expected month:
    ' (ส่งแล้ว 7 จาก 8 อำเภอ)' / ' (7 of 8 districts in)'."""
    n, k = r.get("n"), r.get("n_stale")
    if n is None:
        who, got = r.get("reporters"), r.get("reported")
        if state(r) in ("due", "overdue") and who and int(who) > 1 and got is not None and int(got) < int(who):
            if lang == "en":
                return f" ({int(got)} of {int(who)} districts in)"
            return f" (ส่งแล้ว {int(got)} จาก {int(who)} อำเภอ)"
        return ""
    if n <= 1 or not k:
        return ""
    if k == n:
        return f" (all {n} series)" if lang == "en" else f" (ทั้ง {n} รายการ)"
    return f" ({k} of {n} series)" if lang == "en" else f" ({k} จาก {n} รายการ)"


def _reports(r: Mapping, lang: str) -> list[tuple[str, str, str]]:
    """The round's reports said in words: [(kind, icon, words)] for late ones and awaited ones,
    only those there are (a KPI row or a summary of a round)."""
    out = []
    for kind, icon, count, en, th in (
        ("late", LATE_ICON, r.get("reports_late"), "late", "รายงานล่าช้า"),
        ("awaited", AWAITED_ICON, r.get("reports_awaited"), "awaited", "รอรายงาน"),
    ):
        if count:
            n = thai.format_number(int(count), 0, lang)
            words = f"{n} report{'s' if int(count) != 1 else ''} {en}" if lang == "en" else f"{th} {n}"
            out.append((kind, icon, words))
    return out


def _next(r: Mapping, lang: str) -> str:
    """' · next NESDC release expected by 31 Mar 2027' for a yearly official series."""
    when = r.get("next_release")
    if when is None:
        return ""
    who = r.get("publisher_en") if lang == "en" else r.get("publisher_th")
    shown = thai.format_date_th(pd.Timestamp(when).date(), lang=lang, abbr=True)
    if lang == "en":
        return f" · next {who or 'publisher'} release expected by {shown}"
    return f" · {who or 'ผู้เผยแพร่'} เผยแพร่ฉบับถัดไปภายใน {shown}"


def _asof(r: Mapping, lang: str, small: bool) -> str:
    rnd = round_label(r, lang)
    if rnd:
        if lang == "en":
            return f"{'round' if small else 'Round'} {rnd}"
        return f"{'รอบ' if small else 'ข้อมูลรอบ'} {rnd}"
    label = period_label(r, lang)
    if not label:
        return "no data yet" if lang == "en" else "ยังไม่มีข้อมูล"
    prefix = ("as of" if small else "Data as of") if lang == "en" else ("ณ" if small else "ข้อมูล ณ")
    return f"{prefix} {label}"


def text(row: Any, lang: str, as_of_label_only: bool = False, small: bool = False) -> str:
    """The mark as one line of text (its title; hover texts), with what the mark leaves out (the
    next expected release of a yearly series)."""
    r = as_dict(row)
    s = state(r)
    if r is None:
        return f"{STATES['none'][0]} {STATES['none'][2] if lang == 'en' else STATES['none'][1]}"
    asof = _asof(r, lang, small)
    if as_of_label_only and s == "current":
        return f"{STATES['current'][0]} {asof}"
    reports = "".join(f" · {icon} {words}" for _k, icon, words in _reports(r, lang))
    return f"{asof} · {STATES[s][0]} {state_word(r, lang)}{_of(r, lang)}{reports}{_next(r, lang)}"


def freshness_mark(
    row: Any,
    lang: str,
    id: str | None = None,
    as_of_label_only: bool = False,
    small: bool = False,
    what: str | None = None,
) -> html.Span:
    """The mark of one series (or of a ``worst()`` summary): as-of period (a summary of KPIs: the
    round), icon and word, and the round's reports late and awaited when there are any.

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
            for kind, icon, words in _reports(r, lang):
                kids += [
                    html.Span("·", className="sy-fresh-sep", **{"aria-hidden": "true"}),
                    html.Span(
                        [html.Span(icon, className="sy-fresh-icon", **{"aria-hidden": "true"}), " " + words],
                        className=f"sy-fresh-reports sy-fresh-{kind}",
                        **{f"data-reports-{kind}": str(int(r[f"reports_{kind}"]))},
                    ),
                ]
    attrs: dict[str, Any] = {"data-freshness": s}
    if label_only or small or (r is not None and r.get("next_release") is not None):
        attrs["title"] = (f"{what}: " if what else "") + full  # the whole line, where the mark shows less
    if id is not None:
        attrs["id"] = id
    return html.Span(kids, className=css, **attrs)


def mark_key(row: Any, lang: str, small: bool = False) -> tuple:
    """Everything of ``row`` that ``freshness_mark(row, lang, small=small)`` shows (without
    ``what`` or ``id``): rows with the same key draw the same mark (a long list writes it once)."""
    r = as_dict(row)
    if r is None:
        return (None,)
    return (state(r), text(r, lang), _asof(r, lang, small), state_word(r, lang), _of(r, lang), tuple(_reports(r, lang)))


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
    "load_at",
    "lookup",
    "rows_for",
    "worst",
    "period_label",
    "round_label",
    "state_word",
    "text",
    "freshness_mark",
    "as_of_mark",
]
