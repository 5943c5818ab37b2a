"""/entry: figures typed on the web, and their verification and approval (ops/entry.py).

* Editors enter a KPI's month value for their own unit and district: the form shows the value in
  the snapshot, the previous period, and, while typing, the light the value would give; a value
  that turns the light red needs a note, a jump beyond the rule ``entry_change_confirm`` needs a
  confirmation. Text typed but not saved is kept in this browser (localStorage) and offered
  again when the same figure is opened.
* Verifiers accept or return (with a reason) the submitted figures of their unit.
* Executives and admins approve a round area by area (a district, or the province's own figures):
  that area's verified figures of the month are approved, that area's round locks (the other
  areas keep entering the month) and a new snapshot is built at once (``etl.refresh``), so the
  cockpit shows them; a correction reopens that area's round with a reason.
* A figure above the KPI's plausibility ceiling needs a reason in the note (the verifier sees it,
  marked), and is refused above the hard bound; the live hint then warns instead of showing a
  light. A count (แปลง, ราย…) takes whole numbers and is shown without decimals. A round is named
  by its calendar month everywhere (``thai.round_label``: FY 2570 month 11 is พฤศจิกายน 2569).
Every action is checked again on the server by ops/entry.py; a forbidden one answers 403 and is
audited (web/auth.py refuses the page's callbacks to roles that may not open /entry at all).
"""

from __future__ import annotations

from datetime import timedelta

import dash
import dash_bootstrap_components as dbc
import flask
import pandas as pd
from dash import ALL, Input, Output, State, callback, ctx, dcc, html, no_update

import db
import ops
from components import thai
from components.cockpit import unit as unit_text
from components.i18n import current_lang, t, words
from components.layout import labelled_select, no_warehouse, provenance_badge
from components.status import status_badge
from config import settings
from etl import refresh
from inputs.parsing import scalar_problem
from ops import entry
from web import auth

dash.register_page(
    __name__,
    path="/entry",
    name="บันทึกข้อมูล",
    name_en="Data entry",
    title="บันทึกและรับรองข้อมูล · สัญญาณ Sanyan",
    order=80,
    menu="work",
)

TEXT = words(
    "entry",
    {
        "th": {
            "title": "บันทึกและรับรองข้อมูล",
            "enter": "บันทึกผลการดำเนินงาน",
            "kpi": "ตัวชี้วัด",
            "fy": t("word.fy", "th"),
            "month": "เดือน",
            "area": "พื้นที่",
            "value": "ผลการดำเนินงานของเดือน",
            "note": "หมายเหตุ",
            "confirm": "ยืนยันว่าค่านี้ถูกต้อง แม้ต่างจากงวดก่อนมาก",
            "save": "บันทึกร่าง",
            "submit": "ส่งให้ผู้สอบทาน",
            "saved": "บันทึกร่างแล้ว",
            "submitted": "ส่งให้ผู้สอบทานแล้ว",
            "scope": "สิทธิ์ของคุณ",
            "all": "ทุกหน่วยงาน",
            "others": "ค่าเป้าหมาย ค่าตัวชี้วัดจังหวัด แผนโครงการ GPP และสาธารณภัย บันทึกที่หน้า",
            "others_link": "บันทึกชุดข้อมูลอื่น",
            "in_snapshot": "ค่าในคลังข้อมูลขณะนี้",
            "prev": "งวดก่อน",
            "entry": "รายการบันทึก",
            "none": "ยังไม่มี",
            "would": "หากบันทึกค่านี้ สถานะจะเป็น",
            "need_note": "ต้องระบุหมายเหตุ",
            "change": "ต่างจากงวดก่อน",
            "restored": "กู้คืนข้อความที่พิมพ์ไว้แต่ยังไม่ได้บันทึกในเบราว์เซอร์นี้",
            "round_locked": "รอบของพื้นที่นี้อนุมัติและปิดแล้ว",
            "whole": "จำนวนเต็ม",
            "implausible": "เกินค่าที่เป็นไปได้",
            "ceiling": "เพดาน {c} {unit} = {m} เท่าของ {b}",
            "need_reason": "ต้องระบุเหตุผลในหมายเหตุ",
            "reason_given": "เหตุผลของผู้บันทึก",
            "no_reason": "ไม่มีเหตุผล",
            "verify": "รอสอบทาน",
            "accept": "รับรอง",
            "return": "ส่งกลับ",
            "reason": "เหตุผล",
            "nothing": "ไม่มีรายการรอสอบทาน",
            "approve": "อนุมัติรอบรายงาน",
            "round": "รอบรายงาน",
            "round_area": "พื้นที่ที่อนุมัติ",
            "round_areas": ["พื้นที่", "สถานะรอบ", "จำนวนตามสถานะ"],
            "no_area": "ยังไม่มีตัวเลขของเดือนนี้",
            "whole_month": "ปิดทั้งเดือน (ก่อนแยกตามพื้นที่)",
            "approve_btn": "อนุมัติและเผยแพร่",
            "reopen": "เปิดรอบใหม่เพื่อแก้ไข",
            "reopen_reason": "เหตุผลที่เปิดรอบใหม่",
            "approved": "อนุมัติ {n} รายการของพื้นที่ {area} รอบ{round} ปิดรอบของพื้นที่นี้แล้ว และปรับปรุงคลังข้อมูลใน {s} วินาที แผงควบคุมแสดงค่าใหม่แล้ว",
            "build_failed": "อนุมัติแล้ว แต่สร้างคลังข้อมูลใหม่ไม่สำเร็จ คลังเดิมยังใช้งาน: {e}",
            "reopened": "เปิดรอบ{round} ของพื้นที่ {area} ใหม่แล้ว",
            "counts": "จำนวนตามสถานะ",
            "open": "เปิดรับข้อมูล",
            "locked": "ปิดแล้ว",
            "cols": ["ตัวชี้วัด", "พื้นที่", "ค่า", "สถานะ", "ผู้บันทึก", "หมายเหตุ/เหตุผล"],
            "states": {
                "draft": "ร่าง",
                "submitted": "รอสอบทาน",
                "returned": "ส่งกลับแก้ไข",
                "verified": "สอบทานแล้ว",
                "approved": "อนุมัติแล้ว",
            },
            "no_kpis": "ไม่มีตัวชี้วัดในสิทธิ์ของคุณ (ผู้ดูแลระบบกำหนดหน่วยงานหรืออำเภอให้บัญชีนี้)",
            "upload": "หรืออัปโหลดแบบฟอร์มมาตรฐาน (.xlsx หรือ .csv) ที่กรอกแล้ว",
            "template": "ดาวน์โหลดแบบฟอร์มเปล่า",
            "drop": "ลากไฟล์มาวาง หรือคลิกเพื่อเลือกไฟล์",
            "upload_confirm": "ยืนยันค่าที่ต่างจากงวดก่อนมาก",
            "upload_submit": "ส่งทุกแถวให้ผู้สอบทาน",
            "upload_ok": "ตรวจแล้วไม่พบข้อผิดพลาด {n} แถว พร้อมส่ง",
            "upload_bad": "พบ {n} ข้อผิดพลาด ยังไม่มีการบันทึกใด ๆ แก้ไขไฟล์แล้วอัปโหลดใหม่",
            "upload_done": "ส่ง {n} แถวให้ผู้สอบทานแล้ว",
            "flagged": "ระบบทักท้วงค่าผิดปกติ {n} ค่าในปีงบประมาณ {fy} ของตัวชี้วัดที่คุณสอบทาน",
            "see_quality": "ดูรายการในหน้าคุณภาพข้อมูล",
            "ecols": ["แถว", "คอลัมน์", "ค่า", "ปัญหา"],
        },
        "en": {
            "title": "Data entry and verification",
            "enter": "Enter results",
            "kpi": "KPI",
            "fy": t("word.fy", "en"),
            "month": "Month",
            "area": "Area",
            "value": "The month's result",
            "note": "Note",
            "confirm": "I confirm this value, although it differs much from the previous period",
            "save": "Save draft",
            "submit": "Submit for verification",
            "saved": "Draft saved",
            "submitted": "Submitted for verification",
            "scope": "Your scope",
            "all": "all units",
            "others": "Targets, provincial indicators, project plans, GPP and disasters are entered on",
            "others_link": "Other datasets",
            "in_snapshot": "Value in the snapshot now",
            "prev": "Previous period",
            "entry": "Entry",
            "none": "none yet",
            "would": "With this value the light would be",
            "need_note": "a note is required",
            "change": "change against the previous period",
            "restored": "Restored text typed in this browser but not saved",
            "round_locked": "This area's round is approved and locked",
            "whole": "whole numbers",
            "implausible": "Implausible",
            "ceiling": "ceiling {c} {unit} = {m} × {b}",
            "need_reason": "a reason is required in the note",
            "reason_given": "the editor's reason",
            "no_reason": "no reason given",
            "verify": "Waiting for verification",
            "accept": "Verify",
            "return": "Return",
            "reason": "Reason",
            "nothing": "Nothing waits for verification",
            "approve": "Approve a reporting round",
            "round": "Reporting round",
            "round_area": "Area to approve",
            "round_areas": ["Area", "Round", "Figures by state"],
            "no_area": "No figure of this month yet",
            "whole_month": "whole month locked (before rounds had areas)",
            "approve_btn": "Approve and publish",
            "reopen": "Reopen for a correction",
            "reopen_reason": "Reason for reopening",
            "approved": "Approved {n} figure(s) of area {area} for {round}, locked this area's round and refreshed the snapshot in {s} s: the cockpit shows them",
            "build_failed": "Approved, but the new snapshot failed; the previous one is still served: {e}",
            "reopened": "The round of {round} for area {area} is open again",
            "counts": "Figures by state",
            "open": "open",
            "locked": "locked",
            "cols": ["KPI", "Area", "Value", "State", "Entered by", "Note / reason"],
            "states": {
                "draft": "draft",
                "submitted": "submitted",
                "returned": "returned",
                "verified": "verified",
                "approved": "approved",
            },
            "no_kpis": "No KPI is in your scope (an admin sets this account's unit or district)",
            "upload": "Or upload the filled uniform template (.xlsx or .csv)",
            "template": "Download the blank template",
            "drop": "Drop a file here, or click to choose one",
            "upload_confirm": "I confirm the large changes",
            "upload_submit": "Submit every row for verification",
            "upload_ok": "{n} row(s) checked, no error: ready to submit",
            "upload_bad": "{n} problem(s); nothing was stored. Correct the file and upload it again",
            "upload_done": "{n} row(s) submitted for verification",
            "flagged": "The after-storing check flags {n} value(s) of FY {fy} among the KPIs you verify.",
            "see_quality": "See them on the data-quality page",
            "ecols": ["Row", "Column", "Value", "Problem"],
        },
    },
)
MONTHS = (10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9)  # fiscal order


def _kpis(who: entry.Actor):
    """The KPIs this person may enter (classification already applied by db.query)."""
    k = db.query("entry/kpis")
    if who.role == "admin":
        return k
    # the scope rules (ops/scope.py): somewhere in the editor's district, or anywhere for a unit
    mine = [entry.may_enter(who, r, who.area_code) for r in k.to_dict("records")]
    return k[pd.Series(mine, index=k.index, dtype=bool)]


def _kpi(code) -> dict | None:
    if not isinstance(code, str):  # a callback fed something else than a KPI code: no such KPI
        return None
    k = db.query("entry/kpis")
    hit = k[k["kpi_code"] == code]
    return None if hit.empty else hit.iloc[0].to_dict()


def current_round() -> tuple[int, int]:
    """The round being reported now: the month before the snapshot's as-of date."""
    info = db.snapshot_info()
    as_of = info.get("as_of") or info.get("built_at")
    d = (as_of.date() if hasattr(as_of, "date") else as_of).replace(day=1) - timedelta(days=1)
    return thai.fiscal_year(d), d.month


def _month_options(lang, fy):
    """The months of fiscal year `fy` in fiscal order, each named by its calendar month and year
    (``thai.round_label``: FY 2570 → ตุลาคม 2569 … กันยายน 2570), as every page names a round."""
    return [{"label": thai.round_label(fy, m, lang), "value": str(m)} for m in MONTHS]


def _fy_options(fy):
    return [{"label": str(y), "value": str(y)} for y in (fy, fy - 1)]


def _one(*values) -> None:
    """400 when a value where one goes (a KPI, a year, a month, an area, a figure, a note, a
    version…) is a list, a dict or anything else no component of this page sends: the request's
    fault, refused before a rule reads it (``inputs.parsing.scalar_problem``)."""
    if any(scalar_problem(v) is not None for v in values):
        flask.abort(400)


def _ones(values) -> None:
    """400 unless `values` (a checklist's value, the states of a pattern's inputs) is nothing or a
    list of single values."""
    if values is not None and (not isinstance(values, list) or any(scalar_problem(v) is not None for v in values)):
        flask.abort(400)


def _forbid(err: entry.EntryError):
    """A forbidden action (already audited by ops.entry) answers 403 like a forbidden page."""
    if isinstance(err, entry.Forbidden):
        flask.abort(403)


@auth.page_access
def layout(**_kwargs) -> html.Div:
    lang = current_lang()
    tx = TEXT[lang]
    head = [html.H1(tx["title"], className="sy-page-title", id="entry-title")]
    if not db.available():
        return html.Div(head + [no_warehouse(lang, id_prefix="entry-nowh")], className="sy-page", id="entry-page")
    who = auth.actor()
    fy, month = current_round()
    scope = " · ".join(x for x in (t(f"role.{who.role}", lang), who.unit or tx["all"], who.area_code) if x)
    children = head + [
        html.P(
            [tx["scope"], ": ", scope, " · ", tx["others"], " ", dcc.Link(tx["others_link"], href="/entry/data")],
            className="sy-meta",
            id="entry-scope",
        )
    ]
    # Every section is always in the page (the callbacks share stores); a role sees its own.
    children.append(_entry_form(tx, lang, who, fy, month))
    can_verify = who.role in ("verifier", "admin")
    children.append(
        html.Section(
            [
                html.H2(tx["verify"], className="h4 mt-4"),
                dcc.Loading(html.Div(id="entry-verify-list")),
                html.Div(id="entry-verify-msg", role="status"),
            ],
            hidden=not can_verify,
            id="entry-verify-section",
        )
    )
    approver = entry.may_approve(who)
    children += [
        html.H2(tx["approve"] if approver else tx["round"], className="h4 mt-4"),
        html.Div(
            [
                labelled_select("entry-round-fy", tx["fy"], _fy_options(fy), str(fy)),
                labelled_select("entry-round-month", tx["month"], _month_options(lang, fy), str(month)),
                labelled_select("entry-round-area", tx["round_area"], [], None),
            ],
            className="sy-filters",
        ),
        dcc.Loading(html.Div(id="entry-round-summary")),
        html.Section(
            [
                html.Button(tx["approve_btn"], id="entry-approve", className="btn btn-primary mt-2"),
                html.Div(
                    [
                        html.Label(tx["reopen_reason"], htmlFor="entry-reopen-reason"),
                        dcc.Input(id="entry-reopen-reason", className="form-control", maxLength=500),
                        html.Button(tx["reopen"], id="entry-reopen", className="btn btn-outline-primary mt-2"),
                    ],
                    className="mt-3",
                    style={"maxWidth": "32rem"},
                ),
                dcc.Loading(html.Div(id="entry-round-msg", role="status", className="mt-2")),
            ],
            hidden=not approver,
            id="entry-approve-section",
        ),
        dcc.Store(id="entry-tick", data=0),
        dcc.Store(id="entry-verify-tick", data=0),
    ]
    return html.Div(children, className="sy-page", id="entry-page")


def _entry_form(tx, lang, who, fy, month):
    can_enter = who.role in ("editor", "admin")
    kpis = _kpis(who) if can_enter else db.query("entry/kpis").head(0)
    name = "name_th" if lang == "th" else "name_en"
    opts = [{"label": f"{r.kpi_code} {getattr(r, name)}", "value": r.kpi_code} for r in kpis.itertuples()]
    note = dbc.Alert(tx["no_kpis"], color="info", id="entry-no-kpis") if can_enter and kpis.empty else None
    return html.Div(
        [
            note,
            html.Section(
                [
                    html.H2(tx["enter"], className="h4"),
                    html.Div(
                        [
                            labelled_select("entry-kpi", tx["kpi"], opts, opts[0]["value"] if opts else None),
                            labelled_select("entry-fy", tx["fy"], _fy_options(fy), str(fy)),
                            labelled_select("entry-month", tx["month"], _month_options(lang, fy), str(month)),
                            labelled_select("entry-area", tx["area"], [], None),
                        ],
                        className="sy-filters",
                    ),
                    html.Div(id="entry-context", className="sy-meta mb-2", role="status"),
                    html.Div(id="entry-restored", role="status"),
                    html.Div(
                        [
                            html.Label(tx["value"], htmlFor="entry-value", id="entry-value-label"),
                            dcc.Input(
                                id="entry-value",
                                type="text",
                                inputMode="decimal",
                                className="form-control",
                                debounce=0.4,
                                autoComplete="off",
                            ),
                        ],
                        style={"maxWidth": "20rem"},
                    ),
                    html.Div(id="entry-hint", role="status", className="mt-1"),
                    html.Div(
                        [
                            html.Label(tx["note"], htmlFor="entry-note"),
                            dcc.Textarea(id="entry-note", className="form-control", maxLength=2000, rows=2),
                        ],
                        className="mt-2",
                    ),
                    dbc.Checklist(
                        id="entry-confirm",
                        options=[{"label": tx["confirm"], "value": "yes"}],
                        value=[],
                        className="mt-2",
                    ),
                    html.Div(
                        [
                            html.Button(tx["save"], id="entry-save", className="btn btn-outline-primary me-2"),
                            html.Button(tx["submit"], id="entry-submit", className="btn btn-primary"),
                        ],
                        className="mt-2",
                    ),
                    dcc.Loading(html.Div(id="entry-message", className="mt-2")),
                    dcc.Store(id="entry-version", data=0),
                    dcc.Store(id="entry-local", storage_type="local", data={}),
                    html.Details(
                        [
                            html.Summary(tx["upload"]),
                            html.Button(tx["template"], id="entry-template", className="btn btn-link px-0"),
                            dcc.Download(id="entry-template-file"),
                            dcc.Upload(
                                html.Div(tx["drop"]),
                                id="entry-upload",
                                accept=".xlsx,.csv",
                                max_size=5_000_000,
                                className="sy-upload p-3 border rounded text-center",
                            ),
                            dbc.Checklist(
                                id="entry-upload-confirm",
                                options=[{"label": tx["upload_confirm"], "value": "yes"}],
                                value=[],
                                className="mt-2",
                            ),
                            dcc.Loading(html.Div(id="entry-upload-result", className="mt-2")),
                            html.Button(
                                tx["upload_submit"],
                                id="entry-upload-submit",
                                className="btn btn-primary",
                                disabled=True,
                            ),
                            html.Div(id="entry-upload-message", className="mt-2"),
                            dcc.Store(id="entry-upload-file"),
                        ],
                        className="mt-3",
                        id="entry-upload-box",
                    ),
                ],
                id="entry-form",
                className="sy-card p-3",
                hidden=not opts,
            ),
        ]
    )


@callback(Output("entry-area", "options"), Output("entry-area", "value"), Input("entry-kpi", "value"))
def _areas(kpi):
    _one(kpi)
    who = auth.actor()
    lang = current_lang()
    areas = db.query("entry/kpi_areas", kpi=str(kpi or ""), province=settings.province)
    if who.area_code:
        areas = areas[areas["area_code"] == who.area_code]
    col = "name_th" if lang == "th" else "name_en"
    opts = [{"label": f"{r.area_code} {getattr(r, col)}", "value": r.area_code} for r in areas.itertuples()]
    return opts, (opts[0]["value"] if opts else None)


def _key(kpi, fy, month, area) -> str:
    return f"{kpi}|{fy}|{month}|{area}"


@callback(Output("entry-month", "options"), Input("entry-fy", "value"), prevent_initial_call=True)
def _months(fy):
    """The months named by their calendar month of the fiscal year chosen (ตุลาคม 2569 for FY 2570)."""
    _one(fy)
    return _month_options(current_lang(), int(fy)) if fy else no_update


@callback(Output("entry-round-month", "options"), Input("entry-round-fy", "value"), prevent_initial_call=True)
def _round_months(fy):
    _one(fy)
    return _month_options(current_lang(), int(fy)) if fy else no_update


@callback(
    Output("entry-context", "children"),
    Output("entry-version", "data"),
    Output("entry-value", "value"),
    Output("entry-note", "value"),
    Output("entry-restored", "children"),
    Output("entry-value-label", "children"),
    Output("entry-value", "inputMode"),
    Input("entry-kpi", "value"),
    Input("entry-fy", "value"),
    Input("entry-month", "value"),
    Input("entry-area", "value"),
    Input("entry-tick", "data"),
    State("entry-local", "data"),
)
def _load(kpi, fy, month, area, _tick, local):
    _one(kpi, fy, month, area, _tick)
    lang = current_lang()
    tx = TEXT[lang]
    if not (kpi and fy and month and area):
        return "", 0, "", "", None, tx["value"], "decimal"
    k = _kpi(kpi) or {}
    fy, month = int(fy), int(month)
    eng = ops.engine()
    row = entry.get(eng, kpi, fy, month, area)
    w = db.query("entry/what_if", kpi=kpi, fy=fy, month=month, area=area, new=0.0)
    w = w.iloc[0] if not w.empty else {}
    rnd = entry.round_state(eng, fy, month, area)
    unit = unit_text(k, lang)  # unit_en in English
    count = entry.is_count(k)
    label = f"{tx['value']} {thai.round_label(fy, month, lang)}"
    if unit:
        label += f" ({unit}, {tx['whole']})" if count else f" ({unit})"
    parts = [
        html.Span([tx["in_snapshot"], ": ", _num(w.get("value_month"), lang, k), " ", unit, " "]),
        status_badge(w.get("status_now"), lang, small=True),
        " · ",
        html.Span([tx["prev"], ": ", _num(w.get("prev_value"), lang, k), " ", unit]),
    ]
    if row:
        parts += [
            html.Br(),
            tx["entry"],
            ": ",
            _num(row["value"], lang, k),
            " ",
            html.Strong(tx["states"].get(row["status"], row["status"]), **{"data-state": row["status"]}),
            f" · {row['entered_by']} · v{row['version']}",
        ]
        if row["reason"]:
            parts += [" · ", tx["reason"], ": ", row["reason"]]
    if rnd["status"] == "locked":
        parts += [html.Br(), dbc.Badge(f"{tx['round_locked']} ({area})", color="secondary", id="entry-locked")]
    version = row["version"] if row else 0
    value = "" if not row or row["value"] is None else f"{row['value']:g}"
    note = (row or {}).get("note") or ""
    mine = (local or {}).get(_key(kpi, fy, month, area))
    restored = None
    if mine and mine.get("version") == version and (mine.get("value"), mine.get("note")) != (value, note):
        value, note = mine.get("value") or "", mine.get("note") or ""
        restored = dbc.Alert(tx["restored"], color="info", className="py-1", id="entry-restored-note")
    return (
        html.Span(parts, **{"data-key": _key(kpi, fy, month, area)}),
        version,
        value,
        note,
        restored,
        label,
        "numeric" if count else "decimal",
    )


def _text(x) -> str | None:
    """A text cell of the ops store's rows: None for nothing (None, NaN from pandas, blank)."""
    return (x.strip() or None) if isinstance(x, str) else None


def _num(x, lang, kpi: dict | None = None):
    """A figure as /entry shows it (``ops.entry.number_text``): a count without decimals."""
    return entry.number_text(kpi or {}, x, lang)


@callback(
    Output("entry-local", "data"),
    Input("entry-value", "value"),
    Input("entry-note", "value"),
    State("entry-kpi", "value"),
    State("entry-fy", "value"),
    State("entry-month", "value"),
    State("entry-area", "value"),
    State("entry-version", "data"),
    State("entry-local", "data"),
    prevent_initial_call=True,
)
def _remember(value, note, kpi, fy, month, area, version, local):
    """Keep what is typed in this browser until it is saved (a closed tab loses nothing)."""
    _one(value, note, kpi, fy, month, area, version)
    if not (kpi and fy and month and area):
        return no_update
    local = dict(local or {})
    local[_key(kpi, int(fy), int(month), area)] = {"value": value or "", "note": note or "", "version": version}
    return local


def _checks(kpi, fy, month, area, value, code_lists=None):
    """The figure checked by the rules of a file (ops.entry.check_figure, with the codes when
    `code_lists` is given), its what-if row and what it asks of the person (ops.entry.needs, the
    ceiling too). Returns ((fiscal year, month, area), what-if row, needs); EntryError names the
    field."""
    k = _kpi(kpi) or {}
    fy, month, area, v = entry.check_figure(k, fy, month, area, value, code_lists)
    w = db.query("entry/what_if", kpi=kpi, fy=fy, month=month, area=area, new=v)
    w = w.iloc[0].to_dict() if not w.empty else {}
    rules = db.query("cockpit/rules").set_index("rule")["value"]
    return (fy, month, area), w, entry.needs(v, w, rules.get("entry_change_confirm"), k)


def _implausible(tx, lang, k: dict, need: dict, **attrs) -> html.Span:
    """The warning for a figure above the KPI's ceiling: a word and an icon, never a light."""
    c = need["ceiling"]
    text = tx["ceiling"].format(
        c=_num(int(c["ceiling"]), lang, k),
        unit=unit_text(k, lang),
        m=thai.format_number(c["multiple"], 0 if float(c["multiple"]).is_integer() else 1, lang),
        b=_num(c["base"], lang, k),
    )
    return html.Span(
        [html.Span("⚠", **{"aria-hidden": "true"}), " ", html.Strong(tx["implausible"]), f" ({text})"],
        className="sy-status sy-status-sm text-danger",
        **{"data-status": "implausible"},
        **attrs,
    )


@callback(
    Output("entry-hint", "children"),
    Input("entry-value", "value"),
    State("entry-kpi", "value"),
    State("entry-fy", "value"),
    State("entry-month", "value"),
    State("entry-area", "value"),
    prevent_initial_call=True,
)
def _hint(value, kpi, fy, month, area):
    _one(value, kpi, fy, month, area)
    lang = current_lang()
    tx = TEXT[lang]
    if not value or not (kpi and fy and month and area):
        return None
    try:
        _period, w, need = _checks(kpi, fy, month, area, value)
    except entry.EntryError as e:
        return html.Span(e.text(lang), className="text-danger", id="entry-hint-error")
    k = _kpi(kpi) or {}
    out = []
    if need["implausible"]:  # never a light (an absurd figure is not "on track"): a warning instead
        refused, _reason = entry.ceiling_errors(k, need)
        out += [_implausible(tx, lang, k, need, id="entry-hint-implausible"), " — "]
        out += [
            html.Strong(refused.text(lang), className="text-danger", id="entry-hint-refused")
            if refused is not None
            else html.Strong(tx["need_reason"])
        ]
    elif w.get("status_new"):
        out += [tx["would"], " ", status_badge(w["status_new"], lang, small=True, id="entry-hint-status")]
        if need["note"]:
            out += [" — ", html.Strong(tx["need_note"])]
    if need["change"] is not None and not need["refuse"]:  # a refused figure: no percentage
        out += [html.Br() if out else None, f"{tx['change']} {need['change']:+.0%}"]
    return out


@callback(
    Output("entry-message", "children"),
    Output("entry-tick", "data"),
    Input("entry-save", "n_clicks"),
    Input("entry-submit", "n_clicks"),
    State("entry-kpi", "value"),
    State("entry-fy", "value"),
    State("entry-month", "value"),
    State("entry-area", "value"),
    State("entry-value", "value"),
    State("entry-note", "value"),
    State("entry-version", "data"),
    State("entry-confirm", "value"),
    State("entry-tick", "data"),
    prevent_initial_call=True,
)
def _save(_n1, _n2, kpi, fy, month, area, value, note, version, confirm, tick):
    _one(kpi, fy, month, area, value, note, version, tick)  # a list for the month: 400, never a 500
    _ones(confirm)
    lang = current_lang()
    tx = TEXT[lang]
    submit = ctx.triggered_id == "entry-submit"
    k = _kpi(kpi)
    if k is None or not (fy and month and area):
        flask.abort(400)
    try:
        lists = refresh.code_lists()  # the codes a file is checked against
        (fy, month, area), w, _need = _checks(kpi, fy, month, area, value, lists)
        rules = db.query("cockpit/rules").set_index("rule")["value"]
        entry.save(
            ops.engine(),
            auth.actor(),
            k,
            fy,
            month,
            area,
            value,
            note,
            int(version or 0),
            submit,
            what_if=w,
            change_limit=rules.get("entry_change_confirm"),
            confirmed="yes" in (confirm or []),
            code_lists=lists,
        )
    except entry.EntryError as e:
        _forbid(e)
        return dbc.Alert(e.text(lang), color="danger", id="entry-error"), no_update
    return (dbc.Alert(tx["submitted" if submit else "saved"], color="success", id="entry-ok"), (tick or 0) + 1)


# ---------------------------------------------------------------- verification
@callback(Output("entry-verify-list", "children"), Input("entry-verify-tick", "data"), Input("entry-tick", "data"))
def _verify_list(_t1, _t2):
    lang = current_lang()
    tx = TEXT[lang]
    who = auth.actor()
    kpis = db.query("entry/kpis").set_index("kpi_code")
    rows = entry.rows(ops.engine(), status=("submitted",))
    rows = rows[
        rows["kpi_code"]
        .map(lambda c: c in kpis.index and entry.may_verify(who, {"owner_unit": kpis.at[c, "owner_unit"]}))
        .astype(bool)
    ]
    fy, _month = current_round()  # after-storing checks: the values flagged for these verifiers
    flagged = db.query("quality/outliers", fy=fy, province=settings.province)
    flagged = flagged[
        flagged["kpi_code"]
        .map(lambda c: c in kpis.index and entry.may_verify(who, {"owner_unit": kpis.at[c, "owner_unit"]}))
        .astype(bool)
    ]
    note = (
        html.P(
            [tx["flagged"].format(n=len(flagged), fy=fy), " ", dcc.Link(tx["see_quality"], href=f"/quality?fy={fy}")],
            id="entry-flagged",
        )
        if len(flagged)
        else None
    )
    if rows.empty:
        return [note, html.P(tx["nothing"], className="sy-meta", id="entry-verify-none")]
    items = []
    for r in rows.itertuples():
        key = {"index": int(r.entry_id), "v": int(r.version)}
        k = kpis.loc[r.kpi_code].to_dict() | {"kpi_code": r.kpi_code}
        note = _text(r.note)
        bad = entry.stored_problems(r._asdict(), k)  # stored before the rules held: marked, never verified
        w = db.query("entry/what_if", kpi=r.kpi_code, fy=r.fiscal_year, month=r.month, area=r.area_code, new=r.value)
        need = entry.needs(float(r.value), w.iloc[0].to_dict() if not w.empty else {}, None, k)
        items.append(
            html.Li(
                [
                    html.Strong(
                        f"{r.kpi_code} {thai.round_label(r.fiscal_year, r.month, lang, abbr=True)} · {r.area_code}: "
                    ),
                    _num(r.value, lang, k),
                    f" {unit_text(k, lang)} ({r.entered_by})",
                    html.Div(  # beyond the ceiling: the verifier sees it, and the editor's reason
                        [
                            _implausible(tx, lang, k, need),
                            " ",
                            tx["reason_given"],
                            ": ",
                            html.Q(note) if note else html.Em(tx["no_reason"]),
                        ],
                        className="small",
                        **{"data-implausible": "1"},
                    )
                    if need["implausible"]
                    else None,
                    html.Br() if note and not need["implausible"] else None,
                    note if not need["implausible"] else None,
                    html.Div(
                        ["⚠ ", "; ".join(e.text(lang) for e in bad)],
                        className="text-danger small",
                        **{"data-invalid": ",".join(e.field for e in bad)},
                    )
                    if bad
                    else None,
                    html.Div(
                        [
                            html.Label(
                                [
                                    html.Span(tx["reason"], className="visually-hidden"),
                                    dcc.Input(
                                        id={"type": "entry-reason", **key},
                                        placeholder=tx["reason"],
                                        className="form-control",
                                        maxLength=500,
                                    ),
                                ],
                                style={"maxWidth": "20rem"},
                            ),
                            html.Button(
                                tx["accept"], id={"type": "entry-accept", **key}, className="btn btn-sm btn-success"
                            ),
                            html.Button(
                                tx["return"],
                                id={"type": "entry-return", **key},
                                className="btn btn-sm btn-outline-danger",
                            ),
                        ],
                        className="d-flex flex-wrap gap-2 mt-1",
                    ),
                ],
                className="mb-3",
                **{"data-entry": int(r.entry_id)},
            )
        )
    return [note, html.Ul(items, className="list-unstyled", id="entry-verify-items")]


@callback(
    Output("entry-verify-msg", "children"),
    Output("entry-verify-tick", "data"),
    Input({"type": "entry-accept", "index": ALL, "v": ALL}, "n_clicks"),
    Input({"type": "entry-return", "index": ALL, "v": ALL}, "n_clicks"),
    State({"type": "entry-reason", "index": ALL, "v": ALL}, "value"),
    State({"type": "entry-reason", "index": ALL, "v": ALL}, "id"),
    State("entry-verify-tick", "data"),
    prevent_initial_call=True,
)
def _verify(accepts, returns, reasons, reason_ids, tick):
    _one(tick)
    for values in (accepts, returns, reasons):
        _ones(values)
    lang = current_lang()
    trig = ctx.triggered_id
    if not trig or not any((accepts or []) + (returns or [])):
        return no_update, no_update
    entry_id, version = int(trig["index"]), int(trig["v"])
    reason = next((v for i, v in zip(reason_ids, reasons) if i["index"] == entry_id), None)
    row = entry.rows(ops.engine()).query("entry_id == @entry_id")
    k = _kpi(row.iloc[0]["kpi_code"]) if not row.empty else None
    try:
        entry.verify(
            ops.engine(),
            auth.actor(),
            k or {"kpi_code": None},
            entry_id,
            version,
            trig["type"] == "entry-accept",
            reason,
        )
    except entry.EntryError as e:
        _forbid(e)
        return dbc.Alert(e.text(lang), color="danger", id="entry-verify-error"), no_update
    return None, (tick or 0) + 1


# ---------------------------------------------------------------- rounds (one per area and month)
def _month_rows(who, fy: int, month: int) -> pd.DataFrame:
    """The figures of a month this person sees in the round panel (an editor: their own scope)."""
    rows = entry.rows(ops.engine(), fy=fy, month=month)
    if who.role == "editor":
        kpis = {r["kpi_code"]: r for r in db.query("entry/kpis").to_dict("records")}
        mine = [c in kpis and entry.may_enter(who, kpis[c], a) for c, a in zip(rows["kpi_code"], rows["area_code"])]
        rows = rows[pd.Series(mine, index=rows.index, dtype=bool)]
    return rows


def _area_names(lang) -> dict[str, str]:
    names = db.query("entry/area_names", province=settings.province)
    col = "name_th" if lang == "th" else "name_en"
    return {r.area_code: f"{r.area_code} {getattr(r, col)}" for r in names.itertuples()}


def _round_areas(who, fy: int, month: int, rows: pd.DataFrame) -> list[str]:
    """The areas of a month's rounds: those with figures, and those with a round of their own."""
    areas = set(rows["area_code"].astype(str)) | {
        a for a in entry.round_rows(ops.engine(), fy, month) if a != ops.ALL_AREAS
    }
    if who.role == "editor" and who.area_code:
        areas &= {who.area_code}
    return sorted(areas)


@callback(
    Output("entry-round-area", "options"),
    Output("entry-round-area", "value"),
    Input("entry-round-fy", "value"),
    Input("entry-round-month", "value"),
    Input("entry-tick", "data"),
    Input("entry-verify-tick", "data"),
    State("entry-round-area", "value"),
)
def _round_area_options(fy, month, _t1, _t2, chosen):
    """The approver chooses the area whose round is approved or reopened: the month's areas, the one
    chosen kept, else the first with verified figures waiting."""
    _one(fy, month, chosen)
    lang = current_lang()
    if not (fy and month):
        return [], None
    who = auth.actor()
    fy, month = int(fy), int(month)
    rows = _month_rows(who, fy, month)
    areas = _round_areas(who, fy, month, rows)
    names = _area_names(lang)
    opts = [{"label": names.get(a, a), "value": a} for a in areas]
    if chosen in areas:
        return opts, chosen
    waiting = sorted(set(rows.loc[rows["status"] == "verified", "area_code"].astype(str)))
    return opts, (waiting[0] if waiting else areas[0] if areas else None)


@callback(
    Output("entry-round-summary", "children"),
    Input("entry-round-fy", "value"),
    Input("entry-round-month", "value"),
    Input("entry-round-area", "value"),
    Input("entry-tick", "data"),
    Input("entry-verify-tick", "data"),
)
def _round_summary(fy, month, area, *_):
    _one(fy, month, area)
    lang = current_lang()
    tx = TEXT[lang]
    if not (fy and month):
        return None
    who = auth.actor()
    fy, month = int(fy), int(month)
    eng = ops.engine()
    rows = _month_rows(who, fy, month)
    names = _area_names(lang)
    label = thai.round_label(fy, month, lang)
    states = entry.round_rows(eng, fy, month)
    whole = states.get(ops.ALL_AREAS)

    def state_of(a):
        return states.get(a) or whole or {"status": "open", "reason": None}

    def counts_text(part) -> str:
        counts = part["status"].value_counts().to_dict()
        return ", ".join(f"{tx['states'][s]} {counts[s]}" for s in ops.ENTRY_STATES if s in counts) or tx["none"]

    head = [html.Strong(label), " · ", tx["counts"], ": ", counts_text(rows)]
    if area:
        st = state_of(area)
        head += [
            html.Br(),
            names.get(area, area),
            ": ",
            html.Strong(tx["locked"] if st["status"] == "locked" else tx["open"], id="entry-round-state"),
        ]
        head += [" · ", tx["reason"], ": ", st["reason"]] if st.get("reason") else []
    out: list = [html.P(head, id="entry-round-head")]
    if whole is not None:
        out.append(
            html.P(
                [tx["whole_month"], ": ", tx["locked"] if whole["status"] == "locked" else tx["open"]],
                className="sy-meta",
                id="entry-round-whole",
            )
        )
    areas = _round_areas(who, fy, month, rows)
    if not areas:
        return out + [html.P(tx["no_area"], className="sy-meta", id="entry-round-none")]
    acols = tx["round_areas"]
    area_rows = []
    for a in areas:
        st = state_of(a)
        area_rows.append(
            html.Tr(
                [
                    html.Td(names.get(a, a), **{"data-label": acols[0]}),
                    html.Td(
                        [tx["locked"] if st["status"] == "locked" else tx["open"]]
                        + ([" · ", st["reason"]] if st.get("reason") else []),
                        **{"data-label": acols[1], "data-round-state": st["status"]},
                    ),
                    html.Td(counts_text(rows[rows["area_code"] == a]), **{"data-label": acols[2]}),
                ],
                **{"data-area": a},
            )
        )
    out.append(
        html.Div(
            html.Table(
                [html.Thead(html.Tr([html.Th(c, scope="col") for c in acols])), html.Tbody(area_rows)],
                className="table table-sm sy-table sy-stack",
                id="entry-round-areas",
            ),
            className="table-responsive",
        )
    )
    if rows.empty:
        return out
    kpis = db.query("entry/kpis").set_index("kpi_code")
    cols = tx["cols"]
    body = [
        html.Tr(
            [
                html.Td(r.kpi_code, **{"data-label": cols[0]}),
                html.Td(r.area_code, **{"data-label": cols[1]}),
                html.Td(
                    _num(r.value, lang, kpis.loc[r.kpi_code].to_dict() if r.kpi_code in kpis.index else None),
                    **{"data-label": cols[2]},
                ),
                html.Td(tx["states"][r.status], **{"data-label": cols[3], "data-state": r.status}),
                html.Td(r.entered_by, **{"data-label": cols[4]}),
                html.Td(_text(r.reason) or _text(r.note) or "", **{"data-label": cols[5]}),
            ],
            **{"data-area": r.area_code},
        )
        for r in rows.itertuples()
    ]
    return out + [
        html.Div(
            html.Table(
                [html.Thead(html.Tr([html.Th(c, scope="col") for c in cols])), html.Tbody(body)],
                className="table table-sm sy-table sy-stack",
                id="entry-round-table",
            ),
            className="table-responsive",
        ),
    ]


@callback(
    Output("entry-round-msg", "children"),
    Output("entry-tick", "data", allow_duplicate=True),
    Input("entry-approve", "n_clicks"),
    Input("entry-reopen", "n_clicks"),
    State("entry-round-fy", "value"),
    State("entry-round-month", "value"),
    State("entry-round-area", "value"),
    State("entry-reopen-reason", "value"),
    State("entry-tick", "data"),
    prevent_initial_call=True,
)
def _round_action(_a, _r, fy, month, area, reason, tick):
    """Approve or reopen the round of the area chosen, and of that area only."""
    _one(fy, month, area, reason, tick)
    lang = current_lang()
    tx = TEXT[lang]
    eng = ops.engine()
    who = auth.actor()
    if not (fy and month):
        flask.abort(400)
    fy, month = int(fy), int(month)
    label = thai.round_label(fy, month, lang)
    try:
        if not area:
            raise entry.EntryError(
                f"{TEXT['th']['round_area']}: กรุณาเลือกพื้นที่", f"{TEXT['en']['round_area']}: choose the area", "area"
            )
        if ctx.triggered_id == "entry-reopen":
            entry.reopen_round(eng, who, fy, month, reason, area)
            return (
                dbc.Alert(tx["reopened"].format(round=label, area=area), color="success", id="entry-round-ok"),
                (tick or 0) + 1,
            )
        done = refresh.approve_and_build(
            eng, who.username, f"round {fy}/{month} {area}", lambda: entry.approve_round(eng, who, fy, month, area)
        )
    except entry.EntryError as e:
        _forbid(e)
        return dbc.Alert(e.text(lang), color="danger", id="entry-round-error"), no_update
    except refresh.RefreshFailed as e:
        return dbc.Alert(tx["build_failed"].format(e=e), color="danger", id="entry-round-error"), (tick or 0) + 1
    n, seconds = done.approved, done.seconds
    return (
        dbc.Alert(
            [
                provenance_badge("entered", lang),
                " ",
                tx["approved"].format(n=n, area=area, round=label, s=thai.format_number(seconds, 1, lang)),
            ],
            color="success",
            id="entry-round-ok",
        ),
        (tick or 0) + 1,
    )


# ---------------------------------------------------------------- upload of the uniform template
@callback(Output("entry-template-file", "data"), Input("entry-template", "n_clicks"), prevent_initial_call=True)
def _template(_n):
    import tempfile
    from pathlib import Path

    from inputs.template import write_template

    lists = refresh.code_lists()
    lists["kpi"] = dict(zip(*_kpis(auth.actor())[["kpi_code", "name_th"]].to_dict("list").values()))  # only theirs
    with tempfile.TemporaryDirectory() as tmp:
        path = write_template("kpi_actuals", Path(tmp) / "kpi_actuals.xlsx", code_lists=lists)
        return dcc.send_bytes(path.read_bytes(), "sanyan_kpi_actuals.xlsx")


def _check_file(name: str, contents: str, confirmed: bool):
    """Parse an uploaded template with the same rules as ``etl load``, then the entry rules.
    Returns (frame, problems as (row, column, value, text))."""
    import base64

    from inputs.parsing import parse_upload

    lang = current_lang()
    res = parse_upload(
        name,
        base64.b64decode(contents.split(",", 1)[1]),
        "kpi_actuals",
        refresh.code_lists(),
    )
    if res.errors:
        return res.frame, [(i.row, i.column, i.value, i.reason_th if lang == "th" else i.reason_en) for i in res.errors]
    kpis = {r["kpi_code"]: r for r in db.query("entry/kpis").to_dict("records")}
    rules = db.query("cockpit/rules").set_index("rule")["value"]

    def what_if(kpi, fy, month, area, value):
        w = db.query("entry/what_if", kpi=kpi, fy=fy, month=month, area=area, new=value)
        return w.iloc[0].to_dict() if not w.empty else {}

    problems = entry.check_upload(
        ops.engine(),
        auth.actor(),
        kpis,
        res.frame,
        what_if=what_if,
        change_limit=rules.get("entry_change_confirm"),
        confirmed=confirmed,
    )
    values = dict(zip(res.frame["_row"].astype(int), res.frame["value"]))
    return res.frame, [(r, c, values.get(r), th if lang == "th" else en) for r, c, th, en in problems], what_if, kpis


@callback(
    Output("entry-upload-result", "children"),
    Output("entry-upload-submit", "disabled"),
    Output("entry-upload-file", "data"),
    Input("entry-upload", "contents"),
    Input("entry-upload-confirm", "value"),
    State("entry-upload", "filename"),
    prevent_initial_call=True,
)
def _upload(contents, confirm, name):
    _one(contents, name)
    _ones(confirm)
    lang = current_lang()
    tx = TEXT[lang]
    if not contents:
        return None, True, None
    if auth.actor().role not in ("editor", "admin"):
        flask.abort(403)
    frame, problems, *_ = _check_file(name, contents, "yes" in (confirm or []))
    if problems:
        cols = tx["ecols"]
        rows = [
            html.Tr(
                [
                    html.Td("–" if r is None else str(r), **{"data-label": cols[0]}),
                    html.Td(c or "–", **{"data-label": cols[1]}),
                    html.Td("" if v is None else str(v), **{"data-label": cols[2]}),
                    html.Td(t, **{"data-label": cols[3]}),
                ]
            )
            for r, c, v, t in problems
        ]
        table = html.Div(
            html.Table(
                [html.Thead(html.Tr([html.Th(c, scope="col") for c in cols])), html.Tbody(rows)],
                className="table table-sm sy-table sy-stack",
                id="entry-upload-errors",
            ),
            className="table-responsive",
        )
        return (
            [
                dbc.Alert(
                    f"{name}: " + tx["upload_bad"].format(n=len(problems)), color="danger", id="entry-upload-bad"
                ),
                table,
            ],
            True,
            None,
        )
    return (
        dbc.Alert(f"{name}: " + tx["upload_ok"].format(n=len(frame)), color="success", id="entry-upload-ok"),
        False,
        {"name": name, "contents": contents},
    )


@callback(
    Output("entry-upload-message", "children"),
    Output("entry-tick", "data", allow_duplicate=True),
    Input("entry-upload-submit", "n_clicks"),
    State("entry-upload-file", "data"),
    State("entry-upload-confirm", "value"),
    State("entry-tick", "data"),
    prevent_initial_call=True,
)
def _upload_submit(_n, file, confirm, tick):
    """The server checks the file again: what the browser holds is never trusted."""
    _one(tick)
    _ones(confirm)
    if file is not None and not (
        isinstance(file, dict) and all(scalar_problem(file.get(k)) is None for k in ("name", "contents"))
    ):
        flask.abort(400)
    lang = current_lang()
    tx = TEXT[lang]
    if not file:
        return no_update, no_update
    if auth.actor().role not in ("editor", "admin"):
        flask.abort(403)
    confirmed = "yes" in (confirm or [])
    frame, problems, *rest = _check_file(file["name"], file["contents"], confirmed)
    if problems:
        return dbc.Alert(tx["upload_bad"].format(n=len(problems)), color="danger", id="entry-upload-error"), no_update
    what_if, kpis = rest
    rules = db.query("cockpit/rules").set_index("rule")["value"]
    try:
        n = entry.submit_upload(
            ops.engine(),
            auth.actor(),
            kpis,
            frame,
            file["name"],
            what_if=what_if,
            change_limit=rules.get("entry_change_confirm"),
            confirmed=confirmed,
        )
    except entry.EntryError as e:
        return dbc.Alert(e.text(lang), color="danger", id="entry-upload-error"), no_update
    return dbc.Alert(tx["upload_done"].format(n=n), color="success", id="entry-upload-done"), (tick or 0) + 1
