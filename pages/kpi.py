"""/kpi: strategic issue -> plan -> project -> KPI -> sub-KPI with a light on every node.

Filters (fiscal year, reporting round, owner unit, importance tier, leading/lagging) live in the
URL: changing one writes the query string (a new history entry), Dash Pages renders the page
again from it, so a link, the back button and a reload all give the same view."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, dcc, html

import db
from components import cockpit as ck
from components import freshness as fr
from components import thai
from components.i18n import current_lang, t, words
from components.layout import is_sample, labelled_select, no_warehouse, sample_mark
from components.status import SHOWN, status_badge
from config import settings
from web import auth

dash.register_page(
    __name__,
    path="/kpi",
    name="ตัวชี้วัด",
    name_en="KPIs",
    title="ตัวชี้วัด · สัญญาณ Sanyan",
    order=10,
)

TEXT = words(
    "kpi",
    {
        "th": {
            "title": "ตัวชี้วัดตามโครงสร้างยุทธศาสตร์",
            "fy": t("word.fy", "th"),
            "round": "รอบการรายงาน",
            "latest": "ล่าสุด",
            "months": "{n} เดือน",
            "unit": "หน่วยงานเจ้าของ",
            "tier": "ระดับความสำคัญ",
            "type": "ประเภทตัวชี้วัด",
            "all": "ทั้งหมด",
            "leading": "ตัวชี้วัดนำ",
            "lagging": "ตัวชี้วัดตาม",
            "tier_n": "ระดับ {n}",
            "shown": "แสดงตัวชี้วัด {n} จาก {m} ตัว",
            "empty": "ยังไม่มีตัวชี้วัดในคลังข้อมูล",
            "sample": "ข้อมูลตัวอย่าง ไม่ใช่ผลจริง",
            "legend": "สัญลักษณ์",
        },
        "en": {
            "title": "KPIs in the strategy hierarchy",
            "fy": t("word.fy", "en"),
            "round": "Reporting round",
            "latest": "Latest",
            "months": "{n} months",
            "unit": "Owner unit",
            "tier": "Importance tier",
            "type": "KPI type",
            "all": "All",
            "leading": "Leading",
            "lagging": "Lagging",
            "tier_n": "Tier {n}",
            "shown": "Showing {n} of {m} KPIs",
            "empty": "The warehouse has no KPIs yet",
            "sample": "Sample data, not real results",
            "legend": "Legend",
        },
    },
)
FILTER_IDS = ("kpi-filter-fy", "kpi-filter-round", "kpi-filter-unit", "kpi-filter-tier", "kpi-filter-type")


@auth.page_access
def layout(fy=None, round=None, unit=None, tier=None, type=None, **_kwargs) -> html.Div:
    lang = current_lang()
    tx = TEXT[lang]
    head = [html.H1(tx["title"], id="kpi-title", className="sy-page-title")]
    if not db.available():
        return html.Div(head + [no_warehouse(lang, id_prefix="kpi-nowh")], className="sy-page", id="kpi-page")
    area = settings.province
    point = ck.resolve_point(db.query("cockpit/fiscal_years", area=area), fy, round)
    if point.fy is None:
        return html.Div(head + [dbc.Alert(tx["empty"], color="info")], className="sy-page", id="kpi-page")
    kpis = db.query("cockpit/kpi_status", fy=point.fy, idx=point.idx, area=area)
    nodes = db.query("cockpit/nodes", fy=point.fy, idx=point.idx, area=area)
    links = db.query("cockpit/kpi_links")

    units = sorted(kpis["owner_unit"].dropna().unique())
    # the owner unit is the filter's value (in the URL) in both languages; English shows its English name
    unit_label = {r.owner_unit: ck.text(r, "owner_unit", lang) for r in kpis.dropna(subset=["owner_unit"]).itertuples()}
    unit = unit if unit in units else "all"
    tier = str(tier) if str(tier) in {"1", "2", "3"} else "all"
    type_ = type if type in {"leading", "lagging"} else "all"
    shown = kpis
    if unit != "all":
        shown = shown[shown["owner_unit"] == unit]
    if tier != "all":
        shown = shown[shown["importance_tier"] == int(tier)]
    if type_ != "all":
        shown = shown[shown["indicator_type"] == type_]

    all_opt = {"label": tx["all"], "value": "all"}
    filters = html.Div(
        [
            labelled_select(
                "kpi-filter-fy", tx["fy"], [{"label": str(y), "value": str(y)} for y in point.years], str(point.fy)
            ),
            labelled_select(
                "kpi-filter-round",
                tx["round"],
                [{"label": tx["latest"], "value": "latest"}]
                + [{"label": tx["months"].format(n=n), "value": str(n)} for n in (6, 9, 12)],
                point.round,
            ),
            labelled_select(
                "kpi-filter-unit",
                tx["unit"],
                [all_opt] + [{"label": unit_label.get(u, u), "value": u} for u in units],
                unit,
            ),
            labelled_select(
                "kpi-filter-tier",
                tx["tier"],
                [all_opt] + [{"label": tx["tier_n"].format(n=n), "value": str(n)} for n in (1, 2, 3)],
                tier,
            ),
            labelled_select(
                "kpi-filter-type",
                tx["type"],
                [all_opt, {"label": tx["leading"], "value": "leading"}, {"label": tx["lagging"], "value": "lagging"}],
                type_,
            ),
        ],
        className="sy-filters",
        id="kpi-filters",
        role="search",
    )

    legend = html.P(
        [html.Span(tx["legend"] + ": ", className="sy-meta")] + [status_badge(s, lang, small=True) for s in SHOWN],
        className="sy-badges mt-2",
        id="kpi-legend",
    )
    fresh = fr.load(db.query)
    body = [
        html.P(ck.point_label(point, lang), className="lead", id="kpi-point"),
        html.P(fr.freshness_mark(fr.worst(fr.rows_for(fresh, "kpi", shown["kpi_code"])), lang, id="kpi-fresh")),
        ck.missing_year_note(point, lang, "kpi-missing-year"),
        dcc.Location(id="kpi-nav", refresh="callback-nav"),
        filters,
        legend,
        html.P(
            tx["shown"].format(n=thai.format_number(len(shown), 0, lang), m=thai.format_number(len(kpis), 0, lang)),
            className="sy-meta",
            id="kpi-shown",
        ),
        # the tree draws the KPIs' rows: the sample mark sits with it
        html.Section(
            [
                html.P([sample_mark(kpis["provenance"], lang), " ", tx["sample"]], className="sy-meta", id="kpi-sample")
                if is_sample(kpis["provenance"])
                else None,
                ck.build_tree(nodes, links, kpis, point, lang, set(shown["kpi_code"]), fresh=fresh),
            ]
        ),
    ]
    return html.Div(head + [b for b in body if b is not None], className="sy-page", id="kpi-page")


@callback(Output("kpi-nav", "search"), [Input(i, "value") for i in FILTER_IDS], prevent_initial_call=True)
def _filters_to_url(fy, round_, unit, tier, type_):
    """Every filter change becomes the URL's query string; Pages then renders the page from it."""
    return ck.query_string(fy=fy, round=round_, unit=unit, tier=tier, type=type_)
