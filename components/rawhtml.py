"""Long lists as one piece of HTML instead of thousands of Dash components.

A Dash component costs tens of microseconds to build in Python, more to serialise, and a React
wrapper in the browser: 545 KPIs of the national hierarchy were 5,000 components, 250 ms of a
worker's time and most of the page's LCP (docs/performance.md, issue 20). The same markup written
as text is built in a few milliseconds and drawn by the browser's own HTML parser.

Safe by construction: every text and attribute value goes through markupsafe's escaping (the
library Jinja and Flask escape with); the browser side is dash-extensions' ``Purify``, which runs
DOMPurify over the string before it is drawn. Links are ordinary ``<a>`` marked ``data-sy-link``:
assets/sanyan-links.js moves between pages the way ``dcc.Link`` does (no reload)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from dash import dcc
from dash.development.base_component import Component
from dash_extensions import Purify
from markupsafe import Markup, escape

# Dash's names for attributes that HTML spells otherwise
_ATTR = {"className": "class", "htmlFor": "for"}
_SKIP = {"children", "setProps", "loading_state", "n_clicks", "n_clicks_timestamp", "disable_n_clicks", "refresh"}
_VOID = {"br", "hr", "img", "input", "meta", "link", "wbr"}


def _style(style: dict) -> str:
    return ";".join(f"{''.join('-' + ch.lower() if ch.isupper() else ch for ch in k)}:{v}" for k, v in style.items())


def to_html(node: Any) -> Markup:
    """The HTML of a tree of ``dash.html`` components (and ``dcc.Link``, as a marked ``<a>``):
    the same elements, classes and attributes that Dash would draw."""
    if node is None or node is False:
        return Markup("")
    if isinstance(node, (list, tuple)):
        return Markup("").join(to_html(n) for n in node)
    if not isinstance(node, Component):
        return escape(str(node))
    props = {k: val for k, val in node.to_plotly_json()["props"].items() if val is not None}  # data-*, aria-* too
    if isinstance(node, dcc.Link):
        tag = "a"
        props["data-sy-link"] = "1"
    elif node._namespace == "dash_html_components":
        tag = node._type.lower()
    else:
        raise TypeError(f"{node._namespace}.{node._type} has no plain HTML form")
    attrs = ""
    for k, val in props.items():
        if k in _SKIP or val is False:
            continue
        if k == "style":
            val = _style(val)
        attrs += f' {escape(_ATTR.get(k, k))}="{escape("" if val is True else val)}"'
    if tag in _VOID:
        return Markup(f"<{tag}{attrs}>")
    return Markup(f"<{tag}{attrs}>{to_html(getattr(node, 'children', None))}</{tag}>")


def block(markup: Markup, id: str, className: str | None = None) -> Purify:
    """One Dash component that draws ``markup`` (sanitised again in the browser by DOMPurify)."""
    return Purify(html=str(markup), id=id, className=className)


class Fragments:
    """The markup of components that repeat down a long list (a light, a provenance badge, a
    freshness mark), written out once per key and reused."""

    def __init__(self):
        self.kept: dict = {}

    def __call__(self, key: tuple, build: Callable[[], Any]) -> str:
        if key not in self.kept:
            self.kept[key] = str(to_html(build()))
        return self.kept[key]


def _attrs(attrs: dict) -> str:
    return "".join(f' {_ATTR.get(k, k)}="{escape(v)}"' for k, v in attrs.items() if v is not None)


def table(
    cols: list[str],
    rows: Iterable[tuple[dict, list]],
    table_id: str | None = None,
    className: str = "table table-sm sy-table sy-stack",
    caption: Any = None,
) -> Markup:
    """A table as HTML, cards on a phone (each cell's ``data-label`` names its column). `rows`:
    (the row's attributes, its cells), a cell being its HTML (text already escaped, or fragments)
    or (its attributes, its HTML); `caption`: components (e.g. layout.sample_caption's) or None."""
    head = "".join(f'<th scope="col">{escape(c)}</th>' for c in cols)
    labels = [str(c) for c in cols]

    def td(i: int, cell) -> str:
        attrs, inner = cell if isinstance(cell, tuple) else ({}, cell)
        return f"<td{_attrs({'data-label': labels[i], **attrs})}>{inner}</td>"

    body = "".join(
        f"<tr{_attrs(attrs)}>" + "".join(td(i, cell) for i, cell in enumerate(cells)) + "</tr>" for attrs, cells in rows
    )
    return Markup(
        f"<table{_attrs({'class': className, 'id': table_id})}>{to_html(caption)}"
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def stack_table(cols: list[str], rows: Iterable[tuple[dict, list[str]]], table_id: str) -> Markup:
    """components.layout.stack_table's table as HTML: cards on a phone (each cell's
    ``data-label`` names its column). `rows`: (the row's attributes, its cells' HTML: text
    already escaped, or fragments)."""
    return table(cols, rows, table_id)
