"""Thai conventions, pure functions: digits, Buddhist-era years, the Oct-Sep fiscal year,
month names, number formatting and parsing.

Used by the ETL parser (input) and by every page (output), so both sides agree.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta, timezone

BE_OFFSET = 543
# ERA_RULE (README "Conventions"): every year on every screen is B.E., in English as in Thai and
# in the data: a fiscal year by the B.E. year it ends in, a calendar month or day by its own B.E.
# year, so no label mixes eras. English says the era once per label, "(B.E.)" after its last
# year: "FY 2570, to the end of October 2569 (B.E.)", "24 November 2569 (B.E.)"; a month inside
# a label or in a list under a fiscal year ("November 2569", round_label) carries no mark.
ERA_EN = "(B.E.)"
#: Indochina Time, UTC+7 all year (no daylight saving): how times are shown.
THAI_TZ = timezone(timedelta(hours=7), "ICT")

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_TO_ARABIC = str.maketrans(THAI_DIGITS, "0123456789")
_TO_THAI = str.maketrans("0123456789", THAI_DIGITS)

MONTHS_TH = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
MONTHS_TH_ABBR = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MONTHS_EN_ABBR = tuple(m[:3] for m in MONTHS_EN)

#: Fiscal months in order: October (month 10) is the first month of the fiscal year.
FISCAL_MONTHS = (10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9)


def _month_key(text: str) -> str:
    return re.sub(r"[\s.]", "", text).lower()


_MONTH_LOOKUP: dict[str, int] = {}
for _i in range(12):
    for _name in (MONTHS_TH[_i], MONTHS_TH_ABBR[_i], MONTHS_EN[_i], MONTHS_EN_ABBR[_i]):
        _MONTH_LOOKUP[_month_key(_name)] = _i + 1
_MONTH_LOOKUP[_month_key("Sept")] = 9


def to_arabic_digits(text: str) -> str:
    """'๒๕๖๗' -> '2567'; other characters unchanged."""
    return text.translate(_TO_ARABIC)


def to_thai_digits(text: str) -> str:
    """'2567' -> '๒๕๖๗'; other characters unchanged."""
    return str(text).translate(_TO_THAI)


def to_be(year_ce: int) -> int:
    """C.E. year -> B.E. year (2024 -> 2567)."""
    return int(year_ce) + BE_OFFSET


def to_ce(year_be: int) -> int:
    """B.E. year -> C.E. year (2567 -> 2024)."""
    return int(year_be) - BE_OFFSET


def fiscal_year(d: date) -> int:
    """The Thai government fiscal year (B.E.) a date falls in: 1 Oct - 30 Sep.
    1 Oct 2026 and 30 Sep 2027 are both in FY 2570."""
    return to_be(d.year + 1 if d.month >= 10 else d.year)


def fiscal_quarter(d: date) -> int:
    """Quarter of the fiscal year: Oct-Dec = 1, Jan-Mar = 2, Apr-Jun = 3, Jul-Sep = 4."""
    return FISCAL_MONTHS.index(d.month) // 3 + 1


def fiscal_month_index(month: int) -> int:
    """Position of a calendar month in the fiscal year: October = 1 ... September = 12."""
    return FISCAL_MONTHS.index(int(month)) + 1


def fiscal_year_bounds(fy_be: int) -> tuple[date, date]:
    """First and last day of a fiscal year given in B.E."""
    y = to_ce(fy_be)
    return date(y - 1, 10, 1), date(y, 9, 30)


def period_date(fy_be: int, month: int) -> date:
    """The calendar month (first day) that month `month` of fiscal year `fy_be` stands for."""
    y = to_ce(fy_be) - (1 if int(month) >= 10 else 0)
    return date(y, int(month), 1)


def round_label(fy_be, month, lang: str = "th", abbr: bool = False) -> str:
    """The calendar month a reporting round of fiscal year `fy_be` (B.E.) stands for, as every page
    names it: 'พฤศจิกายน 2569' / 'พ.ย. 2569' in Thai, 'November 2569' / 'Nov 2569' in English: the
    B.E. year of that month in both languages (ERA_RULE: one era on every screen; the label it is
    part of says "(B.E.)" once, as ``components.cockpit.point_label`` does). The fiscal year runs
    1 October – 30 September and is named by the year it ends in: October–December fall in the
    calendar year before it (FY 2570 month 11 is November 2569, month 3 is March 2570). A month that
    is none is shown marked, as ``month_name`` does, with the year as stored."""
    m = month_from_text(month)
    if m is None:  # the month marked, and the fiscal year as it was stored
        return f"{month_name(month, lang, abbr)} {fy_be}"
    year = period_date(int(fy_be), m).year
    return f"{month_name(m, lang, abbr)} {to_be(year)}"


def month_name(month, lang: str = "th", abbr: bool = False) -> str:
    """'ตุลาคม' / 'ต.ค.' / 'October' / 'Oct' for a month 1-12 (a number or a name, as
    ``month_from_text`` reads it). Anything else, a bad row stored before the rules held, is
    shown marked, '⚠ เดือน 13 ไม่ถูกต้อง' / '⚠ month 13 invalid', never an error."""
    m = month_from_text(month)
    if m is None:
        return f"⚠ month {month} invalid" if lang == "en" else f"⚠ เดือน {month} ไม่ถูกต้อง"
    i = m - 1
    if lang == "en":
        return (MONTHS_EN_ABBR if abbr else MONTHS_EN)[i]
    return (MONTHS_TH_ABBR if abbr else MONTHS_TH)[i]


def month_from_text(text) -> int | None:
    """1-12 from a number ('10', '๑๐', 10) or a Thai/English month name or abbreviation
    ('ตุลาคม', 'ต.ค.', 'Oct', 'October'). None when it is none of these."""
    if text is None:
        return None
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        if isinstance(text, float) and not text.is_integer():
            return None
        m = int(text)
        return m if 1 <= m <= 12 else None
    s = to_arabic_digits(str(text)).strip()
    if not s:
        return None
    if re.fullmatch(r"\d{1,2}(\.0+)?", s):
        m = int(float(s))
        return m if 1 <= m <= 12 else None
    return _MONTH_LOOKUP.get(_month_key(s))


def format_date_th(
    d: date | datetime | None, lang: str = "th", abbr: bool = False, with_time: bool = False, era: bool = True
) -> str:
    """'24 พฤศจิกายน 2569' in Thai; '24 November 2569 (B.E.)' in English (ERA_RULE: B.E. in both
    languages; `era` False leaves the mark to the label the date is part of). A time that knows
    its zone (the warehouse stores UTC) is shown in Thai time, UTC+7."""
    if d is None or (isinstance(d, float) and math.isnan(d)):
        return "–"
    if hasattr(d, "to_pydatetime"):  # pandas Timestamp
        d = d.to_pydatetime()
    if isinstance(d, datetime) and d.tzinfo is not None:
        d = d.astimezone(THAI_TZ)
    if lang == "en":
        text = f"{d.day} {month_name(d.month, 'en', abbr)} {to_be(d.year)}" + (f" {ERA_EN}" if era else "")
    else:
        text = f"{d.day} {month_name(d.month, 'th', abbr)} {to_be(d.year)}"
    if with_time and isinstance(d, datetime):
        text += f" {d:%H:%M}" + (" น." if lang != "en" else "")
    return text


def format_fiscal_year(fy_be: int, lang: str = "th") -> str:
    """'ปีงบประมาณ 2570' / 'FY 2570 (B.E.)' (ERA_RULE)."""
    return f"ปีงบประมาณ {int(fy_be)}" if lang != "en" else f"FY {int(fy_be)} {ERA_EN}"


def format_number(x, decimals: int = 0, lang: str = "th", thai_digits: bool = False) -> str:
    """Thousands separators and fixed decimals: 116633.389 -> '116,633.389'. Missing -> '–'."""
    if x is None:
        return "–"
    try:
        v = float(x)
    except (TypeError, ValueError):
        return "–"
    if math.isnan(v):
        return "–"
    text = f"{v:,.{decimals}f}"
    if text.startswith("-") and float(text.replace(",", "").lstrip("-") or 0) == 0:
        text = text[1:]
    return to_thai_digits(text) if thai_digits else text


_NUMBER = re.compile(r"[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?")


def parse_number(text) -> float | None:
    """A number as officers type it: Thai or Arabic digits, thousands separators (1,234.5),
    surrounding spaces, a leading +/-, or a parenthesised negative '(1,234)'.
    Returns None for a blank cell; raises ValueError for anything else."""
    if text is None:
        return None
    if isinstance(text, bool):
        raise ValueError(f"not a number: {text!r}")
    if isinstance(text, (int, float)):
        if isinstance(text, float) and math.isnan(text):
            return None
        return float(text)
    s = to_arabic_digits(str(text)).strip().replace("\u00a0", "").replace(" ", "")
    if not s:
        return None
    neg = s.startswith("(") and s.endswith(")")
    if neg:
        s = s[1:-1]
    m = _NUMBER.fullmatch(s)
    if not m or not (m.group(1) or m.group(3)):
        raise ValueError(f"not a number: {text!r}")
    v = float(s.replace(",", ""))
    return -v if neg else v


#: Thai leading vowels (เ แ โ ใ ไ), written before the consonant they follow in speech.
_LEADING_VOWELS = "\u0e40\u0e41\u0e42\u0e43\u0e44"
#: Tone marks and other signs above or below (็ ่ ้ ๊ ๋ ์ ํ ๎): only a tie-break in the order.
_THAI_MARKS = re.compile("[\u0e47-\u0e4e]")
_PREVOWEL = re.compile(f"([{_LEADING_VOWELS}])([\u0e01-\u0e2e])")


def thai_sort_key(text) -> tuple[str, str]:
    """A sort key for Thai names in dictionary (Royal Institute) order, as ICU's Thai collation
    orders them, in pure Python (PyICU is not installed): by consonant first, then vowel, a
    leading vowel (เ แ โ ใ ไ) read after the consonant that follows it, tone marks and other
    signs only breaking ties. So เชียงใหม่ sorts under ช (after ชุมพร), เพชรบุรี and แพร่ under
    พ, แม่ฮ่องสอน under ม, ยโสธร before ยะลา; Latin text compares case-insensitively."""
    swapped = _PREVOWEL.sub(r"\2\1", str(text or "").casefold())
    return _THAI_MARKS.sub("", swapped), swapped
