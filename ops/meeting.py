"""Meeting agendas and the governor's directives (ข้อสั่งการ), in the ops store; pages/meeting.py,
pages/directives.py and the presenter (web/present.py) draw them.

* An **agenda** is an ordered list of live views: a path of the app with its filters
  ("/kpi/K01?fy=2570") and a title. Presenters (every signed-in role but viewer) build and save
  them; anybody signed in may present one.
* A **directive** is attached to a KPI and a period (fiscal year, optionally a month), assigned to
  a unit with a due date. Executives and admins issue, close and reopen directives; the assigned
  unit's editors and verifiers (and executives, admins) answer. Life cycle::

      open ──answer (unit)──▶ answered ──close (executive)──▶ closed
        ▲                        │ answer again                 │ reopen (reason)
        └────────────────────────┴──────────────────────────────┘

  A directive that is not closed shows on its KPI's page, its unit's list and every later
  meeting's agenda. Every step is kept in ``directive_events`` and written to the audit log;
  changes are compare-and-set on ``version``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from urllib.parse import urlsplit

import pandas as pd
import sqlalchemy as sa

import ops
from ops.workflow import Actor, Conflict, EntryError, Forbidden, Locked

PRESENTERS = ("admin", "executive", "verifier", "editor")
DIRECTORS = ("admin", "executive")
MAX_ITEMS = 60


def _now() -> datetime:
    return datetime.now(UTC)


def may_build(actor: Actor) -> bool:
    return actor.role in PRESENTERS


def may_direct(actor: Actor) -> bool:
    return actor.role in DIRECTORS


def may_answer(actor: Actor, directive: dict) -> bool:
    return actor.role in DIRECTORS or (
        actor.role in ("editor", "verifier") and bool(actor.unit) and actor.unit == directive.get("unit")
    )


def _refuse(eng, actor: Actor, action: str, target: str, err: EntryError) -> EntryError:
    ops.record_audit(eng, action, target=target, who=actor.username, outcome="refused", after={"why": err.en})
    return err


def clean_path(path: str) -> str:
    """A view's address inside the app: a local path with its query, nothing else (no scheme,
    host or fragment: an agenda can never point a projector at another site)."""
    path = (path or "").strip()
    parts = urlsplit(path)
    if (
        parts.scheme
        or parts.netloc
        or not parts.path.startswith("/")
        or path.startswith("//")
        or "\\" in path
        or any(ord(ch) < 32 for ch in path)
    ):  # a browser reads "/\\host" as "//host"
        raise EntryError(
            "ที่อยู่ต้องเป็นหน้าในระบบ เช่น /kpi/K01?fy=2570",
            "The address must be a page of this app, e.g. /kpi/K01?fy=2570",
            "path",
        )
    return parts.path + (f"?{parts.query}" if parts.query else "")


# ---------------------------------------------------------------- agendas
def create_agenda(
    eng: sa.Engine, actor: Actor, title: str, meeting_date: date, items: list[tuple[str, str]] = ()
) -> int:
    """A new agenda with its views [(path, title)]; returns its id."""
    title = (title or "").strip()
    if not may_build(actor):
        raise _refuse(
            eng, actor, "agenda.create", title, Forbidden("ไม่มีสิทธิ์สร้างวาระการประชุม", "You may not build agendas")
        )
    if not title:
        raise EntryError("กรุณาตั้งชื่อวาระการประชุม", "Give the agenda a title", "title")
    if len(items) > MAX_ITEMS:
        raise EntryError(f"วาระหนึ่งมีได้ไม่เกิน {MAX_ITEMS} หน้า", f"An agenda holds at most {MAX_ITEMS} views")
    views = [(clean_path(path), ((item_title or "").strip() or clean_path(path))[:300]) for path, item_title in items]
    with eng.begin() as con:  # all or nothing: the agenda with every view, or nothing
        agenda_id = int(
            con.execute(
                ops.agendas.insert().values(
                    title=title, meeting_date=meeting_date, created_by=actor.username, created_at=_now()
                )
            ).inserted_primary_key[0]
        )
        for pos, (path, item_title) in enumerate(views, start=1):
            con.execute(
                ops.agenda_items.insert().values(agenda_id=agenda_id, position=pos, path=path, title=item_title)
            )
    ops.record_audit(
        eng,
        "agenda.create",
        target=f"agenda {agenda_id}",
        who=actor.username,
        after={"title": title, "meeting_date": meeting_date.isoformat(), "views": [p for p, _ in views]},
    )
    return agenda_id


def agendas(eng: sa.Engine) -> pd.DataFrame:
    a, i = ops.agendas.c, ops.agenda_items.c
    q = (
        sa.select(a.agenda_id, a.title, a.meeting_date, a.created_by, sa.func.count(i.item_id).label("items"))
        .select_from(ops.agendas.outerjoin(ops.agenda_items, a.agenda_id == i.agenda_id))
        .group_by(a.agenda_id, a.title, a.meeting_date, a.created_by)
        .order_by(a.meeting_date.desc(), a.agenda_id.desc())
    )
    with eng.connect() as con:
        return pd.DataFrame(
            con.execute(q).mappings().all(), columns=["agenda_id", "title", "meeting_date", "created_by", "items"]
        )


def agenda(eng: sa.Engine, agenda_id: int) -> dict | None:
    if not 0 < agenda_id < 2**31:  # no such row; a huge number from an address would not bind
        return None
    with eng.connect() as con:
        row = con.execute(sa.select(ops.agendas).where(ops.agendas.c.agenda_id == agenda_id)).mappings().first()
    return dict(row) if row else None


def items(eng: sa.Engine, agenda_id: int) -> list[dict]:
    i = ops.agenda_items.c
    with eng.connect() as con:
        return [
            dict(r)
            for r in con.execute(
                sa.select(ops.agenda_items).where(i.agenda_id == agenda_id).order_by(i.position, i.item_id)
            ).mappings()
        ]


def add_item(eng: sa.Engine, actor: Actor, agenda_id: int, path: str, title: str) -> int:
    target = f"agenda {agenda_id}"
    if not may_build(actor):
        raise _refuse(
            eng, actor, "agenda.item", target, Forbidden("ไม่มีสิทธิ์แก้ไขวาระการประชุม", "You may not change agendas")
        )
    path = clean_path(path)
    title = (title or "").strip() or path
    if agenda(eng, agenda_id) is None:
        raise EntryError("ไม่พบวาระการประชุมนี้", "No such agenda")
    i = ops.agenda_items.c
    with eng.begin() as con:
        n, top = con.execute(sa.select(sa.func.count(), sa.func.max(i.position)).where(i.agenda_id == agenda_id)).one()
        if n >= MAX_ITEMS:
            raise EntryError(f"วาระหนึ่งมีได้ไม่เกิน {MAX_ITEMS} หน้า", f"An agenda holds at most {MAX_ITEMS} views")
        item_id = int(
            con.execute(
                ops.agenda_items.insert().values(
                    agenda_id=agenda_id, position=(top or 0) + 1, path=path, title=title[:300]
                )
            ).inserted_primary_key[0]
        )
    ops.record_audit(eng, "agenda.item.add", target=target, who=actor.username, after={"path": path, "title": title})
    return item_id


def move_item(eng: sa.Engine, actor: Actor, item_id: int, step: int) -> None:
    """Move a view one place up (-1) or down (+1)."""
    if not may_build(actor):
        raise _refuse(
            eng,
            actor,
            "agenda.item.move",
            f"item {item_id}",
            Forbidden("ไม่มีสิทธิ์แก้ไขวาระการประชุม", "You may not change agendas"),
        )
    i = ops.agenda_items.c
    with eng.begin() as con:
        me = con.execute(sa.select(ops.agenda_items).where(i.item_id == item_id)).mappings().first()
        if me is None:
            return
        rows = (
            con.execute(sa.select(i.item_id).where(i.agenda_id == me["agenda_id"]).order_by(i.position, i.item_id))
            .scalars()
            .all()
        )
        k = rows.index(item_id)
        j = k + (1 if step > 0 else -1)
        if not 0 <= j < len(rows):
            return
        rows[k], rows[j] = rows[j], rows[k]
        for pos, rid in enumerate(rows, start=1):
            con.execute(ops.agenda_items.update().where(i.item_id == rid).values(position=pos))
    ops.record_audit(
        eng,
        "agenda.item.move",
        target=f"agenda {me['agenda_id']}",
        who=actor.username,
        after={"item": item_id, "step": step},
    )


def remove_item(eng: sa.Engine, actor: Actor, item_id: int) -> None:
    if not may_build(actor):
        raise _refuse(
            eng,
            actor,
            "agenda.item.remove",
            f"item {item_id}",
            Forbidden("ไม่มีสิทธิ์แก้ไขวาระการประชุม", "You may not change agendas"),
        )
    i = ops.agenda_items.c
    with eng.begin() as con:
        me = con.execute(sa.select(ops.agenda_items).where(i.item_id == item_id)).mappings().first()
        if me is None:
            return
        con.execute(ops.agenda_items.delete().where(i.item_id == item_id))
    ops.record_audit(
        eng,
        "agenda.item.remove",
        target=f"agenda {me['agenda_id']}",
        who=actor.username,
        before={"path": me["path"], "title": me["title"]},
    )


# ---------------------------------------------------------------- directives
def _event(con, directive_id: int, action: str, text: str | None, who: str) -> None:
    con.execute(
        ops.directive_events.insert().values(directive_id=directive_id, action=action, text=text, who=who, at=_now())
    )


def issue(
    eng: sa.Engine,
    actor: Actor,
    kpi_code: str,
    fiscal_year: int,
    month: int | None,
    text: str,
    unit: str,
    due_date: date,
    agenda_id: int | None = None,
) -> int:
    """A new directive; returns its id."""
    target = f"{kpi_code} {fiscal_year}/{month or '-'}"
    if not may_direct(actor):
        raise _refuse(
            eng,
            actor,
            "directive.issue",
            target,
            Forbidden("เฉพาะผู้บริหารหรือผู้ดูแลระบบออกข้อสั่งการได้", "Only an executive or admin issues directives"),
        )
    text, unit = (text or "").strip(), (unit or "").strip()
    if not kpi_code:
        raise EntryError("กรุณาเลือกตัวชี้วัด", "Choose the KPI", "kpi_code")
    if not text:
        raise EntryError("กรุณาระบุข้อสั่งการ", "Write the directive", "text")
    if not unit:
        raise EntryError("กรุณาระบุหน่วยงานที่รับผิดชอบ", "Assign it to a unit", "unit")
    if due_date is None:
        raise EntryError("กรุณาระบุวันที่ต้องรายงานผล", "Give the due date", "due_date")
    if month is not None and not 1 <= int(month) <= 12:
        raise EntryError("เดือนไม่ถูกต้อง", "Not a month", "month")
    with eng.begin() as con:
        did = int(
            con.execute(
                ops.directives.insert().values(
                    kpi_code=kpi_code,
                    fiscal_year=int(fiscal_year),
                    month=None if month is None else int(month),
                    text=text,
                    unit=unit,
                    due_date=due_date,
                    status="open",
                    agenda_id=agenda_id,
                    version=1,
                    created_by=actor.username,
                    created_at=_now(),
                )
            ).inserted_primary_key[0]
        )
        _event(con, did, "issued", text, actor.username)
    ops.record_audit(
        eng,
        "directive.issue",
        target=f"directive {did} {target}",
        who=actor.username,
        after={"text": text, "unit": unit, "due_date": due_date.isoformat(), "agenda": agenda_id},
    )
    return did


def get_directive(eng: sa.Engine, directive_id: int) -> dict | None:
    with eng.connect() as con:
        row = (
            con.execute(sa.select(ops.directives).where(ops.directives.c.directive_id == directive_id))
            .mappings()
            .first()
        )
    return dict(row) if row else None


def _change(
    eng,
    actor: Actor,
    directive_id: int,
    version: int,
    action: str,
    allowed,
    states: tuple[str, ...],
    new_status: str,
    text: str | None,
    needs_text: tuple[str, str],
    **values,
) -> dict:
    """``allowed(directive)`` is who may act; ``states`` the states the action applies to."""
    d = get_directive(eng, directive_id)
    target = f"directive {directive_id}"
    if d is None or not allowed(d):
        raise _refuse(
            eng,
            actor,
            f"directive.{action}",
            target,
            Forbidden("ไม่มีสิทธิ์ดำเนินการกับข้อสั่งการนี้", "You may not do this to this directive"),
        )
    if d["status"] not in states:  # changed by someone else meanwhile: not a refusal
        raise Locked(
            f"ข้อสั่งการนี้อยู่ในสถานะ {d['status']} แล้ว โหลดใหม่เพื่อดูสถานะล่าสุด",
            f"This directive is {d['status']} now; reload to see it",
        )
    text = (text or "").strip()
    if not text:
        raise EntryError(*needs_text, "text")
    c = ops.directives.c
    with eng.begin() as con:
        n = con.execute(
            ops.directives.update()
            .where(c.directive_id == directive_id, c.version == version)
            .values(status=new_status, version=version + 1, **values)
        ).rowcount
        if n != 1:
            raise Conflict(
                "มีผู้อื่นแก้ไขข้อสั่งการนี้ก่อนแล้ว โหลดใหม่เพื่อดูสถานะล่าสุด",
                "Someone changed this directive in the meantime; reload to see it",
            )
        _event(con, directive_id, action, text, actor.username)
    ops.record_audit(
        eng,
        f"directive.{action}",
        target=target,
        who=actor.username,
        before={"status": d["status"]},
        after={"status": new_status, "text": text},
    )
    return get_directive(eng, directive_id)


def answer(eng: sa.Engine, actor: Actor, directive_id: int, version: int, text: str) -> dict:
    """The unit reports what it did; the directive stays on the agenda until closed."""
    return _change(
        eng,
        actor,
        directive_id,
        version,
        "answered",
        lambda d: may_answer(actor, d),
        ("open", "answered"),
        "answered",
        text,
        ("กรุณาระบุผลการดำเนินการ", "Write what was done"),
        answer=(text or "").strip(),
    )


def close(eng: sa.Engine, actor: Actor, directive_id: int, version: int, text: str | None = None) -> dict:
    """An executive closes a directive with its answer (the unit's, or one given now)."""
    d = get_directive(eng, directive_id) or {}
    text = (text or "").strip() or d.get("answer") or ""

    return _change(
        eng,
        actor,
        directive_id,
        version,
        "closed",
        lambda d: may_direct(actor),
        ("open", "answered"),
        "closed",
        text,
        ("ปิดได้เมื่อมีคำตอบ กรุณาระบุผลการดำเนินการ", "A directive closes with an answer: write it"),
        answer=text,
        closed_by=actor.username,
        closed_at=_now(),
    )


def reopen(eng: sa.Engine, actor: Actor, directive_id: int, version: int, reason: str) -> dict:
    return _change(
        eng,
        actor,
        directive_id,
        version,
        "reopened",
        lambda d: may_direct(actor),
        ("closed",),
        "open",
        reason,
        ("กรุณาระบุเหตุผลที่เปิดใหม่", "Give the reason for reopening"),
        closed_by=None,
        closed_at=None,
    )


DIRECTIVE_COLUMNS = [c.name for c in ops.directives.columns]


def directives(
    eng: sa.Engine, *, kpi_code: str | None = None, unit: str | None = None, open_only: bool = False
) -> pd.DataFrame:
    """Directives, the earliest due first; ``open_only`` keeps those not closed (open and answered)."""
    c = ops.directives.c
    q = sa.select(ops.directives).order_by(c.due_date, c.directive_id)
    if kpi_code:
        q = q.where(c.kpi_code == kpi_code)
    if unit:
        q = q.where(c.unit == unit)
    if open_only:
        q = q.where(c.status != "closed")
    with eng.connect() as con:
        return pd.DataFrame(con.execute(q).mappings().all(), columns=DIRECTIVE_COLUMNS)


def history(eng: sa.Engine, directive_id: int) -> list[dict]:
    e = ops.directive_events.c
    with eng.connect() as con:
        return [
            dict(r)
            for r in con.execute(
                sa.select(ops.directive_events).where(e.directive_id == directive_id).order_by(e.event_id)
            ).mappings()
        ]


# ---------------------------------------------------------------- the automatic "red first" agenda
RED_FIRST = "red"  # the agenda key of the automatic agenda
FOLLOW_UP_PATH = "/meeting/directives?open=1"


def red_first_views(kpis: pd.DataFrame, fy: int, lang: str) -> list[dict]:
    """The cockpit overview, then every red KPI (most important tier first, then lowest score);
    web/present.py ends every agenda with ``follow_up_view``. ``kpis`` is queries/cockpit/kpi_status.sql."""
    th = lang == "th"
    red = kpis[kpis["status"] == "red"].sort_values(["importance_tier", "score", "kpi_code"], na_position="last")
    name = "name_th" if th else "name_en"
    views = [{"path": f"/?fy={fy}", "title": "ภาพรวมตัวชี้วัด" if th else "KPI overview"}]
    views += [
        {"path": f"/kpi/{r.kpi_code}?fy={fy}", "title": f"{'สีแดง' if th else 'Red'}: {r.kpi_code} {getattr(r, name)}"}
        for r in red.itertuples()
    ]
    return views


def follow_up_view(lang: str) -> dict:
    """The last view of every agenda: the directives not yet closed."""
    return {"path": FOLLOW_UP_PATH, "title": "ติดตามข้อสั่งการที่ยังไม่ปิด" if lang == "th" else "Open directives"}


# ---------------------------------------------------------------- since the last meeting (the overview, issue 19 item 5)
SINCE_KINDS = ("turned_red", "recovered")


def since_last_meeting(eng: sa.Engine, today: date, kpis, area: str) -> dict:
    """What has changed since the last meeting, for the overview: the meeting is the latest agenda
    whose ``meeting_date`` is on or before ``today`` (None when there is none: then the count
    starts on the first day of today's fiscal year, 1 October). From that day on (in Thailand's
    time): the KPIs of ``kpis`` (the codes the reader may read) that turned red or recovered at
    ``area`` (the province), each KPI once, by its latest such event, newest first; and the
    directives issued on those KPIs, newest first.

    Returns ``{"meeting": {agenda_id, title, meeting_date} | None, "since": date, "red": [event],
    "recovered": [event], "directives": [directive]}`` (events and directives as plain dicts)."""
    from datetime import time

    from components import thai

    readable = set(kpis)
    a = ops.agendas.c
    with eng.connect() as con:
        row = (
            con.execute(
                sa.select(a.agenda_id, a.title, a.meeting_date)
                .where(a.meeting_date <= today)
                .order_by(a.meeting_date.desc(), a.agenda_id.desc())
                .limit(1)
            )
            .mappings()
            .first()
        )
        meeting = dict(row) if row else None
        since = meeting["meeting_date"] if meeting else thai.fiscal_year_bounds(thai.fiscal_year(today))[0]
        start = datetime.combine(since, time.min, tzinfo=thai.THAI_TZ).astimezone(UTC)  # the day, in Thailand
        e = ops.event_rows.c
        events = con.execute(
            sa.select(
                e.event_id,
                e.kind,
                e.kpi_code,
                e.area_code,
                e.fiscal_year,
                e.month,
                e.old_status,
                e.status,
                e.created_at,
            )
            .where(e.kind.in_(SINCE_KINDS), e.area_code == area, e.created_at >= start)
            .order_by(e.event_id)
        ).mappings()
        latest: dict[str, dict] = {}
        for ev in events:
            if ev["kpi_code"] in readable:
                latest[ev["kpi_code"]] = dict(ev)  # a later event of the KPI replaces an earlier one
        d = ops.directives.c
        given = [
            dict(r)
            for r in con.execute(
                sa.select(ops.directives).where(d.created_at >= start).order_by(d.directive_id.desc())
            ).mappings()
            if r["kpi_code"] in readable
        ]
    newest = sorted(latest.values(), key=lambda ev: (ev["created_at"], ev["event_id"]), reverse=True)
    return {
        "meeting": meeting,
        "since": since,
        "red": [ev for ev in newest if ev["kind"] == "turned_red"],
        "recovered": [ev for ev in newest if ev["kind"] == "recovered"],
        "directives": given,
    }


# ---------------------------------------------------------------- after the meeting: the briefing book (issue 26)
# The minutes go to the units the meeting's directives are assigned to, through the outbox
# (ops/notify.py). A directive's ``unit`` is matched, exactly, with ``users.unit``: a unit's
# recipients are its active editors and verifiers (the people who answer its directives, see
# ``may_answer``) who have an e-mail address and have not muted e-mail (follows "*" = mute). No
# other mapping exists in the store (no address per unit). A unit with nobody to send to is
# reported, with why (no account of the unit, none with an address, all muted): nothing is
# dropped without saying so. The outbox sends plain text only, so the message carries the minutes
# in words and links the PDF (/export/minutes/<id>.pdf, which asks for a sign-in and shows only
# the KPIs the reader's role may read); nothing is attached.
RECEIVERS = ("editor", "verifier")


def _period(fiscal_year: int, month, lang: str) -> str:
    from components import thai

    text = thai.format_fiscal_year(int(fiscal_year), lang)
    if month is not None and month == month:  # NaN from a frame
        text += f" · {thai.month_name(int(month), lang)}"
    return text


def briefing_plan(eng: sa.Engine, agenda_id: int) -> dict:
    """What the briefing book of ``agenda_id`` holds and to whom it goes, before anything is sent:
    ``{"agenda", "views", "issued" (its directives, as dicts), "version" (of these minutes),
    "units": {unit: {"to": [person], "no_email": [username], "muted": [username]}}}``; the units in
    the order of their first directive. ``version`` is a hash of what the meeting decided (title,
    date, views, each directive's KPI, period, text, unit and due date): the same minutes give the
    same version, so sending again queues nothing new; a changed minute is a new version."""
    import hashlib
    import json

    from ops import notify

    a = agenda(eng, agenda_id)
    if a is None:
        raise EntryError("ไม่พบวาระการประชุมนี้", "No such agenda")
    views = items(eng, agenda_id)
    c = ops.directives.c
    with eng.connect() as con:
        issued = [
            dict(r)
            for r in con.execute(
                sa.select(ops.directives).where(c.agenda_id == agenda_id).order_by(c.due_date, c.directive_id)
            ).mappings()
        ]
    decided = {
        "agenda": [a["agenda_id"], a["title"], a["meeting_date"].isoformat()],
        "views": [[v["path"], v["title"]] for v in views],
        "directives": [
            [d["directive_id"], d["kpi_code"], d["fiscal_year"], d["month"], d["text"], d["unit"], str(d["due_date"])]
            for d in issued
        ],
    }
    version = hashlib.sha256(json.dumps(decided, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]
    everyone = notify.people(eng)
    muted = {name for name, mine in notify.standing_choices(eng).items() if mine.get("*") == "mute"}
    units: dict[str, dict] = {}
    for d in issued:
        if d["unit"] in units:
            continue
        members = [p for p in everyone if p["role"] in RECEIVERS and p["unit"] == d["unit"]]
        units[d["unit"]] = {
            "to": [p for p in members if p["email"] and p["username"] not in muted],
            "no_email": [p["username"] for p in members if not p["email"]],
            "muted": [p["username"] for p in members if p["email"] and p["username"] in muted],
        }
    return {"agenda": a, "views": views, "issued": issued, "version": version, "units": units}


def compose_briefing(plan: dict, unit: str, person: dict, lang: str, directory=None) -> tuple[str, str]:
    """(subject, body) of the briefing book for ``person`` of ``unit``: the meeting, the unit's own
    directives first and marked ★ (each with its KPI, period, unit and due date), the views shown,
    the other units' directives of the meeting (those on a KPI the person's role may not read are only
    counted; without ``directory``, a notify.Directory, other units' directives are only counted),
    and the link to the minutes' PDF with the unit's rows marked."""
    from urllib.parse import quote

    from components import thai
    from config import settings
    from ops import notify

    en = lang == "en"
    base = settings.public_url
    a = plan["agenda"]
    kpis = directory.kpis if directory is not None else {}

    def kpi_name(code: str) -> str:
        row = kpis.get(code)
        if not row or not notify.may_read(person["role"], row.get("classification")):
            return code
        name = (row.get("name_en") if en else row.get("name_th")) or row.get("name_th") or ""
        return f"{code} {name}".strip()

    def about(d: dict, mark: str) -> list[str]:
        return [
            f"  {mark} {kpi_name(d['kpi_code'])} · {_period(d['fiscal_year'], d['month'], lang)}",
            f"      {d['text']}",
            f"      {'Unit' if en else 'หน่วยงาน'}: {d['unit']} · "
            f"{'Due' if en else 'กำหนดรายงานผล'}: {thai.format_date_th(d['due_date'], lang)}",
        ]

    mine = [d for d in plan["issued"] if d["unit"] == unit]
    when = thai.format_date_th(a["meeting_date"], lang)
    head = "Briefing book" if en else "สมุดสรุปการประชุม"
    lines = [f"{head}: {a['title']}", f"{'Meeting date' if en else 'วันที่ประชุม'} {when}", ""]
    lines.append(
        f"★ {'Directives to' if en else 'ข้อสั่งการถึง'} {unit}: {len(mine)}"
        + (" (yours to answer)" if en else " (หน่วยงานของท่านต้องดำเนินการและรายงานผล)")
    )
    for d in mine:
        lines += about(d, "★")
    lines += ["", f"{'Views shown' if en else 'เรื่องที่พิจารณา'}: {len(plan['views'])}"]
    lines += [f"  {n}. {v['title']} ({base}{v['path']})" for n, v in enumerate(plan["views"], start=1)]
    others = [d for d in plan["issued"] if d["unit"] != unit]
    lines += ["", f"{'Directives to other units' if en else 'ข้อสั่งการถึงหน่วยงานอื่นในการประชุมครั้งนี้'}: {len(others)}"]
    hidden = 0
    for d in others:
        row = kpis.get(d["kpi_code"])
        if row is None or not notify.may_read(person["role"], row.get("classification")):
            hidden += 1
            continue
        lines += about(d, "-")
    if hidden:
        lines.append(f"  … {hidden} {'more, on KPIs not shown here' if en else 'เรื่อง ของตัวชี้วัดที่ไม่แสดงในข้อความนี้'}")
    pdf = f"{base}/export/minutes/{a['agenda_id']}.pdf?unit={quote(unit)}"
    lines += [
        "",
        f"{'The minutes (PDF, sign in first)' if en else 'รายงานการประชุมฉบับเต็ม (PDF เข้าสู่ระบบก่อน)'}: {pdf}",
        f"{'Answer the directives at' if en else 'รายงานผลการดำเนินการได้ที่'} {base}/directives",
        "",
        "-- ",
        f"{'Sent by Sanyan' if en else 'ส่งโดยระบบสัญญาณ Sanyan'} · {'minutes version' if en else 'ฉบับ'} {plan['version']}",
    ]
    subject = f"[{'Sanyan' if en else 'สัญญาณ'}] {head}: {a['title']} ({when}) · " + (
        f"{len(mine)} directive(s) to {unit}" if en else f"ข้อสั่งการถึง{unit} {len(mine)} เรื่อง"
    )
    return subject, "\n".join(lines)


def briefing_key(agenda_id: int, version: str, username: str) -> str:
    return f"briefing:{agenda_id}:{version}:{username}"


def send_briefing(
    eng: sa.Engine,
    actor: Actor,
    agenda_id: int,
    directory=None,
    today: date | None = None,
    now: datetime | None = None,
) -> dict:
    """Put the briefing book of a held meeting in the outbox: one e-mail per recipient of each
    unit its directives are assigned to (``briefing_plan``), each once per version of the minutes
    (the outbox's ``dedupe_key``: agenda × version × person). Only those who may direct send it;
    a refusal is audited, and so is every sending. Returns ``{"version", "queued" (new now),
    "already" (of this version, queued before), "sent_to": [(unit, username)], "nobody": {unit:
    why}, "mail" (a mail server is set)}``; ``why`` is "no_account", "no_email" or "muted"."""
    from config import settings
    from ops import notify

    target = f"agenda {agenda_id}"
    if not may_direct(actor):
        raise _refuse(
            eng,
            actor,
            "briefing.send",
            target,
            Forbidden(
                "เฉพาะผู้บริหารหรือผู้ดูแลระบบส่งสมุดสรุปการประชุมได้",
                "Only an executive or admin sends the briefing book",
            ),
        )
    plan = briefing_plan(eng, agenda_id)
    today = today or settings.today()
    held = plan["agenda"]["meeting_date"]
    if held > today:
        from components import thai

        raise EntryError(
            f"ยังไม่ถึงวันประชุม ({thai.format_date_th(held, 'th')}) ส่งสมุดสรุปได้หลังประชุม",
            f"The meeting is not held yet ({thai.format_date_th(held, 'en')}): send the briefing book after it",
        )
    if not plan["issued"]:
        raise EntryError(
            "การประชุมนี้ไม่มีข้อสั่งการ จึงไม่มีหน่วยงานให้ส่ง",
            "No directive was given in this meeting: there is no unit to send to",
        )
    now = now or datetime.now(UTC)
    rows, sent_to, nobody = [], [], {}
    for unit, who in plan["units"].items():
        if not who["to"]:
            nobody[unit] = "muted" if who["muted"] else "no_email" if who["no_email"] else "no_account"
        for p in who["to"]:
            subject, body = compose_briefing(plan, unit, p, notify.person_lang(p), directory)
            key = briefing_key(agenda_id, plan["version"], p["username"])
            rows.append(notify.outbox_row(key, "email", p["email"], subject, body, now, username=p["username"]))
            sent_to.append((unit, p["username"]))
    o = ops.outbox.c
    with eng.begin() as con:
        queued = notify.insert_new(con, rows)
        already = (
            con.execute(
                sa.select(sa.func.count()).where(o.dedupe_key.like(f"briefing:{agenda_id}:{plan['version']}:%"))
            ).scalar_one()
            - queued
        )
    ops.record_audit(
        eng,
        "briefing.send",
        target=target,
        who=actor.username,
        after={
            "version": plan["version"],
            "queued": queued,
            "already": already,
            "to": [f"{u}: {n}" for u, n in sent_to],
            "nobody": nobody,
        },
    )
    return {
        "version": plan["version"],
        "queued": queued,
        "already": already,
        "sent_to": sent_to,
        "nobody": nobody,
        "mail": bool(settings.smtp),
    }
