"""Pure builders for the shell and shared blocks: data in, Dash components out, no I/O.

Component ids made here start with ``shell-``; ids inside pages start with the page prefix.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from components import icons, rawhtml, thai
from components.i18n import t

# provenance -> (icon, css class); the word always comes with the icon, never colour alone
PROVENANCE_STYLE: dict[str, tuple[str, str]] = {
    "official": ("✓", "prov-official"),
    "sample": ("⚠", "prov-sample"),
    "entered": (icons.icon("pencil"), "prov-entered"),
    "mixed": ("◐", "prov-mixed"),
    "empty": ("○", "prov-unknown"),
}


def nav_items(pages: Iterable[Mapping[str, Any]], lang: str) -> list[dict]:
    """The navbar entries from page-registry records: ``[{"href", "label"}]`` in ``order``.

    Pages registered with ``nav=False`` (and the 404 page) are left out; ``menu="work"`` puts a
    page in the "data work" drop-down (entry, quality, knowledge management, administration), so
    the bar fits a 1366 px screen.
    """
    items = []
    for p in sorted(pages, key=lambda p: (p.get("order") is None, p.get("order") or 0, p.get("path", ""))):
        if not p.get("nav", True) or str(p.get("module", "")).endswith("not_found_404"):
            continue
        label = p.get("name_en") if lang == "en" else p.get("name")
        items.append(
            {
                "href": p.get("relative_path") or p["path"],
                "label": label or p.get("name") or p["path"],
                "menu": p.get("menu"),
            }
        )
    return items


def navbar(
    pages: Iterable[Mapping[str, Any]], lang: str, user: str | None = None, csrf: str = "", unread: int = 0
) -> dbc.Navbar:
    """Top bar: brand, one link per page the visitor may open, the reader's unseen warnings (a link
    to /inbox with their count), who is signed in, the language toggle."""
    items = nav_items(pages, lang)
    if user is None:  # a public visitor has few pages: all of them in the bar (the portal too)
        items = [{**item, "menu": None} for item in items]
    links = [
        dbc.NavItem(dbc.NavLink(item["label"], href=item["href"], active="exact", className="sy-navlink"))
        for item in items
        if item["menu"] != "work"
    ]
    work = [
        dbc.DropdownMenuItem(item["label"], href=item["href"], className="sy-navlink")
        for item in items
        if item["menu"] == "work"
    ]
    if work:
        links.append(
            dbc.DropdownMenu(
                work, label=t("nav.work", lang), nav=True, in_navbar=True, align_end=True, id="shell-nav-work"
            )
        )
    if user:
        word = t("bell.word", lang)
        links.append(
            dbc.NavItem(
                html.A(  # a whole page load: the count is counted afresh
                    [icons.icon("bell", style={"marginInlineEnd": "0.3em"}), word]
                    + (
                        [" ", html.Span(thai.format_number(unread, 0, lang), className="badge text-bg-warning")]
                        if unread
                        else []
                    ),
                    href="/inbox",
                    className="nav-link sy-navlink",
                    id="shell-inbox",
                    **{
                        "aria-label": f"{word}: {unread} {t('bell.unread', lang)}" if unread else word,
                        "data-unread": str(unread),
                    },
                )
            )
        )
    other = "en" if lang != "en" else "th"
    toggle = html.Button(
        t("lang.switch", lang),
        id="shell-lang-toggle",
        n_clicks=0,
        type="button",
        lang=other,
        title=t("lang.switch_title", lang),
        className="btn btn-outline-light sy-lang-toggle",
        **{"data-lang": other},
    )
    return dbc.Navbar(
        dbc.Container(
            [
                dcc.Link(
                    [
                        html.Span("สัญญาณ", className="sy-brand-th", lang="th"),
                        html.Span(" · ", className="sy-brand-dot", **{"aria-hidden": "true"}),
                        html.Span("Sanyan", className="sy-brand-en", lang="en"),
                    ],
                    href="/",
                    className="navbar-brand sy-brand",
                    id="shell-brand",
                ),
                html.Button(
                    html.Span(className="navbar-toggler-icon"),
                    id="shell-navbar-toggler",
                    n_clicks=0,
                    type="button",
                    className="navbar-toggler",
                    title=t("nav.toggle", lang),
                    **{"aria-label": t("nav.toggle", lang), "aria-controls": "shell-navbar-collapse"},
                ),
                dbc.Collapse(
                    [
                        dbc.Nav(links, navbar=True, className="me-auto"),
                        # sign-out is a POST with the session's CSRF token: a link elsewhere cannot sign anyone out
                        html.Form(
                            [
                                dcc.Input(type="hidden", name="csrf", value=csrf, id="shell-logout-csrf"),
                                html.Button(
                                    [
                                        html.Span(f"{user} · ", className="sy-logout-user"),
                                        "ออกจากระบบ" if lang == "th" else "Sign out",
                                    ],
                                    type="submit",
                                    id="shell-logout",
                                    className="btn btn-link nav-link text-white me-2",
                                ),
                            ],
                            action="/logout",
                            method="post",
                            className="d-inline",
                        )
                        if user
                        else html.A(
                            "เข้าสู่ระบบ" if lang == "th" else "Sign in",
                            href="/login",
                            className="nav-link text-white me-2",
                            id="shell-login",
                        ),
                        toggle,
                    ],
                    id="shell-navbar-collapse",
                    is_open=False,
                    navbar=True,
                ),
            ],
            fluid="xl",
        ),
        color="primary",
        dark=True,
        expand="xl",
        className="sy-navbar",
        id="shell-navbar",
    )


def footer(info: Mapping[str, Any] | None, lang: str) -> html.Footer:
    """Snapshot version and its "as of" date (B.E. in Thai)."""
    info = info or {}
    version = info.get("version")
    built = info.get("built_at")
    if version:
        parts: list[Any] = [
            html.Span([t("footer.snapshot", lang), " ", html.Code(str(version), id="shell-snapshot-version")]),
            html.Span(" · ", **{"aria-hidden": "true"}),
            html.Span(
                [
                    t("footer.as_of", lang),
                    " ",
                    html.Span(
                        thai.format_date_th(built, lang=lang, abbr=True) if built else t("dash", lang),
                        id="shell-snapshot-date",
                    ),
                ]
            ),
        ]
    else:
        parts = [html.Span(t("footer.no_snapshot", lang), id="shell-snapshot-version")]
    return html.Footer(
        dbc.Container(
            [
                html.Div(parts, className="sy-footer-snapshot"),
                html.Div(t("footer.note", lang), className="sy-footer-note"),
                # the page as PDF (assets/sanyan-export.js adds the current address, fetches and saves it)
                html.A(
                    ["ส่งออก PDF" if lang != "en" else "Export PDF"],
                    href="/export/pdf",
                    id="shell-export-pdf",
                    className="sy-footer-export",
                    rel="nofollow",
                    title="บันทึกหน้านี้เป็นไฟล์ PDF" if lang != "en" else "Save this page as a PDF file",
                ),
            ],
            fluid="xl",
        ),
        className="sy-footer",
        id="shell-footer",
    )


def provenance_badge(provenance: str | None, lang: str, count: int | None = None) -> html.Span:
    """A badge with an icon and a word: ข้อมูลทางการ / ข้อมูลตัวอย่าง / ข้อมูลที่กรอก."""
    key = (provenance or "").strip().lower()
    icon, css = PROVENANCE_STYLE.get(key, ("?", "prov-unknown"))
    word = t(f"prov.{key}", lang) if key in PROVENANCE_STYLE else (provenance or t("prov.unknown", lang))
    children: list[Any] = [
        html.Span(icon, className="sy-prov-icon", **{"aria-hidden": "true"}),
        html.Span(word, className="sy-prov-word"),
    ]
    if count is not None:
        children.append(html.Span(f" {thai.format_number(count, 0, lang)}", className="sy-prov-count"))
    return html.Span(children, className=f"sy-prov {css}", **{"data-provenance": key or "unknown"})


def stack_table(
    cols: list[str], body: list, table_id: str, label: str, caption: Any = None, raw: bool = False
) -> html.Div:
    """A table that becomes cards on a phone (``sy-stack``: each cell's ``data-label`` names its
    column), in a scrollable region a keyboard can reach, named ``label`` for screen readers;
    ``body``: its rows (html.Tr), ``caption``: a caption (a provenance mark, say) or None.
    ``raw``: drawn as one piece of escaped HTML (components/rawhtml.py) instead of a component per
    cell, for a table of text only (no control a callback listens to)."""
    table = html.Table(
        [c for c in (caption,) if c is not None]
        + [html.Thead(html.Tr([html.Th(c, scope="col") for c in cols])), html.Tbody(body)],
        className="table sy-table sy-stack",
        id=table_id,
    )
    if raw:
        table = rawhtml.block(rawhtml.to_html(table), f"{table_id}-box")
    return html.Div(
        table,
        className="table-responsive",
        tabIndex="0",
        role="region",
        **{"aria-label": label},
    )


def is_sample(provenance: Any) -> bool:
    """Whether any of `provenance` is sample: one value, or many (a list or Series); values that
    join several kinds with "; " (an API row of KPI results) count each."""
    values = [provenance] if isinstance(provenance, str) or provenance is None else list(provenance)
    return any(part.strip().lower() == "sample" for v in values if isinstance(v, str) for part in v.split(";"))


def sample_mark(provenance: Any, lang: str, **attrs) -> html.Span | None:
    """The sample mark (⚠ ข้อมูลตัวอย่าง, icon and word) for an element whose rows include sample
    rows (see ``is_sample``), else None: the one mark every tile, chart, table and map layer uses."""
    if not is_sample(provenance):
        return None
    badge = provenance_badge("sample", lang)
    return html.Span(badge, className="sy-sample-mark", **attrs) if attrs else badge


def sample_suffix(provenance: Any, lang: str) -> str:
    """ " · ⚠ ข้อมูลตัวอย่าง" for a chart title (on the chart itself, so its PNG/SVG keeps it), or ""."""
    if not is_sample(provenance):
        return ""
    return f" · {PROVENANCE_STYLE['sample'][0]} {t('prov.sample', lang)}"


def sample_caption(provenance: Any, lang: str) -> html.Caption | None:
    """A table's caption carrying the sample mark, or None when no row is sample."""
    mark = sample_mark(provenance, lang)
    return html.Caption(mark, className="sy-sample-caption") if mark is not None else None


def not_found(lang: str, id_prefix: str = "notfound") -> html.Div:
    """The block shown for an unknown address."""
    return html.Div(
        [
            html.H1(t("notfound.title", lang), id=f"{id_prefix}-title"),
            html.P(t("notfound.body", lang), className="lead"),
            dcc.Link(t("notfound.home", lang), href="/", className="btn btn-primary btn-lg", id=f"{id_prefix}-home"),
        ],
        className="sy-notfound",
        id=f"{id_prefix}-block",
    )


def no_warehouse(lang: str, id_prefix: str = "nowh") -> dbc.Alert:
    """The message shown when there is no warehouse file: what to run, no traceback."""
    return dbc.Alert(
        [
            html.H2(t("nowh.title", lang), className="h4 alert-heading"),
            html.P(t("nowh.body", lang)),
            html.Pre(html.Code("python -m etl build"), className="sy-command"),
            html.P(
                "ยังไม่มีคลังข้อมูล — รัน python -m etl build"
                if lang == "en"
                else "No warehouse yet — run python -m etl build",
                lang="th" if lang == "en" else "en",
                className="small mb-0 sy-other-lang",
            ),
        ],
        color="warning",
        className="sy-no-warehouse",
        id=f"{id_prefix}-alert",
    )


def labelled_select(id_: str, label: str, options: list[dict], value, **attrs) -> html.Div:
    """A label and a native <select> (dbc.Select): keyboard, screen readers and phone pickers
    work as usual, and the label is tied to the control for accessibility audits."""
    return html.Div(
        [html.Label(label, htmlFor=id_, id=f"{id_}-label"), dbc.Select(id=id_, options=options, value=value, **attrs)]
    )
