"""Benchmark: from an executive's approval to the cockpit serving the new figure (issue 7 goal:
within 5 s, without a restart).

Each run: an editor's figure is submitted and verified (not timed), then the timed part is
``entry.approve_round`` + ``etl.build`` (the refresh) + the first ``db.query`` of the KPI's
district view that returns the new value (the app's snapshot pick-up). Baseline, in the same
run: a full ``etl build --full`` of the same data (every fiscal year computed; the refresh carries
the unchanged years over, docs/RULES.md section 13). Figures: seconds (median and max of N runs)
and the ratio refresh / full build.

With ``--data`` (bench/suite.py: the national data set) the same on that data folder and its
snapshot: the approval at national scale until visible (issue 29's goal: within 5 s).

    .venv/bin/python bench/refresh.py [--runs 3] [--data DIR] [--json FILE]
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

from bench import BuildPhases  # noqa: E402  (the repo root is put on sys.path above)
from tests.conftest import DEMO_AS_OF, make_data_dir  # noqa: E402  (the repo root is put on sys.path above)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument(
        "--data",
        type=Path,
        default=None,
        help="a data folder with its snapshot already built (bench/national.py's); default: the demo's, made here",
    )
    ap.add_argument("--json", type=Path, default=None, help="also write the figures there (bench/suite.py reads them)")
    args = ap.parse_args()
    runs = args.runs
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        data = args.data or make_data_dir(tmp / "data")
        wh = data / "warehouse" / "eis.duckdb"
        if args.data:
            os.environ["SANYAN_AREA_SCOPE"] = "kingdom"  # bench/national.py's data: every province
        ops_url = f"sqlite:///{tmp / 'ops.sqlite'}"
        os.environ.update(
            {
                "SANYAN_WAREHOUSE": str(wh),
                "SANYAN_OPS_URL": ops_url,
                "SANYAN_DATA_DIR": str(data),
                "SANYAN_AS_OF": DEMO_AS_OF.isoformat(),
                # as served: the build makes the views' answers before the swap (tests/conftest.py,
                # imported above, turns that off for the tests)
                "SANYAN_PRERENDER": "1",
            }
        )
        import db
        import ops
        from etl.build import build
        from ops import entry

        eng = ops.engine(ops_url)
        if not (args.data and wh.is_file()):
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
            with BuildPhases() as ph:
                res = build(progress=ph.step)
            got = db.query("cockpit/kpi_months", kpi="K01", fy=2570, area=area)
            refresh.append(time.perf_counter() - t0)
            phases, carried = ph.top(10), res.carried_before
            print("the refresh's build: " + ", ".join(f"{k} {v:.1f} s" for k, v in phases))
            assert value in set(got["value_month"]), ("the new figure is not served", got[["month", "value_month"]])
            t0 = time.perf_counter()
            build(full=True)  # every fiscal year computed, none carried over (RULES section 13)
            plain.append(time.perf_counter() - t0)
        med_r, med_p = statistics.median(refresh), statistics.median(plain)
        print(f"approval → cockpit serves the figure, {runs} runs")
        print(f"refresh (approve + build + first query)  median {med_r:.2f} s  max {max(refresh):.2f} s  (goal <= 5 s)")
        print(f"full build (--full), same data           median {med_p:.2f} s  max {max(plain):.2f} s")
        print(f"ratio refresh / full build = {med_r / med_p:.2f}x")
        if args.json:
            import json

            args.json.write_text(
                json.dumps(
                    {
                        "refresh_s": refresh,
                        "plain_s": plain,
                        "data": str(data),
                        "phases": phases,
                        "carried_before": carried,
                    }
                )
            )


if __name__ == "__main__":
    main()
