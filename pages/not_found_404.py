"""Custom 404 (Dash Pages uses the module named not_found_404): Thai first."""

from __future__ import annotations

import dash
from dash import html

from components.i18n import current_lang
from components.layout import not_found

dash.register_page(
    __name__,
    name="ไม่พบหน้า",
    name_en="Page not found",
    title="ไม่พบหน้า · สัญญาณ Sanyan",
    nav=False,
)


def layout(**kwargs) -> html.Div:
    return html.Div(not_found(current_lang(), id_prefix="notfound"), className="sy-page", id="notfound-page")
