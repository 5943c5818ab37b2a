"""Issue 20: a big clean CSV goes from the file straight into the build's DuckDB table
(inputs.parsing.parse_file(into=...)), never a pandas frame, and the rows of every file are
superseded in SQL (etl.build.supersede). The snapshot must be the same, table by table and row by
row, as when every file goes through pandas: the demo data, plus two office files that replace
sample rows and each other."""

from __future__ import annotations

import csv

import duckdb

from etl import sample
from etl.build import build
from inputs import parsing
from tests.conftest import make_data_dir

# what differs between two builds of the same inputs: when, and so the version
VOLATILE = {"meta_snapshot": ("version", "built_at", "build_seconds"), "meta_dataset": ("last_loaded",)}


def _write(path, header, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, *rows])


def _tables(path) -> dict[str, tuple[list, list]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        out = {}
        for (name,) in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall():
            cols = [
                (c, t)
                for c, t in con.execute(
                    "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = $t ORDER BY column_index",
                    {"t": name},
                ).fetchall()
                if c not in VOLATILE.get(name, ())
            ]
            sel = ", ".join(f'CAST("{c}" AS VARCHAR)' for c, _t in cols)  # names from the snapshot's catalogue
            out[name] = (cols, con.execute(f'SELECT {sel} FROM "{name}" ORDER BY ALL').fetchall())
        return out
    finally:
        con.close()


def test_files_straight_into_duckdb_build_the_snapshot_that_pandas_does(tmp_path, monkeypatch):
    monkeypatch.setenv("SANYAN_CACHE_DIR", str(tmp_path / "cache"))  # no parse kept by another test
    data = make_data_dir(tmp_path / "data")
    inbox = data / "incoming" / "kpi_actuals"
    header = ["kpi_code", "fiscal_year", "month", "area_code", "value"]
    _write(inbox / "20261101T000000Z_aaaaaaaaaaaa_oct.csv", header, [["K01", "2570", "10", "8601", "9"]])
    _write(
        inbox / "20261102T000000Z_bbbbbbbbbbbb_oct-fixed.csv",
        header,
        [["K01", "2570", "10", "8601", "11"], ["K01", "2570", "10", "8602", "3"]],
    )
    straight: list[str] = []
    real = parsing.parse_file

    def recording(*args, **kwargs):
        res = real(*args, **kwargs)
        if res.table:
            straight.append(res.file)
        return res

    monkeypatch.setattr("etl.build.parse_file", recording)
    built = {}
    for how, threshold in (("straight", 0), ("pandas", 1 << 62)):
        monkeypatch.setattr(parsing, "FAST_MIN_BYTES", threshold)
        wh = tmp_path / how / "eis.duckdb"
        res = build(data_dir=data, warehouse=wh, ops_url=f"sqlite:///{tmp_path / how}.sqlite", as_of=sample.AS_OF)
        built[how] = (res.superseded, _tables(wh))
        if how == "straight":
            # every clean CSV that no dataset rule keeps row by row went straight (the national path)
            assert "kpi_actuals.csv" in straight and "20261102T000000Z_bbbbbbbbbbbb_oct-fixed.csv" in straight
            n_straight = len(straight)
    assert n_straight == len(straight)  # the pandas build sent none straight
    (s_sup, s_tables), (p_sup, p_tables) = built["straight"], built["pandas"]
    assert s_sup == p_sup and s_sup.get("kpi_actuals", 0) >= 2  # sample rows and the earlier office file
    assert sorted(s_tables) == sorted(p_tables)
    for name in p_tables:
        assert s_tables[name][0] == p_tables[name][0], f"{name}: columns or types differ"
        assert s_tables[name][1] == p_tables[name][1], f"{name}: rows differ"
    con = duckdb.connect(str(tmp_path / "straight" / "eis.duckdb"), read_only=True)
    got = con.execute(
        "SELECT area_code, value, provenance FROM fct_kpi_actual WHERE kpi_code = 'K01' AND fiscal_year = 2570 "
        "AND month = 10 AND area_code IN ('8601', '8602') ORDER BY 1"
    ).fetchall()
    con.close()
    assert got == [("8601", 11.0, "entered"), ("8602", 3.0, "entered")]


def test_supersede_keeps_one_row_per_grain_by_origin_file_and_line_and_replaces_a_whole_scope():
    """etl.build.supersede on hand-made parts: the web's figure (entry) beats an office file,
    which beats the sample; between two office files the later name wins, and within the same
    rank the later part; a dataset with a replace_scope loses every sample row of a scope that an
    office file sends (a missing value in the scope matches a missing one). Rows keep the parts'
    order."""
    import pandas as pd

    from etl.build import supersede
    from inputs import datasets as reg

    con = duckdb.connect()
    kpi = reg.DATASETS["kpi_actuals"]

    def part(table, rows):
        frame = pd.DataFrame(rows, columns=["kpi_code", "area_code", "value"]).astype({"value": "Float64"})
        con.register("_f", frame)
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM _f")
        con.unregister("_f")

    part("p0", [("K1", "86", 1.0), ("K2", "86", 2.0), ("K3", "86", 3.0)])  # sample
    part("p1", [("K1", "86", 10.0), ("K2", "86", 20.0)])  # an office file
    part("p2", [("K1", "86", 100.0)])  # a later office file
    part("p3", [("K2", "86", 200.0)])  # a figure approved on the web
    grain_kpi = type(kpi)(**{**kpi.__dict__, "grain": ("kpi_code", "area_code")})
    parts = [
        ("p3", "entry/entries.csv", "entry"),
        ("p0", "sample/kpi_actuals.csv", "sample"),
        ("p2", "incoming/20261102T000000Z_b_x.csv", "incoming"),
        ("p1", "incoming/20261101T000000Z_a_x.csv", "incoming"),
    ]
    assert supersede(con, "k", grain_kpi, parts) == 4  # 7 rows in, 3 kept
    got = con.execute("SELECT kpi_code, value, _origin FROM raw_k").fetchall()
    assert got == [("K2", 200.0, "entry"), ("K3", 3.0, "sample"), ("K1", 100.0, "incoming")]  # the parts' order

    gpp = reg.DATASETS["gpp_sector"]
    scope = gpp.extra["replace_scope"]
    cols = [*scope, "sector_code"]
    for table, rows in (
        ("g0", [("86", "A", "e1", "s1"), ("86", "A", "e1", "s2"), ("86", "B", "e1", "s1"), ("86", None, "e1", "s9")]),
        ("g1", [("86", "A", "e1", "s1"), ("86", None, "e1", "s1")]),
    ):
        con.register("_f", pd.DataFrame(rows, columns=cols))
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM _f")
        con.unregister("_f")
    grain_gpp = type(gpp)(**{**gpp.__dict__, "grain": tuple(cols)})
    replaced = supersede(
        con, "g", grain_gpp, [("g0", "sample/g.csv", "sample"), ("g1", "incoming/1_g.csv", "incoming")]
    )
    rows = con.execute("SELECT classification, sector_code, _origin FROM raw_g ORDER BY ALL").fetchall()
    # scope (86, A, e1) and (86, NULL, e1) came in: their sample sectors s2 and s9 go too; B stays
    assert rows == [("A", "s1", "incoming"), ("B", "s1", "sample"), (None, "s1", "incoming")] and replaced == 3
