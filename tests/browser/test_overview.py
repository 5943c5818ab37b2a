"""Issue 19, item 5, the overview at a glance, in a real browser on an app of its own: each KPI row
of / carries a small trend (an SVG picture, drawn, with its words as alt text) beside its light
(icon + word), the agreement score's path through the fiscal year has its numbers in words, and
"since the last meeting" counts and lists the KPIs newly red, those recovered and the new
directives since the latest meeting on or before today (SANYAN_AS_OF = the demo's day), only of
KPIs the reader may read. At 1366 px, on a 390 px phone and in the projector theme (light and
dark): nothing from another host, no serious axe violation, no sideways scroll."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tests.browser.conftest import settle_transitions
from tests.browser.test_shell import wait_rendered

VIEW = "/?fy=2569&round=12"  # September 2569: red rows, a full year of agreement scores
MEETING = "ประชุมคณะกรมการจังหวัด ครั้งที่ 11/2569"


def _axe_serious(page, context: str | None = None) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    settle_transitions(page)
    results = Axe().run(page, context=context)
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


@pytest.fixture(scope="module")
def seeded(own_app):
    """The app's ops store with two agendas (the last meeting on 20 Nov 2569, one still to come),
    province-level events before and after it, one of a district, one of the secret KPI K40, and
    a directive given after the meeting."""
    import ops
    from ops import meeting
    from ops.workflow import Actor

    url = f"sqlite:///{own_app.warehouse.parent.parent / 'ops.sqlite'}"
    eng = ops.engine(url)
    boss = Actor("exec1", "executive")
    meeting.create_agenda(eng, boss, MEETING, date(2026, 11, 20), [("/", "ภาพรวม")])
    meeting.create_agenda(eng, boss, "ประชุมครั้งหน้า", date(2026, 12, 20))

    def at(day: int) -> datetime:
        return datetime(2026, 11, day, 3, 0, tzinfo=UTC)

    rows = [
        ("turned_red", "K01", "86", "green", "red", at(21)),
        ("recovered", "K05", "86", "red", "green", at(22)),
        ("turned_red", "K03", "86", "green", "red", at(10)),  # before the meeting
        ("turned_red", "K02", "8604", "green", "red", at(21)),  # a district's
        ("turned_red", "K40", "86", "green", "red", at(21)),  # secret: executives and admins only
    ]
    with eng.begin() as con:
        for kind, kpi, area, old, new, when in rows:
            con.execute(
                ops.event_rows.insert().values(
                    event_key=f"{kind}:{kpi}:{area}:2570:11",
                    kind=kind,
                    kpi_code=kpi,
                    area_code=area,
                    fiscal_year=2570,
                    month=11,
                    old_status=old,
                    status=new,
                    snapshot="test",
                    created_at=when,
                )
            )
        con.execute(
            ops.directives.insert().values(
                kpi_code="K01",
                fiscal_year=2570,
                month=11,
                text="เร่งรัดการตรวจรับรองแปลง GAP ให้ทันรอบถัดไป",
                unit="สำนักงานเกษตรจังหวัด",
                due_date=date(2026, 12, 15),
                status="open",
                version=1,
                created_by="exec1",
                created_at=at(21),
            )
        )
    ops.dispose(url)
    return own_app


@pytest.fixture
def page_for(browser, seeded):
    from tests.browser.conftest import pages_for

    make, contexts = pages_for(browser, seeded.url)
    yield make
    for ctx in contexts:
        ctx.close()


def _open(page, url: str, shots=None, name: str = "") -> None:
    page.goto(url)
    wait_rendered(page)
    page.wait_for_selector("#home-since-when")
    page.wait_for_load_state("networkidle")
    if shots:
        page.screenshot(path=str(shots / f"overview-{name}.png"), full_page=True)


def _check_glance(page, lang: str = "th", red_since: int = 2) -> None:
    """Trends on every KPI row, drawn, with words and the row's light; the agreement path with its
    numbers; the since-the-last-meeting counts and links (``red_since``: K01, and the secret K40
    for a reader who may read it)."""
    rows = page.locator("#home-red-list li, #home-miss-list li, #home-late-list li")
    assert rows.count() >= 1
    pictures = page.locator("#home-red-list li img.sy-spark")
    assert pictures.count() == page.locator("#home-red-list li").count()  # every red row has its trend
    for i in range(rows.count()):
        row = rows.nth(i)
        assert row.locator(".sy-status[data-status]").count() == 1  # the light, icon and word, stays
        pic = row.locator("img.sy-spark")
        assert pic.count() == 1
        alt = pic.get_attribute("alt")
        assert alt and ("ต.ค." in alt if lang == "th" else "Oct" in alt), alt
        assert pic.evaluate("i => i.complete && i.naturalWidth > 0"), "the trend picture did not draw"
        assert pic.is_visible()
    path = page.locator("#home-agreement-path")
    assert path.is_visible() and path.evaluate("i => i.complete && i.naturalWidth > 0")
    assert "2569" in path.get_attribute("alt")
    assert page.locator("#home-agreement-path-list li").count() == 12
    assert page.locator("#home-trend-legend").is_visible()

    when = page.inner_text("#home-since-when")
    assert MEETING in when and ("20 พฤศจิกายน 2569" in when if lang == "th" else "20 November 2569" in when)
    assert page.get_attribute("#home-since-red-count", "data-count") == str(red_since)
    assert page.get_attribute("#home-since-recovered-count", "data-count") == "1"
    assert page.get_attribute("#home-since-directives-count", "data-count") == "1"
    assert page.locator("#home-since-red-list li").count() == red_since
    red = page.locator("#home-since-red-list li[data-kpi=K01]")
    assert red.locator("[data-status=red]").count() == 1  # the light: icon and word
    assert red.locator("a").first.get_attribute("href").startswith("/kpi/K01")
    assert page.locator("#home-since [data-kpi=K03], #home-since [data-kpi=K02]").count() == 0
    assert page.locator("#home-since-recovered-list li a").first.get_attribute("href").startswith("/kpi/K05")
    assert page.locator("#home-since-directives-list li[data-kpi=K01]").count() == 1


def test_overview_at_1366_thai_and_english(page_for, seeded, shots_dir):
    page, watch = page_for(1366, 900, role="executive")
    asked: list[str] = []  # every callback the page posts (issue 29: it settles once)
    page.on("request", lambda r: asked.append(r.post_data or "") if "_dash-update-component" in r.url else None)
    _open(page, seeded.url + VIEW, shots_dir, "th-1366")
    _check_glance(page)
    assert any("_pages_content" in a for a in asked)
    assert not [a for a in asked if "home-since" in a or "home-updating" in a], asked  # in the first answer
    bad = _axe_serious(page)
    assert not bad, bad
    watch.assert_clean("/ at 1366")

    # a count is a link to its list
    page.click("#home-since-directives-count")
    assert page.evaluate("location.hash") == "#home-since-directives"

    en, watch_en = page_for(1366, 900, lang="en", role="executive")
    _open(en, seeded.url + VIEW, shots_dir, "en-1366")
    assert "Since the last meeting" in en.inner_text("#home-since-title")
    _check_glance(en, "en")
    alts = en.eval_on_selector_all("#home-red-list img.sy-spark", "imgs => imgs.map(i => i.alt)")
    assert alts and all("of an expected" in a or "against a planned" in a for a in alts), alts
    assert not _axe_serious(en)
    watch_en.assert_clean("/ in English")


def test_a_viewer_is_not_told_of_a_secret_kpi(page_for, seeded):
    page, watch = page_for(1366, 900, role="viewer")
    _open(page, seeded.url + VIEW)
    _check_glance(page, red_since=1)
    assert page.locator("#home-since [data-kpi=K40]").count() == 0
    watch.assert_clean("/ as a viewer")


def test_overview_on_a_phone(page_for, seeded, shots_dir):
    page, watch = page_for(390, 844, role="executive")
    _open(page, seeded.url + VIEW, shots_dir, "th-390")
    _check_glance(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"/ scrolls sideways on a phone: {width}px"
    box = page.locator("#home-agreement-path").bounding_box()
    assert 0 < box["width"] <= 390
    for sel in ("#home-since-section", "#home-agreement-path-list"):
        b = page.locator(sel).bounding_box()
        assert b["x"] >= 0 and b["x"] + b["width"] <= 390, (sel, b)
    assert not _axe_serious(page)
    watch.assert_clean("/ on a phone")


@pytest.mark.parametrize("theme", ["", "&theme=dark"], ids=["light", "dark"])
def test_overview_in_the_projector_theme(page_for, seeded, theme, shots_dir):
    page, watch = page_for(1920, 1080, role="executive")
    _open(page, seeded.url + VIEW + "&present=1" + theme, shots_dir, f"present{theme[7:]}")
    classes = page.evaluate("document.documentElement.className")
    assert "sy-present" in classes and (("sy-present-dark" in classes) == bool(theme))
    assert page.locator("#shell-navbar").is_hidden()
    _check_glance(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1920
    bad = _axe_serious(page)  # the whole slide, the shell's footer too
    assert not bad, bad
    watch.assert_clean(f"/ on the projector{theme}")


# ---------------------------------------------------------------- the first screen (issue 26)
FIRST = (
    "#home-agreement-score",
    "#home-agreement-status",
    "#home-counts",
    "#home-red-list > li:first-child",
    "#home-red-list > li:first-child .sy-why",
)


@pytest.mark.parametrize(
    ("width", "height", "lang"),
    [(1366, 768, None), (390, 844, None), (1366, 768, "en")],
    ids=["1366x768", "390x844", "1366x768-en"],
)
def test_the_first_screen_shows_the_score_the_counts_and_the_top_red_item(
    page_for, seeded, shots_dir, width, height, lang
):
    """Issue 26: on / (the demo's round: FY 2570, October, the year's first month) the agreement
    score, the status counts and the first red KPI with its reason in words lie wholly within the
    first screen, at 1366×768 and on a 390×844 phone; the red row's trend of one month is one
    point in words, not an empty box; the page has one sample notice, not a badge per block."""
    page, watch = page_for(width, height, lang=lang, role="executive")
    _open(page, seeded.url + "/", shots_dir, f"first-{width}{'-' + lang if lang else ''}")
    page.evaluate("window.scrollTo(0, 0)")
    inner = page.evaluate("innerHeight")
    assert inner == height
    boxes = page.evaluate(
        """sels => sels.map(s => {
             const e = document.querySelector(s);
             if (!e) return [s, null, null, 0];
             const r = e.getBoundingClientRect();
             return [s, r.top, r.bottom, r.height];
           })""",
        list(FIRST),
    )
    for sel, top, bottom, h in boxes:
        assert top is not None and h > 0, f"{sel} is not on the page"
        assert top >= 0 and bottom <= inner, f"{sel} is not within the first {width}×{height} screen: {top}–{bottom}"

    first = page.locator("#home-red-list > li").first
    assert first.locator(".sy-status[data-status=red]").count() == 1  # the light: icon and word
    why = first.locator(".sy-why")
    assert ("the red line" if lang == "en" else "ต่ำกว่าเส้นสีแดง") in why.inner_text()
    assert "red" in why.get_attribute("data-reasons").split()
    assert page.locator("#home-counts [data-status]").count() >= 7  # every count with its icon and word

    # a trend of one month: one point said in words, no picture of an empty year
    trend = first.locator(".sy-spark")
    assert trend.count() == 1 and trend.get_attribute("data-points") == "1" and trend.is_visible()
    assert first.locator("img").count() == 0
    assert ("one month so far" if lang == "en" else "มีข้อมูลเดือนเดียว") in trend.inner_text()

    # one sample notice for the page; the charts' own short marks are words, not badges
    assert page.locator(".sy-sample-note").count() == 1 and page.locator("#home-sample-note").is_visible()
    assert page.locator(".prov-sample").count() == 1
    assert ("Sample data" if lang == "en" else "ข้อมูลตัวอย่าง") in page.inner_text("#home-sample-note")

    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # nothing of the first screen runs past its card or the window's right edge (cut off, unseen)
    past = page.evaluate(
        """w => [...document.querySelectorAll('#home-first *')].filter(e => {
                 if (!e.getClientRects().length) return false;
                 const r = e.getBoundingClientRect(), box = e.parentElement.closest('.sy-agreement, .sy-tile');
                 return r.right > w + 1 || (box && r.right > box.getBoundingClientRect().right + 1);
               }).map(e => e.className || e.tagName)""",
        width,
    )
    assert not past, past
    bad = _axe_serious(page)
    assert not bad, bad
    watch.assert_clean(f"/ first screen at {width}×{height}")
