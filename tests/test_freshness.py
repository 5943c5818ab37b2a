"""Freshness marks (docs/RULES.md section 7): every tile and chart says what is judged and how
recent it is, with an icon and a word (never colour alone). Units of components.freshness; then
warehouses built by the real ETL at several as-of days against the rules' text re-computed in plain
Python (tests/reference_rules.py's points, data/seeds/release_calendar.csv read here); then the
pages rendered on the server."""

from __future__ import annotations

import csv
import json
import os
import shutil
from collections import namedtuple
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from components import freshness as fr
from tests.conftest import DEMO_AS_OF, ROOT, make_data_dir, walk
from tests.reference_rules import compute, month_of, period_end, reporting_months
from tests.test_etl_build import write_csv

HEADER = ["kpi_code", "fiscal_year", "month", "area_code", "value"]

KPI = {
    "dataset": "kpi",
    "item_code": "K01",
    "frequency": "monthly",
    "latest_year": 2570,
    "latest_month": 10,
    "periods_behind": 0,
    "freshness": "current",
}
KPI_Q = {
    "dataset": "kpi",
    "item_code": "K04",
    "frequency": "quarterly",
    "latest_year": 2569,
    "latest_month": 9,
    "periods_behind": 0,
    "freshness": "current",
}
KPI_DUE = dict(KPI, item_code="K02", latest_month=9, latest_year=2569, periods_behind=1, freshness="due")
IND_DUE = {
    "dataset": "indicator",
    "item_code": "I01",
    "frequency": "yearly",
    "latest_year": 2567,
    "latest_month": None,
    "periods_behind": 1,
    "freshness": "due",
}
POP_OVERDUE = {
    "dataset": "population",
    "item_code": "DOPA",
    "frequency": "yearly",
    "latest_year": 2564,
    "latest_month": None,
    "periods_behind": 3,
    "freshness": "overdue",
}


def flat(component) -> str:
    """All text of a component tree (what a reader sees, icons included)."""
    out: list[str] = []

    def text(c):
        if c is None:
            return
        if isinstance(c, (str, int, float)):
            out.append(str(c))
        elif isinstance(c, (list, tuple)):
            for k in c:
                text(k)
        else:
            text(getattr(c, "children", None))

    text(component)
    return "".join(out)


def props(component) -> dict:
    return component.to_plotly_json()["props"]


# ------------------------------------------------------------------------------ the component


@pytest.mark.parametrize(
    "row, state, icon, th, en",
    [
        (KPI, "current", "✓", ["ข้อมูล ณ", "ต.ค.", "ปีงบ 2570", "เป็นปัจจุบัน"], ["Data as of", "Oct", "FY 2570", "current"]),
        (IND_DUE, "due", "◔", ["ข้อมูล ณ", "พ.ศ. 2567", "ค้างส่ง 1 งวด"], ["Data as of", "2567", "1 period late"]),
        (
            POP_OVERDUE,
            "overdue",
            "⚠",
            ["ข้อมูล ณ", "พ.ศ. 2564", "ล่าช้า 3 งวด"],
            ["Data as of", "2564", "3 periods overdue"],
        ),
        (None, "none", "○", ["ไม่มีข้อมูล"], ["no data"]),
    ],
)
def test_mark_has_icon_words_and_state(row, state, icon, th, en):
    for lang, words in (("th", th), ("en", en)):
        mark = fr.freshness_mark(row, lang, id="x-fresh")
        text = flat(mark)
        p = props(mark)
        assert icon in text, (lang, text)
        assert all(w in text for w in words), (lang, text, words)
        assert p["data-freshness"] == state and p["id"] == "x-fresh"
        assert p["className"].split()[:2] == ["sy-fresh", f"sy-fresh-{state}"]
        assert icon in fr.text(row, lang)  # the whole mark as one line
    assert "ข้อมูล" not in flat(fr.freshness_mark(KPI, "en")) and "as of" not in flat(fr.freshness_mark(KPI, "th"))


def test_the_icon_is_hidden_from_screen_readers_but_the_word_is_not():
    mark = fr.freshness_mark(POP_OVERDUE, "th")
    spans = [c for c in walk(mark) if type(c).__name__ == "Span"]
    icons = [s for s in spans if "sy-fresh-icon" in (props(s).get("className") or "")]
    assert icons and all(props(s).get("aria-hidden") == "true" for s in icons)
    word = next(s for s in spans if "sy-fresh-word" in (props(s).get("className") or ""))
    assert "ล่าช้า" in flat(word) and props(word).get("aria-hidden") is None


def test_period_labels_fiscal_for_kpis_be_for_yearly():
    assert fr.period_label(KPI, "th") == "ต.ค. ปีงบ 2570" and fr.period_label(KPI, "en") == "Oct FY 2570"
    assert fr.period_label(KPI_Q, "th") == "ก.ย. ปีงบ 2569"
    assert fr.period_label(IND_DUE, "th") == "พ.ศ. 2567" and fr.period_label(IND_DUE, "en") == "2567"
    assert fr.period_label(None, "th") is None
    never = dict(KPI, latest_year=None, latest_month=None, periods_behind=30, freshness="overdue")
    text = fr.text(never, "th")
    assert "ยังไม่มีข้อมูล" in text and "⚠ ล่าช้า" in text and "30" not in text  # no silly count


def test_rows_as_series_namedtuples_and_numpy_values():
    frame = pd.DataFrame([KPI, POP_OVERDUE])
    idx = fr.index(frame)
    assert fr.lookup(idx, "population", "DOPA")["latest_year"] == 2564
    assert fr.lookup(idx, "kpi", "K99") is None
    Row = namedtuple("Row", list(KPI))
    for row in (frame.iloc[0], Row(**KPI), next(frame.itertuples())):
        assert fr.state(row) == "current" and fr.period_label(row, "en") == "Oct FY 2570"
    assert json.dumps(fr.freshness_mark(frame.iloc[1], "th").to_plotly_json(), default=str)


def test_as_of_label_only_never_hides_staleness():
    quiet = fr.freshness_mark(KPI, "th", as_of_label_only=True, small=True)
    assert "sy-fresh-label" in props(quiet)["className"] and props(quiet)["data-freshness"] == "current"
    assert "✓" in flat(quiet) and "ต.ค. ปีงบ 2570" in flat(quiet)
    assert "เป็นปัจจุบัน" in props(quiet)["title"]  # the whole line on hover
    loud = fr.freshness_mark(KPI_DUE, "th", as_of_label_only=True, small=True)
    assert "sy-fresh-label" not in props(loud)["className"] and "ค้างส่ง 1 งวด" in flat(loud)
    assert "ไม่มีข้อมูล" in flat(fr.freshness_mark(None, "th", as_of_label_only=True))


def test_worst_takes_the_worst_state_and_the_oldest_period():
    w = fr.worst([KPI, KPI_Q, KPI_DUE, None])
    assert w["freshness"] == "due" and w["periods_behind"] == 1
    assert (w["latest_year"], w["latest_month"]) == (2569, 9)  # Sep FY 2569 is older than Oct FY 2570
    assert w["n"] == 3 and w["n_stale"] == 1
    assert "(1 จาก 3 รายการ)" in fr.text(w, "th") and "(1 of 3 series)" in fr.text(w, "en")
    assert fr.worst([KPI, KPI_Q])["freshness"] == "current" and fr.worst([KPI])["latest_month"] == 10
    assert fr.worst([IND_DUE, POP_OVERDUE])["freshness"] == "overdue"
    assert fr.worst([IND_DUE, POP_OVERDUE])["latest_year"] == 2564
    assert fr.worst([]) is None and fr.worst([None]) is None
    assert props(fr.freshness_mark(fr.worst([]), "th"))["data-freshness"] == "none"
    # ordering inside a fiscal year: October (month 10) comes before September (month 9)
    assert fr.worst([dict(KPI, latest_year=2569, latest_month=10), KPI_Q])["latest_month"] == 10


def test_as_of_mark_is_neutral_with_icon_and_words():
    from datetime import date

    m = fr.as_of_mark(date(2026, 11, 24), "th", id="x-asof")
    assert props(m)["data-freshness"] == "as_of" and "ข้อมูล ณ 24 พ.ย. 2569" in flat(m) and fr.ASOF_ICON in flat(m)
    assert "Data as of 24 Nov 2569 (B.E.)" in flat(fr.as_of_mark(date(2026, 11, 24), "en"))


# ------------------------------------------------------------------------------ the demo warehouse


def _sql(path, sql):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


# ------------------------------------------------------------------------------ a round and its reports

ROUND_KPI = dict(KPI, round_year=2570, round_month=10, reporters=8, reported=8, reports_late=0, reports_awaited=8)
ROUND_Q = dict(KPI_Q, round_year=2570, round_month=10, reporters=8, reported=8, reports_late=0, reports_awaited=0)
ROUND_LATE = dict(
    KPI,
    item_code="K32",
    latest_year=2569,
    latest_month=9,
    periods_behind=1,
    freshness="due",
    round_year=2570,
    round_month=10,
    reporters=8,
    reported=7,
    reports_late=1,
    reports_awaited=156,
)


def test_a_tile_says_its_round_not_the_oldest_period_of_its_kpis():
    """A quarterly KPI judged at September of the year before is current at October's round: it does
    not drag the tile's date back to September. The tile sums the round's reports late and awaited."""
    w = fr.worst([ROUND_KPI, ROUND_Q])
    assert w["freshness"] == "current" and fr.round_label(w, "th") == "ต.ค. ปีงบ 2570"
    th, en = flat(fr.freshness_mark(w, "th")), flat(fr.freshness_mark(w, "en"))
    assert "ข้อมูลรอบ ต.ค. ปีงบ 2570" in th and "ก.ย." not in th and "✓ เป็นปัจจุบัน" in th and "◐ รอรายงาน 8" in th
    assert "Round Oct FY 2570" in en and "Sep" not in en and "✓ current" in en and "8 reports awaited" in en
    assert fr.text(w, "th") == "ข้อมูลรอบ ต.ค. ปีงบ 2570 · ✓ เป็นปัจจุบัน · ◐ รอรายงาน 8"
    assert fr.text(w, "en") == "Round Oct FY 2570 · ✓ current · ◐ 8 reports awaited"
    # a KPI behind: the worst state, the late report, the sums; still the round's date
    w = fr.worst([ROUND_KPI, ROUND_Q, ROUND_LATE])
    assert w["freshness"] == "due" and (w["reports_late"], w["reports_awaited"]) == (1, 164)
    assert fr.text(w, "th") == (
        "ข้อมูลรอบ ต.ค. ปีงบ 2570 · ◔ ค้างส่ง 1 งวด (1 จาก 3 รายการ) · ◆ รายงานล่าช้า 1 · ◐ รอรายงาน 164"
    )
    assert fr.text(w, "en") == (
        "Round Oct FY 2570 · ◔ 1 period late (1 of 3 series) · ◆ 1 report late · ◐ 164 reports awaited"
    )
    mark = fr.freshness_mark(w, "th", id="t")
    counts = {props(c).get("data-reports-late") or props(c).get("data-reports-awaited") for c in walk(mark)}
    assert {"1", "164"} <= counts
    icons = [c for c in walk(mark) if "sy-fresh-icon" in (props(c).get("className") or "")]
    assert [flat(i) for i in icons] == ["◔", "◆", "◐"] and all(props(i)["aria-hidden"] == "true" for i in icons)
    # series of no round (GPP and population on the map) keep the oldest period
    assert fr.round_label(fr.worst([IND_DUE, POP_OVERDUE]), "th") is None


def test_one_kpi_says_when_it_was_judged_and_how_many_districts_are_in():
    th, en = fr.text(ROUND_LATE, "th"), fr.text(ROUND_LATE, "en")
    assert th.startswith("ข้อมูล ณ ก.ย. ปีงบ 2569 · ◔ ค้างส่ง 1 งวด (ส่งแล้ว 7 จาก 8 อำเภอ)"), th
    assert en.startswith("Data as of Sep FY 2569 · ◔ 1 period late (7 of 8 districts in)"), en
    assert "ส่งแล้ว" not in fr.text(ROUND_KPI, "th")  # everybody in: nothing to count
    # a list draws equal marks once: a different count is a different mark
    assert fr.mark_key(ROUND_KPI, "th", small=True) != fr.mark_key(dict(ROUND_KPI, reports_awaited=7), "th", True)


def test_a_yearly_series_says_its_publishers_next_release_on_hover():
    gpp = {
        "dataset": "gpp",
        "item_code": "86",
        "frequency": "yearly",
        "latest_year": 2566,
        "periods_behind": 0,
        "freshness": "current",
        "publisher_th": "สศช.",
        "publisher_en": "NESDC",
        "next_release": pd.Timestamp("2027-03-31"),
    }
    th, en = fr.freshness_mark(gpp, "th"), fr.freshness_mark(gpp, "en")
    assert "ข้อมูล ณ พ.ศ. 2566" in flat(th) and "✓ เป็นปัจจุบัน" in flat(th) and "2570" not in flat(th)
    assert "สศช. เผยแพร่ฉบับถัดไปภายใน 31 มี.ค. 2570" in props(th)["title"]
    assert "next NESDC release expected by 31 Mar 2570 (B.E.)" in props(en)["title"]


# ------------------------------------------------------------------------------ warehouses at several days

GPP_CSV = ROOT / "data" / "official" / "gpp" / "nesdc_gpp_current_prices_by_province_2019_2023.csv"
CALENDAR_CSV = ROOT / "data" / "seeds" / "release_calendar.csv"
EARLY = [["K01", "2570", "11", "8604", "12"]]  # one district's November figure, entered early


@pytest.fixture(scope="module")
def at(tmp_path_factory, built_warehouse):
    """``at(as_of, early=False)``: the demo warehouse built as of that day (with ``early``: and
    district 8604's K01 November report), built once per test worker."""
    from etl.build import build

    made: dict = {(DEMO_AS_OF, False): built_warehouse}

    def get(as_of: date, early: bool = False) -> Path:
        if (as_of, early) not in made:
            base = tmp_path_factory.mktemp(f"fresh{as_of:%Y%m%d}{'e' if early else ''}")
            data = make_data_dir(base / "data")
            if early:
                write_csv(data / "incoming" / "kpi_actuals" / "20261205T000000Z_aaaaaaaaaaaa_nov.csv", HEADER, EARLY)
            made[(as_of, early)] = build(
                data_dir=data,
                warehouse=data / "warehouse" / "eis.duckdb",
                ops_url=f"sqlite:///{base / 'ops.sqlite'}",
                as_of=as_of,
            ).warehouse
        return made[(as_of, early)]

    return get


def _rows(path, sql, **params) -> list[dict]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        cur = con.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    finally:
        con.close()


_REFERENCE: dict = {}  # warehouse -> (tests/reference_rules.compute of it, its points by KPI x area)


def kpi_reference(wh: Path, area: str | None = None, at_round: tuple[int, int] | None = None) -> dict[str, dict]:
    """docs/RULES.md section 7 over tests/reference_rules.py's points (plain Python over the fact
    tables): for every KPI at `area` (the province by default) judged against `at_round` (the
    province's round by default), its latest judged reporting month, the expected ones it is behind
    (judged or late reporting months after it, up to the round), and the round's reports late (of
    the round's month, due and missing) and awaited (of later ended months, not due, missing)."""
    con = duckdb.connect(str(wh), read_only=True)
    try:
        if wh not in _REFERENCE:
            ref = compute(con)
            by_area: dict = {}
            for (k, fy, i, a), p in sorted(ref.points.items()):
                by_area.setdefault((k, a), []).append((fy * 12 + i, fy, i, p))
            _REFERENCE[wh] = ref, by_area
        ref, by_area = _REFERENCE[wh]
        kpis = dict(con.execute("SELECT kpi_code, frequency FROM dim_kpi").fetchall())
        districts = {r[0] for r in con.execute("SELECT district_code FROM dim_district").fetchall()}
        grace = int(con.execute("SELECT value FROM dim_rule WHERE rule = 'report_grace_days'").fetchone()[0])
    finally:
        con.close()
    area = area or ref.province
    current = max((fy for fy, r in ref.rounds.items() if r is not None), default=None)
    rnd = at_round or (current, ref.rounds[current])
    current_pos = current * 12 + ref.rounds[current]
    pos = rnd[0] * 12 + rnd[1]

    def due(fy, i):
        return period_end(fy, i) + timedelta(days=grace) < ref.as_of

    def missing(k, fy, i, a):
        """Reports of KPI k's reporting month (fy, i) missing at area a: a district's own; the
        province's: every reporter's (its districts', or its own when it has none)."""
        if i not in reporting_months(kpis[k]):
            return 0
        if a == ref.province:
            who = [x for x in districts if (k, fy, i, x) in ref.points] or [a]
        else:
            who = [a]
        return sum(ref.points[(k, fy, i, x)].reporters - ref.points[(k, fy, i, x)].reported
                   for x in who if (k, fy, i, x) in ref.points)  # fmt: skip

    out = {}
    for k, freq in kpis.items():
        mine = by_area.get((k, area), [])
        pts = [(q, p) for q, _fy, i, p in mine if q <= pos and i in reporting_months(freq)]
        expected = [(q, p) for q, p in pts if p.state in ("judged", "late")]
        judged = [q for q, p in expected if p.state == "judged"]
        latest = judged[-1] if judged else None
        behind = sum(1 for q, _p in expected if latest is None or q > latest)
        later = [(fy, i) for q, fy, i, _p in mine if q > pos and not due(fy, i)]
        out[k] = {
            "latest": None if latest is None else ((latest - 1) // 12, month_of(latest - (latest - 1) // 12 * 12)),
            "periods_behind": behind,
            "freshness": "current" if behind == 0 else "due" if behind == 1 else "overdue",
            "reports_late": missing(k, *rnd, area) if due(*rnd) and (k, *rnd, area) in ref.points else 0,
            "reports_awaited": sum(missing(k, fy, i, area) for fy, i in later) if pos >= current_pos else 0,
        }
    return out


def calendar_expected(as_of: date) -> dict[tuple[str, str], tuple[int, date]]:
    """data/seeds/release_calendar.csv read in Python: (dataset, item) -> (expected latest year
    B.E., next expected release), from the text of docs/RULES.md section 7 and the seed's header."""
    out = {}
    with open(CALENDAR_CSV, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            lag, m, d = int(r["lag_years"]), int(r["release_month"]), int(r["release_day"])
            out_this_year = date(as_of.year, m, d) < as_of  # the release of year (as_of.year - lag) is out
            year_ce = as_of.year - lag - (0 if out_this_year else 1)
            nxt = date(as_of.year + (1 if out_this_year else 0), m, d)
            out[(r["dataset"], r["item_code"])] = (year_ce + 543, nxt)
    return out


def mart(wh: Path, area: str | None = None, fy: int | None = None, idx: int | None = None) -> dict[str, dict]:
    if area is None:
        rows = _rows(wh, "SELECT * FROM fct_freshness WHERE dataset = 'kpi'")
    else:
        sql = (ROOT / "queries" / "freshness" / "kpis_at.sql").read_text(encoding="utf-8")
        rows = _rows(wh, sql, fy=fy, idx=idx, area=area)
    return {r["item_code"]: r for r in rows}


AS_OF_DAYS = [date(2026, 11, 10), DEMO_AS_OF, date(2026, 12, 7), date(2026, 12, 16), date(2027, 4, 1)]


@pytest.mark.parametrize("as_of", AS_OF_DAYS, ids=str)
def test_kpi_freshness_is_what_the_rules_say_is_judged(at, as_of):
    """Every KPI's freshness (the province, and each district) against the rules' text, re-computed
    in plain Python at several days: before October's round exists (10 Nov), within grace (24 Nov),
    a month ended and awaiting (7 Dec), the day after grace (16 Dec), and far behind (1 Apr 2027)."""
    wh = at(as_of)
    ref = kpi_reference(wh)
    got = mart(wh)
    assert set(got) == set(ref)
    bad = [
        (k, ref[k], {f: got[k][f] for f in ("latest_year", "latest_month", "periods_behind", "freshness")})
        for k in ref
        if (
            ref[k]["latest"]
            != (None if got[k]["latest_year"] is None else (got[k]["latest_year"], got[k]["latest_month"]))
            or ref[k]["periods_behind"] != got[k]["periods_behind"]
            or ref[k]["freshness"] != got[k]["freshness"]
            or ref[k]["reports_late"] != got[k]["reports_late"]
            or ref[k]["reports_awaited"] != got[k]["reports_awaited"]
        )
    ]
    assert not bad, bad[:5]
    # the tiles' sums are the round's own counts (fct_kpi_round, the header's round)
    [rnd] = _rows(wh, "SELECT * FROM fct_kpi_round WHERE is_current")
    assert {(r["round_year"], r["round_month"]) for r in got.values()} == {(rnd["fiscal_year"], rnd["round_month"])}
    assert sum(r["reports_late"] for r in got.values()) == rnd["reports_late"]
    later = _rows(
        wh,
        "SELECT coalesce(sum(reports_awaited), 0) AS n FROM fct_kpi_round WHERE fiscal_year > $fy",
        fy=rnd["fiscal_year"],
    )
    assert sum(r["reports_awaited"] for r in got.values()) == rnd["reports_awaited"] + later[0]["n"]
    # a district's marks judge its own reports, at the same round
    for district in ("8601", "8606"):
        ref_d = kpi_reference(wh, district)
        got_d = mart(wh, district, rnd["fiscal_year"], rnd["round_idx"])
        for k, r in ref_d.items():
            g = got_d[k]
            assert (r["periods_behind"], r["freshness"], r["reports_late"], r["reports_awaited"]) == (
                g["periods_behind"],
                g["freshness"],
                g["reports_late"],
                g["reports_awaited"],
            ), (district, k, r, g)


def test_one_district_reporting_a_later_month_does_not_make_the_kpi_current_as_of_it(at):
    """K01: district 8604 enters November early, seven have not. On 7 December (November awaiting)
    K01 is current as of October, the round, and awaits 7 reports; on 16 December (November due) it
    is one period late, with 1 of 8 districts in: never "current as of November"."""
    wh = at(date(2026, 12, 7), early=True)
    k01 = mart(wh)["K01"]
    assert (k01["latest_year"], k01["latest_month"], k01["freshness"]) == (2570, 10, "current")
    assert (k01["round_year"], k01["round_month"], k01["reports_awaited"]) == (2570, 10, 7)
    assert "พ.ย." not in fr.text(k01, "th") and "ข้อมูล ณ ต.ค. ปีงบ 2570 · ✓ เป็นปัจจุบัน" in fr.text(k01, "th")
    # its district is judged on its own report, at the province's round: current as of October too
    d = mart(wh, "8604", 2570, 1)["K01"]
    assert (d["latest_year"], d["latest_month"], d["freshness"], d["reports_awaited"]) == (2570, 10, "current", 0)

    wh = at(date(2026, 12, 16), early=True)
    k01 = mart(wh)["K01"]
    assert (k01["latest_year"], k01["latest_month"], k01["freshness"]) == (2570, 10, "due")
    assert (k01["expected_year"], k01["expected_month"], k01["reporters"], k01["reported"]) == (2570, 11, 8, 1)
    assert k01["reports_late"] == 7
    th, en = fr.text(k01, "th"), fr.text(k01, "en")
    assert th.startswith("ข้อมูล ณ ต.ค. ปีงบ 2570 · ◔ ค้างส่ง 1 งวด (ส่งแล้ว 1 จาก 8 อำเภอ) · ◆ รายงานล่าช้า 7"), th
    assert en.startswith("Data as of Oct FY 2570 · ◔ 1 period late (1 of 8 districts in) · ◆ 7 reports late"), en
    # 8604 itself is current as of November (its own report); 8601 is late
    assert mart(wh, "8604", 2570, 2)["K01"]["latest_month"] == 11
    assert mart(wh, "8604", 2570, 2)["K01"]["freshness"] == "current"
    assert mart(wh, "8601", 2570, 2)["K01"]["freshness"] == "due"


@pytest.mark.parametrize("as_of", [DEMO_AS_OF, date(2026, 12, 7), date(2027, 3, 31), date(2027, 4, 1)], ids=str)
def test_yearly_series_follow_their_publishers_release_calendar(at, as_of):
    """GPP and NESDC population are current while their latest year is NESDC's latest release
    (2566 revised, in the edition of March 2026) and late only past the next expected release (31
    March 2027: still current that day, late the day after); DOPA's registered population is judged
    by DOPA's calendar. Every yearly row against the seed read in Python."""
    wh = at(as_of)
    want = calendar_expected(as_of)
    rows = _rows(wh, "SELECT * FROM fct_freshness WHERE dataset <> 'kpi'")
    assert rows
    for r in rows:
        expected, nxt = want.get((r["dataset"], r["item_code"])) or want[(r["dataset"], "*")]
        behind = max(0, expected - (r["latest_year"] or 0))
        assert (r["expected_year"], r["next_release"], r["periods_behind"]) == (expected, nxt, behind), r
        assert r["freshness"] == ("current" if behind == 0 else "due" if behind == 1 else "overdue"), r
    by = {(r["dataset"], r["item_code"]): r for r in rows}
    with open(GPP_CSV, encoding="utf-8") as f:
        official = max(int(r["year"]) for r in csv.DictReader(f) if r["province_code"] == "86") + 543
    gpp, pop, dopa = by[("gpp", "86")], by[("population", "NESDC")], by[("population", "DOPA")]
    assert gpp["latest_year"] == pop["latest_year"] == official == 2566
    if as_of <= date(2027, 3, 31):  # 2566 is NESDC's latest revised year: current
        assert (gpp["freshness"], pop["freshness"]) == ("current", "current")
        assert flat(fr.freshness_mark(gpp, "th")).endswith("✓ เป็นปัจจุบัน")
        assert "สศช." in props(fr.freshness_mark(gpp, "th"))["title"]
        assert "31 มี.ค. 2570" in props(fr.freshness_mark(gpp, "th"))["title"]
    else:  # the 2025 edition was due by 31 March 2027
        assert (gpp["freshness"], gpp["periods_behind"], pop["freshness"]) == ("due", 1, "due")
        assert "◔ ค้างส่ง 1 งวด" in flat(fr.freshness_mark(gpp, "th"))
        assert "◔ 1 period late" in flat(fr.freshness_mark(gpp, "en"))
    # DOPA's count of 31 Dec 2564 is the newest held, while DOPA has published through 2568
    assert dopa["latest_year"] == 2564 and dopa["freshness"] == "overdue"


def test_the_release_calendar_is_documented_data():
    """Every row of the seed says where its date comes from; assumptions say so; the build fails on
    a yearly series that has no calendar (it could not be judged)."""
    with open(CALENDAR_CSV, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    keys = [(r["dataset"], r["item_code"]) for r in rows]
    assert len(keys) == len(set(keys))
    assert {("gpp", "*"), ("population", "NESDC"), ("population", "DOPA"), ("indicator", "*")} <= set(keys)
    for r in rows:
        assert len(r["note"]) > 40 and r["publisher_th"] and r["publisher_en"], r
        date(2001, int(r["release_month"]), int(r["release_day"]))  # a real day of any year
    assert "ASSUMPTION" in next(r["note"] for r in rows if r["dataset"] == "gpp")
    assert "release_calendar.csv" in (ROOT / "data" / "seeds" / "SOURCES.md").read_text(encoding="utf-8")


def test_a_series_without_a_calendar_fails_the_build(tmp_path):
    from etl.build import BuildError, build

    data = tmp_path / "data"
    data.mkdir()
    for name in ("official", "geo"):
        os.symlink(ROOT / "data" / name, data / name)
    (data / "sample").mkdir()
    for f in (ROOT / "data" / "sample").glob("*.csv"):
        os.symlink(f, data / "sample" / f.name)
    shutil.copytree(ROOT / "data" / "seeds", data / "seeds")
    with open(CALENDAR_CSV, encoding="utf-8") as f:
        kept = [r for r in csv.DictReader(f) if r["dataset"] != "population"]
    with open(data / "seeds" / "release_calendar.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(kept[0]))
        w.writeheader()
        w.writerows(kept)
    with pytest.raises((BuildError, duckdb.Error), match="no release calendar for population"):
        build(data_dir=data, warehouse=data / "warehouse" / "eis.duckdb", ops_url=f"sqlite:///{tmp_path / 'o.sqlite'}",
              as_of=DEMO_AS_OF)  # fmt: skip


# ------------------------------------------------------------------------------ the pages


def _page_marks(wh: Path, monkeypatch, lang: str, render) -> dict[str, object]:
    monkeypatch.setenv("SANYAN_WAREHOUSE", str(wh))
    from flask_login import login_user

    import app
    from web import auth

    with app.server.test_request_context("/", headers={"Cookie": f"sanyan_lang={lang}"}):
        login_user(auth.User(0, "tester", "executive", None, None))
        page = render()
    return {c.id: c for c in walk(page) if isinstance(getattr(c, "id", None), str)}  # pattern ids are dicts


@pytest.mark.parametrize("lang", ["th", "en"])
def test_the_overview_tiles_say_the_round_the_header_shows(at, monkeypatch, lang):
    """7 December 2026: the header shows FY 2570 through October; the score and status tiles say the
    same round ("ข้อมูลรอบ ต.ค. ปีงบ 2570"), not September 2569 (the quarterly KPIs' latest period,
    current), and the 164 November reports awaited. 10 November (October not due): both say
    September 2569 with October's reports awaited. A past round asked for says that round."""
    import app  # noqa: F401  (the pages register with the app)
    from pages import home

    wh = at(date(2026, 12, 7))
    ids = _page_marks(wh, monkeypatch, lang, home.layout)
    header = flat(ids["home-point"])
    assert ("October 2569" if lang == "en" else "ตุลาคม 2569") in header and "2570" in header
    [rnd] = _rows(wh, "SELECT * FROM fct_kpi_round WHERE is_current")
    for tile in ("home-fresh-counts", "home-fresh-agreement"):
        text = flat(ids[tile])
        if lang == "th":
            assert text.startswith("ข้อมูลรอบ ต.ค. ปีงบ 2570"), text
            assert "ก.ย." not in text and "ปีงบ 2569" not in text, text
        else:
            assert text.startswith("Round Oct FY 2570") and "Sep" not in text, text
    counts = flat(ids["home-fresh-counts"])
    awaited = f"รอรายงาน {rnd['reports_awaited']}" if lang == "th" else f"{rnd['reports_awaited']} reports awaited"
    assert rnd["reports_awaited"] == 164 and awaited in counts, counts
    assert props(ids["home-fresh-counts"])["data-freshness"] in ("current", "due", "overdue")

    wh = at(date(2026, 11, 10))  # October of FY 2570 is not due yet: the round is September 2569
    ids = _page_marks(wh, monkeypatch, lang, home.layout)
    [oct_] = _rows(wh, "SELECT reports_awaited FROM fct_kpi_round WHERE fiscal_year = 2570")
    text = flat(ids["home-fresh-counts"])
    assert text.startswith("ข้อมูลรอบ ก.ย. ปีงบ 2569" if lang == "th" else "Round Sep FY 2569"), text
    assert oct_["reports_awaited"] > 0
    n = oct_["reports_awaited"]  # the demo's October is in but for K32 in 8606: 1
    assert (f"รอรายงาน {n}" if lang == "th" else f"{n} report{'s' if n != 1 else ''} awaited") in text, text

    wh = at(date(2026, 12, 7))
    ids = _page_marks(wh, monkeypatch, lang, lambda: home.layout(fy="2569", round="6"))
    text = flat(ids["home-fresh-counts"])
    assert text.startswith("ข้อมูลรอบ มี.ค. ปีงบ 2569" if lang == "th" else "Round Mar FY 2569"), text
    assert "รอรายงาน" not in text and "awaited" not in text, text  # those await the province's round


def test_demo_warehouse_yearly_series_and_kpis(built_warehouse):
    """Judged as of 24 Nov 2026: DOPA's newest registration year is at least two years behind the
    year DOPA's calendar expects (overdue); every monthly KPI at the province is current exactly when
    every reporter's report of October is in (the round), K32 (8606 missing) is one period late."""
    [(as_of,)] = _sql(built_warehouse, "SELECT CAST(as_of AS DATE) FROM meta_snapshot")
    assert as_of == DEMO_AS_OF
    [(dopa_year,)] = _sql(built_warehouse, "SELECT max(year_be) FROM fct_population WHERE source = 'DOPA'")
    expected_year = calendar_expected(as_of)[("population", "DOPA")][0]
    assert expected_year - dopa_year >= 2  # so: overdue
    [(state, behind, latest)] = _sql(
        built_warehouse,
        "SELECT freshness, periods_behind, latest_year FROM fct_freshness WHERE dataset = 'population' "
        "AND item_code = 'DOPA'",
    )
    assert state == "overdue" and latest == dopa_year and behind == expected_year - dopa_year

    # October's reports of every monthly KPI, straight from the facts: who must report, who did
    monthly = _sql(
        built_warehouse,
        """
        WITH who AS (SELECT DISTINCT kpi_code, area_code FROM fct_kpi_target WHERE fiscal_year = 2570
                     AND area_code <> '86' UNION
                     SELECT DISTINCT kpi_code, area_code FROM fct_kpi_actual WHERE fiscal_year = 2570
                     AND area_code <> '86'),
             got AS (SELECT w.kpi_code, count(*) AS m, count(a.value) AS n FROM who w
                     LEFT JOIN fct_kpi_actual a ON a.kpi_code = w.kpi_code AND a.area_code = w.area_code
                      AND a.fiscal_year = 2570 AND a.month = 10 GROUP BY w.kpi_code)
        SELECT k.kpi_code, g.m, g.n, f.freshness, f.latest_month
        FROM dim_kpi k JOIN got g USING (kpi_code)
        JOIN fct_freshness f ON f.dataset = 'kpi' AND f.item_code = k.kpi_code
        WHERE k.frequency = 'monthly' ORDER BY 1""",
    )
    assert monthly
    for code, m, n, state, month in monthly:
        if n == m:
            assert state == "current" and month in (9, 10), code  # K05's plan expects nothing in October
        else:
            assert state == "due" and month == 9, code
    assert [c for c, m, n, *_ in monthly if n < m] == ["K32"]


def test_pages_show_the_warehouse_freshness(built_warehouse, monkeypatch):
    """The named queries, the district's DOPA mark (overdue), its KPI mark judging its own reports
    (8606 missed K32's October, 8601 did not) and the KPI detail's mark, rendered on the server."""
    import app  # noqa: F401  (the pages register with the app)
    import db
    from pages import district, kpi_detail

    monkeypatch.setenv("SANYAN_WAREHOUSE", str(built_warehouse))
    frame = db.query("freshness/all")
    assert set(frame["dataset"]) == {"kpi", "indicator", "gpp", "population"}
    at_round = db.query("freshness/kpis_at", fy=2570, idx=1, area="8606")
    assert set(at_round["dataset"]) == {"kpi"} and "kpi_code" in at_round  # db.query filters classified KPIs
    marks = _page_marks(built_warehouse, monkeypatch, "th", lambda: district.layout(code="8606"))
    assert props(marks["district-fresh-pop"])["data-freshness"] == "overdue"
    assert "ล่าช้า" in flat(marks["district-fresh-pop"]) and "⚠" in flat(marks["district-fresh-pop"])
    kpi_mark = flat(marks["district-fresh-kpi"])
    assert props(marks["district-fresh-kpi"])["data-freshness"] == "due"
    assert kpi_mark.startswith("ข้อมูลรอบ ต.ค. ปีงบ 2570") and "◆ รายงานล่าช้า 1" in kpi_mark, kpi_mark
    marks = _page_marks(built_warehouse, monkeypatch, "th", lambda: district.layout(code="8601"))
    assert props(marks["district-fresh-kpi"])["data-freshness"] == "current"
    marks = _page_marks(built_warehouse, monkeypatch, "th", lambda: kpi_detail.layout(code="K01"))
    mark = marks["kpidetail-fresh"]
    assert props(mark)["data-freshness"] == "current" and "ข้อมูล ณ ต.ค. ปีงบ 2570" in flat(mark)
