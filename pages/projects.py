"""/projects: every project's physical progress and disbursement against its monthly plan to
date, with lights from the catalogue's pace bands, red first."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

import db
from components import cockpit as ck
from components import freshness as fr
from components import thai
from components.i18n import current_lang, words
from components.layout import is_sample, no_warehouse, provenance_badge, sample_caption
from components.status import status_badge
from web import auth

dash.register_page(
    __name__,
    path="/projects",
    name="โครงการ",
    name_en="Projects",
    title="โครงการ · สัญญาณ Sanyan",
    order=20,
)

TEXT = words(
    "projects",
    {
        "th": {
            "title": "ความก้าวหน้าโครงการเทียบแผน",
            "fy": "ปีงบประมาณ {fy}",
            "rule": "สีแดงเมื่อผลจริงต่ำกว่าร้อยละ {r} ของแผนถึงวันนี้ สีเขียวตั้งแต่ร้อยละ {g} (เกณฑ์จากบัญชีกฎของระบบ)",
            "project": "โครงการ",
            "status": "สถานะ",
            "month": "ถึงเดือน",
            "progress": "ความก้าวหน้า (จริง/แผน)",
            "money": "เบิกจ่าย (จริง/แผน, บาท)",
            "budget": "งบประมาณ (บาท)",
            "owner": "หน่วยงาน",
            "empty": "ยังไม่มีแผนการดำเนินงานโครงการในคลังข้อมูล",
            "sample": "ข้อมูลตัวอย่าง ไม่ใช่ผลจริง",
        },
        "en": {
            "title": "Projects against plan",
            "fy": "FY {fy} (B.E.)",
            "rule": "Red when the actual is below {r}% of the plan to date, green from {g}% (bands from the rules catalogue)",
            "project": "Project",
            "status": "Status",
            "month": "To",
            "progress": "Progress (actual/plan)",
            "money": "Disbursed (actual/plan, baht)",
            "budget": "Budget (baht)",
            "owner": "Owner",
            "empty": "The warehouse has no project plans yet",
            "sample": "Sample data, not real results",
        },
    },
)


def _pair(actual, planned, decimals: int, lang: str, pct: bool) -> html.Div:
    """'actual / plan' with a bar: for progress the bar is the actual % and the tick the plan;
    for money the bar is actual / plan (full at plan)."""
    a, p = ck.v(actual), ck.v(planned)
    suffix = "%" if pct else ""
    text = f"{thai.format_number(a, decimals, lang)}{suffix} / {thai.format_number(p, decimals, lang)}{suffix}"
    if pct:
        width, tick = min(100.0, a or 0.0), min(100.0, p or 0.0)
    else:
        width, tick = (min(100.0, 100 * (a or 0.0) / p) if p else 0.0), None
    bar = html.Div(
        [
            html.Span(style={"width": f"{width:.1f}%"}),
            html.I(style={"left": f"{tick:.1f}%"}) if tick is not None else None,
        ],
        className="sy-bar",
        **{"aria-hidden": "true"},
    )
    return html.Div([html.Span(text, className="sy-num"), bar])


@auth.page_access
def layout(fy=None, **_kwargs) -> html.Div:
    lang = current_lang()
    tx = TEXT[lang]
    head = [html.H1(tx["title"], id="projects-title", className="sy-page-title")]
    if not db.available():
        return html.Div(head + [no_warehouse(lang, id_prefix="projects-nowh")], className="sy-page", id="projects-page")
    years = [int(y) for y in db.query("cockpit/project_years")["fiscal_year"]]
    if not years:
        return html.Div(
            head + [dbc.Alert(tx["empty"], color="info", id="projects-empty")], className="sy-page", id="projects-page"
        )
    try:
        year = int(thai.to_arabic_digits(str(fy))) if fy else years[0]
    except ValueError:
        year = years[0]
    year = year if year in years else years[0]
    df = db.query("cockpit/projects", fy=year)
    rules = db.query("cockpit/rules")
    band = dict(zip(rules["rule"], rules["value"]))
    cols = [tx["project"], tx["status"], tx["month"], tx["progress"], tx["money"], tx["budget"], tx["owner"]]
    rows = []
    for r in df.itertuples():
        rows.append(
            html.Tr(
                [
                    html.Td(
                        [html.Span(r.project_code, className="sy-meta"), " ", ck.name(r, lang)],
                        className="sy-wrap",
                        **{"data-label": cols[0]},
                    ),
                    html.Td(status_badge(r.status, lang, small=True), **{"data-label": cols[1]}),
                    html.Td(thai.month_name(int(r.month), lang, abbr=True), **{"data-label": cols[2]}),
                    html.Td(
                        _pair(r.actual_progress_pct, r.planned_progress_pct, 1, lang, True), **{"data-label": cols[3]}
                    ),
                    html.Td(
                        _pair(r.actual_disbursement_baht, r.planned_disbursement_baht, 0, lang, False),
                        **{"data-label": cols[4]},
                    ),
                    html.Td(thai.format_number(r.budget_baht, 0, lang), className="sy-num", **{"data-label": cols[5]}),
                    html.Td(ck.v(r.owner_unit) or "–", **{"data-label": cols[6]}),
                ],
                **{"data-project": r.project_code, "data-status": r.status},
            )
        )
    sample = is_sample(df["provenance"])
    # Project plans have no reporting frequency in the freshness mart: the snapshot's as-of date,
    # and each row says the month it runs to.
    info = db.snapshot_info()
    return html.Div(
        head
        + [
            html.P(
                [
                    tx["fy"].format(fy=year),
                    " ",
                    fr.as_of_mark(info.get("as_of") or info.get("built_at"), lang, id="projects-fresh"),
                ],
                className="lead",
                id="projects-fy",
            ),
            html.P([provenance_badge("sample", lang), " ", tx["sample"]], className="sy-meta") if sample else None,
            html.P(
                tx["rule"].format(
                    r=thai.format_number(100 * band.get("pace_red_below", 0), 0, lang),
                    g=thai.format_number(100 * band.get("pace_green_from", 0), 0, lang),
                ),
                className="sy-meta",
                id="projects-rule",
            ),
            html.Div(
                html.Table(
                    [
                        sample_caption(df["provenance"], lang),
                        html.Thead(html.Tr([html.Th(c, scope="col") for c in cols])),
                        html.Tbody(rows),
                    ],
                    className="table sy-table sy-stack",
                    id="projects-table",
                ),
                className="table-responsive",
            ),
        ],
        className="sy-page",
        id="projects-page",
    )
