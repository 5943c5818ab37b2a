"""/inbox and a KPI's own page in a real browser, on a phone: a reader follows a KPI on its page
(the page says so in words, and still does after a reload), goes to the inbox's settings from
there and finds it listed as followed, mutes it with the inbox's controls, undoes the choice, and
the KPI page says the role's defaults again; without an e-mail address there is no e-mail switch,
only words saying so and who adds one; the bells are drawn shapes, not emoji; the pages fit
390 px and pass an axe audit."""

from __future__ import annotations

from tests.browser.test_admin import _axe_serious
from tests.browser.test_shell import wait_rendered


def test_a_reader_follows_and_mutes_a_kpi_on_a_phone(make_page, app_url):
    page, watch = make_page(390, 844, role="viewer")
    page.goto(app_url + "/kpi/K05")
    wait_rendered(page)
    state = page.locator("#kpidetail-follow-state")
    assert state.get_attribute("data-mode") == "none" and "ยังไม่ได้ติดตาม" in state.inner_text()
    assert page.locator('#kpidetail-follow [data-icon="bell"]').count() == 1  # a drawn bell, no emoji
    assert page.locator('#shell-inbox [data-icon="bell"]').count() == 1
    bell = page.locator('#kpidetail-follow [data-icon="bell"]')
    box = bell.bounding_box()
    assert box and box["width"] >= 10 and box["height"] >= 10  # drawn, at the text's size
    assert "svg" in bell.evaluate("e => getComputedStyle(e).webkitMaskImage || getComputedStyle(e).maskImage")
    page.click('#kpidetail-follow button[data-action="follow"]')  # follows here, no detour
    page.locator('#kpidetail-follow-state[data-mode="follow"]').wait_for()
    assert "ติดตามอยู่ ✓" in page.inner_text("#kpidetail-follow-state")
    assert page.locator('#kpidetail-follow button[data-action="unfollow"]').is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not _axe_serious(page)
    page.reload()
    page.locator('#kpidetail-follow-state[data-mode="follow"]').wait_for()  # stored, not only drawn

    page.click("#kpidetail-follow-settings")  # all the settings, with this KPI chosen
    page.wait_for_url("**/inbox?follow=K05")
    page.locator("#inbox-settings").wait_for()
    page.locator('#inbox-chosen li[data-kpi="K05"][data-mode="follow"]').wait_for()
    assert page.eval_on_selector("#inbox-kpi", "e => e.value") == "K05"
    assert page.locator("#inbox-send-email").count() == 0  # no address stored: no e-mail switch at all
    said = page.inner_text("#inbox-email")
    assert "ยังไม่มีอีเมล" in said and "ผู้ดูแลระบบ" in said
    page.click("#inbox-mute")
    page.locator('#inbox-chosen li[data-kpi="K05"][data-mode="mute"]').wait_for()
    page.click("#inbox-follow")
    page.locator('#inbox-chosen li[data-kpi="K05"][data-mode="follow"]').wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not _axe_serious(page)
    page.locator('#inbox-chosen li[data-kpi="K05"] button').click()  # undo: the role's defaults again
    page.locator("#inbox-none-chosen").wait_for()
    watch.assert_clean("/inbox")
    page.goto(app_url + "/kpi/K05")  # and the KPI page says so
    page.locator('#kpidetail-follow-state[data-mode="none"]').wait_for()
    page.click('#kpidetail-follow button[data-action="mute"]')
    page.locator('#kpidetail-follow-state[data-mode="mute"]').wait_for()
    assert "ปิดแจ้งเตือน" in page.inner_text("#kpidetail-follow-state")
    page.click('#kpidetail-follow button[data-action="unmute"]')
    page.locator('#kpidetail-follow-state[data-mode="none"]').wait_for()
    watch.assert_clean("/kpi/K05")
