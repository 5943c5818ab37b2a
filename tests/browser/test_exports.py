"""Exports in a real browser, against an app of this module's own (its ops store gets agendas):
a chart as PNG and SVG, a table as .xlsx, a page as PDF with Sarabun embedded, an agenda as PPTX
and PDF, a meeting's minutes as PDF and DOCX. Each export's time is printed (``pytest -s``)."""

from __future__ import annotations

import io
import threading
import time
from datetime import date
from pathlib import Path

import pytest

from tests.browser.conftest import pages_for

KPI_PATH = "/kpi/K01?fy=2570"
VIEWS = [
    ("/kpi/K01?fy=2570", "สีแดง: K01 ทดสอบหน้าแรก"),
    ("/?fy=2570", "ภาพรวมตัวชี้วัด ทดสอบ"),
    ("/gpp", "ผลิตภัณฑ์มวลรวมจังหวัด ทดสอบ"),
    ("/projects", "โครงการ ทดสอบ"),
]
SAMPLE_FED = [True, True, False]  # the KPI views draw sample results; /gpp draws NESDC's figures only
# a KPI, the overview, GPP and the open directives have slides of their own (pages/slide.py); /projects
# is pictured as the page
SLIDE_KIND = [True, True, True, False, True]
AGENDA_TITLE = "ประชุม กจ. ทดสอบ"
FOLLOW_UP = "ติดตามข้อสั่งการที่ยังไม่ปิด"
TIMES: dict[str, float] = {}


def _timed(name: str, fn):
    t0 = time.monotonic()
    out = fn()
    TIMES[name] = time.monotonic() - t0
    print(f"\n[export timing] {name}: {TIMES[name]:.2f} s")
    return out


def wait_rendered(page) -> None:
    page.wait_for_selector("#shell-footer")
    page.wait_for_selector("#_pages_content .sy-page")
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready.then(() => true)")


@pytest.fixture(scope="module")
def signed_in(browser, own_app):
    """One executive's page on this module's app (contexts closed at the end)."""
    make, contexts = pages_for(browser, own_app.url)
    page, watch = make(1366, 900, role="executive")
    yield page, watch
    for ctx in contexts:
        ctx.close()


@pytest.fixture(scope="module")
def agenda_id(own_app):
    import ops
    from ops import meeting
    from ops.entry import Actor

    eng = ops.engine(f"sqlite:///{Path(own_app.warehouse).parents[1] / 'ops.sqlite'}")
    boss = Actor("exec1", "executive")
    aid = meeting.create_agenda(eng, boss, AGENDA_TITLE, date(2026, 11, 30), VIEWS)
    meeting.issue(
        eng,
        boss,
        "K01",
        2570,
        10,
        "ให้รายงานแผนฟื้นฟูผลผลิตภายในเดือนนี้",
        "สำนักงานเกษตรจังหวัด",
        date(2026, 12, 31),
        agenda_id=aid,
    )
    eng.dispose()
    return aid


def _pdf(data: bytes):
    from pypdf import PdfReader

    assert data[:5] == b"%PDF-", data[:200]
    return PdfReader(io.BytesIO(data))


_MARKS = dict.fromkeys([0x0E31, *range(0x0E34, 0x0E3B), *range(0x0E47, 0x0E4F), 0x0E33, 0])


def _loose(text: str) -> str:
    """Text for comparing with what pypdf extracts from Chromium's PDFs: Chromium maps the
    shifted forms of Thai vowels and tone marks above or below a letter to no character (pypdf
    gives NUL), and sara am comes back as nikhahit + sara aa; so marks, NULs and spaces go."""
    return "".join(text.translate(_MARKS).split()).replace("\u0e32", "")


def _embedded_fonts(reader) -> set[str]:
    """Base names of the fonts embedded (with a font file) in a PDF."""
    names = set()
    for page in reader.pages:
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for ref in fonts.values():
            f = ref.get_object()
            for d in [f] + [x.get_object() for x in f.get("/DescendantFonts") or []]:
                desc = d.get("/FontDescriptor")
                if desc is not None:
                    desc = desc.get_object()
                    if any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                        names.add(str(d.get("/BaseFont")))
    return names


def _download(page, name: str, click) -> tuple[bytes, str]:
    """Click, wait for the download, return its bytes and suggested name; the time from the
    click to the saved file is printed."""
    t0 = time.monotonic()
    with page.expect_download(timeout=60_000) as got:
        click()
    data = Path(got.value.path()).read_bytes()
    TIMES[name] = time.monotonic() - t0
    print(f"\n[export timing] {name}: {TIMES[name]:.2f} s ({len(data):,} bytes)")
    return data, got.value.suggested_filename


def _audited(own_app, action: str) -> None:
    """The export just made left an audit entry: who, ok, and its seconds."""
    import json

    import ops

    eng = ops.engine(f"sqlite:///{Path(own_app.warehouse).parents[1] / 'ops.sqlite'}")
    rows = [r for r in ops.audit_rows(eng) if r["action"] == action]
    eng.dispose()
    assert rows, action
    last = rows[-1]
    assert (last["who"], last["outcome"]) == ("exec1", "ok"), last
    seconds = json.loads(last["after"])["seconds"]
    assert isinstance(seconds, (int, float)) and seconds >= 0
    print(f"[export timing] {action} in the audit trail: {seconds} s")


def test_chart_png_and_svg(signed_in, own_app):
    page, watch = signed_in
    page.goto(own_app.url + KPI_PATH)
    wait_rendered(page)
    png_btn = page.get_by_role("button", name="ดาวน์โหลดกราฟ K01", exact=False).filter(has_text="PNG").first
    assert png_btn.get_attribute("data-sy-graph") == "kpidetail-years"
    png, name = _download(page, "chart PNG (in the browser)", png_btn.click)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and name.endswith(".png")
    svg_btn = page.get_by_role("button", name="ดาวน์โหลดกราฟ K01", exact=False).filter(has_text="SVG").first
    svg_bytes, name = _download(page, "chart SVG (in the browser)", svg_btn.click)
    svg = svg_bytes.decode("utf-8")
    assert svg.lstrip().startswith("<svg") and name.endswith(".svg")
    assert "ผลรายปีเทียบเกณฑ์ 5 ระดับ" in svg  # the chart's Thai title
    assert "@font-face" in svg and "data:font/woff2;base64," in svg  # Sarabun travels with the file
    watch.assert_clean(KPI_PATH)


def test_table_as_excel(signed_in, own_app):
    from openpyxl import load_workbook

    page, watch = signed_in
    page.goto(own_app.url + KPI_PATH)
    wait_rendered(page)
    tables = page.locator("table.sy-table")
    assert tables.count() >= 1
    page.wait_for_function("""() => [...document.querySelectorAll('table.sy-table')]
        .every(t => t._syExportButton && document.contains(t._syExportButton))""")
    assert page.locator("button.sy-table-export").count() == tables.count()  # one each, never two
    table = page.locator("#kpidetail-districts")
    first_cell = table.locator("tbody tr").first.locator("td").first.text_content().strip()
    btn = page.locator("#kpidetail-districts").locator(
        "xpath=ancestor::div[contains(@class,'table-responsive')][1]/following-sibling::button[1]"
    )
    data, name = _download(page, "table .xlsx", btn.click)
    assert name.endswith(".xlsx")
    rows = [r for r in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]
    header = next(i for i, r in enumerate(rows) if r[0] == "อำเภอ")
    body = rows[header + 1 :]
    assert len(body) > 0 and body[0][0] == first_cell
    assert any(isinstance(x, (int, float)) for r in body for x in r[2:])  # figures arrive as numbers
    _audited(own_app, "export.xlsx")
    watch.assert_clean(KPI_PATH)


def test_page_as_pdf(signed_in, own_app):
    page, watch = signed_in
    resp = _timed(
        "page PDF /kpi/K01", lambda: page.request.get(own_app.url + "/export/pdf?path=/kpi/K01", timeout=90_000)
    )
    assert resp.status == 200, resp.text()
    assert resp.headers["content-type"] == "application/pdf"
    reader = _pdf(resp.body())
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert len(reader.pages) >= 1
    assert "K01" in text and _loose("ผลรายปีเทียบเกณฑ์ 5 ระดับ") in _loose(text)  # a chart's title
    assert _loose("ชุดข้อมูล") in _loose(text)  # the footer with the snapshot version
    assert "ออกจากระบบ" not in text and "PDF" not in text  # no navbar, no export buttons
    assert any("Sarabun" in f for f in _embedded_fonts(reader)), _embedded_fonts(reader)
    _audited(own_app, "export.pdf")
    # the footer's button asks for the page it is on (answered here, so the page is not rendered twice)
    asked = []

    def answer(route):
        asked.append(route.request.url)
        route.fulfill(
            status=200,
            body=resp.body(),
            headers={
                "Content-Type": "application/pdf",
                "Content-Disposition": "attachment; filename=sanyan-kpi-K01.pdf",
            },
        )

    page.goto(own_app.url + KPI_PATH)
    wait_rendered(page)
    page.route("**/export/pdf?*", answer)
    data, name = _download(
        page, "footer button to saved file (server answer mocked)", lambda: page.click("#shell-export-pdf")
    )
    page.unroute("**/export/pdf?*")
    assert asked == [own_app.url + "/export/pdf?path=%2Fkpi%2FK01%3Ffy%3D2570"]
    assert name == "sanyan-kpi-K01.pdf" and data == resp.body()
    watch.assert_clean(KPI_PATH)


def test_agenda_as_pptx_and_pdf(signed_in, own_app, agenda_id):
    from pptx import Presentation

    page, _watch = signed_in
    titles = [t for _p, t in VIEWS] + [FOLLOW_UP]
    resp = _timed(
        "agenda PPTX (5 views)",
        lambda: page.request.get(f"{own_app.url}/export/agenda/{agenda_id}.pptx", timeout=120_000),
    )
    assert resp.status == 200, resp.text()
    prs = Presentation(io.BytesIO(resp.body()))
    assert len(prs.slides) == len(titles) == 5
    assert abs(prs.slide_width / prs.slide_height - 16 / 9) < 0.01
    for n, (slide, title) in enumerate(zip(prs.slides, titles)):
        assert slide.shapes.title.text_frame.text == title
        pics = [s for s in slide.shapes if s.shape_type == 13]
        assert len(pics) == 1 and pics[0].image.size == (1920, 1080)
        assert pics[0].image.blob[:8] == b"\x89PNG\r\n\x1a\n"
        texts = " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
        if SLIDE_KIND[n]:  # the view's 16:9 slide is the whole slide; its source also in the notes
            box = (pics[0].left, pics[0].top, pics[0].width, pics[0].height)
            assert box == (0, 0, prs.slide_width, prs.slide_height), box
            assert slide.shapes.title.top < 0  # the title for the outline, above the slide's edge
            texts = slide.notes_slide.notes_text_frame.text
        assert "ชุดข้อมูล" in texts and "ข้อมูล ณ" in texts and "2569" in texts
        if n < len(SAMPLE_FED):  # the source line carries the sample mark when the view drew sample rows
            assert ("⚠ ข้อมูลตัวอย่าง" in texts) == SAMPLE_FED[n], (title, texts)
        assert slide.shapes.title.text_frame.paragraphs[0].runs[0].font.name == "Sarabun"
    _audited(own_app, "export.agenda.pptx")

    resp = _timed(
        "agenda PDF (5 views)",
        lambda: page.request.get(f"{own_app.url}/export/agenda/{agenda_id}.pdf", timeout=120_000),
    )
    assert resp.status == 200, resp.text()
    reader = _pdf(resp.body())
    assert len(reader.pages) == 5
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height  # landscape
    assert _loose(titles[0]) in _loose(reader.pages[0].extract_text())
    assert _loose(titles[4]) in _loose(reader.pages[4].extract_text())
    assert _loose("ข้อมูลตัวอย่าง") in _loose(reader.pages[0].extract_text())
    assert _loose("ข้อมูลตัวอย่าง") not in _loose(reader.pages[2].extract_text())
    assert any("Sarabun" in f for f in _embedded_fonts(reader))
    _audited(own_app, "export.agenda.pdf")


def test_minutes_as_pdf_and_docx(signed_in, own_app, agenda_id):
    from docx import Document

    page, _watch = signed_in
    resp = _timed(
        "minutes PDF", lambda: page.request.get(f"{own_app.url}/export/minutes/{agenda_id}.pdf", timeout=60_000)
    )
    assert resp.status == 200, resp.text()
    reader = _pdf(resp.body())
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert _loose(AGENDA_TITLE) in _loose(text) and _loose("30 พฤศจิกายน 2569") in _loose(text)
    assert any("Sarabun" in f for f in _embedded_fonts(reader))
    _audited(own_app, "export.minutes.pdf")
    # a unit's briefing book: its directive's row marked, with its unit and due date (issue 26)
    resp = page.request.get(f"{own_app.url}/export/minutes/{agenda_id}.pdf?unit=สำนักงานเกษตรจังหวัด", timeout=60_000)
    assert resp.status == 200, resp.text()
    text = _loose("".join(p.extract_text() for p in _pdf(resp.body()).pages))
    for want in ("★", "สำนักงานเกษตรจังหวัด", "31 ธันวาคม 2569", "K01"):
        assert _loose(want) in text, (want, text[:400])
    resp = _timed("minutes DOCX", lambda: page.request.get(f"{own_app.url}/export/minutes/{agenda_id}.docx"))
    assert resp.status == 200, resp.text()
    doc = Document(io.BytesIO(resp.body()))
    text = "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])
    assert AGENDA_TITLE in text and "ให้รายงานแผนฟื้นฟูผลผลิตภายในเดือนนี้" in text
    for title in (t for _p, t in VIEWS):
        assert title in text
    _audited(own_app, "export.minutes.docx")


def test_an_export_leaves_no_temporary_files(monkeypatch):
    """The browser's profile and artefacts live in TMPDIR while it runs and are gone after."""
    import shutil
    import tempfile

    from web import exports

    tmp = Path(tempfile.mkdtemp(prefix="sy-"))  # short: Chromium's socket path has a length limit
    try:
        monkeypatch.setenv("TMPDIR", str(tmp))
        html = (
            f"<!DOCTYPE html><html lang='th'><style>{exports.font_css()} body{{font-family:Sarabun}}</style>"
            "<p>ทดสอบ</p>"
        )
        got = {}

        def run():  # in a thread of its own, as in the server (this one runs the tests' browser)
            with exports.browser() as b:
                got["during"] = list(tmp.iterdir())
                got["pdf"] = exports.html_pdf(b, html, landscape=False)

        t = threading.Thread(target=run)
        t.start()
        t.join(60)
        assert got.get("during"), "the browser did not use TMPDIR (the check below would prove nothing)"
        data = got["pdf"]
        assert any("Sarabun" in f for f in _embedded_fonts(_pdf(data)))
        assert list(tmp.iterdir()) == []
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
