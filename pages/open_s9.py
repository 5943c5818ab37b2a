"""/open/s9: the Official Information Act B.E. 2540 section 9 register (IT4), public: entries by
category (1)–(8) with title, document or link, published date, responsible unit and review due
date; which categories are current and their share. Editors and admins add and update entries
here (ops/portal.py checks the role again on the server)."""

from __future__ import annotations

from datetime import date

import dash
import dash_bootstrap_components as dbc
import flask
from dash import Input, Output, State, callback, dcc, html, no_update

import ops
from components import thai
from components.i18n import current_lang, words
from components.layout import labelled_select, provenance_badge
from ops import portal
from web import auth

dash.register_page(
    __name__,
    path="/open/s9",
    name="ข้อมูลข่าวสารตามมาตรา 9",
    name_en="Section 9 register",
    title="ข้อมูลข่าวสารตามมาตรา 9 · สัญญาณ Sanyan",
    order=93,
    nav=False,
)

TEXT = words(
    "open_s9",
    {
        "th": {
            "title": "ข้อมูลข่าวสารที่เปิดให้ตรวจดูตามมาตรา 9",
            "back": "← ข้อมูลสาธารณะ",
            "lead": "พระราชบัญญัติข้อมูลข่าวสารของราชการ พ.ศ. 2540 มาตรา 9 (1)–(8)",
            "share": "หมวดที่มีข้อมูลเป็นปัจจุบัน {c} จาก 8 หมวด ({p}%)",
            "current": "✓ เป็นปัจจุบัน",
            "stale": "✗ ไม่มีรายการที่เป็นปัจจุบัน",
            "cols": ["เรื่อง", "เอกสารหรือลิงก์", "วันที่เผยแพร่", "หน่วยงาน", "ทบทวนภายใน"],
            "none": "ยังไม่มีรายการ",
            "due_passed": "⚠ เลยกำหนดทบทวน",
            "add": "เพิ่มรายการในทะเบียน",
            "category": "หมวด",
            "f_title": "ชื่อเรื่อง",
            "link": "เอกสารหรือลิงก์",
            "published": "วันที่เผยแพร่",
            "unit": "หน่วยงานรับผิดชอบ",
            "review": "ทบทวนภายในวันที่",
            "save": "บันทึก",
            "saved": "บันทึกแล้ว",
            "bad_date": "วันที่ไม่ถูกต้อง (ใช้ 30/11/2569, 2026-11-30 หรือ 30 พ.ย. 2569)",
        },
        "en": {
            "title": "Information open for inspection under section 9",
            "back": "← Public information",
            "lead": "Official Information Act B.E. 2540, section 9 (1)–(8)",
            "share": "{c} of 8 categories current ({p}%)",
            "current": "✓ current",
            "stale": "✗ nothing current",
            "cols": ["Title", "Document or link", "Published", "Unit", "Review by"],
            "none": "No entry yet",
            "due_passed": "⚠ review overdue",
            "add": "Add an entry",
            "category": "Category",
            "f_title": "Title",
            "link": "Document or link",
            "published": "Published on",
            "unit": "Responsible unit",
            "review": "Review by",
            "save": "Save",
            "saved": "Saved",
            "bad_date": "Not a date (use 30/11/2569, 2026-11-30 or 30 Nov 2026)",
        },
    },
)


def _link(text: str):
    """A web address becomes a link; anything else (where the paper is kept) stays text."""
    if text.startswith(("https://", "http://")) or (text.startswith("/") and not text.startswith("//")):
        return html.A(text, href=text, rel="noopener noreferrer")
    return text


def _register(lang: str) -> list:
    tx = TEXT[lang]
    today = date.today()
    items = portal.register(ops.engine())
    cur = portal.currency(items, today)
    out = [
        html.P(
            tx["share"].format(c=cur["current"], p=thai.format_number(cur["share"], 1, lang)),
            className="lead",
            id="opens9-share",
            **{"data-share": str(cur["share"])},
        )
    ]
    cols = tx["cols"]
    for cat, (th, en) in portal.CATEGORIES.items():
        mine = [it for it in items if it["category"] == cat]
        ok = cur["categories"][cat]["current"] > 0
        head = html.H2(
            [
                f"({cat}) {th if lang == 'th' else en} ",
                html.Span(
                    tx["current"] if ok else tx["stale"],
                    className="sy-status-sm badge " + ("text-bg-success" if ok else "text-bg-light border"),
                ),
            ],
            className="h5 mt-4",
            **{"data-category": str(cat), "data-current": str(ok).lower()},
        )
        if not mine:
            out += [head, html.P(tx["none"], className="sy-meta")]
            continue
        body = [
            html.Tr(
                [
                    html.Td(
                        [it["title"], " ", provenance_badge("sample", lang) if it["provenance"] == "sample" else None],
                        **{"data-label": cols[0]},
                    ),
                    html.Td(_link(it["link"]), className="sy-wrap", **{"data-label": cols[1]}),
                    html.Td(thai.format_date_th(it["published_on"], lang, abbr=True), **{"data-label": cols[2]}),
                    html.Td(it["unit"], **{"data-label": cols[3]}),
                    html.Td(
                        [
                            thai.format_date_th(it["review_due"], lang, abbr=True),
                            html.Span(" " + tx["due_passed"], className="fw-bold")
                            if it["review_due"] < today
                            else None,
                        ],
                        **{"data-label": cols[4]},
                    ),
                ],
                **{"data-item": str(it["item_id"])},
            )
            for it in mine
        ]
        out += [
            head,
            html.Div(
                html.Table(
                    [html.Thead(html.Tr([html.Th(c, scope="col") for c in cols])), html.Tbody(body)],
                    className="table table-sm sy-table sy-stack",
                ),
                className="table-responsive",
            ),
        ]
    return out


@auth.page_access
def layout(**_kwargs) -> html.Div:
    lang = current_lang()
    tx = TEXT[lang]
    portal.seed_sample(ops.engine(), date.today())
    keeper = auth.actor().role in portal.KEEPERS
    cats = [
        {"label": f"({k}) {th if lang == 'th' else en}", "value": str(k)} for k, (th, en) in portal.CATEGORIES.items()
    ]

    def field(id_, label, **kw):
        return html.Div([html.Label(label, htmlFor=id_), dcc.Input(id=id_, className="form-control", **kw)])

    form = html.Section(
        [
            html.H2(tx["add"], className="h4 mt-4"),
            html.Div(
                [
                    labelled_select("opens9-category", tx["category"], cats, "3"),
                    field("opens9-f-title", tx["f_title"], maxLength=500),
                    field("opens9-link", tx["link"], maxLength=1000),
                    field(
                        "opens9-published",
                        tx["published"],
                        maxLength=30,
                        value=thai.format_date_th(date.today(), lang, abbr=True),
                    ),
                    field("opens9-unit", tx["unit"], maxLength=200),
                    field("opens9-review", tx["review"], maxLength=30),
                ],
                className="sy-filters",
            ),
            html.Button(tx["save"], id="opens9-save", className="btn btn-primary mt-2"),
            html.Div(id="opens9-msg", className="mt-2", role="status"),
        ],
        hidden=not keeper,
        id="opens9-form",
    )
    return html.Div(
        [
            dcc.Link(tx["back"], href="/open"),
            html.H1(tx["title"], className="sy-page-title", id="opens9-title"),
            html.P(tx["lead"], className="sy-meta"),
            html.Div(_register(lang), id="opens9-register"),
            form,
        ],
        className="sy-page",
        id="opens9-page",
    )


@callback(
    Output("opens9-msg", "children"),
    Output("opens9-register", "children"),
    Input("opens9-save", "n_clicks"),
    State("opens9-category", "value"),
    State("opens9-f-title", "value"),
    State("opens9-link", "value"),
    State("opens9-published", "value"),
    State("opens9-unit", "value"),
    State("opens9-review", "value"),
    prevent_initial_call=True,
)
def _save(_n, category, title, link, published, unit, review):
    lang = current_lang()
    tx = TEXT[lang]
    from inputs.parsing import parse_date

    try:
        pub, due = parse_date(published), parse_date(review)
    except ValueError:
        return dbc.Alert(tx["bad_date"], color="danger", id="opens9-error"), no_update
    try:
        portal.save_item(
            ops.engine(),
            auth.actor(),
            category=category,
            title=title,
            link=link,
            published_on=pub,
            unit=unit,
            review_due=due,
        )
    except portal.Forbidden:
        flask.abort(403)
    except portal.EntryError as e:
        return dbc.Alert(e.text(lang), color="danger", id="opens9-error"), no_update
    return dbc.Alert(tx["saved"], color="success", id="opens9-ok"), _register(lang)
