"""Sessions that can be ended (issue 16, finding 3): a cookie copied before sign-out, a new password,
disabling (then enabling) the account or a role change opens nothing afterwards; sign-out is a POST
with the CSRF token; the cookie is Secure when the request came over https through a trusted proxy."""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import ORIGIN, login, router_body

PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "a quite different passphrase 42"


@pytest.fixture()
def env(built_warehouse, tmp_path, monkeypatch):
    monkeypatch.setenv("SANYAN_WAREHOUSE", str(built_warehouse))
    monkeypatch.setenv("SANYAN_OPS_URL", f"sqlite:///{tmp_path / 'ops.sqlite'}")
    monkeypatch.setenv("SANYAN_SECRET_KEY", "session-tests-" + "k" * 30)
    import app
    import ops
    from web import auth

    eng = ops.engine()
    auth.add_user(eng, "boss", PASSWORD, "admin")
    auth.add_user(eng, "vera", PASSWORD, "viewer")
    return app, auth, eng


def _signed_in(app, name="vera"):
    c = app.server.test_client()
    assert login(c, name, PASSWORD).status_code == 302
    return c, c.get_cookie("session").value


def _opens(app, cookie: str) -> bool:
    """Whether a browser holding only this cookie reads an internal page and its callback."""
    thief = app.server.test_client()
    thief.set_cookie("session", cookie)
    page = thief.get("/kpi").status_code
    cb = thief.post("/_dash-update-component", json=router_body("/kpi"), headers=ORIGIN).status_code
    assert (page == 200) == (cb == 200), (page, cb)
    return page == 200


def _logout(c):
    form = c.get("/logout").get_data(as_text=True)
    token = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
    return c.post("/logout", data={"csrf": token}, headers=ORIGIN)


def test_a_copied_cookie_is_dead_after_sign_out(env):
    app, _auth, _eng = env
    c, cookie = _signed_in(app)
    assert _opens(app, cookie)
    assert _logout(c).status_code == 302
    assert not _opens(app, cookie)


def test_sign_out_ends_only_that_session(env):
    app, _auth, _eng = env
    c1, cookie1 = _signed_in(app)
    _c2, cookie2 = _signed_in(app)
    _logout(c1)
    assert not _opens(app, cookie1) and _opens(app, cookie2)


@pytest.mark.parametrize("action", ["password", "disable-enable", "role", "admin-password"])
def test_revoking_actions_end_every_session_of_the_account(env, action):
    app, auth, eng = env
    _c, cookie = _signed_in(app)
    _c, other = _signed_in(app, "boss")
    assert _opens(app, cookie)
    if action == "password":  # `python -m etl user passwd` calls this
        auth.set_password(eng, "vera", NEW_PASSWORD)
    elif action == "disable-enable":  # `etl user disable` then `enable`
        auth.set_active(eng, "vera", False)
        auth.set_active(eng, "vera", True)
    elif action == "role":  # /admin's edit form
        auth.update_user(eng, "vera", role="editor", by="boss")
    else:
        auth.update_user(eng, "vera", password=NEW_PASSWORD, by="boss")
    assert not _opens(app, cookie)
    assert _opens(app, other)  # nobody else's session ends
    fresh = app.server.test_client()  # signing in again works as ever
    assert login(fresh, "vera", NEW_PASSWORD if "password" in action else PASSWORD).status_code == 302


def test_a_unit_change_keeps_the_session(env):
    app, auth, eng = env
    _c, cookie = _signed_in(app)
    auth.update_user(eng, "vera", unit="สำนักงานจังหวัด", by="boss")
    assert _opens(app, cookie)


def test_sign_out_needs_a_post_with_the_token(env):
    """A link or image on another site (GET), or a POST without the token, signs nobody out."""
    app, _auth, _eng = env
    c, cookie = _signed_in(app)
    r = c.get("/logout")
    assert r.status_code == 200 and 'method="post"' in r.get_data(as_text=True)
    assert _opens(app, cookie)
    assert c.post("/logout", data={"csrf": "forged"}, headers=ORIGIN).status_code == 400
    assert c.post("/logout", data={}, headers={"Origin": "http://evil.example"}).status_code == 403  # cross-site
    assert _opens(app, cookie)


def _nodes(node):
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from _nodes(v)
    elif isinstance(node, list):
        for v in node:
            yield from _nodes(v)


def test_the_navbar_signs_out_by_post_with_the_token(env):
    app, _auth, _eng = env
    c, _cookie = _signed_in(app)
    layout = json.loads(c.get("/_dash-layout").get_data(as_text=True))
    with c.session_transaction() as sess:
        token = sess["csrf"]
    form = next(n["props"] for n in _nodes(layout) if n.get("type") == "Form")
    assert form["action"] == "/logout" and form["method"] == "post"
    fields = {n["props"].get("name"): n["props"].get("value") for n in _nodes(form) if n.get("type") == "Input"}
    assert fields == {"csrf": token}


def test_cookie_is_secure_over_https_through_a_trusted_proxy_only(env, monkeypatch):
    app, _auth, _eng = env
    https = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    monkeypatch.setenv("SANYAN_PROXY_HOPS", "0")  # nobody trusted: the header is a reader's claim
    r = login(app.server.test_client(), "vera", PASSWORD, headers=https)
    assert "Secure" not in r.headers["Set-Cookie"]
    monkeypatch.setenv("SANYAN_PROXY_HOPS", "1")  # nginx in front says https
    c = app.server.test_client()
    r = login(c, "vera", PASSWORD, headers={**https, "Origin": "https://localhost"})
    assert r.status_code == 302
    cookies = r.headers.getlist("Set-Cookie")
    assert cookies and all("Secure" in x for x in cookies if x.startswith("session="))
