"""Issue 29, docs/RULES.md section 13: an incremental build carries the KPI rules' yearly tables of
the fiscal years whose inputs did not change over from the snapshot being served, and computes
the rest; it must give exactly the tables a full build gives (``etl build --full``), table by
table, row by row, to the last bit. Three changes: a figure of the current year (an approval:
one year computed), a figure of an old year (that year and every later one computed: a year's
projection reads the earlier years), and the catalogue (what every year reads: a full build)."""

from __future__ import annotations

import csv

import duckdb
import pytest

from bench import national
from etl import build as eb
from tests.test_build_straight import _tables

HEADER = ["kpi_code", "fiscal_year", "month", "area_code", "value"]


@pytest.fixture
def nat(tmp_path, monkeypatch):
    monkeypatch.setenv("SANYAN_AREA_SCOPE", "kingdom")  # every province's rows (bench/national.py)
    monkeypatch.setenv("SANYAN_CACHE_DIR", str(tmp_path / "cache"))
    national.generate(tmp_path, kpis=6, years=5)
    return tmp_path


def _send(data, name: str, rows) -> None:
    """An office file, as etl load leaves it in the inbox (its name sorts by load time)."""
    inbox = data / "incoming" / "kpi_actuals"
    inbox.mkdir(parents=True, exist_ok=True)
    with open(inbox / name, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([HEADER, *rows])


def _build(tmp, wh, full=False):
    return eb.build(
        data_dir=tmp / "data",
        warehouse=wh,
        ops_url=f"sqlite:///{tmp / 'ops.sqlite'}",
        as_of=national.sample.AS_OF,
        full=full,
    )


def _same(a, b) -> None:
    ta, tb = _tables(a), _tables(b)
    assert sorted(ta) == sorted(tb)
    for name in ta:
        assert ta[name][0] == tb[name][0], f"{name}: columns or types differ"
        assert ta[name][1] == tb[name][1], f"{name}: rows differ between the incremental and the full build"


def test_an_incremental_build_gives_the_full_builds_tables(nat):
    data, wh, full = nat / "data", nat / "served" / "eis.duckdb", nat / "full" / "eis.duckdb"
    first = _build(nat, wh)
    assert first.carried_before is None  # nothing served yet: every year computed
    con = duckdb.connect(str(wh), read_only=True)
    years = [r[0] for r in con.execute("SELECT DISTINCT fiscal_year FROM fct_kpi_status ORDER BY 1").fetchall()]
    con.close()
    current = years[-1]  # the as-of date's fiscal year (2570 for 15 Nov 2026)

    # 1. an approval of this year's first month: only this year computed
    _send(data, "20261201T000000Z_aaaaaaaaaaaa_oct.csv", [["N001", str(current), "10", "10", "12345"]])
    res = _build(nat, wh)
    assert res.carried_before == current
    assert _build(nat, full, full=True).carried_before is None
    _same(wh, full)
    con = duckdb.connect(str(wh), read_only=True)
    got = con.execute(
        "SELECT value_month FROM fct_kpi_status WHERE kpi_code = 'N001' AND fiscal_year = $y AND month = 10 "
        "AND area_code = '10'",
        {"y": current},
    ).fetchall()
    con.close()
    assert got == [(12345.0,)]  # the approved figure is in, not a carried one

    # 2. a figure of an old year: that year and every later one computed
    old = years[-3]
    _send(data, "20261202T000000Z_bbbbbbbbbbbb_old.csv", [["N002", str(old), "3", "11", "777"]])
    assert _build(nat, wh).carried_before == old
    _build(nat, full, full=True)
    _same(wh, full)

    # 3. the catalogue changes (a KPI's name): what every year reads, so a full build
    kpis = data / "sample" / "kpis.national.csv"
    lines = kpis.read_text(encoding="utf-8").splitlines()
    head = next(csv.reader([lines[0]]))
    rows = list(csv.reader(lines[1:]))
    name_col = next(i for i, h in enumerate(head) if h.startswith("name"))
    rows[0][name_col] += " (แก้ไข)"
    with open(kpis, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([head, *rows])
    assert _build(nat, wh).carried_before is None


def test_a_year_not_settled_at_both_as_of_dates_is_computed(tmp_path, monkeypatch):
    """RULES section 13, rule 3, the demo data: fiscal year 2569's last report (September) is due
    on 15 October 2026. A build on 10 October after one on 15 November computes 2569 (not settled
    at the earlier date) and gives the full build's tables; so does the next one on 16 November
    (the earlier of the two dates is still 10 October); the one after, on 17 November, carries
    2569 over."""
    from datetime import date

    from tests.conftest import make_data_dir

    monkeypatch.setenv("SANYAN_CACHE_DIR", str(tmp_path / "cache"))
    data = make_data_dir(tmp_path / "data")
    wh, full = tmp_path / "served" / "eis.duckdb", tmp_path / "full" / "eis.duckdb"

    def run(day, target=wh, **kw):
        return eb.build(
            data_dir=data, warehouse=target, ops_url=f"sqlite:///{tmp_path / 'ops.sqlite'}", as_of=day, **kw
        )

    assert run(date(2026, 11, 15)).carried_before is None
    assert run(date(2026, 10, 10)).carried_before == 2569
    run(date(2026, 10, 10), full, full=True)
    _same(wh, full)
    assert run(date(2026, 11, 16)).carried_before == 2569
    assert run(date(2026, 11, 17)).carried_before == 2570
    run(date(2026, 11, 17), full, full=True)
    _same(wh, full)
