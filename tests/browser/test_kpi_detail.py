"""A KPI's page in a real browser draws one projected year end (issue 25, point 5; docs/RULES.md
section 5): the number its tile shows, the month chart's year-end marker and the year chart's
current-year "projected" point, each read from what the page drew (the tile's text, the Plotly
graph divs' data and the points Plotly computed), are the very same number, with the same range,
never inverted; the current year is drawn "to date" and "projected", never as a finished year."""

from __future__ import annotations

import re

import pytest

from tests.browser.boxes import CHART_BOXES, collisions
from tests.browser.test_shell import wait_rendered

# what Plotly drew for a chart: every trace's uid, name, x, y and error bar as given, and the y
# Plotly computed for each of its points (calcdata: what the plot shows)
PLOTTED = """(id) => {
    const g = document.querySelector('#' + id + ' .js-plotly-plot');
    return g.data.map((t, i) => ({
        uid: t.uid || null, name: t.name, x: t.x, y: t.y, error_y: t.error_y || null,
        drawn: (g.calcdata[i] || []).map(p => (p.y === undefined || Number.isNaN(p.y)) ? null : p.y),
    }));
}"""
NUMBER = re.compile(r"-?[\d,]+\.\d+")


def _plotted(page, graph_id: str) -> list[dict]:
    page.wait_for_function(
        "(id) => { const g = document.querySelector('#' + id + ' .js-plotly-plot');"
        " return g && g.data && g.data.length > 0 && g.calcdata; }",
        arg=graph_id,
    )
    return page.evaluate(PLOTTED, graph_id)


def _one(traces: list[dict], uid: str) -> dict:
    found = [t for t in traces if t["uid"] == uid]
    assert len(found) == 1, (uid, [t["uid"] for t in traces])
    return found[0]


def _number(text: str) -> float:
    m = NUMBER.search(text)
    assert m, text
    return float(m.group(0).replace(",", ""))


def _range(trace: dict) -> tuple[float, float]:
    p, err = trace["y"][0], trace["error_y"]
    return p - err["arrayminus"][0], p + err["array"][0]


def _check(page, app_url: str, code: str, september: str) -> float:
    page.goto(app_url + f"/kpi/{code}")
    wait_rendered(page)
    tile = _number(page.inner_text("#kpidetail-projected-value"))
    low, high = (
        _number(page.inner_text("#kpidetail-projected-low")),
        _number(page.inner_text("#kpidetail-projected-high")),
    )
    assert low <= tile <= high, (code, low, tile, high)

    months, years = _plotted(page, "kpidetail-months"), _plotted(page, "kpidetail-years")
    marker, point = _one(months, "projected"), _one(years, "projected")
    assert marker["x"] == [september]  # at the year's end
    for where, t in (("month chart", marker), ("year chart", point)):
        p = t["y"][0]
        assert t["drawn"] == [pytest.approx(p)], (code, where)  # what Plotly plotted is that number
        assert round(p, 2) == tile, (code, where, p, tile)
        lo, hi = _range(t)
        assert lo <= p <= hi, (code, where, lo, p, hi)  # never inverted
        assert (round(lo, 2), round(hi, 2)) == (low, high), (code, where)
    assert marker["y"] == point["y"]  # not merely the same to two decimals: the same number

    # the current year is "to date" and "projected", never a finished year
    fy = point["x"][0]
    assert fy not in _one(years, "finished")["x"]
    now = _one(years, "to_date")
    assert now["x"] == [fy] and now["drawn"][0] is not None
    to_date = _number(page.inner_text("#kpidetail-to-date"))
    assert round(now["y"][0], 2) == to_date
    # the month chart's value line ends where the tile's value to date is (the round's month)
    line = [y for y in _one(months, "to_date")["y"] if y is not None]
    assert round(line[-1], 2) == to_date
    return tile


def test_k01_and_k11_draw_one_projected_year_end(make_page, app_url):
    page, watch = make_page(1366, 900)
    k01 = _check(page, app_url, "K01", "ก.ย.")
    assert k01 == 1818.36  # the demo's October 2569 round (issue 25 saw 1,818.36 / 1,040.78 / 1,045.76)
    k11 = _check(page, app_url, "K11", "ก.ย.")  # lower is better: projected to miss, red
    assert page.locator("#kpidetail-status").get_attribute("data-status") == "red"
    assert page.locator("#kpidetail-miss").is_visible()
    assert k11 > _number(page.inner_text("#kpidetail-target"))
    watch.assert_clean("/kpi/K01, /kpi/K11")


def test_the_same_in_english(make_page, app_url):
    page, watch = make_page(1366, 900, lang="en")
    asked: list[str] = []  # every callback the page posts (issue 29: it settles once)
    page.on("request", lambda r: asked.append(r.post_data or "") if "_dash-update-component" in r.url else None)
    assert _check(page, app_url, "K01", "Sep") == 1818.36
    assert page.locator("#kpidetail-commentary").count() == 1  # in the first answer
    assert any("_pages_content" in a for a in asked)
    assert not [a for a in asked if "kpidetail" in a], asked  # nothing filled after the page
    watch.assert_clean("/kpi/K01 in English")


@pytest.mark.parametrize("width", [1366, 390])
def test_no_legend_entry_sits_on_a_title(make_page, app_url, width):
    page, watch = make_page(width, 900)
    for code in ("K01", "K11", "K38"):
        page.goto(app_url + f"/kpi/{code}")
        wait_rendered(page)
        page.wait_for_selector(".js-plotly-plot .legend")
        charts = page.evaluate(CHART_BOXES)
        assert charts
        assert not collisions(charts), (code, width, collisions(charts))
    watch.assert_clean("/kpi charts")
