"""The meeting's slides (pages/slide.py) in a real browser: every slide kind at 1920×1080 and
1280×720, in the light and the dark theme, fits its screen with no scroll, nothing outside the
slide and no text under 18 px (the charts' SVG text included); every tile value is measured on
the rendered pixels against what is behind it; the presenter shows these slides; the agenda's
PPTX is these slides."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from urllib.parse import quote

import pytest

from tests.browser.boxes import chart_boxes, collisions
from tests.browser.test_shell import _axe_serious

SIZES = [(1920, 1080), (1280, 720)]
THEMES = ["light", "dark"]
# one view of each kind: a red KPI with a long commentary, a district comparison, the overview,
# the open directives (more than fit: the rest said in words)
VIEWS = {
    "kpi": "/kpi/K11?fy=2570",
    "districts": "/kpi/K01?fy=2570&slide=districts",
    "overview": "/?fy=2570",
    "directives": "/meeting/directives?open=1",
    "gpp": "/gpp?province=86&from=2538&to=2566",
}
LONG = (
    "ผลผลิตต่ำกว่าแผนเพราะฝนทิ้งช่วงในเดือนตุลาคม เกษตรกรเลื่อนการเพาะปลูกออกไปสองสัปดาห์ "
    "และราคาปุ๋ยสูงขึ้นทำให้ใส่ปุ๋ยน้อยกว่าที่แนะนำ พื้นที่ลุ่มน้ำหลังสวนได้รับผลกระทบมากที่สุด "
) * 4


@pytest.fixture(scope="module")
def slide_app(own_app):
    """The module's app with nine open directives and a long approved commentary on K11's round."""
    import sqlalchemy as sa

    import ops
    from ops import meeting

    home = own_app.warehouse.parent.parent
    eng = ops.engine(f"sqlite:///{home / 'ops.sqlite'}")
    boss = meeting.Actor("exec1", "executive")
    for n in range(9):
        meeting.issue(
            eng,
            boss,
            "K11",
            2570,
            10,
            f"เร่งรัดการส่งเสริมการปลูกพืชหลังนา ครั้งที่ {n + 1} " * 3,
            f"สำนักงานเกษตรอำเภอที่ {n + 1}",
            date(2026, 11, 1) + timedelta(days=10 * n),
        )
    now = datetime.now(UTC)
    with eng.begin() as con:
        con.execute(
            sa.insert(ops.kpi_comments).values(
                kpi_code="K11",
                fiscal_year=2570,
                month=10,
                area_code="86",
                analysis=LONG,
                action=LONG,
                status="approved",
                version=3,
                approved_analysis=LONG,
                approved_action=LONG,
                entered_by="edit1",
                updated_at=now,
                verified_by="verify1",
                approved_by="exec1",
                approved_at=now,
            )
        )
    eng.dispose()
    return own_app


def slide_url(base: str, view: str, theme: str) -> str:
    return f"{base}/meeting/slide?view={quote(view, safe='')}&present=1" + ("&theme=dark" if theme == "dark" else "")


def open_slide(page, base: str, view: str, theme: str) -> None:
    page.goto(slide_url(base, view, theme))
    page.locator("#slide-canvas").wait_for()
    page.wait_for_function("document.documentElement.dataset.slideReady === '1'", timeout=30_000)
    page.wait_for_timeout(200)


# every box of the slide inside the canvas, the canvas inside the window, nothing scrolls, no
# text clipped by its box, every text (HTML and the charts' SVG) at least 18 px
FIT_JS = """() => {
  const out = {problems: []};
  const de = document.documentElement;
  if (de.scrollHeight > innerHeight + 1 || de.scrollWidth > innerWidth + 1) out.problems.push('page scrolls');
  const canvas = document.getElementById('slide-canvas');
  const c = canvas.getBoundingClientRect();
  if (c.left < -1 || c.top < -1 || c.right > innerWidth + 1 || c.bottom > innerHeight + 1) out.problems.push('canvas outside the window');
  for (const el of canvas.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height) continue;
    if (el.closest('.visually-hidden') || el.closest('.hoverlayer') || el.closest('defs')) continue;
    if (r.left < c.left - 1 || r.top < c.top - 1 || r.right > c.right + 1 || r.bottom > c.bottom + 1)
      out.problems.push('outside: ' + (el.id || el.className.baseVal || el.className || el.tagName) + ' ' + (el.textContent || '').slice(0, 40));
    const cs = getComputedStyle(el);
    if (!(el instanceof SVGElement) && (el.scrollHeight > el.clientHeight + 2 || el.scrollWidth > el.clientWidth + 2)
        && el.clientHeight > 0 && !el.classList.contains('dash-graph') && !el.closest('.js-plotly-plot'))
      out.problems.push('clipped: ' + (el.id || el.className || el.tagName) + ' ' + (el.textContent || '').slice(0, 40));
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (own && parseFloat(cs.fontSize) < 17.5)
      out.problems.push('small text ' + cs.fontSize + ': ' + el.textContent.trim().slice(0, 40));
  }
  out.texts = canvas.querySelectorAll('.main-svg text').length;
  return out;
}"""


@pytest.mark.parametrize("kind", list(VIEWS))
def test_every_slide_fits_16_9_in_both_themes(browser, slide_app, kind, shots_dir):
    for width, height in SIZES:
        ctx_pages = []
        try:
            from tests.browser.conftest import pages_for

            make, ctx_pages = pages_for(browser, slide_app.url)
            for theme in THEMES:
                page, watch = make(width, height, role="executive")
                open_slide(page, slide_app.url, VIEWS[kind], theme)
                assert page.locator("#slide").get_attribute("data-kind") == kind
                got = page.evaluate(FIT_JS)
                if shots_dir is not None:
                    page.screenshot(path=str(shots_dir / f"slide-{kind}-{width}x{height}-{theme}.png"))
                assert not got["problems"], f"{kind} {width}x{height} {theme}: {got['problems'][:8]}"
                if kind in ("kpi", "districts", "gpp"):
                    assert got["texts"] > 5, "the chart drew its text"
                    assert not collisions(chart_boxes(page)), f"{kind} {width}x{height}: a legend on a title"
                if width == 1920:  # what axe can see, once per theme (contrast over the cards: measured below)
                    bad = _axe_serious(page)
                    assert not bad, (kind, theme, bad)
                watch.assert_clean(f"{kind} slide {width}x{height} {theme}")
        finally:
            for ctx in ctx_pages:
                ctx.close()


def test_what_each_slide_says(browser, slide_app):
    from tests.browser.conftest import pages_for

    make, contexts = pages_for(browser, slide_app.url)
    try:
        page, _ = make(1920, 1080, role="executive")
        open_slide(page, slide_app.url, VIEWS["kpi"], "light")
        for tile in ("#slide-status", "#slide-score", "#slide-to-date", "#slide-target", "#slide-projected"):
            assert page.locator(tile).inner_text().strip(), tile
        comment = page.locator("#slide-commentary").inner_text()
        assert "ฝนทิ้งช่วง" in comment and "อ่านต่อในหน้าตัวชี้วัด" in comment  # cut in words, not clipped
        assert page.locator("#slide-sample").count() == 1  # one sample notice on the slide
        open_slide(page, slide_app.url, VIEWS["overview"], "light")
        red = page.locator("#slide-red > li")
        assert red.count() >= 1
        for i in range(red.count()):
            assert red.nth(i).locator("[data-reason]").inner_text().strip(), "each red KPI says why"
        open_slide(page, slide_app.url, VIEWS["directives"], "light")
        rows = page.locator("#slide-directives tbody tr").count()
        assert 1 <= rows < 9 and page.locator("#slide-directives-more").is_visible()
        assert str(9 - rows) in page.locator("#slide-directives-more").inner_text()
    finally:
        for ctx in contexts:
            ctx.close()


def _luminance(rgb) -> float:
    def ch(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = rgb[:3]
    return 0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b)


def measured_contrast(png: bytes) -> float:
    """The contrast of a picture of text: its most common colour (the background behind the text)
    against the pixel farthest from it in luminance (the text's core, not its anti-aliased edge)."""
    from PIL import Image

    img = Image.open(io.BytesIO(png)).convert("RGB")
    colours = img.getcolors(img.width * img.height)
    bg = max(colours)[1]
    lb = _luminance(bg)
    far = max((c for _, c in colours), key=lambda c: abs(_luminance(c) - lb))
    hi, lo = sorted((lb, _luminance(far)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("theme", THEMES)
def test_tile_values_have_measured_contrast(browser, slide_app, theme):
    """Every tile value of a KPI slide and the overview's score, cut out of a screenshot: at least
    4.5:1 against the pixels behind it (axe cannot see text over a themed card)."""
    from tests.browser.conftest import pages_for

    make, contexts = pages_for(browser, slide_app.url)
    try:
        page, _ = make(1920, 1080, role="executive")
        seen = 0
        for view in (VIEWS["kpi"], "/kpi/K01?fy=2570", VIEWS["overview"]):
            open_slide(page, slide_app.url, view, theme)
            values = page.locator(".sy-slide-value, .sy-slide-big, .sy-slide-count, .sy-slide-label, .sy-slide-note")
            for i in range(values.count()):
                el = values.nth(i)
                if not el.inner_text().strip():
                    continue
                ratio = measured_contrast(el.screenshot())
                assert ratio >= 4.5, f"{view} {theme}: {el.inner_text()[:30]!r} contrast {ratio:.2f}"
                seen += 1
        assert seen >= 12
    finally:
        for ctx in contexts:
            ctx.close()


def test_measuring_sees_dark_on_dark():
    """The measure itself: dark grey text on a dark card fails, white on it passes."""
    from PIL import Image, ImageDraw

    def shot(fg):
        img = Image.new("RGB", (120, 40), (11, 18, 32))
        ImageDraw.Draw(img).rectangle((20, 10, 90, 30), fill=fg)
        buf = io.BytesIO()
        img.save(buf, "PNG")
        return buf.getvalue()

    assert measured_contrast(shot((40, 48, 62))) < 3
    assert measured_contrast(shot((245, 247, 250))) > 10


def test_the_presenter_shows_the_slides(browser, slide_app):
    from tests.browser.conftest import pages_for

    make, contexts = pages_for(browser, slide_app.url)
    try:
        for width, height in SIZES:
            page, watch = make(width, height, role="executive")
            page.goto(slide_app.url + "/meeting/present/red?theme=dark")
            page.wait_for_function(
                """() => { const f = document.querySelector('iframe.sy-current');
                           const d = f && f.contentDocument;
                           return !!(d && d.documentElement.dataset.slideReady === '1'); }""",
                timeout=30_000,
            )
            frame = page.frame_locator("iframe.sy-current")
            assert frame.locator("#slide").get_attribute("data-kind") == "overview"
            got = page.frames[1].evaluate(FIT_JS) if len(page.frames) > 1 else None
            assert got is not None and not got["problems"], got
            assert page.evaluate("document.documentElement.scrollHeight <= innerHeight")
            watch.assert_clean(f"presenter {width}x{height}")
    finally:
        for ctx in contexts:
            ctx.close()


@pytest.mark.parametrize("theme", THEMES)
def test_a_kpi_page_in_the_projector_theme_has_legible_tiles(browser, slide_app, theme):
    """The KPI page itself in present mode (a view of one chart alone, or a page opened with
    ?present=1): every tile value measured against its card, and nothing said under it (the
    projection's range) outside its tile."""
    from tests.browser.conftest import pages_for

    make, contexts = pages_for(browser, slide_app.url)
    try:
        page, _ = make(1920, 1080, role="executive")
        page.goto(slide_app.url + "/kpi/K11?fy=2570&present=1" + ("&theme=dark" if theme == "dark" else ""))
        page.locator("#kpidetail-stats").wait_for()
        page.evaluate("document.fonts.ready.then(() => true)")
        values = page.locator("#kpidetail-stats .sy-tile > .sy-num")
        assert values.count() >= 4
        for i in range(values.count()):
            el = values.nth(i)
            ratio = measured_contrast(el.screenshot())
            assert ratio >= 4.5, f"{theme}: {el.inner_text()[:30]!r} contrast {ratio:.2f}"
        spill = page.evaluate(
            """() => [...document.querySelectorAll('#kpidetail-stats .sy-tile *')].filter(e => {
                 const t = e.closest('.sy-tile').getBoundingClientRect(), r = e.getBoundingClientRect();
                 return r.width && (r.right > t.right + 1 || r.left < t.left - 1);
               }).map(e => e.textContent.slice(0, 40))"""
        )
        assert not spill, spill
    finally:
        for ctx in contexts:
            ctx.close()
