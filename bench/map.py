"""Benchmark: /map payloads and callback times.

For each level it prints the bytes of the first render's figure (geometry included, sent once
per page), then for layer/year changes the bytes of the update (a dash.Patch: colours, hover
texts, legend names; the year options, the URL and the layer's freshness mark; no geometry) and
the callback's server time (cold: db.py's cache emptied; warm: from the per-snapshot cache)
against the bare DuckDB queries behind it.
Goal from issue 5: an update payload <= 50 KB.

    .venv/bin/python bench/map.py [--runs 20]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

import duckdb
import plotly

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.cockpit import pct  # noqa: E402  (the repo root is put on sys.path above)
from tests.conftest import walk  # noqa: E402  (the repo root is put on sys.path above)


def size(obj) -> int:
    return len(json.dumps(obj, cls=plotly.utils.PlotlyJSONEncoder).encode())


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=20)
    args = ap.parse_args(argv)
    from config import settings

    wh = Path(os.environ.get("SANYAN_WAREHOUSE", settings.warehouse))
    os.environ["SANYAN_WAREHOUSE"] = str(wh)
    from dash._callback_context import context_value
    from dash._utils import AttributeDict

    import app
    import db
    from bench import signed_in_as
    from pages import map as page

    con = duckdb.connect(str(wh), read_only=True)
    q = {
        n: (ROOT / "queries" / "map" / f"{n}.sql").read_text(encoding="utf-8")
        for n in ("shapes", "indicator_values", "kpi_values", "population")
    }
    cases = [  # level, layer, year, the bare queries that produce the values
        (
            "district",
            "ind:I01",
            "2566",
            [
                ("shapes", {"level": "district", "province": "86"}),
                ("indicator_values", {"code": "I01", "year": 2566, "level": "district", "province": "86"}),
            ],
        ),
        (
            "district",
            "status:K05",
            "2569",
            [
                ("shapes", {"level": "district", "province": "86"}),
                ("kpi_values", {"code": "K05", "year": 2569, "province": "86"}),
            ],
        ),
        (
            "subdistrict",
            "population",
            "2564",
            [
                ("shapes", {"level": "subdistrict", "province": "86"}),
                ("population", {"level": "subdistrict", "province": "86", "year": 2564}),
            ],
        ),
        (
            "province",
            "population",
            "2564",
            [
                ("shapes", {"level": "province", "province": "86"}),
                ("population", {"level": "province", "province": "86", "year": 2564}),
            ],
        ),
    ]
    print(f"/map, {args.runs} runs per case, snapshot {wh.name}")
    print(
        f"{'level / layer':34s} {'first KB':>8s} {'update KB':>9s} {'cold p50':>8s} {'cold p95':>8s} "
        f"{'bare p50':>8s} {'warm p50':>8s} {'warm p95':>8s}"
    )
    with app.server.test_request_context("/"):
        signed_in_as("executive")
        for level, layer, year, bare in cases:
            first = page.layout(level=level, layer=layer, year=year)
            fig = next(c for c in walk(first) if getattr(c, "id", None) == "map-graph").figure
            context_value.set(AttributeDict(triggered_inputs=[{"prop_id": "map-layer.value", "value": layer}]))
            out = page._update(level, layer, year, "")
            # the Patch, the year options, the URL and the layer's freshness mark (the map's caption)
            update = size(out[0].to_plotly_json()) + size(out[3]) + len(out[1]) + size(out[6])
            cold, warm, base = [], [], []
            for _ in range(args.runs):
                db.clear_cache()
                t0 = time.perf_counter()
                page._update(level, layer, year, "")
                cold.append((time.perf_counter() - t0) * 1000)
                t0 = time.perf_counter()
                page._update(level, layer, year, "")
                warm.append((time.perf_counter() - t0) * 1000)
                t0 = time.perf_counter()
                for n, params in bare:
                    con.execute(q[n], params).fetchall()
                base.append((time.perf_counter() - t0) * 1000)
            print(
                f"{level + ' / ' + layer:34s} {size(fig) / 1024:8.1f} {update / 1024:9.1f} "
                f"{statistics.median(cold):8.1f} {pct(cold, 95):8.1f} {statistics.median(base):8.1f} "
                f"{statistics.median(warm):8.1f} {pct(warm, 95):8.1f}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
