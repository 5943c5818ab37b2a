"""The uniform blank template of a dataset: ``python -m etl template DATASET -o FILE.xlsx``.

Generated from the registry (``inputs/datasets.py``), so the template, the parser and the build
never disagree. The workbook has
  * ``ข้อมูล`` (first, active): one header row of Thai labels (required ones marked ``*`` and
    shaded orange), a comment with help on every header, drop-down lists on code, choice,
    month and yes/no columns, code/text/choice/date columns formatted as text so ``8601``
    stays ``8601`` and ``05/11/2569`` is never re-read as a US date; no data rows;
  * ``คำอธิบาย``: how to fill it in, every column with its rules, and the code lists;
  * ``รายการรหัส`` (hidden): the valid codes behind the drop-down lists, with their names.

The contract with ``inputs/parsing.py``: the parser reads the FIRST sheet only, row 1 is the
header (a trailing ``*`` is ignored), and the workbook keywords ``sanyan:<dataset>`` tell it
which dataset the file holds (also stored as the custom property ``sanyan_dataset``).
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from components import thai
from components.cells import xlsx_workbook
from inputs import datasets as reg
from inputs.parsing import MARKER_PREFIX, YEAR_RULE_EN, YEAR_RULE_TH

DATA_SHEET = "ข้อมูล"
HELP_SHEET = "คำอธิบาย"
LISTS_SHEET = "รายการรหัส"
MARKER_PROPERTY = "sanyan_dataset"
ROWS = 5000  # rows covered by the drop-down lists
SHORT_LIST = 60  # code lists up to this size are printed on the instructions sheet
TEXT_KINDS = ("code", "text", "enum", "date")  # kept exactly as typed (Excel format "@")

KIND_TH = {
    "text": "ข้อความ",
    "code": "รหัส (เลือกจากรายการ)",
    "enum": "ตัวเลือก",
    "int": "จำนวนเต็ม",
    "number": "ตัวเลข",
    "year": "ปี พ.ศ. 4 หลัก เช่น 2570",
    "month": "เดือน (1–12 หรือชื่อเดือน)",
    "date": "วันที่ วว/ดด/ปปปป (พ.ศ.)",
    "bool": "ใช่ / ไม่ใช่",
}
KIND_EN = {
    "text": "text",
    "code": "code (from the list)",
    "enum": "choice",
    "int": "whole number",
    "number": "number",
    "year": "4-digit year, B.E. e.g. 2570",
    "month": "month (1-12 or name)",
    "date": "date dd/mm/yyyy",
    "bool": "yes / no",
}
REQUIRED_FILL = PatternFill("solid", fgColor="FDE9C4")
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")

INSTRUCTIONS_TH = [
    "กรอกหนึ่งแถวต่อหนึ่งรายการ ในแผ่นงาน “ข้อมูล” (แผ่นงานแรก) ห้ามแก้ไขหัวคอลัมน์ ห้ามแทรกแถวว่างไว้ด้านบน",
    "คอลัมน์ที่มีเครื่องหมาย * และพื้นสีส้มเป็นคอลัมน์จำเป็น ต้องกรอกทุกแถว คอลัมน์อื่นเว้นว่างได้",
    "ปีงบประมาณเริ่ม 1 ตุลาคม สิ้นสุด 30 กันยายน (ปีงบประมาณ 2570 = 1 ต.ค. 2569 – 30 ก.ย. 2570)",
    "ปีให้กรอกเป็น พ.ศ. 4 หลัก เช่น 2570 (รับ ค.ศ. ได้ เช่น 2027 แต่ทั้งคอลัมน์ต้องใช้ศักราชเดียวกัน)",
    f"กติกาปี: {YEAR_RULE_TH}",
    "ตัวเลขใช้เลขไทยหรือเลขอารบิกก็ได้ ใส่เครื่องหมายคั่นหลักพันได้ (เช่น 1,234 หรือ ๑,๒๓๔)",
    "เดือนใส่เป็นตัวเลข 1–12 หรือชื่อเดือน (ตุลาคม, ต.ค., Oct)",
    "วันที่ใส่เป็น วว/ดด/ปปปป เช่น 24/11/2569 หรือ 24 พ.ย. 2569",
    f"รหัสและตัวเลือกให้เลือกจากรายการแบบหล่นลง รายการทั้งหมดอยู่ในแผ่นงานที่ซ่อนไว้ชื่อ “{LISTS_SHEET}” "
    "(คลิกขวาที่แถบแผ่นงาน > ยกเลิกการซ่อน) และสรุปไว้ท้ายแผ่นงานนี้",
    "บันทึกเป็น .xlsx แล้วตรวจด้วย: python -m etl validate ไฟล์.xlsx  นำเข้าด้วย: python -m etl load ไฟล์.xlsx",
    "การนำเข้าเป็นแบบทั้งหมดหรือไม่เลย: หากมีข้อผิดพลาดแม้แถวเดียว จะไม่มีข้อมูลใดเปลี่ยนแปลง",
]
INSTRUCTIONS_EN = [
    "One row per record on the data sheet (the first sheet); do not change the headers or add rows above them.",
    "Columns marked * (orange) are required in every row; the others may be left blank.",
    "The fiscal year runs 1 October - 30 September (FY 2570 = 1 Oct 2026 - 30 Sep 2027).",
    "Years as 4-digit B.E., e.g. 2570 (C.E. such as 2027 is accepted, but one era per column).",
    f"Year rule: {YEAR_RULE_EN}.",
    "Numbers may use Thai or Arabic digits and thousands separators.",
    "Months as 1-12 or a month name (ตุลาคม, ต.ค., Oct).",
    "Dates as dd/mm/yyyy, e.g. 24/11/2569, or 24 พ.ย. 2569.",
    f"Pick codes and choices from the drop-down lists; all lists are on the hidden sheet '{LISTS_SHEET}' "
    "(right-click a sheet tab > Unhide) and summarised at the end of this sheet.",
    "Check with `python -m etl validate FILE.xlsx`, load with `python -m etl load FILE.xlsx`.",
    "A load is all or nothing: one bad row and nothing changes.",
]


def _enum_labels(col: reg.Column) -> dict[str, str]:
    """Thai labels of an enum's choices from ``help_th`` ('higher = ยิ่งมากยิ่งดี, lower = ...')."""
    labels = {}
    for part in (col.help_th or "").split(", "):
        if " = " in part:
            k, v = part.split(" = ", 1)
            if k.strip() in col.choices:
                labels[k.strip()] = v.strip()
    return labels


def _choices(col: reg.Column, code_lists: dict) -> list[tuple[str, str]] | None:
    """(value, label) pairs offered for a column, or None when it has no list (a code column
    whose list is missing or empty gets no drop-down; the parser still checks it on load)."""
    if col.kind == "code":
        codes = (code_lists or {}).get(col.codes) or {}
        return sorted((str(k), "" if v is None else str(v)) for k, v in codes.items()) or None
    if col.kind == "enum":
        labels = _enum_labels(col)
        return [(c, labels.get(c, "")) for c in col.choices]
    if col.kind == "month":
        return [(str(m), thai.month_name(m)) for m in thai.FISCAL_MONTHS]
    if col.kind == "bool":
        return [("ใช่", "yes"), ("ไม่ใช่", "no")]
    return None


def _list_id(col: reg.Column) -> tuple:
    """Columns sharing a list share one range on the lists sheet."""
    if col.kind == "code":
        return ("code", col.codes)
    if col.kind == "enum":
        return ("enum", col.choices)
    return (col.kind,)


def _allowed(col: reg.Column, options) -> str:
    if col.kind == "code":
        th, en = reg.CODE_LISTS.get(col.codes, (col.codes, col.codes))
        n = f"{len(options):,} รหัส" if options else "ไม่มีรายการในขณะสร้างแบบฟอร์ม"
        return f"รายการ{th} / {en} list ({n}; แผ่นงาน {LISTS_SHEET})"
    if col.kind == "enum":
        return ", ".join(f"{v} ({t})" if t else v for v, t in options)
    if col.kind == "month":
        return "1–12, ต.ค., ตุลาคม, Oct"
    if col.kind == "bool":
        return "ใช่ / ไม่ใช่ (yes / no)"
    if col.kind == "year":
        return "เช่น 2570 (พ.ศ.) หรือ 2027 (ค.ศ.)"
    if col.kind == "date":
        return "เช่น 24/11/2569"
    bounds = [f"≥ {col.min:g}" if col.min is not None else "", f"≤ {col.max:g}" if col.max is not None else ""]
    return " ".join(b for b in bounds if b)


def write_template(
    dataset: str, path: Path, code_lists: dict[str, dict[str, str]] | None = None, lang: str = "th"
) -> Path:
    """Write the blank template of `dataset` to `path` (.xlsx) and return the path.

    `code_lists` maps a code-list name (``reg.CODE_LISTS``) to {code: Thai label}; a list that
    is missing or empty gets no drop-down. `lang` ("th" or "en") picks the header labels and
    the language of the header notes; the instructions are always bilingual."""
    ds = reg.DATASETS[dataset]
    en = lang == "en"
    code_lists = code_lists or {}
    path = Path(path)
    wb = Workbook()
    data = wb.active
    data.title = DATA_SHEET
    helps = wb.create_sheet(HELP_SHEET)
    lists = wb.create_sheet(LISTS_SHEET)

    ranges: dict[tuple, str] = {}  # list id -> absolute range on the lists sheet
    options_of: dict[str, list | None] = {}
    for i, col in enumerate(ds.columns, start=1):
        letter = get_column_letter(i)
        label = col.en if en else col.th
        cell = data.cell(row=1, column=i, value=f"{label} *" if col.required else label)
        cell.font = Font(bold=True)
        cell.fill = REQUIRED_FILL if col.required else HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        kind = KIND_EN[col.kind] if en else KIND_TH[col.kind]
        need = ("required" if col.required else "optional") if en else ("จำเป็น" if col.required else "เว้นว่างได้")
        help_ = (col.help_en or col.help_th) if en else col.help_th
        note = "\n".join(x for x in (f"{kind} ({need})", help_, f"[{col.key}]") if x)
        cell.comment = Comment(note, "Sanyan", width=280, height=120)
        data.column_dimensions[letter].width = max(14, min(40, len(label) * 1.3 + 4))
        if col.kind in TEXT_KINDS:
            data.column_dimensions[letter].number_format = "@"  # 8601 stays text

        options = options_of[col.key] = _choices(col, code_lists)
        if not options:
            continue
        lid = _list_id(col)
        if lid not in ranges:
            k = 2 * len(ranges) + 1
            lcol = get_column_letter(k)
            title = reg.CODE_LISTS.get(col.codes, (col.key,))[0] if col.kind == "code" else col.th
            lists.cell(row=1, column=k, value=title).font = Font(bold=True)
            lists.cell(row=1, column=k + 1, value="ชื่อ / label").font = Font(bold=True)
            for r, (value, text) in enumerate(options, start=2):
                lists.cell(row=r, column=k, value=value).number_format = "@"
                lists.cell(row=r, column=k + 1, value=text)
            lists.column_dimensions[lcol].width = 14
            lists.column_dimensions[get_column_letter(k + 1)].width = 40
            ranges[lid] = f"{quote_sheetname(LISTS_SHEET)}!${lcol}$2:${lcol}${len(options) + 1}"
        if en:
            err_title, err = "Not in the list", f"Pick {col.en} from the list."
        else:
            err_title, err = "ค่าไม่อยู่ในรายการ", f"เลือก{col.th}จากรายการแบบหล่นลง"
        dv = DataValidation(
            type="list",
            formula1=ranges[lid],
            allow_blank=not col.required,
            showDropDown=False,
            # a month may also be typed as a name (ต.ค.), so no hard stop there
            showErrorMessage=col.kind != "month",
            errorStyle="stop",
            errorTitle=err_title,
            error=err[:255],
            promptTitle=label[:32],
            prompt=(help_ or kind)[:255],
            showInputMessage=True,
        )
        dv.add(f"{letter}2:{letter}{ROWS}")
        data.add_data_validation(dv)
    data.freeze_panes = "A2"
    data.row_dimensions[1].height = 36
    lists.freeze_panes = "A2"
    lists.sheet_state = "hidden"

    # ------------------------------------------------------------ the instructions
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")

    def heading(*values):
        helps.append(list(values))
        for c in helps[helps.max_row]:
            c.font = bold

    helps.append([f"แบบฟอร์ม: {ds.th}"])
    helps["A1"].font = Font(bold=True, size=14)
    helps.append([f"Template: {ds.en}  (dataset {ds.name})"])
    if ds.help_th or ds.help_en:
        helps.append([ds.help_th, ds.help_en])
    helps.append([])
    heading("วิธีกรอก", "How to fill it in")
    for th, en_ in zip(INSTRUCTIONS_TH, INSTRUCTIONS_EN):
        helps.append([f"• {th}", en_])
    helps.append([])
    heading("หัวคอลัมน์", "Header", "คีย์ / key", "จำเป็น / required", "ชนิด / kind", "ค่าที่รับ / allowed", "คำอธิบาย / help")
    for c in helps[helps.max_row]:
        c.fill = HEADER_FILL
    for col in ds.columns:
        helps.append(
            [
                col.th,
                col.en,
                col.key,
                "ใช่ / yes" if col.required else "ไม่ / no",
                f"{KIND_TH[col.kind]} / {KIND_EN[col.kind]}",
                _allowed(col, options_of.get(col.key)),
                " / ".join(x for x in (col.help_th, col.help_en) if x),
            ]
        )
    grain = ", ".join(ds.column(k).th for k in ds.grain)
    helps.append([])
    helps.append([f"แต่ละแถวต้องไม่ซ้ำกันตาม: {grain}", f"Rows are unique on: {', '.join(ds.grain)}"])

    # the code lists: short ones in full, long ones by reference to the lists sheet
    listed = []
    for col in ds.columns:
        if col.kind == "code" and col.codes not in listed:
            listed.append(col.codes)
    if listed:
        helps.append([])
        heading("รายการรหัส", "Code lists")
    for name in listed:
        th, en_ = reg.CODE_LISTS.get(name, (name, name))
        codes = sorted((code_lists.get(name) or {}).items())
        helps.append([])
        heading(f"รายการ{th} ({len(codes):,} รหัส)", f"{en_} ({len(codes):,} codes)")
        if not codes:
            helps.append(
                [
                    "ไม่มีรายการในขณะสร้างแบบฟอร์ม รหัสจะถูกตรวจเมื่อนำเข้า",
                    "no list when this template was made; codes are checked on load",
                ]
            )
        elif len(codes) > SHORT_LIST:
            helps.append(
                [
                    f"รายการยาว ดูทั้งหมดในแผ่นงาน “{LISTS_SHEET}” (แผ่นงานที่ซ่อนไว้)",
                    f"long list: see the hidden sheet '{LISTS_SHEET}'",
                ]
            )
        else:
            for code, text in codes:
                helps.append([str(code), text])
                helps.cell(row=helps.max_row, column=1).number_format = "@"

    for letter, width in zip("ABCDEFG", (48, 34, 20, 16, 28, 34, 60)):
        helps.column_dimensions[letter].width = width
    for row in helps.iter_rows():
        for c in row:
            if c.value is not None and c.row > 1:
                c.alignment = wrap

    # ------------------------------------------------------------ the dataset marker
    wb.properties.keywords = f"{MARKER_PREFIX}{dataset}"
    wb.properties.title = f"Sanyan template: {ds.en}"
    wb.properties.subject = ds.th
    wb.properties.creator = "Sanyan"
    wb.custom_doc_props.append(StringProperty(name=MARKER_PROPERTY, value=dataset))
    wb.active = 0
    xlsx_workbook(wb)  # a label or code list entry that begins with "=": text, never a formula
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
