"""Freshness marks in a real browser: every page with tiles and charts says how recent its data
is, with an icon and a word; DOPA population (overdue as of the demo's day) says so on the
district profile, and the map's mark follows the layer without re-rendering the page. The
overview's tiles say the round the header shows (docs/RULES.md section 7), with the round's
reports late and, on 7 December 2026, the November reports awaited; NESDC's GPP is current."""

from __future__ import annotations

from datetime import date

import pytest

from tests.browser.conftest import _need_browser, pages_for, start_app
from tests.browser.test_shell import wait_rendered
from tests.conftest import make_data_dir

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


@pytest.mark.parametrize(
    "lang, words",
    [
        ("th", ("ข้อมูลรอบ ต.ค. ปีงบ 2570", "◆ รายงานล่าช้า 1", "ค้างส่ง 1 งวด")),
        ("en", ("Round Oct FY 2570", "◆ 1 report late", "1 period late")),
    ],
)
def test_overview_tiles_say_the_round_the_header_shows(make_page, app_url, lang, words):
    """24 Nov 2026: the header shows FY 2570 through October; the score and status tiles say the
    same round, never September 2569 (the quarterly KPIs' period, current at this round); the
    status tile counts October's one late report (K32 in 8606) with an icon and a word."""
    page, watch = make_page(1366, 900, lang=lang, role="executive")
    page.goto(app_url + "/")
    wait_rendered(page)
    assert ("October 2569" if lang == "en" else "ตุลาคม 2569") in page.inner_text("#home-point")
    counts = page.locator("#home-fresh-counts")
    text = counts.inner_text()
    assert all(w in text for w in words), text
    assert "2569" not in text and counts.get_attribute("data-freshness") == "due"
    assert page.locator("#home-fresh-counts [data-reports-late='1']").is_visible()
    agreement = page.inner_text("#home-fresh-agreement")
    assert words[0] in agreement and "2569" not in agreement, agreement
    watch.assert_clean("/")


@pytest.fixture(scope="module")
def december_app(tmp_path_factory):
    """The app on the demo data built as of 7 December 2026: November has ended, nobody's
    November report is due (15 December): the round is October, 164 reports awaited."""
    _need_browser()
    from etl.build import build

    base = tmp_path_factory.mktemp("fresh_dec7")
    data = make_data_dir(base / "data")
    wh = build(
        data_dir=data,
        warehouse=data / "warehouse" / "eis.duckdb",
        ops_url=f"sqlite:///{base / 'ops.sqlite'}",
        as_of=date(2026, 12, 7),
    ).warehouse
    (base / "app").mkdir()
    yield from start_app(wh, base / "app")


@pytest.fixture
def december_page(browser, december_app):
    make, contexts = pages_for(browser, december_app.url)
    yield make
    for ctx in contexts:
        ctx.close()


def test_on_7_december_the_tiles_count_the_reports_awaited_and_gpp_is_current(december_page, december_app):
    for lang, round_, awaited, current in (
        ("th", "ข้อมูลรอบ ต.ค. ปีงบ 2570", "◐ รอรายงาน 164", "✓ เป็นปัจจุบัน"),
        ("en", "Round Oct FY 2570", "◐ 164 reports awaited", "✓ current"),
    ):
        page, watch = december_page(390, 844, lang=lang, role="executive")
        page.goto(december_app.url + "/")
        wait_rendered(page)
        text = page.inner_text("#home-fresh-counts")
        assert round_ in text and awaited in text and "2569" not in text, text
        assert page.locator("#home-fresh-counts [data-reports-awaited='164']").count() == 1
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # the longer mark wraps
        # NESDC's GPP: 2566 is its latest (revised) release until the next edition, due by 31 March 2027
        page.goto(december_app.url + "/gpp")
        wait_rendered(page)
        mark = page.locator("#gpp-fresh")
        assert mark.get_attribute("data-freshness") == "current", mark.inner_text()
        assert "2566" in mark.inner_text() and current in mark.inner_text()
        assert "2570" in (mark.get_attribute("title") or "")  # B.E. in English too (docs/RULES.md section 9)
        watch.assert_clean("/gpp")
