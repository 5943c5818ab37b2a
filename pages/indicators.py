"""/indicators: the integrated provincial database (IT2): the catalogue of topic groups and
indicators, marked "unverified catalogue" while the official list is not loaded, and a coverage
matrix indicator x year showing how many districts have a value and whether each indicator has
its three years."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

import db
from components import coverage, thai
from components import freshness as fr
from components.cockpit import name, unit
from components.i18n import current_lang, words
from components.layout import no_warehouse, provenance_badge, sample_caption
from config import settings
from web import auth

dash.register_page(
    __name__,
    path="/indicators",
    name="ฐานข้อมูลจังหวัด",
    name_en="Province data",
    title="ฐานข้อมูลจังหวัด · สัญญาณ Sanyan",
    order=45,
)

TEXT = words(
    "indicators",
    {
        "th": {
            "title": "ฐานข้อมูลการบริหารราชการจังหวัดแบบบูรณาการ",
            "unverified": "บัญชีรายการยังไม่ได้ตรวจสอบ: กลุ่มเรื่องและตัวชี้วัดชุดนี้เป็นข้อมูลตัวอย่าง รอบัญชีทางการจากจังหวัด",
            "groups": "กลุ่มเรื่อง {g} กลุ่ม ตัวชี้วัด {i} ตัว",
            "coverage": "ความครบถ้วนของข้อมูลรายอำเภอ",
            "cov_lead": "แต่ละช่องคือจำนวนอำเภอที่มีค่า จาก {n} อำเภอ; ช่องที่ไม่ครบมีเครื่องหมาย ✗ ; ต้องมีครบ 3 ปี",
            "ok3": "ครบ 3 ปี",
            "not3": "ไม่ครบ 3 ปี",
            "indicator": "ตัวชี้วัด",
            "three": "ครบ 3 ปี?",
            "catalogue": "บัญชีกลุ่มเรื่องและตัวชี้วัด",
            "no_ind": "ยังไม่มีตัวชี้วัดในกลุ่มนี้",
            "cols": ["รหัส", "ตัวชี้วัด", "หน่วย", "หน่วยงานเจ้าของข้อมูล", "ความถี่", "ความทันสมัย"],
            "empty": "ยังไม่มีบัญชีตัวชี้วัด",
        },
        "en": {
            "title": "Integrated provincial-administration database",
            "unverified": "Unverified catalogue: these topic groups and indicators are sample, awaiting the province's official list",
            "groups": "{g} topic groups, {i} indicators",
            "coverage": "District coverage",
            "cov_lead": "Each cell is the number of districts with a value, out of {n}; incomplete cells are marked ✗; three years are required",
            "ok3": "three years",
            "not3": "fewer than three years",
            "indicator": "Indicator",
            "three": "Three years?",
            "catalogue": "Topic groups and indicators",
            "no_ind": "No indicator in this group yet",
            "cols": ["Code", "Indicator", "Unit", "Source agency", "Frequency", "Freshness"],
            "empty": "No indicator catalogue yet",
        },
    },
)


@auth.page_access
def layout(**_kwargs) -> html.Div:
    lang = current_lang()
    tx = TEXT[lang]
    head = [html.H1(tx["title"], id="indicators-title", className="sy-page-title")]
    if not db.available():
        return html.Div(
            head + [no_warehouse(lang, id_prefix="indicators-nowh")], className="sy-page", id="indicators-page"
        )
    cat = db.query("indicators/catalogue")
    if cat.empty:
        return html.Div(head + [dbc.Alert(tx["empty"], color="info")], className="sy-page", id="indicators-page")
    children = list(head)
    unverified = (
        cat["source_ref"].fillna("").str.contains("unverified").any()
        or cat["group_source"].fillna("").str.contains("unverified").any()
    )
    if unverified:
        children.append(
            dbc.Alert(
                [provenance_badge("sample", lang), " ", tx["unverified"]],
                color="warning",
                className="sy-sample-note",
                id="indicators-unverified",
            )
        )
    n_groups, n_ind = cat["group_code"].nunique(), cat["indicator_code"].nunique()
    children.append(html.P(tx["groups"].format(g=n_groups, i=n_ind), className="lead", id="indicators-counts"))
    fresh = fr.load(db.query)
    children.append(
        html.P(
            fr.freshness_mark(
                fr.worst(fr.rows_for(fresh, "indicator", cat["indicator_code"].dropna())), lang, id="indicators-fresh"
            )
        )
    )

    cells = db.query("indicators/coverage", province=settings.province)
    if not cells.empty:
        summary = coverage.summarise(cells)
        years = sorted(int(y) for y in summary["year_be"].unique())
        n_d = int(summary["expected"].max())
        names = cells.drop_duplicates("indicator_code").set_index("indicator_code")
        head_row = [tx["indicator"]] + [str(y) for y in years] + [tx["three"]]
        rows = []
        for code, grp in summary.groupby("indicator_code", sort=True):
            g = grp.set_index("year_be")
            cells_row = [
                html.Td(
                    f"{code} {names.loc[code, 'indicator_en' if lang == 'en' else 'indicator_th']}",
                    **{"data-label": head_row[0]},
                )
            ]
            for y in years:
                present, complete = int(g.loc[y, "present"]), bool(g.loc[y, "complete"])
                cells_row.append(
                    html.Td(
                        f"{thai.format_number(present, 0, lang)}/{n_d}" + ("" if complete else " ✗"),
                        className="sy-num" + ("" if complete else " table-warning"),
                        **{"data-label": str(y), "data-complete": str(complete).lower()},
                    )
                )
            ok = bool(grp["has_required"].iloc[0])
            cells_row.append(
                html.Td(
                    ("✓ " + tx["ok3"]) if ok else ("✗ " + tx["not3"]),
                    **{"data-label": head_row[-1], "data-has-three": str(ok).lower()},
                )
            )
            rows.append(html.Tr(cells_row, **{"data-indicator": code}))
        children.append(
            html.Section(
                [
                    html.H2(tx["coverage"], className="h4"),
                    html.P(tx["cov_lead"].format(n=n_d), className="sy-meta"),
                    html.Div(
                        html.Table(
                            [
                                x
                                for x in (
                                    sample_caption(cells["provenance"], lang),
                                    html.Thead(html.Tr([html.Th(c, scope="col") for c in head_row])),
                                    html.Tbody(rows),
                                )
                                if x is not None
                            ],
                            className="table sy-table sy-stack",
                            id="indicators-coverage",
                        ),
                        className="table-responsive",
                        tabIndex="0",
                        role="region",
                        **{"aria-label": tx["coverage"]},
                    ),
                ]
            )
        )

    groups = []
    for (gcode, gth, gen), grp in cat.groupby(["group_code", "group_th", "group_en"], sort=True):
        inds = grp.dropna(subset=["indicator_code"])
        title = html.H3(f"{gcode} {gen if lang == 'en' else gth}", className="h6 mt-3")
        if inds.empty:
            groups.append(html.Div([title, html.P(tx["no_ind"], className="sy-meta")]))
            continue
        rows = [
            html.Tr(
                [
                    html.Td(x, **{"data-label": c})
                    for c, x in zip(
                        tx["cols"],
                        (
                            r.indicator_code,
                            name(r, lang),
                            unit(r, lang),
                            r.source_agency,
                            r.frequency,
                            fr.freshness_mark(fr.lookup(fresh, "indicator", r.indicator_code), lang, small=True),
                        ),
                    )
                ]
            )
            for r in inds.itertuples()
        ]
        caption = sample_caption(list(inds["provenance"]) + list(inds["group_provenance"]), lang)
        groups.append(
            html.Div(
                [
                    title,
                    html.Div(
                        html.Table(
                            [
                                x
                                for x in (
                                    caption,
                                    html.Thead(html.Tr([html.Th(c, scope="col") for c in tx["cols"]])),
                                    html.Tbody(rows),
                                )
                                if x is not None
                            ],
                            className="table table-sm sy-table sy-stack",
                        ),
                        className="table-responsive",
                    ),
                ]
            )
        )
    children.append(html.Section([html.H2(tx["catalogue"], className="h4")] + groups, id="indicators-catalogue"))
    return html.Div(children, className="sy-page", id="indicators-page")
