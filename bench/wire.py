"""Benchmark: bytes over the wire for a page load, as the app itself serves them (``make run`` too).

For each page: the HTML, every script and stylesheet it names, Dash's layout and dependencies and
the page router's callback for the page's URL (what a browser fetches on a first visit), each asked
once with ``Accept-Encoding: identity`` (the baseline: what went before the app compressed) and
once with ``br, gzip`` as Chromium asks. Prints bytes and the ratio per page, and the time the
compression took on the largest response (plotly.js). Since issue 20 the app serves plotly.js's
basic bundle (app.py); *before* adds back what the whole plotly.min.js (plotly.py's copy, the
file served until then) weighs over the basic one on chart pages, uncompressed: the page load as
it was before issue 20.

    .venv/bin/python bench/wire.py [--warehouse PATH]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import signed_in_client  # noqa: E402  (the repo root is put on sys.path above)
from tests.conftest import ORIGIN, router_body  # noqa: E402  (the repo root is put on sys.path above)

PAGES = [("/", True), ("/kpi", True), ("/gpp", False), ("/map", True), ("/quality", True), ("/open/kpi", False)]
CHARTS = ("/gpp", "/map")  # pages that draw Plotly charts: dcc loads plotly.min.js when the first graph draws
PLOTLY = "/_dash-component-suites/plotly/package_data/plotly.min.js"


def fetch(client, path: str, encoding: str, body: dict | None = None) -> tuple[int, str]:
    headers = {"Accept-Encoding": encoding}
    if body is None:
        r = client.get(path, headers=headers)
    else:
        r = client.post(path, json=body, headers={**headers, **ORIGIN})
    data = r.get_data()  # as sent: compressed when the app compressed it
    return len(data), r.headers.get("Content-Encoding", "identity")


def page_bytes(client, path: str, encoding: str) -> tuple[int, dict[str, int]]:
    html = client.get(path, headers={"Accept-Encoding": "identity"}).get_data(as_text=True)
    urls = re.findall(r'<script[^>]+src="([^"]+)"', html) + re.findall(r'<link[^>]+href="([^"]+\.css[^"]*)"', html)
    total, by_encoding = 0, {}
    for url in [path, *urls, "/_dash-layout", "/_dash-dependencies", *([PLOTLY] if path in CHARTS else [])]:
        n, enc = fetch(client, url, encoding)
        total += n
        by_encoding[enc] = by_encoding.get(enc, 0) + 1
    n, enc = fetch(client, "/_dash-update-component", encoding, router_body(path.split("?")[0]))
    total += n
    by_encoding[enc] = by_encoding.get(enc, 0) + 1
    return total, by_encoding


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--warehouse", type=Path, default=None)
    p.add_argument("--json", type=Path, default=None, help="also write the figures there (bench/suite.py reads them)")
    args = p.parse_args()
    app, signed = signed_in_client(args.warehouse, "bench_wire", SANYAN_VIEW_CACHE_MB="0")
    public = app.server.test_client()
    print(f"{'page':<12} {'identity':>12} {'br/gzip':>12} {'ratio':>7}  responses by encoding")
    figures = {}
    for path, internal in PAGES:
        client = signed if internal else public
        raw, _ = page_bytes(client, path, "identity")
        packed, encodings = page_bytes(client, path, "br, gzip")
        print(f"{path:<12} {raw:>12,} {packed:>12,} {packed / raw:>7.2f}  {encodings}")
        figures[path] = {"identity": raw, "packed": packed}
    import brotli
    import plotly

    full = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_bytes()
    basic = fetch(public, PLOTLY, "identity")[0]
    print(f"\n{'page':<12} {'before':>12} {'now':>12} {'ratio':>7}  (before: identity and the whole plotly.min.js)")
    for path, f in figures.items():
        f["before"] = f["identity"] + (len(full) - basic if path in CHARTS else 0)
        print(f"{path:<12} {f['before']:>12,} {f['packed']:>12,} {f['packed'] / f['before']:>7.2f}")
    print(
        f"plotly.js: the whole bundle {len(full):,} bytes ({len(brotli.compress(full, quality=5)):,} br); "
        f"the basic bundle served {basic:,}"
    )
    if args.json:
        import json

        args.json.write_text(json.dumps({"pages": figures, "plotly_full": len(full), "plotly_basic": basic}))
    for enc in ("br", "gzip"):
        t0 = time.perf_counter()
        n, got = fetch(public, PLOTLY, enc)
        took = (time.perf_counter() - t0) * 1000
        raw, _ = fetch(public, PLOTLY, "identity")
        print(f"plotly.js chunk: {raw:,} -> {n:,} bytes ({got}) in {took:.0f} ms")


if __name__ == "__main__":
    main()
