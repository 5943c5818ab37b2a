"""Who may see what, checked on the server for every page, callback and download.

* Accounts live in the ops store (``ops.users``); passwords are hashed with argon2id
  (argon2-cffi); a password must pass ``passwords.check`` (NIST SP 800-63B: length, not common,
  repetitive or sequential). There is no default password: the first admin is made at the one-time
  setup address ``make run`` prints (setup_admin.py), or by ``python -m etl user add NAME --role admin``.
* Sessions: flask-login with Flask's signed session cookie (HttpOnly, SameSite=Lax, Secure when the
  request came over https, directly or through a trusted proxy), expiring after
  ``SANYAN_SESSION_MINUTES`` of inactivity. The cookie holds a random token whose hash is a row of
  ``ops.sessions``: sign-out (a POST with the CSRF token) ends that session on the server; a new
  password, disabling an account or changing its role ends every session of it, so a copied
  cookie opens nothing afterwards.
* Login: a plain HTML form with a per-session CSRF token; 5 failed attempts per user name and
  address in 10 minutes are refused for the rest of the window (429), counted in the ops store
  (``ops.counter_hit``) so every worker and node shares one count. A wrong name or password
  gets one message that does not say which was wrong. Every login, failure and refusal is
  written to the audit trail.
* Every POST (Dash callbacks, /login, /setup and /logout included) must come from this site
  (Origin / Referer check, ``_same_origin``), or it is refused (403) before anything runs.
* Access: ``PAGE_ROLES`` says which roles may open each page; public visitors (no login) see only
  the public pages. GET, HEAD and every other method are checked alike. Dash serves every page's
  content through callbacks, so the check runs on ``/_dash-update-component`` too, decided on
  what Dash will run: the callback its ``output`` names (unknown: 400), with its inputs and state
  exactly as declared, in order (Dash passes them by position; anything else: 400); for the
  page router the page Dash's router rule will render for that pathname (``rendered_page``), for
  any other callback the page its declared output ids belong to. A refused request answers 403
  and leaves an audit entry. Each page's layout checks its reader again (``page_access``).
* Odd requests answer 4xx, never 500: control characters in a path (400), a callback whose
  values are of a kind its components never send (400, ``BAD_INPUT_ERRORS``), a number too
  large for the database; after sign-in only a path of this site (``safe_next``).
* Classified KPIs: executives and admins read secret KPIs, the other roles open and internal
  ones, the public open ones only; ``db.query`` drops the rest from every result (``READS``).
* Security headers on every response, with a Content-Security-Policy that also forbids any
  request to another host.
"""

from __future__ import annotations

import fnmatch
import functools
import hashlib
import hmac
import json
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import escape
from urllib.parse import urlencode, urlsplit

import dash
import duckdb
import flask
import sqlalchemy as sa
from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from dash import html
from flask.sessions import SecureCookieSessionInterface
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user

import ops
from config import settings
from web import passwords

INTERNAL = ("admin", "executive", "verifier", "editor", "viewer")
PUBLIC_PATHS = {"/about-data", "/gpp", "/open", "/api"}  # readable without login (official, marked and open data)
# the public portal and the open-data API show open data only, whoever asks (signed in or not)
OPEN_ONLY = ("/open", "/api")
# the harvest addresses of web/catalog.py, readable by anyone and open data only, matched whole:
# CKAN's Action API (/api/3, already public as part of /api) and the DCAT documents at
# ckanext-dcat's addresses, /catalog.<fmt> and /dataset/<name>.<fmt> and nothing else under them
# (a page path such as /dataset/x or /catalog is not opened by this)
CATALOG_PATHS = re.compile(r"/api/3(/.*)?|/catalog\.(jsonld|ttl|xml)|/dataset/[^/]+\.(jsonld|ttl|xml)")
# pages only some signed-in roles may open; every other page is open to every signed-in role
PAGE_ROLES = {"/admin": {"admin"}, "/entry": {"admin", "executive", "verifier", "editor"}}
# callbacks whose outputs start with these prefixes belong to these pages
PREFIX_PAGE = {
    "kpi-": "/kpi",
    "gpp-": "/gpp",
    "map-": "/map",
    "home-": "/",
    "projects-": "/projects",
    "district-": "/district",
    "indicators-": "/indicators",
    "about-": "/about-data",
    "kpidetail-": "/kpi",
    "admin-": "/admin",
    "entry-": "/entry",
    "km-": "/km",
    "quality-": "/quality",
    "rec-": "/entry",
    "meeting-": "/meeting",
    "directives-": "/meeting",
    "open-": "/open",
    "openkpi-": "/open",
    "openind-": "/open",
    "opens9-": "/open",
    "openreq-": "/open",
    "inbox-": "/inbox",
}
SHELL_OUTPUTS = {"shell-lang-toggle", "shell-navbar-collapse"}
ROUTER_CONTENT, ROUTER_LOCATION = "_pages_content", "_pages_location"  # dash.page_container's ids
MAX_FAILS, WINDOW_S = 5, 600
# routes that answer without sign-in and check what they need themselves
OPEN_ROUTES = frozenset({"/healthz", "/login", "/logout", "/setup"})

log = logging.getLogger("sanyan.auth")
_hasher = PasswordHasher.from_parameters(getattr(profiles, settings.password_hash))  # SANYAN_PASSWORD_HASH


@dataclass
class User(UserMixin):
    user_id: int
    username: str
    role: str
    unit: str | None
    area_code: str | None

    def get_id(self) -> str:
        return str(self.user_id)


def hash_password(password: str, username: str | None = None) -> str:
    """The argon2id hash of a password the rule accepts (web/passwords.py; ``WeakPassword`` says why not)."""
    passwords.check(password, username)
    return _hasher.hash(password)


def add_user(
    eng,
    username: str,
    password: str,
    role: str,
    unit: str | None = None,
    area_code: str | None = None,
    by: str | None = None,
    email: str | None = None,
) -> int:
    """Create an account; ``by`` is who did it for the audit trail (default: the OS user, as
    for the CLI). ValueError for an unknown role, a weak password or an e-mail address that is not
    one; sqlalchemy's IntegrityError for a name taken."""
    if role not in ops.ROLES:
        raise ValueError(f"unknown role {role!r}; one of {', '.join(ops.ROLES)}")
    email = check_email(email)
    pw_hash = hash_password(password, username)
    with eng.begin() as con:
        uid = insert_user(con, username, pw_hash, role, unit, area_code, email)
    ops.record_audit(
        eng,
        "user.add",
        target=username,
        who=by,
        after={"role": role, "unit": unit, "area_code": area_code, "email": email},
    )
    return uid


def insert_user(
    con,
    username: str,
    password_hash: str,
    role: str,
    unit: str | None = None,
    area_code: str | None = None,
    email: str | None = None,
) -> int:
    """The account's row, inside ``con``'s transaction (``add_user`` checks and audits; the first
    admin's setup makes it in the transaction that spends its token). Its id."""
    uid = con.execute(
        ops.users.insert().values(
            username=username,
            password_hash=password_hash,
            role=role,
            unit=unit,
            area_code=area_code,
            email=email,
            active=True,
            created_at=datetime.now(UTC),
        )
    ).inserted_primary_key[0]
    return int(uid)


def admin_exists(bind) -> bool:
    """Whether an active admin exists; ``bind``: an engine, or a connection inside a transaction."""
    q = sa.select(ops.users.c.user_id).where(ops.users.c.role == "admin", ops.users.c.active.is_(True)).limit(1)
    if isinstance(bind, sa.Engine):
        with bind.connect() as con:
            return con.execute(q).first() is not None
    return bind.execute(q).first() is not None


def set_password(eng, username: str, password: str) -> None:
    """A new password; every session of the account ends (a leaked password's stolen session too)."""
    with eng.begin() as con:
        uid = _user_id(con, username)
        con.execute(
            ops.users.update().where(ops.users.c.user_id == uid).values(password_hash=hash_password(password, username))
        )
        _end_sessions(con, uid, "password")
    ops.record_audit(eng, "user.password", target=username)


def set_active(eng, username: str, active: bool) -> None:
    """Enable or disable an account; disabling ends every session of it."""
    with eng.begin() as con:
        uid = _user_id(con, username)
        con.execute(ops.users.update().where(ops.users.c.user_id == uid).values(active=active))
        if not active:
            _end_sessions(con, uid, "disabled")
    ops.record_audit(
        eng,
        "user.enable" if active else "user.disable",
        target=username,
        before={"active": not active},
        after={"active": active},
    )


EMAIL = re.compile(r"[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[^@\s<>()\[\],;:\"]+")


def check_email(email: str | None) -> str | None:
    """One plain address (name@host.domain, at most 320 characters: no display name, no second
    address, nothing that could become another mail header), or None for none."""
    email = (email or "").strip()
    if not email:
        return None
    if len(email) > 320 or not EMAIL.fullmatch(email):
        raise ValueError(f"ที่อยู่อีเมลไม่ถูกต้อง {email!r} / Not an e-mail address: {email!r}")
    return email


def _user_id(con, username: str) -> int:
    """The id of account `username`, inside `con`'s transaction; ValueError if there is none."""
    uid = con.execute(sa.select(ops.users.c.user_id).where(ops.users.c.username == username)).scalar()
    if uid is None:
        raise ValueError(f"no such user {username!r}")
    return uid


def _user(row) -> User:
    return User(row["user_id"], row["username"], row["role"], row["unit"], row["area_code"])


# ---------------------------------------------------------------- sessions that can be ended
def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start_session(eng, user_id: int) -> str:
    """A new server-side session for ``user_id``; the random token goes into the signed cookie."""
    token = secrets.token_urlsafe(32)
    with eng.begin() as con:
        con.execute(
            ops.sessions.insert().values(token_sha256=_token_hash(token), user_id=user_id, created_at=datetime.now(UTC))
        )
    return token


def sign_in(eng, user: User) -> None:
    """Sign ``user`` in on this request: a fresh cookie session with a new server-side session
    (the login form, and the first admin's setup page)."""
    flask.session.clear()
    flask.session.permanent = True
    flask.session["sid"] = start_session(eng, user.user_id)
    # the CSRF token now, with the session: made later by a page, it would race the page's parallel
    # requests, each of which sends the cookie back (the last answer's cookie, without it, wins)
    flask.session["csrf"] = secrets.token_urlsafe(24)
    login_user(user)


def _end_sessions(con, user_id: int, why: str, token: str | None = None) -> int:
    """End the open sessions of ``user_id`` (only the one of ``token`` if given), inside ``con``'s
    transaction; how many ended."""
    q = ops.sessions.update().where(ops.sessions.c.user_id == user_id, ops.sessions.c.ended_at.is_(None))
    if token is not None:
        q = q.where(ops.sessions.c.token_sha256 == _token_hash(token))
    return con.execute(q.values(ended_at=datetime.now(UTC), ended_why=why)).rowcount


def session_user(eng, user_id: int, token: str | None) -> User | None:
    """The signed-in user of a request: an active account whose session ``token`` was not ended."""
    if not token:
        return None
    s, u = ops.sessions, ops.users
    with eng.connect() as con:
        row = (
            con.execute(
                sa.select(u)
                .join(s, s.c.user_id == u.c.user_id)
                .where(
                    u.c.user_id == user_id,
                    u.c.active.is_(True),
                    s.c.token_sha256 == _token_hash(token),
                    s.c.ended_at.is_(None),
                )
            )
            .mappings()
            .first()
        )
    return _user(row) if row else None


def _load(eng, **where) -> dict | None:
    col, value = next(iter(where.items()))
    with eng.connect() as con:
        row = con.execute(sa.select(ops.users).where(getattr(ops.users.c, col) == value)).mappings().first()
    return dict(row) if row else None


def check_password(eng, username: str, password: str) -> User | None:
    row = _load(eng, username=username)
    try:
        if row is None or not row["active"]:
            _hasher.verify(_DUMMY, password)  # same time whether or not the name exists
            return None
        _hasher.verify(row["password_hash"], password)
    except (VerifyMismatchError, InvalidHashError):
        return None
    with eng.begin() as con:
        con.execute(
            ops.users.update().where(ops.users.c.user_id == row["user_id"]).values(last_login=datetime.now(UTC))
        )
    return _user(row)


def _dummy_hash() -> str:
    """What the password of a name that does not exist is checked against, so that a sign-in takes
    the same time either way: an argon2 hash with the hasher's own parameters and a random salt
    and digest (no password has it). Written out, not hashed: hashing at import cost every worker
    the profile's memory (64 MiB) and ~0.2 s; verifying it costs what verifying a real hash does."""
    import base64

    from argon2.low_level import ARGON2_VERSION

    def b64(n: int) -> str:
        return base64.b64encode(secrets.token_bytes(n)).decode().rstrip("=")

    h = _hasher
    params = f"m={h.memory_cost},t={h.time_cost},p={h.parallelism}"
    return f"$argon2{h.type.name.lower()}$v={ARGON2_VERSION}${params}${b64(h.salt_len)}${b64(h.hash_len)}"


_DUMMY = _dummy_hash()


def role() -> str:
    return current_user.role if getattr(current_user, "is_authenticated", False) else "public"


# Which KPI classifications each role reads (db.py hides the rest from every query result); one
# table, in the ops store, so the warnings sent outside a request keep the same rule.
READS = ops.READS


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
    if CATALOG_PATHS.fullmatch(path):
        return True
    if top in PAGE_ROLES:
        return who in PAGE_ROLES[top]
    if who in INTERNAL:
        return True
    return top in PUBLIC_PATHS


# what a page's code raises when a request carries a value of the wrong kind (see init's bad_input)
BAD_INPUT_ERRORS = (
    TypeError,
    ValueError,
    KeyError,
    AttributeError,
    IndexError,
    OverflowError,
    duckdb.ConversionException,
)


class BadCallback(ValueError):
    """A callback request that does not match any callback the app declares, as Dash would read it."""


def rendered_page(pathname) -> dict | None:
    """The registered page Dash's router renders for ``pathname`` (None: its not-found page)."""
    return route(pathname)[0]


def route(pathname) -> tuple[dict | None, dict]:
    """(the registered page Dash's router renders for ``pathname``, the values of its path's
    ``<variables>``); (None, {}) for its not-found page. The router's own rule: the path with
    leading and trailing slashes stripped, matched against each page's ``path_template`` (fnmatch,
    ``<var>`` as ``*``) or ``path``, in registry order. BadCallback for a path it cannot read."""
    if not isinstance(pathname, str):
        raise BadCallback("pathname is not a string")
    try:
        path_id = dash.get_app().strip_relative_path(pathname)
    except dash.exceptions.UnsupportedRelativePath:
        raise BadCallback("a path outside the app") from None
    for page in dash.page_registry.values():
        template = page.get("path_template")
        if template:
            template_id = template.strip("/")
            if fnmatch.fnmatch(path_id, re.sub("<.*?>", "*", template_id)):
                found = re.findall(re.sub("<.*?>", "(.*)", template_id), path_id)
                if not found:  # Dash's router would fail on this path
                    raise BadCallback("a path its router cannot read")
                values = found[0] if isinstance(found[0], tuple) else found
                variables = dict(zip(re.findall("<(.*?)>", template_id), values))
                if variables:
                    return page, variables
        if path_id == page["path"].strip("/"):
            return page, {}
    return None, {}


def _matches(declared: dict, sent) -> bool:
    """Whether one input or state entry of a request is the one the callback declares there:
    the same id and property; for a pattern-matching id (JSON), entries whose ids fit the pattern."""
    did, prop = declared["id"], declared["property"]
    if not did.startswith("{"):
        return isinstance(sent, dict) and sent.get("id") == did and sent.get("property") == prop
    pattern = json.loads(did)
    items = sent if isinstance(sent, list) else [sent]
    for it in items:
        if not (isinstance(it, dict) and it.get("property") == prop and isinstance(it.get("id"), dict)):
            return False
        sid = it["id"]
        if set(sid) != set(pattern):
            return False
        if any(not isinstance(v, list) and sid[k] != v for k, v in pattern.items()):  # wildcards: ["ALL"] etc.
            return False
    return True


def _declared_ids(cb: dict) -> list:
    outs = cb["output"] if isinstance(cb["output"], (list, tuple)) else [cb["output"]]
    return [o.component_id for o in outs]


def _declared(body) -> dict:
    if not isinstance(body, dict) or not isinstance(body.get("output"), str):
        raise BadCallback("no callback named")
    cb = dash.get_app().callback_map.get(body["output"])
    if cb is None or "callback" not in cb:  # unknown, or run in the browser only
        raise BadCallback("no such callback")
    return cb


def check_arguments(body) -> None:
    """The request's inputs and state must be exactly the ones its callback declares, in the
    declared order: Dash hands them to the function by position. Raises BadCallback."""
    cb = _declared(body)
    for part in ("inputs", "state"):
        sent, declared = body.get(part, []), cb.get(part, [])
        if (
            not isinstance(sent, list)
            or len(sent) != len(declared)
            or not all(_matches(d, x) for d, x in zip(declared, sent))
        ):
            raise BadCallback(f"{part} differ from the callback's")


def callback_page(body) -> str | None:
    """The page a Dash callback request acts for, decided on what Dash will run: the callback its
    ``output`` names (it must be declared). For the page router, whose arguments say the page,
    the arguments are checked first (``check_arguments``) and the page is the registered path of
    the page it will render ("/404": its not-found page); for any other callback, the page its
    declared output ids belong to; None for the shell's own. Raises BadCallback."""
    cb = _declared(body)
    ids = _declared_ids(cb)
    if ROUTER_CONTENT in ids:
        check_arguments(body)
        args = {
            d["property"]: x.get("value") for d, x in zip(cb["inputs"], body["inputs"]) if d["id"] == ROUTER_LOCATION
        }
        search = args.get("search")
        if search is not None and not isinstance(search, str):
            raise BadCallback("search is not a string")
        page = rendered_page(args.get("pathname"))
        return page["path"] if page else "/404"
    if all(isinstance(i, str) and i in SHELL_OUTPUTS for i in ids):
        return None
    for i in ids:
        name = i.get("type") if isinstance(i, dict) else i  # a pattern-matching id by its type
        for prefix, page in PREFIX_PAGE.items():
            if isinstance(name, str) and name.startswith(prefix):
                return page
    return "/admin"  # unknown outputs: the strictest page


def _same_origin() -> bool:
    """Whether a request says it comes from a page of this site: its Origin (or, without one, its
    Referer) is the address the request was sent to. That address is the request's Host, which
    a browser sets itself, so a page of another site cannot make it match; X-Forwarded-Host and
    -Proto count only from the proxies ``SANYAN_PROXY_HOPS`` trusts (app.py). No Origin and no
    Referer, or ``Origin: null``: refused."""
    req = flask.request
    host = req.host_url.rstrip("/")
    origin = req.headers.get("Origin") or req.headers.get("Referer")
    return bool(origin) and (origin == host or origin.startswith(host + "/"))


def safe_next(raw) -> str:
    """Where to go after signing in: a path of this site only. Control characters and spaces
    are dropped first (browsers drop tabs and line breaks inside an address, so ``/\t/host`` is
    ``//host`` to them) and a backslash read as the slash browsers read it; anything with a
    scheme or a host, or not starting with one slash, gives "/"."""
    text = "".join(ch for ch in str(raw or "") if ord(ch) > 32 and ord(ch) != 127).replace("\\", "/")
    parts = urlsplit(text)
    if not text.startswith("/") or text.startswith("//") or parts.scheme or parts.netloc:
        return "/"
    return text


def csrf_token() -> str:
    tok = flask.session.get("csrf")
    if not tok:
        tok = flask.session["csrf"] = secrets.token_urlsafe(24)
    return tok


# the sign-in page while no active admin exists: where the first admin is made (setup_admin.py)
SETUP_HINT = """<div class="alert alert-info" id="login-setup-hint" role="note">ยังไม่มีผู้ดูแลระบบ
ที่อยู่สำหรับสร้างผู้ดูแลระบบคนแรก (ใช้ได้ครั้งเดียว) พิมพ์ไว้บนคอนโซลของเซิร์ฟเวอร์เมื่อเริ่มแอป หากหาไม่พบหรือหมดอายุ
ให้พิมพ์ที่อยู่ใหม่ (ที่อยู่เดิมจะใช้ไม่ได้อีก) ด้วยคำสั่งนี้ในโฟลเดอร์ของสัญญาณบนเซิร์ฟเวอร์:
<br><code>.venv/bin/python setup_admin.py</code><br><span lang="en">No admin yet. The one-time address where
the first admin is made was printed on the server's console when the app started. If it is lost or
expired, print a new one (the old one is then void) with this command in Sanyan's folder on the
server: <code>.venv/bin/python setup_admin.py</code></span></div>"""


def _setup_hint() -> str:
    return "" if admin_exists(ops.engine()) else SETUP_HINT


LOGIN_HTML = """<!DOCTYPE html><html lang="th"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>เข้าสู่ระบบ · สัญญาณ Sanyan</title>
<link rel="stylesheet" href="/assets/sanyan.css"></head><body class="sy-shell">
<main class="sy-main"><div class="container" style="max-width:28rem">
<h1 class="sy-page-title" id="login-title">เข้าสู่ระบบ <span lang="en" class="sy-meta">Sign in</span></h1>
{hint}{message}
<form method="post" action="/login" id="login-form" class="sy-filters" style="grid-template-columns:1fr">
<input type="hidden" name="csrf" value="{csrf}"><input type="hidden" name="next" value="{next}">
<div><label for="login-username">ชื่อผู้ใช้ / User name</label>
<input class="form-control" id="login-username" name="username" autocomplete="username" required></div>
<div><label for="login-password">รหัสผ่าน / Password</label>
<input class="form-control" id="login-password" name="password" type="password" autocomplete="current-password" required></div>
<button class="btn btn-primary" type="submit" id="login-submit">เข้าสู่ระบบ</button></form>
<p class="mt-3"><a href="/gpp">ข้อมูลสาธารณะ (GPP)</a> · <a href="/about-data">แหล่งข้อมูล</a></p>
</div></main></body></html>"""

LOGOUT_HTML = """<!DOCTYPE html><html lang="th"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>ออกจากระบบ · สัญญาณ Sanyan</title>
<link rel="stylesheet" href="/assets/sanyan.css"></head><body class="sy-shell">
<main class="sy-main"><div class="container" style="max-width:28rem">
<h1 class="sy-page-title" id="logout-title">ออกจากระบบ <span lang="en" class="sy-meta">Sign out</span></h1>
<p>{user}: ออกจากระบบตอนนี้หรือไม่ / Sign out now?</p>
<form method="post" action="/logout" id="logout-form">
<input type="hidden" name="csrf" value="{csrf}">
<button class="btn btn-primary" type="submit" id="logout-submit">ออกจากระบบ / Sign out</button>
<a class="btn btn-link" href="/">กลับ / Back</a></form>
</div></main></body></html>"""

CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
)


def page_access(layout):
    """Decorator for a page's ``layout``: the page checks its own reader again (defence in depth
    behind ``guard``), by the path it is registered at, and shows a refusal instead of itself."""
    module = layout.__module__

    @functools.wraps(layout)
    def checked(*args, **kwargs):
        page = dash.page_registry.get(module)
        path = page["path"] if page else "/admin"  # unregistered: the strictest page
        if flask.has_request_context() and not may_open(path, role()):
            ops.record_audit(
                ops.engine(),
                "refused",
                target=f"layout {path}",
                who=getattr(current_user, "username", "public"),
                outcome="refused",
            )
            return html.Div(
                html.P("ไม่มีสิทธิ์เข้าถึงหน้านี้ / You may not open this page", role="alert", className="alert alert-danger"),
                id="page-refused",
            )
        return layout(*args, **kwargs)

    checked.access_checked = True
    return checked


def _refused(target: str, who: str, detail: dict | None = None) -> flask.Response:
    """403 for a request the reader's role may not make, with an audit entry; a callback gets
    JSON, anything else a line in Thai and English."""
    ops.record_audit(
        ops.engine(),
        "refused",
        target=target[:500],
        who=getattr(current_user, "username", "public"),
        outcome="refused",
        after=detail,
    )
    if target.startswith("callback "):
        return flask.Response(json.dumps({"error": "forbidden"}), 403, mimetype="application/json")
    text = "ต้องเข้าสู่ระบบก่อน / Sign in first" if who == "public" else "ไม่มีสิทธิ์เข้าถึงหน้านี้ / Forbidden"
    return flask.Response(text + "\n", 403, mimetype="text/plain; charset=utf-8")


class _SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie, marked ``Secure`` whenever the request came over https: directly,
    or through the reverse proxies ``SANYAN_PROXY_HOPS`` trusts (app.py applies their
    X-Forwarded-Proto; an untrusted one never reaches here)."""

    def get_cookie_secure(self, app) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or (flask.has_request_context() and flask.request.is_secure)


def init(server: flask.Flask) -> None:
    import db

    db.reader_classes = reader_classes
    server.secret_key = settings.secret_key
    server.session_interface = _SessionInterface()
    server.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(minutes=settings.session_minutes),
        SESSION_REFRESH_EACH_REQUEST=True,
    )
    lm = LoginManager()
    lm.init_app(server)

    @lm.user_loader
    def _load_user(uid: str):
        return session_user(ops.engine(), int(uid), flask.session.get("sid")) if uid.isdigit() else None

    @server.route("/login", methods=["GET", "POST"])
    def login():
        nxt = safe_next(flask.request.values.get("next"))
        message = ""
        if flask.request.method == "POST":
            name = (flask.request.form.get("username") or "").strip()
            eng = ops.engine()
            if not hmac.compare_digest(flask.request.form.get("csrf", ""), flask.session.get("csrf", "") or "x"):
                return flask.Response("CSRF token missing or wrong", 400)
            # counted in the ops store (every worker and node shares it), before the password is
            # checked, so parallel attempts cannot slip past; a sign-in clears it
            key = ops.counter_key("login", name.lower(), flask.request.remote_addr or "")
            if ops.counter_hit(eng, key, WINDOW_S) > MAX_FAILS:
                ops.record_audit(eng, "login", target=name, who=name or "-", outcome="refused")
                return flask.Response(
                    LOGIN_HTML.format(
                        hint=_setup_hint(),
                        message='<div class="alert alert-danger">ลองผิดหลายครั้ง '
                        "กรุณารอ 10 นาที / Too many attempts: wait 10 minutes</div>",
                        csrf=csrf_token(),
                        next=escape(nxt),
                    ),
                    429,
                )
            user = check_password(eng, name, flask.request.form.get("password") or "")
            if user is None:
                ops.record_audit(eng, "login", target=name, who=name or "-", outcome="failed")
                message = (
                    '<div class="alert alert-danger" id="login-error">ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง / '
                    "Wrong user name or password</div>"
                )
            else:
                ops.counter_clear(eng, key)
                sign_in(eng, user)
                ops.record_audit(eng, "login", target=user.username, who=user.username)
                return flask.redirect(nxt)
        return LOGIN_HTML.format(hint=_setup_hint(), message=message, csrf=csrf_token(), next=escape(nxt))

    @server.route("/logout", methods=["POST", "GET"])
    def logout():
        """GET asks (a link from another site cannot sign a person out); the form POSTs with the
        session's CSRF token and ends this session on the server."""
        if flask.request.method == "GET":
            if not getattr(current_user, "is_authenticated", False):
                return flask.redirect("/login")
            return LOGOUT_HTML.format(csrf=csrf_token(), user=escape(current_user.username))
        if not _same_origin() or not hmac.compare_digest(
            flask.request.form.get("csrf", ""), flask.session.get("csrf", "") or "x"
        ):
            return flask.Response("CSRF token missing or wrong", 400)
        if getattr(current_user, "is_authenticated", False):
            with ops.engine().begin() as con:
                _end_sessions(con, current_user.user_id, "logout", token=flask.session.get("sid"))
            ops.record_audit(ops.engine(), "logout", target=current_user.username, who=current_user.username)
        logout_user()
        flask.session.clear()
        return flask.redirect("/login")

    @server.before_request
    def guard():
        req = flask.request
        path = req.path
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in path):
            return flask.Response("bad path", 400)
        if req.method == "POST" and not _same_origin():  # every POST: /login, /setup and /logout too
            return flask.Response("cross-site request refused", 403)
        if (
            path.startswith(
                (
                    "/assets/",
                    "/_dash-component-suites/",
                    "/_dash-layout",
                    "/_dash-dependencies",
                    "/_favicon",
                    "/_reload-hash",
                )
            )
            or path in OPEN_ROUTES
        ):
            return None
        who = role()
        if req.method == "POST":
            if path != "/_dash-update-component":
                return None if may_open(path, who) else _refused(path, who)
            body = req.get_json(silent=True)
            try:
                page = callback_page(body)
            except BadCallback as e:
                return flask.Response(
                    json.dumps({"error": f"bad callback request: {e}"}), 400, mimetype="application/json"
                )
            if page is not None and _top(page) in OPEN_ONLY:
                flask.g.open_only = True
            if page is not None and not may_open(page, who):
                return _refused(f"callback {page}", who, {"outputs": body.get("output")})
            try:
                check_arguments(body)
            except BadCallback as e:
                return flask.Response(
                    json.dumps({"error": f"bad callback request: {e}"}), 400, mimetype="application/json"
                )
            return None
        if _top(path) in OPEN_ONLY or CATALOG_PATHS.fullmatch(path):
            flask.g.open_only = True
        if not may_open(path, who):  # GET, HEAD and any other method alike
            if who == "public" and req.method in ("GET", "HEAD"):
                return flask.redirect("/login?" + urlencode({"next": path}))
            return _refused(path, who)
        return None

    def bad_input(e: Exception):
        """A callback request whose values are not of the kind its components send (a list where
        a number goes, a number too large for the database, …) fails inside the page's code with
        one of these errors: the request's fault, answered 400, not a server error. The traceback
        is logged all the same. Elsewhere the same errors stay a 500, except a number too large."""
        log.warning("bad request %s %s: %r", flask.request.method, flask.request.path, e, exc_info=e)
        if flask.request.path == "/_dash-update-component":
            return flask.Response(json.dumps({"error": "bad callback request"}), 400, mimetype="application/json")
        if isinstance(e, OverflowError):
            return flask.Response(
                "ตัวเลขในคำขอเกินขอบเขต / A number in the request is out of range\n",
                400,
                mimetype="text/plain; charset=utf-8",
            )
        return flask.Response("เกิดข้อผิดพลาด / Internal error\n", 500, mimetype="text/plain; charset=utf-8")

    for kind in BAD_INPUT_ERRORS:
        server.register_error_handler(kind, bad_input)

    @server.after_request
    def headers(resp):
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("X-Frame-Options", "SAMEORIGIN")  # the presenter frames the app's own pages
        resp.headers.setdefault("Referrer-Policy", "same-origin")
        resp.headers.setdefault("Content-Security-Policy", CSP)
        return resp


# ---------------------------------------------------------------- account changes from /admin
def update_user(
    eng,
    username: str,
    *,
    role=None,
    unit=None,
    area_code=None,
    active=None,
    password=None,
    email=None,
    lang=None,
    by: str,
) -> dict:
    """Change the given fields of an account (None: leave as is; "" for unit, area_code, email or
    lang: clear) and audit them as ``user.update`` (a new password as ``{"password": "changed"}``).
    Refuses an unknown user or role, a password the rule refuses, and leaving no active admin. Returns the
    changed fields' new values ({} and no audit entry when nothing changes)."""
    if role is not None and role not in ops.ROLES:
        raise ValueError(f"ไม่มีบทบาท {role!r} / Unknown role {role!r} (one of {', '.join(ops.ROLES)})")
    pw_hash = None if password is None else hash_password(password, username)  # WeakPassword: Thai / English
    if email:
        email = check_email(email)
    if lang and lang not in ("th", "en"):
        raise ValueError(f"ภาษา {lang!r} / language {lang!r}: th or en")
    wanted = {
        "role": role,
        "unit": unit,
        "area_code": area_code,
        "active": None if active is None else bool(active),
        "email": email,
        "lang": lang,
    }
    cleared = ("unit", "area_code", "email", "lang")
    wanted = {k: (v or None) if k in cleared else v for k, v in wanted.items() if v is not None}
    with eng.begin() as con:
        row = con.execute(sa.select(ops.users).where(ops.users.c.username == username)).mappings().first()
        if row is None:
            raise ValueError(f"ไม่พบผู้ใช้ {username!r} / No such user {username!r}")
        before = {k: row[k] for k, v in wanted.items() if row[k] != v}
        after = {k: wanted[k] for k in before}
        was_admin = row["role"] == "admin" and row["active"]
        if was_admin and not (after.get("role", row["role"]) == "admin" and after.get("active", row["active"])):
            others = con.execute(
                sa.select(sa.func.count())
                .select_from(ops.users)
                .where(ops.users.c.role == "admin", ops.users.c.active.is_(True), ops.users.c.username != username)
            ).scalar()
            if not others:
                raise ValueError("ต้องมีผู้ดูแลระบบที่ใช้งานได้อย่างน้อยหนึ่งคน / At least one active admin must remain")
        values = dict(after, **({"password_hash": pw_hash} if pw_hash else {}))
        if values:
            con.execute(ops.users.update().where(ops.users.c.username == username).values(**values))
        why = (
            "disabled"
            if after.get("active") is False
            else "password"
            if pw_hash
            else "role"
            if "role" in after
            else None
        )
        if why:  # the account's sessions end with the old rights
            _end_sessions(con, row["user_id"], why)
    if pw_hash:
        after["password"] = "changed"
    if after:
        ops.record_audit(eng, "user.update", target=username, who=by, before=before, after=after)
    return after


def actor():
    """The person signed in, as the workflows see them (ops.workflow.Actor: name, role, unit, area);
    nobody signed in is the public (Dash's layout validation runs without a user)."""
    from ops.workflow import Actor

    u = current_user
    if not getattr(u, "is_authenticated", False):
        return Actor("-", "public")
    return Actor(u.username, u.role, u.unit, u.area_code)


def accounts(eng, username: str | None = None) -> list[dict]:
    """The stored accounts (every column but the password hash), by name; one name: that account
    alone, or none."""
    cols = [c for c in ops.users.c if c.name != "password_hash"]
    q = sa.select(*cols).order_by(ops.users.c.username)
    if username is not None:
        q = q.where(ops.users.c.username == username)
    with eng.connect() as con:
        return [dict(r) for r in con.execute(q).mappings()]
