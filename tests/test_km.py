"""The KM plan (ops/km.py, IT7 / RM 4.5): the score on a hand-computed plan, the 60/70/80/90/100
band (equal to the marts' kpi_score macro), the 80 % coverage, the IT7 checklist, weights and
targets checked before storing, progress with Thai digits and stale versions, who may write (a
refusal is audited, and /km's callbacks answer 403), and the sample plan."""

from __future__ import annotations

import duckdb
import pytest

import ops
from ops import km
from ops.km import Actor, Conflict, EntryError, Forbidden
from tests.conftest import ROOT, login

EDITOR = Actor("ed", "editor")
ADMIN = Actor("root", "admin")
ISSUES = ["S1", "S2", "S3"]


@pytest.fixture()
def eng(ops_url):
    return ops.engine(ops_url)


def _body(weight, issue, *acts):
    return {
        "name_th": f"b{weight}",
        "issue_code": issue,
        "weight": weight,
        "activities": [{"target": t, "achieved": x, "weight": w} for t, x, w in acts],
    }


# Hand-computed plan (weights in %):
#   body A, w 50: (target 10, achieved 10, w 40) → 100 %; (4, 3, w 60) → 75 %
#                 a_A = (40·100 + 60·75) / 100 = 85
#   body B, w 30: (20, 18, w 50) → 90 %; (5, 7, w 50) → 140 % capped at 100 %
#                 a_B = (50·90 + 50·100) / 100 = 95
#   body C, w 20: (8, 4, w 100) → 50 %                              a_C = 50
#   overall = (50·85 + 30·95 + 20·50) / 100 = (4250 + 2850 + 1000) / 100 = 81.0 %
#   RM 4.5 = 3 + (81 − 80) / (90 − 80) = 3.1
#   ≥ 80 %: 100, 90, 100 yes; 75, 50 no → 3 of 5 = 60 %
PLAN = [
    _body(50, "S1", (10, 10, 40), (4, 3, 60)),
    _body(30, "S2", (20, 18, 50), (5, 7, 50)),
    _body(20, "S3", (8, 4, 100)),
]


def test_rm45_on_a_hand_computed_plan():
    s = km.score(PLAN)
    assert [round(b["pct"], 6) for b in s["bodies"]] == [85.0, 95.0, 50.0]
    assert s["overall"] == pytest.approx(81.0)
    assert s["score"] == 3.1
    assert (s["reached"], s["activities"], s["coverage"]) == (3, 5, 60.0)
    assert [a["pct"] for a in s["bodies"][1]["activities"]] == [90.0, 100.0]


def test_the_same_plan_through_the_store(eng):
    for i, b in enumerate(PLAN):
        bid = km.add_body(eng, EDITOR, 2570, b["issue_code"], f"องค์ความรู้ {i}", str(b["weight"]), issues=ISSUES)
        for j, a in enumerate(b["activities"]):
            aid = km.add_activity(eng, EDITOR, bid, "share", f"กิจกรรม {j}", a["target"], a["weight"], unit="ครั้ง")
            km.record_progress(eng, EDITOR, aid, str(a["achieved"]), 1)
    got = km.score(km.plan(eng, 2570))
    assert got["score"] == 3.1 and got["coverage"] == 60.0
    assert km.plan(eng, 2569) == [] and km.score([])["overall"] is None and km.score([])["score"] is None


@pytest.mark.parametrize(
    "pct, score",
    [(60, 1.0), (100, 5.0), (85, 3.5), (50, 1.0), (0, 1.0), (120, 5.0), (61.23456, 1.1235), (90, 4.0), (None, None)],
)
def test_band_edges(pct, score):
    assert km.rm45_score(pct) == score


def test_band_equals_the_marts_macro():
    con = duckdb.connect()
    con.execute((ROOT / "etl" / "sql" / "marts" / "_macros.sql").read_text(encoding="utf-8"))
    xs = [x / 8 for x in range(0, 1000)] + [59.99995, 60.00005, 79.99994, 80.00006, 99.99999]
    got = dict(
        con.execute("SELECT x, kpi_score(x, 60, 70, 80, 90, 100) FROM (SELECT unnest($xs) AS x)", {"xs": xs}).fetchall()
    )
    assert got == {x: km.rm45_score(x) for x in xs}
    for t in [(50, 40, 30, 20, 10), (10, 20, 20, 40, 50)]:  # lower is better; equal criteria
        for x in (5, 20, 25, 35, 55):
            assert con.execute("SELECT kpi_score($x, $a, $b, $c, $d, $e)", dict(zip("xabcde", (x, *t)))).fetchone()[
                0
            ] == km.kpi_score(x, *t)


@pytest.mark.parametrize(
    "achieved, target, reached", [(8, 10, True), (7.99, 10, False), (12, 10, True), (0, 10, False), (0.8, 1, True)]
)
def test_coverage_at_80_percent(achieved, target, reached):
    s = km.score([_body(100, "S1", (target, achieved, 100))])
    assert s["bodies"][0]["activities"][0]["reached"] is reached
    assert s["coverage"] == (100.0 if reached else 0.0)


def test_it7_checklist_failures_and_a_passing_plan():
    bad = [_body(60, "S1", (10, 10, 70)), _body(30, "S2", (10, 5, 100))]
    checks = {c["key"]: c for c in km.checklist(ISSUES, bad)}
    assert not any(c["ok"] for c in checks.values())
    assert checks["issues"]["missing"] == ["S3"]
    assert checks["bodies"]["n"] == 2
    assert checks["body_weights"]["sum"] == 90
    assert checks["activity_weights"]["off"] == ["b60"]
    assert (checks["reached"]["n"], checks["reached"]["of"]) == (1, 2)
    assert not {c["key"]: c["ok"] for c in km.checklist([], [])}["issues"]  # no issues: nothing to pass
    good = [_body(40, "S1", (10, 10, 50), (4, 4, 50)), _body(35, "S2", (10, 9, 100)), _body(25, "S3", (2, 2, 100))]
    assert all(c["ok"] for c in km.checklist(ISSUES, good))


def test_weights_targets_and_names_are_checked(eng):
    b1 = km.add_body(eng, EDITOR, 2570, "S1", "ก", "60", issues=ISSUES)
    for weight in ("50", "0", "-5", "x", ""):
        with pytest.raises(EntryError) as e:
            km.add_body(eng, EDITOR, 2570, "S2", "ข", weight, issues=ISSUES)
        assert e.value.field == "weight" and e.value.th and e.value.en
    with pytest.raises(EntryError) as e:
        km.add_body(eng, EDITOR, 2570, "S2", "ข", "50", issues=ISSUES)
    assert "เหลือ 40" in e.value.th and "40 left" in e.value.en
    with pytest.raises(EntryError) as e:
        km.add_body(eng, EDITOR, 2570, "S9", "ข", "10", issues=ISSUES)
    assert e.value.field == "issue"
    with pytest.raises(EntryError) as e:
        km.add_body(eng, EDITOR, 2570, "S2", "ก", "10", issues=ISSUES)  # same name, same year
    assert e.value.field == "name"
    assert km.add_body(eng, EDITOR, 2569, "S2", "ก", "100", issues=ISSUES)  # another year is its own 100
    km.add_activity(eng, EDITOR, b1, "identify", "ค", "๑๐", "๗๐")
    for step, target, weight, field in [
        ("nope", "1", "10", "step"),
        ("share", "0", "10", "target"),
        ("share", "1", "31", "weight"),
        ("share", "", "10", "target"),
    ]:
        with pytest.raises(EntryError) as e:
            km.add_activity(eng, EDITOR, b1, step, "ง", target, weight)
        assert e.value.field == field
    with pytest.raises(EntryError) as e:
        km.add_activity(eng, EDITOR, 999, "share", "ง", "1", "10")
    assert e.value.field == "body"
    assert km.plan(eng, 2570)[0]["activities"][0]["target"] == 10.0


@pytest.fixture()
def one(eng):
    bid = km.add_body(eng, EDITOR, 2570, "S1", "ก", "100")
    return km.add_activity(eng, EDITOR, bid, "create", "ข", "20", "100", unit="ราย")


@pytest.mark.parametrize(
    "text, value", [("๑๒.๕", 12.5), ("1,234", 1234.0), (" 7 ", 7.0), ("abc", None), ("-1", None), ("", None)]
)
def test_progress_accepts_thai_digits(eng, one, text, value):
    if value is None:
        with pytest.raises(EntryError) as e:
            km.record_progress(eng, EDITOR, one, text, 1)
        assert e.value.field == "achieved"
        assert km.activity(eng, one)["version"] == 1
    else:
        row = km.record_progress(eng, EDITOR, one, text, 1)
        assert (row["achieved"], row["version"], row["updated_by"]) == (value, 2, "ed")


def test_progress_on_a_stale_version_conflicts(eng, one):
    km.record_progress(eng, EDITOR, one, "5", 1)
    with pytest.raises(Conflict) as e:
        km.record_progress(eng, ADMIN, one, "9", 1)  # filled from version 1, saved in between
    assert "ed" in e.value.th and "5" in e.value.en
    row = km.activity(eng, one)
    assert (row["achieved"], row["version"]) == (5.0, 2)
    progress = [r for r in ops.audit_rows(eng) if r["action"] == "km.progress"]
    assert (
        len(progress) == 1 and '"achieved": 0.0' in progress[0]["before"] and '"achieved": 5.0' in progress[0]["after"]
    )
    assert km.record_progress(eng, ADMIN, one, "9", 2)["version"] == 3


@pytest.mark.parametrize("role", ["viewer", "executive", "verifier", "public"])
def test_readers_are_refused_and_audited(eng, one, role):
    who = Actor("someone", role)
    assert not km.may_edit(who)
    with pytest.raises(Forbidden):
        km.record_progress(eng, who, one, "5", 1)
    with pytest.raises(Forbidden):
        km.add_body(eng, who, 2570, "S2", "x", "10")
    with pytest.raises(Forbidden):
        km.add_activity(eng, who, 1, "share", "x", "1", "1")
    refused = [(r["who"], r["action"], r["outcome"]) for r in ops.audit_rows(eng) if r["outcome"] == "refused"]
    assert refused == [
        ("someone", "km.progress", "refused"),
        ("someone", "km.body.add", "refused"),
        ("someone", "km.activity.add", "refused"),
    ]
    assert km.activity(eng, one)["achieved"] == 0.0


def test_sample_plan(eng):
    assert km.seed_sample(eng, 2570, ISSUES) == 4
    assert km.seed_sample(eng, 2570, ISSUES) == 0  # only into an empty store
    plan = km.plan(eng, 2570)
    assert len(plan) == 4 and all(b["provenance"] == "sample" for b in plan)
    assert all(
        b["name_th"].startswith("ตัวอย่าง: ") and all(a["name_th"].startswith("ตัวอย่าง: ") for a in b["activities"])
        for b in plan
    )
    assert all(3 <= len(b["activities"]) <= 4 for b in plan)
    checks = {c["key"]: c["ok"] for c in km.checklist(ISSUES, plan)}
    assert checks == {"issues": True, "bodies": True, "body_weights": True, "activity_weights": True, "reached": False}
    s = km.score(plan)
    # bodies 81.5, 90, 92, 56.6667 % with weights 30/25/25/20 → 81.2833 % → 3.1283
    assert round(s["overall"], 4) == 81.2833 and s["score"] == 3.1283


# ---------------------------------------------------------------- /km's callbacks re-check the role
@pytest.fixture(scope="module")
def web(built_warehouse, tmp_path_factory):
    mp = pytest.MonkeyPatch()
    home = tmp_path_factory.mktemp("km")
    mp.setenv("SANYAN_WAREHOUSE", str(built_warehouse))
    mp.setenv("SANYAN_OPS_URL", f"sqlite:///{home / 'ops.sqlite'}")
    import app
    from web import auth

    eng = ops.engine()
    for r in ("editor", "viewer"):
        auth.add_user(eng, f"km_{r}", "correct horse battery staple", r)
    km.seed_sample(eng, 2570, ISSUES)
    yield app, eng
    mp.undo()


def _client(app, role):
    c = app.server.test_client()
    assert login(c, f"km_{role}", "correct horse battery staple").status_code == 302
    return c


@pytest.mark.parametrize("role, status", [("editor", 200), ("viewer", 403)])
def test_progress_callback_checks_the_role(web, role, status):
    app, eng = web
    c = _client(app, role)
    c.get("/_dash-dependencies")
    output = next(o for o in app.app.callback_map if "km-progress-msg" in o)
    version = km.activity(eng, 1)["version"]
    body = {
        "output": output,
        "outputs": [{"id": "km-progress-msg", "property": "children"}, {"id": "km-tick", "property": "data"}],
        "inputs": [{"id": "km-progress-save", "property": "n_clicks", "value": 1}],
        "state": [
            {"id": "km-progress-activity", "property": "value", "value": "1"},
            {"id": "km-progress-value", "property": "value", "value": "๑"},
            {"id": "km-progress-version", "property": "data", "value": version},
            {"id": "km-tick", "property": "data", "value": 0},
        ],
        "changedPropIds": ["km-progress-save.n_clicks"],
    }
    r = c.post("/_dash-update-component", json=body, headers={"Origin": "http://localhost"})
    assert r.status_code == status, r.get_data(as_text=True)[:500]
    row = km.activity(eng, 1)
    if status == 200:
        assert "km-progress-ok" in r.get_data(as_text=True) and row["version"] == version + 1
        assert row["achieved"] == 1.0
    else:
        assert row["version"] == version
        assert ops.audit_rows(eng)[-1]["outcome"] == "refused"


def test_page_renders_the_sample_plan(web):
    app, _eng = web
    from pages import km as page

    with app.server.test_request_context("/km"):
        summary, mark, acts, act, bodies, body = page._plan("2570", 0, None, None)
    text = repr(summary) + repr(mark)
    assert "ข้อมูลตัวอย่าง" in text or "sample" in text
    assert "km-checklist" in text and "km-score" in text
    assert len(acts) == 13 and act == acts[0]["value"] and len(bodies) == 4 and body == "1"
