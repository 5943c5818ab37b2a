"""/open/kpi: the open KPIs for the public (IT4): every KPI classified open with its light now
(symbol and word), and for a chosen one its results year by year against the five levels and
this year month by month. KPIs not classified open never reach this page: db.query drops them
for every /open request, and a KPI asked for by URL is looked up through its passport (which
carries the KPI code, so the same filter applies) before anything else is read."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html
from markupsafe import escape

import db
from components import cockpit as ck
from components import rawhtml
from components.i18n import current_lang, words
from components.layout import labelled_select, no_warehouse, provenance_badge
from components.status import status_badge
from config import settings
from web import auth

dash.register_page(
    __name__,
    path="/open/kpi",
    name="ตัวชี้วัดที่เปิดเผย",
    name_en="Open KPIs",
    title="ตัวชี้วัดที่เปิดเผย · สัญญาณ Sanyan",
    order=91,
    nav=False,
)

TEXT = words(
    "open_kpi",
    {
        "th": {
            "title": "ตัวชี้วัดที่เปิดเผยต่อสาธารณะ",
            "back": "← ข้อมูลสาธารณะ",
            "kpi": "ตัวชี้วัด",
            "cols": ["รหัส", "ตัวชี้วัด", "หน่วยนับ", "สถานะ", "ที่มา"],
            "none": "ยังไม่มีตัวชี้วัดที่เปิดเผย",
            "not_open": "ไม่พบตัวชี้วัดนี้ในข้อมูลที่เปิดเผย",
            "years": "ผลรายปี",
            "months": "รายเดือน",
            "sample": "ตัวเลขในหน้านี้เป็นข้อมูลตัวอย่าง ไม่ใช่ผลการดำเนินงานจริง",
        },
        "en": {
            "title": "Open KPIs",
            "back": "← Public information",
            "kpi": "KPI",
            "cols": ["Code", "KPI", "Unit", "Status", "Provenance"],
            "none": "No KPI is open yet",
            "not_open": "This KPI is not among the open data",
            "years": "each year",
            "months": "by month",
            "sample": "The figures on this page are sample data, not real results",
        },
    },
)


@auth.page_access
def layout(kpi=None, **_kwargs) -> html.Div:
    lang = current_lang()
    tx = TEXT[lang]
    head = [dcc.Link(tx["back"], href="/open"), html.H1(tx["title"], className="sy-page-title", id="openkpi-title")]
    if not db.available():
        return html.Div(head + [no_warehouse(lang, id_prefix="openkpi-nowh")], className="sy-page", id="openkpi-page")
    area = settings.province
    point = ck.resolve_point(db.query("cockpit/fiscal_years", area=area))
    status = db.query("cockpit/kpi_status", fy=point.fy, idx=point.idx, area=area) if point.fy else None
    if status is None or status.empty:
        return html.Div(
            head + [dbc.Alert(tx["none"], color="info", id="openkpi-none")], className="sy-page", id="openkpi-page"
        )
    children = head + [html.P(ck.point_label(point, lang), className="lead", id="openkpi-point")]
    if set(status["provenance"].dropna()) == {"sample"}:
        children.append(
            dbc.Alert([provenance_badge("sample", lang), " ", tx["sample"]], color="warning", id="openkpi-sample")
        )
    opts = [{"label": f"{r.kpi_code} {ck.name(r, lang)}", "value": r.kpi_code} for r in status.itertuples()]
    children += [
        html.Div(labelled_select("openkpi-select", tx["kpi"], opts, kpi if kpi else None), className="sy-filters"),
        dcc.Store(id="openkpi-go"),
    ]
    # one KPI's charts: only when its passport is readable here (open), never by its code alone
    passport = db.query("cockpit/kpi_passport", kpi=str(kpi)) if kpi else None
    if kpi and (passport is None or passport.empty):
        children.append(dbc.Alert(tx["not_open"], color="secondary", id="openkpi-not-open"))
    elif kpi:
        k = next(passport.itertuples())
        unit, title = ck.unit(k, lang), f"{k.kpi_code} {ck.name(k, lang)}"
        sample = k.provenance == "sample"
        # each year at its round up to the one shown, and that year's months as its round sees them:
        # the same projected year end in both charts (docs/RULES.md section 5)
        years = db.query("cockpit/kpi_years", kpi=k.kpi_code, area=area)
        years = years[years["fiscal_year"] <= point.fy]
        months = db.query("cockpit/kpi_months", kpi=k.kpi_code, fy=point.fy, area=area)
        charts = []
        if not years.empty:
            charts.append(
                ck.graph(ck.years_figure(years, lang, unit, sample), "openkpi-years", f"{title}: {tx['years']}")
            )
        if not months.empty:
            charts.append(
                ck.graph(
                    ck.months_figure(months, lang, unit, point.fy, sample, at=point.idx),
                    "openkpi-months",
                    f"{title}: {tx['months']}",
                )
            )
        children.append(
            html.Section([html.H2(title, className="h4", id="openkpi-chosen"), html.Div(charts, className="sy-two")])
        )
    cols = tx["cols"]
    # every open KPI (545 nationally) as one piece of HTML (components/rawhtml.py), not 5,000 components
    e, made = escape, rawhtml.Fragments()
    rows = [
        (
            {"data-kpi": r.kpi_code},
            [
                f'<a href="{e(f"/open/kpi?kpi={r.kpi_code}")}" data-sy-link="1">{e(r.kpi_code)}</a>',
                str(e(ck.name(r, lang))),
                str(e(ck.unit(r, lang))),
                made(("status", ck.v(r.status)), lambda r=r: status_badge(ck.v(r.status), lang, small=True)),
                made(("prov", r.provenance), lambda r=r: provenance_badge(r.provenance or "empty", lang)),
            ],
        )
        for r in status.itertuples()
    ]
    children.append(
        rawhtml.block(rawhtml.stack_table(cols, rows, "openkpi-table"), "openkpi-table-box", "table-responsive")
    )
    return html.Div(children, className="sy-page", id="openkpi-page")


dash.clientside_callback(
    """function(v) { if (v) { window.location.search = '?kpi=' + encodeURIComponent(v); }
                     return window.dash_clientside.no_update; }""",
    dash.Output("openkpi-go", "data"),
    dash.Input("openkpi-select", "value"),
    prevent_initial_call=True,
)
