"""Issue 28, first part: LINE as a way out for the warnings (ops/line.py). Against a local server
that answers as LINE's Messaging API push endpoint and keeps what it was sent (no test reaches
the internet: every connection but to this machine is refused here): a warning reaches the unit's
LINE group through the same outbox as e-mail, once however often it is fanned out; a 500 is tried
again with the same retry key, a 400 fails for good and is kept for admins; the digest is one
message to the province's group; a reader links their LINE id by a code pushed to it (a wrong or
expired code is refused); an admin sets it from the command line; every write checks the id."""

from __future__ import annotations

import json
import re
import socket
import threading
import uuid
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pandas as pd
import pytest
import sqlalchemy as sa
from linebot.v3.messaging import PushMessageRequest

import ops
from ops import events, line, notify
from tests.conftest import ORIGIN, PASSWORD, login, router_body
from tests.test_notify import DIRECTORY, UNIT, change, person, smtp  # noqa: F401  (smtp: a fixture)

TOKEN = "test-channel-token-" + "x" * 20
UNIT_GROUP = "C" + "1" * 32
PROVINCE_GROUP = "C" + "2" * 32
OTHER_GROUP = "C" + "3" * 32
ED_LINE = "U" + "a" * 32
BOSS_LINE = "U" + "b" * 32
PUBLIC = "https://eis.chumphon.example"


@pytest.fixture(autouse=True)
def no_internet(monkeypatch):
    """Only this machine may be connected to: a test that would reach LINE itself fails."""
    real = socket.socket.connect

    def connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and address[0] not in ("127.0.0.1", "::1", "localhost"):
            raise OSError(f"tests: no connection to {address[0]!r} (the internet)")
        return real(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)


class LineApi:
    """What the local Messaging API received (requests answered 200), and the answers to give
    (one status per request, then 200)."""

    def __init__(self):
        self.requests: list[dict] = []
        self.answers: list[int] = []

    def pushed(self, to: str | None = None) -> list[dict]:
        return [r for r in self.requests if r["status"] == 200 and (to is None or r["message"].to == to)]

    def texts(self, to: str) -> list[str]:
        return [r["message"].messages[0].text for r in self.pushed(to)]


@pytest.fixture
def line_api(monkeypatch, tmp_path):
    api = LineApi()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            code = api.answers.pop(0) if api.answers else 200
            api.requests.append(
                {
                    "method": self.command,
                    "path": self.path,
                    "headers": dict(self.headers),
                    "message": PushMessageRequest.from_json(body.decode("utf-8")),
                    "status": code,
                }
            )
            out = (
                {"sentMessages": [{"id": str(len(api.requests)), "quoteToken": "x"}]}
                if code == 200
                else {"message": "refused by the test"}
            )
            data = json.dumps(out).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    token = tmp_path / "line_token"
    token.write_text(TOKEN + "\n", encoding="utf-8")
    groups = tmp_path / "line_groups.csv"
    groups.write_text(f"unit,group_id\n{UNIT},{UNIT_GROUP}\nอื่น,{OTHER_GROUP}\n*,{PROVINCE_GROUP}\n", encoding="utf-8")
    api.url = f"http://127.0.0.1:{server.server_port}"
    monkeypatch.setenv("SANYAN_LINE_TOKEN_FILE", str(token))
    monkeypatch.setenv("SANYAN_LINE_API", api.url)
    monkeypatch.setenv("SANYAN_LINE_GROUPS_FILE", str(groups))
    monkeypatch.setenv("SANYAN_PUBLIC_URL", PUBLIC)
    monkeypatch.setenv("SANYAN_SECRET_KEY", "line-tests-" + "k" * 30)
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()


def _outbox(eng, channel: str | None = None) -> list[dict]:
    q = sa.select(ops.outbox).order_by(ops.outbox.c.message_id)
    if channel:
        q = q.where(ops.outbox.c.channel == channel)
    with eng.connect() as con:
        return [dict(r) for r in con.execute(q).mappings()]


def _line_person(eng, name, role, line_id, unit=None, email=None, lang=None):
    person(eng, name, role, email, unit, lang=lang)
    line.set_line_id(eng, name, line_id, by="test")


# ---------------------------------------------------------------- the outbox
def test_a_warning_reaches_the_units_line_group_once_through_the_outbox_as_email(ops_url, line_api, smtp):  # noqa: F811
    eng = ops.engine(ops_url)
    _line_person(eng, "ed", "editor", ED_LINE, UNIT, email="ed@chumphon.example")
    person(eng, "other", "editor", "other@chumphon.example", "อื่น")
    events.record(
        eng,
        pd.DataFrame(
            [
                change("turned_red", "K01", area="8604"),  # the unit's, in a district: not the province's
                change("turned_red", "K02"),  # secret: no chat group hears of it
            ]
        ),
        "t",
    )
    # ed: K01 by e-mail and by LINE; the unit's group: K01; K02 is secret: no group hears it
    assert notify.fan_out(eng, lambda: DIRECTORY, "86") == 3
    assert notify.fan_out(eng, lambda: DIRECTORY, "86") == 0  # fanned out again: nothing more
    rows = _outbox(eng)
    assert sorted((r["channel"], r["address"]) for r in rows) == [
        ("email", "ed@chumphon.example"),
        ("line", UNIT_GROUP),
        ("line", ED_LINE),
    ]
    assert notify.deliver(eng) == {"sent": 3, "retry": 0, "failed": 0}
    assert notify.deliver(eng) == {"sent": 0, "retry": 0, "failed": 0}
    smtp.wait(1)
    assert len(smtp.to("ed@chumphon.example")) == 1
    assert len(line_api.pushed(UNIT_GROUP)) == 1 and len(line_api.pushed(ED_LINE)) == 1
    assert not line_api.pushed(PROVINCE_GROUP) and not line_api.pushed(OTHER_GROUP)

    got = line_api.pushed(UNIT_GROUP)[0]
    assert got["method"] == "POST" and got["path"] == "/v2/bot/message/push"
    assert got["headers"]["Authorization"] == f"Bearer {TOKEN}"
    key = got["headers"]["X-Line-Retry-Key"]
    assert str(uuid.UUID(key)) == key
    row = next(r for r in rows if r["address"] == UNIT_GROUP)
    assert key == line.retry_key(row["dedupe_key"])
    text = got["message"].messages[0].text
    assert got["message"].to == UNIT_GROUP
    assert "ต่ำกว่าเกณฑ์" in text  # the light's word, in Thai
    assert "K01 แปลงใหญ่" in text and "หลังสวน" in text
    assert f"{PUBLIC}/kpi/K01?fy=2570&area=8604" in text
    assert len(text) <= line.MAX_TEXT


def test_the_province_group_hears_the_wide_warnings_and_a_reader_in_their_language(tmp_path, line_api):
    eng = ops.engine(f"sqlite:///{tmp_path / 'ops.sqlite'}")
    _line_person(eng, "boss", "executive", BOSS_LINE, lang="en")
    _line_person(eng, "muted", "executive", "U" + "c" * 32)
    events.choose(eng, "muted", "K03", "mute")  # the same mutes as e-mail
    events.record(eng, pd.DataFrame([change("turned_red", "K03"), change("late", "K03", status="late")]), "t")
    assert notify.fan_out(eng, lambda: DIRECTORY, "86") == 4  # boss, the province's group, K03's unit group twice
    notify.deliver(eng)
    assert len(line_api.pushed(PROVINCE_GROUP)) == 1  # the red one: "late" is not a province-wide warning
    assert (
        line_api.texts(BOSS_LINE)[0].startswith("[Sanyan] Turned red") and "Off track" in line_api.texts(BOSS_LINE)[0]
    )
    assert "ต่ำกว่าเกณฑ์" in line_api.texts(PROVINCE_GROUP)[0]
    assert len(line_api.pushed(OTHER_GROUP)) == 2  # K03's owner unit hears both, as its verifier would
    assert not line_api.pushed("U" + "c" * 32)


def test_a_500_is_tried_again_with_the_same_key_and_a_400_fails_for_good(tmp_path, line_api):
    eng = ops.engine(f"sqlite:///{tmp_path / 'ops.sqlite'}")
    events.record(eng, pd.DataFrame([change("turned_red", "K01", area="8604")]), "t")
    assert notify.fan_out(eng, lambda: DIRECTORY, "86") == 1
    now = datetime.now(UTC)
    line_api.answers[:] = [500]
    assert notify.deliver(eng, now=now) == {"sent": 0, "retry": 1, "failed": 0}
    assert "500" in _outbox(eng)[0]["last_error"]
    assert notify.deliver(eng, now=now + timedelta(seconds=30)) == {"sent": 0, "retry": 0, "failed": 0}  # not yet
    assert notify.deliver(eng, now=now + notify.backoff(1)) == {"sent": 1, "retry": 0, "failed": 0}
    tries = [r["headers"]["X-Line-Retry-Key"] for r in line_api.requests]
    assert len(tries) == 2 and tries[0] == tries[1]  # the same key: LINE shows it once
    assert len(line_api.pushed(UNIT_GROUP)) == 1

    events.record(eng, pd.DataFrame([change("recovered", "K01", area="8604", status="green", old="red")]), "t")
    assert notify.fan_out(eng, lambda: DIRECTORY, "86") == 1
    line_api.answers[:] = [400]
    assert notify.deliver(eng) == {"sent": 0, "retry": 0, "failed": 1}  # at once, no retry
    bad = notify.failed(eng)
    assert [(m["channel"], m["address"]) for m in bad] == [("line", UNIT_GROUP)]
    assert "LINE HTTP 400" in bad[0]["last_error"] and bad[0]["attempts"] == 1
    assert notify.counts(eng)["failed"] == 1

    # an admin retries it; LINE says 409 (that key was accepted already): it is there, so it is sent
    assert notify.retry(eng, bad[0]["message_id"], "admin")
    line_api.answers[:] = [409]
    assert notify.deliver(eng) == {"sent": 1, "retry": 0, "failed": 0}
    assert len(line_api.pushed(UNIT_GROUP)) == 1


def test_line_out_of_reach_is_tried_again_later_not_failed(tmp_path, line_api, monkeypatch, caplog):
    eng = ops.engine(f"sqlite:///{tmp_path / 'ops.sqlite'}")
    events.record(eng, pd.DataFrame([change("turned_red", "K01", area="8604")]), "t")
    assert notify.fan_out(eng, lambda: DIRECTORY, "86") == 1
    assert _outbox(eng)[0]["subject"].startswith("ต่ำกว่าเกณฑ์: K01 แปลงใหญ่")  # what /admin lists
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    monkeypatch.setenv("SANYAN_LINE_API", f"http://127.0.0.1:{closed}")  # nobody listens there
    now = datetime.now(UTC)
    assert notify.deliver(eng, now=now) == {"sent": 0, "retry": 1, "failed": 0}
    assert _outbox(eng)[0]["last_error"].startswith("Unavailable")
    assert not [r for r in caplog.records if r.levelname == "WARNING"]  # an expected failure: no traceback
    monkeypatch.setenv("SANYAN_LINE_API", line_api.url)  # LINE is back
    assert notify.deliver(eng, now=now + notify.backoff(1))["sent"] == 1
    assert len(line_api.pushed(UNIT_GROUP)) == 1


def test_without_a_token_nothing_goes_by_line(tmp_path, line_api, monkeypatch):
    eng = ops.engine(f"sqlite:///{tmp_path / 'ops.sqlite'}")
    _line_person(eng, "ed", "editor", ED_LINE, UNIT)
    monkeypatch.setenv("SANYAN_LINE_TOKEN_FILE", "")
    events.record(eng, pd.DataFrame([change("turned_red", "K01")]), "t")
    assert notify.fan_out(eng, lambda: DIRECTORY, "86") == 0 and not line_api.requests


def test_a_groups_file_that_is_not_one_is_refused(tmp_path, line_api, monkeypatch):
    bad = tmp_path / "bad.csv"
    bad.write_text("unit,group_id\nกลุ่ม,not-an-id\n", encoding="utf-8")
    monkeypatch.setenv("SANYAN_LINE_GROUPS_FILE", str(bad))
    with pytest.raises(ValueError, match="line 2"):
        line.groups()
    eng = ops.engine(f"sqlite:///{tmp_path / 'ops.sqlite'}")
    events.record(eng, pd.DataFrame([change("turned_red", "K01")]), "t")
    with pytest.raises(ValueError):
        notify.fan_out(eng, lambda: DIRECTORY, "86")
    with eng.connect() as con:  # not marked sent out: the next run, with the file mended, sends it
        assert con.execute(sa.select(ops.event_rows.c.sent_out)).scalar() is None


# ---------------------------------------------------------------- the digest
def test_the_digest_is_one_message_to_the_province_group(tmp_path, line_api):
    eng = ops.engine(f"sqlite:///{tmp_path / 'ops.sqlite'}")
    _line_person(eng, "boss", "executive", BOSS_LINE)
    _line_person(eng, "ed", "editor", ED_LINE, UNIT)  # not an executive: no digest
    events.record(
        eng,
        pd.DataFrame(
            [
                change("turned_red", "K01"),
                change("turned_red", "K03"),
                change("turned_red", "K02"),  # secret: the governor reads it, the group does not
                change("recovered", "K01", area="8604", status="green", old="red"),  # a district's
            ]
        ),
        "t",
    )
    with eng.begin() as con:  # fanned out already (as a build would have): only the digest here
        con.execute(ops.event_rows.update().values(sent_out=datetime.now(UTC)))
    today = date(2026, 11, 15)
    assert notify.queue_digest(eng, "weekly", DIRECTORY, "86", today) == 2  # boss's and the group's
    assert notify.queue_digest(eng, "weekly", DIRECTORY, "86", today) == 0  # once a week
    assert notify.queue_digest(eng, "daily", DIRECTORY, "86", today) == 1  # the governor's own; the group: weekly only
    with eng.begin() as con:
        con.execute(ops.outbox.delete().where(ops.outbox.c.dedupe_key.like("linedigest:daily:%")))
    assert notify.deliver(eng)["sent"] == 2
    group = line_api.texts(PROVINCE_GROUP)
    assert len(group) == 1 and len(line_api.requests) == 2 and not line_api.pushed(ED_LINE)
    assert group[0].startswith("สรุปประจำสัปดาห์")
    assert "ต่ำกว่าเกณฑ์: 2" in group[0] and "K02" not in group[0]
    assert f"{PUBLIC}/kpi/K01" in group[0] and f"{PUBLIC}/inbox" in group[0]
    assert "ต่ำกว่าเกณฑ์: 3" in line_api.texts(BOSS_LINE)[0]  # the governor's own reads the secret one too
    assert not line_api.pushed(UNIT_GROUP)


def test_a_digest_too_long_for_one_message_is_trimmed_with_a_count():
    long_name = "ตัวชี้วัดที่มีชื่อยาวมาก " * 20
    kpis = {
        f"K{i:02d}": {"owner_unit": UNIT, "classification": "open", "name_th": long_name, "name_en": "x"}
        for i in range(40)
    }
    directory = notify.Directory(kpis=kpis, areas=DIRECTORY.areas)
    reds = [change("turned_red", k) | {"event_id": i} for i, k in enumerate(kpis)]
    content = {"turned_red": reds, "recovered": [], "projected_miss": [], "late_by_unit": {}, "overdue": []}
    text = line.compose_digest(content, directory, "th", "weekly", date(2026, 11, 15))
    assert len(text) <= line.MAX_TEXT
    assert re.search(r"…และอีก \d+ รายการ", text)
    assert "กลับมาผ่านเกณฑ์: 0" in text and "ข้อสั่งการเกินกำหนด: 0" in text  # every count kept, items cut
    assert text.rstrip().endswith("/inbox")  # the links stay at the end


# ---------------------------------------------------------------- a reader's LINE id
def _code(api: LineApi, to: str) -> str:
    return re.search(r"\b(\d{6})\b", api.texts(to)[-1]).group(1)


def test_a_reader_links_their_line_id_with_a_code_pushed_to_it(ops_url, line_api):
    eng = ops.engine(ops_url)
    person(eng, "ed", "editor", None, UNIT)
    assert line.start_link(eng, "ed", "not-an-id") == "bad_id" and not line_api.requests
    assert line.start_link(eng, "ed", ["U" + "a" * 32]) == "bad_id"  # not text
    now = datetime.now(UTC)
    assert line.start_link(eng, "ed", f"  {ED_LINE} ", now=now) == "sent"
    got = line_api.pushed(ED_LINE)
    assert len(got) == 1 and got[0]["headers"]["Authorization"] == f"Bearer {TOKEN}"
    code = _code(line_api, ED_LINE)
    assert "15 นาที" in line_api.texts(ED_LINE)[0]
    with eng.connect() as con:  # stored hashed, one live code
        stored = con.execute(sa.select(ops.line_codes)).mappings().all()
    assert len(stored) == 1 and code not in stored[0]["code_hash"]
    wrong = "000000" if code != "000000" else "111111"
    assert line.confirm_link(eng, "ed", wrong, now=now) == "wrong"
    assert line.confirm_link(eng, "ed", "12a", now=now) == "bad_code"
    assert line.confirm_link(eng, "ed", {"code": code}, now=now) == "bad_code"
    assert line.confirm_link(eng, "ed", code, now=now + timedelta(minutes=16)) == "expired"
    assert line.confirm_link(eng, "ed", code, now=now) == "none"  # the expired code is gone
    assert notify.people(eng)[0]["line_id"] is None

    assert line.start_link(eng, "ed", ED_LINE, now=now) == "sent"
    first = _code(line_api, ED_LINE)
    assert line.start_link(eng, "ed", ED_LINE, now=now) == "sent"  # a new code replaces the one before
    second = _code(line_api, ED_LINE)
    if first != second:
        assert line.confirm_link(eng, "ed", first, now=now) == "wrong"
    assert line.confirm_link(eng, "ed", second, now=now + timedelta(minutes=14)) == "linked"
    assert notify.people(eng)[0]["line_id"] == ED_LINE
    assert line.confirm_link(eng, "ed", second, now=now) == "none"  # spent
    actions = [(a["action"], a["outcome"]) for a in ops.audit_rows(eng) if a["target"] == "ed"]
    assert ("line.code", "ok") in actions and ("line.link", "ok") in actions
    assert ("line.link", "refused") in actions and ("line.code", "refused") in actions
    assert line.unlink(eng, "ed") and notify.people(eng)[0]["line_id"] is None


def test_a_code_is_void_after_a_few_wrong_tries_and_codes_are_rationed(tmp_path, line_api):
    eng = ops.engine(f"sqlite:///{tmp_path / 'ops.sqlite'}")
    person(eng, "ed", "editor", None, UNIT)
    assert line.start_link(eng, "ed", ED_LINE) == "sent"
    code = _code(line_api, ED_LINE)
    wrong = "000000" if code != "000000" else "111111"
    said = [line.confirm_link(eng, "ed", wrong) for _ in range(line.CODE_TRIES)]
    assert said == ["wrong"] * (line.CODE_TRIES - 1) + ["too_many"]
    assert line.confirm_link(eng, "ed", code) == "none"  # void: the right code no longer links
    for _ in range(line.CODES_PER_HOUR - 1):
        assert line.start_link(eng, "ed", ED_LINE) == "sent"
    assert line.start_link(eng, "ed", ED_LINE) == "too_many"  # nobody floods a LINE id with codes


def test_a_code_that_cannot_be_pushed_is_said_and_not_kept(tmp_path, line_api):
    eng = ops.engine(f"sqlite:///{tmp_path / 'ops.sqlite'}")
    person(eng, "ed", "editor", None, UNIT)
    line_api.answers[:] = [400]  # e.g. the reader has not added the office's account as a friend
    assert line.start_link(eng, "ed", ED_LINE) == "failed"
    with eng.connect() as con:
        assert con.execute(sa.select(sa.func.count()).select_from(ops.line_codes)).scalar() == 0


def test_an_admin_sets_a_line_id_from_the_command_line_and_a_bad_one_is_refused(tmp_path, monkeypatch):
    from etl.__main__ import main

    url = f"sqlite:///{tmp_path / 'ops.sqlite'}"
    monkeypatch.setenv("SANYAN_OPS_URL", url)
    eng = ops.engine(url)
    person(eng, "boss", "executive", None)
    assert main(["user", "line", "boss", ED_LINE]) == 0
    assert notify.people(eng)[0]["line_id"] == ED_LINE
    for bad in ("U123", "u" + "a" * 32, "C" + "a" * 32, "U" + "A" * 32, ED_LINE + "0"):
        assert main(["user", "line", "boss", bad]) == 2, bad
    assert main(["user", "line", "nobody", ED_LINE]) == 2
    assert notify.people(eng)[0]["line_id"] == ED_LINE
    assert main(["user", "line", "boss", ""]) == 0  # cleared
    assert notify.people(eng)[0]["line_id"] is None
    changes = [a for a in ops.audit_rows(eng) if a["action"] == "user.update" and a["target"] == "boss"]
    assert len(changes) == 2


def test_an_older_store_gains_the_line_column(tmp_path):
    url = f"sqlite:///{tmp_path / 'ops.sqlite'}"
    raw = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with raw.begin() as con:
        con.execute(
            sa.text(
                "CREATE TABLE users (user_id INTEGER PRIMARY KEY, username VARCHAR(100) NOT NULL UNIQUE,"
                " password_hash VARCHAR(300) NOT NULL, role VARCHAR(20) NOT NULL, unit VARCHAR(200),"
                " area_code VARCHAR(10), active BOOLEAN NOT NULL, created_at DATETIME NOT NULL,"
                " last_login DATETIME, email VARCHAR(320), lang VARCHAR(2))"
            )
        )
        con.execute(
            sa.text(
                "INSERT INTO users (username, password_hash, role, active, created_at)"
                " VALUES ('old', 'h', 'viewer', 1, '2026-01-01')"
            )
        )
    raw.dispose()
    eng = ops.engine(url)
    assert "line_id" in {c["name"] for c in sa.inspect(eng).get_columns("users")}
    assert [(p["username"], p["line_id"]) for p in notify.people(eng)] == [("old", None)]


# ---------------------------------------------------------------- /inbox, as the browser posts it
@pytest.fixture
def inbox_site(built_warehouse, tmp_path, line_api, monkeypatch):
    monkeypatch.setenv("SANYAN_WAREHOUSE", str(built_warehouse))
    monkeypatch.setenv("SANYAN_OPS_URL", f"sqlite:///{tmp_path / 'site.sqlite'}")
    monkeypatch.setenv("SANYAN_VIEW_CACHE_MB", "0")
    import app
    from web import auth

    eng = ops.engine()
    auth.add_user(eng, "reader", PASSWORD, "viewer")
    c = app.server.test_client()
    assert login(c, "reader", PASSWORD).status_code == 302
    c.get("/_dash-dependencies")
    return app, eng, c


def _call(c, app, out_id, inputs, state=()):
    """Post one Dash callback, found by its trigger's id among those writing ``out_id``."""
    keys = [k for k in app.app.callback_map if re.search(rf"(^|\.){re.escape(out_id)}\.", k)]
    key = next(k for k in keys if inputs[0][0] in json.dumps(app.app.callback_map[k]["inputs"]))
    outs = [dict(zip(("id", "property"), o.split(".", 1))) for o in key.strip(".").split("...")]
    outs = [{**o, "property": o["property"].split("@")[0]} for o in outs]

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


def _nothing(r) -> bool:
    """The callback changed nothing on the page (Dash: 204, or an empty response)."""
    return r.status_code == 204 or (r.status_code == 200 and not r.get_json()["response"])


def test_the_inbox_links_a_line_id_by_its_callbacks(inbox_site, line_api):
    app, eng, c = inbox_site

    def inbox() -> str:
        r = c.post("/_dash-update-component", json=router_body("/inbox"), headers=ORIGIN)
        assert r.status_code == 200
        return json.dumps(r.get_json(), ensure_ascii=False)

    shown = inbox()
    assert "inbox-line-send" in shown and "รหัสผู้ใช้ LINE" in shown and "inbox-line-unlink" not in shown
    c.set_cookie("sanyan_lang", "en")
    assert "LINE user id" in inbox()
    c.delete_cookie("sanyan_lang")
    send = [("inbox-line-send", "n_clicks", 1)]
    for bad in (["U" + "a" * 32], {"x": 1}, 5):  # not text: nothing done, nothing sent
        r = _call(c, app, "inbox-line-msg", send, [("inbox-line-id", "value", bad)])
        assert _nothing(r), r.get_data(as_text=True)
    r = _call(c, app, "inbox-line-msg", [("inbox-line-send", "n_clicks", [1])], [("inbox-line-id", "value", ED_LINE)])
    assert _nothing(r) and not line_api.requests
    r = _call(c, app, "inbox-line-msg", send, [("inbox-line-id", "value", "U123")])
    assert "U ตามด้วยเลขฐานสิบหก 32 ตัว" in json.dumps(r.get_json(), ensure_ascii=False)
    r = _call(c, app, "inbox-line-msg", send, [("inbox-line-id", "value", ED_LINE)])
    assert "ส่งรหัสไปทาง LINE แล้ว" in json.dumps(r.get_json(), ensure_ascii=False)
    code = _code(line_api, ED_LINE)
    confirm = [("inbox-line-confirm", "n_clicks", 1)]
    wrong = "000000" if code != "000000" else "111111"
    r = _call(c, app, "inbox-line-box", confirm, [("inbox-line-code", "value", wrong)])
    assert "รหัสไม่ถูกต้อง" in json.dumps(r.get_json(), ensure_ascii=False)
    r = _call(c, app, "inbox-line-box", confirm, [("inbox-line-code", "value", [code])])
    assert _nothing(r)
    r = _call(c, app, "inbox-line-box", confirm, [("inbox-line-code", "value", code)])
    said = json.dumps(r.get_json(), ensure_ascii=False)
    assert "เชื่อม LINE เรียบร้อยแล้ว" in said and "inbox-line-unlink" in said
    assert [p["line_id"] for p in notify.people(eng) if p["username"] == "reader"] == [ED_LINE]
    assert "inbox-line-unlink" in inbox() and ED_LINE not in inbox()  # linked; the id is shown shortened
    r = _call(c, app, "inbox-line-box", [("inbox-line-unlink", "n_clicks", 1)])
    assert "เลิกรับแจ้งเตือนทาง LINE แล้ว" in json.dumps(r.get_json(), ensure_ascii=False)
    assert [p["line_id"] for p in notify.people(eng) if p["username"] == "reader"] == [None]
