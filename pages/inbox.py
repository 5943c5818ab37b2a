"""/inbox: the reader's warnings, newest first (ops/events.py, web/notices.py): a KPI that turned
red or recovered, a report now late, a KPI projected to miss or warned by a leading KPI, a value
flagged by the after-storing check, a directive overdue. Each with its light (icon and word), the
period and the area, and a link to the KPI at that round. Opening the page marks them seen (the
navbar's bell counts the unseen). Here too the reader chooses what they hear beyond their role's
defaults: follow a KPI, mute one, stop the e-mails, the language of their messages
(ops/notify.py sends them); ``/inbox?follow=K01`` comes with that KPI chosen. When the office's
LINE Official Account is set up, the reader links their LINE user id here (ops/line.py): they type
it, a one-time code is pushed to it, they type the code back."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, ctx, dcc, html, no_update

import db
import ops
from components import thai
from components.cockpit import query_string
from components.i18n import current_lang, pick, t, words
from components.icons import icon
from components.layout import no_warehouse, sample_caption, stack_table
from components.status import status_badge
from ops import events, line
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
            "settings": "การรับแจ้งเตือนของท่าน",
            "email": "อีเมล: {email}",
            "no_email": "ยังไม่มีอีเมลของท่านในระบบ จึงไม่มีการส่งอีเมล แจ้งเตือนจะแสดงในหน้านี้เท่านั้น"
            " ผู้ดูแลระบบเพิ่มอีเมลให้ท่านได้ที่หน้า ผู้ดูแลระบบ (บัญชีผู้ใช้)",
            "send_email": "ส่งแจ้งเตือนทางอีเมลด้วย",
            "msg_lang": "ภาษาของข้อความ",
            "kpi": "ตัวชี้วัด",
            "pick": "— เลือกตัวชี้วัด —",
            "follow": "ติดตาม (แจ้งทุกการเปลี่ยนแปลง)",
            "mute": "ไม่รับแจ้งตัวชี้วัดนี้",
            "chosen": "ตัวชี้วัดที่ท่านเลือกเอง",
            "none_chosen": "ยังไม่ได้เลือก: ได้รับแจ้งตามบทบาทของท่าน",
            "mode_follow": "ติดตาม",
            "mode_mute": "ไม่รับแจ้ง",
            "undo": "ยกเลิก",
            "saved": "บันทึกแล้ว",
            "no_kpi": "กรุณาเลือกตัวชี้วัดที่ท่านอ่านได้",
            "line_title": "LINE",
            "line_linked": "เชื่อม LINE แล้ว ({line_id}): ท่านได้รับแจ้งเตือนทาง LINE เช่นเดียวกับทางอีเมล",
            "line_none": "ยังไม่ได้เชื่อม LINE กรอกรหัสผู้ใช้ LINE ของท่าน (ขึ้นต้นด้วย U ตามด้วยตัวอักษร 32 ตัว"
            " ขอได้จากผู้ดูแลระบบ) แล้วกด ส่งรหัส ระบบจะส่งรหัส 6 หลักไปทาง LINE ของสำนักงาน"
            " ให้กรอกรหัสนั้นภายใน 15 นาที (ต้องเพิ่มบัญชี LINE ของสำนักงานเป็นเพื่อนก่อน)",
            "line_id": "รหัสผู้ใช้ LINE",
            "line_send": "ส่งรหัส",
            "line_code": "รหัส 6 หลักที่ได้รับทาง LINE",
            "line_confirm": "ยืนยัน",
            "line_unlink": "เลิกรับทาง LINE",
            "line_sent": "ส่งรหัสไปทาง LINE แล้ว กรุณากรอกรหัสภายใน 15 นาที",
            "line_bad_id": "รหัสผู้ใช้ LINE ต้องขึ้นต้นด้วย U ตามด้วยเลขฐานสิบหก 32 ตัว",
            "line_off": "สำนักงานยังไม่ได้ตั้งค่า LINE",
            "line_too_many": "ขอรหัสหรือกรอกรหัสผิดหลายครั้งเกินไป กรุณาลองใหม่ภายหลัง",
            "line_failed": "ส่งรหัสทาง LINE ไม่สำเร็จ ตรวจสอบรหัสผู้ใช้ และว่าได้เพิ่มบัญชี LINE ของสำนักงานเป็นเพื่อนแล้ว",
            "line_bad_code": "กรุณากรอกรหัสตัวเลข 6 หลัก",
            "line_wrong": "รหัสไม่ถูกต้อง",
            "line_expired": "รหัสหมดอายุแล้ว กรุณาขอรหัสใหม่",
            "line_no_code": "ยังไม่มีรหัสที่ใช้ได้ กรุณากด ส่งรหัส ก่อน",
            "line_done": "เชื่อม LINE เรียบร้อยแล้ว",
            "line_gone": "เลิกรับแจ้งเตือนทาง LINE แล้ว",
        },
        "en": {
            "title": "Warnings",
            "lead": "What changed in the KPIs you own or follow since the previous snapshot",
            "empty": "No warnings yet",
            "new": "new",
            "cols": ["What", "KPI", "Area", "Round", "Status", "When"],
            "settings": "What you hear",
            "email": "E-mail: {email}",
            "no_email": "No e-mail address of yours is stored, so nothing is e-mailed: warnings show on this page"
            " only. An admin adds your address on the Admin page (accounts)",
            "send_email": "Also send my warnings by e-mail",
            "msg_lang": "Language of my messages",
            "kpi": "KPI",
            "pick": "— choose a KPI —",
            "follow": "Follow (hear every change)",
            "mute": "Mute this KPI",
            "chosen": "KPIs you chose yourself",
            "none_chosen": "None: you hear what your role hears",
            "mode_follow": "following",
            "mode_mute": "muted",
            "undo": "Undo",
            "saved": "Saved",
            "no_kpi": "Choose a KPI you may read",
            "line_title": "LINE",
            "line_linked": "LINE linked ({line_id}): you hear your warnings by LINE as by e-mail",
            "line_none": "LINE is not linked. Type your LINE user id (U and 32 characters; an admin can tell you"
            " yours) and press Send code: a 6-digit code comes by the office's LINE account; type it"
            " within 15 minutes (add the office's LINE account as a friend first)",
            "line_id": "LINE user id",
            "line_send": "Send code",
            "line_code": "The 6-digit code you got by LINE",
            "line_confirm": "Confirm",
            "line_unlink": "Stop LINE messages",
            "line_sent": "The code was sent by LINE: type it within 15 minutes",
            "line_bad_id": "A LINE user id is U and 32 hexadecimal digits",
            "line_off": "The office has not set up LINE",
            "line_too_many": "Too many codes or wrong tries: please try again later",
            "line_failed": "The code could not be sent by LINE: check the id, and that you added the office's"
            " LINE account as a friend",
            "line_bad_code": "Type the 6-digit code",
            "line_wrong": "That code is not right",
            "line_expired": "The code has expired: ask for a new one",
            "line_no_code": "No code is live: press Send code first",
            "line_done": "LINE is linked",
            "line_gone": "LINE messages stopped",
        },
    },
)
ICON = {
    "turned_red": "■",
    "recovered": "●",
    "late": "◆",
    "projected_miss": "▼",
    "leading_warning": icon("flag"),
    "flagged": "?",
    "directive_overdue": "⚠",
}


def _readable() -> dict[str, str]:
    """The KPIs this reader may read: code -> name (db.py keeps only those)."""
    lang = current_lang()
    kpis = db.query("events/kpis")
    return {r.kpi_code: f"{r.kpi_code} {pick(r.name_th, r.name_en, lang)}" for r in kpis.itertuples()}


def _choices_list(lang: str, choices: dict[str, str], names: dict[str, str]) -> html.Div:
    """The KPIs the reader chose to follow or mute (``choices``, of ``events.choices``), by name."""
    tx = TEXT[lang]
    mine = {k: m for k, m in choices.items() if k != "*"}
    if not mine:
        return html.P(tx["none_chosen"], className="sy-meta", id="inbox-none-chosen")
    items = [
        html.Li(
            [
                html.Span(names.get(k, k)),
                " · ",
                html.Strong(tx[f"mode_{m}"]),
                " ",
                html.Button(
                    tx["undo"],
                    id={"type": "inbox-undo", "index": k},
                    className="btn btn-sm btn-link p-0 align-baseline",
                ),
            ],
            **{"data-kpi": k, "data-mode": m},
        )
        for k, m in sorted(mine.items())
        if k in names
    ]
    return html.Ul(items, id="inbox-chosen", className="mb-0")


def _settings(lang: str, follow: str | None) -> html.Section:
    tx = TEXT[lang]
    who = auth.actor()
    me = auth.accounts(ops.engine(), who.username)
    me = me[0] if me else {}
    choices = events.choices(ops.engine(), who.username)
    muted_all = choices.get("*") == "mute"
    names = _readable()
    options = [{"label": v, "value": k} for k, v in names.items()]
    email = me.get("email")
    return html.Section(
        [
            html.H2(tx["settings"], className="h5", id="inbox-settings-title"),
            html.P(tx["email"].format(email=email) if email else tx["no_email"], className="sy-meta", id="inbox-email"),
            html.Div(
                [
                    # the e-mail choice only where there is an address to send to
                    dbc.Checkbox(id="inbox-send-email", label=tx["send_email"], value=not muted_all) if email else None,
                    html.Div(
                        [
                            html.Label(tx["msg_lang"], htmlFor="inbox-msg-lang"),
                            dbc.Select(
                                id="inbox-msg-lang",
                                options=[{"label": "ไทย", "value": "th"}, {"label": "English", "value": "en"}],
                                value=me.get("lang") or lang,
                            ),
                        ]
                    ),
                ],
                className="sy-filters",
            ),
            html.Div(
                [
                    html.Div(
                        [
                            html.Label(tx["kpi"], htmlFor="inbox-kpi"),
                            dbc.Select(
                                id="inbox-kpi",
                                options=options,
                                value=follow if follow in names else "",
                                placeholder=tx["pick"],
                            ),
                        ]
                    ),
                    html.Div(
                        [
                            html.Button(
                                tx["follow"], id="inbox-follow", className="btn btn-primary me-2", type="button"
                            ),
                            html.Button(
                                tx["mute"], id="inbox-mute", className="btn btn-outline-secondary", type="button"
                            ),
                        ],
                        className="align-self-end",
                    ),
                ],
                className="sy-filters mt-2",
            ),
            html.Div(_line_box(lang, me.get("line_id")), id="inbox-line-box") if line.enabled() else None,
            html.H3(tx["chosen"], className="h6 mt-3"),
            html.Div(_choices_list(lang, choices, names), id="inbox-chosen-box"),
            html.Div(id="inbox-msg", role="status", className="mt-2"),
        ],
        className="mb-4",
        id="inbox-settings",
        **{"aria-labelledby": "inbox-settings-title"},
    )


def _line_box(lang: str, line_id: str | None) -> html.Div:
    """The reader's LINE: linked (and a way to stop it), or a way to link it by a pushed code."""
    tx = TEXT[lang]
    head = html.H3(tx["line_title"], className="h6 mt-3", id="inbox-line-title")
    if line_id:
        shown = f"{line_id[:5]}…{line_id[-4:]}"
        return html.Div(
            [
                head,
                html.P(tx["line_linked"].format(line_id=shown), className="sy-meta", id="inbox-line-state"),
                html.Div(
                    html.Button(
                        tx["line_unlink"], id="inbox-line-unlink", className="btn btn-outline-secondary", type="button"
                    ),
                    className="sy-filters",
                ),
                html.Div(id="inbox-line-msg", role="status", className="mt-2"),
            ],
            **{"data-linked": "yes"},
        )
    field = "form-control"
    return html.Div(
        [
            head,
            html.P(tx["line_none"], className="sy-meta", id="inbox-line-state"),
            html.Div(
                [
                    html.Div(
                        [
                            html.Label(tx["line_id"], htmlFor="inbox-line-id"),
                            dcc.Input(
                                id="inbox-line-id", type="text", maxLength=40, className=field, autoComplete="off"
                            ),
                        ]
                    ),
                    html.Div(
                        html.Button(tx["line_send"], id="inbox-line-send", className="btn btn-primary", type="button"),
                        className="align-self-end",
                    ),
                    html.Div(
                        [
                            html.Label(tx["line_code"], htmlFor="inbox-line-code"),
                            dcc.Input(
                                id="inbox-line-code",
                                type="text",
                                inputMode="numeric",
                                maxLength=6,
                                className=field,
                                autoComplete="one-time-code",
                            ),
                        ]
                    ),
                    html.Div(
                        html.Button(
                            tx["line_confirm"], id="inbox-line-confirm", className="btn btn-primary", type="button"
                        ),
                        className="align-self-end",
                    ),
                ],
                className="sy-filters",
            ),
            html.Div(id="inbox-line-msg", role="status", className="mt-2"),
        ],
        **{"data-linked": "no"},
    )


@auth.page_access
def layout(follow: str | None = None, **_kwargs) -> html.Div:
    lang = current_lang()
    tx = TEXT[lang]
    head = [html.H1(tx["title"], id="inbox-title", className="sy-page-title"), html.P(tx["lead"], className="lead")]
    if not db.available():
        return html.Div(head + [no_warehouse(lang, id_prefix="inbox-nowh")], className="sy-page", id="inbox-page")
    head.append(_settings(lang, follow if isinstance(follow, str) else None))
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
        what = [html.Span(ICON.get(e["kind"], "•"), **{"aria-hidden": "true"}), " ", t(f"event.{e['kind']}", lang)]
        if fresh:
            what += [" ", html.Span(tx["new"], className="badge text-bg-primary")]
        href = (
            "/directives"
            if e["kind"] == "directive_overdue"
            else f"/kpi/{e['kpi_code']}" + query_string(fy=e["fiscal_year"])
        )
        name = kpis[name_col].get(e["kpi_code"], "") if e["kpi_code"] in kpis.index else ""
        when = thai.format_fiscal_year(e["fiscal_year"], lang)
        if e["month"]:
            when = f"{thai.month_name(e['month'], lang, abbr=True)} {when}"
        status = (
            html.Span(t(f"event.{e['kind']}", lang), className="fw-bold")
            if e["kind"] in ("directive_overdue", "flagged")
            else status_badge(e["status"], lang, small=True)
        )
        cells = [
            html.Td(what, **{"data-label": cols[0]}),
            html.Td(dcc.Link(f"{e['kpi_code']} {name}", href=href), className="sy-wrap", **{"data-label": cols[1]}),
            html.Td(areas[name_col].get(e["area_code"], e["area_code"]), **{"data-label": cols[2]}),
            html.Td(when, **{"data-label": cols[3]}),
            html.Td(status, **{"data-label": cols[4]}),
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


def _signed_in():
    who = auth.actor()
    if who.role == "public":  # the guard refuses first; this page checks again
        raise dash.exceptions.PreventUpdate
    return who


@callback(
    Output("inbox-msg", "children"),
    Output("inbox-chosen-box", "children"),
    Input("inbox-follow", "n_clicks"),
    Input("inbox-mute", "n_clicks"),
    Input({"type": "inbox-undo", "index": ALL}, "n_clicks"),
    State("inbox-kpi", "value"),
    prevent_initial_call=True,
)
def _choose(_f, _m, undo, kpi):
    who = _signed_in()
    lang = current_lang()
    tx = TEXT[lang]
    trig = ctx.triggered_id
    if isinstance(trig, dict):
        if not any(undo or []):
            return no_update, no_update
        kpi, mode = str(trig.get("index")), None
    else:
        mode = "follow" if trig == "inbox-follow" else "mute"
    if not kpi or not notices.choose(kpi, mode):  # never a KPI this reader may not read (checked there)
        return html.Div(tx["no_kpi"], className="alert alert-danger mb-0", role="alert"), no_update
    names = _readable()
    return html.Div(tx["saved"], className="alert alert-success mb-0"), _choices_list(
        lang, events.choices(ops.engine(), who.username), names
    )


# two callbacks: the e-mail switch is on the page only for a reader with an address
@callback(
    Output("inbox-msg", "children", allow_duplicate=True),
    Input("inbox-send-email", "value"),
    prevent_initial_call=True,
)
def _email(send):
    who = _signed_in()
    events.choose(ops.engine(), who.username, "*", None if send else "mute")
    ops.record_audit(ops.engine(), "inbox.email", target=who.username, who=who.username, after={"send": bool(send)})
    return html.Div(TEXT[current_lang()]["saved"], className="alert alert-success mb-0")


@callback(
    Output("inbox-msg", "children", allow_duplicate=True),
    Input("inbox-msg-lang", "value"),
    prevent_initial_call=True,
)
def _msg_lang(msg_lang):
    who = _signed_in()
    if msg_lang not in ("th", "en"):
        return no_update
    auth.update_user(ops.engine(), who.username, lang=msg_lang, by=who.username)
    return html.Div(TEXT[current_lang()]["saved"], className="alert alert-success mb-0")


# LINE: link by a code pushed to the id (ops/line.py); every input is checked to be text first
def _said(key: str, good: bool = False) -> html.Div:
    tx = TEXT[current_lang()]
    if good:
        return html.Div(tx[key], className="alert alert-success mb-0")
    return html.Div(tx[key], className="alert alert-danger mb-0", role="alert")


@callback(
    Output("inbox-line-msg", "children"),
    Input("inbox-line-send", "n_clicks"),
    State("inbox-line-id", "value"),
    prevent_initial_call=True,
)
def _line_send(clicks, line_id):
    who = _signed_in()
    if not isinstance(clicks, int) or not clicks or not isinstance(line_id, str):
        return no_update
    lang = current_lang()
    me = auth.accounts(ops.engine(), who.username)
    got = line.start_link(ops.engine(), who.username, line_id, (me[0].get("lang") if me else None) or lang)
    return _said(f"line_{got}", good=got == "sent")


@callback(
    Output("inbox-line-msg", "children", allow_duplicate=True),
    Output("inbox-line-box", "children"),
    Input("inbox-line-confirm", "n_clicks"),
    State("inbox-line-code", "value"),
    prevent_initial_call=True,
)
def _line_confirm(clicks, code):
    who = _signed_in()
    if not isinstance(clicks, int) or not clicks or not isinstance(code, str):
        return no_update, no_update
    got = line.confirm_link(ops.engine(), who.username, code)
    if got != "linked":
        return _said({"none": "line_no_code"}.get(got, f"line_{got}")), no_update
    me = auth.accounts(ops.engine(), who.username)
    box = _line_box(current_lang(), me[0].get("line_id") if me else None)
    box.children[-1].children = _said("line_done", good=True)
    return no_update, box


@callback(
    Output("inbox-line-box", "children", allow_duplicate=True),
    Input("inbox-line-unlink", "n_clicks"),
    prevent_initial_call=True,
)
def _line_unlink(clicks):
    who = _signed_in()
    if not isinstance(clicks, int) or not clicks:
        return no_update
    line.unlink(ops.engine(), who.username)
    box = _line_box(current_lang(), None)
    box.children[-1].children = _said("line_gone", good=True)
    return box
