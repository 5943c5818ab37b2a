"""Meetings and directives in the ops store (ops/meeting.py), no browser: a directive's life cycle
(issue → answer → close → reopen) with who may do each step, required fields, stale versions,
history and audit; agendas and their order; which addresses a slide may hold; the automatic
"red first" agenda."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

import ops
from ops import meeting
from ops.meeting import Actor, Conflict, EntryError, Forbidden, Locked
from tests.conftest import login

UNIT, OTHER = "กลุ่มส่งเสริมและพัฒนาการผลิต", "กลุ่มอารักขาพืช"
BOSS = Actor("boss", "executive")
ADMIN = Actor("root", "admin")
EDITOR = Actor("ed", "editor", UNIT)
OTHER_EDITOR = Actor("ed2", "editor", OTHER)
VERIFIER = Actor("ver", "verifier", UNIT)
LOOSE_VERIFIER = Actor("ver0", "verifier")  # no unit: answers nothing
VIEWER = Actor("view", "viewer")
DUE = date(2026, 12, 30)


@pytest.fixture()
def eng(ops_url):
    return ops.engine(ops_url)


def _issue(eng, who=BOSS, **kw):
    args = {
        "kpi_code": "K05",
        "fiscal_year": 2570,
        "month": 12,
        "text": "เร่งรัดการรายงานผลผลิต",
        "unit": UNIT,
        "due_date": DUE,
    } | kw
    return meeting.issue(eng, who, **args)


def _audit(eng, prefix="directive."):
    return [(r["action"], r["who"], r["outcome"]) for r in ops.audit_rows(eng) if r["action"].startswith(prefix)]


# ---------------------------------------------------------------- directives
@pytest.mark.parametrize("who", [VIEWER, EDITOR, VERIFIER])
def test_only_executives_and_admins_issue(eng, who):
    with pytest.raises(Forbidden):
        _issue(eng, who)
    assert meeting.directives(eng).empty
    refused = [r for r in ops.audit_rows(eng) if r["outcome"] == "refused"]
    assert [(r["action"], r["who"]) for r in refused] == [("directive.issue", who.username)]
    assert "K05 2570/12" in refused[0]["target"]


def test_issue_by_an_executive_and_an_admin(eng):
    did = _issue(eng)
    d = meeting.get_directive(eng, did)
    assert (d["kpi_code"], d["fiscal_year"], d["month"], d["unit"], d["due_date"]) == ("K05", 2570, 12, UNIT, DUE)
    assert (d["status"], d["version"], d["created_by"], d["answer"]) == ("open", 1, "boss", None)
    other = _issue(eng, ADMIN, month=None, agenda_id=7, text="  ติดตามทั้งปี  ")
    d2 = meeting.get_directive(eng, other)
    assert (d2["month"], d2["agenda_id"], d2["text"]) == (None, 7, "ติดตามทั้งปี")  # text trimmed
    assert _audit(eng) == [("directive.issue", "boss", "ok"), ("directive.issue", "root", "ok")]


@pytest.mark.parametrize(
    "field,kw",
    [
        ("text", {"text": "  "}),
        ("unit", {"unit": ""}),
        ("text", {"text": None}),
        ("kpi_code", {"kpi_code": ""}),
        ("due_date", {"due_date": None}),
        ("month", {"month": 13}),
    ],
)
def test_required_fields(eng, field, kw):
    with pytest.raises(EntryError) as e:
        _issue(eng, **kw)
    assert not isinstance(e.value, Forbidden)
    assert e.value.field == field and e.value.th and e.value.en
    assert meeting.directives(eng).empty


def test_the_assigned_unit_answers_and_may_answer_again(eng):
    did = _issue(eng)
    with pytest.raises(Forbidden):
        meeting.answer(eng, OTHER_EDITOR, did, 1, "ไม่ใช่หน่วยงานของเรา")
    with pytest.raises(Forbidden):
        meeting.answer(eng, LOOSE_VERIFIER, did, 1, "ไม่มีหน่วยงาน")
    with pytest.raises(Forbidden):
        meeting.answer(eng, VIEWER, did, 1, "ผู้อ่าน")
    with pytest.raises(EntryError) as e:
        meeting.answer(eng, EDITOR, did, 1, "   ")
    assert e.value.field == "text"
    d = meeting.answer(eng, EDITOR, did, 1, "ลงพื้นที่ 3 อำเภอแล้ว")
    assert (d["status"], d["answer"], d["version"]) == ("answered", "ลงพื้นที่ 3 อำเภอแล้ว", 2)
    d = meeting.answer(eng, VERIFIER, did, 2, "ครบทุกอำเภอแล้ว")  # the unit's verifier too, again
    assert (d["status"], d["answer"], d["version"]) == ("answered", "ครบทุกอำเภอแล้ว", 3)
    refused = [(a, w) for a, w, o in _audit(eng) if o == "refused"]
    assert refused == [("directive.answered", "ed2"), ("directive.answered", "ver0"), ("directive.answered", "view")]


def test_close_needs_an_executive_and_an_answer(eng):
    did = _issue(eng)
    with pytest.raises(EntryError) as e:  # nothing answered, nothing typed
        meeting.close(eng, BOSS, did, 1)
    assert not isinstance(e.value, Forbidden) and e.value.field == "text"
    assert meeting.get_directive(eng, did)["status"] == "open"
    meeting.answer(eng, EDITOR, did, 1, "ดำเนินการแล้ว")
    with pytest.raises(Forbidden):
        meeting.close(eng, EDITOR, did, 2)
    with pytest.raises(Forbidden):
        meeting.close(eng, VERIFIER, did, 2)
    d = meeting.close(eng, BOSS, did, 2)  # with the unit's answer
    assert (d["status"], d["answer"], d["closed_by"], d["version"]) == ("closed", "ดำเนินการแล้ว", "boss", 3)
    assert d["closed_at"] is not None
    with pytest.raises(Locked):  # a closed one takes no answer (not a refusal)
        meeting.answer(eng, EDITOR, did, 3, "เพิ่มเติม")


def test_close_with_a_text_given_then(eng):
    did = _issue(eng)
    d = meeting.close(eng, ADMIN, did, 1, "ผู้ว่าฯ รับทราบผลในที่ประชุม")
    assert (d["status"], d["answer"]) == ("closed", "ผู้ว่าฯ รับทราบผลในที่ประชุม")


def test_a_stale_version_is_a_conflict(eng):
    did = _issue(eng)
    meeting.answer(eng, EDITOR, did, 1, "ครั้งแรก")
    with pytest.raises(Conflict):
        meeting.answer(eng, VERIFIER, did, 1, "อีกคนตอบจากหน้าเก่า")
    with pytest.raises(Conflict):
        meeting.close(eng, BOSS, did, 1)
    d = meeting.get_directive(eng, did)
    assert (d["status"], d["answer"], d["version"]) == ("answered", "ครั้งแรก", 2)
    assert [e["action"] for e in meeting.history(eng, did)] == ["issued", "answered"]


def test_reopen_needs_a_reason(eng):
    did = _issue(eng)
    meeting.close(eng, BOSS, did, 1, "เสร็จแล้ว")
    with pytest.raises(EntryError) as e:
        meeting.reopen(eng, BOSS, did, 2, " ")
    assert not isinstance(e.value, Forbidden) and e.value.field == "text"
    with pytest.raises(Forbidden):
        meeting.reopen(eng, EDITOR, did, 2, "อยากแก้")
    d = meeting.reopen(eng, BOSS, did, 2, "ตัวเลขเดือนถัดไปยังต่ำ")
    assert (d["status"], d["closed_by"], d["closed_at"], d["version"]) == ("open", None, None, 3)
    with pytest.raises(Locked):  # only a closed directive reopens
        meeting.reopen(eng, BOSS, did, 3, "อีกครั้ง")


def test_lists_open_only_by_kpi_and_unit(eng):
    a = _issue(eng)
    b = _issue(eng, kpi_code="K11", unit=OTHER, due_date=date(2026, 12, 1))
    c = _issue(eng, due_date=date(2027, 1, 15))
    meeting.close(eng, BOSS, a, 1, "ปิด")
    meeting.answer(eng, EDITOR, c, 1, "ตอบแล้ว")
    assert list(meeting.directives(eng)["directive_id"]) == [b, a, c]  # by due date
    got = meeting.directives(eng, open_only=True)
    assert list(got["directive_id"]) == [b, c] and "closed" not in set(got["status"])
    assert list(meeting.directives(eng, kpi_code="K05")["directive_id"]) == [a, c]
    assert list(meeting.directives(eng, unit=OTHER)["directive_id"]) == [b]
    assert list(meeting.directives(eng, unit=UNIT, open_only=True)["directive_id"]) == [c]


def test_history_and_audit_keep_every_step(eng):
    did = _issue(eng)
    meeting.answer(eng, EDITOR, did, 1, "ตอบครั้งที่หนึ่ง")
    meeting.close(eng, BOSS, did, 2)
    meeting.reopen(eng, ADMIN, did, 3, "ยังไม่ครบ")
    meeting.answer(eng, VERIFIER, did, 4, "ครบแล้ว")
    steps = [(e["action"], e["who"], e["text"]) for e in meeting.history(eng, did)]
    assert steps == [
        ("issued", "boss", "เร่งรัดการรายงานผลผลิต"),
        ("answered", "ed", "ตอบครั้งที่หนึ่ง"),
        ("closed", "boss", "ตอบครั้งที่หนึ่ง"),
        ("reopened", "root", "ยังไม่ครบ"),
        ("answered", "ver", "ครบแล้ว"),
    ]
    assert all(e["at"] is not None for e in meeting.history(eng, did))
    assert _audit(eng) == [
        ("directive.issue", "boss", "ok"),
        ("directive.answered", "ed", "ok"),
        ("directive.closed", "boss", "ok"),
        ("directive.reopened", "root", "ok"),
        ("directive.answered", "ver", "ok"),
    ]
    assert meeting.history(eng, did + 1) == []


# ---------------------------------------------------------------- agendas
def _paths(eng, agenda_id):
    return [(i["position"], i["path"]) for i in meeting.items(eng, agenda_id)]


def test_agenda_items_in_order(eng):
    aid = meeting.create_agenda(
        eng,
        EDITOR,
        "ประชุมกรมการจังหวัด พ.ย. 2569",
        date(2026, 11, 30),
        [("/?fy=2570", "ภาพรวม"), ("/kpi/K01?fy=2570", "K01")],
    )
    meeting.add_item(eng, EDITOR, aid, "/kpi/K05?fy=2570", "")  # the path is the default title
    assert _paths(eng, aid) == [(1, "/?fy=2570"), (2, "/kpi/K01?fy=2570"), (3, "/kpi/K05?fy=2570")]
    assert meeting.items(eng, aid)[2]["title"] == "/kpi/K05?fy=2570"
    third = meeting.items(eng, aid)[2]["item_id"]
    meeting.move_item(eng, EDITOR, third, -1)
    assert _paths(eng, aid) == [(1, "/?fy=2570"), (2, "/kpi/K05?fy=2570"), (3, "/kpi/K01?fy=2570")]
    first = meeting.items(eng, aid)[0]["item_id"]
    meeting.move_item(eng, EDITOR, first, -1)  # already first: unchanged
    meeting.move_item(eng, EDITOR, first, +1)
    assert _paths(eng, aid) == [(1, "/kpi/K05?fy=2570"), (2, "/?fy=2570"), (3, "/kpi/K01?fy=2570")]
    meeting.remove_item(eng, EDITOR, first)
    assert [p for _, p in _paths(eng, aid)] == ["/kpi/K05?fy=2570", "/kpi/K01?fy=2570"]
    meeting.add_item(eng, EDITOR, aid, "/map", "แผนที่")  # appended after the last
    assert [p for _, p in _paths(eng, aid)][-1] == "/map"
    row = meeting.agendas(eng).iloc[0]
    assert (row["agenda_id"], row["title"], row["items"]) == (aid, "ประชุมกรมการจังหวัด พ.ย. 2569", 3)
    acts = [a for a, _w, _o in _audit(eng, "agenda.")]
    assert acts == [
        "agenda.create",
        "agenda.item.add",
        "agenda.item.move",
        "agenda.item.move",
        "agenda.item.remove",
        "agenda.item.add",
    ]


def test_agendas_need_a_presenter_and_a_title(eng):
    with pytest.raises(Forbidden):
        meeting.create_agenda(eng, VIEWER, "ประชุม", date(2026, 11, 30))
    with pytest.raises(EntryError) as e:
        meeting.create_agenda(eng, EDITOR, "  ", date(2026, 11, 30))
    assert e.value.field == "title"
    aid = meeting.create_agenda(eng, EDITOR, "ประชุม", date(2026, 11, 30), [("/", "หน้าแรก")])
    item = meeting.items(eng, aid)[0]["item_id"]
    for call in (
        lambda: meeting.add_item(eng, VIEWER, aid, "/kpi", "x"),
        lambda: meeting.move_item(eng, VIEWER, item, 1),
        lambda: meeting.remove_item(eng, VIEWER, item),
    ):
        with pytest.raises(Forbidden):
            call()
    assert len(meeting.items(eng, aid)) == 1
    assert [a for a, _w, o in _audit(eng, "agenda.") if o == "refused"] == [
        "agenda.create",
        "agenda.item",
        "agenda.item.move",
        "agenda.item.remove",
    ]


@pytest.mark.parametrize(
    "path,want",
    [("/kpi/K01?fy=2570", "/kpi/K01?fy=2570"), ("  /map  ", "/map"), ("/kpi/K01?fy=2570#top", "/kpi/K01?fy=2570")],
)
def test_clean_path_keeps_local_pages(path, want):
    assert meeting.clean_path(path) == want


@pytest.mark.parametrize(
    "path",
    [
        "https://evil.example/",
        "//evil.example",
        "javascript:alert(1)",
        "kpi/K01",
        "",
        "http://127.0.0.1:8050/kpi/K01",
        "data:text/html,hi",
    ],
)
def test_clean_path_refuses_other_sites(path):
    with pytest.raises(EntryError) as e:
        meeting.clean_path(path)
    assert e.value.field == "path"


def test_clean_path_refuses_a_backslash_host():
    """A browser resolves '/\\evil.example' to //evil.example (backslash = slash in http URLs)."""
    with pytest.raises(EntryError):
        meeting.clean_path("/\\evil.example")


def test_an_agenda_never_holds_more_than_max_items(eng):
    aid = meeting.create_agenda(
        eng, EDITOR, "ยาว", date(2026, 11, 30), [(f"/kpi/K{i:02d}", f"K{i:02d}") for i in range(meeting.MAX_ITEMS)]
    )
    assert len(meeting.items(eng, aid)) == meeting.MAX_ITEMS
    with pytest.raises(EntryError):
        meeting.add_item(eng, EDITOR, aid, "/map", "one too many")
    assert len(meeting.items(eng, aid)) == meeting.MAX_ITEMS
    with pytest.raises(EntryError):
        meeting.create_agenda(
            eng, EDITOR, "ยาวเกิน", date(2026, 11, 30), [(f"/kpi/K{i:02d}", "x") for i in range(meeting.MAX_ITEMS + 1)]
        )
    assert meeting.agendas(eng)["title"].tolist() == ["ยาว"]  # all or nothing: no half-made agenda


# ---------------------------------------------------------------- the automatic agenda
def test_red_first_views():
    kpis = pd.DataFrame(
        [
            ("K01", "หนึ่ง", "one", "red", 2, 2.5),
            ("K02", "สอง", "two", "green", 1, 4.5),
            ("K03", "สาม", "three", "red", 1, 2.9),
            ("K04", "สี่", "four", "red", 1, 1.2),
            ("K05", "ห้า", "five", "yellow", 1, 3.2),
            ("K06", "หก", "six", "late", 1, None),
            ("K07", "เจ็ด", "seven", "red", 3, 1.0),
        ],
        columns=["kpi_code", "name_th", "name_en", "status", "importance_tier", "score"],
    )
    views = meeting.red_first_views(kpis, 2570, "th")
    assert views[0]["path"] == "/?fy=2570"
    assert [v["path"] for v in views[1:]] == [
        "/kpi/K04?fy=2570",
        "/kpi/K03?fy=2570",
        "/kpi/K01?fy=2570",
        "/kpi/K07?fy=2570",
    ]
    assert views[1]["title"] == "สีแดง: K04 สี่"
    en = meeting.red_first_views(kpis, 2570, "en")
    assert en[1]["title"] == "Red: K04 four"
    assert all(meeting.clean_path(v["path"]) == v["path"] for v in views)
    assert meeting.follow_up_view("th")["path"] == "/meeting/directives?open=1"


# ---------------------------------------------------------------- /meeting/directives re-checks on the server
WEB_PASSWORD = "correct horse battery staple"
WEB_USERS = {
    "dir_boss": ("executive", None),
    "dir_unit": ("editor", UNIT),
    "dir_other": ("editor", OTHER),
    "dir_view": ("viewer", None),
}


@pytest.fixture(scope="module")
def web(built_warehouse, tmp_path_factory):
    mp = pytest.MonkeyPatch()
    home = tmp_path_factory.mktemp("directives")
    mp.setenv("SANYAN_WAREHOUSE", str(built_warehouse))
    mp.setenv("SANYAN_OPS_URL", f"sqlite:///{home / 'ops.sqlite'}")
    mp.setenv("SANYAN_AS_OF", "2026-11-24")
    import app
    from web import auth

    eng = ops.engine()
    for name, (role, unit) in WEB_USERS.items():
        auth.add_user(eng, name, WEB_PASSWORD, role, unit=unit)
    yield app, eng
    mp.undo()


def _client(app, name):
    c = app.server.test_client()
    assert login(c, name, WEB_PASSWORD).status_code == 302
    c.get("/_dash-dependencies")
    return c


def _outputs(app, first_output):
    key = next(k for k in app.app.callback_map if f"..{first_output}." in k)
    outs = []
    for part in key.strip(".").split("..."):
        cid, prop = part.split(".", 1)
        outs.append({"id": cid, "property": prop.split("@")[0]})
    return key, outs


def _post(c, body):
    return c.post("/_dash-update-component", json=body, headers={"Origin": "http://localhost"})


def _said(r) -> str:
    """A callback's answer as readable text (Thai unescaped)."""
    import json

    return json.dumps(r.get_json(), ensure_ascii=False)


def _answer_body(app, did, version, text):
    key, outs = _outputs(app, "directives-list-msg")
    bid = {"index": did, "type": "directives-answer", "v": version}
    tid = {"index": did, "type": "directives-text"}
    return {
        "output": key,
        "outputs": outs,
        "inputs": [[{"id": bid, "property": "n_clicks", "value": 1}], [], []],
        "state": [
            [{"id": tid, "property": "value", "value": text}],
            [{"id": tid, "property": "id", "value": tid}],
            {"id": "directives-tick", "property": "data", "value": 0},
        ],
        "changedPropIds": [f'{{"index":{did},"type":"directives-answer","v":{version}}}.n_clicks'],
    }


@pytest.mark.parametrize("name, status", [("dir_view", 403), ("dir_other", 403), ("dir_unit", 200)])
def test_answer_callback_checks_who(web, name, status):
    app, eng = web
    did = _issue(eng, BOSS, text=f"ข้อสั่งการสำหรับ {name}")
    r = _post(_client(app, name), _answer_body(app, did, 1, "ทำแล้ว"))
    assert r.status_code == status, r.get_data(as_text=True)[:500]
    d = meeting.get_directive(eng, did)
    if status == 200:
        assert "directives-act-ok" in r.get_data(as_text=True)
        assert (d["status"], d["answer"], d["version"]) == ("answered", "ทำแล้ว", 2)
    else:
        assert (d["status"], d["version"]) == ("open", 1)
        last = ops.audit_rows(eng)[-1]
        assert (last["action"], last["who"], last["outcome"]) == ("directive.answered", name, "refused")


def _err_text(r, err_id) -> str:
    return r.get_json()["response"][err_id]["children"]


def _issue_body(app, kpi, due, text, agenda=None, fy="2570", month="12", unit=UNIT):
    key, outs = _outputs(app, "directives-issue-msg")
    state = [
        ("directives-new-kpi", "value", kpi),
        ("directives-new-fy", "value", fy),
        ("directives-new-month", "value", month),
        ("directives-new-unit", "value", unit),
        ("directives-new-due", "value", due),
        ("directives-new-text", "value", text),
        ("directives-agenda", "data", agenda),
        ("directives-tick", "data", 0),
    ]
    return {
        "output": key,
        "outputs": outs,
        "inputs": [{"id": "directives-issue", "property": "n_clicks", "value": 1}],
        "state": [{"id": i, "property": p, "value": v} for i, p, v in state],
        "changedPropIds": ["directives-issue.n_clicks"],
    }


def test_issue_callback_checks_who_and_parses_thai_dates(web):
    app, eng = web
    before = len(meeting.directives(eng))
    r = _post(_client(app, "dir_view"), _issue_body(app, "K05", "30 ธ.ค. 2569", "ผู้อ่านลองออก"))
    assert r.status_code == 403
    assert ops.audit_rows(eng)[-1]["outcome"] == "refused" and len(meeting.directives(eng)) == before

    boss = _client(app, "dir_boss")
    r = _post(boss, _issue_body(app, "K05", "30/13/2569", "วันที่ผิด"))
    body = _said(r)
    assert r.status_code == 200 and "directives-issue-error" in body and "วันที่ไม่ถูกต้อง" in body
    assert _err_text(r, "directives-new-due-err").startswith("วันที่ไม่ถูกต้อง")
    r = _post(boss, _issue_body(app, "K99", "30/12/2569", "ไม่มีตัวชี้วัดนี้"))
    assert _err_text(r, "directives-new-kpi-err") == "กรุณาเลือกตัวชี้วัด"
    assert len(meeting.directives(eng)) == before

    aid = meeting.create_agenda(eng, BOSS, "ประชุมกรมการจังหวัด", date(2026, 11, 30))
    for due in ("30 ธ.ค. 2569", "30/12/2569", "2026-12-30"):
        r = _post(boss, _issue_body(app, "K05", due, f"ครบกำหนด {due}", agenda=aid))
        assert r.status_code == 200 and "directives-issue-ok" in r.get_data(as_text=True), due
    got = meeting.directives(eng).tail(3)
    assert list(got["due_date"]) == [DUE] * 3
    assert list(got["agenda_id"]) == [aid] * 3 and list(got["month"]) == [12] * 3
    r = _post(boss, _issue_body(app, "K05", "2026-12-30", "ทั้งปี ไม่มีวาระ", agenda=999, month="0"))
    assert "directives-issue-ok" in r.get_data(as_text=True)
    last = meeting.directives(eng).iloc[-1]
    assert pd.isna(last["month"]) and pd.isna(last["agenda_id"])  # an unknown agenda is not stored


# ---------------------------------------------------------------- the briefing book (issue 26)
def _member(eng, name, role, unit=None, email=None):
    from datetime import UTC, datetime

    with eng.begin() as con:
        con.execute(
            ops.users.insert().values(
                username=name,
                password_hash="-",
                role=role,
                unit=unit,
                email=email,
                active=True,
                created_at=datetime.now(UTC),
            )
        )


def _held_meeting(eng):
    """A meeting held on 30 Nov 2569 with two views and three directives: two to UNIT, one to
    OTHER, one to a unit without accounts; and the people of each unit."""
    aid = meeting.create_agenda(
        eng,
        BOSS,
        "ประชุม กจ. ครั้งที่ 11/2569",
        date(2026, 11, 30),
        [("/kpi/K05?fy=2570", "สีแดง: K05 ผลผลิตทุเรียน"), ("/?fy=2570", "ภาพรวม")],
    )
    _issue(eng, text="เร่งรัดการรายงานผลผลิต", agenda_id=aid)
    _issue(eng, kpi_code="K01", month=None, text="จัดทำแผนฟื้นฟูแปลงใหญ่", due_date=date(2027, 1, 15), agenda_id=aid)
    _issue(eng, kpi_code="K02", text="สำรวจโรคใบด่าง", unit=OTHER, due_date=date(2026, 12, 20), agenda_id=aid)
    _issue(eng, kpi_code="K03", text="ข้อสั่งการถึงหน่วยที่ไม่มีใคร", unit="สำนักงานว่างเปล่า", agenda_id=aid)
    _issue(eng, kpi_code="K04", text="ข้อสั่งการของการประชุมอื่น", unit=UNIT)  # no agenda: not in these minutes
    _member(eng, "ed", "editor", UNIT, "ed@x.example")
    _member(eng, "ver", "verifier", UNIT, "ver@x.example")
    _member(eng, "ed_noaddr", "editor", UNIT)  # no address: nothing can reach them
    _member(eng, "viewer_unit", "viewer", UNIT, "v@x.example")  # a viewer answers no directive
    _member(eng, "ed2", "editor", OTHER, "ed2@x.example")
    _member(eng, "boss", "executive", None, "boss@x.example")
    return aid


def _briefings(eng):
    o = ops.outbox.c
    with eng.connect() as con:
        rows = con.execute(ops.outbox.select().where(o.dedupe_key.like("briefing:%")).order_by(o.message_id))
        return [dict(r) for r in rows.mappings()]


def test_the_briefing_book_goes_once_to_each_person_of_each_assigned_unit(eng):
    from ops import notify

    aid = _held_meeting(eng)
    directory = notify.Directory(
        kpis={
            "K05": {"classification": "open", "name_th": "ผลผลิตทุเรียน", "name_en": "Durian output"},
            "K01": {"classification": "internal", "name_th": "แปลงใหญ่", "name_en": "Large plots"},
            "K02": {"classification": "open", "name_th": "โรคพืช", "name_en": "Plant disease"},
            "K03": {"classification": "secret", "name_th": "ลับ", "name_en": "Secret"},
        }
    )
    got = meeting.send_briefing(eng, BOSS, aid, directory, today=date(2026, 12, 1))
    assert got["queued"] == 3 and got["already"] == 0
    assert sorted(got["sent_to"]) == sorted([(UNIT, "ed"), (UNIT, "ver"), (OTHER, "ed2")])
    assert got["nobody"] == {"สำนักงานว่างเปล่า": "no_account"}
    rows = _briefings(eng)
    assert sorted((r["username"], r["address"]) for r in rows) == [
        ("ed", "ed@x.example"),
        ("ed2", "ed2@x.example"),
        ("ver", "ver@x.example"),
    ]
    assert {r["channel"] for r in rows} == {"email"} and {r["status"] for r in rows} == {"pending"}
    ed = next(r for r in rows if r["username"] == "ed")
    body = ed["body"]
    assert "ประชุม กจ. ครั้งที่ 11/2569" in body and "30 พฤศจิกายน 2569" in body
    assert "สีแดง: K05 ผลผลิตทุเรียน" in body and "/kpi/K05?fy=2570" in body  # the views shown
    mine = body.split("เรื่องที่พิจารณา")[0]  # the unit's own part, first and marked
    assert f"★ ข้อสั่งการถึง {UNIT}: 2" in mine
    assert "★ K05 ผลผลิตทุเรียน" in mine and "เร่งรัดการรายงานผลผลิต" in mine and "30 ธันวาคม 2569" in mine
    assert "★ K01 แปลงใหญ่" in mine and "จัดทำแผนฟื้นฟูแปลงใหญ่" in mine and "15 มกราคม 2570" in mine
    assert f"หน่วยงาน: {UNIT}" in mine and "สำรวจโรคใบด่าง" not in mine
    assert "- K02 โรคพืช" in body and f"หน่วยงาน: {OTHER}" in body and "20 ธันวาคม 2569" in body
    assert "ข้อสั่งการถึงหน่วยที่ไม่มีใคร" not in body and "1 เรื่อง ของตัวชี้วัดที่ไม่แสดง" in body  # secret K03
    assert "ข้อสั่งการของการประชุมอื่น" not in body
    assert f"/export/minutes/{aid}.pdf?unit=" in body
    assert UNIT in ed["subject"] and "2 เรื่อง" in ed["subject"]
    ed2 = next(r for r in rows if r["username"] == "ed2")
    assert f"★ ข้อสั่งการถึง {OTHER}: 1" in ed2["body"] and "★ K02 โรคพืช" in ed2["body"]

    # twice: nothing new, and the answer says how many were sent before
    again = meeting.send_briefing(eng, ADMIN, aid, directory, today=date(2026, 12, 1))
    assert (again["queued"], again["already"], again["version"]) == (0, 3, got["version"])
    assert len(_briefings(eng)) == 3
    audit = _audit(eng, "briefing.")
    assert audit == [("briefing.send", "boss", "ok"), ("briefing.send", "root", "ok")]

    # a changed minute is a new version: each person gets it once more
    _issue(eng, kpi_code="K05", text="ข้อสั่งการเพิ่มเติม", agenda_id=aid)
    third = meeting.send_briefing(eng, BOSS, aid, directory, today=date(2026, 12, 1))
    assert third["version"] != got["version"] and (third["queued"], third["already"]) == (3, 0)
    assert len(_briefings(eng)) == 6


@pytest.mark.parametrize("who", [VIEWER, EDITOR, VERIFIER])
def test_only_those_who_direct_send_the_briefing_book(eng, who):
    aid = _held_meeting(eng)
    with pytest.raises(Forbidden) as e:
        meeting.send_briefing(eng, who, aid, today=date(2026, 12, 1))
    assert "ส่งสมุดสรุปการประชุม" in e.value.th and "briefing book" in e.value.en
    assert _briefings(eng) == []
    assert _audit(eng, "briefing.") == [("briefing.send", who.username, "refused")]


def test_a_unit_with_no_one_to_send_to_is_said_and_why(eng):
    aid = _held_meeting(eng)
    _member(eng, "ed3", "editor", "กลุ่มไม่มีอีเมล")
    _member(eng, "ed4", "editor", "กลุ่มปิดอีเมล", "ed4@x.example")
    from datetime import UTC, datetime

    with eng.begin() as con:  # ed4 muted every e-mail (the inbox's choice)
        con.execute(
            ops.follows.insert().values(username="ed4", kpi_code="*", mode="mute", created_at=datetime.now(UTC))
        )
    _issue(eng, text="ถึงกลุ่มไม่มีอีเมล", unit="กลุ่มไม่มีอีเมล", agenda_id=aid)
    _issue(eng, text="ถึงกลุ่มปิดอีเมล", unit="กลุ่มปิดอีเมล", agenda_id=aid)
    got = meeting.send_briefing(eng, BOSS, aid, today=date(2026, 12, 1))
    assert got["nobody"] == {
        "สำนักงานว่างเปล่า": "no_account",
        "กลุ่มไม่มีอีเมล": "no_email",
        "กลุ่มปิดอีเมล": "muted",
    }
    assert {r["username"] for r in _briefings(eng)} == {"ed", "ver", "ed2"}
    after = ops.audit_rows(eng)[-1]
    assert after["action"] == "briefing.send" and "กลุ่มไม่มีอีเมล" in after["after"]
    # without the snapshot's classifications, other units' directives are counted, never shown
    ed = next(r for r in _briefings(eng) if r["username"] == "ed")
    assert "สำรวจโรคใบด่าง" not in ed["body"] and "เร่งรัดการรายงานผลผลิต" in ed["body"]


def test_the_briefing_book_waits_for_the_meeting_and_needs_directives(eng):
    aid = _held_meeting(eng)
    with pytest.raises(EntryError) as e:
        meeting.send_briefing(eng, BOSS, aid, today=date(2026, 11, 29))
    assert "ยังไม่ถึงวันประชุม" in e.value.th
    empty = meeting.create_agenda(eng, BOSS, "ประชุมไม่มีข้อสั่งการ", date(2026, 11, 1))
    with pytest.raises(EntryError) as e:
        meeting.send_briefing(eng, BOSS, empty, today=date(2026, 12, 1))
    assert "ไม่มีข้อสั่งการ" in e.value.th
    with pytest.raises(EntryError):
        meeting.send_briefing(eng, BOSS, 99999, today=date(2026, 12, 1))
    assert _briefings(eng) == []


def _send_body(agenda_id):
    bid = {"index": agenda_id, "type": "meeting-send"}
    return {
        "output": "meeting-send-msg.children",
        "outputs": {"id": "meeting-send-msg", "property": "children"},
        "inputs": [[{"id": bid, "property": "n_clicks", "value": 1}]],
        "changedPropIds": [f'{{"index":{agenda_id},"type":"meeting-send"}}.n_clicks'],
    }


def test_the_send_callback_checks_who_on_the_server(web):
    """A forged click on "send the briefing book" by a viewer or an editor (the button is not even
    shown to them) is refused in words and audited; an executive's is sent and said."""
    app, eng = web
    aid = meeting.create_agenda(eng, BOSS, "ประชุมส่งสมุดสรุป", date(2026, 11, 20))
    _issue(eng, text="ข้อสั่งการถึงกลุ่ม", agenda_id=aid)
    with eng.begin() as con:
        con.execute(ops.users.update().where(ops.users.c.username == "dir_unit").values(email="unit@x.example"))
    for name in ("dir_view", "dir_unit"):
        r = _post(_client(app, name), _send_body(aid))
        said = _said(r)
        assert r.status_code == 200 and "meeting-send-error" in said, said
        assert "เฉพาะผู้บริหารหรือผู้ดูแลระบบส่งสมุดสรุปการประชุมได้" in said
        last = ops.audit_rows(eng)[-1]
        assert (last["action"], last["who"], last["outcome"]) == ("briefing.send", name, "refused")
    assert _briefings(eng) == []
    boss = _client(app, "dir_boss")
    said = _said(_post(boss, _send_body(aid)))
    assert "meeting-send-ok" in said and "1 ฉบับ" in said and "dir_unit" in said, said
    said = _said(_post(boss, _send_body(aid)))
    assert "meeting-send-already" in said and "ไปแล้ว 1 ฉบับ" in said, said
    assert [r["username"] for r in _briefings(eng)] == ["dir_unit"]
