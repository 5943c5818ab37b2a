"""/meeting/directives: the governor's directives (ข้อสั่งการ), kept by ops/meeting.py.

* During a meeting an executive or admin issues a directive: attached to a KPI and a period (fiscal
  year, optionally a month), assigned to a unit with a due date (Thai or ISO dates, B.E. or C.E.).
  The form is prefilled from the address: ``?kpi=K05&fy=2570&agenda=3`` (the agenda id is stored
  on the directive, so the minutes can list what each meeting directed).
* The list: by unit (an editor or verifier with a unit opens on their own unit's list), status
  (not closed, or all) and KPI; every row has its KPI, period, due date in B.E. with ⚠ when it is
  past due and not closed, its status as an icon and a word, the answer and the history. The
  assigned unit answers; an executive closes it with the answer (or a text given then) or reopens
  it with a reason. The buttons show only to who may press them, and ops/meeting.py checks again
  on the server: a refusal is audited there and answers 403 here.
* ``?open=1``: every directive not closed, of every unit — the last slide of every agenda, what
  the next meeting reviews.
Directives of KPIs the reader may not see (classification) are left out, as every KPI row is.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import dash
import dash_bootstrap_components as dbc
import flask
from dash import ALL, Input, Output, State, callback, ctx, dcc, html, no_update

import db
import ops
from components import directives as dc
from components import thai
from components.i18n import current_lang, pick, t, words
from components.layout import labelled_select, no_warehouse
from config import settings
from ops import meeting
from web import auth

dash.register_page(
    __name__,
    path="/meeting/directives",
    name="ข้อสั่งการ",
    name_en="Directives",
    title="ข้อสั่งการ · สัญญาณ Sanyan",
    order=86,
    menu="work",
)

ACTIONS = {
    "issued": ("ออกข้อสั่งการ", "Issued"),
    "answered": ("ตอบ", "Answered"),
    "closed": ("ปิด", "Closed"),
    "reopened": ("เปิดใหม่", "Reopened"),
}
ALL_VALUE = "*"  # "every unit / KPI" in a filter (dbc.Select keeps "" for its placeholder)
FIELDS = {"kpi_code": "kpi", "fiscal_year": "fy", "month": "month", "unit": "unit", "due_date": "due", "text": "text"}

TEXT = words(
    "directives",
    {
        "th": {
            "title": "ข้อสั่งการ",
            "review_title": "ข้อสั่งการที่ยังไม่ปิด",
            "intro": "ข้อสั่งการผูกกับตัวชี้วัดและงวด มอบหมายหน่วยงานพร้อมวันกำหนดรายงานผล แสดงในหน้าตัวชี้วัด "
            "รายการของหน่วยงาน และวาระการประชุมครั้งถัดไป จนกว่าจะปิดพร้อมผลการดำเนินการ",
            "review_intro": "ทุกหน่วยงาน: ข้อสั่งการที่ยังไม่ปิด เพื่อติดตามในการประชุมครั้งนี้",
            "issue": "ออกข้อสั่งการ",
            "kpi": "ตัวชี้วัด",
            "fy": t("word.fy", "th"),
            "month": "เดือน (ถ้ามี)",
            "whole_year": "ทั้งปีงบประมาณ",
            "unit": "หน่วยงานที่รับผิดชอบ",
            "due": "กำหนดรายงานผล",
            "due_help": "วว/ดด/ปปปป (พ.ศ.) เช่น 30/12/2569, 30 ธ.ค. 2569 หรือ 2026-12-30",
            "text": "ข้อสั่งการ",
            "issue_btn": "ออกข้อสั่งการ",
            "choose": "— เลือก —",
            "issued": "ออกข้อสั่งการเลขที่ {id} แล้ว: {unit} กำหนดรายงานผล {due}",
            "in_agenda": "บันทึกไว้กับวาระการประชุม: {title}",
            "bad_date": "วันที่ไม่ถูกต้อง: {why}",
            "bad_fy": "ปีงบประมาณไม่ถูกต้อง",
            "list": "รายการข้อสั่งการ",
            "f_unit": "หน่วยงาน",
            "all_units": "ทุกหน่วยงาน",
            "f_status": "สถานะ",
            "s_open": "ยังไม่ปิด",
            "s_all": "ทั้งหมด",
            "f_kpi": "ตัวชี้วัด",
            "all_kpis": "ทุกตัวชี้วัด",
            "none": "ไม่มีข้อสั่งการตามเงื่อนไขนี้",
            "count": "{n} รายการ",
            "cols": ["ตัวชี้วัด", "งวด", "ข้อสั่งการ", "หน่วยงาน", "กำหนดส่ง", "สถานะ", "ผลการดำเนินการ", "ดำเนินการ"],
            "overdue": "เกินกำหนด",
            "history": "ประวัติ ({n})",
            "answer_label": "ผลการดำเนินการ",
            "close_hint": "ว่างไว้เมื่อปิดด้วยคำตอบของหน่วยงาน",
            "reason": "เหตุผลที่เปิดใหม่",
            "answer_btn": "บันทึกคำตอบ",
            "close_btn": "ปิดข้อสั่งการ",
            "reopen_btn": "เปิดใหม่",
            "done": {
                "directives-answer": "บันทึกคำตอบแล้ว",
                "directives-close": "ปิดข้อสั่งการแล้ว",
                "directives-reopen": "เปิดข้อสั่งการใหม่แล้ว",
            },
        },
        "en": {
            "title": "Directives",
            "review_title": "Directives not yet closed",
            "intro": "A directive is attached to a KPI and a period and assigned to a unit with a due date; it shows "
            "on the KPI's page, on the unit's list and on the next meeting's agenda until it is closed with "
            "an answer",
            "review_intro": "Every unit: the directives not yet closed, for this meeting to follow up",
            "issue": "Issue a directive",
            "kpi": "KPI",
            "fy": t("word.fy", "en"),
            "month": "Month (optional)",
            "whole_year": "The whole fiscal year",
            "unit": "Assigned unit",
            "due": "Due date",
            "due_help": "dd/mm/yyyy (B.E.), e.g. 30/12/2569, 30 ธ.ค. 2569 or 2026-12-30",
            "text": "Directive",
            "issue_btn": "Issue the directive",
            "choose": "— choose —",
            "issued": "Directive no. {id} issued: {unit}, due {due}",
            "in_agenda": "Recorded with the meeting: {title}",
            "bad_date": "Not a valid date: {why}",
            "bad_fy": "Not a fiscal year",
            "list": "Directives",
            "f_unit": "Unit",
            "all_units": "All units",
            "f_status": "Status",
            "s_open": "Not closed",
            "s_all": "All",
            "f_kpi": "KPI",
            "all_kpis": "All KPIs",
            "none": "No directive matches",
            "count": "{n} directive(s)",
            "cols": ["KPI", "Period", "Directive", "Unit", "Due", "Status", "Answer", "Actions"],
            "overdue": "Overdue",
            "history": "History ({n})",
            "answer_label": "What was done",
            "close_hint": "leave empty to close with the unit's answer",
            "reason": "Reason for reopening",
            "answer_btn": "Save the answer",
            "close_btn": "Close",
            "reopen_btn": "Reopen",
            "done": {
                "directives-answer": "Answer saved",
                "directives-close": "Directive closed",
                "directives-reopen": "Directive reopened",
            },
        },
    },
)


# ---------------------------------------------------------------- shared with pages/kpi_detail.py


def today() -> date:
    """The day overdue is judged by (config: SANYAN_AS_OF, else today in Thailand)."""
    return settings.today()


def current_fy() -> int:
    info = db.snapshot_info()
    as_of = info.get("as_of") or info.get("built_at")
    return thai.fiscal_year(as_of.date() if hasattr(as_of, "date") else as_of) if as_of else thai.fiscal_year(today())


# ---------------------------------------------------------------- the page
def _err(name: str) -> html.Div:
    return html.Div(id=f"directives-new-{name}-err", className="text-danger small", role="status")


def _options(pairs) -> list[dict]:
    return [{"label": label, "value": value} for value, label in pairs]


@auth.page_access
def layout(kpi=None, unit=None, open=None, agenda=None, fy=None, **_kwargs) -> html.Div:
    lang = current_lang()
    tx = TEXT[lang]
    review = str(open or "").strip().lower() in ("1", "true", "yes")
    head = [html.H1(tx["review_title"] if review else tx["title"], className="sy-page-title", id="directives-title")]
    if not db.available():
        return html.Div(
            head + [no_warehouse(lang, id_prefix="directives-nowh")], className="sy-page", id="directives-page"
        )
    who = auth.actor()
    eng = ops.engine()
    kpis = db.query("entry/kpis")
    seen = set(kpis["kpi_code"])
    kpi = kpi if kpi in seen else ""
    owners = dict(zip(kpis["kpi_code"], kpis["owner_unit"]))
    names = {r.kpi_code: pick(r.name_th, r.name_en, lang) for r in kpis.itertuples()}
    kpi_opts = [{"label": f"{c} {names[c]}", "value": c} for c in kpis["kpi_code"]]

    # the list's filters
    have = {r["unit"] for r in dc.records(meeting.directives(eng), seen)}
    units = sorted(have | ({who.unit} if who.unit else set()) | ({unit} if unit else set()))
    if review:
        unit_value = ALL_VALUE
    elif unit:
        unit_value = unit
    elif who.role in ("editor", "verifier") and who.unit:
        unit_value = who.unit  # the unit's list
    else:
        unit_value = ALL_VALUE
    filters = html.Div(
        [
            labelled_select(
                "directives-unit",
                tx["f_unit"],
                [{"label": tx["all_units"], "value": ALL_VALUE}] + _options((u, u) for u in units),
                unit_value,
            ),
            labelled_select(
                "directives-status", tx["f_status"], _options([("open", tx["s_open"]), ("all", tx["s_all"])]), "open"
            ),
            labelled_select(
                "directives-kpi",
                tx["f_kpi"],
                [{"label": tx["all_kpis"], "value": ALL_VALUE}] + kpi_opts,
                kpi if kpi and not review else ALL_VALUE,
            ),
        ],
        className="sy-filters",
        id="directives-filters",
        hidden=review,
    )

    # the form (executives, admins)
    now_fy = current_fy()
    try:
        want_fy = int(thai.to_arabic_digits(str(fy))) if fy not in (None, "") else now_fy
    except ValueError:
        want_fy = now_fy
    years = db.query("cockpit/fiscal_years", area=settings.province)["fiscal_year"].astype(int).tolist()
    fy_opts = sorted({now_fy + 1, now_fy, *years[:5], *([want_fy] if 2400 <= want_fy <= 2800 else [])}, reverse=True)
    months = [{"label": tx["whole_year"], "value": "0"}] + [
        {"label": thai.month_name(m, lang), "value": str(m)} for m in thai.FISCAL_MONTHS
    ]
    owner_units = sorted({u for u in owners.values() if isinstance(u, str) and u} | have)
    agenda_id, agenda_note = None, None
    try:
        got = meeting.agenda(eng, int(agenda)) if agenda not in (None, "") else None
    except (TypeError, ValueError):
        got = None
    if got is not None:
        agenda_id = int(got["agenda_id"])
        agenda_note = html.P(tx["in_agenda"].format(title=got["title"]), className="sy-meta", id="directives-in-agenda")
    form = html.Section(
        [
            html.H2(tx["issue"], className="h4"),
            agenda_note,
            html.Div(
                [
                    html.Div(
                        [
                            labelled_select("directives-new-kpi", tx["kpi"], kpi_opts, kpi, placeholder=tx["choose"]),
                            _err("kpi"),
                        ]
                    ),
                    html.Div(
                        [
                            labelled_select(
                                "directives-new-fy",
                                tx["fy"],
                                _options((str(y), str(y)) for y in fy_opts),
                                str(want_fy if want_fy in fy_opts else now_fy),
                            ),
                            _err("fy"),
                        ]
                    ),
                    html.Div([labelled_select("directives-new-month", tx["month"], months, "0"), _err("month")]),
                    html.Div(
                        [
                            labelled_select(
                                "directives-new-unit",
                                tx["unit"],
                                _options((u, u) for u in owner_units),
                                owners.get(kpi, "") if kpi else "",
                                placeholder=tx["choose"],
                            ),
                            _err("unit"),
                        ]
                    ),
                    html.Div(
                        [
                            html.Label(tx["due"], htmlFor="directives-new-due"),
                            dbc.Input(
                                id="directives-new-due",
                                type="text",
                                autoComplete="off",
                                maxLength=40,
                                placeholder="30/12/2569",
                            ),
                            html.Div(tx["due_help"], className="sy-meta small"),
                            _err("due"),
                        ]
                    ),
                ],
                className="sy-filters",
            ),
            html.Div(
                [
                    html.Label(tx["text"], htmlFor="directives-new-text", className="fw-bold"),
                    dcc.Textarea(id="directives-new-text", className="form-control", maxLength=2000, rows=3),
                    _err("text"),
                ],
                className="mt-2",
            ),
            html.Button(tx["issue_btn"], id="directives-issue", type="button", className="btn btn-primary mt-2"),
            html.Div(id="directives-issue-msg", className="mt-2", role="status"),
            dcc.Store(id="directives-agenda", data=agenda_id),
        ],
        id="directives-form",
        className="sy-card p-3 mt-3",
        hidden=review or not meeting.may_direct(who),
    )

    return html.Div(
        head
        + [
            html.P(tx["review_intro"] if review else tx["intro"], className="sy-meta", id="directives-intro"),
            form,
            html.H2(tx["list"], className="h4 mt-4", id="directives-list-title", hidden=review),
            filters,
            html.Div(id="directives-list-msg", role="status", className="mt-2"),
            dcc.Loading(html.Div(id="directives-list", className="mt-2")),
            dcc.Store(id="directives-tick", data=0),
            dcc.Store(id="directives-review", data=review),
        ],
        className="sy-page",
        id="directives-page",
    )


def _history(directive_id: int, lang: str, tx) -> html.Details:
    events = meeting.history(ops.engine(), directive_id)
    items = []
    for e in events:
        at = e["at"]
        if isinstance(at, datetime) and at.tzinfo is None:  # SQLite gives back naive UTC
            at = at.replace(tzinfo=UTC)
        items.append(
            html.Li(
                [
                    html.Strong(pick(*ACTIONS.get(e["action"], (e["action"], e["action"])), lang)),
                    f" · {e['who']} · {thai.format_date_th(at, lang, abbr=True, with_time=True)}",
                    html.Div(e["text"] or "", className="sy-wrap"),
                ],
                **{"data-action": e["action"]},
            )
        )
    return html.Details(
        [
            html.Summary(tx["history"].format(n=len(events)), className="small"),
            html.Ol(items, className="ps-3 mb-0 small"),
        ],
        className="directives-history mt-1",
    )


def _actions(r: dict, who, tx) -> list | str:
    live = r["status"] in ("open", "answered")
    can_answer = live and meeting.may_answer(who, r)
    can_close = live and meeting.may_direct(who)
    can_reopen = r["status"] == "closed" and meeting.may_direct(who)
    if not (can_answer or can_close or can_reopen):
        return "–"
    did, v = r["directive_id"], r["version"]
    placeholder = tx["close_hint"] if can_close and r["answer"] else None
    out = [
        html.Label(
            [
                html.Span(tx["reason"] if can_reopen else tx["answer_label"], className="small fw-bold d-block"),
                dcc.Input(
                    id={"type": "directives-text", "index": did},
                    type="text",
                    autoComplete="off",
                    maxLength=2000,
                    placeholder=placeholder,
                    className="form-control form-control-sm",
                ),
            ],
            className="w-100",
            style={"minWidth": "11rem"},
        )
    ]
    if can_answer:
        out.append(
            html.Button(
                tx["answer_btn"],
                id={"type": "directives-answer", "index": did, "v": v},
                type="button",
                className="btn btn-sm btn-primary",
            )
        )
    if can_close:
        out.append(
            html.Button(
                tx["close_btn"],
                id={"type": "directives-close", "index": did, "v": v},
                type="button",
                className="btn btn-sm btn-outline-primary",
            )
        )
    if can_reopen:
        out.append(
            html.Button(
                tx["reopen_btn"],
                id={"type": "directives-reopen", "index": did, "v": v},
                type="button",
                className="btn btn-sm btn-outline-secondary",
            )
        )
    return html.Div(out, className="d-flex flex-wrap gap-2")


def _table(rows: list[dict], names: dict, who, lang: str) -> html.Div:
    tx = TEXT[lang]
    cols = tx["cols"]
    body = []
    for r in rows:
        code = r["kpi_code"]
        cells = [
            [dcc.Link(code, href=f"/kpi/{code}?fy={r['fiscal_year']}", className="fw-bold"), " ", names.get(code, "")],
            dc.period_text(r["fiscal_year"], r["month"], lang),
            [html.Div(r["text"]), _history(r["directive_id"], lang, tx)],
            r["unit"],
            dc.due_cell(r, lang, today()),
            dc.status_chip(r["status"], lang),
            r["answer"] or "–",
            _actions(r, who, tx),
        ]
        wrap = {0, 2, 6}
        body.append(
            html.Tr(
                [
                    html.Td(c, className="sy-wrap" if i in wrap else None, **{"data-label": cols[i]})
                    for i, c in enumerate(cells)
                ],
                **{
                    "data-directive": str(r["directive_id"]),
                    "data-status": r["status"],
                    "data-overdue": "yes" if dc.is_overdue(r, today()) else "no",
                },
            )
        )
    return html.Div(
        html.Table(
            [html.Thead(html.Tr([html.Th(c, scope="col") for c in cols])), html.Tbody(body)],
            className="table table-sm sy-table sy-stack",
            id="directives-table",
        ),
        className="table-responsive",
    )


@callback(
    Output("directives-list", "children"),
    Input("directives-unit", "value"),
    Input("directives-status", "value"),
    Input("directives-kpi", "value"),
    Input("directives-tick", "data"),
    State("directives-review", "data"),
)
def _list(unit, status, kpi, _tick, review):
    lang = current_lang()
    tx = TEXT[lang]
    if review:  # the meeting's follow-up: everything not closed
        unit, status, kpi = ALL_VALUE, "open", ALL_VALUE
    unit = None if unit in (None, "", ALL_VALUE) else unit
    kpi = None if kpi in (None, "", ALL_VALUE) else kpi
    kpis = db.query("entry/kpis")
    names = {r.kpi_code: pick(r.name_th, r.name_en, lang) for r in kpis.itertuples()}
    rows = dc.records(
        meeting.directives(ops.engine(), kpi_code=kpi, unit=unit, open_only=status != "all"), set(kpis["kpi_code"])
    )
    if not rows:
        return html.P(tx["none"], className="sy-meta", id="directives-none")
    return [
        html.P(tx["count"].format(n=len(rows)), className="sy-meta", id="directives-count"),
        _table(rows, names, auth.actor(), lang),
    ]


def _alert(text, id_, ok=False):
    return dbc.Alert(text, color="success" if ok else "danger", className="py-2 mb-0", id=id_)


@callback(Output("directives-new-unit", "value"), Input("directives-new-kpi", "value"), prevent_initial_call=True)
def _owner(kpi):
    """The chosen KPI's owner unit is the usual assignee."""
    k = db.query("entry/kpis")
    owner = dict(zip(k["kpi_code"], k["owner_unit"])).get(kpi)
    return owner if isinstance(owner, str) and owner else no_update


@callback(
    Output("directives-issue-msg", "children"),
    *[Output(f"directives-new-{f}-err", "children") for f in FIELDS.values()],
    Output("directives-tick", "data", allow_duplicate=True),
    Output("directives-new-text", "value"),
    Input("directives-issue", "n_clicks"),
    State("directives-new-kpi", "value"),
    State("directives-new-fy", "value"),
    State("directives-new-month", "value"),
    State("directives-new-unit", "value"),
    State("directives-new-due", "value"),
    State("directives-new-text", "value"),
    State("directives-agenda", "data"),
    State("directives-tick", "data"),
    prevent_initial_call=True,
)
def _issue(_n, kpi, fy, month, unit, due, text, agenda, tick):
    from inputs.parsing import DateError, parse_date

    lang = current_lang()
    tx = TEXT[lang]
    who = auth.actor()
    eng = ops.engine()
    seen = set(db.query("entry/kpis")["kpi_code"])
    pending = None  # a problem of the form, told to who may issue
    try:
        year = int(thai.to_arabic_digits(str(fy or "")).strip())
        if not 2400 <= year <= 2800:
            raise ValueError(fy)
    except ValueError:
        year, pending = 0, meeting.EntryError(TEXT["th"]["bad_fy"], TEXT["en"]["bad_fy"], "fiscal_year")
    mon = None if month in (None, "", "0") else (thai.month_from_text(month) or 13)
    due_date = None
    if (due or "").strip():
        try:
            due_date = parse_date(due)
        except DateError as e:
            pending = pending or meeting.EntryError(
                TEXT["th"]["bad_date"].format(why=e.th), TEXT["en"]["bad_date"].format(why=e.en), "due_date"
            )
    agenda_id = None
    if agenda not in (None, ""):
        try:
            agenda_id = int(agenda) if meeting.agenda(eng, int(agenda)) is not None else None
        except (TypeError, ValueError):
            agenda_id = None
    try:
        if pending is not None and meeting.may_direct(who):
            raise pending
        # ops.meeting checks the role first (and audits a refusal), then every field
        did = meeting.issue(eng, who, kpi if kpi in seen else "", year, mon, text, unit, due_date, agenda_id=agenda_id)
    except meeting.EntryError as e:
        if isinstance(e, meeting.Forbidden):
            flask.abort(403)
        errs = [e.text(lang) if e.field == f else None for f in FIELDS]
        return (_alert(e.text(lang), "directives-issue-error"), *errs, no_update, no_update)
    msg = tx["issued"].format(id=did, unit=unit, due=thai.format_date_th(due_date, lang, abbr=True))
    return (_alert(msg, "directives-issue-ok", ok=True), *[None] * len(FIELDS), (tick or 0) + 1, "")


@callback(
    Output("directives-list-msg", "children"),
    Output("directives-tick", "data", allow_duplicate=True),
    Input({"type": "directives-answer", "index": ALL, "v": ALL}, "n_clicks"),
    Input({"type": "directives-close", "index": ALL, "v": ALL}, "n_clicks"),
    Input({"type": "directives-reopen", "index": ALL, "v": ALL}, "n_clicks"),
    State({"type": "directives-text", "index": ALL}, "value"),
    State({"type": "directives-text", "index": ALL}, "id"),
    State("directives-tick", "data"),
    prevent_initial_call=True,
)
def _act(_answers, _closes, _reopens, texts, text_ids, tick):
    """Answer, close or reopen one directive at the version the row was drawn with."""
    lang = current_lang()
    tx = TEXT[lang]
    trig = ctx.triggered_id
    if not isinstance(trig, dict) or not any(t.get("value") for t in ctx.triggered):
        return no_update, no_update  # a re-drawn list, not a click
    did, version = int(trig["index"]), int(trig["v"])
    text = next((v for i, v in zip(text_ids or [], texts or []) if i["index"] == did), None)
    act = {
        "directives-answer": meeting.answer,
        "directives-close": meeting.close,
        "directives-reopen": meeting.reopen,
    }.get(trig["type"])
    if act is None:
        return no_update, no_update
    try:
        act(ops.engine(), auth.actor(), did, version, text)
    except meeting.EntryError as e:
        if isinstance(e, meeting.Forbidden):
            flask.abort(403)
        # a conflict re-draws the list with the latest state and version
        return (
            _alert(e.text(lang), "directives-act-error"),
            (tick or 0) + 1 if isinstance(e, meeting.Conflict) else no_update,
        )
    return _alert(tx["done"][trig["type"]], "directives-act-ok", ok=True), (tick or 0) + 1
