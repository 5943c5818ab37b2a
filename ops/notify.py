"""Warnings delivered (IT5, issue 19): the outbox, e-mail, the office's webhook, LINE (issue 28:
ops/line.py), the digest.

* **Fan-out.** Each new event (ops/events.py) is put in the outbox once per person who hears it
  and has an e-mail address (``events.hears``, their follows and mutes, and only of a KPI their
  role may read: ``ops.READS``), and once for the office's webhook; by LINE once per LINE id of a
  person who hears it and per group that hears it (ops/line.py). A message's ``dedupe_key``
  (channel, person, event) is unique in the store, so no event reaches a person twice, however
  many builds, workers or cron runs fan it out at the same time. The event is marked sent out in
  the same transaction as its messages.
* **Delivery.** A sender claims one message at a time (a conditional UPDATE: of several senders,
  one wins), sends it, and marks it sent in its own transaction. A failure is retried with
  back-off (1, 2, 4 … minutes, at most 6 hours apart); after ``MAX_ATTEMPTS``, or a refusal that
  retrying cannot mend (a 5xx answer to the address, a 4xx but 408 and 429 from the webhook or
  LINE), it is kept as ``failed`` and shown to admins (/admin), never dropped. Any error of one
  message (a refusal, a timeout, a header it cannot carry, a bug) is that message's failure, never
  the run's: the sender goes on to the next. A sender killed mid-message leaves its claim; after
  ``settings.outbox_lease`` seconds another sender sends it again, with the same Message-ID (the
  webhook's same ``Idempotency-Key``, LINE's same ``X-Line-Retry-Key``), so a receiver can tell;
  the interrupted try counts as an attempt, so a message that stops every sender fails after
  ``MAX_ATTEMPTS``.
* **One line.** Subjects are one line (``inputs.parsing.one_line``): a KPI or area name holding
  a line break (an Excel Alt+Enter) is folded to a space when the message is composed, queued
  and sent.
* **Digest.** One message per executive per day or week: what they heard in that time, newly red,
  recovered, projected to miss, late reports by unit and overdue directives, with counts and links.

Messages are written in the person's language (``users.lang``, else the office's default), with
links to ``settings.public_url`` (never a request's Host)."""

from __future__ import annotations

import json
import logging
import smtplib
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate

import sqlalchemy as sa

import ops
from components import thai
from components.i18n import t
from config import settings
from inputs.parsing import one_line
from ops import events
from ops.workflow import Actor

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
INTERRUPTED = "interrupted: the sender stopped while sending it (its lease ran out)"
BACKOFF_S = 60  # the first retry; each next one waits twice as long
BACKOFF_CAP_S = 6 * 3600
STALE_DAYS = 2  # events older than this when first fanned out (a store that predates delivery) send nothing


@dataclass(frozen=True)
class Directory:
    """What the snapshot says of the KPIs and areas that messages name: code -> row."""

    kpis: dict[str, dict]  # owner_unit, classification, name_th, name_en
    areas: dict[str, dict] = field(default_factory=dict)  # name_th, name_en
    late: list[dict] = field(default_factory=list)  # the reports late now: kpi_code, area_code, owner_unit


def may_read(role: str, classification: str | None) -> bool:
    """The rule db.py applies to every page, for a person outside a request."""
    allowed = ops.READS.get(role, frozenset({"open"}))
    return allowed is None or (classification or "open") in allowed


def person_lang(person: dict) -> str:
    return person.get("lang") if person.get("lang") in ("th", "en") else settings.lang


def people(eng: sa.Engine) -> list[dict]:
    """Every active account: name, role, unit, district, e-mail, language, LINE id."""
    u = ops.users.c
    q = sa.select(u.username, u.role, u.unit, u.area_code, u.email, u.lang, u.line_id).where(u.active.is_(True))
    with eng.connect() as con:
        return [dict(r) for r in con.execute(q.order_by(u.username)).mappings()]


def standing_choices(eng: sa.Engine) -> dict[str, dict[str, str]]:
    f = ops.follows.c
    out: dict[str, dict[str, str]] = {}
    with eng.connect() as con:
        for name, kpi, mode in con.execute(sa.select(f.username, f.kpi_code, f.mode)):
            out.setdefault(name, {})[kpi] = mode
    return out


def listeners(event: dict, directory: Directory, province: str, everyone: list[dict], choices: dict) -> list[dict]:
    """The people who hear ``event``: its KPI readable by their role, and heard by their defaults
    or their own choice (ops/events.hears)."""
    kpi = directory.kpis.get(event["kpi_code"])
    if kpi is None:
        return []
    out = []
    for p in everyone:
        actor = Actor(p["username"], p["role"], p["unit"], p["area_code"])
        if not may_read(p["role"], kpi.get("classification")):
            continue
        if events.hears(
            actor, event, kpi.get("owner_unit"), province, choices.get(p["username"], {}).get(event["kpi_code"])
        ):
            out.append(p)
    return out


# ---------------------------------------------------------------- words
def _name(row: dict | None, lang: str, fallback: str) -> str:
    if not row:
        return fallback
    return (row.get("name_en") if lang == "en" else row.get("name_th")) or row.get("name_th") or fallback


def link(event: dict) -> str:
    """Where in the app the event is seen: the KPI at that round, or the directives."""
    base = settings.public_url
    if event["kind"] == "directive_overdue":
        return f"{base}/directives"
    q = f"?fy={event['fiscal_year']}"
    if event["area_code"] != settings.province:
        q += f"&area={event['area_code']}"
    return f"{base}/kpi/{event['kpi_code']}{q}"


def line(event: dict, directory: Directory, lang: str) -> str:
    """One line: what happened, to which KPI, where and when."""
    kpi = _name(directory.kpis.get(event["kpi_code"]), lang, "")
    area = _name(directory.areas.get(event["area_code"]), lang, event["area_code"])
    when = (
        thai.format_fiscal_year(event["fiscal_year"], lang)
        if not event["month"]
        else f"{thai.month_name(event['month'], lang)} {thai.format_fiscal_year(event['fiscal_year'], lang)}"
    )
    return one_line(f"{t('event.' + event['kind'], lang)}: {event['kpi_code']} {kpi} · {area} · {when}")


def compose_email(event: dict, directory: Directory, lang: str) -> tuple[str, str]:
    """(subject, body) of one event's e-mail."""
    en = lang == "en"
    head = line(event, directory, lang)
    status = event.get("status")
    was = event.get("old_status")
    if event["kind"] == "directive_overdue":
        state = "Past its due date and not closed." if en else "เลยวันที่กำหนดแล้วและยังไม่ปิด"
        who = event.get("unit") or ""
        state += f" ({'Assigned to' if en else 'มอบหมายให้'} {who})" if who else ""
    elif event["kind"] == "flagged":
        state = (
            "The value differs from this KPI's other values by more than 3 standard deviations: please check it."
            if en
            else "ค่าที่รายงานต่างจากค่าอื่นของตัวชี้วัดนี้เกิน 3 เท่าของส่วนเบี่ยงเบนมาตรฐาน โปรดตรวจสอบ"
        )
    else:
        now = t(f"status.{status}", lang) if status else ""
        before = t(f"status.{was}", lang) if was else ("none" if en else "ไม่มี")
        state = f"{'Status' if en else 'สถานะ'}: {before} → {now}"
    foot = (
        "You receive this because of your role or because you follow this KPI. "
        f"To stop, or to follow other KPIs: {settings.public_url}/inbox"
        if en
        else f"ท่านได้รับข้อความนี้ตามบทบาทหรือเพราะติดตามตัวชี้วัดนี้ เลิกรับหรือเลือกติดตามตัวชี้วัดอื่นได้ที่ {settings.public_url}/inbox"
    )
    body = "\n".join([head, "", state, "", f"{'Open' if en else 'ดูรายละเอียด'}: {link(event)}", "", "-- ", foot])
    return one_line(f"[{'Sanyan' if en else 'สัญญาณ'}] {head}"), body


def compose_webhook(event: dict, directory: Directory) -> str:
    """The webhook's JSON: the event's fields, one line of text in the office's language, a link."""
    lang = settings.lang
    payload = {
        "id": event["event_key"],
        "kind": event["kind"],
        "kind_text": t("event." + event["kind"], lang),
        "kpi_code": event["kpi_code"],
        "kpi_name": _name(directory.kpis.get(event["kpi_code"]), lang, ""),
        "area_code": event["area_code"],
        "area_name": _name(directory.areas.get(event["area_code"]), lang, event["area_code"]),
        "fiscal_year": event["fiscal_year"],
        "month": event["month"],
        "old_status": event.get("old_status"),
        "status": event["status"],
        "text": line(event, directory, lang),
        "url": link(event),
    }
    return json.dumps(payload, ensure_ascii=False)


def linechat():
    """ops/line.py (LINE), imported when LINE is used: it builds on this module's words."""
    from ops import line as linechat_module

    return linechat_module


# ---------------------------------------------------------------- the outbox
def insert_new(con, rows: list[dict]) -> int:
    """Insert the messages whose dedupe_key is not stored yet; how many were."""
    if not rows:
        return 0
    if con.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    n = 0
    for r in rows:  # counted by what the insert returns: psycopg's rowcount of ON CONFLICT DO NOTHING is -1
        stmt = insert(ops.outbox).values(**r).on_conflict_do_nothing(index_elements=["dedupe_key"])
        n += len(con.execute(stmt.returning(ops.outbox.c.message_id)).fetchall())
    return n


def outbox_row(key: str, channel: str, address: str, subject: str, body: str, now: datetime, **extra) -> dict:
    return {
        "dedupe_key": key,
        "channel": channel,
        "address": address,
        "subject": one_line(subject)[:500],  # a header: one line whatever a name held
        "body": body,
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
        **extra,
    }


def fan_out(eng: sa.Engine, read_directory: Callable[[], Directory], province: str, now: datetime | None = None) -> int:
    """Put each event not yet sent out in the outbox, for each person who hears it (e-mail, when the
    mail server is set and they have an address and have not muted e-mail; LINE, when the token is
    set and they have a LINE id), for the LINE groups that hear it and for the webhook (when set).
    ``read_directory`` reads the snapshot's names and classifications, only when there is an event
    and a way to send it. Returns how many messages were queued."""
    now = now or datetime.now(UTC)
    e = ops.event_rows.c
    with eng.connect() as con:
        todo = [
            dict(r)
            for r in con.execute(sa.select(ops.event_rows).where(e.sent_out.is_(None)).order_by(e.event_id)).mappings()
        ]
    if not todo:
        return 0
    everyone = people(eng)
    choices = standing_choices(eng)
    smtp, hook, line_on = settings.smtp, settings.webhook_url, bool(settings.line_token)
    line_groups = linechat().group_list() if line_on else []  # a bad file is said before anything is marked
    directory = read_directory() if smtp or hook or line_on else None  # no way to send: events are only marked
    queued = 0
    for ev in todo:
        rows: list[dict] = []
        created = ev["created_at"] if ev["created_at"].tzinfo else ev["created_at"].replace(tzinfo=UTC)
        if directory is not None and created >= now - timedelta(days=STALE_DAYS):
            heard = listeners(ev, directory, province, everyone, choices) if smtp or line_on else []
            if smtp:
                for p in heard:
                    if p["email"] and choices.get(p["username"], {}).get("*") != "mute":
                        subject, body = compose_email(ev, directory, person_lang(p))
                        key = f"email:{p['username']}:{ev['event_id']}"
                        rows.append(
                            outbox_row(
                                key,
                                "email",
                                p["email"],
                                subject,
                                body,
                                now,
                                username=p["username"],
                                event_id=ev["event_id"],
                            )
                        )
            if line_on:  # the same listeners by LINE, and the units' and the province's groups
                rows += linechat().event_rows(ev, directory, province, heard, line_groups, now)
            kpi = directory.kpis.get(ev["kpi_code"])
            office = Actor("webhook", "executive")
            if (
                hook
                and kpi
                and may_read("viewer", kpi.get("classification"))
                and events.hears(office, ev, kpi.get("owner_unit"), province)
            ):
                rows.append(
                    outbox_row(
                        f"webhook:{ev['event_id']}",
                        "webhook",
                        hook,
                        line(ev, directory, settings.lang),
                        compose_webhook(ev, directory),
                        now,
                        event_id=ev["event_id"],
                    )
                )
        with eng.begin() as con:
            # whoever marks it first fans it out; another sender meanwhile finds it marked
            if con.execute(
                ops.event_rows.update().where(e.event_id == ev["event_id"], e.sent_out.is_(None)).values(sent_out=now)
            ).rowcount:
                queued += insert_new(con, rows)
    return queued


def _claimable(now: datetime):
    o = ops.outbox.c
    lease = now - timedelta(seconds=settings.outbox_lease)
    return sa.or_(
        sa.and_(o.status == "pending", o.next_attempt_at <= now),
        sa.and_(o.status == "sending", o.claimed_at < lease),
    )


class Permanent(Exception):
    """A refusal that retrying will not mend."""


class _Mail:
    """One connection to the mail server, opened on the first message of a batch."""

    def __init__(self, conf: dict):
        self.conf, self.smtp = conf, None

    def send(self, row: dict) -> None:
        c = self.conf
        if self.smtp is None:
            cls = smtplib.SMTP_SSL if c["tls"] == "tls" else smtplib.SMTP
            self.smtp = cls(c["host"], c["port"], timeout=30)
            if c["tls"] == "starttls":
                self.smtp.starttls()
            if c["user"]:
                self.smtp.login(c["user"], c["password"])
        msg = EmailMessage()
        msg["From"] = c["sender"]
        msg["To"] = row["address"]
        msg["Subject"] = one_line(row["subject"] or "")  # a row queued before names were one line
        msg["Date"] = formatdate(localtime=False)
        domain = c["sender"].rpartition("@")[2] or "localhost"
        msg["Message-ID"] = f"<sanyan.{row['message_id']}.{row['dedupe_key'].replace(':', '.')}@{domain}>"
        msg.set_content(row["body"])
        try:
            self.smtp.send_message(msg)
        except smtplib.SMTPRecipientsRefused as e:
            codes = [code for code, _ in e.recipients.values()]
            if all(500 <= code < 600 for code in codes):
                raise Permanent(f"refused: {e.recipients}") from e
            raise
        except smtplib.SMTPResponseException as e:
            if 500 <= e.smtp_code < 600 and e.smtp_code not in (421,):
                raise Permanent(f"{e.smtp_code} {e.smtp_error!r}") from e
            self.close()
            raise
        except Exception:  # the connection's state is unknown: the next message opens a new one
            self.close()
            raise

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                pass
            self.smtp = None


def _post(row: dict) -> None:
    req = urllib.request.Request(
        row["address"],
        data=row["body"].encode("utf-8"),
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "Idempotency-Key": row["dedupe_key"],
            "User-Agent": "Sanyan",
        },
    )
    try:
        with urllib.request.urlopen(req, timeout=15) as resp:  # the operator's configured URL
            resp.read(1024)
    except urllib.error.HTTPError as e:
        if 400 <= e.code < 500 and e.code not in (408, 429):
            raise Permanent(f"HTTP {e.code}") from e
        raise


def backoff(attempts: int) -> timedelta:
    """How long to wait after ``attempts`` failed tries."""
    return timedelta(seconds=min(BACKOFF_S * 2 ** max(attempts - 1, 0), BACKOFF_CAP_S))


def deliver(eng: sa.Engine, now: datetime | None = None, limit: int = 500) -> dict[str, int]:
    """Send what is due, one message at a time; returns {"sent": n, "retry": n, "failed": n}."""
    o = ops.outbox.c
    now = now or datetime.now(UTC)
    with eng.connect() as con:
        due = list(
            con.execute(sa.select(o.message_id).where(_claimable(now)).order_by(o.message_id).limit(limit)).scalars()
        )
    done = {"sent": 0, "retry": 0, "failed": 0}
    conf = settings.smtp
    mail = _Mail(conf) if conf else None
    line_out = None  # the LINE client, opened on the first LINE message
    try:
        for mid in due:
            with eng.begin() as con:
                # a message still "sending" past its lease: its sender stopped mid-message (killed, or
                # the message stopped it); that try counts, so a message that stops every sender
                # fails after MAX_ATTEMPTS instead of being taken again for ever
                stuck = o.status == "sending"
                claimed = con.execute(
                    ops.outbox.update()
                    .where(o.message_id == mid, _claimable(now))
                    .values(
                        status="sending",
                        claimed_at=datetime.now(UTC),
                        attempts=sa.case((stuck, o.attempts + 1), else_=o.attempts),
                        last_error=sa.case((stuck, sa.literal(INTERRUPTED)), else_=o.last_error),
                    )
                ).rowcount
                row = (
                    dict(con.execute(sa.select(ops.outbox).where(o.message_id == mid)).mappings().one())
                    if claimed
                    else None
                )
            if row is None:
                continue  # another sender has it
            error, permanent = None, False
            try:
                if row["attempts"] >= MAX_ATTEMPTS:  # interrupted too often: not tried again
                    raise Permanent(row["last_error"] or INTERRUPTED)
                if row["channel"] == "email":
                    if mail is None:
                        raise Permanent("no mail server is set (SANYAN_SMTP_HOST)")
                    mail.send(row)
                elif row["channel"] == "line":
                    line_out = line_out or linechat().Sender()
                    line_out.send(row)
                else:
                    _post(row)
            except Permanent as e:
                error, permanent = str(e), True
            except (OSError, smtplib.SMTPException, urllib.error.URLError) as e:
                error = f"{type(e).__name__}: {e}"
            except Exception as e:  # any error of one message is its failure, never the run's
                error = f"{type(e).__name__}: {e}"
                log.warning("message %s could not be sent: %r", mid, e, exc_info=e)
            tries = row["attempts"] + (0 if row["attempts"] >= MAX_ATTEMPTS else 1)
            if error is None:
                values = {"status": "sent", "sent_at": datetime.now(UTC), "attempts": tries, "last_error": None}
                done["sent"] += 1
            elif permanent or tries >= MAX_ATTEMPTS:
                values = {"status": "failed", "attempts": tries, "last_error": error[:2000]}
                done["failed"] += 1
            else:
                values = {
                    "status": "pending",
                    "attempts": tries,
                    "last_error": error[:2000],
                    "next_attempt_at": now + backoff(tries),
                }
                done["retry"] += 1
            with eng.begin() as con:
                con.execute(
                    ops.outbox.update()
                    .where(o.message_id == mid, o.status == "sending")
                    .values(claimed_at=None, **values)
                )
    finally:
        if mail is not None:
            mail.close()
        if line_out is not None:
            line_out.close()
    return done


def counts(eng: sa.Engine) -> dict[str, int]:
    """Messages by state."""
    o = ops.outbox.c
    with eng.connect() as con:
        got = dict(con.execute(sa.select(o.status, sa.func.count()).group_by(o.status)).all())
    return {s: int(got.get(s, 0)) for s in ops.OUTBOX_STATES}


def failed(eng: sa.Engine, limit: int = 200) -> list[dict]:
    """Messages that failed for good, newest first (for admins)."""
    o = ops.outbox.c
    cols = [c for c in ops.outbox.c if c.name != "body"]
    q = sa.select(*cols).where(o.status == "failed").order_by(o.message_id.desc()).limit(limit)
    with eng.connect() as con:
        return [dict(r) for r in con.execute(q).mappings()]


def retry(eng: sa.Engine, message_id: int, who: str) -> bool:
    """An admin sends a failed message again (its tries start anew); audited."""
    o = ops.outbox.c
    with eng.begin() as con:
        n = con.execute(
            ops.outbox.update()
            .where(o.message_id == message_id, o.status == "failed")
            .values(status="pending", attempts=0, next_attempt_at=datetime.now(UTC))
        ).rowcount
    ops.record_audit(eng, "outbox.retry", target=str(message_id), who=who, outcome="ok" if n else "refused")
    return bool(n)


# ---------------------------------------------------------------- the digest
PERIODS = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}
DIGEST_KINDS = ("turned_red", "recovered", "projected_miss")


def period_key(period: str, today: date) -> str:
    """The digest's period: the day, or the ISO week (one digest per person in each)."""
    if period == "daily":
        return today.isoformat()
    y, w, _ = today.isocalendar()
    return f"{y}-W{w:02d}"


def digest_for(
    eng: sa.Engine,
    person: dict,
    directory: Directory,
    province: str,
    since: datetime,
    today: date,
    choices: dict,
    reads: str | None = None,
) -> dict:
    """What one executive's digest holds: the events they heard since ``since`` by kind, the late
    reports now by unit, the directives overdue today; only of the KPIs they may read (``reads``:
    the role whose reading applies instead of theirs, "viewer" for a LINE group)."""
    from components.directives import is_overdue

    role = reads or person["role"]
    readable = {k for k, v in directory.kpis.items() if may_read(role, v.get("classification"))}
    actor = Actor(person["username"], person["role"], person["unit"], person["area_code"])
    mine = choices.get(person["username"], {})
    e = ops.event_rows.c
    with eng.connect() as con:
        rows = [
            dict(r)
            for r in con.execute(
                sa.select(ops.event_rows).where(e.created_at >= since, e.kind.in_(DIGEST_KINDS)).order_by(e.event_id)
            ).mappings()
        ]
        d = ops.directives.c
        open_directives = [
            dict(r)
            for r in con.execute(sa.select(ops.directives).where(d.status != "closed").order_by(d.due_date)).mappings()
        ]
    heard = [
        r
        for r in rows
        if r["kpi_code"] in readable
        and events.hears(actor, r, directory.kpis[r["kpi_code"]].get("owner_unit"), province, mine.get(r["kpi_code"]))
    ]
    late: dict[str, int] = {}
    for r in directory.late:
        if r["kpi_code"] in readable:
            unit = r.get("owner_unit") or "-"
            late[unit] = late.get(unit, 0) + 1
    return {
        **{k: [r for r in heard if r["kind"] == k] for k in DIGEST_KINDS},
        "late_by_unit": dict(sorted(late.items(), key=lambda kv: (-kv[1], kv[0]))),
        "overdue": [r for r in open_directives if r["kpi_code"] in readable and is_overdue(r, today)],
    }


def compose_digest(content: dict, directory: Directory, lang: str, period: str, today: date) -> tuple[str, str]:
    en = lang == "en"
    base = settings.public_url
    title = {"weekly": ("สรุปประจำสัปดาห์", "Weekly digest"), "daily": ("สรุปประจำวัน", "Daily digest")}[period][en]
    lines = [f"{title} · {thai.format_date_th(today, lang)}", ""]
    for kind in DIGEST_KINDS:
        got = content[kind]
        lines.append(f"{t('event.' + kind, lang)}: {len(got)}")
        lines += [f"  - {line(r, directory, lang)}  {link(r)}" for r in got[:30]]
        if len(got) > 30:
            lines.append(f"  … {'and' if en else 'และอีก'} {len(got) - 30}")
    late = content["late_by_unit"]
    lines += ["", f"{'Late reports by unit' if en else 'รายงานล่าช้า แยกตามหน่วยงาน'}: {sum(late.values())}"]
    lines += [f"  - {unit}: {n}" for unit, n in late.items()]
    lines += [f"  {base}/quality"] if late else []
    over = content["overdue"]
    lines += ["", f"{t('event.directive_overdue', lang)}: {len(over)}"]
    lines += [
        f"  - {r['kpi_code']} · {r['unit']} · {thai.format_date_th(r['due_date'], lang, abbr=True)}: {r['text'][:120]}"
        for r in over[:30]
    ]
    lines += [f"  {base}/directives"] if over else []
    lines += ["", "-- ", f"{base}/", f"{'Settings' if en else 'ตั้งค่าการแจ้งเตือน'}: {base}/inbox"]
    n_new = len(content["turned_red"])
    subject = f"[{'Sanyan' if en else 'สัญญาณ'}] {title}: " + (
        f"{n_new} newly red, {len(content['recovered'])} recovered, {len(over)} directives overdue"
        if en
        else f"ต่ำกว่าเกณฑ์ใหม่ {n_new} · กลับมาผ่านเกณฑ์ {len(content['recovered'])} · ข้อสั่งการเกินกำหนด {len(over)}"
    )
    return subject, "\n".join(lines)


def queue_digest(
    eng: sa.Engine, period: str, directory: Directory, province: str, today: date, now: datetime | None = None
) -> int:
    """Queue one digest for each executive with an e-mail address (who has not muted e-mail), once
    per period, and by LINE (ops/line.py: each executive with a LINE id, the province's group);
    how many were queued."""
    if period not in PERIODS:
        raise ValueError(period)
    smtp, line_on = settings.smtp, bool(settings.line_token)
    if not smtp and not line_on:
        return 0
    now = now or datetime.now(UTC)
    choices = standing_choices(eng)
    rows = linechat().digest_rows(eng, period, directory, province, today, now) if line_on else []
    for p in people(eng) if smtp else []:
        if p["role"] != "executive" or not p["email"] or choices.get(p["username"], {}).get("*") == "mute":
            continue
        content = digest_for(eng, p, directory, province, now - PERIODS[period], today, choices)
        subject, body = compose_digest(content, directory, person_lang(p), period, today)
        key = f"digest:{period}:{period_key(period, today)}:{p['username']}"
        rows.append(outbox_row(key, "email", p["email"], subject, body, now, username=p["username"]))
    with eng.begin() as con:
        return insert_new(con, rows)
