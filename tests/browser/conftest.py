"""Browser fixtures: the real app in a subprocess on a free port, driven by Debian's Chromium.

* ``app_url``: ``python app.py`` with SANYAN_WAREHOUSE = a copy of the session's ``built_warehouse``
  (the real ETL build, see tests/conftest.py); waits for /healthz, stops it afterwards.
* ``browser``: Chromium at /usr/bin/chromium (never ``playwright install``). Missing browser:
  skipped locally, a failure when CI=true.
* ``watched_page``: a fresh context and page that records console errors, page errors, failed
  requests, HTTP errors and every request to a host other than 127.0.0.1/localhost.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("SANYAN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _need_browser() -> None:
    reason = None
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        reason = f"Chromium not found at {CHROMIUM}"
    else:
        try:
            import playwright.sync_api  # noqa: F401  (only whether it imports)
        except ImportError:
            reason = "the playwright package is not installed"
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (browser tests are required when CI=true)")
        pytest.skip(reason)


PASSWORD = "correct horse battery staple"
TEST_USERS = {
    "executive": ("exec1", None),
    "viewer": ("view1", None),
    "editor": ("edit1", "8604"),
    "admin": ("admin1", None),
    "verifier": ("verify1", None),
}


def _make_users(ops_url: str) -> None:
    """One account per role the browser tests sign in as (the real argon2 path)."""
    import ops
    from web import auth

    eng = ops.engine(ops_url)
    for role, (name, area) in TEST_USERS.items():
        auth.add_user(eng, name, PASSWORD, role, area_code=area)
    eng.dispose()


def sign_in(page, app_url: str, role: str = "executive") -> None:
    """Sign in through the login form, as a person would."""
    page.goto(app_url + "/login")
    page.fill("#login-username", TEST_USERS[role][0])
    page.fill("#login-password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(lambda u: "/login" not in u)


@dataclass
class AppServer:
    url: str
    warehouse: Path
    log: Path

    def get_json(self, path: str) -> tuple[int, dict]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=10) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())


def start_app(built_warehouse: Path, home: Path):
    """``python app.py`` on a free port with its own copy of the demo warehouse and its own ops
    store (one account per role); a generator that yields an AppServer and stops the app."""
    port = _free_port()
    log = home / "app.log"
    # The app reads its own copy: tests swap or rebuild snapshots under it.
    warehouse = home / "warehouse" / "eis.duckdb"
    warehouse.parent.mkdir()
    shutil.copy2(built_warehouse, warehouse)
    env = dict(os.environ)
    ops_url = f"sqlite:///{home / 'ops.sqlite'}"
    _make_users(ops_url)
    from tests.conftest import DEMO_AS_OF

    env.update(
        {
            "SANYAN_WAREHOUSE": str(warehouse),
            "SANYAN_OPS_URL": ops_url,
            "SANYAN_SECRET_KEY": "browser-tests-only-" + "x" * 20,
            "SANYAN_HOST": "127.0.0.1",
            "SANYAN_PORT": str(port),
            "SANYAN_DEBUG": "0",
            "SANYAN_LANG": "th",
            "SANYAN_AS_OF": DEMO_AS_OF.isoformat(),  # a rebuild in the app keeps the demo's day
            "PYTHONUNBUFFERED": "1",
        }
    )
    url = f"http://127.0.0.1:{port}"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"app.py exited with {proc.returncode}:\n{log.read_text(errors='replace')}")
            try:
                # a long timeout: Dash sets itself up during the first request, and a second request
                # arriving before that ends gets an incomplete page registry
                with urllib.request.urlopen(url + "/healthz", timeout=60) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"app.py did not answer /healthz within 60 s:\n{log.read_text(errors='replace')}")
            time.sleep(0.2)
        yield AppServer(url=url, warehouse=warehouse, log=log)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@pytest.fixture(scope="session")
def app_server(built_warehouse, tmp_path_factory) -> AppServer:
    _need_browser()
    yield from start_app(built_warehouse, tmp_path_factory.mktemp("app"))


@pytest.fixture(scope="session")
def app_url(app_server) -> str:
    return app_server.url


@pytest.fixture(scope="session")
def browser():
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@dataclass
class Watch:
    """What a page did that a healthy offline page must not do."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def attach(self, page) -> None:
        def on_request(req):
            self.requests.append(req.url)
            parts = urlsplit(req.url)
            if parts.scheme in ("data", "blob", "about"):
                return
            if parts.hostname not in LOCAL_HOSTS:
                self.foreign.append(req.url)

        def on_response(resp):
            if resp.status >= 400:
                self.failed.append(f"HTTP {resp.status} {resp.url}")

        page.on("request", on_request)
        page.on("response", on_response)
        page.on("requestfailed", lambda req: self.failed.append(f"{req.failure} {req.url}"))
        page.on("console", lambda msg: self.console_errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: self.page_errors.append(str(exc)))

    def assert_clean(self, where: str = "") -> None:
        problems = {
            "requests to other hosts": self.foreign,
            "failed requests": self.failed,
            "console errors": self.console_errors,
            "page errors": self.page_errors,
        }
        bad = {k: v for k, v in problems.items() if v}
        assert not bad, f"{where}: {json.dumps(bad, ensure_ascii=False, indent=1)}"


_SIGNED_IN: dict[tuple[str, str], dict] = {}  # (app url, role) -> the browser state after signing in


def pages_for(browser, url: str):
    """A factory ``make(width, height, lang=None, role="admin")`` -> (page, watch) of pages in
    fresh contexts against the app at `url`, signed in as a user of `role` (None: a public
    visitor); and the list of contexts to close afterwards. The first page of a role signs in
    through the login form; later ones start from that browser state (the session cookie), which
    saves a sign-in per test."""
    contexts = []

    def make(width: int = 1366, height: int = 900, lang: str | None = None, role: str | None = "admin"):
        state = _SIGNED_IN.get((url, role)) if role else None
        ctx = browser.new_context(viewport={"width": width, "height": height}, locale="th-TH", storage_state=state)
        contexts.append(ctx)
        if lang:
            ctx.add_cookies([{"name": "sanyan_lang", "value": lang, "url": url}])
        page = ctx.new_page()
        page.set_default_timeout(30_000)
        if role and state is None:
            sign_in(page, url, role)
            page.goto("about:blank")  # what signing in loaded is not the test's business
            _SIGNED_IN[(url, role)] = {
                "cookies": [c for c in ctx.cookies() if c["name"] != "sanyan_lang"],
                "origins": [],
            }
        watch = Watch()
        watch.attach(page)
        return page, watch

    return make, contexts


@pytest.fixture(scope="module")
def own_app(built_warehouse, tmp_path_factory, request):
    """An app of the test module's own, for tests that change its snapshot or ops store."""
    _need_browser()
    yield from start_app(built_warehouse, tmp_path_factory.mktemp(request.module.__name__.rsplit(".", 1)[-1]))


@pytest.fixture
def as_role(browser, own_app):
    """``as_role(role, width=1366)`` -> (page, watch) on ``own_app``, signed in as `role`."""
    make, contexts = pages_for(browser, own_app.url)
    yield lambda role, width=1366: make(width, role=role)
    for ctx in contexts:
        ctx.close()


@pytest.fixture
def forget_sign_in():
    """``forget_sign_in(url, role)``: after a test signs `role` out on the server (sessions end
    there), later pages sign in afresh instead of reusing the ended session's cookie. A fixture,
    so it reaches the state of this very conftest module (pytest imports it under its own name)."""
    return lambda url, role: _SIGNED_IN.pop((url, role), None)


@pytest.fixture
def make_page(browser, app_url):
    """``pages_for`` the shared app; contexts are closed after the test."""
    make, contexts = pages_for(browser, app_url)
    yield make
    for ctx in contexts:
        ctx.close()


@pytest.fixture(scope="session")
def shots_dir() -> Path | None:
    """With SANYAN_SHOTS_DIR set, screenshots of every page at every size land there, to look at;
    else none are taken (a full-page picture of a long page costs a second, and nobody reads it)."""
    d = os.environ.get("SANYAN_SHOTS_DIR")
    if d:
        Path(d).mkdir(parents=True, exist_ok=True)
        return Path(d)
    return None


def pytest_collection_modifyitems(config, items):
    """Every test of this folder is a browser test: `pytest -m "not browser"` leaves them out."""
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.path)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)


def settle_transitions(page) -> None:
    """Wait until no CSS transition runs: a button just clicked fades between Bootstrap's colours
    for 0.15 s, and axe would judge the contrast of a colour no reader sees for longer than that
    (a flake seen in CI on /inbox). Endless animations (a spinner) are not waited for."""
    page.wait_for_function(
        "() => document.getAnimations().every(a => !(a instanceof CSSTransition) || a.playState !== 'running')",
        timeout=5000,
    )
