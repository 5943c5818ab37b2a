"""The public portal in a real browser: no sign-in needed; open data only, whoever reads it (a
public visitor and an executive, who sees secret data elsewhere, both); search in Thai; the
request and survey forms; a keeper adds a §9 entry."""

from __future__ import annotations

import re

import pytest

# KPIs and indicators not classified open in the sample (dim_kpi / dim_indicator): codes and names
HIDDEN = {
    "K07": "ร้อยละน้ำมันในทะลายปาล์ม",
    "K26": "หนี้สินเฉลี่ยต่อครัวเรือนเกษตร",
    "K40": "ร้อยละของโครงการที่ดำเนินการแล้วเสร็จตามแผน",
    "I24": "จำนวนคดีอาญาที่รับแจ้ง",
    "I31": "จำนวนเรื่องร้องเรียนที่ดำเนินการแล้วเสร็จ",
}
PAGES = [
    "/open",
    "/open/kpi",
    "/open/kpi?kpi=K05",
    "/open/kpi?kpi=K40",
    "/open/kpi?kpi=K07",
    "/open/indicators",
    "/open/indicators?indicator=I24",
    "/open/indicators?indicator=I01",
    "/open/s9",
    "/open/request",
]


def _rendered(page) -> str:
    """The page's body as drawn (the head only echoes the address the visitor typed)."""
    page.wait_for_selector("#_pages_content .sy-page")
    page.wait_for_load_state("networkidle")
    return page.evaluate("document.body.outerHTML")


def _no_leak(html: str, where: str) -> None:
    for code, name in HIDDEN.items():
        assert not re.search(rf"\b{code}\b", html), f"{where}: {code} leaked"
        assert name not in html, f"{where}: {name} leaked"


@pytest.mark.parametrize("role", [None, "executive"])
def test_the_portal_shows_open_data_only(make_page, app_url, role):
    page, watch = make_page(1366, 900, role=role)
    for path in PAGES:
        page.goto(app_url + path)
        _no_leak(_rendered(page), f"{path} as {role or 'public'}")
    assert page.locator("#openkpi-not-open").count() == 0  # the last page was /open/request
    page.goto(app_url + "/open/kpi?kpi=K40")
    page.locator("#openkpi-not-open").wait_for()
    page.goto(app_url + "/open/indicators?indicator=I24")
    page.locator("#openind-not-open").wait_for()
    page.goto(app_url + "/open")
    for q in ["K40", HIDDEN["K40"], HIDDEN["I24"], "คดีอาญา"]:
        page.fill("#open-q", q)
        page.locator("#open-no-results").wait_for()
    page.fill("#open-q", "ทุเรียน")  # Thai search finds open things
    page.locator("#open-result-list").wait_for()
    kinds = page.locator("#open-result-list li").evaluate_all("els => els.map(e => e.dataset.kind)")
    assert {"kpi", "indicator"} <= set(kinds)
    _no_leak(page.evaluate("document.body.outerHTML"), "search results")
    watch.assert_clean(f"portal as {role or 'public'}")


def test_forms_for_anyone(make_page, app_url):
    page, watch = make_page(390, 844, role=None)  # a phone, not signed in
    page.goto(app_url + "/open/request")
    page.locator("#openreq-send").wait_for()
    page.click("#openreq-send")  # empty: told what is missing
    page.locator("#openreq-error").wait_for()
    page.fill("#openreq-name", "สมหญิง รักดี")
    page.fill("#openreq-contact", "๐๘๑-๒๓๔-๕๖๗๘")
    page.fill("#openreq-subject", "ข้อมูลพื้นที่ปลูกทุเรียนรายอำเภอ")
    page.fill("#openreq-detail", "<b>ปี 2567</b>")
    page.click("#openreq-send")
    page.locator("#openreq-ok").wait_for()
    assert page.locator("#openreq-send").is_disabled()
    for key in ("web_find", "web_ease", "web_current", "oia_complete", "oia_request", "oia_timely"):
        page.locator(f"[data-question={key}] label").filter(has_text="5").click()
    page.click("#openreq-survey-send")
    page.locator("#openreq-survey-ok").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    watch.assert_clean("/open/request on a phone")


def test_a_keeper_adds_a_section_9_entry(make_page, app_url):
    public, _ = make_page(role=None)
    public.goto(app_url + "/open/s9")
    public.locator("#opens9-share").wait_for()
    assert public.locator("#opens9-form").is_hidden()  # the public reads, never edits
    admin, watch = make_page(role="admin")
    admin.goto(app_url + "/open/s9")
    admin.locator("#opens9-form").wait_for()
    before = float(admin.locator("#opens9-share").get_attribute("data-share"))
    admin.select_option("#opens9-category", "6")
    admin.fill("#opens9-f-title", "สัญญาร่วมลงทุนโครงการตลาดกลางผลไม้")
    admin.fill("#opens9-link", "https://www.chumphon.go.th/contracts/2569-01.pdf")
    admin.fill("#opens9-unit", "ฝ่ายบริหารทั่วไป")
    admin.fill("#opens9-review", "31/12/2570")
    admin.click("#opens9-save")
    admin.locator("#opens9-ok").wait_for()
    after = float(admin.locator("#opens9-share").get_attribute("data-share"))
    assert after == before + 12.5  # category (6) is now current
    assert admin.locator('[data-category="6"][data-current="true"]').count() == 1
    watch.assert_clean("/open/s9 admin")


def test_evidence_pack_button(make_page, app_url):
    """One button on /quality makes the PMQA Category 4 evidence pack: a PDF with a section per
    IT item and the .xlsx behind it; a viewer has no button."""
    import io

    from openpyxl import load_workbook
    from pypdf import PdfReader

    viewer, _ = make_page(role="viewer")
    viewer.goto(app_url + "/quality")
    viewer.locator("#quality-body").wait_for()
    assert viewer.locator("#quality-evidence-box").is_hidden()
    page, watch = make_page(role="executive")
    page.goto(app_url + "/quality")
    page.locator("#quality-evidence").wait_for()
    got = []
    page.on("download", lambda d: got.append(d))
    page.click("#quality-evidence")
    deadline = 90
    while len(got) < 2 and deadline > 0:
        page.wait_for_timeout(500)
        deadline -= 0.5
    files = {d.suggested_filename: open(d.path(), "rb").read() for d in got}
    pdf = next(v for k, v in files.items() if k.endswith(".pdf"))
    xlsx = next(v for k, v in files.items() if k.endswith(".xlsx"))
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert all(f"IT{i}" in text for i in range(1, 8))
    assert {f"IT{i}" for i in range(1, 8)} <= set(load_workbook(io.BytesIO(xlsx)).sheetnames)
    page.locator("#quality-evidence-ok").wait_for()
    watch.assert_clean("/quality evidence pack")
