"""Benchmark: a slide change in the presenter (issue 8 goal: ≤ 100 ms in the browser).

Starts the app on the demo warehouse with an agenda of N views, opens the presenter in Debian's
Chromium and, for every slide, waits until the next one has been prefetched and rendered (as it
is while the presenter speaks), then presses → and reads the time from the key press to the
second painted frame after the swap (``window.syPresent.timings``).

Baseline, in the same run: the naive presenter, i.e. loading the same view into the frame on
demand (setting its ``src`` and waiting until the page is rendered). Figures: milliseconds,
median and max, and the ratio baseline / presenter.

    .venv/bin/python bench/slides.py [--rounds 2]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

VIEWS = [
    ("/", "ภาพรวม"),
    ("/kpi/K05?fy=2570", "K05"),
    ("/gpp", "GPP"),
    ("/map", "แผนที่"),
    ("/projects", "โครงการ"),
    ("/indicators", "ฐานข้อมูลจังหวัด"),
    ("/kpi/K11?fy=2570", "K11"),
]
BLANK = """n => { const f = document.querySelector(`iframe[data-slide="${n}"]`);
  return !!(f.contentDocument && !f.contentDocument.querySelector('#shell-footer')); }"""
READY = """n => { const f = document.querySelector(`iframe[data-slide="${n}"]`); const d = f && f.contentDocument;
  return !!(d && d.querySelector('#_pages_content .sy-page') && d.querySelector('#shell-footer')
            && !d.querySelector('[data-dash-is-loading="true"]')); }"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=2)
    rounds = ap.parse_args().rounds
    from playwright.sync_api import sync_playwright

    import ops
    from ops import meeting
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, sign_in, start_app
    from tests.conftest import make_data_dir

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        data = make_data_dir(tmp / "data")
        from etl.build import build
        from tests.conftest import DEMO_AS_OF

        wh = data / "warehouse" / "eis.duckdb"
        build(data_dir=data, warehouse=wh, ops_url=f"sqlite:///{tmp / 'build-ops.sqlite'}", as_of=DEMO_AS_OF)
        (tmp / "app").mkdir()
        server = start_app(wh, tmp / "app")
        app = next(server)
        try:
            eng = ops.engine(f"sqlite:///{tmp / 'app' / 'ops.sqlite'}")
            agenda = meeting.create_agenda(eng, meeting.Actor("bench", "executive"), "bench", date(2026, 11, 30), VIEWS)
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + ["--headless=new"])
                page = browser.new_context(viewport={"width": 1600, "height": 900}).new_page()
                page.set_default_timeout(60_000)
                sign_in(page, app.url, "executive")
                swap, naive = [], []
                for _ in range(rounds):
                    page.goto(f"{app.url}/meeting/present/{agenda}")
                    n = page.evaluate("window.syPresent.slides")
                    page.wait_for_function(READY, arg=1)
                    for i in range(2, n + 1):
                        page.wait_for_function(READY, arg=i)
                        page.wait_for_timeout(300)  # the prefetched page settles (charts drawn)
                        page.keyboard.press("ArrowRight")
                        page.wait_for_function(f"window.syPresent.timings.length === {i - 1}")
                    swap += page.evaluate("window.syPresent.timings")
                    # the naive way: load each view when it is asked for
                    for i in range(1, n + 1):
                        page.evaluate(
                            """n => { const f = document.querySelector(`iframe[data-slide="${n}"]`);
                                               f.dataset.view = f.src; f.src = "about:blank"; }""",
                            i,
                        )
                        page.wait_for_function(BLANK, arg=i)
                        t0 = time.perf_counter()
                        page.evaluate(
                            """n => { const f = document.querySelector(`iframe[data-slide="${n}"]`);
                                               f.src = f.dataset.view; }""",
                            i,
                        )
                        page.wait_for_function(READY, arg=i, polling=10)
                        naive.append((time.perf_counter() - t0) * 1000)
                browser.close()
        finally:
            next(server, None)
    s_med, n_med = statistics.median(swap), statistics.median(naive)
    print(f"slide change, prefetched swap: median {s_med:.1f} ms, max {max(swap):.1f} ms ({len(swap)} changes)")
    print(f"baseline, load on demand:      median {n_med:.1f} ms, max {max(naive):.1f} ms ({len(naive)} loads)")
    print(f"ratio baseline / swap: {n_med / s_med:.1f}×")


if __name__ == "__main__":
    main()
