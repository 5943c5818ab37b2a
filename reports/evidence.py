"""The PMQA Category 4 evidence pack (issue 9): for IT1–IT7, what exists in Sanyan and the figures
it measures, as one PDF (Thai first, Sarabun embedded, printed by headless Chromium through
web/exports.py) and the same figures as an .xlsx (one sheet per IT item, numbers as numbers).

* ``collect(today=None, fy=None, backup_dir=None)`` gathers the figures **with the code the app's
  pages use**: the named queries of /quality (RM 4.1), /indicators, /gpp, / (the cockpit), the
  functions of ops/km.py (RM 4.5), ops/portal.py (§9 register, survey RM 4.2 / RM 4.3, requests),
  ops/meeting.py (directives), etl/backup.py (archives, verified) and web/auth.py (the access-rights
  matrix). Every figure records its source, its as-of date (the snapshot's for the warehouse,
  ``today`` for the ops store) and whether sample data feeds it.
* ``build_pack(out_dir=None, lang="th", fy=None, today=None, backup_dir=None, who=None)``
  -> ``(pdf_bytes | None, xlsx_bytes, collected)``. The PDF is None when Chromium (or Playwright)
  is missing; ``collected["pdf_error"]`` then says why in Thai and English, and the .xlsx is made
  anyway. With ``out_dir`` both files are written there as ``sanyan-evidence-<fy>.pdf|.xlsx``.
  Every pack is written to the audit trail as ``export.evidence``.
* ``python -m etl evidence [--out DIR] [--fy YEAR] [--backups DIR]`` is the command line.

Classification: outside a web request ``db.query`` returns every KPI (the CLI reads everything),
inside one it returns what the signed-in reader may see; either way the pack prints **no name of a
secret KPI** (they are counted, never named) and no directive text or audit target.
"""

from __future__ import annotations

import ast
import io
import math
import time
from datetime import UTC, date, datetime, timedelta
from html import escape
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa

import db
import ops
from components import i18n, thai
from components.cells import xlsx_text
from config import ROOT, settings

ROLES = ("admin", "executive", "verifier", "editor", "viewer", "public")
CLASSES = ("open", "internal", "secret")
KPI_DATASETS = ("kpis", "kpi_actuals", "kpi_targets", "kpi_criteria")
INDICATOR_DATASETS = ("indicators", "indicator_values", "topic_groups")
GPP_DATASETS = ("gpp_sector",)
PLAN_GROUPS, PLAN_INDICATORS = 45, 32  # IT2 in the plan: 45 topic groups, 32 indicators
AUDIT_RECENT_DAYS = 30
LOG_ROUNDS = 12  # rounds in the IT5 warning log

# The seven IT items, titles as the province's plan (PMQA หมวด 4, ปี 2555) words them.
IT_ITEMS: dict[str, dict] = {
    "IT1": {
        "th": "การจัดทำให้ระบบฐานข้อมูลผลการดำเนินงานตามแผนยุทธศาสตร์และแผนปฏิบัติราชการ "
        "รวมทั้งผลการดำเนินงานของตัวชี้วัดตามคำรับรองการปฏิบัติราชการ ที่ครอบคลุม ถูกต้อง และทันสมัย",
        "en": "A database of results against the strategic and action plans and of the performance-agreement "
        "KPIs that is covering, correct and current",
        "rm": ("RM 4.1",),
    },
    "IT2": {
        "th": "การจัดทำระบบฐานข้อมูลการบริหารราชการจังหวัดแบบบูรณาการ จำนวน 45 กลุ่มเรื่อง 32 ตัวชี้วัด "
        "(ในส่วนที่เกี่ยวข้อง) และข้อมูลย้อนหลัง 3 ปี",
        "en": "The integrated provincial-administration database: 45 topic groups, 32 indicators, three years "
        "of history",
        "rm": ("RM 4.1",),
    },
    "IT3": {
        "th": "การจัดทำระบบฐานข้อมูลสถิติผลิตภัณฑ์มวลรวมจังหวัด (GPP)",
        "en": "The Gross Provincial Product (GPP) statistics database",
        "rm": ("RM 4.4", "RM 4.1"),
    },
    "IT4": {
        "th": "การจัดทำระบบเทคโนโลยีสารสนเทศให้ประชาชนสามารถเข้าถึงข้อมูลฯ",
        "en": "IT systems through which the public reaches the province's information",
        "rm": ("RM 4.2", "RM 4.3"),
    },
    "IT5": {
        "th": "การพัฒนาระบบติดตามเฝ้าระวังและเตือนภัย (Warning System)",
        "en": "The monitoring and early-warning system",
        "rm": (),
    },
    "IT6": {
        "th": "การจัดทำระบบบริหารความเสี่ยงระบบฐานข้อมูล และสารสนเทศ",
        "en": "Risk management of the databases and information systems",
        "rm": (),
    },
    "IT7": {
        "th": "การจัดทำแผนการจัดการความรู้ (KM Action Plan) ครบทุกประเด็นยุทธศาสตร์",
        "en": "The knowledge-management action plan covering every strategic issue",
        "rm": ("RM 4.5",),
    },
}
RM_TITLES = {
    "RM 4.1": (
        "ร้อยละของความครอบคลุม ถูกต้อง และทันสมัยของฐานข้อมูลที่สนับสนุนยุทธศาสตร์",
        "% coverage, accuracy and timeliness of the databases supporting the strategy",
    ),
    "RM 4.2": (
        "ร้อยละความพึงพอใจของผู้เข้าถึงหรือเข้ามาใช้ข้อมูลข่าวสารผ่านทางเว็บไซต์ของจังหวัด",
        "% satisfaction of people using information on the province's website",
    ),
    "RM 4.3": (
        "ร้อยละความพึงพอใจของประชาชนที่มีต่อการเปิดเผยข้อมูลข่าวสารตามพระราชบัญญัติข้อมูลข่าวสารของราชการ พ.ศ. 2540",
        "% satisfaction with the disclosure of information under the Official Information Act B.E. 2540",
    ),
    "RM 4.4": (
        "ระดับความสำเร็จของการพัฒนาคุณภาพการจัดทำสถิติผลิตภัณฑ์มวลรวมจังหวัด",
        "Success level of improving the quality of the GPP statistics",
    ),
    "RM 4.5": (
        "ร้อยละเฉลี่ยถ่วงน้ำหนักความสำเร็จจากผลสัมฤทธิ์ของการดำเนินการตามแผนการจัดการความรู้ อย่างน้อย 3 องค์ความรู้",
        "Weighted-average achievement of the KM plan (at least three knowledge bodies)",
    ),
}

# What exists in Sanyan for each item: (Thai, English), pages and features by name.
EXISTS: dict[str, list[tuple[str, str]]] = {
    "IT1": [
        (
            "/kpi ตัวชี้วัด: ประเด็นยุทธศาสตร์ → แผน → โครงการ → ตัวชี้วัด → ตัวชี้วัดย่อย พร้อมสัญญาณไฟทุกระดับ",
            "/kpi: strategic issue → plan → project → KPI → sub-KPI, a light on every node",
        ),
        (
            "/kpi/<รหัส> บัญชีตัวชี้วัด (KPI passport): แหล่งข้อมูล ความถี่ ผู้สอบทาน ผู้ใช้ข้อมูล หน่วยงานเจ้าของ ผลรายปีและรายเดือน",
            "/kpi/<code>: the KPI passport (source, frequency, verifier, users, owner), yearly and monthly results",
        ),
        (
            "/entry แบบฟอร์มเดียวกันทุกหน่วยงานและทุกอำเภอ ตรวจก่อนจัดเก็บ (ตัวเลข ช่วงค่า ร้อยละไม่เกิน 100 ค่ากระโดดเกิน 50%) "
            "และขั้นตอน ร่าง → ส่ง → สอบทาน → อนุมัติ แล้วล็อกงวด",
            "/entry: one form for every unit and district, checked before storing; draft → submitted → verified → "
            "approved, then the round locks",
        ),
        (
            "/kpi/<รหัส> คำอธิบายผลการดำเนินงานรายงวด (การวิเคราะห์ และแนวทางแก้ไข/การดำเนินการต่อไป) โดยหน่วยงานเจ้าของ "
            "ผ่านขั้นตอน ร่าง → ส่ง → สอบทาน → อนุมัติ เช่นเดียวกับตัวเลข",
            "/kpi/<code>: each period's commentary (analysis, and action) by the owner unit, draft → submitted → "
            "verified → approved like the figures",
        ),
        (
            "แบบฟอร์มมาตรฐาน python -m etl template และการนำเข้าไฟล์ที่ตรวจทุกแถว (python -m etl validate / load)",
            "Uniform templates (python -m etl template) and file loads checked row by row (validate / load)",
        ),
        (
            "การตรวจหลังจัดเก็บ: ค่าที่ต่างจากค่าอื่นของตัวชี้วัดเดียวกันเกิน 3 ส่วนเบี่ยงเบนมาตรฐาน ส่งให้ผู้สอบทาน",
            "The after-storing check: values beyond 3 standard deviations go to the verifier",
        ),
        (
            "/quality คุณภาพข้อมูล RM 4.1: ครอบคลุม ถูกต้อง ทันสมัย รายหน่วยงาน รายรอบ และดัชนีรวมระดับ 1–5",
            "/quality: RM 4.1 coverage, accuracy, timeliness per unit and round, the combined index on 1–5",
        ),
        (
            "/about-data แหล่งที่มาของทุกชุดข้อมูล (ทางการ / ตัวอย่าง / บันทึก) และประวัติการนำเข้า",
            "/about-data: every dataset's provenance (official / sample / entered) and the load history",
        ),
    ],
    "IT2": [
        (
            "/indicators บัญชีกลุ่มเรื่องและตัวชี้วัด และตารางความครบถ้วน ตัวชี้วัด × ปี × อำเภอ (ต้องมีครบ 3 ปี)",
            "/indicators: the catalogue of topic groups and indicators and the coverage matrix indicator × year × district",
        ),
        (
            "/entry/data แบบฟอร์มค่าตัวชี้วัดจังหวัด (indicator_values) ตรวจด้วยกฎเดียวกับไฟล์",
            "/entry/data: the provincial indicator values template, checked by the rules of a file",
        ),
        (
            "/district/<รหัส> และ /map ข้อมูลรายอำเภอเทียบจังหวัด แผนที่ตามตัวชี้วัดและปี",
            "/district/<code> and /map: districts against the province, maps by indicator and year",
        ),
        (
            "/quality ฐานข้อมูลจังหวัด: ครอบคลุม ถูกต้อง ทันสมัย รายหน่วยงานเจ้าของข้อมูล",
            "/quality: the provincial database's coverage, accuracy and timeliness per source agency",
        ),
    ],
    "IT3": [
        (
            "/gpp ผลิตภัณฑ์มวลรวมจังหวัด ราคาประจำปีและปริมาณลูกโซ่ อัตราการขยายตัว โครงสร้าง การมีส่วนร่วมต่อการขยายตัว "
            "อันดับ เทียบจังหวัด และบทวิเคราะห์ที่ทุกตัวเลขอยู่ในตาราง",
            "/gpp: GPP at current prices and chain volume, growth, structure, contributions, ranks, peers, a "
            "generated analysis whose numbers are all in the tables",
        ),
        (
            "ตัวเลข สศช. (NESDC) ตามที่เผยแพร่ แยกฉบับ (p / r) ไม่ต่อกัน; แบบฟอร์ม gpp_sector สำหรับข้อมูลรายสาขาของจังหวัด",
            "NESDC totals exactly as published, editions side by side; the gpp_sector template for the province's sectors",
        ),
        (
            "การตรวจตอนสร้างคลังข้อมูล: ผลรวมรายสาขาราคาประจำปีเท่ากับยอดรวม สศช.",
            "A build check: current-price sectors sum to the NESDC total",
        ),
        (
            "/quality ฐานข้อมูล GPP: ครอบคลุม ถูกต้อง ทันสมัย (3 ปีล่าสุดที่ สศช. เผยแพร่)",
            "/quality: the GPP database's coverage, accuracy and timeliness (NESDC's latest three years)",
        ),
    ],
    "IT4": [
        (
            "หน้าสาธารณะไม่ต้องลงชื่อเข้าใช้: /open (ค้นหา), /open/kpi, /open/indicators, /gpp, /about-data และ API ข้อมูลเปิด /api",
            "Public pages without sign-in: /open (search), /open/kpi, /open/indicators, /gpp, /about-data and the "
            "open-data API /api",
        ),
        (
            "ทะเบียนข้อมูลข่าวสารตามมาตรา 9 (1)–(8) พร้อมวันที่เผยแพร่และวันที่ต้องทบทวน",
            "The Official Information Act §9 register (1)–(8) with publication and review dates",
        ),
        (
            "แบบคำขอข้อมูลข่าวสารและแบบสำรวจความพึงพอใจ (RM 4.2 เว็บไซต์, RM 4.3 การเปิดเผยข้อมูลตาม พ.ร.บ.)",
            "The information-request form and the satisfaction survey (RM 4.2 website, RM 4.3 OIA disclosure)",
        ),
    ],
    "IT5": [
        (
            "สัญญาณไฟทุกตัวชี้วัด: ■ แดง ต่ำกว่าเกณฑ์ ▲ เหลือง เฝ้าระวัง ● เขียว ตามเป้าหมาย ◆ รายงานล่าช้า",
            "A light on every KPI: ■ red, ▲ yellow, ● green, ◆ late",
        ),
        (
            "ตัวชี้วัดนำ (leading) ที่แดงหรือคะแนนลดลง 0.5 ขึ้นไป เตือนตัวชี้วัดตาม; การคาดการณ์สิ้นปีและรายการที่คาดว่าจะไม่ถึงเป้า",
            "Leading KPIs that are red or fell by 0.5 warn their lagging KPIs; year-end projections and projected misses",
        ),
        (
            "เครื่องหมายความทันสมัยของข้อมูล (ค้างส่ง / ล่าช้า) บนทุกกราฟและตาราง",
            "Freshness marks (late / overdue) on every tile and chart",
        ),
        (
            '/meeting วาระ "แดงก่อน" อัตโนมัติ และ /meeting/directives ข้อสั่งการ: มอบหมาย ติดตาม ตอบ ปิด พร้อมประวัติ',
            "/meeting: the automatic red-first agenda; /meeting/directives: directives assigned, answered, closed, "
            "with their history",
        ),
    ],
    "IT6": [
        (
            "สำรองข้อมูล python -m etl backup (คลังข้อมูล ฐานข้อมูลปฏิบัติงาน ไฟล์ข้อมูล พร้อม sha256) และกู้คืน "
            "python -m etl restore ที่ตรวจทั้งไฟล์ก่อนกู้",
            "Backups (python -m etl backup: warehouse, ops store, data files, with sha256) and restores checked "
            "in full first",
        ),
        (
            "แผนรับมือเหตุฉุกเฉิน docs/RUNBOOK.md (ดิสก์เสีย ฐานข้อมูลเสียหาย รหัสผ่านรั่ว)",
            "The IT contingency plan docs/RUNBOOK.md (disk failure, corruption, leaked password)",
        ),
        (
            "สิทธิ์ผู้ใช้ 5 บทบาทและสาธารณะ ตรวจที่เซิร์ฟเวอร์ทุกหน้า ทุก callback และทุกการดาวน์โหลด; ตัวชี้วัดชั้นความลับถูกตัดออกจากทุกผลลัพธ์",
            "Five roles and the public, checked on the server for every page, callback and download; classified KPIs "
            "are dropped from every result",
        ),
        (
            "รหัสผ่าน argon2id, ล็อกหลังผิด 5 ครั้ง, หมดเวลาเซสชัน, CSRF, Content-Security-Policy",
            "argon2id passwords, lock-out after 5 failures, session expiry, CSRF, Content-Security-Policy",
        ),
        (
            "บันทึกการใช้งาน (audit trail) ทุกการเข้าระบบ การแก้ไข การปฏิเสธ และการส่งออก; คลังข้อมูลสร้างใหม่แบบทั้งหมดหรือไม่เลย",
            "The audit trail of every sign-in, change, refusal and export; all-or-nothing snapshot builds",
        ),
    ],
    "IT7": [
        (
            "/km แผนการจัดการความรู้: องค์ความรู้ผูกกับประเด็นยุทธศาสตร์ กิจกรรมตาม 7 ขั้นตอนของ สำนักงาน ก.พ.ร. "
            "เป้าหมาย น้ำหนัก และผลการดำเนินงาน",
            "/km: knowledge bodies tied to strategic issues, activities on the OPDC 7-step process with targets, "
            "weights and progress",
        ),
        (
            "RM 4.5 ร้อยละเฉลี่ยถ่วงน้ำหนัก เทียบเกณฑ์ 60/70/80/90/100 = ระดับ 1–5 และรายการตรวจ IT7",
            "RM 4.5 weighted-average achievement on 60/70/80/90/100 → 1–5, and the IT7 checklist",
        ),
    ],
}

WORDS = {
    "th": {
        "title": "แฟ้มหลักฐาน PMQA หมวด 4 การวัด การวิเคราะห์ และการจัดการความรู้",
        "sub": "หลักฐานประกอบการประเมิน IT1–IT7 จากระบบสารสนเทศเพื่อผู้บริหาร สัญญาณ (Sanyan)",
        "fy": i18n.t("word.fy", "th"),
        "snapshot": "ชุดข้อมูล (snapshot)",
        "as_of": "ข้อมูล ณ",
        "made": "จัดทำเมื่อ",
        "today": "ข้อมูลการปฏิบัติงาน ณ",
        "scope": "ขอบเขตตัวชี้วัด",
        "scope_all": "ทุกชั้นความลับ (เปิดเผย ภายใน ลับ) นับรวมในตัวเลข แต่ไม่แสดงชื่อตัวชี้วัดชั้นลับ",
        "scope_some": "เฉพาะชั้นที่ผู้จัดทำมีสิทธิ์อ่าน: {c}",
        "headline": "ตัวเลขสำคัญ",
        "contents": "สารบัญ",
        "exists": "สิ่งที่มีในระบบ",
        "figures": "ตัวเลขที่วัดได้",
        "item": "รายการ",
        "value": "ค่า",
        "source": "ที่มา",
        "date": "ข้อมูล ณ",
        "sample": "ข้อมูลตัวอย่าง",
        "sample_note": 'ตัวเลขที่มีเครื่องหมาย "ข้อมูลตัวอย่าง" คำนวณจากข้อมูลตัวอย่าง '
        "(สร้างโดยโปรแกรม เพราะยังไม่มีข้อมูลจริงของหน่วยงาน) ไม่ใช่ผลการดำเนินงานจริง",
        "indicator": "ตัวชี้วัด",
        "none": "ไม่มี",
        "note": "หมายเหตุ",
        "pdf_missing": "ไม่มี PDF",
        "footer": "สัญญาณ Sanyan · แฟ้มหลักฐาน PMQA หมวด 4",
    },
    "en": {
        "title": "PMQA Category 4 evidence pack: measurement, analysis and knowledge management",
        "sub": "Evidence for IT1–IT7 from the Sanyan executive information system",
        "fy": i18n.t("word.fy", "en"),
        "snapshot": "Snapshot",
        "as_of": "Data as of",
        "made": "Made on",
        "today": "Operations data as of",
        "scope": "KPI scope",
        "scope_all": "every classification (open, internal, secret) counted; no secret KPI is named",
        "scope_some": "only what the maker may read: {c}",
        "headline": "Headline figures",
        "contents": "Contents",
        "exists": "What exists",
        "figures": "Measured figures",
        "item": "Item",
        "value": "Value",
        "source": "Source",
        "date": "As of",
        "sample": "Sample data",
        "sample_note": 'Figures marked "Sample data" come from seeded sample data '
        "(generated because the office's real data is not loaded yet), not real results",
        "indicator": "Indicator",
        "none": "none",
        "note": "Note",
        "pdf_missing": "no PDF",
        "footer": "Sanyan · PMQA Category 4 evidence pack",
    },
}

# Headline figures: (section, key), shown on the cover and by the CLI.
HEADLINE = [
    ("IT1", "rm41_index_pct"),
    ("IT1", "rm41_band"),
    ("IT1", "coverage_pct"),
    ("IT1", "accuracy_pct"),
    ("IT1", "timeliness_pct"),
    ("IT2", "coverage_pct"),
    ("IT3", "coverage_pct"),
    ("IT4", "s9_share"),
    ("IT4", "rm42_pct"),
    ("IT4", "rm43_pct"),
    ("IT5", "status_red"),
    ("IT5", "status_yellow"),
    ("IT5", "status_green"),
    ("IT5", "projected_miss"),
    ("IT6", "backup_archives"),
    ("IT6", "audit_entries"),
    ("IT7", "rm45_overall_pct"),
    ("IT7", "rm45_score"),
]


class EvidenceError(RuntimeError):
    """The pack cannot be made (no warehouse)."""


# ---------------------------------------------------------------- small helpers
def _plain(x: Any) -> Any:
    """numpy / pandas scalars to plain Python; NA to None."""
    if x is None:
        return None
    try:
        if pd.isna(x):
            return None
    except (TypeError, ValueError):
        return x
    if hasattr(x, "to_pydatetime"):
        return x.to_pydatetime()
    if hasattr(x, "item"):
        return x.item()
    return x


def _as_date(x: Any) -> date | None:
    x = _plain(x)
    if isinstance(x, datetime):
        return x.date()
    return x if isinstance(x, date) else None


def _fig(
    key: str,
    th: str,
    en: str,
    value: Any,
    unit: str,
    source: str,
    as_of: date | None,
    sample: bool = False,
    note: tuple[str, str] | None = None,
    decimals: int | None = None,
) -> dict:
    value = _plain(value)
    if isinstance(value, float) and math.isnan(value):
        value = None
    return {
        "key": key,
        "th": th,
        "en": en,
        "value": value,
        "unit": unit,
        "source": source,
        "as_of": as_of,
        "sample": bool(sample),
        "note": note,
        "decimals": decimals,
    }


def _table(
    key: str,
    th: str,
    en: str,
    columns: list[tuple[str, str]],
    rows: list[list],
    source: str,
    as_of: date | None,
    sample: bool = False,
) -> dict:
    return {
        "key": key,
        "th": th,
        "en": en,
        "columns": columns,
        "rows": [[_plain(c) for c in r] for r in rows],
        "source": source,
        "as_of": as_of,
        "sample": bool(sample),
    }


def figure(collected: dict, section: str, key: str) -> dict:
    """One figure of a collected pack by its section and key (KeyError when there is none)."""
    for f in collected["sections"][section]["figures"]:
        if f["key"] == key:
            return f
    raise KeyError(f"{section}.{key}")


def _section(code: str, figures: list[dict], tables: list[dict], notes: list[tuple[str, str]] | None = None) -> dict:
    it = IT_ITEMS[code]
    return {
        "code": code,
        "th": it["th"],
        "en": it["en"],
        "rm": list(it["rm"]),
        "exists": EXISTS[code],
        "figures": figures,
        "tables": tables,
        "notes": notes or [],
    }


class _Ctx:
    """What every section needs: the fiscal year, the dates, the snapshot, the ops store."""

    def __init__(
        self,
        today: date,
        fy: int,
        snap: dict,
        datasets: pd.DataFrame,
        eng: sa.Engine,
        backup_dir: Path,
        kpi_classes: dict[str, str],
    ):
        self.today, self.fy, self.snap, self.eng, self.backup_dir = today, fy, snap, eng, backup_dir
        self.as_of = _as_date(snap.get("as_of") or snap.get("built_at"))
        self.datasets = datasets
        self.kpi_classes = kpi_classes

    def sample(self, names: tuple[str, ...]) -> bool:
        """True when any of these datasets has sample rows in the snapshot."""
        d = self.datasets
        if d.empty or "sample_rows" not in d:
            return False
        rows = d[d["dataset"].isin(names)]
        return bool((rows["sample_rows"].fillna(0) > 0).any())


def _pick(df: pd.DataFrame, **where) -> pd.Series | None:
    for k, v in where.items():
        df = df[df[k].isna()] if v is None else df[df[k] == v]
    return None if df.empty else df.iloc[0]


# ---------------------------------------------------------------- IT1: the KPI database (RM 4.1)
QUALITY_FIGS = [
    ("required", "จำนวนช่องข้อมูลที่ต้องมี", "Required cells", ""),
    ("present", "จำนวนช่องข้อมูลที่มี", "Cells present", ""),
    ("coverage_pct", "ความครอบคลุม", "Coverage", "%"),
    ("automated_pct", "ผ่านการตรวจอัตโนมัติ", "Automated checks passed", "%"),
    (
        "verified_pct",
        "สอบทานแล้ว (ทางการ หรือ บันทึกที่ผ่านผู้สอบทานและผู้อนุมัติ)",
        "Verified (official, or entered and approved)",
        "%",
    ),
    ("accuracy_pct", "ความถูกต้อง", "Accuracy", "%"),
    ("timeliness_pct", "ความทันสมัย", "Timeliness", "%"),
    ("passport_pct", "บัญชีตัวชี้วัดกรอกครบ (แหล่งข้อมูล ความถี่ ผู้สอบทาน ผู้ใช้ข้อมูล หน่วยงาน)", "KPI passports complete", "%"),
    ("index_pct", "ดัชนีรวม", "Combined index", "%"),
    ("band", "ระดับ (1–5)", "Level (1–5)", ""),
]
UNIT_COLS = [
    ("หน่วยงาน", "Unit"),
    ("ครอบคลุม %", "Coverage %", "pct"),
    ("ถูกต้อง %", "Accuracy %", "pct"),
    ("ทันสมัย %", "Timeliness %", "pct"),
    ("บัญชีตัวชี้วัด %", "Passport %", "pct"),
    ("ดัชนี %", "Index %", "pct"),
    ("ระดับ", "Level", "score"),
]
YEAR_COLS = [
    ("ปีข้อมูล", "Data year", "year"),
    ("ต้องมี", "Required"),
    ("มี", "Present"),
    ("ครอบคลุม %", "Coverage %", "pct"),
    ("ถูกต้อง %", "Accuracy %", "pct"),
    ("ทันสมัย %", "Timeliness %", "pct"),
    ("ดัชนี %", "Index %", "pct"),
    ("ระดับ", "Level", "score"),
]


def _quality_figs(
    row: pd.Series | None, prefix: str, source: str, as_of, sample: bool, skip: tuple[str, ...] = ()
) -> list[dict]:
    out = []
    for col, th, en, unit in QUALITY_FIGS:
        if col in skip:
            continue
        val = None if row is None or col not in row.index else row[col]
        out.append(_fig(prefix + col, th, en, val, unit, source, as_of, sample=sample))
    return out


def _it1(c: _Ctx) -> dict:
    fy, as_of = c.fy, c.as_of
    sample = c.sample(KPI_DATASETS)
    any_sample = sample or c.sample(INDICATOR_DATASETS) or c.sample(GPP_DATASETS)
    summary = db.query("quality/summary")
    row = _pick(summary[summary["database"] == "kpi"], fiscal_year=fy)
    src = "queries/quality/summary.sql (mart_quality, database = kpi)"
    figs = _quality_figs(row, "", src, as_of, sample)
    rm = db.query("quality/rm41", fy=fy)
    r = rm.iloc[0] if not rm.empty else None
    rsrc = "queries/quality/rm41.sql (mart_quality_rm41)"

    def g(k):
        return None if r is None else r[k]

    figs += [
        _fig(
            "rm41_index_pct",
            "RM 4.1 ดัชนีรวมของสามฐานข้อมูล",
            "RM 4.1 combined index of the three databases",
            g("index_pct"),
            "%",
            rsrc,
            as_of,
            any_sample,
        ),
        _fig(
            "rm41_band",
            "RM 4.1 ระดับ (60/70/80/90/100 % = 1–5)",
            "RM 4.1 level (60/70/80/90/100 % = 1–5)",
            g("band"),
            "",
            rsrc,
            as_of,
            any_sample,
        ),
        _fig(
            "rm41_kpi_index_pct",
            "RM 4.1 ส่วนฐานข้อมูลตัวชี้วัด (IT1)",
            "RM 4.1 part: KPI database (IT1)",
            g("kpi_index_pct"),
            "%",
            rsrc,
            as_of,
            sample,
        ),
        _fig(
            "rm41_indicators_index_pct",
            "RM 4.1 ส่วนฐานข้อมูลจังหวัด (IT2)",
            "RM 4.1 part: provincial database (IT2)",
            g("indicators_index_pct"),
            "%",
            rsrc,
            as_of,
            c.sample(INDICATOR_DATASETS),
        ),
        _fig(
            "rm41_gpp_index_pct",
            "RM 4.1 ส่วนฐานข้อมูล GPP (IT3)",
            "RM 4.1 part: GPP database (IT3)",
            g("gpp_index_pct"),
            "%",
            rsrc,
            as_of,
            c.sample(GPP_DATASETS),
        ),
    ]
    overdue = db.query("quality/overdue", fy=fy, province=settings.province)
    outliers = db.query("quality/outliers", fy=fy, province=settings.province)
    kpis = db.query("entry/kpis")
    classes = kpis["classification"].fillna("open").value_counts().to_dict() if not kpis.empty else {}
    figs += [
        _fig(
            "overdue_reports",
            "รายงานค้างส่ง (ช่องข้อมูลที่เลยกำหนดส่ง)",
            "Reports overdue (cells past their deadline)",
            len(overdue),
            "",
            "queries/quality/overdue.sql",
            as_of,
            sample,
        ),
        _fig(
            "outliers",
            "ค่าที่การตรวจหลังจัดเก็บส่งให้สอบทาน (เกิน 3 SD)",
            "Values flagged by the after-storing check",
            len(outliers),
            "",
            "queries/quality/outliers.sql",
            as_of,
            sample,
        ),
        _fig(
            "kpis",
            "จำนวนตัวชี้วัดในบัญชี",
            "KPIs in the catalogue",
            len(kpis),
            "",
            "queries/entry/kpis.sql (dim_kpi)",
            as_of,
            c.sample(("kpis",)),
        ),
    ] + [
        _fig(
            f"kpis_{k}",
            f"ตัวชี้วัดชั้น {k}",
            f"KPIs classified {k}",
            int(classes.get(k, 0)),
            "",
            "queries/entry/kpis.sql (dim_kpi.classification)",
            as_of,
            c.sample(("kpis",)),
        )
        for k in CLASSES
    ]
    units = db.query("quality/units", database="kpi", fy=fy)
    unit_rows = [
        [u.owner_unit, u.coverage_pct, u.accuracy_pct, u.timeliness_pct, u.passport_pct, u.index_pct, u.band]
        for u in units.itertuples()
    ]
    hist = db.query("quality/history")
    hist_rows = [
        [
            int(h.fiscal_year),
            int(h.month),
            h.required,
            h.present,
            h.coverage_pct,
            h.accuracy_pct,
            h.timeliness_pct,
            h.index_pct,
            h.band,
        ]
        for h in hist.itertuples()
    ]
    tables = [
        _table(
            "units",
            f"คุณภาพข้อมูลรายหน่วยงาน ปีงบประมาณ {fy}",
            f"Quality by unit, FY {fy}",
            UNIT_COLS,
            unit_rows,
            "queries/quality/units.sql",
            as_of,
            sample,
        ),
        _table(
            "history",
            "ประวัติคุณภาพข้อมูลตัวชี้วัดรายรอบ (RM 4.1)",
            "KPI data quality round by round (RM 4.1)",
            [("ปีงบประมาณ", "FY", "year"), ("เดือน", "Month", "year")] + YEAR_COLS[1:],
            hist_rows,
            "queries/quality/history.sql",
            as_of,
            sample,
        ),
    ]
    notes = []
    if row is None:
        notes.append((f"ไม่มีข้อมูลคุณภาพตัวชี้วัดของปีงบประมาณ {fy}", f"No KPI quality figures for FY {fy}"))
    # the approved commentary (why, what next) of each KPI the reader sees; a secret KPI's is counted, never shown
    from ops import commentary

    names = dict(zip(kpis["kpi_code"], kpis["name_th"])) if not kpis.empty else {}
    said = [r for r in commentary.approved(c.eng, fy=fy) if r["kpi_code"] in c.kpi_classes]
    shown = [r for r in said if (c.kpi_classes[r["kpi_code"]] or "open") != "secret"]
    shown.sort(key=lambda r: (r["kpi_code"], -commentary.fiscal_index(r["month"])))
    tables.append(
        _table(
            "commentary",
            f"คำอธิบายผลการดำเนินงานที่อนุมัติแล้ว ปีงบประมาณ {fy} (ไม่แสดงตัวชี้วัดชั้นลับ)",
            f"Approved commentary, FY {fy} (secret KPIs are not shown)",
            [
                ("รหัส", "Code"),
                ("ตัวชี้วัด", "KPI"),
                ("เดือน", "Month", "year"),
                ("การวิเคราะห์ (ทำไม)", "Analysis (why)"),
                ("แนวทางแก้ไข/การดำเนินการต่อไป", "Action (what next)"),
                ("อนุมัติโดย", "Approved by"),
                ("วันที่อนุมัติ", "Approved on"),
            ],
            [
                [
                    r["kpi_code"],
                    names.get(r["kpi_code"], ""),
                    r["month"],
                    r["analysis"],
                    r["action"],
                    r["approved_by"],
                    _as_date(r["approved_at"]),
                ]
                for r in shown
            ],
            "ops store: kpi_comments (ops/commentary.py, approved)",
            c.today,
        )
    )
    if len(said) > len(shown):
        notes.append(
            (
                f"คำอธิบายของตัวชี้วัดชั้นลับ {len(said) - len(shown)} รายการ นับรวมแล้วแต่ไม่แสดง",
                f"{len(said) - len(shown)} commentary of secret KPIs counted but not shown",
            )
        )
    return _section("IT1", figs, tables, notes)


# ---------------------------------------------------------------- IT2: the provincial database
def _it2(c: _Ctx) -> dict:
    from components import coverage

    as_of, sample = c.as_of, c.sample(INDICATOR_DATASETS)
    summary = db.query("quality/summary")
    ind = summary[summary["database"] == "indicators"]
    window = _pick(ind, fiscal_year=None)
    span = ind["fiscal_year"].dropna().astype(int)
    src = "queries/quality/summary.sql (mart_quality, database = indicators, the three-year window)"
    figs = _quality_figs(window, "", src, as_of, sample, skip=("passport_pct",))
    cat = db.query("indicators/catalogue")
    unverified = (
        bool(
            cat["source_ref"].fillna("").str.contains("unverified").any()
            or cat["group_source"].fillna("").str.contains("unverified").any()
        )
        if not cat.empty
        else False
    )
    csrc = "queries/indicators/catalogue.sql"
    figs += [
        _fig(
            "topic_groups",
            f"กลุ่มเรื่อง (แผนกำหนด {PLAN_GROUPS})",
            f"Topic groups (the plan asks {PLAN_GROUPS})",
            cat["group_code"].nunique() if not cat.empty else 0,
            "",
            csrc,
            as_of,
            sample or unverified,
        ),
        _fig(
            "indicators",
            f"ตัวชี้วัด (แผนกำหนด {PLAN_INDICATORS})",
            f"Indicators (the plan asks {PLAN_INDICATORS})",
            cat["indicator_code"].nunique() if not cat.empty else 0,
            "",
            csrc,
            as_of,
            sample or unverified,
        ),
    ]
    cells = db.query("indicators/coverage", province=settings.province)
    if not cells.empty:
        s = coverage.summarise(cells)
        per = s.drop_duplicates("indicator_code")
        three = int(per["has_required"].sum())
        figs += [
            _fig(
                "indicators_three_years",
                "ตัวชี้วัดที่มีข้อมูลครบทุกอำเภอ 3 ปี",
                "Indicators complete in every district for three years",
                three,
                "",
                "queries/indicators/coverage.sql + components/coverage.summarise",
                as_of,
                sample,
            ),
            _fig(
                "districts",
                "จำนวนอำเภอ",
                "Districts",
                int(s["expected"].max()),
                "",
                "queries/indicators/coverage.sql",
                as_of,
                False,
            ),
        ]
    year_rows = [
        [
            int(r.fiscal_year),
            r.required,
            r.present,
            r.coverage_pct,
            r.accuracy_pct,
            r.timeliness_pct,
            r.index_pct,
            r.band,
        ]
        for r in ind[ind["fiscal_year"].notna()].sort_values("fiscal_year").itertuples()
    ]
    agencies = db.query("quality/units", database="indicators", fy=None)
    agency_rows = [
        [u.owner_unit, u.coverage_pct, u.accuracy_pct, u.timeliness_pct, u.index_pct, u.band]
        for u in agencies.itertuples()
    ]
    ycols = YEAR_COLS
    tables = [
        _table(
            "years",
            "คุณภาพรายปีข้อมูล",
            "Quality by data year",
            ycols,
            year_rows,
            "queries/quality/summary.sql",
            as_of,
            sample,
        ),
        _table(
            "agencies",
            "รายหน่วยงานเจ้าของข้อมูล (ทั้งสามปี)",
            "By source agency (the three years)",
            UNIT_COLS[:4] + UNIT_COLS[5:],
            agency_rows,
            "queries/quality/units.sql",
            as_of,
            sample,
        ),
    ]
    notes = []
    if len(span):
        notes.append((f"ช่วงปีข้อมูล {span.min()}–{span.max()}", f"Data years {span.min()}–{span.max()}"))
    if unverified:
        notes.append(
            (
                "บัญชีกลุ่มเรื่องและตัวชี้วัดยังไม่ได้ตรวจสอบ (ข้อมูลตัวอย่าง) รอบัญชีทางการจากจังหวัด",
                "The catalogue of topic groups and indicators is unverified (sample), awaiting the province's list",
            )
        )
    return _section("IT2", figs, tables, notes)


# ---------------------------------------------------------------- IT3: GPP
def _it3(c: _Ctx) -> dict:
    as_of, sample = c.as_of, c.sample(GPP_DATASETS)
    summary = db.query("quality/summary")
    gpp = summary[summary["database"] == "gpp"]
    window = _pick(gpp, fiscal_year=None)
    src = "queries/quality/summary.sql (mart_quality, database = gpp, NESDC's latest three years)"
    figs = _quality_figs(window, "", src, as_of, sample, skip=("passport_pct",))
    totals = db.query("gpp/official_totals", province=settings.province)
    tsrc = "queries/gpp/official_totals.sql (NESDC, as published)"
    fresh = db.query("freshness/all")
    f = _pick(fresh[fresh["dataset"] == "gpp"], item_code=settings.province) if not fresh.empty else None
    figs += [
        _fig(
            "nesdc_editions",
            "ฉบับข้อมูล สศช. ที่มีในคลัง",
            "NESDC editions held",
            totals["edition"].nunique(),
            "",
            tsrc,
            as_of,
            False,
        ),
        _fig(
            "nesdc_latest_year",
            "ปีล่าสุดของ GPP ทางการของจังหวัด (พ.ศ.)",
            "Latest official GPP year of the province (B.E.)",
            None if totals.empty else int(totals["year_be"].max()),
            "",
            tsrc,
            as_of,
            False,
        ),
        _fig(
            "periods_behind",
            "จำนวนงวดที่ล่าช้ากว่าที่ควรมี (สศช. เผยแพร่ช้ากว่า 2 ปี)",
            "Periods behind the expected year (NESDC lags ~2 years)",
            None if f is None else f["periods_behind"],
            "",
            "queries/freshness/all.sql (fct_freshness)",
            as_of,
            False,
        ),
    ]
    year_rows = [
        [
            int(r.fiscal_year),
            r.required,
            r.present,
            r.coverage_pct,
            r.accuracy_pct,
            r.timeliness_pct,
            r.index_pct,
            r.band,
        ]
        for r in gpp[gpp["fiscal_year"].notna()].sort_values("fiscal_year").itertuples()
    ]
    ed = totals.groupby(["edition", "classification"], as_index=False).agg(
        first=("year_be", "min"), last=("year_be", "max"), years=("year_be", "nunique")
    )
    tables = [
        _table(
            "years",
            "คุณภาพรายปีข้อมูล (สาขา × ราคาประจำปี/ปริมาณลูกโซ่)",
            "Quality by data year (sectors × cp/cvm)",
            YEAR_COLS,
            year_rows,
            "queries/quality/summary.sql",
            as_of,
            sample,
        ),
        _table(
            "editions",
            "ยอดรวม GPP ทางการของจังหวัดตามฉบับ สศช.",
            "The province's official GPP totals by NESDC edition",
            [
                ("ฉบับ", "Edition"),
                ("การจัดประเภท", "Classification"),
                ("ปีแรก", "First year", "year"),
                ("ปีล่าสุด", "Latest year", "year"),
                ("จำนวนปี", "Years"),
            ],
            [[e.edition, e.classification, int(e.first), int(e.last), int(e.years)] for e in ed.itertuples()],
            tsrc,
            as_of,
            False,
        ),
    ]
    notes = [
        (
            "RM 4.4 เป็นระดับความสำเร็จตามขั้นตอน (milestone) ที่ผู้ประเมินพิจารณาจากหลักฐาน ระบบไม่ได้คำนวณเป็นตัวเลข; "
            "ตัวเลขข้างต้นคือคุณภาพของฐานข้อมูล GPP ที่ใช้ใน RM 4.1",
            "RM 4.4 is a milestone level the assessors judge from the evidence; Sanyan does not compute it. The "
            "figures above are the GPP database's quality as used in RM 4.1",
        )
    ]
    if sample:
        notes.append(
            (
                "ข้อมูลรายสาขาของจังหวัดเป็นข้อมูลตัวอย่าง ยอดรวม สศช. เป็นข้อมูลทางการ",
                "The province's sector data are sample; the NESDC totals are official",
            )
        )
    return _section("IT3", figs, tables, notes)


# ---------------------------------------------------------------- IT4: public access, §9, survey
def _it4(c: _Ctx) -> dict:
    from ops import portal

    today = c.today
    items = portal.register(c.eng)
    cur = portal.currency(items, today)
    s9_sample = any(i.get("provenance") == "sample" for i in items)
    csrc = "ops.portal.currency(ops.portal.register())"
    figs = [
        _fig(
            "s9_share",
            "ทะเบียนมาตรา 9: ร้อยละของหมวดที่เป็นปัจจุบัน",
            "§9 register: % of categories current",
            cur["share"],
            "%",
            csrc,
            today,
            s9_sample,
        ),
        _fig(
            "s9_current",
            "หมวดที่เป็นปัจจุบัน (จาก 8 หมวด)",
            "Categories current (of 8)",
            cur["current"],
            "",
            csrc,
            today,
            s9_sample,
        ),
        _fig(
            "s9_items",
            "รายการในทะเบียนมาตรา 9",
            "Entries in the §9 register",
            len(items),
            "",
            "ops.portal.register()",
            today,
            s9_sample,
        ),
    ]
    sv = portal.survey_results(c.eng)
    ssrc = "ops.portal.survey_results()"
    figs += [
        _fig("survey_responses", "จำนวนผู้ตอบแบบสำรวจ", "Survey responses", sv["responses"], "", ssrc, today),
        _fig(
            "rm42_pct",
            "RM 4.2 ความพึงพอใจต่อเว็บไซต์ (คะแนนเฉลี่ย ÷ 5 × 100)",
            "RM 4.2 satisfaction with the website (mean ÷ 5 × 100)",
            sv["rm42"]["pct"],
            "%",
            ssrc,
            today,
        ),
        _fig(
            "rm42_satisfied",
            "RM 4.2 สัดส่วนคำตอบระดับ 4–5",
            "RM 4.2 share of answers scoring 4–5",
            sv["rm42"]["satisfied"],
            "%",
            ssrc,
            today,
        ),
        _fig(
            "rm43_pct",
            "RM 4.3 ความพึงพอใจต่อการเปิดเผยข้อมูลตาม พ.ร.บ. (คะแนนเฉลี่ย ÷ 5 × 100)",
            "RM 4.3 satisfaction with OIA disclosure (mean ÷ 5 × 100)",
            sv["rm43"]["pct"],
            "%",
            ssrc,
            today,
        ),
        _fig(
            "rm43_satisfied",
            "RM 4.3 สัดส่วนคำตอบระดับ 4–5",
            "RM 4.3 share of answers scoring 4–5",
            sv["rm43"]["satisfied"],
            "%",
            ssrc,
            today,
        ),
    ]
    reqs = portal.requests(c.eng)
    answered = [r for r in reqs if r.get("status") == "answered"]
    days = [
        (_as_date(r["answered_at"]) - _as_date(r["created_at"])).days
        for r in answered
        if r.get("answered_at") and r.get("created_at")
    ]
    rsrc = "ops.portal.requests()"
    figs += [
        _fig("requests_received", "คำขอข้อมูลข่าวสารที่ได้รับ", "Information requests received", len(reqs), "", rsrc, today),
        _fig("requests_answered", "คำขอที่ตอบแล้ว", "Requests answered", len(answered), "", rsrc, today),
        _fig(
            "requests_open", "คำขอที่ยังไม่ได้ตอบ", "Requests not answered yet", len(reqs) - len(answered), "", rsrc, today
        ),
        _fig(
            "requests_days_mean",
            "ระยะเวลาตอบเฉลี่ย (วัน)",
            "Mean days to answer",
            round(sum(days) / len(days), 1) if days else None,
            "",
            rsrc,
            today,
            decimals=1,
        ),
    ]
    cat_rows = [
        [k, portal.CATEGORIES[k][0], portal.CATEGORIES[k][1], v["items"], v["current"], bool(v["current"])]
        for k, v in cur["categories"].items()
    ]
    q_rows = [
        [
            k,
            portal.QUESTIONS[k][0].upper().replace("RM4", "RM 4."),
            portal.QUESTIONS[k][1],
            portal.QUESTIONS[k][2],
            sv["questions"][k],
        ]
        for k in portal.QUESTIONS
    ]
    public = [p for p in _pages() if auth_may_open(p["path"], "public")]
    tables = [
        _table(
            "s9",
            "ทะเบียนมาตรา 9 รายหมวด",
            "The §9 register by category",
            [
                ("มาตรา 9", "§9"),
                ("หมวด", "Category"),
                ("Category", "Category (English)"),
                ("รายการ", "Entries"),
                ("เป็นปัจจุบัน", "Current entries"),
                ("หมวดเป็นปัจจุบัน", "Category current"),
            ],
            cat_rows,
            csrc,
            today,
            s9_sample,
        ),
        _table(
            "survey",
            "คะแนนเฉลี่ยรายข้อ (1–5)",
            "Mean score per question (1–5)",
            [
                ("ข้อ", "Question"),
                ("ตัวชี้วัด", "Measure"),
                ("คำถาม", "Question (Thai)"),
                ("Question", "Question (English)"),
                ("คะแนนเฉลี่ย", "Mean", "dec2"),
            ],
            q_rows,
            ssrc,
            today,
        ),
        _table(
            "public_pages",
            "หน้าที่ประชาชนเปิดได้โดยไม่ต้องลงชื่อเข้าใช้",
            "Pages the public opens without signing in",
            [("ที่อยู่", "Path"), ("ชื่อหน้า", "Page"), ("Page", "Page (English)")],
            [[p["path"], p["th"], p["en"]] for p in public],
            "auth.may_open(path, 'public')",
            today,
        ),
    ]
    notes = []
    if not items:
        notes.append(("ยังไม่มีรายการในทะเบียนมาตรา 9", "The §9 register has no entry yet"))
    if not sv["responses"]:
        notes.append(
            ("ยังไม่มีผู้ตอบแบบสำรวจ RM 4.2 / RM 4.3 จึงยังไม่มีค่า", "No survey answer yet, so RM 4.2 / RM 4.3 have no value")
        )
    return _section("IT4", figs, tables, notes)


# ---------------------------------------------------------------- IT5: the warning system
STATUS_WORDS = {
    "red": ("แดง ต่ำกว่าเกณฑ์", "red"),
    "yellow": ("เหลือง เฝ้าระวัง", "yellow"),
    "green": ("เขียว ตามเป้าหมาย", "green"),
    "late": ("รายงานล่าช้า", "late"),
    "not_due": ("ยังไม่ถึงกำหนด", "nothing due yet"),
    "awaiting": ("รอรายงาน", "awaiting reports"),
    "no_data": ("ไม่มีข้อมูล", "no data"),
    "no_criteria": ("ไม่มีเกณฑ์", "no criteria"),
}


def _it5(c: _Ctx) -> dict:
    from components import cockpit as ck
    from ops import meeting

    as_of, sample = c.as_of, c.sample(KPI_DATASETS)
    area = settings.province
    point = ck.resolve_point(db.query("cockpit/fiscal_years", area=area), c.fy, None)
    src = "queries/cockpit/kpi_status.sql (as pages/home.py)"
    figs: list[dict] = []
    tables: list[dict] = []
    notes: list[tuple[str, str]] = []
    if point.fy is not None:
        if point.fy != c.fy:
            notes.append(
                (
                    f"ไม่มีผลตัวชี้วัดของปีงบประมาณ {c.fy} แสดงปีงบประมาณ {point.fy}",
                    f"No KPI results for FY {c.fy}; FY {point.fy} shown",
                )
            )
        kpis = db.query("cockpit/kpi_status", fy=point.fy, idx=point.idx, area=area)
        main = kpis[kpis["status"].notna()]
        counts = ck.status_counts(main)
        when = f"{thai.month_name(point.month, 'th')} ปีงบประมาณ {point.fy}"
        when_en = f"{thai.month_name(point.month, 'en')} FY {point.fy}"
        figs.append(
            _fig(
                "round",
                "รอบข้อมูลล่าสุด (เดือนที่ของปีงบประมาณ)",
                "Latest round (month of the fiscal year)",
                point.idx,
                "",
                "queries/cockpit/fiscal_years.sql + components.cockpit.resolve_point",
                as_of,
                sample,
                note=(when, when_en),
            )
        )
        for k in ("red", "yellow", "green", "late", "not_due", "no_data"):
            figs.append(
                _fig(
                    f"status_{k}",
                    f"ตัวชี้วัดสถานะ{STATUS_WORDS[k][0]}",
                    f"KPIs {STATUS_WORDS[k][1]}",
                    counts[k],
                    "",
                    src,
                    as_of,
                    sample,
                )
            )
        warned = main[main["leading_warnings"] > 0]
        miss = main[main["projected_miss"].astype(bool) & (main["status"] != "red")]
        figs += [
            _fig(
                "leading_warned",
                "ตัวชี้วัดที่ถูกเตือนโดยตัวชี้วัดนำ",
                "KPIs warned by a leading KPI",
                len(warned),
                "",
                src,
                as_of,
                sample,
            ),
            _fig(
                "leading_warnings",
                "จำนวนคำเตือนจากตัวชี้วัดนำ",
                "Leading-KPI warnings",
                int(main["leading_warnings"].sum()),
                "",
                src,
                as_of,
                sample,
            ),
            _fig(
                "projected_miss",
                "คาดว่าจะไม่ถึงเป้าหมายสิ้นปี (ยังไม่แดง)",
                "Projected to miss the year-end target (not red yet)",
                len(miss),
                "",
                src,
                as_of,
                sample,
            ),
            _fig(
                "projected_miss_all",
                "คาดว่าจะไม่ถึงเป้าหมายสิ้นปี (ทั้งหมด)",
                "Projected to miss (all)",
                int(main["projected_miss"].astype(bool).sum()),
                "",
                src,
                as_of,
                sample,
            ),
        ]
        agr = db.query("cockpit/agreement", fy=point.fy, idx=point.idx)
        if not agr.empty:
            figs.append(
                _fig(
                    "agreement_score",
                    "คะแนนคำรับรองการปฏิบัติราชการ (ถ่วงน้ำหนัก)",
                    "Performance agreement score (weighted)",
                    agr["score"].iloc[0],
                    "",
                    "queries/cockpit/agreement.sql",
                    as_of,
                    sample,
                )
            )
        # the warning log: the latest LOG_ROUNDS rounds (this year's and the year before's),
        # each counted the same way as the overview counts the latest one
        rounds = [(point.fy, i) for i in range(int(point.idx), 0, -1)]
        years = db.query("cockpit/fiscal_years", area=area)
        before = years[years["fiscal_year"] == point.fy - 1]
        if not before.empty:
            last = _plain(before["latest_idx"].iloc[0]) or _plain(before["last_idx"].iloc[0]) or 0
            rounds += [(point.fy - 1, i) for i in range(int(last), 0, -1)]
        log_rows = []
        for year, idx in sorted(rounds[:LOG_ROUNDS]):
            k = db.query("cockpit/kpi_status", fy=year, idx=idx, area=area)
            m = k[k["status"].notna()]
            n = ck.status_counts(m)
            month = idx + 9 if idx <= 3 else idx - 3
            log_rows.append(
                [
                    year,
                    month,
                    n["red"],
                    n["yellow"],
                    n["green"],
                    n["late"],
                    int((m["leading_warnings"] > 0).sum()),
                    int((m["projected_miss"].astype(bool) & (m["status"] != "red")).sum()),
                ]
            )
        tables.append(
            _table(
                "rounds",
                f"บันทึกสัญญาณเตือน {len(log_rows)} รอบล่าสุด (ระดับจังหวัด)",
                f"Warning log, the latest {len(log_rows)} rounds (province)",
                [
                    ("ปีงบประมาณ", "FY", "year"),
                    ("เดือน", "Month", "year"),
                    ("แดง", "Red"),
                    ("เหลือง", "Yellow"),
                    ("เขียว", "Green"),
                    ("ล่าช้า", "Late"),
                    ("ถูกเตือนโดยตัวชี้วัดนำ", "Warned by leading"),
                    ("คาดว่าไม่ถึงเป้า", "Projected miss"),
                ],
                log_rows,
                src,
                as_of,
                sample,
            )
        )
        red = main[main["status"] == "red"].sort_values(["score", "kpi_code"])
        shown = red[red["classification"].fillna("open") != "secret"]
        tables.append(
            _table(
                "red",
                "ตัวชี้วัดสถานะแดงในรอบล่าสุด (ไม่แสดงชื่อตัวชี้วัดชั้นลับ)",
                "Red KPIs in the latest round (secret KPIs are not named)",
                [
                    ("รหัส", "Code"),
                    ("ตัวชี้วัด", "KPI"),
                    ("ชั้นความลับ", "Classification"),
                    ("คะแนน", "Score", "score"),
                    ("คาดการณ์สิ้นปี", "Projected", "dec2"),
                ],
                [[r.kpi_code, r.name_th, r.classification, r.score, r.projected] for r in shown.itertuples()],
                src,
                as_of,
                sample,
            )
        )
        if len(red) > len(shown):
            notes.append(
                (
                    f"ตัวชี้วัดชั้นลับสถานะแดง {len(red) - len(shown)} ตัว นับรวมแล้วแต่ไม่แสดงชื่อ",
                    f"{len(red) - len(shown)} secret red KPI(s) counted but not named",
                )
            )
    else:
        notes.append(("ยังไม่มีผลการดำเนินงานตัวชี้วัดในคลังข้อมูล", "The warehouse has no KPI results yet"))
    fresh = db.query("freshness/all")
    fk = fresh[fresh["dataset"] == "kpi"]
    if c.kpi_classes:  # only the KPIs this reader sees
        fk = fk[fk["item_code"].isin(set(c.kpi_classes))]
    fc = fk["freshness"].value_counts().to_dict()
    fsrc = "queries/freshness/all.sql (fct_freshness)"
    figs += [
        _fig(f"fresh_{k}", f"ตัวชี้วัดที่ข้อมูล{th}", f"KPIs whose data are {en}", int(fc.get(k, 0)), "", fsrc, as_of, sample)
        for k, th, en in (
            ("current", "เป็นปัจจุบัน", "current"),
            ("due", "ค้างส่ง 1 งวด", "one period late"),
            ("overdue", "ล่าช้า 2 งวดขึ้นไป", "two or more periods late"),
        )
    ]
    # directives: the follow-up log
    d = meeting.directives(c.eng)
    dsrc = "ops.meeting.directives()"
    start, end = thai.fiscal_year_bounds(c.fy)
    created = d["created_at"].map(_as_date) if not d.empty else pd.Series(dtype=object)
    closed_on = d["closed_at"].map(_as_date) if not d.empty else pd.Series(dtype=object)
    due = d["due_date"].map(_as_date) if not d.empty else pd.Series(dtype=object)

    def in_fy(s):
        return s.map(lambda x: x is not None and start <= x <= end)

    not_closed = d["status"] != "closed" if not d.empty else pd.Series(dtype=bool)
    figs += (
        [
            _fig("directives", "ข้อสั่งการทั้งหมด", "Directives, all", len(d), "", dsrc, c.today),
            _fig(
                "directives_issued_fy",
                f"ข้อสั่งการที่ออกในปีงบประมาณ {c.fy}",
                f"Directives issued in FY {c.fy}",
                int(in_fy(created).sum()) if not d.empty else 0,
                "",
                dsrc,
                c.today,
            ),
            _fig(
                "directives_closed_fy",
                f"ข้อสั่งการที่ปิดในปีงบประมาณ {c.fy}",
                f"Directives closed in FY {c.fy}",
                int(in_fy(closed_on).sum()) if not d.empty else 0,
                "",
                dsrc,
                c.today,
            ),
        ]
        + [
            _fig(
                f"directives_{s}",
                f"ข้อสั่งการสถานะ {th}",
                f"Directives {s}",
                int((d["status"] == s).sum()) if not d.empty else 0,
                "",
                dsrc,
                c.today,
            )
            for s, th in (("open", "เปิด รอดำเนินการ"), ("answered", "ตอบแล้ว รอปิด"), ("closed", "ปิดแล้ว"))
        ]
        + [
            _fig(
                "directives_overdue",
                "ข้อสั่งการที่ยังไม่ปิดและเลยกำหนด",
                "Directives not closed and past due",
                int((not_closed & due.map(lambda x: x is not None and x < c.today)).sum()) if not d.empty else 0,
                "",
                dsrc,
                c.today,
            )
        ]
    )
    with c.eng.connect() as con:
        n_agendas = con.execute(sa.select(sa.func.count()).select_from(ops.agendas)).scalar_one()
    figs.append(
        _fig("agendas", "วาระการประชุมที่จัดทำในระบบ", "Meeting agendas built", n_agendas, "", "ops.agendas", c.today)
    )
    return _section("IT5", figs, tables, notes)


# ---------------------------------------------------------------- IT6: IT risk
def _pages() -> list[dict]:
    """Every page the app registers (pages/*.py, read as source: no Dash app needed), plus the
    public paths web/auth.py knows that are not Dash pages (the open-data API)."""
    from web import auth

    out: dict[str, dict] = {}
    for f in sorted((ROOT / "pages").glob("*.py")):
        try:
            tree = ast.parse(f.read_text(encoding="utf-8"))
        except (SyntaxError, UnicodeDecodeError):
            continue
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "attr", getattr(node.func, "id", None)) == "register_page"
            ):
                kw = {k.arg: k.value.value for k in node.keywords if isinstance(k.value, ast.Constant)}
                path = kw.get("path_template") or kw.get("path")
                if path and not f.name.startswith("not_found"):
                    out[path] = {
                        "path": path,
                        "th": kw.get("name") or kw.get("title") or path,
                        "en": kw.get("name_en") or kw.get("name") or path,
                        "file": f"pages/{f.name}",
                    }
    for path in sorted(set(auth.PUBLIC_PATHS) | set(auth.PAGE_ROLES)):
        out.setdefault(path, {"path": path, "th": path, "en": path, "file": "web/auth.py"})
    return sorted(out.values(), key=lambda p: p["path"])


def auth_may_open(path: str, role: str) -> bool:
    from web import auth

    return auth.may_open(path, role)


def _it6(c: _Ctx) -> dict:
    from etl import backup as bk
    from web import auth

    today = c.today
    pages = _pages()
    matrix = [[p["path"], p["th"], p["en"]] + [auth.may_open(p["path"], r) for r in ROLES] for p in pages]
    reads = [[r] + [auth.READS.get(r) is None or k in auth.READS.get(r, frozenset()) for k in CLASSES] for r in ROLES]
    role_cols = [(r, r) for r in ROLES]
    with c.eng.connect() as con:
        accounts = con.execute(
            sa.select(ops.users.c.role, ops.users.c.active, sa.func.count()).group_by(
                ops.users.c.role, ops.users.c.active
            )
        ).all()
        audit = con.execute(sa.select(ops.audit_log.c.action, ops.audit_log.c.outcome, ops.audit_log.c.at)).all()
        bk_rows = con.execute(
            sa.select(
                ops.audit_log.c.at,
                ops.audit_log.c.action,
                ops.audit_log.c.outcome,
                ops.audit_log.c.target,
                ops.audit_log.c.after,
            )
            .where(ops.audit_log.c.action.in_(("backup", "restore")))
            .order_by(ops.audit_log.c.audit_id)
        ).all()
    active = {r: 0 for r in ops.ROLES}
    for role, is_active, n in accounts:
        if is_active:
            active[role] = active.get(role, 0) + n
    figs = [
        _fig(
            f"accounts_{r}",
            f"บัญชีผู้ใช้ที่ใช้งานได้ บทบาท {r}",
            f"Active accounts, role {r}",
            active.get(r, 0),
            "",
            "ops.users",
            today,
        )
        for r in ops.ROLES
    ]
    figs.append(
        _fig(
            "pages",
            "หน้าในระบบที่ตรวจสิทธิ์",
            "Pages under access control",
            len(pages),
            "",
            "pages/*.py register_page + auth.PUBLIC_PATHS",
            today,
        )
    )
    # backups: the archives in the backup folder (the newest verified now) and the audit history
    folder = Path(c.backup_dir)
    archives = sorted(folder.glob("sanyan-backup-*.tar.gz")) if folder.is_dir() else []
    newest = archives[-1] if archives else None
    verified, manifest, why = None, None, None
    if newest is not None:
        try:
            manifest = bk.verify(newest)
            verified = True
        except bk.BackupError as e:
            verified, why = False, str(e)
    bsrc = f"etl.backup: {folder}/sanyan-backup-*.tar.gz"
    last_made = datetime.fromtimestamp(newest.stat().st_mtime, UTC) if newest else None
    figs += [
        _fig(
            "backup_archives",
            "ไฟล์สำรองข้อมูลที่เก็บอยู่",
            "Backup archives kept",
            len(archives),
            "",
            bsrc,
            today,
            note=(str(folder), str(folder)),
        ),
        _fig(
            "backup_bytes_mb",
            "ขนาดไฟล์สำรองรวม (MB)",
            "Backup archives, total MB",
            round(sum(a.stat().st_size for a in archives) / 1e6, 1),
            "MB",
            bsrc,
            today,
            decimals=1,
        ),
        _fig(
            "backup_days_since",
            "จำนวนวันนับจากการสำรองครั้งล่าสุด",
            "Days since the newest backup",
            None if last_made is None else (today - last_made.date()).days,
            "",
            bsrc,
            today,
        ),
        _fig(
            "backup_newest_verified",
            "ไฟล์สำรองล่าสุดตรวจ sha256 ผ่านทุกไฟล์ (1 = ผ่าน)",
            "The newest archive passes its sha256 check (1 = yes)",
            None if verified is None else int(verified),
            "check",
            "etl.backup.verify()",
            today,
            note=None if why is None else (why, why),
        ),
        _fig(
            "backup_newest_files",
            "จำนวนไฟล์ในไฟล์สำรองล่าสุด",
            "Files in the newest archive",
            None if manifest is None else len(manifest["files"]),
            "",
            "etl.backup.verify()",
            today,
        ),
    ]
    import json

    def after(x):
        try:
            return json.loads(x) if x else {}
        except ValueError:
            return {}

    hist_rows = [
        [
            _as_date(r.at),
            r.action,
            r.outcome,
            Path(r.target or "").name,
            after(r.after).get("files"),
            after(r.after).get("snapshot"),
        ]
        for r in bk_rows
    ]
    n_backup = sum(1 for r in bk_rows if r.action == "backup" and r.outcome == "ok")
    n_restore = sum(1 for r in bk_rows if r.action == "restore" and r.outcome == "ok")
    figs += [
        _fig(
            "backups_logged",
            "การสำรองข้อมูลที่บันทึกในบันทึกการใช้งาน",
            "Backups in the audit trail",
            n_backup,
            "",
            "ops.audit_log (action = backup)",
            today,
        ),
        _fig(
            "restores_logged",
            "การกู้คืนที่บันทึกในบันทึกการใช้งาน",
            "Restores in the audit trail",
            n_restore,
            "",
            "ops.audit_log (action = restore)",
            today,
        ),
    ]
    # the audit trail's volume
    since = today - timedelta(days=AUDIT_RECENT_DAYS)
    fy_start, fy_end = thai.fiscal_year_bounds(c.fy)
    dates = [_as_date(a.at) for a in audit]
    figs += [
        _fig(
            "audit_entries",
            "รายการในบันทึกการใช้งานทั้งหมด",
            "Audit-trail entries, all",
            len(audit),
            "",
            "ops.audit_log",
            today,
        ),
        _fig(
            "audit_entries_recent",
            f"รายการใน {AUDIT_RECENT_DAYS} วันล่าสุด",
            f"Entries in the last {AUDIT_RECENT_DAYS} days",
            sum(1 for d in dates if d and d > since),
            "",
            "ops.audit_log",
            today,
        ),
        _fig(
            "audit_entries_fy",
            f"รายการในปีงบประมาณ {c.fy}",
            f"Entries in FY {c.fy}",
            sum(1 for d in dates if d and fy_start <= d <= fy_end),
            "",
            "ops.audit_log",
            today,
        ),
        _fig(
            "audit_refused",
            "การกระทำที่ถูกปฏิเสธ (สิทธิ์ไม่พอ ล็อก)",
            "Refused actions (no right, locked out)",
            sum(1 for a in audit if a.outcome == "refused"),
            "",
            "ops.audit_log (outcome = refused)",
            today,
        ),
        _fig(
            "audit_failed",
            "การกระทำที่ล้มเหลว (เช่น รหัสผ่านผิด)",
            "Failed actions (e.g. wrong password)",
            sum(1 for a in audit if a.outcome == "failed"),
            "",
            "ops.audit_log (outcome = failed)",
            today,
        ),
    ]
    fam: dict[str, dict[str, int]] = {}
    for a in audit:
        f = fam.setdefault(a.action.split(".")[0], {"ok": 0, "refused": 0, "failed": 0})
        f[a.outcome if a.outcome in f else "failed"] += 1
    fam_rows = [
        [k, v["ok"], v["refused"], v["failed"], sum(v.values())]
        for k, v in sorted(fam.items(), key=lambda kv: -sum(kv[1].values()))
    ]
    tables = [
        _table(
            "pages",
            "สิทธิ์การเปิดหน้า: หน้า × บทบาท (auth.may_open)",
            "Who opens which page: page × role (auth.may_open)",
            [("ที่อยู่", "Path"), ("หน้า", "Page"), ("Page", "Page (English)")] + role_cols,
            matrix,
            "auth.PAGE_ROLES, auth.INTERNAL, auth.PUBLIC_PATHS via auth.may_open",
            today,
        ),
        _table(
            "classes",
            "ชั้นความลับที่แต่ละบทบาทอ่านได้ (auth.READS)",
            "Classifications each role reads (auth.READS)",
            [("บทบาท", "Role")] + [(k, k) for k in CLASSES],
            reads,
            "auth.READS",
            today,
        ),
        _table(
            "backups",
            "ไฟล์สำรองข้อมูลที่เก็บอยู่",
            "Backup archives kept",
            [("ไฟล์", "Archive"), ("ขนาด (MB)", "MB", "dec1"), ("วันที่", "Date")],
            [
                [a.name, round(a.stat().st_size / 1e6, 1), datetime.fromtimestamp(a.stat().st_mtime, UTC).date()]
                for a in archives
            ],
            bsrc,
            today,
        ),
        _table(
            "backup_log",
            "ประวัติการสำรองและกู้คืนข้อมูล (บันทึกการใช้งาน)",
            "Backup and restore history (audit trail)",
            [
                ("วันที่", "Date"),
                ("การกระทำ", "Action"),
                ("ผล", "Outcome"),
                ("ไฟล์", "Archive"),
                ("จำนวนไฟล์", "Files"),
                ("ชุดข้อมูล", "Snapshot"),
            ],
            hist_rows,
            "ops.audit_log (action in backup, restore)",
            today,
        ),
        _table(
            "audit",
            "ปริมาณบันทึกการใช้งานตามประเภท",
            "Audit-trail volume by kind",
            [("ประเภท", "Kind"), ("สำเร็จ", "ok"), ("ถูกปฏิเสธ", "refused"), ("ล้มเหลว", "failed"), ("รวม", "total")],
            fam_rows,
            "ops.audit_log",
            today,
        ),
    ]
    notes = [("แผนรับมือเหตุฉุกเฉินและขั้นตอนกู้คืน: docs/RUNBOOK.md", "The contingency plan and restore steps: docs/RUNBOOK.md")]
    if not archives:
        notes.append((f"ไม่พบไฟล์สำรองข้อมูลใน {folder}", f"No backup archive in {folder}"))
    return _section("IT6", figs, tables, notes)


# ---------------------------------------------------------------- IT7: KM (RM 4.5)
def _it7(c: _Ctx) -> dict:
    from ops import km

    fy, today = c.fy, c.today
    bodies = km.plan(c.eng, fy)
    s = km.score(bodies)
    issues = db.query("km/issues", fy=fy)
    chk = km.checklist(list(issues["node_code"]), bodies)
    sample = any(b.get("provenance") == "sample" for b in bodies)
    src = f"ops.km.score(ops.km.plan(fy={fy}))"
    figs = [
        _fig(
            "rm45_overall_pct",
            "RM 4.5 ร้อยละเฉลี่ยถ่วงน้ำหนักความสำเร็จของแผน",
            "RM 4.5 weighted-average achievement",
            None if s["overall"] is None else round(s["overall"], 2),
            "%",
            src,
            today,
            sample,
        ),
        _fig(
            "rm45_score",
            "RM 4.5 คะแนน (60/70/80/90/100 % = 1–5)",
            "RM 4.5 score (60/70/80/90/100 % = 1–5)",
            s["score"],
            "",
            src,
            today,
            sample,
        ),
        _fig("bodies", "องค์ความรู้ในแผน", "Knowledge bodies", len(bodies), "", src, today, sample),
        _fig("activities", "กิจกรรม", "Activities", s["activities"], "", src, today, sample),
        _fig(
            "activities_reached",
            "กิจกรรมที่ได้ผลตั้งแต่ร้อยละ 80 ของเป้าหมาย",
            "Activities at ≥ 80 % of target",
            s["reached"],
            "",
            src,
            today,
            sample,
        ),
        _fig(
            "issues",
            "ประเด็นยุทธศาสตร์ที่แผนต้องครอบคลุม",
            "Strategic issues the plan must cover",
            len(issues),
            "",
            "queries/km/issues.sql",
            c.as_of,
            bool((issues.get("provenance") == "sample").any()) if not issues.empty else False,
        ),
    ]
    chk_words = {
        "issues": ("ทุกประเด็นยุทธศาสตร์มีองค์ความรู้", "Every strategic issue has a knowledge body"),
        "bodies": ("มีองค์ความรู้อย่างน้อย 3 เรื่อง", "At least 3 knowledge bodies"),
        "body_weights": ("น้ำหนักขององค์ความรู้รวมเป็น 100", "Body weights sum to 100"),
        "activity_weights": ("น้ำหนักกิจกรรมในแต่ละองค์ความรู้รวมเป็น 100", "Activity weights of every body sum to 100"),
        "reached": ("ทุกกิจกรรมได้ผลตั้งแต่ร้อยละ 80 ของเป้าหมาย", "Every activity reaches 80 % of its target"),
    }
    csrc = "ops.km.checklist()"
    figs.append(
        _fig(
            "checklist_passed",
            "รายการตรวจ IT7 ที่ผ่าน (จาก 5)",
            "IT7 checks passed (of 5)",
            sum(1 for x in chk if x["ok"]),
            "",
            csrc,
            today,
            sample,
        )
    )
    figs += [
        _fig(
            f"check_{x['key']}",
            "ตรวจ IT7: " + chk_words[x["key"]][0],
            "IT7 check: " + chk_words[x["key"]][1],
            int(bool(x["ok"])),
            "check",
            csrc,
            today,
            sample,
        )
        for x in chk
    ]
    names = dict(zip(issues["node_code"], issues["name_th"])) if not issues.empty else {}
    body_rows = [
        [
            b["name_th"],
            b["issue_code"],
            names.get(b["issue_code"]),
            b["weight"],
            round(b["pct"], 2),
            len(b["activities"]),
            sum(1 for a in b["activities"] if a["reached"]),
        ]
        for b in s["bodies"]
    ]
    tables = [
        _table(
            "bodies",
            f"องค์ความรู้ในแผนปีงบประมาณ {fy}",
            f"Knowledge bodies of FY {fy}",
            [
                ("องค์ความรู้", "Knowledge body"),
                ("ประเด็น", "Issue"),
                ("ชื่อประเด็น", "Issue name"),
                ("น้ำหนัก %", "Weight %", "dec2"),
                ("ความสำเร็จ %", "Achievement %", "pct"),
                ("กิจกรรม", "Activities"),
                ("ถึงร้อยละ 80", "≥ 80 %"),
            ],
            body_rows,
            src,
            today,
            sample,
        )
    ]
    notes = []
    if not bodies:
        notes.append(
            (f"ยังไม่มีแผนการจัดการความรู้ของปีงบประมาณ {fy} (บันทึกที่หน้า /km)", f"No KM plan for FY {fy} yet (enter it on /km)")
        )
    return _section("IT7", figs, tables, notes)


# ---------------------------------------------------------------- collect
def current_fy() -> int:
    """The fiscal year of the snapshot's as-of date (what /km opens on)."""
    info = db.snapshot_info()
    d = _as_date(info.get("as_of") or info.get("built_at")) or date.today()
    return thai.fiscal_year(d)


def collect(
    today: date | None = None, fy: int | None = None, backup_dir: Path | str | None = None, eng: sa.Engine | None = None
) -> dict:
    """Every IT item's figures (see the module's docstring). ``today``: the day the ops-store
    figures are judged by (the §9 register's currency, overdue directives); default today.
    ``fy``: the fiscal year (B.E.); default the snapshot's. ``backup_dir``: where the archives
    are (default the CLI's, backups/ beside data/)."""
    t0 = time.monotonic()
    if not db.available():
        raise EvidenceError(
            f"ไม่พบคลังข้อมูล {settings.warehouse} (สั่ง python -m etl build ก่อน) / "
            f"no warehouse at {settings.warehouse} (run python -m etl build)"
        )
    today = today or date.today()
    fy = int(thai.to_arabic_digits(str(fy))) if fy else current_fy()
    snap = db.snapshot_info()
    eng = eng or ops.engine()
    classes = db.query("meta/kpi_classes")
    allowed = db.reader_classes()
    ctx = _Ctx(
        today,
        fy,
        snap,
        db.query("meta/datasets"),
        eng,
        Path(backup_dir) if backup_dir else settings.data_dir.parent / "backups",
        dict(zip(classes["kpi_code"], classes["classification"])),
    )
    prov = db.query("meta/province", province=settings.province)
    sections = {}
    for code, make in (
        ("IT1", _it1),
        ("IT2", _it2),
        ("IT3", _it3),
        ("IT4", _it4),
        ("IT5", _it5),
        ("IT6", _it6),
        ("IT7", _it7),
    ):
        sections[code] = make(ctx)
    sample = any(f["sample"] for s in sections.values() for f in s["figures"])
    return {
        "fy": fy,
        "today": today,
        "generated_at": datetime.now(UTC),
        "snapshot": {"version": snap.get("version"), "as_of": ctx.as_of, "built_at": _plain(snap.get("built_at"))},
        "province": {
            "code": settings.province,
            "th": prov["name_th"].iloc[0] if not prov.empty else settings.province,
            "en": prov["name_en"].iloc[0] if not prov.empty else settings.province,
        },
        "scope": None if allowed is None else sorted(allowed),
        "sample": sample,
        "backup_dir": str(ctx.backup_dir),
        "sections": sections,
        "timings": {"collect_s": round(time.monotonic() - t0, 2)},
    }


# ---------------------------------------------------------------- rendering
def _fmt(v: Any, unit: str, lang: str, decimals: int | None = None) -> str:
    if decimals is not None and isinstance(v, (int, float)) and not isinstance(v, bool):
        return thai.format_number(v, decimals, lang) + (" %" if unit == "%" else "")
    if v is None:
        return "–"
    # words, never a tick or cross character as an icon (a font without them draws a box; the words
    # read the same in the PDF, the workbook and to a screen reader)
    if unit == "check":
        return ("pass" if v else "FAIL") if lang == "en" else ("ผ่าน" if v else "ไม่ผ่าน")
    if isinstance(v, bool):
        return ("yes" if v else "no") if lang == "en" else ("ใช่" if v else "ไม่ใช่")
    if isinstance(v, (date, datetime)):
        return thai.format_date_th(v, lang, abbr=True)
    if isinstance(v, int):
        return thai.format_number(v, 0, lang)
    if isinstance(v, float):
        dec = 4 if unit == "" and abs(v) < 10 and v != int(v) else 2
        if v == int(v) and unit != "%":
            dec = 0
        return thai.format_number(v, dec, lang) + (" %" if unit == "%" else "")
    return str(v)


KIND_DECIMALS = {"pct": 2, "score": 4, "dec2": 2, "dec1": 1}
KIND_XLSX = {"year": "0", "pct": "0.00", "score": "0.0000", "dec2": "0.00", "dec1": "0.0"}


def _kind(col: tuple) -> str | None:
    return col[2] if len(col) > 2 else None


def _cell(x: Any, kind: str | None, lang: str) -> str:
    """A table cell as text: years and months without separators, scores with 4 decimals."""
    if x is None or isinstance(x, (bool, str, date)) or kind is None:
        return _fmt(x, "", lang)
    if kind == "year":
        return str(int(x))
    return thai.format_number(x, KIND_DECIMALS[kind], lang)


def _t(obj: dict | tuple, lang: str) -> str:
    if isinstance(obj, tuple):
        return obj[1] if lang == "en" else obj[0]
    return obj["en"] if lang == "en" else obj["th"]


def pack_html(p: dict, lang: str = "th") -> str:
    """The pack as one HTML document (fonts inline, nothing fetched), for Chromium to print."""
    from web.exports import DOC_CSS, font_css

    w = WORDS["en" if lang == "en" else "th"]
    badge = f'<span class="sample">◇ {w["sample"]}</span>'
    snap = p["snapshot"]
    as_of = thai.format_date_th(snap["as_of"], lang) if snap["as_of"] else "–"
    scope = w["scope_all"] if p["scope"] is None else w["scope_some"].format(c=", ".join(p["scope"]))

    def fig_rows(figs):
        rows = []
        for f in figs:
            note = f' <span class="src">({escape(_t(f["note"], lang))})</span>' if f.get("note") else ""
            rows.append(
                f"<tr><td>{escape(_t(f, lang))}{note}</td>"
                f'<td class="num">{escape(_fmt(f["value"], f["unit"], lang, f.get("decimals")))}'
                f"{'<br>' + badge if f['sample'] else ''}</td>"
                f'<td class="src">{escape(f["source"])}</td>'
                f'<td class="src date">{escape(_fmt(f["as_of"], "", lang))}</td></tr>'
            )
        return (
            f'<table class="figs"><thead><tr><th>{w["item"]}</th><th>{w["value"]}</th><th>{w["source"]}</th>'
            f"<th>{w['date']}</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )

    def table(t):
        head = "".join(f"<th>{escape(_t(c, lang))}</th>" for c in t["columns"])
        if t["rows"]:
            kinds = [_kind(c) for c in t["columns"]]
            body = "".join(
                "<tr>"
                + "".join(
                    f'<td class="{"num" if isinstance(x, (int, float)) and not isinstance(x, bool) else ""}">'
                    f"{escape(_cell(x, k, lang))}</td>"
                    for x, k in zip(r, kinds)
                )
                + "</tr>"
                for r in t["rows"]
            )
        else:
            body = f'<tr><td colspan="{len(t["columns"])}">{w["none"]}</td></tr>'
        return (
            f"<h3>{escape(_t(t, lang))}{' ' + badge if t['sample'] else ''}</h3>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
            f'<p class="src">{w["source"]}: {escape(t["source"])} · {w["date"]} '
            f"{escape(_fmt(t['as_of'], '', lang))}</p>"
        )

    head_rows = []
    for sec, key in HEADLINE:
        try:
            f = figure(p, sec, key)
        except KeyError:
            continue
        head_rows.append(
            f"<tr><td>{sec}</td><td>{escape(_t(f, lang))}</td>"
            f'<td class="num">{escape(_fmt(f["value"], f["unit"], lang, f.get("decimals")))}'
            f"{' ' + badge if f['sample'] else ''}</td></tr>"
        )
    toc = "".join(f"<li><b>{code}</b> {escape(_t(s, lang))}</li>" for code, s in p["sections"].items())
    parts = [
        f"""<section class="cover">
<div class="meta">{escape(w["footer"])}</div>
<h1>{escape(w["title"])}</h1><p class="lead">{escape(w["sub"])}</p>
<p><b>{escape(_t(p["province"], lang))}</b> · {w["fy"]} {p["fy"]}</p>
<table class="kv"><tbody>
<tr><th>{w["snapshot"]}</th><td>{escape(str(snap["version"] or "–"))}</td></tr>
<tr><th>{w["as_of"]}</th><td>{escape(as_of)}</td></tr>
<tr><th>{w["today"]}</th><td>{escape(thai.format_date_th(p["today"], lang))}</td></tr>
<tr><th>{w["made"]}</th><td>{escape(thai.format_date_th(p["generated_at"], lang, with_time=True))}</td></tr>
<tr><th>{w["scope"]}</th><td>{escape(scope)}</td></tr></tbody></table>
{f'<p class="warn">{badge} {escape(w["sample_note"])}</p>' if p["sample"] else ""}
<h2>{w["contents"]}</h2><ol class="toc">{toc}</ol>
<h2>{w["headline"]}</h2><table class="figs"><tbody>{"".join(head_rows)}</tbody></table></section>"""
    ]
    for code, s in p["sections"].items():
        rms = "".join(f"<li><b>{escape(r)}</b> {escape(_t(RM_TITLES[r], lang))}</li>" for r in s["rm"])
        exists = "".join(f"<li>{escape(_t(e, lang))}</li>" for e in s["exists"])
        notes = "".join(f'<p class="note">{w["note"]}: {escape(_t(n, lang))}</p>' for n in s["notes"])
        parts.append(f"""<section class="it" id="{code}">
<div class="meta">{escape(w["footer"])} · {w["fy"]} {p["fy"]} · {escape(str(snap["version"] or ""))}</div>
<h1>{code} {escape(_t(s, lang))}</h1>
{f'<ul class="rm">{rms}</ul>' if rms else ""}
<h2>{w["exists"]}</h2><ul>{exists}</ul>
<h2>{w["figures"]}</h2>{fig_rows(s["figures"])}{notes}
{"".join(table(t) for t in s["tables"])}</section>""")
    return f"""<!DOCTYPE html><html lang="{"en" if lang == "en" else "th"}"><head><meta charset="utf-8">
<title>{escape(w["title"])} {p["fy"]}</title><style>{font_css()}{DOC_CSS}
@page {{ size: A4; margin: 14mm 12mm; }}
section.it {{ break-before: page; }}
h3 {{ color: #1d3557; font-size: 12pt; margin: 1em 0 .3em; }}
td.num {{ text-align: right; white-space: nowrap; }}
table.figs td:first-child {{ width: 44%; }}
table.figs td.src {{ font-size: 8.5pt; overflow-wrap: anywhere; }}
td.date {{ white-space: nowrap; }}
table.kv {{ width: auto; }} table.kv th {{ text-align: left; }}
.sample {{ border: 1px solid #8a5a00; color: #6b4500; padding: 0 3pt; font-size: 8.5pt; white-space: nowrap; }}
.warn {{ border: 1px solid #8a5a00; padding: 4pt 6pt; }}
.note {{ font-size: 10pt; color: #44505c; }}
ul.rm {{ list-style: none; padding: 0; }}
.lead {{ font-size: 14pt; }}
</style></head><body>{"".join(parts)}</body></html>"""


def pack_xlsx(p: dict, lang: str = "th") -> bytes:
    """One sheet per IT item (and a cover sheet): the figures (numbers as numbers) with their
    source, as-of date and sample mark, then each table."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    w = WORDS["en" if lang == "en" else "th"]
    font, bold = Font(name="Sarabun"), Font(name="Sarabun", bold=True)
    wb = Workbook()
    wb.properties.title = f"{w['title']} {p['fy']}"
    wb.properties.creator = "Sanyan"
    cover = wb.active
    cover.title = "สรุป" if lang != "en" else "Summary"
    snap = p["snapshot"]

    def put(ws, r, c, v, f=font, fmt=None):
        v = _plain(v)
        if isinstance(v, tuple):
            v = _t(v, lang)
        if isinstance(v, datetime) and v.tzinfo is not None:  # Excel has no zones: Thai time
            v = v.astimezone(thai.THAI_TZ).replace(tzinfo=None)
        cell = xlsx_text(ws.cell(r, c, v))  # text that begins with "=", "-", "@"…: text, never a formula
        cell.font = f
        if fmt:
            cell.number_format = fmt
        elif isinstance(v, datetime):
            cell.number_format = "yyyy-mm-dd hh:mm"
        elif isinstance(v, date):
            cell.number_format = "yyyy-mm-dd"
        return cell

    put(cover, 1, 1, w["title"], Font(name="Sarabun", bold=True, size=14))
    put(cover, 2, 1, w["sub"])
    rows = [
        (w["fy"], p["fy"]),
        ("Province" if lang == "en" else "จังหวัด", _t(p["province"], lang)),
        (w["snapshot"], snap["version"]),
        (w["as_of"], snap["as_of"]),
        (w["today"], p["today"]),
        (w["made"], p["generated_at"]),
        (w["scope"], w["scope_all"] if p["scope"] is None else w["scope_some"].format(c=", ".join(p["scope"]))),
    ]
    for i, (k, v) in enumerate(rows, start=4):
        put(cover, i, 1, k, bold)
        put(cover, i, 2, v)
    r = len(rows) + 5
    if p["sample"]:
        put(cover, r, 1, w["sample_note"])
        r += 2
    put(cover, r, 1, w["headline"], bold)
    r += 1
    for sec, key in HEADLINE:
        try:
            f = figure(p, sec, key)
        except KeyError:
            continue
        put(cover, r, 1, sec)
        put(cover, r, 2, _t(f, lang))
        put(cover, r, 3, f["value"])
        put(cover, r, 4, f["unit"])
        put(cover, r, 5, w["sample"] if f["sample"] else None)
        r += 1
    cover.column_dimensions["A"].width, cover.column_dimensions["B"].width = 24, 70
    cols = [
        ("รหัสรายการ", "key"),
        (w["item"], w["item"]),
        (w["value"], w["value"]),
        ("หน่วย", "unit"),
        (w["source"], w["source"]),
        (w["date"], w["date"]),
        (w["sample"], w["sample"]),
        (w["note"], w["note"]),
    ]
    for code, s in p["sections"].items():
        ws = wb.create_sheet(code)
        put(ws, 1, 1, f"{code} {_t(s, lang)}", Font(name="Sarabun", bold=True, size=13))
        put(ws, 2, 1, f"{w['snapshot']} {snap['version']} · {w['as_of']} {snap['as_of']} · {w['fy']} {p['fy']}")
        if s["rm"]:
            put(ws, 3, 1, " · ".join(f"{rm} {_t(RM_TITLES[rm], lang)}" for rm in s["rm"]))
        top = 5
        for j, c in enumerate(cols, start=1):
            put(ws, top, j, _t(c, lang), bold)
        r = top + 1
        for f in s["figures"]:
            put(ws, r, 1, f["key"])
            put(ws, r, 2, _t(f, lang))
            put(ws, r, 3, f["value"], fmt="0.00" if isinstance(f["value"], float) else None)
            put(
                ws,
                r,
                4,
                ("1 = pass, 0 = fail" if lang == "en" else "1 = ผ่าน, 0 = ไม่ผ่าน")
                if f["unit"] == "check"
                else f["unit"] or None,
            )
            put(ws, r, 5, f["source"])
            put(ws, r, 6, f["as_of"])
            put(ws, r, 7, w["sample"] if f["sample"] else None)
            put(ws, r, 8, _t(f["note"], lang) if f.get("note") else None)
            r += 1
        for n in s["notes"]:
            put(ws, r, 2, f"{w['note']}: {_t(n, lang)}")
            r += 1
        for t in s["tables"]:
            r += 1
            put(ws, r, 1, _t(t, lang) + (f" ({w['sample']})" if t["sample"] else ""), bold)
            r += 1
            for j, c in enumerate(t["columns"], start=1):
                put(ws, r, j, _t(c, lang), bold)
            r += 1
            kinds = [_kind(c) for c in t["columns"]]
            for row in t["rows"]:
                for j, (v, k) in enumerate(zip(row, kinds), start=1):
                    put(
                        ws,
                        r,
                        j,
                        v,
                        fmt=KIND_XLSX.get(k) if isinstance(v, (int, float)) and not isinstance(v, bool) else None,
                    )
                r += 1
            put(ws, r, 1, f"{w['source']}: {t['source']}", Font(name="Sarabun", size=9, color="555555"))
            r += 1
        for j, wd in enumerate((30, 60, 14, 8, 48, 12, 14, 30), start=1):
            ws.column_dimensions[get_column_letter(j)].width = wd
        for row in ws.iter_rows(min_row=top, max_row=r, min_col=2, max_col=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = ws.cell(top + 1, 1)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def pack_pdf(p: dict, lang: str = "th") -> bytes:
    """The pack printed to A4 by headless Chromium (exports.browser); raises exports.ExportError
    (503) when Chromium or Playwright is missing."""
    from web.exports import browser, html_pdf

    html = pack_html(p, lang)
    with browser() as b:
        return html_pdf(b, html, landscape=False)


def file_name(fy: int, ext: str) -> str:
    return f"sanyan-evidence-{fy}.{ext}"


def build_pack(
    out_dir: Path | str | None = None,
    lang: str = "th",
    fy: int | None = None,
    today: date | None = None,
    backup_dir: Path | str | None = None,
    who: str | None = None,
    audit: bool = True,
) -> tuple[bytes | None, bytes, dict]:
    """The evidence pack: ``(pdf_bytes or None, xlsx_bytes, collected)``. The PDF is None when
    Chromium cannot run; ``collected["pdf_error"]`` = {"th", "en", "status"} then. With
    ``out_dir`` the files are written there too (``collected["files"]``). Audited as
    ``export.evidence`` (``who``: the requester; default the OS user, as for the CLI), unless
    ``audit`` is False (a caller that audits the export itself, e.g. exports._export)."""
    from web.exports import ExportError

    t0 = time.monotonic()
    p = collect(today=today, fy=fy, backup_dir=backup_dir)
    t1 = time.monotonic()
    xlsx = pack_xlsx(p, lang)
    t2 = time.monotonic()
    pdf = None
    try:
        pdf = pack_pdf(p, lang)
    except ExportError as e:
        p["pdf_error"] = {"th": e.th, "en": e.en, "status": e.status}
    t3 = time.monotonic()
    p["timings"].update(xlsx_s=round(t2 - t1, 2), pdf_s=round(t3 - t2, 2), total_s=round(t3 - t0, 2))
    p["files"] = {}
    if out_dir is not None:
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        for ext, data in (("xlsx", xlsx), ("pdf", pdf)):
            if data is not None:
                path = out / file_name(p["fy"], ext)
                tmp = path.with_name(f".{path.name}.partial")
                tmp.write_bytes(data)
                tmp.replace(path)
                p["files"][ext] = str(path)
    if audit:
        ops.record_audit(
            ops.engine(),
            "export.evidence",
            target=f"evidence {p['fy']}",
            who=who,
            outcome="ok" if pdf is not None else "failed",
            after={
                "seconds": p["timings"]["total_s"],
                "pdf": pdf is not None,
                "xlsx_bytes": len(xlsx),
                "pdf_bytes": len(pdf) if pdf else 0,
            },
        )
    return pdf, xlsx, p


def headline(p: dict, lang: str = "th") -> list[tuple[str, str, str, bool]]:
    """(section, label, value as text, sample) of the headline figures, for the CLI."""
    out = []
    for sec, key in HEADLINE:
        try:
            f = figure(p, sec, key)
        except KeyError:
            continue
        out.append((sec, _t(f, lang), _fmt(f["value"], f["unit"], lang, f.get("decimals")), f["sample"]))
    return out
