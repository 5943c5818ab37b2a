"""Benchmark: each page's main callback, server side, against the bare DuckDB queries and a naive app.

The main callback of a page is Dash's page router (``_pages_location`` → the page's layout with
the URL's filters) and, on /map, the layer/year callback. Each is POSTed to
``/_dash-update-component`` through the Flask test client as a signed-in executive, so the
figure includes access checks, the classification filter, the components and Dash's JSON.
Three states of the caches: **cold** (db.py's query results and web/viewcache.py's answers emptied
before each call: the first reader after a new snapshot), **rebuilt** (queries answered from
db.py's cache, the view built again: another reader kind or language) and **cached** (the same
view asked again: web/viewcache.py's answer).

Baselines, measured in the same run on the same snapshot:
* **bare query**: the named queries the callback ran (recorded while it ran, same parameters),
  executed on a plain DuckDB connection and fetched: the floor.
* **naive**: what a Dash app without a warehouse does per callback: the fact table loaded into
  pandas once at start, then per call boolean-mask filters, a groupby or merge and
  ``to_dict("records")``. Only the data step is timed (no components, no JSON), which flatters it.

Goals (issue 10): p95 ≤ 50 ms and ≤ 2× the bare queries; ≥ 10× faster than the naive app.
The cold figure is the worst case and is judged too.

Then two ways a worker meets a new snapshot: **warmed** (the worker's own warming, issue 20) and
**made by the build** (issue 29: prerender.py's answers, run here once as the build runs it;
for each view and run every cache emptied, the answers taken as a worker takes them, the view
asked once, "first", and again at once, "cached"; each view is the first of its snapshot).
Issue 29's goal: first ≤ 1.2× cached and ≤ 2× bare, every view.

    .venv/bin/python bench/callbacks.py [--warehouse PATH] [--runs 30]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import make_views, signed_in_client  # noqa: E402  (the repo root is put on sys.path above)
from tests.conftest import router_body  # noqa: E402  (the repo root is put on sys.path above)


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def made_ahead(wh: Path, views, call, results: list[dict], runs: int) -> None:
    """Issue 29: the first reader after a new snapshot when the build made the answers
    (prerender.py, run here once in its own process as the build runs it): for each view and
    run, every cache emptied, the answers taken as a worker takes them on finding the snapshot
    (viewcache.load, no warming), then the view asked once (first) and again at once (cached).
    Each view is the first of its snapshot, whoever the reader: the strictest case."""
    import tempfile

    import db
    from web import viewcache

    with tempfile.TemporaryDirectory() as tmp:
        made = Path(tmp) / "eis.duckdb.views"
        making = make_views(wh, made)
        first: dict[str, list[float]] = {label: [] for label, _b, _n in views}
        again: dict[str, list[float]] = {label: [] for label, _b, _n in views}
        taken = 0
        for _ in range(runs):
            for label, body, _naive in views:
                db.clear_cache()
                viewcache.clear()
                taken = viewcache.load(made, db.snapshot_version())
                first[label].append(call(body))
                again[label].append(call(body))
    print(
        f"\nmade by the build ({taken} answers, {making:.1f} s in its own process): each view the first of its "
        f"snapshot ({runs} runs), ms"
    )
    print(f"{'view':36} {'first p95':>9} {'cached p95':>10} {'bare p95':>8} {'1st/cch':>8} {'1st/bare':>8}")
    for row in results:
        f, c = first[row["view"]], again[row["view"]]
        row["ahead_p50"], row["ahead_p95"], row["again_p95"] = pct(f, 50), pct(f, 95), pct(c, 95)
        row["ahead_taken"], row["ahead_making_s"] = taken, making
        print(
            f"{row['view'][:36]:36} {row['ahead_p95'] * 1000:9.1f} {row['again_p95'] * 1000:10.1f} "
            f"{row['bare_p95'] * 1000:8.1f} {row['ahead_p95'] / row['again_p95']:8.2f} "
            f"{row['ahead_p95'] / row['bare_p95']:8.2f}"
        )


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--warehouse", type=Path, default=None)
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--warm-runs", type=int, default=8, help="new snapshots simulated for the warmed column")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures there (bench/suite.py reads them)")
    args = ap.parse_args(argv)

    from config import settings

    wh = args.warehouse or settings.warehouse
    # warming is timed below, on purpose, never in the cold column's back
    app, client = signed_in_client(wh, "bench_exec", SANYAN_WARM_VIEWS="0")
    import db
    from web import viewcache

    client.get("/_dash-dependencies")

    con = duckdb.connect(str(wh), read_only=True)
    area = settings.province
    fy, idx = con.execute(
        """SELECT fiscal_year, max(fiscal_idx) FROM fct_kpi_status WHERE n_reports > 0
                             AND area_code = $a GROUP BY 1 ORDER BY 1 DESC LIMIT 1""",
        {"a": area},
    ).fetchone()
    # the KPI the overview lists first among the red ones at the province's round (what a reader
    # clicks; web/viewcache.py's follow-ups, the same query), else the lowest score at the latest month
    with app.server.test_request_context("/"):
        details = viewcache._follow_ups()["details"]
    red = (
        details[0][0].rsplit("/", 1)[1]
        if details
        else con.execute(
            """SELECT kpi_code FROM fct_kpi_status WHERE fiscal_year = $fy AND fiscal_idx = $i
                             AND area_code = $a ORDER BY score NULLS LAST LIMIT 1""",
            {"fy": fy, "i": idx, "a": area},
        ).fetchone()[0]
    )
    district = con.execute(
        "SELECT min(area_code) FROM dim_area WHERE area_level = 'district' AND province_code = $p", {"p": area}
    ).fetchone()[0]
    # a layer the district map offers (its own query, pages/map.py), at its latest year
    offered = con.execute(db.sql_text("map/indicators"), {"level": "district", "province": area})
    first = dict(zip([d[0] for d in offered.description], offered.fetchone(), strict=True))
    ind, ind_year = first["indicator_code"], max(first["years"])
    sizes = {
        t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # names: fixed below
        for t in ("fct_kpi_actual", "fct_kpi_status", "fct_indicator_value", "dim_kpi")
    }

    # the naive app's frames, loaded once as it would at start
    t0 = time.perf_counter()
    status = con.execute("SELECT * FROM fct_kpi_status").df()
    kpis = con.execute("SELECT * FROM dim_kpi").df()
    values = con.execute("SELECT * FROM fct_indicator_value").df()
    areas = con.execute("SELECT * FROM dim_area").df()
    gpp = con.execute("SELECT * FROM fct_gpp").df()
    naive_load = time.perf_counter() - t0

    def naive_overview():
        s = status[(status.fiscal_year == fy) & (status.fiscal_idx == idx) & (status.area_code == area)]
        return kpis.merge(s, on="kpi_code", how="left").to_dict("records")

    def naive_detail():
        s = status[(status.kpi_code == red) & (status.area_code == area)]
        last = s.loc[s.groupby("fiscal_year")["fiscal_idx"].idxmax()]
        return last.to_dict("records")

    def naive_district():
        s = status[(status.area_code == district) & (status.fiscal_year == fy)]
        return s.loc[s.groupby("kpi_code")["fiscal_idx"].idxmax()].merge(kpis, on="kpi_code").to_dict("records")

    def naive_map():
        v = values[(values.indicator_code == ind) & (values.year_be == ind_year)]
        shapes = areas[(areas.area_level == "district") & (areas.province_code == area)]
        return shapes.merge(v, on="area_code", how="left").to_dict("records")

    def naive_gpp():
        g = gpp[gpp.province_code == area]
        return (
            g.pivot_table(index="year_be", columns="sector_code", values="value_million_baht", aggfunc="sum")
            .reset_index()
            .to_dict("records")
        )

    views = [  # label, request body, naive equivalent (None: no naive counterpart)
        ("overview /", router_body("/"), naive_overview),
        ("hierarchy /kpi", router_body("/kpi"), naive_overview),
        ("hierarchy /kpi?tier=1&type=lagging", router_body("/kpi", "?tier=1&type=lagging"), naive_overview),
        (f"detail /kpi/{red}", router_body(f"/kpi/{red}"), naive_detail),
        ("projects /projects", router_body("/projects"), None),
        (f"district /district/{district}", router_body(f"/district/{district}"), naive_district),
        ("gpp /gpp", router_body("/gpp"), naive_gpp),
        ("map /map (page)", router_body("/map"), None),
        (f"map layer ind:{ind} {ind_year}", viewcache.map_body(f"ind:{ind}", str(ind_year)), naive_map),
        ("indicators /indicators", router_body("/indicators"), None),
        ("open /open/kpi", router_body("/open/kpi"), None),
    ]

    real_query = db._query
    recorded: list[tuple[str, dict]] = []

    def recording(name, **params):
        recorded.append((name, params))
        return real_query(name, **params)

    def call(body) -> float:
        t = time.perf_counter()
        r = client.post("/_dash-update-component", json=body, headers={"Origin": "http://localhost"})
        d = time.perf_counter() - t
        if r.status_code != 200:
            raise SystemExit(f"{body['outputs']}: HTTP {r.status_code}")
        return d

    def bare(queries) -> float:
        t = time.perf_counter()
        for name, params in queries:
            (con.execute(db.sql_text(name), params) if params else con.execute(db.sql_text(name))).fetchnumpy()
        return time.perf_counter() - t

    print(
        f"warehouse {wh}: {sizes['fct_kpi_actual']:,} KPI values, {sizes['fct_kpi_status']:,} status rows, "
        f"{sizes['dim_kpi']:,} KPIs, {sizes['fct_indicator_value']:,} indicator values"
    )
    print(
        f"view: FY {fy} round {idx}, area {area}, red KPI {red}, district {district}; {args.runs} runs each; "
        f"naive app's start-up load {naive_load:.2f} s"
    )
    print("milliseconds; p95/bare = cold p95 / bare p95; naive/x = naive p50 / x p50")
    head = (
        f"{'view':36} {'cold p50':>8} {'cold p95':>8} {'rebuilt':>8} {'cached':>8} {'cch p95':>8} "
        f"{'bare p50':>8} {'bare p95':>8} {'p95/bare':>8} {'naive':>8} {'nv/cold':>7} {'nv/cch':>7}"
    )
    print(head)
    print("-" * len(head))
    results = []
    for label, body, naive in views:
        db._query = recording
        recorded.clear()
        db.clear_cache()
        viewcache.clear()
        call(body)
        db._query = real_query
        queries = list({(n, tuple(sorted(p.items()))): (n, p) for n, p in recorded}.values())
        cold, rebuilt, warm, floor, nv = [], [], [], [], []
        for _ in range(args.runs):
            db.clear_cache()
            viewcache.clear()
            cold.append(call(body))
            viewcache.clear()
            rebuilt.append(call(body))
            warm.append(call(body))
            floor.append(bare(queries))
            if naive:
                t = time.perf_counter()
                naive()
                nv.append(time.perf_counter() - t)
        row = {
            "view": label,
            "cold_p50": pct(cold, 50),
            "cold_p95": pct(cold, 95),
            "rebuilt_p50": pct(rebuilt, 50),
            "warm_p50": pct(warm, 50),
            "warm_p95": pct(warm, 95),
            "bare_p50": pct(floor, 50),
            "bare_p95": pct(floor, 95),
            "naive_p50": pct(nv, 50) if nv else None,
        }
        results.append(row)

        def ms(x):
            return f"{x * 1000:8.1f}" if x is not None else f"{'—':>8}"

        print(
            f"{label[:36]:36} {ms(row['cold_p50'])} {ms(row['cold_p95'])} {ms(row['rebuilt_p50'])} "
            f"{ms(row['warm_p50'])} {ms(row['warm_p95'])} {ms(row['bare_p50'])} {ms(row['bare_p95'])} "
            f"{row['cold_p95'] / row['bare_p95']:8.1f} {ms(row['naive_p50'])} "
            + (
                f"{row['naive_p50'] / row['cold_p50']:7.1f} {row['naive_p50'] / row['warm_p50']:7.1f}"
                if nv
                else f"{'—':>7} {'—':>7}"
            )
        )

    # The first reader after a new snapshot when the worker has warmed it (web/viewcache.warm, what
    # db.on_new_snapshot starts in a thread): every cache emptied, the warming run, then each view
    # asked once. Views that are not kept (a KPI's own page) still pay their queries here.
    warmed: dict[str, list[float]] = {label: [] for label, _b, _n in views}
    warm_s = []
    for _ in range(args.warm_runs):
        db.clear_cache()
        viewcache.clear()
        t = time.perf_counter()
        viewcache.warm(app.server)
        warm_s.append(time.perf_counter() - t)
        for label, body, _naive in views:
            warmed[label].append(call(body))
    print(
        f"\nafter warming ({args.warm_runs} new snapshots; warming took p50 {statistics.median(warm_s):.1f} s): "
        "the first answer of each view, ms"
    )
    print(f"{'view':36} {'p50':>8} {'p95':>8} {'bare p95':>8} {'p95/bare':>8}  goal ≤ 2× bare")
    for row in results:
        w = warmed[row["view"]]
        row["warmed_p50"], row["warmed_p95"] = pct(w, 50), pct(w, 95)
        print(
            f"{row['view'][:36]:36} {row['warmed_p50'] * 1000:8.1f} {row['warmed_p95'] * 1000:8.1f} "
            f"{row['bare_p95'] * 1000:8.1f} {row['warmed_p95'] / row['bare_p95']:8.2f}  "
            f"{'met' if row['warmed_p95'] <= 2 * row['bare_p95'] else 'NOT met'}"
        )
    made_ahead(wh, views, call, results, args.warm_runs)
    if args.json:
        import json

        args.json.write_text(json.dumps({"views": results, "warming_s": statistics.median(warm_s)}))

    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT met"

    worst, worst_warm = max(r["cold_p95"] for r in results), max(r["warm_p95"] for r in results)
    ratio = statistics.median(r["cold_p95"] / r["bare_p95"] for r in results)
    print(
        f"\nworst p95: cold {worst * 1000:.1f} ms ({verdict(worst <= 0.05)}), cached {worst_warm * 1000:.1f} ms "
        f"({verdict(worst_warm <= 0.05)}) - goal ≤ 50 ms"
    )
    print(
        f"median cold p95 / bare p95: {ratio:.1f}× (goal ≤ 2×: {verdict(ratio <= 2)}); views within 2×: "
        f"{sum(r['cold_p95'] <= 2 * r['bare_p95'] for r in results)} of {len(results)}"
    )
    nr = [r for r in results if r["naive_p50"]]
    cold_x = statistics.median(r["naive_p50"] / r["cold_p50"] for r in nr)
    warm_x = statistics.median(r["naive_p50"] / r["warm_p50"] for r in nr)
    print(
        f"naive app / Sanyan, median over {len(nr)} views: cold {cold_x:.1f}× ({verdict(cold_x >= 10)}), "
        f"cached {warm_x:.1f}× ({verdict(warm_x >= 10)}) - goal ≥ 10×"
    )
    print(f"view cache: {viewcache.stats['hits']} hits, {viewcache.stats['misses']} misses")
    return 0


if __name__ == "__main__":
    sys.exit(main())
