"""Finding 8 of issue 16: a build killed with SIGKILL leaves its temp snapshot, WAL and folders;
the next build removes them first (and says how many and how many bytes), never the snapshot being
served, never another warehouse's files, never a build's that still holds the build lock."""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import threading
import time

import pytest

from etl.build import build, build_lock, temp_path
from tests.conftest import ROOT, make_data_dir
from tests.test_etl_build import small_inputs

# A real build in another process, killed (SIGKILL: no cleanup runs) when it reaches its checks,
# that is with its new snapshot written but not swapped in.
KILLED_BUILD = """
import os, signal, sys
from etl.build import build
def step(msg):
    if msg.startswith("ตรวจสอบ"):
        os.kill(os.getpid(), signal.SIGKILL)
build(data_dir=sys.argv[1], warehouse=sys.argv[2], ops_url=sys.argv[3], progress=step)
"""


@pytest.fixture
def site(tmp_path):
    data = make_data_dir(tmp_path / "data", sample=False)
    small_inputs(data / "sample")
    wh = data / "warehouse" / "eis.duckdb"
    ops_url = f"sqlite:///{tmp_path / 'ops.sqlite'}"
    build(data_dir=data, warehouse=wh, ops_url=ops_url)  # the snapshot being served
    return {"data": data, "wh": wh, "ops_url": ops_url}


@pytest.fixture
def build_log():
    """The lines the build logs (the app's `sanyan` logger may not propagate to pytest's handler)."""
    lines: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(record.getMessage())
    logger = logging.getLogger("sanyan.build")
    logger.addHandler(handler)
    yield lines
    logger.removeHandler(handler)


def _size(p) -> int:
    return sum(f.lstat().st_size for f in p.rglob("*") if not f.is_dir()) if p.is_dir() else p.lstat().st_size


def test_a_killed_builds_leftovers_are_removed_by_the_next_build(site, build_log):
    wh = site["wh"]
    served = wh.read_bytes()
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_BUILD, str(site["data"]), str(wh), site["ops_url"]],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    leftovers = sorted(wh.parent.glob(".eis.duckdb.*"))
    names = {p.name.split(".tmp", 1)[1] for p in leftovers}
    assert {"", ".entered"} <= names, names  # the temp snapshot and its folder of web entries
    assert wh.read_bytes() == served  # the app keeps serving the last snapshot
    nbytes = sum(map(_size, leftovers))
    assert nbytes > 0
    others = [wh.parent / ".other.duckdb.123.456.tmp", wh.parent / "notes.tmp"]
    for p in others:
        p.write_text("not a leftover of this warehouse's builds")

    result = build(data_dir=site["data"], warehouse=wh, ops_url=site["ops_url"])
    assert result.warehouse == wh and wh.read_bytes() != served
    assert not list(wh.parent.glob(".eis.duckdb.*"))
    assert all(p.exists() for p in others)
    assert len(build_log) == 1
    assert f"removed {len(leftovers)} leftover(s) of interrupted builds ({nbytes:,} bytes)" in build_log[0]


def test_a_running_builds_files_are_not_touched(site):
    """A build waits for the build lock and removes leftovers only once it holds it: the files of
    the build holding the lock (here this test, as a build would) are left alone meanwhile."""
    wh = site["wh"]
    done: list = []
    with build_lock(wh):
        running = temp_path(wh)
        running.write_bytes(b"a snapshot being written")
        entered = running.with_name(running.name + ".entered")
        entered.mkdir()
        second = threading.Thread(
            target=lambda: done.append(build(data_dir=site["data"], warehouse=wh, ops_url=site["ops_url"]))
        )
        second.start()
        time.sleep(1.0)
        assert second.is_alive() and not done  # waiting for the lock
        assert running.read_bytes() == b"a snapshot being written" and entered.is_dir()
    # released without its own cleanup, as a killed build does: now they are leftovers
    second.join(timeout=120)
    assert done and not running.exists() and not entered.exists()
