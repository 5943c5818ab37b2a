"""The views' answers made by the build, not by the first reader (issue 29).

``python -m prerender SNAPSHOT OUT``: in a process of its own (the build runs it on its
temporary snapshot, before the swap: etl/build.py ``prerender``), open the app on ``SNAPSHOT``,
ask every view web/viewcache.py keeps as each kind of reader (``viewcache.warm``, the whole
answers only: the main views, then those readers go to next: the districts, the KPI tree's filters,
the red KPIs' details, the map's layers) and write them to ``OUT`` (``viewcache.dump``, keyed by the snapshot's version). A
worker that finds the new snapshot takes them before it answers (``viewcache.load``): no warming in
the worker for those views, and no reader, the first included, waits for one to be made.

Nothing here is served: the process exits when the file is written. Exit status 0 and the number
of answers on stdout, or 1 with the reason on stderr.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m prerender SNAPSHOT OUT", file=sys.stderr)
        return 2
    snapshot, out = Path(args[0]).resolve(), Path(args[1]).resolve()
    # before config is read: this snapshot, no warming thread, no build at start (the build that
    # runs this holds the build lock), a cache large enough for every answer
    os.environ["SANYAN_WAREHOUSE"] = str(snapshot)
    os.environ["SANYAN_WARM_VIEWS"] = "0"
    os.environ["SANYAN_BUILD_AT_START"] = "0"
    os.environ["SANYAN_QUIET"] = "1"
    os.environ["SANYAN_VIEW_CACHE_MB"] = str(max(int(os.environ.get("SANYAN_VIEW_CACHE_MB") or 0), 1024))
    import db
    from app import server
    from web import viewcache

    viewcache.warm(server, queries=False)
    n = viewcache.dump(out, db.snapshot_version())
    print(n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
