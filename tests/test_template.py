"""The uniform templates: Thai headers, drop-down lists of valid codes, instructions, and a
filled-in template that validates through the one parser."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest

from inputs import datasets as reg
from inputs.parsing import parse_file
from inputs.template import DATA_SHEET, HELP_SHEET, LISTS_SHEET, MARKER_PROPERTY, write_template
from tests.conftest import ROOT  # noqa: F401  (puts the repo root on sys.path)

LISTS = {
    "kpi": {"K01": "แปลง GAP", "K02": "รายได้"},
    "area": {"86": "ชุมพร", "8601": "เมืองชุมพร"},
    "district": {"8601": "เมืองชุมพร"},
    "province": {"86": "ชุมพร"},
    "project": {"S1.P1.J01": "ตรวจแปลง"},
    "indicator": {"I01": "ประชากร"},
    "gpp_sector": {"A": "เกษตร", "TOTAL": "รวม"},
    "disaster_type": {"flood": "อุทกภัย"},
}


def test_the_issue_names_these_templates():
    assert {"kpi_targets", "kpi_actuals", "indicator_values", "gpp_sector", "disasters"} <= set(reg.TEMPLATED)


@pytest.mark.parametrize("dataset", reg.TEMPLATED)
def test_template_shape(tmp_path, dataset):
    ds = reg.DATASETS[dataset]
    path = write_template(dataset, tmp_path / f"{dataset}.xlsx", code_lists=LISTS)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[0] == DATA_SHEET and wb.active.title == DATA_SHEET
    assert wb.properties.keywords == f"sanyan:{dataset}"
    data = wb[DATA_SHEET]
    headers = [c.value for c in data[1]]
    assert [h.rstrip(" *") for h in headers] == [c.th for c in ds.columns]
    assert [h.endswith("*") for h in headers] == [c.required for c in ds.columns]
    assert data.max_row == 1  # blank: no data rows
    helps = " ".join(str(c.value) for row in wb[HELP_SHEET].iter_rows() for c in row if c.value)
    assert all(c.th in helps for c in ds.columns) and "พ.ศ." in helps and "1 ตุลาคม" in helps
    lists = wb[LISTS_SHEET]
    assert lists.sheet_state == "hidden"
    covered = {}
    for dv in data.data_validations.dataValidation:
        assert dv.type == "list" and LISTS_SHEET in dv.formula1
        col = str(dv.sqref).split(":")[0].rstrip("0123456789")
        letter = dv.formula1.split("!")[1].split(":")[0].strip("$").rstrip("0123456789").strip("$")
        values = [c.value for c in lists[letter][1:] if c.value is not None]
        covered[col] = values
    for i, c in enumerate(ds.columns, start=1):
        letter = openpyxl.utils.get_column_letter(i)
        if c.kind == "code":
            assert covered[letter] == sorted(LISTS[c.codes]), c.key
        elif c.kind == "enum":
            assert covered[letter] == list(c.choices), c.key
        elif c.kind == "month":
            assert covered[letter][0] == "10" and len(covered[letter]) == 12
        else:
            assert letter not in covered, c.key


def test_english_headers(tmp_path):
    path = write_template("disasters", tmp_path / "d.xlsx", code_lists=LISTS, lang="en")
    headers = [c.value.rstrip(" *") for c in openpyxl.load_workbook(path)[DATA_SHEET][1]]
    assert headers == [c.en for c in reg.DATASETS["disasters"].columns]


def test_filled_template_round_trips_through_the_parser(tmp_path):
    path = write_template("kpi_actuals", tmp_path / "t.xlsx", code_lists=LISTS)
    wb = openpyxl.load_workbook(path)
    ws = wb[DATA_SHEET]
    ws.append(["K01", "๒๕๗๐", "ต.ค.", "8601", "1,250"])
    ws.append(["K02", 2570, 10, "86", 3.5])
    wb.save(path)
    res = parse_file(path, code_lists=LISTS)  # no dataset given: the template says
    assert res.dataset.name == "kpi_actuals" and res.errors == []
    assert res.frame[["kpi_code", "fiscal_year", "month", "area_code", "value"]].values.tolist() == [
        ["K01", 2570, 10, "8601", 1250.0],
        ["K02", 2570, 10, "86", 3.5],
    ]
    ws.append(["K09", 2570, 10, "8601", "x"])
    wb.save(path)
    where = {(e.row, e.column, e.sheet) for e in parse_file(path, code_lists=LISTS).errors}
    assert where == {(4, "รหัสตัวชี้วัด", DATA_SHEET), (4, "ผลการดำเนินงาน", DATA_SHEET)}


def _validations(ws) -> dict[str, str]:
    """Data-sheet column letter -> the validation's list formula."""
    return {str(dv.sqref).split(":")[0].rstrip("0123456789"): dv.formula1 for dv in ws.data_validations.dataValidation}


@pytest.mark.parametrize("dataset", reg.TEMPLATED)
def test_codes_are_text_and_the_marker_is_kept_twice(tmp_path, dataset):
    ds = reg.DATASETS[dataset]
    wb = openpyxl.load_workbook(write_template(dataset, tmp_path / "t.xlsx", code_lists=LISTS))
    data, lists = wb[DATA_SHEET], wb[LISTS_SHEET]
    assert wb.custom_doc_props[MARKER_PROPERTY].value == dataset
    for i, c in enumerate(ds.columns, start=1):
        letter = openpyxl.utils.get_column_letter(i)
        if c.kind in ("code", "text", "enum", "date"):
            assert data.column_dimensions[letter].number_format == "@", c.key
        assert data.column_dimensions[letter].width >= 14
    for formula in _validations(data).values():
        sheet, rng = formula.split("!")
        assert sheet == f"'{LISTS_SHEET}'" and rng.count("$") == 4  # quoted, absolute
        for row in lists[rng.replace("$", "")]:
            assert isinstance(row[0].value, str)  # "8601", never 8601
    assert data.freeze_panes == "A2"
    assert all(c.font.b for c in data[1])


def test_a_missing_or_empty_code_list_gets_no_drop_down(tmp_path):
    lists = {"kpi": {"K01": "แปลง GAP"}, "area": {}}  # area empty, the rest absent
    wb = openpyxl.load_workbook(write_template("kpi_actuals", tmp_path / "t.xlsx", code_lists=lists))
    covered = _validations(wb[DATA_SHEET])
    assert "A" in covered and "D" not in covered  # kpi_code yes, area_code no
    assert "C" in covered and "G" in covered  # month, provenance
    wb = openpyxl.load_workbook(write_template("disasters", tmp_path / "d.xlsx", code_lists=None))
    assert set(_validations(wb[DATA_SHEET])) == {"I"}  # only provenance (an enum)


def test_instructions_list_short_code_lists_and_point_at_long_ones(tmp_path):
    big = {f"86{i:02d}": f"อำเภอ {i}" for i in range(1, 100)}
    lists = {**LISTS, "district": big}
    wb = openpyxl.load_workbook(write_template("disasters", tmp_path / "d.xlsx", code_lists=lists))
    rows = [[c.value for c in r] for r in wb[HELP_SHEET].iter_rows()]
    text = " ".join(str(v) for r in rows for v in r if v)
    assert ["flood", "อุทกภัย"] == rows[[r[0] for r in rows].index("flood")][:2]  # short list in full
    assert "8650" not in [r[0] for r in rows] and LISTS_SHEET in text  # long one by reference
    assert "2570" in text and "ค.ศ." in text and "เลขไทย" in text and "30 กันยายน" in text
    assert rows[0][0] == f"แบบฟอร์ม: {reg.DATASETS['disasters'].th}"


def test_filled_template_with_thai_month_digits_and_date(tmp_path):
    path = write_template("kpi_actuals", tmp_path / "t.xlsx", code_lists=LISTS)
    wb = openpyxl.load_workbook(path)
    ws = wb[DATA_SHEET]
    ws.append(["K01", "๒๕๗๐", "ต.ค.", "8601", "๑,๒๕๐", "24/11/2569", "entered"])
    ws.append(["K02", "๒๕๗๐", "ตุลาคม", "86", 7])
    wb.save(path)
    res = parse_file(path, code_lists=LISTS)
    assert res.errors == [] and res.dataset.name == "kpi_actuals" and len(res.frame) == 2
    assert res.frame["month"].tolist() == [10, 10] and res.frame["fiscal_year"].tolist() == [2570, 2570]
    assert res.frame["value"].tolist() == [1250.0, 7.0]
    assert res.frame["reported_on"].iloc[0].date() == date(2026, 11, 24)
