"""The national-scale benchmark suite in one command: ``make bench-national``.

1. Generate the seeded national data set (``bench/national.py``: 77 provinces, 928 districts,
   500 more KPIs × 10 fiscal years monthly ≈ 4.7 M KPI values) unless ``--reuse`` finds it.
2. ``etl build`` it, timed: input rows per second, the build's peak RSS; and the parser alone on
   the biggest file, vectorised path against the row-by-row rules (same file, same run).
3. ``bench/callbacks.py``: each page's main callback against the bare queries and a naive app.
4. ``bench/page_load.py``: LCP of every page in headless Chromium, worker RSS, map update payload.
5. ``bench/load.py``: gunicorn, 50 users on loopback for ``--minutes`` (default 5).

Every figure is printed with its baseline from the same run; docs/performance.md keeps a copy.

    .venv/bin/python bench/suite.py [--out /tmp/sanyan-national] [--reuse] [--minutes 5] [--skip load,...]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PY = sys.executable


def section(title: str) -> None:
    print(f"\n{'=' * 100}\n{title}\n{'=' * 100}", flush=True)


def run(args: list[str], env: dict) -> int:
    print("$ " + " ".join(args), flush=True)
    return subprocess.call(args, cwd=ROOT, env=env)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("/tmp/sanyan-national"))
    ap.add_argument("--reuse", action="store_true", help="keep a data set and warehouse already built there")
    ap.add_argument("--minutes", type=float, default=5, help="length of the load test")
    ap.add_argument("--skip", default="", help="comma-separated: build,parse,callbacks,pages,load")
    args = ap.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))
    data = args.out / "data"
    wh = data / "warehouse" / "eis.duckdb"
    # the data set holds all 77 provinces: the build takes every province's rows (SANYAN_AREA_SCOPE)
    os.environ["SANYAN_AREA_SCOPE"] = "kingdom"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SANYAN_WAREHOUSE": str(wh)}
    failed = []
    print(
        f"Sanyan national benchmark suite, {time.strftime('%Y-%m-%d %H:%M:%S %Z')}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}"
    )

    from bench import national

    if not (args.reuse and wh.exists()):
        section("1. national data set and etl build")
        t0 = time.perf_counter()
        counts = national.generate(args.out)
        total = sum(counts.values())
        print(f"generated {total:,} input rows in {time.perf_counter() - t0:.1f} s")
        if "build" not in skip:
            from etl.build import build

            t0 = time.perf_counter()
            res = build(
                data_dir=data, warehouse=wh, ops_url=f"sqlite:///{args.out / 'ops.sqlite'}", as_of=national.sample.AS_OF
            )
            s = time.perf_counter() - t0
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(
                f"etl build: {total:,} input rows in {s:.1f} s = {total / s:,.0f} rows/s "
                f"(goal ≥ 1,000,000 rows/s: {'met' if total / s >= 1e6 else 'NOT met'}); "
                f"{res.tables.get('fct_kpi_status', 0):,} status rows; peak RSS {peak:,.0f} MB"
            )
    if "parse" not in skip:
        section("2. the parser alone: vectorised path against the row-by-row rules")
        from inputs.parsing import parse_file

        big = data / "sample" / "kpi_actuals.national.csv"
        t0 = time.perf_counter()
        fast = parse_file(big, "kpi_actuals", fast=True)
        tf = time.perf_counter() - t0
        n = len(fast.frame)
        # the rules row by row on the first 200,000 rows (the whole file would take minutes)
        part = args.out / "kpi_actuals.part.csv"
        with open(big, encoding="utf-8") as src, open(part, "w", encoding="utf-8") as dst:
            for i, line in enumerate(src):
                if i > 200_000:
                    break
                dst.write(line)
        t0 = time.perf_counter()
        slow = parse_file(part, "kpi_actuals", fast=False)
        ts = time.perf_counter() - t0
        if fast.errors or slow.errors:
            raise SystemExit(f"the generated file has errors: {(fast.errors or slow.errors)[0].format('en')}")
        print(
            f"vectorised: {n:,} rows in {tf:.1f} s = {n / tf:,.0f} rows/s; row by row: {len(slow.frame):,} rows "
            f"in {ts:.1f} s = {len(slow.frame) / ts:,.0f} rows/s; ratio {n / tf / (len(slow.frame) / ts):.1f}×"
        )
    for name, script, extra in (
        ("callbacks", "bench/callbacks.py", ["--warehouse", str(wh)]),
        ("pages", "bench/page_load.py", ["--warehouse", str(wh)]),
        ("load", "bench/load.py", ["--warehouse", str(wh), "--minutes", str(args.minutes)]),
    ):
        if name in skip:
            continue
        section(f"{name}: {script}")
        if run([PY, script, *extra], env):
            failed.append(name)
    section("done" + (f"; FAILED: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
