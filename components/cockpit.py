"""Pure pieces of the cockpit pages: which point in time a view shows, links that keep the view,
the KPI hierarchy, lists and charts. Data in (DataFrames / dicts), Dash components out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pandas as pd
from dash import dcc, html
from markupsafe import Markup, escape

from components import thai
from components.charts import AXIS, LEGEND, fig_base  # noqa: F401 (re-exported: the one chart base)
from components.freshness import freshness_mark, lookup, mark_key
from components.layout import sample_suffix
from components.rawhtml import Fragments, block
from components.status import ORDER as STATUS_ORDER
from components.status import SHOWN, score_text, sort_key, status_badge, status_key, status_word

ROUNDS = {"6": 6, "9": 9, "12": 12}  # reporting rounds: months of the fiscal year


def v(x: Any) -> Any:
    """None for missing values (None, NaN, NaT, pd.NA)."""
    try:
        return None if pd.isna(x) else x
    except (TypeError, ValueError):
        return x


@dataclass(frozen=True)
class Point:
    """The moment a view shows: fiscal year, fiscal month index (Oct = 1), and what was asked."""

    fy: int | None
    idx: int | None
    round: str  # "latest" or "6" / "9" / "12"
    years: tuple[int, ...]
    missing: int | None = None  # a fiscal year asked for that has no data (another is shown)

    @property
    def month(self) -> int | None:
        return None if self.idx is None else (self.idx + 9 if self.idx <= 3 else self.idx - 3)


def resolve_point(years: pd.DataFrame, fy: Any = None, round_: Any = None) -> Point:
    """Pick the fiscal year (asked, else the newest with a report) and the month: a reporting
    round (6/9/12 months, capped at what has ended) or the latest month with a report."""
    avail = {int(r.fiscal_year): (v(r.latest_idx), v(r.last_idx)) for r in years.itertuples()}
    ordered = tuple(sorted(avail, reverse=True))
    if not ordered:
        return Point(None, None, "latest", ())
    try:
        want = int(thai.to_arabic_digits(str(fy))) if fy not in (None, "") else None
    except ValueError:
        want = None
    missing = want if want is not None and want not in avail else None
    if want not in avail:
        want = next((y for y in ordered if avail[y][0] is not None), ordered[0])
    latest, last = avail[want]
    rnd = str(round_) if str(round_) in ROUNDS else "latest"
    if rnd == "latest":
        idx = int(latest or last)
    else:
        idx = min(ROUNDS[rnd], int(last))
    return Point(want, idx, rnd, ordered, missing)


def missing_year_note(point: Point, lang: str, id_: str):
    """'No data for FY x; showing FY y' when the URL asked for a year the snapshot does not have."""
    if point.missing is None:
        return None
    from dash_bootstrap_components import Alert

    text = (
        f"ไม่มีข้อมูลของปีงบประมาณ {point.missing} — แสดงปีงบประมาณ {point.fy} แทน"
        if lang == "th"
        else f"No data for FY {point.missing}; showing FY {point.fy} instead"
    )
    return Alert(text, color="info", id=id_)


def query_string(**params: Any) -> str:
    clean = {k: v for k, v in params.items() if v not in (None, "", "latest", "all")}
    return ("?" + urlencode(clean)) if clean else ""


def kpi_href(code: str, point: Point) -> str:
    return f"/kpi/{code}" + query_string(fy=point.fy, round=point.round)


def point_label(point: Point, lang: str) -> str:
    if point.fy is None:
        return ""
    month = thai.round_label(point.fy, point.month, lang)  # the round's calendar month, as /entry names it
    if lang == "en":
        # one era, said once (components/thai.py ERA_RULE): the month's year is B.E. like the FY's
        return f"FY {point.fy}, to the end of {month} {thai.ERA_EN}, {point.idx} of 12 months"
    return f"ปีงบประมาณ {point.fy} ข้อมูลถึงสิ้นเดือน{month} ({point.idx} เดือน)"


def figure(x: Any, count: Any, lang: str) -> str:
    """A KPI's figure as every table shows it: a count (a unit of data/seeds/count_units.csv,
    dim_kpi.is_count) that is whole without decimals (6 แปลง, not 6.00), anything else with two."""
    x = v(x)
    if x is not None and bool(v(count)) and abs(float(x) - round(float(x))) < 1e-9:
        return thai.format_number(round(float(x)), 0, lang)
    return thai.format_number(x, 2, lang)


def name(row: Any, lang: str) -> str:
    th, en = v(getattr(row, "name_th", None)), v(getattr(row, "name_en", None))
    return (en or th or "") if lang == "en" else (th or en or "")


def _field(row: Any, key: str) -> Any:
    """`key` of a row that is a named tuple, a pandas Series or a dict; None when it has none."""
    if isinstance(row, dict):
        got = row.get(key)
    else:
        try:
            got = getattr(row, key)
        except AttributeError:
            got = None
    got = v(got)
    return None if got is None or str(got).strip() == "" else got


def text(row: Any, key: str, lang: str) -> str:
    """A catalogue text as the language shows it: in English the row's English column
    (``definition_th`` -> ``definition_en``, ``owner_unit`` -> ``owner_unit_en``), the Thai text
    where the catalogue has no English; in Thai the Thai column."""
    th = _field(row, key)
    if lang != "en":
        return "" if th is None else str(th)
    en = _field(row, (key[:-3] if key.endswith("_th") else key) + "_en")
    return str(en if en is not None else th if th is not None else "")


def unit(row: Any, lang: str) -> str:
    """A KPI's or an indicator's unit in the page's language: the catalogue's ``unit`` in Thai,
    its English name ``unit_en`` (data/seeds/units.csv, count_units.csv; the build checks every unit
    has one) in English. Every page that shows a KPI or indicator unit asks this."""
    return text(row, "unit", lang)


# ---------------------------------------------------------------- lists
def score_change(score, prev, lang: str) -> html.Span | None:
    """The score's change since the month before: an arrow and a signed number with words (never
    the arrow alone); None when either month has no score."""
    if score is None or prev is None:
        return None
    delta = round(float(score) - float(prev), 4)
    arrow = "▲" if delta > 0 else "▼" if delta < 0 else "="
    sign = "+" if delta > 0 else "−" if delta < 0 else "±"
    words = "จากเดือนก่อน" if lang == "th" else "since last month"
    return html.Span(
        [html.Span(arrow, **{"aria-hidden": "true"}), f" {sign}{score_text(abs(delta), lang)} {words}"],
        className="sy-meta sy-num sy-change",
        **{"data-change": f"{delta:.4f}"},
    )


def kpi_item(row: Any, point: Point, lang: str, extra: list | None = None, id_prefix: str = "") -> html.Li:
    score = v(row.score)
    bits: list = [
        status_badge(v(row.status), lang, small=True),
        dcc.Link(
            f"{row.kpi_code} {name(row, lang)}",
            href=kpi_href(row.kpi_code, point),
            **({"id": f"{id_prefix}-{row.kpi_code}"} if id_prefix else {}),
        ),
        html.Span(("คะแนน " if lang == "th" else "score ") + score_text(score, lang), className="sy-meta sy-num")
        if score is not None
        else None,
        score_change(score, v(getattr(row, "prev_score", None)), lang),
    ]
    return html.Li([b for b in bits if b is not None] + (extra or []), **{"data-kpi": row.kpi_code})


def status_counts(df: pd.DataFrame) -> dict[str, int]:
    counts = df["status"].fillna("no_data").value_counts().to_dict()
    return {k: int(counts.get(k, 0)) for k in STATUS_ORDER}


# ---------------------------------------------------------------- the hierarchy
def build_tree(
    nodes: pd.DataFrame,
    links: pd.DataFrame,
    kpis: pd.DataFrame,
    point: Point,
    lang: str,
    visible_kpis: set[str],
    fresh: dict | None = None,
):
    """strategic issue -> plan -> project -> KPI -> sub-KPI, a light on every node. KPIs outside
    `visible_kpis` (filtered out) are hidden; nodes stay, so the structure is always visible.
    `fresh` (components.freshness.index) puts each KPI's freshness mark on its row.

    Drawn as one piece of escaped HTML (components.rawhtml): the national hierarchy is 545 KPIs,
    5,000 Dash components when built one by one (250 ms of a worker, most of the page's LCP). The
    lights and freshness marks are the same components as everywhere, written out once per kind."""
    kpi_rows = {r.kpi_code: r for r in kpis.itertuples()}
    children: dict[str | None, list] = {}
    for r in nodes.itertuples():
        children.setdefault(v(r.parent_code), []).append(r)
    node_kpis: dict[str, list[str]] = {}
    for r in links.itertuples():
        if r.kpi_code in kpi_rows and v(kpi_rows[r.kpi_code].parent_kpi_code) is None:
            node_kpis.setdefault(r.node_code, []).append(r.kpi_code)
    subs: dict[str, list[str]] = {}
    for r in kpis.itertuples():
        if v(r.parent_kpi_code):
            subs.setdefault(r.parent_kpi_code, []).append(r.kpi_code)

    # Written with f-strings: every value from data goes through markupsafe's escape (e), the
    # fixed pieces are written out once (made); Markup.format per row was 3× slower.
    e = escape
    made = Fragments()

    def badge(status) -> str:
        return made(("status", status), lambda: status_badge(status, lang, small=True))

    def kind(word: str) -> str:
        return made(("kind", word), lambda: html.Span(word, className="sy-kind"))

    def score(x) -> str:
        return f'<span class="sy-meta sy-num">{e(score_text(x, lang))}</span>' if x is not None else ""

    miss = f'<span class="sy-meta">{e("▼ " + ("คาดว่าจะไม่ถึงเป้า" if lang == "th" else "projected to miss"))}</span>'

    def fresh_mark(code: str) -> str:
        if fresh is None:
            return ""
        row = lookup(fresh, "kpi", code)
        return made(
            ("fresh", *mark_key(row, lang, small=True)),
            lambda: freshness_mark(row, lang, as_of_label_only=True, small=True),
        )

    kpi_word = "ตัวชี้วัด" if lang == "th" else "KPI"

    def kpi_li(code: str) -> str | None:
        r = kpi_rows[code]
        kids = [k for k in (kpi_li(c) for c in sorted(subs.get(code, [])) if c in visible_kpis) if k is not None]
        if code not in visible_kpis and not kids:
            return None
        status = v(r.status)
        sub = f"<ul>{''.join(kids)}</ul>" if kids else ""
        return (
            f'<li class="sy-tree-kpi" data-kpi="{e(code)}"><div class="sy-tree-row">{badge(status)}{kind(kpi_word)}'
            f'<a href="{e(kpi_href(code, point))}" data-sy-link="1">{e(code)} {e(name(r, lang))}</a>'
            f"{score(v(r.score))}{miss if bool(v(r.projected_miss)) and status != 'red' else ''}"
            f"{fresh_mark(code)}</div>{sub}</li>"
        )

    kind_word = {
        "issue": ("ประเด็นยุทธศาสตร์", "Strategic issue"),
        "plan": ("แผนงาน", "Plan"),
        "project": ("โครงการ", "Project"),
    }

    def node_li(r: Any) -> str:
        words = kind_word.get(r.node_type, (r.node_type, r.node_type))
        kids = [node_li(c) for c in sorted(children.get(r.node_code, []), key=lambda c: c.node_code)]
        kids += [k for k in (kpi_li(c) for c in sorted(node_kpis.get(r.node_code, []))) if k is not None]
        sub = f"<ul>{''.join(kids)}</ul>" if kids else ""
        return (
            f'<li class="sy-tree-{e(r.node_type)}" data-node="{e(r.node_code)}"><div class="sy-tree-row">'
            f"{badge(v(r.status))}{kind(words[1] if lang == 'en' else words[0])}"
            f"<span>{e(r.node_code)} {e(name(r, lang))}</span>{score(v(r.score))}</div>{sub}</li>"
        )

    roots = sorted(children.get(None, []), key=lambda c: c.node_code)
    tree = Markup(f'<ul class="sy-tree" id="kpi-tree">{"".join(node_li(r) for r in roots)}</ul>')
    return block(tree, id="kpi-tree-box", className="sy-tree-box")


# ---------------------------------------------------------------- charts
BAND_COLOURS = ["rgba(192,57,43,.10)", "rgba(230,126,34,.10)", "rgba(241,196,15,.12)", "rgba(39,174,96,.12)"]
# AXIS, LEGEND and fig_base: the app's one chart base, components/charts.py (imported above)


# the symbol each light has on the page (assets/sanyan.css), for text inside a chart: a status is
# never a colour alone
CHART_SYMBOL = {
    "green": "●",
    "yellow": "▲",
    "red": "■",
    "late": "◆",
    "awaiting": "◐",
    "not_due": "○",
    "no_criteria": "◇",
    "no_data": "–",
}
UNSCORED = ("late", "awaiting", "not_due")  # docs/RULES.md section 1: no score, no projection


def chart_status(status: Any, lang: str, score: Any = None) -> str:
    """A light as a chart says it: symbol, word and the score when there is one."""
    key = status_key(v(status))
    text = f"{CHART_SYMBOL.get(key, '–')} {status_word(key, lang)}"
    return text + (f" {score_text(v(score), lang)}" if v(score) is not None else "")


def districts_in(status: Any, reporters: Any, reported: Any, lang: str) -> str:
    """'รายงานแล้ว n จาก m อำเภอ' of a point without a score (late, awaiting) made of several
    reporters (docs/RULES.md section 2), else ''."""
    status, reporters = v(status), v(reporters)
    if status not in ("late", "awaiting") or not reporters or int(reporters) <= 1:
        return ""
    n = thai.format_number(v(reported) or 0, 0, lang)
    m = thai.format_number(reporters, 0, lang)
    return f"รายงานแล้ว {n} จาก {m} อำเภอ" if lang == "th" else f"{n} of {m} districts reported"


def _districts_in(row: Any, lang: str) -> str:
    return districts_in(
        getattr(row, "status", None), getattr(row, "reporters", None), getattr(row, "reported", None), lang
    )


def _state_note(x: Any, text: str) -> dict:
    """A point's state written upright in its own column of a chart (no value is drawn there); a
    second line (after <br>) stands beside the first."""
    return {
        "x": x,
        "xref": "x",
        "yref": "paper",
        "y": 0.02,
        "yanchor": "bottom",
        "textangle": -90,
        "showarrow": False,
        "font": {"size": 11},
        "bgcolor": "rgba(255,255,255,.85)",
        "text": text,
    }


def _num(x: Any) -> float | None:
    return None if v(x) is None else float(x)


def _error_y(proj: float, lo: Any, hi: Any) -> dict:
    """The projection's range as an error bar (centred by the marts: low <= P <= high)."""
    lo_, hi_ = _num(lo), _num(hi)
    return {
        "type": "data",
        "symmetric": False,
        "array": [max(0.0, (hi_ if hi_ is not None else proj) - proj)],
        "arrayminus": [max(0.0, proj - (lo_ if lo_ is not None else proj))],
        "thickness": 2,
        "width": 8,
    }


def _band_shapes(r: Any) -> list[dict]:
    """The year's five levels as bands behind it. A within-a-range KPI's criteria are distances
    outside its range, so its bands sit on both sides of the range (level 5 is the range itself)."""
    cs = [_num(getattr(r, f"c{i}", None)) for i in range(1, 6)]
    if None in cs:
        return []
    spans: list[tuple[float, float, int]] = []
    lo_r, hi_r = _num(getattr(r, "range_low", None)), _num(getattr(r, "range_high", None))
    if v(getattr(r, "direction", None)) == "range" and lo_r is not None and hi_r is not None:
        for i in range(4):
            spans.append((lo_r - cs[i], lo_r - cs[i + 1], i))
            spans.append((hi_r + cs[i + 1], hi_r + cs[i], i))
        spans.append((lo_r - cs[4], hi_r + cs[4], 3))
    else:
        spans = [(cs[i], cs[i + 1], i) for i in range(4)]
    fy = int(r.fiscal_year)
    return [
        {
            "type": "rect",
            "x0": fy - 0.45,
            "x1": fy + 0.45,
            "y0": min(a, b),
            "y1": max(a, b),
            "fillcolor": BAND_COLOURS[i],
            "line": {"width": 0},
            "layer": "below",
        }
        for a, b, i in spans
    ]


def years_figure(years: pd.DataFrame, lang: str, unit: str, sample: bool) -> dict:
    """Every fiscal year at its round (queries/cockpit/kpi_years.sql) against its target and five
    levels (bands behind each year). A finished year (its September) is drawn as the year's value;
    an incomplete one (the current year at the province's round) never as a finished year: its
    value to date and its projected year end with the range (the very number the KPI page's tile
    shows), side by side. A year whose point has no score (late, awaiting, not due) says so in
    words; no value is drawn for it."""
    th = lang == "th"
    title = "ผลรายปีเทียบเกณฑ์ 5 ระดับ" if th else "Each fiscal year against the five levels"
    if sample:
        title += sample_suffix("sample", lang)
    fig = fig_base(title)
    rows = list(years.sort_values("fiscal_year").itertuples())
    shapes = [s for r in rows for s in _band_shapes(r)]

    def complete(r: Any) -> bool:
        done = v(getattr(r, "complete", None))
        return bool(done) if done is not None else int(r.fiscal_idx) == 12

    def scored(r: Any) -> bool:
        return v(r.status) not in UNSCORED and v(r.value_to_date) is not None

    def when(r: Any) -> str:
        return thai.round_label(int(r.fiscal_year), int(r.month), lang, abbr=True)

    done = [r for r in rows if complete(r)]
    going = [r for r in rows if not complete(r)]
    data: list[dict] = [
        {
            "type": "scatter",
            "uid": "finished",
            "x": [int(r.fiscal_year) for r in done],
            "y": [_num(r.value_to_date) if scored(r) else None for r in done],
            "text": [chart_status(r.status, lang, r.score) for r in done],
            "hovertemplate": "%{y:,.2f} · %{text}",
            "mode": "lines+markers",
            "name": "ผลทั้งปี (ปีที่จบแล้ว)" if th else "year result (finished years)",
            "marker": {"size": 9},
        }
    ]
    if going:
        data.append(
            {
                "type": "scatter",
                "uid": "to_date",
                "x": [int(r.fiscal_year) for r in going],
                "y": [_num(r.value_to_date) if scored(r) else None for r in going],
                "text": [f"{when(r)} · {chart_status(r.status, lang, r.score)}" for r in going],
                "hovertemplate": "%{y:,.2f} · %{text}",
                "mode": "markers",
                "name": "ผลถึงปัจจุบัน (ปียังไม่จบ)" if th else "to date (year not finished)",
                "marker": {"size": 10, "symbol": "circle-open", "line": {"width": 2}},
            }
        )
        for r in going:
            proj = _num(getattr(r, "projected", None))
            if proj is None or not scored(r):
                continue
            data.append(
                {
                    "type": "scatter",
                    "uid": "projected",
                    "x": [int(r.fiscal_year)],
                    "y": [proj],
                    "text": [
                        (f"คาดการณ์ ณ {when(r)} ช่วง " if th else f"projected at {when(r)}, range ")
                        + f"{thai.format_number(getattr(r, 'projected_low', None), 2, lang)}–"
                        f"{thai.format_number(getattr(r, 'projected_high', None), 2, lang)}"
                    ],
                    "hovertemplate": "%{y:,.2f} · %{text}",
                    "mode": "markers",
                    "name": "คาดการณ์สิ้นปี (ช่วง)" if th else "projected year end (range)",
                    "marker": {"size": 12, "symbol": "diamond"},
                    "error_y": _error_y(proj, getattr(r, "projected_low", None), getattr(r, "projected_high", None)),
                }
            )
    x = [int(r.fiscal_year) for r in rows]
    data.append(
        {
            "type": "scatter",
            "uid": "target",
            "x": x,
            "y": [_num(r.target_year) for r in rows],
            "mode": "markers",
            "name": "ค่าเป้าหมาย" if th else "target",
            "marker": {"size": 14, "symbol": "line-ew-open", "line": {"width": 3}},
        }
    )
    fig["data"] = data
    fig["layout"]["shapes"] = shapes
    fig["layout"]["annotations"] = [
        _state_note(
            int(r.fiscal_year), "<br>".join(t for t in (chart_status(r.status, lang), _districts_in(r, lang)) if t)
        )
        for r in rows
        if not scored(r)
    ]
    # the legend under the axis title, not over it
    fig["layout"].update({"height": 450})
    fig["layout"]["margin"] = {**fig["layout"]["margin"], "b": 110}
    fig["layout"]["xaxis"].update(
        {
            "title": {"text": "ปีงบประมาณ (พ.ศ.)" if th else "fiscal year (B.E.)"},
            "dtick": 1 if len(x) <= 12 else 2,
            "tickformat": "d",
        }
    )
    fig["layout"]["yaxis"]["title"] = {"text": unit}
    return fig


def months_figure(months: pd.DataFrame, lang: str, unit: str, fy: int, sample: bool, at: int | None = None) -> dict:
    """Fiscal year `fy` month by month (queries/cockpit/kpi_months.sql) as the view at month `at`
    sees it (default: the year's round): the value to date against expected progress, and at the
    year's end the projection made at `at` with its range (fct_kpi_projection: the very number the
    KPI page's tile shows; in September the year's value). A month with no report where one was
    expected (late, awaiting) gets no value, only its state in words (and "n of m districts"); an
    early report (judged before its due date, not the round) is marked as one. When the view is
    the year's round, the months after it that have ended are shown as they stand (open)."""
    th = lang == "th"
    title = (
        f"ปีงบประมาณ {fy}: สะสมเทียบแผน และคาดการณ์สิ้นปี"
        if th
        else f"FY {fy}: to date against plan, and the projected year end"
    )
    if sample:
        title += sample_suffix("sample", lang)
    fig = fig_base(title)
    rows = months.sort_values("fiscal_idx")
    rnd = v(rows["round_idx"].iloc[0]) if "round_idx" in rows.columns and len(rows) else None
    if at is None:
        at = int(rnd) if rnd is not None else int(rows["fiscal_idx"].max())
    open_after = rnd is None or at >= int(rnd)  # the view is the round: what came after it stands open
    shown = [r for r in rows.itertuples() if int(r.fiscal_idx) <= at or open_after]
    labels = [thai.month_name(int(r.month), lang, abbr=True) for r in shown]

    def is_early(r: Any) -> bool:
        return bool(v(getattr(r, "is_early", None)))

    def hover(r: Any) -> str:
        bits = [thai.round_label(int(fy), int(r.month), lang, abbr=True), chart_status(r.status, lang, r.score)]
        if is_early(r):
            bits.append("รายงานก่อนกำหนด" if th else "early report")
        if _districts_in(r, lang):
            bits.append(_districts_in(r, lang))
        due = v(getattr(r, "due_date", None))
        if v(r.status) == "awaiting" and due is not None:
            bits.append(("กำหนดส่ง " if th else "due ") + thai.format_date_th(due, lang, abbr=True))
        return " · ".join(bits)

    on_line = [int(r.fiscal_idx) <= at and v(r.status) not in ("late", "awaiting") for r in shown]
    data: list[dict] = [
        {
            "type": "scatter",
            "uid": "to_date",
            "x": labels,
            "y": [_num(r.value_to_date) if ok else None for r, ok in zip(shown, on_line, strict=True)],
            "text": [hover(r) for r in shown],
            "hovertemplate": "%{y:,.2f} · %{text}",
            "mode": "lines+markers",
            "name": "ผลสะสม/ถึงปัจจุบัน" if th else "to date",
            "marker": {"size": 8},
        }
    ]
    if months["expected_to_date"].notna().any():
        data.append(
            {
                "type": "scatter",
                "uid": "expected",
                "x": labels,
                "y": [_num(r.expected_to_date) for r in shown],
                "mode": "lines",
                "name": "ตามแผน" if th else "expected",
                "line": {"dash": "dash"},
            }
        )
    early = [r for r in shown if is_early(r) and _num(r.value_to_date) is not None]
    if early:
        data.append(
            {
                "type": "scatter",
                "uid": "early",
                "x": [thai.month_name(int(r.month), lang, abbr=True) for r in early],
                "y": [_num(r.value_to_date) for r in early],
                "text": [hover(r) for r in early],
                "hovertemplate": "%{y:,.2f} · %{text}",
                "mode": "markers",
                "name": "รายงานก่อนกำหนด (ยังไม่ถึงรอบ)" if th else "early report (not the round yet)",
                "marker": {"size": 11, "symbol": "star-open", "line": {"width": 2}},
            }
        )
    annotations: list[dict] = []
    shapes: list[dict] = []
    for r in shown:
        if v(r.status) not in ("late", "awaiting"):
            continue
        i = int(r.fiscal_idx) - 1  # the month's place on the category axis (October = 0)
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": i - 0.45,
                "x1": i + 0.45,
                "y0": 0,
                "y1": 1,
                "fillcolor": "rgba(119,128,139,.08)",
                "line": {"width": 1, "dash": "dot", "color": "#77808b"},
                "layer": "below",
            }
        )
        annotations.append(
            _state_note(
                thai.month_name(int(r.month), lang, abbr=True),
                "<br>".join(t for t in (chart_status(r.status, lang), _districts_in(r, lang)) if t),
            )
        )
    sep = thai.month_name(9, lang, abbr=True)
    here = [r for r in rows.itertuples() if int(r.fiscal_idx) == at]
    if here:
        p = here[0]
        proj = _num(getattr(p, "projected", None))
        made = thai.round_label(int(fy), int(p.month), lang, abbr=True)
        if proj is not None and at == 12:
            data.append(
                {
                    "type": "scatter",
                    "uid": "projected",
                    "x": [sep],
                    "y": [proj],
                    "mode": "markers",
                    "name": "ผลสิ้นปี" if th else "year end",
                    "marker": {"size": 12, "symbol": "diamond"},
                }
            )
        elif proj is not None:
            data.append(
                {
                    "type": "scatter",
                    "uid": "projected",
                    "x": [sep],
                    "y": [proj],
                    "text": [
                        (f"คาดการณ์ ณ {made} ช่วง " if th else f"projected at {made}, range ")
                        + f"{thai.format_number(getattr(p, 'projected_low', None), 2, lang)}–"
                        f"{thai.format_number(getattr(p, 'projected_high', None), 2, lang)}"
                    ],
                    "hovertemplate": "%{y:,.2f} · %{text}",
                    "mode": "markers",
                    "name": (f"คาดการณ์สิ้นปี ณ {made} (ช่วง)" if th else f"projected year end at {made} (range)"),
                    "marker": {"size": 12, "symbol": "diamond"},
                    "error_y": _error_y(proj, getattr(p, "projected_low", None), getattr(p, "projected_high", None)),
                }
            )
        elif v(p.status) in UNSCORED:  # said under the title: no projection, and why
            none = ("ไม่มีคาดการณ์สิ้นปี: " if th else "no projected year end: ") + chart_status(p.status, lang)
            fig["layout"]["title"]["text"] += f"<br><span style='font-size:13px'>{none}</span>"
            fig["layout"]["margin"] = {**fig["layout"]["margin"], "t": 75}
    fig["layout"]["xaxis"].update(
        {"categoryorder": "array", "categoryarray": [thai.month_name(m, lang, abbr=True) for m in thai.FISCAL_MONTHS]}
    )
    if months["target_year"].notna().any():
        target = float(months["target_year"].dropna().iloc[-1])
        shapes.append(
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": target,
                "y1": target,
                "line": {"dash": "dot", "color": "#b7791f", "width": 2},
            }
        )
        annotations.append(  # in the middle: the year-end marker stands at the right, open months at the left
            {
                "xref": "paper",
                "x": 0.5,
                "y": target,
                "xanchor": "center",
                "yanchor": "bottom",
                "showarrow": False,
                "text": "เป้าหมายทั้งปี" if th else "full-year target",
            }
        )
    fig["data"] = data
    fig["layout"]["shapes"] = shapes
    fig["layout"]["annotations"] = annotations
    fig["layout"]["yaxis"]["title"] = {"text": unit}
    return fig


def graph(
    fig: dict,
    id_: str,
    label: str,
    note: Any = None,
    note_id: str | None = None,
    lang: str | None = None,
    query: str | None = None,
) -> html.Figure:
    """A chart with a caption for screen readers (the plot itself has interactive controls), an
    optional visible note under it (its freshness mark), and two buttons that download it as PNG
    and SVG (assets/sanyan-export.js, in the browser, nothing asked of the server). `query` names
    the named query whose rows it draws (``data-query``; tests/test_sample_marks.py checks its mark
    against that query's provenance)."""
    from components.i18n import current_lang

    lang = lang or current_lang()
    height = fig.get("layout", {}).get("height", 380)
    kids = [
        html.Figcaption(label, className="visually-hidden"),
        dcc.Graph(
            figure=fig, id=id_, config={"displaylogo": False, "responsive": True}, style={"height": f"{height}px"}
        ),
    ]
    if note is not None or note_id is not None:
        kids.append(html.Div(note, className="sy-chart-note", **({"id": note_id} if note_id else {})))
    buttons = []
    for fmt in ("png", "svg"):
        name = (
            f"ดาวน์โหลดกราฟ {label} เป็น {fmt.upper()}"
            if lang != "en"
            else f"Download the chart {label} as {fmt.upper()}"
        )
        buttons.append(
            html.Button(
                [html.Span("↓", **{"aria-hidden": "true"}), f" {fmt.upper()}"],
                type="button",
                className="sy-export-btn",
                title=name,
                **{"aria-label": name, "data-sy-export": fmt, "data-sy-graph": id_},
            )
        )
    kids.append(html.Div(buttons, className="sy-export-bar"))
    return html.Figure(kids, className="sy-chart m-0", **({"data-query": query} if query else {}))


def passport(row: Any, lang: str) -> html.Dl:
    th = lang == "th"
    fields = [
        ("definition_th", "คำนิยาม", "Definition"),
        ("formula_th", "สูตรคำนวณ", "Formula"),
        ("unit", "หน่วยนับ", "Unit"),
        ("direction", "ทิศทาง", "Direction"),
        ("frequency", "ความถี่", "Frequency"),
        ("aggregation", "การรวมค่าในปี", "Aggregation"),
        ("data_source", "แหล่งข้อมูล", "Data source"),
        ("verifier", "ผู้สอบทาน", "Verifier"),
        ("data_users", "ผู้ใช้ข้อมูล", "Data users"),
        ("owner_unit", "หน่วยงานเจ้าของ", "Owner unit"),
        ("importance_tier", "ระดับความสำคัญ", "Importance tier"),
        ("indicator_type", "ประเภท", "Leading or lagging"),
        ("classification", "ชั้นความลับ", "Classification"),
    ]
    words = {
        "higher": ("ยิ่งมากยิ่งดี", "higher is better"),
        "lower": ("ยิ่งน้อยยิ่งดี", "lower is better"),
        "range": ("อยู่ในช่วง", "within a range"),
        "monthly": ("รายเดือน", "monthly"),
        "quarterly": ("รายไตรมาส", "quarterly"),
        "semiannual": ("รายครึ่งปี", "half-yearly"),
        "yearly": ("รายปี", "yearly"),
        "sum": ("สะสม", "cumulative sum"),
        "mean": ("เฉลี่ย", "mean"),
        "last": ("ค่าล่าสุด", "latest value"),
        "leading": ("ตัวชี้วัดนำ", "leading"),
        "lagging": ("ตัวชี้วัดตาม", "lagging"),
        "open": ("เปิดเผย", "open"),
        "internal": ("ใช้ภายใน", "internal"),
        "secret": ("ลับ", "secret"),
    }
    items: list = []
    for key, th_label, en_label in fields:
        value = v(getattr(row, key, None))
        if value is None:
            continue
        shown = text(row, key, lang)  # the catalogue's English column in English (unit: unit_en)
        if shown in words:
            shown = words[shown][0 if th else 1]
        if key == "direction" and value == "range":
            shown += (
                f" {thai.format_number(v(row.range_low), 2, lang)}–{thai.format_number(v(row.range_high), 2, lang)}"
            )
        items += [html.Dt(th_label if th else en_label), html.Dd(shown)]
    return html.Dl(items, className="sy-passport", id="kpidetail-passport")


def status_summary(counts: dict[str, int], lang: str) -> html.Div:
    tiles = []
    for key in SHOWN:
        tiles.append(
            html.Div(
                [
                    html.Div(thai.format_number(counts.get(key, 0), 0, lang), className="sy-tile-count"),
                    status_badge(key, lang, small=True),
                ],
                className="sy-tile",
                id=f"home-count-{key}",
                **{"aria-label": f"{status_word(key, lang)}: {counts.get(key, 0)}"},
            )
        )
    return html.Div(tiles, className="sy-tiles", id="home-counts")


__all__ = [
    "Point",
    "resolve_point",
    "kpi_href",
    "build_tree",
    "years_figure",
    "months_figure",
    "graph",
    "passport",
    "status_summary",
    "kpi_item",
    "status_counts",
    "point_label",
    "query_string",
    "text",
    "unit",
    "sort_key",
    "v",
]


# what a point says beside its light (point_notes)
NOTES = {
    "th": {
        "due": "กำหนดส่ง {date}",
        "last_judged": "ตัดสินล่าสุด {when}:",
        "early": "รายงานก่อนกำหนด {when}:",
        "early_here": "รายงานก่อนกำหนด (กำหนดส่ง {date})",
    },
    "en": {
        "due": "due {date}",
        "last_judged": "last judged {when}:",
        "early": "early report, {when}:",
        "early_here": "early report (due {date})",
    },
}


def field(r, name: str):
    """A column of a row, whether a dict (the tile's) or a named tuple (a table's), None if missing."""
    return v(r.get(name) if isinstance(r, dict) else getattr(r, name, None))


def point_notes(r, fy: int, lang: str, unit: str = "") -> list:
    """What a point says beside its light (docs/RULES.md sections 1-3), in words: a point without a
    score made of several districts says "n of m districts"; an awaiting one its due date; a late or
    awaiting one the last month judged (its light and score); an early report says so; and at the
    round, a district's early report of a later month (judged, but not the round) is shown as one.
    Lights here are symbol and word as text (a row keeps one ``data-status``: its own badge)."""
    tx = NOTES[lang]
    status, idx = field(r, "status"), field(r, "fiscal_idx")
    out = []
    n_of_m = districts_in(status, field(r, "reporters"), field(r, "reported"), lang)
    if n_of_m:
        out.append(n_of_m)
    if status == "awaiting" and field(r, "due_date") is not None:
        out.append(tx["due"].format(date=thai.format_date_th(field(r, "due_date"), lang, abbr=True)))
    last = field(r, "last_judged_idx")
    if status in ("late", "awaiting") and last is not None and last != idx:
        when = thai.round_label(fy, field(r, "last_judged_month"), lang, abbr=True)
        out.append(
            f"{tx['last_judged'].format(when=when)} "
            + chart_status(field(r, "last_judged_status"), lang, field(r, "last_judged_score"))
        )
    if bool(field(r, "is_early")) and field(r, "due_date") is not None:
        out.append(tx["early_here"].format(date=thai.format_date_th(field(r, "due_date"), lang, abbr=True)))
    if field(r, "early_month") is not None:
        when = thai.round_label(fy, field(r, "early_month"), lang, abbr=True)
        value = field(r, "early_value_to_date")
        shown = f" {thai.format_number(value, 2, lang)} {unit}".rstrip() if value is not None else ""
        out.append(
            f"{tx['early'].format(when=when)}{shown} · "
            + chart_status(field(r, "early_status"), lang, field(r, "early_score"))
        )
    return [html.Div(t, className="sy-meta sy-point-note") for t in out]
