"""Whole callback answers of the views that read only the snapshot, kept until the snapshot changes.

db.py already keeps query results per snapshot; at national scale (500 KPIs, 77 provinces) most
of a view's server time is then building its components and their JSON (bench/callbacks.py:
/kpi spends ~10× its queries' time there). A view that reads nothing but the immutable snapshot
gives the same answer to the same request from the same kind of reader, so its answer is kept:

* which callbacks: the page router for the pages in ``PAGES`` (exact paths) and ``PREFIXES``
  (path templates), and the outputs in ``OUTPUTS`` (the map's recolouring). Pages that also
  read the ops store (a KPI's directives, entry, meeting, admin, §9 register, …) never are.
* the key: the snapshot's version (``meta_snapshot.version``: a new build is a new key, and the
  same file under another path the same: prerender.py makes answers on the build's temporary
  file), the reader's role and the classifications it may read (nothing classified reaches another
  reader), the language, the day in Thailand (freshness words change at midnight) and the
  request body (outputs, inputs and states with their values);
* only a 200 answer that sets no cookie is kept; memory is bounded by bytes
  (``SANYAN_VIEW_CACHE_MB`` per process, least recently used first out); 0 turns it off.
* the page router's answer depends only on the URL (its pathname and search): a first visit and
  a link followed inside the app post different ``changedPropIds`` for the same view, and share
  one kept answer.
* **fresh pieces** (issue 29, "pages settle once"): a kept page may hold a piece that reads the ops
  store (the overview's "since the last meeting" and its "updating" notice). Its layout puts
  ``fresh(name)`` there: while an answer to be kept is made, a mark (the same for every reader,
  nothing of the store in it); every time a kept answer is served (a hit or the miss that made it),
  each mark is replaced by the piece made then, for this reader (``fresh_piece``: its language,
  its scope through db.query, its role), so the first answer carries it and no second round trip
  fills it. What is kept (here and in prerender.py's file) holds only the marks; a change in the
  store shows at the next request, without a new snapshot. Outside a kept answer (the view cache
  off, a page called directly) ``fresh`` is the piece itself.
* **warming** (issue 20): when a worker sees a new snapshot (and at its first request), a thread
  of its own asks every view in ``PAGES`` once as each kind of reader (each role, and the public
  for the pages it may read), through the app's own request handling (the access check, the
  classification, this cache), in the office's default language, and the open-data API's catalogue
  once: the governor is never the first reader after the night's build. ``SANYAN_WARM_VIEWS=0``
  turns it off. Then the pages readers go to next: the province's district pages (kept, as each kind
  of reader) and the detail of the ``WARM_DETAILS`` KPIs red at the latest month, lowest score
  first (not kept, it reads the ops store: its queries are, for every reader).

The access check (web/auth.py's ``before_request``) runs before this, for every request.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import flask

import db
from components import thai
from components.i18n import current_lang
from config import settings, views_path
from web import auth

PAGES = {"/", "/kpi", "/projects", "/gpp", "/map", "/indicators", "/open/kpi", "/open/indicators"}
PREFIXES = ("/district/",)
OUTPUTS = ("..map-graph.figure...",)
ROUTER = ".._pages_content.children..._pages_store.data.."

_lock = threading.Lock()
_store: OrderedDict[str, tuple[bytes, str]] = OrderedDict()
_bytes = 0
stats = {"hits": 0, "misses": 0}


def cacheable(body: dict) -> bool:
    out = body.get("output") or ""
    if out.startswith(OUTPUTS):
        return True
    if out != ROUTER:
        return False
    path = next(
        (
            i.get("value")
            for i in body.get("inputs") or []
            if i.get("id") == "_pages_location" and i.get("property") == "pathname"
        ),
        None,
    )
    if not isinstance(path, str):
        return False
    return (path.rstrip("/") or "/") in PAGES or path.startswith(PREFIXES)


def essence(body: dict):
    """What the answer depends on: for the page router, its inputs' values (the URL)."""
    if body.get("output") != ROUTER:
        return body
    return {
        "output": ROUTER,
        "inputs": [[i.get("id"), i.get("property"), i.get("value")] for i in body.get("inputs") or []],
        "state": [[i.get("id"), i.get("property"), i.get("value")] for i in body.get("state") or []],
    }


def key(body: dict) -> str:
    classes = auth.reader_classes()
    parts = [
        db.snapshot_version(),
        auth.role(),
        sorted(classes) if classes is not None else None,
        current_lang(),
        datetime.now(thai.THAI_TZ).date().isoformat(),
        essence(body),
    ]
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def _get(k: str):
    with _lock:
        hit = _store.get(k)
        if hit is not None:
            _store.move_to_end(k)
        return hit


def _put(k: str, data: bytes, mimetype: str) -> None:
    global _bytes
    limit = settings.view_cache_mb * 1024 * 1024
    if len(data) > limit // 4:  # one answer may not push out everything else
        return
    with _lock:
        if k in _store:
            return
        _store[k] = (data, mimetype)
        _bytes += len(data)
        while _bytes > limit and _store:
            _k, (old, _m) = _store.popitem(last=False)
            _bytes -= len(old)


# ---------------------------------------------------------------- fresh pieces (issue 29)
FRESH = re.compile(rb'"@@sanyan-fresh:([A-Za-z0-9_.-]+)@@"')  # a mark, as the answer's JSON holds it
_pieces: dict[str, Callable[[], object]] = {}


def fresh_piece(name: str):
    """Register ``fill`` (no arguments: it reads the current request's reader and language) as the
    piece ``name`` of a kept page; returns it unchanged. At import, so every worker knows the
    pieces of the answers it takes from the build's file."""

    def register(fill: Callable[[], object]) -> Callable[[], object]:
        _pieces[name] = fill
        return fill

    return register


def _keeping() -> bool:
    return flask.has_request_context() and bool(flask.g.get("sanyan_view_kept"))


def fresh(name: str):
    """The piece ``name`` in a layout: its mark while an answer to be kept is made, else the piece."""
    if _keeping():
        return f"@@sanyan-fresh:{name}@@"
    return make_piece(name)


def make_piece(name: str):
    """The piece for the current reader, now; None (nothing there) when it fails: a piece never
    breaks the page (its fill keeps its own fallback first)."""
    fill = _pieces.get(name)
    if fill is None:
        return None
    try:
        return fill()
    except Exception:  # the page without the piece rather than no page
        logging.getLogger("sanyan.viewcache").exception("the fresh piece %s failed", name)
        return None


def fill_in(data: bytes) -> bytes:
    """A kept answer's marks replaced by their pieces, made for the current reader."""
    if b"@@sanyan-fresh:" not in data:
        return data
    from plotly.io.json import to_json_plotly as to_json  # how Dash encodes its answers

    return FRESH.sub(lambda m: to_json(make_piece(m.group(1).decode())).encode(), data)


def clear() -> None:
    global _bytes
    with _lock:
        _store.clear()
        _bytes = 0


def init(server: flask.Flask) -> None:
    """Wrap Dash's callback endpoint (after auth.init, whose check runs first)."""
    endpoint = next(r.endpoint for r in server.url_map.iter_rules() if r.rule.endswith("/_dash-update-component"))
    view = server.view_functions[endpoint]

    def cached_update(*args, **kwargs):
        body = flask.request.get_json(silent=True) or {}
        if settings.view_cache_mb <= 0 or not cacheable(body):
            return view(*args, **kwargs)
        try:
            k = key(body)
        except db.WarehouseMissing:
            return view(*args, **kwargs)
        warming = bool(flask.g.get("sanyan_warming"))  # nobody reads it: no fresh pieces made
        hit = _get(k)
        if hit is not None:
            stats["hits"] += 1
            return flask.Response(hit[0] if warming else fill_in(hit[0]), 200, mimetype=hit[1])
        stats["misses"] += 1
        flask.g.sanyan_view_kept = True  # fresh pieces as marks (fresh): the answer is the snapshot's
        try:
            resp = flask.make_response(view(*args, **kwargs))
        finally:
            flask.g.sanyan_view_kept = False
        if resp.status_code == 200 and not resp.direct_passthrough:
            data = resp.get_data()
            if "Set-Cookie" not in resp.headers:
                _put(k, data, resp.mimetype)
            if not warming:
                resp.set_data(fill_in(data))
        return resp

    server.view_functions[endpoint] = cached_update
    db.on_new_snapshot(lambda: warm_soon(server))


# ---------------------------------------------------------------- warming
WARM_ROLES = ("executive", "admin", "viewer", "editor", "verifier", "public")
WARM_API = ("/api/v1/datasets",)
WARM_DETAILS = 20  # red KPIs whose detail pages' queries are run ahead, lowest score first
_warming = threading.Lock()
_warmed: set = set()  # the snapshots this process has warmed (or is warming)
warm_stats = {"runs": 0, "views": 0, "seconds": 0.0}


def router_body(path: str, search: str = "") -> dict:
    """What a browser posts for its first visit of ``path`` with ``search`` (the page router)."""
    changed = ["_pages_location.pathname", "_pages_location.search"]
    return {
        "output": ROUTER,
        "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": path},
            {"id": "_pages_location", "property": "search", "value": search},
        ],
        "changedPropIds": changed,
        "parsedChangedPropsIds": changed,
    }


def warm(server: flask.Flask, kept: bool = True, queries: bool = True) -> int:
    """Ask every view in ``PAGES`` once as each kind of reader who may open it, through the app's
    own request handling, then the district pages (``kept``: whole answers) and the red KPIs'
    details and the API's catalogue (``queries``: their query results, per process);
    returns how many answers were made."""
    import time

    from flask_login import AnonymousUserMixin

    t0 = time.perf_counter()
    made = 0
    more = _follow_ups()
    if kept:
        for path in [*sorted(PAGES), *more["kept"]]:  # kept, as each kind of reader who may open them
            for role in WARM_ROLES:
                if auth.may_open(path, role):
                    made += _ask(server, path, role) == 200
    if queries:
        for path in more["queries"]:  # a red KPI's detail is not kept (it reads the ops store); its queries are
            made += _ask(server, path, "executive") == 200
        for path in WARM_API:  # the open-data API's catalogue: its first call reads every dataset
            with server.test_request_context(path, base_url="http://localhost"):
                flask.g._login_user = AnonymousUserMixin()
                made += server.full_dispatch_request().status_code == 200
    took = time.perf_counter() - t0
    warm_stats["runs"] += 1
    warm_stats["views"] += made
    warm_stats["seconds"] += took
    logging.getLogger("sanyan.viewcache").info("warmed %d views of the new snapshot in %.1f s", made, took)
    return made


def _ask(server: flask.Flask, path: str, role: str) -> int:
    """The page router's answer for ``path`` as a reader of ``role`` (or the public), through the
    app's own request handling; its status code."""
    from flask_login import AnonymousUserMixin

    reader = AnonymousUserMixin() if role == "public" else auth.User(0, f"~warm-{role}", role, None, None)
    with server.test_request_context(
        "/_dash-update-component",
        method="POST",
        json=router_body(path),
        headers={"Origin": "http://localhost"},
        base_url="http://localhost",
    ):
        flask.g._login_user = reader  # flask-login's own slot: this reader, no session, no cookie
        flask.g.sanyan_warming = True  # the answer is kept, not read: its fresh pieces are not made
        return server.full_dispatch_request().status_code


def _follow_ups() -> dict[str, list[str]]:
    """Where readers go from the main views: the province's district pages (``kept``) and the
    detail of the KPIs red at the latest month, at most ``WARM_DETAILS`` (``queries``)."""
    from components import cockpit as ck

    area = settings.province
    districts = [f"/district/{c}" for c in db.query("meta/districts", province=area)["district_code"]]
    point = ck.resolve_point(db.query("cockpit/fiscal_years", area=area))
    red = []
    if point.fy is not None and point.idx is not None:
        red = list(db.query("cockpit/red_now", area=area, fy=point.fy, idx=point.idx, n=WARM_DETAILS)["kpi_code"])
    return {"kept": districts, "queries": [f"/kpi/{c}" for c in red]}


def warm_soon(server: flask.Flask) -> threading.Thread | None:
    """Once per snapshot and process: take the answers the build made (``load``: at once, in the
    request that found the new snapshot, before it is answered) and warm in a thread of its own
    what they lack (settings.warm_views): everything when there are none."""
    if settings.view_cache_mb <= 0:
        return None
    import os

    try:
        snap = (os.getpid(), db.snapshot_id())  # a forked worker warms for itself
    except db.WarehouseMissing:
        return None
    with _warming:
        if snap in _warmed:
            return None
        _warmed.add(snap)
    try:
        made = load(views_path(settings.warehouse), db.snapshot_version())
    except Exception:  # a damaged file: warm as without it
        logging.getLogger("sanyan.viewcache").exception("the build's answers could not be read")
        made = 0
    if not settings.warm_views:
        return None

    def work():
        try:
            warm(server, kept=not made)
        except Exception:  # a reader then pays the first answer, as without warming
            logging.getLogger("sanyan.viewcache").exception("warming the views failed")

    thread = threading.Thread(target=work, name="sanyan-warm", daemon=True)
    thread.start()
    return thread


# ---------------------------------------------------------------- answers made by the build
def dump(path: Path, version: str) -> int:
    """Write every kept answer (made for snapshot ``version``) to ``path`` (SQLite), whole or not at
    all (a temporary file renamed); how many."""
    import sqlite3

    with _lock:
        rows = list(_store.items())
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    con = sqlite3.connect(tmp)
    try:
        con.execute("CREATE TABLE meta (version TEXT NOT NULL, made_at TEXT NOT NULL)")
        con.execute("CREATE TABLE views (key TEXT PRIMARY KEY, mimetype TEXT NOT NULL, data BLOB NOT NULL)")
        con.execute("INSERT INTO meta VALUES (?, ?)", (version, datetime.now(thai.THAI_TZ).isoformat()))
        con.executemany("INSERT INTO views VALUES (?, ?, ?)", [(k, m, d) for k, (d, m) in rows])
        con.commit()
    finally:
        con.close()
    os.replace(tmp, path)
    return len(rows)


def load(path: Path, version: str) -> int:
    """Keep the answers of ``path`` when they were made for snapshot ``version``; how many."""
    import sqlite3

    if not path.is_file():
        return 0
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        made_for = con.execute("SELECT version FROM meta").fetchone()
        if made_for is None or made_for[0] != version:
            return 0  # another snapshot's (the swap in between): warm as without it
        n = 0
        for k, mimetype, data in con.execute("SELECT key, mimetype, data FROM views"):
            _put(k, bytes(data), mimetype)
            n += 1
    finally:
        con.close()
    stats["loaded"] = stats.get("loaded", 0) + n
    logging.getLogger("sanyan.viewcache").info("took %d answers the build made for snapshot %s", n, version)
    return n
