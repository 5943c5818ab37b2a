"""Pure pieces of the GPP page: the view's rows, the tables, the charts (plain plotly dicts), the
map (drawn as filled polygons on plain axes: no plotly geo, so nothing is fetched), and the
generated analysis text whose every number is formatted by the same functions as the tables."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from components import thai
from components.charts import fig_base, year_axis
from components.layout import sample_suffix

GROUPS = {
    "agriculture": ("ภาคเกษตร", "Agriculture"),
    "industry": ("ภาคอุตสาหกรรม", "Industry"),
    "services": ("ภาคบริการ", "Services"),
}
GROUP_COLOURS = {"agriculture": "#2f7d4a", "industry": "#b7791f", "services": "#1d3557"}
EDITION_DASH = ["solid", "dash", "dot", "dashdot"]


def nz(x):
    try:
        return None if pd.isna(x) else x
    except (TypeError, ValueError):
        return x


# one formatter per kind of figure: the tables and the text use the same ones
def f_money(x, lang):  # million baht, as NESDC publishes
    return thai.format_number(x, 3, lang)


def f_pct(x, lang):  # growth and shares
    return thai.format_number(x, 2, lang)


def f_baht(x, lang):  # per capita
    return thai.format_number(x, 0, lang)


def f_int(x, lang):
    return thai.format_number(x, 0, lang)


NOT_PUBLISHED = {"th": "ไม่เผยแพร่", "en": "not published"}


def published(x, lang, fmt=None) -> str:
    """A figure the table has, formatted (share format by default); "not published" when the
    table lacks it (never 0)."""
    return NOT_PUBLISHED[lang] if nz(x) is None else (fmt or f_pct)(x, lang)


def edition_label(edition, lang: str) -> str:
    """An edition's name for a reader: "nesdc-2013-2020" -> "สศช. ฉบับ 2556–2563" (B.E.) /
    "NESDC 2013–2020 edition"; "nesdc-2024" -> "สศช. ฉบับ 2567" / "NESDC 2024 edition". A code
    of another form (an office's own) is shown as it is."""
    m = re.fullmatch(r"nesdc-(\d{4})(?:-(\d{4}))?", str(edition or ""))
    if not m:
        return str(edition or "")
    years = [int(y) for y in m.groups() if y]
    if lang == "th":
        return "สศช. ฉบับ " + "–".join(str(thai.to_be(y)) for y in years)
    return "NESDC " + "–".join(str(y) for y in years) + " edition"


def edition_order(totals: pd.DataFrame) -> tuple[str, ...]:
    """Editions oldest to newest: by the last year each reaches over all provinces (a newer
    edition revises the years of an older one), then by the first year, then by name."""
    if totals.empty:
        return ()
    stats = totals.groupby("edition")["year_be"].agg(["max", "min"]).reset_index()
    return tuple(stats.sort_values(["max", "min", "edition"])["edition"])


def newest_by_year(totals: pd.DataFrame, editions: tuple[str, ...] = ()) -> dict[int, pd.Series]:
    """Each year's row from the latest edition that has it (revised over preliminary): official
    rows before any other, then the newest edition of `editions` (oldest to newest; from the
    rows given when empty)."""
    order = {e: i for i, e in enumerate(editions or edition_order(totals))}
    out: dict[int, pd.Series] = {}
    if totals.empty:
        return out
    rows = totals.assign(
        _official=totals["provenance"] == "official" if "provenance" in totals else True,
        _order=totals["edition"].map(order).fillna(-1),
    ).sort_values(["year_be", "_official", "_order"])
    for _i, r in rows.iterrows():
        out[int(r["year_be"])] = r.drop(["_official", "_order"])
    return out


#: Provinces made from part of another within NESDC's series: code -> (first year B.E., the
#: province it was part of). Bueng Kan was separated from Nong Khai in 2011 (2554).
NEW_PROVINCES = {"38": (2554, "43")}


def late_start(all_totals: pd.DataFrame, province: str) -> int | None:
    """The first year of a province that has no rows for the earlier years of the editions it
    appears in (a province created within the series, e.g. Bueng Kan in 2554), else None."""
    mine = all_totals[all_totals["province_code"] == province]
    if mine.empty:
        return None
    editions = set(mine["edition"])
    first_all = int(all_totals[all_totals["edition"].isin(editions)]["year_be"].min())
    first = int(mine["year_be"].min())
    return first if first > first_all else None


@dataclass(frozen=True)
class View:
    province: str
    first: int
    last: int
    edition: str | None  # the edition the analysis text and comparisons use
    peers: tuple[str, ...]
    editions: tuple[str, ...] = ()  # every edition, oldest to newest (the headline takes the newest)


def choose_view(
    totals: pd.DataFrame,
    province: str,
    first=None,
    last=None,
    peers: str | None = None,
    sector_editions: frozenset[str] = frozenset(),
) -> View:
    """The province, the year range (clamped to what exists), the primary edition (the official
    one reaching the latest year in range, preferring more years), and up to three peers. With
    no range asked for, the years of the newest official edition that has the province's
    sectors (`sector_editions`), else of the newest official edition."""
    mine = totals[totals["province_code"] == province]
    years = sorted(int(y) for y in mine["year_be"].unique())
    if not years:
        return View(province, 0, 0, None, ())

    def year(x, default):
        try:
            y = int(thai.to_arabic_digits(str(x)))
        except (TypeError, ValueError):
            return default
        return min(max(y, years[0]), years[-1])

    def primary(rows: pd.DataFrame) -> str | None:
        if rows.empty:
            return None
        stats = (
            rows.assign(official=rows["provenance"] == "official")
            .groupby("edition")
            .agg(last=("year_be", "max"), n=("year_be", "count"), official=("official", "max"))
        )
        return stats.sort_values(["official", "last", "n"], ascending=False).index[0]

    # default range: the years of the newest official edition with sectors, else the newest
    with_sectors = mine[mine["edition"].isin(sector_editions)]
    newest = primary(with_sectors) or primary(mine)
    default = mine[mine["edition"] == newest]["year_be"]
    lo, hi = year(first, int(default.min())), year(last, int(default.max()))
    if lo > hi:
        lo, hi = hi, lo
    edition = primary(mine[(mine["year_be"] >= lo) & (mine["year_be"] <= hi)])
    known = set(totals["province_code"])
    peer_codes = tuple(p for p in (peers or "").split(",") if p in known and p != province)[:3]
    return View(province, lo, hi, edition, peer_codes, edition_order(totals))


def in_range(df: pd.DataFrame, view: View) -> pd.DataFrame:
    return df[(df["year_be"] >= view.first) & (df["year_be"] <= view.last)]


def group_shares(sectors: pd.DataFrame) -> pd.DataFrame:
    """Agriculture / industry / services shares per year from CURRENT PRICES only."""
    cp = sectors.dropna(subset=["share_pct"])
    return cp.groupby(["edition", "year_be", "sector_group"], as_index=False)["share_pct"].sum()


def structure(sectors: pd.DataFrame, price_basis: str = "cp") -> pd.DataFrame:
    """Sector shares (%). Only current prices are additive: asking for chain volume is refused."""
    if price_basis != "cp":
        raise ValueError(
            "sector shares are computed from current prices only: chain-volume "
            "components are not additive (DOMAIN.md §1)"
        )
    return sectors[["edition", "year_be", "sector_code", "name_th", "name_en", "sector_group", "va_cp", "share_pct"]]


# ---------------------------------------------------------------- charts
def _base(title: str, height: int = 380, legend: str = "below") -> dict:
    """The app's one chart base (components/charts.py): the legend under the x axis's title, a
    map's on the right; Plotly's own hover (the nearest point)."""
    return fig_base(title, height, legend=legend, hovermode=None)


def _sample_suffix(sample: bool, lang: str) -> str:
    return sample_suffix("sample" if sample else None, lang)


def levels_figure(totals: pd.DataFrame, lang: str) -> dict:
    """GPP at current prices per edition: one line per edition, so a change of edition is a break,
    never a splice; p / r flags as marker text."""
    fig = _base(
        "ผลิตภัณฑ์มวลรวมจังหวัด ณ ราคาประจำปี (ล้านบาท) แยกตามฉบับ"
        if lang == "th"
        else "GPP at current prices (million baht), by edition"
    )
    for i, (edition, df) in enumerate(totals.groupby("edition", sort=True)):
        sample = set(df["provenance"]) == {"sample"}
        fig["data"].append(
            {
                "type": "scatter",
                "mode": "lines+markers+text",
                "x": [int(y) for y in df["year_be"]],
                "y": [float(v) for v in df["gpp_cp"]],
                "name": edition_label(edition, lang) + _sample_suffix(sample, lang),
                "text": [nz(f) or "" for f in df["revision_flag"]],
                "textposition": "top center",
                "line": {"dash": EDITION_DASH[i % len(EDITION_DASH)]},
                "marker": {"size": 8},
            }
        )
    fig["layout"]["xaxis"].update(
        {**year_axis(totals["year_be"]), "title": {"text": "ปี พ.ศ." if lang == "th" else "year (B.E.)"}}
    )
    return fig


def growth_figure(totals: pd.DataFrame, lang: str) -> dict:
    fig = _base("การเติบโต (%)" if lang == "th" else "Growth (%)")
    for edition, df in totals.groupby("edition", sort=True):
        x = [int(y) for y in df["year_be"]]
        fig["data"].append(
            {
                "type": "bar",
                "x": x,
                "y": [nz(v) for v in df["nominal_growth_pct"]],
                "name": ("ราคาประจำปี " if lang == "th" else "nominal ") + edition_label(edition, lang),
            }
        )
        if df["real_growth_pct"].notna().any():
            sample = set(df["cvm_provenance"].dropna()) == {"sample"}
            fig["data"].append(
                {
                    "type": "bar",
                    "x": x,
                    "y": [nz(v) for v in df["real_growth_pct"]],
                    "name": ("แท้จริง (ปริมาณลูกโซ่) " if lang == "th" else "real (chain volume) ")
                    + edition_label(edition, lang)
                    + _sample_suffix(sample, lang),
                    "marker": {"pattern": {"shape": "/"}},
                }
            )
    fig["layout"].update({"barmode": "group"})
    fig["layout"]["xaxis"].update(year_axis(totals["year_be"]))
    return fig


def structure_figure(sectors: pd.DataFrame, lang: str, sample: bool) -> dict:
    """100 % stacked bars of the agriculture / industry / services shares (current prices)."""
    fig = _base(
        ("โครงสร้างการผลิต ณ ราคาประจำปี (%)" if lang == "th" else "Structure at current prices (%)")
        + _sample_suffix(sample, lang)
    )
    shares = group_shares(sectors)
    for group, (th, en) in GROUPS.items():
        df = shares[shares["sector_group"] == group]
        if df.empty:
            continue
        fig["data"].append(
            {
                "type": "bar",
                "x": [
                    f"{int(y)} {edition_label(e, lang)}" if shares["edition"].nunique() > 1 else int(y)
                    for y, e in zip(df["year_be"], df["edition"])
                ],
                "y": [round(float(v), 2) for v in df["share_pct"]],
                "name": en if lang == "en" else th,
                "marker": {"color": GROUP_COLOURS[group]},
            }
        )
    fig["layout"].update({"barmode": "stack"})
    fig["layout"]["yaxis"].update({"range": [0, 100], "ticksuffix": "%"})
    fig["layout"]["xaxis"].update({"type": "category"})
    return fig


def contribution_figure(sectors: pd.DataFrame, totals: pd.DataFrame, lang: str, sample: bool) -> dict:
    """Contribution of each sector group to real growth (percentage points), and the residual
    (real growth minus the sum of contributions: chain volumes do not add up exactly)."""
    fig = _base(
        ("ส่วนร่วมต่อการเติบโตที่แท้จริง (จุดร้อยละ)" if lang == "th" else "Contribution to real growth (percentage points)")
        + _sample_suffix(sample, lang)
    )
    c = sectors.dropna(subset=["contribution_pp"])
    if c.empty:
        return fig
    by = c.groupby(["year_be", "sector_group"], as_index=False)["contribution_pp"].sum()
    years = sorted(by["year_be"].unique())
    for group, (th, en) in GROUPS.items():
        df = by[by["sector_group"] == group].set_index("year_be").reindex(years)
        fig["data"].append(
            {
                "type": "bar",
                "x": [int(y) for y in years],
                "y": [nz(v) for v in df["contribution_pp"]],
                "name": en if lang == "en" else th,
                "marker": {"color": GROUP_COLOURS[group]},
            }
        )
    resid = residuals(sectors, totals)
    fig["data"].append(
        {
            "type": "bar",
            "x": [int(y) for y in resid["year_be"]],
            "y": [float(v) for v in resid["residual_pp"]],
            "name": "ส่วนที่เหลือ (residual)" if lang == "th" else "residual",
            "marker": {"color": "#9aa3ad", "pattern": {"shape": "x"}},
        }
    )
    fig["data"].append(
        {
            "type": "scatter",
            "mode": "markers",
            "x": [int(y) for y in resid["year_be"]],
            "y": [float(v) for v in resid["real_growth_pct"]],
            "name": "การเติบโตที่แท้จริง" if lang == "th" else "real growth",
            "marker": {"symbol": "diamond", "size": 12, "color": "#000"},
        }
    )
    fig["layout"].update({"barmode": "relative"})
    fig["layout"]["xaxis"].update(year_axis(years))
    return fig


def residuals(sectors: pd.DataFrame, totals: pd.DataFrame) -> pd.DataFrame:
    """Per year: real growth of the total, the sum of sector contributions, and the residual."""
    c = (
        sectors.dropna(subset=["contribution_pp"])
        .groupby(["edition", "year_be"], as_index=False)["contribution_pp"]
        .sum()
    )
    t = totals[["edition", "year_be", "real_growth_pct"]].dropna()
    out = c.merge(t, on=["edition", "year_be"])
    out["residual_pp"] = out["real_growth_pct"] - out["contribution_pp"]
    return out


def peers_figure(totals: pd.DataFrame, codes: list[str], edition: str, lang: str) -> dict:
    fig = _base(
        "GPP ต่อหัว เทียบจังหวัดที่เลือก (บาท, ประชากรตาม สศช.)"
        if lang == "th"
        else "GPP per capita, chosen provinces (baht, NESDC population)"
    )
    df = totals[(totals["edition"] == edition) & totals["province_code"].isin(codes)].dropna(subset=["per_capita_baht"])
    for code in codes:
        d = df[df["province_code"] == code]
        if d.empty:
            continue
        name = d["name_en" if lang == "en" else "name_th"].iloc[0]
        fig["data"].append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "x": [int(y) for y in d["year_be"]],
                "y": [float(v) for v in d["per_capita_baht"]],
                "name": name,
                "line": {"width": 4 if code == codes[0] else 2},
            }
        )
    fig["layout"]["xaxis"].update(year_axis(df["year_be"]))
    return fig


@lru_cache(maxsize=1024)
def _rings(geojson: str) -> tuple[tuple, tuple]:
    """Outer rings of a (multi)polygon as x / y lists with None between parts, parsed once."""
    geom = json.loads(geojson)
    polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    xs, ys = [], []
    for poly in polys:
        xs += [p[0] for p in poly[0]] + [None]
        ys += [p[1] for p in poly[0]] + [None]
    return tuple(xs), tuple(ys)


MAP_BINS = ["#f1eef6", "#bdc9e1", "#74a9cf", "#2b8cbe", "#045a8d"]


def map_figure(year_rows: pd.DataFrame, shapes: pd.DataFrame, province: str, lang: str) -> dict:
    """GPP per capita of every province in one year, five quantile classes, the chosen province
    outlined. Polygons on plain axes (lon/lat, equal aspect): offline by construction."""
    fig = _base("GPP ต่อหัวรายจังหวัด (บาท)" if lang == "th" else "GPP per capita by province (baht)", 620, "side")
    vals = year_rows.dropna(subset=["per_capita_baht"]).set_index("province_code")
    if vals.empty:
        return fig
    edges = list(vals["per_capita_baht"].quantile([0, 0.2, 0.4, 0.6, 0.8, 1.0]))

    def bin_of(x):
        return min(4, sum(x > e for e in edges[1:5]))

    legend_done = set()
    for r in shapes.itertuples():
        if r.province_code not in vals.index:
            continue
        row = vals.loc[r.province_code]
        b = bin_of(row["per_capita_baht"])
        xs, ys = _rings(r.geojson)
        name = row["name_en" if lang == "en" else "name_th"]
        label = f"{f_baht(edges[b], lang)}–{f_baht(edges[b + 1], lang)}"
        fig["data"].append(
            {
                "type": "scatter",
                "x": list(xs),
                "y": list(ys),
                "fill": "toself",
                "mode": "lines",
                "fillcolor": MAP_BINS[b],
                "line": {
                    "color": "#000" if r.province_code == province else "#6b7280",
                    "width": 3 if r.province_code == province else 0.5,
                },
                "name": label,
                "legendgroup": str(b),
                "showlegend": b not in legend_done,
                "hoveron": "fills",
                "text": f"{name}: {f_baht(row['per_capita_baht'], lang)}",
                "hoverinfo": "text",
            }
        )
        legend_done.add(b)
    fig["data"].sort(key=lambda t: (t["legendgroup"], t["line"]["width"]))
    fig["layout"]["xaxis"].update({"visible": False})
    fig["layout"]["yaxis"].update({"visible": False, "scaleanchor": "x", "scaleratio": 1})
    return fig


# ---------------------------------------------------------------- the analysis text
def compare_rows(sectors: pd.DataFrame, areas: pd.DataFrame, region: str, view: View) -> pd.DataFrame:
    """The province against its NESDC region and the kingdom in the last year of the primary
    edition: each group's and section's share of GPP at current prices (the region's and the
    kingdom's from NESDC's own table, never recomputed), the province's rank among the provinces
    by that share, and its contribution to real growth. A missing figure stays None ("not
    published")."""
    s = sectors[sectors["edition"] == view.edition]
    if s.empty:
        return pd.DataFrame()
    y1 = int(s["year_be"].max())
    mine = s[s["year_be"] == y1].set_index("sector_code")
    other = areas[(areas["edition"] == view.edition) & (areas["year_be"] == y1)]
    reg = other[other["area_code"] == region].set_index("sector_code")
    kingdom = other[other["area_code"] == "TH"].set_index("sector_code")
    rows = []
    for group in GROUPS:

        def share(df, group=group):
            part = df[df["sector_group"] == group]["share_pct"]
            return part.sum() if len(part) else None

        rows.append(
            {
                "kind": "group",
                "code": group,
                "share": share(mine),
                "region": share(reg),
                "kingdom": share(kingdom),
                "rank": None,
                "ranked": None,
                "contribution_pp": mine[mine["sector_group"] == group]["contribution_pp"].sum(min_count=1),
            }
        )
        for code, r in mine[mine["sector_group"] == group].sort_values("line_no").iterrows():
            rows.append(
                {
                    "kind": "sector",
                    "code": code,
                    "name_th": r["name_th"],
                    "name_en": r["name_en"],
                    "share": r["share_pct"],
                    "region": reg["share_pct"].get(code),
                    "kingdom": kingdom["share_pct"].get(code),
                    "rank": nz(r.get("rank_share")),
                    "ranked": nz(r.get("ranked")),
                    "contribution_pp": r["contribution_pp"],
                }
            )
    out = pd.DataFrame(rows)
    out.attrs.update(year=y1)
    return out


def sources(*frames: pd.DataFrame) -> list[str]:
    """The distinct source lines of the rows shown (NESDC, edition, table), for the page."""
    refs = set()
    for df in frames:
        if "source_ref" in df:
            refs |= {str(r) for r in df["source_ref"].dropna()}
    return sorted(refs)


def sector_rows(sectors: pd.DataFrame, view: View) -> pd.DataFrame:
    """The sector table beside the text: the primary edition, each sector and each group, share
    in the first year of the range and the last year with sectors (current prices; a year the
    table lacks gives None, "not published"), value added and contribution to real growth in
    the last year."""
    s = sectors[sectors["edition"] == view.edition]
    if s.empty:
        return pd.DataFrame()
    y0, y1 = min(view.first, int(s["year_be"].min())), int(s["year_be"].max())
    last = s[s["year_be"] == y1].set_index("sector_code")
    first = s[s["year_be"] == y0].set_index("sector_code")
    rows = []
    for group in GROUPS:
        members = last[last["sector_group"] == group]
        rows.append(
            {
                "kind": "group",
                "code": group,
                "group": group,
                "share_first": first[first["sector_group"] == group]["share_pct"].sum() if len(first) else None,
                "share_last": members["share_pct"].sum(),
                "va_cp": members["va_cp"].sum(),
                "contribution_pp": members["contribution_pp"].sum(min_count=1),
            }
        )
        for code, r in members.sort_values("line_no").iterrows():
            rows.append(
                {
                    "kind": "sector",
                    "code": code,
                    "group": group,
                    "name_th": r["name_th"],
                    "name_en": r["name_en"],
                    "share_first": first["share_pct"].get(code),
                    "share_last": r["share_pct"],
                    "va_cp": r["va_cp"],
                    "contribution_pp": r["contribution_pp"],
                }
            )
    out = pd.DataFrame(rows)
    out.attrs.update(first=y0, last=y1)
    return out


def region_phrase(region: str, lang: str) -> str:
    """NESDC's region as said in a sentence: "ภาคใต้" / "the Southern region", "Bangkok and vicinities"."""
    if lang == "th" or not region:
        return region
    return region if "vicinit" in region.lower() else f"the {region} region"


def _flag_edition(row, lang: str) -> str:
    """ "revised, NESDC 2024 edition": the p / r flag of a figure and the edition it is from."""
    flag = {"p": ("ตัวเลขเบื้องต้น", "preliminary"), "r": ("ตัวเลขปรับปรุง", "revised")}.get(nz(row["revision_flag"]))
    parts = ([flag[0] if lang == "th" else flag[1]] if flag else []) + [edition_label(row["edition"], lang)]
    return ", ".join(parts)


def analysis(
    totals: pd.DataFrame,
    sectors: pd.DataFrame,
    view: View,
    province_name: str,
    region: str,
    lang: str,
    table: pd.DataFrame | None = None,
    compare: pd.DataFrame | None = None,
    nesdc_region: str = "",
) -> list[str]:
    """Sentences in Thai or English about the chosen range. The headline, the ranks and per capita
    quote each year from its latest edition (revised over preliminary; the other edition stays in
    the table), saying which edition; the sectors are the primary edition's. `region` is NESDC's
    region of the province, the one its ranks within the region are counted in, and `compare` (the
    rows of compare_rows) its shares against that region `nesdc_region` and the kingdom. Every
    number is formatted by the table formatters from the rows shown beside it; each share says
    what it is a share of."""
    t = totals[totals["edition"] == view.edition].sort_values("year_be")
    if t.empty:
        return []
    y1, y0 = int(t["year_be"].iloc[-1]), int(t["year_be"].iloc[0])
    newest = newest_by_year(totals, view.editions)
    last, first = newest.get(y1, t.iloc[-1]), newest.get(y0, t.iloc[0])
    th = lang == "th"
    out = []
    s = (
        f"ผลิตภัณฑ์มวลรวมจังหวัด{province_name} ปี {y1} ณ ราคาประจำปี {f_money(last['gpp_cp'], lang)} ล้านบาท"
        if th
        else f"{province_name}'s GPP in {y1} at current prices was {f_money(last['gpp_cp'], lang)} million baht"
    ) + f" ({_flag_edition(last, lang)})"
    if nz(last["nominal_growth_pct"]) is not None:
        g = float(last["nominal_growth_pct"])
        s += (
            f" {'ขยายตัว' if g >= 0 else 'หดตัว'}ร้อยละ {f_pct(abs(g), lang)} จากปีก่อน"
            if th
            else f", {'up' if g >= 0 else 'down'} {f_pct(abs(g), lang)}% on the year before"
        )
    # real growth: from the latest edition with a chain volume for the year, named when another
    real_rows = totals[(totals["year_be"] == y1) & totals["real_growth_pct"].notna()]
    real = newest_by_year(real_rows, view.editions).get(y1) if not real_rows.empty else None
    if real is not None:
        r = float(real["real_growth_pct"])
        other = ", " + _flag_edition(real, lang) if real["edition"] != last["edition"] else ""
        s += (
            f" และเมื่อขจัดผลของราคา (ปริมาณลูกโซ่{other}) {'ขยายตัว' if r >= 0 else 'หดตัว'}ร้อยละ {f_pct(abs(r), lang)}"
            if th
            else f"; in real terms (chain volume{other}) {'up' if r >= 0 else 'down'} {f_pct(abs(r), lang)}%"
        )
    out.append(s + ("" if th else "."))
    sec = sectors[(sectors["edition"] == view.edition) & (sectors["year_be"] == y1)].dropna(subset=["contribution_pp"])
    if not sec.empty:
        top = sec.sort_values("contribution_pp")
        hi, lo = top.iloc[-1], top.iloc[0]

        def n(r):
            return r["name_en"] if lang == "en" else r["name_th"]

        out.append(
            f"สาขาที่มีส่วนร่วมต่อการเติบโตที่แท้จริงของจังหวัดมากที่สุดคือ{n(hi)} "
            f"({f_pct(hi['contribution_pp'], lang)} จุดร้อยละ) และน้อยที่สุดคือ{n(lo)} "
            f"({f_pct(lo['contribution_pp'], lang)} จุดร้อยละ)"
            if th
            else f"The largest contribution to the province's real growth came from {n(hi)} "
            f"({f_pct(hi['contribution_pp'], lang)} percentage points), the smallest from {n(lo)} "
            f"({f_pct(lo['contribution_pp'], lang)} percentage points)."
        )
    table = sector_rows(sectors, view) if table is None else table
    if not table.empty:
        agri = table[(table["kind"] == "group") & (table["code"] == "agriculture")].iloc[0]
        s0, s1, t0, t1 = agri["share_first"], agri["share_last"], table.attrs["first"], table.attrs["last"]
        if t0 != t1 and nz(s0) is not None:
            out.append(
                f"สัดส่วนของภาคเกษตรในผลิตภัณฑ์มวลรวมจังหวัด{province_name}เปลี่ยนจากร้อยละ {f_pct(s0, lang)} "
                f"ในปี {t0} เป็นร้อยละ {f_pct(s1, lang)} ในปี {t1}"
                if th
                else f"Agriculture's share of {province_name}'s GPP moved from {f_pct(s0, lang)}% in {t0} "
                f"to {f_pct(s1, lang)}% in {t1}."
            )
        else:
            out.append(
                f"ภาคเกษตรคิดเป็นร้อยละ {f_pct(s1, lang)} ของผลิตภัณฑ์มวลรวมจังหวัด{province_name} ในปี {t1}"
                if th
                else f"Agriculture was {f_pct(s1, lang)}% of {province_name}'s GPP in {t1}."
            )
    if compare is not None and not compare.empty:
        agri = compare[(compare["kind"] == "group") & (compare["code"] == "agriculture")].iloc[0]
        y = compare.attrs["year"]
        out.append(
            f"ปี {y} ภาคเกษตรคิดเป็นร้อยละ {f_pct(agri['share'], lang)} ของผลิตภัณฑ์มวลรวมจังหวัด{province_name} "
            f"ส่วนใน{nesdc_region}ทั้งภาค ภาคเกษตรคิดเป็นร้อยละ {published(agri['region'], lang)} "
            f"ของผลิตภัณฑ์มวลรวม{nesdc_region} และทั้งประเทศคิดเป็นร้อยละ {published(agri['kingdom'], lang)} "
            f"ของผลิตภัณฑ์มวลรวมในประเทศ"
            if th
            else f"In {y} agriculture was {f_pct(agri['share'], lang)}% of {province_name}'s GPP; across "
            f"{region_phrase(nesdc_region, lang)} as a whole it was {published(agri['region'], lang)}% of "
            f"the region's gross regional product, and {published(agri['kingdom'], lang)}% of the "
            f"kingdom's GDP."
        )
        ranked = compare[(compare["kind"] == "sector")].dropna(subset=["rank"])
        if not ranked.empty:
            top = ranked.sort_values("share").iloc[-1]
            name = top["name_en"] if lang == "en" else top["name_th"]
            out.append(
                f"สาขาที่ใหญ่ที่สุดของจังหวัดคือ{name} คิดเป็นร้อยละ {f_pct(top['share'], lang)} "
                f"ของผลิตภัณฑ์มวลรวมจังหวัด{province_name} เมื่อเรียงสัดส่วนของสาขานี้ในผลิตภัณฑ์มวลรวมของแต่ละจังหวัด "
                f"จังหวัด{province_name}อยู่อันดับที่ {f_int(top['rank'], lang)} จาก {f_int(top['ranked'], lang)} จังหวัด"
                if th
                else f"The province's largest section, {name}, is {f_pct(top['share'], lang)}% of "
                f"{province_name}'s GPP; ranked by that section's share of each province's GPP, "
                f"{province_name} is {f_int(top['rank'], lang)} of {f_int(top['ranked'], lang)} provinces."
            )
    if int(last["provinces"]) > 1:
        rank = (
            f"อันดับที่ {f_int(last['rank_gpp'], lang)} จาก {f_int(last['provinces'], lang)} จังหวัดของประเทศ "
            f"และอันดับที่ {f_int(last['rank_gpp_region'], lang)} จาก {f_int(last['provinces_region'], lang)} "
            f"จังหวัดใน{region}"
            if th
            else f"rank {f_int(last['rank_gpp'], lang)} of {f_int(last['provinces'], lang)} provinces of the "
            f"kingdom and {f_int(last['rank_gpp_region'], lang)} of {f_int(last['provinces_region'], lang)} "
            f"in {region_phrase(region, lang)}"
        )
        if y0 != y1 and int(first["provinces"]) > 1:
            rank += (
                f" (ปี {y0} อันดับที่ {f_int(first['rank_gpp'], lang)} ของประเทศ)"
                if th
                else f" ({f_int(first['rank_gpp'], lang)} in the kingdom in {y0})"
            )
        out.append(f"ขนาดเศรษฐกิจปี {y1} อยู่{rank}" if th else f"By size of economy in {y1}: {rank}.")
    if nz(last["per_capita_baht"]) is not None:
        out.append(
            f"ผลิตภัณฑ์มวลรวมจังหวัดต่อหัว ปี {y1} {f_baht(last['per_capita_baht'], lang)} บาท (ประชากรตาม สศช. "
            f"{f_int(last['population'], lang)} คน) อันดับที่ {f_int(last['rank_per_capita'], lang)} ของประเทศ"
            if th
            else f"GPP per capita in {y1} was {f_baht(last['per_capita_baht'], lang)} baht (NESDC population "
            f"{f_int(last['population'], lang)}), rank {f_int(last['rank_per_capita'], lang)} in the kingdom."
        )
    return out
