"""The warnings' way out of the build and the command line (ops/notify.py does the work): what
the snapshot says of its KPIs and areas (the names messages carry, each KPI's classification and
owner unit, the reports late now), read once per run; after each build, the directives now
overdue and the new events put in the outbox; ``python -m etl notify`` does the same, sends what
is due (by e-mail, the webhook and LINE: ops/line.py), and queues the digest when asked; after an
approval on the web, a thread sends at once."""

from __future__ import annotations

import functools
import logging
import threading
from datetime import date
from pathlib import Path

import duckdb

import ops
from config import ROOT, settings
from ops import events, notify

log = logging.getLogger(__name__)
LATE_SQL = ROOT / "etl" / "sql" / "events" / "late.sql"


def directory(warehouse: Path | None = None, province: str | None = None) -> notify.Directory:
    """The snapshot's KPIs, areas and late reports (read-only, once)."""
    warehouse = Path(warehouse or settings.warehouse)
    province = province or settings.province
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        kpis = con.execute("SELECT kpi_code, owner_unit, classification, name_th, name_en FROM dim_kpi").df()
        areas = con.execute(
            "SELECT area_code, name_th, name_en FROM dim_area WHERE area_level IN ('province', 'district')"
        ).df()
        late = con.execute(LATE_SQL.read_text(encoding="utf-8"), {"province": province}).df()
    finally:
        con.close()
    return notify.Directory(
        kpis={r["kpi_code"]: r for r in kpis.to_dict("records")},
        areas={r["area_code"]: r for r in areas.to_dict("records")},
        late=late.to_dict("records"),
    )


def after_build(eng, warehouse: Path, version: str, today: date | None = None) -> int:
    """Record the directives overdue ``today`` and queue the messages of every event not yet sent
    out; how many messages were queued."""
    events.overdue_directives(eng, today or settings.today(), settings.province, version)
    return notify.fan_out(eng, lambda: directory(warehouse), settings.province)


def run(eng=None, digest: str | None = None, send: bool = True) -> dict:
    """What ``python -m etl notify`` does: overdue directives, fan-out, the digest, delivery."""
    eng = eng or ops.engine()
    found = functools.cache(directory)  # read once, and only if something needs it
    made = events.overdue_directives(eng, settings.today(), settings.province)
    queued = notify.fan_out(eng, found, settings.province)
    digests = notify.queue_digest(eng, digest, found(), settings.province, settings.today()) if digest else 0
    sent = notify.deliver(eng) if send else {"sent": 0, "retry": 0, "failed": 0}
    return {"overdue": made, "queued": queued, "digests": digests, **sent, "waiting": notify.counts(eng)}


def deliver_soon(eng=None) -> threading.Thread:
    """Send what is due in a thread of its own (after an approval on the web: the page does not wait
    for the mail server); a failure stays in the outbox for the next run."""

    def work():
        try:
            notify.deliver(eng or ops.engine())
        except Exception as e:  # noqa: BLE001  (the outbox keeps the messages; the next run retries)
            log.warning("ส่งแจ้งเตือนไม่สำเร็จ / delivery failed: %s", e)

    thread = threading.Thread(target=work, name="sanyan-deliver", daemon=True)
    thread.start()
    return thread
