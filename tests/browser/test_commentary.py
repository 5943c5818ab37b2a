"""A KPI's commentary end to end in a real browser, on an app of its own: the owner (an editor of
K01's unit) writes why and what next on /kpi/K01 and submits it, the verifier returns it with a
reason, the owner corrects it, the verifier accepts it, an executive approves it, and a reader
then sees it on the KPI page and on its slide (?present=1); the form passes an axe audit."""

from __future__ import annotations

import pytest

from tests.browser.conftest import PASSWORD, Watch, settle_transitions

UNIT = "กลุ่มส่งเสริมและพัฒนาการผลิต"
OWNER = "cmowner1"
WHY = "ผลต่ำกว่าแผนเพราะฝนตกหนักช่วงตรวจแปลง"
WHY2 = WHY + " ค้างตรวจ 42 แปลงในอำเภอท่าแซะ"
NEXT = "เพิ่มรอบตรวจแปลงเดือนหน้าและประสานอำเภอที่ค้าง"


def _axe_serious(page) -> list:
    from axe_playwright_python.sync_playwright import Axe

    settle_transitions(page)
    return [
        {"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in Axe().run(page).response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


@pytest.fixture(scope="module")
def owner(own_app):
    """An editor of K01's owner unit (no district: the province's figures are theirs)."""
    import ops
    from web import auth

    eng = ops.engine(f"sqlite:///{own_app.warehouse.parent.parent / 'ops.sqlite'}")
    auth.add_user(eng, OWNER, PASSWORD, "editor", unit=UNIT, by="tests")
    eng.dispose()
    return OWNER


@pytest.fixture
def as_owner(browser, own_app, owner):
    contexts = []

    def make():
        ctx = browser.new_context(viewport={"width": 1366, "height": 900}, locale="th-TH")
        contexts.append(ctx)
        page = ctx.new_page()
        page.set_default_timeout(30_000)
        page.goto(own_app.url + "/login")
        page.fill("#login-username", owner)
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


def _open(page, url, search=""):
    page.goto(f"{url}/kpi/K01{search}")
    page.locator("#kpidetail-commentary").wait_for()
    page.wait_for_load_state("networkidle")  # the charts' scripts too: a next visit aborts none


def _state(page) -> str:
    return page.locator("#kpidetail-cm-state").get_attribute("data-state")


def _do(page, name: str) -> None:
    """Click an action of the form and wait for the section it redraws."""
    page.get_by_role("button", name=name, exact=True).click()
    page.locator("#kpidetail-cm-ok, #kpidetail-cm-error").first.wait_for()


def test_owner_writes_verifier_returns_then_accepts_executive_approves_reader_sees(
    as_owner, as_role, own_app, shots_dir
):
    url = own_app.url
    page, watch = as_owner()
    _open(page, url)
    page.locator("#kpidetail-cm-none").wait_for()  # nothing approved for this period yet
    assert _state(page) == "new"
    page.fill("#kpidetail-cm-analysis", WHY)
    _do(page, "ส่งให้ผู้สอบทาน")  # without the action: refused in place, the text kept
    assert "ก่อนส่ง" in page.inner_text("#kpidetail-cm-error")
    assert page.input_value("#kpidetail-cm-analysis") == WHY
    page.fill("#kpidetail-cm-action", NEXT)
    _do(page, "ส่งให้ผู้สอบทาน")
    page.locator("#kpidetail-cm-ok").wait_for()
    page.wait_for_function("document.querySelector('#kpidetail-cm-state').dataset.state === 'submitted'")
    assert page.locator("#kpidetail-cm-analysis").get_attribute("readonly") is not None
    if shots_dir:
        page.screenshot(path=str(shots_dir / "commentary-owner.png"), full_page=True)
    assert not _axe_serious(page)
    watch.assert_clean("/kpi/K01 owner")

    checker, watch = as_role("verifier")
    _open(checker, url)
    checker.locator("#kpidetail-cm-work").wait_for()
    assert checker.input_value("#kpidetail-cm-analysis") == WHY
    checker.fill("#kpidetail-cm-reason", "ระบุจำนวนแปลงที่ค้างตรวจด้วย")
    _do(checker, "ส่งกลับ")
    checker.wait_for_function("document.querySelector('#kpidetail-cm-state').dataset.state === 'returned'")
    watch.assert_clean("/kpi/K01 verifier returns")

    _open(page, url)
    assert "ระบุจำนวนแปลงที่ค้างตรวจด้วย" in page.inner_text("#kpidetail-cm-why")
    page.fill("#kpidetail-cm-analysis", WHY2)
    _do(page, "ส่งให้ผู้สอบทาน")
    page.wait_for_function("document.querySelector('#kpidetail-cm-state').dataset.state === 'submitted'")

    _open(checker, url)
    _do(checker, "รับรอง")
    checker.wait_for_function("document.querySelector('#kpidetail-cm-state').dataset.state === 'verified'")
    assert checker.locator("#kpidetail-cm-none").is_visible()  # not for readers before approval

    boss, watch = as_role("executive")
    _open(boss, url)
    _do(boss, "อนุมัติ")
    boss.locator("#kpidetail-cm-current").wait_for()
    assert _state(boss) == "approved"
    watch.assert_clean("/kpi/K01 executive approves")

    reader, watch = as_role("viewer")
    _open(reader, url)
    current = reader.locator("#kpidetail-cm-current")
    assert WHY2 in current.inner_text() and NEXT in current.inner_text()
    assert reader.locator("#kpidetail-cm-work").count() == 0  # no form for a reader
    _open(reader, url, "?present=1")  # the slide: the commentary shows within the projected screen
    box = reader.locator("#kpidetail-cm-current").bounding_box()
    assert box is not None and box["y"] < 900 and WHY2 in reader.inner_text("#kpidetail-cm-current")
    if shots_dir:
        reader.screenshot(path=str(shots_dir / "commentary-slide.png"))
    watch.assert_clean("/kpi/K01 reader")
