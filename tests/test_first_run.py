"""Issue 16, "the first run needs no third command": while no admin exists the app's start prints a
one-time setup address; there, from this machine only, the first admin is created (the password
rule, CSRF), signed in and sent to the cockpit; the address is then void."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import threading

import pytest
import sqlalchemy as sa

from tests.conftest import ORIGIN, ROOT, router_body
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


def _post(c, form, name="boss", password=PASSWORD, again=None, headers=ORIGIN):
    """The setup form sent as the browser sends it from the page (Origin: this site)."""
    return c.post(
        "/setup",
        data={**form, "username": name, "password": password, "password2": password if again is None else again},
        headers=headers,
    )


def _path(url: str) -> str:
    return url.removeprefix("http://127.0.0.1:8050")


def _admins(eng) -> list[str]:
    import ops

    with eng.connect() as con:
        return sorted(
            con.execute(
                sa.select(ops.users.c.username).where(ops.users.c.role == "admin", ops.users.c.active.is_(True))
            ).scalars()
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


def test_a_newer_address_voids_the_older(fresh):
    """Issue 27.1: one setup address at a time; each start or `python setup_admin.py` replaces it."""
    import ops

    app, setup_admin, eng = fresh
    older = _path(setup_admin.announce(eng, out=io.StringIO()))
    c = app.server.test_client()
    form, _html = _form(c, older)  # the older address's page, opened before the newer one is printed
    newer = _path(setup_admin.announce(eng, out=io.StringIO()))
    assert newer != older
    with eng.connect() as con:
        assert len(con.execute(ops.setup_tokens.select()).all()) == 1
    r = c.get(older)
    assert r.status_code == 404 and "ที่อยู่ตั้งค่านี้ใช้ไม่ได้" in r.get_data(as_text=True)
    r = _post(c, form)  # its form, sent after the newer address was printed: refused, no admin
    assert r.status_code == 404 and _admins(eng) == []
    form, _html = _form(c, newer)
    assert _post(c, form).status_code == 302 and _admins(eng) == ["boss"]


def test_two_addresses_claimed_at_once_make_one_admin(fresh, monkeypatch):
    """Issue 27.1: two readers each with an address of their own (an older one, printed at a start,
    and a newer one, from `python setup_admin.py`) send the form at the same moment: exactly one
    admin. Both requests are held after the page's checks, at the password's hash, until both
    are there (a barrier), so they race as two workers would."""
    from web import auth

    app, setup_admin, eng = fresh
    clients, forms = [], []
    for _ in range(2):
        c = app.server.test_client()
        form, _html = _form(c, _path(setup_admin.announce(eng, out=io.StringIO())))
        clients.append(c)
        forms.append(form)
    barrier = threading.Barrier(2, timeout=3)
    hash_password = auth.hash_password

    def held(password, username=None):
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            pass  # the other request was refused before it got here
        return hash_password(password, username)

    monkeypatch.setattr(auth, "hash_password", held)
    codes = [None, None]

    def claim(i):
        codes[i] = _post(clients[i], forms[i], name=f"boss{i}").status_code

    threads = [threading.Thread(target=claim, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(codes) == [302, 404], codes
    assert len(_admins(eng)) == 1, _admins(eng)


def test_a_claim_checks_again_for_an_admin_when_it_spends_the_token(fresh):
    """Issue 27.1: an admin made after the page's checks and before the token is spent (here, on
    the terminal) is seen in the claim's own transaction: no second admin; the address is void."""
    import ops
    from web import auth

    _app, setup_admin, eng = fresh
    token = setup_admin.announce(eng, out=io.StringIO()).split("token=")[1]
    auth.add_user(eng, "boss", PASSWORD, "admin")
    assert "มีผู้ดูแลระบบแล้ว" in setup_admin._create(eng, token, "mallory", PASSWORD)
    assert _admins(eng) == ["boss"]
    with eng.connect() as con:
        assert con.execute(ops.setup_tokens.select()).first() is None


def test_a_cross_site_setup_post_is_refused(fresh):
    """Issue 27.4: /setup gets the same-origin rule of every POST: another site's form (or one
    with no Origin and no Referer) is refused, 403, and changes nothing; the site's own works."""
    app, setup_admin, eng = fresh
    path = _path(setup_admin.announce(eng, out=io.StringIO()))
    c = app.server.test_client()
    form, _html = _form(c, path)
    for headers in ({"Origin": "https://evil.example"}, {"Referer": "https://evil.example/setup"}, {}):
        r = _post(c, form, headers=headers)
        assert r.status_code == 403, (headers, r.status_code)
        assert _admins(eng) == []
    assert c.get(path).status_code == 200  # the address is still good
    assert _post(c, form, headers={"Referer": "http://localhost" + path}).status_code == 302
    assert _admins(eng) == ["boss"]


def test_a_cross_site_login_post_is_refused(fresh):
    """Issue 27.4: /login too: the right name, password and CSRF token from another site's page
    sign nobody in (403, nothing audited); from the site itself they do."""
    import ops
    from web import auth

    app, _setup_admin, eng = fresh
    auth.add_user(eng, "boss", PASSWORD, "admin")
    c = app.server.test_client()
    page = c.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    data = {"username": "boss", "password": PASSWORD, "csrf": token, "next": "/"}
    for headers in ({"Origin": "https://evil.example"}, {"Origin": "null"}, {}):
        r = c.post("/login", data=data, headers=headers)
        assert r.status_code == 403, (headers, r.status_code)
        assert c.get("/").status_code == 302  # not signed in
    assert not [a for a in ops.audit_rows(eng) if a["action"] == "login"]
    r = c.post("/login", data=data, headers=ORIGIN)
    assert r.status_code == 302 and c.get("/").status_code == 200


def test_the_sign_in_page_says_where_the_setup_address_is(fresh):
    """Issue 27.10: while no admin exists, the sign-in page says, in Thai and English, that the
    setup address is on the server's console and how to print a new one; not once an admin exists."""
    from web import auth

    app, _setup_admin, eng = fresh
    c = app.server.test_client()
    html = c.get("/login").get_data(as_text=True)
    assert 'id="login-setup-hint"' in html
    assert "ยังไม่มีผู้ดูแลระบบ" in html and "คอนโซลของเซิร์ฟเวอร์" in html
    assert "No admin yet" in html and "server's console" in html
    assert ".venv/bin/python setup_admin.py" in html
    auth.add_user(eng, "boss", PASSWORD, "admin")
    html = c.get("/login").get_data(as_text=True)
    assert 'id="login-form"' in html and "login-setup-hint" not in html and "setup_admin.py" not in html


def test_an_older_store_gets_one_address_at_a_time(ops_url):
    """Issue 27.1: a store whose setup_tokens held several addresses (keyed by the token) is made
    again with one slot; its old addresses are void (the next start prints a new one)."""
    from datetime import UTC, datetime, timedelta

    import ops

    old = sa.Table(
        "setup_tokens",
        sa.MetaData(),
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True)),
    )
    raw = sa.create_engine(ops_url, poolclass=sa.pool.NullPool)
    now = datetime.now(UTC)
    with raw.begin() as con:
        old.create(con)
        con.execute(
            old.insert(), [{"token_hash": h * 64, "created_at": now, "expires_at": now + timedelta(1)} for h in "ab"]
        )
    raw.dispose()
    eng = ops.engine(ops_url)
    assert {c["name"] for c in sa.inspect(eng).get_columns("setup_tokens")} == {
        "slot",
        "token_hash",
        "created_at",
        "expires_at",
    }
    with eng.connect() as con:
        assert con.execute(ops.setup_tokens.select()).first() is None
    assert ops.migrate(eng) == []  # done once
