"""Account management on /admin: ``auth.update_user`` (changes, audit before/after, the last
active admin kept), and the page's callbacks: admins add and edit accounts through Dash, every
other role is refused by the server and again by the callback itself."""

from __future__ import annotations

import json
import re

import flask
import pytest
from werkzeug.exceptions import Forbidden

from tests.conftest import ORIGIN, login
from tests.test_auth import PASSWORD


@pytest.fixture(scope="module")
def site(built_warehouse, tmp_path_factory):
    mp = pytest.MonkeyPatch()
    home = tmp_path_factory.mktemp("admin")
    mp.setenv("SANYAN_WAREHOUSE", str(built_warehouse))
    mp.setenv("SANYAN_OPS_URL", f"sqlite:///{home / 'ops.sqlite'}")
    mp.setenv("SANYAN_SECRET_KEY", "admin-tests-" + "k" * 30)
    import app
    import ops
    from web import auth

    eng = ops.engine()
    for r in ("admin", "viewer"):
        auth.add_user(eng, f"a_{r}", PASSWORD, r)
    yield app, eng
    mp.undo()


@pytest.fixture
def eng(ops_url):
    import ops

    return ops.engine(ops_url)


def _last_audit(eng):
    import ops

    a = ops.audit_rows(eng)[-1]
    return a | {"before": json.loads(a["before"] or "null"), "after": json.loads(a["after"] or "null")}


def _row(eng, name):
    return dict(__import__("web.auth", fromlist=["_load"])._load(eng, username=name))


def test_update_user_changes_fields_and_audits(eng):
    from web import auth

    auth.add_user(eng, "boss", PASSWORD, "admin")
    auth.add_user(eng, "alice", PASSWORD, "viewer")
    old_hash = _row(eng, "alice")["password_hash"]
    after = auth.update_user(
        eng,
        "alice",
        role="editor",
        unit="สำนักงานจังหวัด",
        area_code="8604",
        active=False,
        password="a brand new secret",
        by="boss",
    )
    assert after == {
        "role": "editor",
        "unit": "สำนักงานจังหวัด",
        "area_code": "8604",
        "active": False,
        "password": "changed",
    }
    row = _row(eng, "alice")
    assert (row["role"], row["unit"], row["area_code"], row["active"]) == ("editor", "สำนักงานจังหวัด", "8604", False)
    assert row["password_hash"] != old_hash
    a = _last_audit(eng)
    assert (a["action"], a["who"], a["target"], a["outcome"]) == ("user.update", "boss", "alice", "ok")
    assert a["before"] == {"role": "viewer", "unit": None, "area_code": None, "active": True}
    assert a["after"] == after
    assert "argon2" not in json.dumps(a, default=str)  # never the hash

    auth.update_user(eng, "alice", active=True, by="boss")
    assert auth.check_password(eng, "alice", "a brand new secret").role == "editor"
    assert auth.check_password(eng, "alice", PASSWORD) is None
    assert auth.update_user(eng, "alice", unit="", area_code="", by="boss") == {"unit": None, "area_code": None}
    assert _row(eng, "alice")["unit"] is None and _row(eng, "alice")["area_code"] is None
    assert _last_audit(eng)["before"] == {"unit": "สำนักงานจังหวัด", "area_code": "8604"}
    n = len(__import__("ops").audit_rows(eng))
    assert auth.update_user(eng, "alice", role="editor", by="boss") == {}  # nothing changed, nothing audited
    assert len(__import__("ops").audit_rows(eng)) == n


def test_refusals_are_bilingual(eng):
    from web import auth

    auth.add_user(eng, "boss", PASSWORD, "admin")
    for kwargs in ({"role": "superuser"}, {"password": "short"}):
        with pytest.raises(ValueError) as e:
            auth.update_user(eng, "boss", by="boss", **kwargs)
        assert re.search(r"[ก-๙]", str(e.value)) and re.search(r"[A-Za-z]{4}", str(e.value))
    with pytest.raises(ValueError, match="No such user"):
        auth.update_user(eng, "nobody", role="viewer", by="boss")
    assert _row(eng, "boss")["role"] == "admin"


def test_last_active_admin_is_kept(eng):
    from web import auth

    auth.add_user(eng, "boss", PASSWORD, "admin")
    auth.add_user(eng, "deputy", PASSWORD, "admin")
    auth.update_user(eng, "deputy", active=False, by="boss")  # boss remains
    for kwargs in ({"role": "viewer"}, {"active": False}, {"role": "executive", "active": False}):
        with pytest.raises(ValueError, match="active admin"):
            auth.update_user(eng, "boss", by="boss", **kwargs)
    assert _row(eng, "boss")["role"] == "admin" and _row(eng, "boss")["active"]
    auth.update_user(eng, "deputy", active=True, by="boss")
    assert auth.update_user(eng, "boss", role="viewer", by="deputy") == {"role": "viewer"}
    with pytest.raises(ValueError, match="active admin"):
        auth.update_user(eng, "deputy", role="editor", by="deputy")


def _call(c, app, out_id, inputs, state=()):
    """Post one Dash callback, found by one of its output ids, as the renderer would."""
    c.get("/_dash-dependencies")
    key = next(k for k in app.app.callback_map if re.search(rf"(^|\.){re.escape(out_id)}\.", k))
    outs = [dict(zip(("id", "property"), o.split(".", 1))) for o in key.strip(".").split("...")]

    def prop(x):
        return [{"id": i, "property": p, "value": v} for i, p, v in x]

    body = {
        "output": key,
        "outputs": outs if len(outs) > 1 else outs[0],
        "inputs": prop(inputs),
        "state": prop(state),
        "changedPropIds": [f"{inputs[0][0]}.{inputs[0][1]}"],
    }
    return c.post("/_dash-update-component", json=body, headers=ORIGIN)


def _alert(r, out_id):
    """The alert a callback put in `out_id`: (text, role, class)."""
    assert r.status_code == 200, r.status_code
    p = r.get_json()["response"][out_id]["children"]["props"]
    return p["children"], p["role"], p["className"]


def _add(c, app, name, password, role="viewer", email=""):
    return _call(
        c,
        app,
        "admin-add-msg",
        [("admin-add-submit", "n_clicks", 1)],
        [
            ("admin-add-username", "value", name),
            ("admin-add-role", "value", role),
            ("admin-add-unit", "value", "กองแผนงาน"),
            ("admin-add-area", "value", "8601"),
            ("admin-add-email", "value", email),
            ("admin-add-password", "value", password),
        ],
    )


def _save(c, app, name, **fields):
    f = {"role": None, "unit": "", "area": "", "email": "", "active": True, "password": ""} | fields
    return _call(
        c,
        app,
        "admin-edit-msg",
        [("admin-edit-submit", "n_clicks", 1)],
        [("admin-edit-user", "value", name)] + [(f"admin-edit-{k}", "value", v) for k, v in f.items()],
    )


def test_admin_adds_and_edits_through_the_page(site):
    from web import auth

    app, eng = site
    c = app.server.test_client()
    assert login(c, "a_admin", PASSWORD).status_code == 302
    r = _add(c, app, "carol", PASSWORD, email="carol@chumphon.example")
    assert _alert(r, "admin-add-msg") == ("เพิ่มผู้ใช้ carol แล้ว", "status", "alert alert-success mb-0")
    assert "carol" in json.dumps(r.get_json()["response"]["admin-users-box"])  # the table is fresh
    row = _row(eng, "carol")
    assert (row["role"], row["unit"], row["area_code"], row["email"]) == (
        "viewer",
        "กองแผนงาน",
        "8601",
        "carol@chumphon.example",
    )
    text, role, _cls = _alert(_add(c, app, "erin", PASSWORD, email="erin@x.co\r\nBcc: all@x.co"), "admin-add-msg")
    assert "อีเมล" in text and role == "alert" and auth._load(eng, username="erin") is None  # never a second header
    a = _last_audit(eng)
    assert (a["action"], a["who"], a["target"]) == ("user.add", "a_admin", "carol")
    for name, pw, msg in (
        ("carol", PASSWORD, "มีชื่อผู้ใช้ carol อยู่แล้ว"),
        ("dave", "short", "อย่างน้อย 10"),
        ("  ", PASSWORD, "กรุณาระบุชื่อผู้ใช้"),
    ):
        text, role, _cls = _alert(_add(c, app, name, pw), "admin-add-msg")
        assert msg in text and role == "alert", text
    assert auth._load(eng, username="dave") is None

    r = _save(
        c,
        app,
        "carol",
        role="editor",
        unit="กองคลัง",
        area="8604",
        email="carol@chumphon.example",
        password="another secret!",
    )
    assert _alert(r, "admin-edit-msg")[1:] == ("status", "alert alert-success mb-0")
    a = _last_audit(eng)
    assert (a["action"], a["who"], a["target"]) == ("user.update", "a_admin", "carol")
    assert a["after"] == {"role": "editor", "unit": "กองคลัง", "area_code": "8604", "password": "changed"}
    text, role, _cls = _alert(_save(c, app, "a_admin", role="viewer"), "admin-edit-msg")
    assert "At least one active admin must remain" in text and "ผู้ดูแลระบบ" in text and role == "alert"
    assert _row(eng, "a_admin")["role"] == "admin"


def test_viewer_is_refused_by_server_and_callbacks(site):
    from pages import admin

    app, _eng = site
    c = app.server.test_client()
    assert login(c, "a_viewer", PASSWORD).status_code == 302
    for out in ("admin-add-msg", "admin-edit-msg", "admin-edit-role", "admin-download"):
        assert _call(c, app, out, [("admin-add-submit", "n_clicks", 1)]).status_code == 403, out
    assert _add(c, app, "mallory", PASSWORD, role="admin").status_code == 403
    assert __import__("web.auth", fromlist=["_load"])._load(_eng, username="mallory") is None
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        flask.g._login_user = None  # anonymous: role() is "public"
        for call in (
            lambda: admin._add(1, "mallory", "admin", "", "", "", PASSWORD),
            lambda: admin._pick("a_admin"),
            lambda: admin._save(1, "a_admin", "viewer", "", "", "", True, ""),
            lambda: admin._retry([1]),
            lambda: admin._export(1),
        ):
            with pytest.raises(Forbidden):
                call()
