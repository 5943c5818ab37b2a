"""/inbox's LINE box in a real browser on a phone: a viewer types their LINE user id, gets the code
pushed to the (local) Messaging API, types it back and sees LINE linked; the page fits 390 px and
passes an axe audit."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import pages_for, start_app
from tests.browser.test_admin import _axe_serious
from tests.browser.test_shell import wait_rendered
from tests.test_line import ED_LINE, line_api  # noqa: F401  (line_api: a fixture)


@pytest.fixture
def line_app(built_warehouse, tmp_path_factory, line_api, monkeypatch):  # noqa: F811
    import os

    for k in ("SANYAN_LINE_TOKEN_FILE", "SANYAN_LINE_API", "SANYAN_LINE_GROUPS_FILE", "SANYAN_PUBLIC_URL"):
        assert os.environ.get(k)  # set by line_api for the app's process too
    monkeypatch.delenv("SANYAN_SECRET_KEY")  # the app sets its own
    yield from start_app(built_warehouse, tmp_path_factory.mktemp("inbox_line"))


def test_a_reader_links_line_on_a_phone(browser, line_app, line_api):  # noqa: F811
    make, contexts = pages_for(browser, line_app.url)
    try:
        page, watch = make(390, 844, role="viewer")
        page.goto(line_app.url + "/inbox")
        wait_rendered(page)
        page.locator('#inbox-line-box [data-linked="no"]').wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert not _axe_serious(page)
        page.fill("#inbox-line-id", "U123")
        page.click("#inbox-line-send")
        page.locator("#inbox-line-msg .alert-danger").wait_for()
        page.fill("#inbox-line-id", ED_LINE)
        page.click("#inbox-line-send")
        page.locator("#inbox-line-msg .alert-success").wait_for()
        code = re.search(r"\b(\d{6})\b", line_api.texts(ED_LINE)[-1]).group(1)
        page.fill("#inbox-line-code", code)
        page.click("#inbox-line-confirm")
        page.locator('#inbox-line-box [data-linked="yes"]').wait_for()
        assert "เชื่อม LINE เรียบร้อยแล้ว" in page.inner_text("#inbox-line-box")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert not _axe_serious(page)
        page.click("#inbox-line-unlink")
        page.locator('#inbox-line-box [data-linked="no"]').wait_for()
        watch.assert_clean("/inbox")
    finally:
        for ctx in contexts:
            ctx.close()
