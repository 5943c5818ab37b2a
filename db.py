"""The only place the app touches the warehouse.

* One read-only DuckDB connection per process, guarded by a lock; one cursor per thread
  (DuckDB connections are not thread-safe, cursors are cheap), reused until the snapshot changes.
* Results are cached per snapshot (the snapshot is immutable), least recently used first out.
* A new snapshot is picked up without a restart: ``python -m etl build`` swaps the file in
  with ``os.replace``, so every call compares ``os.stat`` (inode, mtime, size) with the
  snapshot the connection was opened on and opens a new connection when it changed. The old
  connection is not closed here: a thread may be mid-query on it. It is dropped when the last
  call holding a reference returns.
* Named queries: ``query("gpp/official_totals", province="86")`` runs
  ``queries/gpp/official_totals.sql`` with DuckDB named parameters (``$province``), always
  bound, never formatted into the SQL.
* Classified KPIs: every result that carries a KPI code (``kpi_code``, ``leading_kpi_code``,
  ``lagging_kpi_code``) loses the rows of KPIs whose classification the reader may not see.
  ``reader_classes`` says what the current reader may see (web/auth.py sets it from the signed-in
  role; the CLI and benchmarks read everything). Being here, no page can forget it.

Why ``ATTACH`` instead of ``duckdb.connect(path, read_only=True)``: DuckDB keeps a
process-wide cache of open database instances keyed by path. While the old connection is still
alive, ``duckdb.connect(same_path)`` returns the *old* instance, i.e. the replaced snapshot
(tried on duckdb 2.0.0). An in-memory connection that attaches the file read-only gets a fresh
instance every time, so the new snapshot is really read.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from config import ROOT, settings

log = logging.getLogger(__name__)

QUERIES_DIR = ROOT / "queries"
_ALIAS = "wh"
_NAME_RE = re.compile(r"^[a-z0-9_]+/[a-z0-9_]+$")


class WarehouseMissing(RuntimeError):
    """The warehouse file does not exist (run ``python -m etl build``)."""


@dataclass(frozen=True)
class _Snapshot:
    path: str
    key: tuple[int, int, int]  # (st_ino, st_mtime_ns, st_size)
    con: duckdb.DuckDBPyConnection


class _Held:
    """A thread's cursor on a snapshot (``_local.held``), reused until the snapshot changes.
    ``busy`` (a count) from ``_cursor()`` until ``_idle()``: the thread that opens a newer snapshot closes
    the idle ones of the older (under ``_lock``), so that a thread that serves nothing for hours
    does not keep the old snapshot's DuckDB instance, and the blocks it read (up to
    SANYAN_DUCKDB_MEMORY), alive until its next query."""

    __slots__ = ("snap", "cur", "busy", "__weakref__")

    def __init__(self, snap: _Snapshot, cur: duckdb.DuckDBPyConnection):
        self.snap: _Snapshot | None = snap
        self.cur: duckdb.DuckDBPyConnection | None = cur
        self.busy = 1


_lock = threading.Lock()
_current: _Snapshot | None = None
_local = threading.local()  # per thread: its _Held
_held: weakref.WeakSet[_Held] = weakref.WeakSet()  # every live thread's (guarded by _lock)


def _stat_key(path: str) -> tuple[int, int, int]:
    st = os.stat(path)
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def _engine_settings() -> dict[str, str]:
    """DuckDB's threads and memory limit for this worker (settings; empty: DuckDB's own defaults),
    both checked by config.py against a fixed pattern, because SET takes no bound parameter."""
    out = {}
    threads, memory = settings.duckdb_threads, settings.duckdb_memory
    if threads:
        out["threads"] = threads
    if memory:
        out["memory_limit"] = f"'{memory}'"
        # beyond the limit a query spills here (one folder per process), not into the working directory
        spill = Path(tempfile.gettempdir()) / f"sanyan-duckdb-{os.getpid()}"
        out["temp_directory"] = "'" + str(spill).replace("'", "''") + "'"
    return out


def _open(path: str) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    for name, value in _engine_settings().items():  # both checked against a fixed pattern above
        con.execute(f"SET {name} = {value}")
    # The path is bound, not formatted; the alias is a constant.
    con.execute(f"ATTACH $path AS {_ALIAS} (READ_ONLY)", {"path": path})
    return con


def _cursor() -> tuple[duckdb.DuckDBPyConnection, duckdb.DuckDBPyConnection]:
    """Return (connection, cursor) for the current snapshot.

    The caller keeps the connection referenced until it is done with the cursor, then calls
    ``_idle()``.
    """
    global _current
    path = _resolved(str(settings.warehouse))
    try:
        key = _stat_key(path)
    except FileNotFoundError:
        raise WarehouseMissing(path) from None
    with _lock:
        snap = _current
        if snap is None or snap.path != path or snap.key != key:
            try:
                snap = _Snapshot(path, key, _open(path))
            except duckdb.IOException as exc:
                if not os.path.exists(path):
                    raise WarehouseMissing(path) from exc
                raise
            if _current is not None:
                log.info("warehouse snapshot changed, reopening %s", path)
            _current = snap  # the old connection goes when its last user returns
            _forget_results()  # results of the old snapshot are never served again
            for other in list(_held):  # idle threads' cursors on an older snapshot: closed now
                if other.busy == 0 and other.snap is not snap:
                    _close(other)
            fresh = True
        else:
            fresh = False
        mine = getattr(_local, "held", None)
        if mine is not None and mine.snap is snap:
            mine.busy += 1
            return snap.con, mine.cur
        if mine is not None and mine.busy == 0:
            _close(mine)
        held = _Held(snap, snap.con.cursor())
        _held.add(held)
    held.cur.execute(f"USE {_ALIAS}")
    _local.held = held  # a cursor is used by one thread only; reused until the snapshot changes
    if fresh:
        for listener in list(_listeners):
            listener()
    return snap.con, held.cur


def _close(held: _Held) -> None:
    """Close a thread's cursor that no one is using (the caller holds ``_lock``)."""
    cur, held.snap, held.cur = held.cur, None, None
    _held.discard(held)
    if cur is not None:
        try:
            cur.close()
        except duckdb.Error:
            log.warning("could not close a cursor of an older snapshot", exc_info=True)


def _idle() -> None:
    """This thread is done with its cursor for now; closed if its snapshot is no longer current."""
    held = getattr(_local, "held", None)
    if held is None:
        return
    with _lock:
        held.busy = max(held.busy - 1, 0)
        if held.busy == 0 and held.snap is not _current:
            _close(held)


_listeners: list[Callable[[], None]] = []


def on_new_snapshot(listener: Callable[[], None]) -> None:
    """Call ``listener()`` (quickly: start a thread) each time this process opens a snapshot, the
    first one included (web/viewcache.py warms its views)."""
    _listeners.append(listener)


def snapshot_id() -> tuple:
    """The identity of the snapshot this thread reads: (path, inode, mtime, size). A new build
    is a new identity (web/viewcache.py keys whole answers on it)."""
    con, _cur = _cursor()
    del con
    snap = _local.held.snap
    _idle()
    return (snap.path, *snap.key)


def snapshot_version() -> str:
    """The version of the snapshot this thread reads (``meta_snapshot.version``): the same for the
    file under any path or inode, so that answers made before it was swapped in (prerender.py,
    on the build's temporary file) are found after it (web/viewcache.py keys whole answers on it)."""
    return str(_query("meta/snapshot")["version"].iloc[0])


@lru_cache(maxsize=8)
def _resolved(path: str) -> str:
    return str(Path(path).resolve())


@cache
def sql_text(name: str) -> str:
    """The text of a named query, ``<domain>/<name>``, read once per process."""
    if not _NAME_RE.match(name):
        raise ValueError(f"bad query name: {name!r}")
    path = QUERIES_DIR / f"{name}.sql"
    if not path.is_file():
        raise KeyError(f"no such query: {name}")
    return path.read_text(encoding="utf-8")


def available() -> bool:
    """True when the warehouse file exists."""
    return Path(settings.warehouse).is_file()


_CACHE_SIZE = 512  # results at most; and at most settings.query_cache_mb of them (pandas' own count)
_cache: OrderedDict[tuple, tuple[pd.DataFrame, int]] = OrderedDict()  # key -> (result, its bytes)
_cache_total = 0  # the bytes of every kept result


def _forget_results() -> None:
    """Empty the kept results (the caller holds ``_lock``)."""
    global _cache_total
    _cache.clear()
    _cache_total = 0


# What the current reader may see: a set of classifications, or None for everything.
def _everything() -> frozenset[str] | None:
    return None


reader_classes: Callable[[], frozenset[str] | None] = _everything
KPI_COLUMNS = ("kpi_code", "leading_kpi_code", "lagging_kpi_code")
INDICATOR_COLUMNS = ("indicator_code",)


def query(name: str, **params: Any) -> pd.DataFrame:
    """Run the named query ``queries/<name>.sql`` with bound parameters, without the rows of
    KPIs and provincial indicators the current reader may not see (see ``reader_classes``)."""
    df = _query(name, **params)
    allowed = reader_classes()
    if allowed is None or df.empty:
        return df
    for columns, classes_query, key in (
        (KPI_COLUMNS, "meta/kpi_classes", "kpi_code"),
        (INDICATOR_COLUMNS, "meta/indicator_classes", "indicator_code"),
    ):
        cols = [c for c in columns if c in df.columns]
        if not cols:
            continue
        classes = _query(classes_query)
        hidden = set(classes.loc[~classes["classification"].isin(allowed), key])
        if hidden:
            df = df[~df[cols].isin(hidden).any(axis=1)]
    return df


def _query(name: str, **params: Any) -> pd.DataFrame:
    """Run the named query ``queries/<name>.sql`` with bound parameters.

    A snapshot never changes once built, so results are kept (least recently used, per process)
    under the snapshot's identity: the same view asked again is answered from memory, and a new
    snapshot starts afresh. Callers must not modify the frame in place (pandas copy-on-write
    makes ordinary filtering and assignment safe)."""
    sql = sql_text(name)
    con, cur = _cursor()
    global _cache_total
    try:
        snap = _local.held.snap  # the snapshot this thread's cursor reads
        key = (snap.path, snap.key, name, tuple(sorted((k, repr(v)) for k, v in params.items())))
        with _lock:
            hit = _cache.get(key)
            if hit is not None:
                _cache.move_to_end(key)
                return hit[0]
        df = cur.execute(sql, params).df() if params else cur.execute(sql).df()
    finally:
        del con
        _idle()
    size = _size(df)  # measured outside the lock
    limit = settings.query_cache_mb * 1024 * 1024
    with _lock:
        if size <= limit // 4:  # one result may not push out everything else
            _cache_total += size - (_cache.pop(key, (None, 0))[1])  # another thread may have kept it meanwhile
            _cache[key] = (df, size)
        while _cache and (len(_cache) > _CACHE_SIZE or _cache_total > limit):
            _old, (_df, gone) = _cache.popitem(last=False)
            _cache_total -= gone
    return df


_SMALL = 64  # rows: a frame this small is sized by a bound, not measured (pandas' measuring costs ~0.5 ms)
_CELL_BOUND = 512  # bytes a cell of a small frame is counted as: above a number (8) and a Thai text of ~200 characters


def _size(df: pd.DataFrame) -> int:
    """The bytes a result is counted as in the cache: measured (strings included) for a large
    frame, bounded from above for a small one (most of a page's queries: one KPI, a year's months)."""
    if len(df) <= _SMALL:
        return (len(df) + 1) * (len(df.columns) + 1) * _CELL_BOUND
    return int(df.memory_usage(index=True, deep=True).sum())


def frame_bytes(df: pd.DataFrame) -> int:
    """The bytes a frame is counted as in a cache (this module's, web/api.py's datasets)."""
    return _size(df)


def clear_cache() -> None:
    """Forget cached results (benchmarks measure the cold path with it)."""
    with _lock:
        _forget_results()


def snapshot_info() -> dict:
    """Version and build time of the open snapshot; values are None when there is none."""
    empty = {"version": None, "built_at": None, "as_of": None, "province_code": None, "build_seconds": None}
    if not available():
        return empty
    try:
        df = query("meta/snapshot")
    except WarehouseMissing:
        return empty
    except duckdb.Error:
        # an unreadable snapshot must not take the shell (navbar, footer, /healthz) down
        log.exception("cannot read meta_snapshot from %s", settings.warehouse)
        return empty
    if df.empty:
        return empty
    row = df.iloc[0]
    out = dict(empty)
    for k in out:
        if k in df.columns:
            v = row[k]
            out[k] = None if pd.isna(v) else _plain(v)
    return out


def _plain(v: Any) -> Any:
    """numpy/pandas scalars to plain Python (JSON-friendly)."""
    if hasattr(v, "to_pydatetime"):
        return v.to_pydatetime()
    if hasattr(v, "item"):
        return v.item()
    return v
