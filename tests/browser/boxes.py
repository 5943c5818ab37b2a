"""What a page drew, measured in the browser (issue 26: charts that never collide, tables that stay
in their cards): shared by the browser tests of every page with charts or wide tables.

* ``chart_boxes(page)``: every Plotly chart's legend entries and title boxes (the chart's title and
  its axes' titles), as ``[left, top, right, bottom]``; ``collisions`` the pairs that overlap.
  The same measure as tests/browser/test_kpi_detail.py's ``BOXES``.
* ``table_boxes(page)``: every table shown, its scroll container, its card and the cells it shows.
"""

from __future__ import annotations

# every box a chart draws text in: its title, its axes' titles, its legend entries
CHART_BOXES = """() => [...document.querySelectorAll('.js-plotly-plot')].map(g => {
    const box = (sel) => [...g.querySelectorAll(sel)].map(e => e.getBoundingClientRect())
        .filter(r => r.width > 0 && r.height > 0).map(r => [r.left, r.top, r.right, r.bottom]);
    return {id: g.parentElement.id || g.id, legend: box('.legend .traces'),
            titles: box('.g-gtitle text, .g-xtitle text, .g-ytitle text')};
})"""

# every table with a box: the table, the element it scrolls in (.table-responsive, else its
# parent), its card (.sy-card, else null) and the right edge of the rightmost cell it shows
TABLE_BOXES = """() => [...document.querySelectorAll('table')].filter(t => t.getClientRects().length > 0).map(t => {
    const rect = (e) => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
    const scroller = t.closest('.table-responsive') || t.parentElement;
    const card = t.closest('.sy-card');
    // a cell shows unless it or a box around it inside the table is clipped to nothing (a phone's
    // stacked table hides its header row in a 1 px box)
    const shown = (c) => { for (let e = c; e && e !== t; e = e.parentElement) {
        const r = e.getBoundingClientRect(); if (r.width <= 1 || r.height <= 1) return false; } return true; };
    const cells = [...t.querySelectorAll('th, td')].filter(shown).map(c => c.getBoundingClientRect());
    return {id: t.id || null, table: rect(t), scroller: rect(scroller), card: card ? rect(card) : null,
            cells_right: cells.length ? Math.max(...cells.map(r => r.right)) : null,
            scrolls: scroller.scrollWidth > scroller.clientWidth + 1};
})"""

PAGE_WIDTH = "() => [document.documentElement.scrollWidth, window.innerWidth]"

# every chart on the page drawn (its SVG, and its legend when it has one)
CHARTS_DRAWN = """() => { const gs = [...document.querySelectorAll('.dash-graph')];
    return gs.length > 0 && gs.every(g => g.querySelector('.js-plotly-plot .main-svg')); }"""


def apart(a: list[float], b: list[float]) -> bool:
    """Two boxes [left, top, right, bottom] share no area."""
    return a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]


def draw_lazy_charts(page) -> None:
    """Charts drawn only near the screen (components/lazychart.py): each scrolled to in turn until
    every one is drawn, then back to the top."""
    boxes = page.locator("[data-sy-lazy]")
    for i in range(boxes.count()):
        box = boxes.nth(i)
        box.scroll_into_view_if_needed()
        box.locator(".js-plotly-plot .main-svg").first.wait_for(state="attached")
    page.evaluate("window.scrollTo(0, 0)")


def chart_boxes(page) -> list[dict]:
    draw_lazy_charts(page)
    page.wait_for_function(CHARTS_DRAWN)
    page.evaluate("document.fonts.ready.then(() => true)")
    return page.evaluate(CHART_BOXES)


def collisions(charts: list[dict]) -> list[tuple]:
    """(chart id, legend entry box, title box) for every legend entry lying on a title."""
    return [(c["id"], a, b) for c in charts for a in c["legend"] for b in c["titles"] if not apart(a, b)]


def table_boxes(page) -> list[dict]:
    return page.evaluate(TABLE_BOXES)


def page_width(page) -> tuple[int, int]:
    """(document.documentElement.scrollWidth, innerWidth): the first above the second is a page
    that scrolls sideways."""
    w, inner = page.evaluate(PAGE_WIDTH)
    return w, inner
