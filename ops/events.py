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
