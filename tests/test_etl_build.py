"""The build on small fixture files, through the real code path: atomic swap, all or nothing."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import shapely

from etl.build import BuildError, build
from tests.conftest import ROOT, make_data_dir

CHUMPHON_NESDC = {2562: 116633.389, 2563: 125362.282, 2564: 129532.054, 2565: 117668.091, 2566: 114266.362}


def write_csv(path: Path, header: list[str], rows: list[list]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


def small_inputs(sample: Path) -> None:
    """A tiny but complete KPI model: one issue, plan, project, KPI with criteria, target, actuals."""
    S = "sample"
    write_csv(
        sample / "strategy_nodes.csv",
        [
            "node_code",
            "parent_code",
            "node_type",
            "name_th",
            "name_en",
            "owner_unit",
            "budget_baht",
            "fiscal_year",
            "provenance",
            "source_ref",
        ],
        [
            ["S1", "", "issue", "การผลิตสินค้าเกษตรตามมาตรฐาน GAP", "GAP", "", "", "", S, "t"],
            ["S1.P1", "S1", "plan", "แผนส่งเสริม GAP", "GAP plan", "", "", "", S, "t"],
            [
                "S1.P1.J01",
                "S1.P1",
                "project",
                "โครงการตรวจรับรองแปลง",
                "Farm audits",
                "กลุ่มส่งเสริม",
                "500000",
                "2570",
                S,
                "t",
            ],
        ],
    )
    write_csv(
        sample / "kpis.csv",
        [
            "kpi_code",
            "parent_kpi_code",
            "name_th",
            "name_en",
            "definition_th",
            "formula_th",
            "unit",
            "direction",
            "range_low",
            "range_high",
            "frequency",
            "aggregation",
            "data_source",
            "verifier",
            "data_users",
            "owner_unit",
            "importance_tier",
            "indicator_type",
            "classification",
            "provenance",
            "source_ref",
        ],
        [
            [
                "K01",
                "",
                "จำนวนแปลงที่ได้รับรอง GAP",
                "GAP-certified farms",
                "นิยาม",
                "นับ",
                "ราย",
                "higher",
                "",
                "",
                "monthly",
                "sum",
                "ระบบ GAP",
                "หัวหน้ากลุ่ม",
                "ผู้ว่าฯ",
                "กลุ่มส่งเสริม",
                "1",
                "lagging",
                "open",
                S,
                "t",
            ]
        ],
    )
    write_csv(
        sample / "kpi_links.csv", ["kpi_code", "node_code", "provenance", "source_ref"], [["K01", "S1.P1.J01", S, "t"]]
    )
    write_csv(
        sample / "kpi_criteria.csv",
        [
            "kpi_code",
            "fiscal_year",
            "t1",
            "t2",
            "t3",
            "t4",
            "t5",
            "weight",
            "red_below",
            "green_from",
            "provenance",
            "source_ref",
        ],
        [["K01", "2570", "10", "20", "30", "40", "50", "100", "", "", S, "t"]],
    )
    write_csv(
        sample / "kpi_targets.csv",
        ["kpi_code", "fiscal_year", "month", "area_code", "target", "provenance", "source_ref"],
        [["K01", "2570", "", "86", "30", S, "t"], ["K01", "2570", "", "8601", "10", S, "t"]],
    )
    write_csv(
        sample / "kpi_actuals.csv",
        ["kpi_code", "fiscal_year", "month", "area_code", "value", "reported_on", "provenance", "source_ref"],
        [["K01", "2570", "10", "8601", "3", "2026-11-05", S, "t"], ["K01", "2570", "10", "8602", "4", "", S, "t"]],
    )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def small(tmp_path) -> dict:
    data = make_data_dir(tmp_path / "data", sample=False)
    small_inputs(data / "sample")
    wh = data / "warehouse" / "eis.duckdb"
    ops_url = f"sqlite:///{tmp_path / 'ops.sqlite'}"
    result = build(data_dir=data, warehouse=wh, ops_url=ops_url)
    return {"data": data, "warehouse": wh, "ops_url": ops_url, "result": result, "tmp": tmp_path}


def q(wh: Path, sql: str, params=None):
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return con.execute(sql, params or {}).fetchall()
    finally:
        con.close()


def test_build_small_fixture(small):
    wh = small["warehouse"]
    counts = dict(q(wh, "SELECT area_level, count(*) FROM geo_shape GROUP BY ALL"))
    assert counts == {"province": 77, "district": 928, "subdistrict": 70}
    assert q(wh, "SELECT count(*) FROM dim_district WHERE province_code = '86'") == [(8,)]
    got = dict(
        q(
            wh,
            """SELECT year_be, value_million_baht FROM fct_gpp WHERE province_code = '86'
                        AND edition = 'nesdc-2024' AND sector_code = 'TOTAL' AND provenance = 'official'""",
        )
    )
    assert got == CHUMPHON_NESDC
    assert q(wh, "SELECT count(DISTINCT province_code) FROM fct_gpp WHERE edition = 'nesdc-2013-2020'") == [(77,)]
    actual = q(wh, "SELECT area_code, value, provenance, period_date FROM fct_kpi_actual ORDER BY area_code")
    assert [(a, v, p, str(d)) for a, v, p, d in actual] == [
        ("8601", 3.0, "sample", "2026-10-31"),
        ("8602", 4.0, "sample", "2026-10-31"),
    ]
    assert q(wh, "SELECT total FROM fct_population WHERE source = 'DOPA' AND area_code = '86' AND year_be = 2564") == [
        (509479,)
    ]
    meta = dict(q(wh, "SELECT dataset, provenance FROM meta_dataset"))
    assert meta["gpp_official"] == "official" and meta["kpi_actuals"] == "sample" and meta["disasters"] == "empty"
    assert q(wh, "SELECT count(*) FROM information_schema.tables WHERE table_name LIKE 'raw%'") == [(0,)]


def test_display_geometry_is_clockwise_and_in_place(small):
    """plotly's geo needs clockwise exterior rings; and the shape must sit where the district is."""
    rows = q(
        small["warehouse"],
        """SELECT s.area_code, s.geojson, a.name_en FROM geo_shape s
        JOIN dim_area a USING (area_code) WHERE s.area_level = 'district' AND a.province_code = '86'""",
    )
    assert len(rows) == 8
    for code, gj, _name in rows:
        geom = shapely.geometry.shape(json.loads(gj))
        polys = getattr(geom, "geoms", [geom])
        assert all(not p.exterior.is_ccw for p in polys), code
        minx, miny, maxx, maxy = geom.bounds  # Chumphon lies around 98.9-99.7 E, 9.4-11.0 N
        assert 98.5 < minx < maxx < 99.9 and 9.3 < miny < maxy < 11.1, (code, geom.bounds)


def test_failing_check_stops_build_and_keeps_snapshot(small):
    wh, before = small["warehouse"], digest(small["warehouse"])
    write_csv(
        small["data"] / "sample" / "gpp_sector.csv",
        [
            "province_code",
            "year",
            "classification",
            "sector_code",
            "price_basis",
            "reference_year",
            "value_million_baht",
            "revision_flag",
            "edition",
            "provenance",
            "source_ref",
        ],
        [
            ["86", "2562", "ISIC4", "A", "cp", "", "60000", "", "nesdc-2024", "sample", "t"],
            ["86", "2562", "ISIC4", "C", "cp", "", "50000", "", "nesdc-2024", "sample", "t"],
        ],
    )
    with pytest.raises(BuildError) as err:
        build(data_dir=small["data"], warehouse=wh, ops_url=small["ops_url"])
    names = [n for n, _ in err.value.failures]
    assert names == ["gpp_sector_sum"]
    row = err.value.failures[0][1].iloc[0]
    assert row["province_code"] == "86" and row["year_be"] == 2562
    assert digest(wh) == before
    # no leftovers (a .cache of boundaries is there unless SANYAN_CACHE_DIR puts it elsewhere)
    assert sorted(p.name for p in wh.parent.iterdir() if p.name != ".cache") == [".build.lock", "eis.duckdb"]


def test_parse_error_stops_build_and_names_row_and_column(small):
    wh, before = small["warehouse"], digest(small["warehouse"])
    write_csv(
        small["data"] / "sample" / "disasters.csv",
        [
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
        ],
        [
            ["D1", "8601", "flood", "2566-11-20", "", "1000", "3", "", "sample", "t"],
            ["D2", "8699", "flood", "2566-11-20", "", "abc", "3", "", "sample", "t"],
        ],
    )
    with pytest.raises(BuildError) as err:
        build(data_dir=small["data"], warehouse=wh, ops_url=small["ops_url"])
    where = {(i.row, i.column) for i in err.value.issues}
    assert any(r == 3 and "district" in str(c).lower() or r == 3 and "อำเภอ" in str(c) for r, c in where), where
    assert any(r == 3 and ("damage" in str(c).lower() or "ความเสียหาย" in str(c)) for r, c in where), where
    assert digest(wh) == before


def test_swap_while_a_reader_holds_the_old_snapshot(small):
    wh = small["warehouse"]
    old_version = small["result"].version
    reader = duckdb.connect(str(wh), read_only=True)
    try:
        assert reader.execute("SELECT version FROM meta_snapshot").fetchone()[0] == old_version
        write_csv(
            small["data"] / "sample" / "kpi_actuals.csv",
            ["kpi_code", "fiscal_year", "month", "area_code", "value", "reported_on", "provenance", "source_ref"],
            [["K01", "2570", "10", "8601", "5", "", "sample", "t"]],
        )
        new = build(data_dir=small["data"], warehouse=wh, ops_url=small["ops_url"])
        assert new.version != old_version
        # the old reader still answers from the snapshot it opened
        assert reader.execute("SELECT version FROM meta_snapshot").fetchone()[0] == old_version
        assert reader.execute("SELECT count(*) FROM fct_kpi_actual").fetchone()[0] == 2
    finally:
        reader.close()
    assert q(wh, "SELECT version FROM meta_snapshot") == [(new.version,)]
    assert q(wh, "SELECT count(*) FROM fct_kpi_actual") == [(1,)]


def run_etl(small, *args):
    env = {
        **os.environ,
        "SANYAN_DATA_DIR": str(small["data"]),
        "SANYAN_WAREHOUSE": str(small["warehouse"]),
        "SANYAN_OPS_URL": small["ops_url"],
        "SANYAN_USER": "tester",
        "COLUMNS": "200",
    }
    return subprocess.run(
        [sys.executable, "-m", "etl", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def test_cli_validate_and_load_reject_bad_file_and_change_nothing(small):
    bad = write_csv(
        small["tmp"] / "actuals.csv",
        ["รหัสตัวชี้วัด", "ปีงบประมาณ", "เดือน", "รหัสพื้นที่", "ผลการดำเนินงาน"],
        [["K01", "2570", "11", "8601", "7"], ["K01", "2570", "11", "8602", "12x"]],
    )
    before = digest(small["warehouse"])
    v = run_etl(small, "validate", str(bad), "--dataset", "kpi_actuals")
    assert v.returncode == 2, v.stdout + v.stderr
    assert "actuals.csv" in v.stdout and "3" in v.stdout and "ผลการดำเนินงาน" in v.stdout
    ld = run_etl(small, "load", str(bad), "--dataset", "kpi_actuals")
    assert ld.returncode == 2, ld.stdout + ld.stderr
    assert digest(small["warehouse"]) == before
    assert not (small["data"] / "incoming").exists() or not any((small["data"] / "incoming").rglob("*.csv"))
    import ops

    rows = ops.lineage_rows(ops.engine(small["ops_url"]))
    assert [(r["file_name"], r["result"], r["loaded_by"]) for r in rows] == [("actuals.csv", "rejected", "tester")]


def test_cli_load_accepts_good_file_and_builds(small):
    good = write_csv(
        small["tmp"] / "actuals_nov.csv",
        ["รหัสตัวชี้วัด", "ปีงบประมาณ", "เดือน", "รหัสพื้นที่", "ผลการดำเนินงาน"],
        [["K01", "๒๕๗๐", "พ.ย.", "8601", "1,234"], ["K01", "2570", "11", "8602", "๗"]],
    )
    ld = run_etl(small, "load", str(good), "--dataset", "kpi_actuals")
    assert ld.returncode == 0, ld.stdout + ld.stderr
    rows = q(
        small["warehouse"],
        """SELECT area_code, value, provenance FROM fct_kpi_actual
                                    WHERE month = 11 ORDER BY area_code""",
    )
    assert rows == [("8601", 1234.0, "entered"), ("8602", 7.0, "entered")]
    stored = list((small["data"] / "incoming" / "kpi_actuals").iterdir())
    assert len(stored) == 1 and stored[0].read_bytes() == good.read_bytes()
    assert q(small["warehouse"], "SELECT file_name, result, rows FROM meta_load") == [
        ("actuals_nov.csv", "accepted", 2)
    ]
    again = run_etl(small, "load", str(good), "--dataset", "kpi_actuals")
    assert again.returncode == 2 and "already" in again.stdout


def test_an_office_file_replaces_sample_rows_and_a_later_load_an_earlier_one(small):
    inbox = small["data"] / "incoming" / "kpi_actuals"
    header = ["kpi_code", "fiscal_year", "month", "area_code", "value"]
    write_csv(inbox / "20261101T000000Z_aaaaaaaaaaaa_oct.csv", header, [["K01", "2570", "10", "8601", "9"]])
    result = build(data_dir=small["data"], warehouse=small["warehouse"], ops_url=small["ops_url"])
    assert result.superseded == {"kpi_actuals": 1}
    rows = q(small["warehouse"], "SELECT area_code, value, provenance FROM fct_kpi_actual ORDER BY area_code")
    assert rows == [("8601", 9.0, "entered"), ("8602", 4.0, "sample")]
    write_csv(inbox / "20261102T000000Z_bbbbbbbbbbbb_oct-fixed.csv", header, [["K01", "2570", "10", "8601", "11"]])
    build(data_dir=small["data"], warehouse=small["warehouse"], ops_url=small["ops_url"])
    rows = q(small["warehouse"], "SELECT value, _file FROM fct_kpi_actual WHERE area_code = '8601'")
    assert rows == [(11.0, "incoming/20261102T000000Z_bbbbbbbbbbbb_oct-fixed.csv")]


def test_every_kind_of_bad_file_is_rejected_by_load_and_changes_nothing(small, monkeypatch, capsys):
    """`load` (in-process) of each bad file from test_parsing: exit 2, row and column named, the
    warehouse byte-identical, nothing kept in incoming/, a 'rejected' lineage row each."""
    import ops
    from etl.__main__ import main
    from tests.test_parsing import BAD, write_xlsx

    monkeypatch.setenv("SANYAN_DATA_DIR", str(small["data"]))
    monkeypatch.setenv("SANYAN_WAREHOUSE", str(small["warehouse"]))
    monkeypatch.setenv("SANYAN_OPS_URL", small["ops_url"])
    before = digest(small["warehouse"])
    for i, (kind, (dataset, header, rows, (row, column))) in enumerate(BAD.items()):
        path = (write_csv if i % 2 else write_xlsx)(small["tmp"] / f"bad{i}.{'csv' if i % 2 else 'xlsx'}", header, rows)
        assert main(["load", str(path), "--dataset", dataset, "--quiet"]) == 2, kind
        out = capsys.readouterr().out
        assert f"แถว {row} คอลัมน์ {column}" in out and path.name in out, (kind, out)
        assert digest(small["warehouse"]) == before, kind
    assert not (small["data"] / "incoming").exists()
    results = [r["result"] for r in ops.lineage_rows(ops.engine(small["ops_url"]))]
    assert results == ["rejected"] * len(BAD)


def test_boundary_cache_is_keyed_by_the_files(tmp_path):
    """Parsed boundaries are reused while the GeoJSON files are the same, and read again when
    one changes (or the cache file is damaged)."""
    import shutil

    from etl.geo import load_geo_cached
    from tests.conftest import ROOT

    geo = tmp_path / "geo"
    shutil.copytree(ROOT / "data" / "geo", geo)
    cache = tmp_path / "cache"
    areas, shapes = load_geo_cached(geo, cache)
    (first,) = list(cache.glob("geo-*.pkl"))
    again, _ = load_geo_cached(geo, cache)
    assert again.equals(areas) and list(cache.glob("geo-*.pkl")) == [first]
    doc = json.loads((geo / "chumphon_subdistricts.geojson").read_text(encoding="utf-8"))
    doc["features"] = doc["features"][:-1]  # one sub-district fewer
    (geo / "chumphon_subdistricts.geojson").write_text(json.dumps(doc), encoding="utf-8")
    fewer, _ = load_geo_cached(geo, cache)
    assert len(fewer) == len(areas) - 1 and first not in list(cache.glob("geo-*.pkl"))
    (second,) = list(cache.glob("geo-*.pkl"))
    second.write_bytes(b"damaged")
    assert load_geo_cached(geo, cache)[0].equals(fewer)
