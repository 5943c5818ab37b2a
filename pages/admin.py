"""/admin: accounts and the audit trail (admins only; the server refuses everyone else, see
web/auth.py, and every callback here checks the role again). Admins add accounts and change role,
unit, district, password or active state here (``auth.add_user`` / ``auth.update_user``); the
first admin is made with `python -m etl user add`. The audit trail can be exported. Admins also
override one field of a dataset's GD-Catalog metadata here (``ops/gdc.py``, docs/CATALOG.md)."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import flask
import pandas as pd
from dash import ALL, Input, Output, State, callback, ctx, dcc, html, no_update
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

import db
import ops
from components import thai
from components.cells import csv_value
from components.i18n import current_lang, pick, t, words
from components.layout import stack_table
from config import settings
from ops import gdc
from web import api, auth

dash.register_page(
    __name__,
    path="/admin",
    name="ผู้ดูแลระบบ",
    name_en="Administration",
    title="ผู้ดูแลระบบ · สัญญาณ Sanyan",
    order=95,
    menu="work",
)

TEXT = words(
    "admin",
    {
        "th": {
            "title": "ผู้ดูแลระบบ",
            "users": "ผู้ใช้",
            "audit": "บันทึกการใช้งาน (ล่าสุด 200 รายการ)",
            "export": "ส่งออกบันทึกทั้งหมด (.csv)",
            "how": "ผู้ดูแลระบบคนแรกสร้างที่ที่อยู่ตั้งค่าครั้งแรกซึ่ง make run แสดง หรือด้วยคำสั่ง: python -m etl user add ชื่อ --role admin",
            "ucols": ["ชื่อผู้ใช้", "บทบาท", "หน่วยงาน", "พื้นที่", "อีเมล", "ใช้งาน", "เข้าระบบล่าสุด"],
            "email": "อีเมลรับแจ้งเตือน (เว้นว่าง: แจ้งในระบบเท่านั้น)",
            "outbox": "การส่งแจ้งเตือน",
            "outbox_counts": "รอส่ง {pending} · กำลังส่ง {sending} · ส่งแล้ว {sent} · ส่งไม่สำเร็จ {failed}",
            "outbox_none": "ไม่มีข้อความที่ส่งไม่สำเร็จ",
            "ocols": ["เลขที่", "ช่องทาง", "ถึง", "เรื่อง", "ครั้งที่ลอง", "ข้อผิดพลาดล่าสุด", ""],
            "retry": "ส่งใหม่",
            "retried": "ข้อความ {n} เข้าคิวส่งใหม่แล้ว",
            "not_retried": "ข้อความ {n} ไม่ได้อยู่ในสถานะส่งไม่สำเร็จแล้ว",
            "acols": ["เวลา", "ผู้ใช้", "การกระทำ", "เป้าหมาย", "ผล"],
            "add": "เพิ่มผู้ใช้",
            "edit": "แก้ไขผู้ใช้",
            "username": "ชื่อผู้ใช้",
            "role": "บทบาท",
            "unit": "หน่วยงาน",
            "area": "อำเภอ",
            "none": "— ไม่ระบุ —",
            "password": "รหัสผ่านเริ่มต้น (อย่างน้อย 10 ตัวอักษร) เดายาก เช่น หลายคำต่อกัน",
            "newpw": "รหัสผ่านใหม่ (เว้นว่างถ้าไม่เปลี่ยน; กฎเดียวกับรหัสผ่านเริ่มต้น)",
            "active": "ใช้งานได้",
            "save": "บันทึก",
            "choose": "เลือกผู้ใช้",
            "pick": "— เลือกผู้ใช้ —",
            "noname": "กรุณาระบุชื่อผู้ใช้",
            "nouser": "กรุณาเลือกผู้ใช้",
            "dup": "มีชื่อผู้ใช้ {name} อยู่แล้ว",
            "badrole": "บทบาทไม่ถูกต้อง",
            "added": "เพิ่มผู้ใช้ {name} แล้ว",
            "saved": "บันทึกการแก้ไข {name} แล้ว",
            "same": "ไม่มีอะไรเปลี่ยน",
            "gdc": "บัญชีข้อมูลสำหรับ GD-Catalog: แก้ค่าของชุดข้อมูล",
            "gdc_how": "ค่าหลักอยู่ในไฟล์ data/seeds/gdc_datasets.csv (แก้แล้วสร้างคลังข้อมูลใหม่) ค่าที่บันทึกที่นี่ใช้แทนค่าในไฟล์ทันทีจนกว่าจะล้าง ตรวจด้วยกฎเดียวกับตอนสร้างคลังข้อมูล (docs/CATALOG.md)",
            "gdc_dataset": "ชุดข้อมูล",
            "gdc_field": "ช่อง",
            "gdc_value": "ค่า (หลายค่าคั่นด้วย ;)",
            "gdc_set": "บันทึกค่า",
            "gdc_clear": "ล้างค่า (กลับไปใช้ค่าในไฟล์)",
            "gdc_cols": ["ชุดข้อมูล", "ช่อง", "ค่า", "ผู้แก้", "เมื่อ"],
            "gdc_none": "ยังไม่มีค่าที่แก้ ทุกชุดข้อมูลใช้ค่าในไฟล์",
            "gdc_pick": "กรุณาเลือกชุดข้อมูลและช่อง",
            "gdc_saved": "บันทึก {field} ของ {name} แล้ว",
            "gdc_cleared": "ล้าง {field} ของ {name} แล้ว กลับไปใช้ค่าในไฟล์",
            "gdc_nothing": "ช่องนี้ไม่มีค่าที่แก้",
        },
        "en": {
            "title": "Administration",
            "users": "Users",
            "audit": "Audit trail (latest 200)",
            "export": "Export the whole trail (.csv)",
            "how": "The first admin is made at the one-time setup address make run prints, or with: python -m etl user add NAME --role admin",
            "ucols": ["User", "Role", "Unit", "Area", "E-mail", "Active", "Last sign-in"],
            "email": "E-mail for warnings (empty: in the app only)",
            "outbox": "Warnings sent",
            "outbox_counts": "Waiting {pending} · sending {sending} · sent {sent} · failed {failed}",
            "outbox_none": "No message has failed",
            "ocols": ["No.", "Channel", "To", "Subject", "Tries", "Last error", ""],
            "retry": "Send again",
            "retried": "Message {n} is queued again",
            "not_retried": "Message {n} is no longer failed",
            "acols": ["When", "Who", "Action", "Target", "Outcome"],
            "add": "Add user",
            "edit": "Edit user",
            "username": "User name",
            "role": "Role",
            "unit": "Unit",
            "area": "District",
            "none": "— none —",
            "password": "Initial password (at least 10 characters), hard to guess: a few words together",
            "newpw": "New password (leave empty to keep; the same rule)",
            "active": "Active",
            "save": "Save",
            "choose": "User",
            "pick": "— choose a user —",
            "noname": "Enter a user name",
            "nouser": "Choose a user",
            "dup": "User name {name} is already taken",
            "badrole": "Unknown role",
            "added": "User {name} added",
            "saved": "Changes to {name} saved",
            "same": "Nothing changed",
            "gdc": "GD-Catalog metadata: change a dataset's field",
            "gdc_how": "The values live in data/seeds/gdc_datasets.csv (edit it, then rebuild); a value set here replaces the file's at once until it is cleared, checked by the build's rules (docs/CATALOG.md)",
            "gdc_dataset": "Dataset",
            "gdc_field": "Field",
            "gdc_value": "Value (several: separated by ;)",
            "gdc_set": "Set",
            "gdc_clear": "Clear (back to the file's value)",
            "gdc_cols": ["Dataset", "Field", "Value", "By", "When"],
            "gdc_none": "No override: every dataset has the file's values",
            "gdc_pick": "Choose a dataset and a field",
            "gdc_saved": "{field} of {name} set",
            "gdc_cleared": "{field} of {name} cleared: the file's value is served again",
            "gdc_nothing": "This field has no override",
        },
    },
)
FIELDS = ("role", "unit", "area", "email")
PUBLIC_TEXT = {
    "th": {
        "public": "ประชาชน: ความพึงพอใจและคำขอข้อมูลข่าวสาร (IT4)",
        "rm42": "RM 4.2 ความพึงพอใจต่อการเข้าถึงข้อมูลผ่านเว็บไซต์",
        "rm43": "RM 4.3 ความพึงพอใจต่อการเปิดเผยข้อมูลข่าวสารตาม พ.ร.บ.ข้อมูลข่าวสารฯ",
        "pct": "{p}% (คะแนนเฉลี่ย ÷ 5 × 100) · ให้ 4–5 คะแนน {s}% · {n} ผู้ตอบ",
        "no_answers": "ยังไม่มีผู้ตอบแบบสำรวจ",
        "requests": "คำขอข้อมูลข่าวสาร",
        "no_requests": "ยังไม่มีคำขอ",
        "rcols": ["เลขที่", "วันที่", "ผู้ขอ", "ติดต่อ", "เรื่อง", "สถานะ", "คำตอบ"],
        "answer": "ตอบ",
        "answered": "ตอบแล้ว",
        "received": "รอตอบ",
    },
    "en": {
        "public": "The public: satisfaction and information requests (IT4)",
        "rm42": "RM 4.2 satisfaction with reaching information on the website",
        "rm43": "RM 4.3 satisfaction with disclosure under the Official Information Act",
        "pct": "{p}% (mean score ÷ 5 × 100) · scoring 4–5: {s}% · {n} answers",
        "no_answers": "No survey answer yet",
        "requests": "Information requests",
        "no_requests": "No request yet",
        "rcols": ["No.", "Date", "From", "Contact", "Subject", "State", "Answer"],
        "answer": "Answer",
        "answered": "answered",
        "received": "waiting",
    },
}


def _guard() -> None:
    """Defence in depth: the server already refuses admin- callbacks to everyone but admins."""
    if auth.role() != "admin":
        flask.abort(403)


def _table(cols, rows, id_):
    return html.Div(
        html.Table(
            [
                html.Thead(html.Tr([html.Th(c, scope="col") for c in cols])),
                html.Tbody([html.Tr([html.Td(x, **{"data-label": c}) for c, x in zip(cols, r)]) for r in rows]),
            ],
            className="table table-sm sy-table sy-stack",
            id=id_,
        ),
        className="table-responsive",
    )


def _when(x, lang):
    return thai.format_date_th(x.replace(tzinfo=x.tzinfo or thai.timezone.utc), lang, True, True) if x else "–"


def _users(lang):
    """The users table and the edit form's user options, as stored now."""
    users = auth.accounts(ops.engine())
    tx = TEXT[lang]
    table = _table(
        tx["ucols"],
        [
            [
                u["username"],
                t(f"role.{u['role']}", lang),
                u["unit"] or "–",
                u["area_code"] or "–",
                u["email"] or "–",
                "✓" if u["active"] else "✗",
                _when(u["last_login"], lang),
            ]
            for u in users
        ],
        "admin-users",
    )
    return table, [{"label": u["username"], "value": u["username"]} for u in users]


def _field(id_, label, control):
    return html.Div([html.Label(label, htmlFor=id_), control])


def _form(kind, lang, first):
    """The add or edit form (ids admin-<kind>-...); `first` is its leading field (user name or user)."""
    tx = TEXT[lang]
    districts = db.query("admin/districts", province=settings.province) if db.available() else pd.DataFrame()
    areas = [{"label": tx["none"], "value": ""}] + [
        {"label": f"{pick(r.name_th, r.name_en, lang)} ({r.area_code})", "value": r.area_code}
        for r in districts.itertuples()
    ]
    p = f"admin-{kind}-"
    fields = [
        first,
        _field(
            p + "role",
            tx["role"],
            dbc.Select(
                id=p + "role",
                value="viewer" if kind == "add" else None,
                options=[{"label": t(f"role.{r}", lang), "value": r} for r in ops.ROLES],
            ),
        ),
        _field(p + "unit", tx["unit"], dbc.Input(id=p + "unit", type="text", maxLength=200)),
        _field(p + "area", tx["area"], dbc.Select(id=p + "area", options=areas, value="", placeholder=tx["none"])),
        _field(p + "email", tx["email"], dbc.Input(id=p + "email", type="email", maxLength=320, autoComplete="off")),
        _field(
            p + "password",
            tx["password"] if kind == "add" else tx["newpw"],
            dbc.Input(id=p + "password", type="password", minLength=10, autoComplete="new-password"),
        ),
    ]
    if kind == "edit":
        fields.append(
            html.Div(dbc.Checkbox(id=p + "active", label=tx["active"], value=True), className="align-self-end")
        )
    fields.append(
        html.Div(
            html.Button(
                tx["add"] if kind == "add" else tx["save"], id=p + "submit", type="button", className="btn btn-primary"
            ),
            className="align-self-end",
        )
    )
    return html.Section(
        [
            html.H3(tx[kind], className="h5", id=p + "title"),
            html.Div(fields, className="sy-filters", id=p + "form"),
            html.Div(id=p + "msg", className="mt-2"),
        ],
        className="mt-3",
        **{"aria-labelledby": p + "title"},
    )


@auth.page_access
def layout(**_kwargs) -> html.Div:
    lang = current_lang()
    tx = TEXT[lang]
    audit = ops.audit_rows(ops.engine(), newest=200)
    table, options = _users(lang)
    return html.Div(
        [
            html.H1(tx["title"], className="sy-page-title", id="admin-title"),
            html.H2(tx["users"], className="h4"),
            html.P(tx["how"], className="sy-meta"),
            html.Div(table, id="admin-users-box"),
            _form(
                "add",
                lang,
                _field(
                    "admin-add-username",
                    tx["username"],
                    dbc.Input(id="admin-add-username", type="text", maxLength=100, autoComplete="off"),
                ),
            ),
            _form(
                "edit",
                lang,
                _field(
                    "admin-edit-user",
                    tx["choose"],
                    dbc.Select(id="admin-edit-user", options=options, value="", placeholder=tx["pick"]),
                ),
            ),
            html.H2(tx["outbox"], className="h4 mt-4", id="admin-outbox-title"),
            html.Div(_outbox(lang), id="admin-outbox"),
            html.Div(id="admin-outbox-msg", role="status"),
            html.H2(tx["audit"], className="h4 mt-4"),
            html.Button(tx["export"], id="admin-export", className="btn btn-outline-primary mb-2"),
            dcc.Download(id="admin-download"),
            _table(
                tx["acols"],
                [[_when(a["at"], lang), a["who"], a["action"], a["target"] or "", a["outcome"]] for a in audit],
                "admin-audit",
            ),
            _gdc_section(lang),
            html.H2(PUBLIC_TEXT[lang]["public"], className="h4 mt-4"),
            html.Div(_survey(lang), id="admin-survey"),
            html.Div(_requests(lang), id="admin-requests"),
            html.Div(id="admin-request-msg", role="status"),
        ],
        className="sy-page",
        id="admin-page",
    )


def _outbox(lang):
    """The outbox's counts, and each message that failed for good with its error and a retry."""
    from ops import notify

    tx = TEXT[lang]
    eng = ops.engine()
    head = html.P(tx["outbox_counts"].format(**notify.counts(eng)), className="sy-meta", id="admin-outbox-counts")
    bad = notify.failed(eng)
    if not bad:
        return [head, html.P(tx["outbox_none"], className="sy-meta", id="admin-outbox-none")]
    cols = tx["ocols"]
    rows = [
        html.Tr(
            [
                html.Td(str(m["message_id"]), **{"data-label": cols[0]}),
                html.Td(m["channel"], **{"data-label": cols[1]}),
                html.Td(m["address"], className="sy-wrap", **{"data-label": cols[2]}),
                html.Td(m["subject"], className="sy-wrap", **{"data-label": cols[3]}),
                html.Td(str(m["attempts"]), **{"data-label": cols[4]}),
                html.Td(m["last_error"] or "", className="sy-wrap", **{"data-label": cols[5]}),
                html.Td(
                    html.Button(
                        tx["retry"],
                        id={"type": "admin-outbox-retry", "index": int(m["message_id"])},
                        className="btn btn-sm btn-outline-primary",
                    ),
                    **{"data-label": cols[6]},
                ),
            ],
            **{"data-message": str(m["message_id"])},
        )
        for m in bad
    ]
    return [head, stack_table(cols, rows, "admin-outbox-table", tx["outbox"])]


@callback(
    Output("admin-outbox-msg", "children"),
    Output("admin-outbox", "children"),
    Input({"type": "admin-outbox-retry", "index": ALL}, "n_clicks"),
    prevent_initial_call=True,
)
def _retry(clicks):
    from ops import notify

    _guard()
    lang = current_lang()
    trig = ctx.triggered_id
    if not isinstance(trig, dict) or not any(clicks or []):
        return no_update, no_update
    n = int(trig["index"])
    ok = notify.retry(ops.engine(), n, current_user.username)
    return _alert(TEXT[lang]["retried" if ok else "not_retried"].format(n=n), ok=ok), _outbox(lang)


def _survey(lang):
    from ops import portal

    px = PUBLIC_TEXT[lang]
    res = portal.survey_results(ops.engine())
    if not res["responses"]:
        return html.P(px["no_answers"], className="sy-meta", id="admin-no-answers")
    return html.Div(
        [
            html.Div(
                [
                    html.Div(px[m], className="sy-meta"),
                    html.Div(
                        px["pct"].format(
                            p=thai.format_number(res[m]["pct"], 1, lang),
                            s=thai.format_number(res[m]["satisfied"], 1, lang),
                            n=thai.format_number(res["responses"], 0, lang),
                        ),
                        className="h6 mb-0",
                        **{"data-measure": m, "data-pct": str(res[m]["pct"])},
                    ),
                ],
                className="sy-tile",
            )
            for m in ("rm42", "rm43")
        ],
        className="sy-tiles",
    )


def _requests(lang):
    from ops import portal

    px = PUBLIC_TEXT[lang]
    rows = portal.requests(ops.engine())
    if not rows:
        return html.P(px["no_requests"], className="sy-meta", id="admin-no-requests")
    cols = px["rcols"]
    body = []
    for r in rows[:200]:
        key = {"index": int(r["request_id"])}
        answer = r["answer"] or html.Div(
            [
                html.Label(
                    [
                        html.Span(px["answer"], className="visually-hidden"),
                        dcc.Textarea(
                            id={"type": "admin-answer-text", **key}, className="form-control", rows=2, maxLength=5000
                        ),
                    ]
                ),
                html.Button(px["answer"], id={"type": "admin-answer", **key}, className="btn btn-sm btn-primary mt-1"),
            ]
        )
        body.append(
            html.Tr(
                [
                    html.Td(str(r["request_id"]), **{"data-label": cols[0]}),
                    html.Td(_when(r["created_at"], lang), **{"data-label": cols[1]}),
                    html.Td(r["name"], **{"data-label": cols[2]}),
                    html.Td(r["contact"], **{"data-label": cols[3]}),
                    html.Td(
                        [html.Strong(r["subject"]), html.Br(), r["detail"]],
                        className="sy-wrap",
                        **{"data-label": cols[4]},
                    ),
                    html.Td(px[r["status"]], **{"data-label": cols[5], "data-status": r["status"]}),
                    html.Td(answer, className="sy-wrap", **{"data-label": cols[6]}),
                ],
                **{"data-request": str(r["request_id"])},
            )
        )
    return [
        html.H3(px["requests"], className="h5 mt-3"),
        html.Div(
            html.Table(
                [html.Thead(html.Tr([html.Th(c, scope="col") for c in cols])), html.Tbody(body)],
                className="table table-sm sy-table sy-stack",
                id="admin-request-table",
            ),
            className="table-responsive",
        ),
    ]


@callback(
    Output("admin-request-msg", "children"),
    Output("admin-requests", "children"),
    Input({"type": "admin-answer", "index": ALL}, "n_clicks"),
    State({"type": "admin-answer-text", "index": ALL}, "value"),
    State({"type": "admin-answer-text", "index": ALL}, "id"),
    prevent_initial_call=True,
)
def _answer(clicks, texts, ids):
    from ops import portal

    _guard()
    lang = current_lang()
    trig = ctx.triggered_id
    if not isinstance(trig, dict) or not any(clicks or []):
        return no_update, no_update
    text = next((v for i, v in zip(ids, texts) if i["index"] == trig["index"]), None)
    try:
        portal.answer_request(ops.engine(), auth.actor(), int(trig["index"]), text)
    except portal.EntryError as e:
        return _alert(e.text(lang)), no_update
    return None, _requests(lang)


def _alert(text, ok=False):
    return html.Div(
        text, className=f"alert alert-{'success' if ok else 'danger'} mb-0", role="status" if ok else "alert"
    )


@callback(
    Output("admin-add-msg", "children"),
    Output("admin-users-box", "children", allow_duplicate=True),
    Output("admin-edit-user", "options"),
    Output("admin-add-password", "value"),
    Input("admin-add-submit", "n_clicks"),
    State("admin-add-username", "value"),
    [State(f"admin-add-{f}", "value") for f in (*FIELDS, "password")],
    prevent_initial_call=True,
)
def _add(_n, name, role, unit, area, email, password):
    _guard()
    lang = current_lang()
    tx = TEXT[lang]
    name = (name or "").strip()
    if not name or role not in ops.ROLES:
        return _alert(tx["noname"] if not name else tx["badrole"]), no_update, no_update, no_update
    try:
        auth.add_user(
            ops.engine(),
            name,
            password or "",
            role,
            unit=(unit or "").strip() or None,
            area_code=area or None,
            email=email or None,
            by=current_user.username,
        )
    except IntegrityError:  # the name is taken
        return _alert(tx["dup"].format(name=name)), no_update, no_update, no_update
    except ValueError as e:  # the role is checked above: the password rule says why
        return _alert(str(e)), no_update, no_update, no_update
    return (_alert(tx["added"].format(name=name), ok=True), *_users(lang), "")


@callback(
    [Output(f"admin-edit-{f}", "value") for f in (*FIELDS, "active")],
    Output("admin-edit-password", "value", allow_duplicate=True),
    Input("admin-edit-user", "value"),
    prevent_initial_call=True,
)
def _pick(name):
    _guard()
    found = auth.accounts(ops.engine(), name) if isinstance(name, str) else []
    u = found[0] if found else None
    if u is None:
        return None, "", "", "", True, ""
    return u["role"], u["unit"] or "", u["area_code"] or "", u["email"] or "", bool(u["active"]), ""


@callback(
    Output("admin-edit-msg", "children"),
    Output("admin-users-box", "children", allow_duplicate=True),
    Output("admin-edit-password", "value", allow_duplicate=True),
    Input("admin-edit-submit", "n_clicks"),
    State("admin-edit-user", "value"),
    [State(f"admin-edit-{f}", "value") for f in (*FIELDS, "active", "password")],
    prevent_initial_call=True,
)
def _save(_n, name, role, unit, area, email, active, password):
    _guard()
    lang = current_lang()
    tx = TEXT[lang]
    if not name:
        return _alert(tx["nouser"]), no_update, no_update
    try:
        after = auth.update_user(
            ops.engine(),
            name,
            role=role,
            unit=(unit or "").strip(),
            area_code=area or "",
            email=(email or "").strip(),
            active=bool(active),
            password=password or None,
            by=current_user.username,
        )
    except ValueError as e:  # auth's messages are Thai / English
        return _alert(str(e)), no_update, no_update
    if not after:
        return _alert(tx["same"], ok=True), no_update, ""
    return _alert(tx["saved"].format(name=name), ok=True), _users(lang)[0], ""


@callback(Output("admin-download", "data"), Input("admin-export", "n_clicks"), prevent_initial_call=True)
def _export(_n):
    _guard()
    rows = ops.audit_rows(ops.engine())
    ops.record_audit(ops.engine(), "export", target="audit_log", who=current_user.username, after={"rows": len(rows)})
    safe = [{k: csv_value(v) for k, v in r.items()} for r in rows]  # a user name "=HYPERLINK(…)" stays text
    return dcc.send_string("\ufeff" + pd.DataFrame(safe).to_csv(index=False), "sanyan_audit.csv")


# ---------------------------------------------------------------- GD-Catalog metadata (ops/gdc.py)
def _gdc_list(lang):
    """The admins' overrides kept now (web/catalog.py serves them in place of the seed's values)."""
    tx = TEXT[lang]
    rows = gdc.override_rows(ops.engine())
    if not rows:
        return html.P(tx["gdc_none"], className="sy-meta")
    return _table(
        tx["gdc_cols"],
        [[r["dataset"], r["field"], r["value"], r["updated_by"], _when(r["updated_at"], lang)] for r in rows],
        "admin-gdc-table",
    )


def _gdc_section(lang):
    tx = TEXT[lang]
    p = "admin-gdc-"
    return html.Section(
        [
            html.H2(tx["gdc"], className="h4 mt-4", id=p + "title"),
            html.P(tx["gdc_how"], className="sy-meta"),
            html.Div(_gdc_list(lang), id=p + "list"),
            html.Div(
                [
                    _field(
                        p + "dataset",
                        tx["gdc_dataset"],
                        dbc.Select(id=p + "dataset", options=[{"label": n, "value": n} for n in api.DATASETS]),
                    ),
                    _field(
                        p + "field",
                        tx["gdc_field"],
                        dbc.Select(id=p + "field", options=[{"label": f, "value": f} for f in gdc.FIELDS]),
                    ),
                    _field(p + "value", tx["gdc_value"], dbc.Input(id=p + "value", type="text", maxLength=gdc.MAX_LEN)),
                    html.Div(
                        [
                            html.Button(tx["gdc_set"], id=p + "set", type="button", className="btn btn-primary me-2"),
                            html.Button(
                                tx["gdc_clear"], id=p + "clear", type="button", className="btn btn-outline-secondary"
                            ),
                        ],
                        className="align-self-end",
                    ),
                ],
                className="sy-filters",
                id=p + "form",
            ),
            html.Div(id=p + "msg", className="mt-2"),
        ],
        **{"aria-labelledby": p + "title"},
    )


@callback(
    Output("admin-gdc-msg", "children"),
    Output("admin-gdc-list", "children"),
    Input("admin-gdc-set", "n_clicks"),
    Input("admin-gdc-clear", "n_clicks"),
    State("admin-gdc-dataset", "value"),
    State("admin-gdc-field", "value"),
    State("admin-gdc-value", "value"),
    prevent_initial_call=True,
)
def _gdc_change(_set, _clear, name, field, value):
    _guard()
    lang = current_lang()
    tx = TEXT[lang]
    if name not in api.DATASETS or field not in gdc.FIELDS:
        return _alert(tx["gdc_pick"]), no_update
    try:
        if ctx.triggered_id == "admin-gdc-clear":
            if not gdc.clear_field(ops.engine(), auth.actor(), name, field):
                return _alert(tx["gdc_nothing"], ok=True), no_update
            return _alert(tx["gdc_cleared"].format(field=field, name=name), ok=True), _gdc_list(lang)
        gdc.set_field(ops.engine(), auth.actor(), name, field, value if isinstance(value, str) else "")
    except gdc.EntryError as e:
        return _alert(e.text(lang)), no_update
    return _alert(tx["gdc_saved"].format(field=field, name=name), ok=True), _gdc_list(lang)
