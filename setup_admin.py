"""The first run: the first admin is made in the browser, at a one-time setup address.

While no active admin exists, the app's start (``python app.py``, i.e. ``make run``; gunicorn's
``when_ready`` in deploy/gunicorn.conf.py) prints an address such as
``http://127.0.0.1:8050/setup?token=…`` in Thai and English (``announce``; ``python setup_admin.py``
prints a new one without a restart). The token is random
(``secrets``), kept in the ops store only as its SHA-256 (``ops.setup_tokens``), and good for one
use within ``TOKEN_HOURS``. One address at a time: a new one (every start, every
``python setup_admin.py``) voids the one before. Every token is void as soon as an active admin
exists, however made (here, ``python -m etl user add``, /admin). The admin is made in the same
transaction that spends the token and checks again that no active admin exists (``_create``), so
two claims at once, with one address or with two, make one admin, on SQLite and PostgreSQL alike.

``/setup`` answers a clear Thai / English 404 page unless the token is valid, no admin exists and
the request comes from this machine: a loopback address, with no X-Forwarded-* header unless
``SANYAN_PROXY_HOPS`` trusts the proxy that set it (a proxy on the same machine would otherwise
make everyone look local); ``SANYAN_SETUP_REMOTE=1`` lifts the last condition. The page asks for a
user name and the password twice (the password rule of web/passwords.py, the session's CSRF token);
the admin is created (audited as ``user.add`` by ``setup``), signed in, and sent to the cockpit.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import sys
from datetime import UTC, datetime, timedelta
from html import escape

import flask
import sqlalchemy as sa

import ops
from config import settings
from web import auth, passwords

TOKEN_HOURS = 24
_FORWARDED = ("X-Forwarded-For", "X-Forwarded-Host", "X-Real-IP", "Forwarded")

PAGE = """<!DOCTYPE html><html lang="th"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>ตั้งค่าครั้งแรก · สัญญาณ Sanyan</title>
<link rel="stylesheet" href="/assets/sanyan.css"></head><body class="sy-shell">
<main class="sy-main"><div class="container" style="max-width:32rem">
<h1 class="sy-page-title" id="setup-title">ตั้งค่าครั้งแรก: สร้างผู้ดูแลระบบ
<span lang="en" class="sy-meta">First run: create the admin</span></h1>
{body}
</div></main></body></html>"""

FORM = """<p>ยังไม่มีผู้ดูแลระบบ ตั้งชื่อผู้ใช้และรหัสผ่านของผู้ดูแลระบบคนแรก แล้วระบบจะพาเข้าสู่ภาพรวมทันที
ผู้ดูแลระบบเพิ่มผู้ใช้อื่นได้ที่หน้า ผู้ดูแลระบบ<br><span lang="en" class="sy-meta">There is no admin yet. Choose the
first admin's user name and password; you are then signed in and taken to the overview. The admin adds everyone
else on the Admin page.</span></p>
{message}
<form method="post" action="/setup" id="setup-form" class="sy-filters" style="grid-template-columns:1fr">
<input type="hidden" name="csrf" value="{csrf}"><input type="hidden" name="token" value="{token}">
<div><label for="setup-username">ชื่อผู้ใช้ / User name</label>
<input class="form-control" id="setup-username" name="username" value="{username}" maxlength="100"
 autocomplete="username" required></div>
<div><label for="setup-password">รหัสผ่าน / Password</label>
<input class="form-control" id="setup-password" name="password" type="password" minlength="{min}"
 autocomplete="new-password" aria-describedby="setup-hint" required>
<small id="setup-hint" class="sy-meta">{hint_th} / {hint_en}</small></div>
<div><label for="setup-password2">รหัสผ่านอีกครั้ง / Password again</label>
<input class="form-control" id="setup-password2" name="password2" type="password" minlength="{min}"
 autocomplete="new-password" required></div>
<button class="btn btn-primary" type="submit" id="setup-submit">สร้างผู้ดูแลระบบและเข้าสู่ระบบ / Create and sign in</button>
</form>"""

REFUSED = {
    "remote": (
        "เปิดที่อยู่ตั้งค่าได้จากเครื่องที่รันสัญญาณเท่านั้น (หรือผ่าน SSH tunnel)",
        "The setup address opens only on the machine that runs Sanyan (or through an SSH tunnel).",
    ),
    "admin": (
        "มีผู้ดูแลระบบแล้ว ที่อยู่ตั้งค่าใช้ไม่ได้อีก กรุณาเข้าสู่ระบบ",
        "An admin exists already, so the setup address is void: please sign in.",
    ),
    "token": (
        "ที่อยู่ตั้งค่านี้ใช้ไม่ได้ (ไม่ครบ ใช้ไปแล้ว หมดอายุ หรือมีที่อยู่ใหม่กว่าแล้ว) พิมพ์ที่อยู่ใหม่ด้วย "
        ".venv/bin/python setup_admin.py (หรือเริ่มแอปใหม่) หรือสร้างผู้ดูแลระบบด้วย python -m etl user add ชื่อ --role admin",
        "This setup address is not valid (incomplete, used, expired or replaced by a newer one). Print a new one "
        "with .venv/bin/python setup_admin.py (or start the app again), or create the admin with "
        "python -m etl user add NAME --role admin.",
    ),
}


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


admin_exists = auth.admin_exists


def new_token(eng) -> str | None:
    """A fresh setup token (stored as its hash, valid ``TOKEN_HOURS``) that replaces the one before
    (one slot: the older address is void at once), or None when an active admin exists (the
    stored token is then removed)."""
    now = datetime.now(UTC)
    t = ops.setup_tokens
    token = secrets.token_urlsafe(32)
    if eng.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    row = {"slot": 1, "token_hash": _hash(token), "created_at": now, "expires_at": now + timedelta(hours=TOKEN_HOURS)}
    new = insert(t).values(**row)
    with ops.serialized(eng) as con:
        if auth.admin_exists(con):
            con.execute(t.delete())
            return None
        con.execute(
            new.on_conflict_do_update(index_elements=[t.c.slot], set_={k: v for k, v in row.items() if k != "slot"})
        )
    return token


def announce(eng=None, out=None) -> str | None:
    """At the app's start: print the one-time setup address when no admin exists; the address,
    or None."""
    token = new_token(eng or ops.engine())
    if token is None:
        return None
    url = f"{settings.internal_url}/setup?token={token}"
    rule = "=" * 78
    print(
        f"\n{rule}\nสัญญาณ Sanyan: ยังไม่มีผู้ดูแลระบบ เปิดที่อยู่นี้ในเบราว์เซอร์บนเครื่องนี้เพื่อสร้างผู้ดูแลระบบคนแรก\n"
        f"(ใช้ได้ครั้งเดียว ภายใน {TOKEN_HOURS} ชั่วโมง ที่อยู่ที่พิมพ์ก่อนหน้านี้ใช้ไม่ได้อีก)\n"
        f"No admin yet: open this address in a browser on this machine to create the first admin\n"
        f"(single use, within {TOKEN_HOURS} hours; any address printed before is void):\n\n    {url}\n{rule}\n",
        file=out or sys.stderr,
        flush=True,
    )
    return url


def _from_this_machine(req: flask.Request) -> bool:
    if settings.setup_remote:
        return True
    if settings.proxy_hops <= 0 and any(h in req.headers for h in _FORWARDED):
        return False  # through an untrusted proxy: its own (local) address says nothing
    try:
        return ipaddress.ip_address(req.remote_addr or "").is_loopback
    except ValueError:
        return False


def _live(token: str, now: datetime):
    """The condition of the stored row that ``token`` may use: the newest address, not expired."""
    t = ops.setup_tokens
    return sa.and_(t.c.slot == 1, t.c.token_hash == _hash(token), t.c.expires_at > now)


def _token_live(con, token: str) -> bool:
    t = ops.setup_tokens
    return con.execute(sa.select(t.c.slot).where(_live(token, datetime.now(UTC)))).first() is not None


def _refusal(eng, req: flask.Request, token: str) -> str | None:
    """Why this request may not set up the first admin: a key of ``REFUSED``, or None."""
    if not _from_this_machine(req):
        return "remote"
    if admin_exists(eng):
        return "admin"
    with eng.connect() as con:
        return None if token and _token_live(con, token) else "token"


def _page(body: str, status: int = 200) -> flask.Response:
    resp = flask.Response(PAGE.format(body=body), status, mimetype="text/html")
    resp.headers["Cache-Control"] = "no-store"  # the page carries the token
    return resp


def _form(token: str, username: str = "", message: str = "", status: int = 200) -> flask.Response:
    msg = f'<div class="alert alert-danger" id="setup-error" role="alert">{escape(message)}</div>' if message else ""
    return _page(
        FORM.format(
            message=msg,
            csrf=auth.csrf_token(),
            token=escape(token),
            username=escape(username),
            min=passwords.MIN_LENGTH,
            hint_th=passwords.HINT["th"],
            hint_en=passwords.HINT["en"],
        ),
        status,
    )


class _NotMade(Exception):
    """The claim failed inside its transaction: roll it back (the address stays as it was)."""


def _create(eng, token: str, name: str, password: str) -> str | None:
    """Spend the token and create the admin in one transaction that checks again that no active
    admin exists; the Thai / English reason when that fails (nothing changed then, except that an
    address is void once an admin exists).

    The token is spent by deleting the one stored row where it matches (``_live``): of two claims
    at once, on SQLite the second waits for the first's write lock (``ops.serialized``), on
    PostgreSQL for the row's lock, and then deletes nothing; a claim with an older token finds a
    newer hash there. The check for an admin comes after the delete, so on PostgreSQL it sees
    whatever a claim before it committed."""
    try:
        pw_hash = auth.hash_password(password, name)  # the slow hash before any lock is taken
    except ValueError as e:
        return str(e)
    now = datetime.now(UTC)
    try:
        with ops.serialized(eng) as con:
            if con.execute(ops.setup_tokens.delete().where(_live(token, now))).rowcount != 1:
                raise _NotMade(" / ".join(REFUSED["token"]))
            if auth.admin_exists(con):
                con.execute(ops.setup_tokens.delete())
                return " / ".join(REFUSED["admin"])  # committed: every address is void now
            if con.execute(sa.select(ops.users.c.user_id).where(ops.users.c.username == name)).first():
                raise _NotMade(f"มีชื่อผู้ใช้ {name} อยู่แล้ว / The user name {name} is taken")
            auth.insert_user(con, name, pw_hash, "admin")
    except _NotMade as e:
        return str(e)
    except sa.exc.IntegrityError:  # the name, taken by an account made at this very moment
        return f"มีชื่อผู้ใช้ {name} อยู่แล้ว / The user name {name} is taken"
    ops.record_audit(
        eng,
        "user.add",
        target=name,
        who="setup",
        after={"role": "admin", "unit": None, "area_code": None, "email": None},
    )
    return None


def init(server: flask.Flask) -> None:
    @server.route("/setup", methods=["GET", "POST"])
    def setup():
        req = flask.request
        eng = ops.engine()
        token = req.values.get("token") or ""
        why = _refusal(eng, req, token)
        if why:
            th, en = REFUSED[why]
            return _page(
                f'<div class="alert alert-warning" id="setup-refused" role="alert">{escape(th)}<br>'
                f'<span lang="en">{escape(en)}</span></div><p><a href="/login">เข้าสู่ระบบ / Sign in</a></p>',
                404,
            )
        if req.method == "GET":
            return _form(token)
        if not hmac.compare_digest(req.form.get("csrf", ""), flask.session.get("csrf", "") or "x"):
            return flask.Response("CSRF token missing or wrong", 400)
        name = (req.form.get("username") or "").strip()
        password = req.form.get("password") or ""
        if not name or len(name) > 100:
            return _form(
                token, name, "กรุณาระบุชื่อผู้ใช้ (ไม่เกิน 100 ตัวอักษร) / Please give a user name (at most 100 characters)", 400
            )
        if password != (req.form.get("password2") or ""):
            return _form(token, name, "รหัสผ่านสองช่องไม่ตรงกัน / The two passwords differ", 400)
        problem = passwords.problem(password, name) or _create(eng, token, name, password)
        if problem:
            return _form(token, name, problem, 400)
        user = auth.check_password(eng, name, password)
        auth.sign_in(eng, user)
        ops.record_audit(eng, "login", target=name, who=name)
        return flask.redirect("/")


if __name__ == "__main__":  # python setup_admin.py: a new address, without a restart
    announce()
