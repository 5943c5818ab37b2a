"""Issue 29, "Lean workers": a worker imports only what its pages use, and lets go of an older
snapshot. The libraries of exports, the catalogue, LINE, passwords and migrations are imported
where they are used (bench/rss.py measures what that saves), and a thread that serves nothing
after a new snapshot does not keep the old one's DuckDB instance alive (~100 MB of a national
snapshot's blocks per worker)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import db

ROOT = Path(__file__).resolve().parents[1]

# imported only on a rare path: an export, the CKAN/DCAT catalogue, a LINE push, a password
# judged, a column added to an older ops store, a GeoJSON download, a PDF
LAZY = (
    "openpyxl",  # .xlsx exports and downloads (web/exports.py, web/api.py)
    "pptx",  # slides (web/exports.py)
    "docx",  # the agenda and minutes (web/exports.py)
    "lxml",
    "playwright",  # PDFs (web/exports.py)
    "rdflib",  # DCAT Turtle (web/catalog.py)
    "ckanapi",
    "linebot",  # LINE pushes (ops/line.py)
    "aiohttp",
    "zxcvbn",  # a new password judged (web/passwords.py)
    "alembic",  # a column added to an older ops store (ops.add_columns)
    "mako",
    "shapely",  # GeoJSON downloads (web/api.py)
    "geopandas",
    "pyogrio",
    "pyproj",
    "pypdf",
    "matplotlib",
    "kaleido",
)


def test_a_worker_imports_no_library_of_a_rare_path(built_warehouse, tmp_path):
    """Imported as gunicorn does, then its first requests (post_worker_init's /healthz, a page as a
    signed-out reader, the ops store opened): none of LAZY is in sys.modules."""
    code = """
import json, sys
import app
with app.server.test_client() as c:
    assert c.get("/healthz").status_code == 200
    assert c.get("/open").status_code == 200
import ops
ops.engine()
print("LOADED " + json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in sys.argv[1:])))
"""
    env = dict(
        os.environ,
        SANYAN_WAREHOUSE=str(built_warehouse),
        SANYAN_OPS_URL=f"sqlite:///{tmp_path / 'ops.sqlite'}",
        SANYAN_SECRET_KEY="lean-imports-tests-" + "k" * 30,
        SANYAN_WARM_VIEWS="0",
        SANYAN_PRERENDER="0",
        SANYAN_BUILD_AT_START="0",
    )
    r = subprocess.run(
        [sys.executable, "-c", code, *LAZY], capture_output=True, text=True, cwd=ROOT, env=env, timeout=300
    )
    assert r.returncode == 0, r.stderr[-3000:]
    line = next(ln for ln in r.stdout.splitlines() if ln.startswith("LOADED "))
    loaded = {m.split(".")[0] for m in json.loads(line.removeprefix("LOADED "))}
    assert not loaded, f"imported at start although only a rare path uses them: {sorted(loaded)}"


def test_an_idle_thread_lets_go_of_an_older_snapshot(built_warehouse, tmp_path, monkeypatch):
    """A thread that queried the old snapshot and then idles has its cursor closed by the thread
    that opens the new one; a thread mid-use keeps its cursor until it is done, then lets it go."""
    wh = tmp_path / "eis.duckdb"
    shutil.copy(built_warehouse, wh)
    monkeypatch.setenv("SANYAN_WAREHOUSE", str(wh))
    db.clear_cache()
    asked, go = threading.Event(), threading.Event()
    mine: dict = {}

    def idle_reader():
        db.query("meta/snapshot")
        mine["idle"] = db._local.held
        asked.set()
        go.wait(60)
        mine["again"] = db.query("meta/snapshot")  # a new cursor on the new snapshot

    def busy_reader():
        con, cur = db._cursor()  # in use across the swap
        mine["busy"] = db._local.held
        asked.set()
        go.wait(60)
        mine["busy_rows"] = cur.execute("SELECT count(*) FROM meta_snapshot").fetchone()[0]
        del con
        db._idle()

    threads = []
    for target in (idle_reader, busy_reader):
        asked.clear()
        t = threading.Thread(target=target)
        t.start()
        threads.append(t)
        assert asked.wait(60)
    old = mine["idle"].snap
    assert mine["idle"].cur is not None and mine["idle"].busy == 0 and mine["busy"].busy == 1

    shutil.copy(wh, tmp_path / "new.duckdb")
    os.replace(tmp_path / "new.duckdb", wh)  # a new snapshot, as a build swaps it in
    assert db.query("meta/snapshot") is not None
    assert db._current is not old
    assert mine["idle"].cur is None and mine["idle"].snap is None  # closed: the old instance can go
    assert mine["busy"].cur is not None  # still in use: left alone

    go.set()
    for t in threads:
        t.join(60)
    assert mine["busy_rows"] == 1  # its query on the old snapshot finished
    assert mine["busy"].cur is None  # and, done, it let go of it
    assert not mine["again"].empty
    assert not any(h.snap is old for h in db._held)  # nothing holds the old snapshot
    db.clear_cache()


def test_a_name_that_does_not_exist_is_checked_against_a_hash_like_a_real_one():
    """web/auth.py's dummy hash is written out at import, not hashed (64 MiB and ~0.2 s a worker
    with the production profile): same parameters as the hasher's, so a sign-in with an unknown
    name costs what a wrong password does, and no password matches it."""
    from argon2.exceptions import VerifyMismatchError

    from web import auth

    assert not auth._hasher.check_needs_rehash(auth._DUMMY)  # the hasher's own parameters
    with pytest.raises(VerifyMismatchError):
        auth._hasher.verify(auth._DUMMY, "not a real password, only for timing")
