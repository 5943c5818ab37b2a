"""The uniform templates: Thai headers, drop-down lists of valid codes, instructions, and a
filled-in template that validates through the one parser."""
from __future__ import annotations

import openpyxl
import pytest

from etl import datasets as reg
from etl.parsing import parse_file
from etl.template import DATA_SHEET, HELP_SHEET, LISTS_SHEET, write_template

LISTS = {
    "kpi": {"K01": "แปลง GAP", "K02": "รายได้"}, "area": {"86": "ชุมพร", "8601": "เมืองชุมพร"},
    "district": {"8601": "เมืองชุมพร"}, "province": {"86": "ชุมพร"}, "project": {"S1.P1.J01": "ตรวจแปลง"},
    "indicator": {"I01": "ประชากร"}, "gpp_sector": {"A": "เกษตร", "TOTAL": "รวม"},
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
    assert data.max_row == 1                                        # blank: no data rows
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
    res = parse_file(path, code_lists=LISTS)          # no dataset given: the template says
    assert res.dataset.name == "kpi_actuals" and res.errors == []
    assert res.frame[["kpi_code", "fiscal_year", "month", "area_code", "value"]].values.tolist() == [
        ["K01", 2570, 10, "8601", 1250.0], ["K02", 2570, 10, "86", 3.5]]
    ws.append(["K09", 2570, 10, "8601", "x"])
    wb.save(path)
    where = {(e.row, e.column, e.sheet) for e in parse_file(path, code_lists=LISTS).errors}
    assert where == {(4, "รหัสตัวชี้วัด", DATA_SHEET), (4, "ผลการดำเนินงาน", DATA_SHEET)}
