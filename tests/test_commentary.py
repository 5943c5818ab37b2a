"""Commentary of a KPI's period (ops/commentary.py, issue 19 item 6): the owner writes why and what
next, the verifier of the unit accepts or returns it with a reason, an executive approves it and
readers then see it (on /kpi/<code>, on its slide and in the evidence pack); versions, refusals
audited, text limits, and a reader who may not read a KPI never gets its commentary."""

from __future__ import annotations

import json
from datetime import date

import pytest

import ops
from ops import commentary
from ops.commentary import Actor, Conflict, EntryError, Forbidden, Locked
from tests.conftest import ORIGIN, ROOT

UNIT = "กลุ่มส่งเสริมและพัฒนาการผลิต"
OTHER_UNIT = "ฝ่ายบริหารทั่วไป"
K01 = {"kpi_code": "K01", "owner_unit": UNIT}
K26 = {"kpi_code": "K26", "owner_unit": OTHER_UNIT}
OWNER = Actor("own", "editor", UNIT)
OWNER2 = Actor("own2", "editor", UNIT)
DISTRICT_EDITOR = Actor("ded", "editor", UNIT, "8604")  # enters district figures, not the province's
STRANGER = Actor("other", "editor", OTHER_UNIT)
VERIFIER = Actor("ver", "verifier", UNIT)
OTHER_VERIFIER = Actor("ver2", "verifier", OTHER_UNIT)
EXEC = Actor("boss", "executive")
VIEWER = Actor("v", "viewer")
WHY = "ผลต่ำกว่าแผนเพราะฝนตกหนักช่วงตรวจแปลง\nตรวจได้ 60% ของแผน"
NEXT = "เพิ่มรอบตรวจแปลงเดือนหน้า และประสานอำเภอที่ค้าง"


@pytest.fixture()
def eng(ops_url):
    return ops.engine(ops_url)


def _refused(eng) -> list[tuple[str, str]]:
    return [(a["who"], a["action"]) for a in ops.audit_rows(eng) if a["outcome"] == "refused"]


# ---------------------------------------------------------------- who
def test_the_owner_writes_another_unit_may_not(eng):
    assert commentary.may_write(OWNER, K01)
    assert commentary.may_write(Actor("root", "admin"), K01)
    for who in (STRANGER, DISTRICT_EDITOR, VERIFIER, EXEC, VIEWER, Actor("e", "editor")):
        assert not commentary.may_write(who, K01), who
    assert not commentary.may_write(OWNER, None)  # a KPI the reader may not read
    with pytest.raises(Forbidden) as e:
        commentary.save(eng, STRANGER, "K01", K01, 2570, 10, WHY, NEXT, 0)
    assert e.value.th and e.value.en
    with pytest.raises(Forbidden):
        commentary.save(eng, OWNER, "K40", None, 2570, 10, WHY, NEXT, 0)  # not readable: refused too
    with pytest.raises(Forbidden):
        commentary.save(eng, OWNER, "K26", K01, 2570, 10, WHY, NEXT, 0)  # another KPI's row for this code
    assert _refused(eng) == [("other", "comment.save"), ("own", "comment.save"), ("own", "comment.save")]
    assert commentary.get(eng, "K01", 2570, 10) is None and commentary.get(eng, "K40", 2570, 10) is None
    row = commentary.save(eng, OWNER, "K01", K01, "๒๕๗๐", "ต.ค.", WHY, NEXT, 0)  # Thai digits, a month's name
    assert (row["fiscal_year"], row["month"], row["area_code"], row["status"]) == (2570, 10, "86", "draft")
    assert (row["analysis"], row["action"], row["entered_by"], row["version"]) == (WHY, NEXT, "own", 1)
    last = ops.audit_rows(eng)[-1]
    assert (last["action"], last["target"], last["outcome"]) == ("comment.save", "K01 2570/10", "ok")
    assert json.loads(last["after"])["analysis"] == WHY


# ---------------------------------------------------------------- what
def test_text_limits_and_required_fields_in_thai_and_english(eng):
    long = "ก" * (commentary.LIMIT + 1)
    with pytest.raises(EntryError) as e:
        commentary.save(eng, OWNER, "K01", K01, 2570, 10, long, NEXT, 0)
    assert e.value.field == "analysis" and "2,000" in e.value.th and "2,000" in e.value.en
    with pytest.raises(EntryError) as e:
        commentary.save(eng, OWNER, "K01", K01, 2570, 10, WHY, long, 0)
    assert e.value.field == "action"
    with pytest.raises(EntryError) as e:  # a submission needs both
        commentary.save(eng, OWNER, "K01", K01, 2570, 10, WHY, "   ", 0, submit=True)
    assert e.value.field == "action" and "ก่อนส่ง" in e.value.th and "before submitting" in e.value.en
    with pytest.raises(EntryError):  # a draft needs one
        commentary.save(eng, OWNER, "K01", K01, 2570, 10, "", None, 0)
    with pytest.raises(EntryError) as e:
        commentary.save(eng, OWNER, "K01", K01, 2570, 13, WHY, NEXT, 0)
    assert e.value.field == "month"
    with pytest.raises(EntryError) as e:
        commentary.save(eng, OWNER, "K01", K01, 1999, 10, WHY, NEXT, 0)
    assert e.value.field == "fiscal_year"
    with pytest.raises(EntryError):
        commentary.save(eng, OWNER, "K01", K01, 2570, 10, ["not", "text"], NEXT, 0)
    assert commentary.get(eng, "K01", 2570, 10) is None
    exactly = "ข" * commentary.LIMIT
    row = commentary.save(eng, OWNER, "K01", K01, 2570, 10, f"  {exactly}\r\n", "ขั้นต่อไป\x00\r\nข้อสอง", 0)
    assert row["analysis"] == exactly and row["action"] == "ขั้นต่อไป\nข้อสอง"  # trimmed, line ends, no NUL


# ---------------------------------------------------------------- the life cycle
def test_return_with_reason_then_verify_approve_and_readers_see_it(eng):
    row = commentary.save(eng, OWNER, "K01", K01, 2570, 10, WHY, None, 0)
    assert row["status"] == "draft"
    with pytest.raises(Locked):  # a draft is not for the verifier yet
        commentary.verify(eng, VERIFIER, row["comment_id"], row["version"], True, None, K01)
    row = commentary.save(eng, OWNER, "K01", K01, 2570, 10, WHY, NEXT, row["version"], submit=True)
    assert row["status"] == "submitted"
    cid = row["comment_id"]
    with pytest.raises(Forbidden):  # a verifier of another unit
        commentary.verify(eng, OTHER_VERIFIER, cid, row["version"], True, None, K01)
    with pytest.raises(Forbidden):  # the owner does not verify their own
        commentary.verify(eng, OWNER, cid, row["version"], True, None, K01)
    with pytest.raises(EntryError) as e:  # a return needs its reason
        commentary.verify(eng, VERIFIER, cid, row["version"], False, "  ", K01)
    assert e.value.field == "reason"
    row = commentary.verify(eng, VERIFIER, cid, row["version"], False, "ระบุจำนวนแปลงที่ค้างตรวจด้วย", K01)
    assert (row["status"], row["reason"]) == ("returned", "ระบุจำนวนแปลงที่ค้างตรวจด้วย")
    assert commentary.approved(eng, "K01") == []
    better = WHY + "\nค้างตรวจ 42 แปลง"
    row = commentary.save(eng, OWNER, "K01", K01, 2570, 10, better, NEXT, row["version"], submit=True)
    assert row["reason"] is None
    row = commentary.verify(eng, VERIFIER, cid, row["version"], True, None, K01)
    assert (row["status"], row["verified_by"]) == ("verified", "ver")
    assert commentary.approved(eng, "K01") == []  # verified is not yet for readers
    with pytest.raises(Locked):  # a verified commentary changes only after a return
        commentary.save(eng, OWNER, "K01", K01, 2570, 10, "อื่น", NEXT, row["version"])
    with pytest.raises(Forbidden):  # approving is for an executive or admin
        commentary.approve(eng, VERIFIER, cid, row["version"], K01)
    with pytest.raises(Forbidden):  # approving a KPI not read (None) is refused as well
        commentary.approve(eng, EXEC, cid, row["version"], None)
    row = commentary.approve(eng, EXEC, cid, row["version"], K01)
    assert (row["status"], row["approved_by"], row["approved_analysis"]) == ("approved", "boss", better)
    shown = commentary.approved(eng, "K01")
    assert [(r["fiscal_year"], r["month"], r["analysis"], r["action"]) for r in shown] == [(2570, 10, better, NEXT)]
    with pytest.raises(Locked):  # approved: locked until reopened
        commentary.save(eng, OWNER, "K01", K01, 2570, 10, "แก้", NEXT, row["version"])

    # a correction: reopened with a reason; readers keep the approved text until the new one is approved
    with pytest.raises(EntryError):
        commentary.reopen(eng, EXEC, cid, row["version"], "", K01)
    with pytest.raises(Forbidden):
        commentary.reopen(eng, OWNER, cid, row["version"], "แก้ตัวเลข", K01)
    row = commentary.reopen(eng, EXEC, cid, row["version"], "แก้จำนวนแปลง", K01)
    assert (row["status"], row["reason"]) == ("returned", "แก้จำนวนแปลง")
    row = commentary.save(eng, OWNER, "K01", K01, 2570, 10, "ค้างตรวจ 40 แปลง", NEXT, row["version"], submit=True)
    assert [r["analysis"] for r in commentary.approved(eng, "K01")] == [better]
    assert commentary.approved(eng, "K01")[0]["status"] == "submitted"
    row = commentary.verify(eng, VERIFIER, cid, row["version"], True, None, K01)
    commentary.approve(eng, EXEC, cid, row["version"], K01)
    assert [r["analysis"] for r in commentary.approved(eng, "K01")] == ["ค้างตรวจ 40 แปลง"]

    actions = [a["action"] for a in ops.audit_rows(eng) if a["outcome"] == "ok"]
    assert actions == [
        "comment.save",
        "comment.submit",
        "comment.return",
        "comment.submit",
        "comment.verify",
        "comment.approve",
        "comment.reopen",
        "comment.submit",
        "comment.verify",
        "comment.approve",
    ]
    assert _refused(eng) == [
        ("ver2", "comment.verify"),
        ("own", "comment.verify"),
        ("ver", "comment.approve"),
        ("boss", "comment.approve"),
        ("own", "comment.reopen"),
    ]


def test_periods_newest_first_in_fiscal_order(eng):
    for fy, month in ((2569, 12), (2570, 1), (2570, 11), (2570, 10), (2569, 9)):
        row = commentary.save(eng, OWNER, "K01", K01, fy, month, f"{fy}/{month}", NEXT, 0, submit=True)
        row = commentary.verify(eng, VERIFIER, row["comment_id"], 1, True, None, K01)
        commentary.approve(eng, EXEC, row["comment_id"], row["version"], K01)
    assert [(r["fiscal_year"], r["month"]) for r in commentary.approved(eng, "K01")] == [
        (2570, 1),
        (2570, 11),
        (2570, 10),
        (2569, 9),
        (2569, 12),
    ]
    assert [r["month"] for r in commentary.approved(eng, fy=2569)] == [9, 12]
    assert commentary.approved(eng, "K26") == []


def test_versions_conflict_instead_of_overwriting(eng):
    first = commentary.save(eng, OWNER, "K01", K01, 2570, 10, WHY, NEXT, 0)
    with pytest.raises(Conflict) as e:  # the second owner's form was blank too
        commentary.save(eng, OWNER2, "K01", K01, 2570, 10, "ของฉัน", NEXT, 0)
    assert "own" in e.value.th and "own" in e.value.en
    second = commentary.save(eng, OWNER2, "K01", K01, 2570, 10, "ของฉัน", NEXT, first["version"], submit=True)
    assert (second["analysis"], second["version"], second["entered_by"]) == ("ของฉัน", 2, "own2")
    with pytest.raises(Conflict):  # saving over the old version
        commentary.save(eng, OWNER, "K01", K01, 2570, 10, WHY, NEXT, first["version"])
    with pytest.raises(Conflict):  # verifying the old version
        commentary.verify(eng, VERIFIER, second["comment_id"], first["version"], True, None, K01)
    row = commentary.verify(eng, VERIFIER, second["comment_id"], second["version"], True, None, K01)
    with pytest.raises(Conflict):  # approving the old version
        commentary.approve(eng, EXEC, row["comment_id"], second["version"], K01)
    assert commentary.by_id(eng, row["comment_id"])["status"] == "verified"
    assert commentary.approve(eng, EXEC, row["comment_id"], row["version"], K01)["status"] == "approved"


def test_one_workflow_engine_runs_it():
    """Like ops.entry and ops.records, the commentary writes no version, approval or row itself."""
    from ops import workflow

    assert isinstance(commentary.FLOW, workflow.Flow) and commentary.FLOW.table is ops.kpi_comments
    text = (ROOT / "ops" / "commentary.py").read_text(encoding="utf-8")
    for own in ("version + 1", "begin_nested", 'status="approved"', "kpi_comments.insert(", "kpi_comments.update("):
        assert own not in text, own
    assert commentary.EntryError is workflow.EntryError and commentary.Forbidden is workflow.Forbidden


# ---------------------------------------------------------------- the app: the KPI page, its slide, its callback
@pytest.fixture(scope="module")
def web(built_warehouse, tmp_path_factory):
    """The app on a copy of the demo warehouse with an ops store of its own: an owner editor of
    K01's unit, an editor of the secret K40's unit, a viewer and an executive; K01's commentary
    approved for the period /kpi/K01 shows and the one before, K40's approved too."""
    from tests.conftest import app_on_a_copy, signed_in_clients

    with app_on_a_copy(built_warehouse, tmp_path_factory.mktemp("commentary"), "commentary"):
        import app
        import db
        from components import cockpit as ck

        eng = ops.engine()
        make = signed_in_clients(eng, "cm", ("executive", "viewer", "editor"), {"editor": {"unit": UNIT}}, dash=True)
        make40 = signed_in_clients(eng, "cmx", ("editor",), {"editor": {"unit": OTHER_UNIT}}, dash=True)
        point = ck.resolve_point(db.query("cockpit/fiscal_years", area="86"))
        earlier = {10: (point.fy - 1, 9), 1: (point.fy, 12)}.get(point.month, (point.fy, point.month - 1))
        k40 = {"kpi_code": "K40", "owner_unit": OTHER_UNIT}
        for kpi, (fy, month), why in (
            (K01, (point.fy, point.month), "WHY-NOW ฝนตกหนัก"),
            (K01, earlier, "WHY-BEFORE ตรวจแปลงไม่ทัน"),
            (k40, (point.fy, point.month), "SECRET-WHY งบประมาณลับ"),
        ):
            row = commentary.save(
                eng, Actor("root", "admin"), kpi["kpi_code"], kpi, fy, month, why, "NEXT-STEP", 0, True
            )
            row = commentary.verify(eng, Actor("root", "admin"), row["comment_id"], 1, True, None, kpi)
            commentary.approve(eng, EXEC, row["comment_id"], row["version"], kpi)
        yield {"app": app, "eng": eng, "make": make, "make40": make40, "point": point}


def _page(client, path, search="") -> str:
    from tests.conftest import router_body

    r = client.post("/_dash-update-component", json=router_body(path, search), headers=ORIGIN)
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    return json.dumps(r.get_json(), ensure_ascii=False)


def test_readers_see_the_approved_commentary_newest_first(web):
    page = _page(web["make"]("viewer"), "/kpi/K01")
    assert "kpidetail-cm-current" in page and "WHY-NOW ฝนตกหนัก" in page and "NEXT-STEP" in page
    assert "kpidetail-cm-earlier" in page and page.index("WHY-NOW") < page.index("WHY-BEFORE")
    assert "kpidetail-cm-work" not in page  # no form for a reader
    owner = _page(web["make"]("editor"), "/kpi/K01")
    assert "kpidetail-cm-work" in owner and '"action": "save"' not in owner  # approved: locked for the owner
    slide = _page(web["make"]("editor"), "/kpi/K01", "?present=1")
    assert "WHY-NOW" in slide and "WHY-BEFORE" not in slide and "kpidetail-cm-work" not in slide


def test_a_reader_who_may_not_read_the_kpi_never_gets_its_commentary(web):
    assert "SECRET-WHY" in _page(web["make"]("executive"), "/kpi/K40")  # executives read secret KPIs
    for client in (web["make"]("viewer"), web["make40"]("editor")):  # K40's own unit's editor too
        page = _page(client, "/kpi/K40")
        assert "SECRET-WHY" not in page and "kpidetail-commentary" not in page
        assert "SECRET-WHY" not in _page(client, "/kpi/K40", "?present=1")


def _action_body(app, action, key, analysis=None, act=None, reason=None) -> dict:
    cb = next(k for k in app.app.callback_map if "..kpidetail-commentary.children" in k)
    outs = [{"id": p.split(".", 1)[0], "property": p.split(".", 1)[1]} for p in cb.strip(".").split("...")]
    bid = {"action": action, "type": "kpidetail-cm-do"}
    return {
        "output": cb,
        "outputs": outs,
        "inputs": [[{"id": bid, "property": "n_clicks", "value": 1}]],
        "state": [
            {"id": "kpidetail-cm-key", "property": "data", "value": key},
            {"id": "kpidetail-cm-analysis", "property": "value", "value": analysis},
            {"id": "kpidetail-cm-action", "property": "value", "value": act},
            {"id": "kpidetail-cm-reason", "property": "value", "value": reason},
        ],
        "changedPropIds": [f'{{"action":"{action}","type":"kpidetail-cm-do"}}.n_clicks'],
    }


def test_the_callback_checks_the_writer_and_the_kpi_on_the_server(web):
    app, eng, point = web["app"], web["eng"], web["point"]
    fy, month = point.fy, 6 if point.month not in (6, 7) else 3  # a period without commentary

    def post(client, action, key, *texts):
        return client.post("/_dash-update-component", json=_action_body(app, action, key, *texts), headers=ORIGIN)

    key = {"kpi": "K01", "fy": fy, "month": month, "id": None, "version": 0}
    n_refused = len(_refused(eng))
    assert post(web["make"]("viewer"), "save", key, "VIEWER-WHY", "x").status_code == 403
    assert post(web["make40"]("editor"), "submit", key, "OTHER-WHY", "x").status_code == 403  # another unit
    secret = {"kpi": "K40", "fy": fy, "month": month, "id": None, "version": 0}
    assert post(web["make40"]("editor"), "save", secret, "LEAK", "x").status_code == 403  # may not read K40
    assert _refused(eng)[n_refused:] == [
        ("cm_viewer", "comment.save"),
        ("cmx_editor", "comment.save"),
        ("cmx_editor", "comment.save"),
    ]
    assert commentary.get(eng, "K01", fy, month) is None and commentary.get(eng, "K40", fy, month) is None

    owner = web["make"]("editor")
    r = post(owner, "submit", key, "OWNER-WHY", "")  # a rule's refusal: shown, nothing redrawn
    said = json.dumps(r.get_json(), ensure_ascii=False)
    assert r.status_code == 200 and "kpidetail-cm-error" in said and "ก่อนส่ง" in said
    r = post(owner, "submit", key, "OWNER-WHY", "OWNER-NEXT")
    said = json.dumps(r.get_json(), ensure_ascii=False)
    assert r.status_code == 200 and "kpidetail-cm-ok" in said and '"data-state": "submitted"' in said
    row = commentary.get(eng, "K01", fy, month)
    assert (row["status"], row["entered_by"], row["analysis"]) == ("submitted", "cm_editor", "OWNER-WHY")
    stale = post(owner, "save", key, "AGAIN", "x")  # the form's version 0 is stale now
    assert "kpidetail-cm-error" in json.dumps(stale.get_json(), ensure_ascii=False)
    done = {**key, "id": row["comment_id"], "version": row["version"]}
    assert post(web["make"]("executive"), "accept", done).status_code == 403  # not a verifier
    assert commentary.get(eng, "K01", fy, month)["status"] == "submitted"


# ---------------------------------------------------------------- the evidence pack
def test_the_evidence_pack_prints_approved_commentary_but_not_a_secret_kpis(web, tmp_path):
    from reports import evidence

    pack = evidence.collect(today=date(2026, 11, 24), fy=web["point"].fy, backup_dir=tmp_path)
    table = next(t for t in pack["sections"]["IT1"]["tables"] if t["key"] == "commentary")
    rows = {(r[0], r[2]): r for r in table["rows"]}
    now = rows[("K01", web["point"].month)]
    assert now[3] == "WHY-NOW ฝนตกหนัก" and now[4] == "NEXT-STEP" and now[5] == "boss"
    assert not any(r[0] == "K40" for r in table["rows"])
    assert any("ชั้นลับ" in n[0] and "secret" in n[1] for n in pack["sections"]["IT1"]["notes"])
    html = evidence.pack_html(pack, "th")
    assert "WHY-NOW ฝนตกหนัก" in html and "SECRET-WHY" not in html
