"""About the data: every dataset with its provenance, the official GPP totals as published,
and the recent load lineage. Read per visit from the open snapshot."""
from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

import auth
import db
from components import thai
from components.i18n import current_lang, pick
from components.layout import no_warehouse, provenance_badge
from config import settings

dash.register_page(
    __name__,
    path="/about-data",
    name="แหล่งข้อมูล",
    name_en="About the data",
    title="แหล่งข้อมูล · สัญญาณ Sanyan",
    order=90,
)

LOAD_LIMIT = 20

TEXT = {
    "th": {
        "title": "แหล่งข้อมูล",
        "table": "ตาราง",
        "lead": "ข้อมูลทุกชุดในคลังข้อมูลชุดนี้ ที่มา ฉบับ และจำนวนแถว",
        "sample_note_title": "ข้อมูลตัวอย่างไม่ใช่ตัวเลขจริง",
        "sample_note": ("ชุดข้อมูลที่มีป้าย “ข้อมูลตัวอย่าง” สร้างขึ้นเพื่อสาธิตระบบเท่านั้น "
                        "ไม่ใช่ตัวเลขจริง ห้ามนำไปอ้างอิง จะถูกแทนที่เมื่อหน่วยงานนำเข้าข้อมูลจริง"),
        "datasets": "ชุดข้อมูล",
        "col_name": "ชุดข้อมูล",
        "col_prov": "ที่มาของข้อมูล",
        "col_edition": "ฉบับ",
        "col_source": "แหล่งที่มา",
        "col_rows": "จำนวนแถว",
        "col_last": "นำเข้าล่าสุด",
        "rows_official": "ทางการ",
        "rows_sample": "ตัวอย่าง",
        "rows_entered": "กรอก",
        "files": "ไฟล์",
        "gpp": "ผลิตภัณฑ์มวลรวมจังหวัด (NESDC) ตามที่เผยแพร่",
        "gpp_lead": ("ผลิตภัณฑ์มวลรวมของ{province} ณ ราคาประจำปี (ล้านบาท) ตามตัวเลขที่ "
                     "สำนักงานสภาพัฒนาการเศรษฐกิจและสังคมแห่งชาติ (สศช.) เผยแพร่ แยกตามฉบับ ไม่ปัดเศษ ไม่ปรับแก้"),
        "edition": "ฉบับ",
        "col_year": "ปี พ.ศ.",
        "col_value": "มูลค่า (ล้านบาท)",
        "col_flag": "สถานะตัวเลข",
        "gpp_none": "ยังไม่มีตัวเลขทางการของจังหวัดนี้ในคลังข้อมูล",
        "source_ref": "อ้างอิง",
        "loads": "ประวัติการนำเข้าข้อมูลล่าสุด",
        "col_when": "เวลา",
        "col_file": "ไฟล์",
        "col_dataset": "ชุดข้อมูล",
        "col_by": "ผู้นำเข้า",
        "col_result": "ผล",
        "col_sha": "SHA-256 (ย่อ)",
        "loads_none": "ยังไม่มีประวัติการนำเข้า",
        "none": "ยังไม่มีชุดข้อมูล",
    },
    "en": {
        "title": "About the data",
        "table": "Table: ",
        "lead": "Every dataset in this snapshot: where it comes from, its edition and row counts.",
        "sample_note_title": "Sample data are not real figures",
        "sample_note": ("Datasets marked “Sample data” were generated to demonstrate the system. They are "
                        "not real figures and must not be quoted; they are replaced when an office loads real data."),
        "datasets": "Datasets",
        "col_name": "Dataset",
        "col_prov": "Provenance",
        "col_edition": "Edition",
        "col_source": "Source",
        "col_rows": "Rows",
        "col_last": "Last loaded",
        "rows_official": "official",
        "rows_sample": "sample",
        "rows_entered": "entered",
        "files": "files",
        "gpp": "Gross provincial product (NESDC) as published",
        "gpp_lead": ("Gross provincial product of {province} at current prices (million baht), exactly as "
                     "published by NESDC, per edition; not rounded, not adjusted."),
        "edition": "Edition",
        "col_year": "Year (B.E.)",
        "col_value": "Value (million baht)",
        "col_flag": "Status",
        "gpp_none": "No official figures for this province in the warehouse yet.",
        "source_ref": "Source",
        "loads": "Recent loads",
        "col_when": "When",
        "col_file": "File",
        "col_dataset": "Dataset",
        "col_by": "Loaded by",
        "col_result": "Result",
        "col_sha": "SHA-256 (short)",
        "loads_none": "No loads recorded yet.",
        "none": "No datasets yet.",
    },
}

# load result -> (symbol, Thai, English); the word always comes with the symbol
RESULT = {
    "accepted": ("✔", "รับแล้ว", "accepted"),
    "ok": ("✔", "รับแล้ว", "accepted"),
    "rejected": ("✖", "ไม่ผ่าน", "rejected"),
    "failed": ("✖", "ไม่ผ่าน", "failed"),
}

REVISION = {
    "r": ("ปรับปรุง (r)", "revised (r)"),
    "p": ("เบื้องต้น (p)", "preliminary (p)"),
}


def _v(x: Any) -> Any:
    """None for missing values (None, NaN, NaT, pd.NA)."""
    try:
        return None if pd.isna(x) else x
    except (TypeError, ValueError):
        return x


def _int(x: Any) -> int:
    x = _v(x)
    return int(x) if x is not None else 0


def _date(x: Any, lang: str, with_time: bool = False) -> str:
    """B.E. date (and, for loads, which happen several times a day, the time of day)."""
    x = _v(x)
    if x is None:
        return "—"
    return thai.format_date_th(x, lang=lang, abbr=True, with_time=with_time)


def _thead(cols: list[str], numeric: set[int] = frozenset()) -> html.Thead:
    return html.Thead(html.Tr([
        html.Th(c, scope="col", className="text-end" if i in numeric else None) for i, c in enumerate(cols)
    ]))


def _td(children: Any, label: str, className: str | None = None) -> html.Td:
    """A cell that carries its column label (shown above the value on phones, see .sy-stack)."""
    return html.Td(children, className=className, **{"data-label": label})


def _dataset_cols(lang: str) -> list[str]:
    tx = TEXT[lang]
    return [tx["col_name"], tx["col_prov"], tx["col_edition"], tx["col_source"], tx["col_rows"], tx["col_last"]]


def _load_cols(lang: str) -> list[str]:
    tx = TEXT[lang]
    return [tx["col_when"], tx["col_file"], tx["col_dataset"], tx["col_rows"], tx["col_by"], tx["col_result"],
            tx["col_sha"]]


def _datasets_section(df: pd.DataFrame, lang: str) -> list:
    tx = TEXT[lang]
    if df.empty:
        return [html.P(tx["none"], id="about-datasets-empty")]
    body = []
    for r in df.itertuples(index=False):
        prov = (_v(r.provenance) or "").lower()
        sample_rows, official_rows, entered_rows = _int(r.sample_rows), _int(r.official_rows), _int(r.entered_rows)
        # one badge per provenance that has rows (a mixed dataset shows each of its kinds)
        kinds = [k for k, n in (("official", official_rows), ("sample", sample_rows), ("entered", entered_rows)) if n]
        if not kinds:
            kinds = [prov or "empty"]
        badges = [provenance_badge(k, lang) for k in kinds]
        is_sample = prov == "sample" or sample_rows > 0
        breakdown = " · ".join(
            f"{tx[k]} {thai.format_number(n, 0, lang)}"
            for k, n in (("rows_official", official_rows), ("rows_sample", sample_rows), ("rows_entered", entered_rows))
            if n
        )
        cols = _dataset_cols(lang)
        body.append(html.Tr(
            [
                _td([html.Div(pick(_v(r.name_th), _v(r.name_en), lang), className="fw-bold"),
                     html.Div(html.Code(str(r.dataset)), className="small")], cols[0]),
                _td(html.Div(badges, className="sy-badges"), cols[1]),
                _td(_v(r.edition) or "—", cols[2]),
                _td(pick(_v(r.source_th), _v(r.source_en), lang) or "—", cols[3], "sy-wrap"),
                _td([html.Div(thai.format_number(_int(r.rows), 0, lang), className="sy-num"),
                     html.Div(breakdown, className="small text-body-secondary") if breakdown else None],
                    cols[4], "text-end sy-td-num"),
                _td(_date(r.last_loaded, lang), cols[5], "text-nowrap"),
            ],
            className="sy-row-sample" if is_sample else None,
            **{"data-dataset": str(r.dataset), "data-provenance": prov},
        ))
    table = dbc.Table(
        [
            _thead(_dataset_cols(lang), numeric={4}),
            html.Tbody(body),
        ],
        hover=True,
        className="sy-table sy-stack align-middle",
        id="about-datasets-table",
    )
    return [html.Div(table, className="table-responsive", tabIndex=0, role="region",
                     **{"aria-label": tx["table"] + tx["datasets"]})]


def _flag(flag: Any, lang: str) -> str:
    flag = _v(flag)
    if not flag:
        return "—"
    th, en = REVISION.get(str(flag).strip().lower(), (str(flag), str(flag)))
    return en if lang == "en" else th


def _gpp_section(df: pd.DataFrame, lang: str) -> list:
    tx = TEXT[lang]
    if df.empty:
        return [html.P(tx["gpp_none"], id="about-gpp-empty")]
    blocks = []
    for i, (edition, g) in enumerate(df.groupby("edition", sort=True, dropna=False)):
        rows = []
        for r in g.itertuples(index=False):
            year_be = int(r.year_be)
            year_label = str(year_be) if lang == "th" else f"{year_be} ({year_be - 543})"
            rows.append(html.Tr([
                html.Th(year_label, scope="row"),
                html.Td(thai.format_number(r.value_million_baht, 3, lang), className="text-end sy-num"),
                html.Td(_flag(r.revision_flag, lang)),
            ]))
        refs = sorted({str(x) for x in g["source_ref"].dropna().unique()}) if "source_ref" in g else []
        classes = sorted({str(x) for x in g["classification"].dropna().unique()}) if "classification" in g else []
        blocks.append(html.Div(
            [
                html.H3([f"{tx['edition']}: ", _v(edition) or "—"], className="h5"),
                html.Div(
                    [provenance_badge("official", lang)]
                    + ([html.Span(" · ".join(classes), className="small text-body-secondary ms-2")] if classes else []),
                    className="mb-2",
                ),
                dbc.Table(
                    [_thead([tx["col_year"], tx["col_value"], tx["col_flag"]], numeric={1}), html.Tbody(rows)],
                    className="sy-table sy-gpp-table",
                    id=f"about-gpp-table-{i}",
                ),
                html.P([f"{tx['source_ref']}: ", "; ".join(refs)], className="small text-body-secondary sy-wrap")
                if refs else None,
            ],
            className="sy-gpp-edition",
        ))
    return [html.Div(blocks, className="sy-gpp-editions")]


def _loads_section(df: pd.DataFrame, lang: str) -> list:
    tx = TEXT[lang]
    if df.empty:
        return [html.P(tx["loads_none"], id="about-loads-empty")]
    rows = []
    for r in df.itertuples(index=False):
        result = str(_v(r.result) or "—")
        icon, th, en = RESULT.get(result.lower(), ("", result, result))
        label_text = en if lang == "en" else th
        c = _load_cols(lang)
        rows.append(html.Tr([
            _td(_date(r.loaded_at, lang, with_time=True), c[0], "text-nowrap"),
            _td(str(_v(r.file_name) or "—"), c[1], "sy-wrap"),
            _td(html.Code(str(_v(r.dataset) or "—")), c[2]),
            _td(thai.format_number(_int(r.rows), 0, lang), c[3], "text-end sy-num sy-td-num"),
            _td(str(_v(r.loaded_by) or "—"), c[4]),
            _td([html.Span(icon + " ", **{"aria-hidden": "true"}) if icon else None, label_text], c[5],
                f"sy-result sy-result-{result.lower()}"),
            _td(html.Code(str(_v(r.sha256) or "")[:12]), c[6]),
        ]))
    table = dbc.Table(
        [_thead(_load_cols(lang), numeric={3}),
         html.Tbody(rows)],
        size="sm",
        className="sy-table sy-stack",
        id="about-loads-table",
    )
    return [html.Div(table, className="table-responsive", tabIndex=0, role="region",
                     **{"aria-label": tx["table"] + tx["loads"]})]


@auth.page_access
def layout(**kwargs) -> html.Div:
    lang = current_lang()
    tx = TEXT[lang]
    head = [html.H1(tx["title"], id="about-title", className="sy-page-title"),
            html.P(tx["lead"], className="lead", id="about-lead")]
    if not db.available():
        return html.Div(head + [no_warehouse(lang, id_prefix="about-nowh")], className="sy-page", id="about-page")

    province = settings.province
    datasets = db.query("meta/datasets")
    gpp = db.query("gpp/official_totals", province=province)
    loads = db.query("meta/loads", limit=LOAD_LIMIT)
    prov = db.query("meta/province", province=province)
    if prov.empty:
        province_name = province
    else:
        p = prov.iloc[0]
        province_name = pick(_v(p["name_th"]), _v(p["name_en"]), lang)
    province_label = (f"จังหวัด{province_name}" if lang == "th" else province_name)

    return html.Div(
        head
        + [
            dbc.Alert(
                [html.Div([provenance_badge("sample", lang),
                           html.Strong(" " + tx["sample_note_title"])], className="mb-1"),
                 html.Span(tx["sample_note"])],
                color="warning",
                className="sy-sample-note",
                id="about-sample-note",
            ),
            html.Section(
                [html.H2(tx["datasets"], className="h3", id="about-datasets-title")]
                + _datasets_section(datasets, lang),
                id="about-datasets",
                **{"aria-labelledby": "about-datasets-title"},
            ),
            html.Section(
                [html.H2(tx["gpp"], className="h3", id="about-gpp-title"),
                 html.P(tx["gpp_lead"].format(province=province_label))]
                + _gpp_section(gpp, lang),
                id="about-gpp",
                **{"aria-labelledby": "about-gpp-title"},
            ),
            html.Section(
                [html.H2(tx["loads"], className="h3", id="about-loads-title")]
                + _loads_section(loads, lang),
                id="about-loads",
                **{"aria-labelledby": "about-loads-title"},
            ),
        ],
        className="sy-page",
        id="about-page",
    )
