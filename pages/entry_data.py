"""/entry/data: the other uniform templates typed on the web (ops/records.py): KPI targets,
provincial indicator values, project plans, GPP by sector, disasters.

* The form is generated from the dataset's columns in inputs/datasets.py (the template's headers,
  help and drop-down lists); a row is checked by the very rules of a file and every error is shown
  under its field. Text typed but not saved is kept in this browser (localStorage).
* Below it, the dataset's rows in the reader's scope with their state: an editor opens one to
  correct it, a verifier accepts or returns it, an approver reopens an approved one with a reason.
* An approver approves the verified rows of the dataset: they are locked and a new snapshot is
  built at once, so the pages show them.
* Or upload the filled template: checked whole, stored whole (all or nothing).
Every action is checked again on the server by ops/records.py.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import flask
from dash import ALL, Input, Output, State, callback, ctx, dcc, html, no_update

import db
import ops
from components import thai
from components.i18n import current_lang, t, words
from components.layout import labelled_select, no_warehouse, provenance_badge
from etl import refresh
from inputs import datasets as reg
from inputs.parsing import is_percent_unit, scalar_problem
from ops import records, scope
from web import auth

dash.register_page(
    __name__,
    path="/entry/data",
    name="บันทึกชุดข้อมูลอื่น",
    name_en="Other datasets",
    title="บันทึกชุดข้อมูลตามแบบฟอร์มมาตรฐาน · สัญญาณ Sanyan",
    order=81,
    menu="work",
)

TEXT = words(
    "entry_data",
    {
        "th": {
            "title": "บันทึกชุดข้อมูลตามแบบฟอร์มมาตรฐาน",
            "dataset": "ชุดข้อมูล",
            "scope": "สิทธิ์ของคุณ",
            "all": "ทุกหน่วยงาน",
            "kpi_results": "ผลการดำเนินงานตัวชี้วัดรายเดือน บันทึกที่หน้า",
            "kpi_link": "บันทึกข้อมูล",
            "form": "บันทึกหนึ่งแถว",
            "note": "หมายเหตุ",
            "confirm": "ยืนยันว่าค่านี้ถูกต้อง แม้ต่างจากงวดก่อนมาก",
            "save": "บันทึกร่าง",
            "submit": "ส่งให้ผู้สอบทาน",
            "saved": "บันทึกร่างแล้ว",
            "submitted": "ส่งให้ผู้สอบทานแล้ว",
            "fix": "แก้ไขช่องที่มีข้อความสีแดง",
            "exists": "แถวนี้มีอยู่แล้ว",
            "new": "แถวใหม่",
            "rows": "แถวของชุดข้อมูลนี้",
            "none": "ยังไม่มีแถวที่บันทึกผ่านเว็บ",
            "open": "เปิดแก้ไข",
            "accept": "รับรอง",
            "return": "ส่งกลับ",
            "reopen": "เปิดใหม่เพื่อแก้ไข",
            "reason": "เหตุผล",
            "approve": "อนุมัติแถวที่สอบทานแล้วของชุดข้อมูลนี้",
            "approved": "อนุมัติ {n} แถว และปรับปรุงคลังข้อมูลใน {s} วินาที ทุกหน้าแสดงค่าใหม่แล้ว",
            "build_failed": "อนุมัติแล้ว แต่สร้างคลังข้อมูลใหม่ไม่สำเร็จ คลังเดิมยังใช้งาน: {e}",
            "restored": "กู้คืนข้อความที่พิมพ์ไว้แต่ยังไม่ได้บันทึกในเบราว์เซอร์นี้",
            "cols": ["แถว", "สถานะ", "ผู้บันทึก", "หมายเหตุ/เหตุผล", ""],
            "states": {
                "draft": "ร่าง",
                "submitted": "รอสอบทาน",
                "returned": "ส่งกลับแก้ไข",
                "verified": "สอบทานแล้ว",
                "approved": "อนุมัติแล้ว",
            },
            "replace_scope": "แถวที่อนุมัติจะแทนข้อมูลตัวอย่างทุกสาขาของจังหวัด การจัดประเภท และฉบับข้อมูลเดียวกัน",
            "upload": "หรืออัปโหลดแบบฟอร์มมาตรฐาน (.xlsx หรือ .csv) ที่กรอกแล้ว",
            "template": "ดาวน์โหลดแบบฟอร์มเปล่า",
            "drop": "ลากไฟล์มาวาง หรือคลิกเพื่อเลือกไฟล์",
            "upload_submit": "ส่งทุกแถวให้ผู้สอบทาน",
            "upload_ok": "ตรวจแล้วไม่พบข้อผิดพลาด {n} แถว พร้อมส่ง",
            "upload_bad": "พบ {n} ข้อผิดพลาด ยังไม่มีการบันทึกใด ๆ แก้ไขไฟล์แล้วอัปโหลดใหม่",
            "upload_done": "ส่ง {n} แถวให้ผู้สอบทานแล้ว",
            "ecols": ["แถว", "คอลัมน์", "ค่า", "ปัญหา"],
            "required": "จำเป็น",
        },
        "en": {
            "title": "Enter the uniform templates",
            "dataset": "Dataset",
            "scope": "Your scope",
            "all": "all units",
            "kpi_results": "Monthly KPI results are entered on",
            "kpi_link": "Data entry",
            "form": "Enter one row",
            "note": "Note",
            "confirm": "I confirm this value, although it differs much from the previous period",
            "save": "Save draft",
            "submit": "Submit for verification",
            "saved": "Draft saved",
            "submitted": "Submitted for verification",
            "fix": "Correct the fields marked in red",
            "exists": "This row exists",
            "new": "A new row",
            "rows": "Rows of this dataset",
            "none": "No row entered on the web yet",
            "open": "Open",
            "accept": "Verify",
            "return": "Return",
            "reopen": "Reopen for a correction",
            "reason": "Reason",
            "approve": "Approve the verified rows of this dataset",
            "approved": "Approved {n} row(s) and refreshed the snapshot in {s} s: the pages show them",
            "build_failed": "Approved, but the new snapshot failed; the previous one is still served: {e}",
            "restored": "Restored text typed in this browser but not saved",
            "cols": ["Row", "State", "Entered by", "Note / reason", ""],
            "states": {
                "draft": "draft",
                "submitted": "submitted",
                "returned": "returned",
                "verified": "verified",
                "approved": "approved",
            },
            "replace_scope": "An approved row replaces every sample sector of its province, classification and edition",
            "upload": "Or upload the filled uniform template (.xlsx or .csv)",
            "template": "Download the blank template",
            "drop": "Drop a file here, or click to choose one",
            "upload_submit": "Submit every row for verification",
            "upload_ok": "{n} row(s) checked, no error: ready to submit",
            "upload_bad": "{n} problem(s); nothing was stored. Correct the file and upload it again",
            "upload_done": "{n} row(s) submitted for verification",
            "ecols": ["Row", "Column", "Value", "Problem"],
            "required": "required",
        },
    },
)
FORM_COLUMNS = {
    name: [c for c in reg.DATASETS[name].columns if c.key not in ("provenance", "source_ref")]
    for name in records.FORM_DATASETS
}
PREV_QUERY = {
    "indicator_values": ("records/prev_indicator", {"code": "indicator_code", "area": "area_code", "year": "year"})
}
MONTHS = (10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9)  # fiscal order


def _forbid(err: records.EntryError):
    if isinstance(err, records.Forbidden):
        flask.abort(403)


def _may_enter_page(who) -> bool:
    return who.role in ("editor", "admin")


def _owners() -> tuple[records.Catalogue, set[str]]:
    """What the scope rules need of the catalogue (ops/scope.py: owner units, who reports, the
    classification) and the codes whose figures are percentages."""
    k = db.query("entry/kpis")
    o = db.query("records/percent")
    owners = records.Catalogue.from_rows(db.query("entry/scope").itertuples(index=False))
    percent = set(k.loc[k["unit"].map(is_percent_unit).astype(bool), "kpi_code"]) | set(
        o.loc[o["is_percent"].astype(bool), "code"]
    )
    return owners, percent


def _code_lists() -> dict[str, dict[str, str]]:
    lists = refresh.code_lists()
    seen = set(db.query("entry/kpis")["kpi_code"])  # classification: never offer a hidden KPI
    lists["kpi"] = {c: n for c, n in lists.get("kpi", {}).items() if c in seen}
    return lists


def _choices(col: reg.Column, lists: dict, who, owners: records.Catalogue, lang: str) -> list[dict] | None:
    """Drop-down options for a column, narrowed to the editor's scope; None for free text."""
    if col.kind == "month":
        return [{"label": thai.month_name(m, lang), "value": str(m)} for m in MONTHS]
    if col.kind == "enum":
        return [{"label": c, "value": c} for c in col.choices]
    if col.kind != "code":
        return None
    codes = lists.get(col.codes, {})
    dataset = next((name for name in records.SCOPES if col in FORM_COLUMNS[name]), None)
    if who.role == "editor" and dataset is not None:
        sc = scope.SCOPES[dataset]
        if col.key == sc.owner:  # the KPIs, indicators, projects the rules let this editor enter
            codes = {
                c: n
                for c, n in codes.items()
                if scope.may_enter(who, dataset, owners.things.get((sc.owner, str(c))), who.area_code)
            }
        if col.key == sc.area and who.area_code:
            codes = {c: n for c, n in codes.items() if scope.in_district(c, who.area_code)}
    return [{"label": f"{c} {n}" if n and n != c else str(c), "value": str(c)} for c, n in codes.items()]


@auth.page_access
def layout(dataset: str | None = None, **_kwargs) -> html.Div:
    lang = current_lang()
    tx = TEXT[lang]
    head = [html.H1(tx["title"], className="sy-page-title", id="rec-title")]
    if not db.available():
        return html.Div(head + [no_warehouse(lang, id_prefix="rec-nowh")], className="sy-page", id="rec-page")
    who = auth.actor()
    scope_text = " · ".join(x for x in (t(f"role.{who.role}", lang), who.unit or tx["all"], who.area_code) if x)
    offered = records.FORM_DATASETS
    if who.role == "editor":  # the datasets the scope rules let this editor enter a row of
        offered = tuple(scope.datasets_for(who, _owners()[0], records.FORM_DATASETS)) or records.FORM_DATASETS
    opts = [{"label": getattr(reg.DATASETS[n], lang), "value": n} for n in offered]
    value = dataset if dataset in offered else offered[0]
    editor = _may_enter_page(who)
    return html.Div(
        head
        + [
            html.P(
                [tx["scope"], ": ", scope_text, " · ", tx["kpi_results"], " ", dcc.Link(tx["kpi_link"], href="/entry")],
                className="sy-meta",
                id="rec-scope",
            ),
            html.Div(labelled_select("rec-dataset", tx["dataset"], opts, value), className="sy-filters"),
            html.Div(id="rec-dataset-help", className="sy-meta"),
            html.Section(
                [
                    html.H2(tx["form"], className="h4"),
                    html.Div(id="rec-restored", role="status"),
                    html.Div(id="rec-fields", className="sy-rec-fields"),
                    html.Div(id="rec-state", className="sy-meta mt-2", role="status"),
                    html.Div(
                        [
                            html.Label(tx["note"], htmlFor="rec-note"),
                            dcc.Textarea(id="rec-note", className="form-control", maxLength=2000, rows=2),
                        ],
                        className="mt-2",
                    ),
                    html.Div(
                        dbc.Checklist(
                            id="rec-confirm",
                            options=[{"label": tx["confirm"], "value": "yes"}],
                            value=[],
                            className="mt-2",
                        ),
                        id="rec-confirm-box",
                    ),
                    html.Div(
                        [
                            html.Button(tx["save"], id="rec-save", className="btn btn-outline-primary me-2"),
                            html.Button(tx["submit"], id="rec-submit", className="btn btn-primary"),
                        ],
                        className="mt-2",
                    ),
                    dcc.Loading(html.Div(id="rec-message", className="mt-2")),
                    html.Details(
                        [
                            html.Summary(tx["upload"]),
                            html.Button(tx["template"], id="rec-template", className="btn btn-link px-0"),
                            dcc.Download(id="rec-template-file"),
                            dcc.Upload(
                                html.Div(tx["drop"]),
                                id="rec-upload",
                                accept=".xlsx,.csv",
                                max_size=5_000_000,
                                className="sy-upload p-3 border rounded text-center",
                            ),
                            dcc.Loading(html.Div(id="rec-upload-result", className="mt-2")),
                            html.Button(
                                tx["upload_submit"], id="rec-upload-submit", className="btn btn-primary", disabled=True
                            ),
                            html.Div(id="rec-upload-message", className="mt-2"),
                            dcc.Store(id="rec-upload-file"),
                        ],
                        className="mt-3",
                        id="rec-upload-box",
                    ),
                ],
                id="rec-form",
                className="sy-card p-3",
                hidden=not editor,
            ),
            html.H2(tx["rows"], className="h4 mt-4"),
            dcc.Loading(html.Div(id="rec-list")),
            html.Div(id="rec-list-msg", role="status"),
            html.Section(
                [
                    html.Button(tx["approve"], id="rec-approve", className="btn btn-primary mt-2"),
                    dcc.Loading(html.Div(id="rec-approve-msg", role="status", className="mt-2")),
                ],
                hidden=not records.may_approve(who),
                id="rec-approve-section",
            ),
            dcc.Store(id="rec-version", data=0),
            dcc.Store(id="rec-tick", data=0),
            dcc.Store(id="rec-local", storage_type="local", data={}),
        ],
        className="sy-page",
        id="rec-page",
    )


def _field(col: reg.Column, options, value, lang: str, tx) -> html.Div:
    fid = {"type": "rec-field", "col": col.key}
    label = col.th if lang == "th" else col.en
    if options is not None:
        control = dbc.Select(id=fid, options=[{"label": "—", "value": ""}] + options, value=value or "")
    else:
        control = dcc.Input(
            id=fid,
            type="text",
            value=value or "",
            className="form-control",
            autoComplete="off",
            inputMode="decimal" if col.kind in ("int", "number", "year") else None,
        )
    helptext = col.help_th if lang == "th" else (col.help_en or "")
    return html.Div(
        [
            html.Label(
                [
                    html.Span(label),
                    html.Span(f" ({tx['required']})", className="sy-meta") if col.required else None,
                    control,
                ],
                className="w-100",
            ),
            html.Div(helptext, className="sy-meta small") if helptext else None,
            html.Div(id={"type": "rec-err", "col": col.key}, className="text-danger small", role="status"),
        ],
        className="sy-rec-field",
        **{"data-col": col.key},
    )


@callback(
    Output("rec-fields", "children"),
    Output("rec-dataset-help", "children"),
    Output("rec-restored", "children"),
    Output("rec-note", "value"),
    Output("rec-confirm-box", "hidden"),
    Input("rec-dataset", "value"),
    Input({"type": "rec-open", "index": ALL}, "n_clicks"),
    State("rec-local", "data"),
)
def _fields(dataset, opens, local):
    """The form for the chosen dataset: blank, restored from this browser, or a stored row opened
    from the list."""
    _one(dataset)
    lang = current_lang()
    tx = TEXT[lang]
    if dataset not in records.FORM_DATASETS:
        return None, None, None, "", True
    who = auth.actor()
    values, note, restored = {}, "", None
    trig = ctx.triggered_id
    if isinstance(trig, dict) and trig.get("type") == "rec-open" and any(opens or []):
        row = records.by_id(ops.engine(), int(trig["index"]))
        if row is None or row["dataset"] != dataset:
            return no_update, no_update, no_update, no_update, no_update
        values = {
            k: "" if v is None else str(int(v) if isinstance(v, float) and v.is_integer() else v)
            for k, v in row["data"].items()
        }
        note = row["note"] or ""
    elif (mine := (local or {}).get(dataset)) and any(mine.get("values", {}).values()):
        values, note = mine.get("values", {}), mine.get("note") or ""
        restored = dbc.Alert(tx["restored"], color="info", className="py-1", id="rec-restored-note")
    owners, _pct = _owners()
    lists = _code_lists()
    fields = [
        _field(c, _choices(c, lists, who, owners, lang), values.get(c.key), lang, tx) for c in FORM_COLUMNS[dataset]
    ]
    ds = reg.DATASETS[dataset]
    helptext = [tx["replace_scope"]] if ds.extra.get("replace_scope") else None
    return html.Div(fields, className="sy-rec-grid"), helptext, restored, note, dataset not in PREV_QUERY


def _one(*values) -> None:
    """400 when a value where one goes (the dataset, a note, a version…) is a list, a dict or
    anything else no component of this page sends (``inputs.parsing.scalar_problem``)."""
    if any(scalar_problem(v) is not None for v in values):
        flask.abort(400)


def _fields_sent(vals, ids) -> None:
    """400 unless the form's fields came as a browser sends them: a list of single values and a
    list of their ids, each naming its column."""
    if vals is not None and (not isinstance(vals, list) or any(scalar_problem(v) is not None for v in vals)):
        flask.abort(400)
    if ids is not None and (
        not isinstance(ids, list) or not all(isinstance(i, dict) and isinstance(i.get("col"), str) for i in ids)
    ):
        flask.abort(400)


def _values(vals, ids) -> dict:
    return {i["col"]: (v or "").strip() if isinstance(v, str) else v for i, v in zip(ids or [], vals or [])}


@callback(
    Output("rec-local", "data"),
    Input({"type": "rec-field", "col": ALL}, "value"),
    Input("rec-note", "value"),
    State({"type": "rec-field", "col": ALL}, "id"),
    State("rec-dataset", "value"),
    State("rec-local", "data"),
    prevent_initial_call=True,
)
def _remember(vals, note, ids, dataset, local):
    """Keep what is typed in this browser until it is saved (a closed tab loses nothing)."""
    _one(note, dataset)
    _fields_sent(vals, ids)
    if dataset not in records.FORM_DATASETS or not ids:
        return no_update
    local = dict(local or {})
    local[dataset] = {"values": _values(vals, ids), "note": note or ""}
    return local


@callback(
    Output("rec-state", "children"),
    Output("rec-version", "data"),
    Input({"type": "rec-field", "col": ALL}, "value"),
    Input("rec-tick", "data"),
    State({"type": "rec-field", "col": ALL}, "id"),
    State("rec-dataset", "value"),
)
def _state(vals, _tick, ids, dataset):
    """Whether the row named by the key fields exists, its state and version (the save's base)."""
    _one(dataset, _tick)
    _fields_sent(vals, ids)
    lang = current_lang()
    tx = TEXT[lang]
    if dataset not in records.FORM_DATASETS or not ids:
        return None, 0
    key = records.parse_key(dataset, _values(vals, ids), _code_lists())
    if key is None:
        return None, 0
    row = records.get(ops.engine(), dataset, key)
    if row is None:
        return html.Span(tx["new"], id="rec-state-new"), 0
    parts = [
        tx["exists"],
        ": ",
        html.Strong(tx["states"][row["status"]], **{"data-state": row["status"]}),
        f" · {row['entered_by']} · v{row['version']}",
    ]
    if row["reason"]:
        parts += [" · ", tx["reason"], ": ", row["reason"]]
    return html.Span(parts, id="rec-state-row"), row["version"]


@callback(
    Output("rec-message", "children"),
    Output({"type": "rec-err", "col": ALL}, "children"),
    Output("rec-tick", "data"),
    Output("rec-local", "data", allow_duplicate=True),
    Input("rec-save", "n_clicks"),
    Input("rec-submit", "n_clicks"),
    State({"type": "rec-field", "col": ALL}, "value"),
    State({"type": "rec-field", "col": ALL}, "id"),
    State("rec-dataset", "value"),
    State("rec-note", "value"),
    State("rec-version", "data"),
    State("rec-confirm", "value"),
    State("rec-tick", "data"),
    State("rec-local", "data"),
    prevent_initial_call=True,
)
def _save(_n1, _n2, vals, ids, dataset, note, version, confirm, tick, local):
    _one(dataset, note, version, tick)  # a list where one value goes: 400, never a 500
    _fields_sent(vals, ids)
    _fields_sent(confirm, None)
    lang = current_lang()
    tx = TEXT[lang]
    err_ids = [o["id"]["col"] for o in ctx.outputs_list[1]]
    if dataset not in records.FORM_DATASETS:
        flask.abort(400)
    who = auth.actor()
    if not _may_enter_page(who):
        flask.abort(403)
    submit = ctx.triggered_id == "rec-submit"
    values = _values(vals, ids)
    rec, errors = records.parse(dataset, values, _code_lists())
    owners, percent = _owners()
    try:
        if rec is None:
            lang_i = 0 if lang == "th" else 1
            return (
                dbc.Alert(tx["fix"], color="danger", id="rec-error"),
                [errors[c][lang_i] if c in errors else None for c in err_ids],
                no_update,
                no_update,
            )
        prev = None
        if dataset in PREV_QUERY:
            name, params = PREV_QUERY[dataset]
            got = db.query(name, **{p: rec[c] for p, c in params.items()})
            prev = None if got.empty else float(got.iloc[0]["prev_value"])
        rules = db.query("cockpit/rules").set_index("rule")["value"]
        records.save(
            ops.engine(),
            who,
            dataset,
            rec,
            note,
            int(version or 0),
            submit,
            owners=owners,
            percent=percent,
            prev=prev,
            change_limit=rules.get("entry_change_confirm"),
            confirmed="yes" in (confirm or []),
        )
    except records.EntryError as e:
        _forbid(e)
        return (
            dbc.Alert(e.text(lang), color="danger", id="rec-error"),
            [e.text(lang) if c == e.field else None for c in err_ids],
            no_update,
            no_update,
        )
    local = {k: v for k, v in (local or {}).items() if k != dataset}  # saved: nothing left to restore
    return (
        dbc.Alert(tx["submitted" if submit else "saved"], color="success", id="rec-ok"),
        [None] * len(err_ids),
        (tick or 0) + 1,
        local,
    )


def _summary(dataset: str, data: dict, lang: str) -> str:
    ds = reg.DATASETS[dataset]
    parts = []
    fy, month = data.get("fiscal_year"), data.get("month")
    for c in FORM_COLUMNS[dataset]:
        v = data.get(c.key)
        if v is None:
            continue
        if c.key == "fiscal_year" and month is not None:
            continue  # named with its month, by the calendar month (thai.round_label)
        if c.key == "fiscal_year":
            v = f"ปีงบ {v}" if lang == "th" else f"FY {v}"
        elif c.kind == "month" and fy is not None:
            v = thai.round_label(fy, v, lang, abbr=True)  # FY 2570, November: พ.ย. 2569
        elif c.kind == "month":
            v = thai.month_name(v, lang, abbr=True)
        elif c.kind in ("number", "int") and c.key not in ds.grain:
            v = thai.format_number(float(v), 2 if float(v) % 1 else 0, lang)
        parts.append(str(v))
    return " · ".join(parts)


@callback(Output("rec-list", "children"), Input("rec-dataset", "value"), Input("rec-tick", "data"))
def _list(dataset, _tick):
    _one(dataset, _tick)
    lang = current_lang()
    tx = TEXT[lang]
    if dataset not in records.FORM_DATASETS:
        return None
    who = auth.actor()
    owners, _pct = _owners()
    mine = [
        r
        for r in records.rows(ops.engine(), dataset)
        if records.may_enter(who, dataset, r["data"], owners)
        or records.may_verify(who, dataset, r["data"], owners)
        or records.may_approve(who)
    ]
    if not mine:
        return html.P(tx["none"], className="sy-meta", id="rec-list-none")
    cols = tx["cols"]
    body = []
    for r in mine:
        key = {"index": r["record_id"]}
        acts = []
        if records.may_enter(who, dataset, r["data"], owners) and r["status"] in ("draft", "returned", "submitted"):
            acts.append(
                html.Button(tx["open"], id={"type": "rec-open", **key}, className="btn btn-sm btn-outline-primary")
            )
        can_verify = r["status"] == "submitted" and records.may_verify(who, dataset, r["data"], owners)
        can_reopen = r["status"] == "approved" and records.may_approve(who)
        if can_verify or can_reopen:
            acts.append(
                html.Label(
                    [
                        html.Span(tx["reason"], className="visually-hidden"),
                        dcc.Input(
                            id={"type": "rec-reason", **key},
                            placeholder=tx["reason"],
                            className="form-control form-control-sm",
                            maxLength=500,
                        ),
                    ],
                    className="sy-rec-reason",
                )
            )
        if can_verify:
            acts += [
                html.Button(
                    tx["accept"],
                    id={"type": "rec-accept", **key, "v": r["version"]},
                    className="btn btn-sm btn-success",
                ),
                html.Button(
                    tx["return"],
                    id={"type": "rec-return", **key, "v": r["version"]},
                    className="btn btn-sm btn-outline-danger",
                ),
            ]
        if can_reopen:
            acts.append(
                html.Button(
                    tx["reopen"],
                    id={"type": "rec-reopen", **key, "v": r["version"]},
                    className="btn btn-sm btn-outline-secondary",
                )
            )
        body.append(
            html.Tr(
                [
                    html.Td(_summary(dataset, r["data"], lang), **{"data-label": cols[0]}),
                    html.Td(tx["states"][r["status"]], **{"data-label": cols[1], "data-state": r["status"]}),
                    html.Td(r["entered_by"], **{"data-label": cols[2]}),
                    html.Td(r["reason"] or r["note"] or "", **{"data-label": cols[3]}),
                    html.Td(html.Div(acts, className="d-flex flex-wrap gap-2"), **{"data-label": cols[4]}),
                ],
                **{"data-record": r["record_id"]},
            )
        )
    return html.Div(
        html.Table(
            [html.Thead(html.Tr([html.Th(c, scope="col") for c in cols])), html.Tbody(body)],
            className="table table-sm sy-table sy-stack",
            id="rec-table",
        ),
        className="table-responsive",
    )


@callback(
    Output("rec-list-msg", "children"),
    Output("rec-tick", "data", allow_duplicate=True),
    Input({"type": "rec-accept", "index": ALL, "v": ALL}, "n_clicks"),
    Input({"type": "rec-return", "index": ALL, "v": ALL}, "n_clicks"),
    Input({"type": "rec-reopen", "index": ALL, "v": ALL}, "n_clicks"),
    State({"type": "rec-reason", "index": ALL}, "value"),
    State({"type": "rec-reason", "index": ALL}, "id"),
    State("rec-tick", "data"),
    prevent_initial_call=True,
)
def _act(accepts, returns, reopens, reasons, reason_ids, tick):
    _one(tick)
    for values in (accepts, returns, reopens, reasons):
        _fields_sent(values, None)
    lang = current_lang()
    trig = ctx.triggered_id
    if not isinstance(trig, dict) or not any((accepts or []) + (returns or []) + (reopens or [])):
        return no_update, no_update
    record_id, version = int(trig["index"]), int(trig["v"])
    reason = next((v for i, v in zip(reason_ids, reasons) if i["index"] == record_id), None)
    owners, _pct = _owners()
    eng = ops.engine()
    try:
        if trig["type"] == "rec-reopen":
            records.reopen(eng, auth.actor(), record_id, version, reason)
        else:
            records.verify(eng, auth.actor(), record_id, version, trig["type"] == "rec-accept", reason, owners=owners)
    except records.EntryError as e:
        _forbid(e)
        return dbc.Alert(e.text(lang), color="danger", id="rec-list-error"), no_update
    return None, (tick or 0) + 1


@callback(
    Output("rec-approve-msg", "children"),
    Output("rec-tick", "data", allow_duplicate=True),
    Input("rec-approve", "n_clicks"),
    State("rec-dataset", "value"),
    State("rec-tick", "data"),
    prevent_initial_call=True,
)
def _approve(_n, dataset, tick):
    _one(dataset, tick)
    lang = current_lang()
    tx = TEXT[lang]
    if dataset not in records.FORM_DATASETS:
        flask.abort(400)
    eng = ops.engine()
    who = auth.actor()
    try:
        done = refresh.approve_and_build(eng, who.username, dataset, lambda: records.approve(eng, who, dataset))
    except records.EntryError as e:
        _forbid(e)
        return dbc.Alert(e.text(lang), color="danger", id="rec-approve-error"), no_update
    except refresh.RefreshFailed as e:
        return dbc.Alert(tx["build_failed"].format(e=e), color="danger", id="rec-approve-error"), (tick or 0) + 1
    n, seconds = done.approved, done.seconds
    return (
        dbc.Alert(
            [
                provenance_badge("entered", lang),
                " ",
                tx["approved"].format(n=n, s=thai.format_number(seconds, 1, lang)),
            ],
            color="success",
            id="rec-approve-ok",
        ),
        (tick or 0) + 1,
    )


# ---------------------------------------------------------------- upload of the uniform template
@callback(
    Output("rec-template-file", "data"),
    Input("rec-template", "n_clicks"),
    State("rec-dataset", "value"),
    prevent_initial_call=True,
)
def _template(_n, dataset):
    import tempfile
    from pathlib import Path

    from inputs.template import write_template

    _one(dataset)
    if dataset not in records.FORM_DATASETS:
        flask.abort(400)
    with tempfile.TemporaryDirectory() as tmp:
        path = write_template(dataset, Path(tmp) / f"{dataset}.xlsx", code_lists=_code_lists())
        return dcc.send_bytes(path.read_bytes(), f"sanyan_{dataset}.xlsx")


def _check_file(dataset: str, name: str, contents: str):
    """Parse an upload with the same rules as ``etl load``, then the entry rules.
    Returns (frame, problems as (row, column, value, text))."""
    import base64

    from inputs.parsing import parse_upload

    lang = current_lang()
    res = parse_upload(name, base64.b64decode(contents.split(",", 1)[1]), dataset, _code_lists())
    if res.errors:
        return res.frame, [(i.row, i.column, i.value, i.reason_th if lang == "th" else i.reason_en) for i in res.errors]
    owners, percent = _owners()
    problems = records.check_upload(ops.engine(), auth.actor(), dataset, res.frame, owners=owners, percent=percent)
    labels = {c.key: (c.th if lang == "th" else c.en) for c in reg.DATASETS[dataset].columns}
    return res.frame, [(r, labels.get(c, c), None, th if lang == "th" else en) for r, c, th, en in problems]


@callback(
    Output("rec-upload-result", "children"),
    Output("rec-upload-submit", "disabled"),
    Output("rec-upload-file", "data"),
    Input("rec-upload", "contents"),
    State("rec-upload", "filename"),
    State("rec-dataset", "value"),
    prevent_initial_call=True,
)
def _upload(contents, name, dataset):
    _one(contents, name, dataset)
    lang = current_lang()
    tx = TEXT[lang]
    if not contents or dataset not in records.FORM_DATASETS:
        return None, True, None
    if not _may_enter_page(auth.actor()):
        flask.abort(403)
    frame, problems = _check_file(dataset, name, contents)
    if problems:
        cols = tx["ecols"]
        rows = [
            html.Tr(
                [
                    html.Td("–" if r is None else str(r), **{"data-label": cols[0]}),
                    html.Td(c or "–", **{"data-label": cols[1]}),
                    html.Td("" if v is None else str(v), **{"data-label": cols[2]}),
                    html.Td(text, **{"data-label": cols[3]}),
                ]
            )
            for r, c, v, text in problems
        ]
        table = html.Div(
            html.Table(
                [html.Thead(html.Tr([html.Th(c, scope="col") for c in cols])), html.Tbody(rows)],
                className="table table-sm sy-table sy-stack",
                id="rec-upload-errors",
            ),
            className="table-responsive",
        )
        return (
            [
                dbc.Alert(f"{name}: " + tx["upload_bad"].format(n=len(problems)), color="danger", id="rec-upload-bad"),
                table,
            ],
            True,
            None,
        )
    return (
        dbc.Alert(f"{name}: " + tx["upload_ok"].format(n=len(frame)), color="success", id="rec-upload-ok"),
        False,
        {"name": name, "contents": contents, "dataset": dataset},
    )


@callback(
    Output("rec-upload-message", "children"),
    Output("rec-tick", "data", allow_duplicate=True),
    Input("rec-upload-submit", "n_clicks"),
    State("rec-upload-file", "data"),
    State("rec-tick", "data"),
    prevent_initial_call=True,
)
def _upload_submit(_n, file, tick):
    """The server checks the file again: what the browser holds is never trusted."""
    _one(tick)
    if file is not None and not (
        isinstance(file, dict) and all(scalar_problem(file.get(k)) is None for k in ("dataset", "name", "contents"))
    ):
        flask.abort(400)
    lang = current_lang()
    tx = TEXT[lang]
    if not file or file.get("dataset") not in records.FORM_DATASETS:
        return no_update, no_update
    if not _may_enter_page(auth.actor()):
        flask.abort(403)
    dataset = file["dataset"]
    frame, problems = _check_file(dataset, file["name"], file["contents"])
    if problems:
        return dbc.Alert(tx["upload_bad"].format(n=len(problems)), color="danger", id="rec-upload-error"), no_update
    owners, percent = _owners()
    try:
        n = records.submit_upload(
            ops.engine(), auth.actor(), dataset, frame, file["name"], owners=owners, percent=percent
        )
    except records.EntryError as e:
        return dbc.Alert(e.text(lang), color="danger", id="rec-upload-error"), no_update
    return dbc.Alert(tx["upload_done"].format(n=n), color="success", id="rec-upload-done"), (tick or 0) + 1
