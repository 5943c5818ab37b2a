"""Benchmark: from an executive's approval to the cockpit serving the new figure (issue 7 goal:
within 5 s, without a restart).

Each run: an editor's figure is submitted and verified (not timed), then the timed part is
``entry.approve_round`` + ``etl.build`` (the refresh) + the first ``db.query`` of the KPI's
district view that returns the new value (the app's snapshot pick-up). Baseline, in the same
run: a plain ``etl build`` of the same data with nothing newly approved. Figures: seconds
(median and max of N runs) and the ratio refresh / plain build.

    .venv/bin/python bench/refresh.py [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import DEMO_AS_OF, make_data_dir  # noqa: E402  (the repo root is put on sys.path above)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    runs = ap.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        data = make_data_dir(tmp / "data")
        wh = data / "warehouse" / "eis.duckdb"
        ops_url = f"sqlite:///{tmp / 'ops.sqlite'}"
        os.environ.update(
            {
                "SANYAN_WAREHOUSE": str(wh),
                "SANYAN_OPS_URL": ops_url,
                "SANYAN_DATA_DIR": str(data),
                "SANYAN_AS_OF": DEMO_AS_OF.isoformat(),
            }
        )
        import db
        import ops
        from etl.build import build
        from ops import entry

        eng = ops.engine(ops_url)
        build()  # the snapshot being served (and the boundary cache)
        editor = entry.Actor("ed", "admin")
        verifier, boss = entry.Actor("ver", "verifier"), entry.Actor("boss", "executive")
        kpi = db.query("entry/kpis").set_index("kpi_code").loc["K01"].to_dict() | {"kpi_code": "K01"}
        refresh, plain = [], []
        for r in range(runs):
            area = f"86{r % 8 + 1:02d}"  # a new figure each run: October 2570, district by district
            value = 100.0 + r
            entry.reopen_round(eng, boss, 2570, 10, "bench") if r else None
            row = entry.save(eng, editor, kpi, 2570, 10, area, str(value), "bench", 0, submit=True, confirmed=True)
            entry.verify(eng, verifier, kpi, row["entry_id"], row["version"], True)
            t0 = time.perf_counter()
            entry.approve_round(eng, boss, 2570, 10)
            build()
            got = db.query("cockpit/kpi_months", kpi="K01", fy=2570, area=area)
            refresh.append(time.perf_counter() - t0)
            assert value in set(got["value_month"]), ("the new figure is not served", got[["month", "value_month"]])
            t0 = time.perf_counter()
            build()
            plain.append(time.perf_counter() - t0)
        med_r, med_p = statistics.median(refresh), statistics.median(plain)
        print(f"approval → cockpit serves the figure, {runs} runs")
        print(f"refresh (approve + build + first query)  median {med_r:.2f} s  max {max(refresh):.2f} s  (goal <= 5 s)")
        print(f"plain build, same data                   median {med_p:.2f} s  max {max(plain):.2f} s")
        print(f"ratio refresh / plain build = {med_r / med_p:.2f}x")


if __name__ == "__main__":
    main()
