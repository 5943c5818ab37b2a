"""Benchmark: `etl build` of the demo data (official + sample) against a bare baseline.

Baseline, measured in the same run: DuckDB's own `read_csv_auto` of the same tabular files
into tables, plus pandas reading the boundaries' GeoJSON text, with no parsing rules, no
checks and no swap: the floor any loader pays. Figures: wall seconds (median of N runs) and
the ratio build / baseline. Goal from issue 2: build <= 10 s.

    .venv/bin/python bench/etl_build.py [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from etl.build import build, input_files  # noqa: E402  (the repo root is put on sys.path above)
from tests.conftest import make_data_dir  # noqa: E402  (the repo root is put on sys.path above)


def bare_baseline(data: Path, out: Path) -> float:
    t0 = time.perf_counter()
    con = duckdb.connect(str(out))
    files = [f.path for f in input_files(data)]
    files += sorted((data / "official").rglob("*.csv"))
    for i, f in enumerate(files):
        con.execute(f"CREATE TABLE t{i} AS SELECT * FROM read_csv_auto($p, all_varchar=true)", {"p": str(f)})
    for i, g in enumerate(sorted((data / "geo").glob("*.geojson"))):
        con.execute(f"CREATE TABLE g{i} AS SELECT * FROM read_json_auto($p)", {"p": str(g)})
    con.close()
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    runs = ap.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        data = make_data_dir(tmp / "data")
        builds, bases, phases = [], [], {}
        for r in range(runs):
            marks = []
            t0 = time.perf_counter()
            res = build(
                data_dir=data,
                warehouse=data / "warehouse" / "eis.duckdb",
                ops_url=f"sqlite:///{tmp / 'ops.sqlite'}",
                progress=lambda m, marks=marks: marks.append((m, time.perf_counter())),
            )
            end = time.perf_counter()
            builds.append(end - t0)
            for (m, t), nxt in zip(marks, [t for _, t in marks[1:]] + [end]):
                phases.setdefault(m, []).append(nxt - t)
            bases.append(bare_baseline(data, tmp / f"bare{r}.duckdb"))
        rows = sum(res.tables.values())
        b, base = statistics.median(builds), statistics.median(bases)
        print(f"etl build (demo data, {rows:,} rows in {len(res.tables)} tables), median of {runs} runs")
        for m, ts in phases.items():
            print(f"  {m:<45} {statistics.median(ts):7.3f} s")
        print(f"build            {b:7.3f} s   (goal <= 10 s)")
        print(f"bare DuckDB load {base:7.3f} s   (read_csv_auto/read_json_auto of the same files)")
        print(f"ratio build / bare = {b / base:.2f}x")


if __name__ == "__main__":
    main()
