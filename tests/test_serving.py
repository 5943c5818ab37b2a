"""Serving with gunicorn and deploy/gunicorn.conf.py (docs/DEPLOY.md): several worker processes read
one snapshot file; a snapshot swapped in with os.replace (what ``python -m etl build`` and
deploy/push-snapshot.sh do) is served by every worker without a restart; and what a worker sends
to one reader never carries what only another reader may see."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import pytest

from tests.conftest import ROOT

GUNICORN = Path(sys.executable).with_name("gunicorn")  # the one beside the tests' python
SECRET = "serving-tests-only-" + "x" * 24
WORKERS = 2


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, cookie: str | None = None) -> tuple[int, str]:
    req = urllib.request.Request(url, headers={"Cookie": f"session={cookie}"} if cookie else {})
    with urllib.request.urlopen(req, timeout=60) as r:
        return r.status, r.read().decode()


@pytest.fixture
def served(built_warehouse, tmp_path):
    """gunicorn (2 workers x 2 threads) on a free port, its own copy of the demo warehouse and an ops
    store with one executive; the access log names the worker (pid) that answered each request."""
    warehouse = tmp_path / "warehouse" / "eis.duckdb"
    warehouse.parent.mkdir()
    shutil.copy2(built_warehouse, warehouse)
    ops_url = f"sqlite:///{tmp_path / 'ops.sqlite'}"
    import ops
    from web import auth

    eng = ops.engine(ops_url)
    uid = auth.add_user(eng, "exec1", "correct horse battery staple", "executive", by="test")
    sid = auth.start_session(eng, uid)  # the server-side half of a signed-in session
    eng.dispose()
    port, access = _free_port(), tmp_path / "access.log"
    env = {
        **os.environ,
        "SANYAN_HOST": "127.0.0.1",
        "SANYAN_PORT": str(port),
        "SANYAN_WAREHOUSE": str(warehouse),
        "SANYAN_OPS_URL": ops_url,
        "SANYAN_SECRET_KEY": SECRET,
        "SANYAN_WORKERS": str(WORKERS),
        "SANYAN_THREADS": "2",
        "SANYAN_ACCESS_LOG": str(access),
    }
    log = tmp_path / "gunicorn.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [str(GUNICORN), "-c", "deploy/gunicorn.conf.py", "--access-logformat", "%(p)s %(U)s"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 90
        while len(re.findall(r"worker \d+ ready", log.read_text())) < WORKERS:
            assert proc.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        yield {"url": f"http://127.0.0.1:{port}", "warehouse": warehouse, "access": access, "user_id": uid, "sid": sid}
    finally:
        proc.send_signal(signal.SIGINT)  # quick shutdown (TERM waits for keep-alive connections)
        proc.wait(timeout=30)


def _pids_since(access: Path, mark: int) -> set[str]:
    """Workers that answered /healthz after byte `mark` of the access log."""
    with open(access, encoding="utf-8") as f:
        f.seek(mark)
        return {line.split()[0] for line in f if line.rstrip().endswith("/healthz")}


def _healthz_from_every_worker(url: str, access: Path) -> list[str]:
    """Ask /healthz concurrently (each on a new connection) until every worker has answered at
    least once; returns the snapshot versions of all answers."""
    mark = access.stat().st_size if access.exists() else 0
    versions = []
    with ThreadPoolExecutor(8) as pool:
        for _ in range(25):
            for status, body in pool.map(lambda _: _get(url + "/healthz"), range(16)):
                assert status == 200
                versions.append(re.search(r'"snapshot":"([^"]+)"', body).group(1))
            time.sleep(0.2)  # the access log is written after the response
            if len(_pids_since(access, mark)) >= WORKERS:
                return versions
    raise AssertionError(f"not every worker answered: {_pids_since(access, mark)}")


def _another_snapshot(source: Path, path: Path, suffix: str) -> str:
    """A copy of `source` at `path` whose meta_snapshot version ends in `suffix`; its version."""
    shutil.copy2(source, path)
    with duckdb.connect(str(path)) as con:
        con.execute("UPDATE meta_snapshot SET version = version || $s", {"s": suffix})
        return con.execute("SELECT version FROM meta_snapshot").fetchone()[0]


def test_every_worker_serves_a_swapped_snapshot(served, tmp_path):
    url, wh, access = served["url"], served["warehouse"], served["access"]
    first = set(_healthz_from_every_worker(url, access))
    assert len(first) == 1
    # as `python -m etl build` does: a new file in the same directory, os.replace over the old one
    staged = wh.with_name(".eis.duckdb.build")
    second = _another_snapshot(wh, staged, "-second")
    os.replace(staged, wh)
    assert set(_healthz_from_every_worker(url, access)) == {second}

    # as deploy/push-snapshot.sh does for several nodes: this one and another (a local directory)
    other = tmp_path / "node2" / "warehouse" / "eis.duckdb"
    third = _another_snapshot(wh, tmp_path / "built.duckdb", "-third")
    if not shutil.which("rsync"):
        if os.environ.get("CI") == "true":
            pytest.fail("rsync is missing (deploy/push-snapshot.sh needs it; apt-get install rsync)")
        pytest.skip("rsync is not installed")
    push = [str(ROOT / "deploy" / "push-snapshot.sh"), str(tmp_path / "built.duckdb")]
    # a node that cannot be written stops the push before any node is swapped
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("")
    failed = subprocess.run([*push, str(wh), str(blocked / "eis.duckdb")], capture_output=True, text=True, check=False)
    assert failed.returncode != 0 and "nothing was swapped" in failed.stderr, failed.stderr
    assert not list(wh.parent.glob(".*.incoming"))
    assert set(_healthz_from_every_worker(url, access)) == {second}
    import sqlite3

    views = sqlite3.connect(tmp_path / "built.duckdb.views")  # what the build made for it (prerender.py)
    views.execute("CREATE TABLE meta (version TEXT, made_at TEXT)")
    views.execute("INSERT INTO meta VALUES (?, '-')", (third,))
    views.execute("CREATE TABLE views (key TEXT PRIMARY KEY, mimetype TEXT, data BLOB)")
    views.commit()
    views.close()
    done = subprocess.run([*push, str(wh), str(other)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert set(_healthz_from_every_worker(url, access)) == {third}
    assert other.read_bytes() == wh.read_bytes()
    for node in (wh, other):  # pushed beside the snapshot on every node
        assert node.with_name("eis.duckdb.views").read_bytes() == (tmp_path / "built.duckdb.views").read_bytes()
    assert not list(wh.parent.glob(".*.incoming")) and not list(other.parent.glob(".*.incoming"))


def _session_cookie(user_id: int, sid: str) -> str:
    """The session cookie a sign-in as `user_id` gives (Flask's signed cookie with SECRET), for
    the server-side session `sid`."""
    from flask import Flask
    from flask.sessions import SecureCookieSessionInterface

    app = Flask(__name__)
    app.secret_key = SECRET
    return (
        SecureCookieSessionInterface()
        .get_signing_serializer(app)
        .dumps({"_user_id": str(user_id), "_fresh": True, "sid": sid})
    )


def test_a_public_page_never_carries_what_an_executive_saw(served, built_warehouse):
    """Dash builds one validation layout (every page's layout) during a worker's first request and
    puts it into every page it serves afterwards, to everyone. The config warms each worker up as
    a public reader before it takes requests, so an executive arriving first cannot put the
    classified KPIs they may read into the pages the public gets."""
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        hidden = [c for (c,) in con.execute("SELECT kpi_code FROM dim_kpi WHERE classification <> 'open'").fetchall()]
    assert hidden, "the demo has classified KPIs"
    url, cookie = served["url"], _session_cookie(served["user_id"], served["sid"])
    with ThreadPoolExecutor(8) as pool:  # the executive's requests come first, to every worker
        pages = list(pool.map(lambda _: _get(url + "/kpi", cookie)[1], range(8)))
    assert not any("login-form" in p for p in pages), "the executive's session was not accepted"
    with ThreadPoolExecutor(8) as pool:
        public = list(pool.map(lambda _: _get(url + "/gpp")[1], range(8)))
    codes = "|".join(re.escape(c) for c in hidden)
    pattern = re.compile(rf"(?<![\w.])(?:{codes})(?![\w.])")
    leaked = {m for p in public for m in pattern.findall(p)}
    assert not leaked, f"classified KPI codes in a public page: {sorted(leaked)}"


def test_make_run_serves_quietly_and_ends_with_the_address(built_warehouse, tmp_path):
    """What `make run` starts (gunicorn, SANYAN_QUIET=1): with no admin yet the setup address, then
    the address to open as the last line, and nothing after it once every worker is up and a page
    and the API have answered (no log line, no development-server warning)."""
    warehouse = tmp_path / "warehouse" / "eis.duckdb"
    warehouse.parent.mkdir()
    shutil.copy2(built_warehouse, warehouse)
    port = _free_port()
    env = {
        **os.environ,
        "SANYAN_HOST": "127.0.0.1",
        "SANYAN_PORT": str(port),
        "SANYAN_WAREHOUSE": str(warehouse),
        "SANYAN_OPS_URL": f"sqlite:///{tmp_path / 'ops.sqlite'}",
        "SANYAN_SECRET_KEY": SECRET,
        "SANYAN_WORKERS": "2",
        "SANYAN_QUIET": "1",
    }
    env.pop("SANYAN_ACCESS_LOG", None)
    log = tmp_path / "console.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [str(GUNICORN), "-c", "deploy/gunicorn.conf.py"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 90
        while "ready, open:" not in log.read_text(encoding="utf-8"):
            assert proc.poll() is None and time.monotonic() < deadline, log.read_text(encoding="utf-8")
            time.sleep(0.2)
        url = f"http://127.0.0.1:{port}"
        while _get(f"{url}/healthz")[0] != 200:
            assert time.monotonic() < deadline
            time.sleep(0.2)
        for path in ("/login", "/api/v1/datasets", "/gpp"):
            assert _get(url + path)[0] == 200, path
        time.sleep(3)  # the workers' warming (bench: seconds) logs nothing either
        lines = [line for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
    assert any("/setup?token=" in line for line in lines), lines  # no admin yet: the setup address
    assert (
        lines[-1].startswith("สัญญาณ Sanyan พร้อมแล้ว เปิด / ready, open:") and f"http://127.0.0.1:{port}/" in lines[-1]
    ), lines
    assert not any("development server" in line.lower() or "WARNING" in line for line in lines), lines
