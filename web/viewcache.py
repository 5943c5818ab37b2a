"""Whole callback answers of the views that read only the snapshot, kept until the snapshot changes.

db.py already keeps query results per snapshot; at national scale (500 KPIs, 77 provinces) most
of a view's server time is then building its components and their JSON (bench/callbacks.py:
/kpi spends ~10× its queries' time there). A view that reads nothing but the immutable snapshot
gives the same answer to the same request from the same kind of reader, so its answer is kept:

* which callbacks: the page router for the pages in ``PAGES`` (exact paths) and ``PREFIXES``
  (path templates: a district's page, a KPI's detail), and the outputs in ``OUTPUTS`` (the map's
  recolouring, keyed on its inputs' values and which changed: ``essence``). Pages that read the ops
  store through and through (entry, meeting, admin, §9 register, …) never are; a kept page's parts
  that read it are fresh pieces (below).
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
  store (the overview's "since the last meeting" and its "updating" notice; a KPI's commentary,
  follow box and directives). Its layout puts ``fresh(name, **args)`` there (``args``: a KPI's
  code, a year; only ``[A-Za-z0-9_.-]`` values, carried in the mark, given to the piece as strings;
  the piece checks them and the reader's right to what they name, as a callback does): while an answer to be kept is made, a mark (the same for every reader,
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
  turns it off. Then the views readers go to next (``_follow_ups``), kept as each kind of reader: the
  province's district pages, the KPI tree as the overview links to it and with its tier and type
  filters (``TREE_FILTERS``), the detail of the ``WARM_DETAILS`` KPIs red at the latest month
  (lowest score first), both as the app's links have them (with the year) and bare, and the map's
  change to each layer (``_map_changes``). prerender.py makes the same for the build.
* the same bytes under several keys (readers of the same classes, a URL with and without the
  latest year) are kept once (``_blobs``), in memory and in the build's file.

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
PREFIXES = ("/district/", "/kpi/")
OUTPUTS = ("..map-graph.figure...",)
ROUTER = ".._pages_content.children..._pages_store.data.."

_lock = threading.Lock()
_store: OrderedDict[str, tuple[bytes, str]] = OrderedDict()
# one copy of each distinct answer (readers of the same classes mostly get the same bytes): its
# SHA-256 -> [the answer, how many keys hold it]; memory counts each distinct answer once
_blobs: dict[bytes, list] = {}
_digests: dict[str, bytes] = {}  # key -> the SHA-256 of its answer
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
    """What the answer depends on: for the page router, its inputs' values (the URL); for the map's
    recolouring, its inputs' values and which of them changed (a level change is a new URL, a layer
    or a year change a recolouring): its State (the URL's search) only orders it, it is not read,
    so the layer changes made ahead (``map_body``) answer whatever URL the browser is at."""
    out = body.get("output")
    if isinstance(out, str) and out.startswith(OUTPUTS):
        changed = body.get("changedPropIds")
        return {
            "output": out,
            "changed": sorted(map(str, changed)) if isinstance(changed, list) else changed,
            "inputs": [[i.get("id"), i.get("property"), i.get("value")] for i in body.get("inputs") or []],
        }
    if out != ROUTER:
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


def _put(k: str, data: bytes, mimetype: str, digest: bytes | None = None) -> None:
    global _bytes
    limit = settings.view_cache_mb * 1024 * 1024
    if len(data) > limit // 4:  # one answer may not push out everything else
        return
    digest = digest or hashlib.sha256(data).digest()
    with _lock:
        if k in _store:
            return
        blob = _blobs.get(digest)
        if blob is None:  # a new answer; else the same bytes another key holds, shared
            blob = _blobs[digest] = [data, 0]
            _bytes += len(data)
        blob[1] += 1
        _store[k] = (blob[0], mimetype)
        _digests[k] = digest
        while _bytes > limit and _store:
            old, _m = _store.popitem(last=False)
            gone = _digests.pop(old)
            _blobs[gone][1] -= 1
            if not _blobs[gone][1]:
                _bytes -= len(_blobs.pop(gone)[0])


# ---------------------------------------------------------------- fresh pieces (issue 29)
# a mark, as the answer's JSON holds it: the piece's name and its arguments (``:name=value`` each)
FRESH = re.compile(rb'"@@sanyan-fresh:([A-Za-z0-9_.-]+)((?::[A-Za-z_][A-Za-z0-9_]*=[A-Za-z0-9_.-]+)*)@@"')
VALUE = re.compile(r"[A-Za-z0-9_.-]+")  # what a piece's name and each argument's value may be
ARG = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")  # an argument's name
_pieces: dict[str, Callable[..., object]] = {}


def fresh_piece(name: str):
    """Register ``fill`` as the piece ``name`` of a kept page; returns it unchanged. At import, so
    every worker knows the pieces of the answers it takes from the build's file. ``fill`` reads the
    current request's reader and language; it gets the arguments its ``fresh`` call gave, as
    keyword arguments, every value a string (they come out of a mark in the kept answer): it checks
    them, and the reader's right to what they name (a KPI), as a callback does."""

    def register(fill: Callable[..., object]) -> Callable[..., object]:
        _pieces[name] = fill
        return fill

    return register


def _keeping() -> bool:
    return flask.has_request_context() and bool(flask.g.get("sanyan_view_kept"))


def _args(args: dict) -> dict[str, str] | None:
    """A piece's arguments as its mark carries them (strings; None values left out), or None when
    one cannot be carried (a name or value outside ``ARG`` / ``VALUE``)."""
    out = {}
    for k, v in sorted(args.items()):
        if v is None:
            continue
        v = str(v)
        if not (ARG.fullmatch(k) and VALUE.fullmatch(v)):
            return None
        out[k] = v
    return out


def fresh(name: str, **args):
    """The piece ``name`` (with small ``args``: a KPI's code, a year) in a layout: its mark while an
    answer to be kept is made, else the piece. The arguments reach the piece as strings, kept or
    not. One that a mark cannot carry (``VALUE``): the piece itself, and the answer is not kept."""
    if not VALUE.fullmatch(name):
        raise ValueError(f"a fresh piece's name: {name!r}")
    carried = _args(args)
    if _keeping():
        if carried is not None:
            return "@@sanyan-fresh:" + "".join([name, *(f":{k}={v}" for k, v in carried.items())]) + "@@"
        flask.g.sanyan_view_unkept = True  # this answer holds the piece itself: it is this reader's
    if carried is None:
        carried = {k: str(v) for k, v in args.items() if v is not None}
    return make_piece(name, **carried)


def make_piece(name: str, **args: str):
    """The piece for the current reader, now; None (nothing there) when it fails: a piece never
    breaks the page (its fill keeps its own fallback first)."""
    fill = _pieces.get(name)
    if fill is None:
        return None
    try:
        return fill(**args)
    except Exception:  # the page without the piece rather than no page
        logging.getLogger("sanyan.viewcache").exception("the fresh piece %s failed", name)
        return None


def _piece_for(m: re.Match) -> bytes:
    from plotly.io.json import to_json_plotly as to_json  # how Dash encodes its answers

    args = dict(a.split("=", 1) for a in m.group(2).decode().split(":")[1:])
    return to_json(make_piece(m.group(1).decode(), **args)).encode()


def fill_in(data: bytes) -> bytes:
    """A kept answer's marks replaced by their pieces, made for the current reader."""
    if b"@@sanyan-fresh:" not in data:
        return data
    return FRESH.sub(_piece_for, data)


def clear() -> None:
    global _bytes
    with _lock:
        _store.clear()
        _blobs.clear()
        _digests.clear()
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
        flask.g.sanyan_view_unkept = False
        try:
            resp = flask.make_response(view(*args, **kwargs))
        finally:
            flask.g.sanyan_view_kept = False
        if resp.status_code == 200 and not resp.direct_passthrough:
            data = resp.get_data()
            if "Set-Cookie" not in resp.headers and not flask.g.get("sanyan_view_unkept"):
                _put(k, data, resp.mimetype)
            if not warming:
                resp.set_data(fill_in(data))
        return resp

    server.view_functions[endpoint] = cached_update
    db.on_new_snapshot(lambda: warm_soon(server))


# ---------------------------------------------------------------- warming
WARM_ROLES = ("executive", "admin", "viewer", "editor", "verifier", "public")
WARM_API = ("/api/v1/datasets",)
WARM_DETAILS = 20  # red KPIs whose detail pages are made ahead, lowest score first
WARM_LAYERS = 400  # the map's layers whose changes are made ahead (pages/map.py's order)
# the KPI tree's filters made ahead (pages/kpi.py: importance tier 1-3, leading/lagging): each alone, each pair
TREE_FILTERS = [(t, None) for t in ("1", "2", "3")] + [(None, k) for k in ("leading", "lagging")]
TREE_FILTERS += [(t, k) for t in ("1", "2", "3") for k in ("leading", "lagging")]
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
    own request handling, then the views readers go to next (``_follow_ups``: the district pages,
    the KPI tree's filters, the red KPIs' details, the map's layers) and (``kept``: whole answers),
    and the API's catalogue (``queries``: its query results, per process); returns how many
    answers were made."""
    import time

    from flask_login import AnonymousUserMixin

    t0 = time.perf_counter()
    made = 0
    if kept:
        more = _follow_ups()
        views = [(p, "") for p in sorted(PAGES)] + more["districts"] + more["tree"] + more["details"]
        for path, search in views:  # kept, as each kind of reader who may open them
            for role in WARM_ROLES:
                if auth.may_open(path, role):
                    made += _ask(server, router_body(path, search), role) == 200
        for role in WARM_ROLES:  # the map's layer changes, each reader with the layers it may read
            if auth.may_open("/map", role):
                for body in _map_changes(server, role):
                    made += _ask(server, body, role) == 200
    if queries:
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


def _reader(role: str):
    from flask_login import AnonymousUserMixin

    return AnonymousUserMixin() if role == "public" else auth.User(0, f"~warm-{role}", role, None, None)


def _ask(server: flask.Flask, body: dict, role: str) -> int:
    """The answer to the callback request ``body`` (the page router's: ``router_body``) as a reader
    of ``role`` (or the public), through the app's own request handling; its status code."""
    with server.test_request_context(
        "/_dash-update-component",
        method="POST",
        json=body,
        headers={"Origin": "http://localhost"},
        base_url="http://localhost",
    ):
        flask.g._login_user = _reader(role)  # flask-login's own slot: this reader, no session, no cookie
        flask.g.sanyan_warming = True  # the answer is kept, not read: its fresh pieces are not made
        return server.full_dispatch_request().status_code


# the map's recolouring (pages/map.py ``_update``): what a browser posts when the layer changes
MAP_INPUTS = (("map-level", "value"), ("map-layer", "value"), ("map-year", "value"))
MAP_STATE = (("map-url", "search"),)
MAP_OUTPUTS = (
    "map-graph.figure",
    "map-url.search",
    "map-nav.href",
    "map-year.options",
    "map-year.value",
    "map-note.children",
    "map-fresh.children",
)


def map_body(layer: str, year: str, level: str = "district") -> dict:
    """What a browser posts when the map's layer becomes ``layer`` (the year list showing ``year``)."""
    outs = [o.split(".", 1) for o in MAP_OUTPUTS]
    values = dict(zip(MAP_INPUTS, (level, layer, year)))
    return {
        "output": ".." + "...".join(MAP_OUTPUTS) + "..",
        "outputs": [{"id": i, "property": p} for i, p in outs],
        "inputs": [{"id": i, "property": p, "value": values[(i, p)]} for i, p in MAP_INPUTS],
        "changedPropIds": ["map-layer.value"],
        "state": [{"id": i, "property": p, "value": ""} for i, p in MAP_STATE],
    }


_map_layers: list[Callable[[str, str], dict]] = []  # pages/map.py's ``layers``, registered at its import


def map_layers(fill: Callable[[str, str], dict]) -> Callable[[str, str], dict]:
    """Register the map's list of layers (level, language -> layer id -> {years, ...}), so that
    warming knows the layer changes to make ahead without this module importing a page (the
    house's rule: web never imports pages); returns it unchanged."""
    _map_layers[:] = [fill]
    return fill


def _map_changes(server: flask.Flask, role: str) -> list[dict]:
    """The map's layer changes as ``role`` may make them: each layer it may read (pages/map.py
    ``layers``, at the default level), at its latest year (what the map shows when it changes to
    it), in the office's default language; at most ``WARM_LAYERS`` (the list's order)."""
    if not _map_layers:
        return []
    with server.test_request_context("/", base_url="http://localhost"):
        flask.g._login_user = _reader(role)
        avail = _map_layers[0]("district", current_lang())
    return [map_body(k, str(m["years"][-1])) for k, m in list(avail.items())[:WARM_LAYERS] if m.get("years")]


def _follow_ups() -> dict[str, list[tuple[str, str]]]:
    """Where readers go from the main views, as (path, search): the province's district pages
    (``districts``); the KPI tree as the overview links to it and with each of its importance-tier
    and type filters and each pair of them (``tree``), as its filters' own URL has them (with the
    year) and as a bare link (without); the detail of the KPIs red at the latest month, lowest score
    first, at most ``WARM_DETAILS``, as the overview and the tree link to them (with the year) and
    bare (``details``)."""
    from components import cockpit as ck

    area = settings.province
    districts = [(f"/district/{c}", "") for c in db.query("meta/districts", province=area)["district_code"]]
    point = ck.resolve_point(db.query("cockpit/fiscal_years", area=area))
    if point.fy is None or point.idx is None:
        return {"districts": districts, "tree": [], "details": []}
    red = list(db.query("cockpit/red_now", area=area, fy=point.fy, idx=point.idx, n=WARM_DETAILS)["kpi_code"])
    at = ck.query_string(fy=point.fy, round=point.round)  # the overview's and the tree's links
    tree = [("/kpi", at)] if at else []
    for tier, type_ in TREE_FILTERS:
        tree.append(("/kpi", ck.query_string(fy=point.fy, round=point.round, tier=tier, type=type_)))
        tree.append(("/kpi", ck.query_string(tier=tier, type=type_)))
    details = [(f"/kpi/{c}", s) for c in red for s in dict.fromkeys([at, ""])]
    return {"districts": districts, "tree": list(dict.fromkeys(tree)), "details": details}


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
CODE = ("app.py", "db.py", "config.py", "pages", "components", "web", "queries", "assets")


def code_version() -> str:
    """A fingerprint of the code that makes the answers (the pages, their components and queries,
    the assets): a build's answers are taken only by a worker running the same code, so an
    upgrade served on an unchanged snapshot never shows pages the old code made. Read once per
    process."""
    global _code_version
    if _code_version is None:
        from config import ROOT

        h = hashlib.sha256()
        for name in CODE:
            top = ROOT / name
            files = [top] if top.is_file() else sorted(top.rglob("*"))
            for f in files:
                if f.is_file() and f.suffix in (".py", ".sql", ".js", ".css") and "__pycache__" not in f.parts:
                    h.update(str(f.relative_to(ROOT)).encode() + b"\0" + f.read_bytes())
        _code_version = h.hexdigest()[:20]
    return _code_version


_code_version: str | None = None


def dump(path: Path, version: str) -> int:
    """Write every kept answer (made for snapshot ``version``) to ``path`` (SQLite), whole or not at
    all (a temporary file renamed); how many. Each distinct answer once (``blobs``, by its SHA-256),
    the keys in the order they were kept (``views``: the main views first)."""
    import sqlite3

    with _lock:
        rows = [(k, m, _digests[k]) for k, (_d, m) in _store.items()]
        blobs = [(d, b[0]) for d, b in _blobs.items()]
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    con = sqlite3.connect(tmp)
    try:
        con.execute("CREATE TABLE meta (version TEXT NOT NULL, made_at TEXT NOT NULL, code TEXT NOT NULL)")
        con.execute("CREATE TABLE blobs (digest BLOB PRIMARY KEY, data BLOB NOT NULL)")
        con.execute("CREATE TABLE views (key TEXT PRIMARY KEY, mimetype TEXT NOT NULL, digest BLOB NOT NULL)")
        con.execute(
            "INSERT INTO meta VALUES (?, ?, ?)", (version, datetime.now(thai.THAI_TZ).isoformat(), code_version())
        )
        con.executemany("INSERT INTO blobs VALUES (?, ?)", blobs)
        con.executemany("INSERT INTO views VALUES (?, ?, ?)", rows)
        con.commit()
    finally:
        con.close()
    os.replace(tmp, path)
    return len(rows)


def load(path: Path, version: str) -> int:
    """Keep the answers of ``path`` when they were made for snapshot ``version`` by this code
    (``code_version``); how many. The last made first, so the main views are the last out when they
    do not all fit. A file of another snapshot, of other code or of an older shape: none (the
    worker warms as without it)."""
    import sqlite3

    if not path.is_file():
        return 0
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        try:
            made_for = con.execute("SELECT version, code FROM meta").fetchone()
        except sqlite3.OperationalError:
            return 0  # a file older than the code's fingerprint: made by other code
        if made_for is None or made_for != (version, code_version()):
            return 0  # another snapshot's (the swap in between) or another code's (an upgrade)
        n = 0
        blobs = {bytes(d): bytes(data) for d, data in con.execute("SELECT digest, data FROM blobs")}
        got = con.execute("SELECT key, mimetype, digest FROM views ORDER BY rowid DESC")
        rows = ((k, m, blobs[bytes(d)], bytes(d)) for k, m, d in got)
        for k, mimetype, data, digest in rows:
            _put(k, data, mimetype, digest)
            n += 1
    finally:
        con.close()
    stats["loaded"] = stats.get("loaded", 0) + n
    logging.getLogger("sanyan.viewcache").info("took %d answers the build made for snapshot %s", n, version)
    return n
