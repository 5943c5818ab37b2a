"""/indicators: the integrated provincial database (IT2): the catalogue of topic groups and
indicators, marked "unverified catalogue" while the official list is not loaded, and a coverage
matrix indicator x year showing how many districts have a value and whether each indicator has
its three years."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html
from markupsafe import Markup, escape

import db
from components import coverage, rawhtml, thai
from components import freshness as fr
from components.cockpit import name, unit, v
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
        name_col = "indicator_en" if lang == "en" else "indicator_th"
        names = dict(cells.drop_duplicates("indicator_code")[["indicator_code", name_col]].itertuples(index=False))
        got = {
            (code, int(y)): (int(n), bool(ok))
            for code, y, n, ok in summary[["indicator_code", "year_be", "present", "complete"]].itertuples(index=False)
        }
        has_three = dict(
            summary.drop_duplicates("indicator_code")[["indicator_code", "has_required"]].itertuples(index=False)
        )
        head_row = [tx["indicator"]] + [str(y) for y in years] + [tx["three"]]
        # one piece of escaped HTML (components/rawhtml.py), not a component per cell: indicators x
        # years x districts at national scale (issue 29)
        e = escape
        rows = []
        for code in sorted(has_three):
            cells_row: list = [str(e(f"{code} {names.get(code, '')}"))]
            for y in years:
                present, complete = got.get((code, y), (0, False))
                cells_row.append(
                    (
                        {
                            "class": "sy-num" + ("" if complete else " table-warning"),
                            "data-complete": str(complete).lower(),
                        },
                        str(e(f"{thai.format_number(present, 0, lang)}/{n_d}" + ("" if complete else " ✗"))),
                    )
                )
            ok = bool(has_three[code])
            cells_row.append(
                ({"data-has-three": str(ok).lower()}, str(e(("✓ " + tx["ok3"]) if ok else ("✗ " + tx["not3"]))))
            )
            rows.append(({"data-indicator": code}, cells_row))
        table = rawhtml.table(
            head_row,
            rows,
            "indicators-coverage",
            "table sy-table sy-stack",
            sample_caption(cells["provenance"], lang),
        )
        children.append(
            html.Section(
                [
                    html.H2(tx["coverage"], className="h4"),
                    html.P(tx["cov_lead"].format(n=n_d), className="sy-meta"),
                    html.Div(
                        rawhtml.block(table, "indicators-coverage-box"),
                        className="table-responsive",
                        tabIndex="0",
                        role="region",
                        **{"aria-label": tx["coverage"]},
                    ),
                ]
            )
        )

    # the catalogue, group by group, as one piece of escaped HTML (components/rawhtml.py)
    by_group: dict[tuple, list] = {}
    for r in cat.sort_values(["group_code", "indicator_code"], na_position="first").itertuples():
        by_group.setdefault((r.group_code, r.group_th, r.group_en), []).append(r)
    parts = []
    for (gcode, gth, gen), members in by_group.items():
        heading = f"{gcode} {gen if lang == 'en' else gth}"
        parts.append(f'<h3 class="h6 mt-3">{escape(heading)}</h3>')
        inds = [r for r in members if v(r.indicator_code) is not None]
        if not inds:
            parts.append(f'<p class="sy-meta">{escape(tx["no_ind"])}</p>')
            continue
        rows = [
            (
                {},
                [
                    str(escape(r.indicator_code)),
                    str(escape(name(r, lang))),
                    str(escape(unit(r, lang))),
                    str(escape(v(r.source_agency) or "")),
                    str(escape(v(r.frequency) or "")),
                    str(
                        rawhtml.to_html(
                            fr.freshness_mark(fr.lookup(fresh, "indicator", r.indicator_code), lang, small=True)
                        )
                    ),
                ],
            )
            for r in inds
        ]
        caption = sample_caption([r.provenance for r in inds] + [r.group_provenance for r in inds], lang)
        parts.append(f'<div class="table-responsive">{rawhtml.table(tx["cols"], rows, caption=caption)}</div>')
    children.append(
        html.Section(
            [html.H2(tx["catalogue"], className="h4"), rawhtml.block(Markup("".join(parts)), "indicators-groups")],
            id="indicators-catalogue",
        )
    )
    return html.Div(children, className="sy-page", id="indicators-page")
