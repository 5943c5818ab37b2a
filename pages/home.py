"""Home: a short Thai-first welcome (the cockpit replaces this page later)."""
from __future__ import annotations

import dash
from dash import dcc, html

import db
from components import thai
from components.i18n import current_lang
from components.layout import nav_items, no_warehouse

dash.register_page(
    __name__,
    path="/",
    name="หน้าแรก",
    name_en="Home",
    title="สัญญาณ Sanyan",
    order=0,
)

TEXT = {
    "th": {
        "title": "สัญญาณ · ระบบสารสนเทศเพื่อผู้บริหารจังหวัด",
        "lead": ("สัญญาณ (Sanyan) รวมตัวชี้วัด ข้อมูลเศรษฐกิจจังหวัด และข้อมูลพื้นที่ไว้ในที่เดียว "
                 "ให้ผู้ว่าราชการจังหวัด ผู้บริหาร และนักวางแผน เห็นภาพรวมแบบสัญญาณไฟจราจร "
                 "และเจาะลึกถึงระดับอำเภอได้"),
        "provenance": ("ทุกตัวเลขบอกที่มาเสมอ: ข้อมูลทางการ ข้อมูลตัวอย่าง หรือข้อมูลที่หน่วยงานกรอก"),
        "snapshot": "ชุดข้อมูลที่แสดงอยู่",
        "built": "สร้างเมื่อ",
        "pages": "หน้าที่มีในระบบ",
    },
    "en": {
        "title": "Sanyan · Executive information system for the province",
        "lead": ("Sanyan (สัญญาณ, \"signal\") brings KPIs, the provincial economy and area data together "
                 "so the governor, executives and planners see a traffic-light overview and can drill "
                 "down to districts."),
        "provenance": "Every figure says where it comes from: official, sample or entered by an office.",
        "snapshot": "Snapshot shown",
        "built": "built",
        "pages": "Pages",
    },
}


def layout(**kwargs) -> html.Div:
    lang = current_lang()
    tx = TEXT[lang]
    children: list = [
        html.H1(tx["title"], id="home-title", className="sy-page-title"),
        html.P(tx["lead"], className="lead sy-lead", id="home-lead"),
        html.P(tx["provenance"], id="home-provenance"),
    ]
    if not db.available():
        children.append(no_warehouse(lang, id_prefix="home-nowh"))
    else:
        info = db.snapshot_info()
        built = info.get("built_at")
        children.append(
            html.P(
                [
                    html.Strong(tx["snapshot"] + ": "),
                    html.Code(str(info.get("version") or "—"), id="home-snapshot-version"),
                    " · ",
                    tx["built"] + " ",
                    html.Span(thai.format_date_th(built, lang=lang, abbr=False) if built else "—",
                              id="home-snapshot-date"),
                ],
                className="sy-snapshot",
            )
        )
    links = [item for item in nav_items(dash.page_registry.values(), lang) if item["href"] != "/"]
    if links:
        children += [
            html.H2(tx["pages"], className="h4 mt-4", id="home-pages-title"),
            html.Ul(
                [html.Li(dcc.Link(item["label"], href=item["href"])) for item in links],
                className="sy-page-links",
                id="home-page-links",
            ),
        ]
    return html.Div(children, className="sy-page", id="home-page")
