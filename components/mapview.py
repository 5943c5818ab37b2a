"""The area map: boundaries drawn once as filled polygons on plain axes (lon/lat, equal aspect;
no plotly geo, no tiles, nothing fetched), then recoloured by value with small updates.

``base_figure`` carries the geometry (one trace per area, ``customdata`` = its code);
``paint`` turns values into per-trace colour, hover text and legend entries; ``apply`` writes
them into a figure dict or a ``dash.Patch`` (only those properties travel on an update)."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from components import thai
from components.charts import fig_base
from components.status import STATUS, status_word

SEQ = ["#eef3fb", "#bdd1ea", "#7fa8d6", "#3f74b5", "#163e7a"]  # light to dark, 5 classes
NO_DATA = "#f3f4f6"
STATUS_FILL = {
    "green": "#9ad3ae",
    "yellow": "#f6d77c",
    "red": "#ef9a9a",
    "late": "#c9a7e6",
    "not_due": NO_DATA,
    "awaiting": NO_DATA,
    "no_data": NO_DATA,
    "no_criteria": NO_DATA,
}


@lru_cache(maxsize=2048)
def rings(geojson: str) -> tuple[tuple, tuple]:
    """Outer rings of a (multi)polygon as x / y with None between parts (parsed once)."""
    geom = json.loads(geojson)
    polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    xs: list = []
    ys: list = []
    for poly in polys:
        xs += [round(p[0], 5) for p in poly[0]] + [None]
        ys += [round(p[1], 5) for p in poly[0]] + [None]
    return tuple(xs), tuple(ys)


def _largest_part_boxes(shapes: pd.DataFrame) -> list[tuple[float, float, float, float] | None]:
    """Each area's bounding box (x0, y0, x1, y1) of its largest part (by box area)."""
    boxes = []
    for r in shapes.itertuples():
        xs, ys = rings(r.geojson)
        parts, cur = [], []
        for x, y in zip(xs, ys):
            if x is None:
                parts.append(cur)
                cur = []
            else:
                cur.append((x, y))
        best = max(
            (
                (min(p[0] for p in part), min(p[1] for p in part), max(p[0] for p in part), max(p[1] for p in part))
                for part in parts
                if part
            ),
            key=lambda b: (b[2] - b[0]) * (b[3] - b[1]),
            default=None,
        )
        boxes.append(best)
    return boxes


def label_points(shapes: pd.DataFrame, min_share: float = 0.015) -> list[tuple[float, float] | None]:
    """Where each area's name may go: the middle of the bounding box of its largest part, for an
    area large enough to hold it (its box at least ``min_share`` of the whole map's); None elsewhere
    (its name is still in the hover). ``label_layout`` then drops the ones that would overlap."""
    boxes = _largest_part_boxes(shapes)
    known = [b for b in boxes if b]
    if not known:
        return [None] * len(boxes)
    whole = (max(b[2] for b in known) - min(b[0] for b in known)) * (
        max(b[3] for b in known) - min(b[1] for b in known)
    )
    return [
        ((b[0] + b[2]) / 2, (b[1] + b[3]) / 2)
        if b and whole and (b[2] - b[0]) * (b[3] - b[1]) >= min_share * whole
        else None
        for b in boxes
    ]


LABEL_SIZE = 12  # px, the names' font size on the map
PLOT_PX = (520, 500)  # the plot area assumed for label boxes (width, height): height 560 less margins,
# and a narrow width so that a wider screen (more room, never less) cannot make names collide


def text_box_px(name: str, size: int = LABEL_SIZE) -> tuple[float, float]:
    """An upper estimate of a name's drawn size in px (width, height): Thai vowels and tone marks
    above and below the line (combining marks) take no width; each other character is counted at
    0.62 em plus a little padding, and the line is 1.6 em high (room for the marks above and below)."""
    spacing = sum(1 for ch in name if not unicodedata.combining(ch) and unicodedata.category(ch) not in ("Mn", "Cf"))
    return spacing * 0.62 * size + 6, 1.6 * size


def px_per_unit(shapes: pd.DataFrame, plot_px: tuple[int, int] = PLOT_PX) -> float:
    """Pixels per degree on the map (equal aspect: the tighter of the two axes)."""
    xs, ys = [], []
    for r in shapes.itertuples():
        x, y = rings(r.geojson)
        xs += [v for v in x if v is not None]
        ys += [v for v in y if v is not None]
    if not xs:
        return 1.0
    return min(plot_px[0] / max(max(xs) - min(xs), 1e-9), plot_px[1] / max(max(ys) - min(ys), 1e-9))


def overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    """Two boxes (x0, y0, x1, y1) share some area (touching edges do not count)."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def label_layout(
    shapes: pd.DataFrame, names: list[str], size: int = LABEL_SIZE, plot_px: tuple[int, int] = PLOT_PX
) -> list[tuple[float, float, str, tuple[float, float, float, float]]]:
    """The names drawn on the map, none overlapping another: greedy, largest area first, each
    candidate of ``label_points`` is placed when its estimated text box (in data coordinates,
    centred on its point) overlaps no box already placed, and skipped otherwise (its name is still
    in the hover). Returns (x, y, name, box) in ``shapes`` order."""
    points = label_points(shapes)
    boxes = _largest_part_boxes(shapes)
    scale = px_per_unit(shapes, plot_px)
    order = sorted(
        (i for i, pt in enumerate(points) if pt is not None and names[i]),
        key=lambda i: -((boxes[i][2] - boxes[i][0]) * (boxes[i][3] - boxes[i][1])),
    )
    placed: dict[int, tuple[float, float, float, float]] = {}
    for i in order:
        (x, y), (w, h) = points[i], text_box_px(names[i], size)
        half_w, half_h = w / 2 / scale, h / 2 / scale
        box = (x - half_w, y - half_h, x + half_w, y + half_h)
        if not any(overlaps(box, other) for other in placed.values()):
            placed[i] = box
    return [(points[i][0], points[i][1], names[i], placed[i]) for i in sorted(placed)]


def base_figure(shapes: pd.DataFrame, title: str, height: int = 560, names: list[str] | None = None) -> dict:
    """One filled trace per area (in ``shapes`` order; ``paint`` and ``apply`` colour them), then,
    with ``names``, the names of the areas large enough to hold them and clear of each other
    (``label_layout``), drawn on the map."""
    data = []
    for r in shapes.itertuples():
        xs, ys = rings(r.geojson)
        data.append(
            {
                "type": "scatter",
                "x": list(xs),
                "y": list(ys),
                "fill": "toself",
                "mode": "lines",
                "line": {"color": "#4b5563", "width": 0.8},
                "fillcolor": NO_DATA,
                "hoveron": "fills",
                "hoverinfo": "text",
                "text": "",
                "customdata": [r.area_code],
                "name": "",
                "showlegend": False,
                "legendgroup": "",
            }
        )
    if names is not None:
        shown = label_layout(shapes, names)
        data.append(
            {
                "type": "scatter",
                "mode": "text",
                "x": [x for x, _y, _n, _b in shown],
                "y": [y for _x, y, _n, _b in shown],
                "text": [nm for _x, _y, nm, _b in shown],
                "textfont": {"size": LABEL_SIZE, "color": "#111827"},
                "hoverinfo": "skip",
                "showlegend": False,
                "name": "",
                "meta": "labels",
            }
        )
    fig = fig_base(title, height, legend="side", hovermode="closest")  # the app's one chart base
    fig["data"] = data
    layout = fig["layout"]
    layout["dragmode"] = False
    layout["xaxis"] = {"visible": False, "fixedrange": True}
    layout["yaxis"] = {"visible": False, "scaleanchor": "x", "scaleratio": 1, "fixedrange": True}
    layout["legend"].update({"itemclick": False, "itemdoubleclick": False})
    return fig


@dataclass(frozen=True)
class Paint:
    fill: list[str]
    text: list[str]
    name: list[str]
    group: list[str]
    legend: list[bool]
    rank: list[int]  # the legend's order: the classes low to high, the lights worst first, no data last
    title: str


def paint(
    codes: list[str], names: list[str], values: pd.DataFrame, kind: str, unit: str, title: str, as_of: str, lang: str
) -> Paint:
    """Colours and hover texts for the traces in `codes` order. `values` has area_code, value
    (numeric kinds) or status (kind 'status'), provenance. Five quantile classes for numbers,
    the status colours (with their words) for statuses; areas without a value are grey and say so."""
    by = values.set_index("area_code") if not values.empty else pd.DataFrame()
    no_word = "ไม่มีข้อมูล" if lang == "th" else "no data"
    prov_word = {"official": ("ทางการ", "official"), "sample": ("ตัวอย่าง", "sample"), "entered": ("กรอก", "entered")}
    edges: list[float] = []
    if kind != "status" and not by.empty:
        vals = by["value"].dropna().astype(float)
        if not vals.empty:
            qs = sorted(set(vals.quantile([0, 0.2, 0.4, 0.6, 0.8, 1.0]).round(6)))
            edges = qs if len(qs) > 1 else [qs[0], qs[0]]
    fill, text, name, group, legend, rank = [], [], [], [], [], []
    seen: set[str] = set()
    for code, nm in zip(codes, names):
        row = by.loc[code] if code in by.index else None
        prov = "" if row is None else str(row.get("provenance") or "")
        prov_txt = prov_word.get(prov, (prov, prov))[1 if lang == "en" else 0]
        if kind == "status":
            st = None if row is None else row.get("status")
            key = st if st in STATUS else "no_data"
            colour, label = STATUS_FILL[key], status_word(key, lang)  # key: the legend group
            order = STATUS[key][3] if row is not None else 99
            # the status word, then the KPI's value to date in the KPI's unit (layers() gives it)
            shown = label if row is not None else no_word
            if row is not None and pd.notna(row.get("value")):
                shown += f" · {thai.format_number(row['value'], 2, lang)} {unit}"
        else:
            v = None if row is None or pd.isna(row.get("value")) else float(row["value"])
            if v is None or not edges:
                colour, label, shown, key, order = NO_DATA, no_word, no_word, "nd", 99
            else:
                b = min(len(SEQ) - 1, max(0, sum(v > e for e in edges[1:-1])))
                b = min(b, len(edges) - 2)
                colour, key, order = (SEQ[b] if len(edges) > 2 else SEQ[2]), f"b{b}", b
                lo, hi = edges[b], edges[min(b + 1, len(edges) - 1)]
                label = (
                    f"{thai.format_number(lo, 0 if abs(hi) >= 100 else 2, lang)}–"
                    f"{thai.format_number(hi, 0 if abs(hi) >= 100 else 2, lang)} {unit}"
                )
                shown = f"{thai.format_number(v, 0 if abs(v) >= 1000 else 2, lang)} {unit}"
        hover = f"{nm}<br>{shown}<br>{as_of}" + (f" · {prov_txt}" if prov_txt else "")
        first = label not in seen
        fill.append(colour)
        text.append(hover)
        name.append(label if first else "")  # only the legend entry needs the words
        group.append(key)
        legend.append(first)
        rank.append(order)
        seen.add(label)
    return Paint(fill, text, name, group, legend, rank, title)


def apply(target, p: Paint) -> None:
    """Write a Paint into a figure dict or a dash.Patch of one (same indexing)."""
    for i in range(len(p.fill)):
        t = target["data"][i]
        t["fillcolor"] = p.fill[i]
        t["text"] = p.text[i]
        t["name"] = p.name[i]
        t["legendgroup"] = p.group[i]
        t["showlegend"] = p.legend[i]
        t["legendrank"] = 1 + p.rank[i]
    target["layout"]["title"]["text"] = p.title
