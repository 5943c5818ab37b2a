"""/quality: are the databases covering, correct and current (RM 4.1)?

Per database (KPIs, the provincial database, GPP): coverage, accuracy (automated checks and
verified share), timeliness and, for KPIs, the passport fields; per owner unit; round by round
with history; the reports overdue with who owns and verifies them; the values the after-storing
check flags for a verifier; and the combined index banded to 1-5. Definitions and arithmetic:
etl/sql/marts/quality.sql. The fiscal year is in the URL (?fy=)."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import flask
from dash import Input, Output, State, callback, dcc, html, no_update

import db
from components import cockpit as ck
from components import quality as q
from components import thai
from components.i18n import current_lang, t, words
from components.layout import is_sample, labelled_select, no_warehouse, provenance_badge, sample_caption, sample_mark
from config import settings
from web import auth

dash.register_page(
    __name__,
    path="/quality",
    name="คุณภาพข้อมูล",
    name_en="Data quality",
    title="คุณภาพข้อมูล · สัญญาณ Sanyan",
    order=75,
    menu="work",
)

TEXT = words(
    "quality",
    {
        "th": {
            "title": "คุณภาพข้อมูล: ครอบคลุม ถูกต้อง ทันสมัย",
            "fy": t("word.fy", "th"),
            "rm": "ตัวชี้วัด RM 4.1 (ดัชนีรวม)",
            "rm_note": "ค่าเฉลี่ยดัชนีของสามฐานข้อมูล ระดับ 1–5 เทียบ 60/70/80/90/100 %",
            "units": "รายหน่วยงาน (ตัวชี้วัด ปีงบประมาณ {fy})",
            "agencies": "รายหน่วยงานเจ้าของข้อมูล (ฐานข้อมูลจังหวัด ทั้งสามปี)",
            "history": "ประวัติรายรอบ",
            "overdue": "รายงานค้างส่ง (ปีงบประมาณ {fy})",
            "none_overdue": "ไม่มีรายงานค้างส่ง",
            "outliers": "ค่าที่ควรสอบทาน (ต่างจากค่าอื่นของตัวชี้วัดเดียวกันเกิน 3 ส่วนเบี่ยงเบนมาตรฐาน)",
            "none_outliers": "ไม่มีค่าที่ถูกทักท้วง",
            "year": "ข้อมูลปี {y}",
            "ucols": ["หน่วยงาน", "ครอบคลุม", "ถูกต้อง", "ทันสมัย", "บัญชีตัวชี้วัด", "ดัชนี", "ระดับ"],
            "ocols": ["ตัวชี้วัด", "พื้นที่", "งวด", "กำหนดส่ง", "ล่าช้า (วัน)", "หน่วยงานเจ้าของ", "ผู้สอบทาน"],
            "xcols": ["ตัวชี้วัด", "พื้นที่", "งวด", "ค่า", "ที่มา", "ผู้สอบทาน"],
            "hcols": ["งวด", "ครอบคลุม", "ถูกต้อง", "ทันสมัย", "ดัชนี"],
            "table": "ตารางข้อมูลประวัติ",
            "sample": "ข้อมูลตัวอย่างไม่นับเป็นข้อมูลที่สอบทานแล้ว จึงทำให้ความถูกต้องต่ำ",
            "empty": "ยังไม่มีข้อมูลในคลังข้อมูล",
            "evidence": "แฟ้มหลักฐาน PMQA หมวด 4 (PDF + Excel)",
            "evidence_help": "IT1–IT7: สิ่งที่ระบบมีและตัวเลขที่วัดได้ สำหรับผู้ตรวจประเมิน (ใช้เวลาประมาณ 5 วินาที)",
            "evidence_ok": "สร้างแฟ้มหลักฐานปีงบประมาณ {fy} แล้ว",
        },
        "en": {
            "title": "Data quality: covering, correct, current",
            "fy": t("word.fy", "en"),
            "rm": "RM 4.1 (combined index)",
            "rm_note": "the mean of the three databases' indexes, level 1–5 against 60/70/80/90/100 %",
            "units": "By unit (KPIs, FY {fy})",
            "agencies": "By source agency (provincial database, the three years)",
            "history": "History, round by round",
            "overdue": "Reports overdue (FY {fy})",
            "none_overdue": "No report is overdue",
            "outliers": "Values to verify (more than 3 standard deviations from the KPI's other values)",
            "none_outliers": "No value is flagged",
            "year": "data years {y}",
            "ucols": ["Unit", "Coverage", "Accuracy", "Timeliness", "Passport", "Index", "Level"],
            "evidence": "PMQA Category 4 evidence pack (PDF + Excel)",
            "evidence_help": "IT1–IT7: what the system has and the figures it measures, for the assessors (about 5 s)",
            "evidence_ok": "Evidence pack for FY {fy} made",
            "ocols": ["KPI", "Area", "Period", "Deadline", "Days late", "Owner unit", "Verifier"],
            "xcols": ["KPI", "Area", "Period", "Value", "Provenance", "Verifier"],
            "hcols": ["Period", "Coverage", "Accuracy", "Timeliness", "Index"],
            "table": "History as a table",
            "sample": "Sample rows never count as verified, which keeps accuracy low",
            "empty": "The warehouse has no data yet",
        },
    },
)


def _table(cols, rows, id_, caption=None, **attrs):
    return html.Div(
        html.Table(
            [
                caption,
                html.Thead(html.Tr([html.Th(c, scope="col") for c in cols])),
                html.Tbody([html.Tr([html.Td(x, **{"data-label": c}) for c, x in zip(cols, r)], **a) for r, a in rows]),
            ],
            className="table table-sm sy-table sy-stack",
            id=id_,
            **attrs,
        ),
        className="table-responsive",
    )


@auth.page_access
def layout(fy=None, **_kwargs) -> html.Div:
    lang = current_lang()
    tx = TEXT[lang]
    head = [html.H1(tx["title"], className="sy-page-title", id="quality-title")]
    if not db.available():
        return html.Div(head + [no_warehouse(lang, id_prefix="quality-nowh")], className="sy-page", id="quality-page")
    summary = db.query("quality/summary")
    years = sorted(summary.loc[summary["database"] == "kpi", "fiscal_year"].astype(int).unique(), reverse=True)
    if not years:
        return html.Div(head + [dbc.Alert(tx["empty"], color="info")], className="sy-page", id="quality-page")
    want = str(thai.to_arabic_digits(str(fy))) if fy else str(years[0])
    want = want if want in {str(y) for y in years} else str(years[0])
    return html.Div(
        head
        + [
            html.Div(
                [labelled_select("quality-fy", tx["fy"], [{"label": str(y), "value": str(y)} for y in years], want)],
                className="sy-filters",
            ),
            html.Div(body(int(want), lang), id="quality-body"),
            html.Section(
                [
                    html.Button(tx["evidence"], id="quality-evidence", className="btn btn-outline-primary"),
                    html.P(tx["evidence_help"], className="sy-meta mt-1"),
                    dcc.Loading(html.Div(id="quality-evidence-msg", role="status")),
                    dcc.Download(id="quality-evidence-pdf"),
                    dcc.Download(id="quality-evidence-xlsx"),
                ],
                className="mt-4",
                hidden=auth.role() not in EVIDENCE_ROLES,
                id="quality-evidence-box",
            ),
        ],
        className="sy-page",
        id="quality-page",
    )


EVIDENCE_ROLES = ("admin", "executive")


@callback(
    Output("quality-evidence-pdf", "data"),
    Output("quality-evidence-xlsx", "data"),
    Output("quality-evidence-msg", "children"),
    Input("quality-evidence", "n_clicks"),
    State("quality-fy", "value"),
    prevent_initial_call=True,
)
def _evidence(_n, fy):
    """The evidence pack (reports/evidence.py) for the year shown; admins and executives only."""
    from reports import evidence

    if auth.role() not in EVIDENCE_ROLES:
        flask.abort(403)
    lang = current_lang()
    pdf, xlsx, pack = evidence.build_pack(lang=lang, fy=int(fy), who=auth.current_user.username)
    msg = (
        dbc.Alert(TEXT[lang]["evidence_ok"].format(fy=pack["fy"]), color="success", id="quality-evidence-ok")
        if pdf
        else dbc.Alert(pack["pdf_error"][lang], color="warning", id="quality-evidence-nopdf")
    )
    return (
        dcc.send_bytes(pdf, evidence.file_name(pack["fy"], "pdf")) if pdf else no_update,
        dcc.send_bytes(xlsx, evidence.file_name(pack["fy"], "xlsx")),
        msg,
    )


@callback(Output("quality-body", "children"), Input("quality-fy", "value"), prevent_initial_call=True)
def _year(fy):
    return body(int(fy), current_lang())


def body(fy: int, lang: str) -> list:
    tx = TEXT[lang]
    summary = db.query("quality/summary")
    rm = db.query("quality/rm41", fy=fy)
    rm = rm.iloc[0] if not rm.empty else {"index_pct": None, "band": None}
    # the measures are computed over the databases: sample-fed when any of their datasets is
    datasets = db.query("meta/datasets").get("provenance", [])
    has_sample = is_sample(datasets)
    tiles = [
        html.Div(
            [
                html.Div(tx["rm"], className="sy-meta"),
                html.Div(q.band_text(rm["band"], lang), className="sy-tile-count", id="quality-rm-band"),
                html.Div([q.pct(rm["index_pct"], lang), " · ", tx["rm_note"]], className="sy-meta"),
            ],
            className="sy-tile",
            id="quality-rm",
        )
    ]
    for name in q.DATABASES:
        rows = summary[summary["database"] == name]
        pick = rows[rows["fiscal_year"] == fy] if name == "kpi" else rows[rows["fiscal_year"].isna()]
        if pick.empty:
            continue
        row = pick.iloc[0]
        label = q.DATABASES[name][0 if lang == "th" else 1]
        span = rows["fiscal_year"].dropna().astype(int)
        when = f"{tx['fy']} {fy}" if name == "kpi" else tx["year"].format(y=f"{span.min()}–{span.max()}")
        tiles.append(
            html.Div(
                [
                    html.H2(label, className="h6 mb-1"),
                    html.Div(when, className="sy-meta"),
                    q.measure_list(row, lang, f"quality-db-{name}"),
                ],
                className="sy-tile",
                **{"data-database": name},
            )
        )
    out = [html.Section([sample_mark(datasets, lang), html.Div(tiles, className="sy-tiles mb-3", id="quality-tiles")])]
    if has_sample:
        out.append(
            dbc.Alert([provenance_badge("sample", lang), " ", tx["sample"]], color="warning", id="quality-sample")
        )

    for database, year, title, id_ in (
        ("kpi", fy, tx["units"].format(fy=fy), "quality-units"),
        ("indicators", None, tx["agencies"], "quality-agencies"),
    ):
        units = db.query("quality/units", database=database, fy=year)
        cols = tx["ucols"] if database == "kpi" else tx["ucols"][:4] + tx["ucols"][5:]
        out += [
            html.H2(title, className="h4 mt-3"),
            _table(
                cols,
                [
                    (
                        [
                            u.owner_unit,
                            q.pct(u.coverage_pct, lang),
                            q.pct(u.accuracy_pct, lang),
                            q.pct(u.timeliness_pct, lang),
                        ]
                        + ([q.pct(u.passport_pct, lang)] if database == "kpi" else [])
                        + [q.pct(u.index_pct, lang), q.band_text(u.band, lang)],
                        {},
                    )
                    for u in units.itertuples()
                ],
                id_,
                sample_caption(datasets, lang),
            ),
        ]

    hist = db.query("quality/history")
    out += [
        html.H2(tx["history"], className="h4 mt-4"),
        ck.graph(q.history_figure(hist, lang, has_sample), "quality-history", tx["history"]),
        html.Details(
            [
                html.Summary(tx["table"]),
                _table(
                    tx["hcols"],
                    [
                        (
                            [
                                f"{thai.month_name(int(h.month), lang, abbr=True)} {h.fiscal_year}",
                                q.pct(h.coverage_pct, lang),
                                q.pct(h.accuracy_pct, lang),
                                q.pct(h.timeliness_pct, lang),
                                q.pct(h.index_pct, lang),
                            ],
                            {},
                        )
                        for h in hist.itertuples()
                    ],
                    "quality-history-table",
                    sample_caption(datasets, lang),
                ),
            ]
        ),
    ]

    name = "name_th" if lang == "th" else "name_en"
    overdue = db.query("quality/overdue", fy=fy, province=settings.province)
    out.append(html.H2(tx["overdue"].format(fy=fy), className="h4 mt-4"))
    out.append(
        html.P(tx["none_overdue"], id="quality-no-overdue")
        if overdue.empty
        else _table(
            tx["ocols"],
            [
                (
                    [
                        html.A(f"{o.kpi_code} {getattr(o, name)}", href=f"/kpi/{o.kpi_code}"),
                        f"{o.area_code} {o.area_th if lang == 'th' else o.area_en}",
                        f"{thai.month_name(int(o.month), lang, abbr=True)} {o.fiscal_year}",
                        thai.format_date_th(o.deadline, lang, abbr=True),
                        thai.format_number(int(o.days_late), 0, lang),
                        o.owner_unit,
                        o.verifier,
                    ],
                    {"data-kpi": o.kpi_code},
                )
                for o in overdue.itertuples()
            ],
            "quality-overdue",
            sample_caption(datasets, lang),
        )
    )
    flagged = db.query("quality/outliers", fy=fy, province=settings.province)
    out.append(html.H2(tx["outliers"], className="h4 mt-4"))
    out.append(
        html.P(tx["none_outliers"], id="quality-no-outliers")
        if flagged.empty
        else _table(
            tx["xcols"],
            [
                (
                    [
                        html.A(f"{o.kpi_code} {getattr(o, name)}", href=f"/kpi/{o.kpi_code}"),
                        o.area_code,
                        f"{thai.month_name(int(o.month), lang, abbr=True)} {o.fiscal_year}",
                        thai.format_number(float(o.value), 2, lang),
                        provenance_badge(o.provenance, lang),
                        o.verifier,
                    ],
                    {"data-kpi": o.kpi_code},
                )
                for o in flagged.itertuples()
            ],
            "quality-outliers",
        )
    )
    return out
