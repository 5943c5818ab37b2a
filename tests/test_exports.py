"""Exports without a browser (Flask test client): a table as .xlsx and back, who may export,
which addresses a page export refuses, the minutes as .docx, and the message when Chromium is
missing. The PDF, PPTX and chart exports that need Chromium are in tests/browser/test_exports.py."""

from __future__ import annotations

import io
from datetime import date

import pytest

from tests.conftest import ORIGIN, signed_in_clients

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def exp(built_warehouse, tmp_path_factory):
    """(make_client(role), app module, ops engine) on the demo warehouse and an ops store of
    this module's own."""
    mp = pytest.MonkeyPatch()
    home = tmp_path_factory.mktemp("exports")
    mp.setenv("SANYAN_WAREHOUSE", str(built_warehouse))
    mp.setenv("SANYAN_OPS_URL", f"sqlite:///{home / 'ops.sqlite'}")
    mp.setenv("SANYAN_SECRET_KEY", "export-tests-" + "k" * 30)
    import app
    import ops

    eng = ops.engine()
    make = signed_in_clients(eng, "x", ("executive", "viewer"), clear_counters=True)
    yield make, app, eng
    mp.undo()


TABLE = {
    "title": "ผลรายอำเภอ ตัวชี้วัด K01",
    "header": ["อำเภอ", "ผลสะสม", "เป้าหมาย", "รหัส", "หมายเหตุ", "ร้อยละ"],
    "rows": [
        ["เมืองชุมพร", "๑,๒๓๔", "1,234.5", "0801", "=SUM(A1:A9)", "12.5%"],
        ["ท่าแซะ", "(1,000)", "2570", "K01", "ยังไม่รายงาน", "–"],
    ],
}


def _audit(eng, action):
    import ops

    return [r for r in ops.audit_rows(eng) if r["action"] == action]


def test_table_xlsx_round_trip(exp):
    from openpyxl import load_workbook

    make, _app, eng = exp
    c = make("viewer")
    r = c.post("/export/table.xlsx", json=TABLE, headers=ORIGIN)
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.mimetype == XLSX
    assert "attachment" in r.headers["Content-Disposition"] and ".xlsx" in r.headers["Content-Disposition"]
    ws = load_workbook(io.BytesIO(r.data)).active
    rows = [list(row) for row in ws.iter_rows(values_only=True)]
    assert rows[0][0] == TABLE["title"]
    hdr = next(i for i, row in enumerate(rows) if row[: len(TABLE["header"])] == TABLE["header"])
    first, second = rows[hdr + 1], rows[hdr + 2]
    assert first[0] == "เมืองชุมพร" and second[0] == "ท่าแซะ"  # Thai text kept, as text
    assert first[1] == 1234 and isinstance(first[1], (int, float))  # Thai digits and separators -> a number
    assert first[2] == 1234.5
    assert second[1] == -1000  # (1,000) is a negative number
    assert second[2] == 2570
    assert first[3] == "0801"  # a code keeps its leading zero
    assert second[3] == "K01"
    assert first[5] == "12.5%" and second[5] == "–"
    cell = ws.cell(hdr + 2, 5)
    assert cell.value == "=SUM(A1:A9)" and cell.data_type == "s"  # never a formula
    assert ws.cell(hdr + 2, 2).number_format == "#,##0"
    assert ws.cell(hdr + 2, 3).number_format == "#,##0.0"
    entry = _audit(eng, "export.xlsx")[-1]
    assert entry["who"] == "x_viewer" and entry["outcome"] == "ok" and '"seconds"' in entry["after"]


def test_table_xlsx_rejects_what_is_not_a_table(exp):
    make, _app, _eng = exp
    c = make("viewer")
    assert c.post("/export/table.xlsx", data="not json", headers=ORIGIN).status_code == 400
    r = c.post("/export/table.xlsx", json={"header": "x", "rows": 5}, headers=ORIGIN)
    assert r.status_code == 400 and "ไม่ถูกต้อง" in r.get_data(as_text=True)


def test_cross_site_post_is_refused(exp):
    make, _app, _eng = exp
    c = make("executive")
    assert c.post("/export/table.xlsx", json=TABLE, headers={"Origin": "http://evil.example"}).status_code == 403
    assert c.post("/export/table.xlsx", json=TABLE).status_code == 403  # no Origin, no Referer


EXPORT_GETS = [
    "/export/pdf?path=/gpp",
    "/export/pdf?path=/kpi/K01",
    "/export/agenda/red.pptx",
    "/export/agenda/red.pdf",
    "/export/agenda/1.pptx",
    "/export/minutes/1.pdf",
    "/export/minutes/1.docx",
]


@pytest.mark.parametrize("url", EXPORT_GETS)
def test_public_visitor_is_refused(exp, url):
    make, _app, _eng = exp
    r = make("public").get(url)
    assert r.status_code in (302, 403), r.status_code
    if r.status_code == 302:
        assert "/login" in r.headers["Location"]
    assert r.mimetype not in ("application/pdf", XLSX) and b"%PDF" not in r.data[:10]


def test_public_visitor_cannot_post_a_table(exp):
    make, _app, eng = exp
    r = make("public").post("/export/table.xlsx", json=TABLE, headers=ORIGIN)
    assert r.status_code == 403 and r.mimetype.startswith("text/plain")
    assert "เข้าสู่ระบบ" in r.get_data(as_text=True)
    # audited as refused: by the export itself, or by the guard before it (web/auth.py's "refused"
    # on the path), whichever turns the public away first
    import ops

    refused = [
        r
        for r in ops.audit_rows(eng)
        if r["outcome"] == "refused"
        and (r["action"] == "export.xlsx" or (r["action"] == "refused" and "/export/table.xlsx" in (r["target"] or "")))
    ]
    assert refused


@pytest.mark.parametrize(
    "path",
    [
        "//evil.example/x",
        "https://evil.example/kpi",
        "http:/kpi",
        "kpi/K01",
        "/\\evil.example",
        "/export/pdf?path=/kpi",
        "/logout",
        "/login",
    ],
)
def test_page_pdf_only_renders_pages_of_the_app(exp, path, monkeypatch):
    from web import exports

    make, _app, _eng = exp
    monkeypatch.setattr(exports, "browser", lambda: pytest.fail("no browser for a refused address"))
    r = make("executive").get("/export/pdf", query_string={"path": path})
    assert r.status_code == 400, (path, r.status_code)
    assert "ส่งออก" in r.get_data(as_text=True)


def test_page_pdf_checks_the_page_role(exp, monkeypatch):
    from web import exports

    make, _app, _eng = exp
    monkeypatch.setattr(exports, "browser", lambda: pytest.fail("no browser for a refused page"))
    r = make("viewer").get("/export/pdf", query_string={"path": "/admin"})
    assert r.status_code == 403
    assert "ไม่มีสิทธิ์" in r.get_data(as_text=True)


def test_missing_chromium_gives_a_clear_503(exp, monkeypatch):
    make, _app, eng = exp
    monkeypatch.setenv("SANYAN_CHROMIUM", "/nonexistent/chromium")
    c = make("executive")
    for url in ("/export/pdf?path=/kpi/K01", "/export/agenda/red.pdf"):
        r = c.get(url)
        text = r.get_data(as_text=True)
        assert r.status_code == 503, (url, r.status_code)
        assert "ไม่พบโปรแกรม Chromium" in text and "/nonexistent/chromium" in text and "Chromium was not found" in text
    assert _audit(eng, "export.pdf")[-1]["outcome"] == "failed"


def test_unknown_agenda_is_404_without_a_browser(exp, monkeypatch):
    from web import exports

    make, _app, _eng = exp
    monkeypatch.setattr(exports, "browser", lambda: pytest.fail("no browser for an unknown agenda"))
    c = make("executive")
    assert c.get("/export/agenda/99999.pptx").status_code == 404
    assert c.get("/export/agenda/nonsense.pdf").status_code == 404
    assert c.get("/export/minutes/99999.docx").status_code == 404


def test_minutes_docx(exp):
    from docx import Document
    from docx.oxml.ns import qn

    from ops import meeting
    from ops.entry import Actor

    make, _app, eng = exp
    boss = Actor("x_executive", "executive")
    earlier = meeting.create_agenda(eng, boss, "ประชุมครั้งก่อน", date(2026, 10, 30), [("/kpi/K02", "K02")])
    old = meeting.issue(
        eng, boss, "K02", 2570, 10, "เร่งรัดการเบิกจ่ายงบประมาณ", "สำนักงานจังหวัด", date(2026, 12, 15), agenda_id=earlier
    )
    aid = meeting.create_agenda(
        eng,
        boss,
        "ประชุม กจ. ครั้งที่ 11/2569",
        date(2026, 11, 30),
        [("/kpi/K01?fy=2570", "สีแดง: K01 ผลผลิตทุเรียน"), ("/?fy=2570", "ภาพรวมตัวชี้วัด")],
    )
    meeting.issue(
        eng,
        boss,
        "K01",
        2570,
        None,
        "ให้สำนักงานเกษตรจังหวัดรายงานแผนฟื้นฟู",
        "สำนักงานเกษตรจังหวัด",
        date(2026, 12, 31),
        agenda_id=aid,
    )
    meeting.issue(
        eng, boss, "K40", 2570, None, "ข้อสั่งการลับเฉพาะผู้บริหาร", "สำนักงานจังหวัด", date(2026, 12, 31), agenda_id=aid
    )
    closed = meeting.issue(
        eng, boss, "K02", 2570, None, "เรื่องที่ปิดไปแล้ว", "สำนักงานจังหวัด", date(2026, 11, 1), agenda_id=earlier
    )
    d = meeting.get_directive(eng, closed)
    meeting.close(eng, boss, closed, d["version"], "ดำเนินการแล้ว")
    assert old

    def text_of(role):
        r = make(role).get(f"/export/minutes/{aid}.docx")
        assert r.status_code == 200, r.get_data(as_text=True)
        assert r.headers["Content-Disposition"].endswith(".docx") or ".docx" in r.headers["Content-Disposition"]
        doc = Document(io.BytesIO(r.data))
        parts = [p.text for p in doc.paragraphs]
        parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
        return doc, "\n".join(parts)

    doc, text = text_of("executive")
    assert "ประชุม กจ. ครั้งที่ 11/2569" in text
    assert "30 พฤศจิกายน 2569" in text  # the meeting date in B.E.
    assert "สีแดง: K01 ผลผลิตทุเรียน" in text and "ภาพรวมตัวชี้วัด" in text
    assert "ให้สำนักงานเกษตรจังหวัดรายงานแผนฟื้นฟู" in text and "31 ธันวาคม 2569" in text
    assert "เร่งรัดการเบิกจ่ายงบประมาณ" in text  # still open from the earlier meeting
    assert "เรื่องที่ปิดไปแล้ว" not in text  # closed: not carried over
    assert "ข้อสั่งการลับเฉพาะผู้บริหาร" in text  # an executive reads secret KPIs
    fonts = doc.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:cs")) == "Sarabun" and fonts.get(qn("w:ascii")) == "Sarabun"
    assert fonts.get(qn("w:cstheme")) is None

    _doc, text = text_of("viewer")
    assert "ให้สำนักงานเกษตรจังหวัดรายงานแผนฟื้นฟู" in text
    assert "ข้อสั่งการลับเฉพาะผู้บริหาร" not in text  # a viewer does not read secret KPIs
    assert _audit(eng, "export.minutes.docx")[-1]["who"] == "x_viewer"


def test_minutes_of_a_meeting_without_directives(exp):
    from docx import Document

    from ops import meeting
    from ops.entry import Actor

    make, _app, eng = exp
    aid = meeting.create_agenda(eng, Actor("x_executive", "executive"), "ประชุมไม่มีข้อสั่งการ", date(2026, 12, 1))
    r = make("executive").get(f"/export/minutes/{aid}.docx")
    assert r.status_code == 200, r.get_data(as_text=True)
    paras = [p.text for p in Document(io.BytesIO(r.data)).paragraphs]
    at = paras.index("ข้อสั่งการในการประชุมครั้งนี้")
    assert paras[at + 1] == "ไม่มี"
    assert paras[paras.index("เรื่องที่พิจารณา") + 1] == "ไม่มี"


def test_minutes_docx_in_english(exp):
    from docx import Document

    from ops import meeting
    from ops.entry import Actor

    make, _app, eng = exp
    aid = meeting.create_agenda(
        eng, Actor("x_executive", "executive"), "Provincial meeting", date(2026, 12, 2), [("/kpi/K01", "K01 in red")]
    )
    c = make("executive")
    c.set_cookie("sanyan_lang", "en")
    r = c.get(f"/export/minutes/{aid}.docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(r.data)).paragraphs)
    assert "Minutes" in text and "Meeting date 2 December 2569" in text and "Directives issued in this meeting" in text
    assert "K01 in red (/kpi/K01)" in text and "รายงานการประชุม" not in text


def test_minutes_html_and_pdf_hold_the_agenda_views_and_directives_with_unit_and_due(exp):
    """The briefing book's minutes (issue 26): the agenda, the views shown, every directive given with
    its unit and due date; ``?unit=`` marks that unit's rows. The PDF is Chromium's print of this HTML."""
    from ops import meeting
    from ops.entry import Actor
    from web import exports

    _make, _app, eng = exp
    boss = Actor("x_executive", "executive")
    aid = meeting.create_agenda(
        eng,
        boss,
        "ประชุมสรุปผล ครั้งที่ 12/2569",
        date(2026, 11, 20),
        [("/kpi/K05?fy=2570", "สีแดง: K05 ผลผลิตทุเรียน"), ("/projects", "โครงการ")],
    )
    meeting.issue(
        eng, boss, "K05", 2570, 11, "เร่งรัดการรายงานผลผลิต", "กลุ่มส่งเสริมการผลิต", date(2026, 12, 25), agenda_id=aid
    )
    meeting.issue(eng, boss, "K01", 2570, None, "ทบทวนแผนแปลงใหญ่", "กลุ่มอารักขาพืช", date(2027, 1, 10), agenda_id=aid)
    m = exports.minutes_data(aid, "th")
    html = exports.minutes_html(m, "th")
    assert "ประชุมสรุปผล ครั้งที่ 12/2569" in html and "20 พฤศจิกายน 2569" in html  # the agenda
    assert "สีแดง: K05 ผลผลิตทุเรียน" in html and "/kpi/K05?fy=2570" in html and "โครงการ" in html  # views
    for text, unit, due in (
        ("เร่งรัดการรายงานผลผลิต", "กลุ่มส่งเสริมการผลิต", "25 ธันวาคม 2569"),
        ("ทบทวนแผนแปลงใหญ่", "กลุ่มอารักขาพืช", "10 มกราคม 2570"),
    ):
        row = next(tr for tr in html.split("<tr") if text in tr)
        assert unit in row and due in row  # each directive with its unit and due date, on its row
    assert "class=mine" not in html and "★" not in html
    marked = exports.minutes_html({**m, "unit": "กลุ่มอารักขาพืช"}, "th")
    row = next(tr for tr in marked.split("<tr") if "ทบทวนแผนแปลงใหญ่" in tr)
    assert row.startswith(" class=mine>") and "★" in row
    assert "★" not in next(tr for tr in marked.split("<tr") if "เร่งรัดการรายงานผลผลิต" in tr)

    # the PDF of a unit's minutes, drawn by Chromium: tests/browser/test_exports.py (a browser test,
    # beside the session's own browser)
