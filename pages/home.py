"""The governor's overview: the agreement's weighted score and its path through the fiscal year,
KPIs by status, what has changed since the last meeting, what is red and what is projected to
miss, each linking to its detail, each KPI with a small trend of its year to date against plan.
Read per visit from the open snapshot; "since the last meeting" and the "updating" notice read the
ops store (agendas, events, directives; builds wanted): they are the page's fresh pieces
(web/viewcache.py ``fresh``), made for the reader at every request and put into the page's first
answer, so the page's answer stays one of the snapshot's (web/viewcache.py keeps it, with marks
where they go) while those pieces are always current, and the page settles once (issue 29)."""

from __future__ import annotations

import logging

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

import db
import ops
from components import cockpit as ck
from components import directives as dc
from components import freshness as fr
from components import icons, spark, thai
from components import reasons as rs
from components.i18n import current_lang, words
from components.layout import is_sample, no_warehouse, provenance_badge, sample_suffix
from components.status import score_text, status_badge, status_word
from config import settings
from ops import meeting
from web import auth, viewcache

dash.register_page(
    __name__,
    path="/",
    name="ภาพรวม",
    name_en="Overview",
    title="ภาพรวม · สัญญาณ Sanyan",
    order=0,
)

TEXT = words(
    "home",
    {
        "th": {
            "title": "ภาพรวมตัวชี้วัดจังหวัด",
            "agreement": "คะแนนคำรับรองการปฏิบัติราชการ (ถ่วงน้ำหนัก)",
            "agreement_of": "จากตัวชี้วัดในคำรับรอง {n} ตัว น้ำหนักที่มีผลแล้ว {w}%",
            "no_agreement": "ปีนี้ยังไม่มีตัวชี้วัดในคำรับรองที่มีผล",
            "none_scored": "รอบนี้ยังไม่มีตัวชี้วัดในคำรับรองที่ตัดสินได้ ({n} ตัว: รายงานล่าช้า รอรายงาน หรือยังไม่ถึงกำหนด)",
            "counts": "ตัวชี้วัดจำแนกตามสถานะ (ระดับจังหวัด)",
            "red": "ต่ำกว่าเกณฑ์ — เรียงจากคะแนนต่ำสุด",
            "red_none": "ไม่มีตัวชี้วัดที่ต่ำกว่าเกณฑ์",
            "miss": "คาดว่าจะไม่ถึงเป้าหมายสิ้นปี (ยังไม่แดง)",
            "miss_none": "ไม่มีตัวชี้วัดที่คาดว่าจะไม่ถึงเป้าหมาย",
            "late": "รายงานล่าช้า",
            "projected": "คาดการณ์สิ้นปี",
            "warned": "ตัวชี้วัดนำแย่ลง",
            "all": "ดูตัวชี้วัดทั้งหมดตามโครงสร้างยุทธศาสตร์",
            "projects": "ความก้าวหน้าโครงการ",
            "sample": "ตัวเลขบนหน้านี้เป็นข้อมูลตัวอย่าง ไม่ใช่ผลการดำเนินงานจริง",
            "sample_some": "ตัวเลขบางส่วนบนหน้านี้เป็นข้อมูลตัวอย่าง ไม่ใช่ผลการดำเนินงานจริง",
            "first": "สรุปสำหรับผู้บริหาร: คะแนน สถานะ และตัวชี้วัดที่ต่ำกว่าเกณฑ์",
            "why": "เหตุ:",
            "path_title": "เส้นทางคะแนนคำรับรองตลอดปีงบประมาณ",
            "trend_one": "เดือนเดียว = จุดเดียวพร้อมตัวเลข",
            "empty": "ยังไม่มีผลการดำเนินงานตัวชี้วัดในคลังข้อมูล",
            "path": "คะแนนรายเดือนในปีงบประมาณ {fy}",
            "trend_legend": "เส้นแนวโน้มท้ายแต่ละรายการ ตั้งแต่ ต.ค. ถึงเดือนที่แสดง บนแกนเต็มปีงบประมาณ:",
            "trend_actual": "เส้นทึบ = ผลถึงปัจจุบัน",
            "trend_expected": "เส้นประ = ตามแผน",
            "since": "ตั้งแต่การประชุมครั้งก่อน",
            "updating": "กำลังปรับปรุงข้อมูล: มีการอนุมัติที่ยังไม่เข้าสู่ชุดข้อมูล",
            "since_unread": "อ่านบันทึกการประชุมไม่ได้ในขณะนี้ ลองโหลดหน้าใหม่อีกครั้ง",
            "since_meeting": "การประชุมครั้งก่อน: {title} วันที่ {date} — นับสิ่งที่เปลี่ยนตั้งแต่วันนั้น",
            "since_none": "ยังไม่มีการประชุมที่บันทึกไว้ในระบบ จึงนับตั้งแต่ต้นปีงบประมาณ {fy} ({date})",
            "since_red": "ตัวชี้วัดที่เพิ่งต่ำกว่าเกณฑ์",
            "since_recovered": "ตัวชี้วัดที่กลับมาผ่านเกณฑ์",
            "since_directives": "ข้อสั่งการใหม่",
            "since_nothing": "ไม่มี",
            "since_was": "เดิม {status}",
            "since_period": "ข้อมูลเดือน {month}",
            "since_due": "กำหนดรายงาน {date}",
            "since_more": "และอีก {n} รายการ",
            "since_all_events": "ดูแจ้งเตือนทั้งหมด",
            "since_all_directives": "ดูข้อสั่งการทั้งหมด",
            "since_open_directive": "ข้อสั่งการของ {code}",
        },
        "en": {
            "title": "Provincial KPI overview",
            "agreement": "Performance agreement score (weighted)",
            "agreement_of": "from {n} agreement KPIs; weight with results so far {w}%",
            "no_agreement": "No agreement KPI has a result this year yet",
            "none_scored": "None of the {n} agreement KPIs can be judged in this round (late, awaiting reports or nothing due)",
            "counts": "KPIs by status (province level)",
            "red": "Off track — lowest score first",
            "red_none": "No KPI is off track",
            "miss": "Projected to miss the year-end target (not red yet)",
            "miss_none": "No KPI is projected to miss",
            "late": "Late reports",
            "projected": "projected year end",
            "warned": "a leading KPI is deteriorating",
            "all": "All KPIs in the strategy hierarchy",
            "projects": "Project progress",
            "sample": "The figures on this page are sample data, not real results",
            "sample_some": "Some figures on this page are sample data, not real results",
            "first": "At a glance: the score, the statuses and the KPIs off track",
            "why": "Why:",
            "path_title": "The agreement score through the fiscal year",
            "trend_one": "one month = one point, said in figures",
            "empty": "The warehouse has no KPI results yet",
            "path": "Monthly scores in FY {fy}",
            "trend_legend": "The small trend after each KPI, from Oct to the month shown, on a full fiscal-year axis:",
            "trend_actual": "solid line = to date",
            "trend_expected": "dashed line = planned",
            "since": "Since the last meeting",
            "updating": "Updating: an approved change is not in the figures yet",
            "since_unread": "The meeting records cannot be read just now; reload the page to try again.",
            "since_meeting": "Last meeting: {title} on {date}; counting what changed since that day",
            "since_none": "No meeting has been recorded yet, so counting from the start of FY {fy} ({date})",
            "since_red": "KPIs newly off track",
            "since_recovered": "KPIs back on track",
            "since_directives": "New directives",
            "since_nothing": "None",
            "since_was": "was {status}",
            "since_period": "data of {month}",
            "since_due": "due {date}",
            "since_more": "and {n} more",
            "since_all_events": "See all warnings",
            "since_all_directives": "See all directives",
            "since_open_directive": "Directive on {code}",
        },
    },
)


@auth.page_access
def layout(fy=None, round=None, **_kwargs) -> html.Div:
    lang = current_lang()
    tx = TEXT[lang]
    head = [
        html.H1(tx["title"], id="home-title", className="sy-page-title"),
        # "updating" while an approval is not in the snapshot yet: a fresh piece (it reads the ops
        # store), made at every request, so the cached page (web/viewcache.py) never freezes it
        html.Div(viewcache.fresh("home-updating"), id="home-updating-slot"),
    ]
    if not db.available():
        return html.Div(head + [no_warehouse(lang, id_prefix="home-nowh")], className="sy-page", id="home-page")
    area = settings.province
    point = ck.resolve_point(db.query("cockpit/fiscal_years", area=area), fy, round)
    if point.fy is None:
        return html.Div(
            head + [dbc.Alert(tx["empty"], color="info", id="home-empty")], className="sy-page", id="home-page"
        )
    kpis = db.query("cockpit/kpi_status", fy=point.fy, idx=point.idx, area=area)
    main = kpis[kpis["status"].notna()]
    path = db.query("cockpit/agreement_path", fy=point.fy, idx=point.idx)  # the year so far, month by month
    now = path.tail(1)
    agreement = now if not now.empty and int(now["fiscal_idx"].iloc[0]) == point.idx else path.iloc[0:0]
    # freshness judged against the round the page shows (docs/RULES.md section 7): every tile says it
    fresh = fr.load_at(db.query, point.fy, point.idx, area)
    # the lists below: red first, projected to miss (not red yet), late; the months of their rows in one query
    rows = list(main.itertuples())
    red = sorted((r for r in rows if r.status == "red"), key=lambda r: ck.sort_key(r.status, r.score))
    miss = sorted(
        (r for r in rows if r.projected_miss and r.status != "red"),
        key=lambda r: ck.sort_key(r.status, r.projected_score),
    )
    late = [r for r in rows if r.status == "late"]
    listed = {r.kpi_code for r in (*red, *miss, *late)}
    series = trend_series(db.query("cockpit/kpi_trends", fy=point.fy, idx=point.idx, area=area), listed)

    def trend(r):
        """The row's small trend: value to date against plan, month by month (None without a value);
        one month alone is said as one point (components/spark.py)."""
        got = series.get(r.kpi_code)
        if got is None:
            return None
        return spark.kpi_trend(
            *got,
            lang,
            unit=ck.unit(r, lang) or None,
            aggregation=ck.v(r.aggregation),
            direction=ck.v(r.direction),
            sample=is_sample(ck.v(r.provenance)),
        )

    def worst_of(rows, id_):
        """The freshness of a tile or list: the round it shows, the worst of its KPIs judged against
        that round, and the round's reports late and awaited (only KPIs the reader sees)."""
        return fr.freshness_mark(fr.worst(fr.rows_for(fresh, "kpi", [r.kpi_code for r in rows])), lang, id=id_)

    def item_mark(code):
        return fr.freshness_mark(fr.lookup(fresh, "kpi", code), lang, as_of_label_only=True, small=True)

    red_line = rs.red_lines(
        db.query("cockpit/red_lines", fy=point.fy), rs.rule_value(db.query("cockpit/rules"), "kpi_red_below")
    )
    children = head + [html.P(ck.point_label(point, lang), className="lead", id="home-point")]
    note = ck.missing_year_note(point, lang, "home-missing-year")
    if note is not None:
        children.append(note)
    # ONE sample notice for the page (issue 26): every block below draws the province's KPI rows;
    # the charts keep a short mark of their own (the path's caption, each trend's words)
    sample_rows = is_sample(main["provenance"])
    if sample_rows:
        every = set(main["provenance"].dropna()) == {"sample"}
        children.append(
            html.Div(
                [provenance_badge("sample", lang), " ", tx["sample"] if every else tx["sample_some"]],
                className="alert alert-warning sy-sample-note sy-first-note",
                role="note",
                id="home-sample-note",
            )
        )

    # the agreement's weighted score: the score and its band here, its path further down
    if not agreement.empty and ck.v(agreement["score"].iloc[0]) is not None:
        a = agreement.iloc[0]
        band = "red" if a["score"] < 3 else "yellow" if a["score"] < 4 else "green"
        agree = html.Div(
            [
                html.H2(tx["agreement"], className="h6 sy-first-h"),
                html.Div(
                    [
                        html.Span(score_text(a["score"], lang), className="sy-score-big", id="home-agreement-score"),
                        " ",
                        status_badge(band, lang, id="home-agreement-status"),
                    ]
                ),
                html.P(
                    tx["agreement_of"].format(n=int(a["kpis"]), w=thai.format_number(a["scored_weight"], 0, lang)),
                    className="sy-meta mb-0",
                ),
                html.P(
                    worst_of(kpis[kpis["weight"].notna()].itertuples(), "home-fresh-agreement"), className="mb-0 mt-1"
                ),
            ],
            className="sy-agreement",
            id="home-agreement",
        )
        path_shown = True
    else:
        # a round whose agreement KPIs are all late or awaiting says so (docs/RULES.md section 4),
        # with the path of the rounds before it; a year without any says it has none
        row = path[path["fiscal_idx"] == point.idx] if not path.empty else path
        none_scored = not row.empty and int(row["kpis"].iloc[0]) > 0
        agree = html.Div(
            [
                html.H2(tx["agreement"], className="h6 sy-first-h"),
                html.P(
                    tx["none_scored"].format(n=thai.format_number(int(row["kpis"].iloc[0]), 0, lang))
                    if none_scored
                    else tx["no_agreement"],
                    id="home-agreement-none",
                ),
            ],
            className="sy-agreement",
            id="home-agreement",
        )
        path_shown = none_scored

    # red first, each with why in words, from the row's own figures
    def reasons(r) -> html.P:
        said, kinds = rs.why(r, lang, red_line(r.kpi_code), fr.lookup(fresh, "kpi", r.kpi_code))
        return html.P(
            [html.Span(tx["why"], className="sy-why-label"), " ", " · ".join(said)],
            className="sy-why",
            id=f"home-red-why-{r.kpi_code}",
            **{"data-reasons": " ".join(kinds)},
        )

    red_items = [
        ck.kpi_item(
            r,
            point,
            lang,
            id_prefix="home-red",
            extra=present(reasons(r), trend(r), item_mark(r.kpi_code)),
        )
        for r in red
    ]
    legend = (
        html.P(
            [
                tx["trend_legend"],
                " ",
                html.Span([spark.legend_line("actual"), " ", tx["trend_actual"]], className="text-nowrap"),
                " · ",
                html.Span([spark.legend_line("expected"), " ", tx["trend_expected"]], className="text-nowrap"),
                " · ",
                tx["trend_one"],
            ],
            className="sy-meta sy-trend-legend",
            id="home-trend-legend",
        )
        if series
        else None
    )

    # the first screen (issue 26): the score, the counts and the top of the red list, with reasons
    children.append(
        html.Section(
            [
                html.Div(
                    [
                        agree,
                        html.Div(
                            [
                                html.H2(tx["counts"], className="h6 sy-first-h"),
                                ck.status_summary(ck.status_counts(main), lang),
                                html.P(worst_of(rows, "home-fresh-counts"), className="mt-1 mb-0"),
                            ],
                            className="sy-first-counts",
                            id="home-counts-block",
                        ),
                    ],
                    className="sy-cockpit-head sy-first-head",
                ),
                html.Div(
                    [
                        html.H2(tx["red"], className="h4", id="home-red-title"),
                        html.Ul(red_items, className="sy-kpi-list sy-first-red", id="home-red-list")
                        if red_items
                        else html.P(tx["red_none"], id="home-red-none"),
                        html.P(worst_of(red, "home-fresh-red"), className="mt-2") if red else None,
                    ],
                    className="sy-first-redblock",
                    id="home-red-section",
                ),
            ],
            className="sy-first",
            id="home-first",
            **{"aria-label": tx["first"]},
        )
    )

    # projected to miss, not red yet
    miss_items = [
        ck.kpi_item(
            r,
            point,
            lang,
            id_prefix="home-miss",
            extra=present(
                html.P(
                    [
                        html.Span(tx["why"], className="sy-why-label"),
                        " ",
                        rs.miss(r, lang) or "",
                    ],
                    className="sy-why",
                    **{"data-reasons": "miss"},
                ),
                trend(r),
                html.Span([icons.icon("flag"), " ", tx["warned"]], className="sy-meta") if r.leading_warnings else None,
                item_mark(r.kpi_code),
            ),
        )
        for r in miss
    ]
    children.append(
        html.Section(
            [
                html.H2(tx["miss"], className="h4", id="home-miss-title"),
                html.P(worst_of(miss, "home-fresh-miss")) if miss else None,
                html.Ul(miss_items, className="sy-kpi-list", id="home-miss-list")
                if miss_items
                else html.P(tx["miss_none"], id="home-miss-none"),
            ]
        )
    )

    if late:
        children.append(
            html.Section(
                [
                    html.H2(tx["late"], className="h4", id="home-late-title"),
                    html.P(worst_of(late, "home-fresh-late")),
                    html.Ul(
                        [
                            ck.kpi_item(
                                r, point, lang, id_prefix="home-late", extra=present(trend(r), item_mark(r.kpi_code))
                            )
                            for r in late
                        ],
                        className="sy-kpi-list",
                        id="home-late-list",
                    ),
                ]
            )
        )
    if legend is not None:
        children.append(legend)

    # what has changed since the last meeting: a fresh piece (it reads the ops store), made for
    # this reader at every request and in the first answer
    children.append(
        html.Section(
            [
                html.H2(tx["since"], className="h4", id="home-since-title"),
                html.Div(viewcache.fresh("home-since"), id="home-since"),
            ],
            id="home-since-section",
            **{"aria-labelledby": "home-since-title"},
        )
    )

    # the agreement score's path through the year so far
    if path_shown:
        children.append(
            html.Section(
                [
                    html.H2(tx["path_title"], className="h4", id="home-path-title"),
                    agreement_path(point.fy, path, lang, sample=sample_rows),
                ],
                id="home-path-section",
                **{"aria-labelledby": "home-path-title"},
            )
        )

    children.append(
        html.P(
            [
                dcc.Link(
                    tx["all"],
                    href="/kpi" + ck.query_string(fy=point.fy, round=point.round),
                    className="btn btn-primary me-2 mb-2",
                    id="home-all-kpis",
                ),
                dcc.Link(
                    tx["projects"], href="/projects", className="btn btn-outline-primary mb-2", id="home-projects"
                ),
            ],
            className="mt-4",
        )
    )
    return html.Div(children, className="sy-page", id="home-page")


# ---------------------------------------------------------------- pieces of the page
def present(*bits) -> list:
    """The bits that are there (a row's trend, its warning, its freshness mark)."""
    return [b for b in bits if b is not None]


def trend_series(months, codes: set[str]) -> dict[str, tuple[list, list, list]]:
    """queries/cockpit/kpi_trends.sql as {kpi: (fiscal months, value to date, expected to date)},
    only of the KPIs in ``codes`` (the rows the page lists)."""
    rows = months[months["kpi_code"].isin(codes)]
    out: dict[str, tuple[list, list, list]] = {}
    for code, idx, actual, expected in zip(
        rows["kpi_code"].tolist(),
        rows["fiscal_idx"].tolist(),
        rows["value_to_date"].tolist(),
        rows["expected_to_date"].tolist(),
    ):
        got = out.setdefault(code, ([], [], []))
        got[0].append(idx)
        got[1].append(actual)
        got[2].append(expected)
    return out


def agreement_path(fy: int, path, lang: str, sample: bool = False) -> html.Figure | None:
    """The agreement score month by month through the fiscal year so far: the picture, and every
    month's score in words beside it (None without a score); ``sample``: its caption says the
    scores are sample data (a chart keeps its own short mark; the page has the one notice)."""
    idxs, scores = path["fiscal_idx"].tolist(), path["score"].tolist()
    img = spark.agreement_path(fy, idxs, scores, lang, id="home-agreement-path")
    if img is None:
        return None
    return html.Figure(
        [
            html.Figcaption(
                [TEXT[lang]["path"].format(fy=fy), sample_suffix("sample" if sample else None, lang)],
                className="sy-meta",
            ),
            img,
            spark.path_list(idxs, scores, lang, id="home-agreement-path-list"),
        ],
        className="sy-agreement-path mt-2 mb-0",
        id="home-agreement-path-figure",
    )


SHOWN_MAX = 10  # items per list of "since the last meeting"; the rest are counted and linked


def since_view(got: dict, names: dict[str, str], lang: str) -> list:
    """ops.meeting.since_last_meeting as the overview shows it: which day the count starts (the
    last meeting's, or the fiscal year's first when there has been none, said plainly), the counts
    as links to their lists, and the lists: each KPI with its light (icon + word) linking to
    /kpi/<code>, each directive with its state, its KPI and its due date."""
    tx = TEXT[lang]
    since = got["since"]
    if got["meeting"] is not None:
        when = tx["since_meeting"].format(
            title=got["meeting"]["title"], date=thai.format_date_th(got["meeting"]["meeting_date"], lang)
        )
    else:
        when = tx["since_none"].format(fy=thai.fiscal_year(since), date=thai.format_date_th(since, lang))
    blocks = [
        ("red", tx["since_red"], "■", got["red"], "/inbox", tx["since_all_events"]),
        ("recovered", tx["since_recovered"], "●", got["recovered"], "/inbox", tx["since_all_events"]),
        (
            "directives",
            tx["since_directives"],
            icons.icon("pencil"),
            got["directives"],
            "/meeting/directives",
            tx["since_all_directives"],
        ),
    ]

    def kpi_link(code: str, fy) -> dcc.Link:
        return dcc.Link(f"{code} {names.get(code, '')}".strip(), href=f"/kpi/{code}" + ck.query_string(fy=fy))

    def event_li(ev: dict) -> html.Li:
        period = f"{thai.month_name(ev['month'], lang, abbr=True)} {ev['fiscal_year']}"
        bits = [
            status_badge(ev["status"], lang, small=True),
            kpi_link(ev["kpi_code"], ev["fiscal_year"]),
            html.Span(tx["since_period"].format(month=period), className="sy-meta"),
        ]
        if ev.get("old_status"):
            bits.append(
                html.Span(tx["since_was"].format(status=status_word(ev["old_status"], lang)), className="sy-meta")
            )
        return html.Li(bits, **{"data-kpi": ev["kpi_code"], "data-kind": ev["kind"]})

    def directive_li(d: dict) -> html.Li:
        text = d["text"] if len(d["text"]) <= 140 else d["text"][:139] + "…"
        return html.Li(
            [
                dc.status_chip(d["status"], lang),
                kpi_link(d["kpi_code"], d["fiscal_year"]),
                html.Span(text, className="sy-since-text"),
                html.Span(
                    tx["since_due"].format(date=thai.format_date_th(d["due_date"], lang, abbr=True)),
                    className="sy-meta",
                ),
                dcc.Link(
                    tx["since_open_directive"].format(code=d["kpi_code"]),
                    href="/meeting/directives" + ck.query_string(kpi=d["kpi_code"]),
                    className="sy-meta",
                ),
            ],
            **{"data-kpi": d["kpi_code"], "data-directive": str(d["directive_id"])},
        )

    counts, lists = [], []
    for key, label, icon, items, more_href, more_label in blocks:
        block_id = f"home-since-{key}"
        counts.append(
            html.Li(
                html.A(
                    [
                        html.Span(icon, **{"aria-hidden": "true"}),
                        " ",
                        label,
                        ": ",
                        html.Strong(thai.format_number(len(items), 0, lang), className="sy-num"),
                    ],
                    href=f"#{block_id}",
                    id=f"{block_id}-count",
                    **{"data-count": str(len(items))},
                )
            )
        )
        shown = [directive_li(d) if key == "directives" else event_li(d) for d in items[:SHOWN_MAX]]
        body = (
            [html.Ul(shown, className="sy-kpi-list", id=f"{block_id}-list")]
            if shown
            else [html.P(tx["since_nothing"], className="sy-meta", id=f"{block_id}-none")]
        )
        if len(items) > SHOWN_MAX:
            body.append(
                html.P(
                    [tx["since_more"].format(n=len(items) - SHOWN_MAX), " · ", dcc.Link(more_label, href=more_href)],
                    className="sy-meta",
                )
            )
        lists.append(
            html.Div(
                [html.H3([html.Span(icon, **{"aria-hidden": "true"}), " ", label], className="h6")] + body,
                className="sy-since-block",
                id=block_id,
            )
        )
    return [
        html.P(when, id="home-since-when", **{"data-since": since.isoformat()}),
        html.Ul(counts, className="sy-since-counts", id="home-since-counts"),
        html.Div(lists, className="sy-since-blocks"),
    ]


@viewcache.fresh_piece("home-since")
def since_section():
    """What has changed since the last meeting, for this reader, now: the ops store changes without
    a new snapshot (a meeting, a directive). When the store fails, a line that says so (the rest of
    the page stands)."""
    lang = current_lang()
    if not db.available():
        return html.P(TEXT[lang]["empty"], className="sy-meta")
    kpis = db.query("cockpit/kpi_names")  # only the KPIs this reader may read
    names = {r.kpi_code: ck.name(r, lang) for r in kpis.itertuples()}
    try:
        got = meeting.since_last_meeting(ops.engine(), settings.today(), names, settings.province)
    except Exception:  # a line that says so rather than a broken overview
        logging.getLogger("sanyan.home").exception("since the last meeting could not be read")
        return html.P(TEXT[lang]["since_unread"], className="sy-meta", id="home-since-unread")
    return since_view(got, names, lang)


@viewcache.fresh_piece("home-updating")
def updating_notice():
    """The notice while an approved change is not yet in the snapshot (ops.build_requests: wanted
    and not done); nothing otherwise. A fresh piece: the want comes and goes without the cached
    page changing."""
    try:
        wanted = ops.builds_wanted(ops.engine())
    except Exception:  # noqa: BLE001 - no notice rather than a broken overview
        return None
    if not wanted:
        return None
    return dbc.Alert(TEXT[current_lang()]["updating"], color="info", id="home-updating", className="sy-meta")
