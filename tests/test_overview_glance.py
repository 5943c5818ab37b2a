"""Issue 19, item 5, the overview at a glance (no browser): the small trend on each KPI row
(components/spark.py: an SVG picture with its words), the agreement score's path, and "since the
last meeting" (ops/meeting.since_last_meeting on a real ops store, SQLite and PostgreSQL), and the
overview (pages/home.py) drawing them from the demo warehouse with one query for every trend."""

from __future__ import annotations

import base64
import itertools
import re
from datetime import UTC, date, datetime

import duckdb
import pytest

from components import spark
from tests.conftest import walk


def svg_of(img) -> str:
    src = img.to_plotly_json()["props"]["src"]
    assert src.startswith("data:image/svg+xml;base64,")
    return base64.b64decode(src.split(",", 1)[1]).decode()


# ---------------------------------------------------------------- the pictures
def test_points_place_months_across_the_year_and_values_up_the_height():
    pts = spark.points([1, 2, 12], [0, None, 10], lo=0, hi=10, width=100, height=30, pad=5)
    assert pts[0] == (5, 25)  # October at the left, the lowest value at the bottom
    assert pts[1] is None  # a month without a value
    assert pts[2] == (95, 5)  # September at the right, the highest at the top
    half = spark.points([6], [5], 0, 10, 100, 30, 5)[0]
    assert half == (pytest.approx(5 + 5 * 90 / 11, abs=0.01), 15)


def test_a_path_breaks_where_a_month_is_missing():
    assert spark.path_d([(1, 2), (3, 4), None, (5, 6), (7, 8)]) == "M1 2 L3 4 M5 6 L7 8"
    assert spark.path_d([None, None]) == ""


def test_a_kpi_trend_draws_actual_against_expected_and_says_it_in_words():
    img = spark.kpi_trend([1, 2], [45, 61.5], [30, 60], "th", unit="ไร่")
    props = img.to_plotly_json()["props"]
    assert props["alt"] == "ผลสะสม 61.50 จากที่ควรได้ 60 ไร่ (ต.ค.–พ.ย.)"
    assert "sy-spark" in props["className"]
    svg = svg_of(img)
    paths = re.findall(r'<path d="([^"]*)"[^>]*>', svg)
    assert len(paths) == 2  # expected (dashed), then actual
    assert 'stroke-dasharray="3 2"' in re.findall(r"<path [^>]*>", svg)[0]
    assert "stroke-dasharray" not in re.findall(r"<path [^>]*>", svg)[1]
    assert paths[1].startswith("M3 ") and " L" in paths[1]  # October to November
    assert "<circle" in svg and "#" not in props["src"]  # the latest month marked; a data: URI, encoded

    en = spark.kpi_trend([1, 2], [45, 61.5], [30, 60], "en").to_plotly_json()["props"]["alt"]
    assert en == "to date 61.50 of an expected 60 (Oct–Nov)"


@pytest.mark.parametrize(
    ("aggregation", "direction", "said"),
    [
        ("sum", "lower", "ผลสะสม 12 เทียบแผน 10"),
        ("mean", "higher", "ค่าเฉลี่ยถึงปัจจุบัน 12 เทียบแผน 10"),
        ("last", "higher", "ค่าล่าสุด 12 เทียบแผน 10"),
    ],
)
def test_trend_words_follow_how_the_kpi_adds_up(aggregation, direction, said):
    assert spark.trend_words([1, 2, 3], [8, None, 12], [9, 9.5, 10], "th", None, aggregation, direction) == (
        f"{said} (ต.ค.–ธ.ค.)"
    )


def test_a_trend_without_values_is_not_drawn_and_one_without_a_plan_says_so():
    assert spark.kpi_trend([1, 2], [None, float("nan")], [1, 2], "th") is None
    alt = spark.trend_words([1], [5], [None], "th")
    assert alt == "ผลสะสม 5 (ไม่มีค่าตามแผน) (ต.ค.)"
    img = spark.kpi_trend([1, 2], [7, 7], [7, 7], "th", aggregation="mean")  # flat: still a picture
    assert "NaN" not in svg_of(img) and "inf" not in svg_of(img)


def test_the_agreement_path_is_a_step_line_with_its_numbers_in_words():
    idxs, scores = [1, 2, 3, 6], [3.2272, 1.9935, None, 4.5]
    img = spark.agreement_path(2570, idxs, scores, "th", id="p")
    alt = img.to_plotly_json()["props"]["alt"]
    assert alt == "เส้นทางคะแนนคำรับรอง ปีงบประมาณ 2570: ต.ค. 3.2272 ถึง มี.ค. 4.5000 (3 เดือน)"
    svg = svg_of(img)
    line = re.findall(r'<path d="([^"]*)"', svg)[-1]
    xs_ys = [tuple(map(float, m)) for m in re.findall(r"[ML]([\d.]+) ([\d.]+)", line)]
    # a step: October's score holds until November, where it drops (same x, lower on the picture)
    assert xs_ys[1][1] == xs_ys[0][1] and xs_ys[2][0] == xs_ys[1][0] and xs_ys[2][1] > xs_ys[1][1]
    assert line.count("M") == 2  # December has no score: the line breaks there
    assert svg.count("<line ") == 3  # the 6, 9 and 12-month rounds
    assert spark.agreement_path(2570, [1], [None], "th") is None
    items = spark.path_list(idxs, scores, "en").children
    texts = ["".join(c if isinstance(c, str) else c.children for c in li.children) for li in items]
    assert texts == ["Oct 3.2272", "Nov 1.9935", "Mar 4.5000 (6-month round)"]
    assert spark.path_words(2570, [2], [3.5], "en") == "Agreement score, FY 2570: Nov 3.5000 (1 month)"


def text_of(c) -> str:
    """A component's words, as a reader gets them (hidden words for screen readers too)."""
    if isinstance(c, (str, int, float)):
        return str(c)
    if isinstance(c, (list, tuple)):
        return "".join(text_of(k) for k in c)
    return text_of(getattr(c, "children", None) or "")


def test_a_trend_of_one_month_is_one_point_in_words_not_an_empty_box():
    """Issue 26: in a year's first month a trend has one value; it is said as one point (a dot and
    the figure in words, "one month so far"), never a year-wide picture with a dot in its corner."""
    one = spark.kpi_trend([1], [45], [60], "th", unit="ไร่")
    assert type(one).__name__ == "Span" and not [c for c in walk(one) if type(c).__name__ in ("Img", "Svg")]
    got = props(one)
    assert got["data-points"] == "1" and "src" not in got and "sy-spark-one" in got["className"].split()
    said = text_of(one)
    assert "ผลสะสม 45 จากที่ควรได้ 60 ไร่ (ต.ค.)" in said and "มีข้อมูลเดือนเดียว" in said, said
    assert said.count("●") == 1  # the one point
    # one value among months without one is one point too; a month later with a value is a line
    assert (
        props(spark.kpi_trend([1, 2, 3], [None, 12, None], [5, 10, 15], "en", aggregation="mean"))["data-points"] == "1"
    )
    assert "one month so far" in text_of(spark.kpi_trend([1], [12], [10], "en"))
    two = spark.kpi_trend([1, 2], [45, 61.5], [30, 60], "th")
    assert type(two).__name__ == "Img" and props(two)["data-points"] == "many"
    # sample rows: the trend says so in its words (the picture's alt, the one point's hidden words)
    assert props(spark.kpi_trend([1, 2], [45, 61.5], [30, 60], "th", sample=True))["alt"].endswith("ข้อมูลตัวอย่าง")
    hidden = [
        c
        for c in walk(spark.kpi_trend([1], [45], [60], "th", sample=True))
        if "visually-hidden" in str(getattr(c, "className", ""))
    ]
    assert hidden and "ข้อมูลตัวอย่าง" in text_of(hidden)


# ---------------------------------------------------------------- since the last meeting
TODAY = date(2026, 11, 24)


@pytest.fixture
def store(ops_url):
    import ops

    eng = ops.engine(ops_url)
    yield eng
    ops.dispose(ops_url)


SERIAL = itertools.count(1)


def add_event(eng, kind, kpi, when, area="86", status=None):
    import ops

    with eng.begin() as con:
        con.execute(
            ops.event_rows.insert().values(
                event_key=f"{kind}:{kpi}:{area}:{next(SERIAL)}",
                kind=kind,
                kpi_code=kpi,
                area_code=area,
                fiscal_year=2570,
                month=11,
                old_status="green" if kind == "turned_red" else "red",
                status=status or ("red" if kind == "turned_red" else "green"),
                snapshot="t",
                created_at=when,
            )
        )


def add_directive(eng, kpi, when):
    import ops

    with eng.begin() as con:
        con.execute(
            ops.directives.insert().values(
                kpi_code=kpi,
                fiscal_year=2570,
                month=11,
                text=f"เร่งรัด {kpi}",
                unit="หน่วย",
                due_date=date(2026, 12, 31),
                status="open",
                version=1,
                created_by="boss",
                created_at=when,
            )
        )


def utc(day, hour, minute=0):
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def test_without_a_meeting_the_count_starts_on_the_first_day_of_the_fiscal_year(store):
    from ops import meeting
    from ops.workflow import Actor

    add_event(store, "turned_red", "K01", datetime(2026, 9, 30, 12, tzinfo=UTC))  # FY 2569's last day
    add_event(store, "turned_red", "K02", datetime(2026, 10, 2, tzinfo=UTC))
    meeting.create_agenda(store, Actor("boss", "executive"), "ครั้งหน้า", date(2026, 11, 30))  # still to come
    got = meeting.since_last_meeting(store, TODAY, {"K01", "K02"}, "86")
    assert got["meeting"] is None and got["since"] == date(2026, 10, 1)
    assert [e["kpi_code"] for e in got["red"]] == ["K02"]


def test_since_the_last_meeting_only_what_the_reader_may_read_at_the_province(store):
    from ops import meeting
    from ops.workflow import Actor

    boss = Actor("boss", "executive")
    meeting.create_agenda(store, boss, "ครั้งที่ 10/2569", date(2026, 10, 20))
    last = meeting.create_agenda(store, boss, "ครั้งที่ 11/2569", date(2026, 11, 20))
    meeting.create_agenda(store, boss, "ครั้งที่ 12/2569", date(2026, 12, 18))  # after today
    add_event(store, "turned_red", "K01", utc(19, 17, 30))  # 00:30 on the 20th in Thailand: counts
    add_event(store, "turned_red", "K02", utc(19, 16, 30))  # 23:30 on the 19th in Thailand: before
    add_event(store, "turned_red", "K03", utc(21, 3))
    add_event(store, "recovered", "K03", utc(22, 3))  # turned red, then recovered: recovered only
    add_event(store, "recovered", "K05", utc(21, 4), status="yellow")
    add_event(store, "turned_red", "K06", utc(21, 3), area="8604")  # a district's
    add_event(store, "turned_red", "K40", utc(21, 3))  # a KPI the reader may not read
    add_event(store, "late", "K07", utc(21, 3), status="late")  # another kind
    add_directive(store, "K01", utc(18, 3))  # before the meeting
    add_directive(store, "K01", utc(21, 3))
    add_directive(store, "K05", utc(23, 3))
    add_directive(store, "K40", utc(21, 3))  # not readable

    readable = {"K01", "K02", "K03", "K05", "K06", "K07"}
    got = meeting.since_last_meeting(store, TODAY, readable, "86")
    assert got["meeting"]["agenda_id"] == last and got["meeting"]["title"] == "ครั้งที่ 11/2569"
    assert got["since"] == date(2026, 11, 20)
    assert [e["kpi_code"] for e in got["red"]] == ["K01"]
    assert [e["kpi_code"] for e in got["recovered"]] == ["K03", "K05"]  # newest first
    assert [(d["kpi_code"], d["text"]) for d in got["directives"]] == [("K05", "เร่งรัด K05"), ("K01", "เร่งรัด K01")]
    everything = meeting.since_last_meeting(store, TODAY, readable | {"K40"}, "86")
    assert {e["kpi_code"] for e in everything["red"]} == {"K01", "K40"} and len(everything["directives"]) == 3
    # on the meeting's own day the meeting counts as the last one
    assert meeting.since_last_meeting(store, date(2026, 11, 20), readable, "86")["since"] == date(2026, 11, 20)
    assert meeting.since_last_meeting(store, date(2026, 11, 19), readable, "86")["since"] == date(2026, 10, 20)


# ---------------------------------------------------------------- the overview, rendered
@pytest.fixture(scope="module")
def app_module(built_warehouse):
    mp = pytest.MonkeyPatch()
    mp.setenv("SANYAN_WAREHOUSE", str(built_warehouse))
    import app

    yield app
    mp.undo()


def render(app_module, lang="th", **params):
    from flask_login import login_user

    from pages import home
    from web import auth

    with app_module.server.test_request_context("/", headers={"Cookie": f"sanyan_lang={lang}"}):
        login_user(auth.User(0, "tester", "executive", None, None))
        return home.layout(**params)


def props(c) -> dict:
    return c.to_plotly_json()["props"]


def test_the_overview_puts_a_trend_on_every_listed_kpi_from_one_query(app_module, built_warehouse, monkeypatch):
    import db

    ran = []
    real = db.query
    monkeypatch.setattr(db, "query", lambda name, **p: ran.append(name) or real(name, **p))
    page = render(app_module, fy="2569", round="12")
    assert ran.count("cockpit/kpi_trends") == 1
    assert not [c for c in walk(page) if type(c).__name__ == "Graph"]  # no plotly chart per row
    con = duckdb.connect(str(built_warehouse), read_only=True)
    try:
        want = {
            k: (a, e)
            for k, a, e in con.execute(
                "SELECT kpi_code, value_to_date, expected_to_date FROM fct_kpi_status WHERE fiscal_year = 2569 "
                "AND fiscal_idx = 12 AND area_code = '86' AND status = 'red'"
            ).fetchall()
        }
    finally:
        con.close()
    red = next(c for c in walk(page) if getattr(c, "id", None) == "home-red-list")
    assert want and {props(li)["data-kpi"] for li in red.children} == set(want)
    for li in red.children:
        code = props(li)["data-kpi"]
        pics = [c for c in walk(li) if "sy-spark" in str(getattr(c, "className", "")).split()]
        assert len(pics) == 1, code
        alt = props(pics[0])["alt"]
        actual, expected = want[code]
        assert spark.number(actual, "th") in alt and spark.number(expected, "th") in alt, (code, alt)
        assert "(ต.ค.–ก.ย.)" in alt, alt  # October to September: the whole year
        assert alt.endswith("· ⚠ ข้อมูลตัวอย่าง"), alt  # a chart of sample rows says so (issue 26)
        assert [c for c in walk(li) if "sy-status" in str(getattr(c, "className", ""))]  # the light stays
    path = next(c for c in walk(page) if getattr(c, "id", None) == "home-agreement-path")
    assert "ปีงบประมาณ 2569" in props(path)["alt"]
    listed = next(c for c in walk(page) if getattr(c, "id", None) == "home-agreement-path-list")
    assert len(listed.children) == 12
    assert any(getattr(c, "id", None) == "home-since-when" for c in walk(page))  # in the page itself
    english = render(app_module, "en", fy="2569", round="12")
    alts = [props(c)["alt"] for c in walk(english) if "sy-spark" in str(getattr(c, "className", "")).split()]
    assert alts and all("(Oct–Sep)" in a for a in alts if not a.startswith("Agreement")), alts


def test_the_since_section_reads_the_ops_store_per_request(app_module, tmp_path, monkeypatch):
    import ops
    from ops import meeting
    from ops.workflow import Actor
    from pages import home
    from web import auth

    url = f"sqlite:///{tmp_path / 'ops.sqlite'}"
    monkeypatch.setenv("SANYAN_OPS_URL", url)
    monkeypatch.setenv("SANYAN_AS_OF", TODAY.isoformat())
    eng = ops.engine(url)

    def since(lang="th", role="executive"):
        from flask_login import login_user

        with app_module.server.test_request_context("/", headers={"Cookie": f"sanyan_lang={lang}"}):
            login_user(auth.User(0, "tester", role, None, None))
            return html_of(home.since_section())

    def html_of(children) -> dict:
        return {getattr(c, "id", None): c for kid in children for c in walk(kid) if getattr(c, "id", None)}

    first = since()
    assert "ยังไม่มีการประชุม" in first["home-since-when"].children and "1 ตุลาคม 2569" in first["home-since-when"].children
    assert props(first["home-since-red-count"])["data-count"] == "0" and "home-since-red-none" in first

    meeting.create_agenda(eng, Actor("boss", "executive"), "ครั้งที่ 11/2569", date(2026, 11, 20))
    add_event(eng, "turned_red", "K01", utc(21, 3))
    add_event(eng, "turned_red", "K40", utc(21, 3))  # secret
    add_directive(eng, "K05", utc(22, 3))
    now = since()  # no new snapshot: the store is read again
    assert "ครั้งที่ 11/2569" in now["home-since-when"].children and "20 พฤศจิกายน 2569" in now["home-since-when"].children
    assert props(now["home-since-red-count"])["data-count"] == "2"
    links = [props(c)["href"] for c in walk(now["home-since-red-list"]) if type(c).__name__ == "Link"]
    assert sorted(links) == ["/kpi/K01?fy=2570", "/kpi/K40?fy=2570"]
    assert props(now["home-since-directives-count"])["data-count"] == "1"
    viewer = since(role="viewer")
    assert props(viewer["home-since-red-count"])["data-count"] == "1"  # K40 is secret
    english = since("en")
    assert english["home-since-when"].children.startswith("Last meeting: ")
    ops.dispose(url)


# ---------------------------------------------------------------- the first screen (issue 26)
def test_the_first_screen_says_why_each_kpi_is_red_from_its_own_figures(app_module, built_warehouse):
    """The default round (FY 2570, October: the year's first month): every red row says why in
    words taken from the data (its criteria's red line; its projection when it is projected to
    miss; late reports), its trend is one point; the agreement path comes after the red list."""
    page = render(app_module)
    con = duckdb.connect(str(built_warehouse), read_only=True)
    try:
        want = {
            k: (line, miss, projected)
            for k, line, miss, projected in con.execute(
                "SELECT s.kpi_code, c.red_below, coalesce(p.projected_miss, false), p.projected FROM fct_kpi_status s "
                "LEFT JOIN dim_kpi_criteria c ON c.kpi_code = s.kpi_code AND c.fiscal_year = s.fiscal_year "
                "LEFT JOIN fct_kpi_projection p ON p.kpi_code = s.kpi_code AND p.fiscal_year = s.fiscal_year "
                "AND p.fiscal_idx = s.fiscal_idx AND p.area_code = s.area_code "
                "WHERE s.fiscal_year = 2570 AND s.fiscal_idx = 1 AND s.area_code = '86' AND s.status = 'red'"
            ).fetchall()
        }
    finally:
        con.close()
    red = next(c for c in walk(page) if getattr(c, "id", None) == "home-red-list")
    assert want and {props(li)["data-kpi"] for li in red.children} == set(want)
    from components import thai

    for li in red.children:
        code = props(li)["data-kpi"]
        line, miss, projected = want[code]
        [why] = [c for c in walk(li) if "sy-why" in str(getattr(c, "className", "")).split()]
        said, kinds = text_of(why), props(why)["data-reasons"].split()
        assert "red" in kinds and f"ต่ำกว่าเส้นสีแดง {thai.format_number(line, 4, 'th')}" in said, said
        assert ("miss" in kinds) == bool(miss)
        if miss:
            assert thai.format_number(projected, 2, "th") in said, said
        [trend] = [c for c in walk(li) if "sy-spark" in str(getattr(c, "className", "")).split()]
        assert props(trend)["data-points"] == "1", code  # October alone: one point, in words
    ids = [getattr(c, "id", None) for c in walk(page)]
    assert ids.index("home-red-list") < ids.index("home-agreement-path-figure")
    assert ids.index("home-agreement-score") < ids.index("home-counts") < ids.index("home-red-list")
    assert ids.index("home-red-list") < ids.index("home-since-section")
    english = render(app_module, "en")
    whys = [text_of(c) for c in walk(english) if "sy-why" in str(getattr(c, "className", "")).split()]
    assert whys and all(w.startswith("Why:") and "red line" in w for w in whys[: len(want)]), whys


@pytest.mark.parametrize("params", [{}, {"fy": "2569", "round": "12"}], ids=["default", "2569-12"])
def test_the_overview_has_one_sample_notice_not_a_badge_per_block(app_module, params):
    """One sample notice for the page (issue 26), not the badge on every block; the agreement
    path, a chart, still says it is sample in its caption."""
    page = render(app_module, **params)
    classes = [str(getattr(c, "className", "") or "").split() for c in walk(page)]
    assert sum("sy-sample-note" in c for c in classes) == 1
    assert sum("prov-sample" in c for c in classes) == 1  # the badge, in the notice only
    [note] = [c for c in walk(page) if getattr(c, "id", None) == "home-sample-note"]
    assert "ข้อมูลตัวอย่าง" in text_of(note)
    [figure] = [c for c in walk(page) if getattr(c, "id", None) == "home-agreement-path-figure"]
    [caption] = [c for c in walk(figure) if type(c).__name__ == "Figcaption"]
    assert "⚠ ข้อมูลตัวอย่าง" in text_of(caption)
