"""Charts below the fold drawn when scrolled to (issue 29, components/lazychart.py and
assets/sanyan-lazy.js), on /gpp at a laptop's 1366×768: the first chart is drawn at once, one far
below waits behind its placeholder (the box keeps the chart's height) until it comes near the
screen; printing draws every chart; nothing is fetched from another host, no console error."""

from __future__ import annotations

import pytest

from tests.browser.test_shell import wait_rendered

DRAWN = "(id) => !!document.querySelector('#' + id + ' .js-plotly-plot .main-svg')"


def _drawn(page, id_: str) -> bool:
    return page.evaluate(DRAWN, id_)


def test_gpp_draws_the_charts_below_the_fold_when_scrolled_to(make_page, app_url):
    page, watch = make_page(1366, 768)
    page.goto(app_url + "/gpp")
    wait_rendered(page)
    page.wait_for_function(DRAWN, arg="gpp-levels")  # the first chart: at once, as before
    far = page.locator("[data-sy-lazy='gpp-map']")
    box = far.bounding_box()
    assert box["y"] > 2 * 768, box  # far below the fold
    page.wait_for_timeout(500)  # time enough to draw it, were it drawn at once
    assert not _drawn(page, "gpp-map") and page.locator("#gpp-map").count() == 0
    placeholder = far.locator(".sy-lazy-placeholder")
    assert placeholder.inner_text() == "กำลังวาดแผนภูมิ…" and placeholder.get_attribute("role") == "status"
    assert box["height"] > 300, box  # the chart's own height kept before it is drawn: no layout shift
    height = box["height"]
    # its text alternative (the caption for screen readers) is there before it is drawn
    assert page.locator("figure:has([data-sy-lazy='gpp-map']) figcaption").count() == 1
    far.scroll_into_view_if_needed()
    page.wait_for_function(DRAWN, arg="gpp-map")
    assert far.locator(".sy-lazy-placeholder").count() == 0
    assert abs(far.bounding_box()["height"] - height) < 1  # drawn in the box it kept
    # another province: the page drawn anew (React may keep the boxes) waits again, draws when near
    page.select_option("#gpp-province", "10")
    page.wait_for_selector("#gpp-page[data-view^='10:']")
    far = page.locator("[data-sy-lazy='gpp-map']")
    far.scroll_into_view_if_needed()
    page.wait_for_function(DRAWN, arg="gpp-map")
    assert far.locator(".sy-lazy-placeholder").count() == 0
    watch.assert_clean("/gpp scrolled")


def test_gpp_in_english_and_printed_draws_every_chart(make_page, app_url):
    page, watch = make_page(1366, 768, lang="en")
    page.goto(app_url + "/gpp")
    wait_rendered(page)
    page.wait_for_function(DRAWN, arg="gpp-levels")
    assert page.locator("[data-sy-lazy='gpp-peers'] .sy-lazy-placeholder").inner_text() == "Drawing the chart…"
    lazy = page.eval_on_selector_all("[data-sy-lazy]", "bs => bs.map(b => b.dataset.syLazy)")
    assert {"gpp-structure", "gpp-contribution", "gpp-peers", "gpp-map"} <= set(lazy)
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")  # what window.print() fires first
    for id_ in lazy:
        page.wait_for_function(DRAWN, arg=id_)
    assert page.locator(".sy-lazy-placeholder").count() == 0
    watch.assert_clean("/gpp printed")


@pytest.mark.parametrize("how", ["print", "present"])
def test_gpp_printed_or_presented_draws_every_chart_at_once(make_page, app_url, how):
    """The PDF export (web/exports.py) opens the page with print media emulated; a meeting shows
    it as a slide (?present=1, assets/sanyan-present.js)."""
    page, watch = make_page(1366, 768)
    if how == "print":
        page.emulate_media(media="print")
    page.goto(app_url + ("/gpp?present=1" if how == "present" else "/gpp"))
    wait_rendered(page)
    for id_ in ("gpp-levels", "gpp-growth", "gpp-structure", "gpp-contribution", "gpp-peers", "gpp-map"):
        page.wait_for_function(DRAWN, arg=id_)
    watch.assert_clean(f"/gpp {how}")


def test_gpp_draws_the_charts_never_scrolled_to_once_quiet(make_page, app_url):
    """A reader who never scrolls (and prints with Ctrl+P later: beforeprint comes too late for
    Plotly to finish) still has every chart: those never near the screen are drawn once the page
    has been quiet for a few seconds, in the browser's idle moments."""
    page, watch = make_page(1366, 768)
    page.goto(app_url + "/gpp")
    wait_rendered(page)
    page.wait_for_timeout(500)
    assert not _drawn(page, "gpp-map")  # not at once
    for id_ in ("gpp-structure", "gpp-contribution", "gpp-peers", "gpp-map"):
        page.wait_for_function(DRAWN, arg=id_, timeout=20_000)
    assert page.evaluate("window.scrollY") == 0  # nobody scrolled
    watch.assert_clean("/gpp quiet")
