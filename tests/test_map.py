"""The map, district profiles and the provincial database on the server: update payloads stay
small, coverage gaps are counted right, bad input is friendly, bad geometry stops the build."""

from __future__ import annotations

import csv
import json
import shutil

import pandas as pd
import plotly
import pytest
from flask_login import login_user

from components import coverage, mapview
from etl.build import BuildError, build
from tests.conftest import ROOT, make_data_dir, walk
from web import auth


@pytest.fixture(scope="module")
def app_module(built_warehouse):
    mp = pytest.MonkeyPatch()
    mp.setenv("SANYAN_WAREHOUSE", str(built_warehouse))
    import app

    yield app
    mp.undo()


def test_layer_change_sends_values_only(app_module, monkeypatch):
    from dash._callback_context import context_value
    from dash._utils import AttributeDict

    from pages import map as page

    with app_module.server.test_request_context("/"):
        login_user(auth.User(0, "tester", "viewer", None, None))  # staff: the page admits them
        full = page.layout()
        context_value.set(AttributeDict(triggered_inputs=[{"prop_id": "map-layer.value", "value": "status:K05"}]))
        out = page._update("district", "status:K05", "2569", "")
    figure = next(c for c in walk(full) if getattr(c, "id", None) == "map-graph").figure
    full_bytes = len(json.dumps(figure, cls=plotly.utils.PlotlyJSONEncoder))
    patch_bytes = len(json.dumps(out[0].to_plotly_json(), cls=plotly.utils.PlotlyJSONEncoder))
    assert patch_bytes <= 50_000 and patch_bytes < full_bytes / 3, (patch_bytes, full_bytes)
    ops = out[0].to_plotly_json()["operations"]
    assert not any("x" in op["location"] or "y" in op["location"] for op in ops)  # no geometry
    assert out[1] == "?layer=status%3AK05&year=2569"


def test_paint_says_no_data_and_status_has_words():
    vals = pd.DataFrame({"area_code": ["8601"], "value": [5.0], "status": ["red"], "provenance": ["sample"]})
    p = mapview.paint(["8601", "8602"], ["เมือง", "ท่าแซะ"], vals, "status", "ราย", "t", "ปี 2569", "th")
    assert p.fill == [mapview.STATUS_FILL["red"], mapview.NO_DATA]
    assert "ต่ำกว่าเกณฑ์" in p.text[0] and "ไม่มีข้อมูล" in p.text[1] and "ตัวอย่าง" in p.text[0]
    assert "ราย" in p.text[0] and "ปี 2569" in p.text[0]  # value, unit, as-of and provenance
    empty = mapview.paint(["8601"], ["เมือง"], pd.DataFrame(), "number", "คน", "t", "", "th")
    assert empty.fill == [mapview.NO_DATA]


def test_a_layer_without_values_says_so(app_module):
    from pages import map as page

    with app_module.server.test_request_context("/"):
        level, avail, layer, _y = page._choose("district", "population", None, "th")
        shapes = page.db.query("map/shapes", level=level, province="86")
        _p, has, _prov = page._paint(shapes, level, avail, layer, 1800, "th")
    assert has is False


def test_coverage_on_a_fixture_with_known_gaps():
    cells = pd.DataFrame(
        [
            (i, y, d, (i, y, d) not in {("A", 2565, "d2"), ("B", 2564, "d1"), ("B", 2566, "d1")})
            for i in ("A", "B")
            for y in (2564, 2565, 2566)
            for d in ("d1", "d2")
        ],
        columns=["indicator_code", "year_be", "district_code", "present"],
    )
    s = coverage.summarise(cells).set_index(["indicator_code", "year_be"])
    assert s.loc[("A", 2565), "present"] == 1 and not s.loc[("A", 2565), "complete"]
    assert s.loc[("A", 2564), "complete"] and s.loc[("A", 2564), "complete_years"] == 2
    assert not s.loc[("A", 2564), "has_required"] and s.loc[("B", 2566), "complete_years"] == 1
    assert len(coverage.missing_cells(cells)) == 3


def test_indicators_page_shows_the_sample_gaps(app_module):
    from pages import indicators as page
    from web import auth

    with app_module.server.test_request_context("/"), pytest.MonkeyPatch.context() as mp:
        mp.setattr(auth, "role", lambda: "viewer")  # staff read open and internal indicators
        tree = page.layout()
    # the coverage matrix is one piece of escaped HTML (components/rawhtml.py): read it back, each
    # row's cells as (text, attributes)
    from html.parser import HTMLParser

    box = next(c for c in walk(tree) if getattr(c, "id", None) == "indicators-coverage-box")
    rows: dict[str, list] = {}

    class Coverage(HTMLParser):
        row = None

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "tr" and "data-indicator" in a:
                self.row = rows.setdefault(a["data-indicator"], [])
            elif tag == "td" and self.row is not None:
                self.row.append(["", a])

        def handle_data(self, data):
            if self.row:
                self.row[-1][0] += data

    Coverage(convert_charrefs=True).feed(box.html)
    # the sample catalogue's indicators and DOPA's registered population (I01), published by district;
    # the province-level official ones (HAI, tourism, BOI) have no district cells
    with open(ROOT / "data" / "sample" / "indicators.csv", encoding="utf-8") as f:
        sample_codes = {r["indicator_code"] for r in csv.DictReader(f)}
    assert set(rows) == sample_codes | {"I01"} and "HAI" not in rows
    i20 = [text for text, _a in rows["I20"]]
    assert "6/8 ✗" in i20 and rows["I20"][-1][1]["data-has-three"] == "true"
    assert rows["I12"][-1][1]["data-has-three"] == "false"  # fish landings: coastal districts only
    assert any(getattr(c, "id", None) == "indicators-unverified" for c in walk(tree))


def test_unknown_district_is_not_found(app_module):
    from pages import district as page

    with app_module.server.test_request_context("/"):
        login_user(auth.User(0, "tester", "viewer", None, None))  # staff: the page admits them
        tree = page.layout(code="9999")
        ok = page.layout(code="8604")
    assert any(getattr(c, "id", None) == "district-notfound-title" for c in walk(tree))
    assert any(getattr(c, "id", None) == "district-disasters" for c in walk(ok))


def test_invalid_boundary_stops_the_build_with_the_feature_named(tmp_path):
    data = make_data_dir(tmp_path / "data", sample=False)
    (data / "geo").unlink()
    shutil.copytree(ROOT / "data" / "geo", data / "geo")
    path = data / "geo" / "thailand_districts.geojson"
    gj = json.loads(path.read_text(encoding="utf-8"))
    feature = next(f for f in gj["features"] if str(f["properties"]["AMP_CODE"]) == "8603")
    feature["geometry"] = {
        "type": "Polygon",  # a bow tie: self-intersecting
        "coordinates": [[[99.0, 10.0], [99.2, 10.2], [99.2, 10.0], [99.0, 10.2], [99.0, 10.0]]],
    }
    path.write_text(json.dumps(gj), encoding="utf-8")
    with pytest.raises(BuildError, match=r"thailand_districts\.geojson feature \d+ \(8603\): invalid geometry"):
        build(data_dir=data, warehouse=data / "warehouse" / "eis.duckdb", ops_url=f"sqlite:///{tmp_path}/o.db")
    assert not (data / "warehouse" / "eis.duckdb").exists()


def test_the_legend_reads_in_value_order_and_the_names_are_on_the_map(app_module):
    """Issue 19, item 7: the legend's classes from low to high (no data last) whatever order the
    areas come in, the lights worst first; each district's name drawn on the map where it fits."""
    codes = ["8601", "8602", "8603", "8604", "8605", "8606"]
    vals = pd.DataFrame(
        {"area_code": codes[:5], "value": [500.0, 10.0, 300.0, 20.0, 90.0], "provenance": ["official"] * 5}
    )
    p = mapview.paint(codes, codes, vals, "number", "คน", "t", "", "th")
    shown = sorted((r, n) for r, n, first in zip(p.rank, p.name, p.legend) if first)
    lows = [float(n.split("–")[0].replace(",", "")) for _r, n in shown[:-1]]
    assert lows == sorted(lows) and shown[-1][1] == "ไม่มีข้อมูล"  # low to high, then no data
    st = pd.DataFrame(
        {
            "area_code": codes[:3],
            "value": [1.0, 2.0, 3.0],
            "status": ["green", "red", "yellow"],
            "provenance": ["sample"] * 3,
        }
    )
    q = mapview.paint(codes[:3], codes[:3], st, "status", "", "t", "", "en")
    assert [n for _r, n in sorted(zip(q.rank, q.name))] == ["Off track", "At risk", "On track"]
    from pages import map as page

    with app_module.server.test_request_context("/"):
        login_user(auth.User(0, "tester", "viewer", None, None))
        full = page.layout()
    figure = next(c for c in walk(full) if getattr(c, "id", None) == "map-graph").figure
    labels = [t for t in figure["data"] if t.get("mode") == "text"]
    import db

    districts = db.query("map/shapes", level="district", province="86")
    assert len(labels) == 1 and set(labels[0]["text"]) == set(districts["name_th"])  # all eight fit
    assert labels[0]["hoverinfo"] == "skip"  # a click on a name still opens nothing else


# issue 26, the map: grouped and searchable layers, the layer kept across levels, a status layer's
# unit, labels that do not overlap


def test_layers_are_grouped_in_order_and_searchable_by_group(app_module):
    from pages import map as page

    with app_module.server.test_request_context("/"):
        login_user(auth.User(0, "tester", "viewer", None, None))
        avail = {lang: page.layers("district", lang) for lang in ("th", "en")}
        tree = page.layout()
    import db

    catalogue = db.query("indicators/catalogue").dropna(subset=["indicator_code"]).set_index("indicator_code")
    for lang, lay in avail.items():
        tx = page.TEXT[lang]
        opts = page.layer_options(lay)
        assert [o["value"] for o in opts] == list(lay) and len(opts) > 90
        groups = [lay[o["value"]]["group"] for o in opts]
        runs = [g for i, g in enumerate(groups) if i == 0 or g != groups[i - 1]]
        assert len(runs) == len(set(runs)) >= 5, runs  # each group is one run: a grouped list
        kinds = [
            "kpi" if g == tx["g_kpi"] else "pop" if g == tx["g_pop"] else "dis" if g == tx["g_dis"] else "ind"
            for g in runs
        ]
        assert kinds[0] == "kpi" and kinds[-2:] == ["pop", "dis"] and set(kinds[1:-2]) == {"ind"}, kinds
        for o in opts:
            meta = lay[o["value"]]
            assert o["label"].startswith(meta["group"] + " › ")  # the group is part of the label...
            assert meta["group"] in o["search"] and o["value"] in o["search"]  # ...and of what is searched
            if o["value"].startswith("ind:"):  # an indicator sits under its own topic group
                row = catalogue.loc[o["value"][4:]]
                assert row["group_en" if lang == "en" else "group_th"] in meta["group"], (o, row)
        # Thai first, English with the English names
        assert any("ผลผลิตทุเรียน" in o["label"] for o in opts) if lang == "th" else opts[0]["label"].startswith("KPIs › ")
    select = next(c for c in walk(tree) if getattr(c, "id", None) == "map-layer")
    assert [o["value"] for o in select.options] == list(avail["th"])
    assert any(getattr(c, "id", None) == "map-layer-search" for c in walk(tree))
    # the search box: a group's name finds that group's layers only, the chosen layer always stays
    opts = page.layer_options(avail["th"])
    fish = page.matching(opts, "การประมง")
    assert fish and all(avail["th"][o["value"]]["group"].endswith("การประมง") for o in fish), fish
    assert {o["value"] for o in page.matching(opts, "k05")} == {"kpi:K05", "status:K05"}
    assert {o["value"] for o in page.matching(opts, "สถานะ k05")} == {"status:K05"}  # every word
    assert [o["value"] for o in page.matching(opts, "ไม่มีชั้นนี้", keep="population")] == ["population"]
    with app_module.server.test_request_context("/"):
        login_user(auth.User(0, "tester", "viewer", None, None))
        options, count = page._search("การประมง", "district", "population")
    assert [o["value"] for o in options] == [o["value"] for o in fish] + ["population"]
    assert count == f"พบ {len(fish)} รายการ"


def test_a_level_change_keeps_the_layer_or_says_why_not(app_module):
    from dash._callback_context import context_value
    from dash._utils import AttributeDict

    from pages import map as page

    def rendered(**kw):
        tree = page.layout(**kw)
        layer = next(c for c in walk(tree) if getattr(c, "id", None) == "map-layer").value
        note = [c for c in walk(tree) if getattr(c, "id", None) == "map-fallback"]
        return layer, (note[0].children if note else None)

    with app_module.server.test_request_context("/"):
        login_user(auth.User(0, "tester", "viewer", None, None))
        context_value.set(AttributeDict(triggered_inputs=[{"prop_id": "map-level.value", "value": "subdistrict"}]))
        href = page._update("subdistrict", "population", "2564", "")[2]
        assert href == "/map?level=subdistrict&layer=population&year=2564"  # the layer goes along
        assert rendered(level="subdistrict", layer="population", year="2564") == ("population", None)
        assert rendered(level="province", layer="population", year="2564") == ("population", None)
        assert rendered(level="district", layer="ind:I20") == ("ind:I20", None)
        # a KPI status exists at district level only: fall back, and say so in words
        layer, note = rendered(level="subdistrict", layer="status:K05", year="2569")
        assert layer == "population" and note is not None
        assert "K05" in note and "ตำบล" in note and "ประชากรตามทะเบียนราษฎร์" in note, note
        layer, note = rendered(level="province", layer="ind:I20")
        assert layer == "population" and note and "จังหวัด" in note
    with app_module.server.test_request_context("/", headers={"Cookie": "sanyan_lang=en"}):
        login_user(auth.User(0, "tester", "viewer", None, None))
        layer, note = rendered(level="subdistrict", layer="kpi:K05")
        assert layer == "population" and "sub-district" in note and "K05" in note, note


def test_a_status_layer_hover_gives_the_kpi_unit_and_the_status_word(app_module):
    from components.status import STATUS, status_word
    from pages import map as page

    with app_module.server.test_request_context("/"):
        login_user(auth.User(0, "tester", "viewer", None, None))
        level, avail, layer, year = page._choose("district", "status:K05", "2569", "th")
        shapes = page.db.query("map/shapes", level=level, province="86")
        p, has, _prov = page._paint(shapes, level, avail, layer, year, "th")
        unit = page.db.query("map/kpis", province="86").set_index("kpi_code").loc["K05", "unit"]
    assert layer == "status:K05" and has and unit
    words = [status_word(k, "th") for k in STATUS]
    with_value = [t.split("<br>")[1] for t in p.text if " · " in t.split("<br>")[1]]
    assert len(with_value) >= 4, p.text
    for t in with_value:
        word, value = t.split(" · ")
        assert word in words, t  # the status word
        assert value.endswith(f" {unit}") and value[0].isdigit(), t  # the value to date in the KPI's unit


def test_subdistrict_labels_do_not_overlap(app_module):
    from pages import map as page

    with app_module.server.test_request_context("/"):
        login_user(auth.User(0, "tester", "viewer", None, None))
        tree = page.layout(level="subdistrict")
    figure = next(c for c in walk(tree) if getattr(c, "id", None) == "map-graph").figure
    labels = next(t for t in figure["data"] if t.get("mode") == "text")
    import db

    shapes = db.query("map/shapes", level="subdistrict", province="86")
    scale = mapview.px_per_unit(shapes)
    boxes = []
    for x, y, name in zip(labels["x"], labels["y"], labels["text"]):
        w, h = mapview.text_box_px(name)
        boxes.append((name, (x - w / 2 / scale, y - h / 2 / scale, x + w / 2 / scale, y + h / 2 / scale)))
    clashes = [(a, b) for i, (a, ba) in enumerate(boxes) for b, bb in boxes[i + 1 :] if mapview.overlaps(ba, bb)]
    assert len(boxes) >= 10 and not clashes, clashes
    # the candidates alone (every area large enough) would collide: the placement is what keeps them apart
    points = [(pt, n) for pt, n in zip(mapview.label_points(shapes), shapes["name_th"]) if pt]
    naive = []
    for (x, y), name in points:
        w, h = mapview.text_box_px(name)
        naive.append((x - w / 2 / scale, y - h / 2 / scale, x + w / 2 / scale, y + h / 2 / scale))
    assert any(mapview.overlaps(a, b) for i, a in enumerate(naive) for b in naive[i + 1 :])
    assert len(boxes) < len(points)


def test_label_placement_is_greedy_largest_first():
    """Two areas whose names would collide: the larger keeps its name, the smaller is skipped;
    an area far away keeps its own."""

    def square(x0, y0, size):
        ring = [[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size], [x0, y0]]
        return json.dumps({"type": "Polygon", "coordinates": [ring]})

    shapes = pd.DataFrame(
        {
            "area_code": ["a", "b", "c"],
            "geojson": [square(0, 0, 1.0), square(1.0, 0.2, 0.6), square(0, 8, 1.0)],
        }
    )
    placed = mapview.label_layout(shapes, ["ใหญ่กว่ามากมาย", "เล็กกว่ามากมาย", "ไกลออกไป"])
    assert [n for _x, _y, n, _b in placed] == ["ใหญ่กว่ามากมาย", "ไกลออกไป"]
