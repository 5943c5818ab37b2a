"""Issue 16, "the first run needs no third command": while no admin exists the app's start prints a
one-time setup address; there, from this machine only, the first admin is created (the password
rule, CSRF), signed in and sent to the cockpit; the address is then void."""

from __future__ import annotations

import io
import re
import subprocess
import sys

import pytest

from tests.conftest import ROOT, router_body
from tests.test_auth import PASSWORD


@pytest.fixture
def fresh(built_warehouse, ops_url, monkeypatch):
    """The app on a fresh ops store (SQLite, then PostgreSQL), and a way to make setup tokens."""
    monkeypatch.setenv("SANYAN_WAREHOUSE", str(built_warehouse))
    monkeypatch.setenv("SANYAN_OPS_URL", ops_url)
    monkeypatch.setenv("SANYAN_SECRET_KEY", "first-run-tests-" + "k" * 30)
    monkeypatch.setenv("SANYAN_PORT", "8050")
    import app
    import ops
    import setup_admin

    return app, setup_admin, ops.engine()


def _form(c, url):
    page = c.get(url)
    assert page.status_code == 200, page.get_data(as_text=True)
    html = page.get_data(as_text=True)
    return {
        "csrf": re.search(r'name="csrf" value="([^"]+)"', html).group(1),
        "token": re.search(r'name="token" value="([^"]+)"', html).group(1),
    }, html


def _post(c, form, name="boss", password=PASSWORD, again=None):
    return c.post(
        "/setup",
        data={**form, "username": name, "password": password, "password2": password if again is None else again},
    )


def test_the_first_admin_is_made_in_the_browser(fresh):
    import ops

    app, setup_admin, eng = fresh
    out = io.StringIO()
    url = setup_admin.announce(eng, out=out)
    assert url and url in out.getvalue() and "ยังไม่มีผู้ดูแลระบบ" in out.getvalue() and "No admin yet" in out.getvalue()
    assert url.startswith("http://127.0.0.1:8050/setup?token=")
    token = url.split("token=")[1]
    with eng.connect() as con:  # only its hash is kept
        stored = [r.token_hash for r in con.execute(ops.setup_tokens.select())]
    assert len(stored) == 1 and token not in stored[0]
    path = url.removeprefix("http://127.0.0.1:8050")

    c = app.server.test_client()
    for bad in ("/setup", "/setup?token=", f"/setup?token={token[:-1]}x"):
        r = c.get(bad)
        assert r.status_code == 404 and "ที่อยู่ตั้งค่านี้ใช้ไม่ได้" in r.get_data(as_text=True)
    far = app.server.test_client()
    r = far.get(path, environ_base={"REMOTE_ADDR": "203.0.113.5"})
    assert r.status_code == 404 and "เครื่องที่รันสัญญาณเท่านั้น" in r.get_data(as_text=True)
    # through a proxy on this machine whose headers are not trusted (SANYAN_PROXY_HOPS=0)
    assert c.get(path, headers={"X-Forwarded-For": "203.0.113.5"}).status_code == 404

    form, html = _form(c, path)
    assert "สร้างผู้ดูแลระบบ" in html and "First run" in html and 'id="setup-password2"' in html
    r = _post(c, form, password="1234567890")
    assert r.status_code == 400 and "เดาง่ายเกินไป" in r.get_data(as_text=True)
    r = _post(c, form, again=PASSWORD + "!")
    assert r.status_code == 400 and "ไม่ตรงกัน" in r.get_data(as_text=True)
    assert _post(c, {**form, "csrf": "forged"}).status_code == 400
    assert c.get("/").status_code == 302  # not signed in yet

    r = _post(c, form)
    assert r.status_code == 302 and r.headers["Location"] == "/"
    assert c.get("/").status_code == 200  # signed in: the cockpit
    body = c.post("/_dash-update-component", json=router_body("/admin"), headers={"Origin": "http://localhost"})
    assert body.status_code == 200  # as an admin
    audit = [(a["action"], a["target"], a["who"]) for a in ops.audit_rows(eng)]
    assert ("user.add", "boss", "setup") in audit and ("login", "boss", "boss") in audit

    again = app.server.test_client()  # the address is spent
    r = again.get(path)
    assert r.status_code == 404 and "มีผู้ดูแลระบบแล้ว" in r.get_data(as_text=True)
    assert _post(again, form, name="mallory").status_code == 404
    with eng.connect() as con:
        assert con.execute(ops.setup_tokens.select()).first() is None
    assert setup_admin.announce(eng, out=out) is None  # no new address once an admin exists


def test_an_existing_admin_voids_every_address(fresh, monkeypatch):
    from web import auth

    app, setup_admin, eng = fresh
    path = setup_admin.announce(eng, out=io.StringIO()).removeprefix("http://127.0.0.1:8050")
    monkeypatch.setenv("SANYAN_SETUP_REMOTE", "1")  # another machine may, when a setting says so
    assert app.server.test_client().get(path, environ_base={"REMOTE_ADDR": "203.0.113.5"}).status_code == 200
    auth.add_user(eng, "boss", PASSWORD, "admin")  # e.g. by `python -m etl user add`
    assert app.server.test_client().get(path).status_code == 404


def test_the_start_prints_the_address(tmp_path):
    """What `make run` and gunicorn's when_ready run: prints a fresh address while no admin exists."""
    env = {
        "PATH": "/usr/bin:/bin",
        "SANYAN_OPS_URL": f"sqlite:///{tmp_path / 'ops.sqlite'}",
        "SANYAN_DATA_DIR": str(tmp_path),
        "SANYAN_PORT": "8123",
    }
    out = subprocess.run(
        [sys.executable, str(ROOT / "setup_admin.py")], env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert re.search(r"http://127\.0\.0\.1:8123/setup\?token=[\w-]{40,}", out.stderr), out.stderr
