"""/inbox in a real browser, on a phone: a reader arrives from a KPI's "follow" link with that KPI
chosen, follows it, sees it listed as followed, mutes it, undoes the choice; without an e-mail
address the e-mail switch is off and says why; the page fits 390 px and passes an axe audit."""

from __future__ import annotations

from tests.browser.test_admin import _axe_serious
from tests.browser.test_shell import wait_rendered


def test_a_reader_follows_and_mutes_a_kpi_on_a_phone(make_page, app_url):
    page, watch = make_page(390, 844, role="viewer")
    page.goto(app_url + "/kpi/K05")
    wait_rendered(page)
    page.click("#kpidetail-follow")  # the KPI page's own way to its warnings
    page.wait_for_url("**/inbox?follow=K05")
    page.locator("#inbox-settings").wait_for()
    assert page.eval_on_selector("#inbox-kpi", "e => e.value") == "K05"
    assert page.locator("#inbox-send-email").is_disabled()  # no address stored: the inbox only
    assert "ยังไม่มีอีเมล" in page.inner_text("#inbox-email")
    page.click("#inbox-follow")
    page.locator('#inbox-chosen li[data-kpi="K05"][data-mode="follow"]').wait_for()
    assert "ติดตาม" in page.inner_text("#inbox-chosen")
    page.click("#inbox-mute")
    page.locator('#inbox-chosen li[data-kpi="K05"][data-mode="mute"]').wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not _axe_serious(page)
    page.locator('#inbox-chosen li[data-kpi="K05"] button').click()  # undo: the role's defaults again
    page.locator("#inbox-none-chosen").wait_for()
    watch.assert_clean("/inbox")
    page.goto(app_url + "/kpi/K05")  # and the KPI page says so once followed
    page.locator("#kpidetail-follow").wait_for()
    assert "ติดตามตัวชี้วัดนี้" in page.inner_text("#kpidetail-follow")
