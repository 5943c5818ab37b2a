"""Reading one input file of a dataset: every error listed, each with file, sheet, row and column.

The same code reads an officer's upload (``python -m etl validate/load``) and every file of a
build, so what validates is exactly what loads.

Accepted
  * ``.xlsx`` (the first sheet; row 1 is the header) and ``.csv`` in UTF-8, UTF-8 with BOM or
    Windows-874 / TIS-620 (tried in that order; a file that is none of them is rejected).
  * Headers matched by the Thai label, the machine key or the English label of a column
    (case, spaces and a trailing ``*`` ignored). Optional columns may be left out.
  * Thai digits, thousands separators, blank cells, leading and trailing spaces.
  * Names and codes are one line (``one_line``): a line break inside a cell (Excel's Alt+Enter)
    or any other control character becomes one space; only long free text (a column marked
    ``multiline``: a KPI's definition, formula, sources, users) keeps its breaks. A value that
    is not one value (a list from a web request) is an issue of its cell, never a TypeError.
  * Enumerations by their code or their Thai label (``higher`` or ``ยิ่งมากยิ่งดี``).

YEAR_RULE (never a guess per cell): the accepted years are B.E. ``YEAR_MIN_BE`` (2500) to the
fiscal year after the current one (``year_range``); the same years written in C.E. (1957 to
current + 1 - 543) are stored as B.E. (+543). The two ranges do not overlap, so no cell is
ambiguous; a year outside both is refused with the range named. Within one column of one file
every year (and every date) must use the same era, the one of its first value: a column that
mixes the two is rejected, because a mixed column is almost always a typing mistake.

ONE RULE SET: the web forms (/entry through ``ops.entry``, /entry/data through
``parse_record``), uploads, ``etl validate``/``load`` and the build all call these functions:
``year_range`` / the year rule (``check_year_be`` for a B.E.-only field), ``check_month`` (1-12), ``area_problem`` (an area code of
THIS province, ``settings.province``: the province, its districts or sub-districts; a
``district`` column takes districts only; ``SANYAN_AREA_SCOPE=kingdom``: any province's) and ``measure_problem`` (a KPI or indicator figure is
never negative and a percentage is at most 100; the unit comes from the code lists
``kpi_unit`` / ``indicator_unit``, see ``Dataset.extra["measure"]``).

Everything else is an error: unknown or duplicate headers, missing required columns or values,
text in a number, numbers out of range, unknown codes, a month that is not a month, a date
that does not exist, duplicate rows on the dataset's grain, official rows without a source,
and the per-dataset rules in ``_row_rules``. A header below title rows is named in one message
(row and how many rows to remove), not read.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from components import thai
from inputs import datasets as reg

TABULAR = (".xlsx", ".csv")
ENCODINGS = ("utf-8-sig", "cp874")
MARKER_PREFIX = "sanyan:"
YEAR_RULE_TH = "ในคอลัมน์เดียวกันของไฟล์เดียวกันต้องใช้ศักราชเดียวกัน (พ.ศ. หรือ ค.ศ.)"
YEAR_RULE_EN = "one era per column of a file (B.E. or C.E., converted to B.E.)"
YEAR_MIN_BE = 2500
PERCENT_UNITS = ("ร้อยละ", "%", "percent")  # as etl/sql/marts/dim_kpi.sql decides is_percent
AREA_LISTS = ("area", "district")  # code lists whose codes must lie in this province
HEADER_SEARCH_ROWS = 10  # how far below row 1 a header is looked for


@dataclass(frozen=True)
class Issue:
    """One problem in one place. ``row`` is the spreadsheet row number (the header is row 1)."""

    file: str
    sheet: str | None
    row: int | None
    column: str | None
    value: str | None
    reason_th: str
    reason_en: str

    def format(self, lang: str = "th") -> str:
        if lang == "en":
            where = [self.file]
            if self.sheet:
                where.append(f"sheet '{self.sheet}'")
            if self.row is not None:
                where.append(f"row {self.row}")
            if self.column:
                where.append(f"column '{self.column}'")
            value = f" value '{self.value}':" if self.value not in (None, "") else ""
            return f"{', '.join(where)}:{value} {self.reason_en}"
        where = [f"ไฟล์ {self.file}"]
        if self.sheet:
            where.append(f"แผ่นงาน {self.sheet}")
        if self.row is not None:
            where.append(f"แถว {self.row}")
        if self.column:
            where.append(f"คอลัมน์ {self.column}")
        value = f" ค่า '{self.value}':" if self.value not in (None, "") else ""
        return f"{' '.join(where)}:{value} {self.reason_th}"

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "reason_th": self.reason_th,
            "reason_en": self.reason_en,
        }


@dataclass
class ParseResult:
    file: str
    dataset: reg.Dataset | None
    frame: pd.DataFrame
    errors: list[Issue] = field(default_factory=list)
    # set when parse_file(into=...) left the rows in a table of that DuckDB connection (the build:
    # a national file never becomes a pandas frame); ``frame`` is then empty, with the columns
    table: str | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


class _FileError(Exception):
    def __init__(self, th: str, en: str):
        super().__init__(en)
        self.th, self.en = th, en


# ---------------------------------------------------------------- reading raw cells
def _read_csv(path: Path) -> tuple[None, list[tuple[int, list]]]:
    data = path.read_bytes()
    if b"\x00" in data:
        raise _FileError("ไม่ใช่ไฟล์ข้อความ CSV (พบอักขระ NUL)", "not a CSV text file (NUL bytes)")
    text = None
    for enc in ENCODINGS:
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        raise _FileError(
            "อ่านไม่ได้: ไม่ใช่ UTF-8 หรือ Windows-874/TIS-620",
            "cannot decode: not UTF-8, UTF-8 with BOM or Windows-874/TIS-620",
        )
    try:
        sample = text[:4096]
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample.strip() else csv.excel
    except csv.Error:
        dialect = csv.excel
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        for row in reader:
            rows.append((reader.line_num, row))
    except csv.Error as e:
        raise _FileError(
            f"รูปแบบ CSV ผิดที่บรรทัด {reader.line_num}: {e}", f"malformed CSV at line {reader.line_num}: {e}"
        ) from e
    return None, rows


def _read_xlsx(path: Path) -> tuple[str, list[tuple[int, list]]]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as e:
        raise _FileError(
            "เปิดเป็นไฟล์ Excel (.xlsx) ไม่ได้ ไฟล์อาจเสียหาย", f"cannot open as an Excel .xlsx workbook: {e}"
        ) from e
    try:
        ws = wb.worksheets[0]
        rows = [(i, list(r)) for i, r in enumerate(ws.iter_rows(values_only=True), start=1)]
        return ws.title, rows
    finally:
        wb.close()


def read_marker(path: Path) -> str | None:
    """The dataset a Sanyan template was made for (workbook keywords ``sanyan:<dataset>``)."""
    if path.suffix.lower() != ".xlsx":
        return None
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True)
    except Exception:  # noqa: BLE001 - an unreadable file has no marker; parse_file reports it
        return None
    try:
        kw = (wb.properties.keywords or "").strip()
    finally:
        wb.close()
    if kw.startswith(MARKER_PREFIX) and kw[len(MARKER_PREFIX) :] in reg.DATASETS:
        return kw[len(MARKER_PREFIX) :]
    return None


def _blank(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, float) and v != v)


# ---------------------------------------------------------------- headers
def _norm_header(h) -> str:
    s = re.sub(r"\s+", " ", str(h)).strip().rstrip("*").strip().casefold()
    return s


def _header_index(ds: reg.Dataset) -> dict[str, str]:
    idx = {}
    for c in ds.columns:
        for label in (c.th, c.key, c.en, f"{c.th} ({c.en})"):
            idx[_norm_header(label)] = c.key
    return idx


def _match_headers(ds: reg.Dataset, header: list) -> tuple[dict[int, str], list[tuple[int, str, str, str]]]:
    """Column position -> key, and problems (position, header, reason_th, reason_en)."""
    idx = _header_index(ds)
    found: dict[int, str] = {}
    seen: dict[str, int] = {}
    problems = []
    for pos, h in enumerate(header):
        if _blank(h):
            continue
        key = idx.get(_norm_header(h))
        if key is None:
            problems.append((pos, str(h), f"ไม่รู้จักหัวคอลัมน์นี้ในชุดข้อมูล {ds.th}", f"unknown column for dataset {ds.name}"))
        elif key in seen:
            problems.append(
                (
                    pos,
                    str(h),
                    f"หัวคอลัมน์ซ้ำกับคอลัมน์ที่ {seen[key] + 1}",
                    f"duplicate column (same as column {seen[key] + 1})",
                )
            )
        else:
            seen[key] = pos
            found[pos] = key
    return found, problems


def _fits(ds: reg.Dataset, found: dict[int, str], problems: list) -> bool:
    """A header row of `ds`: every column known and every required column present."""
    keys = set(found.values())
    return not problems and all(c.key in keys for c in ds.columns if c.required)


def detect_dataset(path: Path) -> str | None:
    """Which dataset a file holds: the template marker, else a file name equal to a dataset
    name, else the only dataset whose columns the header matches (the first row, or a row
    below title rows). None when it cannot tell."""
    path = Path(path)
    marker = read_marker(path)
    if marker:
        return marker
    stem = path.stem.lower()
    if stem in reg.DATASETS:
        return stem
    try:
        _sheet, rows = _read_xlsx(path) if path.suffix.lower() == ".xlsx" else _read_csv(path)
    except (_FileError, OSError):
        return None
    filled = [r for _n, r in rows if any(not _blank(v) for v in r)][: 1 + HEADER_SEARCH_ROWS]
    for header in filled:  # the first row, else a header below title rows (parse names it)
        fits = [name for name, ds in reg.DATASETS.items() if _fits(ds, *_match_headers(ds, header))]
        if fits:
            return fits[0] if len(fits) == 1 else None
    return None


# ---------------------------------------------------------------- cells
def _enum_aliases(col: reg.Column) -> dict[str, str]:
    """Accepted spellings of an enum: its codes, and the Thai labels in ``help_th``
    ('higher = ยิ่งมากยิ่งดี, lower = ...')."""
    aliases = {c.casefold(): c for c in col.choices}
    for part in re.split(r",\s*", col.help_th or ""):
        if " = " in part:
            code, label = part.split(" = ", 1)
            label = re.sub(r"\s*\(.*\)$", "", label).strip()
            if code.strip() in col.choices and label:
                aliases[label.casefold()] = code.strip()
    return aliases


_BOOL = {
    "ใช่": True,
    "yes": True,
    "y": True,
    "true": True,
    "1": True,
    "จริง": True,
    "มี": True,
    "ไม่ใช่": False,
    "no": False,
    "n": False,
    "false": False,
    "0": False,
    "ไม่": False,
    "ไม่มี": False,
}

_DATE_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?")
_DATE_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})")
_DATE_TEXT = re.compile(r"(\d{1,2})\s*([^\d\s]+)\s*(\d{2,4})")


class RuleError(ValueError):
    """A value that breaks a rule; ``th`` and ``en`` say why (the place is added by the caller)."""

    def __init__(self, th: str, en: str):
        super().__init__(en)
        self.th, self.en = th, en


def _text(v) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (datetime, date)):
        return v.isoformat()
    return str(v).strip()


# line breaks (an Excel Alt+Enter, \r\n, U+2028/2029) and every other control character, with the
# spaces around them
_CONTROLS = re.compile(r"[^\S\x00-\x1f\x7f-\x9f\u2028\u2029]*[\x00-\x1f\x7f-\x9f\u2028\u2029]+\s*")


def one_line(text) -> str:
    """A name as one line: inner line breaks, tabs and other control characters (with the spaces
    around them) become one space; the ends are stripped. What every name-like cell, form field
    and e-mail subject holds (a line break in a subject cannot be sent)."""
    return _CONTROLS.sub(" ", str(text)).strip()


def scalar_problem(v) -> RuleError | None:
    """Why `v` is not one value a cell or a form field can hold (a list, a dict, bytes… from a
    request that no component sends), or None."""
    if v is None or isinstance(v, (str, int, float, bool, date, datetime)):
        return None
    if isinstance(v, (list, tuple, dict, set, frozenset, bytes, bytearray)) or not isinstance(v, Hashable):
        return RuleError("ต้องเป็นค่าเดียว ไม่ใช่รายการหลายค่า", f"must be a single value, not a {type(v).__name__}")
    return None


def _single(v) -> None:
    if (bad := scalar_problem(v)) is not None:
        raise bad


def year_range(today: date | None = None) -> tuple[int, int]:
    """The accepted years, B.E.: ``YEAR_MIN_BE`` to the fiscal year after today's (Thailand)."""
    today = today or datetime.now(thai.THAI_TZ).date()
    return YEAR_MIN_BE, thai.fiscal_year(today) + 1


def _year_out_of_range(be_only: bool = False) -> RuleError:
    lo, hi = year_range()
    if be_only:
        return RuleError(f"ปีต้องเป็น พ.ศ. {lo}–{hi}", f"a year must lie within {lo}–{hi} B.E.")
    return RuleError(
        f"ปีต้องอยู่ระหว่าง พ.ศ. {lo}–{hi} (หรือ ค.ศ. {lo - thai.BE_OFFSET}–{hi - thai.BE_OFFSET})",
        f"a year must lie within {lo}–{hi} B.E. (or {lo - thai.BE_OFFSET}–{hi - thai.BE_OFFSET} C.E.)",
    )


def _year_number(v) -> int:
    _single(v)
    try:
        n = thai.parse_number(v)
    except ValueError:
        raise RuleError("ไม่ใช่ปี", "not a year") from None
    if n is None or not float(n).is_integer():
        raise RuleError("ไม่ใช่ปี", "not a year")
    return int(n)


def _year(v) -> tuple[int, str]:
    n = _year_number(v)
    lo, hi = year_range()
    if lo <= n <= hi:
        return n, "BE"
    if lo - thai.BE_OFFSET <= n <= hi - thai.BE_OFFSET:
        return n + thai.BE_OFFSET, "CE"
    raise _year_out_of_range()


def check_year_be(v) -> int:
    """A year from a field that holds B.E. only (a form's fiscal-year list): within
    ``year_range``, else RuleError naming the range."""
    n = _year_number(v)
    lo, hi = year_range()
    if not lo <= n <= hi:
        raise _year_out_of_range(be_only=True)
    return n


def check_month(v) -> int:
    """1-12 from a number or a month name (``thai.month_from_text``), else RuleError (a list or
    any other value that is not one: RuleError too, never TypeError)."""
    _single(v)
    m = thai.month_from_text(v)
    if m is None:
        raise RuleError("ไม่ใช่เดือน (1–12 หรือชื่อเดือน เช่น ต.ค.)", "not a month (1-12 or a month name)")
    return m


def area_problem(code: str, codes: str = "area") -> RuleError | None:
    """Why `code` is not an area of this province (``settings.province``), or None: the
    province itself (2 digits), a district (4) or a sub-district (6) inside it; a ``district``
    list takes districts only."""
    from config import settings

    prov = settings.province
    lengths = (4,) if codes == "district" else (len(prov), 4, 6)
    if settings.area_scope == "kingdom":  # a national deployment (and the national benchmark)
        prov, lengths = "", (4,) if codes == "district" else (2, 4, 6)
    if code.isascii() and code.isdigit() and len(code) in lengths and code.startswith(prov):
        return None
    if codes == "district":
        return RuleError(
            f"ต้องเป็นรหัสอำเภอ 4 หลักในจังหวัดนี้ ({prov}xx)", f"must be a 4-digit district code of this province ({prov}xx)"
        )
    return RuleError(
        f"ต้องเป็นรหัสพื้นที่ในจังหวัดนี้: จังหวัด {prov} อำเภอ 4 หลัก หรือตำบล 6 หลักที่ขึ้นต้นด้วย {prov}",
        f"must be an area of this province: {prov}, or a 4-digit district or 6-digit "
        f"sub-district code starting with {prov}",
    )


def is_percent_unit(unit) -> bool:
    return (unit or "").strip() in PERCENT_UNITS


def measure_problem(unit, value: float) -> RuleError | None:
    """Why `value` cannot be a figure in `unit`, or None. Every unit of the KPI and indicator
    catalogues is a quantity (counts, plots, persons, baht, days, percentages…): never
    negative; a percentage is at most 100."""
    if value < 0:
        return RuleError(f"ค่าต้องไม่ติดลบ (หน่วย: {unit or '-'})", f"cannot be negative (unit: {unit or '-'})")
    if is_percent_unit(unit) and value > 100:
        return RuleError("ค่าร้อยละต้องไม่เกิน 100", "a percentage cannot exceed 100")
    return None


def _date(v) -> tuple[date, str]:
    if isinstance(v, datetime):
        v = v.date()
    if isinstance(v, date):
        y = v.year
        era = "BE" if y >= 2400 else "CE"
        try:
            return (v.replace(year=y - thai.BE_OFFSET) if era == "BE" else v), era
        except ValueError:
            raise RuleError("วันที่ไม่มีอยู่จริง", "no such date") from None
    s = thai.to_arabic_digits(str(v)).strip()
    m = _DATE_ISO.fullmatch(s)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        m = _DATE_DMY.fullmatch(s)
        if m:
            d, mo, y = int(m.group(1)), int(m.group(2)), m.group(3)
        else:
            m = _DATE_TEXT.fullmatch(s)
            mo = thai.month_from_text(m.group(2)) if m else None
            if not m or mo is None:
                raise RuleError("ไม่ใช่วันที่ (ใช้ วว/ดด/ปปปป หรือ ปปปป-ดด-วว)", "not a date (use dd/mm/yyyy or yyyy-mm-dd)")
            d, y = int(m.group(1)), m.group(3)
        if len(str(y)) != 4:
            raise RuleError("ปีของวันที่ต้องมี 4 หลัก", "the year of a date must have 4 digits")
        y = int(y)
    if y >= 2400:
        era, y = "BE", y - thai.BE_OFFSET
    elif 1800 <= y <= 2299:
        era = "CE"
    else:
        raise RuleError("ปีของวันที่ไม่ถูกต้อง", "the year of the date is out of range")
    try:
        return date(y, mo, d), era
    except ValueError:
        raise RuleError("วันที่ไม่มีอยู่จริง", "no such date") from None


class DateError(ValueError):
    """A date a person typed that is not one; ``th`` and ``en`` say why."""

    def __init__(self, th: str, en: str):
        super().__init__(en)
        self.th, self.en = th, en


def parse_date(text) -> date | None:
    """A date typed in a form, by the same rules as a file's date cells ("30/11/2569",
    "2026-11-30", "30 พ.ย. 2569", Thai digits); None when blank; DateError otherwise."""
    if (bad := scalar_problem(text)) is not None:
        raise DateError(bad.th, bad.en)
    if _blank(text):
        return None
    try:
        return _date(text)[0]
    except RuleError as e:
        raise DateError(e.th, e.en) from None


def _convert(col: reg.Column, v, code_lists: dict | None, aliases: dict | None):
    """One non-blank cell -> (value, era or None). Raises RuleError. A name-like text cell is one
    line (``one_line``); a column marked ``multiline`` (a definition, a formula) keeps its breaks."""
    _single(v)
    kind = col.kind
    if kind == "text":
        return (_text(v) if col.multiline else one_line(_text(v))), None
    if kind == "code":
        s = one_line(_text(v))
        if col.codes in AREA_LISTS and (bad := area_problem(s, col.codes)) is not None:
            raise bad
        if code_lists is not None:
            known = code_lists.get(col.codes) or {}
            if s not in known:
                label = reg.CODE_LISTS.get(col.codes, (col.codes, col.codes))
                raise RuleError(f"ไม่พบรหัสนี้ในรายการ{label[0]}", f"unknown {label[1].lower()} code")
        return s, None
    if kind == "enum":
        s = one_line(_text(v))
        got = aliases.get(s.casefold())
        if got is None:
            raise RuleError("ค่าต้องเป็นหนึ่งใน " + ", ".join(col.choices), "must be one of " + ", ".join(col.choices))
        return got, None
    if kind in ("int", "number"):
        try:
            n = thai.parse_number(v)
        except ValueError:
            raise RuleError("ไม่ใช่ตัวเลข", "not a number") from None
        if n != n or n in (float("inf"), float("-inf")):
            raise RuleError("ไม่ใช่ตัวเลข", "not a number")
        if kind == "int":
            if not float(n).is_integer():
                raise RuleError("ต้องเป็นจำนวนเต็ม", "must be a whole number")
            n = int(n)
        if col.min is not None and n < col.min:
            raise RuleError(f"ต้องไม่น้อยกว่า {col.min:g}", f"must be at least {col.min:g}")
        if col.max is not None and n > col.max:
            raise RuleError(f"ต้องไม่เกิน {col.max:g}", f"must be at most {col.max:g}")
        return n, None
    if kind == "year":
        return _year(v)
    if kind == "month":
        return check_month(v), None
    if kind == "date":
        return _date(v)
    if kind == "bool":
        b = _BOOL.get(_text(v).casefold())
        if b is None:
            raise RuleError("ต้องเป็น ใช่ หรือ ไม่ใช่", "must be yes or no")
        return b, None
    raise ValueError(f"unknown column kind {kind}")  # a registry bug, not bad input


_DTYPES = {
    "int": "Int64",
    "year": "Int64",
    "month": "Int64",
    "number": "Float64",
    "bool": "boolean",
    "date": "datetime64[s]",
}


def empty_frame(ds: reg.Dataset) -> pd.DataFrame:
    cols = {c.key: pd.Series([], dtype=_DTYPES.get(c.kind, "string")) for c in ds.columns}
    cols["_row"] = pd.Series([], dtype="Int64")
    return pd.DataFrame(cols)


# ---------------------------------------------------------------- per-dataset row rules
# The datasets _row_rules has a rule of their own for: the vectorised path (_fast_csv) leaves them
# to the rules row by row. A rule for another dataset must add its name here.
# (The measure rule of ``Dataset.extra["measure"]`` is checked by _fast_csv itself.)
_ROW_RULE_DATASETS = {"disasters", "kpi_criteria", "gpp_sector", "kpis"}


def _row_rules(ds: reg.Dataset, rec: dict, bad: set[str], code_lists: dict | None) -> list[tuple[str, str, str]]:
    """Rules across cells of one row: (column key, reason_th, reason_en)."""
    out = []
    measure = ds.extra.get("measure")
    if (
        measure
        and code_lists
        and measure.units in code_lists
        and rec.get(measure.value) is not None
        and measure.value not in bad
        and rec.get(measure.owner) in code_lists[measure.units]
    ):
        problem = measure_problem(code_lists[measure.units][rec[measure.owner]], rec[measure.value])
        if problem is not None:
            out.append((measure.value, problem.th, problem.en))

    def ok(*keys):
        return all(k not in bad and rec.get(k) is not None for k in keys)

    if rec.get("provenance") == "official" and not rec.get("source_ref") and "source_ref" not in bad:
        out.append(("source_ref", "ตัวเลขทางการต้องระบุแหล่งอ้างอิง", "an official figure needs a source reference"))
    if ds.name == "disasters" and ok("start_date", "end_date") and rec["end_date"] < rec["start_date"]:
        out.append(("end_date", "วันสิ้นสุดก่อนวันเริ่ม", "ends before it starts"))
    if ds.name == "kpi_criteria" and ok("t1", "t2", "t3", "t4", "t5"):
        t = [rec[k] for k in ("t1", "t2", "t3", "t4", "t5")]
        if not (all(a <= b for a, b in zip(t, t[1:])) or all(a >= b for a, b in zip(t, t[1:]))):
            out.append(
                (
                    "t1",
                    "เกณฑ์ 5 ระดับต้องเรียงลำดับทางเดียวกัน (เพิ่มขึ้นหรือลดลง)",
                    "the five levels must all increase or all decrease",
                )
            )
        if ok("red_below", "green_from") and rec["red_below"] > rec["green_from"]:
            out.append(("red_below", "เกณฑ์สีแดงสูงกว่าเกณฑ์สีเขียว", "the red band lies above the green band"))
    if (
        ds.name == "gpp_sector"
        and rec.get("price_basis") == "cvm"
        and rec.get("reference_year") is None
        and "reference_year" not in bad
    ):
        out.append(("reference_year", "ราคาปริมาณลูกโซ่ (cvm) ต้องระบุปีอ้างอิง", "chain volume (cvm) needs a reference year"))
    if ds.name == "kpis" and rec.get("direction") == "range":
        for k in ("range_low", "range_high"):
            if rec.get(k) is None and k not in bad:
                out.append((k, "ทิศทางแบบช่วงต้องระบุช่วงต่ำสุดและสูงสุด", "a range KPI needs its low and high"))
        if ok("range_low", "range_high") and rec["range_low"] > rec["range_high"]:
            out.append(("range_low", "ช่วงต่ำสุดมากกว่าช่วงสูงสุด", "range low is above range high"))
    return out


# ---------------------------------------------------------------- the parser
def parse_file(
    path,
    dataset: str | None = None,
    code_lists: dict[str, dict] | None = None,
    fast: bool | None = None,
    into: tuple[Any, str] | None = None,
) -> ParseResult:
    """Parse one file of `dataset` (detected when None). `code_lists` maps a code-list name
    (``reg.CODE_LISTS``) to the known codes; when None, codes are not checked.

    A clean CSV of ``FAST_MIN_BYTES`` or more (or any CSV when `fast` is True) is first tried
    on the vectorised path (``_fast_csv``); whatever it cannot vouch for goes through the
    row-by-row rules, so errors are always those rules' errors.

    ``into=(connection, table)``: when the vectorised path vouches for the file, its rows go
    straight into that DuckDB table, typed as the frame's columns would be there, and the
    result's ``table`` names it (the build; nothing of the file is held in pandas)."""
    path = Path(path)
    name = path.name
    errors: list[Issue] = []

    def file_error(th, en, sheet=None):
        errors.append(Issue(name, sheet, None, None, None, th, en))

    dataset = dataset or (detect_dataset(path) if path.is_file() else None)
    ds = reg.DATASETS.get(dataset) if dataset else None
    if not path.is_file():
        file_error("ไม่พบไฟล์", "file not found")
        return ParseResult(name, ds, empty_frame(ds) if ds else pd.DataFrame(), errors)
    if path.suffix.lower() not in TABULAR:
        file_error("รับเฉพาะไฟล์ .xlsx หรือ .csv", "only .xlsx and .csv files are accepted")
        return ParseResult(name, ds, empty_frame(ds) if ds else pd.DataFrame(), errors)
    if ds is None:
        file_error(
            "ระบุชุดข้อมูลไม่ได้ ให้ใช้แบบฟอร์มของระบบหรือระบุ --dataset",
            "cannot tell which dataset this is: use a Sanyan template or pass --dataset",
        )
        return ParseResult(name, None, pd.DataFrame(), errors)

    if path.suffix.lower() == ".csv" and (fast or (fast is None and path.stat().st_size >= FAST_MIN_BYTES)):
        frame = _fast_csv(path, ds, code_lists, into)
        if frame is not None:
            return ParseResult(name, ds, empty_frame(ds) if into else frame, errors, into[1] if into else None)
    try:
        sheet, rows = _read_xlsx(path) if path.suffix.lower() == ".xlsx" else _read_csv(path)
    except _FileError as e:
        file_error(e.th, e.en)
        return ParseResult(name, ds, empty_frame(ds), errors)
    return parse_rows(name, ds, sheet, rows, code_lists)


def parse_upload(name: str, raw: bytes, dataset: str, code_lists: dict[str, dict] | None = None) -> ParseResult:
    """A file sent through a web form (its name and bytes) by exactly the rules of ``parse_file``:
    written to a temporary folder under its own name (an unknown suffix is refused by name)."""
    import tempfile

    suffix = Path(name or "").suffix.lower()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / (Path(name).name if suffix in TABULAR else "upload.bin")
        path.write_bytes(raw)
        return parse_file(path, dataset, code_lists=code_lists)


def parse_record(
    dataset: str, values: dict, code_lists: dict[str, dict] | None = None, name: str = "แบบฟอร์ม"
) -> ParseResult:
    """One record typed in a web form (column key -> text), by exactly the rules of a file: the
    form is a one-row file with the template's headers. Issues name the column by its Thai header
    (``Dataset.column(key).th``); the record is row 2."""
    ds = reg.DATASETS[dataset]
    return parse_rows(
        name, ds, None, [(1, [c.th for c in ds.columns]), (2, [values.get(c.key) for c in ds.columns])], code_lists
    )


def parse_rows(
    name: str, ds: reg.Dataset, sheet: str | None, rows: list[tuple[int, list]], code_lists: dict[str, dict] | None
) -> ParseResult:
    """The rules of ``parse_file`` on rows already read: (row number, cells), header first."""
    errors: list[Issue] = []

    def file_error(th, en, sheet=None):
        errors.append(Issue(name, sheet, None, None, None, th, en))

    # header: the first non-blank row
    hpos = next((i for i, (_n, r) in enumerate(rows) if any(not _blank(v) for v in r)), None)
    if hpos is None:
        file_error("ไฟล์ว่าง ไม่มีหัวคอลัมน์", "the file is empty (no header row)", sheet)
        return ParseResult(name, ds, empty_frame(ds), errors)
    header_row_no, header = rows[hpos]
    found, problems = _match_headers(ds, header)
    if not _fits(ds, found, problems):  # title rows above the header? say where it is
        below = next(
            ((n, r) for n, r in rows[hpos + 1 : hpos + 1 + HEADER_SEARCH_ROWS] if _fits(ds, *_match_headers(ds, r))),
            None,
        )
        if below is not None:
            n = below[0] - 1
            errors.append(
                Issue(
                    name,
                    sheet,
                    below[0],
                    None,
                    None,
                    f"หัวคอลัมน์อยู่ที่แถว {below[0]} ให้ลบแถวชื่อเรื่อง {n} แถวด้านบนออก (แถวแรกของไฟล์ต้องเป็นหัวคอลัมน์)",
                    f"the header is on row {below[0]}; remove the {n} title row(s) above it "
                    "(the first row of the file must be the header)",
                )
            )
            return ParseResult(name, ds, empty_frame(ds), errors)
    for _pos, h, th, en in problems:
        errors.append(Issue(name, sheet, header_row_no, h, None, th, en))
    present = set(found.values())
    for c in ds.columns:
        if c.required and c.key not in present:
            errors.append(
                Issue(
                    name,
                    sheet,
                    header_row_no,
                    c.th,
                    None,
                    f"ไม่มีคอลัมน์ที่จำเป็น '{c.th}' ({c.key})",
                    f"required column '{c.en}' ({c.key}) is missing",
                )
            )
    header_text = {key: str(header[pos]).strip().rstrip("*").strip() for pos, key in found.items()}
    label = {c.key: header_text.get(c.key, c.th) for c in ds.columns}

    body = [(n, r) for n, r in rows[hpos + 1 :] if any(not _blank(v) for v in r)]
    for n, r in body:  # data under a blank header
        for pos in range(len(header), len(r)):
            if not _blank(r[pos]):
                errors.append(
                    Issue(
                        name,
                        sheet,
                        n,
                        f"#{pos + 1}",
                        _text(r[pos]),
                        "มีข้อมูลในคอลัมน์ที่ไม่มีหัวคอลัมน์",
                        "a value in a column without a header",
                    )
                )
                break
        for pos, h in enumerate(header):
            if _blank(h) and pos < len(r) and not _blank(r[pos]):
                errors.append(
                    Issue(
                        name,
                        sheet,
                        n,
                        f"#{pos + 1}",
                        _text(r[pos]),
                        "มีข้อมูลในคอลัมน์ที่ไม่มีหัวคอลัมน์",
                        "a value in a column without a header",
                    )
                )
                break
    if not body:
        file_error("ไม่มีแถวข้อมูล", "no data rows", sheet)

    row_nos = [n for n, _r in body]
    values: dict[str, list] = {}
    bad_cells: dict[int, set[str]] = {}
    for c in ds.columns:
        pos = next((p for p, k in found.items() if k == c.key), None)
        raw = [(r[pos] if pos is not None and pos < len(r) else None) for _n, r in body]
        aliases = _enum_aliases(c) if c.kind == "enum" else None
        memo: dict = {}
        col_vals: list = []
        era_first: tuple[str, int] | None = None
        for i, v in enumerate(raw):
            if _blank(v):
                col_vals.append(None)
                if c.required and pos is not None:
                    errors.append(
                        Issue(
                            name, sheet, row_nos[i], label[c.key], None, "ต้องกรอกค่า (คอลัมน์จำเป็น)", "a value is required"
                        )
                    )
                    bad_cells.setdefault(i, set()).add(c.key)
                continue
            if (odd := scalar_problem(v)) is not None:  # a list from a request: an issue, not TypeError
                errors.append(Issue(name, sheet, row_nos[i], label[c.key], _text(v)[:200], odd.th, odd.en))
                bad_cells.setdefault(i, set()).add(c.key)
                col_vals.append(None)
                continue
            key = (type(v).__name__, v)
            if key not in memo:
                try:
                    memo[key] = (_convert(c, v, code_lists, aliases), None)
                except RuleError as b:
                    memo[key] = (None, b)
            got, bad = memo[key]
            if bad is not None:
                errors.append(Issue(name, sheet, row_nos[i], label[c.key], _text(v), bad.th, bad.en))
                bad_cells.setdefault(i, set()).add(c.key)
                col_vals.append(None)
                continue
            val, era = got
            if era is not None:
                if era_first is None:
                    era_first = (era, row_nos[i])
                elif era != era_first[0]:
                    first = "พ.ศ." if era_first[0] == "BE" else "ค.ศ."
                    errors.append(
                        Issue(
                            name,
                            sheet,
                            row_nos[i],
                            label[c.key],
                            _text(v),
                            f"ใช้ศักราชปนกันในคอลัมน์เดียว (แถว {era_first[1]} ใช้ {first}) — {YEAR_RULE_TH}",
                            f"mixes B.E. and C.E. in one column (row {era_first[1]} is "
                            f"{'B.E.' if era_first[0] == 'BE' else 'C.E.'}); rule: {YEAR_RULE_EN}",
                        )
                    )
                    bad_cells.setdefault(i, set()).add(c.key)
                    col_vals.append(None)
                    continue
            col_vals.append(val)
        values[c.key] = col_vals

    # rules across the cells of a row, and duplicates on the grain
    seen: dict[tuple, int] = {}
    for i, n in enumerate(row_nos):
        rec = {k: values[k][i] for k in values}
        bad = bad_cells.get(i, set())
        for key, th, en in _row_rules(ds, rec, bad, code_lists):
            errors.append(
                Issue(name, sheet, n, label[key], _text(rec.get(key)) if rec.get(key) is not None else None, th, en)
            )
        if any(k in bad for k in ds.grain):
            continue
        g = tuple(rec[k] for k in ds.grain)
        if g in seen:
            cols = ", ".join(label[k] for k in ds.grain)
            errors.append(
                Issue(
                    name,
                    sheet,
                    n,
                    label[ds.grain[0]],
                    " / ".join("" if x is None else str(x) for x in g),
                    f"ซ้ำกับแถว {seen[g]} ({cols})",
                    f"duplicates row {seen[g]} on ({cols})",
                )
            )
        else:
            seen[g] = n

    frame = pd.DataFrame(
        {
            c.key: pd.Series(values[c.key], dtype=_DTYPES.get(c.kind, "string"))
            if c.kind != "date"
            else pd.Series(pd.to_datetime(pd.Series(values[c.key], dtype=object)), dtype="datetime64[s]")
            for c in ds.columns
        }
    )
    frame["_row"] = pd.Series(row_nos, dtype="Int64")
    errors.sort(key=lambda e: e.row if e.row is not None else -1)
    return ParseResult(name, ds, frame, errors)


# ---------------------------------------------------------------- the vectorised path for big clean CSVs
FAST_MIN_BYTES = 1 << 20
FAST_MAX_DISTINCT = 200_000  # more distinct values than this in a non-number column: row by row
_PLAIN_NUMBER = r"-?[0-9]+(\.[0-9]+)?"


def _fast_csv(
    path: Path, ds: reg.Dataset, code_lists: dict | None, into: tuple[Any, str] | None = None
) -> pd.DataFrame | None:
    """The frame ``parse_rows`` would return for a clean CSV, computed column-wise in DuckDB, or
    None as soon as anything needs the row-by-row rules (which then give the exact errors).

    It vouches only for what it can prove equal to the rules: UTF-8 without BOM, comma
    separated, one line per record (so row numbers are line numbers) and no blank line, headers
    that are the template's, no duplicate on the grain, no dataset-specific row rule. Numbers
    must be plain (``-12.5``; Thai digits, separators or spaces go row by row). Every other
    column is converted by ``_convert`` itself, once per distinct raw value, then joined back."""
    import duckdb

    if ds.name in _ROW_RULE_DATASETS:
        return None
    lines = _plain_lines(path)
    if lines is None:
        return None
    with open(path, encoding="utf-8", newline="") as f:
        try:
            header = next(csv.reader([f.readline()]), None)
        except (UnicodeDecodeError, csv.Error):
            return None
    if not header:
        return None
    found, problems = _match_headers(ds, header)
    if problems or len(found) != len(header) or any(c.required and c.key not in found.values() for c in ds.columns):
        return None
    cols = {key: f"c{p}" for p, key in found.items()}
    con = into[0].cursor() if into else duckdb.connect()  # into: the build's own database (it can spill)
    try:
        con.execute("SET preserve_insertion_order = true")
        try:  # the header is the template's: names of our own
            con.execute(
                """CREATE TEMP TABLE body AS SELECT * FROM read_csv($p, header = true, all_varchar = true,
                            names = $names, delim = ',', quote = '"', escape = '"', strict_mode = true,
                            null_padding = false, sample_size = -1)""",
                {"p": str(path), "names": [f"c{i}" for i in range(len(header))]},
            )
        except duckdb.Error:  # not UTF-8, ragged rows, stray quotes: row by row
            return None
        n = con.execute("SELECT count(*) FROM body").fetchone()[0]
        if n < 1 or lines != n + 1:  # a record over several lines: row numbers differ
            return None
        select, checks = ["rowid + 2 AS _row"], []
        for c in ds.columns:
            col = cols.get(c.key)
            if col is None:
                select.append(f"NULL AS {c.key}")
                continue
            if c.kind in ("int", "number"):
                num = f"CAST({col} AS DOUBLE)"
                checks.append(f"count(*) FILTER (WHERE NOT regexp_full_match({col}, '{_PLAIN_NUMBER}'))")
                if c.required:
                    checks.append(f"count(*) FILTER (WHERE {col} IS NULL)")
                if c.min is not None:
                    checks.append(f"count(*) FILTER (WHERE {num} < {float(c.min)!r})")
                if c.max is not None:
                    checks.append(f"count(*) FILTER (WHERE {num} > {float(c.max)!r})")
                if c.kind == "int":
                    checks.append(f"count(*) FILTER (WHERE {num} <> round({num}))")
                select.append(f"{num} AS {c.key}")
                continue
            distinct = [
                r[0] for r in con.execute(f"SELECT DISTINCT {col} FROM body LIMIT {FAST_MAX_DISTINCT + 1}").fetchall()
            ]
            if len(distinct) > FAST_MAX_DISTINCT:
                return None
            aliases = _enum_aliases(c) if c.kind == "enum" else None
            mapping, eras = {}, set()
            for raw in distinct:
                if _blank(raw):
                    if c.required:
                        return None
                    mapping[raw] = None
                    continue
                try:
                    val, era = _convert(c, raw, code_lists, aliases)
                except RuleError:
                    return None
                mapping[raw] = val
                eras.add(era)
            if len(eras - {None}) > 1:  # a column mixing B.E. and C.E.
                return None
            select.append(_mapped(con, c, col, mapping))
        params = {}
        measure = ds.extra.get("measure")
        units = (code_lists or {}).get(measure.units) if measure else None
        if units and measure.value in cols and measure.owner in cols:  # measure_problem, column-wise
            num = f"TRY_CAST({cols[measure.value]} AS DOUBLE)"
            checks.append(
                f"count(*) FILTER (WHERE {num} < 0 OR ({num} > 100 "
                f"AND list_contains($percent, trim({cols[measure.owner]}))))"
            )
            params["percent"] = [c for c, u in units.items() if is_percent_unit(u)]
        if checks and any(con.execute(f"SELECT {', '.join(checks)} FROM body", params).fetchone()):
            return None
        con.execute(f"CREATE TEMP VIEW out AS SELECT {', '.join(select)} FROM body")
        if con.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM out GROUP BY {', '.join(ds.grain)} HAVING count(*) > 1)"
        ).fetchone()[0]:
            return None  # duplicates on the grain: row by row names both rows
        if (
            "provenance" in cols
            and con.execute("SELECT count(*) FROM out WHERE provenance = 'official' AND source_ref IS NULL").fetchone()[
                0
            ]
        ):
            return None
        if con.execute(
            f"SELECT count(*) FROM out WHERE {' AND '.join(f'{c.key} IS NULL' for c in ds.columns)}"
        ).fetchone()[0]:
            return None  # a row of blanks: skipped row by row
        if into:
            types = _duck_types(con, ds)
            keys = [c.key for c in ds.columns] + ["_row"]
            con.execute(
                f"CREATE TABLE {into[1]} AS SELECT {', '.join(f'CAST({k} AS {types[k]}) AS {k}' for k in keys)} "
                "FROM out ORDER BY _row"
            )
            return empty_frame(ds)
        df = con.execute(f"SELECT {', '.join(c.key for c in ds.columns)}, _row FROM out").df()
    finally:
        con.close()  # its TEMP tables and view go with it (a cursor is a connection of its own)
    # column by column, each raw column let go once converted (a national file: 2 copies, not 3)
    frame = pd.DataFrame(
        {
            c.key: df.pop(c.key).astype(_DTYPES.get(c.kind, "string"))
            if c.kind != "date"
            else pd.Series(pd.to_datetime(df.pop(c.key)), dtype="datetime64[s]")
            for c in ds.columns
        }
    )
    frame["_row"] = df.pop("_row").astype("Int64")
    return frame


def _duck_types(con, ds: reg.Dataset) -> dict[str, str]:
    """The DuckDB type each column of ``empty_frame(ds)`` becomes when the frame is written to
    DuckDB: the vectorised path's table has exactly the columns the frame would have had."""
    cur = con.cursor()  # a connection of its own: nothing of the caller's is touched
    try:
        cur.register("_typed", empty_frame(ds))
        return {r[0]: r[1] for r in cur.execute("DESCRIBE SELECT * FROM _typed").fetchall()}
    finally:
        cur.close()


def _mapped(con, c: reg.Column, col: str, mapping: dict) -> str:
    """The SQL that turns raw column `col` into its converted values: the raw text itself or a
    cast where ``_convert`` changed nothing else, else a lookup in a table of the mapping."""
    sql_type = _FAST_SQL_TYPE.get(c.kind, "VARCHAR")
    pairs = [(k, v) for k, v in mapping.items() if k is not None]
    if all(v is None for _k, v in pairs):
        return f"CAST(NULL AS {sql_type}) AS {c.key}"
    if sql_type == "VARCHAR" and all(k == v for k, v in pairs):
        return f"{col} AS {c.key}"
    if sql_type == "BIGINT" and all(isinstance(v, int) and k == str(v) for k, v in pairs):
        return f"CAST({col} AS BIGINT) AS {c.key}"
    t = f"map_{col}"
    frame = pd.DataFrame(
        {"k": pd.Series([k for k, _v in pairs], dtype=object), "v": pd.Series([v for _k, v in pairs], dtype=object)}
    )
    con.register("pairs", frame)
    con.execute(f"CREATE TEMP TABLE {t} AS SELECT CAST(k AS VARCHAR) AS k, CAST(v AS {sql_type}) AS v FROM pairs")
    con.unregister("pairs")
    return f"(SELECT v FROM {t} WHERE {t}.k = {col}) AS {c.key}"


def _plain_lines(path: Path) -> int | None:
    """Lines of a file with no BOM, NUL or blank line, else None (read in blocks: files are big)."""
    lines, tail, last = 0, b"", b""
    with open(path, "rb") as f:
        while block := f.read(1 << 24):
            if not tail and block.startswith(b"\xef\xbb\xbf"):
                return None
            joined = tail + block
            if b"\x00" in block or b"\n\n" in joined or b"\n\r\n" in joined:
                return None
            lines += block.count(b"\n")
            tail, last = joined[-2:], block[-1:]
    if not tail:
        return None
    return lines + (0 if last == b"\n" else 1)


_FAST_SQL_TYPE = {"year": "BIGINT", "month": "BIGINT", "date": "DATE", "bool": "BOOLEAN"}
