"""The seeded sample-data generator: ``python -m etl sample``.

Writes one CSV per dataset into ``data/sample/`` in exactly the shape of the uniform templates,
so the demo goes through the same parser and checks as an office's own files. Every row says
``provenance = sample``. Deterministic: the same seed and date give byte-identical files.

What it makes, for the Chumphon provincial agriculture office (the plan's three strategic
issues and KM bodies: GAP farm production, sufficiency economy, organisational development):
strategy issues, plans and projects with budgets and monthly disbursement plans; a KPI
catalogue with passports, links, five-level criteria, performance-agreement weights, targets
and monthly or quarterly actuals by district; a provincial-database catalogue (marked
unverified) with district values; and disaster events. No GPP: NESDC's sector table is
official (``data/official/gpp``), and an office with NESDC's newer table loads it through the
``gpp_sector`` template.
"""

from __future__ import annotations

import argparse
import csv
import math
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from components import thai
from inputs import datasets as reg

PROVINCE = "86"
SEED = 2555
AS_OF = date(2026, 11, 15)
FIRST_FY = 2562  # monthly actuals of every KPI from this fiscal year
AGREEMENT_FIRST_FY = 2549  # performance-agreement KPIs: every year since 2549, as the plan asks
INDICATOR_YEARS = range(2564, 2568)

# tables of data: one row a line reads better than the formatter's layout
# fmt: off
# ---------------------------------------------------------------- the plan: issues, plans, projects
ISSUES = [
    ("S1", "การผลิตสินค้าเกษตรให้ได้มาตรฐาน GAP", "Standard (GAP) farm production"),
    ("S2", "การขับเคลื่อนปรัชญาเศรษฐกิจพอเพียงสู่เกษตรกร", "Sufficiency economy for farmers"),
    ("S3", "การพัฒนาองค์กรตามแนวทาง PMQA", "Organisational development (PMQA)"),
]
PLANS = [
    ("S1.P1", "S1", "แผนส่งเสริมการผลิตพืชตามมาตรฐาน GAP", "GAP crop production plan"),
    ("S1.P2", "S1", "แผนพัฒนาคุณภาพทุเรียน ปาล์มน้ำมัน และกาแฟ", "Durian, oil palm and coffee quality plan"),
    ("S1.P3", "S1", "แผนป้องกันและเตือนภัยศัตรูพืช", "Plant pest prevention and warning plan"),
    ("S2.P1", "S2", "แผนศูนย์เรียนรู้การเพิ่มประสิทธิภาพการผลิต (ศพก.)", "Learning centres for farm productivity"),
    ("S2.P2", "S2", "แผนส่งเสริมเกษตรทฤษฎีใหม่และเกษตรผสมผสาน", "New-theory and mixed farming plan"),
    ("S3.P1", "S3", "แผนการจัดการความรู้ (KM Action Plan)", "Knowledge management plan"),
    ("S3.P2", "S3", "แผนพัฒนาระบบสารสนเทศและบุคลากร", "Information systems and staff plan"),
]
# the owner units of the KPIs in English (the KPI passport's owner_unit_en)
OWNER_EN = {
    "กลุ่มอารักขาพืช": "Plant Protection Group",
    "กลุ่มยุทธศาสตร์และสารสนเทศ": "Strategy and Information Group",
    "กลุ่มส่งเสริมและพัฒนาเกษตรกร": "Farmer Promotion and Development Group",
    "กลุ่มส่งเสริมและพัฒนาการผลิต": "Production Promotion and Development Group",
    "ฝ่ายบริหารทั่วไป": "General Administration Section",
}
PROJECTS = [  # code, plan, Thai, English, budget (baht), owner
    ("S1.P1.J01", "S1.P1", "ตรวจรับรองแปลง GAP พืชผัก ผลไม้", "GAP farm audits", 1_850_000, "กลุ่มส่งเสริมและพัฒนาการผลิต"),
    ("S1.P1.J02", "S1.P1", "อบรมเกษตรกรเตรียมความพร้อมเข้าสู่ GAP", "GAP readiness training", 640_000, "กลุ่มส่งเสริมและพัฒนาการผลิต"),
    ("S1.P1.J03", "S1.P1", "แปลงใหญ่มาตรฐาน GAP", "Large GAP plots", 2_400_000, "กลุ่มส่งเสริมและพัฒนาการผลิต"),
    ("S1.P2.J01", "S1.P2", "ยกระดับคุณภาพทุเรียนเพื่อการส่งออก", "Export-grade durian", 3_200_000, "กลุ่มส่งเสริมและพัฒนาการผลิต"),
    ("S1.P2.J02", "S1.P2", "เพิ่มประสิทธิภาพการผลิตปาล์มน้ำมัน", "Oil palm productivity", 2_750_000, "กลุ่มส่งเสริมและพัฒนาการผลิต"),
    ("S1.P2.J03", "S1.P2", "พัฒนากาแฟโรบัสต้าคุณภาพ", "Quality robusta coffee", 1_150_000, "กลุ่มส่งเสริมและพัฒนาการผลิต"),
    ("S1.P2.J04", "S1.P2", "ส่งเสริมการแปรรูปผลผลิตเกษตร", "Farm produce processing", 980_000, "กลุ่มส่งเสริมและพัฒนาการผลิต"),
    ("S1.P3.J01", "S1.P3", "ศูนย์จัดการศัตรูพืชชุมชน", "Community pest management centres", 1_300_000, "กลุ่มอารักขาพืช"),
    ("S1.P3.J02", "S1.P3", "สำรวจและเตือนภัยการระบาดศัตรูพืช", "Pest survey and warning", 720_000, "กลุ่มอารักขาพืช"),
    ("S1.P3.J03", "S1.P3", "ฟื้นฟูพื้นที่เกษตรหลังภัยพิบัติ", "Farm recovery after disasters", 1_600_000, "กลุ่มอารักขาพืช"),
    ("S2.P1.J01", "S2.P1", "พัฒนาศูนย์เรียนรู้ ศพก. ประจำอำเภอ", "District learning centres", 1_760_000, "กลุ่มยุทธศาสตร์และสารสนเทศ"),
    ("S2.P1.J02", "S2.P1", "ถ่ายทอดเทคโนโลยีผ่านเกษตรกรต้นแบบ", "Technology transfer via model farmers", 860_000, "กลุ่มยุทธศาสตร์และสารสนเทศ"),
    ("S2.P1.J03", "S2.P1", "พัฒนา Young Smart Farmer", "Young Smart Farmers", 940_000, "กลุ่มส่งเสริมและพัฒนาเกษตรกร"),
    ("S2.P2.J01", "S2.P2", "ส่งเสริมเกษตรทฤษฎีใหม่", "New-theory farming", 1_420_000, "กลุ่มส่งเสริมและพัฒนาเกษตรกร"),
    ("S2.P2.J02", "S2.P2", "ส่งเสริมการปลูกพืชแซมในสวนยาง", "Intercropping in rubber plantations", 780_000, "กลุ่มส่งเสริมและพัฒนาเกษตรกร"),
    ("S2.P2.J03", "S2.P2", "พัฒนากลุ่มแม่บ้านเกษตรกร", "Farm women's groups", 560_000, "กลุ่มส่งเสริมและพัฒนาเกษตรกร"),
    ("S2.P2.J04", "S2.P2", "วิสาหกิจชุมชนด้านการเกษตร", "Agricultural community enterprises", 1_050_000, "กลุ่มส่งเสริมและพัฒนาเกษตรกร"),
    ("S3.P1.J01", "S3.P1", "ถอดองค์ความรู้ 3 องค์ความรู้ตามประเด็นยุทธศาสตร์", "Three KM bodies of knowledge", 240_000, "ฝ่ายบริหารทั่วไป"),
    ("S3.P1.J02", "S3.P1", "ชุมชนนักปฏิบัติ (CoP) ในสำนักงาน", "Communities of practice", 180_000, "ฝ่ายบริหารทั่วไป"),
    ("S3.P2.J01", "S3.P2", "พัฒนาระบบสารสนเทศเพื่อผู้บริหาร", "Executive information system", 1_200_000, "กลุ่มยุทธศาสตร์และสารสนเทศ"),
    ("S3.P2.J02", "S3.P2", "ปรับปรุงทะเบียนเกษตรกรให้เป็นปัจจุบัน", "Farmer register update", 900_000, "กลุ่มยุทธศาสตร์และสารสนเทศ"),
    ("S3.P2.J03", "S3.P2", "พัฒนาสมรรถนะบุคลากรด้านดิจิทัล", "Staff digital skills", 420_000, "ฝ่ายบริหารทั่วไป"),
]

# ---------------------------------------------------------------- the KPI catalogue
# code, parent, Thai, English, unit, direction, frequency, aggregation, tier, type, class, links,
# level (a district's monthly value, or the percentage), yearly drift, agreement weight or None,
# scope ("district" or "province")
K = [
    ("K01", None, "จำนวนแปลงที่ได้รับการรับรองมาตรฐาน GAP", "GAP-certified plots", "แปลง", "higher", "monthly", "sum", 1, "lagging", "open", ["S1.P1", "S1.P1.J01"], 14, 0.04, 15, "district"),
    ("K01.1", "K01", "จำนวนแปลง GAP พืชผัก", "GAP vegetable plots", "แปลง", "higher", "monthly", "sum", 2, "lagging", "open", ["S1.P1.J01"], 5, 0.03, None, "district"),
    ("K01.2", "K01", "จำนวนแปลง GAP ไม้ผล", "GAP fruit plots", "แปลง", "higher", "monthly", "sum", 2, "lagging", "open", ["S1.P1.J01"], 9, 0.05, None, "district"),
    ("K02", None, "จำนวนเกษตรกรที่ผ่านการอบรมเตรียมความพร้อม GAP", "Farmers trained for GAP", "ราย", "higher", "monthly", "sum", 2, "leading", "open", ["S1.P1.J02"], 32, 0.02, None, "district"),
    ("K03", None, "ร้อยละของแปลงที่ผ่านการตรวจประเมินครั้งแรก", "First-audit pass rate", "ร้อยละ", "higher", "monthly", "mean", 2, "lagging", "open", ["S1.P1.J01"], 78, 0.6, None, "district"),
    ("K04", None, "พื้นที่แปลงใหญ่ที่ได้มาตรฐาน", "Certified large-plot area", "ไร่", "higher", "quarterly", "sum", 2, "lagging", "open", ["S1.P1.J03"], 420, 0.05, None, "district"),
    ("K05", None, "ผลผลิตทุเรียนคุณภาพส่งออก", "Export-grade durian output", "ตัน", "higher", "monthly", "sum", 1, "lagging", "open", ["S1.P2", "S1.P2.J01"], 180, -0.06, 10, "district"),
    ("K06", None, "ผลผลิตปาล์มน้ำมันเฉลี่ยต่อไร่", "Oil palm yield per rai", "กิโลกรัม/ไร่", "higher", "monthly", "mean", 1, "lagging", "open", ["S1.P2.J02"], 260, 0.01, 10, "district"),
    ("K07", None, "ร้อยละน้ำมันในทะลายปาล์ม", "Oil content of palm bunches", "ร้อยละ", "range", "monthly", "mean", 3, "lagging", "internal", ["S1.P2.J02"], 17.5, 0.0, None, "district"),
    ("K08", None, "ผลผลิตกาแฟโรบัสต้าคุณภาพ", "Quality robusta coffee output", "ตัน", "higher", "quarterly", "sum", 2, "lagging", "open", ["S1.P2.J03"], 95, 0.03, None, "district"),
    ("K09", None, "จำนวนผลิตภัณฑ์แปรรูปที่ได้มาตรฐาน อย./มผช.", "Certified processed products", "ผลิตภัณฑ์", "higher", "quarterly", "sum", 3, "lagging", "open", ["S1.P2.J04"], 3, 0.05, None, "district"),
    ("K10", None, "มูลค่าผลผลิตเกษตรแปรรูป", "Value of processed farm products", "บาท", "higher", "monthly", "sum", 2, "lagging", "internal", ["S1.P2.J04"], 850_000, 0.03, None, "district"),
    ("K11", None, "พื้นที่ที่ได้รับความเสียหายจากศัตรูพืช", "Area damaged by pests", "ไร่", "lower", "monthly", "sum", 1, "lagging", "open", ["S1.P3", "S1.P3.J01"], 120, 0.08, 10, "district"),
    ("K12", None, "จำนวนครั้งการออกประกาศเตือนภัยศัตรูพืช", "Pest warnings issued", "ครั้ง", "higher", "monthly", "sum", 3, "leading", "open", ["S1.P3.J02"], 2, 0.02, None, "district"),
    ("K13", None, "ร้อยละของแปลงที่มีการสำรวจศัตรูพืชตามแผน", "Plots surveyed for pests as planned", "ร้อยละ", "higher", "monthly", "mean", 2, "leading", "open", ["S1.P3.J02"], 84, 0.4, None, "district"),
    ("K14", None, "ระยะเวลาเฉลี่ยในการช่วยเหลือเกษตรกรผู้ประสบภัย", "Days to help disaster-hit farmers", "วัน", "lower", "monthly", "mean", 1, "lagging", "open", ["S1.P3.J03"], 38, 0.03, None, "district"),
    ("K15", None, "จำนวนศูนย์จัดการศัตรูพืชชุมชนที่เข้มแข็ง", "Strong community pest centres", "ศูนย์", "higher", "quarterly", "last", 3, "leading", "open", ["S1.P3.J01"], 4, 0.05, None, "district"),
    ("K16", None, "รายได้เงินสดสุทธิทางการเกษตรของครัวเรือน", "Net farm cash income per household", "บาท/ครัวเรือน", "higher", "quarterly", "mean", 1, "lagging", "open", ["S2", "S2.P2"], 46_000, 0.02, 15, "district"),
    ("K17", None, "จำนวนเกษตรกรที่นำความรู้จาก ศพก. ไปใช้", "Farmers applying learning-centre know-how", "ราย", "higher", "monthly", "sum", 1, "lagging", "open", ["S2.P1", "S2.P1.J01"], 40, 0.03, 10, "district"),
    ("K18", None, "จำนวนผู้เข้ารับการถ่ายทอดเทคโนโลยีที่ ศพก.", "Learning-centre trainees", "ราย", "higher", "monthly", "sum", 2, "leading", "open", ["S2.P1.J01", "S2.P1.J02"], 75, 0.02, None, "district"),
    ("K19", None, "ร้อยละความพึงพอใจของผู้รับบริการ ศพก.", "Learning-centre satisfaction", "ร้อยละ", "higher", "quarterly", "mean", 3, "lagging", "open", ["S2.P1.J01"], 86, 0.2, None, "district"),
    ("K20", None, "จำนวน Young Smart Farmer ที่ผ่านการพัฒนา", "Young Smart Farmers developed", "ราย", "higher", "quarterly", "sum", 2, "lagging", "open", ["S2.P1.J03"], 6, 0.06, None, "district"),
    ("K21", None, "จำนวนครัวเรือนที่ทำเกษตรทฤษฎีใหม่", "New-theory farming households", "ครัวเรือน", "higher", "monthly", "sum", 1, "lagging", "open", ["S2.P2", "S2.P2.J01"], 22, -0.05, None, "district"),
    ("K22", None, "พื้นที่ปลูกพืชแซมในสวนยาง", "Intercropped rubber area", "ไร่", "higher", "quarterly", "sum", 3, "lagging", "open", ["S2.P2.J02"], 160, 0.04, None, "district"),
    ("K23", None, "จำนวนกลุ่มแม่บ้านเกษตรกรที่มีรายได้เพิ่มขึ้น", "Farm women's groups with higher income", "กลุ่ม", "higher", "quarterly", "last", 3, "lagging", "open", ["S2.P2.J03"], 5, 0.03, None, "district"),
    ("K24", None, "จำนวนวิสาหกิจชุมชนที่มีผลประเมินระดับดี", "Community enterprises rated good", "แห่ง", "higher", "quarterly", "last", 2, "lagging", "open", ["S2.P2.J04"], 9, 0.04, None, "district"),
    ("K25", None, "ร้อยละครัวเรือนเกษตรที่มีการจัดทำบัญชีครัวเรือน", "Farm households keeping accounts", "ร้อยละ", "higher", "quarterly", "mean", 2, "leading", "open", ["S2.P2.J01"], 58, 1.0, None, "district"),
    ("K26", None, "หนี้สินเฉลี่ยต่อครัวเรือนเกษตร", "Average farm household debt", "บาท/ครัวเรือน", "lower", "quarterly", "mean", 2, "lagging", "internal", ["S2"], 182_000, 0.03, None, "district"),
    ("K27", None, "จำนวนเกษตรกรที่ขึ้นทะเบียนและปรับปรุงข้อมูล", "Farmers registered or updated", "ราย", "higher", "monthly", "sum", 1, "leading", "open", ["S3.P2.J02"], 310, 0.01, 10, "district"),
    ("K28", None, "ร้อยละความสำเร็จของแผนการจัดการความรู้", "KM plan success rate", "ร้อยละ", "higher", "quarterly", "last", 1, "lagging", "open", ["S3.P1", "S3.P1.J01"], 82, 0.5, 10, "province"),
    ("K28.1", "K28", "จำนวนองค์ความรู้ที่จัดทำเป็นระบบ", "Codified bodies of knowledge", "องค์ความรู้", "higher", "quarterly", "last", 3, "leading", "open", ["S3.P1.J01"], 3, 0.0, None, "province"),
    ("K29", None, "จำนวนครั้งการแลกเปลี่ยนเรียนรู้ (CoP)", "Community-of-practice sessions", "ครั้ง", "higher", "monthly", "sum", 3, "leading", "open", ["S3.P1.J02"], 2, 0.0, None, "province"),
    ("K30", None, "ร้อยละการเบิกจ่ายงบประมาณตามแผน", "Budget disbursed as planned", "ร้อยละ", "higher", "monthly", "last", 1, "lagging", "internal", ["S3", "S3.P2"], 88, -0.8, None, "province"),
    ("K31", None, "ร้อยละความถูกต้องของข้อมูลในฐานข้อมูลจังหวัด", "Provincial database accuracy", "ร้อยละ", "higher", "quarterly", "mean", 2, "lagging", "internal", ["S3.P2.J01"], 91, 0.3, None, "province"),
    ("K32", None, "ร้อยละความทันเวลาของการรายงานข้อมูล", "Timely data reporting", "ร้อยละ", "higher", "monthly", "mean", 1, "leading", "internal", ["S3.P2.J01"], 80, -1.2, None, "district"),
    ("K33", None, "ระยะเวลาเฉลี่ยในการตอบข้อร้องเรียน", "Days to answer a complaint", "วัน", "lower", "monthly", "mean", 2, "lagging", "open", ["S3"], 9, 0.02, None, "province"),
    ("K34", None, "จำนวนเรื่องร้องเรียนด้านการบริการ", "Service complaints", "เรื่อง", "lower", "monthly", "sum", 3, "lagging", "internal", ["S3"], 3, 0.0, None, "province"),
    ("K35", None, "ร้อยละบุคลากรที่ผ่านการพัฒนาสมรรถนะดิจิทัล", "Staff trained in digital skills", "ร้อยละ", "higher", "quarterly", "last", 2, "leading", "internal", ["S3.P2.J03"], 64, 3.0, None, "province"),
    ("K36", None, "ร้อยละความพึงพอใจของผู้บริหารต่อระบบสารสนเทศ", "Executive satisfaction with the EIS", "ร้อยละ", "higher", "quarterly", "mean", 3, "lagging", "internal", ["S3.P2.J01"], 79, 1.0, None, "province"),
    ("K37", None, "อัตราการใช้สารเคมีกำจัดศัตรูพืชต่อไร่", "Pesticide use per rai", "ลิตร/ไร่", "lower", "quarterly", "mean", 2, "lagging", "open", ["S1.P1", "S1.P3"], 1.9, -0.02, None, "district"),
    ("K38", None, "ความชื้นเมล็ดกาแฟก่อนจำหน่าย", "Coffee bean moisture before sale", "ร้อยละ", "range", "quarterly", "mean", 3, "lagging", "internal", ["S1.P2.J03"], 13.0, 0.0, None, "district"),
    ("K39", None, "จำนวนเกษตรกรที่ได้รับการชดเชยความเสียหายจากภัยพิบัติ", "Farmers compensated after disasters", "ราย", "higher", "monthly", "sum", 2, "lagging", "open", ["S1.P3.J03"], 45, 0.0, None, "district"),
    ("K40", None, "ร้อยละของโครงการที่ดำเนินการแล้วเสร็จตามแผน", "Projects completed on plan", "ร้อยละ", "higher", "quarterly", "last", 1, "lagging", "secret", ["S3"], 85, -1.5, 10, "province"),
    ("K41", None, "ราคาทุเรียนเกรด A ที่เกษตรกรขายได้", "Farm-gate price of grade-A durian", "บาท/กิโลกรัม", "higher", "monthly", "mean", 3, "lagging", "open", ["S1.P2.J01"], 110, 0.04, None, "district"),
    ("K42", None, "จำนวนแปลงต้นแบบเกษตรผสมผสาน", "Model mixed-farming plots", "แปลง", "higher", "quarterly", "last", 3, "leading", "open", ["S2.P2.J01"], 7, 0.05, None, "district"),
]
# One report that never came, so the cockpit shows 'late' (timely reporting, Phato, October 2569).
LATE = ("K32", "8606", 2570, 10)
RANGE = {"K07": (16.0, 19.0), "K38": (12.0, 14.0)}
LEADS = [("K02", "K01"), ("K13", "K11"), ("K18", "K17"), ("K17", "K16"), ("K25", "K16"), ("K32", "K31"),
         ("K27", "K31"), ("K12", "K11"), ("K28.1", "K28")]
# KPIs that go wrong in recent years, so the cockpit has something to drill into.
SLUMP = {"K05": 0.72, "K21": 0.70, "K30": 0.85, "K32": 0.82, "K11": 1.45}
# Each monthly KPI counted by its sum has its own year, month by month from October (relative
# weights; scaled to sum to 12): Chumphon's durian and fruit come in May-August, the north-east
# monsoon rains hardest in November-December (few trainings and audits then, more pest damage and,
# after the floods, compensation), registration runs in campaigns. The monthly results follow the
# curve, and the same curve is written as the KPI's monthly plan (cumulative targets, 'plan' in
# kpi_status.sql), so October's small figures are read against October's small share of the year.
SEASON = {
    "K01":   (0.4, 0.3, 0.4, 1.0, 1.4, 1.6, 1.6, 1.4, 1.3, 1.1, 0.9, 0.6),   # GAP audits: dry season
    "K01.1": (0.6, 0.4, 0.5, 1.2, 1.4, 1.4, 1.3, 1.2, 1.1, 1.0, 0.8, 0.6),   # vegetables: all year
    "K01.2": (0.3, 0.2, 0.3, 0.9, 1.4, 1.8, 1.9, 1.6, 1.3, 1.0, 0.8, 0.5),   # fruit: before the harvest
    "K02":   (0.5, 0.3, 0.3, 1.2, 1.5, 1.5, 1.4, 1.3, 1.2, 1.1, 1.0, 0.7),   # trainings: not in the rains
    "K05":   (0.0, 0.0, 0.0, 0.0, 0.1, 0.3, 0.9, 2.6, 3.4, 2.9, 1.5, 0.3),   # durian: May-August
    "K10":   (0.5, 0.4, 0.4, 0.6, 0.7, 0.9, 1.1, 1.6, 1.9, 1.8, 1.3, 0.8),   # processing follows the fruit
    "K11":   (1.7, 2.2, 1.9, 1.0, 0.6, 0.5, 0.5, 0.7, 0.8, 0.8, 0.7, 0.6),   # pest damage: the rains
    "K12":   (1.8, 1.8, 1.4, 0.8, 0.6, 0.6, 0.7, 0.8, 0.9, 0.9, 0.9, 0.8),   # warnings: before the damage
    "K17":   (0.6, 0.5, 0.5, 0.8, 1.0, 1.2, 1.3, 1.3, 1.3, 1.2, 1.2, 1.1),   # applied after training
    "K18":   (0.5, 0.3, 0.3, 1.2, 1.5, 1.5, 1.4, 1.3, 1.2, 1.1, 1.0, 0.7),   # trainees: as K02
    "K21":   (0.7, 0.6, 0.7, 0.9, 1.0, 1.1, 1.2, 1.3, 1.2, 1.2, 1.1, 1.0),   # new-theory farms: steady
    "K27":   (0.6, 0.5, 0.6, 1.6, 1.8, 1.4, 0.8, 0.8, 1.2, 1.2, 0.9, 0.6),   # registration campaigns
    "K29":   (0.6, 0.6, 0.8, 1.1, 1.1, 1.1, 1.1, 1.1, 1.1, 1.1, 1.1, 1.1),   # CoP sessions
    "K34":   (1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0),   # complaints: any month
    "K39":   (0.3, 0.4, 0.8, 2.2, 2.4, 1.9, 1.1, 0.8, 0.6, 0.5, 0.5, 0.5),   # compensation after the floods
}


def season_of(code: str) -> np.ndarray | None:
    """A monthly sum KPI's weights by fiscal month index 1-12 (position 0 = October), summing to 12."""
    curve = SEASON.get(code)
    return None if curve is None else np.asarray(curve, dtype=float) * 12 / sum(curve)

# ---------------------------------------------------------------- the provincial database catalogue
DOMAINS = ("economy", "society", "environment", "administration")
TOPIC_GROUPS = [
    ("ประชากร", "Population", 1), ("แรงงานและการมีงานทำ", "Labour and employment", 1),
    ("รายได้และรายจ่ายครัวเรือน", "Household income and expenditure", 0), ("หนี้สินครัวเรือน", "Household debt", 0),
    ("ผลิตภัณฑ์มวลรวมจังหวัด", "Gross provincial product", 0), ("การเกษตรกรรม", "Agriculture", 0),
    ("พืชเศรษฐกิจ", "Cash crops", 0), ("ปศุสัตว์", "Livestock", 0), ("การประมง", "Fisheries", 0),
    ("ป่าไม้", "Forestry", 2), ("ที่ดินและการถือครอง", "Land and tenure", 0), ("แหล่งน้ำและชลประทาน", "Water and irrigation", 2),
    ("อุตสาหกรรม", "Industry", 0), ("พาณิชย์และการค้า", "Commerce and trade", 0), ("การท่องเที่ยว", "Tourism", 0),
    ("การเงินและการธนาคาร", "Finance and banking", 0), ("การคลังท้องถิ่น", "Local public finance", 3),
    ("พลังงาน", "Energy", 2), ("การคมนาคมขนส่ง", "Transport", 0), ("การสื่อสารและโทรคมนาคม", "Communications", 0),
    ("การศึกษา", "Education", 1), ("สาธารณสุข", "Public health", 1), ("สวัสดิการสังคม", "Social welfare", 1),
    ("ศาสนาและวัฒนธรรม", "Religion and culture", 1), ("ความปลอดภัยในชีวิตและทรัพย์สิน", "Safety and crime", 1),
    ("ยาเสพติด", "Narcotics", 1), ("อุบัติเหตุทางถนน", "Road accidents", 1), ("ที่อยู่อาศัย", "Housing", 1),
    ("ผู้สูงอายุ", "Older people", 1), ("คนพิการ", "People with disabilities", 1), ("เด็กและเยาวชน", "Children and youth", 1),
    ("สตรีและครอบครัว", "Women and family", 1), ("คุณภาพอากาศ", "Air quality", 2), ("ขยะมูลฝอย", "Solid waste", 2),
    ("คุณภาพน้ำ", "Water quality", 2), ("ทรัพยากรชายฝั่ง", "Coastal resources", 2), ("ภัยพิบัติ", "Disasters", 2),
    ("การใช้ที่ดิน", "Land use", 2), ("การปกครองท้องที่", "Local administration", 3),
    ("องค์กรปกครองส่วนท้องถิ่น", "Local government bodies", 3), ("การเลือกตั้ง", "Elections", 3),
    ("บุคลากรภาครัฐ", "Public servants", 3), ("งบประมาณภาครัฐ", "Public budget", 3),
    ("การร้องเรียนร้องทุกข์", "Complaints", 3), ("เทคโนโลยีสารสนเทศภาครัฐ", "Government IT", 3),
]
# Registered population (I01) and tourism are not here: a public source publishes them (DOPA; the
# Ministry of Tourism and Sports), so the build carries the official figures (etl/official.py) and
# no sample series may stand beside them.
# District crime figures and complaint handling stay inside the province's offices (classification
# internal: never on the public portal, in the open-data API or in its downloads).
INTERNAL_INDICATORS = ("I24", "I31")
# The indicators the district agricultural offices report themselves (catalogue ``reported_by`` =
# district); the other agencies' figures are retyped at the province by the unit that keeps them.
DISTRICT_REPORTED_AGENCY = "สำนักงานเกษตรจังหวัด"
# How each kind of figure moves from year to year: its noise (standard deviation of the log for a
# level, percentage points for a share; clipped at two deviations) and the largest year-on-year
# change its series may show (relative for a level, percentage points for a share; the trend
# included). Stocks and flows add up from the districts to the province; averages and shares do
# not (the province's is the districts' mean).
KINDS = {
    "stock": (0.006, 0.10),     # areas, households, head of cattle: they change slowly
    "flow": (0.03, 0.25),       # output, landings, registrations, cases, revenue in a year
    "average": (0.015, 0.12),   # per household, per 100,000 people
    "share": (0.4, 5.0),        # percentages, always within 0-100
}
ADDITIVE = ("stock", "flow")
WHOLE_UNITS = ("คน", "ครัวเรือน", "ตัว", "แห่ง", "คัน", "คดี", "ครั้ง", "เรื่อง")   # counted, never fractional
# code, group index (1-based), Thai, English, unit, agency, direction, level per district (the
# share itself for a share), yearly trend (relative; percentage points for a share), kind
INDICATORS = [
    ("I02", 2, "อัตราการว่างงาน", "Unemployment rate", "ร้อยละ", "สำนักงานสถิติจังหวัด", "lower", 1.2, -0.02, "share"),
    ("I03", 3, "รายได้เฉลี่ยต่อครัวเรือนต่อเดือน", "Average monthly household income", "บาท", "สำนักงานสถิติจังหวัด", "higher", 27500, 0.02, "average"),
    ("I04", 4, "หนี้สินเฉลี่ยต่อครัวเรือน", "Average household debt", "บาท", "สำนักงานสถิติจังหวัด", "lower", 210000, 0.03, "average"),
    ("I05", 6, "จำนวนครัวเรือนเกษตรกร", "Farm households", "ครัวเรือน", "สำนักงานเกษตรจังหวัด", "neutral", 9800, -0.004, "stock"),
    ("I06", 6, "พื้นที่ถือครองทางการเกษตร", "Agricultural holding area", "ไร่", "สำนักงานเกษตรจังหวัด", "neutral", 290000, 0.002, "stock"),
    ("I07", 7, "พื้นที่ปลูกทุเรียน", "Durian planted area", "ไร่", "สำนักงานเกษตรจังหวัด", "higher", 21000, 0.06, "stock"),
    ("I08", 7, "พื้นที่ปลูกปาล์มน้ำมัน", "Oil palm planted area", "ไร่", "สำนักงานเกษตรจังหวัด", "neutral", 78000, 0.01, "stock"),
    ("I09", 7, "พื้นที่ปลูกยางพารา", "Rubber planted area", "ไร่", "สำนักงานเกษตรจังหวัด", "neutral", 64000, -0.01, "stock"),
    ("I10", 7, "ผลผลิตกาแฟ", "Coffee output", "ตัน", "สำนักงานเกษตรจังหวัด", "higher", 1900, -0.02, "flow"),
    ("I11", 8, "จำนวนโคเนื้อ", "Beef cattle", "ตัว", "สำนักงานปศุสัตว์จังหวัด", "neutral", 5200, 0.01, "stock"),
    ("I12", 9, "ปริมาณสัตว์น้ำที่นำขึ้นท่า", "Fish landings", "ตัน", "สำนักงานประมงจังหวัด", "neutral", 6100, -0.01, "flow"),
    ("I13", 10, "พื้นที่ป่าไม้", "Forest area", "ไร่", "สำนักงานทรัพยากรธรรมชาติและสิ่งแวดล้อมจังหวัด", "higher", 48000, -0.002, "stock"),
    ("I14", 12, "พื้นที่ชลประทาน", "Irrigated area", "ไร่", "โครงการชลประทานชุมพร", "higher", 12500, 0.01, "stock"),
    ("I15", 13, "จำนวนโรงงานอุตสาหกรรม", "Registered factories", "แห่ง", "สำนักงานอุตสาหกรรมจังหวัด", "neutral", 48, 0.02, "stock"),
    ("I17", 16, "เงินฝากธนาคารพาณิชย์", "Commercial bank deposits", "ล้านบาท", "ธนาคารแห่งประเทศไทย", "higher", 5200, 0.03, "stock"),
    ("I18", 18, "ปริมาณการใช้ไฟฟ้า", "Electricity use", "ล้านกิโลวัตต์ชั่วโมง", "การไฟฟ้าส่วนภูมิภาค", "neutral", 120, 0.03, "flow"),
    ("I19", 19, "จำนวนรถจดทะเบียนใหม่", "New vehicle registrations", "คัน", "สำนักงานขนส่งจังหวัด", "neutral", 2300, 0.01, "flow"),
    ("I20", 21, "อัตราการเข้าเรียนระดับมัธยมศึกษา", "Secondary school enrolment", "ร้อยละ", "สำนักงานศึกษาธิการจังหวัด", "higher", 84, 0.25, "share"),
    ("I21", 22, "จำนวนแพทย์ต่อประชากรแสนคน", "Doctors per 100,000", "คน", "สำนักงานสาธารณสุขจังหวัด", "higher", 52, 0.02, "average"),
    ("I22", 22, "ร้อยละเด็กแรกเกิดน้ำหนักต่ำกว่าเกณฑ์", "Low birth-weight babies", "ร้อยละ", "สำนักงานสาธารณสุขจังหวัด", "lower", 7.5, -0.08, "share"),
    ("I23", 23, "จำนวนผู้รับเบี้ยยังชีพผู้สูงอายุ", "Old-age allowance recipients", "คน", "สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัด", "neutral", 10200, 0.03, "stock"),
    ("I24", 25, "จำนวนคดีอาญาที่รับแจ้ง", "Criminal cases reported", "คดี", "ตำรวจภูธรจังหวัด", "lower", 140, -0.01, "flow"),
    ("I25", 27, "จำนวนผู้เสียชีวิตจากอุบัติเหตุทางถนน", "Road deaths", "คน", "สำนักงานป้องกันและบรรเทาสาธารณภัยจังหวัด", "lower", 21, -0.03, "flow"),
    ("I26", 29, "ร้อยละผู้สูงอายุต่อประชากร", "Share of older people", "ร้อยละ", "กรมการปกครอง", "neutral", 17.5, 0.5, "share"),
    ("I27", 34, "ปริมาณขยะมูลฝอยต่อวัน", "Solid waste per day", "ตัน", "สำนักงานทรัพยากรธรรมชาติและสิ่งแวดล้อมจังหวัด", "lower", 58, 0.02, "flow"),
    ("I28", 35, "ร้อยละแหล่งน้ำที่มีคุณภาพดี", "Water bodies of good quality", "ร้อยละ", "สำนักงานสิ่งแวดล้อมภาค", "higher", 72, 0.35, "share"),
    ("I29", 37, "จำนวนครั้งการเกิดอุทกภัย", "Flood events", "ครั้ง", "สำนักงานป้องกันและบรรเทาสาธารณภัยจังหวัด", "lower", 3, 0.0, "flow"),
    ("I30", 40, "รายได้ขององค์กรปกครองส่วนท้องถิ่น", "Local government revenue", "ล้านบาท", "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด", "higher", 310, 0.03, "flow"),
    ("I31", 44, "จำนวนเรื่องร้องเรียนที่ดำเนินการแล้วเสร็จ", "Complaints resolved", "เรื่อง", "ศูนย์ดำรงธรรมจังหวัด", "higher", 95, 0.02, "flow"),
    ("I32", 45, "ร้อยละของหน่วยงานที่เชื่อมโยงข้อมูลกับจังหวัด", "Agencies sharing data with the province", "ร้อยละ", "สำนักงานจังหวัด", "higher", 61, 2.5, "share"),
]
# Gaps on purpose, as real collections have them: fish landings only in coastal districts, and a
# few district reports that never came.
INLAND = {"8602", "8606"}
GAPS = {("I20", "8603", 2565), ("I20", "8607", 2565), ("I24", "8608", 2567), ("I31", "8605", 2564),
        ("I31", "8605", 2565)}
UNVERIFIED = "บัญชีรายการยังไม่ได้ตรวจสอบ (unverified catalogue)"

DISASTERS = [("flood", (10, 11, 12, 1), 0.9), ("flash_flood", (10, 11, 12), 0.4), ("storm", (10, 11, 5, 6), 0.5),
             ("drought", (2, 3, 4), 0.6), ("landslide", (11, 12), 0.15), ("pest", (3, 4, 5, 6), 0.3),
             ("forest_fire", (2, 3), 0.15), ("coastal_erosion", (11, 12), 0.1)]
DISASTER_DISTRICTS = {"flood": ["8601", "8604", "8605", "8607", "8608"], "coastal_erosion": ["8601", "8603", "8604"],
                      "landslide": ["8602", "8606"], "forest_fire": ["8602", "8606"]}


# ---------------------------------------------------------------- helpers
# fmt: on


def _districts(data_dir: Path) -> list[str]:
    ref = data_dir / "official" / "reference" / "thailand-adm2-districts-v1.0.0.csv"
    with open(ref, encoding="utf-8") as f:
        return sorted(
            r["tis1099_district_code"] for r in csv.DictReader(f) if r["parent_province_tis1099_code"] == PROVINCE
        )


def _indicator_series(
    rng, areas: list[str], level: float, drift: float, kind: str, unit: str
) -> dict[str, list[float]]:
    """Each area's values over INDICATOR_YEARS: the area's own level (a level drawn once per area,
    a share offset once), the kind's trend, and noise clipped at two deviations, so that no
    year-on-year change exceeds the kind's bound (KINDS). Shares stay within 0-100; counted units
    are whole numbers, the rest have two decimals (or none from 100 up)."""
    sd = KINDS[kind][0]
    out = {}
    for a in areas:
        noise = np.clip(rng.normal(0, 1, len(INDICATOR_YEARS)), -2, 2)
        if kind == "share":
            base = min(95.0, max(0.5, level * rng.uniform(0.9, 1.1)))
            scale = sd * min(1.0, level / 10)  # small shares wobble less
            out[a] = [round(min(100.0, max(0.0, base + drift * t + scale * n)), 2) for t, n in enumerate(noise)]
            continue
        base = level * rng.uniform(0.6, 1.4)
        vals = [base * (1 + drift) ** t * math.exp(sd * n) for t, n in enumerate(noise)]
        out[a] = [float(round(v)) if unit in WHOLE_UNITS else round(v, 2 if v < 100 else 0) for v in vals]
    return out


def _num(x: float, nd: int = 2) -> str:
    text = f"{x:.{nd}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _fiscal_months(fy: int, as_of: date) -> list[int]:
    """Months of fiscal year `fy` that are complete before `as_of`."""
    out = []
    for m in thai.FISCAL_MONTHS:
        start = thai.period_date(fy, m)
        end = date(start.year + (start.month == 12), start.month % 12 + 1, 1) - timedelta(days=1)
        if end < as_of:
            out.append(m)
    return out


class _Writer:
    def __init__(self, out_dir: Path, source: str):
        self.out_dir, self.source, self.counts = out_dir, source, {}

    def write(self, name: str, rows: list[dict], source: str | None = None) -> None:
        keys = reg.DATASETS[name].keys
        path = self.out_dir / f"{name}.csv"
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(keys)
            for r in rows:
                r = {**r, "provenance": "sample", "source_ref": r.get("source_ref") or source or self.source}
                w.writerow(["" if r.get(k) is None else r[k] for k in keys])
        self.counts[name] = len(rows)


# ---------------------------------------------------------------- the generator
def generate(out_dir: Path, seed: int = SEED, as_of: date = AS_OF, data_dir: Path | None = None) -> dict[str, int]:
    from config import settings

    data_dir = Path(data_dir or settings.data_dir)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    source = f"ข้อมูลตัวอย่าง etl/sample.py seed {seed}"
    w = _Writer(out_dir, source)
    districts = _districts(data_dir)
    current_fy = thai.fiscal_year(as_of)

    # the plan
    nodes = [
        {"node_code": c, "node_type": "issue", "name_th": th, "name_en": en, "owner_unit": "สำนักงานเกษตรจังหวัดชุมพร"}
        for c, th, en in ISSUES
    ]
    nodes += [
        {
            "node_code": c,
            "parent_code": p,
            "node_type": "plan",
            "name_th": th,
            "name_en": en,
            "owner_unit": "สำนักงานเกษตรจังหวัดชุมพร",
            "fiscal_year": current_fy,
        }
        for c, p, th, en in PLANS
    ]
    nodes += [
        {
            "node_code": c,
            "parent_code": p,
            "node_type": "project",
            "name_th": th,
            "name_en": en,
            "owner_unit": o,
            "budget_baht": b,
            "fiscal_year": current_fy,
            "area_code": districts[i % len(districts)] if i % 3 else None,
        }  # every third is province-wide
        for i, (c, p, th, en, b, o) in enumerate(PROJECTS)
    ]
    w.write("strategy_nodes", nodes)

    # KPI passports
    kpis, links = [], []
    project_owner = {c: o for c, _p, _th, _en, _b, o in PROJECTS}
    for code, parent, th, en, unit, direction, freq, agg, tier, typ, cls, nodes_of, *_rest, scope in K:
        owner = next((project_owner[n] for n in nodes_of if n in project_owner), "ฝ่ายบริหารทั่วไป")
        lo, hi = RANGE.get(code, (None, None))
        kpis.append(
            {
                "kpi_code": code,
                "parent_kpi_code": parent,
                "name_th": th,
                "name_en": en,
                "definition_th": f"{th} ในเขตจังหวัดชุมพร นับตามรอบการรายงาน{'รายเดือน' if freq == 'monthly' else 'รายไตรมาส'}",
                "formula_th": {
                    "sum": f"ผลรวมของ{th}ทุกอำเภอ สะสมตั้งแต่ต้นปีงบประมาณ",
                    "mean": f"ค่าเฉลี่ยของ{th}ในรอบที่รายงาน",
                    "last": f"ค่าล่าสุดของ{th} ณ สิ้นรอบที่รายงาน",
                }[agg],
                "definition_en": f"{en} in Chumphon province, counted by "
                f"{'monthly' if freq == 'monthly' else 'quarterly'} reporting round",
                "formula_en": {
                    "sum": f"{en}: the sum over all districts, cumulative from the start of the fiscal year",
                    "mean": f"{en}: the mean over the reported round",
                    "last": f"{en}: the latest value at the end of the reported round",
                }[agg],
                "unit": unit,
                "direction": direction,
                "range_low": lo,
                "range_high": hi,
                "frequency": freq,
                "aggregation": agg,
                "data_source": "รายงานผลการดำเนินงานของสำนักงานเกษตรอำเภอ",
                "verifier": "หัวหน้ากลุ่มยุทธศาสตร์และสารสนเทศ",
                "data_users": "ผู้ว่าราชการจังหวัด, เกษตรจังหวัด",
                "owner_unit": owner,
                "data_source_en": "Performance reports of the district agricultural extension offices",
                "verifier_en": "Head of the Strategy and Information Group",
                "data_users_en": "Provincial governor, provincial agricultural extension officer",
                "owner_unit_en": OWNER_EN[owner],
                "importance_tier": tier,
                "indicator_type": typ,
                "classification": cls,
                "reported_by": scope,  # district: each district's editors enter its figures (RULES.md s. 12)
            }
        )
        links += [{"kpi_code": code, "node_code": n} for n in nodes_of]
    w.write("kpis", kpis)
    w.write("kpi_links", links)
    w.write("kpi_leading_links", [{"leading_kpi_code": a, "lagging_kpi_code": b} for a, b in LEADS])

    # results, targets and criteria
    actuals, targets, criteria, plans = [], [], [], []
    for code, _p, _th, _en, unit, direction, freq, agg, *_x, level, drift, weight, scope in K:
        first = AGREEMENT_FIRST_FY if weight else FIRST_FY
        areas = districts if scope == "district" else [PROVINCE]
        pct = unit == "ร้อยละ"
        months = list(thai.FISCAL_MONTHS) if freq == "monthly" else [12, 3, 6, 9]
        ease = rng.uniform(0.9, 1.0)  # how demanding this KPI's targets are
        curve = season_of(code) if freq == "monthly" and agg == "sum" else None
        area_level = {a: level * rng.uniform(0.6, 1.4) if not pct and direction != "range" else level for a in areas}
        for fy in range(first, current_fy + 1):
            done = _fiscal_months(fy, as_of) if fy == current_fy else list(thai.FISCAL_MONTHS)
            t = fy - 2562
            slump = SLUMP.get(code, 1.0) if fy >= 2568 else 1.0
            expected = {}
            for a in areas:
                if pct:
                    base = min(97.0, max(5.0, level + drift * t))
                    base = base * slump if slump < 1 else base
                elif direction == "range":
                    base = level
                else:
                    base = area_level[a] * (1 + drift) ** t * slump
                expected[a] = base
                for m in months:
                    if m not in done or (code, a, fy, m) == LATE:
                        continue
                    season = 1 + 0.05 * math.sin((thai.fiscal_month_index(m) - 3) / 12 * 2 * math.pi)
                    if pct or direction == "range":
                        v = base + rng.normal(0, 1.5 if pct else 0.4)
                        v = min(100.0, max(0.0, v)) if pct else v
                    elif agg == "last":
                        v = max(0.0, round(base + rng.normal(0, max(0.5, base * 0.05))))
                    elif curve is not None:
                        v = max(0.0, base * curve[thai.fiscal_month_index(m) - 1] * rng.normal(1, 0.12))
                    else:
                        v = max(0.0, base * season * rng.normal(1, 0.12))
                    nd = (
                        0
                        if unit in ("แปลง", "ราย", "ครั้ง", "ศูนย์", "กลุ่ม", "แห่ง", "ครัวเรือน", "เรื่อง", "ผลิตภัณฑ์", "องค์ความรู้")
                        else 2
                    )
                    actuals.append(
                        {
                            "kpi_code": code,
                            "fiscal_year": fy,
                            "month": m,
                            "area_code": a,
                            "value": _num(round(v, nd), nd),
                        }
                    )
            # whole-year targets, per area and for the province
            per_year = len(months) if agg == "sum" else 1
            plan = {a: expected[a] / (slump if slump != 1 else 1) for a in areas}  # the plan ignores the slump
            for a in areas:
                tv = plan[a] * per_year * (ease if direction == "higher" else 1 / ease if direction == "lower" else 1)
                if pct:
                    tv = min(100.0, round(plan[a] - (2 if direction == "higher" else -2), 1))
                targets.append({"kpi_code": code, "fiscal_year": fy, "area_code": a, "target": _num(round(tv, 2))})
            if scope == "district":
                if agg in ("sum", "last") and not pct:
                    prov_t = sum(float(r["target"]) for r in targets[-len(areas) :])
                else:
                    prov_t = sum(float(r["target"]) for r in targets[-len(areas) :]) / len(areas)
                targets.append(
                    {"kpi_code": code, "fiscal_year": fy, "area_code": PROVINCE, "target": _num(round(prov_t, 2))}
                )
            if curve is not None:  # the monthly plan: the year's target along the KPI's curve
                share = np.cumsum(curve) / 12
                for r in [r for r in targets if r["kpi_code"] == code and r["fiscal_year"] == fy]:
                    plans += [
                        {
                            "kpi_code": code,
                            "fiscal_year": fy,
                            "month": m,
                            "area_code": r["area_code"],
                            "target": _num(round(float(r["target"]) * share[i], 2)),
                        }
                        for i, m in enumerate(thai.FISCAL_MONTHS)
                    ]
            t3 = float(targets[-1]["target"])
            if direction == "range":
                lo, hi = RANGE[code]  # a range KPI is scored on its distance outside the range
                half = (hi - lo) / 2
                steps = [2 * half, 1.5 * half, half, 0.5 * half, 0.0]
            elif pct:
                sign = 1 if direction == "higher" else -1
                steps = [min(100.0, max(0.0, t3 + sign * d)) for d in (-10, -5, 0, 3, 6)]
            else:
                f = (0.85, 0.92, 1.0, 1.05, 1.1) if direction == "higher" else (1.15, 1.08, 1.0, 0.95, 0.9)
                steps = [t3 * x for x in f]
            criteria.append(
                {
                    "kpi_code": code,
                    "fiscal_year": fy,
                    **{f"t{i + 1}": _num(round(s, 2)) for i, s in enumerate(steps)},
                    "weight": weight,
                }
            )
    w.write("kpi_criteria", criteria)
    w.write("kpi_targets", targets + plans)
    w.write("kpi_actuals", actuals)

    # monthly plans and disbursement of the projects, this fiscal year
    done = _fiscal_months(current_fy, as_of)
    plans = []
    for code, _p, _th, _en, budget, _o in PROJECTS:
        lag = rng.uniform(0.75, 1.02)
        for i, m in enumerate(thai.FISCAL_MONTHS, start=1):
            s = 1 / (1 + math.exp(-(i - 6.5) / 1.6))
            s = (s - 1 / (1 + math.exp(5.5 / 1.6))) / (1 / (1 + math.exp(-5.5 / 1.6)) - 1 / (1 + math.exp(5.5 / 1.6)))
            row = {
                "project_code": code,
                "fiscal_year": current_fy,
                "month": m,
                "planned_progress_pct": _num(round(100 * s, 1)),
                "planned_disbursement_baht": _num(round(budget * s, 2)),
            }
            if m in done:
                row["actual_progress_pct"] = _num(round(min(100.0, 100 * s * lag), 1))
                row["actual_disbursement_baht"] = _num(round(budget * s * lag * rng.uniform(0.9, 1.0), 2))
            plans.append(row)
    w.write("project_plans", plans)

    # the provincial database catalogue (unverified) and its values
    groups = [
        {
            "group_code": f"G{i:02d}",
            "name_th": th,
            "name_en": en,
            "domain": DOMAINS[d],
            "source_ref": f"{UNVERIFIED}; {source}",
        }
        for i, (th, en, d) in enumerate(TOPIC_GROUPS, start=1)
    ]
    w.write("topic_groups", groups)
    inds, values = [], []
    for code, g, th, en, unit, agency, direction, level, drift, kind in INDICATORS:
        inds.append(
            {
                "indicator_code": code,
                "group_code": f"G{g:02d}",
                "name_th": th,
                "name_en": en,
                "unit": unit,
                "source_agency": agency,
                "frequency": "yearly",
                "direction": direction,
                "is_percent": "ใช่" if kind == "share" else "ไม่ใช่",
                "classification": "internal" if code in INTERNAL_INDICATORS else "open",
                "reported_by": "district" if agency == DISTRICT_REPORTED_AGENCY else "province",
                "source_ref": f"{UNVERIFIED}; {source}",
            }
        )
        reports = [a for a in districts if not (code == "I12" and a in INLAND)]  # no landings inland
        series = _indicator_series(rng, reports, level, drift, kind, unit)
        for t, y in enumerate(INDICATOR_YEARS):
            vals = [series[a][t] for a in reports]
            for a in reports:
                if (code, a, y) not in GAPS:  # not reported: the coverage matrix shows these gaps
                    values.append({"indicator_code": code, "year": y, "area_code": a, "value": _num(series[a][t], 2)})
            prov = sum(vals) if kind in ADDITIVE else sum(vals) / len(vals)
            values.append({"indicator_code": code, "year": y, "area_code": PROVINCE, "value": _num(round(prov, 2))})
    w.write("indicators", inds)
    w.write("indicator_values", values)

    # disaster events
    events = []
    for y in range(2017, as_of.year + 1):
        for kind, months, p in DISASTERS:
            if rng.random() > p:
                continue
            m = int(rng.choice(months))
            start = date(y, m, int(rng.integers(1, 25)))
            if start >= as_of:
                continue
            end = start + timedelta(days=int(rng.integers(1, 20 if kind != "drought" else 60)))
            pool = DISASTER_DISTRICTS.get(kind, districts)
            hit = rng.choice(pool, size=int(rng.integers(1, min(4, len(pool)) + 1)), replace=False)
            eid = f"DS{thai.to_be(y)}-{len(events) + 1:03d}"
            for d in sorted(hit):
                hh = int(rng.integers(20, 900))
                events.append(
                    {
                        "event_id": eid,
                        "district_code": d,
                        "disaster_type": kind,
                        "start_date": start.isoformat(),
                        "end_date": min(end, as_of).isoformat(),
                        "damage_baht": _num(round(hh * rng.uniform(4_000, 30_000), -2), 0),
                        "households_affected": hh,
                        "area_rai": _num(round(hh * rng.uniform(2, 9), 1), 1),
                    }
                )
    w.write("disasters", events)
    return w.counts


def main(argv: list[str] | None = None) -> int:
    from rich.console import Console
    from rich.table import Table

    from config import settings

    p = argparse.ArgumentParser(prog="python -m etl sample", description=__doc__.splitlines()[0])
    p.add_argument("--out", default=str(settings.data_dir / "sample"), help="output folder (default data/sample)")
    p.add_argument("--seed", type=int, default=SEED, help=f"random seed (default {SEED})")
    args = p.parse_args(argv)
    counts = generate(Path(args.out), seed=args.seed)
    table = Table(title=f"sample data, seed {args.seed} → {args.out}")
    table.add_column("dataset")
    table.add_column("rows", justify="right")
    for name, n in counts.items():
        table.add_row(name, f"{n:,}")
    Console().print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
