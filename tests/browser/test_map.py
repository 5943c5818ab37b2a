"""/map in a real browser: each district's colour is drawn where the district is (checked at
its known centroid, not by counting paths), a layer change sends a small update with no
geometry, a click opens the district's profile, and nothing leaves the host."""

from __future__ import annotations

import csv

from tests.browser.test_shell import wait_rendered
from tests.conftest import ROOT

PROBE = """([lon, lat]) => {
  const gd = document.querySelector('#map-graph .js-plotly-plot');
  const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis, box = gd.getBoundingClientRect();
  const x = box.left + xa._offset + xa.l2p(lon), y = box.top + ya._offset + ya.l2p(lat);
  // traces ignore pointer events, so ask each drawn fill whether it covers the screen point
  const pt = new DOMPoint(x, y);
  const fills = [...gd.querySelectorAll('path.js-fill')]
    .filter(p => p.isPointInFill(pt.matrixTransform(p.getScreenCTM().inverse())));
  const fill = fills[fills.length - 1];
  if (!fill) return null;
  const trace = fill.closest('g.trace').__data__[0].trace;
  return {code: trace.customdata[0], drawn: getComputedStyle(fill).fill, wanted: trace.fillcolor, x, y};
}"""


def search_layers(page, query: str) -> list[str]:
    """Type ``query`` in the layer search box; returns the layer list's values once it narrows."""
    before = page.eval_on_selector_all("#map-layer option", "els => els.length")
    page.fill("#map-layer-search", query)
    page.wait_for_function("n => document.querySelectorAll('#map-layer option').length !== n", arg=before)
    return page.eval_on_selector_all("#map-layer option", "els => els.map(e => e.value).filter(v => v)")


def rgb(hex_colour: str) -> str:
    h = hex_colour.lstrip("#")
    return "rgb({}, {}, {})".format(*(int(h[i : i + 2], 16) for i in (0, 2, 4)))


# centroids of four Chumphon districts (lon, lat), from the RTSD/HDX code table
# data/official/reference/thailand-adm2-districts-v1.0.0.csv
KNOWN = {
    "8601": (99.10646, 10.46248),
    "8602": (99.09422, 10.7707),
    "8604": (99.04245, 9.93861),
    "8606": (98.79361, 9.80869),
}


def test_colours_land_on_their_districts(make_page, app_url):
    page, watch = make_page(1366, 1000)
    page.goto(app_url + "/map?layer=population&year=2564")
    wait_rendered(page)
    page.wait_for_selector("#map-graph .js-fill")
    seen = set()
    for code, (lon, lat) in KNOWN.items():
        hit = page.evaluate(PROBE, [lon, lat])
        assert hit is not None, code
        assert hit["code"] == code, (code, hit)  # the shape under the centroid is that district
        assert hit["drawn"] == rgb(hit["wanted"]), (code, hit)  # painted with that district's colour
        seen.add(hit["wanted"])
    assert len(seen) >= 2  # classes differ: not one flat colour

    # another layer: an update without geometry, then the colours under the same points change accordingly
    sizes = []
    page.on("response", lambda r: sizes.append(len(r.body())) if "_dash-update-component" in r.url else None)
    page.select_option("#map-layer", "status:K05")
    page.wait_for_url("**layer=status%3AK05**")
    page.wait_for_timeout(500)
    assert sizes and max(sizes) <= 50_000, sizes
    for code, (lon, lat) in KNOWN.items():
        hit = page.evaluate(PROBE, [lon, lat])
        assert hit["code"] == code and hit["drawn"] == rgb(hit["wanted"]), (code, hit)
    assert not watch.console_errors and not watch.page_errors and not watch.foreign, watch


def test_click_opens_the_district_profile(make_page, app_url):
    page, watch = make_page(1366, 1000)
    page.goto(app_url + "/map")
    wait_rendered(page)
    page.wait_for_selector("#map-graph .js-fill")
    hit = page.evaluate(PROBE, list(KNOWN["8604"]))
    page.mouse.click(hit["x"], hit["y"])
    page.wait_for_url("**/district/8604")
    page.wait_for_selector("#district-title")
    assert page.inner_text("#district-title") == "หลังสวน"
    assert page.locator("#district-pop-latest").count() == 1
    assert not watch.console_errors and not watch.page_errors and not watch.foreign, watch


def test_coverage_matrix_in_the_browser(make_page, app_url):
    page, _watch = make_page(1366, 900)
    page.goto(app_url + "/indicators")
    wait_rendered(page)
    # one row per indicator published by district: the sample catalogue's and DOPA's population (I01)
    with open(ROOT / "data" / "sample" / "indicators.csv", encoding="utf-8") as f:
        by_district = {r["indicator_code"] for r in csv.DictReader(f)} | {"I01"}
    assert page.locator("#indicators-coverage tbody tr").count() == len(by_district)
    assert page.locator("#indicators-coverage [data-complete=false]").count() >= 5
    assert page.locator("#indicators-unverified").is_visible()


def test_layers_are_searched_by_group(make_page, app_url):
    """Issue 26: the ~105 layers grouped, and a group's name typed in the list finds its layers."""
    page, watch = make_page(1366, 1000)
    page.goto(app_url + "/map?layer=population&year=2564")
    wait_rendered(page)
    page.wait_for_selector("#map-graph .js-fill")
    shown = search_layers(page, "การประมง")  # the fisheries topic group
    fish = [v for v in shown if v != "population"]  # the chosen layer stays in the list
    assert fish and "ind:I12" in fish and all(v.startswith("ind:") for v in fish), shown
    assert len(fish) <= 5, shown  # the group's indicators, not the whole list
    assert page.inner_text("#map-layer-count") == f"พบ {len(fish)} รายการ"
    page.select_option("#map-layer", "ind:I12")
    page.wait_for_url("**layer=ind%3AI12**")
    label = page.eval_on_selector("#map-layer", "s => s.options[s.selectedIndex].text")
    assert label.startswith("ตัวชี้วัดจังหวัด · การประมง › "), label
    shown = search_layers(page, "K05")
    assert set(shown) == {"kpi:K05", "status:K05", "ind:I12"}, shown
    page.select_option("#map-layer", "status:K05")
    page.wait_for_url("**layer=status%3AK05**")
    assert not watch.console_errors and not watch.page_errors and not watch.foreign, watch


def test_a_level_change_keeps_the_layer(make_page, app_url):
    """Issue 26: population stays population at the sub-district level; a KPI status, which has no
    sub-district values, falls back to population and says so in words."""
    page, watch = make_page(1366, 1000)
    page.goto(app_url + "/map?layer=population&year=2564")
    wait_rendered(page)
    page.wait_for_selector("#map-graph .js-fill")
    page.select_option("#map-level", "subdistrict")
    page.wait_for_url("**level=subdistrict**")
    page.wait_for_selector("#map-graph .js-fill")
    assert "layer=population" in page.url and "year=2564" in page.url, page.url
    assert page.input_value("#map-layer") == "population"
    assert page.locator("#map-fallback").count() == 0

    page.goto(app_url + "/map?layer=status%3AK05")
    wait_rendered(page)
    page.wait_for_selector("#map-graph .js-fill")
    page.select_option("#map-level", "subdistrict")
    page.wait_for_selector("#map-fallback")
    text = page.inner_text("#map-fallback")
    assert "K05" in text and "ตำบล" in text and "ประชากรตามทะเบียนราษฎร์" in text, text
    assert page.input_value("#map-layer") == "population"
    assert not watch.console_errors and not watch.page_errors and not watch.foreign, watch


LABEL_BOXES = """() => [...document.querySelectorAll('#map-graph g.trace.scatter g.textpoint text')]
  .map(t => { const r = t.getBoundingClientRect();
              return {text: t.textContent, l: r.left, t: r.top, r: r.right, b: r.bottom}; })"""


def test_subdistrict_labels_do_not_overlap_on_screen(make_page, app_url):
    """Issue 26: the names drawn at the sub-district level, measured as Chromium draws them (Sarabun),
    never overlap one another; at district level all eight names are still drawn."""
    for width in (1920, 1366):
        page, _watch = make_page(width, 1000)
        page.goto(app_url + "/map?level=subdistrict&layer=population")
        wait_rendered(page)
        page.wait_for_selector("#map-graph g.textpoint text")
        page.evaluate("document.fonts.ready")
        boxes = page.evaluate(LABEL_BOXES)
        assert len(boxes) >= 10, boxes
        clashes = [
            (a["text"], b["text"])
            for i, a in enumerate(boxes)
            for b in boxes[i + 1 :]
            if a["l"] < b["r"] and b["l"] < a["r"] and a["t"] < b["b"] and b["t"] < a["b"]
        ]
        assert not clashes, (width, clashes)
    page.goto(app_url + "/map")
    wait_rendered(page)
    page.wait_for_selector("#map-graph g.textpoint text")
    assert len(page.evaluate(LABEL_BOXES)) == 8
