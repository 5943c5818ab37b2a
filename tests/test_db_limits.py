"""Issue 20: a worker's memory is bounded where it can be. db.py keeps query results up to
SANYAN_QUERY_CACHE_MB (pandas' own count of their bytes, least recently used out; a result over a
quarter of it is not kept), and each worker's DuckDB connection takes SANYAN_DUCKDB_THREADS and
SANYAN_DUCKDB_MEMORY, checked before they reach SET."""

from __future__ import annotations

import os
import tempfile

import pytest

import db


def test_results_are_kept_up_to_a_number_of_bytes(built_warehouse, monkeypatch):
    monkeypatch.setenv("SANYAN_WAREHOUSE", str(built_warehouse))
    db.clear_cache()
    small = db.query("meta/snapshot")
    assert db.query("meta/snapshot") is small  # kept
    big = db.query("api/kpi_results", province="86", year=None, area=None, kpi=None)
    size = int(big.memory_usage(index=True, deep=True).sum())
    assert size > 1024 * 1024 // 4  # more than a quarter of a 1 MB cache
    monkeypatch.setenv("SANYAN_QUERY_CACHE_MB", "1")
    db.clear_cache()
    first = db.query("api/kpi_results", province="86", year=None, area=None, kpi=None)
    assert (
        db.query("api/kpi_results", province="86", year=None, area=None, kpi=None) is not first
    )  # too big to keep: asked again
    kept = db.query("meta/snapshot")
    assert db.query("meta/snapshot") is kept
    db.clear_cache()


def test_duckdb_threads_and_memory_per_worker(built_warehouse, monkeypatch):
    monkeypatch.setenv("SANYAN_WAREHOUSE", str(built_warehouse))
    monkeypatch.setenv("SANYAN_DUCKDB_THREADS", "1")
    monkeypatch.setenv("SANYAN_DUCKDB_MEMORY", "256MB")
    con = db._open(str(built_warehouse))
    try:
        threads, memory, spill = con.execute(
            "SELECT current_setting('threads'), current_setting('memory_limit'), current_setting('temp_directory')"
        ).fetchone()
    finally:
        con.close()
    assert int(threads) == 1 and memory == "244.1 MiB"  # 256 MB as DuckDB writes it
    assert spill.startswith(tempfile.gettempdir()) and str(os.getpid()) in spill  # spills there, not in the cwd
    for name, bad in (("SANYAN_DUCKDB_THREADS", "1; DROP"), ("SANYAN_DUCKDB_MEMORY", "1GB'; SET x='1")):
        monkeypatch.setenv(name, bad)
        with pytest.raises(ValueError, match=name):
            db._open(str(built_warehouse))
        monkeypatch.setenv(name, "1" if "THREADS" in name else "256MB")


def test_a_build_refuses_a_memory_limit_that_is_not_a_size_before_it_writes(tmp_path, monkeypatch):
    """SANYAN_BUILD_MEMORY reaches DuckDB's SET (no bound parameter there): anything but a size is
    refused by name, and no snapshot is written."""
    from etl.build import build
    from tests.conftest import make_data_dir

    monkeypatch.setenv("SANYAN_BUILD_MEMORY", "1GB'; ATTACH 'x")
    wh = tmp_path / "wh" / "eis.duckdb"
    with pytest.raises(ValueError, match="SANYAN_BUILD_MEMORY"):
        build(data_dir=make_data_dir(tmp_path / "data"), warehouse=wh, ops_url=f"sqlite:///{tmp_path / 'o.sqlite'}")
    assert not wh.exists() and not list(wh.parent.glob("*.duckdb*"))


def test_a_small_result_is_never_counted_below_its_bytes(built_warehouse, monkeypatch):
    """A small result is counted by a bound instead of measured (issue 29: measuring took ~0.5 ms
    of every cold query); the bound is never below pandas' own deep count, long Thai texts
    included (the KPI passport, the catalogue of every KPI, a district's rows)."""
    monkeypatch.setenv("SANYAN_WAREHOUSE", str(built_warehouse))
    db.clear_cache()
    for name, params in (
        ("cockpit/kpi_passport", {"kpi": "K01"}),
        ("entry/kpis", {}),
        ("cockpit/kpi_districts", {"kpi": "K01", "fy": 2570, "idx": 2, "province": "86"}),
        ("freshness/all", {}),
        ("meta/snapshot", {}),
    ):
        df = db.query(name, **params)
        measured = int(df.memory_usage(index=True, deep=True).sum())
        assert db._size(df) >= measured, (name, len(df), db._size(df), measured)
    db.clear_cache()
