"""Warnings as events (IT5, issue 19): each change of a KPI's state between two snapshots (turned
red, recovered, late, projected to miss, a leading KPI warning), recorded once in the ops store.
The build finds them (etl/sql/events/changes.sql, comparing the snapshot it is about to swap in
with the one being served) and records them after the swap; an event's key makes recording it
again a no-op, so a rebuild of the same data says nothing new. Delivery (an outbox, e-mail, a
webhook, each user's inbox) reads these rows."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import sqlalchemy as sa

import ops

KINDS = ("turned_red", "recovered", "late", "projected_miss", "leading_warning")


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
                )
            )
    return len(fresh)


def recent(eng: sa.Engine, limit: int = 200) -> list[dict]:
    """The newest events first."""
    with eng.connect() as con:
        q = sa.select(ops.event_rows).order_by(ops.event_rows.c.event_id.desc()).limit(limit)
        return [dict(r) for r in con.execute(q).mappings()]


# ---------------------------------------------------------------- who hears what
# executives and viewers: the province's KPIs turning red, recovering, projected to miss or warned
# by a leading KPI; editors and verifiers: their unit's KPIs (every unit's when they have none), in
# their district (everywhere when they have none), late reports too; admins: everything.
WIDE = ("turned_red", "recovered", "projected_miss", "leading_warning")


def hears(actor, event: dict, owner_unit: str | None, province: str) -> bool:
    """Whether ``actor`` (ops.workflow.Actor) is told of ``event``, a KPI they may read."""
    if actor.role == "admin":
        return True
    if actor.role in ("executive", "viewer"):
        return event["area_code"] == province and event["kind"] in WIDE
    if actor.role in ("editor", "verifier"):
        if actor.unit and owner_unit != actor.unit:
            return False
        return not actor.area_code or event["area_code"] in (actor.area_code, province)
    return False


def for_reader(eng: sa.Engine, actor, kpis: dict[str, str | None], province: str, limit: int = 200) -> list[dict]:
    """The events ``actor`` hears, newest first: only of the KPIs in ``kpis`` (code -> owner unit),
    which are those the reader may read (the classification is db.py's)."""
    return [
        e for e in recent(eng, limit=5000) if e["kpi_code"] in kpis and hears(actor, e, kpis[e["kpi_code"]], province)
    ][:limit]


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
