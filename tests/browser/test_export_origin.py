"""The exports' Chromium renders the app's own pages only (issue 16, finding 2): a Host or
X-Forwarded-Host naming another address does not send it (nor the reader's session cookie)
there, and the export browser reaches nothing but SANYAN_INTERNAL_URL (default
http://127.0.0.1:<SANYAN_PORT>, the app started by tests/browser/conftest.py start_app).

A tiny HTTP listener on another loopback port stands for the address an attacker names; it
must never be called."""

from __future__ import annotations

import http.client
import http.server
import io
import re
import threading
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

import pytest

from tests.browser.conftest import PASSWORD, TEST_USERS, _need_browser, start_app


@pytest.fixture
def listener():
    """(port, requests seen): an HTTP server on a free loopback port that records every request."""
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(f"{self.command} {self.path} Cookie={self.headers.get('Cookie')}")
            body = b"<!DOCTYPE html><title>elsewhere</title><p>not the app</p>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_POST = do_HEAD = do_GET

        def log_message(self, *args):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield srv.server_address[1], seen
    srv.shutdown()
    srv.server_close()


@pytest.fixture(scope="module")
def proxied_app(built_warehouse, tmp_path_factory):
    """The app behind one trusted proxy (SANYAN_PROXY_HOPS=1), so X-Forwarded-Host is believed."""
    _need_browser()
    app = start_app(built_warehouse, tmp_path_factory.mktemp("export_origin"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SANYAN_PROXY_HOPS", "1")  # read when start_app copies the environment
        server = next(app)
    yield server
    app.close()  # stops the app


def _sign_in(url: str, role: str = "viewer") -> str:
    """Sign in through the login form over plain HTTP; the Cookie header of the session."""
    u = urlsplit(url)
    con = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    jar = SimpleCookie()

    def call(method, path, body=None, headers=None):
        cookie = "; ".join(f"{k}={m.value}" for k, m in jar.items())
        con.request(method, path, body, {**(headers or {}), **({"Cookie": cookie} if cookie else {})})
        r = con.getresponse()
        for h in r.headers.get_all("Set-Cookie") or []:
            jar.load(h)
        return r, r.read()

    _r, page = call("GET", "/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.decode()).group(1)
    form = urlencode({"username": TEST_USERS[role][0], "password": PASSWORD, "csrf": token, "next": "/"})
    r, _ = call("POST", "/login", form, {"Content-Type": "application/x-www-form-urlencoded", "Origin": url})
    assert r.status == 302, r.status
    con.close()
    return "; ".join(f"{k}={m.value}" for k, m in jar.items())


def test_a_forged_host_does_not_send_the_export_browser_elsewhere(proxied_app, listener):
    from pypdf import PdfReader

    port, seen = listener
    u = urlsplit(proxied_app.url)
    cookie = _sign_in(proxied_app.url)
    elsewhere = f"127.0.0.1:{port}"
    for forged in ({"Host": elsewhere}, {"X-Forwarded-Host": elsewhere}):
        con = http.client.HTTPConnection(u.hostname, u.port, timeout=90)
        con.request("GET", "/export/pdf?path=/kpi", headers={"Cookie": cookie, **forged})
        r = con.getresponse()
        data = r.read()
        con.close()
        assert seen == [], (forged, seen)
        assert r.status == 200 and data[:5] == b"%PDF-", (forged, r.status, data[:300])
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
        assert "K01" in text and "not the app" not in text, forged  # the app's own /kpi


def test_the_export_browser_reaches_nothing_but_the_app(app_url, listener, monkeypatch):
    """Even a page that asks for another address gets nothing from it: the request is aborted."""
    from web import exports

    port, seen = listener
    monkeypatch.setenv("SANYAN_INTERNAL_URL", app_url)
    got: dict = {}

    def run():  # in a thread of its own, as in the server (the tests' browser may hold this one)
        with exports.browser() as b:
            ctx = b.new_context()
            exports._confine(ctx, exports._origin())
            page = ctx.new_page()
            got["own"] = page.goto(app_url + "/healthz").status
            got["fetch"] = page.evaluate(
                """url => fetch(url).then(r => 'reached ' + r.status, e => 'refused')""",
                f"http://127.0.0.1:{port}/steal",
            )
            try:
                page.goto(f"http://127.0.0.1:{port}/")
                got["goto"] = "reached"
            except Exception as e:  # noqa: BLE001  (Playwright's own Error)
                got["goto"] = str(e)
            ctx.close()

    t = threading.Thread(target=run)
    t.start()
    t.join(60)
    assert got.get("own") == 200, got
    assert got["fetch"] == "refused" and "ERR_BLOCKED_BY_CLIENT" in got["goto"], got
    assert seen == []
