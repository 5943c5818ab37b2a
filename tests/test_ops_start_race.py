"""Workers starting together on a fresh ops store (gunicorn's, `make run`'s two): each sees a table
missing and creates it; all but one are told it already exists. None may die of it (a dead
worker stops gunicorn: bench/load.py's server did not boot on 8 December 2026)."""

from __future__ import annotations

import subprocess
import sys

import sqlalchemy as sa

import ops
from config import ROOT

START = """
import sys, time
t = float(sys.argv[2])
while time.time() < t:
    pass
import ops, ops.gdc, ops.line  # every module that adds tables, as the app imports them
ops.engine(sys.argv[1])
"""


def test_workers_starting_together_on_a_fresh_store_all_start(tmp_path):
    import time

    for round_ in range(3):
        url = f"sqlite:///{tmp_path / f'ops{round_}.sqlite'}"
        at = time.time() + 3  # after every process has started Python: they create the tables at once
        procs = [
            subprocess.Popen([sys.executable, "-c", START, url, str(at)], cwd=ROOT, stderr=subprocess.PIPE, text=True)
            for _ in range(6)
        ]
        for p in procs:
            _out, err = p.communicate(timeout=120)
            assert p.returncode == 0, err[-2000:]
        names = set(sa.inspect(sa.create_engine(url)).get_table_names())
        assert {"gdc_overrides", "users", "rounds"} <= names


def test_a_worker_told_the_table_exists_looks_again(tmp_path, monkeypatch):
    """The race made certain: the first create_all finds the tables made by another process
    between its look and its CREATE, as SQLite says it; the worker looks again and starts."""
    real = ops.metadata.create_all
    calls = []

    def racing(eng, *a, **k):
        calls.append(1)
        if len(calls) == 1:
            real(eng, *a, **k)  # the other worker's tables
            with eng.connect() as con:
                try:
                    con.exec_driver_sql("CREATE TABLE users (x INTEGER)")  # what the loser tried
                except sa.exc.OperationalError as e:
                    raise e from None
        return real(eng, *a, **k)

    monkeypatch.setattr(ops.metadata, "create_all", racing)
    eng = ops.engine(f"sqlite:///{tmp_path / 'ops.sqlite'}")
    assert len(calls) == 2 and "users" in sa.inspect(eng).get_table_names()
