"""GPP formulas against hand-computed values: from the real NESDC table (read here with the csv
module, independently of the ETL) and from a small fixture with sectors."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from components import gpp as g
from etl.build import build
from tests.conftest import ROOT, make_data_dir
from tests.test_etl_build import write_csv

NESDC = ROOT / "data" / "official" / "gpp" / "nesdc_gpp_current_prices_by_province_2019_2023.csv"


def nesdc() -> dict[tuple[str, int], tuple[float, float]]:
    """(province, year B.E.) -> (GPP million baht, NESDC population in persons)."""
    with open(NESDC, encoding="utf-8") as f:
        return {
            (r["province_code"], int(r["year"]) + 543): (
                float(r["gpp_current_million_baht"]),
                float(r["population_thousand_nesdc"]) * 1000,
            )
            for r in csv.DictReader(f)
        }


def totals(wh: Path, province: str = "86", edition: str = "nesdc-2024") -> pd.DataFrame:
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return (
            con.execute(
                "SELECT * FROM mart_gpp_total WHERE province_code = $p AND edition = $e ORDER BY year_be",
                {"p": province, "e": edition},
            )
            .df()
            .set_index("year_be")
        )
    finally:
        con.close()


def test_chumphon_growth_and_per_capita_equal_the_nesdc_table(built_warehouse):
    real = nesdc()
    t = totals(built_warehouse)
    assert list(t.index) == [2562, 2563, 2564, 2565, 2566]
    for year in range(2563, 2567):
        want = (real[("86", year)][0] / real[("86", year - 1)][0] - 1) * 100
        assert t.loc[year, "nominal_growth_pct"] == pytest.approx(want, abs=1e-9), year
    assert pd.isna(t.loc[2562, "nominal_growth_pct"])  # no year before it in this edition
    for year in range(2562, 2567):
        gpp, pop = real[("86", year)]
        assert t.loc[year, "gpp_cp"] == gpp
        assert t.loc[year, "per_capita_baht"] == pytest.approx(gpp * 1e6 / pop, rel=1e-12), year
    # by hand, 2020 (2563): 125,362.282 / 116,633.389 - 1 = 7.4840 %
    assert round(t.loc[2563, "nominal_growth_pct"], 4) == 7.4840


def test_ranks_among_77_and_within_the_region(built_warehouse):
    real = nesdc()
    year = 2566
    ordered = sorted((v[0], p) for (p, y), v in real.items() if y == year)[::-1]
    t = totals(built_warehouse)
    assert t.loc[year, "provinces"] == 77
    assert t.loc[year, "rank_gpp"] == [p for _v, p in ordered].index("86") + 1
    per_cap = sorted(((v[0] / v[1], p) for (p, y), v in real.items() if y == year), reverse=True)
    assert t.loc[year, "rank_per_capita"] == [p for _v, p in per_cap].index("86") + 1
    con = duckdb.connect(str(built_warehouse), read_only=True)
    south = {r[0] for r in con.execute("SELECT area_code FROM dim_gpp_area WHERE region_code = 'R-S'").fetchall()}
    con.close()
    in_region = [p for _v, p in ordered if p in south]
    assert t.loc[year, "rank_gpp_region"] == in_region.index("86") + 1 and t.loc[year, "provinces_region"] == 14


def test_editions_are_never_spliced(built_warehouse):
    old = totals(built_warehouse, edition="nesdc-2013-2020")
    assert old.index[0] == 2538  # NESDC's sector table reaches back to 1995
    assert pd.isna(old.loc[2538, "nominal_growth_pct"])  # first year of its own edition
    new = totals(built_warehouse)
    assert pd.isna(new.loc[2562, "nominal_growth_pct"])  # not chained onto the old edition's 2561


# ---------------------------------------------------------------- a small fixture with sectors
S = "sample"


@pytest.fixture(scope="module")
def sector_wh(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("gpp")
    data = make_data_dir(base / "data", sample=False)
    rows = []
    for year, a_cp, c_cp, a_cvm, c_cvm, total_cvm in (
        (2562, "50000", "66633.389", "40000", "50000", "90000"),
        (2563, "60000", "65362.282", "42000", "49000", "91800"),
    ):
        rows += [
            ["86", str(year), "ISIC4", "A", "cp", "", a_cp, "", "nesdc-2024", S, "t"],
            ["86", str(year), "ISIC4", "C", "cp", "", c_cp, "", "nesdc-2024", S, "t"],
            ["86", str(year), "ISIC4", "A", "cvm", "2545", a_cvm, "", "nesdc-2024", S, "t"],
            ["86", str(year), "ISIC4", "C", "cvm", "2545", c_cvm, "", "nesdc-2024", S, "t"],
            ["86", str(year), "ISIC4", "TOTAL", "cvm", "2545", total_cvm, "", "nesdc-2024", S, "t"],
        ]
    write_csv(
        data / "sample" / "gpp_sector.csv",
        [
            "province_code",
            "year",
            "classification",
            "sector_code",
            "price_basis",
            "reference_year",
            "value_million_baht",
            "revision_flag",
            "edition",
            "provenance",
            "source_ref",
        ],
        rows,
    )
    return build(data_dir=data, warehouse=data / "warehouse" / "eis.duckdb", ops_url=f"sqlite:///{base}/o.db").warehouse


def sectors(wh: Path, edition: str | None = "nesdc-2024") -> pd.DataFrame:
    """Chumphon's sector rows of `edition` (None: every edition)."""
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return con.execute(
            """SELECT * FROM mart_gpp_sector WHERE province_code = '86'
                              AND ($e IS NULL OR edition = $e) ORDER BY year_be, line_no""",
            {"e": edition},
        ).df()
    finally:
        con.close()


def test_share_contribution_residual_deflator_by_hand(sector_wh):
    s = sectors(sector_wh).set_index(["year_be", "sector_code"])
    assert s.loc[(2562, "A"), "share_pct"] == pytest.approx(100 * 50000 / 116633.389, rel=1e-12)
    assert s.loc[(2563, "C"), "share_pct"] == pytest.approx(100 * 65362.282 / 125362.282, rel=1e-12)
    a = 100 * (50000 / 116633.389) * (42000 / 40000 - 1)  # 2.1435 points
    c = 100 * (66633.389 / 116633.389) * (49000 / 50000 - 1)  # -1.1426 points
    assert s.loc[(2563, "A"), "contribution_pp"] == pytest.approx(a, rel=1e-12)
    assert s.loc[(2563, "C"), "contribution_pp"] == pytest.approx(c, rel=1e-12)
    assert pd.isna(s.loc[(2562, "A"), "contribution_pp"])
    t = totals(sector_wh)
    assert t.loc[2563, "real_growth_pct"] == pytest.approx(2.0, rel=1e-12)
    assert t.loc[2563, "deflator"] == pytest.approx(100 * 125362.282 / 91800, rel=1e-12)
    resid = g.residuals(sectors(sector_wh), t.reset_index()).set_index("year_be")
    assert resid.loc[2563, "residual_pp"] == pytest.approx(2.0 - a - c, rel=1e-9)


def test_shares_from_chain_volume_are_impossible(sector_wh):
    s = sectors(sector_wh)
    assert s["share_pct"].notna().all()  # every share row is a current-price row
    with pytest.raises(ValueError, match="current prices only"):
        g.structure(s, price_basis="cvm")
    con = duckdb.connect(str(sector_wh), read_only=True)
    cvm_total = con.execute("""SELECT count(*) FROM mart_gpp_sector WHERE va_cp IS NULL""").fetchone()[0]
    con.close()
    assert cvm_total == 0


def _numbers(text: str) -> list[str]:
    return re.findall(r"-?\d[\d,]*(?:\.\d+)?", text)


@pytest.mark.parametrize(
    "lang,first,last,figure",
    [
        ("th", "2562", "2566", "114,266.362"),
        ("en", "2562", "2566", "227,726"),
        ("th", "2538", "2563", "125,362.282"),
        ("en", "2538", "2563", "26.17"),
    ],
)
def test_every_number_in_the_analysis_is_in_the_tables(built_warehouse, monkeypatch, lang, first, last, figure):
    """The 2024 edition (totals only) and NESDC's sector table (2538-2563, against the region
    and the kingdom): every number of the text is in a table beside it."""
    monkeypatch.setenv("SANYAN_WAREHOUSE", str(built_warehouse))
    import app
    import db
    from pages import gpp as page

    all_totals, view, mine, secs = page.load("86", first, last, None)
    areas = db.query("gpp/area_sectors", region="R-S")
    with app.server.test_request_context("/", headers={"Cookie": f"sanyan_lang={lang}"}):
        table = page._table(mine, lang)
        srows = g.sector_rows(secs, view)
        crows = g.compare_rows(secs, areas, "R-S", view)
        sector_table = page._sector_table(srows, lang) if not srows.empty else None
        compare_table = page._compare_table(crows, "ภาคใต้", lang) if not crows.empty else None
    text = " ".join(g.analysis(mine, secs, view, "ชุมพร", "ภาคใต้", lang, srows, crows, "ภาคใต้"))
    assert figure in text
    assert (compare_table is None) == (first == "2562")  # the 2024 edition publishes no sectors

    def cells(component, out):
        out.update(_texts(component) if component is not None else [])
        return out

    shown = cells(table, set()) | cells(sector_table, set()) | cells(compare_table, set())
    shown_numbers = {n.lstrip("-") for c in shown for n in _numbers(c)}  # the text says the sign in words
    for n in _numbers(text):
        assert n.lstrip("-") in shown_numbers, (n, text)


def test_an_office_sector_file_for_the_2024_edition_loads_beside_nesdc_official_2020_sectors(tmp_path):
    """The 2024 edition has totals only; an office with NESDC's newer sector table loads it through
    the gpp_sector template: its shares are computed on the 2024 edition's official total, and
    NESDC's 2020-edition sectors of the province are untouched."""
    data = make_data_dir(tmp_path / "data", sample=False)
    real = nesdc()
    total = real[("86", 2562)][0]
    write_csv(
        data / "incoming" / "gpp_sector" / "20261124T000000Z_aaaaaaaaaaaa_nesdc.csv",
        [
            "province_code",
            "year",
            "classification",
            "sector_code",
            "price_basis",
            "value_million_baht",
            "revision_flag",
            "edition",
            "provenance",
            "source_ref",
        ],
        [
            ["86", "2562", "ISIC4", "A", "cp", "40000", "r", "nesdc-2024", "official", "NESDC table 2.1"],
            [
                "86",
                "2562",
                "ISIC4",
                "C",
                "cp",
                f"{total - 40000:.3f}",
                "r",
                "nesdc-2024",
                "official",
                "NESDC table 2.1",
            ],
        ],
    )
    result = build(data_dir=data, warehouse=data / "warehouse" / "eis.duckdb", ops_url=f"sqlite:///{tmp_path}/o.db")
    s = sectors(result.warehouse, None)
    mine = s[s["edition"] == "nesdc-2024"]
    assert set(mine["provenance"]) == {"official"} and sorted(mine["sector_code"]) == ["A", "C"]
    assert mine["share_pct"].sum() == pytest.approx(100.0)
    assert mine.set_index("sector_code").loc["A", "share_pct"] == pytest.approx(100 * 40000 / total, rel=1e-12)
    old = s[(s["edition"] == "nesdc-2013-2020") & (s["year_be"] == 2562)]
    assert len(old) == 19 and set(old["provenance"]) == {"official"}


# ---------------------------------------------------------------- issue 26: the words of /gpp
def _page(built_warehouse, monkeypatch):
    monkeypatch.setenv("SANYAN_WAREHOUSE", str(built_warehouse))
    import app
    from pages import gpp as page

    return app, page


class _Node:
    """An element of a table drawn as one piece of HTML (components/rawhtml.py), read back with the
    standard library's parser, so that ``_find`` and ``_texts`` see it as they see components."""

    def __init__(self, tag: str, attrs: dict):
        self.tag, self.attrs, self.id, self.children = tag, attrs, attrs.get("id"), []


def _parsed(markup: str) -> _Node:
    from html.parser import HTMLParser

    root = _Node("root", {})
    stack = [root]

    class Builder(HTMLParser):
        def handle_starttag(self, tag, attrs):
            node = _Node(tag, dict(attrs))
            stack[-1].children.append(node)
            stack.append(node)

        def handle_endtag(self, tag):
            while len(stack) > 1 and stack.pop().tag != tag:
                pass

        def handle_data(self, data):
            stack[-1].children.append(data)

    Builder(convert_charrefs=True).feed(markup)
    return root


def _kids(component) -> list:
    if isinstance(getattr(component, "html", None), str):  # a rawhtml block: its HTML, parsed
        return [_parsed(component.html)]
    kids = getattr(component, "children", None)
    return kids if isinstance(kids, (list, tuple)) else [kids]


def _texts(component, out=None) -> list[str]:
    out = [] if out is None else out
    if isinstance(component, str):
        out.append(component)
        return out
    for k in _kids(component):
        if k is not None:
            _texts(k, out)
    return out


def _find(component, id_):
    if getattr(component, "id", None) == id_:
        return component
    for k in _kids(component):
        if k is not None and not isinstance(k, str):
            hit = _find(k, id_)
            if hit is not None:
                return hit
    return None


def _layout(app, page, province, lang):
    with app.server.test_request_context("/", headers={"Cookie": f"sanyan_lang={lang}"}):
        return page.layout(province=province)


def test_thai_sort_key_orders_provinces_as_the_dictionary():
    from components.thai import thai_sort_key

    names = ["แม่ฮ่องสอน", "เชียงใหม่", "แพร่", "ตรัง", "ชุมพร", "เพชรบุรี", "มุกดาหาร", "พิษณุโลก", "ภูเก็ต", "ยะลา"]
    names += ["ยโสธร", "ชลบุรี", "เพชรบูรณ์", "ร้อยเอ็ด", "ระนอง", "เชียงราย"]
    assert sorted(names, key=thai_sort_key) == [
        "ชลบุรี",
        "ชุมพร",
        "เชียงราย",
        "เชียงใหม่",
        "ตรัง",
        "พิษณุโลก",
        "เพชรบุรี",
        "เพชรบูรณ์",
        "แพร่",
        "ภูเก็ต",
        "มุกดาหาร",
        "แม่ฮ่องสอน",
        "ยโสธร",
        "ยะลา",
        "ร้อยเอ็ด",
        "ระนอง",
    ]
    assert sorted(names) != sorted(names, key=thai_sort_key)  # code point order is not this


def test_the_province_list_sorts_in_thai_collation_and_by_english_name(built_warehouse, monkeypatch):
    app, page = _page(built_warehouse, monkeypatch)
    th = [o["label"] for o in _find(_layout(app, page, "86", "th"), "gpp-province").options]
    assert len(th) == 77 and th[0] == "กระบี่" and th[-1] == "อุบลราชธานี"
    # under ช, พ, ม: not at the end as in code point order
    assert th.index("ชุมพร") + 1 == th.index("เชียงราย") and th.index("เชียงใหม่") + 1 == th.index("ตรัง")
    assert th.index("พิษณุโลก") < th.index("เพชรบุรี") < th.index("แพร่") < th.index("ภูเก็ต")
    assert th.index("มุกดาหาร") + 1 == th.index("แม่ฮ่องสอน") and th.index("แม่ฮ่องสอน") + 1 == th.index("ยโสธร")
    en = [o["label"] for o in _find(_layout(app, page, "86", "en"), "gpp-province").options]
    assert en == sorted(en, key=str.casefold) and en[0] == "Amnat Charoen"


def test_the_headline_quotes_the_latest_edition_and_the_table_keeps_the_other(built_warehouse, monkeypatch):
    """2563 is in both editions: 125,363.581 preliminary (2013-2020 edition), 125,362.282 revised (2024
    edition). The headline quotes the revised one and says so; the preliminary stays in the table."""
    app, page = _page(built_warehouse, monkeypatch)
    for lang, edition in (("th", "สศช. ฉบับ 2567"), ("en", "NESDC 2024 edition")):
        out = _layout(app, page, "86", lang)
        head = _texts(_find(out, "gpp-analysis"))[0]
        assert "125,362.282" in head and "125,363.581" not in head, head
        assert edition in head and ("ปรับปรุง" in head or "revised" in head)
        cells = " ".join(_texts(_find(out, "gpp-table")))
        assert "125,362.282" in cells and "125,363.581" in cells  # both editions, side by side
    totals = page.db.query("gpp/totals")
    newest = g.newest_by_year(totals[totals["province_code"] == "86"])
    assert newest[2563]["edition"] == "nesdc-2024" and newest[2561]["edition"] == "nesdc-2013-2020"


def test_each_share_says_what_it_is_a_share_of(built_warehouse, monkeypatch):
    """Not "ร้อยละ 55.52 ของ GPP จังหวัด ร้อยละ 26.17 ของภาคใต้" (as if Chumphon's agriculture were 26 %
    of the South's): each percentage is followed by the product it is a share of."""
    app, page = _page(built_warehouse, monkeypatch)
    th = _texts(_find(_layout(app, page, "86", "th"), "gpp-analysis"))
    compare = next(s for s in th if "26.17" in s)
    shares = re.findall(r"ร้อยละ [\d.,]+ (\S+)", compare)
    assert len(shares) == 3 and all(w.startswith("ของผลิตภัณฑ์มวลรวม") for w in shares), compare
    assert "ของผลิตภัณฑ์มวลรวมภาคใต้" in compare and "ร้อยละ 26.17 ของภาคใต้" not in compare
    en = _texts(_find(_layout(app, page, "86", "en"), "gpp-analysis"))
    compare = next(s for s in en if "26.17" in s)
    assert re.findall(r"[\d.]+% of (\S+ \S+)", compare) == ["Chumphon's GPP;", "the region's", "the kingdom's"]
    assert "gross regional product" in compare


def test_bangkok_ranks_and_compares_in_the_same_region(built_warehouse, monkeypatch):
    """Bangkok compares with NESDC's "Bangkok and vicinities" and ranks within it (1 of 6), not
    "1 of 22 in the Central region"; so do the medians beside its economy."""
    app, page = _page(built_warehouse, monkeypatch)
    con = duckdb.connect(str(built_warehouse), read_only=True)
    bkk = {r[0] for r in con.execute("SELECT area_code FROM dim_gpp_area WHERE region_code = 'R-BKK'").fetchall()}
    con.close()
    assert len(bkk) == 6 and "10" in bkk
    t = totals(built_warehouse, "10")
    assert (t.loc[2566, "rank_gpp_region"], t.loc[2566, "provinces_region"]) == (1, 6)
    for lang, region in (("th", "กรุงเทพมหานครและปริมณฑล"), ("en", "Bangkok and vicinities")):
        out = _layout(app, page, "10", lang)
        text = " ".join(_texts(_find(out, "gpp-analysis")))
        assert ("1 จาก 6 จังหวัดใน" + region if lang == "th" else "1 of 6 in " + region) in text, text
        assert "ภาคกลาง" not in text and "Central" not in text
        assert region in " ".join(_texts(_find(out, "gpp-compare-table")))
        assert "1/6" in " ".join(_texts(_find(out, "gpp-table")))


def test_a_province_created_within_the_series_is_said_so(built_warehouse, monkeypatch):
    """Bueng Kan (a province since 2554, from Nong Khai): the range starts there, said in words, and its
    first-year deflator of 100.00 explained; Chumphon has no such note."""
    app, page = _page(built_warehouse, monkeypatch)
    for lang, words_ in (("th", ("2554", "หนองคาย", "100.00")), ("en", ("2554", "Nong Khai", "100.00"))):
        out = _layout(app, page, "38", lang)
        assert out.to_plotly_json()["props"]["data-view"].startswith("38:2554:")
        note = " ".join(_texts(_find(out, "gpp-late-start")))
        assert all(w in note for w in words_), note
    assert _find(_layout(app, page, "86", "th"), "gpp-late-start") is None
    all_totals = page.db.query("gpp/totals")
    assert g.late_start(all_totals, "38") == 2554 and g.late_start(all_totals, "43") is None


def test_legends_and_tables_name_editions_for_a_reader(built_warehouse, monkeypatch):
    assert g.edition_label("nesdc-2013-2020", "th") == "สศช. ฉบับ 2556–2563"
    assert g.edition_label("nesdc-2013-2020", "en") == "NESDC 2013–2020 edition"
    assert g.edition_label("nesdc-2024", "th") == "สศช. ฉบับ 2567"
    assert g.edition_label("office-x", "en") == "office-x"
    app, page = _page(built_warehouse, monkeypatch)
    _all, _view, mine, secs = page.load("86", "2538", "2566", None)
    for lang in ("th", "en"):
        names = [t["name"] for t in g.levels_figure(mine, lang)["data"] + g.growth_figure(mine, lang)["data"]]
        names += [str(x) for t in g.structure_figure(secs, lang, False)["data"] for x in t["x"]]
        assert names and not any("nesdc-" in n for n in names), names
        cells = " ".join(_texts(page._table(mine, lang)))
        assert "nesdc-" not in cells and g.edition_label("nesdc-2024", lang) in cells


def test_exports_keep_rank_denominators_and_the_csv_has_the_sectors(built_warehouse, monkeypatch, tmp_path):
    import base64
    import io

    from openpyxl import load_workbook

    app, page = _page(built_warehouse, monkeypatch)
    _all, view, mine, secs = page.load("86", "2538", "2563", None)
    x = page.export(mine, secs, view, "th", "xlsx")
    wb = load_workbook(io.BytesIO(base64.b64decode(x["content"])))
    ws = wb["GPP"]
    head = [c.value for c in ws[1]]
    rows = [dict(zip(head, [c.value for c in r])) for r in ws.iter_rows(min_row=2)]
    last = next(r for r in rows if r["ปี พ.ศ."] == 2563 and r["ฉบับ"] == "สศช. ฉบับ 2567")
    assert last["อันดับประเทศ (GPP)"] == "23/77" and last["อันดับในภาค (GPP)"] == "5/14"
    assert last["อันดับประเทศ (ต่อหัว)"] == "12/77"
    assert next(r for r in rows if r["ปี พ.ศ."] == 2538)["อันดับประเทศ (GPP)"] == "35/76"  # before Bueng Kan
    assert "sectors" in wb.sheetnames and wb["sectors"].max_row == 1 + len(secs)
    c = page.export(mine, secs, view, "en", "csv")
    frame = pd.read_csv(io.StringIO(c["content"].lstrip("\ufeff")), dtype=str)
    y2563 = frame[(frame["Year (B.E.)"] == "2563") & (frame["Edition"] == "NESDC 2013–2020 edition")]
    assert list(y2563["Sector"])[0] == "TOTAL" and len(y2563) == 1 + 19  # the total, then its 19 sections
    agri = y2563[y2563["Sector"] == "A"].iloc[0]
    assert float(agri["Share of current-price GPP (%)"]) == pytest.approx(55.52, abs=0.005)
    assert agri["Contribution to real growth (percentage points)"] not in (None, "") and agri["Source"] == "official"
    assert set(frame[frame["Sector"] == "TOTAL"]["National rank (GPP)"].dropna()) <= {
        f"{n}/77" for n in range(1, 78)
    } | {f"{n}/76" for n in range(1, 77)}
