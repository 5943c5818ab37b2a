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
