"""Who may see what, checked on the server for every page, callback and download.

* Accounts live in the ops store (``etl.ops.users``); passwords are hashed with argon2id
  (argon2-cffi). The first admin is made by ``python -m etl user add NAME --role admin``; there is
  no default password.
* Sessions: flask-login with Flask's signed session cookie (HttpOnly, SameSite=Lax), expiring after
  ``SANYAN_SESSION_MINUTES`` of inactivity.
* Login: a plain HTML form with a per-session CSRF token; 5 failed attempts per user name and
  address in 10 minutes are refused for the rest of the window (429). A wrong name or password
  gets one message that does not say which was wrong. Every login, failure and refusal is
  written to the audit trail.
* Every POST (Dash callbacks included) must come from this site (Origin / Referer check).
* Access: ``PAGE_ROLES`` says which roles may open each page; public visitors (no login) see only
  the public pages. Dash serves every page's content through callbacks, so the check runs on
  ``/_dash-update-component`` too: the router's target path, and every other callback by the
  page prefix of its output ids. A refused callback answers 403 and leaves an audit entry.
* Classified KPIs: executives and admins read secret KPIs, the other roles open and internal
  ones, the public open ones only; ``db.query`` drops the rest from every result (``READS``).
* Security headers on every response, with a Content-Security-Policy that also forbids any
  request to another host.
"""
from __future__ import annotations

import hmac
import json
import secrets
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from html import escape

import flask
import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user

from config import settings
from etl import ops

INTERNAL = ("admin", "executive", "verifier", "editor", "viewer")
PUBLIC_PATHS = {"/about-data", "/gpp", "/open", "/api"}   # readable without login (official, marked and open data)
# the public portal and the open-data API show open data only, whoever asks (signed in or not)
OPEN_ONLY = ("/open", "/api")
# pages only some signed-in roles may open; every other page is open to every signed-in role
PAGE_ROLES = {"/admin": {"admin"}, "/entry": {"admin", "executive", "verifier", "editor"}}
# callbacks whose outputs start with these prefixes belong to these pages
PREFIX_PAGE = {"kpi-": "/kpi", "gpp-": "/gpp", "map-": "/map", "home-": "/", "projects-": "/projects",
               "district-": "/district", "indicators-": "/indicators", "about-": "/about-data",
               "kpidetail-": "/kpi", "admin-": "/admin", "entry-": "/entry", "km-": "/km",
               "quality-": "/quality", "rec-": "/entry", "meeting-": "/meeting",
               "directives-": "/meeting", "open-": "/open", "openkpi-": "/open", "openind-": "/open",
               "opens9-": "/open", "openreq-": "/open"}
SHELL_OUTPUTS = {"shell-lang-toggle", "shell-navbar-collapse"}
MAX_FAILS, WINDOW_S = 5, 600

_hasher = PasswordHasher()
_fails: dict[tuple[str, str], deque] = defaultdict(deque)


@dataclass
class User(UserMixin):
    user_id: int
    username: str
    role: str
    unit: str | None
    area_code: str | None

    def get_id(self) -> str:
        return str(self.user_id)


def hash_password(password: str) -> str:
    if len(password) < 10:
        raise ValueError("a password needs at least 10 characters")
    return _hasher.hash(password)


def add_user(eng, username: str, password: str, role: str, unit: str | None = None,
             area_code: str | None = None, by: str | None = None) -> int:
    """Create an account; ``by`` is who did it for the audit trail (default: the OS user, as
    for the CLI)."""
    if role not in ops.ROLES:
        raise ValueError(f"unknown role {role!r}; one of {', '.join(ops.ROLES)}")
    with eng.begin() as con:
        uid = con.execute(ops.users.insert().values(
            username=username, password_hash=hash_password(password), role=role, unit=unit, area_code=area_code,
            active=True, created_at=datetime.now(timezone.utc))).inserted_primary_key[0]
    ops.record_audit(eng, "user.add", target=username, who=by,
                     after={"role": role, "unit": unit, "area_code": area_code})
    return int(uid)


def set_password(eng, username: str, password: str) -> None:
    with eng.begin() as con:
        n = con.execute(ops.users.update().where(ops.users.c.username == username)
                        .values(password_hash=hash_password(password))).rowcount
    if not n:
        raise ValueError(f"no such user {username!r}")
    ops.record_audit(eng, "user.password", target=username)


def set_active(eng, username: str, active: bool) -> None:
    with eng.begin() as con:
        n = con.execute(ops.users.update().where(ops.users.c.username == username).values(active=active)).rowcount
    if not n:
        raise ValueError(f"no such user {username!r}")
    ops.record_audit(eng, "user.enable" if active else "user.disable", target=username,
                     before={"active": not active}, after={"active": active})


def _load(eng, **where) -> dict | None:
    col, value = next(iter(where.items()))
    with eng.connect() as con:
        row = con.execute(sa.select(ops.users).where(getattr(ops.users.c, col) == value)).mappings().first()
    return dict(row) if row else None


def check_password(eng, username: str, password: str) -> User | None:
    row = _load(eng, username=username)
    try:
        if row is None or not row["active"]:
            _hasher.verify(_DUMMY, password)          # same time whether or not the name exists
            return None
        _hasher.verify(row["password_hash"], password)
    except (VerifyMismatchError, InvalidHashError):
        return None
    with eng.begin() as con:
        con.execute(ops.users.update().where(ops.users.c.user_id == row["user_id"])
                    .values(last_login=datetime.now(timezone.utc)))
    return User(row["user_id"], row["username"], row["role"], row["unit"], row["area_code"])


_DUMMY = _hasher.hash("not a real password, only for timing")


def role() -> str:
    return current_user.role if getattr(current_user, "is_authenticated", False) else "public"


# Which KPI classifications each role reads (db.py hides the rest from every query result).
READS = {"admin": None, "executive": None, "verifier": frozenset({"open", "internal"}),
         "editor": frozenset({"open", "internal"}), "viewer": frozenset({"open", "internal"}),
         "public": frozenset({"open"})}


def reader_classes() -> frozenset[str] | None:
    """For db.py: the classifications the signed-in reader may see; None (everything) outside a
    web request, i.e. for the CLI and benchmarks."""
    if not flask.has_request_context():
        return None
    if flask.g.get("open_only"):
        return frozenset({"open"})
    return READS.get(role(), frozenset({"open"}))


def _top(path: str) -> str:
    path = "/" + (path or "/").strip("/").split("?")[0]
    return "/" + path.strip("/").split("/")[0] if path != "/" else "/"


def may_open(path: str, who: str) -> bool:
    path = "/" + path.strip("/").split("?")[0]
    top = "/" + path.strip("/").split("/")[0] if path != "/" else "/"
    if top == "/login" or path == "/healthz":
        return True
    if top in PAGE_ROLES:
        return who in PAGE_ROLES[top]
    if who in INTERNAL:
        return True
    return top in PUBLIC_PATHS


def _callback_page(body: dict) -> str | None:
    """The page a Dash callback request acts for: the router's pathname, else the prefix of the
    ids it outputs. None for the shell's own callbacks."""
    outputs = body.get("outputs")
    outs = outputs if isinstance(outputs, list) else [outputs]
    outs = [o for x in outs for o in (x if isinstance(x, list) else [x])]   # ALL outputs come as lists
    ids = [o.get("id") for o in outs if isinstance(o, dict)]
    if "_pages_content" in ids or "_pages_store" in ids:
        for i in body.get("inputs", []):
            if i.get("id") == "_pages_location" and i.get("property") == "pathname":
                return i.get("value") or "/"
        return "/"
    if ids and all(isinstance(i, str) and i in SHELL_OUTPUTS for i in ids):
        return None
    for i in ids:
        name = i.get("type") if isinstance(i, dict) else i        # a pattern-matching id by its type
        for prefix, page in PREFIX_PAGE.items():
            if isinstance(name, str) and name.startswith(prefix):
                return page
    return "/admin"                                   # unknown outputs: the strictest page


def _same_origin() -> bool:
    req = flask.request
    host = req.host_url.rstrip("/")
    origin = req.headers.get("Origin") or req.headers.get("Referer")
    return bool(origin) and (origin == host or origin.startswith(host + "/"))


def _csrf_token() -> str:
    tok = flask.session.get("csrf")
    if not tok:
        tok = flask.session["csrf"] = secrets.token_urlsafe(24)
    return tok


LOGIN_HTML = """<!DOCTYPE html><html lang="th"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>เข้าสู่ระบบ · สัญญาณ Sanyan</title>
<link rel="stylesheet" href="/assets/sanyan.css"></head><body class="sy-shell">
<main class="sy-main"><div class="container" style="max-width:28rem">
<h1 class="sy-page-title" id="login-title">เข้าสู่ระบบ <span lang="en" class="sy-meta">Sign in</span></h1>
{message}
<form method="post" action="/login" id="login-form" class="sy-filters" style="grid-template-columns:1fr">
<input type="hidden" name="csrf" value="{csrf}"><input type="hidden" name="next" value="{next}">
<div><label for="login-username">ชื่อผู้ใช้ / User name</label>
<input class="form-control" id="login-username" name="username" autocomplete="username" required></div>
<div><label for="login-password">รหัสผ่าน / Password</label>
<input class="form-control" id="login-password" name="password" type="password" autocomplete="current-password" required></div>
<button class="btn btn-primary" type="submit" id="login-submit">เข้าสู่ระบบ</button></form>
<p class="mt-3"><a href="/gpp">ข้อมูลสาธารณะ (GPP)</a> · <a href="/about-data">แหล่งข้อมูล</a></p>
</div></main></body></html>"""

CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'")


def init(server: flask.Flask) -> None:
    import db
    db.reader_classes = reader_classes
    server.secret_key = settings.secret_key
    server.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                         PERMANENT_SESSION_LIFETIME=timedelta(minutes=settings.session_minutes),
                         SESSION_REFRESH_EACH_REQUEST=True)
    lm = LoginManager()
    lm.init_app(server)

    @lm.user_loader
    def _load_user(uid: str):
        row = _load(ops.engine(), user_id=int(uid))
        if not row or not row["active"]:
            return None
        return User(row["user_id"], row["username"], row["role"], row["unit"], row["area_code"])

    @server.route("/login", methods=["GET", "POST"])
    def login():
        nxt = flask.request.values.get("next") or "/"
        nxt = nxt if nxt.startswith("/") and not nxt.startswith("//") else "/"
        message = ""
        if flask.request.method == "POST":
            name = (flask.request.form.get("username") or "").strip()
            key = (name.lower(), flask.request.remote_addr or "")
            window = _fails[key]
            while window and window[0] < time.monotonic() - WINDOW_S:
                window.popleft()
            eng = ops.engine()
            if not hmac.compare_digest(flask.request.form.get("csrf", ""), flask.session.get("csrf", "") or "x"):
                return flask.Response("CSRF token missing or wrong", 400)
            if len(window) >= MAX_FAILS:
                ops.record_audit(eng, "login", target=name, who=name or "-", outcome="refused")
                return flask.Response(LOGIN_HTML.format(message='<div class="alert alert-danger">ลองผิดหลายครั้ง '
                                      'กรุณารอ 10 นาที / Too many attempts: wait 10 minutes</div>',
                                      csrf=_csrf_token(), next=escape(nxt)), 429)
            user = check_password(eng, name, flask.request.form.get("password") or "")
            if user is None:
                window.append(time.monotonic())
                ops.record_audit(eng, "login", target=name, who=name or "-", outcome="failed")
                message = ('<div class="alert alert-danger" id="login-error">ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง / '
                           'Wrong user name or password</div>')
            else:
                window.clear()
                flask.session.clear()
                flask.session.permanent = True
                login_user(user)
                ops.record_audit(eng, "login", target=user.username, who=user.username)
                return flask.redirect(nxt)
        return LOGIN_HTML.format(message=message, csrf=_csrf_token(), next=escape(nxt))

    @server.route("/logout", methods=["POST", "GET"])
    def logout():
        if getattr(current_user, "is_authenticated", False):
            ops.record_audit(ops.engine(), "logout", target=current_user.username, who=current_user.username)
        logout_user()
        flask.session.clear()
        return flask.redirect("/login")

    @server.before_request
    def guard():
        req = flask.request
        path = req.path
        if path.startswith(("/assets/", "/_dash-component-suites/", "/_dash-layout", "/_dash-dependencies",
                            "/_favicon", "/_reload-hash")) or path in ("/healthz", "/login", "/logout"):
            return None
        who = role()
        if req.method == "POST":
            if not _same_origin():
                return flask.Response("cross-site request refused", 403)
            if path == "/_dash-update-component":
                body = req.get_json(silent=True) or {}
                page = _callback_page(body)
                if page is not None and _top(page) in OPEN_ONLY:
                    flask.g.open_only = True
                if page is not None and not may_open(page, who):
                    ops.record_audit(ops.engine(), "refused", target=f"callback {page}",
                                     who=getattr(current_user, "username", "public"), outcome="refused",
                                     after={"outputs": body.get("output")})
                    return flask.Response(json.dumps({"error": "forbidden"}), 403, mimetype="application/json")
            return None
        if _top(path) in OPEN_ONLY:
            flask.g.open_only = True
        if req.method == "GET" and not may_open(path, who):
            if who == "public":
                return flask.redirect(f"/login?next={path}")
            return flask.Response("ไม่มีสิทธิ์เข้าถึงหน้านี้ / Forbidden", 403)
        return None

    @server.after_request
    def headers(resp):
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("X-Frame-Options", "SAMEORIGIN")   # the presenter frames the app's own pages
        resp.headers.setdefault("Referrer-Policy", "same-origin")
        resp.headers.setdefault("Content-Security-Policy", CSP)
        return resp


# ---------------------------------------------------------------- account changes from /admin
def update_user(eng, username: str, *, role=None, unit=None, area_code=None, active=None, password=None,
                by: str) -> dict:
    """Change the given fields of an account (None: leave as is; "" for unit or area_code:
    clear) and audit them as ``user.update`` (a new password as ``{"password": "changed"}``).
    Refuses an unknown user or role, a short password, and leaving no active admin. Returns the
    changed fields' new values ({} and no audit entry when nothing changes)."""
    if role is not None and role not in ops.ROLES:
        raise ValueError(f"ไม่มีบทบาท {role!r} / Unknown role {role!r} (one of {', '.join(ops.ROLES)})")
    try:
        pw_hash = None if password is None else hash_password(password)
    except ValueError:
        raise ValueError("รหัสผ่านต้องมีอย่างน้อย 10 ตัวอักษร / A password needs at least 10 characters") from None
    wanted = {"role": role, "unit": unit, "area_code": area_code, "active": None if active is None else bool(active)}
    wanted = {k: (v or None) if k in ("unit", "area_code") else v for k, v in wanted.items() if v is not None}
    with eng.begin() as con:
        row = con.execute(sa.select(ops.users).where(ops.users.c.username == username)).mappings().first()
        if row is None:
            raise ValueError(f"ไม่พบผู้ใช้ {username!r} / No such user {username!r}")
        before = {k: row[k] for k, v in wanted.items() if row[k] != v}
        after = {k: wanted[k] for k in before}
        was_admin = row["role"] == "admin" and row["active"]
        if was_admin and not (after.get("role", row["role"]) == "admin" and after.get("active", row["active"])):
            others = con.execute(sa.select(sa.func.count()).select_from(ops.users).where(
                ops.users.c.role == "admin", ops.users.c.active.is_(True), ops.users.c.username != username)).scalar()
            if not others:
                raise ValueError("ต้องมีผู้ดูแลระบบที่ใช้งานได้อย่างน้อยหนึ่งคน / "
                                 "At least one active admin must remain")
        values = dict(after, **({"password_hash": pw_hash} if pw_hash else {}))
        if values:
            con.execute(ops.users.update().where(ops.users.c.username == username).values(**values))
    if pw_hash:
        after["password"] = "changed"
    if after:
        ops.record_audit(eng, "user.update", target=username, who=by, before=before, after=after)
    return after
