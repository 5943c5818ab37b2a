"""components/lazychart.py: a chart drawn when it comes near the screen keeps cockpit.graph's
caption, note and buttons, its figure unchanged in the store, and the box its final height."""

from __future__ import annotations

from dash import dcc, html

from components.lazychart import clientside_callback_args, lazy_graph, lazy_ids

FIG = {"data": [{"type": "bar", "x": [1, 2], "y": [3, 4]}], "layout": {"height": 420, "title": {"text": "t"}}}


def _kids(chart):
    return list(chart.children)


def test_the_graph_waits_in_a_store_with_its_figure_unchanged():
    chart = lazy_graph(FIG, "gpp-x", "label", "note", lang="th")
    assert isinstance(chart, html.Figure)
    kids = _kids(chart)
    assert isinstance(kids[0], html.Figcaption) and kids[0].children == "label"  # the text alternative
    box, fig, seen = kids[1], kids[2], kids[3]
    assert box.id == lazy_ids("gpp-x")["box"] and getattr(box, "data-sy-lazy") == "gpp-x"
    assert box.style["height"] == "420px"  # the chart's final height before it is drawn
    assert box.children.children == "กำลังวาดแผนภูมิ…" and box.children.role == "status"
    assert isinstance(fig, dcc.Store) and fig.id == lazy_ids("gpp-x")["fig"]
    assert fig.data["type"] == "Graph" and fig.data["namespace"] == "dash_core_components"
    assert fig.data["props"]["id"] == "gpp-x" and fig.data["props"]["figure"] is FIG
    assert isinstance(seen, dcc.Store) and seen.id == lazy_ids("gpp-x")["seen"] and seen.data is False
    assert not any(isinstance(k, dcc.Graph) for k in kids)  # nothing for Plotly to draw yet
    assert "sy-export-bar" in kids[-1].className  # the PNG / SVG buttons stay


def test_english_placeholder_and_a_page_of_its_own():
    assert _kids(lazy_graph(FIG, "gpp-x", "l", lang="en"))[1].children.children == "Drawing the chart…"
    assert _kids(lazy_graph(FIG, "gpp-x", "l", lang="th", placeholder="รอ"))[1].children.children == "รอ"


def test_the_callback_matches_each_chart_to_its_own_box():
    fn, out, inp, state = clientside_callback_args()
    assert fn.namespace == "syLazy" and fn.function_name == "draw"
    assert out.component_property == "children" and inp.component_property == "data"
    assert out.component_id["type"] == "sy-lazy" and inp.component_id["type"] == "sy-lazy-seen"
    assert state.component_id["type"] == "sy-lazy-fig"
