"""One rule set for every write path (issue 16, findings 4 and 5): the /entry save callback, a
file (`etl load` / parse) and `etl validate` refuse the same bad values, each naming its field
(file, row and column for a file); `validate` runs the build's checks on a dry run and changes
nothing; a bad row stored before the rules held is shown marked, never a 500."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC

import pytest

import ops
from inputs.parsing import parse_file
from ops import entry
from tests.conftest import ORIGIN, make_data_dir, signed_in_clients

UNIT = "กลุ่มส่งเสริมและพัฒนาการผลิต"  # the owner of K01 (unit แปลง) and K03 (ร้อยละ)


@pytest.fixture(scope="module")
def web(built_warehouse, tmp_path_factory):
    """The app on the demo warehouse; an editor of K01's unit with no district (so an area is
    judged by the rules, not by scope) and an admin."""
    home = tmp_path_factory.mktemp("rules")
    mp = pytest.MonkeyPatch()
    mp.setenv("SANYAN_WAREHOUSE", str(built_warehouse))
    mp.setenv("SANYAN_OPS_URL", f"sqlite:///{home / 'ops.sqlite'}")
    mp.setenv("SANYAN_SECRET_KEY", "rules-tests-" + "k" * 30)
    mp.setenv("SANYAN_LANG", "th")
    import app

    eng = ops.engine()
    make = signed_in_clients(eng, "r", ("editor", "admin"), {"editor": {"unit": UNIT}}, dash=True)
    clients = {f"r_{role}": make(role) for role in ("editor", "admin")}  # signed in once each
    yield app, eng, clients.__getitem__
    mp.undo()


def _body(app, output: str, outputs, inputs, state) -> dict:
    key = next(k for k in app.app.callback_map if output in k)
    return {
        "output": key,
        "outputs": outputs,
        "inputs": inputs,
        "state": state,
        "changedPropIds": [f"{inputs[0]['id']}.{inputs[0]['property']}"],
    }


def _save_body(app, **over) -> dict:
    states = {
        "entry-kpi": "K01",
        "entry-fy": "2570",
        "entry-month": "10",
        "entry-area": "8604",
        "entry-value": "25",
        "entry-note": "",
        "entry-version": 0,
        "entry-confirm": ["yes"],
        "entry-tick": 0,
    }
    states.update({f"entry-{k}": v for k, v in over.items()})
    props = {"entry-version": "data", "entry-confirm": "value", "entry-tick": "data"}
    return _body(
        app,
        "entry-message.children",
        [{"id": "entry-message", "property": "children"}, {"id": "entry-tick", "property": "data"}],
        [
            {"id": "entry-save", "property": "n_clicks", "value": 1},
            {"id": "entry-submit", "property": "n_clicks", "value": None},
        ],
        [{"id": k, "property": props.get(k, "value"), "value": v} for k, v in states.items()],
    )


@pytest.mark.parametrize(
    "field,value,label",
    [
        ("area", "1001", "รหัสพื้นที่"),
        ("area", "ZZ'--", "รหัสพื้นที่"),
        ("area", "<img src=x onerror=alert(1)>", "รหัสพื้นที่"),
        ("fy", "1999", "ปีงบประมาณ"),
        ("fy", "-1", "ปีงบประมาณ"),
        ("month", "13", "เดือน"),
        ("month", "0", "เดือน"),
        ("value", "-5", "ผลการดำเนินงาน"),
    ],
)
def test_the_entry_save_callback_refuses_each_bad_value_naming_the_field(web, field, value, label):
    app, eng, client = web
    r = client("r_editor").post("/_dash-update-component", json=_save_body(app, **{field: value}), headers=ORIGIN)
    assert r.status_code == 200
    text = json.loads(r.get_data(as_text=True))["response"]["entry-message"]["children"]
    assert text["props"]["id"] == "entry-error" and text["props"]["children"].startswith(label + ":")
    assert entry.rows(eng).empty  # nothing stored


def test_the_same_callback_stores_a_sound_figure(web):
    app, eng, client = web
    r = client("r_editor").post(
        "/_dash-update-component", json=_save_body(app, area="8601", value="7", note="ทดสอบ"), headers=ORIGIN
    )
    assert "entry-ok" in r.get_data(as_text=True)
    row = entry.get(eng, "K01", 2570, 10, "8601")
    assert (row["value"], row["status"]) == (7.0, "draft")
    with eng.begin() as con:
        con.execute(ops.entries.delete())


def test_a_bad_row_stored_before_the_rules_is_shown_marked_not_a_500(web):
    app, eng, client = web
    from datetime import datetime

    with eng.begin() as con:  # straight into the ops store, as the old save callback allowed
        con.execute(
            ops.entries.insert().values(
                kpi_code="K01",
                fiscal_year=1999,
                month=13,
                area_code="<img src=x>",
                value=5.0,
                status="submitted",
                entered_by="old",
                version=1,
                updated_at=datetime.now(UTC),
            )
        )
    body = _body(
        app,
        "entry-verify-list.children",
        {"id": "entry-verify-list", "property": "children"},
        [
            {"id": "entry-verify-tick", "property": "data", "value": 0},
            {"id": "entry-tick", "property": "data", "value": 0},
        ],
        [],
    )
    r = client("r_admin").post("/_dash-update-component", json=body, headers=ORIGIN)
    assert r.status_code == 200
    page = json.dumps(json.loads(r.get_data(as_text=True)), ensure_ascii=False)
    assert "K01 ⚠ เดือน 13 ไม่ถูกต้อง 1999 · <img src=x>" in page
    assert '"data-invalid": "fiscal_year,month,area_code"' in page and "ปีต้องเป็น พ.ศ. 2500–" in page
    (row,) = entry.rows(eng).to_dict("records")
    with pytest.raises(entry.EntryError) as e:  # and it cannot be verified
        entry.verify(eng, entry.Actor("r_admin", "admin"), {"kpi_code": "K01"}, row["entry_id"], row["version"], True)
    assert e.value.field == "fiscal_year" and "2500" in e.value.en
    with eng.begin() as con:
        con.execute(ops.entries.delete())


def test_month_name_never_raises():
    from components import thai

    assert thai.month_name(10) == "ตุลาคม" and thai.month_name("10", "en", abbr=True) == "Oct"
    for bad in (13, 0, -1, None, "abc", float("nan"), 10.5):
        assert thai.month_name(bad).startswith("⚠ เดือน") and thai.month_name(bad, "en").endswith("invalid")


# ---------------------------------------------------------------- a file obeys the same rules
LISTS = {
    "kpi": {"K01": "แปลง GAP", "K03": "ร้อยละ"},
    "area": {"86": "ชุมพร", "8601": "เมือง", "1001": "พระนคร"},
    "kpi_unit": {"K01": "แปลง", "K03": "ร้อยละ"},
}


@pytest.mark.parametrize("fast", [False, True])
def test_a_file_with_negative_plots_for_a_count_kpi_is_refused(tmp_path, fast):
    p = tmp_path / "kpi_actuals.csv"
    p.write_text(
        "kpi_code,fiscal_year,month,area_code,value\nK01,2570,10,8601,3\nK01,2570,11,8601,-5\n"
        "K03,2570,10,8601,140\nK01,2570,12,1001,1\n",
        encoding="utf-8",
    )
    res = parse_file(p, "kpi_actuals", LISTS, fast=fast)
    got = [(i.file, i.row, i.column, i.value, i.reason_en) for i in res.errors]
    assert got == [
        ("kpi_actuals.csv", 3, "value", "-5", "cannot be negative (unit: แปลง)"),
        ("kpi_actuals.csv", 4, "value", "140", "a percentage cannot exceed 100"),
        (
            "kpi_actuals.csv",
            5,
            "area_code",
            "1001",
            "must be an area of this province: 86, or a 4-digit district or 6-digit sub-district code starting with 86",
        ),
    ]


def test_a_national_deployment_takes_every_provinces_areas_and_nothing_else(monkeypatch):
    """SANYAN_AREA_SCOPE=kingdom (a national deployment, bench/national.py's data set): any
    province, district or sub-district code is in scope; still only codes of those shapes."""
    from inputs.parsing import area_problem

    assert area_problem("1001") is not None  # Bangkok's district, in Chumphon's office: refused
    monkeypatch.setenv("SANYAN_AREA_SCOPE", "kingdom")
    assert [area_problem(c) for c in ("10", "1001", "100101", "86", "8604")] == [None] * 5
    assert all(area_problem(c) is not None for c in ("1", "100", "10011", "1001011", "๑๐", "10a1", ""))
    assert area_problem("10", "district") is not None and area_problem("1001", "district") is None
    monkeypatch.setenv("SANYAN_AREA_SCOPE", "nation")
    with pytest.raises(ValueError, match="SANYAN_AREA_SCOPE"):
        area_problem("10")


# ---------------------------------------------------------------- etl validate = everything load would do
def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def validate(built_warehouse, tmp_path_factory):
    """`python -m etl validate` (its main()) on a temp data dir; yields run(file) -> (rc, output)."""
    base = tmp_path_factory.mktemp("validate")
    data = make_data_dir(base / "data")
    mp = pytest.MonkeyPatch()
    mp.setenv("SANYAN_DATA_DIR", str(data))
    mp.setenv("SANYAN_WAREHOUSE", str(built_warehouse))
    mp.setenv("SANYAN_OPS_URL", f"sqlite:///{base / 'ops.sqlite'}")
    from etl.__main__ import main

    def run(capsys, name, text):
        f = base / name
        f.write_text(text, encoding="utf-8")
        capsys.readouterr()
        rc = main(["--lang", "en", "validate", str(f)])
        return rc, capsys.readouterr().out

    before = _sha(built_warehouse)
    yield run
    assert _sha(built_warehouse) == before  # the live snapshot untouched
    assert not (data / "incoming").exists()  # nothing kept
    assert ops.lineage_rows(ops.engine()) == []  # no load recorded
    mp.undo()


def test_validate_refuses_a_kpi_percentage_of_140(validate, capsys):
    rc, out = validate(capsys, "kpi_actuals.csv", "kpi_code,fiscal_year,month,area_code,value\nK03,2570,10,8601,140\n")
    assert rc == 2 and "kpi_actuals.csv, row 2, column 'value': value '140': a percentage cannot exceed 100" in out


def test_validate_refuses_an_indicator_percentage_of_150(validate, capsys):
    rc, out = validate(capsys, "indicator_values.csv", "indicator_code,year,area_code,value\nI02,2567,8601,150\n")
    assert rc == 2 and "indicator_values.csv, row 2, column 'value': value '150': a percentage cannot exceed 100" in out


def test_validate_runs_the_builds_checks_on_a_dry_run(validate, capsys):
    """GPP sectors that do not add up to NESDC's total: only the build's check sees it."""
    head = "province_code,year,classification,sector_code,price_basis,value_million_baht,edition\n"
    rc, out = validate(
        capsys, "gpp_sector.csv", head + "86,2566,ISIC4,A,cp,1,nesdc-2024\n86,2566,ISIC4,B,cp,1,nesdc-2024\n"
    )
    assert rc == 2, out
    assert (
        "gpp_sector.csv, row 2, column 'value_million_baht': value '2.0': the sectors at current prices sum to 2.0"
        in out
        and "[check gpp_sector_sum]" in out
    )


def test_validate_names_the_accepted_year_range(validate, capsys):
    from inputs.parsing import year_range

    lo, hi = year_range()
    rc, out = validate(capsys, "kpi_actuals.csv", "kpi_code,fiscal_year,month,area_code,value\nK01,3100,10,8601,1\n")
    assert rc == 2 and f"value '3100': a year must lie within {lo}–{hi} B.E. (or {lo - 543}–{hi - 543} C.E.)" in out
    assert "4 digits" not in out


def test_validate_says_where_a_header_below_title_rows_is(validate, capsys):
    rc, out = validate(
        capsys,
        "kpi_actuals.csv",
        "ผลการดำเนินงาน ปีงบประมาณ 2570,,,,\n,,,,\nkpi_code,fiscal_year,month,area_code,value\nK01,2570,10,8601,1\n",
    )
    assert rc == 2 and "1 error(s)" in out
    assert "row 3: the header is on row 3; remove the 2 title row(s) above it" in out


def test_validate_passes_a_sound_file_through_the_dry_run(validate, capsys):
    rc, out = validate(capsys, "kpi_actuals.csv", "kpi_code,fiscal_year,month,area_code,value\nK01,2570,10,8601,3\n")
    assert rc == 0 and "valid: kpi_actuals.csv" in out
