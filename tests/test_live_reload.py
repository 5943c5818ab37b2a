"""Rebuilding while the app serves: it keeps answering, then serves the new snapshot, no restart."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request

from etl.build import build
from tests.conftest import ROOT, make_data_dir
from tests.test_etl_build import small_inputs, write_csv


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url: str):
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.status, json.loads(r.read())


def test_rebuild_while_serving(tmp_path):
    data = make_data_dir(tmp_path / "data", sample=False)
    small_inputs(data / "sample")
    wh = data / "warehouse" / "eis.duckdb"
    ops_url = f"sqlite:///{tmp_path / 'ops.sqlite'}"
    first = build(data_dir=data, warehouse=wh, ops_url=ops_url)
    port = free_port()
    env = {
        **os.environ,
        "SANYAN_DATA_DIR": str(data),
        "SANYAN_WAREHOUSE": str(wh),
        "SANYAN_OPS_URL": ops_url,
        "SANYAN_PORT": str(port),
        "SANYAN_HOST": "127.0.0.1",
    }
    proc = subprocess.Popen(
        [sys.executable, "app.py"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    url = f"http://127.0.0.1:{port}/healthz"
    try:
        for _ in range(200):
            try:
                status, body = get_json(url)
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError(proc.stderr.read().decode() if proc.poll() is not None else "app did not start")
        assert status == 200 and body["snapshot"] == first.version

        answers, stop = [], threading.Event()

        def poll():
            while not stop.is_set():
                try:
                    answers.append(get_json(url))
                except Exception as e:  # noqa: BLE001 - every failure is recorded and asserted on
                    answers.append((0, repr(e)))
                time.sleep(0.02)

        t = threading.Thread(target=poll)
        t.start()
        write_csv(
            data / "sample" / "kpi_actuals.csv",
            ["kpi_code", "fiscal_year", "month", "area_code", "value", "reported_on", "provenance", "source_ref"],
            [["K01", "2570", "10", "8601", "9", "", "sample", "t"]],
        )
        second = build(data_dir=data, warehouse=wh, ops_url=ops_url)
        time.sleep(0.5)
        stop.set()
        t.join()
        assert second.version != first.version
        assert len(answers) > 10
        assert all(status == 200 for status, _ in answers), [a for a in answers if a[0] != 200][:3]
        seen = [body["snapshot"] for _, body in answers]
        assert seen[0] == first.version and seen[-1] == second.version
        assert get_json(url)[1]["snapshot"] == second.version
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_an_approval_left_unbuilt_is_built_when_the_app_starts(tmp_path):
    """Issue 27, point 6: the server was killed after an approval and before its snapshot was
    swapped in (the ops store holds the approval and its want, a temp file of the build stays); the
    app, started again, builds it in the background: /healthz then serves a new snapshot with the
    figure, the want is done and the temp file gone."""
    import duckdb

    import ops
    from ops import entry
    from tests.test_build_wanted import EXEC, _verified

    data = make_data_dir(tmp_path / "data", sample=False)
    small_inputs(data / "sample")
    wh = data / "warehouse" / "eis.duckdb"
    ops_url = f"sqlite:///{tmp_path / 'ops.sqlite'}"
    first = build(data_dir=data, warehouse=wh, ops_url=ops_url)
    eng = ops.engine(ops_url)
    _verified(eng)
    entry.approve_round(eng, EXEC, 2570, 10)  # ... and the server dies before its build swaps
    leftover = wh.parent / ".eis.duckdb.4242.1700000000000000000.tmp"
    leftover.write_bytes(b"x" * 1024)
    port = free_port()
    env = {
        **os.environ,
        "SANYAN_DATA_DIR": str(data),
        "SANYAN_WAREHOUSE": str(wh),
        "SANYAN_OPS_URL": ops_url,
        "SANYAN_PORT": str(port),
        "SANYAN_HOST": "127.0.0.1",
        "SANYAN_BUILD_AT_START": "1",
    }
    proc = subprocess.Popen(
        [sys.executable, "app.py"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    url = f"http://127.0.0.1:{port}/healthz"
    try:
        seen = None
        for _ in range(1200):
            try:
                seen = get_json(url)[1]["snapshot"]
                if seen != first.version:
                    break
            except OSError:
                pass
            if proc.poll() is not None:
                raise AssertionError(proc.stderr.read().decode())
            time.sleep(0.1)
        assert seen and seen != first.version, "the approval was not built at start"
        for _ in range(100):  # the want is marked done just after the swap
            if not ops.builds_wanted(eng):
                break
            time.sleep(0.1)
        assert ops.builds_wanted(eng) == []
        assert not leftover.exists()
        con = duckdb.connect(str(wh), read_only=True)
        try:
            got = con.execute(
                "SELECT value, provenance FROM fct_kpi_actual WHERE kpi_code='K01' AND fiscal_year=2570 "
                "AND month=10 AND area_code='8601'"
            ).fetchall()
        finally:
            con.close()
        assert (777.0, "entered") in got
    finally:
        proc.terminate()
        proc.wait(timeout=10)
