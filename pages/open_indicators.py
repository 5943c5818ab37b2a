"""/open/indicators: the provincial database's open indicators for the public (IT4): a chosen
indicator's province value over the years (chart) and every district's values (table), with the
downloads of the open-data API. Indicators not classified open never reach this page (db.query
drops them for every /open request; both queries carry the indicator code)."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

import db
from components import cockpit as ck
from components import thai
from components.charts import fig_base
from components.i18n import current_lang, words
from components.layout import labelled_select, no_warehouse, provenance_badge, sample_caption, sample_suffix
from config import settings
from web import auth

dash.register_page(
    __name__,
    path="/open/indicators",
    name="ฐานข้อมูลจังหวัด (สาธารณะ)",
    name_en="Provincial database (public)",
    title="ฐานข้อมูลจังหวัด · สัญญาณ Sanyan",
    order=92,
    nav=False,
)

TEXT = words(
    "open_indicators",
    {
        "th": {
            "title": "ฐานข้อมูลจังหวัดที่เปิดเผย",
            "back": "← ข้อมูลสาธารณะ",
            "indicator": "ตัวชี้วัด",
            "none": "ยังไม่มีตัวชี้วัดที่เปิดเผย",
            "not_open": "ไม่พบตัวชี้วัดนี้ในข้อมูลที่เปิดเผย",
            "province": "ทั้งจังหวัด",
            "area": "พื้นที่",
            "download": "ดาวน์โหลด",
            "chart": "{name}: ค่าระดับจังหวัดรายปี",
            "year": "ปี พ.ศ.",
        },
        "en": {
            "title": "Open provincial database",
            "back": "← Public information",
            "indicator": "Indicator",
            "none": "No indicator is open yet",
            "not_open": "This indicator is not among the open data",
            "province": "Province",
            "area": "Area",
            "download": "Download",
            "chart": "{name}: the province, year by year",
            "year": "Year (B.E.)",
        },
    },
)


def _figure(rows, name: str, unit: str, lang: str) -> dict:
    tx = TEXT[lang]
    title = tx["chart"].format(name=name) + sample_suffix(rows["provenance"], lang)
    fig = fig_base(title, 360, hovermode=None, title_size=15)  # the app's one chart base (components/charts.py)
    fig["data"].append(
        {
            "type": "bar",
            "x": [str(y) for y in rows["year_be"]],
            "y": list(rows["value"]),
            "marker": {"color": "#1d3557"},
            "name": name,
            "hovertemplate": "%{x}: %{y:,.2f} " + unit + "<extra></extra>",
        }
    )
    fig["layout"]["xaxis"].update({"title": {"text": tx["year"]}, "type": "category"})
    fig["layout"]["yaxis"]["title"] = {"text": unit}
    return fig


@auth.page_access
def layout(indicator=None, **_kwargs) -> html.Div:
    lang = current_lang()
    tx = TEXT[lang]
    head = [dcc.Link(tx["back"], href="/open"), html.H1(tx["title"], className="sy-page-title", id="openind-title")]
    if not db.available():
        return html.Div(head + [no_warehouse(lang, id_prefix="openind-nowh")], className="sy-page", id="openind-page")
    cat = db.query("open/indicators")
    if cat.empty:
        return html.Div(
            head + [dbc.Alert(tx["none"], color="info", id="openind-none")], className="sy-page", id="openind-page"
        )
    code = indicator if indicator in set(cat["indicator_code"]) else None
    opts = [{"label": f"{r.indicator_code} {ck.name(r, lang)}", "value": r.indicator_code} for r in cat.itertuples()]
    children = head + [
        html.Div(
            labelled_select("openind-select", tx["indicator"], opts, code or opts[0]["value"]), className="sy-filters"
        ),
        dcc.Store(id="openind-go"),
    ]
    if indicator and code is None:
        children.append(dbc.Alert(tx["not_open"], color="secondary", id="openind-not-open"))
        return html.Div(children, className="sy-page", id="openind-page")
    code = code or opts[0]["value"]
    meta = cat[cat["indicator_code"] == code].iloc[0]
    name, unit = ck.name(meta, lang), ck.unit(meta, lang)
    values = db.query("open/indicator_values", code=code)
    sample = meta["provenance"] == "sample"
    prov = values[values["area_code"] == settings.province]
    if not prov.empty:
        children.append(
            ck.graph(
                _figure(prov, name, unit, lang),
                "openind-chart",
                tx["chart"].format(name=name),
                query="open/indicator_values",
            )
        )
    if sample:
        children.append(html.P([provenance_badge("sample", lang)]))
    years = sorted(values["year_be"].unique())
    table = values.pivot_table(
        index=["area_code", "name_th", "name_en"], columns="year_be", values="value", aggfunc="first"
    ).reset_index()
    cols = [tx["area"]] + [str(y) for y in years]
    body = [
        html.Tr(
            [
                html.Td(
                    f"{r['area_code']} {r['name_th' if lang == 'th' else 'name_en'] or ''}", **{"data-label": cols[0]}
                )
            ]
            + [
                html.Td(
                    thai.format_number(r[y], 2, lang) if r[y] == r[y] else "–",
                    className="sy-num",
                    **{"data-label": str(y)},
                )
                for y in years
            ],
            **{"data-area": r["area_code"]},
        )
        for _, r in table.iterrows()
    ]
    children.append(
        html.Div(
            html.Table(
                [
                    sample_caption(values["provenance"], lang),
                    html.Thead(html.Tr([html.Th(c, scope="col") for c in cols])),
                    html.Tbody(body),
                ],
                className="table table-sm sy-table sy-stack",
                id="openind-table",
            ),
            className="table-responsive",
            **{"data-query": "open/indicator_values"},
        )
    )
    children.append(
        html.P(
            [
                tx["download"],
                ": ",
                html.A("CSV", href="/api/v1/datasets/indicator_values.csv"),
                " · ",
                html.A("Excel", href="/api/v1/datasets/indicator_values.xlsx"),
                " · ",
                html.A("GeoJSON", href="/api/v1/datasets/indicator_values.geojson"),
                " · ",
                html.A("API", href="/api/v1/datasets/indicator_values"),
            ],
            id="openind-downloads",
        )
    )
    return html.Div(children, className="sy-page", id="openind-page")


dash.clientside_callback(
    """function(v) { if (v) { window.location.search = '?indicator=' + encodeURIComponent(v); }
                     return window.dash_clientside.no_update; }""",
    dash.Output("openind-go", "data"),
    dash.Input("openind-select", "value"),
    prevent_initial_call=True,
)
