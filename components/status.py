"""Traffic lights, never colour alone: every status has a symbol (drawn by CSS) and a word.

Pure functions: a status string in, a Dash component out. The statuses are decided in the
marts (etl/sql/marts/kpi_status.sql); this module only shows them.
"""

from __future__ import annotations

from dash import html

from components import thai
from components.i18n import t

# status -> (css class, Thai word, English word, sort order: worst first); the words are the shared
# table's (components/i18n.py, "status.<key>")
STATUS = {
    key: (css, t(f"status.{key}", "th"), t(f"status.{key}", "en"), order)
    for order, (key, css) in enumerate(
        [
            ("red", "status-bad"),
            ("late", "status-late"),
            ("awaiting", "status-awaiting"),
            ("yellow", "status-watch"),
            ("green", "status-good"),
            ("not_due", "status-notdue"),
            ("no_criteria", "status-nocrit"),
            ("no_data", "status-nodata"),
        ]
    )
}
ORDER = sorted(STATUS, key=lambda s: STATUS[s][3])
# the lights a legend and the count tiles show, worst first ('no criteria' is said on the KPI itself)
SHOWN = tuple(s for s in ORDER if s != "no_criteria")


def status_key(status: str | None) -> str:
    return status if status in STATUS else "no_data"


def status_word(status: str | None, lang: str) -> str:
    css, th, en, _ = STATUS[status_key(status)]
    return en if lang == "en" else th


def status_badge(status: str | None, lang: str, small: bool = False, **attrs) -> html.Span:
    """The light: symbol + word in a bordered chip; ``data-status`` for tests and print CSS."""
    key = status_key(status)
    css = STATUS[key][0]
    return html.Span(
        status_word(key, lang),
        className=f"sy-status {css}" + (" sy-status-sm" if small else ""),
        **{"data-status": key},
        **attrs,
    )


def score_text(score, lang: str) -> str:
    """A five-level score as Thai agreements print it: 4 decimals."""
    return thai.format_number(score, 4, lang)


def sort_key(status: str | None, score=None) -> tuple:
    """Worst first: red, late, awaiting reports, yellow, green, nothing due, no criteria, no data; lower score first."""
    s = score if isinstance(score, (int, float)) and score == score else 99.0
    return (STATUS[status_key(status)][3], s)
