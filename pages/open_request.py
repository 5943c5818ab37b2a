"""/open/request: ask the province for information, and the satisfaction survey (IT4, RM 4.2 and
RM 4.3), for anyone, without signing in. The spam limits live in ops/portal.py (hidden field,
length caps, a few sends per hour per sender); the sender is a keyed hash of the address."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import flask
from dash import Input, Output, State, callback, dcc, html, no_update

import ops
from components.i18n import current_lang, words
from config import settings
from ops import portal
from web import auth

dash.register_page(
    __name__,
    path="/open/request",
    name="ขอข้อมูลและแบบสำรวจ",
    name_en="Requests and survey",
    title="ขอข้อมูลข่าวสาร · สัญญาณ Sanyan",
    order=94,
    nav=False,
)

TEXT = words(
    "open_request",
    {
        "th": {
            "title": "ขอข้อมูลข่าวสาร และแบบสำรวจความพึงพอใจ",
            "back": "← ข้อมูลสาธารณะ",
            "request": "ขอข้อมูลข่าวสาร",
            "name": "ชื่อ–นามสกุล",
            "contact": "อีเมลหรือโทรศัพท์สำหรับติดต่อกลับ",
            "subject": "ข้อมูลที่ต้องการ",
            "detail": "รายละเอียด",
            "send": "ส่งคำขอ",
            "sent": "ได้รับคำขอเลขที่ {n} แล้ว เจ้าหน้าที่จะติดต่อกลับตามช่องทางที่ให้ไว้",
            "survey": "แบบสำรวจความพึงพอใจ",
            "survey_lead": "ให้คะแนน 1 (น้อยที่สุด) ถึง 5 (มากที่สุด)",
            "rm42": "การเข้าถึงข้อมูลผ่านเว็บไซต์ของจังหวัด",
            "rm43": "การเปิดเผยข้อมูลข่าวสารตาม พ.ร.บ.ข้อมูลข่าวสารฯ",
            "comment": "ข้อเสนอแนะ (ถ้ามี)",
            "send_survey": "ส่งแบบสำรวจ",
            "thanks": "ขอบคุณสำหรับความคิดเห็น",
            "trap": "เว้นช่องนี้ว่างไว้",
        },
        "en": {
            "title": "Request information; satisfaction survey",
            "back": "← Public information",
            "request": "Request information",
            "name": "Full name",
            "contact": "E-mail or telephone to reply to",
            "subject": "What information",
            "detail": "Details",
            "send": "Send the request",
            "sent": "Request number {n} received: an officer will reply by the contact you gave",
            "survey": "Satisfaction survey",
            "survey_lead": "Score 1 (least) to 5 (most)",
            "rm42": "Reaching information on the province's website",
            "rm43": "Disclosure under the Official Information Act",
            "comment": "Comments (optional)",
            "send_survey": "Send the survey",
            "thanks": "Thank you",
            "trap": "Leave this empty",
        },
    },
)
SCALE = ("1", "2", "3", "4", "5")


def _sender() -> str:
    # the peer's address as the server sees it (a header could be forged; behind a reverse proxy,
    # wrap the app in werkzeug's ProxyFix so this is the client's)
    return portal.sender_key(flask.request.remote_addr or "-", settings.secret_key)


@auth.page_access
def layout(**_kwargs) -> html.Div:
    lang = current_lang()
    tx = TEXT[lang]

    def field(id_, label, area=False, **kw):
        ctl = (
            dcc.Textarea(id=id_, className="form-control", rows=4, **kw)
            if area
            else dcc.Input(id=id_, className="form-control", **kw)
        )
        return html.Div([html.Label(label, htmlFor=id_), ctl], className="mb-2")

    # a field people never see (display none: not focusable, not read aloud); a bot filling every
    # input fills it and its request is dropped
    trap = html.Div(
        [html.Label(tx["trap"], htmlFor="openreq-website"), dcc.Input(id="openreq-website", autoComplete="off")],
        style={"display": "none"},
    )
    questions = []
    for measure in ("rm42", "rm43"):
        questions.append(html.H3(tx[measure], className="h6 mt-3"))
        for key, (m, th, en) in portal.QUESTIONS.items():
            if m != measure:
                continue
            questions.append(
                html.Fieldset(
                    [
                        html.Legend(th if lang == "th" else en, className="fs-6 mb-1"),
                        dbc.RadioItems(
                            id=f"openreq-q-{key}",
                            options=[{"label": s, "value": s} for s in SCALE],
                            inline=True,
                            value=None,
                        ),
                    ],
                    className="mb-2",
                    **{"data-question": key},
                )
            )
    return html.Div(
        [
            dcc.Link(tx["back"], href="/open"),
            html.H1(tx["title"], className="sy-page-title", id="openreq-title"),
            html.Section(
                [
                    html.H2(tx["request"], className="h4"),
                    field("openreq-name", tx["name"], maxLength=portal.MAX["name"]),
                    field("openreq-contact", tx["contact"], maxLength=portal.MAX["contact"]),
                    field("openreq-subject", tx["subject"], maxLength=portal.MAX["subject"]),
                    field("openreq-detail", tx["detail"], area=True, maxLength=portal.MAX["detail"]),
                    trap,
                    html.Button(tx["send"], id="openreq-send", className="btn btn-primary"),
                    html.Div(id="openreq-msg", className="mt-2", role="status"),
                ],
                className="sy-card p-3 mb-4",
                id="openreq-request",
            ),
            html.Section(
                [
                    html.H2(tx["survey"], className="h4"),
                    html.P(tx["survey_lead"], className="sy-meta"),
                    *questions,
                    field("openreq-comment", tx["comment"], area=True, maxLength=portal.MAX["comment"]),
                    html.Button(tx["send_survey"], id="openreq-survey-send", className="btn btn-primary"),
                    html.Div(id="openreq-survey-msg", className="mt-2", role="status"),
                ],
                className="sy-card p-3",
                id="openreq-survey",
            ),
        ],
        className="sy-page",
        id="openreq-page",
    )


@callback(
    Output("openreq-msg", "children"),
    Output("openreq-send", "disabled"),
    Input("openreq-send", "n_clicks"),
    State("openreq-name", "value"),
    State("openreq-contact", "value"),
    State("openreq-subject", "value"),
    State("openreq-detail", "value"),
    State("openreq-website", "value"),
    prevent_initial_call=True,
)
def _send(_n, name, contact, subject, detail, trap):
    lang = current_lang()
    tx = TEXT[lang]
    try:
        rid = portal.send_request(
            ops.engine(), _sender(), name=name, contact=contact, subject=subject, detail=detail, honeypot=trap
        )
    except portal.EntryError as e:
        return dbc.Alert(e.text(lang), color="danger", id="openreq-error"), no_update
    return dbc.Alert(tx["sent"].format(n=rid), color="success", id="openreq-ok"), True


@callback(
    Output("openreq-survey-msg", "children"),
    Output("openreq-survey-send", "disabled"),
    Input("openreq-survey-send", "n_clicks"),
    *[State(f"openreq-q-{k}", "value") for k in portal.QUESTIONS],
    State("openreq-comment", "value"),
    State("openreq-website", "value"),
    prevent_initial_call=True,
)
def _survey(_n, *values):
    lang = current_lang()
    tx = TEXT[lang]
    scores = dict(zip(portal.QUESTIONS, values[: len(portal.QUESTIONS)]))
    comment, trap = values[len(portal.QUESTIONS) :]
    try:
        portal.send_survey(ops.engine(), _sender(), scores, comment, honeypot=trap)
    except portal.EntryError as e:
        return dbc.Alert(e.text(lang), color="danger", id="openreq-survey-error"), no_update
    return dbc.Alert(tx["thanks"], color="success", id="openreq-survey-ok"), True
