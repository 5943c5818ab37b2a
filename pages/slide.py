"""A slide: one view of an agenda composed for a 16:9 projector (``/meeting/slide?view=<path>``).

The presenter (web/present.py) and the agenda's PPTX/PDF (web/exports.py) show these, not the
pages in a frame. A view's kind is decided by ``web.present.slide_kind`` from its path:

* ``kpi``: ``/kpi/<code>``: its light, score, to date against plan, target, the projected year
  end, one large chart of the year by month and the period's approved commentary;
* ``districts``: ``/kpi/<code>?slide=districts``: the districts of that KPI compared, one bar each;
* ``overview``: ``/``: the agreement score, the counts by status and the red list, each red
  KPI with its reason in words;
* ``directives``: ``/meeting/directives``: the directives still open, each with its unit and due date;
* ``gpp``: ``/gpp``: a province's latest year as NESDC published it and its GPP by edition.

The slide is a fixed 16:9 canvas sized in ``--u`` (1 % of its height; assets/sanyan-slide.css),
so it fits any 16:9 screen with no scroll; text is at least 18 px at 1280×720 and grows with the
screen (assets/sanyan-slide.js scales the charts' type the same way). What does not fit is cut in
words ("and 3 more"), never clipped. The dark theme (``?present=1&theme=dark``) draws the same
slide light on dark. Access: the page is /meeting's (signed in), the view is opened with the
reader's own rights (``auth.may_open``; a KPI the reader may not read is not found).
"""

from __future__ import annotations

import copy
import re
from datetime import date
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import dash
from dash import dcc, html

import db
import ops
from components import cockpit as ck
from components import directives as dc
from components import freshness as fr
from components import gpp as g
from components import reasons as rs
from components import thai
from components.i18n import current_lang, words
from components.layout import is_sample, no_warehouse, provenance_badge, sample_suffix
from components.status import SHOWN, score_text, status_badge, status_word
from config import settings
from ops import commentary, meeting
from web import auth

dash.register_page(
    __name__,
    path="/meeting/slide",
    name="สไลด์",
    name_en="Slide",
    title="สไลด์ · สัญญาณ Sanyan",
    order=86,
    nav=False,
    shell=False,  # the slide covers the app's navbar and footer (tests/browser/test_slides.py checks it)
)

TEXT = words(
    "slide",
    {
        "th": {
            "status": "สถานะ",
            "score": "คะแนน",
            "to_date": "ผลถึงปัจจุบัน",
            "plan": "ตามแผน",
            "target": "เป้าหมายทั้งปี",
            "projected": "คาดการณ์สิ้นปี",
            "year_end": "ผลสิ้นปี",
            "range": "ช่วง",
            "miss": "คาดว่าไม่ถึงเป้าหมาย",
            "no_projection": "ไม่คาดการณ์: รอบนี้ยังไม่มีผลที่ตัดสินได้",
            "why": "เหตุผล",
            "next": "สิ่งที่จะทำต่อ",
            "more_text": "(อ่านต่อในหน้าตัวชี้วัด)",
            "agreement": "คะแนนคำรับรอง (ถ่วงน้ำหนัก)",
            "agreement_of": "จากตัวชี้วัดในคำรับรอง {n} ตัว",
            "no_agreement": "รอบนี้ยังไม่มีคะแนนคำรับรองที่ตัดสินได้",
            "counts": "ตัวชี้วัดจำแนกตามสถานะ",
            "red": "ต่ำกว่าเกณฑ์ ({n} ตัว) คะแนนต่ำสุดก่อน",
            "red_none": "ไม่มีตัวชี้วัดที่ต่ำกว่าเกณฑ์",
            "more": "และอีก {n} ตัว (ดูในหน้าภาพรวม)",
            "more_rows": "และอีก {n} รายการ (ดูในหน้าข้อสั่งการ)",
            "districts": "เปรียบเทียบอำเภอ",
            "district_axis": "คะแนน (1–5)",
            "province": "จังหวัด",
            "no_districts": "ตัวชี้วัดนี้ไม่มีผลรายอำเภอ",
            "directives": "ข้อสั่งการที่ยังไม่ปิด ({n} รายการ)",
            "d_text": "ข้อสั่งการ",
            "d_kpi": "ตัวชี้วัด",
            "d_unit": "หน่วยงาน",
            "d_due": "กำหนด",
            "d_status": "สถานะ",
            "d_none": "ไม่มีข้อสั่งการที่ยังไม่ปิด",
            "sample": "ตัวเลขบนสไลด์นี้เป็นข้อมูลตัวอย่าง ไม่ใช่ผลการดำเนินงานจริง",
            "none": "ไม่มีสไลด์สำหรับที่อยู่นี้",
            "not_found": "ไม่พบตัวชี้วัดนี้ หรือไม่มีสิทธิ์อ่าน",
            "no_data": "ยังไม่มีผลการดำเนินงานในคลังข้อมูล",
            "source": "สัญญาณ Sanyan · ชุดข้อมูล {v} · ข้อมูล ณ {d}",
            "gpp_title": "ผลิตภัณฑ์มวลรวมจังหวัด{name} ปี {first}–{last}",
            "gpp_year": "ปี {year} ({edition})",
            "gpp_cp": "GPP ณ ราคาประจำปี",
            "gpp_real": "การเติบโตที่แท้จริง",
            "gpp_pc": "GPP ต่อหัว",
            "gpp_rank": "อันดับ GPP ในประเทศ",
            "gpp_rank_region": "อันดับในภาค",
            "million": "ล้านบาท",
            "baht": "บาท",
            "gpp_source": "ตัวเลขตามที่ สศช. เผยแพร่",
        },
        "en": {
            "status": "Status",
            "score": "Score",
            "to_date": "To date",
            "plan": "planned",
            "target": "Year target",
            "projected": "Projected year end",
            "year_end": "Year end",
            "range": "range",
            "miss": "projected to miss the target",
            "no_projection": "No projection: nothing judged in this round",
            "why": "Why",
            "next": "What next",
            "more_text": "(continued on the KPI page)",
            "agreement": "Agreement score (weighted)",
            "agreement_of": "from {n} agreement KPIs",
            "no_agreement": "No agreement score can be judged in this round yet",
            "counts": "KPIs by status",
            "red": "Off track ({n}), lowest score first",
            "red_none": "No KPI is off track",
            "more": "and {n} more (see the overview)",
            "more_rows": "and {n} more (see the directives page)",
            "districts": "districts compared",
            "district_axis": "score (1–5)",
            "province": "Province",
            "no_districts": "This KPI has no district results",
            "directives": "Directives still open ({n})",
            "d_text": "Directive",
            "d_kpi": "KPI",
            "d_unit": "Unit",
            "d_due": "Due",
            "d_status": "Status",
            "d_none": "No directive is open",
            "sample": "The figures on this slide are sample data, not real results",
            "none": "No slide for this address",
            "not_found": "No such KPI, or you may not read it",
            "no_data": "The warehouse has no KPI results yet",
            "source": "Sanyan · snapshot {v} · data as of {d}",
            "gpp_title": "Gross provincial product of {name}, {first}–{last}",
            "gpp_year": "{year} ({edition})",
            "gpp_cp": "GPP at current prices",
            "gpp_real": "Real growth",
            "gpp_pc": "GPP per capita",
            "gpp_rank": "GPP rank in the kingdom",
            "gpp_rank_region": "Rank in the region",
            "million": "million baht",
            "baht": "baht",
            "gpp_source": "figures as NESDC publishes them",
        },
    },
)

RED_ROWS = 5  # the overview slide's red list: what fits at 18 px, the rest said in words
DIRECTIVE_ROWS = 7
TEXT_CHARS = 130  # a commentary paragraph on a slide: about two lines
NAME_CHARS = 90

# the chart colours of each theme (the slide's own background, so nothing sits on a white box)
THEMES = {
    "light": {"bg": "#ffffff", "fg": "#0b1220", "grid": "#d5dbe3"},
    "dark": {"bg": "#0b1220", "fg": "#f5f7fa", "grid": "#34425c"},
}
FONT_MIN = 18  # px at 1280×720, the smallest slide (assets/sanyan-slide.js scales up from it)
BAR_COLOURS = {"red": "#c0392b", "yellow": "#d4a20b", "green": "#27ae60", "late": "#7a3fb0", "awaiting": "#7a3fb0"}


def cut(text: Any, n: int) -> tuple[str, bool]:
    """`text` in at most `n` characters (on a word's end where there is one), and whether it was cut."""
    s = " ".join(str(text or "").split())
    if len(s) <= n:
        return s, False
    head = s[: n - 1]
    space = head.rfind(" ")
    return (head[:space] if space > n * 0.6 else head).rstrip() + "…", True


def slide_font(fig: dict, theme: str) -> dict:
    """A page's figure made for a slide: every font at least 18 px at 1280×720 (1.3 × the page's,
    whose base is 14 px), the slide's colours, sized by its box (no fixed height)."""
    colours = THEMES[theme]

    def walk(node: Any, key: str = "") -> None:
        if isinstance(node, dict):
            if key in ("font", "tickfont") and isinstance(node.get("size"), (int, float)):
                node["size"] = max(FONT_MIN, round(node["size"] * 1.3))
            for k, v in node.items():
                walk(v, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)

    fig = copy.deepcopy(fig)
    lay = fig.setdefault("layout", {})
    lay.pop("height", None)
    font = lay.setdefault("font", {})
    font.setdefault("size", 14)
    walk(lay)
    title = lay.get("title")
    if isinstance(title, dict) and isinstance(title.get("text"), str):  # a note under the title: one size
        title["text"] = re.sub(r"font-size:\s*\d+px", f"font-size:{FONT_MIN}px", title["text"])
    font["color"] = colours["fg"]
    lay["paper_bgcolor"] = lay["plot_bgcolor"] = colours["bg"]
    for axis in ("xaxis", "yaxis"):
        if isinstance(lay.get(axis), dict):
            lay[axis]["gridcolor"] = colours["grid"]
            lay[axis]["zerolinecolor"] = colours["grid"]
            lay[axis]["linecolor"] = colours["fg"]
    lay["margin"] = {"l": 70, "r": 30, "t": 70, "b": 40, "autoexpand": True}
    x_title = (lay.get("xaxis") or {}).get("title")
    if isinstance(lay.get("legend"), dict) and not (x_title.get("text") if isinstance(x_title, dict) else x_title):
        lay["legend"]["y"] = -0.08  # no axis title under the months to keep clear of: the legend comes up
    return fig


def chart(fig: dict, id_: str, label: str) -> html.Figure:
    return html.Figure(
        [
            html.Figcaption(label, className="visually-hidden"),
            dcc.Graph(
                figure=fig,
                id=id_,
                config={"displayModeBar": False, "responsive": True},
                className="sy-slide-graph",
                style={"height": "100%", "width": "100%"},
            ),
        ],
        className="sy-slide-chart",
    )


def tile(label: str, value: Any, id_: str, *more: Any) -> html.Div:
    return html.Div(
        [html.Div(label, className="sy-slide-label"), html.Div(value, className="sy-slide-value", id=id_), *more],
        className="sy-slide-tile",
    )


def source_line(lang: str) -> str:
    info = db.snapshot_info() if db.available() else {}
    when = info.get("as_of") or info.get("built_at")
    return TEXT[lang]["source"].format(v=info.get("version") or "–", d=thai.format_date_th(when, lang) if when else "–")


def frame(kind: str, title: str, sub: list, body: Any, lang: str, sample: bool) -> html.Div:
    """The slide around its body: title, what it shows (the round, one sample notice), the source."""
    tx = TEXT[lang]
    head = [html.H1(title, className="sy-slide-title", id="slide-title")]
    line = [s for s in sub if s]
    if sample:
        line.append(html.Span([provenance_badge("sample", lang), " ", tx["sample"]], id="slide-sample"))
    if line:
        head.append(html.P([x for s in line for x in (s, " · ")][:-1], className="sy-slide-sub", id="slide-sub"))
    return html.Div(
        html.Div(
            [
                html.Header(head, className="sy-slide-head"),
                html.Main(body, className=f"sy-slide-body sy-slide-body-{kind}", id="slide-body"),
                html.Footer(source_line(lang), className="sy-slide-foot", id="slide-foot"),
            ],
            className="sy-slide-canvas",
            id="slide-canvas",
        ),
        className="sy-page sy-slide",
        id="slide",
        **{"data-kind": kind},
    )


def message(text: str, lang: str, kind: str = "none") -> html.Div:
    return frame(kind, text, [], html.P(text, id="slide-message"), lang, False)


# ---------------------------------------------------------------- the kinds
def kpi_slide(code: str, q: dict, lang: str, theme: str) -> html.Div:
    tx = TEXT[lang]
    passport = db.query("cockpit/kpi_passport", kpi=code)
    if passport.empty:
        return message(tx["not_found"], lang)
    k = passport.iloc[0].to_dict()
    area = settings.province
    point = ck.resolve_point(db.query("cockpit/fiscal_years", area=area), q.get("fy"), q.get("round"))
    title, _ = cut(f"{code} {ck.name(passport.iloc[0], lang)}", NAME_CHARS + 10)
    sample = k["provenance"] == "sample"
    if point.fy is None:
        return frame("kpi", title, [], html.P(tx["no_data"]), lang, sample)
    now = db.query("cockpit/kpi_now", kpi=code, fy=point.fy, idx=point.idx, area=area)
    now = now.iloc[0].to_dict() if not now.empty else {c: None for c in now.columns}
    unit = ck.unit(k, lang)

    def num(x) -> str:
        return (thai.format_number(x, 2, lang) + " " + unit).strip() if ck.v(x) is not None else "–"

    def big(x) -> list | str:  # a tile's figure, its unit in the slide's text size
        if ck.v(x) is None:
            return "–"
        return (
            [thai.format_number(x, 2, lang), " ", html.Span(unit, className="sy-slide-unit")]
            if unit
            else thai.format_number(x, 2, lang)
        )

    notes = ck.point_notes(now, point.fy, lang, unit)
    tiles = [
        tile(
            tx["status"],
            status_badge(ck.v(now.get("status")), lang, id="slide-status"),
            "slide-light",
            html.Div(notes, className="sy-slide-note") if notes else None,
        ),
        tile(tx["score"], score_text(ck.v(now.get("score")), lang), "slide-score"),
        tile(
            tx["to_date"],
            big(now.get("value_to_date")),
            "slide-to-date",
            html.Div(f"{tx['plan']} {num(now.get('expected_to_date'))}", className="sy-slide-note", id="slide-plan")
            if ck.v(now.get("expected_to_date")) is not None
            else None,
        ),
        tile(tx["target"], big(now.get("target_year")), "slide-target"),
    ]
    if ck.v(now.get("projected")) is not None:
        more = []
        if point.idx != 12:
            more.append(
                html.Div(
                    f"{tx['range']} {thai.format_number(now['projected_low'], 2, lang)}–"
                    f"{thai.format_number(now['projected_high'], 2, lang)}",
                    className="sy-slide-note",
                )
            )
        if bool(ck.v(now.get("projected_miss"))):
            more.append(html.Div(["▼ ", tx["miss"]], className="sy-slide-note fw-bold", id="slide-miss"))
        tiles.append(
            tile(
                tx["year_end"] if point.idx == 12 else tx["projected"], big(now["projected"]), "slide-projected", *more
            )
        )
    else:
        tiles.append(
            tile(tx["projected"], "–", "slide-projected", html.Div(tx["no_projection"], className="sy-slide-note"))
        )

    months = db.query("cockpit/kpi_months", kpi=code, fy=point.fy, area=area)
    body: list = [html.Div(tiles, className="sy-slide-tiles", id="slide-tiles")]
    if not months.empty:
        fig = slide_font(ck.months_figure(months, lang, unit, point.fy, sample, at=point.idx), theme)
        body.append(chart(fig, "slide-chart", f"{title}: {'รายเดือน' if lang == 'th' else 'by month'}"))
    else:
        body.append(html.P(tx["no_data"], className="sy-slide-chart"))
    current = next(
        (
            r
            for r in commentary.approved(ops.engine(), code)
            if (r["fiscal_year"], r["month"]) == (point.fy, point.month)
        ),
        None,
    )
    if current is not None:
        lines = []
        for field, word in (("analysis", tx["why"]), ("action", tx["next"])):
            text, was_cut = cut(current[field] or "–", TEXT_CHARS)
            lines.append(
                html.P(
                    [html.Strong(word + ": "), text, (" " + tx["more_text"]) if was_cut else ""],
                    **{"data-field": field},
                )
            )
        body.append(html.Section(lines, className="sy-slide-comment", id="slide-commentary"))
    return frame("kpi", title, [ck.point_label(point, lang)], body, lang, sample)


def districts_slide(code: str, q: dict, lang: str, theme: str) -> html.Div:
    tx = TEXT[lang]
    passport = db.query("cockpit/kpi_passport", kpi=code)
    if passport.empty:
        return message(tx["not_found"], lang)
    k = passport.iloc[0]
    area = settings.province
    point = ck.resolve_point(db.query("cockpit/fiscal_years", area=area), q.get("fy"), q.get("round"))
    name, _ = cut(f"{code} {ck.name(k, lang)}", NAME_CHARS - 10)
    title = f"{name}: {tx['districts']}"
    sample = k["provenance"] == "sample"
    if point.fy is None:
        return frame("districts", title, [], html.P(tx["no_data"]), lang, sample)
    rows = db.query("cockpit/kpi_districts", kpi=code, fy=point.fy, idx=point.idx, province=area)
    now = db.query("cockpit/kpi_now", kpi=code, fy=point.fy, idx=point.idx, area=area)
    prov = now.iloc[0] if not now.empty else None
    sub = [ck.point_label(point, lang)]
    if prov is not None:
        sub.append(
            html.Span(
                [
                    tx["province"],
                    ": ",
                    status_badge(ck.v(prov["status"]), lang, small=True),
                    " ",
                    score_text(ck.v(prov["score"]), lang) if ck.v(prov["score"]) is not None else "",
                ],
                id="slide-province",
            )
        )
    if rows.empty:
        return frame("districts", title, sub, html.P(tx["no_districts"], id="slide-no-districts"), lang, sample)
    rows = rows.sort_values("name_th" if lang != "en" else "name_en", key=lambda s: s.map(thai.thai_sort_key))
    names = [ck.name(r, lang) for r in rows.itertuples()]
    scores = [ck.v(r.score) for r in rows.itertuples()]
    labels = [ck.chart_status(r.status, lang, r.score) for r in rows.itertuples()]
    colours = [BAR_COLOURS.get(str(ck.v(r.status)), "#77808b") for r in rows.itertuples()]
    fig = ck.fig_base(f"{code} {tx['districts']}" + sample_suffix("sample" if sample else None, lang))
    fig["data"] = [
        {
            "type": "bar",
            "orientation": "h",
            "y": names,
            "x": [s if s is not None else 0 for s in scores],
            "text": labels,
            "textposition": "outside",
            "cliponaxis": False,
            "marker": {"color": colours},
            "hovertemplate": "%{y}: %{text}<extra></extra>",
            "name": tx["district_axis"],
        }
    ]
    lay = fig["layout"]
    lay["showlegend"] = False
    lay["hovermode"] = "closest"
    lay["xaxis"].update({"range": [0, 6.4], "title": {"text": tx["district_axis"]}, "tickvals": [1, 2, 3, 4, 5]})
    lay["yaxis"].update({"autorange": "reversed"})
    fig = slide_font(fig, theme)
    fig["layout"]["margin"]["l"] = 150
    return frame("districts", title, sub, chart(fig, "slide-chart", title), lang, sample)


def overview_slide(q: dict, lang: str, theme: str) -> html.Div:
    tx = TEXT[lang]
    area = settings.province
    point = ck.resolve_point(db.query("cockpit/fiscal_years", area=area), q.get("fy"), q.get("round"))
    title = "ภาพรวมตัวชี้วัดจังหวัด" if lang != "en" else "Provincial KPI overview"
    if point.fy is None:
        return frame("overview", title, [], html.P(tx["no_data"]), lang, False)
    kpis = db.query("cockpit/kpi_status", fy=point.fy, idx=point.idx, area=area)
    main = kpis[kpis["status"].notna()]
    sample = is_sample(main["provenance"])
    path = db.query("cockpit/agreement_path", fy=point.fy, idx=point.idx)
    now = path[path["fiscal_idx"] == point.idx] if not path.empty else path
    if not now.empty and ck.v(now["score"].iloc[0]) is not None:
        a = now.iloc[0]
        band = "red" if a["score"] < 3 else "yellow" if a["score"] < 4 else "green"
        agree = [
            html.Div(tx["agreement"], className="sy-slide-label"),
            html.Div(score_text(a["score"], lang), className="sy-slide-big", id="slide-agreement"),
            status_badge(band, lang, id="slide-agreement-status"),
            html.Div(
                tx["agreement_of"].format(n=thai.format_number(int(a["kpis"]), 0, lang)), className="sy-slide-note"
            ),
        ]
    else:
        agree = [
            html.Div(tx["agreement"], className="sy-slide-label"),
            html.P(tx["no_agreement"], id="slide-agreement-none"),
        ]
    counts = ck.status_counts(main)
    count_rows = [
        html.Li(
            [
                html.Span(thai.format_number(counts.get(key, 0), 0, lang), className="sy-slide-count"),
                status_badge(key, lang),
            ],
            **{"data-status": key, "aria-label": f"{status_word(key, lang)}: {counts.get(key, 0)}"},
        )
        for key in SHOWN
        if counts.get(key, 0)
    ]
    left = html.Div(
        [
            html.Section(agree, className="sy-slide-tile", id="slide-agreement-box"),
            html.Section(
                [
                    html.H2(tx["counts"], className="sy-slide-h2"),
                    html.Ul(count_rows, className="sy-slide-counts", id="slide-counts"),
                ],
                className="sy-slide-tile",
            ),
        ],
        className="sy-slide-col",
    )
    red = sorted((r for r in main.itertuples() if r.status == "red"), key=lambda r: ck.sort_key(r.status, r.score))
    # why each is red: the overview's own words (components/reasons.py), judged at the same round
    fresh = fr.load_at(db.query, point.fy, point.idx, area)
    red_line = rs.red_lines(
        db.query("cockpit/red_lines", fy=point.fy), rs.rule_value(db.query("cockpit/rules"), "kpi_red_below")
    )
    items = []
    for r in red[:RED_ROWS]:
        said, _kinds = rs.why(r, lang, red_line(r.kpi_code), fr.lookup(fresh, "kpi", r.kpi_code))
        name, _ = cut(f"{r.kpi_code} {ck.name(r, lang)}", NAME_CHARS - 20)
        items.append(
            html.Li(
                [
                    html.Div(
                        [
                            status_badge("red", lang, small=True),
                            " ",
                            html.Span(name, className="fw-bold"),
                            " ",
                            html.Span(f"{tx['score']} {score_text(r.score, lang)}", className="sy-slide-num"),
                        ],
                        className="sy-slide-red-head",
                    ),
                    html.Div(" · ".join(said), className="sy-slide-note", **{"data-reason": "1"}),
                ],
                **{"data-kpi": r.kpi_code},
            )
        )
    right: list = [html.H2(tx["red"].format(n=thai.format_number(len(red), 0, lang)), className="sy-slide-h2")]
    if items:
        right.append(html.Ol(items, className="sy-slide-red", id="slide-red"))
        if len(red) > RED_ROWS:
            right.append(
                html.P(tx["more"].format(n=thai.format_number(len(red) - RED_ROWS, 0, lang)), id="slide-red-more")
            )
    else:
        right.append(html.P(tx["red_none"], id="slide-red-none"))
    body = [left, html.Section(right, className="sy-slide-col sy-slide-tile", id="slide-red-box")]
    return frame("overview", title, [ck.point_label(point, lang)], body, lang, sample)


def directives_slide(q: dict, lang: str) -> html.Div:
    tx = TEXT[lang]
    kpis = db.query("entry/kpis")
    seen = set(kpis["kpi_code"])
    rows = [r for r in dc.records(meeting.directives(ops.engine(), open_only=True), seen) if r["status"] != "closed"]
    title = tx["directives"].format(n=thai.format_number(len(rows), 0, lang))
    if not rows:
        return frame("directives", title, [], html.P(tx["d_none"], id="slide-directives-none"), lang, False)
    today = date.today()
    cols = [tx["d_text"], tx["d_kpi"], tx["d_unit"], tx["d_due"], tx["d_status"]]
    body_rows = []
    for r in rows[:DIRECTIVE_ROWS]:
        text, _ = cut(r["text"], 80)
        state = [dc.status_chip(r["status"], lang)]
        if dc.is_overdue(r, today):
            state += [" ", dc.overdue_mark(lang)]
        body_rows.append(
            html.Tr(
                [
                    html.Td(text),
                    html.Td(r["kpi_code"]),
                    html.Td(r["unit"]),
                    html.Td(thai.format_date_th(r["due_date"], lang, abbr=True), className="text-nowrap"),
                    html.Td(state),
                ],
                **{"data-directive": str(r["directive_id"])},
            )
        )
    body = [
        html.Table(
            [html.Thead(html.Tr([html.Th(c, scope="col") for c in cols])), html.Tbody(body_rows)],
            className="sy-slide-table",
            id="slide-directives",
        )
    ]
    if len(rows) > DIRECTIVE_ROWS:
        body.append(
            html.P(
                tx["more_rows"].format(n=thai.format_number(len(rows) - DIRECTIVE_ROWS, 0, lang)),
                id="slide-directives-more",
            )
        )
    return frame("directives", title, [], body, lang, False)


def gpp_slide(q: dict, lang: str, theme: str) -> html.Div:
    """A province's GPP: its latest year's figures as NESDC published them (the latest edition of
    that year, components/gpp.newest_by_year) and the levels chart of the years asked for (/gpp's own)."""
    tx = TEXT[lang]
    totals = db.query("gpp/totals")
    code = q.get("province") if q.get("province") in set(totals["province_code"]) else settings.province
    editions = frozenset(db.query("gpp/sectors", province=code)["edition"])
    view = g.choose_view(totals, code, q.get("from"), q.get("to"), q.get("peers"), editions)
    mine = g.in_range(totals[totals["province_code"] == view.province], view)
    if mine.empty:
        return frame("gpp", tx["no_data"], [], html.P(tx["no_data"]), lang, False)
    name = ck.name(mine.iloc[0], lang)
    title = tx["gpp_title"].format(name=name, first=view.first, last=view.last)
    newest = g.newest_by_year(mine, g.edition_order(mine))
    year = max(newest)
    r = newest[year]
    sample = is_sample(mine["provenance"])

    def rank(n, of) -> str:
        return f"{g.f_int(n, lang)}/{g.f_int(of, lang)}" if g.nz(n) is not None and g.nz(of) is not None else "–"

    real = g.nz(r["real_growth_pct"])
    tiles = [
        tile(
            tx["gpp_cp"],
            [g.published(r["gpp_cp"], lang, g.f_money), " ", html.Span(tx["million"], className="sy-slide-unit")],
            "slide-gpp-cp",
        ),
        tile(tx["gpp_real"], g.published(real, lang) + (" %" if real is not None else ""), "slide-gpp-real"),
        tile(
            tx["gpp_pc"],
            [g.published(r["per_capita_baht"], lang, g.f_baht), " ", html.Span(tx["baht"], className="sy-slide-unit")],
            "slide-gpp-pc",
        ),
        tile(tx["gpp_rank"], rank(r["rank_gpp"], r["provinces"]), "slide-gpp-rank"),
        tile(tx["gpp_rank_region"], rank(r["rank_gpp_region"], r["provinces_region"]), "slide-gpp-rank-region"),
    ]
    fig = slide_font(g.levels_figure(mine, lang), theme)
    body = [
        html.Div(tiles, className="sy-slide-tiles sy-slide-tiles-gpp", id="slide-tiles"),
        chart(fig, "slide-chart", title),
    ]
    sub = [tx["gpp_year"].format(year=year, edition=g.edition_label(r["edition"], lang)), tx["gpp_source"]]
    return frame("gpp", title, sub, body, lang, sample)


@auth.page_access
def layout(view=None, theme=None, **_kwargs) -> html.Div:
    from web.present import slide_kind

    lang = current_lang()
    tx = TEXT[lang]
    if not db.available():  # no snapshot yet: what to run, as every page says it
        return frame("none", tx["no_data"], [], no_warehouse(lang, id_prefix="slide-nowh"), lang, False)
    view = str(view or "")
    got = slide_kind(view)
    if got is None or not auth.may_open(urlsplit(view).path, auth.role()):
        return message(tx["none"], lang)
    kind, code = got
    q = dict(parse_qsl(urlsplit(view).query))
    colours = "dark" if theme == "dark" else "light"
    if kind == "kpi":
        return kpi_slide(code, q, lang, colours)
    if kind == "districts":
        return districts_slide(code, q, lang, colours)
    if kind == "overview":
        return overview_slide(q, lang, colours)
    if kind == "gpp":
        return gpp_slide(q, lang, colours)
    return directives_slide(q, lang)
