"""/meeting/directives in a real browser, on an app of its own (the tests write directives): an
executive issues a directive from a KPI during a meeting (a due date typed in Thai), it shows on the
KPI's page and on the unit's list; the unit's editor answers it; the executive closes it; the
follow-up slide (?open=1) no longer lists it and its history reads issued → answered → closed.
A viewer reads the list without any action."""

from __future__ import annotations

from datetime import date

import pytest

from tests.browser.conftest import PASSWORD, Watch, settle_transitions

UNIT = "กลุ่มส่งเสริมและพัฒนาการผลิต"  # K05's owner unit in the demo catalogue
UNIT_EDITOR = "unit_editor1"


def _eng(own_app):
    import ops

    return ops.engine(f"sqlite:///{own_app.warehouse.parent.parent / 'ops.sqlite'}")


@pytest.fixture(scope="module")
def unit_editor(own_app):
    """An editor of K05's owner unit, in the app's own ops store."""
    from web import auth

    eng = _eng(own_app)
    auth.add_user(eng, UNIT_EDITOR, PASSWORD, "editor", unit=UNIT, by="tests")
    eng.dispose()
    return UNIT_EDITOR


@pytest.fixture
def as_user(browser, own_app):
    """``as_user(name)`` -> (page, watch) signed in through the login form as that account."""
    contexts = []

    def make(name: str, width: int = 1366):
        ctx = browser.new_context(viewport={"width": width, "height": 900}, locale="th-TH")
        contexts.append(ctx)
        page = ctx.new_page()
        page.set_default_timeout(30_000)
        page.goto(own_app.url + "/login")
        page.fill("#login-username", name)
        page.fill("#login-password", PASSWORD)
        page.click("#login-submit")
        page.wait_for_url(lambda u: "/login" not in u)
        page.goto("about:blank")
        watch = Watch()
        watch.attach(page)
        return page, watch

    yield make
    for ctx in contexts:
        ctx.close()


def _list(page):
    page.locator("#directives-table, #directives-none").first.wait_for()


def _row(page, did):
    return page.locator(f'#directives-table tr[data-directive="{did}"]')


def _ids_with(own_app, text):
    from ops import meeting

    got = meeting.directives(_eng(own_app))
    return [int(i) for i in got.loc[got["text"] == text, "directive_id"]]


def test_issue_answer_close_follow_up(as_role, as_user, unit_editor, own_app):
    url = own_app.url
    text = "เร่งรัดคัดแยกทุเรียนคุณภาพส่งออกให้ได้ตามแผนเดือนธันวาคม"
    late = "ส่งรายงานผลผลิตเดือนตุลาคมที่ค้างอยู่"

    # ---- the executive, from the KPI in the meeting
    boss, watch = as_role("executive")
    boss.goto(f"{url}/meeting/directives?kpi=K05&fy=2570")
    boss.locator("#directives-form").wait_for()
    assert boss.locator("#directives-title").inner_text() == "ข้อสั่งการ"
    assert boss.locator("#directives-new-kpi").input_value() == "K05"
    assert boss.locator("#directives-new-fy").input_value() == "2570"
    assert boss.locator("#directives-new-unit").input_value() == UNIT  # the KPI's owner unit
    boss.select_option("#directives-new-month", "12")
    boss.fill("#directives-new-text", text)
    boss.fill("#directives-new-due", "31 ก.พ. 2570")  # no such day
    boss.click("#directives-issue")
    boss.locator("#directives-issue-error").wait_for()
    assert boss.locator("#directives-new-due-err").inner_text().startswith("วันที่ไม่ถูกต้อง")
    assert _ids_with(own_app, text) == []
    boss.fill("#directives-new-due", "30 ธ.ค. 2569")
    boss.click("#directives-issue")
    boss.locator("#directives-issue-ok").wait_for()
    assert boss.locator("#directives-new-due-err").inner_text() == ""
    assert boss.locator("#directives-new-text").input_value() == ""  # ready for the next one
    (did,) = _ids_with(own_app, text)
    row = _row(boss, did)
    row.wait_for()
    assert row.get_attribute("data-status") == "open"
    cells = row.inner_text()
    for want in ("K05", text, UNIT, "30 ธ.ค. 2569", "ธันวาคม ปีงบประมาณ 2570", "เปิด"):
        assert want in cells, want
    assert row.get_attribute("data-overdue") == "no" and "เกินกำหนด" not in cells
    assert row.locator("a", has_text="K05").get_attribute("href").startswith("/kpi/K05")

    # a second one, already past its due date on the demo's day (24 Nov 2026): marked overdue
    boss.fill("#directives-new-text", late)
    boss.fill("#directives-new-due", "2026-11-01")
    boss.click("#directives-issue")
    boss.locator("#directives-issue-ok", has_text="1 พ.ย. 2569").wait_for()
    (late_id,) = _ids_with(own_app, late)
    _row(boss, late_id).wait_for()
    assert _row(boss, late_id).get_attribute("data-overdue") == "yes"
    assert "⚠ เกินกำหนด" in _row(boss, late_id).locator('[data-overdue="yes"] >> nth=0').inner_text()
    watch.assert_clean("/meeting/directives executive issues")

    # ---- the KPI's page lists it, with links to answer and to issue another
    boss.goto(f"{url}/kpi/K05")
    section = boss.locator("#kpidetail-directives")
    section.wait_for()
    krow = section.locator(f'tr[data-directive="{did}"]')
    assert krow.get_attribute("data-status") == "open"
    assert text in krow.inner_text() and "เปิด" in krow.inner_text() and "30 ธ.ค. 2569" in krow.inner_text()
    # not closed first: both are open, the earlier due date first
    order = section.locator("tr[data-directive]").evaluate_all("rs => rs.map(r => r.dataset.directive)")
    assert order == [str(late_id), str(did)]
    assert boss.locator("#kpidetail-directives-link").get_attribute("href") == "/meeting/directives?kpi=K05"
    assert boss.locator("#kpidetail-directives-issue").get_attribute("href") == "/meeting/directives?kpi=K05&fy=2570"
    watch.assert_clean("/kpi/K05 executive")

    # ---- the unit's editor: their list opens on their unit, and they answer
    ed, ed_watch = as_user(unit_editor)
    ed.goto(f"{url}/meeting/directives")
    _list(ed)
    assert ed.locator("#directives-unit").input_value() == UNIT
    assert ed.locator("#directives-form").is_hidden()  # editors do not issue
    erow = _row(ed, did)
    assert erow.locator("button", has_text="ปิดข้อสั่งการ").count() == 0  # nor close
    erow.locator("input").fill("คัดแยกแล้ว 3 อำเภอ ครบตามแผน")
    erow.get_by_role("button", name="บันทึกคำตอบ").click()
    ed.locator("#directives-act-ok").wait_for()
    ed.locator(f'#directives-table tr[data-directive="{did}"][data-status="answered"]').wait_for()
    assert "ตอบแล้ว" in _row(ed, did).inner_text()
    assert "คัดแยกแล้ว 3 อำเภอ ครบตามแผน" in _row(ed, did).inner_text()
    ed_watch.assert_clean("/meeting/directives unit editor")

    # ---- the executive closes it with the unit's answer
    boss.goto(f"{url}/meeting/directives?kpi=K05")
    _list(boss)
    brow = _row(boss, did)
    assert brow.get_attribute("data-status") == "answered"
    brow.get_by_role("button", name="ปิดข้อสั่งการ").click()
    boss.locator("#directives-act-ok").wait_for()
    _row(boss, did).wait_for(state="detached")  # the list shows the not closed
    boss.select_option("#directives-status", "all")
    boss.locator(f'#directives-table tr[data-directive="{did}"][data-status="closed"]').wait_for()
    closed = _row(boss, did)
    assert "ปิดแล้ว" in closed.inner_text()
    closed.locator("summary").click()
    steps = closed.locator("li[data-action]")
    assert steps.evaluate_all("ls => ls.map(l => l.dataset.action)") == ["issued", "answered", "closed"]
    assert UNIT_EDITOR in steps.nth(1).inner_text() and "exec1" in steps.nth(2).inner_text()
    assert closed.get_by_role("button", name="เปิดใหม่").count() == 1  # closed: only reopen
    watch.assert_clean("/meeting/directives executive closes")

    # ---- the next meeting's follow-up slide: every unit, only what is not closed
    boss.goto(f"{url}/meeting/directives?open=1")
    _list(boss)
    assert boss.locator("#directives-title").inner_text() == "ข้อสั่งการที่ยังไม่ปิด"
    assert boss.locator("#directives-filters").is_hidden() and boss.locator("#directives-form").is_hidden()
    _row(boss, late_id).wait_for()
    assert _row(boss, did).count() == 0
    statuses = boss.locator("#directives-table tr[data-directive]").evaluate_all("rs => rs.map(r => r.dataset.status)")
    assert statuses and "closed" not in statuses
    watch.assert_clean("/meeting/directives?open=1")

    # and on the KPI's page the closed one comes after the open one
    boss.goto(f"{url}/kpi/K05")
    boss.locator("#kpidetail-directives-table").wait_for()
    order = boss.locator("#kpidetail-directives tr[data-directive]").evaluate_all(
        "rs => rs.map(r => [r.dataset.directive, r.dataset.status])"
    )
    assert order == [[str(late_id), "open"], [str(did), "closed"]]
    watch.assert_clean("/kpi/K05 after closing")


def test_viewer_reads_without_actions(as_role, own_app):
    from ops import meeting

    eng = _eng(own_app)
    text = "ทบทวนแผนการผลิตลองกองก่อนฤดูกาล"
    did = meeting.issue(eng, meeting.Actor("exec1", "executive"), "K05", 2570, None, text, UNIT, date(2027, 1, 31))
    eng.dispose()
    page, watch = as_role("viewer")
    page.goto(f"{own_app.url}/meeting/directives")
    _list(page)
    row = _row(page, did)
    row.wait_for()
    assert text in row.inner_text() and "ปีงบประมาณ 2570" in row.inner_text()
    assert page.locator("#directives-form").is_hidden()
    assert page.locator("#directives-table button").count() == 0
    assert page.locator("#directives-table input").count() == 0
    page.goto(f"{own_app.url}/kpi/K05")
    page.locator(f'#kpidetail-directives tr[data-directive="{did}"]').wait_for()
    assert page.locator("#kpidetail-directives-link").is_visible()
    assert page.locator("#kpidetail-directives-issue").count() == 0  # only executives issue
    watch.assert_clean("/meeting/directives viewer")


@pytest.mark.parametrize("lang", ["th", "en"])
def test_list_with_actions_is_accessible_and_fits_a_phone(as_role, own_app, lang):
    """The shell test audits an empty list; this one has rows, every action's input and button,
    an overdue mark and an open history, at 390 px."""
    from axe_playwright_python.sync_playwright import Axe

    from ops import meeting

    eng = _eng(own_app)
    boss = meeting.Actor("exec1", "executive")
    a = meeting.issue(eng, boss, "K11", 2570, 11, "ตรวจแปลงที่พบหนอนหัวดำทุกอำเภอ", "กลุ่มอารักขาพืช", date(2026, 11, 10))
    b = meeting.issue(eng, boss, "K05", 2570, None, "รายงานแผนการตลาดทุเรียน", UNIT, date(2027, 2, 28))
    meeting.answer(eng, boss, b, 1, "ส่งแผนแล้ว")
    c = meeting.issue(eng, boss, "K05", 2570, 1, "ปิดไว้ให้เห็นปุ่มเปิดใหม่", UNIT, date(2027, 1, 31))
    meeting.close(eng, boss, c, 1, "เสร็จ")
    eng.dispose()
    page, watch = as_role("executive", width=390)
    page.context.add_cookies([{"name": "sanyan_lang", "value": lang, "url": own_app.url}])
    page.goto(f"{own_app.url}/meeting/directives?kpi=K05&fy=2570")
    page.select_option("#directives-status", "all")
    for did in (b, c):
        _row(page, did).wait_for()
    assert _row(page, a).count() == 0  # filtered to K05
    page.select_option("#directives-kpi", "*")
    _row(page, a).wait_for()
    assert _row(page, a).get_attribute("data-overdue") == "yes"
    assert ("Overdue" if lang == "en" else "เกินกำหนด") in _row(page, a).inner_text()
    assert _row(page, c).get_by_role("button").count() == 1  # closed: reopen only
    _row(page, b).locator("summary").click()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    settle_transitions(page)
    results = Axe().run(page)
    bad = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]
    assert not bad, bad
    watch.assert_clean(f"/meeting/directives 390 px {lang}")
