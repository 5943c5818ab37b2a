"""Whole callback answers of the views that read only the snapshot, kept until the snapshot changes.

db.py already keeps query results per snapshot; at national scale (500 KPIs, 77 provinces) most
of a view's server time is then building its components and their JSON (bench/callbacks.py:
/kpi spends ~10× its queries' time there). A view that reads nothing but the immutable snapshot
gives the same answer to the same request from the same kind of reader, so its answer is kept:

* which callbacks: the page router for the pages in ``PAGES`` (exact paths) and ``PREFIXES``
  (path templates), and the outputs in ``OUTPUTS`` (the map's recolouring). Pages that also
  read the ops store (a KPI's directives, entry, meeting, admin, §9 register, …) never are.
* the key: the snapshot's identity (path, inode, mtime, size: a new build is a new key), the
  reader's role and the classifications it may read (nothing classified reaches another
  reader), the language, the day in Thailand (freshness words change at midnight) and the
  request body (outputs, inputs and states with their values);
* only a 200 answer that sets no cookie is kept; memory is bounded by bytes
  (``SANYAN_VIEW_CACHE_MB`` per process, least recently used first out); 0 turns it off.

The access check (web/auth.py's ``before_request``) runs before this, for every request.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from datetime import datetime

import flask

import db
from components import thai
from components.i18n import current_lang
from config import settings
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


def key(body: dict) -> str:
    classes = auth.reader_classes()
    parts = [
        db.snapshot_id(),
        auth.role(),
        sorted(classes) if classes is not None else None,
        current_lang(),
        datetime.now(thai.THAI_TZ).date().isoformat(),
        body,
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
        hit = _get(k)
        if hit is not None:
            stats["hits"] += 1
            return flask.Response(hit[0], 200, mimetype=hit[1])
        stats["misses"] += 1
        resp = flask.make_response(view(*args, **kwargs))
        if resp.status_code == 200 and "Set-Cookie" not in resp.headers and not resp.direct_passthrough:
            _put(k, resp.get_data(), resp.mimetype)
        return resp

    server.view_functions[endpoint] = cached_update
