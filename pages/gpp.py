"""/gpp: Gross Provincial Product for planners: levels and growth (nominal and real), structure
from current prices, contributions to real growth, per capita and deflator, ranks and peers, the
province against its NESDC region and the kingdom (shares, real growth, the rank of each
section's share among the provinces), a map of per-capita GPP, the generated analysis text, and
the table as .xlsx / .csv. It opens on NESDC's sector table (edition nesdc-2013-2020, 1995-2020);
for an edition of totals only (nesdc-2024) it says so and links to the sectors of 2020.

The view (province, years, peers) lives in the URL like /kpi's filters."""

from __future__ import annotations

import io
from urllib.parse import parse_qs

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, dcc, html

import db
from components import freshness as fr
from components import gpp as g
from components import lazychart, thai
from components.cells import csv_value, xlsx_workbook
from components.cockpit import graph, query_string
from components.cockpit import unit as ck_unit
from components.i18n import current_lang, words
from components.layout import labelled_select, no_warehouse, provenance_badge, stack_table
from config import settings
from web import auth

dash.register_page(
    __name__,
    path="/gpp",
    name="เศรษฐกิจ (GPP)",
    name_en="Economy (GPP)",
    title="ผลิตภัณฑ์มวลรวมจังหวัด · สัญญาณ Sanyan",
    order=30,
)

REGION_TH = {
    "North": "ภาคเหนือ",
    "Northeast": "ภาคตะวันออกเฉียงเหนือ",
    "Central": "ภาคกลาง",
    "East": "ภาคตะวันออก",
    "West": "ภาคตะวันตก",
    "South": "ภาคใต้",
}
TEXT = words(
    "gpp",
    {
        "th": {
            "title": "ผลิตภัณฑ์มวลรวมจังหวัด",
            "province": "จังหวัด",
            "from": "ตั้งแต่ปี",
            "to": "ถึงปี",
            "peer": "เทียบกับจังหวัด {n}",
            "none": "— ไม่เลือก —",
            "table": "ตารางข้อมูล",
            "analysis": "บทวิเคราะห์",
            "no_sectors": "ยังไม่ได้นำเข้าข้อมูลรายสาขาของจังหวัดนี้ จึงแสดงเฉพาะมูลค่ารวม",
            "totals_only": "ฉบับ {e} สศช. เผยแพร่เป็นสาธารณะเฉพาะมูลค่ารวม ไม่มีรายสาขา จึงไม่แสดงโครงสร้างและส่วนร่วม",
            "see_2020": "ดูรายสาขาจริงของ สศช. ฉบับ {e} (พ.ศ. {a}–{b})",
            "template": "สำนักงานที่มีตารางรายสาขาฉบับใหม่ของ สศช. นำเข้าได้ทางแบบฟอร์ม gpp_sector",
            "versus": "เทียบกับภาคและทั้งประเทศ",
            "source": "ที่มา: ",
            "real_vs": "การเติบโตที่แท้จริงปี {y}: จังหวัด {p} · {r} {rv} · ทั้งประเทศ {k} (ร้อยละ)",
            "method": "สัดส่วนคำนวณจากราคาประจำปีเท่านั้น (ปริมาณลูกโซ่ไม่บวกกัน); ส่วนร่วมต่อการเติบโตที่แท้จริงของสาขา "
            "= สัดส่วนมูลค่าเพิ่ม ณ ราคาประจำปีของปีก่อน × อัตราการเติบโตของปริมาณลูกโซ่ของสาขา "
            "ผลรวมต่างจากการเติบโตที่แท้จริงเท่ากับส่วนที่เหลือ (residual)",
            "one_year": "เลือกไว้ปีเดียว จึงแสดงระดับโดยไม่มีอัตราการเติบโต",
            "sample": "บางส่วนเป็นข้อมูลตัวอย่าง (รายสาขา และปริมาณลูกโซ่) ไม่ใช่ตัวเลขทางการ",
            "download": "ดาวน์โหลดตาราง",
            "compare": "การเปรียบเทียบ",
            "structure": "โครงสร้างและส่วนร่วม",
            "cols": [
                "ปี พ.ศ.",
                "ฉบับ",
                "สถานะ",
                "GPP ราคาประจำปี (ล้านบาท)",
                "เติบโต (%)",
                "GPP ปริมาณลูกโซ่ (ล้านบาท)",
                "เติบโตที่แท้จริง (%)",
                "ดัชนีราคาโดยนัย",
                "ประชากร สศช. (คน)",
                "GPP ต่อหัว (บาท)",
                "อันดับประเทศ (GPP)",
                "อันดับในภาค (GPP)",
                "อันดับประเทศ (ต่อหัว)",
                "ที่มา",
            ],
            "fresh_gpp": "GPP (สศช.)",
            "fresh_pop": "ประชากร สศช.",
            "fresh_pc": "GPP ต่อหัว",
            "pop_note": "GPP ต่อหัวใช้ประชากรของ สศช. (ฉบับ 2567) ไม่ใช่ทะเบียนราษฎร์ของกรมการปกครอง",
            "edition_note": "เส้นของแต่ละฉบับข้อมูลแยกกัน ไม่ต่อเชื่อมข้ามฉบับ; p = เบื้องต้น, r = ปรับปรุง",
            "ind_title": "ตัวชี้วัดทางการระดับจังหวัดประกอบการอ่านเศรษฐกิจ",
            "ind_note": "ค่าตามที่หน่วยงานเผยแพร่ ปีล่าสุดที่มีไม่เกินปี {y}; อันดับ 1 = ดีที่สุดตามทิศทางของตัวชี้วัด; "
            "ระดับจังหวัดเท่านั้น ไม่มีตัวเลขรายอำเภอ",
            "ind_cols": ["ตัวชี้วัด", "ปี พ.ศ.", "ค่าของจังหวัด", "หน่วย", "อันดับในประเทศ", "ค่ามัธยฐาน{r}", "ค่ามัธยฐานทั้งประเทศ"],
            "late": "จังหวัด{p}มีตัวเลขของ สศช. ตั้งแต่ปี {y} เพราะเพิ่งตั้งเป็นจังหวัดในปีนั้น{parent} "
            "ช่วงปีของจังหวัดนี้จึงเริ่มที่ปี {y} ไม่ใช่ปีแรกของฉบับข้อมูล และไม่มีการเติบโตของปี {y}",
            "late_parent": " (ก่อนหน้านั้นเป็นส่วนหนึ่งของจังหวัด{n})",
            "late_other": "สศช. มีตัวเลขของจังหวัด{p}ตั้งแต่ปี {y} เท่านั้น ช่วงปีของจังหวัดนี้จึงเริ่มที่ปี {y} "
            "ไม่ใช่ปีแรกของฉบับข้อมูล และไม่มีการเติบโตของปี {y}",
            "late_deflator": "ปริมาณลูกโซ่ปีแรก ({y}) ที่ สศช. เผยแพร่เท่ากับมูลค่า ณ ราคาประจำปี ดัชนีราคาโดยนัยปีนั้นจึงเป็น "
            "{d} ตามการคำนวณ ไม่ได้แปลว่าราคาเท่ากับปีฐาน",
            "sector": "สาขา",
            "sector_name": "ชื่อสาขา",
            "total": "ผลิตภัณฑ์มวลรวมจังหวัด (รวม)",
            "share": "สัดส่วนใน GPP ราคาประจำปี (%)",
            "contribution": "ส่วนร่วมต่อการเติบโตที่แท้จริง (จุดร้อยละ)",
            "drawing": "กำลังวาดแผนภูมิ…",
        },
        "en": {
            "title": "Gross provincial product",
            "province": "Province",
            "from": "From",
            "to": "To",
            "peer": "Compare with {n}",
            "none": "— none —",
            "table": "Table",
            "analysis": "Analysis",
            "no_sectors": "Sectors are not loaded for this province: totals only",
            "totals_only": "For the {e} edition NESDC publishes totals only, no sectors: no structure or contributions",
            "see_2020": "See NESDC's real sectors, {e} edition ({a}–{b} B.E.)",
            "template": "An office with NESDC's newer sector table can load it through the gpp_sector template",
            "versus": "Against the region and the country",
            "source": "Source: ",
            "real_vs": "Real growth {y}: province {p} · {r} {rv} · kingdom {k} (%)",
            "method": "Shares from current prices only (chain volumes do not add up); a section's contribution to "
            "real growth = its share of the previous year's current-price GPP × its own chain-volume "
            "growth; their sum differs from real growth by the residual shown",
            "one_year": "One year chosen: levels without growth",
            "sample": "Part of this is sample data (sectors and chain volume), not official figures",
            "download": "Download the table",
            "compare": "Comparison",
            "structure": "Structure and contributions",
            "cols": [
                "Year (B.E.)",
                "Edition",
                "Flag",
                "GPP current prices (million baht)",
                "Growth (%)",
                "GPP chain volume (million baht)",
                "Real growth (%)",
                "Implicit deflator",
                "NESDC population",
                "GPP per capita (baht)",
                "National rank (GPP)",
                "Regional rank (GPP)",
                "National rank (per capita)",
                "Source",
            ],
            "fresh_gpp": "GPP (NESDC)",
            "fresh_pop": "NESDC population",
            "fresh_pc": "GPP per capita",
            "pop_note": "Per capita uses NESDC's population (2024 edition), not DOPA's registration",
            "edition_note": "Each edition is its own line, never spliced; p = preliminary, r = revised",
            "ind_title": "Official province indicators beside the economy",
            "ind_note": "Values as published, the latest year up to {y}; rank 1 = best by the indicator's direction; "
            "province level only, no district figures",
            "ind_cols": [
                "Indicator",
                "Year (B.E.)",
                "Province",
                "Unit",
                "National rank",
                "Median, {r}",
                "Median, kingdom",
            ],
            "late": "NESDC's figures for {p} begin in {y}, the year it became a province{parent}: its range "
            "starts in {y}, not in the edition's first year, and {y} has no growth",
            "late_parent": " (before, it was part of {n})",
            "late_other": "NESDC's figures for {p} begin only in {y}: its range starts in {y}, not in the "
            "edition's first year, and {y} has no growth",
            "late_deflator": "In its first year ({y}) NESDC's chain volume equals the current-price value, so the "
            "implicit deflator is {d} by construction, not a sign that prices equal the reference year's",
            "sector": "Sector",
            "sector_name": "Sector name",
            "total": "Gross provincial product (total)",
            "share": "Share of current-price GPP (%)",
            "contribution": "Contribution to real growth (percentage points)",
            "drawing": "Drawing the chart…",
        },
    },
)


def load(province, first, last, peers):
    """Everything the page and its downloads need, from the snapshot (cached per snapshot)."""
    totals = db.query("gpp/totals")
    code = province if province in set(totals["province_code"]) else settings.province
    all_sectors = db.query("gpp/sectors", province=code)
    view = g.choose_view(totals, code, first, last, peers, frozenset(all_sectors["edition"]))
    mine = g.in_range(totals[totals["province_code"] == view.province], view)
    sectors = g.in_range(all_sectors, view)
    if view.first == view.last:  # one year: levels only, no growth against a year not shown
        mine = mine.assign(nominal_growth_pct=None, real_growth_pct=None)
        sectors = sectors.assign(contribution_pp=None)
    return totals, view, mine, sectors


def _rank_text(rank, out_of) -> str | None:
    """A rank with its denominator, "32/76", as the page shows it (an export keeps both)."""
    if g.nz(rank) is None or g.nz(out_of) is None:
        return None
    return f"{int(rank)}/{int(out_of)}"


def table_frame(mine: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The table of the page as exported (.xlsx sheet GPP): readable edition names and ranks as
    "n/N", never a bare rank that loses how many it is out of."""
    cols = TEXT[lang]["cols"]
    rows = []
    for r in mine.itertuples():
        ranks = r.provinces > 1
        rows.append(
            [
                int(r.year_be),
                g.edition_label(r.edition, lang),
                g.nz(r.revision_flag) or "",
                g.nz(r.gpp_cp),
                g.nz(r.nominal_growth_pct),
                g.nz(r.gpp_cvm),
                g.nz(r.real_growth_pct),
                g.nz(r.deflator),
                g.nz(r.population),
                g.nz(r.per_capita_baht),
                _rank_text(r.rank_gpp, r.provinces) if ranks else None,
                _rank_text(r.rank_gpp_region, r.provinces_region) if ranks else None,
                _rank_text(r.rank_per_capita, r.provinces) if ranks else None,
                r.provenance,
            ]
        )
    return pd.DataFrame(rows, columns=cols)


def export_frame(mine: pd.DataFrame, sectors: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The .csv: one table, one header, the totals (sector "TOTAL") and every sector of the view
    below them, by edition and year: value added at current prices and in chain volume, the share
    of current-price GPP and the contribution to real growth (a column a row lacks is empty)."""
    tx = TEXT[lang]
    cols = tx["cols"]
    head = cols[:3] + [tx["sector"], tx["sector_name"]]
    extra = [tx["share"], tx["contribution"]]
    totals = table_frame(mine, lang)
    totals.insert(3, tx["sector"], "TOTAL")
    totals.insert(4, tx["sector_name"], tx["total"])
    totals[extra[0]] = None
    totals[extra[1]] = None
    frames = [totals]
    if not sectors.empty:
        sec = pd.DataFrame(
            {
                cols[0]: sectors["year_be"].astype(int),
                cols[1]: [g.edition_label(e, lang) for e in sectors["edition"]],
                cols[2]: [g.nz(f) or "" for f in sectors["revision_flag"]],
                tx["sector"]: sectors["sector_code"],
                tx["sector_name"]: sectors["name_en" if lang == "en" else "name_th"],
                cols[3]: sectors["va_cp"],
                cols[5]: sectors["va_cvm"],
                extra[0]: sectors["share_pct"],
                extra[1]: sectors["contribution_pp"],
                cols[-1]: sectors["provenance"],
                "_line": sectors["line_no"],
            }
        )
        frames.append(sec)
    out = pd.concat([f.astype(object) for f in frames], ignore_index=True)
    out["_line"] = out["_line"].fillna(-1) if "_line" in out else -1
    out = out.sort_values([cols[1], cols[0], "_line"], kind="stable").drop(columns=["_line"])
    return out[head + cols[3:-1] + extra + cols[-1:]].reset_index(drop=True)


def _card(table: html.Div, extra: str = "") -> html.Div:
    """A table in its card: the table scrolls sideways inside the card when it is wider (issue 26),
    never past the card's edge or the page's; ``sy-table-wide`` packs a wide table's cells so that
    at 1366 px every column (the source too) shows without scrolling."""
    return html.Div(table, className=f"sy-card sy-table-card {extra}".strip())


def _table(mine: pd.DataFrame, lang: str) -> html.Div:
    cols = TEXT[lang]["cols"]

    def rank(x, lang):  # "30/77": the rank and out of how many
        return "–" if x is None else f"{g.f_int(x[0], lang)}/{g.f_int(x[1], lang)}"

    fmt = [str, str, str, g.f_money, g.f_pct, g.f_money, g.f_pct, g.f_pct, g.f_int, g.f_baht, rank, rank, rank]
    body = []
    for r in mine.itertuples():
        ranks = r.provinces > 1
        values = [
            int(r.year_be),
            g.edition_label(r.edition, lang),
            g.nz(r.revision_flag) or "–",
            r.gpp_cp,
            r.nominal_growth_pct,
            r.gpp_cvm,
            r.real_growth_pct,
            r.deflator,
            r.population,
            r.per_capita_baht,
            (r.rank_gpp, r.provinces) if ranks else None,
            (r.rank_gpp_region, r.provinces_region) if ranks else None,
            (r.rank_per_capita, r.provinces) if ranks and g.nz(r.rank_per_capita) is not None else None,
        ]
        cells = [
            html.Td(
                f(v) if f is str else f(v if isinstance(v, tuple) else g.nz(v), lang),
                className=None if i < 3 else "sy-num",
                **{"data-label": cols[i]},
            )
            for i, (f, v) in enumerate(zip(fmt, values))
        ]
        cells.append(html.Td(provenance_badge(r.provenance, lang), **{"data-label": cols[-1]}))
        body.append(html.Tr(cells, **{"data-year": str(int(r.year_be)), "data-edition": r.edition}))
    return _card(stack_table(cols, body, "gpp-table", TEXT[lang]["table"], raw=True), "sy-table-wide")


def _sector_table(rows: pd.DataFrame, lang: str) -> html.Div:
    y0, y1 = rows.attrs["first"], rows.attrs["last"]
    cols = (
        ["สาขา", f"สัดส่วน {y0} (%)", f"สัดส่วน {y1} (%)", f"มูลค่าเพิ่ม {y1} (ล้านบาท)", f"ส่วนร่วมต่อการเติบโตที่แท้จริง {y1} (จุด)"]
        if lang == "th"
        else [
            "Sector",
            f"Share {y0} (%)",
            f"Share {y1} (%)",
            f"Value added {y1} (million baht)",
            f"Contribution to real growth {y1} (points)",
        ]
    )
    body = []
    for r in rows.itertuples():
        group = r.kind == "group"
        label = (
            g.GROUPS[r.code][1 if lang == "en" else 0]
            if group
            else f"{r.code} {r.name_en if lang == 'en' else r.name_th}"
        )
        cells = [
            label,
            g.published(r.share_first, lang),
            g.published(r.share_last, lang),
            g.f_money(g.nz(r.va_cp), lang),
            g.f_pct(g.nz(r.contribution_pp), lang),
        ]
        body.append(
            html.Tr(
                [
                    html.Td(
                        html.Strong(c) if group else c,
                        className=None if i == 0 else "sy-num",
                        **{"data-label": cols[i]},
                    )
                    for i, c in enumerate(cells)
                ],
                **{"data-sector": r.code},
            )
        )
    return _card(stack_table(cols, body, "gpp-sector-table", cols[0], raw=True))


def _compare_table(rows: pd.DataFrame, region: str, lang: str) -> html.Div:
    y = rows.attrs["year"]
    cols = (
        [
            "สาขา",
            f"จังหวัด {y} (%)",
            f"{region} (%)",
            "ทั้งประเทศ (%)",
            "อันดับสัดส่วนใน 77 จังหวัด",
            f"ส่วนร่วมต่อการเติบโตที่แท้จริง {y} (จุด)",
        ]
        if lang == "th"
        else [
            "Section",
            f"Province {y} (%)",
            f"{region} (%)",
            "Kingdom (%)",
            "Rank of the share among provinces",
            f"Contribution to real growth {y} (points)",
        ]
    )
    body = []
    for r in rows.itertuples():
        group = r.kind == "group"
        label = (
            g.GROUPS[r.code][1 if lang == "en" else 0]
            if group
            else f"{r.code} {r.name_en if lang == 'en' else r.name_th}"
        )
        rank = (
            ""
            if group
            else (
                g.NOT_PUBLISHED[lang] if g.nz(r.rank) is None else f"{g.f_int(r.rank, lang)}/{g.f_int(r.ranked, lang)}"
            )
        )
        cells = [
            label,
            g.published(r.share, lang),
            g.published(r.region, lang),
            g.published(r.kingdom, lang),
            rank,
            g.published(r.contribution_pp, lang),
        ]
        body.append(
            html.Tr(
                [
                    html.Td(
                        html.Strong(c) if group else c,
                        className=None if i == 0 else "sy-num",
                        **{"data-label": cols[i]},
                    )
                    for i, c in enumerate(cells)
                ],
                **{"data-sector": r.code},
            )
        )
    return _card(stack_table(cols, body, "gpp-compare-table", cols[0], raw=True))


def _decimals(x) -> int:
    text = repr(float(x))
    return 0 if float(x).is_integer() or "e" in text else min(6, len(text.split(".")[1]))


def _as_published(x, lang: str, like=None) -> str:
    """A published figure with the decimals it was published with (at most 6), never rounded away;
    a figure derived from published ones (a median) with those of `like`, and one more for a half."""
    if g.nz(x) is None:
        return g.NOT_PUBLISHED[lang]
    decimals = _decimals(x) if like is None else max(_decimals(like), min(1, _decimals(x)))
    return thai.format_number(x, decimals, lang)


def _indicator_table(rows: pd.DataFrame, region: str, last: int, lang: str) -> html.Div:
    """The province's official indicators (HAI, tourism, BOI) beside its economy: value, rank among
    the provinces, and the medians of its region and the kingdom (queries/gpp/indicators.sql)."""
    tx = TEXT[lang]
    cols = [c.format(r=(" " + region) if lang == "th" else region) for c in tx["ind_cols"]]
    body = []
    for r in rows.itertuples():
        cells = [
            r.name_en if lang == "en" else r.name_th,
            str(int(r.year_be)),
            _as_published(r.value, lang),
            ck_unit(r, lang),
            f"{g.f_int(r.rank, lang)}/{g.f_int(r.ranked, lang)}",
            _as_published(r.region_median, lang, like=r.value),
            _as_published(r.kingdom_median, lang, like=r.value),
        ]
        body.append(
            html.Tr(
                [
                    html.Td(c, className=None if i in (0, 3) else "sy-num", **{"data-label": cols[i]})
                    for i, c in enumerate(cells)
                ],
                **{"data-indicator": r.indicator_code},
            )
        )
    refs = sorted(set(rows["source_ref"].dropna()))
    return html.Div(
        [
            html.H3(tx["ind_title"], className="h5 mt-3"),
            _card(
                stack_table(
                    cols,
                    body,
                    "gpp-indicator-table",
                    tx["ind_title"],
                    html.Caption(provenance_badge("official", lang)),
                    raw=True,
                )
            ),
            html.P(
                [tx["ind_note"].format(y=last), html.Br(), tx["source"], "; ".join(refs)],
                className="sy-meta",
                id="gpp-indicator-sources",
            ),
        ],
        id="gpp-indicators",
    )


def province_options(provinces: pd.DataFrame, lang: str) -> list[dict]:
    """The province picker's options in the reader's collation: Thai dictionary order in Thai
    (เชียงใหม่ under ช, แพร่ under พ: components.thai.thai_sort_key), the English name in English."""
    col = "name_en" if lang == "en" else "name_th"
    key = (lambda n: str(n).casefold()) if lang == "en" else thai.thai_sort_key
    rows = sorted(zip(provinces[col], provinces["province_code"]), key=lambda r: (key(r[0]), r[1]))
    return [{"label": name, "value": code} for name, code in rows]


def late_note(totals: pd.DataFrame, mine: pd.DataFrame, view, names: dict, lang: str):
    """A province created within NESDC's series (Bueng Kan, 2554): its range starts late, said in
    words, and a first-year deflator of 100 (chain volume = current prices) explained."""
    start = g.late_start(totals, view.province)
    if start is None or view.first > start:
        return None
    tx = TEXT[lang]
    parent = g.NEW_PROVINCES.get(view.province, (None, None))[1]
    known = view.province in g.NEW_PROVINCES  # "became a province" only where that is known
    words_ = [
        tx["late" if known else "late_other"].format(
            p=names.get(view.province, view.province),
            y=start,
            parent=tx["late_parent"].format(n=names[parent]) if parent in names else "",
        )
    ]
    first = mine[(mine["year_be"] == start) & mine["deflator"].notna()]
    if len(first) and abs(float(first["deflator"].iloc[0]) - 100) < 1e-9:
        words_ += [html.Br(), tx["late_deflator"].format(y=start, d=g.f_pct(100, lang))]
    return dbc.Alert(words_, color="info", className="mt-3", id="gpp-late-start")


@auth.page_access
def layout(province=None, **kwargs) -> html.Div:
    lang = current_lang()
    tx = TEXT[lang]
    head = [html.H1(tx["title"], id="gpp-title", className="sy-page-title")]
    if not db.available():
        return html.Div(head + [no_warehouse(lang, id_prefix="gpp-nowh")], className="sy-page", id="gpp-page")
    totals, view, mine, sectors = load(province, kwargs.get("from"), kwargs.get("to"), kwargs.get("peers"))
    provinces = db.query("gpp/provinces")
    name_col = "name_en" if lang == "en" else "name_th"
    names = dict(zip(provinces["province_code"], provinces[name_col]))
    region = provinces.set_index("province_code").loc[view.province, "region"] if view.province in names else ""
    region_name = REGION_TH.get(region, region) if lang == "th" else region
    years = sorted(int(y) for y in totals[totals["province_code"] == view.province]["year_be"].unique())
    prov_opts = province_options(provinces, lang)
    peer_opts = [{"label": tx["none"], "value": ""}] + [o for o in prov_opts if o["value"] != view.province]
    year_opts = [{"label": str(y), "value": str(y)} for y in years]
    peers = list(view.peers) + [""] * (3 - len(view.peers))
    controls = html.Div(
        [
            labelled_select("gpp-province", tx["province"], prov_opts, view.province),
            labelled_select("gpp-from", tx["from"], year_opts, str(view.first)),
            labelled_select("gpp-to", tx["to"], year_opts, str(view.last)),
        ]
        + [labelled_select(f"gpp-peer-{i}", tx["peer"].format(n=i + 1), peer_opts, peers[i]) for i in range(3)],
        className="sy-filters",
        id="gpp-filters",
        role="search",
    )

    children = head + [dcc.Location(id="gpp-nav", refresh="callback-nav"), controls]
    # the view this layout was drawn for, so a reader (and a test) can tell the new page from the old
    drawn = {"data-view": f"{view.province}:{view.first}:{view.last}"}
    if mine.empty:
        return html.Div(children, className="sy-page", id="gpp-page", **drawn)
    sample_parts = (not sectors.empty and set(sectors["provenance"]) != {"official"}) or set(
        mine["cvm_provenance"].dropna()
    ) - {"official"}
    if sample_parts:
        children.append(
            dbc.Alert(
                [provenance_badge("sample", lang), " ", tx["sample"]],
                color="warning",
                className="sy-sample-note mt-3",
                id="gpp-sample-note",
            )
        )
    late = late_note(totals, mine, view, names, lang)
    if late is not None:
        children.append(late)
    if view.first == view.last:
        children.append(dbc.Alert(tx["one_year"], color="info", className="mt-3", id="gpp-one-year"))

    def lazy(fig, id_, label, note):  # a chart below the first: drawn when it comes near the screen
        return lazychart.lazy_graph(fig, id_, label, note, lang=lang, placeholder=tx["drawing"])

    # freshness: the province's NESDC totals; per capita also needs NESDC's population
    fresh = fr.load(db.query)
    f_gpp = fr.lookup(fresh, "gpp", view.province)
    f_pop = fr.lookup(fresh, "population", "NESDC")

    def gpp_note():
        return fr.freshness_mark(f_gpp, lang, small=True, what=tx["fresh_gpp"])

    def per_capita_note(codes):
        return fr.freshness_mark(
            fr.worst(fr.rows_for(fresh, "gpp", codes) + [f_pop]), lang, small=True, what=tx["fresh_pc"]
        )

    areas = db.query("gpp/areas").set_index("area_code")
    nesdc_region = areas["region_code"].get(view.province)
    region_label = g.nz(areas[name_col].get(nesdc_region)) or ""
    area_sectors = db.query("gpp/area_sectors", region=nesdc_region) if nesdc_region else pd.DataFrame()
    area_totals = db.query("gpp/area_totals", region=nesdc_region) if nesdc_region else pd.DataFrame()
    srows = g.sector_rows(sectors, view)
    crows = g.compare_rows(sectors, area_sectors, nesdc_region, view) if nesdc_region else pd.DataFrame()
    region_name = region_label or region_name  # NESDC's region: the ranks' and the comparisons' region
    text = g.analysis(
        mine, sectors, view, names.get(view.province, view.province), region_name, lang, srows, crows, region_label
    )
    shown = sectors[sectors["edition"] == view.edition]
    refs = g.sources(shown, area_sectors[area_sectors["edition"] == view.edition] if not area_sectors.empty else shown)
    children.append(
        html.Section(
            [
                html.H2(tx["analysis"], className="h4"),
                html.Div([html.P(s) for s in text], id="gpp-analysis", className="lead"),
            ]
            + ([_sector_table(srows, lang)] if not srows.empty else [])
            + ([html.P([tx["source"], "; ".join(refs)], className="sy-meta", id="gpp-sources")] if refs else [])
        )
    )
    children.append(
        html.Section(
            [
                html.H2(tx["table"], className="h4"),
                html.P(
                    [
                        fr.freshness_mark(f_gpp, lang, id="gpp-fresh", what=tx["fresh_gpp"]),
                        fr.freshness_mark(f_pop, lang, id="gpp-fresh-pop", what=tx["fresh_pop"]),
                    ],
                    className="sy-badges",
                    id="gpp-fresh-marks",
                ),
                _table(mine, lang),
                html.P([tx["pop_note"], html.Br(), tx["edition_note"]], className="sy-meta"),
                html.Div(
                    [
                        html.Button(tx["download"] + " .xlsx", id="gpp-dl-xlsx", className="btn btn-primary me-2"),
                        html.Button(tx["download"] + " .csv", id="gpp-dl-csv", className="btn btn-outline-primary"),
                        dcc.Download(id="gpp-download"),
                    ]
                ),
            ]
        )
    )
    children.append(
        html.Section(
            html.Div(
                [
                    graph(g.levels_figure(mine, lang), "gpp-levels", tx["title"], gpp_note()),
                    lazy(g.growth_figure(mine, lang), "gpp-growth", tx["title"], gpp_note()),
                ],
                className="sy-two",
            )
        )
    )
    struct = [html.H2(tx["structure"], className="h4")]
    other = db.query("gpp/sectors", province=view.province)  # every edition's (cached)
    other = other[other["edition"] != view.edition]
    if shown.empty and not other.empty:  # an edition of totals only: say so, offer the edition with sectors
        best = other[other["provenance"] == "official"] if (other["provenance"] == "official").any() else other
        ed = best.groupby("edition")["year_be"].agg(["min", "max"]).sort_values("max").iloc[-1]
        struct.append(
            dbc.Alert(
                [
                    html.P(tx["totals_only"].format(e=view.edition), className="mb-1"),
                    html.A(
                        tx["see_2020"].format(e=ed.name, a=int(ed["min"]), b=int(ed["max"])),
                        id="gpp-see-sectors",
                        href="/gpp"
                        + query_string(province=view.province, **{"from": int(ed["min"]), "to": int(ed["max"])}),
                    ),
                    html.Br(),
                    html.A(tx["template"], href="/entry/data?dataset=gpp_sector", id="gpp-sector-template"),
                ],
                color="info",
                id="gpp-totals-only",
            )
        )
    elif shown.empty:
        struct.append(dbc.Alert(tx["no_sectors"], color="secondary", id="gpp-no-sectors"))
    else:
        sample = set(shown["provenance"]) != {"official"}
        struct.append(
            html.Div(
                [
                    lazy(g.structure_figure(shown, lang, sample), "gpp-structure", tx["structure"], gpp_note()),
                    lazy(
                        g.contribution_figure(shown, mine, lang, sample),
                        "gpp-contribution",
                        tx["structure"],
                        gpp_note(),
                    ),
                ],
                className="sy-two",
            )
        )
        struct.append(html.P(tx["method"], className="sy-meta", id="gpp-method"))
    if not crows.empty:
        y = crows.attrs["year"]
        real = {
            r.area_code: r.real_growth_pct
            for r in area_totals[(area_totals["edition"] == view.edition) & (area_totals["year_be"] == y)].itertuples()
        }
        mine_y = mine[(mine["edition"] == view.edition) & (mine["year_be"] == y)]["real_growth_pct"]
        struct += [
            html.H3(tx["versus"], className="h5 mt-3"),
            html.P(
                tx["real_vs"].format(
                    y=y,
                    p=g.published(mine_y.iloc[0] if len(mine_y) else None, lang),
                    r=region_label,
                    rv=g.published(real.get(nesdc_region), lang),
                    k=g.published(real.get("TH"), lang),
                ),
                id="gpp-real-versus",
            ),
            _compare_table(crows, region_label, lang),
        ]
    children.append(html.Section(struct))

    ed_rows = totals[(totals["edition"] == view.edition) & (totals["year_be"] == view.last)]
    shapes = db.query("gpp/province_shapes")
    compare = [
        html.H2(tx["compare"], className="h4"),
        html.Div(
            [
                lazy(
                    g.peers_figure(totals, [view.province] + list(view.peers), view.edition, lang),
                    "gpp-peers",
                    tx["compare"],
                    per_capita_note([view.province] + list(view.peers)),
                ),
                lazy(
                    g.map_figure(ed_rows, shapes, view.province, lang),
                    "gpp-map",
                    tx["compare"],
                    per_capita_note(sorted(ed_rows["province_code"].unique())),
                ),
            ],
            className="sy-two",
        ),
    ]
    official = db.query("gpp/indicators", province=view.province, last=view.last)
    if not official.empty:
        compare.append(_indicator_table(official, region_name, view.last, lang))
    children.append(html.Section(compare))
    return html.Div(children, className="sy-page", id="gpp-page", **drawn)


# the charts below the first are drawn when they come near the screen (components/lazychart.py)
dash.clientside_callback(*lazychart.clientside_callback_args(), prevent_initial_call=True)


@callback(
    Output("gpp-nav", "search"),
    [Input(i, "value") for i in ("gpp-province", "gpp-from", "gpp-to", "gpp-peer-0", "gpp-peer-1", "gpp-peer-2")],
    prevent_initial_call=True,
)
def _view_to_url(province, first, last, p0, p1, p2):
    peers = ",".join(p for p in (p0, p1, p2) if p)
    return query_string(province=province, **{"from": first, "to": last}, peers=peers)


@callback(
    Output("gpp-download", "data"),
    Input("gpp-dl-xlsx", "n_clicks"),
    Input("gpp-dl-csv", "n_clicks"),
    State("gpp-nav", "search"),
    prevent_initial_call=True,
)
def _download(_x, _c, search):
    """The table of the view in the URL, as .xlsx (with the sectors) or .csv (UTF-8 with BOM so
    Excel shows Thai)."""
    lang = current_lang()
    q = {k: v[0] for k, v in parse_qs((search or "").lstrip("?")).items()}
    _totals, view, mine, sectors = load(q.get("province"), q.get("from"), q.get("to"), q.get("peers"))
    return export(mine, sectors, view, lang, "csv" if dash.ctx.triggered_id == "gpp-dl-csv" else "xlsx")


def export(mine: pd.DataFrame, sectors: pd.DataFrame, view, lang: str, kind: str) -> dict:
    """The view's table as .csv (totals and sectors in one table: export_frame) or .xlsx (sheet GPP:
    the page's table with ranks as "n/N"; sheet sectors: the sectors in the .csv's columns)."""
    frame = table_frame(mine, lang)
    stem = f"gpp_{view.province}_{view.first}-{view.last}"
    if kind == "csv":
        return dcc.send_string(
            "\ufeff" + export_frame(mine, sectors, lang).map(csv_value).to_csv(index=False), f"{stem}.csv"
        )
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        frame.to_excel(xw, sheet_name="GPP", index=False)
        if not sectors.empty:
            long = export_frame(mine, sectors, lang)
            long[long[TEXT[lang]["sector"]] != "TOTAL"].dropna(axis=1, how="all").to_excel(
                xw, sheet_name="sectors", index=False
            )
        xlsx_workbook(xw.book)  # text that begins with "=": text, never a formula (components/cells.py)
    return dcc.send_bytes(buf.getvalue(), f"{stem}.xlsx")
