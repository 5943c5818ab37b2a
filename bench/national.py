"""A seeded national-scale data set, built through the normal ETL: ``bench/national.py``.

What it writes into ``<out>/data`` (a data folder like the project's own: official, geo and seeds
linked read-only from the repository, sample files generated):

* the Chumphon demo (``etl/sample.py``), so every page has the plan, projects and GPP it shows;
* ``*.national.csv`` beside it, in the uniform templates and marked ``provenance = sample``:
  ``--kpis`` more KPIs (N001…, default 500, all monthly, open) linked to the demo plan, with
  five-level criteria and per-province targets for every fiscal year, and **monthly actuals for
  all 77 provinces over ``--years`` fiscal years** (default 10 full years before the current
  one plus its months to date: 77 × 500 × 12 × 10 ≈ 4.6 M values); values of every provincial
  indicator for every one of the 928 districts of the real code list.

Then ``--build`` runs ``etl.build.build`` on it (the same code as ``python -m etl build``) and
prints rows, seconds and rows per second. Deterministic: the same seed gives the same files.

    .venv/bin/python bench/national.py [--out /tmp/sanyan-national] [--kpis 500] [--years 10] [--build]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from components import thai  # noqa: E402  (the repo root is put on sys.path above)
from etl import sample  # noqa: E402  (the repo root is put on sys.path above)
from inputs import datasets as reg  # noqa: E402  (the repo root is put on sys.path above)

SEED = 7770
DEFAULT_OUT = Path("/tmp/sanyan-national")
SOURCE = f"ข้อมูลตัวอย่างระดับประเทศ bench/national.py seed {SEED}"
UNITS = [
    ("ราย", "higher", "sum", 0),
    ("ร้อยละ", "higher", "mean", 1),
    ("ไร่", "higher", "sum", 0),
    ("บาท", "higher", "last", 0),
    ("ครั้ง", "lower", "sum", 0),
    ("ตัน", "higher", "sum", 2),
]
NODES = ["S1.P1", "S1.P2", "S1.P3", "S2.P1", "S2.P2", "S3.P1", "S3.P2"]


def _write(path: Path, name: str, df: pd.DataFrame) -> int:
    """Write `df` as the uniform template of dataset `name` (its columns, in order), marked sample.
    DuckDB writes the CSV: millions of rows in seconds."""
    df = df.assign(provenance="sample", source_ref=SOURCE)
    for k in reg.DATASETS[name].keys:
        if k not in df:
            df[k] = None
    df = df[list(reg.DATASETS[name].keys)]
    con = duckdb.connect()
    con.register("df", df)
    con.execute(f"COPY df TO '{path}' (HEADER, DELIMITER ',')")  # path: our own temp folder
    con.close()
    return len(df)


def generate(
    out: Path, kpis: int = 500, years: int = 10, seed: int = SEED, as_of: date = sample.AS_OF
) -> dict[str, int]:
    """Write the data folder `out`/data; return rows written per file."""
    data = out / "data"
    if data.exists():
        shutil.rmtree(data)
    data.mkdir(parents=True)
    for name in ("official", "geo", "seeds"):
        os.symlink(ROOT / "data" / name, data / name)
    counts = sample.generate(data / "sample", as_of=as_of, data_dir=ROOT / "data")
    rng = np.random.default_rng(seed)
    ref = ROOT / "data" / "official" / "reference"
    provinces = pd.read_csv(ref / "thailand-adm1-provinces-v1.0.0.csv", dtype=str)["tis1099_code"].to_numpy()
    districts = pd.read_csv(ref / "thailand-adm2-districts-v1.0.0.csv", dtype=str)["tis1099_district_code"]
    current = thai.fiscal_year(as_of)
    fys = np.arange(current - years, current + 1)
    done_now = sample._fiscal_months(current, as_of)

    codes = np.array([f"N{i:03d}" for i in range(1, kpis + 1)])
    kind = rng.integers(0, len(UNITS), kpis)
    unit = np.array([UNITS[k][0] for k in kind])
    direction = np.array([UNITS[k][1] for k in kind])
    agg = np.array([UNITS[k][2] for k in kind])
    nd = np.array([UNITS[k][3] for k in kind])
    pct = unit == "ร้อยละ"
    level = np.where(pct, rng.uniform(40, 90, kpis), rng.lognormal(5, 1.2, kpis))
    p = data / "sample"
    n: dict[str, int] = {f"sample/{k}.csv": v for k, v in counts.items()}
    n["kpis.national.csv"] = _write(
        p / "kpis.national.csv",
        "kpis",
        pd.DataFrame(
            {
                "kpi_code": codes,
                "name_th": [f"ตัวชี้วัดระดับประเทศตัวอย่าง {c}" for c in codes],
                "name_en": [f"National sample KPI {c}" for c in codes],
                "definition_th": "ตัวชี้วัดตัวอย่างสำหรับทดสอบขนาดระดับประเทศ รายงานรายเดือนทุกจังหวัด",
                "formula_th": "ค่าที่จังหวัดรายงานในรอบเดือน",
                "unit": unit,
                "direction": direction,
                "frequency": "monthly",
                "aggregation": agg,
                "owner_unit": "ฝ่ายบริหารทั่วไป",
                "importance_tier": rng.integers(1, 4, kpis),
                "indicator_type": np.where(rng.random(kpis) < 0.4, "leading", "lagging"),
                "classification": "open",
            }
        ),
    )
    n["kpi_links.national.csv"] = _write(
        p / "kpi_links.national.csv",
        "kpi_links",
        pd.DataFrame({"kpi_code": codes, "node_code": np.array(NODES)[rng.integers(0, len(NODES), kpis)]}),
    )

    # criteria per KPI and year: steps around the national target (the mean provincial target)
    k_i, y_i = np.meshgrid(np.arange(kpis), np.arange(len(fys)), indexing="ij")
    k_i, y_i = k_i.ravel(), y_i.ravel()
    per_year = np.where(agg == "sum", 12, 1)
    growth = 1 + rng.normal(0.02, 0.01, kpis)
    t3 = np.where(pct[k_i], np.minimum(98, level[k_i] + y_i * 0.3), level[k_i] * per_year[k_i] * growth[k_i] ** y_i)
    higher = direction[k_i] == "higher"
    steps = [
        np.where(pct[k_i], np.clip(t3 + np.where(higher, d, -d), 0, 100), t3 * np.where(higher, f, 2 - f))
        for d, f in ((-10, 0.85), (-5, 0.92), (0, 1.0), (3, 1.05), (6, 1.1))
    ]
    n["kpi_criteria.national.csv"] = _write(
        p / "kpi_criteria.national.csv",
        "kpi_criteria",
        pd.DataFrame(
            {
                "kpi_code": codes[k_i],
                "fiscal_year": fys[y_i],
                **{f"t{i + 1}": np.round(s, 2) for i, s in enumerate(steps)},
            }
        ),
    )

    # targets per KPI, year and province; each province its own size
    size = rng.uniform(0.5, 1.5, len(provinces))
    K, Y, P = (
        a.ravel() for a in np.meshgrid(np.arange(kpis), np.arange(len(fys)), np.arange(len(provinces)), indexing="ij")
    )
    tgt = np.where(pct[K], t3.reshape(kpis, len(fys))[K, Y], t3.reshape(kpis, len(fys))[K, Y] * size[P])
    n["kpi_targets.national.csv"] = _write(
        p / "kpi_targets.national.csv",
        "kpi_targets",
        pd.DataFrame(
            {"kpi_code": codes[K], "fiscal_year": fys[Y], "area_code": provinces[P], "target": np.round(tgt, 2)}
        ),
    )

    # monthly actuals: 12 months of every past year, the months to date of the current one
    months = np.array(thai.FISCAL_MONTHS)
    K, Y, P, M = (
        a.ravel()
        for a in np.meshgrid(
            np.arange(kpis), np.arange(len(fys)), np.arange(len(provinces)), np.arange(12), indexing="ij"
        )
    )
    keep = (fys[Y] < current) | np.isin(months[M], done_now)
    K, Y, P, M = K[keep], Y[keep], P[keep], M[keep]
    base = t3.reshape(kpis, len(fys))[K, Y] / per_year[K]
    base = np.where(pct[K], base, base * size[P])
    perf = rng.normal(1.0, 0.12, len(K)) * rng.uniform(0.85, 1.1, (kpis, len(provinces)))[K, P]
    val = np.where(pct[K], np.clip(base * perf, 0, 100), np.maximum(0, base * perf))
    val = np.where(nd[K] == 0, np.round(val), np.round(val, 2))
    n["kpi_actuals.national.csv"] = _write(
        p / "kpi_actuals.national.csv",
        "kpi_actuals",
        pd.DataFrame(
            {"kpi_code": codes[K], "fiscal_year": fys[Y], "month": months[M], "area_code": provinces[P], "value": val}
        ),
    )

    # every provincial indicator for every district of the country (the demo has Chumphon's)
    # (each indicator around its Chumphon values; percentages stay within 0-100)
    ind = pd.read_csv(p / "indicators.csv", dtype=str)
    demo = pd.read_csv(p / "indicator_values.csv", dtype={"indicator_code": str})
    scale = demo.groupby("indicator_code")["value"].mean().reindex(ind["indicator_code"]).fillna(1).to_numpy()
    inds, is_pct = ind["indicator_code"].to_numpy(), (ind["unit"] == "ร้อยละ").to_numpy()
    others = districts[~districts.str.startswith(sample.PROVINCE)].to_numpy()
    years_i = np.array(list(sample.INDICATOR_YEARS))
    Ii, D, Yi = (
        a.ravel()
        for a in np.meshgrid(np.arange(len(inds)), np.arange(len(others)), np.arange(len(years_i)), indexing="ij")
    )
    v = scale[Ii] * rng.lognormal(0, 0.3, len(Ii))
    v = np.where(is_pct[Ii], np.clip(np.round(v, 2), 0, 100), np.round(v))
    n["indicator_values.national.csv"] = _write(
        p / "indicator_values.national.csv",
        "indicator_values",
        pd.DataFrame({"indicator_code": inds[Ii], "year": years_i[Yi], "area_code": others[D], "value": v}),
    )
    return n


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--kpis", type=int, default=500)
    ap.add_argument("--years", type=int, default=10, help="full fiscal years before the current one")
    ap.add_argument("--build", action="store_true", help="then build the warehouse with etl.build")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    counts = generate(args.out, args.kpis, args.years)
    total = sum(counts.values())
    print(f"generated {total:,} rows in {time.perf_counter() - t0:.1f} s into {args.out / 'data'}")
    for name, rows in counts.items():
        if name.endswith(".national.csv"):
            print(f"  {name:32} {rows:>12,}")
    if args.build:
        from etl.build import build

        os.environ["SANYAN_AREA_SCOPE"] = "kingdom"  # every province's rows (config.py)
        data = args.out / "data"
        t0 = time.perf_counter()
        res = build(
            data_dir=data,
            warehouse=data / "warehouse" / "eis.duckdb",
            ops_url=f"sqlite:///{args.out / 'ops.sqlite'}",
            as_of=sample.AS_OF,
        )
        s = time.perf_counter() - t0
        print(f"built {res.warehouse} ({res.version}): {total:,} input rows in {s:.1f} s = {total / s:,.0f} rows/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
