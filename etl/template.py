"""The uniform blank template of a dataset: ``python -m etl template DATASET -o FILE.xlsx``.

Generated from the registry (``etl/datasets.py``), so the template, the parser and the build
never disagree. The workbook has
  * ``ข้อมูล`` (first, active): one header row of Thai labels (required ones marked ``*`` and
    shaded), a comment with help on every header, drop-down lists on code, choice, month and
    yes/no columns, code columns formatted as text so ``8601`` stays ``8601``;
  * ``คำอธิบาย``: how to fill it in, and every column with its rules;
  * ``รายการรหัส`` (hidden): the valid codes behind the drop-down lists, with their names.
The workbook keywords carry ``sanyan:<dataset>`` so ``validate``/``load`` recognise the file.
"""
from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from components import thai
from etl import datasets as reg
from etl.parsing import MARKER_PREFIX, YEAR_RULE_EN, YEAR_RULE_TH

DATA_SHEET = "ข้อมูล"
HELP_SHEET = "คำอธิบาย"
LISTS_SHEET = "รายการรหัส"
ROWS = 5000                       # rows covered by the drop-down lists

KIND_TH = {"text": "ข้อความ", "code": "รหัส (เลือกจากรายการ)", "enum": "ตัวเลือก", "int": "จำนวนเต็ม",
           "number": "ตัวเลข", "year": "ปี พ.ศ. 4 หลัก", "month": "เดือน (1–12 หรือชื่อเดือน)",
           "date": "วันที่ วว/ดด/ปปปป", "bool": "ใช่ / ไม่ใช่"}
KIND_EN = {"text": "text", "code": "code (from the list)", "enum": "choice", "int": "whole number",
           "number": "number", "year": "4-digit year (B.E.)", "month": "month (1-12 or name)",
           "date": "date dd/mm/yyyy", "bool": "yes / no"}
REQUIRED_FILL = PatternFill("solid", fgColor="FDE9C4")
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")

INSTRUCTIONS_TH = [
    "กรอกหนึ่งแถวต่อหนึ่งรายการ ในแผ่นงาน “ข้อมูล” ห้ามแก้ไขหัวคอลัมน์ ห้ามแทรกแถวว่างไว้ด้านบน",
    "คอลัมน์ที่มีเครื่องหมาย * และพื้นสีส้มเป็นคอลัมน์จำเป็น คอลัมน์อื่นเว้นว่างได้",
    "ปีงบประมาณเริ่ม 1 ตุลาคม สิ้นสุด 30 กันยายน (ปีงบประมาณ 2570 = 1 ต.ค. 2569 – 30 ก.ย. 2570)",
    f"ปี: {YEAR_RULE_TH}",
    "ตัวเลขใช้เลขไทยหรือเลขอารบิกก็ได้ ใส่เครื่องหมายคั่นหลักพันได้ (เช่น 1,234 หรือ ๑,๒๓๔)",
    "เดือนใส่เป็นตัวเลข 1–12 หรือชื่อเดือน (ตุลาคม, ต.ค., Oct)",
    "รหัสและตัวเลือกให้เลือกจากรายการแบบหล่นลง รายการทั้งหมดอยู่ในแผ่นงาน “รายการรหัส”",
    "บันทึกเป็น .xlsx แล้วตรวจด้วย: python -m etl validate ไฟล์.xlsx  นำเข้าด้วย: python -m etl load ไฟล์.xlsx",
    "การนำเข้าเป็นแบบทั้งหมดหรือไม่เลย: หากมีข้อผิดพลาดแม้แถวเดียว จะไม่มีข้อมูลใดเปลี่ยนแปลง",
]
INSTRUCTIONS_EN = [
    "One row per record on the data sheet; do not change the headers or add rows above them.",
    "Columns marked * (orange) are required; the others may be left blank.",
    "The fiscal year runs 1 October - 30 September (FY 2570 = 1 Oct 2026 - 30 Sep 2027).",
    f"Years: {YEAR_RULE_EN}.",
    "Numbers may use Thai or Arabic digits and thousands separators.",
    "Months as 1-12 or a month name (ตุลาคม, ต.ค., Oct).",
    "Pick codes and choices from the drop-down lists (all lists are on the codes sheet).",
    "Check with `python -m etl validate FILE.xlsx`, load with `python -m etl load FILE.xlsx`.",
    "A load is all or nothing: one bad row and nothing changes.",
]


def _choices(col: reg.Column, code_lists: dict) -> list[tuple[str, str]] | None:
    """(value, label) pairs offered for a column, or None when it has no list."""
    if col.kind == "code":
        codes = (code_lists or {}).get(col.codes) or {}
        return sorted(codes.items()) if codes else None
    if col.kind == "enum":
        labels = {}
        for part in (col.help_th or "").split(", "):
            if " = " in part:
                k, v = part.split(" = ", 1)
                labels[k.strip()] = v.strip()
        return [(c, labels.get(c, "")) for c in col.choices]
    if col.kind == "month":
        return [(str(m), thai.month_name(m)) for m in thai.FISCAL_MONTHS]
    if col.kind == "bool":
        return [("ใช่", "yes"), ("ไม่ใช่", "no")]
    return None


def write_template(dataset: str, path: Path, code_lists: dict[str, dict[str, str]] | None = None,
                   lang: str = "th") -> Path:
    ds = reg.DATASETS[dataset]
    path = Path(path)
    wb = Workbook()
    data = wb.active
    data.title = DATA_SHEET
    lists = wb.create_sheet(LISTS_SHEET)
    helps = wb.create_sheet(HELP_SHEET, 1)

    list_col = 0
    for i, col in enumerate(ds.columns, start=1):
        letter = get_column_letter(i)
        label = col.en if lang == "en" else col.th
        cell = data.cell(row=1, column=i, value=f"{label} *" if col.required else label)
        cell.font = Font(bold=True)
        cell.fill = REQUIRED_FILL if col.required else HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        note = "\n".join(x for x in (KIND_TH[col.kind], col.help_th, f"({col.key})") if x)
        cell.comment = Comment(note, "Sanyan", width=260, height=110)
        data.column_dimensions[letter].width = max(14, min(40, len(label) * 1.3 + 4))
        if col.kind in ("code", "text", "enum"):
            data.column_dimensions[letter].number_format = "@"      # 8601 stays text
        options = _choices(col, code_lists or {})
        if not options:
            continue
        list_col += 1
        lcol = get_column_letter(2 * list_col - 1)
        lists.cell(row=1, column=2 * list_col - 1, value=col.key).font = Font(bold=True)
        lists.cell(row=1, column=2 * list_col, value=label).font = Font(bold=True)
        for r, (value, text) in enumerate(options, start=2):
            lists.cell(row=r, column=2 * list_col - 1, value=value).number_format = "@"
            lists.cell(row=r, column=2 * list_col, value=text)
        ref = f"{quote_sheetname(LISTS_SHEET)}!${lcol}$2:${lcol}${len(options) + 1}"
        dv = DataValidation(type="list", formula1=ref, allow_blank=not col.required, showDropDown=False,
                            showErrorMessage=col.kind != "month",
                            errorTitle="ค่าไม่อยู่ในรายการ", error=f"เลือก{col.th}จากรายการ",
                            promptTitle=col.th[:32], prompt=(col.help_th or KIND_TH[col.kind])[:250],
                            showInputMessage=True)
        dv.add(f"{letter}2:{letter}{ROWS}")
        data.add_data_validation(dv)
    data.freeze_panes = "A2"
    data.row_dimensions[1].height = 36
    lists.sheet_state = "hidden"

    # the instructions
    bold = Font(bold=True)
    helps.append([f"แบบฟอร์ม: {ds.th}"])
    helps["A1"].font = Font(bold=True, size=14)
    helps.append([f"Template: {ds.en}  (dataset {ds.name})"])
    helps.append([])
    helps.append(["วิธีกรอก"])
    helps.cell(row=helps.max_row, column=1).font = bold
    for th, en in zip(INSTRUCTIONS_TH, INSTRUCTIONS_EN):
        helps.append([f"• {th}", en])
    helps.append([])
    helps.append(["หัวคอลัมน์", "Header", "คีย์ / key", "จำเป็น / required", "ชนิด / kind", "ค่าที่รับ / allowed",
                  "คำอธิบาย / help"])
    for c in helps[helps.max_row]:
        c.font = bold
        c.fill = HEADER_FILL
    for col in ds.columns:
        if col.kind == "code":
            allowed = f"รายการ{reg.CODE_LISTS[col.codes][0]} (แผ่นงาน {LISTS_SHEET})"
        elif col.kind == "enum":
            allowed = ", ".join(col.choices)
        else:
            bounds = [f"≥ {col.min:g}" if col.min is not None else "", f"≤ {col.max:g}" if col.max is not None else ""]
            allowed = " ".join(b for b in bounds if b)
        helps.append([col.th, col.en, col.key, "ใช่ / yes" if col.required else "ไม่ / no",
                      f"{KIND_TH[col.kind]} / {KIND_EN[col.kind]}", allowed,
                      " ".join(x for x in (col.help_th, col.help_en) if x)])
    grain = ", ".join(ds.column(k).th for k in ds.grain)
    helps.append([])
    helps.append([f"แต่ละแถวต้องไม่ซ้ำกันตาม: {grain}", f"Rows are unique on: {', '.join(ds.grain)}"])
    for letter, width in zip("ABCDEFG", (48, 34, 20, 16, 28, 30, 60)):
        helps.column_dimensions[letter].width = width

    wb.properties.keywords = f"{MARKER_PREFIX}{dataset}"
    wb.properties.title = f"Sanyan template: {ds.en}"
    wb.properties.creator = "Sanyan"
    wb.active = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
