"""The governor's overview: the agreement's weighted score, KPIs by status, what is red and what
is projected to miss, each linking to its detail. Read per visit from the open snapshot."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

import db
from components import cockpit as ck
from components import freshness as fr
from components import thai
from components.i18n import current_lang, words
from components.layout import no_warehouse, provenance_badge, sample_mark
from components.status import score_text, status_badge
from config import settings
from web import auth

dash.register_page(
    __name__,
    path="/",
    name="ภาพรวม",
    name_en="Overview",
    title="ภาพรวม · สัญญาณ Sanyan",
    order=0,
)

TEXT = words(
    "home",
    {
        "th": {
            "title": "ภาพรวมตัวชี้วัดจังหวัด",
            "agreement": "คะแนนคำรับรองการปฏิบัติราชการ (ถ่วงน้ำหนัก)",
            "agreement_of": "จากตัวชี้วัดในคำรับรอง {n} ตัว น้ำหนักที่มีผลแล้ว {w}%",
            "no_agreement": "ปีนี้ยังไม่มีตัวชี้วัดในคำรับรองที่มีผล",
            "counts": "ตัวชี้วัดจำแนกตามสถานะ (ระดับจังหวัด)",
            "red": "ต่ำกว่าเกณฑ์ — เรียงจากคะแนนต่ำสุด",
            "red_none": "ไม่มีตัวชี้วัดที่ต่ำกว่าเกณฑ์",
            "miss": "คาดว่าจะไม่ถึงเป้าหมายสิ้นปี (ยังไม่แดง)",
            "miss_none": "ไม่มีตัวชี้วัดที่คาดว่าจะไม่ถึงเป้าหมาย",
            "late": "รายงานล่าช้า",
            "projected": "คาดการณ์สิ้นปี",
            "warned": "ตัวชี้วัดนำแย่ลง",
            "all": "ดูตัวชี้วัดทั้งหมดตามโครงสร้างยุทธศาสตร์",
            "projects": "ความก้าวหน้าโครงการ",
            "sample": "ตัวเลขบนหน้านี้เป็นข้อมูลตัวอย่าง ไม่ใช่ผลการดำเนินงานจริง",
            "empty": "ยังไม่มีผลการดำเนินงานตัวชี้วัดในคลังข้อมูล",
        },
        "en": {
            "title": "Provincial KPI overview",
            "agreement": "Performance agreement score (weighted)",
            "agreement_of": "from {n} agreement KPIs; weight with results so far {w}%",
            "no_agreement": "No agreement KPI has a result this year yet",
            "counts": "KPIs by status (province level)",
            "red": "Off track — lowest score first",
            "red_none": "No KPI is off track",
            "miss": "Projected to miss the year-end target (not red yet)",
            "miss_none": "No KPI is projected to miss",
            "late": "Late reports",
            "projected": "projected year end",
            "warned": "a leading KPI is deteriorating",
            "all": "All KPIs in the strategy hierarchy",
            "projects": "Project progress",
            "sample": "The figures on this page are sample data, not real results",
            "empty": "The warehouse has no KPI results yet",
        },
    },
)


@auth.page_access
def layout(fy=None, round=None, **_kwargs) -> html.Div:
    lang = current_lang()
    tx = TEXT[lang]
    head = [html.H1(tx["title"], id="home-title", className="sy-page-title")]
    if not db.available():
        return html.Div(head + [no_warehouse(lang, id_prefix="home-nowh")], className="sy-page", id="home-page")
    area = settings.province
    point = ck.resolve_point(db.query("cockpit/fiscal_years", area=area), fy, round)
    if point.fy is None:
        return html.Div(
            head + [dbc.Alert(tx["empty"], color="info", id="home-empty")], className="sy-page", id="home-page"
        )
    kpis = db.query("cockpit/kpi_status", fy=point.fy, idx=point.idx, area=area)
    main = kpis[kpis["status"].notna()]
    agreement = db.query("cockpit/agreement", fy=point.fy, idx=point.idx)
    fresh = fr.load(db.query)

    def worst_of(rows, id_):
        """The freshness of a tile or list: the worst of its KPIs (only KPIs the reader sees)."""
        return fr.freshness_mark(fr.worst(fr.rows_for(fresh, "kpi", [r.kpi_code for r in rows])), lang, id=id_)

    def item_mark(code):
        return fr.freshness_mark(fr.lookup(fresh, "kpi", code), lang, as_of_label_only=True, small=True)

    def mark():
        """The sample mark of every block below: all of them draw the province's KPI rows."""
        return sample_mark(main["provenance"], lang)

    children = head + [html.P(ck.point_label(point, lang), className="lead", id="home-point")]
    note = ck.missing_year_note(point, lang, "home-missing-year")
    if note is not None:
        children.append(note)
    if set(main["provenance"].dropna()) == {"sample"}:
        children.append(
            dbc.Alert(
                [provenance_badge("sample", lang), " ", tx["sample"]],
                color="warning",
                className="sy-sample-note",
                id="home-sample-note",
            )
        )

    # the agreement's weighted score
    if not agreement.empty and ck.v(agreement["score"].iloc[0]) is not None:
        a = agreement.iloc[0]
        band = "red" if a["score"] < 3 else "yellow" if a["score"] < 4 else "green"
        agree = html.Div(
            [
                html.H2([tx["agreement"], " ", mark()], className="h5"),
                html.Div(
                    [
                        html.Span(score_text(a["score"], lang), className="sy-score-big", id="home-agreement-score"),
                        " ",
                        status_badge(band, lang, id="home-agreement-status"),
                    ]
                ),
                html.P(
                    tx["agreement_of"].format(n=int(a["kpis"]), w=thai.format_number(a["scored_weight"], 0, lang)),
                    className="sy-meta mb-0",
                ),
                html.P(
                    worst_of(kpis[kpis["weight"].notna()].itertuples(), "home-fresh-agreement"), className="mb-0 mt-2"
                ),
            ],
            className="sy-agreement",
            id="home-agreement",
        )
    else:
        agree = html.Div(
            [html.H2(tx["agreement"], className="h5"), html.P(tx["no_agreement"])],
            className="sy-agreement",
            id="home-agreement",
        )
    children.append(
        html.Section(
            [
                html.Div(
                    [
                        agree,
                        html.Div(
                            [
                                html.H2([tx["counts"], " ", mark()], className="h5"),
                                ck.status_summary(ck.status_counts(main), lang),
                                html.P(worst_of(main.itertuples(), "home-fresh-counts"), className="mt-2 mb-0"),
                            ],
                            style={"flex": "1 1 20rem"},
                        ),
                    ],
                    className="sy-cockpit-head",
                )
            ]
        )
    )

    # red first
    red = sorted((r for r in main.itertuples() if r.status == "red"), key=lambda r: ck.sort_key(r.status, r.score))
    red_items = [
        ck.kpi_item(
            r,
            point,
            lang,
            id_prefix="home-red",
            extra=([html.Span("⚑ " + tx["warned"], className="sy-meta")] if r.leading_warnings else [])
            + [item_mark(r.kpi_code)],
        )
        for r in red
    ]
    children.append(
        html.Section(
            [
                html.H2([tx["red"], " ", mark()], className="h4", id="home-red-title"),
                html.P(worst_of(red, "home-fresh-red")) if red else None,
                html.Ul(red_items, className="sy-kpi-list", id="home-red-list")
                if red_items
                else html.P(tx["red_none"], id="home-red-none"),
            ]
        )
    )

    # projected to miss, not red yet
    miss = sorted(
        (r for r in main.itertuples() if r.projected_miss and r.status != "red"),
        key=lambda r: ck.sort_key(r.status, r.projected_score),
    )
    miss_items = [
        ck.kpi_item(
            r,
            point,
            lang,
            id_prefix="home-miss",
            extra=[
                html.Span(
                    f"{tx['projected']} {thai.format_number(r.projected, 2, lang)} / "
                    f"{thai.format_number(r.target_year, 2, lang)} {r.unit}",
                    className="sy-meta",
                ),
                item_mark(r.kpi_code),
            ],
        )
        for r in miss
    ]
    children.append(
        html.Section(
            [
                html.H2([tx["miss"], " ", mark()], className="h4", id="home-miss-title"),
                html.P(worst_of(miss, "home-fresh-miss")) if miss else None,
                html.Ul(miss_items, className="sy-kpi-list", id="home-miss-list")
                if miss_items
                else html.P(tx["miss_none"], id="home-miss-none"),
            ]
        )
    )

    late = [r for r in main.itertuples() if r.status == "late"]
    if late:
        children.append(
            html.Section(
                [
                    html.H2([tx["late"], " ", mark()], className="h4", id="home-late-title"),
                    html.P(worst_of(late, "home-fresh-late")),
                    html.Ul(
                        [
                            ck.kpi_item(r, point, lang, id_prefix="home-late", extra=[item_mark(r.kpi_code)])
                            for r in late
                        ],
                        className="sy-kpi-list",
                        id="home-late-list",
                    ),
                ]
            )
        )

    children.append(
        html.P(
            [
                dcc.Link(
                    tx["all"],
                    href="/kpi" + ck.query_string(fy=point.fy, round=point.round),
                    className="btn btn-primary me-2 mb-2",
                    id="home-all-kpis",
                ),
                dcc.Link(
                    tx["projects"], href="/projects", className="btn btn-outline-primary mb-2", id="home-projects"
                ),
            ],
            className="mt-4",
        )
    )
    return html.Div(children, className="sy-page", id="home-page")
