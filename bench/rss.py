"""Benchmark: a worker's memory (issue 29, "Lean workers"): RSS after importing the app as
gunicorn does, the heavy libraries that import loaded, and the peak RSS after visiting every page
N times (default 5) as an executive.

In a fresh subprocess (one worker's worth of Python), with a throw-away ops store holding one
executive account:

1. ``import app`` and ``app.server`` (gunicorn's ``app:server``); VmRSS and VmHWM from
   /proc/self/status, and which of ``HEAVY`` (top-level modules) are in ``sys.modules``;
2. one anonymous ``/healthz`` (deploy/gunicorn.conf.py's post_worker_init), then, signed in through
   the login form as the executive, N rounds over every page of ``dash.page_registry`` (a path
   template gets a real value from the snapshot) and the presenter ``/meeting/present/red``: the
   page's HTML, ``/_dash-layout`` and the page router's callback (the page's content, what a first
   visit posts); VmRSS and VmHWM after each round, and the heavy modules loaded by then.

Baseline, in the same run: a bare ``python -c "import dash, pandas, duckdb"`` (VmRSS, VmHWM); the
figures are printed against it as ratios. Goal (national scale): peak RSS <= 250 MB per worker.
View warming, prerendering and the build at start are off (SANYAN_WARM_VIEWS=0 and the like), so
only the visits are measured; ``--warm`` leaves warming on, as in production.
``python -X importtime`` tells which imports weigh most at start (``--importtime``).

``--swap``: round 1 on a thread that then idles (as a gthread worker's thread between requests),
a new snapshot swapped in (on a copy), the other rounds on the main thread: what an older snapshot
still costs a worker after a build.

    .venv/bin/python bench/rss.py [--warehouse PATH] [--rounds 5] [--warm] [--importtime] [--swap]
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

GOAL_MB = 250
ACCOUNT, PASSWORD = "rss_exec", "bench password, long enough to pass"
# top-level modules worth knowing about in a worker (present or not after import / after the visits)
HEAVY = (
    "pandas",
    "numpy",
    "pyarrow",
    "duckdb",
    "plotly",
    "narwhals",
    "dash_extensions",
    "sqlalchemy",
    "alembic",
    "psycopg",
    "argon2",
    "zxcvbn",
    "openpyxl",
    "pptx",
    "docx",
    "lxml",
    "PIL",
    "rdflib",
    "ckanapi",
    "linebot",
    "pydantic",
    "aiohttp",
    "icu",
    "pythainlp",
    "matplotlib",
    "kaleido",
    "geopandas",
    "shapely",
    "pyproj",
    "pyogrio",
    "playwright",
    "pypdf",
    "requests",
    "urllib3",
    "rich",
)


def _status() -> dict[str, float]:
    """This process's VmRSS and VmHWM in MB."""
    out = {}
    with open("/proc/self/status") as f:
        for ln in f:
            k, _, v = ln.partition(":")
            if k in ("VmRSS", "VmHWM"):
                out[k] = int(v.split()[0]) / 1024
    return out


def _heavy() -> list[str]:
    return [m for m in HEAVY if m in sys.modules]


# ---------------------------------------------------------------------------------- the worker
def pages(warehouse: str, province: str) -> list[str]:
    """Every page of dash.page_registry, path templates filled from the snapshot (run in the
    helper process, which also makes the account: the measured one never opens a second snapshot)."""
    import dash
    import duckdb

    import app  # noqa: F401  (registers the pages)

    con = duckdb.connect(warehouse, read_only=True)
    kpis = [r[0] for r in con.execute("SELECT kpi_code FROM dim_kpi ORDER BY 1").fetchall()]
    districts = [
        r[0]
        for r in con.execute(
            "SELECT district_code FROM dim_district WHERE province_code = $p ORDER BY 1", {"p": province}
        ).fetchall()
    ]
    con.close()
    out = []
    for p in dash.page_registry.values():
        tpl = p.get("path_template")
        if tpl in ("/kpi/<code>", "/district/<code>"):
            codes = kpis if tpl.startswith("/kpi") else districts
            want = p["example_path"].rsplit("/", 1)[1]
            out.append(tpl.replace("<code>", want if want in codes else codes[0]))
        elif tpl:
            raise SystemExit(f"no value known for the path template {tpl}: add one to bench/rss.py")
        else:
            out.append(p["path"])
    return out + ["/meeting/present/red"]


def _helper() -> None:
    """The helper process: the executive's account, then the pages as JSON on stdout."""
    sys.path.insert(0, str(ROOT))
    import ops
    from config import settings
    from web import auth

    auth.add_user(ops.engine(), ACCOUNT, PASSWORD, "executive")
    print("PAGES-JSON " + json.dumps(pages(str(settings.warehouse), settings.province)), flush=True)


def worker(rounds: int, paths: list[str], swap: bool = False) -> dict:
    """Run in the subprocess: import the app as gunicorn does, then visit every page `rounds` times.
    ``swap``: round 1 runs on a thread of its own that then idles (as a gthread worker's idle
    thread does), a new snapshot is swapped in (a copy, ``os.replace``), the other rounds run on
    the main thread."""
    sys.path.insert(0, str(ROOT))
    before = _status()
    t0 = time.perf_counter()
    import importlib

    server = importlib.import_module("app").server  # gunicorn's app:server
    import_s = time.perf_counter() - t0
    start = {**_status(), "heavy": _heavy(), "seconds": import_s, "modules": len(sys.modules)}

    with server.test_client() as c:  # post_worker_init's warm-up request
        c.get("/healthz")

    from tests.conftest import ORIGIN, login
    from web.viewcache import router_body

    client = server.test_client()  # the account: made by the parent (judging its password is no visit)
    assert login(client, ACCOUNT, PASSWORD).status_code == 302, "sign-in failed"
    client.get("/_dash-dependencies")
    statuses: dict[str, set[int]] = {}
    per_round = []

    def one_round():
        t1 = time.perf_counter()
        for path in paths:
            got = statuses.setdefault(path, set())
            got.add(client.get(path).status_code)
            got.add(client.get("/_dash-layout").status_code)
            r = client.post("/_dash-update-component", json=router_body(path, ""), headers=ORIGIN)
            got.add(r.status_code)
        per_round.append({**_status(), "seconds": time.perf_counter() - t1})

    def first(done: threading.Event, go: threading.Event) -> None:
        try:
            one_round()
        finally:
            done.set()
        go.wait()  # idle, as a gthread worker's thread between requests

    done, go = threading.Event(), threading.Event()
    for i in range(rounds):
        if swap and i == 0:
            threading.Thread(target=first, args=(done, go), daemon=True).start()
            done.wait()
            from config import settings

            wh = Path(settings.warehouse)
            shutil.copy(wh, wh.with_name("swap.duckdb"))
            os.replace(wh.with_name("swap.duckdb"), wh)  # a new snapshot, as a build swaps it in
            continue
        one_round()
    go.set()
    return {
        "before_import": before,
        "start": start,
        "rounds": per_round,
        "heavy_after": _heavy(),
        "pages": {p: sorted(s) for p, s in statuses.items()},
        "modules_after": len(sys.modules),
    }


# ---------------------------------------------------------------------------------- the report
def bare_rss() -> dict[str, float]:
    code = "import dash, pandas, duckdb, sys; sys.stdout.write(open('/proc/self/status').read())"
    text = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    return {
        k: int(v.split()[0]) / 1024
        for k, _, v in (ln.partition(":") for ln in text.splitlines())
        if k in ("VmRSS", "VmHWM")
    }


def importtime(env: dict, top: int = 25) -> list[tuple[int, str]]:
    """The `top` heaviest imports (cumulative microseconds) of ``import app``, outermost first."""
    r = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import app"], capture_output=True, text=True, cwd=ROOT, env=env
    )
    rows = []
    for ln in r.stderr.splitlines():
        if not ln.startswith("import time:") or "cumulative" in ln:
            continue
        _self, cum, name = ln.split("|", 2)
        rows.append((int(cum), name.rstrip()))
    return sorted(rows, reverse=True)[:top]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    ap.add_argument("--warehouse", type=Path, default=None, help="snapshot (default: SANYAN_WAREHOUSE / settings)")
    ap.add_argument("--rounds", type=int, default=5, help="rounds over every page (default 5)")
    ap.add_argument("--warm", action="store_true", help="leave view warming on (SANYAN_WARM_VIEWS as configured)")
    ap.add_argument("--importtime", action="store_true", help="also list the heaviest imports at start")
    ap.add_argument(
        "--swap",
        action="store_true",
        help="round 1 on a thread that then idles, then a new snapshot swapped in (a copy of the warehouse is read)",
    )
    ap.add_argument("--json", type=Path, default=None, help="also write the figures there")
    ap.add_argument("--worker", default=None, help=argparse.SUPPRESS)  # the measured process: its pages (JSON)
    ap.add_argument("--helper", action="store_true", help=argparse.SUPPRESS)  # the account and the pages
    args = ap.parse_args(argv)
    if args.helper:
        _helper()
        return 0
    if args.worker:
        print("RSS-JSON " + json.dumps(worker(args.rounds, json.loads(args.worker), args.swap)), flush=True)
        return 0

    sys.path.insert(0, str(ROOT))
    from config import settings

    wh = (args.warehouse or settings.warehouse).resolve()
    if not wh.exists():
        raise SystemExit(f"no snapshot at {wh} (make warehouse)")
    tmp = Path(tempfile.mkdtemp(prefix="sanyan-bench-rss-"))
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)  # the ops store, the copy (--swap)
    if args.swap:  # swapped in the worker: a copy, never the warehouse itself
        wh = Path(shutil.copy(wh, tmp / "eis.duckdb"))
    env = dict(
        os.environ,
        SANYAN_WAREHOUSE=str(wh),
        SANYAN_OPS_URL=f"sqlite:///{tmp / 'ops.sqlite'}",
        SANYAN_SECRET_KEY="bench-rss-" + os.urandom(16).hex(),
        SANYAN_PRERENDER="0",
        SANYAN_BUILD_AT_START="0",
        SANYAN_QUIET="1",
    )
    if not args.warm:
        env["SANYAN_WARM_VIEWS"] = "0"
    made = subprocess.run(  # the executive's account and the pages, in a process of its own
        [sys.executable, str(Path(__file__).resolve()), "--helper"], capture_output=True, text=True, cwd=ROOT, env=env
    )
    line = next((ln for ln in made.stdout.splitlines() if ln.startswith("PAGES-JSON ")), None)
    if made.returncode or line is None:
        sys.stderr.write(made.stderr[-4000:])
        raise SystemExit("could not make the executive's account or list the pages")
    paths = line.removeprefix("PAGES-JSON ")
    bare = bare_rss()
    r = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--worker", paths, "--rounds", str(args.rounds)]
        + (["--swap"] if args.swap else []),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
    )
    line = next((ln for ln in r.stdout.splitlines() if ln.startswith("RSS-JSON ")), None)
    if r.returncode or line is None:
        sys.stderr.write(r.stderr[-4000:])
        raise SystemExit(f"the worker failed (exit {r.returncode})")
    res = json.loads(line.removeprefix("RSS-JSON "))
    res["bare"] = bare

    def row(label: str, s: dict) -> str:
        return (
            f"{label:44s} {s['VmRSS']:7.1f} {s['VmHWM']:7.1f}  {s['VmRSS'] / bare['VmRSS']:5.2f} "
            f"{s['VmHWM'] / bare['VmRSS']:5.2f}"
        )

    size = wh.stat().st_size / 2**20
    print(f"bench/rss.py  snapshot {wh} ({size:.0f} MB); {args.rounds} rounds; warming {'on' if args.warm else 'off'}")
    print(f"{'':44s} {'VmRSS':>7s} {'VmHWM':>7s}  {'RSS/':>5s} {'HWM/':>5s}   (MB; ratios to the bare baseline's RSS)")
    print(row("baseline: bare python + dash, pandas, duckdb", {**bare, "VmRSS": bare["VmRSS"]}))
    print(row("before import (python + bench/rss.py)", res["before_import"]))
    st = res["start"]
    print(row(f"after import app ({st['seconds']:.1f} s, {st['modules']} modules)", st))
    for i, s in enumerate(res["rounds"], 1):
        note = " (thread then idle)" if args.swap and i == 1 else " (new snapshot)" if args.swap else ""
        print(row(f"after round {i}{note} ({s['seconds']:.1f} s)", s))
    peak = max(s["VmHWM"] for s in res["rounds"]) if res["rounds"] else st["VmHWM"]
    print(f"peak RSS {peak:.1f} MB per worker: {'met' if peak <= GOAL_MB else 'MISSED'} (goal <= {GOAL_MB} MB)")
    print("heavy modules after import:  " + " ".join(st["heavy"]))
    print("heavy modules after visits:  " + " ".join(res["heavy_after"]))
    print("not loaded after visits:     " + " ".join(m for m in HEAVY if m not in res["heavy_after"]))
    bad = {p: s for p, s in res["pages"].items() if any(x >= 500 for x in s)}
    print(f"pages: {len(res['pages'])}; statuses: {res['pages']}")
    if args.importtime:
        print("\nheaviest imports at start (python -X importtime -c 'import app', cumulative ms):")
        for us, name in importtime(env):
            print(f"  {us / 1000:8.1f}  {name}")
    if args.json:
        args.json.write_text(json.dumps(res, indent=1))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
