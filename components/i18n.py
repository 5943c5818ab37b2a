"""Interface language: Thai first, English on request.

The language toggle in the navbar stores ``sanyan_lang=th|en`` in a cookie and reloads the
page; every layout function asks ``current_lang()`` while it is being built for a request.
"""

from __future__ import annotations

from config import settings

LANGS = ("th", "en")
COOKIE = "sanyan_lang"

# key -> (Thai, English)
STRINGS: dict[str, tuple[str, str]] = {
    "brand": ("สัญญาณ · Sanyan", "Sanyan · สัญญาณ"),
    "tagline": ("ระบบสารสนเทศเพื่อผู้บริหารจังหวัด", "Executive information system for the province"),
    "nav.label": ("เมนูหลัก", "Main menu"),
    "skip": ("ข้ามไปยังเนื้อหา", "Skip to content"),
    "nav.toggle": ("เปิด/ปิดเมนู", "Toggle menu"),
    "lang.switch": ("English", "ภาษาไทย"),
    "lang.switch_title": ("Switch to English", "เปลี่ยนเป็นภาษาไทย"),
    "footer.snapshot": ("ชุดข้อมูล", "Snapshot"),
    "footer.as_of": ("ข้อมูล ณ", "Data as of"),
    "footer.no_snapshot": ("ยังไม่มีคลังข้อมูล", "No warehouse yet"),
    "footer.note": (
        "ตัวเลขทางการ ตัวอย่าง และที่กรอก แยกแสดงเสมอ",
        "Official, sample and entered figures are always labelled",
    ),
    "prov.official": ("ข้อมูลทางการ", "Official data"),
    "prov.sample": ("ข้อมูลตัวอย่าง", "Sample data"),
    "role.admin": ("ผู้ดูแลระบบ", "Administrator"),
    "role.executive": ("ผู้บริหาร", "Executive"),
    "role.verifier": ("ผู้สอบทาน", "Verifier"),
    "role.editor": ("ผู้บันทึกข้อมูล", "Data editor"),
    "role.viewer": ("ผู้อ่าน", "Reader"),
    "nav.work": ("งานข้อมูล", "Data work"),
    "prov.entered": ("ข้อมูลที่กรอก", "Entered data"),
    "prov.mixed": ("ข้อมูลหลายที่มา", "Mixed provenance"),
    "prov.empty": ("ยังไม่มีข้อมูล", "No rows yet"),
    "prov.unknown": ("ไม่ระบุที่มา", "Provenance unknown"),
    "nowh.title": ("ยังไม่มีคลังข้อมูล", "No warehouse yet"),
    "nowh.body": ("สร้างคลังข้อมูลก่อน แล้วโหลดหน้านี้ใหม่:", "Build the warehouse first, then reload this page:"),
    "notfound.title": ("ไม่พบหน้าที่ต้องการ", "Page not found"),
    "notfound.body": (
        "ที่อยู่นี้ไม่มีในระบบ อาจพิมพ์ผิดหรือหน้าถูกย้ายไปแล้ว",
        "This address does not exist. It may be mistyped, or the page has moved.",
    ),
    "notfound.home": ("กลับหน้าแรก", "Back to the home page"),
    "dash": ("—", "—"),
    # words several pages say
    "bell.word": ("แจ้งเตือน", "Warnings"),
    "bell.unread": ("รายการใหม่", "new"),
    "word.fy": ("ปีงบประมาณ", "Fiscal year"),
    "status.red": ("ต่ำกว่าเกณฑ์", "Off track"),
    "status.late": ("รายงานล่าช้า", "Late"),
    "status.yellow": ("เฝ้าระวัง", "At risk"),
    "status.green": ("ตามเป้าหมาย", "On track"),
    "status.not_due": ("ยังไม่ถึงกำหนด", "Nothing due yet"),
    "status.awaiting": ("รอรายงาน", "Awaiting reports"),
    "status.no_criteria": ("ไม่มีเกณฑ์ปีนี้", "No criteria this year"),
    "status.no_data": ("ไม่มีข้อมูล", "No data"),
    # what a warning is about (ops/events.py KINDS): the inbox, the e-mails, the webhook, the digest
    "event.turned_red": ("ต่ำกว่าเกณฑ์", "Turned red"),
    "event.recovered": ("กลับมาผ่านเกณฑ์", "Recovered"),
    "event.late": ("รายงานล่าช้า", "Report late"),
    "event.projected_miss": ("คาดว่าไม่ถึงเป้า", "Projected to miss"),
    "event.leading_warning": ("ตัวชี้วัดนำเตือน", "Leading KPI warns"),
    "event.flagged": ("ค่าผิดปกติ (ตรวจหลังบันทึก)", "Value flagged by the after-storing check"),
    "event.directive_overdue": ("ข้อสั่งการเกินกำหนด", "Directive overdue"),
}

# each page's own words ({"th": {...}, "en": {...}}), by the page's name: see ``words``
PAGE_WORDS: dict[str, dict[str, dict]] = {}


def words(namespace: str, table: dict) -> dict:
    """Register a page's own words beside the shared ones, so ``t(f"{namespace}.{key}")`` reaches
    them too, and return the table as it is (the page reads ``TEXT[lang][key]``). A table without
    both languages, or with a key in one language only, is refused when the page is imported."""
    if set(table) != set(LANGS) or set(table["th"]) != set(table["en"]):
        only = sorted(set(table.get("th", {})) ^ set(table.get("en", {})))
        raise ValueError(f"words of {namespace!r}: Thai and English must have the same keys (differ: {only})")
    PAGE_WORDS[namespace] = table
    return table


def normalize(lang: str | None) -> str:
    """Return a supported language code; anything else falls back to the default."""
    if lang in LANGS:
        return lang  # type: ignore[return-value]
    default = settings.lang
    return default if default in LANGS else "th"


def current_lang() -> str:
    """Language of the current request (cookie ``sanyan_lang``), default ``settings.lang``.

    Safe outside a request (import time, tests): returns the default.
    """
    from flask import has_request_context, request

    if has_request_context():
        return normalize(request.cookies.get(COOKIE))
    return normalize(None)


def t(key: str, lang: str = "th") -> str:
    """Translate a key: a shared word (``STRINGS``) or a page's own (``"gpp.title"``: registered by
    ``words``); unknown keys return the key itself (visible, never a crash)."""
    pair = STRINGS.get(key)
    if pair is not None:
        return pair[1] if lang == "en" else pair[0]
    namespace, _, own = key.partition(".")
    table = PAGE_WORDS.get(namespace)
    if table is None:
        return key
    return table["en" if lang == "en" else "th"].get(own, key)


def pick(th: str | None, en: str | None, lang: str) -> str:
    """Choose the Thai or English text of a record, falling back to the other one."""
    if lang == "en":
        return en or th or ""
    return th or en or ""
