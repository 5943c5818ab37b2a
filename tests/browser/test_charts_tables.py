"""Charts that never collide, tables that scroll inside their card (issue 26), in a real browser at
a laptop's 1366×768 and a phone's 390×844.

* No legend entry of any chart lies on a title (the chart's, or an axis's): a tester found /gpp's
  "ปี พ.ศ." on the legend. Every figure starts from the one chart base (components/charts.py).
* Every table of /gpp lies in its card (.sy-card): its scroll container ends inside the card, at
  1366 px every column shows without scrolling (the source column was hidden), and no page
  scrolls sideways. The other pages with wide tables: none runs past the page.
"""

from __future__ import annotations

import pytest

from tests.browser.boxes import chart_boxes, collisions, page_width, table_boxes
from tests.browser.test_shell import wait_rendered

SIZES = [(1366, 768), (390, 844)]
# every page that draws charts, /gpp in its views: the default (NESDC's sector table), a range
# reaching the 2024 edition (totals only), a short range (every year a tick)
CHART_PAGES = [
    "/gpp",
    "/gpp?province=10&from=2538&to=2566",
    "/gpp?province=86&from=2562&to=2563",
    "/district/8601",
    "/quality",
    "/open/indicators",
    "/map",
]
GPP_VIEWS = ["/gpp", "/gpp?province=10&from=2538&to=2566"]
OTHER_TABLE_PAGES = ["/indicators", "/district/8601", "/quality", "/projects", "/about-data"]
EDGE = 0.5  # sub-pixel rounding


def _open(page, url: str) -> None:
    page.goto(url)
    wait_rendered(page)


@pytest.mark.parametrize("width,height", SIZES)
def test_no_legend_entry_sits_on_a_title_on_any_chart_page(make_page, app_url, width, height):
    page, watch = make_page(width, height)
    for path in CHART_PAGES:
        _open(page, app_url + path)
        charts = chart_boxes(page)
        assert charts, path
        assert not collisions(charts), (path, width, collisions(charts))
        if path.startswith("/gpp"):
            levels = next(c for c in charts if c["id"] == "gpp-levels")
            assert levels["legend"] and len(levels["titles"]) >= 2, (path, levels)  # a legend and "ปี พ.ศ."
    watch.assert_clean("chart pages")


@pytest.mark.parametrize("width,height", SIZES)
def test_gpp_charts_in_english_never_collide(make_page, app_url, width, height):
    page, watch = make_page(width, height, lang="en")
    _open(page, app_url + "/gpp")
    charts = chart_boxes(page)
    assert len(charts) >= 6
    assert not collisions(charts), (width, collisions(charts))
    watch.assert_clean("/gpp in English")


def _in_card(path: str, width: int, t: dict) -> None:
    assert t["card"] is not None, (path, width, t["id"], "a table outside any card")
    left, _top, right, _bottom = t["card"]
    assert t["scroller"][2] <= right + EDGE and t["scroller"][0] >= left - EDGE, (path, width, t)
    # every column shows inside the card: none hidden past its edge (at 1366 px: without scrolling)
    assert t["cells_right"] is not None and t["cells_right"] <= t["scroller"][2] + EDGE, (path, width, t)


@pytest.mark.parametrize("width,height", SIZES)
@pytest.mark.parametrize("lang", ["th", "en"])
def test_every_gpp_table_lies_within_its_card(make_page, app_url, width, height, lang):
    page, watch = make_page(width, height, lang=lang)
    for path in GPP_VIEWS:
        _open(page, app_url + path)
        tables = table_boxes(page)
        assert {"gpp-table", "gpp-indicator-table"} <= {t["id"] for t in tables}, (path, tables)
        for t in tables:
            _in_card(path, width, t)
        scroll_width, inner = page_width(page)
        assert scroll_width <= inner, (path, width, "the page scrolls sideways", scroll_width, inner)
    watch.assert_clean("/gpp tables")


@pytest.mark.parametrize("width,height", SIZES)
def test_no_table_runs_past_the_page(make_page, app_url, width, height):
    """The other pages with wide tables: each scrolls inside its own box, the page never sideways."""
    page, watch = make_page(width, height)
    for path in OTHER_TABLE_PAGES:
        _open(page, app_url + path)
        tables = table_boxes(page)
        assert tables, path
        for t in tables:
            assert t["scroller"][2] <= width + EDGE, (path, width, t)
            if t["card"] is not None:
                assert t["scroller"][2] <= t["card"][2] + EDGE, (path, width, t)
            if not t["scrolls"]:  # a column past the container that does not scroll is hidden
                assert t["cells_right"] is None or t["cells_right"] <= t["scroller"][2] + EDGE, (path, width, t)
        scroll_width, inner = page_width(page)
        assert scroll_width <= inner, (path, width, "the page scrolls sideways", scroll_width, inner)
    watch.assert_clean("pages with tables")
