"""One parser for every file: good files in every accepted shape, and every kind of bad file
rejected with its file, row and column named."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from inputs.parsing import detect_dataset, parse_file

LISTS = {
    "kpi": {"K01": "แปลง GAP", "K02": "รายได้"},
    "area": {"86": "ชุมพร", "8601": "เมืองชุมพร", "8602": "ท่าแซะ"},
    "district": {"8601": "เมืองชุมพร", "8602": "ท่าแซะ"},
    "disaster_type": {"flood": "อุทกภัย", "storm": "วาตภัย"},
    "province": {"86": "ชุมพร"},
    "gpp_sector": {"A": "เกษตร", "TOTAL": "รวม"},
}
ACTUALS_TH = ["รหัสตัวชี้วัด", "ปีงบประมาณ", "เดือน", "รหัสพื้นที่", "ผลการดำเนินงาน"]
DISASTERS = [
    "event_id",
    "district_code",
    "disaster_type",
    "start_date",
    "end_date",
    "damage_baht",
    "households_affected",
    "area_rai",
    "provenance",
    "source_ref",
]
CRITERIA = ["kpi_code", "fiscal_year", "t1", "t2", "t3", "t4", "t5", "weight"]
KPIS = [
    "kpi_code",
    "name_th",
    "name_en",
    "definition_th",
    "formula_th",
    "unit",
    "direction",
    "frequency",
    "aggregation",
    "data_source",
    "verifier",
    "data_users",
    "owner_unit",
    "importance_tier",
    "indicator_type",
    "classification",
]


def write_csv(path: Path, header, rows, encoding="utf-8") -> Path:
    with open(path, "w", newline="", encoding=encoding) as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


def write_xlsx(path: Path, header, rows, title="ข้อมูล") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def kpi_row(code="K01", direction="higher", tier="1"):
    return [
        code,
        "ชื่อ",
        "Name",
        "นิยาม",
        "สูตร",
        "ราย",
        direction,
        "monthly",
        "sum",
        "ระบบ",
        "ผู้สอบทาน",
        "ผู้ว่าฯ",
        "กลุ่ม",
        tier,
        "lagging",
        "open",
    ]


# ---------------------------------------------------------------- accepted shapes
def test_thai_headers_digits_separators_month_names_and_spaces(tmp_path):
    p = write_csv(
        tmp_path / "a.csv",
        ACTUALS_TH + ["ที่มาของข้อมูล"],
        [["K01 ", "๒๕๗๐", "พ.ย.", " 8601", "1,234.5", ""], ["K01", "2570", "11", "8602", " ๗ ", "entered"]],
    )
    r = parse_file(p, "kpi_actuals", LISTS)
    assert r.errors == []
    assert r.frame[["kpi_code", "fiscal_year", "month", "area_code", "value"]].values.tolist() == [
        ["K01", 2570, 11, "8601", 1234.5],
        ["K01", 2570, 11, "8602", 7.0],
    ]
    assert r.frame["_row"].tolist() == [2, 3]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp874"])
def test_bom_and_windows_874(tmp_path, encoding):
    p = write_csv(tmp_path / "a.csv", ACTUALS_TH, [["K01", "2570", "ตุลาคม", "8601", "5"]], encoding=encoding)
    r = parse_file(p, "kpi_actuals", LISTS)
    assert r.errors == [] and r.frame["month"].tolist() == [10]


def test_common_era_years_are_stored_as_buddhist_era(tmp_path):
    p = write_csv(
        tmp_path / "d.csv", DISASTERS, [["E1", "8601", "flood", "20/11/2023", "2023-11-25", "1000", "3", "", "", ""]]
    )
    r = parse_file(p, "disasters", LISTS)
    assert r.errors == []
    assert str(r.frame["start_date"][0].date()) == "2023-11-20"
    p = write_csv(tmp_path / "c.csv", CRITERIA, [["K01", "2027", "1", "2", "3", "4", "5", "100"]])
    assert parse_file(p, "kpi_criteria", LISTS).frame["fiscal_year"].tolist() == [2570]


def test_buddhist_era_dates_and_thai_month_dates(tmp_path):
    p = write_csv(
        tmp_path / "d.csv",
        DISASTERS,
        [["E1", "8601", "อุทกภัย", "๒๐/๑๑/๒๕๖๖", "25 พ.ย. 2566", "1,000", "3", "", "sample", ""]],
    )
    r = parse_file(p, "disasters", {**LISTS, "disaster_type": {"อุทกภัย": "x", **LISTS["disaster_type"]}})
    assert r.errors == []
    assert [str(d.date()) for d in (r.frame["start_date"][0], r.frame["end_date"][0])] == ["2023-11-20", "2023-11-25"]


def test_xlsx_first_sheet_with_excel_types(tmp_path):
    p = write_xlsx(
        tmp_path / "a.xlsx",
        ACTUALS_TH + ["วันที่รายงาน"],
        [["K01", 2570, 10, 8601, 3.5, datetime(2026, 11, 2)], [None] * 6, ["K02", "2570", "ต.ค.", "86", 4, None]],
    )
    r = parse_file(p, "kpi_actuals", LISTS)
    assert r.errors == []
    assert r.frame["area_code"].tolist() == ["8601", "86"]
    assert r.frame["_row"].tolist() == [2, 4]  # the blank row is skipped, numbering kept


def test_enum_by_thai_label(tmp_path):
    row = kpi_row(direction="ยิ่งน้อยยิ่งดี")
    p = write_csv(tmp_path / "kpis.csv", KPIS, [row])
    r = parse_file(p, "kpis", LISTS)
    assert r.errors == [] and r.frame["direction"].tolist() == ["lower"]


def test_detect_dataset_from_file_name_and_header(tmp_path):
    p = write_csv(tmp_path / "kpi_actuals.csv", ACTUALS_TH, [["K01", "2570", "10", "8601", "1"]])
    assert detect_dataset(p) == "kpi_actuals"
    p = write_csv(tmp_path / "nov.csv", DISASTERS, [["E1", "8601", "flood", "2023-11-20", "", "1", "1", "", "", ""]])
    assert detect_dataset(p) == "disasters"
    assert parse_file(p, code_lists=LISTS).errors == []
    p = write_csv(tmp_path / "odd.csv", ["a", "b"], [["1", "2"]])
    assert detect_dataset(p) is None
    assert "--dataset" in parse_file(p, code_lists=LISTS).errors[0].reason_en


# ---------------------------------------------------------------- bad cells: row and column named
BAD = {
    # kind: (dataset, header, rows, expected (row, column) of an error)
    "text in a number": (
        "kpi_actuals",
        ACTUALS_TH,
        [["K01", "2570", "10", "8601", "1"], ["K01", "2570", "11", "8601", "12x"]],
        (3, "ผลการดำเนินงาน"),
    ),
    "unknown code": ("kpi_actuals", ACTUALS_TH, [["K01", "2570", "10", "8699", "1"]], (2, "รหัสพื้นที่")),
    "unknown KPI": (
        "kpi_actuals",
        ACTUALS_TH,
        [["K01", "2570", "10", "8601", "1"], ["K99", "2570", "10", "8601", "1"]],
        (3, "รหัสตัวชี้วัด"),
    ),
    "missing required value": ("kpi_actuals", ACTUALS_TH, [["K01", "2570", "10", "", "1"]], (2, "รหัสพื้นที่")),
    "not a month": ("kpi_actuals", ACTUALS_TH, [["K01", "2570", "13", "8601", "1"]], (2, "เดือน")),
    "mixed eras in a column": (
        "kpi_actuals",
        ACTUALS_TH,
        [["K01", "2570", "10", "8601", "1"], ["K01", "2026", "11", "8601", "1"]],
        (3, "ปีงบประมาณ"),
    ),
    "two-digit year": ("kpi_actuals", ACTUALS_TH, [["K01", "70", "10", "8601", "1"]], (2, "ปีงบประมาณ")),
    "duplicate grain": (
        "kpi_actuals",
        ACTUALS_TH,
        [["K01", "2570", "10", "8601", "1"], ["K01", "2570", "ต.ค.", "8601", "2"]],
        (3, "รหัสตัวชี้วัด"),
    ),
    "impossible date": (
        "disasters",
        DISASTERS,
        [["E1", "8601", "flood", "31/02/2566", "", "1", "1", "", "", ""]],
        (2, "start_date"),
    ),
    "ends before it starts": (
        "disasters",
        DISASTERS,
        [["E1", "8601", "flood", "2023-11-20", "2023-11-01", "1", "1", "", "", ""]],
        (2, "end_date"),
    ),
    "negative money": (
        "disasters",
        DISASTERS,
        [["E1", "8601", "flood", "2023-11-20", "", "-5", "1", "", "", ""]],
        (2, "damage_baht"),
    ),
    "fraction in a count": (
        "disasters",
        DISASTERS,
        [["E1", "8601", "flood", "2023-11-20", "", "5", "2.5", "", "", ""]],
        (2, "households_affected"),
    ),
    "official without source": (
        "disasters",
        DISASTERS,
        [["E1", "8601", "flood", "2023-11-20", "", "5", "2", "", "official", ""]],
        (2, "source_ref"),
    ),
    "unknown provenance": (
        "disasters",
        DISASTERS,
        [["E1", "8601", "flood", "2023-11-20", "", "5", "2", "", "guess", ""]],
        (2, "provenance"),
    ),
    "not one of the choices": ("kpis", KPIS, [kpi_row(direction="up")], (2, "direction")),
    "out of range": ("kpis", KPIS, [kpi_row(tier="7")], (2, "importance_tier")),
    "criteria not monotonic": ("kpi_criteria", CRITERIA, [["K01", "2570", "1", "3", "2", "4", "5", ""]], (2, "t1")),
    "weight over 100": ("kpi_criteria", CRITERIA, [["K01", "2570", "1", "2", "3", "4", "5", "120"]], (2, "weight")),
    "unknown column": (
        "kpi_actuals",
        ACTUALS_TH + ["หมายเหตุ"],
        [["K01", "2570", "10", "8601", "1", "x"]],
        (1, "หมายเหตุ"),
    ),
    "missing required column": ("kpi_actuals", ACTUALS_TH[:4], [["K01", "2570", "10", "8601"]], (1, "ผลการดำเนินงาน")),
    "value without a header": (
        "kpi_actuals",
        ACTUALS_TH + [""],
        [["K01", "2570", "10", "8601", "1", "oops"]],
        (2, "#6"),
    ),
}


@pytest.mark.parametrize("kind", list(BAD))
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_bad_file_names_row_and_column(tmp_path, kind, fmt):
    dataset, header, rows, (row, column) = BAD[kind]
    path = tmp_path / f"upload.{fmt}"
    (write_csv if fmt == "csv" else write_xlsx)(path, header, rows)
    r = parse_file(path, dataset, LISTS)
    assert r.errors, kind
    assert (row, column) in {(e.row, e.column) for e in r.errors}, [e.format("en") for e in r.errors]
    e = next(e for e in r.errors if (e.row, e.column) == (row, column))
    text = e.format("th")
    assert "upload." + fmt in text and f"แถว {row}" in text and column in text
    if fmt == "xlsx":
        assert e.sheet == "ข้อมูล"


def test_every_error_is_listed_not_just_the_first(tmp_path):
    p = write_csv(
        tmp_path / "a.csv",
        ACTUALS_TH,
        [["K01", "2570", "10", "8601", "x"], ["K01", "2570", "13", "8601", "1"], ["K09", "2570", "10", "8601", "y"]],
    )
    where = sorted((e.row, e.column) for e in parse_file(p, "kpi_actuals", LISTS).errors)
    assert where == [(2, "ผลการดำเนินงาน"), (3, "เดือน"), (4, "ผลการดำเนินงาน"), (4, "รหัสตัวชี้วัด")]


# ---------------------------------------------------------------- bad files
def test_bad_files_are_rejected_with_a_reason(tmp_path):
    cases = {}
    cases["undecodable"] = tmp_path / "a.csv"
    cases["undecodable"].write_bytes("รหัส".encode()[:2] + b"\xff\xfe\xfd,\xdb\xdc\n")
    cases["binary"] = tmp_path / "b.csv"
    cases["binary"].write_bytes(b"PK\x03\x04\x00\x00binary")
    cases["empty"] = tmp_path / "c.csv"
    cases["empty"].write_text("\n\n", encoding="utf-8")
    cases["header only"] = write_csv(tmp_path / "d.csv", ACTUALS_TH, [])
    cases["old excel"] = tmp_path / "e.xls"
    cases["old excel"].write_bytes(b"\xd0\xcf\x11\xe0")
    cases["broken xlsx"] = tmp_path / "f.xlsx"
    cases["broken xlsx"].write_bytes(b"not a zip at all")
    cases["missing"] = tmp_path / "nope.csv"
    for kind, path in cases.items():
        r = parse_file(path, "kpi_actuals", LISTS)
        assert r.errors, kind
        assert r.errors[0].file == path.name and r.errors[0].reason_th and r.errors[0].reason_en, kind
        assert len(r.frame) == 0, kind


# ---------------------------------------------------------------- the vectorised path for big CSVs
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


def _same(path: Path, dataset: str, lists=LISTS):
    """The vectorised path and the row-by-row rules agree on everything: frame and errors."""
    fast, slow = parse_file(path, dataset, lists, fast=True), parse_file(path, dataset, lists, fast=False)
    pd.testing.assert_frame_equal(fast.frame, slow.frame)
    assert fast.errors == slow.errors
    return fast


@pytest.mark.parametrize("name", sorted(p.stem for p in SAMPLE.glob("*.csv")))
def test_the_vectorised_path_gives_the_rules_result_on_every_sample_file(name):
    from inputs import datasets as reg
    from inputs.parsing import _ROW_RULE_DATASETS, _fast_csv

    res = _same(SAMPLE / f"{name}.csv", name, None)
    assert res.errors == [] and len(res.frame) > 0
    # and it really took the vectorised path (else this test would compare the rules with themselves)
    assert (_fast_csv(SAMPLE / f"{name}.csv", reg.DATASETS[name], None) is None) == (name in _ROW_RULE_DATASETS)


CLEAN = [["K01", "2570", "10", "8601", "12.5"], ["K01", "2570", "11", "8601", "-3"], ["K02", "2570", "10", "86", "7"]]
TRICKY = {
    "clean": CLEAN,
    "thai digits and separators": CLEAN + [["K02", "2570", "11", "86", "๑,๒๓๔.๕"]],
    "month names and padded codes": CLEAN + [[" K02 ", "2570", "พ.ย.", "86", "7"]],
    "common-era years": [["K01", "2026", "10", "8601", "1"], ["K01", "2027", "10", "8601", "2"]],
    "mixed eras": CLEAN + [["K02", "2027", "12", "86", "7"]],
    "duplicate on the grain": CLEAN + [["K01", "2570", "10", "8601", "9"]],
    "unknown code": CLEAN + [["K99", "2570", "10", "8601", "9"]],
    "blank required value": CLEAN + [["K02", "2570", "12", "86", ""]],
    "text in a number": CLEAN + [["K02", "2570", "12", "86", "n/a"]],
    "month out of range": CLEAN + [["K02", "2570", "13", "86", "1"]],
}


@pytest.mark.parametrize("case", TRICKY)
def test_the_vectorised_path_agrees_with_the_rules_on_awkward_files(tmp_path, case):
    p = write_csv(
        tmp_path / "kpi_actuals.csv", ["kpi_code", "fiscal_year", "month", "area_code", "value"], TRICKY[case]
    )
    res = _same(p, "kpi_actuals")
    assert (res.errors == []) == (
        case in ("clean", "thai digits and separators", "month names and padded codes", "common-era years")
    )


@pytest.mark.parametrize("layout", ["blank line", "multi-line cell", "bom", "windows-874", "ragged row"])
def test_files_the_vectorised_path_cannot_vouch_for_go_row_by_row(tmp_path, layout):
    from inputs import datasets as reg
    from inputs.parsing import _fast_csv

    header = "kpi_code,fiscal_year,month,area_code,value,source_ref\n"
    body = {
        "blank line": "K01,2570,10,8601,1,ก\n\nK01,2570,11,8601,2,ข\n",
        "multi-line cell": 'K01,2570,10,8601,1,"ก\nข"\nK01,2570,11,8601,2,ค\n',
        "bom": "\ufeffK01,2570,10,8601,1,ก\n",
        "windows-874": "K01,2570,10,8601,1,ก\n",
        "ragged row": "K01,2570,10,8601,1,ก,extra\n",
    }[layout]
    text = ("\ufeff" + header + body[1:]) if layout == "bom" else header + body
    p = tmp_path / "kpi_actuals.csv"
    p.write_bytes(text.encode("cp874" if layout == "windows-874" else "utf-8"))
    assert _fast_csv(p, reg.DATASETS["kpi_actuals"], LISTS) is None
    res = _same(p, "kpi_actuals")
    if layout == "multi-line cell":  # the row numbers are the rules' (the record's last line)
        assert list(res.frame["_row"]) == [3, 4]


@pytest.mark.parametrize(
    "dates", [["30/11/2569", "1 ธ.ค. 2569"], ["2026-11-30", "2026-12-01"], ["30/11/2569", "2026-12-01"]]
)
def test_the_vectorised_path_converts_dates_by_the_rules(tmp_path, dates):
    rows = [["K01", "2570", "11", "8601", "1", dates[0]], ["K01", "2570", "12", "8601", "2", dates[1]]]
    p = write_csv(
        tmp_path / "kpi_actuals.csv", ["kpi_code", "fiscal_year", "month", "area_code", "value", "reported_on"], rows
    )
    res = _same(p, "kpi_actuals")
    mixed = dates[0].endswith("2569") != dates[1].endswith("2569") and "ธ.ค." not in dates[1]
    assert bool(res.errors) == mixed
    if not mixed:
        assert [d.isoformat()[:10] for d in res.frame["reported_on"]] == ["2026-11-30", "2026-12-01"]


# ---------------------------------------------------------------- names are one line (issue 27)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_name_with_an_inner_line_break_is_stored_on_one_line(tmp_path, fmt):
    """An Excel Alt+Enter (or a CSV cell over two lines) inside a KPI's name, unit or owner is
    folded to one space, with any other control character; a definition keeps its line breaks."""
    row = kpi_row()
    row[1] = " แปลงใหญ่\nด้านเกษตร\r\n(ราย)\t "  # name_th
    row[2] = "Large\tplots" if fmt == "xlsx" else "Large\x0bplots"  # a tab; a vertical tab (not in .xlsx)
    row[3] = "บรรทัดแรก\nบรรทัดสอง"  # definition_th: free text, kept
    row[12] = "กลุ่ม\n ส่งเสริม"  # owner_unit
    write = write_csv if fmt == "csv" else write_xlsx
    r = parse_file(write(tmp_path / f"kpis.{fmt}", KPIS, [row]), "kpis", LISTS)
    assert r.errors == []
    got = r.frame.iloc[0]
    assert got["name_th"] == "แปลงใหญ่ ด้านเกษตร (ราย)"
    assert got["name_en"] == "Large plots"
    assert got["owner_unit"] == "กลุ่ม ส่งเสริม"
    assert got["definition_th"] == "บรรทัดแรก\nบรรทัดสอง"


def test_one_line_folds_breaks_and_controls_to_one_space():
    from inputs.parsing import one_line

    assert one_line(" a \r\n b\u2028c\x00d\te ") == "a b c d e"
    assert one_line("ชื่อ\n\n\nยาว") == "ชื่อ ยาว"
    assert one_line("plain") == "plain"


def test_a_list_where_one_value_goes_is_a_clear_error_not_a_type_error():
    """A form's request that carries a list where a month goes (no component sends one)."""
    from inputs.parsing import DateError, RuleError, check_month, check_year_be, parse_date, parse_record

    r = parse_record(
        "kpi_actuals", {"kpi_code": "K01", "fiscal_year": 2570, "month": [10], "area_code": "8601", "value": 1}
    )
    assert [(e.column, e.reason_en) for e in r.errors] == [("เดือน", "must be a single value, not a list")]
    assert r.errors[0].reason_th
    for check, bad in ((check_month, [10]), (check_year_be, {"y": 2570}), (check_month, {10})):
        with pytest.raises(RuleError, match="single value"):
            check(bad)
    with pytest.raises(DateError, match="single value"):
        parse_date(["30/11/2569"])
