"""The national-scale benchmark suite in one command: ``make bench-national``.

1. Generate the seeded national data set (``bench/national.py``: 77 provinces, 928 districts,
   500 more KPIs × 10 fiscal years monthly ≈ 4.7 M KPI values) unless ``--reuse`` finds it.
2. ``etl build`` it in a process of its own, timed: input rows per second, the build's peak RSS;
   and the parser alone on the biggest file, vectorised path against the row-by-row rules.
3. ``bench/callbacks.py``: each page's main callback, cold and after warming, against the bare
   queries and a naive app.
4. ``bench/warm.py``: warming, and the open-data API catalogue's first call per worker.
5. ``bench/page_load.py``: LCP and settled time of every page in headless Chromium, worker RSS.
6. ``bench/wire.py``: the bytes of a page load, before (identity, the whole plotly.js) and now.
7. ``bench/cockpit.py`` on the demo snapshot (``data/warehouse``): issue 3's cockpit goal.
8. ``bench/load.py``: gunicorn, 50 users on loopback for ``--minutes`` (default 5).

Each script writes its figures as JSON; the suite ends with one table: every goal of issue 20,
its figure, the baseline it is measured against (same run) and its verdict. docs/performance.md
keeps a copy of a run.

    .venv/bin/python bench/suite.py [--out /tmp/sanyan-national] [--reuse] [--minutes 5] [--skip load,...]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
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


BUILD = """
import json, sys, time
from pathlib import Path
from bench import national
from etl.build import build
out = Path(sys.argv[1])
t0 = time.perf_counter()
res = build(data_dir=out / "data", warehouse=out / "data" / "warehouse" / "eis.duckdb",
            ops_url=f"sqlite:///{out / 'ops.sqlite'}", as_of=national.sample.AS_OF)
print(json.dumps({"seconds": time.perf_counter() - t0, "status_rows": res.tables.get("fct_kpi_status", 0)}))
"""


def build_in_child(out: Path, env: dict) -> dict:
    """``etl build`` in a process of its own: its peak RSS is the build's alone (the generator's
    memory stays in this one)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    done = subprocess.run([PY, "-c", BUILD, str(out)], cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if done.returncode:
        print(done.stdout[-4000:], done.stderr[-4000:], sep="\n")
        raise SystemExit("etl build failed")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if peak <= before:
        raise SystemExit("cannot tell the build's peak RSS: an earlier child used more")
    res = json.loads(done.stdout.strip().splitlines()[-1])
    return {**res, "wall": wall, "peak_mb": peak / 1024}


def read(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def verdict(ok: bool | None) -> str:
    return "–" if ok is None else ("met" if ok else "NOT met")


def goals(fig: dict) -> list[tuple[str, str, str, bool | None]]:
    """(goal, figure, baseline, met?) for every goal of issue 20, from the figures of this run."""
    rows: list[tuple[str, str, str, bool | None]] = []
    cb = fig.get("callbacks")
    if cb:
        v = cb["views"]
        warm = max(v, key=lambda r: r["warmed_p95"] / r["bare_p95"])
        cold = [r["cold_p95"] / r["bare_p95"] for r in v]
        rows.append(
            (
                "first answer after a new snapshot, every view: p95 ≤ 2× the bare queries' p95",
                f"after warming ({cb['warming_s']:.1f} s per worker): worst {warm['warmed_p95'] / warm['bare_p95']:.2f}× "
                f"({warm['view']}, {warm['warmed_p95'] * 1000:.0f} ms); "
                f"{sum(r['warmed_p95'] <= 2 * r['bare_p95'] for r in v)} of {len(v)} views within 2×. "
                f"Cold (a reader before warming ends): {min(cold):.1f}–{max(cold):.1f}×, "
                f"{sum(c <= 2 for c in cold)} of {len(v)} within 2×",
                f"bare queries p95 {min(r['bare_p95'] for r in v) * 1000:.0f}–{max(r['bare_p95'] for r in v) * 1000:.0f} ms",
                all(r["warmed_p95"] <= 2 * r["bare_p95"] for r in v),
            )
        )
    pl = fig.get("pages")
    if pl:
        pages = {k: r for k, r in pl["pages"].items() if not r["baseline"]}
        base = next((r for k, r in pl["pages"].items() if r["baseline"]), None)
        worst = max(pages, key=lambda k: pages[k]["lcp_p95"])
        over = [k for k, r in pages.items() if r["lcp_p95"] > 1200]
        rows.append(
            (
                "LCP p95 ≤ 1.2 s, every page incl. /open/* signed out",
                f"{len(pages) - len(over)} of {len(pages)} visits within; worst {worst} "
                f"{pages[worst]['lcp_p95']:.0f} ms" + (f"; over: {', '.join(over)}" if over else ""),
                f"the no-data page: {base['lcp_p95']:.0f} ms" if base else "–",
                not over,
            )
        )
        charts = {k: r for k, r in pages.items() if r["charts"]}
        if charts:
            w = max(charts, key=lambda k: charts[k]["settled_p95"])
            over = [k for k, r in charts.items() if r["settled_p95"] > 1500]
            rows.append(
                (
                    "chart pages settled ≤ 1.5 s (p95)",
                    f"{len(charts) - len(over)} of {len(charts)} chart pages within; worst {w} "
                    f"{charts[w]['settled_p95']:.0f} ms" + (f"; over: {', '.join(over)}" if over else ""),
                    f"the no-data page settles in {base['settled_p95']:.0f} ms" if base else "–",
                    not over,
                )
            )
        rows.append(
            (
                "worker RSS after every page, 5 rounds: ≤ 300 MB peak",
                f"{pl['rss_peak_mb']:.0f} MB",
                f"bare Python with dash, pandas, duckdb: {pl['rss_bare_mb']:.0f} MB",
                pl["rss_peak_mb"] <= 300,
            )
        )
    b = fig.get("build")
    if b:
        rate = b["rows"] / b["seconds"]
        when = "" if not b.get("reused") else " (the build of the data set reused, an earlier run)"
        rows.append(
            (
                "etl build, whole national set: ≥ 1 M input rows/s",
                f"{b['rows']:,} rows in {b['seconds']:.1f} s = {rate:,.0f} rows/s{when}",
                f"the parser alone: {fig['parse']['fast']:,.0f} rows/s" if fig.get("parse") else "–",
                rate >= 1e6,
            )
        )
        rows.append(
            (
                "etl build: peak memory ≤ 2 GB",
                f"{b['peak_mb']:,.0f} MB",
                f"the input files: {b['input_mb']:,.0f} MB",
                b["peak_mb"] <= 2048,
            )
        )
    w = fig.get("warm")
    if w:
        rows.append(
            (
                "/api/v1/datasets, a worker's first call: ≤ 200 ms",
                f"after warming: max {max(w['api_warm_ms']):.0f} ms; "
                f"a worker that has not warmed: median {statistics.median(w['api_cold_ms']):.0f} ms",
                f"warming: {w['answers']:.0f} answers in {w['warming_s']:.1f} s",
                max(w["api_warm_ms"]) <= 200,
            )
        )
    ck = fig.get("cockpit")
    if ck:
        v = ck["views"]
        bad = [r["view"] for r in v if r["cold_p95"] > 50 or r["cold_p95"] > 2 * r["bare_p95"]]
        rows.append(
            (
                "demo-scale bench/cockpit.py: cold p95 ≤ 50 ms and ≤ 2× bare, every view",
                f"cold p95 {min(r['cold_p95'] for r in v):.1f}–{max(r['cold_p95'] for r in v):.1f} ms, "
                f"{min(r['cold_p95'] / r['bare_p95'] for r in v):.2f}–{max(r['cold_p95'] / r['bare_p95'] for r in v):.2f}× "
                f"bare" + (f"; over: {', '.join(bad)}" if bad else ""),
                f"bare p95 {min(r['bare_p95'] for r in v):.1f}–{max(r['bare_p95'] for r in v):.1f} ms",
                not bad,
            )
        )
    wi = fig.get("wire")
    if wi:
        p = wi["pages"]
        rows.append(
            (
                "bytes over the wire for a page load: gzip or brotli from the app itself",
                ", ".join(f"{k} {r['packed'] / 1024:,.0f} KB" for k, r in p.items()),
                "before: " + ", ".join(f"{k} {r['before'] / 1024:,.0f} KB" for k, r in p.items()),
                all(r["packed"] < r["identity"] for r in p.values()),
            )
        )
    return rows


def print_goals(rows) -> None:
    section("Issue 20's goals, from this run")
    for i, (goal, figure, base, ok) in enumerate(rows, 1):
        print(f"{i}. {goal}\n   measured: {figure}\n   baseline: {base}\n   verdict:  {verdict(ok)}")
    met = sum(1 for r in rows if r[3])
    print(f"\n{met} of {len(rows)} goals met")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("/tmp/sanyan-national"))
    ap.add_argument("--reuse", action="store_true", help="keep a data set and warehouse already built there")
    ap.add_argument("--minutes", type=float, default=5, help="length of the load test")
    ap.add_argument("--skip", default="", help="comma-separated: build,parse,callbacks,warm,pages,wire,cockpit,load")
    args = ap.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))
    data = args.out / "data"
    wh = data / "warehouse" / "eis.duckdb"
    figs = args.out / "figures"
    figs.mkdir(parents=True, exist_ok=True)
    # the data set holds all 77 provinces: the build takes every province's rows (SANYAN_AREA_SCOPE)
    os.environ["SANYAN_AREA_SCOPE"] = "kingdom"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SANYAN_WAREHOUSE": str(wh)}
    failed = []
    fig: dict = {}
    print(
        f"Sanyan national benchmark suite, {time.strftime('%Y-%m-%d %H:%M:%S %Z')}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}"
    )

    from bench import national

    reused = args.reuse and wh.exists()
    for old in figs.glob("*.json"):  # figures of an earlier run never mix with this one's
        if not (reused and old.name == "build.json"):  # the build of the snapshot reused is its own
            old.unlink()
    if not reused:
        section("1. national data set and etl build")
        t0 = time.perf_counter()
        counts = national.generate(args.out)
        total = sum(counts.values())
        print(f"generated {total:,} input rows in {time.perf_counter() - t0:.1f} s")
        if "build" not in skip:
            b = build_in_child(args.out, env)
            b["rows"] = total
            b["input_mb"] = (
                sum(f.stat().st_size for f in data.rglob("*") if f.is_file() and "warehouse" not in f.parts) / 2**20
            )
            (figs / "build.json").write_text(json.dumps(b))
            print(
                f"etl build: {total:,} input rows in {b['seconds']:.1f} s = {total / b['seconds']:,.0f} rows/s "
                f"(goal ≥ 1,000,000 rows/s: {verdict(total / b['seconds'] >= 1e6)}); "
                f"{b['status_rows']:,} status rows; peak RSS {b['peak_mb']:,.0f} MB (goal ≤ 2,048 MB: "
                f"{verdict(b['peak_mb'] <= 2048)})"
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
        (figs / "parse.json").write_text(json.dumps({"fast": n / tf, "slow": len(slow.frame) / ts}))
        del fast, slow
    demo = ROOT / "data" / "warehouse" / "eis.duckdb"
    for name, script, extra, env_of in (
        ("callbacks", "bench/callbacks.py", ["--warehouse", str(wh)], env),
        ("warm", "bench/warm.py", ["--warehouse", str(wh), "--runs", "3"], env),
        ("pages", "bench/page_load.py", ["--warehouse", str(wh)], env),
        ("wire", "bench/wire.py", ["--warehouse", str(wh)], env),
        ("cockpit", "bench/cockpit.py", ["--runs", "30"], {**env, "SANYAN_WAREHOUSE": str(demo)}),
        ("load", "bench/load.py", ["--warehouse", str(wh), "--minutes", str(args.minutes)], env),
    ):
        if name in skip:
            continue
        section(f"{name}: {script}" + (" (the demo snapshot)" if name == "cockpit" else ""))
        js = [] if name == "load" else ["--json", str(figs / f"{name}.json")]
        if run([PY, script, *extra, *js], env_of):
            failed.append(name)
    for f in figs.glob("*.json"):
        got = read(f)
        if got is not None:
            fig[f.stem] = got
    if reused and "build" in fig:
        fig["build"]["reused"] = True
    print_goals(goals(fig))
    section("done" + (f"; FAILED: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
