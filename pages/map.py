"""/map: the province's districts (or its sub-districts, or all 77 provinces) coloured by an
indicator, a KPI's district values or status, disasters, or DOPA population.

The geometry goes to the browser once, with the page; changing the layer or the year sends a
``dash.Patch`` with colours and hover texts only, and the layer's freshness mark under the map
(see bench/map.py for the payload). The level (districts / sub-districts / provinces) changes the
geometry, so it re-renders the page with the chosen layer and year kept (or, when the layer has no
values at the new level, another one and a note saying so). The layer list is grouped (KPIs,
indicators by topic group, population, GPP, disasters) and narrowed by a search box. Clicking a
district opens its profile; clicking a province opens /gpp for it."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, Patch, State, callback, dcc, html, no_update

import db
from components import freshness as fr
from components import mapview as mv
from components import thai
from components.cockpit import graph, query_string, unit
from components.i18n import current_lang, words
from components.layout import no_warehouse, sample_mark, sample_suffix
from config import settings
from web import auth, viewcache

dash.register_page(
    __name__,
    path="/map",
    name="แผนที่",
    name_en="Map",
    title="แผนที่ · สัญญาณ Sanyan",
    order=40,
)

LEVELS = {
    "district": ("อำเภอ", "Districts"),
    "subdistrict": ("ตำบล", "Sub-districts"),
    "province": ("จังหวัดทั่วประเทศ", "All provinces"),
}
TEXT = words(
    "map",
    {
        "th": {
            "title": "แผนที่ข้อมูลพื้นที่",
            "level": "ระดับพื้นที่",
            "layer": "ข้อมูลที่แสดง",
            "year": "ปี",
            "population": "ประชากรตามทะเบียนราษฎร์ (กรมการปกครอง)",
            "ind": "ตัวชี้วัดจังหวัด: ",
            "kpi": "ผลตัวชี้วัด: ",
            "status": "สถานะตัวชี้วัด: ",
            "disaster_count": "จำนวนครั้งสาธารณภัย",
            "disaster_damage": "มูลค่าความเสียหายจากสาธารณภัย",
            "gpp_pc": "GPP ต่อหัว (สศช.)",
            "none": "ข้อมูลนี้ไม่มีค่าระดับพื้นที่ในปีที่เลือก",
            "click": "คลิกที่อำเภอเพื่อเปิดข้อมูลอำเภอ",
            "as_of": "ปี {y}",
            "fy": "ปีงบประมาณ {y}",
            "events": "ครั้ง",
            "baht": "บาท",
            "people": "คน",
            "g_kpi": "ตัวชี้วัด (KPI)",
            "g_ind": "ตัวชี้วัดจังหวัด · {g}",
            "g_ind_other": "ตัวชี้วัดจังหวัด · อื่น ๆ",
            "g_pop": "ประชากร",
            "g_gpp": "เศรษฐกิจจังหวัด (GPP)",
            "g_dis": "สาธารณภัย",
            "search": "ค้นหาข้อมูลที่แสดง: ชื่อ กลุ่ม หรือรหัส",
            "found": "พบ {n} รายการ",
            "fallback": "«{old}» ไม่มีข้อมูลที่ระดับ{level} จึงแสดง «{new}» แทน",
        },
        "en": {
            "title": "Area map",
            "level": "Level",
            "layer": "Layer",
            "year": "Year",
            "population": "Registered population (DOPA)",
            "ind": "Indicator: ",
            "kpi": "KPI result: ",
            "status": "KPI status: ",
            "disaster_count": "Disaster events",
            "disaster_damage": "Disaster damage",
            "gpp_pc": "GPP per capita (NESDC)",
            "none": "This layer has no area values in the chosen year",
            "click": "Click a district to open its profile",
            "as_of": "year {y}",
            "fy": "FY {y}",
            "events": "events",
            "baht": "baht",
            "people": "people",
            "g_kpi": "KPIs",
            "g_ind": "Indicators · {g}",
            "g_ind_other": "Indicators · other",
            "g_pop": "Population",
            "g_gpp": "Provincial economy (GPP)",
            "g_dis": "Disasters",
            "search": "Search the layers: name, group or code",
            "found": "{n} layers found",
            "fallback": "“{old}” has no values at the {level} level, so “{new}” is shown instead",
        },
    },
)


LEVEL_WORD = {
    "district": ("อำเภอ", "district"),
    "subdistrict": ("ตำบล", "sub-district"),
    "province": ("จังหวัด", "province"),
}
# the layer list's groups, in this order: KPIs, indicators by topic group, population, GPP, disasters
GROUP_ORDER = {"kpi": 0, "ind": 1, "population": 2, "gpp": 3, "disaster": 4}


@viewcache.map_layers  # the layer changes the build makes ahead (web/viewcache.py)
def layers(level: str, lang: str) -> dict[str, dict]:
    """layer id -> {label, years, unit, group, order}: what can be drawn at this level, in the
    order of the layer list (``group`` is the list's group header, ``order`` sorts the groups)."""
    tx = TEXT[lang]
    prov = settings.province
    name = "name_en" if lang == "en" else "name_th"
    out: dict[str, dict] = {}
    if level == "district":
        for r in db.query("map/kpis", province=prov).itertuples():
            years = [int(y) for y in r.years]
            kpi = {"years": years, "unit": unit(r, lang), "fiscal": True, "group": tx["g_kpi"], "order": (0, "")}
            out[f"kpi:{r.kpi_code}"] = {"label": f"{tx['kpi']}{r.kpi_code} {getattr(r, name)}", **kpi}
            # a status layer's hover gives the KPI's value to date in the KPI's unit beside the status word
            out[f"status:{r.kpi_code}"] = {"label": f"{tx['status']}{r.kpi_code} {getattr(r, name)}", **kpi}
    if level != "province":
        for r in db.query("map/indicators", level=level, province=prov).itertuples():
            group_name = getattr(r, "group_en" if lang == "en" else "group_th")
            group = tx["g_ind"].format(g=group_name) if isinstance(group_name, str) else tx["g_ind_other"]
            out[f"ind:{r.indicator_code}"] = {
                "label": tx["ind"] + getattr(r, name),
                "short": getattr(r, name),  # in the list its group already says it is an indicator
                "years": [int(y) for y in r.years],
                "unit": unit(r, lang),  # unit_en in English
                "group": group,
                "order": (1, r.group_code if isinstance(r.group_code, str) else "~"),
            }
    pop_years = [int(y) for y in db.query("map/population_years", level=level, province=prov)["year_be"]]
    if pop_years:
        out["population"] = {
            "label": tx["population"],
            "years": pop_years,
            "unit": tx["people"],
            "group": tx["g_pop"],
            "order": (2, ""),
        }
    if level == "province":
        t = db.query("gpp/totals")
        years = sorted(int(y) for y in t[(t["edition"] == "nesdc-2024")]["year_be"].unique())
        out["gpp_pc"] = {
            "label": tx["gpp_pc"],
            "years": years,
            "unit": tx["baht"],
            "group": tx["g_gpp"],
            "order": (3, ""),
        }
    if level == "district":
        d_years = [int(y) for y in db.query("map/disaster_years", province=prov)["year_be"]]
        if d_years:
            dis = {"years": d_years, "group": tx["g_dis"], "order": (4, "")}
            out["disaster_count"] = {"label": tx["disaster_count"], "unit": tx["events"], **dis}
            out["disaster_damage"] = {"label": tx["disaster_damage"], "unit": tx["baht"], **dis}
    # stable sort: groups in GROUP_ORDER, indicators by topic group code, each group's own order kept
    return dict(sorted(out.items(), key=lambda kv: kv[1]["order"]))


def layer_options(avail: dict[str, dict]) -> list[dict]:
    """The layer list's options, group by group (``layers``' order), each label prefixed by its
    group (ตัวชี้วัด (KPI) › …, ตัวชี้วัดจังหวัด · แรงงานและการมีงานทำ › …); every option is a layer
    (no header rows to pick by mistake). ``search`` holds the group, the label and the layer's id,
    so typing a group's name (ประชากร, แรงงาน, KPI…) or a code (K05, I12) finds it."""
    out = []
    for key, meta in avail.items():
        label = f"{meta['group']} › {meta.get('short', meta['label'])}"
        out.append({"label": label, "value": key, "search": f"{label} {meta['label']} {key}"})
    return out


def matching(options: list[dict], query: str | None, keep: str | None = None) -> list[dict]:
    """The options whose ``search`` text holds every word of ``query`` (case-insensitive, in any
    order); the layer shown now (``keep``) always stays, so the list never loses its value."""
    words_ = (query or "").casefold().split()
    return [o for o in options if o["value"] == keep or all(w in o["search"].casefold() for w in words_)]


def _select_options(options: list[dict]) -> list[dict]:
    return [{"label": o["label"], "value": o["value"]} for o in options]


def source(layer: str) -> str | None:
    """The named query a layer's values come from."""
    for prefix, name in (
        ("population", "map/population"),
        ("gpp_pc", "gpp/totals"),
        ("ind:", "map/indicator_values"),
        ("kpi:", "map/kpi_values"),
        ("status:", "map/kpi_values"),
        ("disaster_", "map/disasters"),
    ):
        if layer.startswith(prefix):
            return name
    return None


def values(layer: str, level: str, year: int):
    """(frame with area_code/value/status/provenance, kind) for a layer and year (from ``source``)."""
    prov = settings.province
    if layer == "population":
        return db.query("map/population", level=level, province=prov, year=year), "number"
    if layer == "gpp_pc":
        t = db.query("gpp/totals")
        t = t[(t["edition"] == "nesdc-2024") & (t["year_be"] == year)]
        return t.rename(columns={"province_code": "area_code", "per_capita_baht": "value"}), "number"
    if layer.startswith("ind:"):
        return db.query("map/indicator_values", code=layer[4:], year=year, level=level, province=prov), "number"
    if layer.startswith(("kpi:", "status:")):
        kind = "status" if layer.startswith("status:") else "number"
        return db.query("map/kpi_values", code=layer.split(":", 1)[1], year=year, province=prov), kind
    if layer in ("disaster_count", "disaster_damage"):
        df = db.query("map/disasters", year=year, province=prov)
        return df.assign(value=df["events" if layer == "disaster_count" else "damage_baht"]), "number"
    return None, "number"


def _choose(level, layer, year, lang):
    level = level if level in LEVELS else "district"
    avail = layers(level, lang)
    if layer not in avail:
        layer = next(iter(k for k in avail if k.startswith("ind:")), next(iter(avail), None))
    years = avail[layer]["years"] if layer else []
    try:
        y = int(thai.to_arabic_digits(str(year)))
    except (TypeError, ValueError):
        y = None
    if years and y not in years:
        y = years[-1]
    return level, avail, layer, y


def _fallback_note(asked, level, avail, layer, lang):
    """When the layer asked for (kept from the level before) cannot be drawn at this level, say so
    in words: which layer, at which level, and what is shown instead. None when it was drawn."""
    if not asked or asked == layer or asked in avail or not layer:
        return None
    old = next(
        (lv[asked]["label"] for other in LEVELS if other != level for lv in [layers(other, lang)] if asked in lv), asked
    )
    word = LEVEL_WORD[level][1 if lang == "en" else 0]
    text = TEXT[lang]["fallback"].format(old=old, level=word, new=avail[layer]["label"])
    return dbc.Alert(text, color="warning", id="map-fallback", className="mb-2")


def _paint(shapes, level, avail, layer, year, lang):
    lang_name = "name_en" if lang == "en" else "name_th"
    meta = avail[layer]
    df, kind = values(layer, level, year)
    when = (TEXT[lang]["fy"] if meta.get("fiscal") else TEXT[lang]["as_of"]).format(y=year)
    provenance = df["provenance"] if df is not None and "provenance" in df.columns else None
    # a layer drawn from sample rows says so in its title, on the map itself (and in its PNG / SVG)
    title = f"{meta['label']} · {when}" + sample_suffix(provenance, lang)
    p = mv.paint(list(shapes["area_code"]), list(shapes[lang_name]), df, kind, meta["unit"] or "", title, when, lang)
    has_values = df is not None and not df.empty and (kind == "status" or df["value"].notna().any())
    return p, has_values, provenance


def _caption(avail, layer, provenance, lang):
    """Under the map (the legend's caption): the sample mark when the layer's rows include sample
    rows, and the layer's freshness mark."""
    fresh = _fresh(avail, layer, lang)
    mark = sample_mark(provenance, lang, id="map-sample")
    return fresh if mark is None else [mark, " ", fresh]


def _fresh(avail, layer, lang):
    """The freshness mark of the layer's series: an indicator, a KPI, DOPA population, NESDC GPP
    per capita (totals and population); disaster records have no reporting frequency, so they get
    the snapshot's as-of date."""
    if not layer:
        return None
    what = avail[layer]["label"]
    fresh = fr.load(db.query)
    if layer in ("disaster_count", "disaster_damage"):
        info = db.snapshot_info()
        return fr.as_of_mark(info.get("as_of") or info.get("built_at"), lang, what=what)
    if layer == "population":
        row = fr.lookup(fresh, "population", "DOPA")
    elif layer == "gpp_pc":
        row = fr.worst([r for (d, _i), r in fresh.items() if d == "gpp"] + [fr.lookup(fresh, "population", "NESDC")])
    elif layer.startswith("ind:"):
        row = fr.lookup(fresh, "indicator", layer[4:])
    elif layer.startswith(("kpi:", "status:")):
        row = fr.lookup(fresh, "kpi", layer.split(":", 1)[1])
    else:
        row = None
    return fr.freshness_mark(row, lang, what=what)


@auth.page_access
def layout(level=None, layer=None, year=None, **_kwargs) -> html.Div:
    lang = current_lang()
    tx = TEXT[lang]
    head = [html.H1(tx["title"], id="map-title", className="sy-page-title")]
    if not db.available():
        return html.Div(head + [no_warehouse(lang, id_prefix="map-nowh")], className="sy-page", id="map-page")
    asked = layer
    level, avail, layer, year = _choose(level, layer, year, lang)
    fallback = _fallback_note(asked, level, avail, layer, lang)
    shapes = db.query("map/shapes", level=level, province=settings.province)
    controls = html.Div(
        [
            html.Div(
                [
                    html.Label(tx["level"], htmlFor="map-level"),
                    dbc.Select(
                        id="map-level",
                        value=level,
                        options=[{"label": v[1] if lang == "en" else v[0], "value": k} for k, v in LEVELS.items()],
                    ),
                ]
            ),
            html.Div(
                [
                    html.Label(tx["layer"], htmlFor="map-layer"),
                    # a native list (keyboard and screen readers as usual) with a search box that
                    # narrows it: the group's name, a word of the label or a code (K05, I12)
                    html.Label(tx["search"], htmlFor="map-layer-search", className="visually-hidden"),
                    dcc.Input(
                        id="map-layer-search",
                        type="search",
                        placeholder=tx["search"],
                        debounce=0.3,
                        autoComplete="off",
                        className="form-control form-control-sm sy-map-layer-search",
                    ),
                    dbc.Select(id="map-layer", value=layer, options=_select_options(layer_options(avail))),
                    html.Div(id="map-layer-count", className="visually-hidden", **{"aria-live": "polite"}),
                ],
                style={"gridColumn": "span 2"},
            ),
            html.Div(
                [
                    html.Label(tx["year"], htmlFor="map-year"),
                    dbc.Select(
                        id="map-year",
                        value=str(year),
                        options=[{"label": str(y), "value": str(y)} for y in (avail[layer]["years"] if layer else [])],
                    ),
                ]
            ),
        ],
        className="sy-filters",
        id="map-filters",
        role="search",
    )
    fig = mv.base_figure(shapes, "", names=list(shapes["name_en" if lang == "en" else "name_th"]))
    note = html.Div(fallback, id="map-note")
    provenance = None
    if layer:
        p, has, provenance = _paint(shapes, level, avail, layer, year, lang)
        mv.apply(fig, p)
        if not has:
            note = html.Div([fallback, dbc.Alert(tx["none"], color="info", id="map-none")], id="map-note")
    return html.Div(
        head
        + [
            dcc.Location(id="map-nav", refresh="callback-nav"),  # level: new geometry, re-render
            dcc.Location(id="map-url", refresh=False),  # layer / year: URL only
            dcc.Location(id="map-go", refresh="callback-nav"),  # a click opens a profile
            controls,
            note,
            html.P(tx["click"], className="sy-meta mt-2") if level == "district" else None,
            graph(
                fig,
                "map-graph",
                tx["title"],
                note=_caption(avail, layer, provenance, lang),
                note_id="map-fresh",
                query=source(layer) if layer else None,
            ),
        ],
        className="sy-page",
        id="map-page",
    )


@callback(
    Output("map-graph", "figure"),
    Output("map-url", "search"),
    Output("map-nav", "href"),
    Output("map-year", "options"),
    Output("map-year", "value"),
    Output("map-note", "children"),
    Output("map-fresh", "children"),
    Input("map-level", "value"),
    Input("map-layer", "value"),
    Input("map-year", "value"),
    State("map-url", "search"),
    prevent_initial_call=True,
)
def _update(level, layer, year, _search):
    """Layer or year: recolour with a Patch (values only). Level: a new URL with the chosen layer
    and year kept, the page re-renders (and falls back, saying so, when the layer is not there)."""
    lang = current_lang()
    if dash.ctx.triggered_id == "map-level":
        href = "/map" + query_string(level=level, layer=layer, year=year)
        return no_update, no_update, href, no_update, no_update, no_update, no_update
    if not isinstance(layer, str):
        return (no_update,) * 7  # a cleared list: nothing to draw
    level, avail, layer, y = _choose(level, layer, year, lang)
    shapes = db.query("map/shapes", level=level, province=settings.province)
    p, has, provenance = _paint(shapes, level, avail, layer, y, lang)
    patch = Patch()
    mv.apply(patch, p)
    years = [{"label": str(v), "value": str(v)} for v in avail[layer]["years"]]
    note = None if has else dbc.Alert(TEXT[lang]["none"], color="info", id="map-none")
    return (
        patch,
        query_string(level=None if level == "district" else level, layer=layer, year=y),
        no_update,
        years,
        str(y),
        note,
        _caption(avail, layer, provenance, lang),
    )


@callback(
    Output("map-layer", "options"),
    Output("map-layer-count", "children"),
    Input("map-layer-search", "value"),
    State("map-level", "value"),
    State("map-layer", "value"),
    prevent_initial_call=True,
)
def _search(query, level, layer):
    """The search box narrows the layer list (the chosen layer stays in it) and says how many match."""
    lang = current_lang()
    level = level if level in LEVELS else "district"
    found = matching(layer_options(layers(level, lang)), query, keep=layer)
    n = len(matching(found, query))  # the chosen layer counts only when it matches too
    return _select_options(found), TEXT[lang]["found"].format(n=n)


@callback(
    Output("map-go", "href"), Input("map-graph", "clickData"), State("map-level", "value"), prevent_initial_call=True
)
def _open(click, level):
    """A click on a district opens its profile; on a province, its GPP page."""
    try:
        curve = int(click["points"][0]["curveNumber"])
    except (TypeError, KeyError, IndexError, ValueError):
        return no_update
    level = level if level in LEVELS else "district"
    codes = list(db.query("map/shapes", level=level, province=settings.province)["area_code"])
    if not 0 <= curve < len(codes):
        return no_update
    code = codes[curve]
    if level == "province":
        return f"/gpp?province={code}"
    if len(str(code)) == 4:
        return f"/district/{code}"
    if len(str(code)) == 6:
        return f"/district/{str(code)[:4]}"
    return no_update
