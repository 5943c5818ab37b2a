"""/inbox: the reader's warnings, newest first (ops/events.py, web/notices.py): a KPI that turned
red or recovered, a report now late, a KPI projected to miss or warned by a leading KPI. Each with
its light (icon and word), the period and the area, and a link to the KPI at that round. Opening
the page marks them seen (the navbar's bell counts the unseen)."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

import db
from components import thai
from components.cockpit import query_string
from components.i18n import current_lang, words
from components.layout import no_warehouse, sample_caption, stack_table
from components.status import status_badge
from web import auth, notices

dash.register_page(
    __name__,
    path="/inbox",
    name="แจ้งเตือน",
    name_en="Warnings",
    title="แจ้งเตือน · สัญญาณ Sanyan",
    order=88,
    nav=False,  # the navbar's own link to it carries the count (components/layout.navbar)
)

TEXT = words(
    "inbox",
    {
        "th": {
            "title": "แจ้งเตือน",
            "lead": "สิ่งที่เปลี่ยนไปในตัวชี้วัดที่ท่านรับผิดชอบหรือติดตาม ตั้งแต่คลังข้อมูลชุดก่อน",
            "empty": "ยังไม่มีแจ้งเตือน",
            "new": "ใหม่",
            "cols": ["เรื่อง", "ตัวชี้วัด", "พื้นที่", "รอบ", "สถานะ", "เมื่อ"],
            "turned_red": "ต่ำกว่าเกณฑ์",
            "recovered": "กลับมาผ่านเกณฑ์",
            "late": "รายงานล่าช้า",
            "projected_miss": "คาดว่าไม่ถึงเป้า",
            "leading_warning": "ตัวชี้วัดนำเตือน",
        },
        "en": {
            "title": "Warnings",
            "lead": "What changed in the KPIs you own or follow since the previous snapshot",
            "empty": "No warnings yet",
            "new": "new",
            "cols": ["What", "KPI", "Area", "Round", "Status", "When"],
            "turned_red": "Turned red",
            "recovered": "Recovered",
            "late": "Report late",
            "projected_miss": "Projected to miss",
            "leading_warning": "Leading KPI warns",
        },
    },
)
ICON = {"turned_red": "■", "recovered": "●", "late": "◆", "projected_miss": "▼", "leading_warning": "⚑"}


@auth.page_access
def layout(**_kwargs) -> html.Div:
    lang = current_lang()
    tx = TEXT[lang]
    head = [html.H1(tx["title"], id="inbox-title", className="sy-page-title"), html.P(tx["lead"], className="lead")]
    if not db.available():
        return html.Div(head + [no_warehouse(lang, id_prefix="inbox-nowh")], className="sy-page", id="inbox-page")
    mine, unread = notices.for_me()
    if not mine:
        return html.Div(
            head + [dbc.Alert(tx["empty"], color="info", id="inbox-empty")], className="sy-page", id="inbox-page"
        )
    kpis = db.query("events/kpis").set_index("kpi_code")
    areas = db.query("events/areas").set_index("area_code")
    name_col = "name_en" if lang == "en" else "name_th"
    cols = tx["cols"]
    newest_seen = sorted(e["event_id"] for e in mine)[-unread] if unread else None
    rows = []
    for e in mine:
        fresh = newest_seen is not None and e["event_id"] >= newest_seen
        what = [html.Span(ICON.get(e["kind"], "•"), **{"aria-hidden": "true"}), " ", tx.get(e["kind"], e["kind"])]
        if fresh:
            what += [" ", html.Span(tx["new"], className="badge text-bg-primary")]
        href = f"/kpi/{e['kpi_code']}" + query_string(fy=e["fiscal_year"])
        name = kpis[name_col].get(e["kpi_code"], "") if e["kpi_code"] in kpis.index else ""
        cells = [
            html.Td(what, **{"data-label": cols[0]}),
            html.Td(dcc.Link(f"{e['kpi_code']} {name}", href=href), className="sy-wrap", **{"data-label": cols[1]}),
            html.Td(areas[name_col].get(e["area_code"], e["area_code"]), **{"data-label": cols[2]}),
            html.Td(
                f"{thai.month_name(e['month'], lang, abbr=True)} {thai.format_fiscal_year(e['fiscal_year'], lang)}",
                **{"data-label": cols[3]},
            ),
            html.Td(status_badge(e["status"], lang, small=True), **{"data-label": cols[4]}),
            html.Td(
                thai.format_date_th(e["created_at"], lang, abbr=True),
                className="text-nowrap",
                **{"data-label": cols[5]},
            ),
        ]
        rows.append(html.Tr(cells, **{"data-event": e["event_key"], "data-new": "yes" if fresh else "no"}))
    marks = [kpis["provenance"].get(e["kpi_code"]) for e in mine if e["kpi_code"] in kpis.index]
    table = stack_table(cols, rows, "inbox-table", tx["title"], sample_caption(marks, lang))
    notices.mark_seen(mine)
    return html.Div(head + [table], className="sy-page", id="inbox-page")
