"""Small icons drawn as inline SVG shapes (never emoji: a machine without an emoji font draws a
box for a bell emoji). Each is decorative (``aria-hidden``): the words beside it, always there, are
what a screen reader says."""

from __future__ import annotations

import base64

from dash import html

# 16 × 16 shapes (only their alpha counts: they mask the text colour)
PATHS = {
    "bell": (
        '<path d="M8 1.5a1 1 0 0 1 1 1v.6a4.5 4.5 0 0 1 3.5 4.4v3l1.5 1.8v.7H2v-.7l1.5-1.8v-3A4.5 4.5 0 0 1 7 3.1v-.6'
        'a1 1 0 0 1 1-1z" fill="{c}"/><path d="M6.3 13.6a1.8 1.8 0 0 0 3.4 0z" fill="{c}"/>'
    ),
    "flag": '<path d="M3 1.5v13" stroke="{c}" stroke-width="1.6"/><path d="M3.8 2h9l-2.2 3.2 2.2 3.3h-9z" fill="{c}"/>',
    "pencil": (
        '<path d="M11.2 1.8l3 3-8.6 8.6-3.8.8.8-3.8z" fill="none" stroke="{c}" stroke-width="1.5" '
        'stroke-linejoin="round"/><path d="M9.6 3.4l3 3" stroke="{c}" stroke-width="1.5"/>'
    ),
    "cross": '<path d="M3.5 3.5l9 9M12.5 3.5l-9 9" stroke="{c}" stroke-width="2.2" stroke-linecap="round"/>',
    "left": '<path d="M13.5 8h-10M7.5 3.5L3 8l4.5 4.5" fill="none" stroke="{c}" stroke-width="2" stroke-linecap="round"/>',
    "right": '<path d="M2.5 8h10M8.5 3.5L13 8l-4.5 4.5" fill="none" stroke="{c}" stroke-width="2" stroke-linecap="round"/>',
    "contrast": '<circle cx="8" cy="8" r="6" fill="none" stroke="{c}" stroke-width="1.6"/><path d="M8 2a6 6 0 0 1 0 12z" fill="{c}"/>',
    "warn": (
        '<path d="M8 1.8l6.6 12H1.4z" fill="none" stroke="{c}" stroke-width="1.6" stroke-linejoin="round"/>'
        '<path d="M8 6v3.6" stroke="{c}" stroke-width="1.6"/><circle cx="8" cy="11.6" r=".9" fill="{c}"/>'
    ),
}


def svg(name: str) -> str:
    """The SVG source of icon ``name`` (its shape only: the page's text colour fills it)."""
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16">'
        + PATHS[name].replace("{c}", "#000")
        + "</svg>"
    )


def icon(name: str, size: str = "1em", style: dict | None = None, **attrs) -> html.Span:
    """Icon ``name``, decorative (the words beside it say what it means): an SVG shape used as a CSS
    mask over the text colour, so it follows the theme (light, dark, projector) like a letter."""
    url = "url(data:image/svg+xml;base64," + base64.b64encode(svg(name).encode()).decode("ascii") + ")"
    style = {
        "display": "inline-block",
        "width": size,
        "height": size,
        "verticalAlign": "-0.125em",
        "backgroundColor": "currentColor",
        "maskImage": url,
        "WebkitMaskImage": url,
        "maskRepeat": "no-repeat",
        "WebkitMaskRepeat": "no-repeat",
        "maskSize": "contain",
        "WebkitMaskSize": "contain",
        **(style or {}),
    }
    return html.Span(className="sy-icon", style=style, **{"aria-hidden": "true", "data-icon": name}, **attrs)


def icon_html(name: str) -> str:
    """Icon ``name`` as an HTML string, for the pages written as plain HTML (web/present.py): the
    same decorative mask as ``icon``."""
    url = "url(data:image/svg+xml;base64," + base64.b64encode(svg(name).encode()).decode("ascii") + ")"
    return (
        f'<span class="sy-icon" aria-hidden="true" data-icon="{name}" style="display:inline-block;width:1em;'
        f"height:1em;vertical-align:-0.125em;background-color:currentColor;mask-image:{url};"
        f"-webkit-mask-image:{url};mask-repeat:no-repeat;-webkit-mask-repeat:no-repeat;mask-size:contain;"
        f'-webkit-mask-size:contain"></span>'
    )
