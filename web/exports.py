"""Exports, offline, with the Thai font: tables as .xlsx, pages as PDF, agendas as PPTX / PDF and
a meeting's minutes as PDF / DOCX. Charts are exported in the browser (assets/sanyan-export.js).

Routes (signed-in internal users only; every export is audited as ``export.<kind>`` with its
seconds, and logged):

* ``POST /export/table.xlsx``            JSON {title, header, rows} -> a workbook (numbers as numbers)
* ``GET  /export/pdf?path=/kpi/K01``     that page of the app, rendered as the requesting user, A4
* ``GET  /export/agenda/<key>.pptx|.pdf`` one slide / landscape page per view of the agenda
* ``GET  /export/minutes/<id>.pdf|.docx`` the views discussed, the directives issued, the ones still open

PDFs and screenshots come from headless Chromium (``SANYAN_CHROMIUM``, default /usr/bin/chromium)
driven by Playwright, without ``playwright install``. The browser opens the app's own pages with
the requester's cookies, so it sees exactly what the requester may see; the app must therefore
serve more than one request at a time (``python app.py`` is threaded). It opens them at the fixed
``SANYAN_INTERNAL_URL`` (default ``http://127.0.0.1:<SANYAN_PORT>``), never at the request's Host or
X-Forwarded-Host, and may reach nothing else: every request to another scheme, host or port is
aborted (``data:`` and ``blob:`` need none), every WebSocket closed, the cookies are set for that
origin only, and a page that does not render within RENDER_TIMEOUT_MS fails the export (504).
A PDF carries Sarabun (served from assets/) as an embedded font subset. python-pptx and
python-docx can only *name* the font: the reader's PowerPoint / Word needs Sarabun installed (it
is the Thai government's font). A table's title, header or cell that a spreadsheet would read as
a formula is written as text (components/cells.py).
Nothing is written to disk: every document is built in memory; Playwright removes the browser's
temporary profile when it closes.
"""

from __future__ import annotations

import base64
import functools
import io
import logging
import os
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import flask

import db
from components import thai
from components.cells import xlsx_workbook
from components.i18n import current_lang
from config import settings
from web import auth

ROOT = Path(__file__).resolve().parents[1]
ASSETS = ROOT / "assets"
CHROMIUM_DEFAULT = "/usr/bin/chromium"  # the same default as tests/browser/conftest.py
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
RENDER_TIMEOUT_MS = 10_000  # one page of the app, from navigation to drawn
SETTLE_TIMEOUT_MS = 5_000  # after the page is there: network quiet, charts drawn
MAX_BROWSERS = 2  # exports that may run a browser at the same time
BUSY_WAIT_S = 90  # how long an export waits for a free browser slot
MAX_TABLE_BYTES = 8 * 1024 * 1024
MAX_TABLE_ROWS, MAX_TABLE_COLS = 50_000, 200
SHOT_W, SHOT_H = 1920, 1080  # agenda pictures: a 16:9 slide at 1080p (pages/slide.py)
HIDE_EXPORT_UI = ".sy-export-bar, .sy-table-export, #shell-export-pdf { display: none !important; }"
# A page printed to A4 portrait: laid out at PAGE_W px, then scaled so that width fills the paper.
PDF_MARGIN_MM = 12
PAGE_W = 1100
PDF_SCALE = round((210 - 2 * PDF_MARGIN_MM) / 25.4 * 96 / PAGE_W, 3)
# Paths a page export or an agenda must never render (no recursion, no side effects).
NOT_RENDERED = ("/export", "/login", "/logout", "/_dash", "/assets", "/healthz", "/_favicon", "/_reload-hash")

log = logging.getLogger("sanyan.exports")
_slots = threading.BoundedSemaphore(MAX_BROWSERS)


class ExportError(Exception):
    """A refusal or failure with an HTTP status and a message in Thai and English."""

    def __init__(self, status: int, th: str, en: str):
        super().__init__(en)
        self.status, self.th, self.en = status, th, en


def chromium_path() -> str:
    return settings.chromium or CHROMIUM_DEFAULT


# ---------------------------------------------------------------- the browser
@contextmanager
def browser() -> Iterator[Any]:
    """One headless Chromium for one export (all its pages and screenshots); 503 when there is
    none, when Playwright is missing, or when every browser slot stays busy."""
    path = chromium_path()
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise ExportError(
            503,
            f"ไม่พบโปรแกรม Chromium ที่ {path} จึงสร้างไฟล์นี้ไม่ได้ (ติดตั้ง Chromium หรือกำหนด SANYAN_CHROMIUM)",
            f"Chromium was not found at {path}, so this file cannot be made (install Chromium or set SANYAN_CHROMIUM)",
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise ExportError(
            503,
            "ยังไม่ได้ติดตั้งแพ็กเกจ playwright จึงสร้างไฟล์นี้ไม่ได้",
            "The playwright package is not installed, so this file cannot be made",
        ) from None
    if not _slots.acquire(timeout=BUSY_WAIT_S):
        raise ExportError(
            503, "มีการส่งออกไฟล์อื่นอยู่ กรุณาลองใหม่อีกครั้งในอีกสักครู่", "Other exports are running; please try again in a moment"
        )
    try:
        with sync_playwright() as p:
            try:
                b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
            except Exception as e:  # noqa: BLE001  (Playwright raises its own Error types)
                log.error("cannot start Chromium at %s: %s", path, e)
                raise ExportError(
                    503, f"เปิดโปรแกรม Chromium ที่ {path} ไม่ได้", f"Chromium at {path} could not be started"
                ) from None
            try:
                yield b
            finally:
                b.close()
    finally:
        _slots.release()


def _origin() -> str:
    """The app's own origin, where the export browser opens pages: ``SANYAN_INTERNAL_URL`` (config.py),
    never the request's Host; 503 when that setting is not an http(s) address."""
    raw = settings.internal_url
    scheme, host, _port = _origin_key(raw)
    if scheme not in ("http", "https") or not host or "@" in urlsplit(raw).netloc:
        raise ExportError(
            503,
            f"ค่า SANYAN_INTERNAL_URL ({raw}) ไม่ใช่ที่อยู่ http(s) จึงสร้างไฟล์นี้ไม่ได้",
            f"SANYAN_INTERNAL_URL ({raw}) is not an http(s) address, so this file cannot be made",
        )
    return f"{scheme}://{urlsplit(raw).netloc}"


def _origin_key(url: str) -> tuple:
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        return ("", "", None)
    return parts.scheme, (parts.hostname or "").lower(), port or {"http": 80, "https": 443}.get(parts.scheme)


def _confine(ctx, origin: str | None) -> None:
    """Let a context's pages reach `origin` (None: nothing) and data: / blob: URLs only: every
    other request is aborted and logged, every WebSocket closed."""
    own = _origin_key(origin) if origin else None

    def guard(route) -> None:
        url = route.request.url
        if urlsplit(url).scheme in ("data", "blob") or (own is not None and _origin_key(url) == own):
            route.continue_()
        else:
            log.warning("export browser: refused %s (only %s may be reached)", url[:200], origin or "data:")
            route.abort("blockedbyclient")

    ctx.route("**/*", guard)
    ctx.route_web_socket("**/*", lambda ws: ws.close())


def _context(b, width: int, height: int):
    """A browser context signed in as the requester: their cookies, for the app's own origin
    only, which is all the context may reach."""
    origin = _origin()
    ctx = b.new_context(
        viewport={"width": width, "height": height}, locale="th-TH", device_scale_factor=1, service_workers="block"
    )
    _confine(ctx, origin)
    cookies = [{"name": k, "value": v, "url": origin} for k, v in flask.request.cookies.items()]
    if cookies:
        ctx.add_cookies(cookies)
    ctx.set_default_timeout(RENDER_TIMEOUT_MS)
    return ctx


def _app_url(path: str) -> str:
    return _origin() + path


def _render(page, path: str) -> None:
    """Open a page of the app and wait until Dash has drawn it: the routed page (required), then
    no pending request, no callback in flight, every chart drawn and the web fonts loaded (each
    waited for at most SETTLE_TIMEOUT_MS; a slow chart is logged, the page is used as it is)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    resp = page.goto(_app_url(path), wait_until="domcontentloaded")
    if resp is not None and resp.status >= 400:
        raise ExportError(
            resp.status if resp.status in (403, 404) else 502,
            f"เปิดหน้า {path} ไม่ได้ (HTTP {resp.status})",
            f"Could not open {path} (HTTP {resp.status})",
        )
    if urlsplit(page.url).path == "/login":
        raise ExportError(401, "กรุณาเข้าสู่ระบบใหม่", "Please sign in again")
    try:
        page.wait_for_selector("#_pages_content .sy-page", state="attached")
    except PlaywrightTimeout:
        raise ExportError(
            504,
            f"หน้า {path} ไม่แสดงผลภายใน {RENDER_TIMEOUT_MS // 1000} วินาที",
            f"{path} did not render within {RENDER_TIMEOUT_MS // 1000} s",
        ) from None
    for wait in (
        lambda: page.wait_for_load_state("networkidle", timeout=SETTLE_TIMEOUT_MS),
        lambda: page.wait_for_function(
            """() => !document.querySelector('[data-dash-is-loading="true"]')
                        && [...document.querySelectorAll('.dash-graph')].every(g => g.querySelector('.main-svg'))""",
            timeout=SETTLE_TIMEOUT_MS,
        ),
    ):
        try:
            wait()
        except PlaywrightTimeout:
            log.warning("%s: not settled after %d s, used as it is", path, SETTLE_TIMEOUT_MS // 1000)
    page.evaluate("document.fonts.ready.then(() => true)")


def _with_query(path: str, **extra: str) -> str:
    parts = urlsplit(path)
    q = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in extra] + list(extra.items())
    return parts.path + "?" + urlencode(q)


def html_pdf(b, html: str, landscape: bool) -> bytes:
    """An HTML document of ours (fonts and pictures inline, nothing fetched) printed by Chromium."""
    ctx = b.new_context(locale="th-TH", service_workers="block")
    _confine(ctx, None)  # nothing to fetch, so nothing may be
    try:
        page = ctx.new_page()
        page.set_content(html, wait_until="load")
        page.evaluate("""async () => { await Promise.all(['400', '700'].map(w =>
            document.fonts.load(w + ' 16px Sarabun', 'กขคabc'))); await document.fonts.ready; return true; }""")
        return page.pdf(format="A4", landscape=landscape, print_background=True, prefer_css_page_size=True)
    finally:
        ctx.close()


# ---------------------------------------------------------------- fonts and shared text
@functools.lru_cache(maxsize=1)
def font_css() -> str:
    """The app's own @font-face rules for Sarabun (assets/sanyan.css), with the font files inline
    as data: URIs, for documents Chromium prints without asking the app for anything."""
    css = (ASSETS / "sanyan.css").read_text(encoding="utf-8")
    rules = re.findall(r"@font-face\s*{[^}]*}", css)

    def inline(m: re.Match) -> str:
        data = (ASSETS / m.group(1)).read_bytes()
        return f'url("data:font/woff2;base64,{base64.b64encode(data).decode()}")'

    return "\n".join(re.sub(r'url\("([^"]+\.woff2)"\)', inline, r) for r in rules)


def _snapshot_lines(lang: str) -> tuple[str, str]:
    """('ชุดข้อมูล v…', 'ข้อมูล ณ 24 พฤศจิกายน 2569') for the current snapshot."""
    info = db.snapshot_info()
    version = info.get("version") or "–"
    as_of = info.get("as_of") or info.get("built_at")
    th = lang != "en"
    return (
        (f"ชุดข้อมูล {version}" if th else f"snapshot {version}"),
        (f"ข้อมูล ณ {thai.format_date_th(as_of, lang)}" if th else f"Data as of {thai.format_date_th(as_of, 'en')}"),
    )


def _source_line(path: str, lang: str, sample: bool = False) -> str:
    """A slide's source: the view, the snapshot, and the sample mark when the view showed sample rows."""
    from components.layout import sample_suffix

    version, _ = _snapshot_lines(lang)
    head = "สัญญาณ Sanyan" if lang != "en" else "Sanyan"
    return f"{head} · {path} · {version}" + sample_suffix("sample" if sample else None, lang)


# Whether the view drawn shows sample rows: a sample mark (data-provenance="sample") in what the
# slide pictures (the one chart of a present-mode chart view, else the page), or a chart whose
# title carries the mark's word (components.layout.sample_suffix; plotly draws it as SVG text).
SHOWS_SAMPLE_JS = """(words) => {
  const root = document.querySelector('.sy-present-target') || document.querySelector('#_pages_content');
  if (!root) return false;
  if (root.querySelector('[data-provenance="sample"]')) return true;
  const text = root.textContent || '';
  return words.some(w => text.includes(w));
}"""


def _slug(text: str, default: str) -> str:
    s = re.sub(r"[^\w\-]+", "-", text or "", flags=re.UNICODE).strip("-_")[:60]
    return s or default


def _now_text(lang: str) -> str:
    return thai.format_date_th(datetime.now(UTC), lang, with_time=True)


# ---------------------------------------------------------------- tables
_LEADING_ZERO = re.compile(r"^[+-]?0\d")


def cell_value(text: Any) -> tuple[Any, str | None]:
    """A table cell as it should land in Excel: (value, number format). A number as the pages
    print it (Thai digits, thousands separators, '(1,234)') becomes a number; codes with a leading
    zero, long digit strings and everything else stay text."""
    if text is None:
        return None, None
    if isinstance(text, bool):
        return str(text), None
    if isinstance(text, (int, float)):
        return text, None
    s = str(text).strip()
    if not s:
        return None, None
    arabic = thai.to_arabic_digits(s).replace(" ", "").replace("\u00a0", "")
    digits = sum(c.isdigit() for c in arabic)
    if _LEADING_ZERO.match(arabic.strip("()")) or digits > 15:
        return s, None
    try:
        v = thai.parse_number(s)
    except ValueError:
        return s, None
    if v is None:
        return s, None
    decimals = len(arabic.split(".", 1)[1].rstrip(")")) if "." in arabic else 0
    if decimals == 0 and v.is_integer():
        return int(v), ("#,##0" if "," in arabic else "0")
    return v, "#,##0." + "0" * decimals if decimals else "#,##0.##"


def table_workbook(title: str, header: list, rows: list[list], lang: str, source: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = (re.sub(r"[\[\]:*?/\\]", " ", title).strip() or "Sanyan")[:31]
    wb.properties.title = title
    wb.properties.creator = "Sanyan"
    font = "Sarabun"
    ws.cell(1, 1, title).font = Font(name=font, bold=True, size=14)
    ws.cell(2, 1, source).font = Font(name=font, size=10, color="555555")
    top = 4
    width = max([len(header)] + [len(r) for r in rows] + [1])
    widths = [8] * width
    for j, h in enumerate(header, start=1):
        c = ws.cell(top, j, str(h))
        c.font = Font(name=font, bold=True)
        c.alignment = Alignment(wrap_text=True, vertical="top")
        widths[j - 1] = max(widths[j - 1], min(len(str(h)) + 2, 40))
    for i, row in enumerate(rows, start=top + 1):
        for j, raw in enumerate(row, start=1):
            value, fmt = cell_value(raw)
            c = ws.cell(i, j, value)
            c.font = Font(name=font)
            if fmt:
                c.number_format = fmt
            widths[j - 1] = max(widths[j - 1], min(len(str(raw or "")) + 2, 60))
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    if header:
        ws.freeze_panes = ws.cell(top + 1, 1)
        ws.auto_filter.ref = f"A{top}:{get_column_letter(width)}{top + max(len(rows), 1)}"
    xlsx_workbook(wb)  # title, header or cell that begins with "=": text, never a formula
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _read_table_request() -> tuple[str, list[str], list[list]]:
    req = flask.request
    if (req.content_length or 0) > MAX_TABLE_BYTES:
        raise ExportError(413, "ตารางใหญ่เกินกว่าจะส่งออกได้", "The table is too large to export")
    body = req.get_json(silent=True)
    if not isinstance(body, dict):
        raise ExportError(400, "ข้อมูลตารางไม่ถูกต้อง (ต้องเป็น JSON)", "The table must be sent as JSON")
    header, rows = body.get("header") or [], body.get("rows") or []
    if not isinstance(header, list) or not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        raise ExportError(400, "ข้อมูลตารางไม่ถูกต้อง", "header must be a list and rows a list of lists")
    if len(rows) > MAX_TABLE_ROWS or max([len(header)] + [len(r) for r in rows]) > MAX_TABLE_COLS:
        raise ExportError(413, "ตารางใหญ่เกินกว่าจะส่งออกได้", "The table is too large to export")

    def plain(x):
        return x if isinstance(x, (int, float)) and not isinstance(x, bool) else ("" if x is None else str(x))

    title = str(body.get("title") or "").strip()[:200] or "สัญญาณ Sanyan"
    return title, [plain(h) for h in header], [[plain(x) for x in r] for r in rows]


# ---------------------------------------------------------------- agendas
def agenda_views(key: str, lang: str) -> tuple[str, list[dict]]:
    from web import present

    got = present.agenda_views(key, lang)
    if got is None:
        raise ExportError(404, "ไม่พบวาระการประชุมนี้", "No such agenda")
    return got


def agenda_shots(b, key: str, views: list[dict]) -> list[dict]:
    """[{path, title, png | None, sample, slide}]: each view of an agenda pictured at 1920x1080 as the
    requester, all in one browser: its 16:9 slide (``slide``: web/present.slide_src, the presenter's
    very slide), or a page without one in present mode; a view the requester may not open gets no
    picture."""
    from web import present

    who = auth.role()
    out = []
    ctx = _context(b, SHOT_W, SHOT_H)
    try:
        page = ctx.new_page()
        for v in views:
            path = v["path"]
            png, sample = None, False
            slide = present.slide_kind(path) is not None
            if may_render(path, who):
                t0 = time.monotonic()
                try:
                    _render(page, present.slide_src(path))
                    if slide:  # its charts drawn at the slide's size (assets/sanyan-slide.js)
                        page.wait_for_function(
                            "document.documentElement.dataset.slideReady === '1'", timeout=SETTLE_TIMEOUT_MS
                        )
                except ExportError as e:
                    if e.status == 401:  # signed out meanwhile: no pictures of the login form
                        raise
                    log.warning("agenda %s: view %s not drawn: %s", key, path, e.en)
                except Exception as e:  # noqa: BLE001  (a slow view still gets its picture)
                    log.warning("agenda %s: view %s not settled: %s", key, path, e)
                if "chart" in dict(parse_qsl(urlsplit(path).query)):
                    try:  # one chart alone (assets/sanyan-present.js): let it grow
                        page.wait_for_selector(".sy-present-target", timeout=5_000)
                        page.wait_for_timeout(400)
                    except Exception:  # noqa: BLE001  (the whole page is still worth a picture)
                        log.warning("agenda %s: %s has no such chart", key, path)
                try:
                    page.add_style_tag(content=HIDE_EXPORT_UI)
                except Exception:  # noqa: BLE001  (a page that did not load still gets its picture)
                    pass
                png = page.screenshot(type="png")
                try:
                    from components.i18n import t as word

                    sample = bool(
                        page.evaluate(SHOWS_SAMPLE_JS, [word("prov.sample", "th"), word("prov.sample", "en")])
                    )
                except Exception:  # noqa: BLE001  (a page that did not load: nothing shown, nothing marked)
                    sample = False
                log.info("agenda %s: %s in %.2f s", key, path, time.monotonic() - t0)
            out.append({"path": path, "title": v["title"], "png": png, "sample": sample, "slide": slide})
    finally:
        ctx.close()
    return out


def may_render(path: str, who: str) -> bool:
    top = urlsplit(path).path
    return auth.may_open(top, who) and not top.startswith(NOT_RENDERED)


def _agenda_date(key: str) -> date | None:
    import ops
    from ops import meeting

    try:
        a = meeting.agenda(ops.engine(), int(key))
    except (TypeError, ValueError):
        return None
    return a["meeting_date"] if a else None


def _set_pptx_font(run, size_pt: float, bold: bool = False, color: tuple[int, int, int] | None = None) -> None:
    """Sarabun for Latin, East Asian and complex-script (Thai) text of a run."""
    from lxml import etree
    from pptx.dml.color import RGBColor
    from pptx.util import Pt

    f = run.font
    f.name = "Sarabun"
    f.size = Pt(size_pt)
    f.bold = bold
    if color:
        f.color.rgb = RGBColor(*color)
    rpr = run._r.get_or_add_rPr()
    rpr.set("lang", "th-TH")
    latin = rpr.find("{http://schemas.openxmlformats.org/drawingml/2006/main}latin")
    after = latin
    for tag in ("ea", "cs"):
        qn = f"{{http://schemas.openxmlformats.org/drawingml/2006/main}}{tag}"
        el = rpr.find(qn)
        if el is None:
            el = etree.SubElement(rpr, qn)
            after.addnext(el)
        el.set("typeface", "Sarabun")
        after = el


def _text_box(slide, left, top, width, height, text: str, size: float, bold=False, color=None, align=None):
    from pptx.util import Pt

    box = slide.shapes.add_textbox(left, top, width, height)
    tf = box.text_frame
    tf.word_wrap = True
    tf.margin_left = tf.margin_right = Pt(2)
    p = tf.paragraphs[0]
    if align is not None:
        p.alignment = align
    run = p.add_run()
    run.text = text
    _set_pptx_font(run, size, bold, color)
    return box


def agenda_pptx(title: str, shots: list[dict], lang: str, meeting_date: date | None) -> bytes:
    from pptx import Presentation
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Emu, Inches

    th = lang != "en"
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    prs.core_properties.title = title
    prs.core_properties.author = "Sanyan"
    layout = prs.slide_layouts[5]  # "Title Only"
    _, as_of = _snapshot_lines(lang)
    when = thai.format_date_th(meeting_date, lang) if meeting_date else None
    navy, grey = (0x1D, 0x35, 0x57), (0x44, 0x50, 0x5C)
    for n, s in enumerate(shots, start=1):
        slide = prs.slides.add_slide(layout)
        head = slide.shapes.title
        head.left, head.top, head.width, head.height = Inches(0.4), Inches(0.35), Inches(12.5), Inches(0.8)
        tf = head.text_frame
        tf.word_wrap = True
        tf.text = s["title"]
        tf.paragraphs[0].alignment = PP_ALIGN.LEFT
        for run in tf.paragraphs[0].runs:
            _set_pptx_font(run, 26, True, navy)
        source = _source_line(s["path"], lang, s.get("sample", False))
        if s.get("slide") and s["png"]:
            # the view's 16:9 slide is the whole slide (it carries its own title, sample notice and
            # source); the title stays, just above the slide's edge, for the outline and screen
            # readers (PowerPoint's own advice for a title not shown), the source in the notes too
            head.top = -Inches(0.9)
            pic = slide.shapes.add_picture(io.BytesIO(s["png"]), 0, 0, prs.slide_width, prs.slide_height)
            pic._element.nvPicPr.cNvPr.set("descr", f"{s['title']} · {source}")
            slide.notes_slide.notes_text_frame.text = (
                f"{title}" + (f" · {when}" if when else "") + f" · {n}/{len(shots)}\n{source}\n{as_of}"
            )
            continue
        _text_box(
            slide,
            Inches(0.4),
            Inches(0.05),
            Inches(12.5),
            Inches(0.35),
            f"{title}" + (f" · {when}" if when else "") + f" · {n}/{len(shots)}",
            12,
            color=grey,
        )
        top, bottom = Inches(1.2), Inches(6.75)
        if s["png"]:
            h = bottom - top
            w = int(h * SHOT_W / SHOT_H)
            pic = slide.shapes.add_picture(io.BytesIO(s["png"]), Emu((prs.slide_width - w) // 2), top, w, h)
            pic._element.nvPicPr.cNvPr.set("descr", s["title"])
        else:
            _text_box(
                slide,
                Inches(0.4),
                Inches(3.2),
                Inches(12.5),
                Inches(1),
                "ไม่มีสิทธิ์เปิดหน้านี้" if th else "You may not open this view",
                20,
                color=grey,
                align=PP_ALIGN.CENTER,
            )
        _text_box(
            slide,
            Inches(0.4),
            Inches(6.85),
            Inches(8.6),
            Inches(0.5),
            _source_line(s["path"], lang, s.get("sample", False)),
            12,
            color=grey,
        )
        _text_box(
            slide, Inches(9.0), Inches(6.85), Inches(3.9), Inches(0.5), as_of, 12, color=grey, align=PP_ALIGN.RIGHT
        )
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


DOC_CSS = """
body { font-family: "Sarabun", sans-serif; color: #1f2933; margin: 0; font-size: 12pt; line-height: 1.45; }
h1 { color: #1d3557; font-size: 20pt; margin: 0 0 .3em; line-height: 1.25; }
h2 { color: #1d3557; font-size: 14pt; margin: 1.1em 0 .4em; }
.meta, .src { color: #44505c; font-size: 10pt; }
table { border-collapse: collapse; width: 100%; font-size: 10pt; }
th, td { border: 1px solid #b8c2cf; padding: 3pt 5pt; vertical-align: top; text-align: left; }
th { background: #e9edf2; }
tr { break-inside: avoid; }
"""


def agenda_pdf_html(title: str, shots: list[dict], lang: str, meeting_date: date | None) -> str:
    th = lang != "en"
    _, as_of = _snapshot_lines(lang)
    when = thai.format_date_th(meeting_date, lang) if meeting_date else ""
    pages = []
    for n, s in enumerate(shots, start=1):
        if s.get("slide") and s["png"]:  # the view's own 16:9 slide, the page's width, its title and source under it
            pic = f'<img src="data:image/png;base64,{base64.b64encode(s["png"]).decode()}" alt="{escape(s["title"])}">'
            pages.append(f"""<section class="slide whole"><figure>{pic}</figure>
<div class="foot"><span class="src"><b>{escape(s["title"])}</b> · {escape(title)}{" · " + escape(when) if when else ""} · {n}/{len(shots)}</span>
<span class="src">{escape(_source_line(s["path"], lang, s.get("sample", False)))} · {escape(as_of)}</span></div></section>""")
            continue
        if s["png"]:
            pic = f'<img src="data:image/png;base64,{base64.b64encode(s["png"]).decode()}" alt="{escape(s["title"])}">'
        else:
            pic = f'<p class="none">{"ไม่มีสิทธิ์เปิดหน้านี้" if th else "You may not open this view"}</p>'
        pages.append(f"""<section class="slide">
<div class="meta">{escape(title)}{" · " + escape(when) if when else ""} · {n}/{len(shots)}</div>
<h1>{escape(s["title"])}</h1>
<figure>{pic}</figure>
<div class="foot"><span class="src">{escape(_source_line(s["path"], lang, s.get("sample", False)))}</span>
<span class="src">{escape(as_of)}</span></div></section>""")
    return f"""<!DOCTYPE html><html lang="{"th" if th else "en"}"><head><meta charset="utf-8">
<title>{escape(title)}</title><style>{font_css()}{DOC_CSS}
@page {{ size: A4 landscape; margin: 10mm; }}
.slide {{ height: 186mm; display: flex; flex-direction: column; overflow: hidden; break-after: page; }}
.slide:last-child {{ break-after: auto; }}
.slide h1 {{ font-size: 18pt; }}
figure {{ flex: 1; margin: 0; display: flex; align-items: center; justify-content: center; min-height: 0; }}
figure img {{ max-width: 100%; max-height: 100%; border: 1px solid #d5dbe3; }}
.none {{ font-size: 16pt; color: #44505c; }}
.foot {{ display: flex; justify-content: space-between; gap: 1em; padding-top: 2mm; }}
.whole figure {{ flex: 0 0 auto; }}
.whole figure img {{ width: 100%; max-height: none; border: 0; }}
.whole .foot {{ flex-direction: column; gap: 0; }}
</style></head><body>{"".join(pages)}</body></html>"""


# ---------------------------------------------------------------- minutes
STATUS_WORDS = {
    "open": ("เปิด รอดำเนินการ", "open"),
    "answered": ("ตอบแล้ว รอปิด", "answered"),
    "closed": ("ปิดแล้ว", "closed"),
}


def minutes_data(agenda_id: int, lang: str) -> dict:
    """What the minutes say: the agenda, its views, the directives issued in this meeting and
    those still open from earlier ones (only KPIs the requester may see)."""
    import ops
    from ops import meeting

    eng = ops.engine()
    a = meeting.agenda(eng, agenda_id)
    if a is None:
        raise ExportError(404, "ไม่พบวาระการประชุมนี้", "No such agenda")
    th = lang != "en"
    names: dict[str, str] = {}
    visible: set[str] | None = None
    try:
        kpis = db.query("entry/kpis")
        names = {r.kpi_code: (r.name_th if th else (r.name_en or r.name_th)) or "" for r in kpis.itertuples()}
        if auth.reader_classes() is not None:
            visible = set(kpis["kpi_code"])
    except Exception:  # noqa: BLE001  (no warehouse: codes without names; restricted readers see none)
        if auth.reader_classes() is not None:
            visible = set()
    everything = meeting.directives(eng)
    still_open = meeting.directives(eng, open_only=True)

    def rows(df) -> list[dict]:
        out = []
        for r in df.itertuples():
            if visible is not None and r.kpi_code not in visible:
                continue
            month = None if r.month is None or r.month != r.month else int(r.month)
            period = thai.format_fiscal_year(int(r.fiscal_year), lang)
            if month:
                period += f" · {thai.month_name(month, lang)}"
            out.append(
                {
                    "kpi": f"{r.kpi_code} {names.get(r.kpi_code, '')}".strip(),
                    "period": period,
                    "text": r.text,
                    "unit": r.unit,
                    "due": thai.format_date_th(r.due_date, lang),
                    "status": STATUS_WORDS.get(r.status, (r.status, r.status))[0 if th else 1],
                    "answer": r.answer if isinstance(r.answer, str) else "",
                }
            )
        return out

    same = everything["agenda_id"].apply(lambda x: x is not None and x == x and int(x) == agenda_id)
    earlier = still_open["agenda_id"].apply(lambda x: not (x is not None and x == x and int(x) == agenda_id))
    version, as_of = _snapshot_lines(lang)
    return {
        "title": a["title"],
        "date": thai.format_date_th(a["meeting_date"], lang),
        "views": [{"title": i["title"], "path": i["path"]} for i in meeting.items(eng, agenda_id)],
        "issued": rows(everything[same]),
        "open": rows(still_open[earlier]),
        "version": version,
        "as_of": as_of,
        "made": _now_text(lang),
    }


def _minutes_words(lang: str) -> dict[str, str]:
    th = lang != "en"
    return {
        "head": "รายงานการประชุม" if th else "Minutes",
        "date": "วันที่ประชุม" if th else "Meeting date",
        "views": "เรื่องที่พิจารณา" if th else "Views discussed",
        "issued": "ข้อสั่งการในการประชุมครั้งนี้" if th else "Directives issued in this meeting",
        "open": "ข้อสั่งการจากการประชุมก่อนหน้าที่ยังไม่ปิด" if th else "Directives still open from earlier meetings",
        "none": "ไม่มี" if th else "None",
        "cols": ("ตัวชี้วัด", "งวด", "ข้อสั่งการ", "หน่วยงาน", "กำหนดรายงาน", "สถานะ", "ผลการดำเนินการ")
        if th
        else ("KPI", "Period", "Directive", "Unit", "Due", "Status", "Answer"),
        "made": "จัดทำโดยระบบสัญญาณ Sanyan เมื่อ" if th else "Made by Sanyan on",
    }


def minutes_html(m: dict, lang: str) -> str:
    w = _minutes_words(lang)

    def table(rows: list[dict]) -> str:
        if not rows:
            return f"<p>{w['none']}</p>"
        head = "".join(f"<th>{c}</th>" for c in w["cols"])
        mine = m.get("unit")  # the briefing book of a unit (issue 26): its rows marked ★

        def cells(r: dict) -> str:
            star = "★ " if mine and r["unit"] == mine else ""
            return "".join(
                f"<td>{star if k == 'kpi' else ''}{escape(str(r[k]))}</td>"
                for k in ("kpi", "period", "text", "unit", "due", "status", "answer")
            )

        body = "".join(f"<tr{' class=mine' if mine and r['unit'] == mine else ''}>{cells(r)}</tr>" for r in rows)
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    views = (
        "".join(f'<li>{escape(v["title"])} <span class="src">({escape(v["path"])})</span></li>' for v in m["views"])
        or f"<li>{w['none']}</li>"
    )
    marked = (
        f'<p class="mine">★ {"Directives to" if lang == "en" else "ข้อสั่งการถึง"} {escape(m["unit"])}</p>'
        if m.get("unit")
        else ""
    )
    return f"""<!DOCTYPE html><html lang="{"en" if lang == "en" else "th"}"><head><meta charset="utf-8">
<title>{escape(m["title"])}</title><style>{font_css()}{DOC_CSS}
.mine {{ background: #fff3cd; font-weight: 600; }}
@page {{ size: A4; margin: 18mm 16mm; }}</style></head><body>
<div class="meta">{w["head"]}</div><h1>{escape(m["title"])}</h1>
<p>{w["date"]} {escape(m["date"])}</p>{marked}
<p class="src">{escape(m["version"])} · {escape(m["as_of"])}</p>
<h2>{w["views"]}</h2><ol>{views}</ol>
<h2>{w["issued"]}</h2>{table(m["issued"])}
<h2>{w["open"]}</h2>{table(m["open"])}
<p class="src" style="margin-top:2em">{w["made"]} {escape(m["made"])}</p>
</body></html>"""


def _docx_fonts(style, size_pt: float | None = None) -> None:
    """Sarabun on a style for every script (w:ascii, w:hAnsi, w:eastAsia, w:cs: Thai is a complex
    script), the theme fonts removed so they cannot win, the complex-script size set too."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    style.font.name = "Sarabun"
    if size_pt:
        style.font.size = Pt(size_pt)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        if attr.endswith("Theme"):
            del fonts.attrib[attr]
    for a in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(a), "Sarabun")
    if size_pt:
        szcs = rpr.find(qn("w:szCs"))
        if szcs is None:
            szcs = OxmlElement("w:szCs")
            rpr.append(szcs)
        szcs.set(qn("w:val"), str(int(size_pt * 2)))
    lang_el = rpr.find(qn("w:lang"))
    if lang_el is None:
        lang_el = OxmlElement("w:lang")
        rpr.append(lang_el)
    lang_el.set(qn("w:bidi"), "th-TH")


def minutes_docx(m: dict, lang: str) -> bytes:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Mm, RGBColor

    w = _minutes_words(lang)
    doc = Document()
    doc.core_properties.title = m["title"]
    doc.core_properties.author = "Sanyan"
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.left_margin = sec.right_margin = Mm(20)
    sec.top_margin = sec.bottom_margin = Mm(18)
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        for fonts in defaults.iter(qn("w:rFonts")):
            for attr in list(fonts.attrib):
                if attr.endswith("Theme"):
                    del fonts.attrib[attr]
            for a in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
                fonts.set(qn(a), "Sarabun")
    for name, size in (
        ("Normal", 14),
        ("Title", 24),
        ("Heading 1", 18),
        ("Heading 2", 16),
        ("List Number", 14),
        ("Table Grid", 12),
    ):
        try:
            _docx_fonts(doc.styles[name], size)
        except KeyError:
            continue
    for name in ("Title", "Heading 1", "Heading 2"):
        doc.styles[name].font.color.rgb = RGBColor(0x1D, 0x35, 0x57)
    doc.add_paragraph(w["head"])
    doc.add_heading(m["title"], level=1)
    doc.add_paragraph(f"{w['date']} {m['date']}")
    doc.add_paragraph(f"{m['version']} · {m['as_of']}")
    doc.add_heading(w["views"], level=2)
    for v in m["views"]:
        doc.add_paragraph(f"{v['title']} ({v['path']})", style="List Number")
    if not m["views"]:
        doc.add_paragraph(w["none"])
    for key in ("issued", "open"):
        doc.add_heading(w[key], level=2)
        rows = m[key]
        if not rows:
            doc.add_paragraph(w["none"])
            continue
        t = doc.add_table(rows=1, cols=len(w["cols"]))
        t.style = doc.styles["Table Grid"]
        for cell, text in zip(t.rows[0].cells, w["cols"]):
            cell.text = ""
            cell.paragraphs[0].add_run(text).bold = True
        hdr = t.rows[0]._tr.get_or_add_trPr()
        from docx.oxml import OxmlElement

        rep = OxmlElement("w:tblHeader")
        hdr.append(rep)
        for r in rows:
            cells = t.add_row().cells
            for cell, k in zip(cells, ("kpi", "period", "text", "unit", "due", "status", "answer")):
                cell.text = str(r[k] or "")
    doc.add_paragraph(f"{w['made']} {m['made']}")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------- routes
def _who() -> str:
    """The signed-in requester's user name; 403 for the public (the guard already sends a
    public GET to /login; a POST gets here)."""
    if auth.role() == "public":
        raise ExportError(403, "ต้องเข้าสู่ระบบก่อนส่งออกไฟล์", "Sign in to export")
    return auth.current_user.username


def _download(data: bytes, mimetype: str, name: str) -> flask.Response:
    resp = flask.send_file(
        io.BytesIO(data),
        mimetype=mimetype,
        as_attachment=True,
        download_name=name,
        conditional=False,
        etag=False,
        max_age=0,
    )
    resp.headers["Cache-Control"] = "no-store"
    return resp


MIME = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _export(kind: str, target: str, make) -> flask.Response:
    """Run one export: who may, timing, audit entry (ok / refused / failed), log line, errors in
    Thai and English."""
    import ops

    t0 = time.monotonic()
    who = "public"
    try:
        who = _who()
        data, ext, name = make()
    except ExportError as e:
        return _refusal(kind, target, who, e, time.monotonic() - t0)
    except Exception:
        log.exception("export.%s %s failed", kind, target)
        e = ExportError(
            500,
            "สร้างไฟล์ไม่สำเร็จ กรุณาลองใหม่ หากยังไม่ได้ โปรดแจ้งผู้ดูแลระบบ",
            "The file could not be made; try again, and tell the administrator if it keeps failing",
        )
        return _refusal(kind, target, who, e, time.monotonic() - t0)
    seconds = time.monotonic() - t0
    ops.record_audit(
        ops.engine(), f"export.{kind}", target=target, who=who, after={"seconds": round(seconds, 2), "bytes": len(data)}
    )
    log.info("export.%s %s by %s: %d bytes in %.2f s", kind, target, who, len(data), seconds)
    resp = _download(data, MIME[ext], name)
    resp.headers["Server-Timing"] = f"export;dur={seconds * 1000:.0f}"
    return resp


def _refusal(kind: str, target: str, who: str, e: ExportError, seconds: float) -> flask.Response:
    """An export that was refused or failed: audited, logged, answered in Thai and English."""
    import ops

    outcome = "refused" if e.status in (400, 401, 403, 404, 413) else "failed"
    try:
        ops.record_audit(
            ops.engine(),
            f"export.{kind}",
            target=target,
            who=who,
            outcome=outcome,
            after={"status": e.status, "why": e.en, "seconds": round(seconds, 2)},
        )
    except Exception:
        log.exception("cannot audit export.%s", kind)
    log.info("export.%s %s by %s: %s (%s) after %.2f s", kind, target, who, outcome, e.en, seconds)
    return flask.Response(f"{e.th}\n{e.en}\n", e.status, mimetype="text/plain; charset=utf-8")


def _target_path(raw: str | None) -> str:
    from ops import meeting

    try:
        if "\\" in (raw or ""):  # a browser reads /\host as //host
            raise meeting.EntryError("", "")
        path = meeting.clean_path(raw or "/")
    except meeting.EntryError:
        raise ExportError(
            400,
            "ส่งออกได้เฉพาะหน้าในระบบ เช่น /kpi/K01?fy=2570",
            "Only a page of this app can be exported, e.g. /kpi/K01?fy=2570",
        ) from None
    if urlsplit(path).path.startswith(NOT_RENDERED):
        raise ExportError(400, "หน้านี้ส่งออกเป็น PDF ไม่ได้", "This address cannot be exported as PDF")
    if not auth.may_open(urlsplit(path).path, auth.role()):
        raise ExportError(403, "ไม่มีสิทธิ์เข้าถึงหน้านี้", "You may not open this page")
    return path


def page_pdf(path: str) -> bytes:
    with browser() as b:
        ctx = _context(b, PAGE_W, 1400)
        try:
            page = ctx.new_page()
            page.emulate_media(media="print")
            _render(page, path)
            m = f"{PDF_MARGIN_MM}mm"
            return page.pdf(
                format="A4",
                print_background=True,
                scale=PDF_SCALE,
                margin={"top": m, "bottom": m, "left": m, "right": m},
            )
        finally:
            ctx.close()


def init(server: flask.Flask) -> None:
    """Register the export routes."""

    @server.route("/export/table.xlsx", methods=["POST"])
    def export_table():
        def make():
            title, header, rows = _read_table_request()
            lang = current_lang()
            version, as_of = _snapshot_lines(lang)
            source = (
                f"สัญญาณ Sanyan · {version} · {as_of} · ส่งออก {_now_text(lang)}"
                if lang != "en"
                else f"Sanyan · {version} · {as_of} · exported {_now_text(lang)}"
            )
            return table_workbook(title, header, rows, lang, source), "xlsx", f"{_slug(title, 'sanyan-table')}.xlsx"

        body = flask.request.get_json(silent=True)
        return _export("xlsx", str(body.get("title"))[:200] if isinstance(body, dict) else "-", make)

    @server.route("/export/pdf")
    def export_page_pdf():
        raw = flask.request.args.get("path")

        def make():
            path = _target_path(raw)
            return page_pdf(path), "pdf", f"sanyan-{_slug(path.replace('?', '-'), 'page')}.pdf"

        return _export("pdf", (raw or "/")[:500], make)

    @server.route("/export/agenda/<key>.<any(pptx, pdf):ext>")
    def export_agenda(key: str, ext: str):
        def make():
            lang = current_lang()
            title, views = agenda_views(key, lang)
            when = _agenda_date(key)
            with browser() as b:
                shots = agenda_shots(b, key, views)
                if ext == "pptx":
                    data = agenda_pptx(title, shots, lang, when)
                else:
                    data = html_pdf(b, agenda_pdf_html(title, shots, lang, when), landscape=True)
            return data, ext, f"sanyan-agenda-{_slug(key, 'agenda')}.{ext}"

        return _export(f"agenda.{ext}", f"agenda {key}", make)

    @server.route("/export/minutes/<int:agenda_id>.<any(pdf, docx):ext>")
    def export_minutes(agenda_id: int, ext: str):
        def make():
            lang = current_lang()
            m = minutes_data(agenda_id, lang)
            m["unit"] = (flask.request.args.get("unit") or "").strip()[:200] or None  # ?unit=: its rows marked
            if ext == "docx":
                data = minutes_docx(m, lang)
            else:
                with browser() as b:
                    data = html_pdf(b, minutes_html(m, lang), landscape=False)
            return data, ext, f"sanyan-minutes-{agenda_id}.{ext}"

        return _export(f"minutes.{ext}", f"agenda {agenda_id}", make)


__all__ = ["init", "cell_value", "table_workbook", "font_css", "chromium_path", "ExportError"]
