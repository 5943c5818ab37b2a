"""Benchmark: the /gpp page and its callbacks, server time against the bare DuckDB queries.

Views: the default (Chumphon, NESDC's sector table 2538-2563, against its region and the
kingdom), the 2024 edition of totals only,
and the two callbacks (view -> URL, and the .xlsx download). Cold = db.py's result cache emptied
before each run; warm = answered from the per-snapshot cache. Baseline: the page's own SQL files
on a plain DuckDB connection, fetched, no pandas, no components.

    .venv/bin/python bench/gpp.py [--runs 30]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.cockpit import pct  # noqa: E402  (the repo root is put on sys.path above)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=30)
    args = ap.parse_args(argv)
    from config import settings

    wh = Path(os.environ.get("SANYAN_WAREHOUSE", settings.warehouse))
    os.environ["SANYAN_WAREHOUSE"] = str(wh)
    os.environ["SANYAN_WARM_VIEWS"] = "0"  # the cold path is measured: no background warming meanwhile
    import app
    import db
    from pages import gpp as page

    con = duckdb.connect(str(wh), read_only=True)
    sql = {
        n: (ROOT / "queries" / "gpp" / f"{n}.sql").read_text(encoding="utf-8")
        for n in ("totals", "provinces", "sectors", "province_shapes", "areas", "area_sectors", "area_totals")
    }

    def bare(province):
        for q in sql.values():
            params = {k: v for k, v in (("province", province), ("region", "R-S")) if f"${k}" in q}
            con.execute(q, params).fetchall()

    views = {
        "/gpp (Chumphon, default)": {"province": "86"},
        "/gpp?province=86&from=2564 (totals only)": {"province": "86", "from": "2564"},
    }
    print(f"/gpp server time, {args.runs} runs per view, snapshot {wh.name}")
    print(
        f"{'view':42s} {'cold p50':>8s} {'cold p95':>8s} {'bare p50':>8s} {'bare p95':>8s} {'ratio':>6s}"
        f" {'warm p50':>8s} {'warm p95':>8s}"
    )
    with app.server.test_request_context("/"):
        for label, kw in views.items():
            page.layout(**kw)
            cold, warm, base = [], [], []
            for _ in range(args.runs):
                db.clear_cache()
                t0 = time.perf_counter()
                page.layout(**kw)
                cold.append((time.perf_counter() - t0) * 1000)
                t0 = time.perf_counter()
                page.layout(**kw)
                warm.append((time.perf_counter() - t0) * 1000)
                t0 = time.perf_counter()
                bare(kw["province"])
                base.append((time.perf_counter() - t0) * 1000)
            print(
                f"{label:42s} {statistics.median(cold):8.1f} {pct(cold, 95):8.1f} {statistics.median(base):8.1f} "
                f"{pct(base, 95):8.1f} {pct(cold, 95) / pct(base, 95):5.2f}x {statistics.median(warm):8.1f} "
                f"{pct(warm, 95):8.1f}"
            )
        for label, fn in (("callback view -> URL", lambda: page._view_to_url("86", "2562", "2566", "84", "", "")),):
            ts = []
            for _ in range(args.runs):
                t0 = time.perf_counter()
                fn()
                ts.append((time.perf_counter() - t0) * 1000)
            print(f"{label:42s} {statistics.median(ts):8.3f} {pct(ts, 95):8.3f}")
    from dash._callback_context import context_value
    from dash._utils import AttributeDict

    ts = []
    with app.server.test_request_context("/"):
        for _ in range(args.runs):
            context_value.set(AttributeDict(triggered_inputs=[{"prop_id": "gpp-dl-xlsx.n_clicks", "value": 1}]))
            t0 = time.perf_counter()
            page._download(1, None, "?province=86&from=2562&to=2566")
            ts.append((time.perf_counter() - t0) * 1000)
    print(f"{'callback download .xlsx (warm cache)':42s} {statistics.median(ts):8.1f} {pct(ts, 95):8.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
