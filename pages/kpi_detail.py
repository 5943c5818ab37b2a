"""/kpi/<code>: one KPI: its passport, every fiscal year against the five levels, this year
month by month with expected progress and the projected year end, the districts, its
leading indicators, and the directives given on it (ops/meeting.py; answered on
/meeting/directives). An unknown code gets the not-found page.

Commentary (ops/commentary.py): the approved WHY and WHAT NEXT of the period shown, under its
figures (so a slide, ``?present=1``, shows it too), and of the earlier periods, newest first; the
KPI's owner writes and submits it here, its verifier accepts or returns it, an executive or admin
approves or reopens it (each action checked again by ops/commentary.py, a refusal audited and
answered 403). The KPI is read through db.query, so a reader who may not read it sees neither it
nor its commentary, and no action on it passes.

The page is kept per snapshot and kind of reader (web/viewcache.py, issue 29): its parts that read
the ops store or the reader (the follow box, the commentary, the directives) are fresh pieces
(``viewcache.fresh`` with the KPI's code and the period), made for the reader at every request, each
reading the KPI again as this reader reads it (nothing when they may not)."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import flask
import pandas as pd
from dash import ALL, Input, Output, State, callback, ctx, dcc, html, no_update

import db
import ops
from components import cockpit as ck
from components import directives as dc
from components import freshness as fr
from components import thai
from components.i18n import current_lang, words
from components.icons import icon
from components.layout import no_warehouse, not_found, provenance_badge, sample_mark
from components.status import score_text, status_badge
from config import settings
from ops import commentary, meeting
from web import auth, notices, viewcache

dash.register_page(
    __name__,
    path_template="/kpi/<code>",
    example_path="/kpi/K05",
    order=11,
    name="รายละเอียดตัวชี้วัด",
    name_en="KPI detail",
    title="ตัวชี้วัด · สัญญาณ Sanyan",
    nav=False,
)

TEXT = words(
    "kpi_detail",
    {
        "th": {
            "back": "← ตัวชี้วัดทั้งหมด",
            "follow": {
                "state": {
                    "none": "แจ้งเตือน: ตามบทบาทของท่าน (ยังไม่ได้ติดตาม)",
                    "follow": "ติดตามอยู่ ✓ (แจ้งทุกการเปลี่ยนแปลง)",
                    "mute": "ปิดแจ้งเตือนตัวชี้วัดนี้อยู่",
                },
                "do": {
                    "follow": "ติดตาม",
                    "unfollow": "เลิกติดตาม",
                    "mute": "ปิดแจ้งเตือน",
                    "unmute": "เปิดแจ้งเตือนอีกครั้ง",
                },
                "label": "การแจ้งเตือนของตัวชี้วัดนี้",
                "settings": "ตั้งค่าแจ้งเตือนทั้งหมด",
            },
            "passport": "บัตรประจำตัวตัวชี้วัด (KPI passport)",
            "now": "สถานะ",
            "score": "คะแนน",
            "to_date": "ผลถึงปัจจุบัน",
            "expected": "ตามแผนถึงปัจจุบัน",
            "target": "ค่าเป้าหมายทั้งปี",
            "pace": "ผลเทียบแผน",
            "projected": "คาดการณ์สิ้นปี",
            "year_end": "ผลสิ้นปี (ทั้งปี)",
            "no_projection": "งวดนี้ยังไม่ได้ตัดสิน จึงไม่มีคาดการณ์",
            "range": "ช่วง",
            "miss": "คาดว่าจะไม่ถึงเป้าหมาย",
            "criteria": "เกณฑ์ 5 ระดับ ปีงบประมาณ {fy}",
            "no_criteria": "ตัวชี้วัดนี้ยังไม่มีเกณฑ์ 5 ระดับของปีงบประมาณ {fy}",
            "weight": "น้ำหนักในคำรับรอง {w}%",
            "level": "ระดับ",
            "districts": "รายอำเภอ",
            "district": "อำเภอ",
            "no_districts": "ตัวชี้วัดนี้รายงานเฉพาะระดับจังหวัด",
            "leading": "ตัวชี้วัดนำที่เกี่ยวข้อง",
            "no_leading": "ไม่มีตัวชี้วัดนำที่เชื่อมโยง",
            "warn_red": "ต่ำกว่าเกณฑ์ — เตือนตัวชี้วัดนี้",
            "warn_falling": "คะแนนลดลง — เตือนตัวชี้วัดนี้",
            "no_data": "ปีงบประมาณนี้ยังไม่มีข้อมูล",
            "sub": "ตัวชี้วัดย่อยของ",
            "curve": {"linear": "แผนเส้นตรง", "stepped": "แผนขั้นบันไดตามรอบรายงาน", "plan": "แผนรายเดือน"},
            "directives": "ข้อสั่งการ",
            "no_directives": "ยังไม่มีข้อสั่งการสำหรับตัวชี้วัดนี้",
            "see_directives": "ดูและตอบข้อสั่งการ",
            "issue_directive": "ออกข้อสั่งการ",
            "dir_cols": ["สถานะ", "ข้อสั่งการ", "งวด", "หน่วยงาน", "กำหนดส่ง", "ผลการดำเนินการ"],
            "cm_title": "คำอธิบายผลการดำเนินงาน",
            "cm_analysis": "ทำไม: การวิเคราะห์",
            "cm_action": "ทำอะไรต่อ: แนวทางแก้ไข/การดำเนินการต่อไป",
            "cm_none": "ยังไม่มีคำอธิบายที่อนุมัติแล้วของงวดนี้",
            "cm_approved_by": "อนุมัติโดย {who} เมื่อ {when}",
            "cm_correcting": "กำลังปรับปรุง ข้อความนี้คือฉบับที่อนุมัติล่าสุด",
            "cm_earlier": "คำอธิบายงวดก่อนหน้า ({n} งวด)",
            "cm_work": "เขียนและสอบทานคำอธิบายของงวดนี้",
            "cm_state": "สถานะ",
            "cm_states": {
                "new": "ยังไม่ได้เขียน",
                "draft": "ร่าง",
                "submitted": "รอสอบทาน",
                "returned": "ส่งกลับแก้ไข",
                "verified": "สอบทานแล้ว รออนุมัติ",
                "approved": "อนุมัติแล้ว",
            },
            "cm_by": "โดย {who}",
            "cm_returned": "เหตุผลที่ส่งกลับหรือเปิดใหม่",
            "cm_limit": "ไม่เกิน {n} ตัวอักษร",
            "cm_reason": "เหตุผล (ต้องระบุเมื่อส่งกลับหรือเปิดใหม่)",
            "cm_do": {
                "save": "บันทึกร่าง",
                "submit": "ส่งให้ผู้สอบทาน",
                "accept": "รับรอง",
                "return": "ส่งกลับ",
                "approve": "อนุมัติ",
                "reopen": "เปิดใหม่เพื่อแก้ไข",
            },
            "cm_done": {
                "save": "บันทึกร่างแล้ว",
                "submit": "ส่งให้ผู้สอบทานแล้ว",
                "accept": "รับรองแล้ว รอผู้บริหารอนุมัติ",
                "return": "ส่งกลับให้เจ้าของตัวชี้วัดแล้ว",
                "approve": "อนุมัติแล้ว ผู้อ่านเห็นคำอธิบายนี้แล้ว",
                "reopen": "เปิดใหม่แล้ว ผู้อ่านยังเห็นฉบับที่อนุมัติจนกว่าฉบับแก้ไขจะได้รับอนุมัติ",
            },
        },
        "en": {
            "back": "← All KPIs",
            "follow": {
                "state": {
                    "none": "Warnings: as your role hears them (not followed)",
                    "follow": "Following ✓ (every change)",
                    "mute": "Warnings of this KPI muted",
                },
                "do": {"follow": "Follow", "unfollow": "Unfollow", "mute": "Mute", "unmute": "Unmute"},
                "label": "Warnings of this KPI",
                "settings": "All warning settings",
            },
            "passport": "KPI passport",
            "now": "Status",
            "score": "Score",
            "to_date": "Result to date",
            "expected": "Expected to date",
            "target": "Full-year target",
            "pace": "Result against plan",
            "projected": "Projected year end",
            "year_end": "Year end (the year's value)",
            "no_projection": "Not judged at this point, so no projection",
            "range": "range",
            "miss": "Projected to miss the target",
            "criteria": "Five levels, FY {fy}",
            "no_criteria": "This KPI has no five-level criteria for FY {fy}",
            "weight": "agreement weight {w}%",
            "level": "Level",
            "districts": "By district",
            "district": "District",
            "no_districts": "This KPI is reported at province level only",
            "leading": "Linked leading KPIs",
            "no_leading": "No linked leading KPI",
            "warn_red": "off track — warns this KPI",
            "warn_falling": "score falling — warns this KPI",
            "no_data": "No data for this fiscal year yet",
            "sub": "Sub-KPI of",
            "curve": {"linear": "linear plan", "stepped": "stepped at reporting months", "plan": "monthly plan"},
            "directives": "Directives",
            "no_directives": "No directive on this KPI yet",
            "see_directives": "See and answer the directives",
            "issue_directive": "Issue a directive",
            "dir_cols": ["Status", "Directive", "Period", "Unit", "Due", "Answer"],
            "cm_title": "Commentary",
            "cm_analysis": "Why: analysis",
            "cm_action": "What next: action",
            "cm_none": "No approved commentary for this period yet",
            "cm_approved_by": "Approved by {who} on {when}",
            "cm_correcting": "Being corrected; this is the last approved text",
            "cm_earlier": "Earlier periods ({n})",
            "cm_work": "Write and verify this period's commentary",
            "cm_state": "Status",
            "cm_states": {
                "new": "not written yet",
                "draft": "draft",
                "submitted": "waiting for verification",
                "returned": "returned for changes",
                "verified": "verified, waiting for approval",
                "approved": "approved",
            },
            "cm_by": "by {who}",
            "cm_returned": "Why it was returned or reopened",
            "cm_limit": "at most {n} characters",
            "cm_reason": "Reason (needed to return or reopen)",
            "cm_do": {
                "save": "Save draft",
                "submit": "Submit for verification",
                "accept": "Verify",
                "return": "Return",
                "approve": "Approve",
                "reopen": "Reopen for a correction",
            },
            "cm_done": {
                "save": "Draft saved",
                "submit": "Submitted for verification",
                "accept": "Verified; waiting for an executive's approval",
                "return": "Returned to the KPI's owner",
                "approve": "Approved; readers see this commentary now",
                "reopen": "Reopened; readers keep the approved text until the correction is approved",
            },
        },
    },
)


def _years_at_view(years: pd.DataFrame, now: dict, point: ck.Point, criteria: pd.DataFrame, k) -> pd.DataFrame:
    """The year chart's rows as the view sees them: each fiscal year at its round (kpi_years) up to
    the view's year, and the view's year at the view's point (the tile's row, kpi_now), so the
    chart's current-year point is the tile's very projection whatever month the view asks for."""
    ys = years[years["fiscal_year"] <= point.fy]
    if ck.field(now, "fiscal_idx") is None:
        return ys
    mine = ys[ys["fiscal_year"] == point.fy]
    if not mine.empty and int(mine["fiscal_idx"].iloc[0]) == point.idx:
        return ys
    if not mine.empty:
        row = mine.iloc[0].to_dict()
    else:  # a year with no round yet: its criteria as the province has them (scale 1)
        c = criteria.iloc[0].to_dict() if not criteria.empty else {}
        row = {f"c{i}": c.get(f"t{i}") for i in range(1, 6)}
        row.update(
            kpi_code=k.kpi_code,
            fiscal_year=point.fy,
            direction=k.direction,
            range_low=k.range_low,
            range_high=k.range_high,
        )
    for key in (
        "fiscal_idx",
        "month",
        "value_to_date",
        "target_year",
        "score",
        "status",
        "is_early",
        "reporters",
        "reported",
        "projected",
        "projected_low",
        "projected_high",
        "projected_miss",
    ):
        row[key] = now.get(key)
    row["complete"] = point.idx == 12
    rest = ys[ys["fiscal_year"] != point.fy]
    return pd.concat([rest, pd.DataFrame([row])], ignore_index=True).sort_values("fiscal_year")


def _stat(label: str, value, id_: str) -> html.Div:
    return html.Div(
        [html.Div(label, className="sy-meta"), html.Div(value, className="h5 mb-0 sy-num", id=id_)], className="sy-tile"
    )


def _directives(code: str, fy, lang: str) -> html.Section:
    """The KPI's directives (ops/meeting.py), not closed first, then closed; links to answer them
    and, for an executive or admin, to issue one for this KPI and year."""
    tx = TEXT[lang]
    rows = dc.records(meeting.directives(ops.engine(), kpi_code=code))
    links = [
        dcc.Link(
            tx["see_directives"],
            href=f"/meeting/directives?kpi={code}",
            id="kpidetail-directives-link",
            className="btn btn-sm btn-outline-primary",
        )
    ]
    if meeting.may_direct(auth.actor()):
        links.append(
            dcc.Link(
                tx["issue_directive"],
                href=f"/meeting/directives?kpi={code}" + (f"&fy={fy}" if fy is not None else ""),
                id="kpidetail-directives-issue",
                className="btn btn-sm btn-primary",
            )
        )
    if not rows:
        body = html.P(tx["no_directives"], className="sy-meta", id="kpidetail-no-directives")
    else:
        cols = tx["dir_cols"]
        body = html.Div(
            html.Table(
                [
                    html.Thead(html.Tr([html.Th(c, scope="col") for c in cols])),
                    html.Tbody(
                        [
                            html.Tr(
                                [
                                    html.Td(dc.status_chip(r["status"], lang), **{"data-label": cols[0]}),
                                    html.Td(r["text"], className="sy-wrap", **{"data-label": cols[1]}),
                                    html.Td(
                                        dc.period_text(r["fiscal_year"], r["month"], lang), **{"data-label": cols[2]}
                                    ),
                                    html.Td(r["unit"], **{"data-label": cols[3]}),
                                    html.Td(dc.due_cell(r, lang, settings.today()), **{"data-label": cols[4]}),
                                    html.Td(r["answer"] or "–", className="sy-wrap", **{"data-label": cols[5]}),
                                ],
                                **{"data-directive": str(r["directive_id"]), "data-status": r["status"]},
                            )
                            for r in rows
                        ]
                    ),
                ],
                className="table table-sm sy-table sy-stack",
                id="kpidetail-directives-table",
            ),
            className="table-responsive",
        )
    return html.Section(
        [html.H2(tx["directives"], className="h4"), body, html.Div(links, className="d-flex flex-wrap gap-2 mb-3")],
        id="kpidetail-directives",
    )


# ---------------------------------------------------------------- commentary (ops/commentary.py)
CM_ACTIONS = ("save", "submit", "accept", "return", "approve", "reopen")


def _readable_kpi(code) -> dict | None:
    """The KPI as this reader reads it (db.query drops what their role may not read), or None."""
    if not isinstance(code, str):
        return None
    got = db.query("cockpit/kpi_passport", kpi=code)
    return None if got.empty else got.iloc[0].to_dict()


def _comment_text(r: dict, lang: str, *, heading: bool, id_: str | None = None) -> html.Article:
    """One approved commentary: why, what next, who approved it and when."""
    tx = TEXT[lang]
    pre = {"whiteSpace": "pre-line"}
    head = html.H3(dc.period_text(r["fiscal_year"], r["month"], lang), className="h6") if heading else None
    return html.Article(
        [
            head,
            html.Dl(
                [
                    html.Dt(tx["cm_analysis"]),
                    html.Dd(r["analysis"] or "–", className="sy-wrap", style=pre, **{"data-field": "analysis"}),
                    html.Dt(tx["cm_action"]),
                    html.Dd(r["action"] or "–", className="sy-wrap", style=pre, **{"data-field": "action"}),
                ],
                className="mb-1",
            ),
            html.P(
                tx["cm_approved_by"].format(
                    who=r["approved_by"], when=thai.format_date_th(r["approved_at"], lang, abbr=True)
                )
                + (f" · {tx['cm_correcting']}" if r["status"] != "approved" else ""),
                className="sy-meta",
            ),
        ],
        className="mb-3",
        **({"id": id_} if id_ else {}),
        **{"data-period": f"{r['fiscal_year']}-{r['month']}"},
    )


def _comment_work(kpi: dict, fy: int, month: int, lang: str, who) -> html.Div | None:
    """The form of the period's commentary for its owner, and for its verifier and an approver once
    there is one (None for anyone else): the text being worked on, its state, and the actions this
    person may take now."""
    tx = TEXT[lang]
    can_write = commentary.may_write(who, kpi)
    can_verify = commentary.may_check(who, kpi)
    can_approve = commentary.may_approve(who)
    if not (can_write or can_verify or can_approve):
        return None
    row = commentary.get(ops.engine(), kpi["kpi_code"], fy, month) or {}
    if not (can_write or row):  # a verifier or an approver: once there is something to read
        return None
    status = row.get("status", "new")
    editable = can_write and status in ("new", "draft", "returned")
    actions = (["save", "submit"] if editable else []) + (
        ["accept", "return"] if can_verify and status == "submitted" else []
    )
    if can_approve and status == "verified":
        actions.append("approve")
    if can_approve and status == "approved":
        actions.append("reopen")
    state = [
        tx["cm_state"],
        ": ",
        html.Strong(tx["cm_states"][status], id="kpidetail-cm-state", **{"data-state": status}),
    ]
    if row:
        state.append(f" · {tx['cm_by'].format(who=row['entered_by'])} · v{row['version']}")
    limit = tx["cm_limit"].format(n=thai.format_number(commentary.LIMIT, 0, lang))

    def area(field: str, label: str) -> html.Div:
        return html.Div(
            [
                html.Label([label, " ", html.Span(f"({limit})", className="sy-meta")], htmlFor=f"kpidetail-cm-{field}"),
                dcc.Textarea(
                    id=f"kpidetail-cm-{field}",
                    value=row.get(field) or "",
                    maxLength=commentary.LIMIT,
                    readOnly=not editable,
                    rows=4,
                    className="form-control",
                ),
            ],
            className="mb-2",
        )

    needs_reason = any(a in actions for a in ("return", "reopen"))
    return html.Div(
        [
            html.H3(tx["cm_work"], className="h6"),
            html.P(state, className="mb-2"),
            html.Div([tx["cm_returned"], ": ", row["reason"]], className="alert alert-warning", id="kpidetail-cm-why")
            if row.get("reason") and status == "returned"
            else None,
            area("analysis", tx["cm_analysis"]),
            area("action", tx["cm_action"]),
            html.Div(
                [
                    html.Label(tx["cm_reason"], htmlFor="kpidetail-cm-reason"),
                    dcc.Input(id="kpidetail-cm-reason", className="form-control", maxLength=commentary.LIMIT),
                ],
                className="mb-2",
                hidden=not needs_reason,
            ),
            html.Div(
                [
                    html.Button(
                        tx["cm_do"][a],
                        id={"type": "kpidetail-cm-do", "action": a},
                        className="btn btn-sm "
                        + ("btn-outline-primary" if a in ("save", "return", "reopen") else "btn-primary"),
                    )
                    for a in actions
                ],
                className="d-flex flex-wrap gap-2",
            ),
            dcc.Store(
                id="kpidetail-cm-key",
                data={
                    "kpi": kpi["kpi_code"],
                    "fy": fy,
                    "month": month,
                    "id": row.get("comment_id"),
                    "version": row.get("version", 0),
                },
            ),
        ],
        className="sy-card p-3 mt-2",
        id="kpidetail-cm-work",
    )


def _commentary_body(kpi: dict, fy: int, month: int, lang: str, who, present: bool = False) -> list | None:
    """The section's children: the period's approved commentary (or that there is none), the
    earlier periods' (newest first) and the form (``_comment_work``). On a slide (``present``):
    the period's approved commentary alone, or None when there is none."""
    tx = TEXT[lang]
    rows = commentary.approved(ops.engine(), kpi["kpi_code"])
    now_key = (fy, commentary.fiscal_index(month))
    current = next((r for r in rows if (r["fiscal_year"], r["month"]) == (fy, month)), None)
    if present and current is None:
        return None
    out: list = [html.H2([tx["cm_title"], " · ", dc.period_text(fy, month, lang)], className="h4")]
    if current is not None:
        out.append(_comment_text(current, lang, heading=False, id_="kpidetail-cm-current"))
    else:
        out.append(html.P(tx["cm_none"], className="sy-meta", id="kpidetail-cm-none"))
    if present:
        return out
    earlier = [r for r in rows if (r["fiscal_year"], commentary.fiscal_index(r["month"])) < now_key]
    if earlier:
        out.append(
            html.Details(
                [html.Summary(tx["cm_earlier"].format(n=thai.format_number(len(earlier), 0, lang)))]
                + [_comment_text(r, lang, heading=True) for r in earlier],
                id="kpidetail-cm-earlier",
                className="mb-2",
            )
        )
    out.append(_comment_work(kpi, fy, month, lang, who))
    return out


def _commentary(kpi: dict, fy: int, month: int, lang: str, present: bool) -> html.Div | None:
    body = _commentary_body(kpi, fy, month, lang, auth.actor(), present)
    if body is None:
        return None
    return html.Div(
        [
            html.Section(body, id="kpidetail-commentary", className="sy-card p-3 mb-3"),
            html.Div(id="kpidetail-cm-msg", role="status"),
        ],
        id="kpidetail-cm",
    )


@callback(
    Output("kpidetail-commentary", "children"),
    Output("kpidetail-cm-msg", "children"),
    Input({"type": "kpidetail-cm-do", "action": ALL}, "n_clicks"),
    State("kpidetail-cm-key", "data"),
    State("kpidetail-cm-analysis", "value"),
    State("kpidetail-cm-action", "value"),
    State("kpidetail-cm-reason", "value"),
    prevent_initial_call=True,
)
def _comment_action(clicks, key, analysis, action, reason):
    """One action on the period's commentary, checked again by ops/commentary.py against the
    KPI as this reader reads it: a refusal (audited there) answers 403; a rule's refusal is shown
    and the typed text kept; success redraws the section."""
    trig = ctx.triggered_id
    if not trig or not any(clicks or []):
        return no_update, no_update
    what = trig.get("action") if isinstance(trig, dict) else None
    if what not in CM_ACTIONS or not isinstance(key, dict):
        flask.abort(400)
    lang = current_lang()
    tx = TEXT[lang]
    eng, who = ops.engine(), auth.actor()
    code = key.get("kpi")
    if not isinstance(code, str):
        flask.abort(400)
    try:
        if what in ("save", "submit"):
            kpi = _readable_kpi(code)
            row = commentary.save(
                eng,
                who,
                code,
                kpi,
                key.get("fy"),
                key.get("month"),
                analysis,
                action,
                int(key.get("version") or 0),
                submit=what == "submit",
            )
        else:
            comment_id, version = int(key["id"]), int(key["version"])
            stored = commentary.by_id(eng, comment_id)
            kpi = _readable_kpi(stored["kpi_code"] if stored else code)
            if what in ("accept", "return"):
                row = commentary.verify(eng, who, comment_id, version, what == "accept", reason, kpi)
            elif what == "approve":
                row = commentary.approve(eng, who, comment_id, version, kpi)
            else:
                row = commentary.reopen(eng, who, comment_id, version, reason, kpi)
    except commentary.EntryError as e:
        if isinstance(e, commentary.Forbidden):
            flask.abort(403)
        return no_update, dbc.Alert(e.text(lang), color="danger", id="kpidetail-cm-error")
    body = _commentary_body(kpi, row["fiscal_year"], row["month"], lang, who)
    return body, dbc.Alert(tx["cm_done"][what], color="success", id="kpidetail-cm-ok")


def _follow_box(code: str, mode: str | None, lang: str) -> list:
    """The reader's warnings of this KPI in words, and the buttons that change them: follow / stop
    following, mute / unmute (web/notices.choose, the inbox's way, checks the reader on the server)."""
    tx = TEXT[lang]["follow"]
    mode = mode if mode in ("follow", "mute") else "none"
    actions = {"none": [("follow", "follow"), ("mute", "mute")], "follow": [("unfollow", "none")]}
    actions["mute"] = [("unmute", "none")]

    def button(word: str, to: str) -> html.Button:
        primary = word == "follow"
        return html.Button(
            tx["do"][word],
            id={"type": "kpidetail-follow-do", "kpi": code, "mode": to},
            type="button",
            className="btn btn-sm ms-2 " + ("btn-primary" if primary else "btn-outline-primary"),
            **{"data-action": word},
        )

    return [
        icon("bell"),
        " ",
        html.Span(tx["state"][mode], id="kpidetail-follow-state", className="fw-bold", **{"data-mode": mode}),
        *[button(word, to) for word, to in actions[mode]],
        " ",
        dcc.Link(tx["settings"], href=f"/inbox?follow={code}", id="kpidetail-follow-settings", className="ms-2"),
    ]


@callback(
    Output("kpidetail-follow", "children"),
    Input({"type": "kpidetail-follow-do", "kpi": ALL, "mode": ALL}, "n_clicks"),
    prevent_initial_call=True,
)
def _follow(_clicks):
    """Follow, mute or reset this KPI for the reader: refused (403, audited) for the public and for a
    KPI the reader may not read."""
    trig = ctx.triggered_id
    if not isinstance(trig, dict) or not (ctx.triggered and ctx.triggered[0].get("value")):
        return no_update  # new buttons drawn, nothing pressed
    code, mode = str(trig.get("kpi")), trig.get("mode")
    if mode not in ("follow", "mute", "none"):
        flask.abort(400)
    if not notices.choose(code, None if mode == "none" else mode):
        flask.abort(403)
    return _follow_box(code, notices.my_choice(code), current_lang())


@auth.page_access
def layout(code=None, fy=None, round=None, present=None, **_kwargs) -> html.Div:
    lang = current_lang()
    tx = TEXT[lang]
    if not db.available():
        return html.Div([no_warehouse(lang, id_prefix="kpidetail-nowh")], className="sy-page", id="kpidetail-page")
    passport = db.query("cockpit/kpi_passport", kpi=str(code or ""))
    if passport.empty:
        return html.Div(not_found(lang, id_prefix="kpidetail-notfound"), className="sy-page", id="kpidetail-page")
    k = next(passport.itertuples())
    area = settings.province
    point = ck.resolve_point(db.query("cockpit/fiscal_years", area=area), fy, round)
    back = dcc.Link(tx["back"], href="/kpi" + ck.query_string(fy=point.fy, round=point.round), id="kpidetail-back")
    title = f"{k.kpi_code} {ck.name(k, lang)}"
    children: list = [back, html.H1(title, className="sy-page-title", id="kpidetail-title")]
    if present != "1" and auth.role() != "public":  # the reader follows or mutes it here (as on /inbox)
        children.append(
            html.Div(
                viewcache.fresh("kpidetail-follow", code=k.kpi_code),  # the reader's own: made per request
                id="kpidetail-follow",
                role="group",
                className="sy-follow mb-1",
                **{"aria-label": tx["follow"]["label"], "aria-live": "polite"},
            )
        )
    if ck.v(k.parent_kpi_code):
        children.append(
            html.P([tx["sub"] + " ", dcc.Link(k.parent_kpi_code, href=ck.kpi_href(k.parent_kpi_code, point))])
        )
    if k.provenance == "sample":
        children.append(html.P([provenance_badge("sample", lang)]))
    if point.fy is None:
        return html.Div(
            children
            + [dbc.Alert(tx["no_data"], color="info"), viewcache.fresh("kpidetail-directives", code=k.kpi_code)],
            className="sy-page",
            id="kpidetail-page",
        )

    now = db.query("cockpit/kpi_now", kpi=k.kpi_code, fy=point.fy, idx=point.idx, area=area)
    now = now.iloc[0].to_dict() if not now.empty else {c: None for c in now.columns}
    criteria = db.query("cockpit/kpi_criteria", kpi=k.kpi_code, fy=point.fy)
    fresh = fr.load(db.query)
    mark = fr.freshness_mark(fr.lookup(fresh, "kpi", k.kpi_code), lang, id="kpidetail-fresh")
    children.append(html.P([ck.point_label(point, lang), " ", mark], className="lead", id="kpidetail-point"))
    note = ck.missing_year_note(point, lang, "kpidetail-missing-year")
    if note is not None:
        children.append(note)

    unit = ck.unit(k, lang)  # unit_en in English

    def num(x):
        return (thai.format_number(x, 2, lang) + " " + unit) if ck.v(x) is not None else "–"

    notes = ck.point_notes(now, point.fy, lang, unit)
    stats = [
        html.Div(
            [
                html.Div(tx["now"], className="sy-meta"),
                status_badge(ck.v(now["status"]), lang, id="kpidetail-status"),
                html.Div(notes, id="kpidetail-status-notes") if notes else None,
            ],
            className="sy-tile",
        ),
        _stat(tx["score"], score_text(ck.v(now["score"]), lang), "kpidetail-score"),
        _stat(tx["to_date"], num(now["value_to_date"]), "kpidetail-to-date"),
        _stat(tx["target"], num(now["target_year"]), "kpidetail-target"),
    ]
    if ck.v(now["expected_to_date"]) is not None:
        stats.append(
            _stat(
                tx["expected"]
                + (f" ({tx['curve'][now['expected_curve']]})" if now["expected_curve"] in tx["curve"] else ""),
                num(now["expected_to_date"]),
                "kpidetail-expected",
            )
        )
    # the projection made at this very point (fct_kpi_projection): the month chart's year-end marker
    # and the year chart's current-year point draw this same number (docs/RULES.md section 5)
    if ck.v(now["projected"]) is not None and point.idx == 12:  # September: the year's value, no range
        stats.append(
            _stat(
                tx["year_end"], html.Span(num(now["projected"]), id="kpidetail-projected-value"), "kpidetail-projected"
            )
        )
    elif ck.v(now["projected"]) is not None:
        proj = [
            html.Span(num(now["projected"]), id="kpidetail-projected-value"),
            html.Div(
                [
                    f"{tx['range']} ",
                    html.Span(thai.format_number(now["projected_low"], 2, lang), id="kpidetail-projected-low"),
                    "–",
                    html.Span(thai.format_number(now["projected_high"], 2, lang), id="kpidetail-projected-high"),
                ],
                className="sy-meta",
            ),
        ]
        if bool(ck.v(now["projected_miss"])):
            proj.append(
                html.Div(
                    [html.Span("▼", **{"aria-hidden": "true"}), " ", tx["miss"]],
                    className="sy-meta fw-bold",
                    id="kpidetail-miss",
                )
            )
        stats.append(_stat(tx["projected"], proj, "kpidetail-projected"))
    elif ck.v(now["status"]) in ck.UNSCORED:  # late, awaiting, not due: no projection, said in words
        stats.append(
            _stat(
                tx["projected"],
                [
                    "–",
                    html.Div(
                        tx["no_projection"],
                        className="sy-meta fw-normal",
                        style={"whiteSpace": "normal"},
                        id="kpidetail-no-projection",
                    ),
                ],
                "kpidetail-projected",
            )
        )
    # the KPI's figures (results, targets, criteria) are as sample as its catalogue row says
    mark = sample_mark(k.provenance, lang)
    children.append(html.Section([mark, html.Div(stats, className="sy-tiles", id="kpidetail-stats")]))
    # why and what next of this period, right under its figures (on a slide too)
    # (a fresh piece: the ops store's, made for this reader at every request)
    children.append(
        viewcache.fresh(
            "kpidetail-commentary",
            code=k.kpi_code,
            fy=point.fy,
            month=point.month,
            present="1" if present == "1" else None,
        )
    )

    # the five levels of the year
    if criteria.empty:
        children.append(dbc.Alert(tx["no_criteria"].format(fy=point.fy), color="secondary", id="kpidetail-no-criteria"))
    else:
        c = criteria.iloc[0]
        cells = [
            html.Div(
                [
                    html.Div(f"{tx['level']} {i}", className="sy-meta"),
                    html.Span(thai.format_number(c[f"t{i}"], 2, lang), className="sy-num"),
                ],
                className="sy-tile",
                **{"data-level": str(i)},
            )
            for i in range(1, 6)
        ]
        caption = tx["criteria"].format(fy=point.fy) + (
            " · " + tx["weight"].format(w=thai.format_number(c["weight"], 0, lang)) if ck.v(c["weight"]) else ""
        )
        children.append(
            html.Section(
                [
                    html.H2([caption, " ", mark], className="h5"),
                    html.Div(cells, className="sy-tiles sy-levels", id="kpidetail-criteria"),
                ]
            )
        )

    sample = k.provenance == "sample"
    years = _years_at_view(db.query("cockpit/kpi_years", kpi=k.kpi_code, area=area), now, point, criteria, k)
    months = db.query("cockpit/kpi_months", kpi=k.kpi_code, fy=point.fy, area=area)
    charts = []

    def chart_note():
        return fr.freshness_mark(fr.lookup(fresh, "kpi", k.kpi_code), lang, as_of_label_only=True, small=True)

    if not years.empty:
        charts.append(
            ck.graph(
                ck.years_figure(years, lang, unit, sample),
                "kpidetail-years",
                f"{title}: {'ผลรายปี' if lang == 'th' else 'each year'}",
                note=chart_note(),
            )
        )
    if not months.empty:
        charts.append(
            ck.graph(
                ck.months_figure(months, lang, unit, point.fy, sample, at=point.idx),
                "kpidetail-months",
                f"{title}: {'รายเดือน' if lang == 'th' else 'by month'}",
                note=chart_note(),
            )
        )
    if charts:
        children.append(html.Section(html.Div(charts, className="sy-two")))
    else:
        children.append(dbc.Alert(tx["no_data"], color="info", id="kpidetail-no-data"))

    # districts
    districts = db.query("cockpit/kpi_districts", kpi=k.kpi_code, fy=point.fy, idx=point.idx, province=area)
    if districts.empty:
        body = html.P(tx["no_districts"], id="kpidetail-no-districts")
    else:
        cols = [tx["district"], tx["now"], tx["score"], tx["to_date"], tx["target"], tx["pace"]]
        # each district at the view's point (the round); a late or awaiting one with its last judged
        # month, and at the round a district's early report of a later month, in words
        rows = [
            html.Tr(
                [
                    html.Td(ck.name(r, lang), **{"data-label": cols[0]}),
                    html.Td(
                        [status_badge(ck.v(r.status), lang, small=True), *ck.point_notes(r, point.fy, lang, unit)],
                        **{"data-label": cols[1]},
                    ),
                    html.Td(score_text(ck.v(r.score), lang), className="sy-num", **{"data-label": cols[2]}),
                    html.Td(
                        ck.figure(r.value_to_date, getattr(k, "is_count", False), lang),
                        className="sy-num",
                        **{"data-label": cols[3]},
                    ),
                    html.Td(
                        ck.figure(r.target_year, getattr(k, "is_count", False), lang),
                        className="sy-num",
                        **{"data-label": cols[4]},
                    ),
                    html.Td(
                        thai.format_number(None if ck.v(r.status) in ("late", "awaiting") else r.pace, 2, lang),
                        className="sy-num",
                        **{"data-label": cols[5]},
                    ),
                ],
                **{"data-district": r.district_code},
                **({"data-early": str(int(r.early_month))} if ck.v(r.early_month) is not None else {}),
            )
            for r in districts.itertuples()
        ]
        body = html.Div(
            html.Table(
                [html.Thead(html.Tr([html.Th(c, scope="col") for c in cols])), html.Tbody(rows)],
                className="table sy-table sy-stack",
                id="kpidetail-districts",
            ),
            className="table-responsive",
        )
    children.append(html.Section([html.H2([tx["districts"], " ", mark], className="h4"), body]))

    # leading indicators
    leading = db.query("cockpit/kpi_leading", kpi=k.kpi_code, fy=point.fy, idx=point.idx, area=area)
    if leading.empty:
        lead_body = html.P(tx["no_leading"], id="kpidetail-no-leading")
    else:
        lead_body = html.Ul(
            [
                ck.kpi_item(
                    r,
                    point,
                    lang,
                    extra=(
                        [html.Span([icon("flag"), " ", tx["warn_" + r.warning]], className="sy-meta fw-bold")]
                        if ck.v(r.warning)
                        else []
                    )
                    + [fr.freshness_mark(fr.lookup(fresh, "kpi", r.kpi_code), lang, as_of_label_only=True, small=True)],
                )
                for r in leading.itertuples()
            ],
            className="sy-kpi-list",
            id="kpidetail-leading",
        )
    children.append(
        html.Section(
            [html.H2([tx["leading"], " ", sample_mark(leading["provenance"], lang)], className="h4"), lead_body]
        )
    )
    children.append(viewcache.fresh("kpidetail-directives", code=k.kpi_code, fy=point.fy))

    children.append(html.Section([html.H2(tx["passport"], className="h4"), ck.passport(k, lang)]))
    return html.Div(children, className="sy-page", id="kpidetail-page")


# ---------------------------------------------------------------- fresh pieces (web/viewcache.py)
# Each reads its KPI again as this reader reads it (db.query drops what their classes may not read):
# the arguments come out of a mark in a kept answer, and are checked like a callback's.
@viewcache.fresh_piece("kpidetail-follow")
def follow_piece(code: str = "") -> list | None:
    """The reader's warnings of this KPI and the buttons that change them (nothing for the public)."""
    kpi = _readable_kpi(code)
    if kpi is None or auth.role() == "public":
        return None
    return _follow_box(kpi["kpi_code"], notices.my_choice(kpi["kpi_code"]), current_lang())


@viewcache.fresh_piece("kpidetail-commentary")
def commentary_piece(code: str = "", fy: str = "", month: str = "", present: str | None = None) -> html.Div | None:
    """The period's commentary, the earlier periods' and this reader's form, as the store has them now."""
    kpi = _readable_kpi(code)
    if kpi is None:
        return None
    return _commentary(kpi, int(fy), int(month), current_lang(), present == "1")


@viewcache.fresh_piece("kpidetail-directives")
def directives_piece(code: str = "", fy: str | None = None) -> html.Section | None:
    """The KPI's directives as the store has them now, and the links this reader may follow."""
    kpi = _readable_kpi(code)
    if kpi is None:
        return None
    return _directives(kpi["kpi_code"], int(fy) if fy is not None else None, current_lang())
