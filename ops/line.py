"""LINE as a way out for the warnings (issue 28): the office's LINE Official Account pushes them
through LINE's Messaging API (the official ``line-bot-sdk`` v3), beside e-mail and the webhook.
LINE Notify, which many offices used for this, ended on 31 March 2025.

* **Who hears.** A reader whose account holds a LINE user id (``users.line_id``) hears by LINE what
  they hear by e-mail: the same listeners (ops/notify.listeners), the same follows and mutes of a
  KPI; the e-mail switch of /inbox stops e-mail only (unlinking the id stops LINE). A unit's LINE
  group (``SANYAN_LINE_GROUPS_FILE``: ``unit,group_id``) hears that unit's warnings as a verifier
  of the unit without a district would; the group of unit ``*`` is the province's (the governor's):
  it hears the province's wide warnings as an executive would, and the weekly digest as one message.
  A group hears only of the KPIs a signed-in reader may read (never a secret one: a chat group is
  not an account), as the webhook.
* **The outbox.** Each message is a row of ops.outbox (channel ``line``), once per event and LINE
  destination (``dedupe_key``), sent, retried and kept as failed by ops/notify.deliver exactly as
  e-mail. Its ``X-Line-Retry-Key`` is a UUID derived from the dedupe key, so a retry (a timeout, a
  sender killed mid-message) is not shown twice: LINE answers 409 to a key it has accepted, which is
  taken as sent. A 4xx other than 408 and 429 is permanent.
* **Linking an id, push only.** LINE's servers cannot call Sanyan, so a reader types their LINE
  user id on /inbox; Sanyan pushes a one-time 6-digit code to it at once (directly, not through the
  outbox: the reader is waiting for it, and a failure is said at once); the reader types the code
  back within ``CODE_MINUTES``. The code is stored as an HMAC (the app's secret key), one live code
  per person, ``CODE_TRIES`` wrong tries at most; each step is audited. An admin may set the id
  too: ``python -m etl user line NAME Uxxxxxxxx`` (``""`` clears). Every write checks the format."""

from __future__ import annotations

import csv
import hashlib
import hmac
import logging
import re
import secrets
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

import ops
from components import thai
from components.i18n import t
from config import settings
from inputs.parsing import one_line
from ops import notify

log = logging.getLogger(__name__)

USER_ID = re.compile(r"U[0-9a-f]{32}")  # a LINE user id, as the Messaging API gives it
TARGET_ID = re.compile(r"[UCR][0-9a-f]{32}")  # a user, a group (C) or a multi-person chat (R)
MAX_TEXT = 5000  # characters of one LINE text message
CODE_MINUTES = 15
CODE_TRIES = 5  # wrong codes before the code is void
CODES_PER_HOUR = 5  # codes pushed for one person in an hour: a reader cannot flood someone's LINE
RETRY_NAMESPACE = uuid.UUID("5e1f8a0c-28a1-4c6e-9b2d-7a3e51c0d828")  # Sanyan's: X-Line-Retry-Key = uuid5(it, key)
PROVINCE_GROUP = "*"


class Unavailable(OSError):
    """LINE could not be reached, or answered what a later try may mend (5xx, 408, 429)."""


# ---------------------------------------------------------------- ids and settings
def check_user_id(value) -> str | None:
    """A LINE user id as typed (spaces around it dropped), ``None`` for "" (clear); anything else is
    refused in Thai and English."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("รหัสผู้ใช้ LINE ไม่ถูกต้อง / Not a LINE user id")
    value = value.strip()
    if not value:
        return None
    if not USER_ID.fullmatch(value):
        raise ValueError(
            f"รหัสผู้ใช้ LINE ต้องขึ้นต้นด้วย U ตามด้วยเลขฐานสิบหก 32 ตัว {value[:40]!r} / "
            f"A LINE user id is U and 32 hexadecimal digits: {value[:40]!r}"
        )
    return value


def enabled() -> bool:
    """Whether LINE is set up (a token is set and readable); a token file that cannot be read is
    logged and counts as not set (a page must not fail on it)."""
    try:
        return bool(settings.line_token)
    except ValueError as e:
        log.warning("LINE: %s", e)
        return False


def groups() -> dict[str, str]:
    """The LINE groups of ``SANYAN_LINE_GROUPS_FILE``: unit -> group id (``*``: the province's).
    A header row ``unit,group_id`` is skipped; a row that is not a unit and an id is refused, so a
    typing error is seen (``python -m etl notify`` says so) rather than a group silently missed."""
    path = settings.line_groups_file
    if path is None:
        return {}
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as e:
        raise ValueError(f"SANYAN_LINE_GROUPS_FILE={str(path)!r}: cannot be read ({e.strerror})") from e
    out: dict[str, str] = {}
    for n, row in enumerate(csv.reader(text.splitlines()), 1):
        cells = [c.strip() for c in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if n == 1 and [c.lower() for c in cells[:2]] == ["unit", "group_id"]:
            continue
        if len(cells) != 2 or not cells[0] or not TARGET_ID.fullmatch(cells[1]):
            raise ValueError(
                f"SANYAN_LINE_GROUPS_FILE line {n}: `unit,group_id` with a LINE group id (C + 32 hex), got {row!r}"
            )
        out[cells[0]] = cells[1]
    return out


def retry_key(dedupe_key: str) -> str:
    """The X-Line-Retry-Key of a message: the same UUID for every try of it."""
    return str(uuid.uuid5(RETRY_NAMESPACE, dedupe_key))


# ---------------------------------------------------------------- words
def _name(row: dict | None, lang: str, fallback: str) -> str:
    if not row:
        return fallback
    return (row.get("name_en") if lang == "en" else row.get("name_th")) or row.get("name_th") or fallback


def fit(lines: list[str], tail: list[str], lang: str, limit: int = MAX_TEXT) -> str:
    """``lines`` and then ``tail`` as one message of at most ``limit`` characters: when they do not
    fit, the last items (indented lines) give way first, then the last lines, to "…และอีก n รายการ"
    (n: how many were left out), so every heading and count stays."""
    whole = "\n".join(lines + tail)
    if len(whole) <= limit:
        return whole
    kept = list(lines)
    dropped = 0
    while kept:
        items = [i for i, x in enumerate(kept) if x.startswith(" ")]
        kept.pop(items[-1] if items else -1)
        dropped += 1
        note = f"… and {dropped} more" if lang == "en" else f"…และอีก {dropped} รายการ"
        text = "\n".join(kept + [note] + tail)
        if len(text) <= limit:
            return text
    return "\n".join(tail)[:limit]


def compose(event: dict, directory: notify.Directory, lang: str) -> str:
    """One event as a short LINE text: what happened with the light's word (never a colour alone),
    the KPI, the area and round, and the link (``settings.public_url``)."""
    en = lang == "en"
    kpi = _name(directory.kpis.get(event["kpi_code"]), lang, "")
    area = _name(directory.areas.get(event["area_code"]), lang, event["area_code"])
    when = thai.format_fiscal_year(event["fiscal_year"], lang)
    if event.get("month"):
        when = f"{thai.month_name(event['month'], lang)} {when}"
    head = f"[{'Sanyan' if en else 'สัญญาณ'}] {t('event.' + event['kind'], lang)}"
    lines = [one_line(head), one_line(f"{event['kpi_code']} {kpi}".strip())]
    lines.append(one_line(f"{'Area' if en else 'พื้นที่'}: {area} · {when}"))
    status, was = event.get("status"), event.get("old_status")
    if event["kind"] == "directive_overdue":
        who = event.get("unit")
        lines.append(one_line(f"{'Assigned to' if en else 'มอบหมายให้'}: {who}") if who else "")
    elif event["kind"] != "flagged" and status:
        word = t(f"status.{status}", lang)
        before = f" ({'was' if en else 'เดิม'}: {t(f'status.{was}', lang)})" if was and was != status else ""
        lines.append(f"{'Status' if en else 'สถานะ'}: {word}{before}")
    return fit([x for x in lines if x], [notify.link(event)], lang)


def compose_digest(content: dict, directory: notify.Directory, lang: str, period: str, today: date) -> str:
    """The digest (ops/notify.digest_for) as one LINE text: the e-mail's words, trimmed to fit."""
    _subject, body = notify.compose_digest(content, directory, lang, period, today)
    lines = body.split("\n")
    if "-- " in lines:  # the e-mail's signature: the links to the app and to /inbox stay at the end
        cut = lines.index("-- ")
        lines, tail = lines[:cut], lines[cut + 1 :]
    else:
        lines, tail = lines, []
    while lines and not lines[-1]:
        lines.pop()
    return fit(lines, tail, lang)


def code_text(code: str, lang: str) -> str:
    if lang == "en":
        return (
            f"Sanyan: your code to link LINE is {code}. Type it on the Warnings page within {CODE_MINUTES} "
            "minutes. If you did not ask for it, ignore this message."
        )
    return (
        f"สัญญาณ: รหัสยืนยันการเชื่อม LINE ของท่านคือ {code} กรอกที่หน้าแจ้งเตือนภายใน {CODE_MINUTES} นาที "
        "หากท่านไม่ได้ขอ โปรดเพิกเฉยข้อความนี้"
    )


# ---------------------------------------------------------------- sending
class Sender:
    """One client of the Messaging API for a batch of messages (opened on the first)."""

    def __init__(self, token: str | None = None):
        self.token = settings.line_token if token is None else token
        self.client = None
        self.api = None

    def _open(self):
        from linebot.v3.messaging import ApiClient, Configuration, MessagingApi

        host = settings.line_api
        conf = Configuration(host=host, access_token=self.token)
        conf.retries = 0  # one try per attempt: the outbox waits and tries again
        proxy = _proxy(host)
        if proxy:
            conf.proxy = proxy
        self.client = ApiClient(conf)
        self.api = MessagingApi(self.client)

    def push(self, to: str, text: str, key: str) -> None:
        """Push one text to ``to`` with the retry key ``key`` (a UUID); raises notify.Permanent for
        a refusal that retrying cannot mend, Unavailable for one it may."""
        from linebot.v3.messaging import PushMessageRequest, TextMessage
        from linebot.v3.messaging.exceptions import ApiException

        if not self.token:
            raise notify.Permanent("no LINE token is set (SANYAN_LINE_TOKEN_FILE)")
        if not TARGET_ID.fullmatch(to or ""):
            raise notify.Permanent(f"not a LINE id: {to!r}")
        if self.api is None:
            self._open()
        request = PushMessageRequest(to=to, messages=[TextMessage(text=text[:MAX_TEXT])])
        try:
            self.api.push_message(request, x_line_retry_key=key, _request_timeout=(10, 20))
        except ApiException as e:
            status = int(e.status or 0)
            body = (e.body if isinstance(e.body, str) else repr(e.body or ""))[:300]
            if status == 409:  # this retry key was accepted before: the message is there already
                log.info("LINE: message %s was already accepted (409)", key)
                return
            if 400 <= status < 500 and status not in (408, 429):
                raise notify.Permanent(f"LINE HTTP {status}: {body}") from e
            raise Unavailable(f"LINE HTTP {status}: {body}") from e
        except Exception as e:  # urllib3's errors (refused, timed out, TLS): not OSErrors
            if type(e).__module__.startswith("urllib3") or isinstance(e, OSError):
                self.close()
                raise Unavailable(f"{type(e).__name__}: {e}") from e
            raise

    def send(self, row: dict) -> None:
        """One outbox row of channel ``line``."""
        self.push(row["address"], row["body"], retry_key(row["dedupe_key"]))

    def close(self) -> None:
        if self.client is not None:
            try:
                self.client.close()
            except Exception:  # noqa: BLE001  (closing a pool that is already broken)
                pass
        self.client = self.api = None


def _proxy(url: str) -> str | None:
    """The machine's proxy for ``url`` (https_proxy, no_proxy), as urllib would use it."""
    parts = urllib.parse.urlsplit(url)
    proxy = urllib.request.getproxies().get(parts.scheme)
    if not proxy or urllib.request.proxy_bypass(parts.hostname or ""):
        return None
    return proxy


# ---------------------------------------------------------------- the outbox rows (ops/notify.py calls these)
@dataclass(frozen=True)
class Group:
    unit: str  # "*": the province's
    target: str  # its LINE group id

    @property
    def actor(self):
        from ops.workflow import Actor

        if self.unit == PROVINCE_GROUP:
            return Actor(f"line:{self.target}", "executive")
        return Actor(f"line:{self.target}", "verifier", self.unit)


def group_list() -> list[Group]:
    return [Group(unit, target) for unit, target in groups().items()]


def event_rows(
    ev: dict,
    directory: notify.Directory,
    province: str,
    heard_by: list[dict],
    group_of: list[Group],
    now: datetime,
) -> list[dict]:
    """The outbox rows of one event for LINE: each reader in ``heard_by`` with a LINE id, and each
    group that hears it; one per LINE destination (a group listed for two units hears it once)."""
    from ops import events

    rows: dict[str, dict] = {}
    for p in heard_by:
        target = p.get("line_id")
        if not target or not USER_ID.fullmatch(target):
            continue
        key = f"line:{target}:{ev['event_id']}"
        lang = notify.person_lang(p)
        text, subject = compose(ev, directory, lang), notify.line(ev, directory, lang)
        rows.setdefault(key, _row(key, target, subject, text, now, username=p["username"], event_id=ev["event_id"]))
    kpi = directory.kpis.get(ev["kpi_code"])
    if kpi and notify.may_read("viewer", kpi.get("classification")):  # a chat group: never a secret KPI
        for g in group_of:
            if not events.hears(g.actor, ev, kpi.get("owner_unit"), province):
                continue
            key = f"line:{g.target}:{ev['event_id']}"
            text, subject = compose(ev, directory, settings.lang), notify.line(ev, directory, settings.lang)
            rows.setdefault(key, _row(key, g.target, subject, text, now, event_id=ev["event_id"]))
    return list(rows.values())


def _row(key: str, target: str, subject: str, text: str, now: datetime, **extra) -> dict:
    """An outbox row of channel ``line``: the subject is what /admin lists, the body the text pushed."""
    return notify.outbox_row(key, "line", target, subject, text, now, **extra)


def digest_rows(
    eng: sa.Engine, period: str, directory: notify.Directory, province: str, today: date, now: datetime
) -> list[dict]:
    """The digest by LINE: each executive with a LINE id (their own, in their language, of each
    period as by e-mail) and the province's group (``*``: the weekly digest only, as an executive
    reads it without secret KPIs), one message each."""
    choices = notify.standing_choices(eng)
    since = now - notify.PERIODS[period]
    pk = notify.period_key(period, today)
    rows: dict[str, dict] = {}
    for p in notify.people(eng):
        target = p.get("line_id")
        if p["role"] != "executive" or not target or not USER_ID.fullmatch(target):
            continue
        content = notify.digest_for(eng, p, directory, province, since, today, choices)
        text = compose_digest(content, directory, notify.person_lang(p), period, today)
        key = f"linedigest:{period}:{pk}:{target}"
        rows.setdefault(key, _row(key, target, text.split("\n", 1)[0], text, now, username=p["username"]))
    province_group = groups().get(PROVINCE_GROUP)
    if province_group and period == "weekly":  # a chat group: the week's digest only, not each day's
        who = {"username": f"line:{province_group}", "role": "executive", "unit": None, "area_code": None}
        content = notify.digest_for(eng, who, directory, province, since, today, {}, reads="viewer")
        text = compose_digest(content, directory, settings.lang, period, today)
        key = f"linedigest:{period}:{pk}:{province_group}"
        rows.setdefault(key, _row(key, province_group, text.split("\n", 1)[0], text, now))
    return list(rows.values())


# ---------------------------------------------------------------- a reader's LINE id
def _hash(username: str, line_id: str, code: str) -> str:
    msg = f"line-code\n{username}\n{line_id}\n{code}".encode()
    return hmac.new(settings.secret_key.encode(), msg, hashlib.sha256).hexdigest()


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def set_line_id(eng: sa.Engine, username: str, line_id, by: str) -> str | None:
    """An admin sets (or with "" clears) an account's LINE user id; checked, audited. Returns it."""
    line_id = check_user_id(line_id)
    u = ops.users.c
    with eng.begin() as con:
        row = con.execute(sa.select(u.line_id).where(u.username == username)).first()
        if row is None:
            raise ValueError(f"ไม่พบผู้ใช้ {username!r} / No such user {username!r}")
        con.execute(ops.users.update().where(u.username == username).values(line_id=line_id))
        con.execute(ops.line_codes.delete().where(ops.line_codes.c.username == username))
    if row.line_id != line_id:
        ops.record_audit(
            eng, "user.update", target=username, who=by, before={"line_id": row.line_id}, after={"line_id": line_id}
        )
    return line_id


def start_link(eng: sa.Engine, username: str, line_id, lang: str = "th", now: datetime | None = None) -> str:
    """A reader asks to link ``line_id``: a new 6-digit code is pushed to it at once (directly,
    not through the outbox) and stored hashed, replacing any code before. Returns what happened:
    ``sent``, ``bad_id``, ``off`` (LINE not set up), ``too_many`` (codes this hour), ``failed``."""
    try:
        line_id = check_user_id(line_id)
    except ValueError:
        line_id = None
    if line_id is None:
        ops.record_audit(eng, "line.code", target=username, who=username, outcome="refused", after={"why": "bad id"})
        return "bad_id"
    if not enabled():
        return "off"
    if ops.counter_hit(eng, ops.counter_key("line_code", username), 3600) > CODES_PER_HOUR:
        ops.record_audit(eng, "line.code", target=username, who=username, outcome="refused", after={"why": "too many"})
        return "too_many"
    now = now or datetime.now(UTC)
    code = f"{secrets.randbelow(10**6):06d}"
    c = ops.line_codes.c
    with eng.begin() as con:
        con.execute(ops.line_codes.delete().where(c.username == username))
        con.execute(
            ops.line_codes.insert().values(
                username=username,
                line_id=line_id,
                code_hash=_hash(username, line_id, code),
                created_at=now,
                expires_at=now + timedelta(minutes=CODE_MINUTES),
                tries=0,
            )
        )
    sender = Sender()
    try:
        sender.push(line_id, code_text(code, lang), str(uuid.uuid4()))
    except Exception as e:  # noqa: BLE001  (whatever LINE or the network said: the reader is told)
        with eng.begin() as con:
            con.execute(ops.line_codes.delete().where(c.username == username))
        ops.record_audit(
            eng,
            "line.code",
            target=username,
            who=username,
            outcome="failed",
            after={"line_id": line_id, "error": str(e)[:300]},
        )
        return "failed"
    finally:
        sender.close()
    ops.record_audit(eng, "line.code", target=username, who=username, after={"line_id": line_id})
    return "sent"


def confirm_link(eng: sa.Engine, username: str, code, now: datetime | None = None) -> str:
    """The reader types the code back: right, live and within its tries, their LINE id is linked
    and the code spent. Returns ``linked``, ``bad_code`` (not 6 digits), ``none`` (no live code),
    ``expired``, ``wrong`` or ``too_many`` (the code is void)."""
    code = code.strip() if isinstance(code, str) else ""
    if not re.fullmatch(r"\d{6}", code):
        return "bad_code"
    now = now or datetime.now(UTC)
    c = ops.line_codes.c
    with ops.serialized(eng) as con:  # a check and the change it allows: two at once do not both pass
        row = con.execute(sa.select(ops.line_codes).where(c.username == username)).mappings().first()
        if row is None:
            outcome = "none"
        elif _aware(row["expires_at"]) <= now:
            con.execute(ops.line_codes.delete().where(c.username == username))
            outcome = "expired"
        elif not hmac.compare_digest(row["code_hash"], _hash(username, row["line_id"], code)):
            tries = row["tries"] + 1
            if tries >= CODE_TRIES:
                con.execute(ops.line_codes.delete().where(c.username == username))
                outcome = "too_many"
            else:
                con.execute(ops.line_codes.update().where(c.username == username).values(tries=tries))
                outcome = "wrong"
        else:
            con.execute(ops.users.update().where(ops.users.c.username == username).values(line_id=row["line_id"]))
            con.execute(ops.line_codes.delete().where(c.username == username))
            outcome = "linked"
    if outcome == "linked":
        ops.record_audit(eng, "line.link", target=username, who=username, after={"line_id": row["line_id"]})
    elif outcome != "none":
        ops.record_audit(eng, "line.link", target=username, who=username, outcome="refused", after={"why": outcome})
    return outcome


def unlink(eng: sa.Engine, username: str) -> bool:
    """The reader stops LINE: their id is cleared (audited); whether one was linked."""
    u = ops.users.c
    with eng.begin() as con:
        was = con.execute(sa.select(u.line_id).where(u.username == username)).scalar()
        con.execute(ops.users.update().where(u.username == username).values(line_id=None))
        con.execute(ops.line_codes.delete().where(ops.line_codes.c.username == username))
    if was:
        ops.record_audit(eng, "line.unlink", target=username, who=username, before={"line_id": was})
    return bool(was)
