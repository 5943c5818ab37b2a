"""/meeting: agendas for the provincial meeting (ops/meeting.py), presented by web/present.py.

* The automatic "red first" agenda: the cockpit, every red KPI, then the directives still open.
* Saved agendas, each an ordered list of live views (a page of the app with its filters); a
  presenter builds one here: pick a page (or paste an address copied from the browser, filters
  included), give the slide a title, reorder, remove.
* Present in the projector theme, light or dark; export the agenda as PPTX or PDF and the minutes
  (with the meeting's directives) as PDF or DOCX (web/exports.py).
* After a meeting, those who may direct send its briefing book (issue 26) to the units given
  directives, through the outbox (ops/meeting.send_briefing); the page says to whom, and which
  unit had no one to send to.
Every change is checked again on the server by ops/meeting.py.
"""

from __future__ import annotations

from datetime import date

import dash
import dash_bootstrap_components as dbc
import flask
from dash import ALL, Input, Output, State, callback, ctx, dcc, html, no_update

import db
import ops
from components import thai
from components.i18n import current_lang, words
from components.layout import labelled_select, no_warehouse
from ops import meeting
from web import auth, present

dash.register_page(
    __name__,
    path="/meeting",
    name="การประชุม",
    name_en="Meetings",
    title="การประชุมและวาระ · สัญญาณ Sanyan",
    order=84,
    menu="work",
)

TEXT = words(
    "meeting",
    {
        "th": {
            "title": "การประชุม",
            "auto": "วาระอัตโนมัติ: ตัวชี้วัดสีแดงก่อน",
            "auto_help": "ภาพรวม แล้วตัวชี้วัดสีแดงทุกตัว (สำคัญมากก่อน คะแนนต่ำก่อน) ปิดท้ายด้วยข้อสั่งการที่ยังไม่ปิด: {n} หน้า",
            "present": "นำเสนอ",
            "present_dark": "นำเสนอ (พื้นมืด)",
            "agendas": "วาระการประชุมที่บันทึกไว้",
            "none": "ยังไม่มีวาระที่บันทึกไว้",
            "new": "สร้างวาระใหม่",
            "name": "ชื่อการประชุม",
            "date": "วันประชุม",
            "create": "สร้างวาระ",
            "created": "สร้างวาระแล้ว",
            "edit": "แก้ไขวาระ",
            "agenda": "วาระ",
            "page": "หน้า",
            "path": "ที่อยู่ (วางจากแถบที่อยู่ได้ พร้อมตัวกรอง)",
            "slide_title": "ชื่อหน้าสไลด์",
            "add": "เพิ่มหน้า",
            "up": "เลื่อนขึ้น",
            "down": "เลื่อนลง",
            "remove": "ลบ",
            "items": "หน้าสไลด์",
            "no_items": "ยังไม่มีหน้าในวาระนี้",
            "follow": "หน้าสุดท้ายของทุกวาระ: ข้อสั่งการที่ยังไม่ปิด",
            "exports": "ส่งออก",
            "minutes": "บันทึกการประชุม",
            "cols": ["วันประชุม", "ชื่อ", "หน้า", "ผู้สร้าง", ""],
            "bad_date": "วันที่ไม่ถูกต้อง (ใช้ 30/11/2569, 2026-11-30 หรือ 30 พ.ย. 2569)",
            "chart": "แสดง",
            "whole": "ทั้งหน้า",
            "districts": "สไลด์เปรียบเทียบอำเภอ",
            "viewer": "ผู้ชมอ่านได้อย่างเดียว",
            "send": "ส่งสมุดสรุปการประชุม",
            "send_label": "ส่งสมุดสรุปการประชุมถึงหน่วยงานที่ได้รับข้อสั่งการ: {title}",
            "sent": "ส่งสมุดสรุปการประชุม “{title}” เข้ากล่องขาออกแล้ว {n} ฉบับ",
            "already": "ส่งสมุดสรุปการประชุมฉบับนี้ไปแล้ว {n} ฉบับ ไม่ส่งซ้ำ (ส่งใหม่เมื่อบันทึกการประชุมเปลี่ยน)",
            "more": "และส่งฉบับแก้ไขเพิ่ม {n} ฉบับ",
            "to_unit": "{unit}: {n} คน ({names})",
            "nobody": "ไม่มีผู้รับสำหรับหน่วยงาน {unit}: {why}",
            "no_account": "ไม่มีผู้บันทึกข้อมูลหรือผู้ตรวจสอบของหน่วยงานนี้ในระบบ",
            "no_email": "ผู้ใช้ของหน่วยงานนี้ไม่มีที่อยู่อีเมล",
            "muted": "ผู้ใช้ของหน่วยงานนี้ปิดการรับอีเมล",
            "no_mail": "ยังไม่ได้ตั้งค่าเซิร์ฟเวอร์อีเมล (SANYAN_SMTP_HOST): ข้อความเก็บไว้ในกล่องขาออก "
            "ผู้ดูแลระบบดูและสั่งส่งใหม่ได้ที่หน้าผู้ดูแลระบบ",
        },
        "en": {
            "title": "Meetings",
            "auto": "Automatic agenda: red first",
            "auto_help": "The overview, then every red KPI (most important, lowest score first), ending with the open "
            "directives: {n} slides",
            "present": "Present",
            "present_dark": "Present (dark)",
            "agendas": "Saved agendas",
            "none": "No agenda saved yet",
            "new": "New agenda",
            "name": "Meeting title",
            "date": "Meeting date",
            "create": "Create agenda",
            "created": "Agenda created",
            "edit": "Edit an agenda",
            "agenda": "Agenda",
            "page": "Page",
            "path": "Address (paste it from the address bar, filters included)",
            "slide_title": "Slide title",
            "add": "Add slide",
            "up": "Move up",
            "down": "Move down",
            "remove": "Remove",
            "items": "Slides",
            "no_items": "This agenda has no slide yet",
            "follow": "Last slide of every agenda: the directives not yet closed",
            "exports": "Export",
            "minutes": "Minutes",
            "cols": ["Meeting date", "Title", "Slides", "Created by", ""],
            "bad_date": "Not a date (use 30/11/2569, 2026-11-30 or 30 Nov 2026)",
            "chart": "Show",
            "whole": "the whole page",
            "districts": "the districts compared (a slide)",
            "viewer": "Viewers can only read",
            "send": "Send the briefing book",
            "send_label": "Send the briefing book to the units given directives: {title}",
            "sent": "The briefing book of “{title}” is in the outbox: {n} message(s)",
            "already": "This briefing book was already sent: {n} message(s); nothing sent twice (a changed minute is "
            "sent again)",
            "more": "and {n} more of the changed minutes",
            "to_unit": "{unit}: {n} person(s) ({names})",
            "nobody": "No one to send to for unit {unit}: {why}",
            "no_account": "the unit has no editor or verifier account",
            "no_email": "no one of the unit has an e-mail address",
            "muted": "everyone of the unit has turned e-mail off",
            "no_mail": "No mail server is set (SANYAN_SMTP_HOST): the messages are kept in the outbox; an admin can "
            "see them and send them again on the admin page",
        },
    },
)


def _pages(lang: str) -> list[dict]:
    """Pages a slide can show: the app's own pages, not the meeting's or data work's."""
    skip = ("/meeting", "/entry", "/admin", "/login")
    out = []
    for p in sorted(dash.page_registry.values(), key=lambda p: (p.get("order") is None, p.get("order") or 0)):
        path = p.get("example_path") or p["path"]
        if str(p.get("module", "")).endswith("not_found_404") or path.startswith(skip):
            continue
        out.append({"label": (p.get("name_en") if lang == "en" else p.get("name")) or path, "value": path})
    return out


def _walk(component):
    yield component
    kids = getattr(component, "children", None)
    for k in kids if isinstance(kids, list) else [kids]:
        if k is not None and not isinstance(k, (str, int, float)):
            yield from _walk(k)


def charts_of(path: str) -> list[tuple[str, str]]:
    """The charts a page shows for `path` (its filters included): [(graph id, caption)], found by
    building the page's layout as its reader would see it. A view may show one of them alone."""
    from urllib.parse import parse_qsl, urlsplit

    parts = urlsplit(path or "")
    try:
        page, found = auth.route(parts.path)
    except auth.BadCallback:
        return []
    if page is not None and not parts.path.startswith(("/meeting", "/entry", "/admin")):
        layout = page["layout"]
        try:
            tree = layout(**found, **dict(parse_qsl(parts.query))) if callable(layout) else layout
        except Exception:  # noqa: BLE001 - a page that cannot be built for this address has no chart to offer
            return []
        out = []
        for c in _walk(tree):
            if "sy-chart" in (getattr(c, "className", "") or "").split():
                graph = next((g for g in _walk(c) if isinstance(g, dcc.Graph)), None)
                caption = next((g.children for g in _walk(c) if isinstance(g, html.Figcaption)), None)
                if graph is not None and isinstance(getattr(graph, "id", None), str):
                    out.append((graph.id, str(caption or graph.id)))
        return out
    return []


@auth.page_access
def layout(**_kwargs) -> html.Div:
    lang = current_lang()
    tx = TEXT[lang]
    head = [html.H1(tx["title"], className="sy-page-title", id="meeting-title")]
    if not db.available():
        return html.Div(head + [no_warehouse(lang, id_prefix="meeting-nowh")], className="sy-page", id="meeting-page")
    from web.present import agenda_views

    _title, views = agenda_views(meeting.RED_FIRST, lang)
    builder = meeting.may_build(auth.actor())
    return html.Div(
        head
        + [
            html.Section(
                [
                    html.H2(tx["auto"], className="h4"),
                    html.P(tx["auto_help"].format(n=len(views)), className="sy-meta", id="meeting-auto-count"),
                    _actions(meeting.RED_FIRST, tx, minutes=False),
                ],
                className="sy-card p-3 mb-4",
                id="meeting-auto",
            ),
            html.H2(tx["agendas"], className="h4"),
            dcc.Loading(html.Div(id="meeting-list")),
            html.Div(id="meeting-send-msg", className="mt-2", role="status", **{"aria-live": "polite"}),
            html.Section(
                [
                    html.H2(tx["new"], className="h4 mt-4"),
                    html.Div(
                        [
                            html.Div(
                                [
                                    html.Label(tx["name"], htmlFor="meeting-new-title"),
                                    dcc.Input(
                                        id="meeting-new-title",
                                        className="form-control",
                                        maxLength=300,
                                        placeholder="ประชุมคณะกรมการจังหวัด ครั้งที่ …",
                                    ),
                                ]
                            ),
                            html.Div(
                                [
                                    html.Label(tx["date"], htmlFor="meeting-new-date"),
                                    dcc.Input(
                                        id="meeting-new-date",
                                        className="form-control",
                                        maxLength=30,
                                        value=thai.format_date_th(date.today(), lang, abbr=True),
                                    ),
                                ]
                            ),
                        ],
                        className="sy-filters",
                    ),
                    html.Button(tx["create"], id="meeting-create", className="btn btn-primary mt-2"),
                    html.Div(id="meeting-create-msg", className="mt-2", role="status"),
                    html.H2(tx["edit"], className="h4 mt-4"),
                    html.Div(labelled_select("meeting-edit", tx["agenda"], [], None), className="sy-filters"),
                    html.Div(id="meeting-items", className="mt-2"),
                    html.Div(
                        [
                            labelled_select("meeting-view-page", tx["page"], _pages(lang), None),
                            html.Div(
                                [
                                    html.Label(tx["path"], htmlFor="meeting-path"),
                                    dcc.Input(
                                        id="meeting-path",
                                        className="form-control",
                                        maxLength=500,
                                        placeholder="/kpi/K01?fy=2570",
                                    ),
                                ]
                            ),
                            labelled_select("meeting-chart", tx["chart"], [{"label": tx["whole"], "value": ""}], ""),
                            html.Div(
                                [
                                    html.Label(tx["slide_title"], htmlFor="meeting-item-title"),
                                    dcc.Input(id="meeting-item-title", className="form-control", maxLength=300),
                                ]
                            ),
                        ],
                        className="sy-filters mt-2",
                    ),
                    html.Button(tx["add"], id="meeting-add", className="btn btn-outline-primary mt-2"),
                    html.P(tx["follow"], className="sy-meta mt-2"),
                    html.Div(id="meeting-item-msg", className="mt-2", role="status"),
                ],
                hidden=not builder,
                id="meeting-builder",
            ),
            dcc.Store(id="meeting-tick", data=0),
        ],
        className="sy-page",
        id="meeting-page",
    )


def _actions(key, tx, minutes=True, send: str | None = None) -> html.Div:
    """A saved agenda's actions; ``send`` (its title), for those who may direct: send the briefing
    book (the server checks again: ops/meeting.send_briefing)."""
    k = str(key)
    links = [
        html.A(
            f"▶ {tx['present']}",
            href=f"/meeting/present/{k}",
            className="btn btn-primary btn-sm",
            id=f"meeting-present-{k}",
        ),
        html.A(
            f"▶ {tx['present_dark']}",
            href=f"/meeting/present/{k}?theme=dark",
            className="btn btn-outline-primary btn-sm",
        ),
        html.Span(f"{tx['exports']}:", className="sy-meta ms-2"),
        html.A(
            "PPTX",
            href=f"/export/agenda/{k}.pptx",
            className="btn btn-link btn-sm",
            **{"aria-label": f"{tx['exports']} PPTX"},
        ),
        html.A(
            "PDF",
            href=f"/export/agenda/{k}.pdf",
            className="btn btn-link btn-sm",
            **{"aria-label": f"{tx['exports']} PDF"},
        ),
    ]
    if minutes:
        links += [
            html.Span(f"{tx['minutes']}:", className="sy-meta ms-2"),
            html.A(
                "PDF",
                href=f"/export/minutes/{k}.pdf",
                className="btn btn-link btn-sm",
                **{"aria-label": f"{tx['minutes']} PDF"},
            ),
            html.A(
                "DOCX",
                href=f"/export/minutes/{k}.docx",
                className="btn btn-link btn-sm",
                **{"aria-label": f"{tx['minutes']} DOCX"},
            ),
        ]
    if minutes and send is not None:
        links.append(
            html.Button(
                tx["send"],
                id={"type": "meeting-send", "index": int(key)},
                className="btn btn-outline-primary btn-sm ms-2",
                **{"aria-label": tx["send_label"].format(title=send)},
            )
        )
    return html.Div(links, className="d-flex flex-wrap align-items-center gap-2")


@callback(
    Output("meeting-list", "children"),
    Output("meeting-edit", "options"),
    Output("meeting-edit", "value"),
    Input("meeting-tick", "data"),
    State("meeting-edit", "value"),
)
def _list(_tick, editing):
    lang = current_lang()
    tx = TEXT[lang]
    rows = meeting.agendas(ops.engine())
    opts = [
        {"label": f"{thai.format_date_th(r.meeting_date, lang, abbr=True)} · {r.title}", "value": str(r.agenda_id)}
        for r in rows.itertuples()
    ]
    value = editing if editing in {o["value"] for o in opts} else (opts[0]["value"] if opts else None)
    if rows.empty:
        return html.P(tx["none"], className="sy-meta", id="meeting-none"), opts, value
    cols = tx["cols"]
    director = meeting.may_direct(auth.actor())
    body = [
        html.Tr(
            [
                html.Td(thai.format_date_th(r.meeting_date, lang, abbr=True), **{"data-label": cols[0]}),
                html.Td(r.title, **{"data-label": cols[1]}),
                html.Td(str(r.items + 1), **{"data-label": cols[2]}),  # + the follow-up slide
                html.Td(r.created_by, **{"data-label": cols[3]}),
                html.Td(_actions(r.agenda_id, tx, send=r.title if director else None), **{"data-label": cols[4]}),
            ],
            **{"data-agenda": int(r.agenda_id)},
        )
        for r in rows.itertuples()
    ]
    return (
        html.Div(
            html.Table(
                [html.Thead(html.Tr([html.Th(c, scope="col") for c in cols])), html.Tbody(body)],
                className="table table-sm sy-table sy-stack",
                id="meeting-table",
            ),
            className="table-responsive",
        ),
        opts,
        value,
    )


def _fail(e: meeting.EntryError, lang: str, id_: str):
    if isinstance(e, meeting.Forbidden):
        flask.abort(403)
    return dbc.Alert(e.text(lang), color="danger", id=id_)


@callback(
    Output("meeting-create-msg", "children"),
    Output("meeting-tick", "data"),
    Output("meeting-edit", "value", allow_duplicate=True),
    Input("meeting-create", "n_clicks"),
    State("meeting-new-title", "value"),
    State("meeting-new-date", "value"),
    State("meeting-tick", "data"),
    prevent_initial_call=True,
)
def _create(_n, title, when, tick):
    lang = current_lang()
    tx = TEXT[lang]
    from inputs.parsing import parse_date

    try:
        day = parse_date(when)
    except ValueError:
        day = None
    if day is None:
        return dbc.Alert(tx["bad_date"], color="danger", id="meeting-create-error"), no_update, no_update
    try:
        agenda_id = meeting.create_agenda(ops.engine(), auth.actor(), title, day)
    except meeting.EntryError as e:
        return _fail(e, lang, "meeting-create-error"), no_update, no_update
    return (dbc.Alert(tx["created"], color="success", id="meeting-create-ok"), (tick or 0) + 1, str(agenda_id))


@callback(
    Output("meeting-path", "value"),
    Output("meeting-item-title", "value"),
    Input("meeting-view-page", "value"),
    prevent_initial_call=True,
)
def _pick(path):
    lang = current_lang()
    label = next((p["label"] for p in _pages(lang) if p["value"] == path), "")
    return path or "", label


DISTRICTS = "slide:districts"  # the "show" choice of a KPI's district comparison slide


@callback(Output("meeting-chart", "options"), Output("meeting-chart", "value"), Input("meeting-path", "value"))
def _charts(path):
    tx = TEXT[current_lang()]
    try:
        clean = meeting.clean_path(path)
    except meeting.EntryError:
        clean = None
    found = charts_of(clean) if clean else []
    got = present.slide_kind(clean) if clean else None
    slides = [{"label": tx["districts"], "value": DISTRICTS}] if got and got[0] == "kpi" else []
    return [{"label": tx["whole"], "value": ""}] + slides + [
        {"label": f"{label} ({gid})", "value": gid} for gid, label in found
    ], ""


@callback(Output("meeting-items", "children"), Input("meeting-edit", "value"), Input("meeting-tick", "data"))
def _items(agenda_id, _tick):
    lang = current_lang()
    tx = TEXT[lang]
    if not agenda_id:
        return None
    rows = meeting.items(ops.engine(), int(agenda_id))
    if not rows:
        return html.P(tx["no_items"], className="sy-meta", id="meeting-no-items")
    lis = []
    for n, r in enumerate(rows, start=1):
        key = {"index": r["item_id"]}
        lis.append(
            html.Li(
                [
                    html.Span(f"{n}. ", className="fw-bold"),
                    html.Span(r["title"]),
                    " ",
                    html.Code(r["path"], className="small"),
                    html.Span(
                        [
                            html.Button(
                                "↑",
                                id={"type": "meeting-up", **key},
                                className="btn btn-sm btn-outline-secondary",
                                title=tx["up"],
                                **{"aria-label": f"{tx['up']}: {r['title']}"},
                            ),
                            html.Button(
                                "↓",
                                id={"type": "meeting-down", **key},
                                className="btn btn-sm btn-outline-secondary",
                                title=tx["down"],
                                **{"aria-label": f"{tx['down']}: {r['title']}"},
                            ),
                            html.Button(
                                "×",
                                id={"type": "meeting-remove", **key},
                                className="btn btn-sm btn-outline-danger",
                                title=tx["remove"],
                                **{"aria-label": f"{tx['remove']}: {r['title']}"},
                            ),
                        ],
                        className="ms-2 d-inline-flex gap-1",
                    ),
                ],
                className="mb-1",
                **{"data-item": r["item_id"]},
            )
        )
    return html.Ol(lis, className="list-unstyled", id="meeting-item-list")


@callback(
    Output("meeting-item-msg", "children"),
    Output("meeting-tick", "data", allow_duplicate=True),
    Input("meeting-add", "n_clicks"),
    Input({"type": "meeting-up", "index": ALL}, "n_clicks"),
    Input({"type": "meeting-down", "index": ALL}, "n_clicks"),
    Input({"type": "meeting-remove", "index": ALL}, "n_clicks"),
    State("meeting-edit", "value"),
    State("meeting-path", "value"),
    State("meeting-item-title", "value"),
    State("meeting-chart", "value"),
    State("meeting-tick", "data"),
    prevent_initial_call=True,
)
def _change(_add, ups, downs, removes, agenda_id, path, title, chart, tick):
    lang = current_lang()
    trig = ctx.triggered_id
    eng = ops.engine()
    try:
        if trig == "meeting-add":
            if not agenda_id:
                return no_update, no_update
            if chart == DISTRICTS and path:  # a KPI's districts compared, a slide of its own (pages/slide.py)
                path = f"{path}{'&' if '?' in path else '?'}slide=districts"
            elif chart and path:  # one chart of the page, alone on the slide
                path = f"{path}{'&' if '?' in path else '?'}chart={chart}"
            meeting.add_item(eng, auth.actor(), int(agenda_id), path, title)
        elif isinstance(trig, dict):
            if not any((ups or []) + (downs or []) + (removes or [])):
                return no_update, no_update
            item = int(trig["index"])
            if trig["type"] == "meeting-remove":
                meeting.remove_item(eng, auth.actor(), item)
            else:
                meeting.move_item(eng, auth.actor(), item, -1 if trig["type"] == "meeting-up" else 1)
        else:
            return no_update, no_update
    except meeting.EntryError as e:
        return _fail(e, lang, "meeting-item-error"), no_update
    return None, (tick or 0) + 1


@callback(
    Output("meeting-send-msg", "children"),
    Input({"type": "meeting-send", "index": ALL}, "n_clicks"),
    prevent_initial_call=True,
)
def _send(clicks):
    """Send the briefing book of the agenda clicked (issue 26): who may is checked by
    ops/meeting.send_briefing, never here; the result is said in words, a unit with no one to send
    to included."""
    trig = ctx.triggered_id
    if not isinstance(trig, dict) or not any(c for c in clicks or []):
        return no_update
    lang = current_lang()
    tx = TEXT[lang]
    eng = ops.engine()
    try:
        from etl import notify as etl_notify

        directory = etl_notify.directory()  # names and classifications: what each person may read
    except Exception:  # noqa: BLE001  (no snapshot: other units' directives are only counted)
        directory = None
    try:
        got = meeting.send_briefing(eng, auth.actor(), int(trig["index"]), directory)
    except meeting.Forbidden as e:
        return dbc.Alert(e.text(lang), color="danger", id="meeting-send-error")
    except meeting.EntryError as e:
        return dbc.Alert(e.text(lang), color="warning", id="meeting-send-error")
    title = (meeting.agenda(eng, int(trig["index"])) or {}).get("title", "")
    if got["queued"]:
        head = tx["sent"].format(title=title, n=got["queued"])
        kind, color = "meeting-send-ok", "success"
    else:
        head = tx["already"].format(n=got["already"])
        kind, color = "meeting-send-already", "info"
    units: dict[str, list[str]] = {}
    for unit, name in got["sent_to"]:
        units.setdefault(unit, []).append(name)
    said = [html.P(head, className="mb-1")]
    said += [
        html.Li(tx["to_unit"].format(unit=u, n=len(names), names=", ".join(names)), className="sy-send-to")
        for u, names in units.items()
    ]
    said += [
        html.Li(tx["nobody"].format(unit=u, why=tx[why]), className="sy-send-nobody fw-bold")
        for u, why in got["nobody"].items()
    ]
    if not got["mail"]:
        said.append(html.P(tx["no_mail"], className="sy-meta mb-0 mt-1"))
    elif got["queued"]:
        from etl import notify as etl_notify

        etl_notify.deliver_soon(eng)  # the page does not wait for the mail server
    return dbc.Alert(said, color=color, id=kind)
