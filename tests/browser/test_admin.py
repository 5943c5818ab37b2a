"""/admin in a real browser: an admin adds an account with the form (on a phone-sized screen),
the new account signs in through the login form, reads /kpi and is refused /admin."""

from __future__ import annotations

from tests.browser.conftest import PASSWORD, settle_transitions
from tests.browser.test_shell import wait_rendered

NEW, NEW_PASSWORD = "newviewer1", "a new viewer's secret"


def _axe_serious(page) -> list:
    from axe_playwright_python.sync_playwright import Axe

    settle_transitions(page)
    return [
        {"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in Axe().run(page).response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


def test_admin_adds_a_user_who_then_signs_in(make_page, app_url, forget_sign_in):
    page, watch = make_page(390, 844)
    page.goto(app_url + "/admin")
    wait_rendered(page)
    page.get_by_label("ชื่อผู้ใช้", exact=True).fill(NEW)
    page.select_option("#admin-add-role", "viewer")
    page.get_by_label("รหัสผ่านเริ่มต้น (อย่างน้อย 10 ตัวอักษร)").fill(NEW_PASSWORD)
    page.click("#admin-add-submit")
    page.wait_for_selector("#admin-add-msg .alert-success")
    assert NEW in page.inner_text("#admin-users")
    page.select_option("#admin-edit-user", NEW)  # the edit form fills in the account
    page.wait_for_function("document.querySelector('#admin-edit-role').value === 'viewer'")

    page.fill("#admin-add-username", NEW)  # the same name again: refused in place
    page.fill("#admin-add-password", PASSWORD)
    page.click("#admin-add-submit")
    alert = page.locator('#admin-add-msg [role="alert"]')
    alert.wait_for()
    assert f"มีชื่อผู้ใช้ {NEW} อยู่แล้ว" in alert.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not _axe_serious(page)
    watch.assert_clean("/admin")

    page.click("#shell-navbar-toggler")  # the phone's menu, then its sign-out button:
    page.locator("#shell-navbar-collapse.show").wait_for()  # opened, not still unfolding
    with page.expect_navigation(url="**/login"):
        page.click("#shell-logout")  # a POST with the session's CSRF token
    forget_sign_in(app_url, "admin")  # that session has ended on the server
    page.fill("#login-username", NEW)
    page.fill("#login-password", NEW_PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(lambda u: "/login" not in u)
    assert page.goto(app_url + "/admin").status == 403
    page.goto(app_url + "/kpi")
    wait_rendered(page)
    assert page.locator("#kpi-title").is_visible()
