"""Benchmark: warming the views when a worker sees a new snapshot (web/viewcache.py).

Measured in one process, on the same snapshot: how long the warming takes and how many answers it
makes; then, for each view, the first reader's answer after a new snapshot **without** warming
(cold: db.py's results and the kept answers emptied) against the same first answer **after**
warming, each also against the view's bare page-router call when everything is cached; then the
answers made by the build (issue 29, prerender.py): what a worker pays to take them, and each
view's first answer after taking them against its cached answer in the same run.

    .venv/bin/python bench/warm.py [--warehouse PATH] [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import make_views, signed_in_client  # noqa: E402  (the repo root is put on sys.path above)
from tests.conftest import ORIGIN  # noqa: E402  (the repo root is put on sys.path above)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--warehouse", type=Path, default=None)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--json", type=Path, default=None, help="also write the figures there (bench/suite.py reads them)")
    args = p.parse_args()
    app, client = signed_in_client(args.warehouse, "bench_warm", SANYAN_WARM_VIEWS="0")  # warmed here, timed
    import db
    from web import viewcache

    def first_answer(path: str) -> float:
        t0 = time.perf_counter()
        r = client.post("/_dash-update-component", json=viewcache.router_body(path), headers=ORIGIN)
        assert r.status_code == 200, (path, r.status_code)
        return (time.perf_counter() - t0) * 1000

    pages = sorted(viewcache.PAGES)
    cold = {p: [] for p in pages}
    warm = {p: [] for p in pages}
    took, made = [], []
    for _ in range(args.runs):
        for path in pages:
            db.clear_cache()
            viewcache.clear()
            cold[path].append(first_answer(path))
        db.clear_cache()
        viewcache.clear()
        t0 = time.perf_counter()
        made.append(viewcache.warm(app.server))
        took.append(time.perf_counter() - t0)
        for path in pages:
            warm[path].append(first_answer(path))
    api_cold, api_warm = [], []
    for _ in range(args.runs):
        import web.api

        db.clear_cache()
        web.api._frames.clear()
        t0 = time.perf_counter()
        assert client.get("/api/v1/datasets").status_code == 200
        api_cold.append((time.perf_counter() - t0) * 1000)
        db.clear_cache()
        web.api._frames.clear()
        viewcache.warm(app.server)
        t0 = time.perf_counter()
        assert client.get("/api/v1/datasets").status_code == 200
        api_warm.append((time.perf_counter() - t0) * 1000)
    print(f"warming: {statistics.median(made)} answers in {statistics.median(took):.2f} s (median of {args.runs})")
    print(
        f"/api/v1/datasets, a worker's first call: cold {statistics.median(api_cold):.1f} ms, "
        f"after warming {statistics.median(api_warm):.1f} ms"
    )
    if args.json:
        import json

        args.json.write_text(
            json.dumps(
                {
                    "warming_s": statistics.median(took),
                    "answers": statistics.median(made),
                    "api_cold_ms": api_cold,
                    "api_warm_ms": api_warm,
                }
            )
        )
    print(f"{'view':<18} {'cold p50':>9} {'warmed p50':>11} {'ratio':>7}")
    for path in pages:
        c, w = statistics.median(cold[path]), statistics.median(warm[path])
        print(f"{path:<18} {c:>9.1f} {w:>11.1f} {w / c:>7.3f}")
    made_ahead(app, pages, first_answer, args.runs)


def made_ahead(app, pages, first_answer, runs: int) -> None:
    """Issue 29: the answers made by the build (prerender.py, in its own process, as the build
    runs it): what a worker pays to take them, and each view's first answer after taking them
    against the same view's cached answer (asked again at once) in the same run."""
    import tempfile

    import db
    from config import settings
    from web import viewcache

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "eis.duckdb.views"
        making = make_views(settings.warehouse, out)
        taking, first, cached = [], {p: [] for p in pages}, {p: [] for p in pages}
        for _ in range(runs):
            db.clear_cache()
            viewcache.clear()
            t0 = time.perf_counter()
            n = viewcache.load(out, db.snapshot_version())  # as the worker does on finding the snapshot
            taking.append((time.perf_counter() - t0) * 1000)
            for path in pages:
                first[path].append(first_answer(path))
                cached[path].append(first_answer(path))
    print(
        f"made by the build: {n} answers in {making:.2f} s (its own process, app start included); "
        f"a worker takes them in {statistics.median(taking):.1f} ms (median of {runs})"
    )
    print(f"{'view':<18} {'first p50':>10} {'first max':>10} {'cached p50':>11} {'first/cached':>13}")
    for path in pages:
        f, c = statistics.median(first[path]), statistics.median(cached[path])
        print(f"{path:<18} {f:>10.1f} {max(first[path]):>10.1f} {c:>11.1f} {f / c:>13.2f}")


if __name__ == "__main__":
    main()
