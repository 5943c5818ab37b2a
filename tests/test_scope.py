"""Who may enter what (docs/RULES.md section 12), re-computed from the text and held against
ops/scope.py for every role × unit × district and every kind of row; then rows outside the scope
sent through the form, the upload and ``etl load --as``: each refused, naming the row, nothing
stored."""

from __future__ import annotations

import itertools
import re

import pytest

import ops
from ops import entry, records, scope
from ops.workflow import Actor, Forbidden
from tests.conftest import ROOT

PROD = "กลุ่มส่งเสริมและพัฒนาการผลิต"
ADMIN_UNIT = "ฝ่ายบริหารทั่วไป"
PLANT = "กลุ่มอารักขาพืช"  # keeps disasters (data/seeds/dataset_keepers.csv)
STRATEGY = "กลุ่มยุทธศาสตร์และสารสนเทศ"  # keeps GPP by sector
D, OTHER_D, SUB, PROVINCE = "8604", "8601", "860401", "86"

# ---------------------------------------------------------------- the rules, from the text alone
# Section 12's table "a district reports it when", word for word.
DISTRICT_REPORTS_WHEN = {
    "kpi_actuals": "the KPI is reported by district",
    "indicator_values": "the indicator is reported by district",
    "disasters": "always",
    "kpi_targets": "never",
    "project_plans": "never",
    "gpp_sector": "never",
}
NAMES = {
    "kpi_actuals": "kpi_code",
    "kpi_targets": "kpi_code",
    "indicator_values": "indicator_code",
    "project_plans": "project_code",
}
AREA = {
    "kpi_actuals": "area_code",
    "kpi_targets": "area_code",
    "indicator_values": "area_code",
    "disasters": "district_code",
    "gpp_sector": "province_code",
}
KEEPER = {"disasters": PLANT, "gpp_sector": STRATEGY}
READABLE_BY_EDITOR = {"open", "internal"}


def expected(role, unit, district, dataset, owner, reported_by, classification, area) -> bool:
    """Section 12, rules 1-6, read plainly."""
    if role == "admin":  # 1
        return True
    if role != "editor" or (unit is None and district is None):  # 2
        return False
    if dataset in NAMES and classification not in READABLE_BY_EDITOR:  # 3
        return False
    row_owner = owner if dataset in NAMES else KEEPER[dataset]
    if unit is not None and row_owner != unit:  # 4
        return False
    if district is not None:  # 5
        when = DISTRICT_REPORTS_WHEN[dataset]
        reports = when == "always" or (when.endswith("reported by district") and reported_by == "district")
        inside = area is not None and (area == district or area.startswith(district))
        if not (reports and inside):
            return False
    return True  # 6: both held


CATALOGUE_ROWS = []
THINGS = {}  # dataset -> [(code, owner, reported_by, classification)]
for dataset, col in NAMES.items():
    THINGS[dataset] = []
    for owner, rep, cls in itertools.product(
        (PROD, ADMIN_UNIT, None), ("district", "province", None), ("open", "internal", "secret")
    ):
        code = f"{col[:3].upper()}-{owner or 'none'}-{rep}-{cls}"
        THINGS[dataset].append((code, owner, rep, cls))
        CATALOGUE_ROWS.append((col, code, owner, rep, cls))
CATALOGUE_ROWS += [("dataset", "disasters", PLANT, None, "open"), ("dataset", "gpp_sector", STRATEGY, None, "open")]
CATALOGUE = scope.Catalogue.from_rows(CATALOGUE_ROWS)

ACCOUNTS = [
    (role, unit, district)
    for role in ("admin", "executive", "verifier", "editor", "viewer")
    for unit in (None, PROD, PLANT, STRATEGY)
    for district in (None, D)
]


def _rows(dataset):
    """Every kind of row of a dataset: each thing (or none) × each area (or none)."""
    areas = (D, SUB, OTHER_D, PROVINCE) if dataset in AREA else (None,)
    things = THINGS.get(dataset) or [(None, None, None, "open")]
    for (code, owner, rep, cls), area in itertools.product(things, areas):
        rec = {}
        if dataset in NAMES:
            rec[NAMES[dataset]] = code
        if dataset in AREA:
            rec[AREA[dataset]] = area
        yield rec, owner, rep, cls, area


def test_the_scope_table_for_every_account_and_every_kind_of_row():
    checked = disagree = 0
    bad = []
    for (role, unit, district), dataset in itertools.product(ACCOUNTS, DISTRICT_REPORTS_WHEN):
        who = Actor("u", role, unit, district)
        for rec, owner, rep, cls, area in _rows(dataset):
            want = expected(role, unit, district, dataset, owner, rep, cls, area)
            got = scope.may_enter_row(who, dataset, rec, CATALOGUE)
            # the wrappers the forms and uploads call say the same
            if dataset == "kpi_actuals":
                wrapped = entry.may_enter(who, {"owner_unit": owner, "reported_by": rep, "classification": cls}, area)
            else:
                wrapped = records.may_enter(who, dataset, rec, CATALOGUE)
            checked += 1
            if not (want == got == wrapped):
                disagree += 1
                bad.append((role, unit, district, dataset, rec, want, got, wrapped))
    assert checked > 5000
    assert disagree == 0, bad[:10]


def test_a_row_naming_no_known_thing_is_refused_with_a_reason():
    who = Actor("ed", "editor", PROD)
    assert not scope.may_enter_row(who, "kpi_actuals", {"kpi_code": "K-UNKNOWN", "area_code": D}, CATALOGUE)
    assert scope.row_reason(who, "kpi_actuals", {"kpi_code": "K-UNKNOWN", "area_code": D}, CATALOGUE)[1].startswith(
        "no such"
    )


# ---------------------------------------------------------------- the worked examples of section 12
K01 = ("kpi_code", "K01", PROD, "district", "open")
K28 = ("kpi_code", "K28", ADMIN_UNIT, "province", "open")
I07 = ("indicator_code", "I07", "สำนักงานเกษตรจังหวัด", "district", "open")
EXAMPLES_CAT = scope.Catalogue.from_rows([K01, K28, I07, ("dataset", "disasters", PLANT, None, "open")])
# (account, dataset, row) in the order of the section's table; its "may enter?" column is read from the text
EXAMPLES = [
    (("editor", None, D), "kpi_actuals", {"kpi_code": "K01", "area_code": D}),
    (("editor", None, D), "kpi_actuals", {"kpi_code": "K01", "area_code": OTHER_D}),
    (("editor", None, D), "kpi_actuals", {"kpi_code": "K01", "area_code": PROVINCE}),
    (("editor", None, D), "kpi_actuals", {"kpi_code": "K28", "area_code": D}),
    (("editor", None, D), "kpi_targets", {"kpi_code": "K01", "area_code": D}),
    (("editor", None, D), "indicator_values", {"indicator_code": "I07", "area_code": SUB}),
    (("editor", None, D), "disasters", {"district_code": D}),
    (("editor", PROD, None), "kpi_targets", {"kpi_code": "K01", "area_code": OTHER_D}),
    (("editor", PROD, None), "kpi_actuals", {"kpi_code": "K28", "area_code": PROVINCE}),
    (("editor", PROD, None), "disasters", {"district_code": D}),
    (("editor", PLANT, None), "disasters", {"district_code": OTHER_D}),
    (("editor", PROD, D), "kpi_actuals", {"kpi_code": "K01", "area_code": D}),
    (("editor", PROD, D), "kpi_targets", {"kpi_code": "K01", "area_code": D}),
    (("editor", None, None), "kpi_actuals", {"kpi_code": "K01", "area_code": D}),
    (("verifier", PROD, D), "kpi_actuals", {"kpi_code": "K01", "area_code": D}),
    (("admin", None, None), "gpp_sector", {"province_code": PROVINCE}),
]


def _section_12_answers() -> list[bool]:
    text = (ROOT / "docs" / "RULES.md").read_text(encoding="utf-8")
    section = text[text.index("## 12.") :]
    table = section[section.index("| account (role, unit, district) |") :].split("\n\n")[0]
    rows = [r for r in table.splitlines()[2:] if r.startswith("|")]
    return [re.split(r"\s*\|\s*", r.strip("| "))[2] == "yes" for r in rows]


def test_the_worked_examples_hold_as_written():
    answers = _section_12_answers()
    assert len(answers) == len(EXAMPLES)
    for (account, dataset, rec), want in zip(EXAMPLES, answers, strict=True):
        assert scope.may_enter_row(Actor("u", *account), dataset, rec, EXAMPLES_CAT) is want, (account, dataset, rec)


# ---------------------------------------------------------------- through the write paths
@pytest.fixture()
def eng(ops_url):
    return ops.engine(ops_url)


def test_the_form_refuses_what_the_scope_refuses_and_stores_nothing(eng):
    district_only = Actor("d4", "editor", None, D)
    k28 = {"kpi_code": "K28", "owner_unit": ADMIN_UNIT, "unit": "ร้อยละ", "reported_by": "province"}
    with pytest.raises(Forbidden) as e:
        entry.save(eng, district_only, k28, 2570, 11, D, "50", None, 0)
    assert "จังหวัด" in e.value.th and "district" in e.value.en  # the rule in words
    assert entry.rows(eng).empty
    target = {"kpi_code": "K01", "fiscal_year": 2570, "month": None, "area_code": D, "target": 10.0}
    with pytest.raises(Forbidden):
        records.save(eng, district_only, "kpi_targets", target, None, 0, owners=EXAMPLES_CAT)
    unit_only = Actor("p1", "editor", PROD)
    disaster = {"event_id": "DS2570-900", "district_code": D, "disaster_type": "flood", "start_date": "2026-11-02"}
    with pytest.raises(Forbidden):
        records.save(eng, unit_only, "disasters", disaster, None, 0, owners=EXAMPLES_CAT)
    assert records.rows(eng) == []
    refused = [a for a in ops.audit_rows(eng) if a["outcome"] == "refused"]
    assert [a["action"] for a in refused] == ["entry.save", "record.save", "record.save"]


def test_the_upload_names_each_row_outside_the_scope(eng):
    import pandas as pd

    district_only = Actor("d4", "editor", None, D)
    frame = pd.DataFrame(
        [
            {"indicator_code": "I07", "year": 2569, "area_code": D, "value": 10.0, "_row": 2},
            {"indicator_code": "I07", "year": 2569, "area_code": OTHER_D, "value": 10.0, "_row": 3},
        ]
    )
    problems = records.check_upload(eng, district_only, "indicator_values", frame, owners=EXAMPLES_CAT)
    assert [(p[0], p[1]) for p in problems] == [(3, "indicator_code")]
    kpis = {
        "K01": {"kpi_code": "K01", "owner_unit": PROD, "unit": "แปลง", "reported_by": "district"},
        "K28": dict(
            zip(
                ("kpi_code", "owner_unit", "unit", "reported_by"), ("K28", ADMIN_UNIT, "ร้อยละ", "province"), strict=True
            )
        ),
    }
    actuals = pd.DataFrame(
        [
            {"kpi_code": "K28", "fiscal_year": 2570, "month": 11, "area_code": D, "value": 5.0, "_row": 2},
        ]
    )
    got = entry.check_upload(
        eng, district_only, kpis, actuals, what_if=lambda *_a: None, change_limit=None, confirmed=False
    )
    assert [(p[0], p[1]) for p in got] == [(2, "kpi_code")] and "จังหวัด" in got[0][2]


def test_etl_load_as_an_account_obeys_its_scope(tmp_path):
    import duckdb

    from etl.build import build
    from tests.conftest import make_data_dir
    from tests.test_etl_build import digest, run_etl, small_inputs, write_csv
    from web import auth

    data = make_data_dir(tmp_path / "data", sample=False)
    small_inputs(data / "sample")
    wh = data / "warehouse" / "eis.duckdb"
    ops_url = f"sqlite:///{tmp_path / 'ops.sqlite'}"
    build(data_dir=data, warehouse=wh, ops_url=ops_url)
    small = {"data": data, "warehouse": wh, "ops_url": ops_url, "tmp": tmp_path}
    eng = ops.engine(ops_url)
    con = duckdb.connect(str(wh), read_only=True)
    owner = con.execute("SELECT owner_unit FROM dim_kpi WHERE kpi_code = 'K01'").fetchone()[0]
    con.close()
    auth.add_user(eng, "district4", "ช้างเผือกกินมะม่วงใต้ต้นไม้ริมคลอง7", "editor", area_code=D)
    auth.add_user(eng, "unitk01", "ช้างเผือกกินมะม่วงใต้ต้นไม้ริมคลอง8", "editor", unit=owner)
    header = ["รหัสตัวชี้วัด", "ปีงบประมาณ", "เดือน", "รหัสพื้นที่", "ผลการดำเนินงาน"]
    f = write_csv(
        tmp_path / "k01_nov.csv", header, [["K01", "2570", "11", D, "7"], ["K01", "2570", "11", OTHER_D, "9"]]
    )
    before = digest(wh)
    refused = run_etl(small, "load", str(f), "--dataset", "kpi_actuals", "--as", "district4")
    assert refused.returncode == 2, refused.stdout + refused.stderr
    # K01 is reported by the province in this catalogue (no reported_by): both rows, each named
    assert "k01_nov.csv" in refused.stdout and "แถว 2" in refused.stdout and "แถว 3" in refused.stdout
    assert digest(wh) == before and not (data / "incoming").exists()
    unknown = run_etl(small, "load", str(f), "--dataset", "kpi_actuals", "--as", "nobody")
    assert unknown.returncode == 2 and digest(wh) == before
    ok = run_etl(small, "load", str(f), "--dataset", "kpi_actuals", "--as", "unitk01")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    rows = ops.lineage_rows(eng)
    assert [(r["result"], r["loaded_by"]) for r in rows] == [
        ("rejected", "district4"),
        ("rejected", "nobody"),
        ("accepted", "unitk01"),
    ]


def test_a_catalogue_is_loaded_by_an_admin_only_and_a_bad_scope_row_is_named():
    """The datasets outside the entry templates (the KPI catalogue, the strategy) are an admin's:
    ``etl load --as`` an editor refuses the whole file; an admin's passes; an editor's out-of-scope
    rows are each named with their file row and column."""
    editor, admin = Actor("e", "editor", PROD), Actor("a", "admin")
    assert scope.frame_problems(editor, "kpis", [{"_row": 2}], CATALOGUE) == [
        (None, None, "ชุดข้อมูลนี้นำเข้าได้โดยผู้ดูแลระบบเท่านั้น", "only an admin loads this dataset")
    ]
    assert scope.frame_problems(admin, "kpis", [{"_row": 2}], CATALOGUE) == []
    rows = [
        {"_row": 2, "kpi_code": "KPI-" + PROD + "-district-open", "area_code": D},
        {"_row": 3, "kpi_code": "KPI-" + ADMIN_UNIT + "-district-open", "area_code": D},
        {"_row": 4, "kpi_code": "KPI-" + PROD + "-district-secret", "area_code": D},
    ]
    got = scope.frame_problems(editor, "kpi_actuals", rows, CATALOGUE)
    assert [(r, c) for r, c, _th, _en in got] == [(3, "kpi_code"), (4, "kpi_code")]
