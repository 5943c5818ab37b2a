"""Warnings as events (IT5, issue 19): each change of a KPI's state between two snapshots (turned
red, recovered, late, projected to miss, a leading KPI warning), recorded once in the ops store.
The build finds them (etl/sql/events/changes.sql, comparing the snapshot it is about to swap in
with the one being served) and records them after the swap; an event's key makes recording it
again a no-op, so a rebuild of the same data says nothing new. Delivery (an outbox, e-mail, a
webhook, each user's inbox: ops/notify.py) reads these rows. Directives past their due date are found in
the store itself (``overdue_directives``), by each build and each ``python -m etl notify``."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd
import sqlalchemy as sa

import ops

KINDS = ("turned_red", "recovered", "late", "projected_miss", "leading_warning", "flagged", "directive_overdue")


def record(eng: sa.Engine, changes: pd.DataFrame, snapshot: str) -> int:
    """Store the changes not stored before (by ``event_key``); how many are new."""
    if changes.empty:
        return 0
    e = ops.event_rows.c
    keys = list(changes["event_key"])
    with eng.begin() as con:
        seen = set(con.execute(sa.select(e.event_key).where(e.event_key.in_(keys))).scalars())
        fresh = [r for r in changes.to_dict("records") if r["event_key"] not in seen]
        now = datetime.now(UTC)
        for r in fresh:
            con.execute(
                ops.event_rows.insert().values(
                    event_key=r["event_key"],
                    kind=r["kind"],
                    kpi_code=r["kpi_code"],
                    area_code=r["area_code"],
                    fiscal_year=int(r["fiscal_year"]),
                    month=int(r["month"]),
                    old_status=None if pd.isna(r["old_status"]) else r["old_status"],
                    status=r["status"],
                    snapshot=snapshot,
                    created_at=now,
                    ref=r.get("ref"),
                    unit=r.get("unit"),
                )
            )
    return len(fresh)


def recent(eng: sa.Engine, limit: int = 200) -> list[dict]:
    """The newest events first."""
    with eng.connect() as con:
        q = sa.select(ops.event_rows).order_by(ops.event_rows.c.event_id.desc()).limit(limit)
        return [dict(r) for r in con.execute(q).mappings()]


def overdue_directives(eng: sa.Engine, today: date, province: str, snapshot: str = "-") -> int:
    """Record, once, each directive that is past its due date and not closed (the rule of
    components/directives.is_overdue): an event of the directive's KPI, for the unit it is assigned
    to. A new due date is a new deadline, so its key holds the date. How many are new."""
    from components.directives import is_overdue

    d = ops.directives.c
    with eng.connect() as con:
        rows = [dict(r) for r in con.execute(sa.select(ops.directives).where(d.status != "closed")).mappings()]
    late = [r for r in rows if is_overdue(r, today)]
    if not late:
        return 0
    changes = pd.DataFrame(
        [
            {
                "event_key": f"directive_overdue:{r['directive_id']}:{r['due_date'].isoformat()}",
                "kind": "directive_overdue",
                "kpi_code": r["kpi_code"],
                "area_code": province,
                "fiscal_year": r["fiscal_year"],
                "month": r["month"] or 0,
                "old_status": r["status"],
                "status": "overdue",
                "ref": f"directive:{r['directive_id']}",
                "unit": r["unit"],
            }
            for r in late
        ]
    )
    return record(eng, changes, snapshot)


# ---------------------------------------------------------------- who hears what
# executives and viewers: the province's KPIs turning red, recovering, projected to miss or warned
# by a leading KPI, and overdue directives; editors and verifiers: their unit's KPIs (every unit's
# when they have none), in their district (everywhere when they have none), late reports and
# flagged values too, and the directives assigned to their unit; admins: everything. A reader may
# follow a KPI (hear every change of it, wherever) or mute it (hear nothing of it).
WIDE = ("turned_red", "recovered", "projected_miss", "leading_warning", "directive_overdue")


def hears(actor, event: dict, owner_unit: str | None, province: str, choice: str | None = None) -> bool:
    """Whether ``actor`` (ops.workflow.Actor) is told of ``event``, a KPI they may read; ``choice``
    is the reader's own for that KPI (ops.FOLLOW_MODES, or None: the role's default)."""
    if choice == "mute":
        return False
    if choice == "follow" or actor.role == "admin":
        return True
    unit = event.get("unit") or owner_unit  # a directive: the unit it is assigned to
    if actor.role in ("executive", "viewer"):
        return event["area_code"] == province and event["kind"] in WIDE
    if actor.role in ("editor", "verifier"):
        if actor.unit and unit != actor.unit:
            return False
        return not actor.area_code or event["area_code"] in (actor.area_code, province)
    return False


def for_reader(
    eng: sa.Engine, actor, kpis: dict[str, str | None], province: str, limit: int = 200, since_id: int = 0
) -> list[dict]:
    """The events ``actor`` hears, newest first: only of the KPIs in ``kpis`` (code -> owner unit),
    which are those the reader may read (the classification is db.py's). The store is asked for
    those KPIs' events only, a page at a time, until ``limit`` are found."""
    mine = choices(eng, actor.username)
    e = ops.event_rows.c
    found: list[dict] = []
    before = None
    while len(found) < limit:
        q = sa.select(ops.event_rows).where(e.event_id > since_id).order_by(e.event_id.desc()).limit(1000)
        if len(kpis) <= 2000:
            q = q.where(e.kpi_code.in_(list(kpis)))
        if before is not None:
            q = q.where(e.event_id < before)
        with eng.connect() as con:
            page = [dict(r) for r in con.execute(q).mappings()]
        found += [
            r
            for r in page
            if r["kpi_code"] in kpis and hears(actor, r, kpis[r["kpi_code"]], province, mine.get(r["kpi_code"]))
        ]
        if len(page) < 1000:
            break
        before = page[-1]["event_id"]
    return found[:limit]


def choices(eng: sa.Engine, username: str) -> dict[str, str]:
    """The reader's own choices: KPI code ("*": every e-mail) -> follow / mute."""
    f = ops.follows.c
    with eng.connect() as con:
        return dict(con.execute(sa.select(f.kpi_code, f.mode).where(f.username == username)).all())


def choose(eng: sa.Engine, username: str, kpi_code: str, mode: str | None) -> None:
    """Follow (``"follow"``) or mute (``"mute"``) a KPI, or go back to the role's default (None)."""
    if mode is not None and mode not in ops.FOLLOW_MODES:
        raise ValueError(mode)
    f = ops.follows.c
    with eng.begin() as con:
        con.execute(ops.follows.delete().where(f.username == username, f.kpi_code == kpi_code))
        if mode:
            con.execute(
                ops.follows.insert().values(
                    username=username, kpi_code=kpi_code, mode=mode, created_at=datetime.now(UTC)
                )
            )


def seen(eng: sa.Engine, username: str) -> int:
    """The newest event the reader has seen (0: none)."""
    with eng.connect() as con:
        v = con.execute(
            sa.select(ops.inbox_marks.c.seen_event_id).where(ops.inbox_marks.c.username == username)
        ).scalar()
    return int(v or 0)


def mark_seen(eng: sa.Engine, username: str, event_id: int) -> None:
    """The reader has seen every event up to ``event_id`` (never moves back)."""
    m = ops.inbox_marks.c
    with eng.begin() as con:
        n = con.execute(
            ops.inbox_marks.update()
            .where(m.username == username, m.seen_event_id < event_id)
            .values(seen_event_id=event_id)
        ).rowcount
        if not n and con.execute(sa.select(m.username).where(m.username == username)).first() is None:
            con.execute(ops.inbox_marks.insert().values(username=username, seen_event_id=event_id))
