"""/gpp in a real browser: NESDC's real sectors by default, change province and year range (kept
in the URL), the totals-only edition and one-year edges, and the table download."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from openpyxl import load_workbook

from tests.browser.test_shell import wait_rendered


def query(url: str) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def shown(page, view: str) -> None:
    """Wait until the page drawn is the one for view ("province:from:to"): the URL changes before the
    page is drawn anew, and a control changed on the old page is lost when the new one replaces it."""
    page.wait_for_selector(f"#gpp-page[data-view='{view}']")


def test_change_province_and_range(make_page, app_url, tmp_path):
    page, watch = make_page(1366, 900)
    page.goto(app_url + "/gpp")
    wait_rendered(page)
    assert page.input_value("#gpp-province") == "86"
    rows = page.eval_on_selector_all("#gpp-table tbody tr", "rs => rs.map(r => [r.dataset.edition, r.dataset.year])")
    # opens on NESDC's sector table (edition nesdc-2013-2020, 2538-2563), official: no sample note
    assert [y for e, y in rows if e == "nesdc-2013-2020"] == [str(y) for y in range(2538, 2564)]
    assert [y for e, y in rows if e == "nesdc-2024"] == ["2562", "2563"]  # both vintages, side by side
    # the headline quotes 2563 from the latest edition (revised), the preliminary one stays in the table
    assert "125,362.282" in page.inner_text("#gpp-analysis") and "125,363.581" not in page.inner_text("#gpp-analysis")
    assert "125,363.581" in page.inner_text("#gpp-table") and "nesdc-" not in page.inner_text("#gpp-table")
    # the province list in Thai dictionary order: เชียงใหม่ under ช, เพชรบุรี and แพร่ under พ, แม่ฮ่องสอน under ม
    names = page.eval_on_selector_all("#gpp-province option", "os => os.map(o => o.textContent)")
    assert names.index("ชุมพร") < names.index("เชียงใหม่") < names.index("ตรัง")
    assert names.index("พิษณุโลก") < names.index("เพชรบุรี") < names.index("แพร่") < names.index("ภูเก็ต")
    assert names.index("มุกดาหาร") < names.index("แม่ฮ่องสอน") < names.index("ยโสธร")
    assert page.locator("#gpp-sector-table").count() == 1 and page.locator("#gpp-compare-table").count() == 1
    assert page.locator("#gpp-sample-note").count() == 0
    # beside the economy: NESDC's HAI, tourism and BOI of the province, official, ranked among the provinces
    hai = page.locator("#gpp-indicator-table tr[data-indicator='HAI'] td")
    assert hai.nth(1).inner_text() == "2563" and re.fullmatch(r"\d+/77", hai.nth(4).inner_text())
    assert page.locator("#gpp-indicator-table tr[data-indicator^='TOUR_']").count() == 5
    page.locator("[data-sy-lazy='gpp-map']").scroll_into_view_if_needed()  # drawn when near the screen
    page.wait_for_selector("#gpp-map .main-svg")
    # another province: its real sectors too
    page.select_option("#gpp-province", "10")
    page.wait_for_url(re.compile(r"province=10"))
    shown(page, "10:2538:2563")
    page.wait_for_selector("#gpp-compare-table")
    assert page.locator("#gpp-sample-note").count() == 0
    assert page.input_value("#gpp-province") == "10"
    # a range reaching into the 2024 edition: its totals only, said so, with the way to the sectors of 2020
    page.select_option("#gpp-to", "2566")
    page.wait_for_url(re.compile(r"to=2566"))
    shown(page, "10:2538:2566")
    page.wait_for_selector("#gpp-totals-only")
    assert "from=2538" in page.get_attribute("#gpp-see-sectors", "href")
    assert page.locator("#gpp-structure").count() == 0
    # a range of one year: levels without growth
    page.select_option("#gpp-from", "2564")
    page.wait_for_url(re.compile(r"from=2564"))
    shown(page, "10:2564:2566")  # the page drawn anew, its controls too
    page.select_option("#gpp-to", "2564")
    page.wait_for_url(re.compile(r"to=2564"))
    shown(page, "10:2564:2564")
    page.wait_for_selector("#gpp-one-year")
    assert query(page.url) == {"province": "10", "from": "2564", "to": "2564"}
    assert page.eval_on_selector_all("#gpp-table tbody tr", "rs => rs.map(r => r.dataset.year)") == ["2564"]
    growth = page.eval_on_selector_all("#gpp-table tbody td:nth-child(5)", "cs => cs.map(c => c.innerText)")
    assert growth == ["–"] and "ร้อยละ" not in page.inner_text("#gpp-analysis").split("ราคาประจำปี")[1][:40]
    page.go_back()
    page.wait_for_function("document.querySelectorAll('#gpp-table tbody tr').length > 1")
    assert query(page.url) == {"province": "10", "from": "2564", "to": "2566"}
    # download the table of the view in the URL
    with page.expect_download() as dl:
        page.click("#gpp-dl-csv")
    path = tmp_path / dl.value.suggested_filename
    dl.value.save_as(path)
    text = path.read_text(encoding="utf-8-sig")
    assert dl.value.suggested_filename.startswith("gpp_10_2564-") and "2564" in text
    with page.expect_download() as dl2:
        page.click("#gpp-dl-xlsx")
    assert dl2.value.suggested_filename.endswith(".xlsx")
    xlsx = tmp_path / dl2.value.suggested_filename
    dl2.value.save_as(xlsx)
    ranks = [r[10] for r in load_workbook(xlsx)["GPP"].iter_rows(min_row=2, values_only=True)]
    assert ranks and all(re.fullmatch(r"\d+/77", r) for r in ranks), ranks  # "1/77", never a bare 1
    assert not watch.console_errors and not watch.page_errors and not watch.foreign, watch


def test_english_province_list_and_the_csv_with_sectors(make_page, app_url, tmp_path):
    """English mode sorts the provinces by English name; the .csv has the sectors below the totals."""
    page, watch = make_page(1366, 900, lang="en")
    page.goto(app_url + "/gpp?province=86&from=2562&to=2563")
    wait_rendered(page)
    shown(page, "86:2562:2563")
    names = page.eval_on_selector_all("#gpp-province option[value]:not([value=''])", "os => os.map(o => o.textContent)")
    assert len(names) == 77 and names == sorted(names, key=str.casefold)
    legend = page.inner_text("#gpp-levels")
    assert "NESDC 2024 edition" in legend and "nesdc-" not in legend
    with page.expect_download() as dl:
        page.click("#gpp-dl-csv")
    path = tmp_path / dl.value.suggested_filename
    dl.value.save_as(path)
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("Year (B.E.),Edition,Flag,Sector,Sector name")
    rows = [line for line in lines[1:] if line.startswith("2563,NESDC 2013–2020 edition")]
    assert len(rows) == 20 and ",TOTAL," in rows[0] and ',A,"Agriculture' in rows[1]
    assert not watch.console_errors and not watch.page_errors and not watch.foreign, watch
