"""The signed-in reader's warnings (ops/events.py): the events they hear, of the KPIs they may
read, and how many they have not seen; the navbar's bell and /inbox read them."""

from __future__ import annotations

import db
import ops
from config import settings
from ops import events
from web import auth


def for_me(limit: int = 200) -> tuple[list[dict], int]:
    """(the reader's events, newest first; how many of them are unseen). Nobody signed in, or no
    snapshot to read the KPIs from: none."""
    who = auth.actor()
    if who.role == "public" or not db.available():
        return [], 0
    kpis = db.query("events/kpis")  # only the KPIs this reader may read
    owners = dict(zip(kpis["kpi_code"], kpis["owner_unit"]))
    eng = ops.engine()
    mine = events.for_reader(eng, who, owners, settings.province, limit)
    last = events.seen(eng, who.username)
    return mine, sum(e["event_id"] > last for e in mine)


def mark_seen(mine: list[dict]) -> None:
    """The reader has now seen these."""
    if mine:
        events.mark_seen(ops.engine(), auth.actor().username, max(e["event_id"] for e in mine))
