"""English mode shows the catalogue's English units and passport texts, never its Thai units
(issue 26), and the build refuses a unit that has no English name, naming file, row and column.

The pages are rendered on the server in English (no browser) and serialised whole, as Dash sends
them (texts, tables drawn as raw HTML, charts' axis titles and hovers); the Thai units looked for
are the ones the warehouse's catalogues use, not a list written here."""

from __future__ import annotations

import json
import re

import duckdb
import plotly
import pytest

from config import settings
from etl.build import BuildError, build, check_issues
from tests.test_cockpit_pages import render
from tests.test_etl_build import small_inputs, write_csv

THAI = "\u0e00-\u0e7f"


@pytest.fixture(scope="module")
def app_module(built_warehouse):
    mp = pytest.MonkeyPatch()
    mp.setenv("SANYAN_WAREHOUSE", str(built_warehouse))
    import app

    yield app
    mp.undo()


@pytest.fixture(scope="module")
def catalogue(built_warehouse):
    con = duckdb.connect(str(built_warehouse), read_only=True)
    try:
        units = con.execute(
            "SELECT unit, unit_en FROM dim_kpi UNION SELECT unit, unit_en FROM dim_indicator"
        ).fetchall()
        passport = con.execute(
            "SELECT definition_th, formula_th, data_source, verifier, data_users, owner_unit FROM dim_kpi "
            "WHERE kpi_code = 'K01'"
        ).fetchone()
        district = con.execute(
            "SELECT min(district_code) FROM dim_district WHERE province_code = $p", {"p": settings.province}
        ).fetchone()[0]
        indicator = con.execute(
            "SELECT min(indicator_code) FROM dim_indicator WHERE classification = 'open'"
        ).fetchone()[0]
    finally:
        con.close()
    return {"units": dict(units), "passport": passport, "district": district, "indicator": indicator}


def as_sent(layout) -> str:
    """The layout as the browser receives it: every text, raw HTML table and figure (titles,
    hovertemplates, hover texts), one JSON document with its Thai unescaped."""
    return json.dumps(layout, cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False)


def thai_units_in(doc: str, units) -> set[str]:
    """The catalogue's Thai units standing as a unit does (a word of its own, not part of a longer
    Thai word: 'ราย' in '12 ราย', never in 'รายงาน')."""
    found = set()
    for u in units:
        if re.search(rf"(?<![{THAI}]){re.escape(u)}(?![{THAI}])", doc):
            found.add(u)
    return found


def test_every_unit_of_the_catalogues_has_an_english_name(catalogue):
    units = catalogue["units"]
    assert units and all(en and not re.search(f"[{THAI}]", en) for en in units.values()), units


PAGES = [
    ("/kpi", "pages.kpi", {}),
    ("/kpi/K01", "pages.kpi_detail", {"code": "K01"}),
    ("/district/<code>", "pages.district", {"code": "district"}),
    ("/indicators", "pages.indicators", {}),
    ("/map", "pages.map", {}),
    ("/open/kpi?kpi=K01", "pages.open_kpi", {"kpi": "K01"}),
    ("/open/indicators", "pages.open_indicators", {"indicator": "indicator"}),
]


@pytest.mark.parametrize("path,module,params", PAGES, ids=[p[0] for p in PAGES])
def test_english_pages_show_no_thai_unit(app_module, catalogue, path, module, params):
    params = {k: catalogue[v] if v in ("district", "indicator") else v for k, v in params.items()}
    thai_units = set(catalogue["units"])
    en = as_sent(render(app_module, module, "en", **params))
    assert not thai_units_in(en, thai_units), path
    # the same page in Thai does show them: the search finds units where they are
    th = as_sent(render(app_module, module, "th", **params))
    assert thai_units_in(th, thai_units), path


def test_the_map_layers_and_hovers_give_english_units(app_module, catalogue):
    from pages import map as page

    with app_module.server.test_request_context("/", headers={"Cookie": "sanyan_lang=en"}):
        for level in ("district", "subdistrict"):
            layers = page.layers(level, "en")
            assert layers
            for key, meta in layers.items():
                assert not re.search(f"[{THAI}]", meta["unit"] or ""), (level, key, meta["unit"])


def test_the_passport_is_in_english(app_module, catalogue):
    page = as_sent(render(app_module, "pages.kpi_detail", "en", code="K01"))
    for th in catalogue["passport"]:
        assert th not in page  # every Thai passport text has its English counterpart
    assert "Head of the Strategy and Information Group" in page
    th_page = as_sent(render(app_module, "pages.kpi_detail", "th", code="K01"))
    assert all(th in th_page for th in catalogue["passport"])


def test_a_unit_without_an_english_name_fails_the_build_naming_file_row_and_column(tmp_path):
    from tests.conftest import make_data_dir

    data = make_data_dir(tmp_path / "data", sample=False)
    small_inputs(data / "sample")
    kpis = data / "sample" / "kpis.csv"
    rows = kpis.read_text(encoding="utf-8").splitlines()
    assert ",ราย," in rows[1]
    kpis.write_text("\n".join([rows[0], rows[1].replace(",ราย,", ",หาบ,")]) + "\n", encoding="utf-8")
    wh = data / "warehouse" / "eis.duckdb"
    with pytest.raises(BuildError) as err:
        build(data_dir=data, warehouse=wh, ops_url=f"sqlite:///{tmp_path / 'ops.sqlite'}")
    assert [n for n, _ in err.value.failures] == ["unit_names"]
    assert not wh.exists()  # nothing swapped in
    files = {f: f for f in err.value.failures[0][1]["file"]}
    (issue,) = check_issues(err.value.failures, files)
    text = issue.format("en")
    assert "kpis.csv" in issue.file and issue.row == 2 and issue.column == "unit" and issue.value == "หาบ"
    assert "no English name" in text and "data/seeds/units.csv" in text
    assert "ไม่มีชื่อภาษาอังกฤษ" in issue.format("th")


def test_an_indicator_unit_without_an_english_name_fails_the_build_too(tmp_path):
    from tests.conftest import make_data_dir

    data = make_data_dir(tmp_path / "data", sample=False)
    small_inputs(data / "sample")
    write_csv(
        data / "sample" / "topic_groups.csv",
        ["group_code", "name_th", "name_en", "domain", "provenance", "source_ref"],
        [["G99", "กลุ่มทดสอบ", "Test group", "economy", "sample", "t"]],
    )
    write_csv(
        data / "sample" / "indicators.csv",
        ["indicator_code", "group_code", "name_th", "name_en", "unit", "source_agency", "frequency", "direction"],
        [
            ["I98", "G99", "ผลผลิต", "Output", "ตัน", "สำนักงาน", "yearly", "higher"],
            ["I99", "G99", "ปริมาณ", "Volume", "กระสอบ", "สำนักงาน", "yearly", "higher"],
        ],
    )
    with pytest.raises(BuildError) as err:
        build(data_dir=data, warehouse=data / "warehouse" / "eis.duckdb", ops_url=f"sqlite:///{tmp_path / 'o.sqlite'}")
    ((name, df),) = err.value.failures
    assert name == "unit_names" and df["value"].tolist() == ["กระสอบ"]  # ตัน has its English name
    assert (
        df["file"].iloc[0].endswith("indicators.csv") and df["row"].iloc[0] == 3 and df["column_name"].iloc[0] == "unit"
    )
