"""Issue 17, item 5: a sample mark on everything fed by sample. Every registered page is rendered
as an executive through Dash's page router, and every /map layer through the map's own callback
(the Flask test client, no browser); every named query a render runs is recorded with the
provenance of the rows it returned. An element that draws data (chart, table, tile, list of KPIs) is fed by sample when
the query it names (``data-query`` on itself or an enclosing element) returned sample rows, or,
when it names none, when any query of the render did. A sample-fed element must carry the mark:
the ``prov-sample`` badge (icon + word) in the element itself or in its own section / figure, or,
for a chart, "⚠ ข้อมูลตัวอย่าง" in the chart's title; a tile or a list may be marked by the page's
one sample notice instead (issue 26: one notice per page, not a badge on every block). Which views
have sample rows comes from the data each render read, never from a list kept here."""

from __future__ import annotations

from urllib.parse import urlencode

import dash
import pytest

from tests.conftest import ORIGIN, app_on_a_copy, router_body, signed_in_clients

WORD = {"th": "ข้อมูลตัวอย่าง", "en": "Sample data"}
ICON = "⚠"
# what draws data: charts and tables by type, tiles and lists by their class
DATA_TYPES = {"Graph", "Table", "DataTable"}
DATA_CLASSES = ("sy-tile", "sy-kpi-list", "sy-tree", "sy-tree-box", "sy-agreement")  # sy-tree-box: HTML in one piece
BLOCK_TYPES = {"Section", "Figure"}


@pytest.fixture(scope="module")
def env(built_warehouse, tmp_path_factory):
    """The app on a copy of the demo warehouse, one executive, and a recorder of every named
    query a render runs: (name, set of provenance values in its rows)."""
    with app_on_a_copy(built_warehouse, tmp_path_factory.mktemp("marks"), "marks") as mp:
        yield from _env(mp)


def _env(mp):
    import db
    import ops

    client = signed_in_clients(ops.engine(), "m", ("executive",), dash=True)("executive")
    seen: list[tuple[str, set[str]]] = []
    real = db.query

    def recording(name, **params):
        df = real(name, **params)
        provs: set[str] = set()
        for col in (c for c in df.columns if c.endswith("provenance")):
            for v in df[col].dropna():
                provs.update(p.strip() for p in str(v).split(";"))
        seen.append((name, provs))
        return df

    mp.setattr(db, "query", recording)
    yield client, seen


def render(env, path: str, search: str = "") -> tuple[dict, list]:
    client, seen = env
    seen.clear()
    r = client.post("/_dash-update-component", json=router_body(path, search), headers=ORIGIN)
    assert r.status_code == 200, (path, search, r.status_code)
    return r.get_json()["response"]["_pages_content"]["children"], list(seen)


def _nodes(tree, ancestors=()):
    """(component dict, its ancestors) depth first through a page's JSON component tree."""
    if isinstance(tree, list):
        for k in tree:
            yield from _nodes(k, ancestors)
    elif isinstance(tree, dict) and "type" in tree and "props" in tree:
        yield tree, ancestors
        yield from _nodes(tree["props"].get("children"), ancestors + (tree,))
        if tree["type"] == "Store":  # a chart drawn when scrolled to waits in a store (components/lazychart.py)
            yield from _nodes(tree["props"].get("data"), ancestors + (tree,))


def _text(tree) -> str:
    if isinstance(tree, (str, int, float)):
        return str(tree)
    if isinstance(tree, list):
        return "".join(_text(k) for k in tree)
    if isinstance(tree, dict) and "props" in tree:
        return _text(tree["props"].get("children"))
    return ""


def has_mark(tree, lang="th") -> bool:
    """The badge: an element of class prov-sample whose text has the icon and the word."""
    for node, _a in _nodes(tree):
        if "prov-sample" in str(node["props"].get("className") or ""):
            text = _text(node)
            if ICON in text and WORD[lang] in text:
                return True
    return False


def _title(node) -> str:
    title = ((node["props"].get("figure") or {}).get("layout") or {}).get("title") or {}
    return title.get("text", "") if isinstance(title, dict) else str(title)


def data_elements(tree):
    for node, ancestors in _nodes(tree):
        cls = str(node["props"].get("className") or "")
        if node["type"] in DATA_TYPES or any(c in cls.split() for c in DATA_CLASSES):
            yield node, ancestors


def page_notice(tree, lang="th") -> bool:
    """The page's one sample notice (issue 26: one notice per page, not a badge per block): an
    element of class ``sy-sample-note`` carrying the mark."""
    return any(
        "sy-sample-note" in str(node["props"].get("className") or "").split() and has_mark(node, lang)
        for node, _a in _nodes(tree)
    )


def unmarked(tree, seen, lang="th") -> list[str]:
    """The sample-fed data elements with no mark in themselves, their own section or figure, or
    their title. Tiles and lists are marked by the page's one sample notice when it has one; a
    chart or a table keeps a mark of its own (it is exported and shown alone)."""
    fed = sample_fed(seen)
    ran = {name for name, _p in seen}
    notice = page_notice(tree, lang)
    out = []
    for node, ancestors in data_elements(tree):
        named = next(
            (n["props"]["data-query"] for n in (node,) + tuple(reversed(ancestors)) if n["props"].get("data-query")),
            None,
        )
        assert named is None or named in ran, f"{named} is named but did not run"
        if not (fed if named is None else named in fed):
            continue
        if has_mark(node, lang) or f"{ICON} {WORD[lang]}" in _title(node):
            continue
        if notice and node["type"] not in DATA_TYPES:
            continue
        block = next((a for a in reversed(ancestors) if a["type"] in BLOCK_TYPES), None)
        if block is not None and has_mark(block, lang):
            continue
        out.append(f"{node['type']}#{node['props'].get('id') or node['props'].get('className')}")
    return out


def pages() -> list[str]:
    """Every registered page an executive may open (all but /admin)."""
    from web import auth

    out = []
    for p in dash.page_registry.values():
        path = p.get("example_path") or p["path"]
        if not p["module"].endswith("not_found_404") and auth.may_open(path, "executive"):
            out.append(path)
    return out


def sample_fed(seen) -> list[str]:
    return sorted({name for name, provs in seen if "sample" in provs})


def test_every_page_marks_what_sample_feeds(env):
    failures, fed = {}, 0
    for path in pages():
        try:
            tree, seen = render(env, path)
        except AssertionError as e:  # a page that does not render is a failure too
            failures[path] = str(e)
            continue
        if not sample_fed(seen):
            continue
        fed += 1
        missing = unmarked(tree, seen)
        if missing:
            failures[path] = (missing, sample_fed(seen))
    assert fed >= 5  # the demo has sample rows on many pages
    assert not failures, failures


MAP_OUTPUTS = [
    ("map-graph", "figure"),
    ("map-url", "search"),
    ("map-nav", "href"),
    ("map-year", "options"),
    ("map-year", "value"),
    ("map-note", "children"),
    ("map-fresh", "children"),
]


def change_layer(env, level: str, layer: str) -> tuple[dict, list]:
    """What the browser gets when the reader picks `layer` (the map's own callback, as Dash posts
    it): the patch of the figure and the caption under the map, with the queries it ran."""
    client, seen = env
    seen.clear()
    body = {
        "output": ".." + "...".join(f"{i}.{p}" for i, p in MAP_OUTPUTS) + "..",
        "outputs": [{"id": i, "property": p} for i, p in MAP_OUTPUTS],
        "inputs": [
            {"id": "map-level", "property": "value", "value": level},
            {"id": "map-layer", "property": "value", "value": layer},
            {"id": "map-year", "property": "value", "value": None},
        ],
        "state": [{"id": "map-url", "property": "search", "value": ""}],
        "changedPropIds": ["map-layer.value"],
    }
    r = client.post("/_dash-update-component", json=body, headers=ORIGIN)
    assert r.status_code == 200, (level, layer, r.status_code)
    return r.get_json()["response"], list(seen)


def test_every_map_layer_marks_what_sample_feeds(env):
    """Every layer of every level, as the reader switches to it: a layer whose values include
    sample rows says so in the map's title (on the map itself) and under it; the others do not."""
    from pages import map as page

    failures, fed, official = {}, 0, 0
    for level in page.LEVELS:
        tree, _ = render(env, "/map", "?" + urlencode({"level": level}))
        layer_select = next(n for n, _a in _nodes(tree) if n["props"].get("id") == "map-layer")
        for opt in layer_select["props"]["options"]:
            out, seen = change_layer(env, level, opt["value"])
            ops = out["map-graph"]["figure"]["operations"]
            title = next(op["params"]["value"] for op in ops if op["location"] == ["layout", "title", "text"])
            caption = out["map-fresh"]["children"]
            values = [n for n, _p in seen if n == page.source(opt["value"])]
            assert values, (level, opt["value"])  # the layer's own query ran
            if sample_fed([(n, p) for n, p in seen if n in values]):
                fed += 1
                if f"{ICON} {WORD['th']}" not in title or not has_mark(caption):
                    failures[(level, opt["value"])] = title
            else:
                official += 1
                assert WORD["th"] not in title and not has_mark(caption), (level, opt["value"])  # no false alarm
    assert fed and official
    assert not failures, failures


def test_one_page_notice_marks_tiles_and_lists_but_not_charts():
    """Issue 26: the page's one notice covers its tiles and lists; a chart still needs its own mark."""
    from dash import dcc, html

    from components.layout import provenance_badge

    def tree(*kids):
        return _json(html.Div(list(kids)))

    seen = [("q", {"sample"})]
    notice = html.Div([provenance_badge("sample", "th"), " ตัวอย่าง"], className="alert sy-sample-note")
    listed = html.Ul([html.Li("K01")], className="sy-kpi-list", id="l")
    chart = dcc.Graph(id="g", figure={"layout": {"title": {"text": "ผล"}}})
    assert unmarked(tree(listed), seen) == ["Ul#l"]
    assert unmarked(tree(notice, listed), seen) == []
    assert unmarked(tree(notice, listed, chart), seen) == ["Graph#g"]
    marked = dcc.Graph(id="g", figure={"layout": {"title": {"text": f"ผล · {ICON} {WORD['th']}"}}})
    assert unmarked(tree(notice, marked), seen) == []


def test_the_mark_helpers():
    from components.layout import is_sample, sample_caption, sample_mark, sample_suffix

    assert is_sample("official; sample") and is_sample(["official", "sample"]) and is_sample("Sample")
    assert not is_sample(["official", "entered", None]) and not is_sample(None) and not is_sample("samples")
    assert sample_mark(["official"], "th") is None and sample_caption("official", "en") is None
    assert sample_suffix(["sample"], "en") == " · ⚠ Sample data" and sample_suffix("official", "th") == ""
    assert has_mark(_json(sample_caption("sample", "th"))) and has_mark(_json(sample_mark("sample", "en")), "en")
    assert not has_mark(_json(sample_mark("sample", "en")), "th")  # the word of the reader's language


def _json(component):
    """A component as the router sends it (nested plain dicts)."""
    import json

    import plotly

    return json.loads(json.dumps(component, cls=plotly.utils.PlotlyJSONEncoder))


def test_about_data_names_every_public_source_and_its_files():
    from pathlib import Path

    import app  # noqa: F401  (a page registers itself with the app: the app first, run alone too)
    from pages.about_data import PUBLIC_SOURCES

    data = Path(__file__).resolve().parents[1] / "data"
    publishers = {src["publisher"][1] for src in PUBLIC_SOURCES}
    assert {"NESDC", "Ministry of Tourism and Sports", "Board of Investment"} <= publishers
    assert any("Department of Provincial Administration" in p for p in publishers)
    for src in PUBLIC_SOURCES:
        assert src["licence"] and src["edition"] and src["caveat"], src["publisher"]
        for f in src["files"]:
            assert (data / f).exists(), f
