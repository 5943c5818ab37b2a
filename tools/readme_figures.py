"""The figures the README quotes, made by this script so that they cannot go stale (``make
readme-figures``). Every figure in README.md sits between markers:

* ``<!--fig:NAME-->value<!--/fig-->`` inline (a table cell, a sentence);
* ``<!--fig-block:NAME-->`` … ``<!--/fig-block-->`` around a whole fenced block (a console).

``python tools/readme_figures.py`` measures and rewrites them; ``--check`` says which differ and
exits 1 (``tests/test_readme_figures.py`` runs the counts; timings are measured here only, they
differ by machine). Counts come from the demo warehouse as it is served (the open-data API as the
public reads it, the catalogue tables); the build's time and size from a build of ``data/`` into
a temporary folder, which is what ``make run`` does on a fresh clone and what an approval does.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
README = ROOT / "README.md"

INLINE = re.compile(r"<!--fig:(?P<name>[\w.-]+)-->(?P<value>.*?)<!--/fig-->")
BLOCK = re.compile(r"<!--fig-block:(?P<name>[\w.-]+)-->\n(?P<body>.*?)<!--/fig-block-->", re.S)
API_DATASETS = ("kpis", "kpi_results", "indicators", "indicator_values", "population", "gpp_totals", "gpp_sectors")

MAKE_RUN = """```
ติดตั้งไลบรารี / installing the requirements (details: .venv/install.log) ...

สร้างคลังข้อมูลสำเร็จ / built snapshot <version> ใน / in {seconds:.1f} s
{tables} ตาราง / tables, {rows:,} แถว / rows, ผ่านการตรวจสอบทุกข้อ / every check passed
รายละเอียด / details: data/warehouse/build.log

==============================================================================
สัญญาณ Sanyan: ยังไม่มีผู้ดูแลระบบ เปิดที่อยู่นี้ในเบราว์เซอร์บนเครื่องนี้เพื่อสร้างผู้ดูแลระบบคนแรก
(ใช้ได้ครั้งเดียว ภายใน 24 ชั่วโมง ที่อยู่ที่พิมพ์ก่อนหน้านี้ใช้ไม่ได้อีก)
No admin yet: open this address in a browser on this machine to create the first admin
(single use, within 24 hours; any address printed before is void):

    http://127.0.0.1:8050/setup?token=<43 random characters, new every start>
==============================================================================

สัญญาณ Sanyan พร้อมแล้ว เปิด / ready, open:  http://127.0.0.1:8050/   (Ctrl+C หยุด / stops)
```
"""


def counts() -> dict[str, str]:
    """The counts, from the served demo warehouse: the API's datasets as the public reads them,
    the provincial database's catalogue."""
    import duckdb

    from config import settings

    out = {}
    from app import server  # the API exactly as it answers (classification applied)

    with server.test_client() as client:
        listed = {d["name"]: d for d in client.get("/api/v1/datasets").get_json()["results"]}
    for name in API_DATASETS:
        out[f"api.{name}"] = f"{listed[name]['num_rows']:,}"
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    try:
        one = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
        out["indicators.groups"] = f"{one('SELECT count(*) FROM dim_topic_group'):,}"
        out["indicators.groups_used"] = f"{one('SELECT count(DISTINCT group_code) FROM dim_indicator'):,}"
        out["indicators.count"] = f"{one('SELECT count(*) FROM dim_indicator'):,}"
        official = one("SELECT count(*) FROM dim_indicator WHERE provenance = 'official'")
        out["indicators.official"] = f"{official:,}"
    finally:
        con.close()
    return out


def timings() -> dict[str, str]:
    """A build of data/ into a temporary folder, as make run's first build and an approval do."""
    from etl.build import build

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        result = build(warehouse=Path(tmp) / "eis.duckdb", ops_url=f"sqlite:///{Path(tmp) / 'ops.sqlite'}")
        seconds = time.perf_counter() - t0
    return {
        "build.seconds": f"{seconds:.1f}",
        "block:make-run": MAKE_RUN.format(
            seconds=result.seconds, tables=len(result.tables), rows=sum(result.tables.values())
        ),
    }


def rewrite(text: str, figures: dict[str, str]) -> tuple[str, list[str]]:
    """The README with its markers filled from ``figures``; the names whose value changed."""
    changed = []

    def inline(m):
        new = figures.get(m["name"])
        if new is None:
            return m[0]
        if new != m["value"]:
            changed.append(f"{m['name']}: {m['value']} -> {new}")
        return f"<!--fig:{m['name']}-->{new}<!--/fig-->"

    def block(m):
        new = figures.get(f"block:{m['name']}")
        if new is None:
            return m[0]
        if new != m["body"]:
            changed.append(f"block {m['name']}")
        return f"<!--fig-block:{m['name']}-->\n{new}<!--/fig-block-->"

    return BLOCK.sub(block, INLINE.sub(inline, text)), changed


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--check", action="store_true", help="say which figures differ, change nothing; exit 1 if any")
    p.add_argument("--counts-only", action="store_true", help="the counts, no build (fast)")
    args = p.parse_args(argv)
    figures = counts()
    if not args.counts_only:
        figures |= timings()
    text = README.read_text(encoding="utf-8")
    missing = [n for n in figures if not n.startswith("block:") and f"<!--fig:{n}-->" not in text]
    new, changed = rewrite(text, figures)
    for line in changed:
        print(line)
    if missing:
        print("not quoted in README.md:", ", ".join(missing))
    if args.check:
        return 1 if changed else 0
    README.write_text(new, encoding="utf-8")
    print(f"README.md: {len(changed)} figure(s) updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
