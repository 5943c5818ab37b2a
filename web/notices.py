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


def readable() -> set[str]:
    """The codes of the KPIs the signed-in reader may read (db.py keeps only those); none for the
    public or without a snapshot."""
    if auth.actor().role == "public" or not db.available():
        return set()
    return set(db.query("events/kpis")["kpi_code"])


def my_choice(kpi_code: str) -> str | None:
    """The reader's own choice for a KPI: "follow", "mute" or None (their role's default)."""
    who = auth.actor()
    if who.role == "public":
        return None
    return events.choices(ops.engine(), who.username).get(kpi_code)


def choose(kpi_code: str, mode: str | None) -> bool:
    """The signed-in reader follows (``"follow"``), mutes (``"mute"``) or goes back to their role's
    default (None) for a KPI: the one way /inbox and a KPI's own page do it, checked here on the
    server. The public, or a KPI the reader may not read, changes nothing: the refusal is audited
    and the answer is False."""
    who = auth.actor()
    eng = ops.engine()
    if (
        who.role == "public"
        or not isinstance(kpi_code, str)
        or kpi_code not in readable()
        or (mode is not None and mode not in ops.FOLLOW_MODES)  # a crafted request: refused, not a 500
    ):
        ops.record_audit(eng, "inbox.choose", target=str(kpi_code)[:200], who=who.username, outcome="refused")
        return False
    events.choose(eng, who.username, kpi_code, mode)
    ops.record_audit(eng, "inbox.choose", target=kpi_code, who=who.username, after={"mode": mode})
    return True
