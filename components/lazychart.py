"""Charts drawn when they come near the screen (issue 29: a long page such as /gpp drew every chart
at once on load, most of them below the fold).

``lazy_graph`` builds the same chart as ``components.cockpit.graph`` (caption for screen readers,
freshness note, PNG/SVG buttons), but its ``dcc.Graph`` is kept in a ``dcc.Store`` beside a
container of the chart's final height that shows a placeholder ("Drawing the chart…", a live
status). assets/sanyan-lazy.js watches every such container with an IntersectionObserver (a
margin of one screen above and below) and, when one comes near, sets the store
``{"type": "sy-lazy-seen", "graph": <id>}`` to true with ``dash_clientside.set_props``; the one
clientside callback of ``clientside_callback_args`` then puts the stored graph in the container,
and Plotly draws it. In print (``beforeprint``, ``@media print``, the PDF export) and in meeting
mode (``?present=1``) the script draws every chart at once. The figure itself is never changed.

Pure functions only: the page that uses ``lazy_graph`` registers the callback once
(``dash.clientside_callback(*clientside_callback_args())``).
"""

from __future__ import annotations

from typing import Any

from dash import MATCH, ClientsideFunction, Input, Output, State, dcc, html

from components.cockpit import graph

PLACEHOLDER = {"th": "กำลังวาดแผนภูมิ…", "en": "Drawing the chart…"}


def lazy_ids(id_: str) -> dict[str, dict]:
    """The pattern-matching ids of a lazy chart's container, its stored graph and its "seen" flag."""
    return {
        "box": {"type": "sy-lazy", "graph": id_},
        "fig": {"type": "sy-lazy-fig", "graph": id_},
        "seen": {"type": "sy-lazy-seen", "graph": id_},
    }


def lazy_graph(
    fig: dict,
    id_: str,
    label: str,
    note: Any = None,
    lang: str | None = None,
    placeholder: str | None = None,
    query: str | None = None,
) -> html.Figure:
    """``cockpit.graph(fig, id_, label, note)`` whose plot is drawn only near the viewport: the
    ``dcc.Graph`` (id `id_`, figure `fig` unchanged) waits in a store; a box of the figure's height
    shows `placeholder` (default: "กำลังวาดแผนภูมิ…" / "Drawing the chart…" in `lang`) until then."""
    from components.i18n import current_lang

    lang = lang or current_lang()
    chart = graph(fig, id_, label, note, lang=lang, query=query)
    kids = list(chart.children)
    g = kids[1]  # the dcc.Graph (cockpit.graph: caption, graph, note?, export buttons)
    assert isinstance(g, dcc.Graph) and g.id == id_
    height = fig.get("layout", {}).get("height", 380)
    ids = lazy_ids(id_)
    text = placeholder or PLACEHOLDER["en" if lang == "en" else "th"]
    box = html.Div(
        html.P(
            text,
            className="sy-lazy-placeholder text-muted m-0",
            role="status",
            style={"height": "100%", "display": "flex", "alignItems": "center", "justifyContent": "center"},
        ),
        id=ids["box"],
        className="sy-lazy-chart",
        style={"height": f"{height}px"},
        **{"data-sy-lazy": id_},
    )
    kids[1:2] = [box, dcc.Store(id=ids["fig"], data=g.to_plotly_json()), dcc.Store(id=ids["seen"], data=False)]
    chart.children = kids
    return chart


def clientside_callback_args() -> tuple:
    """The arguments of the one ``dash.clientside_callback`` that draws a lazy chart once seen
    (assets/sanyan-lazy.js: ``window.dash_clientside.syLazy.draw``)."""
    return (
        ClientsideFunction(namespace="syLazy", function_name="draw"),
        Output({"type": "sy-lazy", "graph": MATCH}, "children"),
        Input({"type": "sy-lazy-seen", "graph": MATCH}, "data"),
        State({"type": "sy-lazy-fig", "graph": MATCH}, "data"),
    )
