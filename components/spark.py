"""Small charts drawn as SVG pictures (an ``<img>`` with a ``data:`` address): a KPI's trend on a
row of a list, the agreement score's path through the fiscal year. No plotly and no request: a
few hundred bytes each, cheap on a page of many rows, and nothing is fetched from anywhere. Each
says what it shows in words (its ``alt`` text); the two lines of a trend differ by dash as well
as colour, and a status is never said by colour alone (the rows keep their light: icon + word).

Pure functions: numbers in, strings and Dash components out."""

from __future__ import annotations

import base64
import math
from collections.abc import Sequence

from dash import html

from components import thai
from components.status import score_text

MONTHS = 12  # a fiscal year: October = 1 ... September = 12
ACTUAL_COLOUR = "#1d3557"  # the navy of the house
EXPECTED_COLOUR = "#8a5a00"  # dark gold, dashed
TREND = {"width": 96, "height": 28, "pad": 3}
PATH = {"width": 240, "height": 80, "pad": 6}
SCORE_RANGE = (1.0, 5.0)
BANDS = ((1.0, 3.0, "#c0392b"), (3.0, 4.0, "#f1c40f"), (4.0, 5.0, "#27ae60"))  # as pages/home.py: red < 3 <= yellow < 4


def clean(x) -> float | None:
    """A float, or None for anything missing (None, NaN, pd.NA, text)."""
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) or math.isinf(f) else f


def points(
    idxs: Sequence[int],
    values: Sequence,
    lo: float,
    hi: float,
    width: float,
    height: float,
    pad: float,
    n: int = MONTHS,
) -> list[tuple[float, float] | None]:
    """Each value's place in the picture: x by its fiscal month (1 at the left edge, ``n`` at the
    right, inside ``pad``), y from ``lo`` (bottom) to ``hi`` (top); None where a value is missing."""
    span = (hi - lo) or 1.0
    out: list[tuple[float, float] | None] = []
    for i, value in zip(idxs, values):
        y = clean(value)
        if y is None:
            out.append(None)
            continue
        x = pad + (int(i) - 1) * (width - 2 * pad) / max(n - 1, 1)
        out.append((round(x, 2), round(pad + (hi - y) / span * (height - 2 * pad), 2)))
    return out


def path_d(pts: Sequence[tuple[float, float] | None]) -> str:
    """An SVG path through the points, broken where one is missing (a month without a report)."""
    parts, pen = [], False
    for p in pts:
        if p is None:
            pen = False
            continue
        parts.append(f"{'L' if pen else 'M'}{p[0]:g} {p[1]:g}")
        pen = True
    return " ".join(parts)


def svg_image(svg: str, alt: str, class_name: str, **attrs) -> html.Img:
    """The picture as an <img> with a data: address (CSP allows data: images; nothing is fetched).
    Base64: as short as percent-escaping an SVG's markup, and encoded in C (hundreds of rows)."""
    return html.Img(
        src="data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii"),
        alt=alt,
        className=class_name,
        **attrs,
    )


def number(x, lang: str) -> str:
    """A figure as a sentence says it: whole numbers without decimals, others with two."""
    f = clean(x)
    if f is None:
        return "–"
    return thai.format_number(f, 0 if f.is_integer() or abs(f) >= 1000 else 2, lang)


def month_span(first_idx: int, last_idx: int, lang: str) -> str:
    """'ต.ค.–พ.ย.' / 'Oct–Nov' for fiscal months (Oct = 1); one month alone when they are the same."""
    first = thai.month_name(thai.FISCAL_MONTHS[int(first_idx) - 1], lang, abbr=True)
    last = thai.month_name(thai.FISCAL_MONTHS[int(last_idx) - 1], lang, abbr=True)
    return first if first_idx == last_idx else f"{first}–{last}"


WORDS = {
    "th": {
        "sum": "ผลสะสม",
        "mean": "ค่าเฉลี่ยถึงปัจจุบัน",
        "last": "ค่าล่าสุด",
        "of": "จากที่ควรได้",
        "against": "เทียบแผน",
        "no_plan": "ไม่มีค่าตามแผน",
        "path": "เส้นทางคะแนนคำรับรอง ปีงบประมาณ {fy}: {first} {a} ถึง {last} {b} ({n} เดือน)",
        "path_one": "คะแนนคำรับรอง ปีงบประมาณ {fy}: {first} {a} (1 เดือน)",
        "one": "มีข้อมูลเดือนเดียว",
        "sample": "ข้อมูลตัวอย่าง",
    },
    "en": {
        "sum": "to date",
        "mean": "mean to date",
        "last": "latest",
        "of": "of an expected",
        "against": "against a planned",
        "no_plan": "no planned value",
        "path": "Agreement score path, FY {fy}: {first} {a} to {last} {b} ({n} months)",
        "path_one": "Agreement score, FY {fy}: {first} {a} (1 month)",
        "one": "one month so far",
        "sample": "sample data",
    },
}


def trend_words(
    idxs: Sequence[int],
    actual: Sequence,
    expected: Sequence,
    lang: str,
    unit: str | None = None,
    aggregation: str | None = "sum",
    direction: str | None = "higher",
) -> str | None:
    """The trend in words, at its latest month with a value: 'ผลสะสม 45 จากที่ควรได้ 60 ไร่
    (ต.ค.–พ.ย.)'; None when no month has a value."""
    w = WORDS["en" if lang == "en" else "th"]
    have = [(int(i), clean(a), clean(e)) for i, a, e in zip(idxs, actual, expected)]
    got = [h for h in have if h[1] is not None]
    if not got:
        return None
    last_idx, a, e = got[-1]
    unit = f" {unit}" if unit else ""
    head = w.get(aggregation or "sum", w["sum"])
    if e is None:
        said = f"{head} {number(a, lang)}{unit} ({w['no_plan']})"
    else:
        link = w["of"] if (aggregation or "sum") == "sum" and direction != "lower" else w["against"]
        said = f"{head} {number(a, lang)} {link} {number(e, lang)}{unit}"
    return f"{said} ({month_span(min(h[0] for h in have), last_idx, lang)})"


def kpi_trend(
    idxs: Sequence[int],
    actual: Sequence,
    expected: Sequence,
    lang: str,
    unit: str | None = None,
    aggregation: str | None = "sum",
    direction: str | None = "higher",
    sample: bool = False,
    **attrs,
) -> html.Img | html.Span | None:
    """This fiscal year's value to date (solid line, a dot at the latest month) against expected
    progress (dashed), month by month on a year-wide axis: how far into the year, and whether
    ahead of plan or behind. None when no month has a value.

    One month with a value (a year's first month) is no line: it is said as one point, a dot and
    the figure in words ("● ผลสะสม 45 จากที่ควรได้ 60 ไร่ (ต.ค.) · มีข้อมูลเดือนเดียว"), never a
    year-wide box with one dot in its corner (issue 26). ``sample``: the rows are sample data, and
    the trend says so in its words (its alt text; the one point in hidden words)."""
    alt = trend_words(idxs, actual, expected, lang, unit, aggregation, direction)
    if alt is None:
        return None
    w_ = WORDS["en" if lang == "en" else "th"]
    said = f"{alt} · ⚠ {w_['sample']}" if sample else alt
    if sum(clean(a) is not None for a in actual) == 1:
        return one_point(alt, w_["one"], w_["sample"] if sample else None, **attrs)
    w, h, pad = TREND["width"], TREND["height"], TREND["pad"]
    values = [v for v in (clean(x) for x in list(actual) + list(expected)) if v is not None]
    lo, hi = min(values), max(values)
    if (aggregation or "sum") == "sum":
        lo = min(lo, 0.0)  # a sum grows from nothing
    if hi == lo:
        lo, hi = lo - 1, hi + 1
    a_pts = points(idxs, actual, lo, hi, w, h, pad)
    e_pts = points(idxs, expected, lo, hi, w, h, pad)
    last = next(p for p in reversed(a_pts) if p is not None)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}">'
        f'<rect width="{w}" height="{h}" fill="#fff"/>'
        f'<path d="{path_d(e_pts)}" fill="none" stroke="{EXPECTED_COLOUR}" stroke-width="1.5" '
        f'stroke-dasharray="3 2"/>'
        f'<path d="{path_d(a_pts)}" fill="none" stroke="{ACTUAL_COLOUR}" stroke-width="2" '
        f'stroke-linejoin="round" stroke-linecap="round"/>'
        f'<circle cx="{last[0]:g}" cy="{last[1]:g}" r="2.5" fill="{ACTUAL_COLOUR}"/>'
        "</svg>"
    )
    return svg_image(svg, said, "sy-spark", width=w, height=h, title=said, **{"data-points": "many", **attrs})


def one_point(words: str, one: str, sample: str | None = None, **attrs) -> html.Span:
    """A trend of one month: the dot of the trends' actual line and the point in words, with "one
    month so far"; no picture, no axes. ``sample``: the word for sample data, said to a screen
    reader (the page's notice says it to the eye)."""
    kids: list = [
        html.Span("●", className="sy-spark-dot", **{"aria-hidden": "true"}),
        " ",
        html.Span(words, className="sy-spark-words"),
        html.Span(f" · {one}", className="sy-spark-one-note"),
    ]
    if sample:
        kids.append(html.Span(f" · {sample}", className="visually-hidden"))
    return html.Span(kids, className="sy-spark sy-spark-one", **{"data-points": "1", **attrs})


def legend_line(kind: str) -> html.Img:
    """A short stroke as the trends draw it, for their legend: solid (actual) or dashed (expected);
    decoration beside its words (empty alt)."""
    colour, dash, width = (
        (EXPECTED_COLOUR, ' stroke-dasharray="3 2"', 1.5) if kind == "expected" else (ACTUAL_COLOUR, "", 2)
    )
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="24" height="10" viewBox="0 0 24 10">'
        f'<path d="M1 5 L23 5" stroke="{colour}" stroke-width="{width}"{dash}/></svg>'
    )
    return svg_image(svg, "", "sy-spark-key", width=24, height=10)


def path_words(fy: int, idxs: Sequence[int], scores: Sequence, lang: str) -> str | None:
    """The agreement score's path in words: its first and latest month; None without a score."""
    w = WORDS["en" if lang == "en" else "th"]
    got = [(int(i), clean(s)) for i, s in zip(idxs, scores) if clean(s) is not None]
    if not got:
        return None
    (i0, a), (i1, b) = got[0], got[-1]
    name0 = thai.month_name(thai.FISCAL_MONTHS[i0 - 1], lang, abbr=True)
    name1 = thai.month_name(thai.FISCAL_MONTHS[i1 - 1], lang, abbr=True)
    if len(got) == 1:
        return w["path_one"].format(fy=fy, first=name0, a=score_text(a, lang))
    return w["path"].format(fy=fy, first=name0, a=score_text(a, lang), last=name1, b=score_text(b, lang), n=len(got))


def agreement_path(fy: int, idxs: Sequence[int], scores: Sequence, lang: str, **attrs) -> html.Img | None:
    """The agreement score (1–5) month by month through the fiscal year as a step line over faint
    bands (below 3, 3 to 4, 4 and over), a tick at each reporting round (6, 9, 12 months) and a dot
    at the latest month; None without a score. Its numbers go beside it in words (``path_list``)."""
    alt = path_words(fy, idxs, scores, lang)
    if alt is None:
        return None
    w, h, pad = PATH["width"], PATH["height"], PATH["pad"]
    lo, hi = SCORE_RANGE
    clamped = [None if clean(s) is None else min(max(clean(s), lo), hi) for s in scores]
    pts = points(idxs, clamped, lo, hi, w, h, pad)
    step: list[tuple[float, float] | None] = []  # a score holds until the next month's
    for p in pts:
        if p is not None and step and step[-1] is not None:
            step.append((p[0], step[-1][1]))
        step.append(p)
    shapes = [f'<rect width="{w}" height="{h}" fill="#fff"/>']
    for b_lo, b_hi, colour in BANDS:
        (_x, y_top), (_x2, y_bottom) = points([1, 1], [b_hi, b_lo], lo, hi, w, h, pad)
        shapes.append(
            f'<rect x="{pad}" y="{y_top:g}" width="{w - 2 * pad}" height="{y_bottom - y_top:g}" '
            f'fill="{colour}" fill-opacity=".12"/>'
        )
    for rnd in (6, 9, 12):
        x = points([rnd], [lo], lo, hi, w, h, pad)[0][0]
        shapes.append(
            f'<line x1="{x:g}" y1="{pad}" x2="{x:g}" y2="{h - pad}" stroke="#77808b" stroke-dasharray="2 2"/>'
        )
    last = next(p for p in reversed(pts) if p is not None)
    shapes += [
        f'<path d="{path_d(step)}" fill="none" stroke="{ACTUAL_COLOUR}" stroke-width="2.5" stroke-linejoin="round"/>',
        f'<circle cx="{last[0]:g}" cy="{last[1]:g}" r="3.5" fill="{ACTUAL_COLOUR}"/>',
    ]
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}">'
        + "".join(shapes)
        + "</svg>"
    )
    return svg_image(svg, alt, "sy-spark sy-spark-path", width=w, height=h, **attrs)


def path_list(idxs: Sequence[int], scores: Sequence, lang: str, **attrs) -> html.Ol | None:
    """Every month's score in words beside the picture ('ต.ค. 3.2272'), the rounds (6, 9, 12
    months) said in words: the picture's numbers for every reader."""
    rnd = " (รอบ {n} เดือน)" if lang != "en" else " ({n}-month round)"
    items = []
    for i, s in zip(idxs, scores):
        if clean(s) is None:
            continue
        label = thai.month_name(thai.FISCAL_MONTHS[int(i) - 1], lang, abbr=True)
        kids = [html.Span(label), " ", html.Span(score_text(s, lang), className="sy-num")]
        if int(i) in (6, 9, 12):
            kids.append(html.Span(rnd.format(n=int(i)), className="sy-path-round"))
        items.append(html.Li(kids, **{"data-idx": str(int(i))}))
    return html.Ol(items, className="sy-path-list", **attrs) if items else None


__all__ = [
    "clean",
    "points",
    "path_d",
    "svg_image",
    "trend_words",
    "kpi_trend",
    "one_point",
    "legend_line",
    "path_words",
    "agreement_path",
    "path_list",
]
