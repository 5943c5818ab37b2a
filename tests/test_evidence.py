"""The PMQA Category 4 evidence pack (reports/evidence.py, issue 9): a section per IT item whose figures
equal the app's own (the same queries and functions, called here directly), the .xlsx holding the
same numbers on one sheet per item, the PDF (Chromium) with every item, the command line, and no
secret KPI named anywhere."""

from __future__ import annotations

import argparse
import csv
import io
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import ROOT

ITEMS = [f"IT{i}" for i in range(1, 8)]
TODAY = date.today()
EXEC = ("gov", "executive")
# Three survey answers (1-5): web_find, web_ease, web_current | oia_complete, oia_request, oia_timely
ANSWERS = [(5, 4, 3, 2, 3, 4), (4, 4, 4, 5, 5, 5), (1, 2, 3, 4, 4, 4)]
# RM 4.2 scores: 5 4 3 4 4 4 1 2 3 -> 30 / 9 = 3.333 -> 66.7 %; scores >= 4: 5 of 9 -> 55.6 %
# RM 4.3 scores: 2 3 4 5 5 5 4 4 4 -> 36 / 9 = 4.0 -> 80.0 %; scores >= 4: 7 of 9 -> 77.8 %
RM42, RM42_SAT, RM43, RM43_SAT = 66.7, 55.6, 80.0, 77.8


def _secret_name() -> str:
    with open(ROOT / "data" / "sample" / "kpis.csv", encoding="utf-8-sig", newline="") as f:
        row = next(r for r in csv.DictReader(f) if r["kpi_code"] == "K40")
    assert row["classification"] == "secret"
    return row["name_th"]


def _chromium_or_skip() -> None:
    from web.exports import chromium_path

    path = chromium_path()
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium is required when CI=true (not found at {path})")
        pytest.skip(f"no Chromium at {path}")


def _own_thread(fn, *args, **kwargs):
    """Run ``fn`` on a thread of its own: Playwright's sync API refuses to start on a thread where
    another one runs (the browser tests' session browser, when a worker runs both kinds)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(fn, *args, **kwargs).result()


@pytest.fixture(scope="module")
def site(built_warehouse, tmp_path_factory):
    """The demo warehouse, an ops store of this module's own with a KM plan, a §9 register, three
    survey answers, two requests (one answered), two directives (one closed) and one backup made
    by the command line's own function into the default folder (backups/ beside data/)."""
    mp = pytest.MonkeyPatch()
    home = tmp_path_factory.mktemp("evidence")
    (home / "data").mkdir()
    mp.setenv("SANYAN_DATA_DIR", str(home / "data"))
    mp.setenv("SANYAN_WAREHOUSE", str(built_warehouse))
    mp.setenv("SANYAN_OPS_URL", f"sqlite:///{home / 'ops.sqlite'}")
    mp.setenv("SANYAN_USER", "evidence-test")
    import db
    import ops
    from etl.__main__ import cmd_backup
    from ops import km, meeting, portal
    from ops.entry import Actor
    from reports import evidence

    eng = ops.engine()
    fy = evidence.current_fy()
    issues = db.query("km/issues", fy=fy)
    assert km.seed_sample(eng, fy, list(issues["node_code"])) == 4  # as /km does on a fresh install
    assert portal.seed_sample(eng, TODAY) == 5  # as /open does
    for i, a in enumerate(ANSWERS):
        portal.send_survey(eng, f"sender-{i}", dict(zip(portal.QUESTIONS, a)))
    first = portal.send_request(eng, "req-1", name="ก", contact="a@example.org", subject="ขอข้อมูล", detail="รายละเอียด")
    portal.send_request(eng, "req-2", name="ข", contact="b@example.org", subject="ขอข้อมูล 2", detail="รายละเอียด")
    portal.answer_request(eng, Actor("root", "admin"), first, "ส่งให้แล้ว")
    gov = Actor(*EXEC)
    meeting.issue(eng, gov, "K01", fy, 10, "เร่งรัดการตรวจแปลง", "กลุ่มส่งเสริมและพัฒนาการผลิต", TODAY - timedelta(days=3))
    d2 = meeting.issue(eng, gov, "K40", fy, 10, "ติดตามโครงการ", "ฝ่ายบริหารทั่วไป", TODAY + timedelta(days=30))
    meeting.answer(eng, gov, d2, 1, "ดำเนินการแล้ว")
    meeting.close(eng, gov, d2, 2)
    assert cmd_backup(argparse.Namespace(output=str(home / "backups"), keep=None)) == 0
    yield {"home": home, "eng": eng, "fy": fy, "env": dict(os.environ)}
    mp.undo()


@pytest.fixture(scope="module")
def pack(site):
    from reports import evidence

    return evidence.collect(today=TODAY)


def _f(pack, section, key):
    from reports import evidence

    return evidence.figure(pack, section, key)["value"]


def test_a_section_per_item_each_with_figures_sources_and_dates(pack):
    assert list(pack["sections"]) == ITEMS
    for code, s in pack["sections"].items():
        assert s["th"] and s["figures"], code
        for f in s["figures"]:
            assert f["source"] and f["as_of"] is not None, (code, f["key"])
    assert pack["snapshot"]["version"] and pack["snapshot"]["as_of"] == date(2026, 11, 24)
    assert pack["fy"] == 2570 and pack["scope"] is None
    # the demo's KPIs are sample data, and say so; the survey is not
    assert pack["sample"] and evidence_fig(pack, "IT1", "coverage_pct")["sample"]
    assert not evidence_fig(pack, "IT4", "rm42_pct")["sample"]


def evidence_fig(pack, section, key):
    from reports import evidence

    return evidence.figure(pack, section, key)


def test_it1_to_it3_equal_the_quality_queries(pack, site):
    import db

    fy = site["fy"]
    rm = db.query("quality/rm41", fy=fy).iloc[0]
    assert _f(pack, "IT1", "rm41_index_pct") == pytest.approx(float(rm["index_pct"]))
    assert _f(pack, "IT1", "rm41_band") == pytest.approx(float(rm["band"]))
    summary = db.query("quality/summary")
    kpi = summary[(summary["database"] == "kpi") & (summary["fiscal_year"] == fy)].iloc[0]
    for col in ("coverage_pct", "accuracy_pct", "timeliness_pct", "passport_pct", "index_pct", "band", "required"):
        assert _f(pack, "IT1", col) == pytest.approx(float(kpi[col])), col
    assert _f(pack, "IT1", "overdue_reports") == len(db.query("quality/overdue", fy=fy, province="86"))
    for database, code in (("indicators", "IT2"), ("gpp", "IT3")):
        window = summary[(summary["database"] == database) & summary["fiscal_year"].isna()].iloc[0]
        for col in ("coverage_pct", "accuracy_pct", "timeliness_pct", "index_pct"):
            if pd.isna(window[col]):  # no figure to judge (no row in the window): none in the pack
                assert _f(pack, code, col) is None, (code, col)
            else:
                assert _f(pack, code, col) == pytest.approx(float(window[col])), (code, col)
    assert _f(pack, "IT2", "indicators") == db.query("indicators/catalogue")["indicator_code"].nunique()


def test_it4_equals_the_portal(pack, site):
    import ops
    from ops import portal

    eng = ops.engine()
    cur = portal.currency(portal.register(eng), TODAY)
    assert _f(pack, "IT4", "s9_share") == cur["share"] and _f(pack, "IT4", "s9_current") == cur["current"]
    assert evidence_fig(pack, "IT4", "s9_share")["sample"]  # the sample register says so
    table = next(t for t in pack["sections"]["IT4"]["tables"] if t["key"] == "s9")
    assert {r[0]: (r[3], r[4]) for r in table["rows"]} == {
        k: (v["items"], v["current"]) for k, v in cur["categories"].items()
    }
    assert _f(pack, "IT4", "survey_responses") == 3
    assert (_f(pack, "IT4", "rm42_pct"), _f(pack, "IT4", "rm42_satisfied")) == (RM42, RM42_SAT)
    assert (_f(pack, "IT4", "rm43_pct"), _f(pack, "IT4", "rm43_satisfied")) == (RM43, RM43_SAT)
    sv = portal.survey_results(eng)
    assert _f(pack, "IT4", "rm42_pct") == sv["rm42"]["pct"] and _f(pack, "IT4", "rm43_pct") == sv["rm43"]["pct"]
    assert (_f(pack, "IT4", "requests_received"), _f(pack, "IT4", "requests_answered")) == (2, 1)


def test_it5_equals_the_overview(pack, site):
    import db
    from components import cockpit as ck
    from components import thai
    from config import settings

    point = ck.resolve_point(db.query("cockpit/fiscal_years", area=settings.province), site["fy"], None)
    kpis = db.query("cockpit/kpi_status", fy=point.fy, idx=point.idx, area=settings.province)
    main = kpis[kpis["status"].notna()]
    counts = ck.status_counts(main)
    for k in ("red", "yellow", "green", "late"):
        assert _f(pack, "IT5", f"status_{k}") == counts[k], k
    assert _f(pack, "IT5", "projected_miss") == int(
        (main["projected_miss"].astype(bool) & (main["status"] != "red")).sum()
    )
    assert _f(pack, "IT5", "leading_warned") == int((main["leading_warnings"] > 0).sum())
    rounds = next(t for t in pack["sections"]["IT5"]["tables"] if t["key"] == "rounds")
    assert rounds["rows"][-1][:6] == [
        point.fy,
        point.month,
        counts["red"],
        counts["yellow"],
        counts["green"],
        counts["late"],
    ]
    this_fy = int(thai.fiscal_year(TODAY) == site["fy"])  # issued and closed today
    assert (
        _f(pack, "IT5", "directives"),
        _f(pack, "IT5", "directives_closed"),
        _f(pack, "IT5", "directives_open"),
        _f(pack, "IT5", "directives_overdue"),
        _f(pack, "IT5", "directives_issued_fy"),
        _f(pack, "IT5", "directives_closed_fy"),
    ) == (2, 1, 1, 1, 2 * this_fy, this_fy)


def test_it6_equals_auth_backup_and_audit(pack, site):
    import ops
    from etl import backup as bk
    from web import auth

    archives = sorted((site["home"] / "backups").glob("sanyan-backup-*.tar.gz"))
    assert len(archives) == 1
    assert _f(pack, "IT6", "backup_archives") == len(archives)
    assert _f(pack, "IT6", "backup_newest_files") == len(bk.verify(archives[-1])["files"])
    assert _f(pack, "IT6", "backup_newest_verified") == 1 and _f(pack, "IT6", "backups_logged") == 1
    log = next(t for t in pack["sections"]["IT6"]["tables"] if t["key"] == "backup_log")
    assert [(r[1], r[2], r[3]) for r in log["rows"]] == [("backup", "ok", archives[-1].name)]
    assert _f(pack, "IT6", "audit_entries") == len(ops.audit_rows(ops.engine()))
    pages = next(t for t in pack["sections"]["IT6"]["tables"] if t["key"] == "pages")
    roles = ("admin", "executive", "verifier", "editor", "viewer", "public")
    by_path = {r[0]: r[3:] for r in pages["rows"]}
    assert {"/", "/admin", "/entry", "/quality", "/km", "/gpp"} <= set(by_path)
    for path, allowed in by_path.items():
        assert list(allowed) == [auth.may_open(path, who) for who in roles], path
    assert by_path["/admin"] == [True, False, False, False, False, False]
    classes = next(t for t in pack["sections"]["IT6"]["tables"] if t["key"] == "classes")
    assert {r[0]: r[1:] for r in classes["rows"]}["viewer"] == [True, True, False]
    assert {r[0]: r[1:] for r in classes["rows"]}["executive"] == [True, True, True]


def test_it7_equals_km(pack, site):
    import db
    import ops
    from ops import km

    bodies = km.plan(ops.engine(), site["fy"])
    s = km.score(bodies)
    assert _f(pack, "IT7", "rm45_score") == s["score"]
    assert _f(pack, "IT7", "rm45_overall_pct") == pytest.approx(s["overall"], abs=0.005)
    assert (_f(pack, "IT7", "bodies"), _f(pack, "IT7", "activities_reached")) == (len(bodies), s["reached"])
    chk = km.checklist(list(db.query("km/issues", fy=site["fy"])["node_code"]), bodies)
    assert _f(pack, "IT7", "checklist_passed") == sum(x["ok"] for x in chk)
    assert evidence_fig(pack, "IT7", "rm45_score")["sample"]  # the sample plan says so


def _xlsx_values(data: bytes) -> dict[str, dict[str, object]]:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    return {
        ws.title: {r[0]: r[2] for r in ws.iter_rows(min_row=6, values_only=True) if isinstance(r[0], str)}
        for ws in wb.worksheets
    }


def _all_text(data: bytes) -> str:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    return "\n".join(
        str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c is not None
    )


def test_the_pack_pdf_and_xlsx(site, tmp_path):
    import pypdf

    import ops
    from components import thai
    from reports import evidence

    _chromium_or_skip()
    pdf, xlsx, p = _own_thread(evidence.build_pack, out_dir=tmp_path, today=TODAY)
    assert pdf is not None, p.get("pdf_error")
    assert (tmp_path / f"sanyan-evidence-{p['fy']}.pdf").read_bytes() == pdf
    assert (tmp_path / f"sanyan-evidence-{p['fy']}.xlsx").read_bytes() == xlsx
    # the workbook: one sheet per item, the same numbers, as numbers
    values = _xlsx_values(xlsx)
    assert set(ITEMS) <= set(values)
    for code, s in p["sections"].items():
        for f in s["figures"]:
            got = values[code][f["key"]]
            if f["value"] is None:
                assert got is None, (code, f["key"])
            else:
                assert isinstance(got, (int, float)) and got == pytest.approx(f["value"]), (code, f["key"], got)
    # the PDF: every item, the RM codes and the numbers (ASCII markers: pypdf may drop Thai vowels)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) >= 8
    for marker in ITEMS + ["RM 4.1", "RM 4.2", "RM 4.3", "RM 4.5", p["snapshot"]["version"]]:
        assert marker in text, marker
    for section, key in (("IT1", "rm41_index_pct"), ("IT1", "coverage_pct"), ("IT7", "rm45_overall_pct")):
        assert thai.format_number(evidence.figure(p, section, key)["value"], 2) + " %" in text, key
    assert thai.format_number(evidence.figure(p, "IT7", "rm45_score")["value"], 4) in text
    # the pack is audited
    assert ops.audit_rows(ops.engine())[-1]["action"] == "export.evidence"


def test_no_secret_kpi_is_named(site):
    from reports import evidence

    secret = _secret_name()
    p = evidence.collect(today=TODAY)
    assert evidence.figure(p, "IT1", "kpis_secret")["value"] == 1  # counted
    html = evidence.pack_html(p)
    assert secret not in html and secret not in _all_text(evidence.pack_xlsx(p))
    # names are printed elsewhere (the red list), so their absence is the filter's doing
    red = next(t for t in p["sections"]["IT5"]["tables"] if t["key"] == "red")
    assert red["rows"] and all(r[2] != "secret" for r in red["rows"]) and red["rows"][0][1] in html


def test_no_secret_name_in_the_pdf_even_when_red(site, monkeypatch):
    """Were the secret KPI red, the list would still not name it (it is counted in a note)."""
    import db
    from reports import evidence

    _chromium_or_skip()
    real = db.query

    def query(name, **params):
        df = real(name, **params)
        if name == "cockpit/kpi_status":
            df = df.copy()
            df.loc[df["kpi_code"] == "K40", ["status", "score"]] = ["red", 1.0]
        return df

    monkeypatch.setattr(db, "query", query)
    p = evidence.collect(today=TODAY)
    assert any("1 secret red KPI(s) counted but not named" in n[1] for n in p["sections"]["IT5"]["notes"])
    assert evidence.figure(p, "IT5", "status_red")["value"] >= 1
    import pypdf

    pdf = _own_thread(evidence.pack_pdf, p)
    text = "\n".join(pg.extract_text() for pg in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert _secret_name() not in text and _secret_name() not in evidence.pack_html(p)


def _cli(site, out: Path, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "etl", "evidence", "--out", str(out)],
        cwd=ROOT,
        env={**site["env"], "COLUMNS": "200", **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_cli_writes_both_files(site, tmp_path):
    _chromium_or_skip()
    run = _cli(site, tmp_path / "out")
    assert run.returncode == 0, run.stdout + run.stderr
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["sanyan-evidence-2570.pdf", "sanyan-evidence-2570.xlsx"]
    assert "sanyan-evidence-2570.pdf" in run.stdout and "RM 4.1" in run.stdout


def test_cli_without_chromium_writes_the_xlsx_and_fails(site, tmp_path):
    run = _cli(site, tmp_path / "out", SANYAN_CHROMIUM=str(tmp_path / "no-chromium"))
    assert run.returncode == 1, run.stdout + run.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["sanyan-evidence-2570.xlsx"]
    assert "Chromium" in run.stdout and "only the .xlsx was written" in run.stdout


def test_the_pack_says_pass_and_fail_in_words_not_tick_characters():
    """A check's result and a yes/no are words (issue 26): no ✓ ✗ ✕ ⚠ used as icons."""
    from reports import evidence

    assert evidence._fmt(True, "check", "en") == "pass" and evidence._fmt(False, "check", "en") == "FAIL"
    assert evidence._fmt(False, "check", "th") == "ไม่ผ่าน" and evidence._fmt(True, "", "th") == "ใช่"
    assert evidence._fmt(False, "", "en") == "no"
    source = open(evidence.__file__, encoding="utf-8").read()
    assert not set("✓✗✕⚠✔✘") & set(source)
