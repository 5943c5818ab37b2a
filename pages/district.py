"""/district/<code>: one district: DOPA registered population over the years (real), its
indicators against the province (each row marked official, sample or entered; an indicator
published for the province only shows the province's latest value, labelled province level), the
KPIs that have district values, disasters, and projects located there. An unknown code gets the
not-found page."""

from __future__ import annotations

import dash
from dash import dcc, html

import db
from components import freshness as fr
from components import thai
from components.charts import fig_base
from components.cockpit import Point, graph, name, point_label, point_notes, unit, v
from components.cockpit import figure as kpi_figure
from components.i18n import current_lang, words
from components.layout import no_warehouse, not_found, provenance_badge, sample_caption
from components.status import score_text, status_badge
from web import auth

dash.register_page(
    __name__,
    path_template="/district/<code>",
    example_path="/district/8601",
    name="ข้อมูลอำเภอ",
    name_en="District profile",
    title="ข้อมูลอำเภอ · สัญญาณ Sanyan",
    nav=False,
    order=41,
)

TEXT = words(
    "district",
    {
        "th": {
            "back": "← แผนที่",
            "of": "อำเภอในจังหวัด{p}",
            "area": "พื้นที่ {a} ตร.กม.",
            "pop": "ประชากรตามทะเบียนราษฎร์ (กรมการปกครอง, 31 ธ.ค.)",
            "pop_none": "ไม่มีข้อมูลประชากรของอำเภอนี้",
            "ind": "ตัวชี้วัดฐานข้อมูลจังหวัด: อำเภอเทียบจังหวัด",
            "ind_none": "ยังไม่มีค่าตัวชี้วัดรายอำเภอ",
            "kpi": "ตัวชี้วัดที่มีผลรายอำเภอ ปีงบประมาณ {fy}",
            "kpi_none": "ไม่มีตัวชี้วัดที่รายงานผลรายอำเภอ",
            "dis": "สาธารณภัย",
            "dis_none": "ไม่มีบันทึกสาธารณภัย",
            "proj": "โครงการในพื้นที่",
            "proj_none": "ไม่มีโครงการที่ระบุพื้นที่ในอำเภอนี้",
            "cols_ind": ["ตัวชี้วัด", "หน่วย", "ปี", "อำเภอ", "จังหวัด", "ที่มา"],
            "prov_level": "ระดับจังหวัด (ไม่มีข้อมูลรายอำเภอ)",
            "cols_kpi": ["ตัวชี้วัด", "สถานะ", "คะแนน", "ผลถึงปัจจุบัน", "เป้าหมายทั้งปี"],
            "cols_dis": ["วันที่", "ประเภท", "ความเสียหาย (บาท)", "ครัวเรือน", "พื้นที่ (ไร่)"],
            "cols_proj": ["โครงการ", "สถานะ", "ความก้าวหน้า (จริง/แผน)", "งบประมาณ (บาท)"],
            "people": "คน",
            "dis_sum": "{n} ครั้ง ความเสียหายรวม {d} บาท",
        },
        "en": {
            "back": "← Map",
            "of": "District of {p}",
            "area": "area {a} km²",
            "pop": "Registered population (DOPA, 31 December)",
            "pop_none": "No population data for this district",
            "ind": "Provincial database indicators: district against province",
            "ind_none": "No district indicator values yet",
            "kpi": "KPIs with district results, FY {fy}",
            "kpi_none": "No KPI reports district results",
            "dis": "Disasters",
            "dis_none": "No disaster records",
            "proj": "Projects located here",
            "proj_none": "No project is located in this district",
            "cols_ind": ["Indicator", "Unit", "Year", "District", "Province", "Source"],
            "prov_level": "province level (no district figure)",
            "cols_kpi": ["KPI", "Status", "Score", "To date", "Full-year target"],
            "cols_dis": ["Date", "Type", "Damage (baht)", "Households", "Area (rai)"],
            "cols_proj": ["Project", "Status", "Progress (actual/plan)", "Budget (baht)"],
            "people": "people",
            "dis_sum": "{n} events, total damage {d} baht",
        },
    },
)


def _table(cols: list[str], rows: list[list], id_: str, provenance=(), lang: str = "th") -> html.Div:
    """A table of the page; `provenance` (its rows') puts the sample mark in its caption."""
    body = [
        html.Tr(
            [
                html.Td(
                    c,
                    **{"data-label": cols[i]},
                    className="sy-num" if isinstance(c, str) and c[:1].isdigit() and i > 0 else None,
                )
                for i, c in enumerate(r)
            ]
        )
        for r in rows
    ]
    parts = [
        sample_caption(provenance, lang),
        html.Thead(html.Tr([html.Th(c, scope="col") for c in cols])),
        html.Tbody(body),
    ]
    return html.Div(
        html.Table([x for x in parts if x is not None], className="table sy-table sy-stack", id=id_),
        className="table-responsive",
    )


@auth.page_access
def layout(code=None, fy=None, **_kwargs) -> html.Div:
    lang = current_lang()
    tx = TEXT[lang]
    if not db.available():
        return html.Div(no_warehouse(lang, id_prefix="district-nowh"), className="sy-page", id="district-page")
    prof = db.query("district/profile", district=str(code or ""))
    if prof.empty:
        return html.Div(not_found(lang, id_prefix="district-notfound"), className="sy-page", id="district-page")
    d = next(prof.itertuples())
    province_name = d.province_en if lang == "en" else d.province_th
    children: list = [
        dcc.Link(tx["back"], href="/map", id="district-back"),
        html.H1(name(d, lang), className="sy-page-title", id="district-title"),
        html.P(
            [tx["of"].format(p=province_name), " · ", tx["area"].format(a=thai.format_number(d.area_km2, 1, lang))],
            className="lead",
        ),
    ]

    fresh = fr.load(db.query)
    pop = db.query("district/population", district=d.district_code)
    if pop.empty:
        children.append(html.P(tx["pop_none"]))
    else:
        last = pop.iloc[-1]
        fig = fig_base(tx["pop"], 340, hovermode=None)  # the app's one chart base (components/charts.py)
        fig["data"].append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "x": [int(y) for y in pop["year_be"]],
                "y": [int(x) for x in pop["total"]],
                "name": tx["people"],
            }
        )
        fig["layout"]["margin"]["l"] = 70
        fig["layout"]["xaxis"]["tickformat"] = "d"
        children.append(
            html.Section(
                [
                    html.H2(tx["pop"], className="h4"),
                    html.P(
                        [
                            html.Strong(f"{thai.format_number(last['total'], 0, lang)} {tx['people']}"),
                            f" ({int(last['year_be'])}) ",
                            provenance_badge("official", lang),
                        ],
                        id="district-pop-latest",
                    ),
                    html.P(fr.freshness_mark(fr.lookup(fresh, "population", "DOPA"), lang, id="district-fresh-pop")),
                    graph(fig, "district-pop", tx["pop"], query="district/population"),
                ]
            )
        )

    ind = db.query("district/indicators", district=d.district_code, province=d.province_code)
    if ind.empty:
        children.append(html.Section([html.H2(tx["ind"], className="h4"), html.P(tx["ind_none"])]))
    else:

        def figure(x):  # whole counts without decimals; an index (0-1) with three
            nd = 2 if x is None else 0 if float(x).is_integer() else 3 if abs(x) < 1 else 2
            return thai.format_number(x, nd, lang)

        rows = [
            [
                f"{r.indicator_code} {name(r, lang)}",
                unit(r, lang),
                str(int(r.year_be)),
                figure(v(r.value)) if r.district_level else tx["prov_level"],
                figure(v(r.province_value)),
                provenance_badge(r.provenance, lang),
            ]
            for r in ind.itertuples()
        ]
        mark = fr.freshness_mark(
            fr.worst(fr.rows_for(fresh, "indicator", ind["indicator_code"].unique())), lang, id="district-fresh-ind"
        )
        badges = [
            provenance_badge(p, lang, count=int((ind["provenance"] == p).sum()))
            for p in sorted(ind["provenance"].unique())
        ]
        children.append(
            html.Section(
                [
                    html.H2(tx["ind"], className="h4"),
                    html.P(badges + [mark], className="sy-badges"),
                    _table(tx["cols_ind"], rows, "district-indicators", ind["provenance"], lang),
                ]
            )
        )

    years = db.query("district/kpi_years", district=d.district_code)
    try:
        fy = int(thai.to_arabic_digits(str(fy))) if fy else None
    except ValueError:
        fy = None
    fy_list = [int(y) for y in years["fiscal_year"]]
    fy = fy if fy in fy_list else (fy_list[0] if fy_list else None)
    if fy is None:
        children.append(html.Section([html.H2(tx["kpi_none"], className="h4")]))
    else:
        k = db.query("district/kpis", district=d.district_code, fy=fy)
        rows = [
            [
                dcc.Link(f"{r.kpi_code} {name(r, lang)}", href=f"/kpi/{r.kpi_code}?fy={fy}"),
                html.Div([status_badge(v(r.status), lang, small=True), *point_notes(r, fy, lang, unit(r, lang))]),
                score_text(v(r.score), lang),
                f"{kpi_figure(r.value_to_date, r.is_count, lang)} {unit(r, lang)}",
                f"{kpi_figure(r.target_year, r.is_count, lang)} {unit(r, lang)}",
            ]
            for r in k.itertuples()
        ]
        # the district's own reports, judged against the round the table shows (docs/RULES.md section 7)
        at = {} if k.empty else fr.load_at(db.query, fy, k["fiscal_idx"].iloc[0], d.district_code)
        mark = fr.freshness_mark(fr.worst(fr.rows_for(at, "kpi", k["kpi_code"])), lang, id="district-fresh-kpi")
        children.append(
            html.Section(
                [
                    html.H2(tx["kpi"].format(fy=fy), className="h4"),
                    # the province's round (docs/RULES.md section 3), the same on every screen
                    html.P(
                        point_label(Point(fy, int(k["fiscal_idx"].iloc[0]), "latest", ()), lang), id="district-round"
                    )
                    if not k.empty
                    else None,
                    html.P(mark),
                    _table(tx["cols_kpi"], rows, "district-kpis", k["provenance"], lang),
                ]
            )
        )

    dis = db.query("district/disasters", district=d.district_code)
    if dis.empty:
        children.append(html.Section([html.H2(tx["dis"], className="h4"), html.P(tx["dis_none"])]))
    else:
        rows = [
            [
                thai.format_date_th(r.start_date, lang, abbr=True),
                name(r, lang) or r.disaster_type,
                thai.format_number(r.damage_baht, 0, lang),
                thai.format_number(r.households_affected, 0, lang),
                thai.format_number(v(r.area_rai), 1, lang),
            ]
            for r in dis.itertuples()
        ]
        summary = tx["dis_sum"].format(
            n=thai.format_number(len(dis), 0, lang), d=thai.format_number(dis["damage_baht"].sum(), 0, lang)
        )
        children.append(
            html.Section(
                [
                    html.H2(tx["dis"], className="h4"),
                    html.P(summary, id="district-dis-sum"),
                    _table(tx["cols_dis"], rows, "district-disasters", dis["provenance"], lang),
                ]
            )
        )

    proj = db.query("district/projects", district=d.district_code)
    if proj.empty:
        children.append(html.Section([html.H2(tx["proj"], className="h4"), html.P(tx["proj_none"])]))
    else:
        rows = [
            [
                f"{r.node_code} {name(r, lang)}",
                status_badge(v(r.status), lang, small=True),
                f"{thai.format_number(v(r.actual_progress_pct), 1, lang)}% / "
                f"{thai.format_number(v(r.planned_progress_pct), 1, lang)}%",
                thai.format_number(v(r.budget_baht), 0, lang),
            ]
            for r in proj.itertuples()
        ]
        children.append(
            html.Section(
                [
                    html.H2(tx["proj"], className="h4"),
                    _table(tx["cols_proj"], rows, "district-projects", proj["provenance"], lang),
                ]
            )
        )
    return html.Div([c for c in children if c is not None], className="sy-page", id="district-page")
