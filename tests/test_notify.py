"""Issue 19, items 2-4: warnings delivered. Through a real SMTP server on loopback (aiosmtpd) and a
local HTTP receiver for the webhook: approving a figure that turns a KPI red sends one e-mail to
the person who hears it, and a rebuild sends nothing more; a sender killed mid-message loses
nothing and sends nothing twice; failures are retried with back-off and kept for admins; the
weekly digest carries the counts the store and the snapshot hold; nobody hears of a KPI they may
not read; follow, mute and "no e-mail" hold; an older store gains the new columns."""

from __future__ import annotations

import asyncio
import email
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, date, datetime, timedelta
from email import policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import duckdb
import pandas as pd
import pytest
import sqlalchemy as sa

import ops
from ops import entry, events, notify
from ops.workflow import Actor
from tests.conftest import DEMO_AS_OF, ROOT, make_data_dir

UNIT = "กลุ่มส่งเสริมและพัฒนาการผลิต"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Mailbox:
    """What the loopback SMTP server received; it can hold the sender at its n-th RCPT (before the
    message's data, so that message is not accepted) and refuse some addresses for good."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.rcpts = 0
        self.hold_at: int | None = None
        self.held = threading.Event()
        self.release = threading.Event()
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.rcpts += 1
        if self.hold_at == self.rcpts:
            self.held.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
        if address in self.refuse:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] == address]

    def wait(self, n: int, seconds: float = 20) -> None:
        end = time.monotonic() + seconds
        while len(self.messages) < n and time.monotonic() < end:
            time.sleep(0.05)


@pytest.fixture
def smtp(monkeypatch):
    from aiosmtpd.controller import Controller

    box = Mailbox()
    port = free_port()
    server = Controller(box, hostname="127.0.0.1", port=port)
    server.start()
    monkeypatch.setenv("SANYAN_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SANYAN_SMTP_PORT", str(port))
    monkeypatch.setenv("SANYAN_SMTP_TLS", "none")
    monkeypatch.setenv("SANYAN_SMTP_FROM", "sanyan@chumphon.example")
    monkeypatch.setenv("SANYAN_PUBLIC_URL", "https://eis.chumphon.example")
    box.port = port
    try:
        yield box
    finally:
        box.release.set()
        server.stop()


@pytest.fixture
def hook(monkeypatch):
    """A local webhook receiver: what was POSTed, and the status it answers (one per call, then 200)."""
    got: list[dict] = []
    answers: list[int] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            code = answers.pop(0) if answers else 200
            if code == 200:
                got.append({"json": json.loads(body), "key": self.headers["Idempotency-Key"]})
            self.send_response(code)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("SANYAN_WEBHOOK_URL", f"http://127.0.0.1:{server.server_port}/relay")
    try:
        yield got, answers
    finally:
        server.shutdown()


def person(eng, name, role, email=None, unit=None, area=None, lang=None):
    with eng.begin() as con:
        con.execute(
            ops.users.insert().values(
                username=name,
                password_hash="-",
                role=role,
                unit=unit,
                area_code=area,
                email=email,
                lang=lang,
                active=True,
                created_at=datetime.now(UTC),
            )
        )


def change(kind, kpi, area="86", status="red", old="yellow", fy=2570, month=10):
    return {
        "event_key": f"{kind}:{kpi}:{area}:{fy}:{month}",
        "kind": kind,
        "kpi_code": kpi,
        "area_code": area,
        "fiscal_year": fy,
        "month": month,
        "old_status": old,
        "status": status,
    }


DIRECTORY = notify.Directory(
    kpis={
        "K01": {"owner_unit": UNIT, "classification": "internal", "name_th": "แปลงใหญ่", "name_en": "Large plots"},
        "K02": {"owner_unit": "อื่น", "classification": "secret", "name_th": "ลับ", "name_en": "Secret"},
        "K03": {"owner_unit": "อื่น", "classification": "open", "name_th": "เปิด", "name_en": "Open"},
    },
    areas={"86": {"name_th": "ชุมพร", "name_en": "Chumphon"}, "8604": {"name_th": "หลังสวน", "name_en": "Lang Suan"}},
)


# ---------------------------------------------------------------- the done-when, end to end
def test_approving_a_figure_that_turns_a_kpi_red_emails_its_people_once(tmp_path, smtp, hook, monkeypatch):
    """The real path: an editor's figure, the verifier, the executive's approval on the web's
    refresh (etl/refresh.py), the build's events, the outbox, the loopback SMTP server; a rebuild
    of the same data sends nothing more. A value far outside its history is flagged as well."""
    from etl import refresh
    from etl.build import build

    data = make_data_dir(tmp_path / "data")
    wh = data / "warehouse" / "eis.duckdb"
    url = f"sqlite:///{tmp_path / 'ops.sqlite'}"
    for k, v in {
        "SANYAN_DATA_DIR": str(data),
        "SANYAN_WAREHOUSE": str(wh),
        "SANYAN_OPS_URL": url,
        "SANYAN_AS_OF": DEMO_AS_OF.isoformat(),
    }.items():
        monkeypatch.setenv(k, v)
    eng = ops.engine(url)
    build(as_of=DEMO_AS_OF)  # the first snapshot: nothing to compare with
    person(eng, "ed8604", "editor", "ed@chumphon.example", UNIT, "8604")
    person(eng, "ed8605", "editor", "ed5@chumphon.example", UNIT, "8605")  # another district
    person(eng, "other", "editor", "other@chumphon.example", "กลุ่มอื่น")  # another unit
    person(eng, "boss", "executive", "boss@chumphon.example")  # hears the province only
    person(eng, "nomail", "verifier", None, UNIT)  # no address: the inbox only
    k01 = {"kpi_code": "K01", "owner_unit": UNIT, "unit": "แปลง", "reported_by": "district"}

    ed = Actor("ed8604", "editor", UNIT, "8604")
    row = entry.save(eng, ed, k01, 2570, 10, "8604", "0", "น้ำท่วม", 0, submit=True)
    entry.verify(eng, Actor("nomail", "verifier", UNIT), k01, row["entry_id"], row["version"], True)
    t0 = time.monotonic()
    refresh.approve_and_build(
        eng, "boss", "round 2570-10", lambda: entry.approve_round(eng, Actor("boss", "executive"), 2570, 10)
    )
    made = [e for e in events.recent(eng) if e["kind"] == "turned_red" and e["area_code"] == "8604"]
    assert [e["event_key"] for e in made] == ["turned_red:K01:8604:2570:10"]
    end = time.monotonic() + 30  # the refresh's own thread sends: wait for the outbox to empty
    while (notify.counts(eng)["pending"] or notify.counts(eng)["sending"]) and time.monotonic() < end:
        time.sleep(0.05)
    took = time.monotonic() - t0
    red = [e for e in events.recent(eng) if e["kind"] == "turned_red" and e["kpi_code"] == "K01"]
    mine = smtp.to("ed@chumphon.example")
    # one e-mail per event the editor hears: the district's and the province's K01 turning red
    assert sorted(m["Subject"].split("·")[1].strip() for m in mine if "K01" in m["Subject"]) == sorted(
        {"86": "ชุมพร", "8604": "หลังสวน"}[e["area_code"]] for e in red
    )
    msg = next(m for m in mine if "หลังสวน" in m["Subject"])
    assert "ต่ำกว่าเกณฑ์" in msg["Subject"] and "K01" in msg["Subject"]
    body = msg.get_content()
    assert "https://eis.chumphon.example/kpi/K01?fy=2570&area=8604" in body
    assert "https://eis.chumphon.example/inbox" in body  # where to stop
    assert not smtp.to("ed5@chumphon.example") or all(
        "หลังสวน" not in m["Subject"] for m in smtp.to("ed5@chumphon.example")
    )
    assert not smtp.to("other@chumphon.example")
    boss = smtp.to("boss@chumphon.example")
    assert all("หลังสวน" not in m["Subject"] for m in boss)  # the governor hears the province, not a district
    # the webhook hears what the province's executives hear: never a district's own change
    assert all(h["json"]["area_code"] == "86" for h in hook[0])
    print(f"approval -> e-mail in {took:.1f} s")

    sent = len(smtp.messages)
    build(as_of=DEMO_AS_OF)  # the same data again
    notify.deliver(eng)
    time.sleep(0.3)
    assert len(smtp.messages) == sent  # nothing new, nothing twice
    keys = [m["Message-ID"] for m in smtp.messages]
    assert len(keys) == len(set(keys))


def test_a_value_far_outside_its_history_becomes_a_flagged_event(tmp_path):
    """The after-storing check (fct_quality_kpi_cell.outlier) newly flagging a value is an event
    of its own month, heard by the KPI's unit."""
    from etl.build import build

    data = make_data_dir(tmp_path / "data")
    wh = data / "warehouse" / "eis.duckdb"
    url = f"sqlite:///{tmp_path / 'ops.sqlite'}"
    eng = ops.engine(url)
    build(data_dir=data, warehouse=wh, ops_url=url, as_of=DEMO_AS_OF)
    con = duckdb.connect(str(wh), read_only=True)
    kpi, unit, area, n = con.execute(
        """SELECT a.kpi_code, k.owner_unit, a.area_code, count(*) FROM fct_kpi_actual a JOIN dim_kpi k USING (kpi_code)
           WHERE k.frequency = 'monthly' AND length(a.area_code) = 4 GROUP BY ALL ORDER BY 4 DESC, 1, 3 LIMIT 1"""
    ).fetchone()
    top = con.execute("SELECT max(value) FROM fct_kpi_actual WHERE kpi_code = $k", {"k": kpi}).fetchone()[0]
    con.close()
    assert n >= 12  # enough history for the check
    meta = {"kpi_code": kpi, "owner_unit": unit, "unit": "-", "reported_by": "district"}
    row = entry.save(eng, Actor("ed", "editor", unit, area), meta, 2570, 10, area, str(top * 1000), "", 0, submit=True)
    entry.verify(eng, Actor("ver", "verifier", unit), meta, row["entry_id"], row["version"], True)
    entry.approve_round(eng, Actor("boss", "executive"), 2570, 10)
    build(data_dir=data, warehouse=wh, ops_url=url, as_of=DEMO_AS_OF)
    flagged = [e for e in events.recent(eng) if e["kind"] == "flagged"]
    assert f"flagged:{kpi}:{area}:2570:10" in [e["event_key"] for e in flagged]
    e = next(e for e in flagged if e["kpi_code"] == kpi)
    assert events.hears(Actor("v", "verifier", unit), e, unit, "86")
    assert not events.hears(Actor("x", "executive"), e, unit, "86")  # a check for the unit, not the governor


# ---------------------------------------------------------------- who hears what, by e-mail
def test_nobody_is_emailed_of_a_kpi_they_may_not_read_and_choices_hold(tmp_path, smtp):
    eng = ops.engine(f"sqlite:///{tmp_path / 'ops.sqlite'}")
    person(eng, "boss", "executive", "boss@x.example", lang="en")
    person(eng, "view", "viewer", "view@x.example")
    person(eng, "quiet", "executive", "quiet@x.example")
    person(eng, "fan", "viewer", "fan@x.example")
    events.choose(eng, "quiet", "*", "mute")  # no e-mail at all
    events.choose(eng, "fan", "K01", "follow")  # a district's change too
    events.choose(eng, "view", "K03", "mute")
    events.record(
        eng,
        pd.DataFrame([change("turned_red", "K02"), change("turned_red", "K03"), change("late", "K01", "8604", "late")]),
        "t",
    )
    assert notify.fan_out(eng, lambda: DIRECTORY, "86") == 4
    notify.deliver(eng)
    got = sorted((m["To"], m["Subject"]) for m in smtp.messages)
    # the executive: K02 (secret, which executives read) and K03; the follower: K03 as any viewer,
    # and K01's district report, which a viewer hears only by following it
    assert [to for to, _ in got] == ["boss@x.example"] * 2 + ["fan@x.example"] * 2
    assert all("Turned red" in s for to, s in got if to == "boss@x.example")  # in the language he chose
    assert any("รายงานล่าช้า" in s and "K01" in s for to, s in got if to == "fan@x.example")  # Thai by default
    # the secret KPI reached the executive only; the muted KPI nobody who muted it
    assert not smtp.to("view@x.example") and not smtp.to("quiet@x.example")
    # the inbox is not the e-mail: "quiet" still sees both in the app
    quiet = events.for_reader(
        eng, Actor("quiet", "executive"), {k: v["owner_unit"] for k, v in DIRECTORY.kpis.items()}, "86"
    )
    assert {e["kpi_code"] for e in quiet} == {"K02", "K03"}
    assert notify.fan_out(eng, lambda: DIRECTORY, "86") == 0  # once sent out, never again


def test_the_webhook_gets_json_retries_with_backoff_and_never_a_secret_kpi(tmp_path, hook):
    got, answers = hook
    eng = ops.engine(f"sqlite:///{tmp_path / 'ops.sqlite'}")
    events.record(eng, pd.DataFrame([change("turned_red", "K01"), change("turned_red", "K02")]), "t")
    assert notify.fan_out(eng, lambda: DIRECTORY, "86") == 1  # K02 is secret: not for a chat group
    answers.append(503)
    now = datetime.now(UTC)
    assert notify.deliver(eng, now=now) == {"sent": 0, "retry": 1, "failed": 0}
    assert notify.deliver(eng, now=now + timedelta(seconds=30)) == {"sent": 0, "retry": 0, "failed": 0}  # not yet
    assert notify.deliver(eng, now=now + notify.backoff(1)) == {"sent": 1, "retry": 0, "failed": 0}
    assert len(got) == 1
    payload = got[0]["json"]
    assert payload["kpi_code"] == "K01" and payload["kind"] == "turned_red" and payload["status"] == "red"
    assert payload["url"].endswith("/kpi/K01?fy=2570") and "แปลงใหญ่" in payload["text"]
    assert got[0]["key"] == f"webhook:{events.recent(eng)[-1]['event_id']}"


def test_failures_are_retried_then_kept_for_admins_and_a_refusal_at_once(tmp_path, smtp, monkeypatch):
    eng = ops.engine(f"sqlite:///{tmp_path / 'ops.sqlite'}")
    person(eng, "boss", "executive", "boss@x.example")
    person(eng, "gone", "executive", "gone@x.example")
    smtp.refuse.add("gone@x.example")
    events.record(eng, pd.DataFrame([change("turned_red", "K01")]), "t")
    assert notify.fan_out(eng, lambda: DIRECTORY, "86") == 2
    monkeypatch.setenv("SANYAN_SMTP_PORT", str(free_port()))  # the mail server is down
    now = datetime.now(UTC)
    assert notify.deliver(eng, now=now) == {"sent": 0, "retry": 2, "failed": 0}
    waits = []
    for _ in range(notify.MAX_ATTEMPTS - 1):
        row = next(m for m in _outbox(eng) if m["address"] == "boss@x.example")
        waits.append(row["next_attempt_at"])
        now = row["next_attempt_at"].replace(tzinfo=UTC) + timedelta(seconds=1)
        notify.deliver(eng, now=now)
    gaps = [(b - a).total_seconds() for a, b in zip(waits, waits[1:])]
    assert all(b > a for a, b in zip(gaps, gaps[1:-1]))  # each wait longer than the one before
    assert notify.counts(eng)["failed"] == 2  # kept, never dropped
    failed = notify.failed(eng)
    assert {m["address"] for m in failed} == {"boss@x.example", "gone@x.example"}
    assert all(m["last_error"] for m in failed)
    # the server is back: an admin retries; the refused address fails again at once, for good
    monkeypatch.setenv("SANYAN_SMTP_PORT", str(smtp.port))
    for m in failed:
        assert notify.retry(eng, m["message_id"], "admin")
    assert not notify.retry(eng, failed[0]["message_id"], "admin")  # no longer failed
    assert notify.deliver(eng) == {"sent": 1, "retry": 0, "failed": 1}
    assert [m["To"] for m in smtp.messages] == ["boss@x.example"]
    gone = next(m for m in _outbox(eng) if m["address"] == "gone@x.example")
    assert gone["status"] == "failed" and gone["attempts"] == 1 and "550" in gone["last_error"]
    assert [a["action"] for a in ops.audit_rows(eng)].count("outbox.retry") == 3


def _outbox(eng):
    with eng.connect() as con:
        return [dict(r) for r in con.execute(sa.select(ops.outbox).order_by(ops.outbox.c.message_id)).mappings()]


# ---------------------------------------------------------------- a sender killed mid-batch
def test_a_sender_killed_mid_batch_loses_nothing_and_sends_nothing_twice(tmp_path, smtp, monkeypatch):
    """Six messages; the sender (a process of its own) is killed with SIGKILL while the mail server
    holds it at the third message's recipient, before that message's data: two were sent, one is
    claimed and unsent, three wait. The next sender, once the dead one's lease has run out, sends
    the four, and each of the six arrives exactly once."""
    url = f"sqlite:///{tmp_path / 'ops.sqlite'}"
    eng = ops.engine(url)
    names = [f"p{i}" for i in range(6)]
    for n in names:
        person(eng, n, "executive", f"{n}@x.example")
    events.record(eng, pd.DataFrame([change("turned_red", "K01")]), "t")
    assert notify.fan_out(eng, lambda: DIRECTORY, "86") == 6
    smtp.hold_at = 3
    env = {**os.environ, "SANYAN_OPS_URL": url, "SANYAN_OUTBOX_LEASE": "1"}
    sender = subprocess.Popen(
        [sys.executable, "-c", "import ops; from ops import notify; notify.deliver(ops.engine())"], cwd=ROOT, env=env
    )
    try:
        assert smtp.held.wait(30), "the sender never reached the third message"
        os.kill(sender.pid, signal.SIGKILL)
        sender.wait(10)
    finally:
        if sender.poll() is None:
            sender.kill()
    smtp.release.set()
    assert len(smtp.messages) == 2
    states = [m["status"] for m in _outbox(eng)]
    assert states.count("sent") == 2 and states.count("sending") == 1 and states.count("pending") == 3
    monkeypatch.setenv("SANYAN_OUTBOX_LEASE", "1")
    assert notify.deliver(eng)["sent"] == 3  # the claimed one is still leased to the dead sender
    time.sleep(1.2)
    assert notify.deliver(eng)["sent"] == 1  # its lease ran out: sent now
    assert sorted(m["To"] for m in smtp.messages) == sorted(f"{n}@x.example" for n in names)
    assert all(m["status"] == "sent" for m in _outbox(eng))


def test_two_senders_at_once_send_each_message_once(ops_url, smtp):
    """Two fan-outs and three senders at once (workers, cron): each message is queued once and sent
    once, on SQLite and PostgreSQL."""
    eng = ops.engine(ops_url)
    for i in range(12):
        person(eng, f"p{i}", "executive", f"p{i}@x.example")
    events.record(
        eng, pd.DataFrame([change("turned_red", "K01"), change("recovered", "K03", status="green", old="red")]), "t"
    )
    threads = [threading.Thread(target=notify.fan_out, args=(eng, lambda: DIRECTORY, "86")) for _ in range(2)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert notify.counts(eng)["pending"] == 24
    threads = [threading.Thread(target=notify.deliver, args=(eng,)) for _ in range(3)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    ids = [m["Message-ID"] for m in smtp.messages]
    assert len(ids) == 24 == len(set(ids))


# ---------------------------------------------------------------- directives overdue
def test_a_directive_past_its_due_date_is_one_event_for_its_unit_and_the_executives(tmp_path):
    from ops import meeting

    eng = ops.engine(f"sqlite:///{tmp_path / 'ops.sqlite'}")
    boss = Actor("boss", "executive")
    did = meeting.issue(eng, boss, "K01", 2570, 10, "เร่งรัดการรายงาน", UNIT, date(2026, 11, 20))
    assert events.overdue_directives(eng, date(2026, 11, 20), "86") == 0  # due today: not yet late
    assert events.overdue_directives(eng, date(2026, 11, 21), "86") == 1
    assert events.overdue_directives(eng, date(2026, 11, 25), "86") == 0  # once
    e = events.recent(eng)[0]
    assert (e["kind"], e["kpi_code"], e["unit"], e["ref"]) == ("directive_overdue", "K01", UNIT, f"directive:{did}")
    assert events.hears(boss, e, "another owner", "86")
    assert events.hears(Actor("v", "verifier", UNIT), e, "another owner", "86")  # the unit it is assigned to
    assert not events.hears(Actor("o", "editor", "another owner"), e, "another owner", "86")


# ---------------------------------------------------------------- the digest, by the command
def test_the_weekly_digest_arrives_once_with_the_counts_the_store_and_snapshot_hold(
    built_warehouse, tmp_path, smtp, monkeypatch
):
    import shutil

    wh = tmp_path / "eis.duckdb"
    shutil.copy(built_warehouse, wh)
    url = f"sqlite:///{tmp_path / 'ops.sqlite'}"
    eng = ops.engine(url)
    person(eng, "boss", "executive", "boss@x.example")
    person(eng, "ed", "editor", "ed@x.example", UNIT)  # not an executive: no digest
    con = duckdb.connect(str(wh), read_only=True)
    kpis = [
        r[0]
        for r in con.execute("SELECT kpi_code FROM dim_kpi WHERE parent_kpi_code IS NULL ORDER BY 1 LIMIT 6").fetchall()
    ]
    late = con.execute(
        """WITH fy AS (SELECT max(fiscal_year) AS fy FROM fct_kpi_status),
           last AS (SELECT kpi_code, area_code, arg_max(status, fiscal_idx) AS status FROM fct_kpi_status
                    WHERE fiscal_year = (SELECT fy FROM fy) AND area_code LIKE '86%' GROUP BY ALL)
           SELECT k.owner_unit, count(*) FROM last JOIN dim_kpi k USING (kpi_code) WHERE status = 'late' GROUP BY ALL"""
    ).fetchall()
    con.close()
    events.record(
        eng,
        pd.DataFrame(
            [change("turned_red", k) for k in kpis[:3]]
            + [change("recovered", kpis[3], status="green", old="red")]
            + [change("projected_miss", kpis[4], status="yellow", old="yellow")]
            + [change("turned_red", kpis[5], area="8604")]  # a district's: not the governor's
        ),
        "t",
    )
    old = change("turned_red", kpis[5], fy=2570, month=9) | {"event_key": "turned_red:old"}
    events.record(eng, pd.DataFrame([old]), "t")
    with eng.begin() as con:  # a fortnight ago: outside the week
        con.execute(
            ops.event_rows.update()
            .where(ops.event_rows.c.event_key == "turned_red:old")
            .values(created_at=datetime.now(UTC) - timedelta(days=14))
        )
    from ops import meeting

    boss = Actor("boss", "executive")
    meeting.issue(eng, boss, kpis[0], 2570, 10, "รายงานด่วน", UNIT, DEMO_AS_OF - timedelta(days=3))  # overdue
    meeting.issue(eng, boss, kpis[1], 2570, 10, "ยังไม่ถึง", UNIT, DEMO_AS_OF + timedelta(days=3))
    env = {
        **os.environ,
        "SANYAN_WAREHOUSE": str(wh),
        "SANYAN_OPS_URL": url,
        "SANYAN_AS_OF": DEMO_AS_OF.isoformat(),
    }

    def notify_cli():
        return subprocess.run(
            [sys.executable, "-m", "etl", "notify", "--digest", "weekly"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )

    # the events of this test are fanned out first (as a build would have): only the digest is asserted here
    with eng.begin() as con:
        con.execute(ops.event_rows.update().values(sent_out=datetime.now(UTC)))
    run = notify_cli()
    assert run.returncode == 0, run.stdout + run.stderr
    digests = [m for m in smtp.to("boss@x.example") if "สรุปประจำสัปดาห์" in m["Subject"]]
    assert len(digests) == 1 and not [m for m in smtp.to("ed@x.example") if "สรุป" in m["Subject"]]
    body = digests[0].get_content()
    assert "ต่ำกว่าเกณฑ์: 3" in body  # three at the province this week; the district's and the old one not
    assert "กลับมาผ่านเกณฑ์: 1" in body and "คาดว่าไม่ถึงเป้า: 1" in body
    assert f"รายงานล่าช้า แยกตามหน่วยงาน: {sum(n for _, n in late)}" in body
    for unit, n in late:
        assert f"  - {unit}: {n}" in body
    assert "ข้อสั่งการเกินกำหนด: 1" in body
    assert "https://eis.chumphon.example/kpi/" in body
    assert notify_cli().returncode == 0  # again the same week: no second digest
    assert len([m for m in smtp.to("boss@x.example") if "สรุปประจำสัปดาห์" in m["Subject"]]) == 1


# ---------------------------------------------------------------- an older store
def test_an_older_store_gains_the_new_columns_and_keeps_its_rows(ops_url):
    """A store made before issue 19 (users without e-mail and language) gains the columns when the
    app opens it, on SQLite and PostgreSQL, and keeps its rows; a column that would need a real
    migration (not nullable) is refused, never guessed."""
    old = sa.MetaData()
    sa.Table(
        "users",
        old,
        sa.Column("user_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(100), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(300), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("unit", sa.String(200)),
        sa.Column("area_code", sa.String(10)),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_login", sa.DateTime(timezone=True)),
    )
    raw = sa.create_engine(ops_url, poolclass=sa.pool.NullPool)
    old.create_all(raw)
    with raw.begin() as con:
        con.execute(
            old.tables["users"]
            .insert()
            .values(username="old", password_hash="h", role="viewer", active=True, created_at=datetime.now(UTC))
        )
    raw.dispose()
    eng = ops.engine(ops_url)
    cols = {c["name"] for c in sa.inspect(eng).get_columns("users")}
    assert {"email", "lang"} <= cols
    assert [(p["username"], p["email"]) for p in notify.people(eng)] == [("old", None)]
    assert ops.add_columns(eng) == []  # nothing more to add
    bad = sa.MetaData()
    sa.Table(
        "users",
        bad,
        sa.Column("user_id", sa.Integer, primary_key=True),
        sa.Column("must", sa.String(5), nullable=False),
    )
    saved, ops.metadata = ops.metadata, bad
    try:
        with pytest.raises(RuntimeError, match="users.must"):
            ops.add_columns(eng)
    finally:
        ops.metadata = saved


def test_an_address_that_is_not_one_is_refused():
    from web import auth

    assert auth.check_email(" a.b@chumphon.go.th ") == "a.b@chumphon.go.th"
    assert auth.check_email("") is None
    for bad in ("no-at", "a@b", "a@b.c\r\nBcc: x@y.z", "Boss <a@b.co>", "a@b.co, c@d.co", "x" * 320 + "@b.co"):
        with pytest.raises(ValueError):
            auth.check_email(bad)


# ---------------------------------------------------------------- the briefing book (issue 26)
def test_the_briefing_book_reaches_each_person_of_an_assigned_unit_once_by_email(ops_url, smtp):
    """After the meeting the minutes go through the outbox and a real SMTP server to the editors and
    verifiers of each unit given a directive, in their language; sending again sends nothing more."""
    from ops import meeting

    eng = ops.engine(ops_url)
    boss = Actor("boss", "executive")
    person(eng, "ed", "editor", "ed@x.example", unit=UNIT)
    person(eng, "ver", "verifier", "ver@x.example", unit=UNIT, lang="en")
    person(eng, "other", "editor", "other@x.example", unit="อื่น")
    person(eng, "boss", "executive", "boss@x.example")
    aid = meeting.create_agenda(eng, boss, "ประชุม กจ. 11/2569", date(2026, 11, 30), [("/kpi/K01", "K01")])
    meeting.issue(eng, boss, "K01", 2570, 11, "เร่งรัดแปลงใหญ่", UNIT, date(2026, 12, 30), agenda_id=aid)
    got = meeting.send_briefing(eng, boss, aid, DIRECTORY, today=date(2026, 12, 1))
    assert got["queued"] == 2 and got["mail"] is True and got["nobody"] == {}
    assert notify.deliver(eng) == {"sent": 2, "retry": 0, "failed": 0}
    assert sorted(m["To"] for m in smtp.messages) == ["ed@x.example", "ver@x.example"]
    th = smtp.to("ed@x.example")[0]
    body = th.get_content()
    assert "สมุดสรุปการประชุม" in th["Subject"] and "เร่งรัดแปลงใหญ่" in body and "30 ธันวาคม 2569" in body
    assert "★ K01 แปลงใหญ่" in body and f"https://eis.chumphon.example/export/minutes/{aid}.pdf" in body
    en = smtp.to("ver@x.example")[0]
    assert "Briefing book" in en["Subject"] and "Due: 30 December" in en.get_content()
    assert meeting.send_briefing(eng, boss, aid, DIRECTORY, today=date(2026, 12, 1))["queued"] == 0
    assert notify.deliver(eng)["sent"] == 0 and len(smtp.messages) == 2


# ---------------------------------------------------------------- one bad message never stops the outbox (issue 27)
def _raw_message(eng, key, address, subject, **extra):
    """A message as an older version queued it (no folding of its subject)."""
    now = datetime.now(UTC)
    row = {**notify.outbox_row(key, "email", address, "-", "body", now), "subject": subject, **extra}
    with eng.begin() as con:
        con.execute(ops.outbox.insert().values(**row))


def test_a_subject_with_a_line_break_is_sent_on_one_line_and_the_run_goes_on(tmp_path, smtp):
    """A KPI name holding an Excel Alt+Enter: its subject is folded to one line when composed, and a
    message queued before that (its subject still broken) is sent folded, and the next one too."""
    eng = ops.engine(f"sqlite:///{tmp_path / 'ops.sqlite'}")
    _raw_message(eng, "email:old:1", "old@x.example", "[สัญญาณ] ต่ำกว่าเกณฑ์: K01 แปลง\r\nใหญ่ · ชุมพร")
    person(eng, "boss", "executive", "boss@x.example")
    broken = notify.Directory(
        kpis={"K01": {**DIRECTORY.kpis["K01"], "name_th": "แปลง\nใหญ่\x0b(ไร่)"}},
        areas={"86": {"name_th": "ชุม\nพร", "name_en": "Chumphon"}},
    )
    events.record(eng, pd.DataFrame([change("turned_red", "K01")]), "t")
    assert notify.fan_out(eng, lambda: broken, "86") == 1
    queued = next(m for m in _outbox(eng) if m["address"] == "boss@x.example")
    assert "\n" not in queued["subject"] and "แปลง ใหญ่ (ไร่) · ชุม พร" in queued["subject"]
    assert notify.deliver(eng) == {"sent": 2, "retry": 0, "failed": 0}
    subjects = {m["To"]: m["Subject"] for m in smtp.messages}
    assert subjects["old@x.example"] == "[สัญญาณ] ต่ำกว่าเกณฑ์: K01 แปลง ใหญ่ · ชุมพร"
    assert "แปลง ใหญ่ (ไร่)" in subjects["boss@x.example"]
    assert all(m["status"] == "sent" and m["attempts"] == 1 for m in _outbox(eng))


def test_a_message_whose_sending_raises_is_a_failed_attempt_not_the_runs(tmp_path, smtp, monkeypatch):
    """Any error of one message (here one no handler expects) is counted against that message,
    retried with back-off, then failed and listed for admins; the others are sent meanwhile."""
    eng = ops.engine(f"sqlite:///{tmp_path / 'ops.sqlite'}")
    for n in ("a", "bad", "c"):
        person(eng, n, "executive", f"{n}@x.example")
    events.record(eng, pd.DataFrame([change("turned_red", "K01")]), "t")
    assert notify.fan_out(eng, lambda: DIRECTORY, "86") == 3
    real = notify._Mail.send

    def send(self, row):
        if row["address"] == "bad@x.example":
            raise RuntimeError("a bug in one message")
        return real(self, row)

    monkeypatch.setattr(notify._Mail, "send", send)
    now = datetime.now(UTC)
    assert notify.deliver(eng, now=now) == {"sent": 2, "retry": 1, "failed": 0}
    assert sorted(m["To"] for m in smtp.messages) == ["a@x.example", "c@x.example"]
    bad = next(m for m in _outbox(eng) if m["address"] == "bad@x.example")
    assert (bad["status"], bad["attempts"]) == ("pending", 1) and "RuntimeError" in bad["last_error"]
    assert bad["next_attempt_at"].replace(tzinfo=UTC) == now + notify.backoff(1)
    for _ in range(notify.MAX_ATTEMPTS - 1):
        row = next(m for m in _outbox(eng) if m["address"] == "bad@x.example")
        notify.deliver(eng, now=row["next_attempt_at"].replace(tzinfo=UTC) + timedelta(seconds=1))
    assert [(m["address"], m["attempts"]) for m in notify.failed(eng)] == [("bad@x.example", notify.MAX_ATTEMPTS)]
    assert len(smtp.messages) == 2


def test_a_message_stuck_in_sending_counts_an_attempt_when_taken_again(ops_url, smtp, monkeypatch):
    """A sender that stopped mid-message (killed, or stopped by the message) leaves it "sending";
    taken again after its lease, that try counts: a message that stops every sender fails after
    MAX_ATTEMPTS, kept for admins, instead of being taken again for ever."""
    eng = ops.engine(ops_url)
    person(eng, "p0", "executive", "p0@x.example")
    person(eng, "p1", "executive", "p1@x.example")
    events.record(eng, pd.DataFrame([change("turned_red", "K01")]), "t")
    assert notify.fan_out(eng, lambda: DIRECTORY, "86") == 2
    now = datetime.now(UTC)
    gone = now - timedelta(seconds=notify.settings.outbox_lease + 60)
    first, second = (m["message_id"] for m in _outbox(eng))
    with eng.begin() as con:
        con.execute(
            ops.outbox.update().where(ops.outbox.c.message_id == first).values(status="sending", claimed_at=gone)
        )
        con.execute(
            ops.outbox.update()
            .where(ops.outbox.c.message_id == second)
            .values(status="sending", claimed_at=gone, attempts=notify.MAX_ATTEMPTS - 1)
        )
    monkeypatch.setenv("SANYAN_SMTP_PORT", str(free_port()))  # the mail server is down
    assert notify.deliver(eng, now=now) == {"sent": 0, "retry": 1, "failed": 1}
    a, b = _outbox(eng)
    assert (a["status"], a["attempts"]) == ("pending", 2)  # the interrupted try and this one
    assert (b["status"], b["attempts"]) == ("failed", notify.MAX_ATTEMPTS) and "interrupted" in b["last_error"]
    assert [m["message_id"] for m in notify.failed(eng)] == [second]
    monkeypatch.setenv("SANYAN_SMTP_PORT", str(smtp.port))
    assert notify.deliver(eng, now=now + notify.backoff(2)) == {"sent": 1, "retry": 0, "failed": 0}
    assert [m["To"] for m in smtp.messages] == ["p0@x.example"]  # the failed one waits for an admin
    assert _outbox(eng)[0]["attempts"] == 3
