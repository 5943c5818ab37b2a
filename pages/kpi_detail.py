"""/kpi/<code>: one KPI: its passport, every fiscal year against the five levels, this year
month by month with expected progress and the projected year end, the districts, its
leading indicators, and the directives given on it (ops/meeting.py; answered on
/meeting/directives). An unknown code gets the not-found page."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

import db
import ops
from components import cockpit as ck
from components import directives as dc
from components import freshness as fr
from components import thai
from components.i18n import current_lang, words
from components.layout import no_warehouse, not_found, provenance_badge, sample_mark
from components.status import score_text, status_badge
from config import settings
from ops import meeting
from web import auth

dash.register_page(
    __name__,
    path_template="/kpi/<code>",
    example_path="/kpi/K05",
    order=11,
    name="รายละเอียดตัวชี้วัด",
    name_en="KPI detail",
    title="ตัวชี้วัด · สัญญาณ Sanyan",
    nav=False,
)

TEXT = words(
    "kpi_detail",
    {
        "th": {
            "back": "← ตัวชี้วัดทั้งหมด",
            "passport": "บัตรประจำตัวตัวชี้วัด (KPI passport)",
            "now": "สถานะ",
            "score": "คะแนน",
            "to_date": "ผลถึงปัจจุบัน",
            "expected": "ตามแผนถึงปัจจุบัน",
            "target": "ค่าเป้าหมายทั้งปี",
            "pace": "ผลเทียบแผน",
            "projected": "คาดการณ์สิ้นปี",
            "range": "ช่วง",
            "miss": "คาดว่าจะไม่ถึงเป้าหมาย",
            "criteria": "เกณฑ์ 5 ระดับ ปีงบประมาณ {fy}",
            "no_criteria": "ตัวชี้วัดนี้ยังไม่มีเกณฑ์ 5 ระดับของปีงบประมาณ {fy}",
            "weight": "น้ำหนักในคำรับรอง {w}%",
            "level": "ระดับ",
            "districts": "รายอำเภอ",
            "district": "อำเภอ",
            "no_districts": "ตัวชี้วัดนี้รายงานเฉพาะระดับจังหวัด",
            "leading": "ตัวชี้วัดนำที่เกี่ยวข้อง",
            "no_leading": "ไม่มีตัวชี้วัดนำที่เชื่อมโยง",
            "warn_red": "ต่ำกว่าเกณฑ์ — เตือนตัวชี้วัดนี้",
            "warn_falling": "คะแนนลดลง — เตือนตัวชี้วัดนี้",
            "no_data": "ปีงบประมาณนี้ยังไม่มีข้อมูล",
            "sub": "ตัวชี้วัดย่อยของ",
            "curve": {"linear": "แผนเส้นตรง", "stepped": "แผนขั้นบันไดตามรอบรายงาน", "plan": "แผนรายเดือน"},
            "directives": "ข้อสั่งการ",
            "no_directives": "ยังไม่มีข้อสั่งการสำหรับตัวชี้วัดนี้",
            "see_directives": "ดูและตอบข้อสั่งการ",
            "issue_directive": "ออกข้อสั่งการ",
            "dir_cols": ["สถานะ", "ข้อสั่งการ", "งวด", "หน่วยงาน", "กำหนดส่ง", "ผลการดำเนินการ"],
        },
        "en": {
            "back": "← All KPIs",
            "passport": "KPI passport",
            "now": "Status",
            "score": "Score",
            "to_date": "Result to date",
            "expected": "Expected to date",
            "target": "Full-year target",
            "pace": "Result against plan",
            "projected": "Projected year end",
            "range": "range",
            "miss": "Projected to miss the target",
            "criteria": "Five levels, FY {fy}",
            "no_criteria": "This KPI has no five-level criteria for FY {fy}",
            "weight": "agreement weight {w}%",
            "level": "Level",
            "districts": "By district",
            "district": "District",
            "no_districts": "This KPI is reported at province level only",
            "leading": "Linked leading KPIs",
            "no_leading": "No linked leading KPI",
            "warn_red": "off track — warns this KPI",
            "warn_falling": "score falling — warns this KPI",
            "no_data": "No data for this fiscal year yet",
            "sub": "Sub-KPI of",
            "curve": {"linear": "linear plan", "stepped": "stepped at reporting months", "plan": "monthly plan"},
            "directives": "Directives",
            "no_directives": "No directive on this KPI yet",
            "see_directives": "See and answer the directives",
            "issue_directive": "Issue a directive",
            "dir_cols": ["Status", "Directive", "Period", "Unit", "Due", "Answer"],
        },
    },
)


def _stat(label: str, value, id_: str) -> html.Div:
    return html.Div(
        [html.Div(label, className="sy-meta"), html.Div(value, className="h5 mb-0 sy-num", id=id_)], className="sy-tile"
    )


def _directives(code: str, fy, lang: str) -> html.Section:
    """The KPI's directives (ops/meeting.py), not closed first, then closed; links to answer them
    and, for an executive or admin, to issue one for this KPI and year."""
    tx = TEXT[lang]
    rows = dc.records(meeting.directives(ops.engine(), kpi_code=code))
    links = [
        dcc.Link(
            tx["see_directives"],
            href=f"/meeting/directives?kpi={code}",
            id="kpidetail-directives-link",
            className="btn btn-sm btn-outline-primary",
        )
    ]
    if meeting.may_direct(auth.actor()):
        links.append(
            dcc.Link(
                tx["issue_directive"],
                href=f"/meeting/directives?kpi={code}" + (f"&fy={fy}" if fy is not None else ""),
                id="kpidetail-directives-issue",
                className="btn btn-sm btn-primary",
            )
        )
    if not rows:
        body = html.P(tx["no_directives"], className="sy-meta", id="kpidetail-no-directives")
    else:
        cols = tx["dir_cols"]
        body = html.Div(
            html.Table(
                [
                    html.Thead(html.Tr([html.Th(c, scope="col") for c in cols])),
                    html.Tbody(
                        [
                            html.Tr(
                                [
                                    html.Td(dc.status_chip(r["status"], lang), **{"data-label": cols[0]}),
                                    html.Td(r["text"], className="sy-wrap", **{"data-label": cols[1]}),
                                    html.Td(
                                        dc.period_text(r["fiscal_year"], r["month"], lang), **{"data-label": cols[2]}
                                    ),
                                    html.Td(r["unit"], **{"data-label": cols[3]}),
                                    html.Td(dc.due_cell(r, lang, settings.today()), **{"data-label": cols[4]}),
                                    html.Td(r["answer"] or "–", className="sy-wrap", **{"data-label": cols[5]}),
                                ],
                                **{"data-directive": str(r["directive_id"]), "data-status": r["status"]},
                            )
                            for r in rows
                        ]
                    ),
                ],
                className="table table-sm sy-table sy-stack",
                id="kpidetail-directives-table",
            ),
            className="table-responsive",
        )
    return html.Section(
        [html.H2(tx["directives"], className="h4"), body, html.Div(links, className="d-flex flex-wrap gap-2 mb-3")],
        id="kpidetail-directives",
    )


@auth.page_access
def layout(code=None, fy=None, round=None, **_kwargs) -> html.Div:
    lang = current_lang()
    tx = TEXT[lang]
    if not db.available():
        return html.Div([no_warehouse(lang, id_prefix="kpidetail-nowh")], className="sy-page", id="kpidetail-page")
    passport = db.query("cockpit/kpi_passport", kpi=str(code or ""))
    if passport.empty:
        return html.Div(not_found(lang, id_prefix="kpidetail-notfound"), className="sy-page", id="kpidetail-page")
    k = next(passport.itertuples())
    area = settings.province
    point = ck.resolve_point(db.query("cockpit/fiscal_years", area=area), fy, round)
    back = dcc.Link(tx["back"], href="/kpi" + ck.query_string(fy=point.fy, round=point.round), id="kpidetail-back")
    title = f"{k.kpi_code} {ck.name(k, lang)}"
    children: list = [back, html.H1(title, className="sy-page-title", id="kpidetail-title")]
    if ck.v(k.parent_kpi_code):
        children.append(
            html.P([tx["sub"] + " ", dcc.Link(k.parent_kpi_code, href=ck.kpi_href(k.parent_kpi_code, point))])
        )
    if k.provenance == "sample":
        children.append(html.P([provenance_badge("sample", lang)]))
    if point.fy is None:
        return html.Div(
            children + [dbc.Alert(tx["no_data"], color="info"), _directives(k.kpi_code, None, lang)],
            className="sy-page",
            id="kpidetail-page",
        )

    now = db.query("cockpit/kpi_now", kpi=k.kpi_code, fy=point.fy, idx=point.idx, area=area)
    now = now.iloc[0] if not now.empty else {c: None for c in now.columns}
    criteria = db.query("cockpit/kpi_criteria", kpi=k.kpi_code, fy=point.fy)
    fresh = fr.load(db.query)
    mark = fr.freshness_mark(fr.lookup(fresh, "kpi", k.kpi_code), lang, id="kpidetail-fresh")
    children.append(html.P([ck.point_label(point, lang), " ", mark], className="lead", id="kpidetail-point"))
    note = ck.missing_year_note(point, lang, "kpidetail-missing-year")
    if note is not None:
        children.append(note)

    unit = str(ck.v(k.unit) or "")

    def num(x):
        return (thai.format_number(x, 2, lang) + " " + unit) if ck.v(x) is not None else "–"

    stats = [
        html.Div(
            [html.Div(tx["now"], className="sy-meta"), status_badge(ck.v(now["status"]), lang, id="kpidetail-status")],
            className="sy-tile",
        ),
        _stat(tx["score"], score_text(ck.v(now["score"]), lang), "kpidetail-score"),
        _stat(tx["to_date"], num(now["value_to_date"]), "kpidetail-to-date"),
        _stat(tx["target"], num(now["target_year"]), "kpidetail-target"),
    ]
    if ck.v(now["expected_to_date"]) is not None:
        stats.append(
            _stat(
                f"{tx['expected']} ({tx['curve'].get(now['expected_curve'], '')})",
                num(now["expected_to_date"]),
                "kpidetail-expected",
            )
        )
    if ck.v(now["projected"]) is not None:
        proj = [
            num(now["projected"]),
            html.Div(
                f"{tx['range']} {thai.format_number(now['projected_low'], 2, lang)}–"
                f"{thai.format_number(now['projected_high'], 2, lang)}",
                className="sy-meta",
            ),
        ]
        if bool(ck.v(now["projected_miss"])):
            proj.append(html.Div("⚑ " + tx["miss"], className="sy-meta fw-bold", id="kpidetail-miss"))
        stats.append(_stat(tx["projected"], proj, "kpidetail-projected"))
    # the KPI's figures (results, targets, criteria) are as sample as its catalogue row says
    mark = sample_mark(k.provenance, lang)
    children.append(html.Section([mark, html.Div(stats, className="sy-tiles", id="kpidetail-stats")]))

    # the five levels of the year
    if criteria.empty:
        children.append(dbc.Alert(tx["no_criteria"].format(fy=point.fy), color="secondary", id="kpidetail-no-criteria"))
    else:
        c = criteria.iloc[0]
        cells = [
            html.Div(
                [
                    html.Div(f"{tx['level']} {i}", className="sy-meta"),
                    html.Span(thai.format_number(c[f"t{i}"], 2, lang), className="sy-num"),
                ],
                className="sy-tile",
                **{"data-level": str(i)},
            )
            for i in range(1, 6)
        ]
        caption = tx["criteria"].format(fy=point.fy) + (
            " · " + tx["weight"].format(w=thai.format_number(c["weight"], 0, lang)) if ck.v(c["weight"]) else ""
        )
        children.append(
            html.Section(
                [
                    html.H2([caption, " ", mark], className="h5"),
                    html.Div(cells, className="sy-tiles sy-levels", id="kpidetail-criteria"),
                ]
            )
        )

    sample = k.provenance == "sample"
    years = db.query("cockpit/kpi_years", kpi=k.kpi_code, area=area)
    months = db.query("cockpit/kpi_months", kpi=k.kpi_code, fy=point.fy, area=area)
    charts = []

    def chart_note():
        return fr.freshness_mark(fr.lookup(fresh, "kpi", k.kpi_code), lang, as_of_label_only=True, small=True)

    if not years.empty:
        charts.append(
            ck.graph(
                ck.years_figure(years, lang, unit, sample),
                "kpidetail-years",
                f"{title}: {'ผลรายปี' if lang == 'th' else 'each year'}",
                note=chart_note(),
            )
        )
    if not months.empty:
        charts.append(
            ck.graph(
                ck.months_figure(months, lang, unit, point.fy, sample),
                "kpidetail-months",
                f"{title}: {'รายเดือน' if lang == 'th' else 'by month'}",
                note=chart_note(),
            )
        )
    if charts:
        children.append(html.Section(html.Div(charts, className="sy-two")))
    else:
        children.append(dbc.Alert(tx["no_data"], color="info", id="kpidetail-no-data"))

    # districts
    districts = db.query("cockpit/kpi_districts", kpi=k.kpi_code, fy=point.fy, idx=point.idx, province=area)
    if districts.empty:
        body = html.P(tx["no_districts"], id="kpidetail-no-districts")
    else:
        cols = [tx["district"], tx["now"], tx["score"], tx["to_date"], tx["target"], tx["pace"]]
        rows = [
            html.Tr(
                [
                    html.Td(ck.name(r, lang), **{"data-label": cols[0]}),
                    html.Td(status_badge(ck.v(r.status), lang, small=True), **{"data-label": cols[1]}),
                    html.Td(score_text(ck.v(r.score), lang), className="sy-num", **{"data-label": cols[2]}),
                    html.Td(
                        thai.format_number(r.value_to_date, 2, lang), className="sy-num", **{"data-label": cols[3]}
                    ),
                    html.Td(thai.format_number(r.target_year, 2, lang), className="sy-num", **{"data-label": cols[4]}),
                    html.Td(thai.format_number(r.pace, 2, lang), className="sy-num", **{"data-label": cols[5]}),
                ],
                **{"data-district": r.district_code},
            )
            for r in districts.itertuples()
        ]
        body = html.Div(
            html.Table(
                [html.Thead(html.Tr([html.Th(c, scope="col") for c in cols])), html.Tbody(rows)],
                className="table sy-table sy-stack",
                id="kpidetail-districts",
            ),
            className="table-responsive",
        )
    children.append(html.Section([html.H2([tx["districts"], " ", mark], className="h4"), body]))

    # leading indicators
    leading = db.query("cockpit/kpi_leading", kpi=k.kpi_code, fy=point.fy, idx=point.idx, area=area)
    if leading.empty:
        lead_body = html.P(tx["no_leading"], id="kpidetail-no-leading")
    else:
        lead_body = html.Ul(
            [
                ck.kpi_item(
                    r,
                    point,
                    lang,
                    extra=(
                        [html.Span("⚑ " + tx["warn_" + r.warning], className="sy-meta fw-bold")]
                        if ck.v(r.warning)
                        else []
                    )
                    + [fr.freshness_mark(fr.lookup(fresh, "kpi", r.kpi_code), lang, as_of_label_only=True, small=True)],
                )
                for r in leading.itertuples()
            ],
            className="sy-kpi-list",
            id="kpidetail-leading",
        )
    children.append(
        html.Section(
            [html.H2([tx["leading"], " ", sample_mark(leading["provenance"], lang)], className="h4"), lead_body]
        )
    )
    children.append(_directives(k.kpi_code, point.fy, lang))

    children.append(html.Section([html.H2(tx["passport"], className="h4"), ck.passport(k, lang)]))
    return html.Div(children, className="sy-page", id="kpidetail-page")
