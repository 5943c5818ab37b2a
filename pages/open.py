"""/open: the public portal (IT4), no sign-in needed, open data only whoever reads it (web/auth.py
sets ``open_only`` for every /open request and callback, so db.query drops every KPI and
indicator not classified open).

The portal's front page: search across the open KPIs, open indicators, the §9 register and the
open datasets (Thai and English, Thai digits accepted); the register's currency; links to the
open KPIs and indicators with charts, the §9 register, the data downloads and API, and the
request and survey forms.
"""

from __future__ import annotations

from datetime import date

import dash
from dash import Input, Output, callback, dcc, html

import db
import ops
from components import thai
from components.i18n import current_lang, words
from components.layout import no_warehouse
from ops import portal
from web import auth

dash.register_page(
    __name__,
    path="/open",
    name="ข้อมูลสาธารณะ",
    name_en="Open data",
    title="ข้อมูลสาธารณะ · สัญญาณ Sanyan",
    order=90,
    menu="work",
)

TEXT = words(
    "open",
    {
        "th": {
            "title": "ข้อมูลข่าวสารสาธารณะ",
            "lead": "ข้อมูลที่จังหวัดเปิดเผยต่อประชาชน ค้นหา ดาวน์โหลด และขอข้อมูลเพิ่มเติมได้โดยไม่ต้องลงชื่อเข้าใช้",
            "search": "ค้นหาข้อมูล",
            "placeholder": "เช่น ทุเรียน, ประชากร, งบประมาณ, K01",
            "results": "ผลการค้นหา {n} รายการ",
            "none": "ไม่พบข้อมูลที่ตรงกับคำค้น",
            "kpi": "ตัวชี้วัด",
            "indicator": "ตัวชี้วัดฐานข้อมูลจังหวัด",
            "s9": "ทะเบียนมาตรา 9",
            "dataset": "ชุดข้อมูลเปิด",
            "s9_card": "ข้อมูลข่าวสารตามมาตรา 9",
            "s9_share": "หมวดที่มีข้อมูลเป็นปัจจุบัน {c} จาก 8 หมวด ({p}%)",
            "kpi_card": "ตัวชี้วัดที่เปิดเผย",
            "kpi_count": "{n} ตัวชี้วัด พร้อมกราฟผลการดำเนินงาน",
            "ind_card": "ฐานข้อมูลจังหวัด",
            "ind_count": "{n} ตัวชี้วัด ข้อมูลรายอำเภอ พร้อมกราฟ",
            "data_card": "ดาวน์โหลดข้อมูลและ API",
            "data_text": "CSV, Excel, GeoJSON และ JSON API (รูปแบบ CKAN)",
            "req_card": "ขอข้อมูลข่าวสาร และแบบสำรวจความพึงพอใจ",
            "req_text": "ส่งคำขอข้อมูลหรือบอกเราว่าเว็บไซต์นี้ใช้งานได้ดีเพียงใด",
            "open": "เปิด",
        },
        "en": {
            "title": "Public information",
            "lead": "What the province publishes: search, download and request more, without signing in",
            "search": "Search",
            "placeholder": "e.g. durian, population, budget, K01",
            "results": "{n} result(s)",
            "none": "Nothing matches",
            "kpi": "KPI",
            "indicator": "Provincial indicator",
            "s9": "Section 9 register",
            "dataset": "Open dataset",
            "s9_card": "Official Information Act, section 9",
            "s9_share": "{c} of 8 categories current ({p}%)",
            "kpi_card": "Open KPIs",
            "kpi_count": "{n} KPIs with charts of their results",
            "ind_card": "Provincial database",
            "ind_count": "{n} indicators by district, with charts",
            "data_card": "Downloads and API",
            "data_text": "CSV, Excel, GeoJSON and a CKAN-style JSON API",
            "req_card": "Request information; satisfaction survey",
            "req_text": "Ask for information or tell us how this website serves you",
            "open": "Open",
        },
    },
)


def _card(title, text, href, id_):
    link = (html.A if href.startswith("/api") else dcc.Link)(title, href=href, className="stretched-link")
    return html.Div(
        html.Div([html.H2(link, className="h5"), html.P(text, className="mb-2")], className="card-body"),
        className="card sy-card h-100 position-relative",
        id=id_,
    )


@auth.page_access
def layout(q=None, **_kwargs) -> html.Div:
    lang = current_lang()
    tx = TEXT[lang]
    head = [html.H1(tx["title"], className="sy-page-title", id="open-title"), html.P(tx["lead"], className="lead")]
    if not db.available():
        return html.Div(head + [no_warehouse(lang, id_prefix="open-nowh")], className="sy-page", id="open-page")
    eng = ops.engine()
    today = date.today()
    portal.seed_sample(eng, today)
    cur = portal.currency(portal.register(eng), today)
    kpis = db.query("entry/kpis")
    inds = db.query("open/indicators")
    cards = [
        _card(tx["kpi_card"], tx["kpi_count"].format(n=len(kpis)), "/open/kpi", "open-card-kpi"),
        _card(tx["ind_card"], tx["ind_count"].format(n=len(inds)), "/open/indicators", "open-card-indicators"),
        _card(
            tx["s9_card"],
            tx["s9_share"].format(c=cur["current"], p=thai.format_number(cur["share"], 1, lang)),
            "/open/s9",
            "open-card-s9",
        ),
        _card(tx["data_card"], tx["data_text"], "/api/v1/datasets", "open-card-data"),
        _card(tx["req_card"], tx["req_text"], "/open/request", "open-card-request"),
    ]
    return html.Div(
        head
        + [
            html.Div(
                [
                    html.Label(tx["search"], htmlFor="open-q", className="form-label"),
                    dcc.Input(
                        id="open-q",
                        type="search",
                        value=q or "",
                        placeholder=tx["placeholder"],
                        className="form-control form-control-lg",
                        debounce=0.3,
                        maxLength=100,
                        autoComplete="off",
                    ),
                ],
                className="mb-2",
            ),
            dcc.Loading(html.Div(id="open-results", role="status", className="mb-4")),
            html.Div(
                [html.Div(c, className="col") for c in cards],
                className="row row-cols-1 row-cols-md-2 row-cols-xl-3 g-3",
                id="open-cards",
            ),
        ],
        className="sy-page",
        id="open-page",
    )


def _match(q: str, *texts) -> bool:
    return any(q in str(t or "").casefold() for t in texts)


def search(q: str, lang: str) -> list[dict]:
    """Open things whose code, Thai or English title contains ``q``: [{kind, code, title, href}]."""
    q = thai.to_arabic_digits(q or "").strip().casefold()
    if len(q) < 2 and not q.isdigit():
        return []
    name = "name_th" if lang == "th" else "name_en"
    out = []
    for r in db.query("entry/kpis").itertuples():
        if _match(q, r.kpi_code, r.name_th, r.name_en):
            out.append(
                {"kind": "kpi", "code": r.kpi_code, "title": getattr(r, name), "href": f"/open/kpi?kpi={r.kpi_code}"}
            )
    for r in db.query("open/indicators").itertuples():
        if _match(q, r.indicator_code, r.name_th, r.name_en):
            out.append(
                {
                    "kind": "indicator",
                    "code": r.indicator_code,
                    "title": getattr(r, name),
                    "href": f"/open/indicators?indicator={r.indicator_code}",
                }
            )
    for it in portal.register(ops.engine()):
        if _match(q, it["title"], it["unit"]):
            out.append({"kind": "s9", "code": f"9({it['category']})", "title": it["title"], "href": "/open/s9"})
    try:
        from web import api

        for d in api.DATASETS.values():
            if _match(q, d["name"], *d["title"].values(), *d.get("notes", {}).values()):
                out.append(
                    {
                        "kind": "dataset",
                        "code": d["name"],
                        "title": d["title"][lang],
                        "href": f"/api/v1/datasets/{d['name']}",
                    }
                )
    except (ImportError, AttributeError, KeyError, TypeError):  # the API registry is optional here
        pass
    return out[:50]


@callback(Output("open-results", "children"), Input("open-q", "value"))
def _search(q):
    lang = current_lang()
    tx = TEXT[lang]
    if not (q or "").strip():
        return None
    hits = search(q, lang)
    if not hits:
        return html.P(tx["none"], className="sy-meta", id="open-no-results")
    return [
        html.P(tx["results"].format(n=len(hits)), className="sy-meta", id="open-result-count"),
        html.Ul(
            [
                html.Li(
                    [
                        html.Span(tx[h["kind"]], className="badge text-bg-light border me-2"),
                        (html.A if h["href"].startswith("/api") else dcc.Link)(
                            f"{h['code']} {h['title']}", href=h["href"]
                        ),
                    ],
                    **{"data-kind": h["kind"]},
                )
                for h in hits
            ],
            className="list-unstyled",
            id="open-result-list",
        ),
    ]
