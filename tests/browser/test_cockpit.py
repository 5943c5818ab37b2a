"""The cockpit in a real browser: from the overview down to a red KPI and back, filters kept in
the URL, deep links restored on reload."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from tests.browser.test_shell import wait_rendered


def query(url: str) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def test_overview_to_red_kpi_and_back(make_page, app_url):
    page, watch = make_page(1366, 900)
    page.goto(app_url + "/?fy=2569&round=12")
    wait_rendered(page)
    assert "2569" in page.inner_text("#home-point") and "12" in page.inner_text("#home-point")
    red = page.locator("#home-red-list li")
    assert red.count() >= 1
    first = red.first
    assert first.locator("[data-status=red]").count() == 1 and "ต่ำกว่าเกณฑ์" in first.inner_text()
    code = first.get_attribute("data-kpi")
    first.locator("a").click()
    page.wait_for_url(re.compile(rf"/kpi/{re.escape(code)}\?"))
    page.wait_for_selector("#kpidetail-districts tbody tr")
    assert query(page.url) == {"fy": "2569", "round": "12"}
    assert page.locator("#kpidetail-title").inner_text().startswith(code)
    assert page.locator("#kpidetail-districts tbody tr").count() == 8  # Chumphon's districts
    assert page.locator("#kpidetail-status [data-status], #kpidetail-status[data-status]").count() >= 1
    page.wait_for_selector("#kpidetail-years .main-svg")  # the chart drew (plotly, local)
    page.go_back()
    page.wait_for_selector("#home-red-list")
    assert query(page.url) == {"fy": "2569", "round": "12"}
    assert "2569" in page.inner_text("#home-point")
    assert not watch.console_errors and not watch.page_errors and not watch.foreign, watch


def test_kpi_filters_live_in_the_url(make_page, app_url):
    page, watch = make_page(1366, 900)
    page.goto(app_url + "/kpi?fy=2569&round=9")
    wait_rendered(page)
    total = page.locator("#kpi-tree li.sy-tree-kpi").count()
    page.select_option("#kpi-filter-tier", "1")
    page.wait_for_url(re.compile(r"tier=1"))
    page.wait_for_function(f"document.querySelectorAll('#kpi-tree li.sy-tree-kpi').length < {total}")
    assert query(page.url) == {"fy": "2569", "round": "9", "tier": "1"}
    shown = page.locator("#kpi-tree li.sy-tree-kpi")
    assert 0 < shown.count() < total
    link = page.locator("#kpi-tree li.sy-tree-kpi a").first
    code = link.inner_text().split()[0]
    link.click()
    page.wait_for_selector("#kpidetail-title")
    assert urlsplit(page.url).path == f"/kpi/{code}"
    page.go_back()
    page.wait_for_selector("#kpi-tree")
    assert query(page.url) == {"fy": "2569", "round": "9", "tier": "1"}
    assert page.input_value("#kpi-filter-tier") == "1" and page.input_value("#kpi-filter-round") == "9"
    assert page.locator("#kpi-tree li.sy-tree-kpi").count() == shown.count()
    # a deep link reloads into the same view
    page.reload()
    wait_rendered(page)
    assert page.input_value("#kpi-filter-tier") == "1" and page.input_value("#kpi-filter-fy") == "2569"
    assert not watch.console_errors and not watch.page_errors and not watch.foreign, watch


def test_kpi_deep_link_and_unknown_code(make_page, app_url):
    page, _watch = make_page(390, 844)
    page.goto(app_url + "/kpi/K05?fy=2568&round=6")
    wait_rendered(page)
    point = page.inner_text("#kpidetail-point")
    assert "2568" in point and "6" in point
    assert page.locator("#kpidetail-criteria [data-level]").count() == 5
    page.goto(app_url + "/kpi/NO-SUCH-KPI")
    wait_rendered(page)
    assert page.locator("#kpidetail-notfound-title").is_visible()


def test_projects_red_first(make_page, app_url):
    page, _watch = make_page(1366, 900)
    page.goto(app_url + "/projects")
    wait_rendered(page)
    order = {"red": 0, "yellow": 1, "green": 2, "no_data": 3}
    statuses = [
        order[s]
        for s in page.eval_on_selector_all("#projects-table tbody tr", "rows => rows.map(r => r.dataset.status)")
    ]
    assert len(statuses) >= 20 and statuses == sorted(statuses)
    assert page.locator("#projects-table tbody tr").first.locator("[data-status]").count() == 1


def test_public_visitor_is_sent_to_sign_in_and_an_editor_cannot_open_admin(make_page, app_url):
    page, _watch = make_page(1366, 900, role=None)
    page.goto(app_url + "/kpi")
    page.wait_for_selector("#login-form")
    assert "/login" in page.url
    page.goto(app_url + "/gpp")  # public data needs no sign-in
    wait_rendered(page)
    assert page.locator("#shell-login").count() == 1
    assert page.locator("a.sy-navlink[href='/kpi']").count() == 0  # internal pages are not offered
    editor, _ = make_page(1366, 900, role="editor")
    response = editor.goto(app_url + "/admin")
    assert response.status == 403
