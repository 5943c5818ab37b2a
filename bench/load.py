"""Load test: gunicorn serving one snapshot to many concurrent users, page loads and Dash callbacks
mixed with the open-data API, on loopback (issue 10: p95 <= 300 ms, no errors).

    .venv/bin/python bench/load.py [--users 50] [--minutes 5] [--warehouse PATH]

1. A temporary ops store (SQLite in a temp dir) with one account per role.
2. gunicorn with deploy/gunicorn.conf.py on a free port in 8100-8199 against the warehouse
   (default the app's, built with ``make warehouse`` when missing); waits until every worker has
   warmed up.
3. Records real callback payloads: Debian's Chromium (Playwright, no ``playwright install``) opens
   every page of the mix, as an executive for the internal pages and signed out for the public
   ones, changes up to three of its filters (native selects) once, and keeps the body of every
   ``POST /_dash-update-component`` it sends. Nothing is invented: the load replays exactly these.
4. Baseline: the same mix from 1 user for ``--baseline-seconds``.
5. The load: locust (its own venv, /tmp/sanyan-load-venv, ``locust==2.47.0`` from PyPI; made on the
   first run) headless with ``--users`` users for ``--minutes``, plus one probe asking /healthz
   every second. A user signs in (the login form, as a person would; one in six stays public), then
   repeatedly visits a page it may open: GET the page, /_dash-layout and /_dash-dependencies, then
   the page's recorded callbacks one after the other; or, one visit in five, calls the API. Between
   visits it reads for ``--think`` seconds (uniform). Static files (Dash's bundles, assets/) are left
   out: a browser keeps them (they carry long cache lifetimes) and nginx serves /assets.
6. Prints requests, errors, p50/p95/p99 per kind (page loads, callbacks, api) and overall, requests
   per second, the p95 against the 300 ms goal, the 1-user baseline and /healthz under the same
   load, and how many CPUs gunicorn, locust and everything else kept busy (the machine may be
   shared: the split says whose time it was); exits 1 on any error.

This file is also the locustfile: locust imports it, and then only the part below that needs
locust runs (stdlib only there, as the locust venv has nothing of the app's).
"""

from __future__ import annotations

import json
import math
import os
import random
import re
import sys
import time

PLAN_ENV, RECORDS_ENV = "SANYAN_LOAD_PLAN", "SANYAN_LOAD_RECORDS"
KINDS = ("page", "callback", "api")  # what the goal is measured on; "login" and "probe" are reported apart


# ---------------------------------------------------------------- the locust side (locust's own venv)
if __name__ != "__main__" and "locust" in sys.modules:
    from urllib.parse import urlencode

    from locust import FastHttpUser, between, constant, events, task

    with open(os.environ[PLAN_ENV], encoding="utf-8") as f:
        PLAN = json.load(f)
    _records = open(os.environ[RECORDS_ENV], "a", encoding="utf-8", buffering=1)

    @events.request.add_listener
    def _record(request_type, name, response_time, response_length, response, exception, **_kw):
        status = getattr(response, "status_code", 0) or 0
        _records.write(
            json.dumps(
                {
                    "kind": name.split(" ", 1)[0],
                    "name": name,
                    "ms": response_time,
                    "status": status,
                    "error": repr(exception) if exception else None,
                }
            )
            + "\n"
        )

    class Visitor(FastHttpUser):
        """One person: signs in as a role (or stays public), then visits pages and calls the API."""

        weight = 1
        wait_time = between(*PLAN["think"])

        def on_start(self):
            self.role = random.choice(PLAN["roles"])
            self.origin = {"Origin": self.host}
            if self.role != "public":
                self._sign_in()
            self.pages = [p for p in PLAN["pages"] if self.role in p["roles"]]

        def _sign_in(self):
            form = self.client.get("/login", name="login GET /login").text
            csrf = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
            body = urlencode(
                {"csrf": csrf, "next": "/", "username": PLAN["users"][self.role], "password": PLAN["password"]}
            )
            with self.client.post(
                "/login",
                data=body,
                name="login POST /login",
                catch_response=True,
                headers={**self.origin, "Content-Type": "application/x-www-form-urlencoded"},
            ) as r:
                if "login-form" in r.text:  # the form again: the sign-in failed
                    r.failure(f"sign-in as {self.role} failed")

        @task(4)
        def visit_page(self):
            page = random.choice(self.pages)
            label = page["url"]
            with self.client.get(label, name=f"page {label}", catch_response=True) as r:
                if "login-form" in r.text:  # sent to the sign-in form: the page was refused
                    r.failure(f"{label}: redirected to /login as {self.role}")
            self.client.get("/_dash-layout", name="page /_dash-layout")
            self.client.get("/_dash-dependencies", name="page /_dash-dependencies")
            for path, body in page["callbacks"]:  # 4xx / 5xx count as errors; 204 (no update) does not
                self.client.post(
                    path,
                    data=body,
                    name=f"callback {label}",
                    headers={**self.origin, "Content-Type": "application/json"},
                )

        @task(1)
        def call_api(self):
            url = random.choice(PLAN["api"])
            self.client.get(url, name=f"api {url.split('?')[0]}")

    class Probe(FastHttpUser):
        """/healthz once a second during the load: the floor of a request under the same load."""

        fixed_count = 1
        wait_time = constant(1)

        @task
        def healthz(self):
            self.client.get("/healthz", name="probe /healthz")


# ---------------------------------------------------------------- the driver (the app's venv)
LOCUST_VENV = "/tmp/sanyan-load-venv"
LOCUST_VERSION = "2.47.0"
PORTS = range(8100, 8200)
PASSWORD = "load-test-only-" + "x" * 12
USERS = {
    "executive": "load_exec",
    "viewer": "load_view",
    "editor": "load_edit",
    "verifier": "load_verify",
    "admin": "load_admin",
}
ROLES = [*USERS, "public"]
INTERNAL = list(USERS)
GOAL_MS = 300.0


def _pages(con, province: str) -> list[dict]:
    """The pages of the mix with who may open them (a KPI and a district taken from the snapshot)."""
    kpi = con.execute("SELECT min(kpi_code) FROM dim_kpi WHERE classification = 'open'").fetchone()[0]
    district = con.execute(
        "SELECT min(district_code) FROM dim_district WHERE province_code = $p", {"p": province}
    ).fetchone()[0]
    internal = [
        "/",
        "/kpi",
        "/kpi?tier=1&type=lagging",
        f"/kpi/{kpi}",
        "/projects",
        "/map",
        f"/district/{district}",
        "/indicators",
        "/quality",
    ]
    public = ["/gpp", "/about-data", "/open", "/open/kpi", "/open/indicators", "/open/s9"]
    return [{"url": u, "roles": INTERNAL} for u in internal] + [{"url": u, "roles": ROLES} for u in public]


def _api(con, province: str) -> list[str]:
    fy = con.execute("SELECT max(fiscal_year) FROM fct_kpi_status").fetchone()[0]
    return [
        "/api/v1",
        "/api/v1/datasets",
        "/api/v1/datasets/kpis",
        "/api/v1/datasets/kpi_results/rows?limit=100",
        f"/api/v1/datasets/kpi_results/rows?year={fy}&area={province}",
        "/api/v1/datasets/population.csv",
        f"/api/v1/datasets/kpi_results.geojson?year={fy}",
        "/api/v1/datasets/indicator_values.xlsx",
        "/api/v1/search?q=%E0%B8%81%E0%B8%B2%E0%B8%A3",
    ]  # q=การ


def _free_port() -> int:
    import socket

    for port in PORTS:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit("no free port in 8100-8199")


def _locust() -> str:
    """The locust executable in its own venv, made on the first run."""
    import subprocess

    exe = os.path.join(LOCUST_VENV, "bin", "locust")
    if not os.path.exists(exe):
        print(f"making {LOCUST_VENV} with locust=={LOCUST_VERSION} (once)")
        subprocess.run([sys._base_executable, "-m", "venv", LOCUST_VENV], check=True)
        subprocess.run(
            [os.path.join(LOCUST_VENV, "bin", "pip"), "install", "--quiet", f"locust=={LOCUST_VERSION}"], check=True
        )
    return exe


def _start_gunicorn(root, config, warehouse, tmp, env_extra: dict):
    """gunicorn with `config`; returns (process, url, workers) once every worker has warmed up."""
    import subprocess
    import urllib.request

    port = _free_port()
    env = {
        **os.environ,
        **env_extra,
        "SANYAN_HOST": "127.0.0.1",
        "SANYAN_PORT": str(port),
        "SANYAN_WAREHOUSE": str(warehouse),
    }
    log = tmp / "gunicorn.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [str(root / ".venv" / "bin" / "gunicorn"), "-c", str(config)],
            cwd=root,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while True:
        text = log.read_text(errors="replace")
        booted = len(re.findall(r"Booting worker", text))
        if booted and len(re.findall(r"worker \d+ ready", text)) >= booted:
            with urllib.request.urlopen(url + "/healthz", timeout=30) as r:
                if r.status == 200:
                    return proc, url, booted
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise SystemExit(f"gunicorn did not come up:\n{text}")
        time.sleep(0.3)


def _record(url: str, pages: list[dict], password: str) -> None:
    """Drive every page in Chromium and keep the callback bodies it sends (into pages[i]["callbacks"])."""
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("SANYAN_CHROMIUM", "/usr/bin/chromium")
    args = [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
    ]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=args)
        try:
            contexts = {}
            for who in ("executive", "public"):
                ctx = contexts[who] = browser.new_context(viewport={"width": 1366, "height": 900}, locale="th-TH")
                ctx.set_default_timeout(60_000)
                if who != "public":
                    pg = ctx.new_page()
                    pg.goto(url + "/login")
                    pg.fill("#login-username", USERS[who])
                    pg.fill("#login-password", password)
                    pg.click("#login-submit")
                    pg.wait_for_url(lambda u: "/login" not in u)
                    pg.close()
            for page in pages:
                ctx = contexts["public" if "public" in page["roles"] else "executive"]
                page["callbacks"] = _record_page(ctx, url, page["url"])
        finally:
            browser.close()


def _record_page(ctx, url: str, path: str) -> list[list[str]]:
    """[[path with query, body], ...] of the callbacks Chromium sends on `path` (the query is the
    renderer's page-load token, ``?endId=...``, kept as sent)."""
    from urllib.parse import urlsplit

    bodies, bad = [], []

    def on_response(resp):
        where = urlsplit(resp.url)
        if resp.request.method == "POST" and where.path == "/_dash-update-component":
            (bodies if resp.status in (200, 204) else bad).append(
                [f"{where.path}?{where.query}".rstrip("?"), resp.request.post_data]
            )

    pg = ctx.new_page()
    pg.on("response", on_response)
    try:
        pg.goto(url + path, wait_until="networkidle")
        start = pg.url
        # change each filter of the page once, as a reader would (at most three)
        for sel in pg.locator("#shell-main select").all()[:3]:
            # options and value read in one go: a callback may redraw the select meanwhile
            values, current = sel.evaluate("s => [[...s.options].map(o => o.value), s.value]")
            other = next((v for v in values if v not in ("", current)), None)
            if other is None or not (sel.is_visible() and sel.is_enabled()):
                continue
            sel.select_option(other, timeout=10_000)
            pg.wait_for_load_state("networkidle")
            pg.wait_for_timeout(300)
            if pg.url.split("?")[0] != start.split("?")[0]:
                break  # the filter opened another page: enough here
    finally:
        pg.close()
    if bad or not bodies:
        raise SystemExit(f"recording {path}: {len(bodies)} callbacks answered, {len(bad)} refused or failed")
    return bodies


def _run_locust(exe, url, tmp, name, users, seconds, plan_path) -> list[dict]:
    """One headless locust run (``users`` visitors and the probe); returns its request records."""
    import subprocess

    records = tmp / f"{name}.jsonl"
    env = {**os.environ, PLAN_ENV: str(plan_path), RECORDS_ENV: str(records)}
    with open(tmp / f"{name}.log", "wb") as log:
        subprocess.run(
            [
                exe,
                "-f",
                os.path.abspath(__file__),
                "--headless",
                "--host",
                url,
                "-u",
                str(users + 1),
                "-r",
                "10",
                "-t",
                f"{seconds}s",
                "--stop-timeout",
                "30",
                "--csv",
                str(tmp / name),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env=env,
            check=False,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    with open(records, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def _cpu() -> dict[str, float]:
    """CPU seconds so far: the whole machine (busy time of all CPUs) and this process's finished
    children (the locust runs)."""
    import resource

    with open("/proc/stat", encoding="ascii") as f:
        user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, f.readline().split()[1:9])
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    tick = os.sysconf("SC_CLK_TCK")
    return {"machine": (user + nice + system + irq + softirq + steal) / tick, "locust": kids.ru_utime + kids.ru_stime}


def _tree_cpu(pid: int) -> float:
    """CPU seconds used so far by a running process and its children (gunicorn and its workers)."""
    tick, total = os.sysconf("SC_CLK_TCK"), 0.0
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as f:
            kids = [int(k) for k in f.read().split()]
    except FileNotFoundError:
        return 0.0
    for p in [pid, *kids]:
        try:
            with open(f"/proc/{p}/stat", encoding="ascii") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
        except FileNotFoundError:
            pass  # a worker restarted meanwhile
    return total


def _pct(xs: list[float], p: float) -> float:
    """The p-th percentile by nearest rank (a value that was measured, never interpolated)."""
    xs = sorted(xs)
    return xs[max(0, math.ceil(p / 100 * len(xs)) - 1)]


def _summary(recs: list[dict]) -> dict:
    ms = [r["ms"] for r in recs]
    return (
        {
            "n": len(recs),
            "errors": sum(1 for r in recs if r["error"]),
            "p50": _pct(ms, 50),
            "p95": _pct(ms, 95),
            "p99": _pct(ms, 99),
            "max": max(ms),
        }
        if recs
        else None
    )


def main(argv=None) -> int:
    import argparse
    import secrets
    import shutil
    import subprocess
    import tempfile
    from datetime import UTC, datetime
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(root))
    from config import settings

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--minutes", type=float, default=5)
    ap.add_argument("--warehouse", type=Path, default=None, help="default: the app's (settings.warehouse)")
    ap.add_argument("--baseline-seconds", type=int, default=30, help="the same mix from 1 user first (0: skip)")
    ap.add_argument(
        "--think",
        type=float,
        nargs=2,
        default=(1.0, 5.0),
        metavar=("MIN", "MAX"),
        help="seconds a user reads between visits (default 1 5)",
    )
    ap.add_argument(
        "--config",
        type=Path,
        default=root / "deploy" / "gunicorn.conf.py",
        help="gunicorn config (default deploy/gunicorn.conf.py; another one to compare)",
    )
    ap.add_argument("--workers", type=int, help="gunicorn workers (default: deploy/gunicorn.conf.py's)")
    ap.add_argument("--threads", type=int, help="threads per worker (default: deploy/gunicorn.conf.py's)")
    ap.add_argument("--keep", action="store_true", help="keep the temp dir (logs, records, locust CSVs)")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures there (bench/suite.py reads them)")
    args = ap.parse_args(argv)

    warehouse = (args.warehouse or settings.warehouse).resolve()
    if not warehouse.is_file():
        if args.warehouse:
            raise SystemExit(f"no warehouse at {warehouse}")
        subprocess.run(["make", "warehouse"], cwd=root, check=True)
    exe = _locust()
    tmp = Path(tempfile.mkdtemp(prefix="sanyan-load-"))
    import duckdb

    import ops
    from web import auth

    ops_url = f"sqlite:///{tmp / 'ops.sqlite'}"
    eng = ops.engine(ops_url)
    for role, name in USERS.items():
        auth.add_user(eng, name, PASSWORD, role, area_code="8604" if role == "editor" else None, by="bench")
    eng.dispose()
    con = duckdb.connect(str(warehouse), read_only=True)
    version, province = con.execute("SELECT version, province_code FROM meta_snapshot").fetchone()
    pages, api = _pages(con, province), _api(con, province)
    con.close()

    # every simulated reader calls from 127.0.0.1, and the API's per-address limit is shared by all
    # workers: lift it, the load test measures serving, not the limit (tests/test_api.py tests that)
    env_extra = {
        "SANYAN_OPS_URL": ops_url,
        "SANYAN_SECRET_KEY": secrets.token_hex(32),
        "SANYAN_API_RATE_LIMIT": "10000000",
    }
    if args.workers:
        env_extra["SANYAN_WORKERS"] = str(args.workers)
    if args.threads:
        env_extra["SANYAN_THREADS"] = str(args.threads)
    proc, url, workers = _start_gunicorn(root, args.config.resolve(), warehouse, tmp, env_extra)
    try:
        t0 = time.monotonic()
        _record(url, pages, PASSWORD)
        n_cb = sum(len(p["callbacks"]) for p in pages)
        print(f"recorded {n_cb} callbacks on {len(pages)} pages in {time.monotonic() - t0:.0f} s (Chromium)")
        plan = {
            "pages": pages,
            "api": api,
            "roles": ROLES,
            "users": USERS,
            "password": PASSWORD,
            "think": list(args.think),
        }
        plan_path = tmp / "plan.json"
        plan_path.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")

        started = datetime.now(UTC)
        print(
            f"{started:%Y-%m-%d %H:%M %Z}: snapshot {version} ({warehouse}), gunicorn {workers} workers "
            f"x {args.threads or 'default'} threads ({args.config.name}) at {url}; "
            f"load average before: {os.getloadavg()[0]:.2f}"
        )
        base = None
        if args.baseline_seconds:
            recs = _run_locust(exe, url, tmp, "baseline", 1, args.baseline_seconds, plan_path)
            base = _summary([r for r in recs if r["kind"] in KINDS])
        seconds = int(args.minutes * 60)
        cpu0, served0, t0 = _cpu(), _tree_cpu(proc.pid), time.monotonic()
        recs = _run_locust(exe, url, tmp, "load", args.users, seconds, plan_path)
        cpu1, served1, wall = _cpu(), _tree_cpu(proc.pid), time.monotonic() - t0
        load_after = os.getloadavg()
    finally:
        proc.terminate()
        proc.wait(timeout=60)

    print(
        f"\n{args.users} users for {seconds} s (+1 /healthz probe), think {args.think[0]:g}-{args.think[1]:g} s "
        f"between visits; load average at the end {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}"
    )
    print(f"{'kind':10s} {'requests':>8s} {'errors':>6s} {'p50 ms':>7s} {'p95 ms':>7s} {'p99 ms':>7s} {'max ms':>7s}")
    rows = {k: _summary([r for r in recs if r["kind"] == k]) for k in (*KINDS, "login", "probe")}
    rows["overall"] = overall = _summary([r for r in recs if r["kind"] in KINDS])
    for k, s in rows.items():
        if s:
            print(
                f"{k:10s} {s['n']:8d} {s['errors']:6d} {s['p50']:7.0f} {s['p95']:7.0f} {s['p99']:7.0f} {s['max']:7.0f}"
            )
    print(f"requests/s (page + callback + api): {overall['n'] / seconds:.1f}")
    machine, locust = cpu1["machine"] - cpu0["machine"], cpu1["locust"] - cpu0["locust"]
    print(
        f"CPUs busy on average during the load, of {os.cpu_count()}: gunicorn {(served1 - served0) / wall:.2f}, "
        f"locust {locust / wall:.2f}, everything else {(machine - (served1 - served0) - locust) / wall:.2f}"
    )
    slow = {}
    for r in recs:
        if r["kind"] in KINDS:
            slow.setdefault(r["name"], []).append(r["ms"])
    print(
        "slowest by p95:",
        ", ".join(f"{n} {_pct(v, 95):.0f} ms" for n, v in sorted(slow.items(), key=lambda kv: -_pct(kv[1], 95))[:5]),
    )
    print(
        f"p95 {overall['p95']:.0f} ms = {overall['p95'] / GOAL_MS:.2f} x the goal ({GOAL_MS:.0f} ms)"
        + (
            f"; {overall['p95'] / base['p95']:.2f} x the same mix from 1 user (p95 {base['p95']:.0f} ms)"
            if base
            else ""
        )
        + (f"; /healthz under the load p95 {rows['probe']['p95']:.0f} ms" if rows["probe"] else "")
    )
    errors = [r for r in recs if r["error"]]
    for r in errors[:10]:
        print("error:", r["name"], r["status"], r["error"][:200])
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "users": args.users,
                    "seconds": seconds,
                    "overall": overall,
                    "baseline": base,
                    "errors": len(errors) + (base["errors"] if base else 0),
                }
            )
        )
    if args.keep:
        print(f"kept {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if errors or (base and base["errors"]) else 0


if __name__ == "__main__":
    sys.exit(main())
