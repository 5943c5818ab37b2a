"""The shell and the first pages in a real browser, against the real (ETL-built) warehouse.

Every registered page (and an unknown address) is opened and must: make no request to any host
but 127.0.0.1/localhost, fail no request, log no console error, render Thai with the Sarabun web
font, pass an axe-core audit without serious/critical violations, and fit a 390 px phone and a
1920x1080 screen without horizontal scrolling.
"""

from __future__ import annotations

import os
import shutil

import duckdb
import pytest

from tests.browser.conftest import settle_transitions

NOT_FOUND_PATH = "/no-such-page-for-sure"


def _page_paths() -> list[str]:
    """Paths of every page in the app's registry (plus one unknown address for the 404)."""
    import dash

    import app  # noqa: F401  (registers the pages)

    paths = []
    for page in dash.page_registry.values():
        if page["module"].endswith("not_found_404") or page.get("shell") is False:
            continue  # a 16:9 slide (pages/slide.py) has no navbar: tests/browser/test_slides.py
        if page.get("path_template"):
            example = page.get("example_path")
            assert example, (
                f"page {page['module']} has a path template; register example_path=... so the browser tests can open it"
            )
            paths.append(example)
        else:
            paths.append(page["path"])
    return sorted(paths) + [NOT_FOUND_PATH]


PAGE_PATHS = _page_paths()


def _slug(path: str) -> str:
    return path.strip("/").replace("/", "_") or "home"


def wait_rendered(page) -> None:
    """Dash has rendered the routed page and the web fonts have settled."""
    page.wait_for_selector("#shell-footer")
    page.wait_for_selector("#_pages_content .sy-page")
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready.then(() => true)")


def sarabun_thai_loaded(page) -> bool:
    """document.fonts.check passes and a Sarabun face covering Thai really loaded."""
    return page.evaluate("""() => document.fonts.check('16px Sarabun', 'ก') &&
        [...document.fonts].some(f => f.family.replace(/["']/g, '') === 'Sarabun'
                                   && f.status === 'loaded' && /E01/i.test(f.unicodeRange))""")


def _warehouse_rows(path, sql):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


# ------------------------------------------------------------------------------------ health


def test_healthz_reports_snapshot(app_server):
    status, body = app_server.get_json("/healthz")
    (version,) = _warehouse_rows(app_server.warehouse, "SELECT version FROM meta_snapshot LIMIT 1")[0]
    assert status == 200
    assert body["status"] == "ok"
    assert body["snapshot"] == version and body["snapshot"]
    assert body["built_at"]


# ------------------------------------------------------------------------------------ every page


def _axe_serious(page) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    settle_transitions(page)
    results = Axe().run(page)
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


@pytest.mark.parametrize("path", PAGE_PATHS, ids=_slug)
def test_page_offline_thai_and_accessible(make_page, app_url, path, shots_dir):
    """In Thai at 1366 px: Thai fonts from the app, nothing from another host, and an axe-core
    audit without serious or critical violations (one page load for both)."""
    page, watch = make_page(1366, 900)
    page.goto(app_url + path)
    wait_rendered(page)

    assert page.evaluate("document.documentElement.lang") == "th"
    brand = page.locator("#shell-brand")
    assert brand.is_visible() and "สัญญาณ" in brand.inner_text()
    assert sarabun_thai_loaded(page), "Sarabun (Thai range) did not load from assets/"
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert font.replace('"', "").startswith("Sarabun"), font
    if path == NOT_FOUND_PATH:
        assert "ไม่พบหน้าที่ต้องการ" in page.locator("#notfound-title").inner_text()
    else:
        assert page.locator("#shell-snapshot-version").is_visible()
    if shots_dir:
        page.screenshot(path=str(shots_dir / f"th-1366-{_slug(path)}.png"), full_page=True)
    bad = _axe_serious(page)
    assert not bad, f"{path} (th): {bad}"
    watch.assert_clean(path)
    assert watch.requests, "no requests recorded (listener not attached?)"


@pytest.mark.parametrize("path", PAGE_PATHS, ids=_slug)
def test_page_accessibility_english(make_page, app_url, path):
    page, watch = make_page(1366, 900, lang="en")
    page.goto(app_url + path)
    wait_rendered(page)
    assert page.evaluate("document.documentElement.lang") == "en"
    bad = _axe_serious(page)
    assert not bad, f"{path} (en): {bad}"
    watch.assert_clean(path)


@pytest.mark.parametrize("path", PAGE_PATHS, ids=_slug)
def test_page_fits_screen(make_page, app_url, path, shots_dir):
    """A 390 px phone, then (the same page, resized) a 1366 px laptop and a 1920 × 1080 projector:
    no sideways scroll (the navbar too); on the phone the menu folds behind the toggler and opens."""
    page, watch = make_page(390, 844)
    page.goto(app_url + path)
    wait_rendered(page)
    for width, height in ((390, 844), (1366, 768), (1920, 1080)):
        if width != 390:
            page.set_viewport_size({"width": width, "height": height})
            page.wait_for_timeout(300)  # responsive charts redraw on resize
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{path} scrolls sideways at {width}px: scrollWidth {scroll_width}"
        assert page.locator("#shell-brand").is_visible()
        if width < 1200:
            # the menu is collapsed behind the toggler on phones; it opens and shows the links
            toggler = page.locator("#shell-navbar-toggler")
            assert toggler.is_visible()
            toggler.click()
            page.locator("#shell-navbar-collapse .nav-link").first.wait_for(state="visible")
            assert page.locator("#shell-lang-toggle").is_visible()
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            toggler.click()  # fold it again before the projector size
        if shots_dir:
            page.screenshot(path=str(shots_dir / f"th-{width}-{_slug(path)}.png"), full_page=True)
    watch.assert_clean(path)


# ------------------------------------------------------------------------------------ About page


def test_about_shows_official_gpp_as_published(make_page, app_url, app_server):
    page, watch = make_page(1366, 900)
    page.goto(app_url + "/about-data")
    wait_rendered(page)
    gpp = page.locator("#about-gpp")
    assert "ผลิตภัณฑ์มวลรวมจังหวัด (NESDC) ตามที่เผยแพร่" in gpp.locator("h2").inner_text()
    text = gpp.inner_text()
    # Chumphon, NESDC 2024 edition, current prices, 2019 and 2023 exactly as published, years in B.E.
    for expected in ("116,633.389", "114,266.362", "2562", "2566"):
        assert expected in text, expected
        assert gpp.get_by_text(expected, exact=True).first.is_visible()
    watch.assert_clean("/about-data")


def test_about_marks_sample_datasets(make_page, app_url, app_server):
    datasets = _warehouse_rows(app_server.warehouse, "SELECT dataset FROM meta_dataset ORDER BY dataset")
    samples = _warehouse_rows(
        app_server.warehouse,
        "SELECT dataset FROM meta_dataset WHERE provenance = 'sample' OR coalesce(sample_rows, 0) > 0",
    )
    page, watch = make_page(1366, 900)
    page.goto(app_url + "/about-data")
    wait_rendered(page)
    table = page.locator("#about-datasets-table")
    assert table.locator("tbody tr").count() == len(datasets)
    for (name,) in samples:
        badge = table.locator(f'tr[data-dataset="{name}"] .prov-sample')
        assert badge.first.is_visible(), f"{name} is not marked as sample"
        assert "ข้อมูลตัวอย่าง" in badge.first.inner_text()
    official = _warehouse_rows(
        app_server.warehouse,
        "SELECT dataset FROM meta_dataset WHERE provenance = 'official' AND coalesce(sample_rows, 0) = 0",
    )
    for (name,) in official:
        assert table.locator(f'tr[data-dataset="{name}"] .prov-sample').count() == 0, name
    note = page.locator("#about-sample-note")
    assert note.is_visible() and "ข้อมูลตัวอย่าง" in note.inner_text()
    watch.assert_clean("/about-data")


# ------------------------------------------------------------------------------------ language


def test_language_toggle(make_page, app_url):
    page, watch = make_page(1366, 900)
    page.goto(app_url + "/about-data")
    wait_rendered(page)
    assert page.evaluate("document.documentElement.lang") == "th"
    assert page.locator("#about-title").inner_text() == "แหล่งข้อมูล"
    assert page.locator("#shell-navbar .nav-link", has_text="แหล่งข้อมูล").is_visible()

    with page.expect_navigation():
        page.locator("#shell-lang-toggle").click()
    wait_rendered(page)
    assert page.url.endswith("/about-data")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator("#about-title").inner_text() == "About the data"
    assert page.locator("#shell-navbar .nav-link", has_text="About the data").is_visible()
    assert "Snapshot" in page.locator("#shell-footer").inner_text()
    assert page.locator("#shell-lang-toggle").inner_text() == "ภาษาไทย"

    with page.expect_navigation():
        page.locator("#shell-lang-toggle").click()
    wait_rendered(page)
    assert page.evaluate("document.documentElement.lang") == "th"
    assert page.locator("#about-title").inner_text() == "แหล่งข้อมูล"
    assert page.locator("#shell-lang-toggle").inner_text() == "English"
    watch.assert_clean("language toggle")


# ------------------------------------------------------------------------------------ new snapshot


def test_new_snapshot_without_restart(app_server, make_page, app_url, tmp_path):
    """The builder swaps a new file in with os.replace; the running app serves it at once."""
    live = app_server.warehouse
    backup = tmp_path / "backup.duckdb"
    shutil.copy2(live, backup)
    (old_version,) = _warehouse_rows(live, "SELECT version FROM meta_snapshot LIMIT 1")[0]
    new = live.parent / ".test-new-snapshot.duckdb"
    shutil.copy2(live, new)
    con = duckdb.connect(str(new))
    con.execute("UPDATE meta_snapshot SET version = version || '-next'")
    con.close()
    try:
        os.replace(new, live)
        status, body = app_server.get_json("/healthz")
        assert status == 200 and body["snapshot"] == f"{old_version}-next"
        page, watch = make_page(1366, 900)
        page.goto(app_url + "/")
        wait_rendered(page)
        assert page.locator("#shell-snapshot-version").inner_text() == f"{old_version}-next"
        watch.assert_clean("/")
    finally:
        restore = live.parent / ".test-restore.duckdb"
        shutil.copy2(backup, restore)
        os.replace(restore, live)
    status, body = app_server.get_json("/healthz")
    assert body["snapshot"] == old_version
