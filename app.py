"""Sanyan web app: the shell only (navbar, language, footer, /healthz). Pages live in pages/.

Run: ``python app.py`` (host and port from SANYAN_HOST / SANYAN_PORT); while no admin exists it
prints the one-time address where the first admin is made (setup_admin.py).
Everything is served from this process: Bootstrap and the Sarabun font come from assets/.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
from pathlib import Path

import dash
import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, clientside_callback, html
from flask import Response, has_request_context, jsonify, request
from flask_compress import Compress
from werkzeug.middleware.proxy_fix import ProxyFix

import db
import setup_admin
from components.i18n import COOKIE, current_lang, t
from components.layout import footer, navbar
from config import settings
from etl import refresh
from web import api, auth, catalog, exports, notices, present, viewcache

INDEX_STRING = """<!DOCTYPE html>
<html lang="th">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
    </head>
    <body>
        {%app_entry%}
        {%config%}
        {%scripts%}
        {%renderer%}
    </body>
</html>"""


class _SanyanDash(Dash):
    """Dash whose <html lang> follows the visitor's language."""

    # fetched at once, not when assets/sanyan.css's @import and the first Thai text ask for them
    # (a page's largest text was painted ~0.3 s later, waiting on the font: bench/page_load.py)
    PRELOAD = (
        ("vendor/bootstrap/bootstrap.min.css", 'as="style"'),
        *(
            (f"vendor/sarabun/sarabun-{script}-{weight}-normal.woff2", 'as="font" type="font/woff2" crossorigin')
            for script in ("thai", "latin")
            for weight in (400, 700)
        ),
    )

    def interpolate_index(self, **kwargs):
        links = "".join(f'<link rel="preload" href="{self.get_asset_url(f)}" {how}>' for f, how in self.PRELOAD)
        kwargs["css"] = links + kwargs.get("css", "")
        page = super().interpolate_index(**kwargs)
        return page.replace('<html lang="th">', f'<html lang="{current_lang()}">', 1)


app = _SanyanDash(
    __name__,
    use_pages=True,
    serve_locally=True,
    title="สัญญาณ Sanyan",
    update_title=None,
    # assets/sanyan.css @imports Bootstrap first, so its rules come after Bootstrap's.
    assets_ignore=r"bootstrap\.min\.css$",
    meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    # Without this, Dash renders every page's layout during the first request, as that request's
    # reader, and embeds the result (1.2 MB of JSON) in every page it serves afterwards, to
    # everyone: an executive first would leak classified KPIs to the public, and every page load
    # would pay ~70 ms for it (tests/test_serving.py, docs/performance.md).
    suppress_callback_exceptions=True,
)
app.index_string = INDEX_STRING
server = app.server


def _fewer_malloc_arenas() -> None:
    """At most two glibc malloc arenas per process (MALLOC_ARENA_MAX=2, set here because a worker
    cannot set its own environment before it starts): each request thread otherwise gets an arena
    of its own that keeps freed memory; a worker peaked ~40 MB lower over every page of the
    national snapshot (bench/page_load.py). Nothing happens on a libc without mallopt."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(-8, 2)  # M_ARENA_MAX
    except (OSError, AttributeError):
        pass


_fewer_malloc_arenas()


class _PartialPlotly:
    """plotly.js's basic bundle (scatter, bar and pie: every trace Sanyan draws; the map is filled
    scatter, components/mapview.py) in place of the whole 4.8 MB plotly.min.js: 1.2 MB for the
    browser to fetch, parse and evaluate on each chart page. Same plotly.js version as plotly.py's
    (npm plotly.js-basic-dist-min, MIT, web/vendor/); tests/test_compression.py holds the two
    together. Dash's renderer asks for plotly.js at one fixed address when it serves its files
    itself; this answers that address. Exports (kaleido) still draw with plotly.py's full bundle."""

    FILE = Path(__file__).parent / "web" / "vendor" / "plotly-basic.min.js"

    def __init__(self, prefix: str):
        self.path = prefix + "_dash-component-suites/plotly/package_data/plotly.min.js"
        self.body = self.FILE.read_bytes()
        self.etag = hashlib.sha256(self.body).hexdigest()[:32]

    def __call__(self):
        if request.path != self.path or request.method not in ("GET", "HEAD"):
            return None  # anything else is Dash's route's to answer (405 for another method)
        resp = Response(self.body, mimetype="application/javascript")
        resp.set_etag(self.etag)
        return resp.make_conditional(request)


server.before_request(_PartialPlotly(app.config.requests_pathname_prefix))


@server.errorhandler(dash.exceptions.DependencyException)
@server.errorhandler(dash.exceptions.InvalidResourceError)
def _no_such_file(_exc):
    """A path under /_dash-component-suites/ that no package ships is a 404, not Dash's 500."""
    return Response("not found", status=404, mimetype="text/plain")


# Compression from the app itself (make run too, not only behind nginx): brotli or gzip, whichever
# the browser takes, for scripts, styles, JSON (callbacks, the API) and CSV. Never HTML: a page
# carries the session's CSRF token, and a compressed secret beside text an attacker chose can be
# read from the compressed size (BREACH). Registered first, so it runs after every other hook.
server.config.update(
    COMPRESS_MIMETYPES=[
        "application/javascript",
        "text/javascript",
        "application/json",
        "text/css",
        "text/csv",
        "image/svg+xml",
        "text/turtle",  # the DCAT catalogue (web/catalog.py)
        "application/ld+json",
        "application/geo+json",
    ],
    COMPRESS_ALGORITHM=["br", "gzip"],
    COMPRESS_BR_LEVEL=5,
    COMPRESS_LEVEL=6,
    COMPRESS_MIN_SIZE=1024,
    COMPRESS_STREAMS=False,  # downloads stream as they are: never held whole in memory to compress
)


class _StaticCompressed:
    """flask-compress's cache, for the files the app ships only (scripts, styles: the same bytes
    until the next release): plotly.min.js is compressed once per worker (130 ms), not per visit.
    Everything else (callbacks, API answers) is compressed afresh and never kept."""

    STATIC = ("/_dash-component-suites/", "/assets/")
    # at most this many answers and bytes: the key carries the query string (?v=...), so a
    # stranger's made-up ones would otherwise each keep a compressed copy (~350 KB of plotly.js)
    MAX_FILES, MAX_BYTES = 500, 16 * 1024 * 1024

    def __init__(self):
        self.kept: dict[str, bytes] = {}
        self.bytes = 0

    @classmethod
    def key(cls, request) -> str:
        return ("static:" + request.full_path) if request.path.startswith(cls.STATIC) else "-"

    def get(self, key: str):
        return self.kept.get(key)

    def set(self, key: str, value: bytes) -> None:
        if (
            ";static:" in key
            and key not in self.kept
            and len(self.kept) < self.MAX_FILES
            and self.bytes + len(value) <= self.MAX_BYTES
        ):
            self.kept[key] = value
            self.bytes += len(value)


server.config.update(COMPRESS_CACHE_BACKEND=_StaticCompressed, COMPRESS_CACHE_KEY=_StaticCompressed.key)
Compress(server)


@server.after_request
def _assets_compressed(resp):
    """assets/ (Bootstrap's CSS, the app's styles and scripts) is served as a file stream, which
    flask-compress leaves alone so that downloads stay streamed; these are small text files every
    first visit fetches (Bootstrap alone 232 KB): read whole, so they are compressed like the rest
    and kept compressed (_StaticCompressed). Runs before the compression (registered after it)."""
    if (
        resp.status_code == 200
        and resp.direct_passthrough
        and resp.mimetype in server.config["COMPRESS_MIMETYPES"]
        and request.path.startswith(app.config.requests_pathname_prefix + "assets/")
    ):
        resp.direct_passthrough = False
        resp.set_data(resp.get_data())  # a body, no longer a stream
    return resp


if not logging.getLogger().handlers:  # the app's own lines (API calls, exports) on stderr, once
    _h = logging.StreamHandler(sys.stderr)
    _h.setFormatter(logging.Formatter("%(asctime)s %(name)s %(message)s"))
    logging.getLogger("sanyan").addHandler(_h)
    # `make run` (SANYAN_QUIET=1): warnings only, so the console ends with the address to open
    logging.getLogger("sanyan").setLevel(logging.WARNING if settings.quiet else logging.INFO)
    logging.getLogger("sanyan").propagate = False


class _BehindProxies:
    """Trust ``SANYAN_PROXY_HOPS`` reverse proxies' X-Forwarded-* headers (werkzeug's ProxyFix),
    so a reader's address is their own behind nginx; none by default (a forged header from a
    reader is then ignored)."""

    def __init__(self, wsgi):
        self.wsgi, self.fixed = wsgi, {}

    def __call__(self, environ, start_response):
        hops = settings.proxy_hops
        if hops <= 0:
            return self.wsgi(environ, start_response)
        if hops not in self.fixed:
            self.fixed[hops] = ProxyFix(self.wsgi, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)
        return self.fixed[hops](environ, start_response)


server.wsgi_app = _BehindProxies(server.wsgi_app)
auth.init(server)
viewcache.init(server)  # after auth: the access check runs first
exports.init(server)
present.init(server)
api.init(server)
catalog.init(server)  # /api/3 (CKAN Action API) and DCAT for GD-Catalog's harvest
setup_admin.init(server)  # /setup: the first admin, while none exists
# approvals whose build never finished (the server was killed mid-build): built now, in the background
if settings.build_at_start:
    refresh.resume_soon()


def shell_layout() -> html.Div:
    """Built per visit, so the language and the snapshot in the footer are always current."""
    lang = current_lang()
    return html.Div(
        [
            html.A(t("skip", lang), href="#shell-main", className="visually-hidden-focusable sy-skip", id="shell-skip"),
            navbar(
                [
                    p
                    for p in dash.page_registry.values()
                    if not has_request_context() or auth.may_open(p["path"], auth.role())
                ],
                lang,
                auth.current_user.username if has_request_context() and auth.role() != "public" else None,
                auth.csrf_token() if has_request_context() and auth.role() != "public" else "",
                notices.for_me()[1] if has_request_context() and auth.role() != "public" else 0,
            ),
            html.Main(dbc.Container(dash.page_container, fluid="xl"), id="shell-main", className="sy-main"),
            # Dash also calls this once at import to validate it: no warehouse read then.
            footer(db.snapshot_info() if has_request_context() else None, lang),
        ],
        className="sy-shell",
        id="shell",
    )


app.layout = shell_layout

# Language toggle: remember the choice in a cookie and reload (layouts read it per request).
clientside_callback(
    f"""function(n, lang) {{
        if (!n) {{ return window.dash_clientside.no_update; }}
        document.cookie = "{COOKIE}=" + lang + "; path=/; max-age=31536000; SameSite=Lax";
        window.location.reload();
        return window.dash_clientside.no_update;
    }}""",
    Output("shell-lang-toggle", "title"),
    Input("shell-lang-toggle", "n_clicks"),
    State("shell-lang-toggle", "lang"),
    prevent_initial_call=True,
)

# Collapsed navbar on phones.
clientside_callback(
    "function(n, open) { return n ? !open : open; }",
    Output("shell-navbar-collapse", "is_open"),
    Input("shell-navbar-toggler", "n_clicks"),
    State("shell-navbar-collapse", "is_open"),
    prevent_initial_call=True,
)


@server.route("/healthz")
def healthz():
    info = db.snapshot_info()
    built = info.get("built_at")
    body = {
        "status": "ok" if info.get("version") else "no-snapshot",
        "snapshot": info.get("version"),
        "built_at": built.isoformat() if hasattr(built, "isoformat") else built,
    }
    return jsonify(body), (200 if info.get("version") else 503)


if __name__ == "__main__":
    # no admin yet: print the one-time setup address; in debug mode only in the reloader's serving
    # process (its parent runs this too, and a second address voids the first)
    if not settings.debug or os.environ.get("WERKZEUG_RUN_MAIN") == "true":
        setup_admin.announce()
    app.run(host=settings.host, port=settings.port, debug=settings.debug)
