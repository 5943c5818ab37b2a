"""Every cockpit page renders on the server for every KPI, fiscal year and reporting round of
the demo warehouse (no browser): no exception, the right light on each KPI, friendly answers to
bad URLs."""

from __future__ import annotations

import duckdb
import pytest


@pytest.fixture(scope="module")
def app_module(built_warehouse, monkeypatch_module):
    monkeypatch_module.setenv("SANYAN_WAREHOUSE", str(built_warehouse))
    import app

    return app


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def render(app_module, module: str, lang: str = "th", **params):
    import importlib

    page = importlib.import_module(module)
    with app_module.server.test_request_context("/", headers={"Cookie": f"sanyan_lang={lang}"}):
        from flask_login import login_user

        from web import auth

        login_user(auth.User(0, "tester", "executive", None, None))  # executives read every KPI
        return page.layout(**params)


def texts(component) -> str:
    out = []

    def walk(c):
        if isinstance(c, (str, int, float)):
            out.append(str(c))
        elif isinstance(c, (list, tuple)):
            for x in c:
                walk(x)
        elif c is not None and hasattr(c, "children"):
            walk(c.children)

    walk(component)
    return " ".join(out)


def find(component, pred):
    if pred(component):
        yield component
    kids = getattr(component, "children", None)
    for k in kids if isinstance(kids, (list, tuple)) else [kids]:
        if k is not None and not isinstance(k, (str, int, float)):
            yield from find(k, pred)


def test_every_kpi_detail_renders(app_module, built_warehouse):
    con = duckdb.connect(str(built_warehouse), read_only=True)
    codes = [r[0] for r in con.execute("SELECT kpi_code FROM dim_kpi").fetchall()]
    years = [r[0] for r in con.execute("SELECT DISTINCT fiscal_year FROM fct_kpi_status").fetchall()]
    con.close()
    assert len(codes) >= 40
    for lang in ("th", "en"):
        for code in codes:
            page = render(app_module, "pages.kpi_detail", lang, code=code)
            assert code in texts(page)
    for fy in (min(years), max(years)):
        for rnd in ("6", "9", "12", "latest"):
            render(app_module, "pages.kpi_detail", code="K05", fy=str(fy), round=rnd)


def test_bad_urls_are_friendly(app_module):
    page = render(app_module, "pages.kpi_detail", code="NOPE")
    assert list(find(page, lambda c: getattr(c, "id", None) == "kpidetail-notfound-title"))
    for params in ({"fy": "abc"}, {"fy": "1999", "round": "7"}, {"fy": "๒๕๖๙", "round": "12"}):
        render(app_module, "pages.kpi", **params)
        render(app_module, "pages.home", **params)
        render(app_module, "pages.kpi_detail", code="K01", **params)
    render(app_module, "pages.projects", fy="abc")
    assert "2569" in texts(render(app_module, "pages.kpi", fy="๒๕๖๙"))
    note = list(
        find(
            render(app_module, "pages.kpi_detail", code="K05", fy="2540"),
            lambda c: getattr(c, "id", None) == "kpidetail-missing-year",
        )
    )
    assert note and "2540" in texts(note[0])


def _tree_lights(page) -> dict[str, str]:
    """{KPI code: the status of its row's light} of the hierarchy (one piece of HTML,
    components/rawhtml.py), read with the standard library's HTML parser."""
    from html.parser import HTMLParser

    box = next(find(page, lambda c: getattr(c, "id", None) == "kpi-tree-box"))
    lights: dict[str, str] = {}

    class Tree(HTMLParser):
        kpis: list = []

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "li":
                self.kpis.append(a.get("data-kpi"))
            elif "sy-status" in (a.get("class") or "").split() and self.kpis and self.kpis[-1]:
                lights.setdefault(self.kpis[-1], a["data-status"])  # the row's own light comes first

        def handle_endtag(self, tag):
            if tag == "li":
                self.kpis.pop()

    Tree().feed(box.html)
    return lights


def test_tree_lights_match_the_marts(app_module, built_warehouse):
    con = duckdb.connect(str(built_warehouse), read_only=True)
    want = dict(
        con.execute("""SELECT kpi_code, status FROM fct_kpi_status
                               WHERE fiscal_year = 2569 AND fiscal_idx = 12 AND area_code = '86'""").fetchall()
    )
    con.close()
    page = render(app_module, "pages.kpi", fy="2569", round="12")
    seen = _tree_lights(page)
    assert seen and all(want[k] == s for k, s in seen.items())
    filtered = render(app_module, "pages.kpi", fy="2569", round="12", tier="1", type="lagging")
    shown = set(_tree_lights(filtered))
    assert shown and len(shown) < len(seen)


def test_each_kpi_on_the_overview_says_its_change_since_the_month_before(app_module, built_warehouse):
    """Issue 19, item 5 (begun): every red KPI on / at September 2569 shows its score's change since
    August, with an arrow and words, equal to the marts' two scores; October (the year's first
    month) has no month before and shows none."""
    page = render(app_module, "pages.home", fy="2569", round="12")
    red = next(find(page, lambda c: getattr(c, "id", None) == "home-red-list"))
    con = duckdb.connect(str(built_warehouse), read_only=True)
    try:
        want = dict(
            con.execute(
                "SELECT n.kpi_code, round(n.score - o.score, 4) FROM fct_kpi_status n JOIN fct_kpi_status o "
                "ON o.kpi_code = n.kpi_code AND o.area_code = n.area_code AND o.fiscal_year = n.fiscal_year "
                "AND o.fiscal_idx = 11 WHERE n.fiscal_year = 2569 AND n.fiscal_idx = 12 AND n.area_code = '86' "
                "AND n.status = 'red' AND o.score IS NOT NULL"
            ).fetchall()
        )
    finally:
        con.close()
    items = {li.to_plotly_json()["props"]["data-kpi"]: li for li in red.children}
    assert want and set(want) <= set(items)
    for code, delta in want.items():
        change = next(find(items[code], lambda c: "sy-change" in (getattr(c, "className", "") or "")))
        assert float(change.to_plotly_json()["props"]["data-change"]) == pytest.approx(delta, abs=1e-4)
        assert "จากเดือนก่อน" in texts(change)
    october = render(app_module, "pages.home", fy="2570")
    assert not list(find(october, lambda c: "sy-change" in (getattr(c, "className", "") or "")))


# ---------------------------------------------------------------- a KPI's page: one projected year end
# (issue 25, point 5; docs/RULES.md sections 1-3 and 5)
def _by_id(page, id_):
    return next(iter(find(page, lambda c: getattr(c, "id", None) == id_)), None)


def _traces(fig: dict, uid: str) -> list[dict]:
    return [t for t in fig["data"] if t.get("uid") == uid]


def _ends(trace: dict) -> tuple[float, float]:
    """(low, high) of a marker's range as its error bar draws it."""
    p, err = trace["y"][0], trace["error_y"]
    return p - err["arrayminus"][0], p + err["array"][0]


def test_the_tile_and_both_charts_draw_one_projected_year_end(app_module, built_warehouse):
    """For every KPI at the round: the tile's projection, the month chart's year-end marker and the
    year chart's current-year "projected" point are fct_kpi_judged's very projection with its range
    (never inverted); the current year is drawn "to date" and "projected", never as a finished year;
    a finished year is the year's value; a point without a projection draws none and says why."""
    con = duckdb.connect(str(built_warehouse), read_only=True)
    judged = {
        r[0]: r[1:]
        for r in con.execute(
            """SELECT kpi_code, fiscal_year, fiscal_idx, value_to_date, status, projected, projected_low,
                      projected_high FROM fct_kpi_judged WHERE is_current AND area_code = '86'"""
        ).fetchall()
    }
    year_values = dict(
        con.execute(
            """SELECT kpi_code, value_to_date FROM fct_kpi_status
               WHERE fiscal_year = 2569 AND fiscal_idx = 12 AND area_code = '86' AND score IS NOT NULL"""
        ).fetchall()
    )
    con.close()
    assert {"K01", "K11", "K38"} <= set(judged)
    drawn = 0
    for code, (fy, idx, to_date, status, p, lo, hi) in sorted(judged.items()):
        assert idx < 12, code  # the demo's current year is not finished
        page = render(app_module, "pages.kpi_detail", code=code)
        years, months = _by_id(page, "kpidetail-years").figure, _by_id(page, "kpidetail-months").figure
        [finished] = _traces(years, "finished")
        assert fy not in finished["x"], code  # never a finished year
        if code in year_values:  # a finished year is the year's value (not a year-scale figure)
            assert finished["y"][finished["x"].index(2569)] == pytest.approx(year_values[code]), code
        [now] = _traces(years, "to_date")
        assert now["x"] == [fy]
        if p is None:
            assert not _traces(years, "projected") and not _traces(months, "projected"), code
            assert _by_id(page, "kpidetail-projected-value") is None, code
            if status in ("late", "awaiting", "not_due"):
                assert _by_id(page, "kpidetail-no-projection") is not None, code
                assert now["y"] == [None], code  # no value drawn for a point without a score
            continue
        drawn += 1
        assert lo <= p <= hi, code
        assert texts(_by_id(page, "kpidetail-projected-value")).startswith(f"{p:,.2f}"), code
        assert texts(_by_id(page, "kpidetail-projected-low")) == f"{lo:,.2f}", code
        assert texts(_by_id(page, "kpidetail-projected-high")) == f"{hi:,.2f}", code
        [m], [y] = _traces(months, "projected"), _traces(years, "projected")
        assert m["x"] == ["ก.ย."] and y["x"] == [fy], code
        assert m["y"] == [p] and y["y"] == [p], code
        for t in (m, y):
            assert _ends(t) == (pytest.approx(lo), pytest.approx(hi)), code
        assert now["y"] == [pytest.approx(to_date)], code
    assert drawn >= 20


def test_k01_and_k11_figures(app_module):
    """The two KPIs issue 25 named: one number on the tile and both charts (K01 1,818.36 at
    October 2569; K11, lower is better, projected 32,088.06 and red on the tile and both charts)."""
    for code, want in (("K01", "1,818.36"), ("K11", "32,088.06")):
        page = render(app_module, "pages.kpi_detail", code=code)
        tile = texts(_by_id(page, "kpidetail-projected-value"))
        [m] = _traces(_by_id(page, "kpidetail-months").figure, "projected")
        [y] = _traces(_by_id(page, "kpidetail-years").figure, "projected")
        assert tile.startswith(want) and f"{m['y'][0]:,.2f}" == want == f"{y['y'][0]:,.2f}", code
        assert "ต.ค. 2569" in m["name"]  # the month the projection was made at, said
    k11 = render(app_module, "pages.kpi_detail", code="K11")
    assert _by_id(k11, "kpidetail-status").to_plotly_json()["props"]["data-status"] == "red"
    assert _by_id(k11, "kpidetail-miss") is not None


def test_a_view_of_an_earlier_month_draws_that_months_projection(app_module, built_warehouse):
    """FY 2569 at March (round 6): the tile, the month chart (October to March only) and the year
    chart (years up to 2569, 2569 at March as "to date" and "projected") agree; at September the
    year's value, no range."""
    con = duckdb.connect(str(built_warehouse), read_only=True)
    p, lo, hi = con.execute(
        """SELECT projected, projected_low, projected_high FROM fct_kpi_projection
           WHERE kpi_code = 'K01' AND fiscal_year = 2569 AND fiscal_idx = 6 AND area_code = '86'"""
    ).fetchone()
    con.close()
    page = render(app_module, "pages.kpi_detail", code="K01", fy="2569", round="6")
    months, years = _by_id(page, "kpidetail-months").figure, _by_id(page, "kpidetail-years").figure
    assert _traces(months, "to_date")[0]["x"] == ["ต.ค.", "พ.ย.", "ธ.ค.", "ม.ค.", "ก.พ.", "มี.ค."]
    assert _traces(months, "projected")[0]["y"] == [p] == _traces(years, "projected")[0]["y"]
    assert texts(_by_id(page, "kpidetail-projected-value")).startswith(f"{p:,.2f}") and lo <= p <= hi
    assert max(_traces(years, "finished")[0]["x"]) == 2568 and _traces(years, "to_date")[0]["x"] == [2569]
    end = render(app_module, "pages.kpi_detail", code="K01", fy="2569", round="12")
    [m] = _traces(_by_id(end, "kpidetail-months").figure, "projected")
    assert m["y"] == [1661.0] and "error_y" not in m
    assert texts(_by_id(end, "kpidetail-projected-value")).startswith("1,661.00")
    assert _by_id(end, "kpidetail-projected-low") is None


def test_a_late_province_point_says_n_of_m_districts(app_module):
    """K32, October 2569: 8606 has not reported after 15 November: the province is late with 7 of
    8 districts, no score and no projection (said in words), no value drawn for October; 8606's
    row is late with no pace."""
    page = render(app_module, "pages.kpi_detail", code="K32")
    assert _by_id(page, "kpidetail-status").to_plotly_json()["props"]["data-status"] == "late"
    assert "รายงานแล้ว 7 จาก 8 อำเภอ" in texts(_by_id(page, "kpidetail-status-notes"))
    assert texts(_by_id(page, "kpidetail-score")) == "–" and _by_id(page, "kpidetail-no-projection") is not None
    months = _by_id(page, "kpidetail-months").figure
    assert _traces(months, "to_date")[0]["y"][0] is None
    assert any("◆ รายงานล่าช้า" in a["text"] and "7 จาก 8" in a["text"] for a in months["layout"]["annotations"])
    row = next(find(page, lambda c: getattr(c, "data-district", None) == "8606"))
    assert "รายงานล่าช้า" in texts(row) and texts(row).split()[-1] == "–"
    en = render(app_module, "pages.kpi_detail", "en", code="K32")
    assert "7 of 8 districts reported" in texts(_by_id(en, "kpidetail-status-notes"))


def _build_with_8604_november(base, as_of):
    """The demo with district 8604's November K01 report (12 plots), judged on `as_of`."""
    import csv

    from etl.build import build
    from tests.conftest import make_data_dir

    data = make_data_dir(base / "data")
    inbox = data / "incoming" / "kpi_actuals"
    inbox.mkdir(parents=True)
    with open(inbox / "20261201T000000Z_aaaaaaaaaaaa_nov.csv", "w", encoding="utf-8", newline="") as f:
        rows = [["kpi_code", "fiscal_year", "month", "area_code", "value"], ["K01", "2570", "11", "8604", "12"]]
        csv.writer(f).writerows(rows)
    return build(
        data_dir=data,
        warehouse=data / "warehouse" / "eis.duckdb",
        ops_url=f"sqlite:///{base / 'ops.sqlite'}",
        as_of=as_of,
    ).warehouse


@pytest.fixture(scope="module")
def early_warehouse(tmp_path_factory):
    """7 December 2026: 8604's November report came before its due date (15 December), an early
    report; the round stays October."""
    from datetime import date

    return _build_with_8604_november(tmp_path_factory.mktemp("early"), date(2026, 12, 7))


@pytest.fixture(scope="module")
def late_warehouse(tmp_path_factory):
    """16 December 2026, same data: November is due; the round is November, the other seven
    districts' November reports are late."""
    from datetime import date

    return _build_with_8604_november(tmp_path_factory.mktemp("late"), date(2026, 12, 16))


def test_an_early_report_is_shown_as_one_and_moves_nothing(app_module, early_warehouse, monkeypatch):
    """7 December 2026, 8604's November report in early: the page shows October (the round) with
    October's projection on the tile and both charts; 8604's row keeps its October light and says
    "รายงานก่อนกำหนด พ.ย. 2569" with its November figure (fct_kpi_judged's early_*); the province's
    November is awaiting, 1 of 8 districts, with no value drawn."""
    monkeypatch.setenv("SANYAN_WAREHOUSE", str(early_warehouse))
    con = duckdb.connect(str(early_warehouse), read_only=True)
    p, idx = con.execute(
        "SELECT projected, fiscal_idx FROM fct_kpi_judged WHERE is_current AND kpi_code = 'K01' AND area_code = '86'"
    ).fetchone()
    early = con.execute(
        """SELECT early_month, early_value_to_date, early_status FROM fct_kpi_judged
           WHERE is_current AND kpi_code = 'K01' AND area_code = '8604'"""
    ).fetchone()
    con.close()
    assert idx == 1 and early == (11, 21.0, "green")
    page = render(app_module, "pages.kpi_detail", code="K01")
    assert "ตุลาคม 2569" in texts(_by_id(page, "kpidetail-point"))
    months = _by_id(page, "kpidetail-months").figure
    [m] = _traces(months, "projected")
    [y] = _traces(_by_id(page, "kpidetail-years").figure, "projected")
    assert texts(_by_id(page, "kpidetail-projected-value")).startswith(f"{p:,.2f}") and m["y"] == [p] == y["y"]
    line = _traces(months, "to_date")[0]
    assert line["x"] == ["ต.ค.", "พ.ย."] and line["y"][1] is None  # November: no value invented
    assert any("◐ รอรายงาน" in a["text"] and "1 จาก 8" in a["text"] for a in months["layout"]["annotations"])
    row = next(find(page, lambda c: getattr(c, "data-district", None) == "8604"))
    said = texts(row)
    assert getattr(row, "data-early", None) == "11"
    assert "รายงานก่อนกำหนด พ.ย. 2569" in said and "21.00" in said and "ตามเป้าหมาย" in said
    assert [b.to_plotly_json()["props"]["data-status"] for b in find(row, lambda c: hasattr(c, "data-status"))] == [
        "yellow"  # the row's light is October's (the round); the early report is said beside it
    ]
    others = [c for c in find(page, lambda c: getattr(c, "data-early", None) is not None)]
    assert len(others) == 1
    en = render(app_module, "pages.kpi_detail", "en", code="K01")
    row = next(find(en, lambda c: getattr(c, "data-district", None) == "8604"))
    assert "early report, Nov 2569" in texts(row)


def test_late_districts_show_their_last_judged_round(app_module, late_warehouse, monkeypatch):
    """16 December 2026: the round is November; the province is late (1 of 8 districts), with no
    score and no projection; a late district says its last judged round (October, with its light
    and score: fct_kpi_judged's last_judged_*), 8604 is judged on its November report."""
    monkeypatch.setenv("SANYAN_WAREHOUSE", str(late_warehouse))
    con = duckdb.connect(str(late_warehouse), read_only=True)
    last = dict(
        con.execute(
            """SELECT area_code, last_judged_score FROM fct_kpi_judged
               WHERE is_current AND kpi_code = 'K01' AND status = 'late' AND area_code <> '86'"""
        ).fetchall()
    )
    con.close()
    assert len(last) == 7 and "8604" not in last
    page = render(app_module, "pages.kpi_detail", code="K01")
    assert "พฤศจิกายน 2569" in texts(_by_id(page, "kpidetail-point"))
    assert _by_id(page, "kpidetail-status").to_plotly_json()["props"]["data-status"] == "late"
    notes = texts(_by_id(page, "kpidetail-status-notes"))
    assert "รายงานแล้ว 1 จาก 8 อำเภอ" in notes and "ตัดสินล่าสุด ต.ค. 2569" in notes
    assert _by_id(page, "kpidetail-no-projection") is not None
    assert not _traces(_by_id(page, "kpidetail-months").figure, "projected")
    assert not _traces(_by_id(page, "kpidetail-years").figure, "projected")
    for area, score in last.items():
        row = next(find(page, lambda c, a=area: getattr(c, "data-district", None) == a))
        said = texts(row)
        assert "รายงานล่าช้า" in said and "ตัดสินล่าสุด ต.ค. 2569: " in said and f"{score:.4f}" in said, area
    row = next(find(page, lambda c: getattr(c, "data-district", None) == "8604"))
    assert "ตัดสินล่าสุด" not in texts(row) and getattr(row, "data-early", None) is None


def test_an_overview_round_with_nothing_scored_says_so(app_module, late_warehouse, monkeypatch):
    """16 December 2026: the round is November and no agreement KPI's November report came; the
    overview says none can be judged in this round (not "no result this year") and keeps the path
    of the rounds before it."""
    monkeypatch.setenv("SANYAN_WAREHOUSE", str(late_warehouse))
    page = render(app_module, "pages.home")
    none = list(find(page, lambda c: getattr(c, "id", None) == "home-agreement-none"))
    assert none and "รอบนี้ยังไม่มีตัวชี้วัดในคำรับรองที่ตัดสินได้ (9 ตัว" in texts(none[0])
    assert list(find(page, lambda c: getattr(c, "id", None) == "home-agreement-path-figure"))
    assert not list(find(page, lambda c: getattr(c, "id", None) == "home-agreement-score"))


def test_a_count_is_shown_without_decimals(app_module, built_warehouse):
    """docs/RULES.md 8.3: K01 counts plots; its districts' figures to date are whole and shown as such
    (10 แปลง, not 10.00), on the KPI's page and the district's; a unit of measure keeps two decimals."""
    con = duckdb.connect(str(built_warehouse), read_only=True)
    v = con.execute(
        "SELECT value_to_date FROM fct_kpi_judged WHERE is_current AND kpi_code = 'K01' AND area_code = '8601'"
    ).fetchone()[0]
    con.close()
    assert v == int(v)
    from components.cockpit import figure

    assert figure(v, True, "th") == f"{int(v):,}" and figure(12.5, False, "th") == "12.50"
    district = texts(render(app_module, "pages.district", code="8601"))
    assert f"{int(v):,} แปลง" in district and f"{int(v):,}.00 แปลง" not in district


def test_the_raw_html_table_escapes_every_text_and_attribute():
    """components/rawhtml.table (the /indicators catalogue and coverage, issue 29): a cell's text,
    an attribute's value, a column's name and a caption made of components are all escaped; only
    the cells' own HTML, built by the caller from escaped text, goes in as it is."""
    from dash import html
    from markupsafe import escape

    from components import rawhtml

    evil = '<script>alert(1)</script>"'
    out = str(
        rawhtml.table(
            [evil, "ok"],
            [({"data-x": evil}, [str(escape(evil)), ({"class": evil}, "plain")])],
            table_id=evil,
            caption=html.Caption(evil, title=evil),
        )
    )
    assert "<script>" not in out and 'alert(1)</script>"' not in out
    # the column (its heading and its cell's data-label), the row's attribute, the cell, the class,
    # the id, the caption's text and its title
    assert out.count("&lt;script&gt;") == 8
    assert str(rawhtml.to_html(html.Span(evil, **{"data-y": evil}))).count("&lt;script&gt;") == 2
