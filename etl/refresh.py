"""The web's one door to the build: approve -> build -> audit, once, for every approval made on a
page (a round of KPI figures on /entry, a dataset's rows on /entry/data), and the code lists a
form or an uploaded file is checked against. Pages call these and never the build itself."""

from __future__ import annotations

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


def code_lists() -> dict[str, dict[str, str]]:
    """The code lists a form or a file is checked against: the current snapshot's, or the inputs'."""
    from config import settings
    from etl.build import current_code_lists

    return current_code_lists(settings.warehouse, settings.data_dir)
