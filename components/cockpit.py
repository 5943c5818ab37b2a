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
from components.freshness import freshness_mark, lookup, mark_key
from components.layout import sample_suffix
from components.rawhtml import Fragments, block
from components.status import ORDER as STATUS_ORDER
from components.status import SHOWN, score_text, sort_key, status_badge, status_word

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
    month = thai.month_name(point.month, lang, abbr=False)
    year = thai.to_ce(point.fy) - (1 if point.month >= 10 else 0)
    shown_year = year if lang == "en" else thai.to_be(year)
    if lang == "en":
        return f"FY {point.fy} (B.E.), to the end of {month} {shown_year} ({point.idx} of 12 months)"
    return f"ปีงบประมาณ {point.fy} ข้อมูลถึงสิ้นเดือน{month} {shown_year} ({point.idx} เดือน)"


def name(row: Any, lang: str) -> str:
    th, en = v(getattr(row, "name_th", None)), v(getattr(row, "name_en", None))
    return (en or th or "") if lang == "en" else (th or en or "")


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

    miss = f'<span class="sy-meta">{e("⚑ " + ("คาดว่าจะไม่ถึงเป้า" if lang == "th" else "projected to miss"))}</span>'

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
AXIS = {"gridcolor": "#e6e9ee", "zerolinecolor": "#c5cbd3", "automargin": True}


def fig_base(title: str) -> dict:
    """A figure as a plain dict: Dash sends it as it is (plotly.graph_objects would validate every
    property and cost tens of milliseconds per chart)."""
    return {
        "data": [],
        "layout": {
            "title": {"text": title, "font": {"size": 16}},
            "margin": {"l": 60, "r": 20, "t": 50, "b": 50},
            "paper_bgcolor": "#ffffff",
            "plot_bgcolor": "#ffffff",
            "font": {"family": "Sarabun, sans-serif", "size": 14},
            "legend": {"orientation": "h", "y": -0.2},
            "height": 380,
            "hovermode": "x unified",
            "xaxis": dict(AXIS),
            "yaxis": dict(AXIS),
        },
    }


def _col(df: pd.DataFrame, name: str) -> list:
    return [None if v(x) is None else float(x) for x in df[name]]


def years_figure(years: pd.DataFrame, lang: str, unit: str, sample: bool) -> dict:
    """Every fiscal year: the value scored (year scale) against the target, the five criteria
    drawn as bands behind each year."""
    title = "ผลรายปีเทียบเกณฑ์ 5 ระดับ" if lang == "th" else "Each fiscal year against the five levels"
    if sample:
        title += sample_suffix("sample", lang)
    fig = fig_base(title)
    shapes = []
    for r in years.itertuples():
        cs = [v(getattr(r, f"c{i}")) for i in range(1, 6)]
        if None in cs:
            continue
        for i in range(4):
            lo, hi = sorted((float(cs[i]), float(cs[i + 1])))
            shapes.append(
                {
                    "type": "rect",
                    "x0": r.fiscal_year - 0.45,
                    "x1": r.fiscal_year + 0.45,
                    "y0": lo,
                    "y1": hi,
                    "fillcolor": BAND_COLOURS[i],
                    "line": {"width": 0},
                    "layer": "below",
                }
            )
    x = [int(y) for y in years["fiscal_year"]]
    fig["data"] = [
        {
            "type": "scatter",
            "x": x,
            "y": _col(years, "value_year_scale"),
            "mode": "lines+markers",
            "name": "ผล (เทียบเต็มปี)" if lang == "th" else "result (full-year scale)",
            "marker": {"size": 9},
        },
        {
            "type": "scatter",
            "x": x,
            "y": _col(years, "target_year"),
            "mode": "markers",
            "name": "ค่าเป้าหมาย" if lang == "th" else "target",
            "marker": {"size": 14, "symbol": "line-ew-open", "line": {"width": 3}},
        },
    ]
    fig["layout"]["shapes"] = shapes
    fig["layout"]["xaxis"].update(
        {
            "title": {"text": "ปีงบประมาณ (พ.ศ.)" if lang == "th" else "fiscal year (B.E.)"},
            "dtick": 1 if len(x) <= 12 else 2,
            "tickformat": "d",
        }
    )
    fig["layout"]["yaxis"]["title"] = {"text": unit}
    return fig


def months_figure(months: pd.DataFrame, lang: str, unit: str, fy: int, sample: bool) -> dict:
    """This fiscal year month by month: value to date against expected progress, and the
    projected year-end with its range."""
    title = (
        f"ปีงบประมาณ {fy}: สะสมเทียบแผน และคาดการณ์สิ้นปี"
        if lang == "th"
        else f"FY {fy}: to date against plan, and the projected year end"
    )
    if sample:
        title += sample_suffix("sample", lang)
    fig = fig_base(title)
    labels = [thai.month_name(int(m), lang, abbr=True) for m in months["month"]]
    data = [
        {
            "type": "scatter",
            "x": labels,
            "y": _col(months, "value_to_date"),
            "mode": "lines+markers",
            "name": "ผลสะสม/ถึงปัจจุบัน" if lang == "th" else "to date",
            "marker": {"size": 8},
        }
    ]
    if months["expected_to_date"].notna().any():
        data.append(
            {
                "type": "scatter",
                "x": labels,
                "y": _col(months, "expected_to_date"),
                "mode": "lines",
                "name": "ตามแผน" if lang == "th" else "expected",
                "line": {"dash": "dash"},
            }
        )
    last = months.dropna(subset=["projected"]).tail(1)
    if not last.empty and int(last["fiscal_idx"].iloc[0]) < 12:
        p = last.iloc[0]
        proj, lo, hi = float(p["projected"]), float(p["projected_low"]), float(p["projected_high"])
        data.append(
            {
                "type": "scatter",
                "x": [thai.month_name(9, lang, abbr=True)],
                "y": [proj],
                "mode": "markers",
                "name": "คาดการณ์สิ้นปี (ช่วง)" if lang == "th" else "projected year end (range)",
                "marker": {"size": 12, "symbol": "diamond"},
                "error_y": {
                    "type": "data",
                    "symmetric": False,
                    "array": [max(0.0, hi - proj)],
                    "arrayminus": [max(0.0, proj - lo)],
                },
            }
        )
    fig["layout"]["xaxis"].update(
        {"categoryorder": "array", "categoryarray": [thai.month_name(m, lang, abbr=True) for m in thai.FISCAL_MONTHS]}
    )
    if months["target_year"].notna().any():
        target = float(months["target_year"].dropna().iloc[-1])
        fig["layout"]["shapes"] = [
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": target,
                "y1": target,
                "line": {"dash": "dot", "color": "#b7791f", "width": 2},
            }
        ]
        fig["layout"]["annotations"] = [
            {
                "xref": "paper",
                "x": 1,
                "y": target,
                "xanchor": "right",
                "yanchor": "bottom",
                "showarrow": False,
                "text": "เป้าหมายทั้งปี" if lang == "th" else "full-year target",
            }
        ]
    fig["data"] = data
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
        text = str(value)
        if text in words:
            text = words[text][0 if th else 1]
        if key == "direction" and value == "range":
            text += f" {thai.format_number(v(row.range_low), 2, lang)}–{thai.format_number(v(row.range_high), 2, lang)}"
        items += [html.Dt(th_label if th else en_label), html.Dd(text)]
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
    "sort_key",
    "v",
]
