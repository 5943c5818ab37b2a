"""Freshness marks in a real browser: every page with tiles and charts says how recent its data
is, with an icon and a word; DOPA population (overdue as of the demo's day) says so on the
district profile, and the map's mark follows the layer without re-rendering the page."""

from __future__ import annotations

import pytest

from tests.browser.test_shell import wait_rendered

PAGES = ["/", "/kpi/K01", "/gpp", "/map", "/district/8601", "/indicators"]
ICONS = ("✓", "◔", "⚠", "○", "◷")


@pytest.mark.parametrize("path", PAGES)
def test_every_page_shows_a_freshness_mark(make_page, app_url, path):
    page, watch = make_page(1366, 900, role="executive")
    page.goto(app_url + path)
    wait_rendered(page)
    marks = page.locator("#_pages_content [data-freshness]")
    assert marks.count() >= 1, path
    first = marks.first
    assert first.is_visible(), path
    text = first.inner_text().strip()
    assert text and any(i in text for i in ICONS), (path, text)
    assert first.get_attribute("data-freshness") in ("current", "due", "overdue", "none", "as_of")
    watch.assert_clean(path)


def test_district_population_is_overdue_in_thai_and_english(make_page, app_url):
    for lang, word in (("th", "ล่าช้า"), ("en", "overdue")):
        page, _watch = make_page(390, 844, lang=lang, role="executive")
        page.goto(app_url + "/district/8601")
        wait_rendered(page)
        mark = page.locator("#district-fresh-pop")
        assert mark.get_attribute("data-freshness") == "overdue"
        text = mark.inner_text()
        assert "⚠" in text and word in text, text
        assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_map_mark_follows_the_layer(make_page, app_url):
    page, watch = make_page(1366, 1000, role="executive")
    page.goto(app_url + "/map")
    wait_rendered(page)
    page.wait_for_selector("#map-fresh [data-freshness]")
    page.select_option("#map-layer", "population")
    page.wait_for_selector("#map-fresh [data-freshness=overdue]")
    assert "ทะเบียนราษฎร์" in page.inner_text("#map-fresh")
    page.select_option("#map-layer", "kpi:K05")
    page.wait_for_selector("#map-fresh [data-freshness=current]")
    assert "ปีงบ" in page.inner_text("#map-fresh")
    watch.assert_clean("/map")
