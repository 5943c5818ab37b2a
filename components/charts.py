"""The one chart base every figure of the app starts from (issue 26: charts that never collide).

A figure is a plain dict: Dash sends it as it is (plotly.graph_objects would validate every
property and cost tens of milliseconds per chart). ``fig_base`` gives the title, fonts, axes, the
margins and the legend's place; a chart only adds its traces and what is its own (axis titles,
bar mode, ranges). The legend sits under the x axis's title, never on it, and when it wraps it
pushes the figure's bottom margin out (``autoexpand``), never onto a title. A map (no axes) keeps
its legend on the right (``legend="side"``). Small sparklines (components/spark.py) are SVG
pictures, not figures, and have no legend.
"""

from __future__ import annotations

AXIS = {"gridcolor": "#e6e9ee", "zerolinecolor": "#c5cbd3", "automargin": True}

# below the plot, starting under the x axis's title (y is a fraction of the plot's height)
LEGEND = {"orientation": "h", "x": 0, "xanchor": "left", "y": -0.34, "yanchor": "top"}
# a map's legend: on the right, top to bottom, in the order the traces give
SIDE_LEGEND = {"orientation": "v", "x": 1, "xanchor": "left", "y": 0.5, "traceorder": "normal"}

MARGIN = {"l": 60, "r": 20, "t": 50, "b": 50, "autoexpand": True}
SIDE_MARGIN = {"l": 10, "r": 10, "t": 50, "b": 10, "autoexpand": True}
FONT = {"family": "Sarabun, sans-serif", "size": 14}


def fig_base(
    title: str,
    height: int = 400,
    *,
    legend: str = "below",
    hovermode: str | None = "x unified",
    title_size: int = 16,
) -> dict:
    """A figure with no traces yet: `legend` "below" (charts with axes) or "side" (maps: axes
    hidden, legend on the right); `hovermode` None leaves Plotly's own."""
    side = legend == "side"
    layout = {
        "title": {"text": title, "font": {"size": title_size}},
        "margin": dict(SIDE_MARGIN if side else MARGIN),
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "font": dict(FONT),
        "legend": dict(SIDE_LEGEND if side else LEGEND),
        "height": height,
        "xaxis": dict(AXIS),
        "yaxis": dict(AXIS),
    }
    if hovermode:
        layout["hovermode"] = hovermode
    return {"data": [], "layout": layout}


def year_axis(years) -> dict:
    """An x axis of B.E. years, whole years only: every year when there are few (≤ 10), else
    Plotly's own step (whole years still), so that on a phone the labels never run into each other."""
    return {"tickformat": "d", "dtick": 1} if len(set(years)) <= 10 else {"tickformat": "d"}
