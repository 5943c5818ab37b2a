"""The web's one door to the build: approve -> build -> audit, once, for every approval made on a
page (a round of KPI figures on /entry, a dataset's rows on /entry/data), and the code lists a
form or an uploaded file is checked against. Pages call these and never the build itself."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import ops


class RefreshFailed(Exception):
    """The approval was stored but the new snapshot could not be built; the last good one serves."""


@dataclass(frozen=True)
class Refreshed:
    approved: int  # rows (or figures) approved
    seconds: float  # approval and build, together


def approve_and_build(eng, who: str, target: str, approve: Callable[[], int]) -> Refreshed:
    """Run ``approve()`` (its own refusal, an EntryError, passes through untouched), then build a new
    snapshot so the pages show what was approved, and audit the refresh under ``target`` either way."""
    from etl.build import BuildError, build

    t0 = time.perf_counter()
    n = approve()
    try:
        build()
    except BuildError as e:
        ops.record_audit(eng, "refresh", target=target, who=who, outcome="failed", after={"error": str(e)})
        raise RefreshFailed(str(e)) from e
    seconds = time.perf_counter() - t0
    ops.record_audit(eng, "refresh", target=target, who=who, after={"approved": n, "seconds": round(seconds, 2)})
    from etl import notify

    notify.deliver_soon(eng)  # the warnings the build queued, sent without the page waiting for them
    return Refreshed(n, seconds)


def resume_soon(**build_kwargs) -> threading.Thread | None:
    """At app start: builds wanted by approvals and never done (the server was killed between an
    approval and the swap of its snapshot; ``ops.build_requests``) are built now, in a thread of
    their own, so the approved figures reach the pages without anyone building by hand; the build
    removes a killed build's temp files first. None when nothing is wanted. ``build_kwargs`` go to
    ``etl.build.build`` (data_dir, warehouse, ops_url: the settings' by default)."""
    log = logging.getLogger("sanyan.build")
    eng = ops.engine(build_kwargs.get("ops_url"))
    try:
        wanted = ops.builds_wanted(eng)
    except Exception:
        log.exception("could not read the builds wanted")
        return None
    if not wanted:
        return None
    log.warning(
        "มีการอนุมัติ %d รายการที่ยังไม่เข้าสู่ชุดข้อมูล กำลังสร้างชุดข้อมูลใหม่ / "
        "%d approval(s) not yet in the snapshot (since %s): building now",
        len(wanted),
        len(wanted),
        wanted[0]["wanted_at"],
    )

    def work():
        from etl.build import BuildError, build

        t0 = time.perf_counter()
        try:
            result = build(only_if_wanted=True, **build_kwargs)
        except BuildError as e:
            ops.record_audit(eng, "refresh", target="resume", who="system", outcome="failed", after={"error": str(e)})
            log.error("the build of approvals wanted failed; the last good snapshot serves: %s", e)
            return
        except Exception:
            log.exception("the build of approvals wanted failed")
            return
        if result is None:  # another process built them meanwhile
            return
        seconds = round(time.perf_counter() - t0, 2)
        ops.record_audit(
            eng, "refresh", target="resume", who="system", after={"wanted": len(wanted), "seconds": seconds}
        )
        from etl import notify

        notify.deliver_soon(eng)

    thread = threading.Thread(target=work, name="sanyan-resume-build", daemon=True)
    thread.start()
    return thread


def code_lists() -> dict[str, dict[str, str]]:
    """The code lists a form or a file is checked against: the current snapshot's, or the inputs'."""
    from config import settings
    from etl.build import current_code_lists

    return current_code_lists(settings.warehouse, settings.data_dir)
