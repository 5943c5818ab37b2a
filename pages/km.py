"""/km: the knowledge-management plan tracker (PMQA IT7) and its score, RM 4.5 (ops/km.py).

* A fiscal year's knowledge bodies, each under a strategic issue, with their activities along
  the OPDC 7-step KM process: target, achieved, % and whether it reaches 80 % (icon and word).
* The headline: the weighted-average achievement, the RM 4.5 score (60/70/80/90/100 % → 1–5,
  4 decimals), its level and light; the IT7 checklist with ✓/✗ and words.
* Admins and editors record progress and add bodies and activities; the other roles read.
  ops/km.py checks the role again on every write, audits refusals, and a refusal answers 403.
* A fresh install whose strategy is sample data gets a sample plan (``km.seed_sample``), marked
  as sample on the page while it is shown.
"""

from __future__ import annotations

import math

import dash
import dash_bootstrap_components as dbc
import flask
from dash import Input, Output, State, callback, dcc, html, no_update

import db
import ops
from components import thai
from components.i18n import current_lang, pick, t, words
from components.layout import labelled_select, no_warehouse, provenance_badge
from components.status import score_text, status_badge
from ops import km
from web import auth

dash.register_page(
    __name__,
    path="/km",
    name="การจัดการความรู้",
    name_en="Knowledge management",
    title="การจัดการความรู้ · สัญญาณ Sanyan",
    order=85,
    menu="work",
)

TEXT = words(
    "km",
    {
        "th": {
            "title": "แผนการจัดการความรู้",
            "fy": t("word.fy", "th"),
            "rm": "RM 4.5 ระดับความสำเร็จของร้อยละเฉลี่ยถ่วงน้ำหนักในการบรรลุเป้าหมายตามแผนการจัดการความรู้",
            "overall": "ร้อยละเฉลี่ยถ่วงน้ำหนัก",
            "score": "คะแนน",
            "level": "ระดับ {n} จาก 5",
            "rule": "เกณฑ์: ร้อยละ 60 / 70 / 80 / 90 / 100 = 1 / 2 / 3 / 4 / 5 คะแนน เทียบส่วนระหว่างเกณฑ์; "
            "ร้อยละของกิจกรรม = ผล ÷ เป้าหมาย (ไม่เกิน 100); องค์ความรู้ = ค่าเฉลี่ยถ่วงน้ำหนักของกิจกรรม; "
            "ภาพรวม = Σ น้ำหนัก × ร้อยละขององค์ความรู้ ÷ Σ น้ำหนัก",
            "coverage": "กิจกรรมที่ได้ผลตั้งแต่ร้อยละ 80 ของเป้าหมาย: {n} จาก {m}",
            "it7": "รายการตรวจ IT7",
            "pass": "ผ่าน",
            "fail": "ไม่ผ่าน",
            "chk": {
                "issues": "ทุกประเด็นยุทธศาสตร์มีองค์ความรู้",
                "bodies": "มีองค์ความรู้อย่างน้อย 3 เรื่อง ({n})",
                "body_weights": "น้ำหนักขององค์ความรู้รวมเป็น 100 ({s})",
                "activity_weights": "น้ำหนักของกิจกรรมในแต่ละองค์ความรู้รวมเป็น 100",
                "reached": "ทุกกิจกรรมได้ผลตั้งแต่ร้อยละ 80 ของเป้าหมาย ({n} จาก {m})",
            },
            "missing": "ยังไม่มี: ",
            "off": "ไม่ครบ: ",
            "none": "ยังไม่มีองค์ความรู้ในปีนี้",
            "weight": "น้ำหนัก",
            "issue": "ประเด็นยุทธศาสตร์",
            "body_pct": "ความสำเร็จ",
            "cols": ["ขั้นตอน", "กิจกรรม", "เป้าหมาย", "ผล", "ร้อยละ", "ร้อยละ 80"],
            "reached": "ถึงร้อยละ 80",
            "below": "ต่ำกว่าร้อยละ 80",
            "no_acts": "ยังไม่มีกิจกรรม",
            "sample": "แผนตัวอย่างสำหรับการติดตั้งใหม่ (ยุทธศาสตร์ยังเป็นข้อมูลตัวอย่าง) ไม่ใช่แผนจริงของหน่วยงาน",
            "progress": "บันทึกความก้าวหน้า",
            "activity": "กิจกรรม",
            "achieved": "ผลที่ทำได้ถึงวันนี้",
            "save": "บันทึก",
            "saved": "บันทึกผลแล้ว",
            "now": "เป้าหมาย {t} {u} · ผลล่าสุด {a} {u} · โดย {by} · v{v}",
            "add_body": "เพิ่มองค์ความรู้",
            "name_th": "ชื่อองค์ความรู้ (ไทย)",
            "name_en": "ชื่อองค์ความรู้ (อังกฤษ)",
            "w_body": "น้ำหนัก (ร้อยละของแผน)",
            "owner": "หน่วยงานเจ้าของ",
            "add": "เพิ่ม",
            "added": "เพิ่มแล้ว",
            "add_act": "เพิ่มกิจกรรม",
            "body": "องค์ความรู้",
            "step": "ขั้นตอนการจัดการความรู้",
            "act_name": "ชื่อกิจกรรม",
            "target": "เป้าหมาย",
            "unit": "หน่วยนับ",
            "w_act": "น้ำหนัก (ร้อยละขององค์ความรู้)",
        },
        "en": {
            "title": "Knowledge management plan",
            "fy": t("word.fy", "en"),
            "rm": "RM 4.5 Weighted-average achievement of the knowledge-management plan's targets",
            "overall": "Weighted-average achievement",
            "score": "Score",
            "level": "level {n} of 5",
            "rule": "Criteria: 60 / 70 / 80 / 90 / 100 % = 1 / 2 / 3 / 4 / 5 points, linear between; "
            "an activity's % = achieved ÷ target (at most 100); a body's % = weighted mean of its "
            "activities; overall = Σ weight × body % ÷ Σ weight",
            "coverage": "Activities at 80 % of their target or more: {n} of {m}",
            "it7": "IT7 checklist",
            "pass": "pass",
            "fail": "fail",
            "chk": {
                "issues": "Every strategic issue has a knowledge body",
                "bodies": "At least 3 knowledge bodies ({n})",
                "body_weights": "Body weights sum to 100 ({s})",
                "activity_weights": "Activity weights of every body sum to 100",
                "reached": "Every activity reaches 80 % of its target ({n} of {m})",
            },
            "missing": "missing: ",
            "off": "not 100: ",
            "none": "No knowledge body this year yet",
            "weight": "weight",
            "issue": "Strategic issue",
            "body_pct": "achievement",
            "cols": ["Step", "Activity", "Target", "Achieved", "%", "80 %"],
            "reached": "80 % reached",
            "below": "below 80 %",
            "no_acts": "No activity yet",
            "sample": "A sample plan for a fresh install (the strategy is sample data too); not a real plan",
            "progress": "Record progress",
            "activity": "Activity",
            "achieved": "Achieved so far",
            "save": "Save",
            "saved": "Progress saved",
            "now": "target {t} {u} · latest {a} {u} · by {by} · v{v}",
            "add_body": "Add a knowledge body",
            "name_th": "Name (Thai)",
            "name_en": "Name (English)",
            "w_body": "Weight (% of the plan)",
            "owner": "Owner unit",
            "add": "Add",
            "added": "Added",
            "add_act": "Add an activity",
            "body": "Knowledge body",
            "step": "KM process step",
            "act_name": "Activity name",
            "target": "Target",
            "unit": "Unit",
            "w_act": "Weight (% of the body)",
        },
    },
)


def _current_fy() -> int:
    info = db.snapshot_info()
    as_of = info.get("as_of") or info.get("built_at")
    return thai.fiscal_year(as_of.date() if hasattr(as_of, "date") else as_of)


def _issues(fy: int):
    return db.query("km/issues", fy=int(fy))


def _seed(eng, fy: int) -> None:
    """The sample plan, only into an empty store and only while the strategy itself is sample."""
    if km.is_empty(eng):
        issues = _issues(fy)
        if not issues.empty and (issues["provenance"] == "sample").all():
            km.seed_sample(eng, fy, list(issues["node_code"]))


def _num(x, lang, decimals=None):
    if x is None or x != x:
        return "–"
    return thai.format_number(x, (2 if float(x) % 1 else 0) if decimals is None else decimals, lang)


def _pct(x, lang):
    return "–" if x is None else _num(x, lang, 2) + " %"


def _field(id_, label, control):
    return html.Div([html.Label(label, htmlFor=id_), control])


def _input(id_, label, **attrs):
    return _field(id_, label, dbc.Input(id=id_, type="text", autoComplete="off", **attrs))


def _button(id_, label):
    return html.Div(html.Button(label, id=id_, type="button", className="btn btn-primary"), className="align-self-end")


@auth.page_access
def layout(**_kwargs) -> html.Div:
    lang = current_lang()
    tx = TEXT[lang]
    head = [html.H1(tx["title"], className="sy-page-title", id="km-title")]
    if not db.available():
        return html.Div(head + [no_warehouse(lang, id_prefix="km-nowh")], className="sy-page", id="km-page")
    eng = ops.engine()
    fy = _current_fy()
    _seed(eng, fy)
    years = sorted({fy, fy - 1, *km.years(eng)}, reverse=True)
    can = km.may_edit(auth.actor())
    issues = _issues(fy)
    steps = [
        {"label": f"{i + 1}. {pick(th, en, lang)}", "value": k} for i, (k, (th, en)) in enumerate(km.STEPS.items())
    ]
    forms = html.Div(
        [
            html.Section(
                [
                    html.H2(tx["progress"], className="h4"),
                    html.Div(
                        [
                            labelled_select("km-progress-activity", tx["activity"], [], None),
                            _input("km-progress-value", tx["achieved"], inputMode="decimal"),
                            _button("km-progress-save", tx["save"]),
                        ],
                        className="sy-filters",
                    ),
                    html.Div(id="km-progress-context", className="sy-meta mt-1", role="status"),
                    html.Div(id="km-progress-msg", className="mt-2"),
                    dcc.Store(id="km-progress-version", data=0),
                ],
                className="sy-card p-3 mt-4",
            ),
            html.Section(
                [
                    html.H2(tx["add_body"], className="h4"),
                    html.Div(
                        [
                            labelled_select(
                                "km-body-issue",
                                tx["issue"],
                                [
                                    {"label": f"{r.node_code} {pick(r.name_th, r.name_en, lang)}", "value": r.node_code}
                                    for r in issues.itertuples()
                                ],
                                issues["node_code"].iloc[0] if len(issues) else None,
                            ),
                            _input("km-body-name-th", tx["name_th"], maxLength=500),
                            _input("km-body-name-en", tx["name_en"], maxLength=500),
                            _input("km-body-weight", tx["w_body"], inputMode="decimal"),
                            _input("km-body-unit", tx["owner"], maxLength=200),
                            _button("km-body-add", tx["add"]),
                        ],
                        className="sy-filters",
                    ),
                    html.Div(id="km-body-msg", className="mt-2"),
                ],
                className="sy-card p-3 mt-3",
            ),
            html.Section(
                [
                    html.H2(tx["add_act"], className="h4"),
                    html.Div(
                        [
                            labelled_select("km-act-body", tx["body"], [], None),
                            labelled_select("km-act-step", tx["step"], steps, "identify"),
                            _input("km-act-name", tx["act_name"], maxLength=500),
                            _input("km-act-target", tx["target"], inputMode="decimal"),
                            _input("km-act-unit", tx["unit"], maxLength=50),
                            _input("km-act-weight", tx["w_act"], inputMode="decimal"),
                            _button("km-act-add", tx["add"]),
                        ],
                        className="sy-filters",
                    ),
                    html.Div(id="km-act-msg", className="mt-2"),
                ],
                className="sy-card p-3 mt-3",
            ),
        ],
        id="km-forms",
        hidden=not can,
    )
    return html.Div(
        head
        + [
            html.Div(
                labelled_select("km-fy", tx["fy"], [{"label": str(y), "value": str(y)} for y in years], str(fy)),
                className="sy-filters",
            ),
            html.Div(id="km-sample-mark", className="mt-2"),
            dcc.Loading(html.Div(id="km-summary")),
            forms,
            dcc.Store(id="km-tick", data=0),
        ],
        className="sy-page",
        id="km-page",
    )


# ---------------------------------------------------------------- the plan and its score
def _headline(tx, lang, s):
    rules = db.query("cockpit/rules").set_index("rule")["value"]
    light = km.light(s["score"], rules.get("kpi_red_below", 3), rules.get("kpi_green_from", 4))
    level = None if s["score"] is None else math.floor(s["score"])
    return html.Section(
        [
            html.H2(tx["rm"], className="h4"),
            html.P(
                [
                    tx["overall"],
                    ": ",
                    html.Strong(_pct(s["overall"], lang), id="km-overall", className="sy-num fs-4"),
                    " · ",
                    tx["score"],
                    ": ",
                    html.Strong(
                        score_text(s["score"], lang) if level is not None else "–",
                        id="km-score",
                        className="sy-num fs-4",
                    ),
                    " ",
                    html.Span(tx["level"].format(n=level) if level is not None else "", id="km-level"),
                    " ",
                    status_badge(light, lang, small=True, id="km-light"),
                ],
                className="mb-1",
            ),
            html.P(
                tx["coverage"].format(n=s["reached"], m=s["activities"])
                + (f" ({_num(s['coverage'], lang, 1)} %)" if s["coverage"] is not None else ""),
                id="km-coverage",
                className="mb-1",
            ),
            html.P(tx["rule"], className="sy-meta"),
        ],
        id="km-headline",
        className="sy-card p-3",
    )


def _checklist(tx, lang, checks, names):
    items = []
    for c in checks:
        text = tx["chk"][c["key"]].format(n=c.get("n"), m=c.get("of"), s=_num(c.get("sum"), lang))
        extra = (
            [" — ", tx["missing"], ", ".join(f"{x} {names.get(x, '')}".strip() for x in c["missing"])]
            if c.get("missing")
            else [" — ", tx["off"], ", ".join(c["off"])]
            if c.get("off")
            else []
        )
        items.append(
            html.Li(
                [
                    html.Span(
                        "✓" if c["ok"] else "✗",
                        **{"aria-hidden": "true"},
                        className="fw-bold " + ("text-success" if c["ok"] else "text-danger"),
                    ),
                    " ",
                    html.Strong(tx["pass"] if c["ok"] else tx["fail"]),
                    ": ",
                    text,
                    *extra,
                ],
                **{"data-check": c["key"], "data-ok": "yes" if c["ok"] else "no"},
            )
        )
    return html.Section(
        [html.H2(tx["it7"], className="h4 mt-3"), html.Ul(items, className="list-unstyled", id="km-checklist")]
    )


def _mark(a, tx):
    return html.Span(
        [
            html.Span("✓" if a["reached"] else "✗", **{"aria-hidden": "true"}),
            " ",
            tx["reached"] if a["reached"] else tx["below"],
        ],
        className="fw-bold " + ("text-success" if a["reached"] else "text-danger"),
        **{"data-reached": "yes" if a["reached"] else "no"},
    )


def _body(tx, lang, b, names):
    cols = tx["cols"]
    rows = [
        html.Tr(
            [
                html.Td(pick(*km.STEPS[a["step"]], lang), **{"data-label": cols[0]}),
                html.Td(a["name_th"], **{"data-label": cols[1]}),
                html.Td(f"{_num(a['target'], lang)} {a['unit'] or ''}", className="sy-num", **{"data-label": cols[2]}),
                html.Td(
                    f"{_num(a['achieved'], lang)} {a['unit'] or ''}", className="sy-num", **{"data-label": cols[3]}
                ),
                html.Td(_num(a["pct"], lang, 2), className="sy-num", **{"data-label": cols[4]}),
                html.Td(_mark(a, tx), **{"data-label": cols[5]}),
            ],
            **{"data-activity": a["activity_id"]},
        )
        for a in b["activities"]
    ]
    table = (
        html.Div(
            html.Table(
                [html.Thead(html.Tr([html.Th(c, scope="col") for c in cols])), html.Tbody(rows)],
                className="table table-sm sy-table sy-stack",
            ),
            className="table-responsive",
        )
        if rows
        else html.P(tx["no_acts"], className="sy-meta")
    )
    return html.Section(
        [
            html.H3(pick(b["name_th"], b["name_en"], lang), className="h5"),
            html.P(
                [
                    tx["issue"],
                    f": {b['issue_code']} {names.get(b['issue_code'], '')} · {tx['weight']} ",
                    _num(b["weight"], lang),
                    " % · ",
                    tx["body_pct"],
                    " ",
                    html.Strong(_pct(b["pct"], lang), className="sy-num"),
                ],
                className="sy-meta mb-1",
            ),
            table,
        ],
        className="mt-3",
        **{"data-body": b["body_id"]},
    )


@callback(
    Output("km-summary", "children"),
    Output("km-sample-mark", "children"),
    Output("km-progress-activity", "options"),
    Output("km-progress-activity", "value"),
    Output("km-act-body", "options"),
    Output("km-act-body", "value"),
    Input("km-fy", "value"),
    Input("km-tick", "data"),
    State("km-progress-activity", "value"),
    State("km-act-body", "value"),
)
def _plan(fy, _tick, activity, body):
    lang = current_lang()
    tx = TEXT[lang]
    fy = int(fy)
    bodies = km.plan(ops.engine(), fy)
    issues = _issues(fy)
    names = {r.node_code: pick(r.name_th, r.name_en, lang) for r in issues.itertuples()}
    s = km.score(bodies)
    summary = [
        _headline(tx, lang, s),
        _checklist(tx, lang, km.checklist(list(issues["node_code"]), bodies), names),
        *([_body(tx, lang, b, names) for b in s["bodies"]] or [html.P(tx["none"], className="sy-meta")]),
    ]
    sample = (
        [provenance_badge("sample", lang), " ", html.Span(tx["sample"], className="sy-meta")]
        if any(b["provenance"] == "sample" for b in bodies)
        else None
    )
    acts = [
        {"label": f"{pick(b['name_th'], b['name_en'], lang)} › {a['name_th']}", "value": str(a["activity_id"])}
        for b in bodies
        for a in b["activities"]
    ]
    bods = [{"label": pick(b["name_th"], b["name_en"], lang), "value": str(b["body_id"])} for b in bodies]

    def keep(value, opts):
        return value if any(o["value"] == value for o in opts) else (opts[0]["value"] if opts else None)

    return summary, sample, acts, keep(activity, acts), bods, keep(body, bods)


# ---------------------------------------------------------------- writes (ops/km.py checks the role)
def _forbid(err: km.EntryError):
    """A forbidden action (already audited by ops.km) answers 403 like a forbidden page."""
    if isinstance(err, km.Forbidden):
        flask.abort(403)


def _alert(text, id_, ok=False):
    return dbc.Alert(text, color="success" if ok else "danger", className="py-2 mb-0", id=id_)


@callback(
    Output("km-progress-value", "value"),
    Output("km-progress-version", "data"),
    Output("km-progress-context", "children"),
    Input("km-progress-activity", "value"),
    Input("km-tick", "data"),
)
def _pick(activity_id, _tick):
    lang = current_lang()
    a = km.activity(ops.engine(), int(activity_id)) if activity_id else None
    if a is None:
        return "", 0, None
    u = a["unit"] or ""
    return (
        f"{a['achieved']:g}",
        a["version"],
        TEXT[lang]["now"].format(
            t=_num(a["target"], lang), a=_num(a["achieved"], lang), u=u, by=a["updated_by"], v=a["version"]
        ),
    )


@callback(
    Output("km-progress-msg", "children"),
    Output("km-tick", "data"),
    Input("km-progress-save", "n_clicks"),
    State("km-progress-activity", "value"),
    State("km-progress-value", "value"),
    State("km-progress-version", "data"),
    State("km-tick", "data"),
    prevent_initial_call=True,
)
def _save_progress(_n, activity_id, value, version, tick):
    lang = current_lang()
    try:
        km.record_progress(ops.engine(), auth.actor(), int(activity_id or 0), value, int(version or 0))
    except km.EntryError as e:
        _forbid(e)
        # a conflict reloads the latest value and version into the form
        return (_alert(e.text(lang), "km-progress-error"), (tick or 0) + 1 if isinstance(e, km.Conflict) else no_update)
    return _alert(TEXT[lang]["saved"], "km-progress-ok", ok=True), (tick or 0) + 1


@callback(
    Output("km-body-msg", "children"),
    Output("km-tick", "data", allow_duplicate=True),
    Input("km-body-add", "n_clicks"),
    State("km-fy", "value"),
    State("km-body-issue", "value"),
    State("km-body-name-th", "value"),
    State("km-body-name-en", "value"),
    State("km-body-weight", "value"),
    State("km-body-unit", "value"),
    State("km-tick", "data"),
    prevent_initial_call=True,
)
def _add_body(_n, fy, issue, name_th, name_en, weight, unit, tick):
    lang = current_lang()
    try:
        km.add_body(
            ops.engine(),
            auth.actor(),
            int(fy),
            issue,
            name_th,
            weight,
            name_en=name_en,
            owner_unit=unit,
            issues=list(_issues(int(fy))["node_code"]),
        )
    except km.EntryError as e:
        _forbid(e)
        return _alert(e.text(lang), "km-body-error"), no_update
    return _alert(TEXT[lang]["added"], "km-body-ok", ok=True), (tick or 0) + 1


@callback(
    Output("km-act-msg", "children"),
    Output("km-tick", "data", allow_duplicate=True),
    Input("km-act-add", "n_clicks"),
    State("km-act-body", "value"),
    State("km-act-step", "value"),
    State("km-act-name", "value"),
    State("km-act-target", "value"),
    State("km-act-unit", "value"),
    State("km-act-weight", "value"),
    State("km-tick", "data"),
    prevent_initial_call=True,
)
def _add_activity(_n, body_id, step, name, target, unit, weight, tick):
    lang = current_lang()
    try:
        km.add_activity(ops.engine(), auth.actor(), int(body_id or 0), step, name, target, weight, unit=unit)
    except km.EntryError as e:
        _forbid(e)
        return _alert(e.text(lang), "km-act-error"), no_update
    return _alert(TEXT[lang]["added"], "km-act-ok", ok=True), (tick or 0) + 1
