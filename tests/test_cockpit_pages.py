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
