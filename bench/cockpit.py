"""Benchmark: the cockpit's server time per view against the bare DuckDB queries of that view.

For each view (the overview, the KPI hierarchy with and without filters, a KPI's detail, the
projects, and the filter callback) it renders the page's layout in a Flask request context
N times and records the wall time (p50, p95), cold (result cache emptied before each render,
so every query runs) and warm (the cache db.py keeps per immutable snapshot). The baseline, measured in the same run on the same
snapshot, is the view's own SQL (the files in queries/cockpit the view runs, same parameters)
executed on a plain DuckDB connection and fetched, with no pandas and no components: the floor.
Goal from issue 3: p95 <= 50 ms and <= 2x the bare queries.

    .venv/bin/python bench/cockpit.py [--runs 50]
"""

from __future__ import annotations

import argparse
import importlib
import os
import statistics
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=50)
    args = ap.parse_args(argv)

    from config import settings

    wh = Path(os.environ.get("SANYAN_WAREHOUSE", settings.warehouse))
    os.environ["SANYAN_WAREHOUSE"] = str(wh)
    os.environ["SANYAN_WARM_VIEWS"] = "0"  # the cold path is measured: no background warming meanwhile
    import app
    from bench import signed_in_as

    con = duckdb.connect(str(wh), read_only=True)
    fy, idx = con.execute(
        """SELECT fiscal_year, max(fiscal_idx) FROM fct_kpi_status
                             WHERE n_reports > 0 AND area_code = $a GROUP BY 1 ORDER BY 1 DESC LIMIT 1""",
        {"a": settings.province},
    ).fetchone()
    area = settings.province
    red = con.execute(
        """SELECT kpi_code FROM fct_kpi_status WHERE fiscal_year = $fy AND fiscal_idx = $i
                         AND area_code = $a ORDER BY score NULLS LAST LIMIT 1""",
        {"fy": fy, "i": idx, "a": area},
    ).fetchone()[0]
    common = {"fy": fy, "idx": idx, "area": area}
    views = {
        # view: (page module, layout kwargs, [(query, params)] the page runs)
        "overview /": (
            "pages.home",
            {},
            [
                ("fiscal_years", {"area": area}),
                ("kpi_status", common),
                ("agreement_path", {"fy": fy, "idx": idx}),
                ("kpi_trends", common),
            ],
        ),
        "hierarchy /kpi": (
            "pages.kpi",
            {},
            [("fiscal_years", {"area": area}), ("kpi_status", common), ("nodes", common), ("kpi_links", {})],
        ),
        "hierarchy /kpi?tier=1&type=lagging": (
            "pages.kpi",
            {"tier": "1", "type": "lagging"},
            [("fiscal_years", {"area": area}), ("kpi_status", common), ("nodes", common), ("kpi_links", {})],
        ),
        f"detail /kpi/{red}": (
            "pages.kpi_detail",
            {"code": red},
            [
                ("kpi_passport", {"kpi": red}),
                ("fiscal_years", {"area": area}),
                ("kpi_now", {**common, "kpi": red}),
                ("kpi_criteria", {"kpi": red, "fy": fy}),
                ("kpi_years", {"kpi": red, "area": area}),
                ("kpi_months", {"kpi": red, "fy": fy, "area": area}),
                ("kpi_districts", {"kpi": red, "fy": fy, "idx": idx, "province": area}),
                ("kpi_leading", {"kpi": red, "fy": fy, "idx": idx, "area": area}),
            ],
        ),
        "projects /projects": ("pages.projects", {}, [("project_years", {}), ("projects", {"fy": fy}), ("rules", {})]),
    }
    print(f"cockpit server time, {args.runs} runs per view, snapshot {wh.name}, FY {fy} month {idx}")
    import db

    print(
        f"{'view':38s} {'cold p50':>8s} {'cold p95':>8s} {'bare p50':>8s} {'bare p95':>8s} {'ratio':>6s}"
        f" {'warm p50':>8s} {'warm p95':>8s}"
    )
    for label, (module, kwargs, queries) in views.items():
        page = importlib.import_module(module)
        sqls = [((ROOT / "queries" / "cockpit" / f"{q}.sql").read_text(encoding="utf-8"), p) for q, p in queries]
        served, bare, warm = [], [], []
        with app.server.test_request_context("/"):
            signed_in_as("executive")
            page.layout(**kwargs)  # warm up: connection, imports
            for _ in range(args.runs):
                db.clear_cache()
                t0 = time.perf_counter()
                page.layout(**kwargs)
                served.append((time.perf_counter() - t0) * 1000)
                t0 = time.perf_counter()
                page.layout(**kwargs)
                warm.append((time.perf_counter() - t0) * 1000)
                t0 = time.perf_counter()
                for sql, params in sqls:
                    con.execute(sql, params).fetchall()
                bare.append((time.perf_counter() - t0) * 1000)
        ratio = pct(served, 95) / pct(bare, 95)
        print(
            f"{label:38s} {statistics.median(served):8.1f} {pct(served, 95):8.1f} {statistics.median(bare):8.1f} "
            f"{pct(bare, 95):8.1f} {ratio:5.2f}x {statistics.median(warm):8.1f} {pct(warm, 95):8.1f}"
        )
    # the filter callback: URL state only, no query
    from pages.kpi import _filters_to_url

    times = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        _filters_to_url("2569", "9", "all", "1", "lagging")
        times.append((time.perf_counter() - t0) * 1000)
    print(
        f"{'callback kpi filters -> URL':38s} {statistics.median(times):8.3f} {pct(times, 95):8.3f} {'(no query)':>8s}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
