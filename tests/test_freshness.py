"""Freshness marks: every tile and chart says how recent its data is and whether it is overdue
for its frequency, with an icon and a word (never colour alone). Units of components.freshness,
then the demo warehouse (judged as of 24 Nov 2026) checked with SQL, then the pages on the server."""

from __future__ import annotations

import json
from collections import namedtuple

import duckdb
import pandas as pd
import pytest

from components import freshness as fr
from tests.conftest import walk

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
    assert "Data as of 24 Nov 2026" in flat(fr.as_of_mark(date(2026, 11, 24), "en"))


# ------------------------------------------------------------------------------ the demo warehouse


def _sql(path, sql):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_demo_warehouse_dopa_overdue_and_monthly_kpis_current(built_warehouse):
    """Judged as of 24 Nov 2026: DOPA's newest registration year is at least two years behind the
    year before the as-of year (overdue); every monthly KPI has its latest due month in (the
    month whose end + the grace days has passed) and nothing newer is due yet (current)."""
    [(as_of, grace)] = _sql(
        built_warehouse,
        """
        SELECT CAST(s.as_of AS DATE), CAST(r.value AS INTEGER) FROM meta_snapshot s, dim_rule r
        WHERE r.rule = 'report_grace_days'""",
    )
    assert str(as_of) == "2026-11-24"
    [(dopa_year, expected_year)] = _sql(
        built_warehouse,
        f"""
        SELECT max(year_be), year(DATE '{as_of}') + 543 - 1 FROM fct_population WHERE source = 'DOPA'""",
    )
    assert expected_year - dopa_year >= 2  # so: overdue
    [(state, behind, latest)] = _sql(
        built_warehouse,
        """
        SELECT freshness, periods_behind, latest_year FROM fct_freshness
        WHERE dataset = 'population' AND item_code = 'DOPA'""",
    )
    assert state == "overdue" and latest == dopa_year and behind == expected_year - dopa_year

    monthly = _sql(
        built_warehouse,
        f"""
        WITH last AS (SELECT a.kpi_code, max(a.period_date) AS d FROM fct_kpi_actual a
                      JOIN dim_kpi k USING (kpi_code) WHERE k.frequency = 'monthly' GROUP BY a.kpi_code)
        SELECT l.kpi_code,
               l.d + INTERVAL {grace} DAY < DATE '{as_of}' AS reported_due,
               last_day(l.d + INTERVAL 1 MONTH) + INTERVAL {grace} DAY >= DATE '{as_of}' AS next_not_due,
               f.freshness
        FROM last l JOIN fct_freshness f ON f.dataset = 'kpi' AND f.item_code = l.kpi_code ORDER BY 1""",
    )
    [(n_monthly,)] = _sql(built_warehouse, "SELECT count(*) FROM dim_kpi WHERE frequency = 'monthly'")
    assert len(monthly) == n_monthly > 0
    for code, reported_due, next_not_due, state in monthly:
        assert reported_due and next_not_due, code  # the data says current ...
        assert state == "current", code  # ... and so does the mart


def test_pages_show_the_warehouse_freshness(built_warehouse, monkeypatch):
    """The named query, the district's DOPA mark (overdue) and the KPI detail's mark (current)
    rendered on the server from the demo warehouse."""
    monkeypatch.setenv("SANYAN_WAREHOUSE", str(built_warehouse))
    from flask_login import login_user

    import app
    import db
    from pages import district, kpi_detail
    from web import auth

    frame = db.query("freshness/all")
    assert set(frame["dataset"]) == {"kpi", "indicator", "gpp", "population"}
    with app.server.test_request_context("/"):
        login_user(auth.User(0, "tester", "executive", None, None))
        page = district.layout(code="8601")
        detail = kpi_detail.layout(code="K01")
    marks = {getattr(c, "id", None): c for c in walk(page) if "data-freshness" in props(c)}
    assert props(marks["district-fresh-pop"])["data-freshness"] == "overdue"
    assert "ล่าช้า" in flat(marks["district-fresh-pop"]) and "⚠" in flat(marks["district-fresh-pop"])
    mark = next(c for c in walk(detail) if getattr(c, "id", None) == "kpidetail-fresh")
    assert props(mark)["data-freshness"] == "current" and "ปีงบ" in flat(mark)
