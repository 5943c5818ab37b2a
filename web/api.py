"""Open data (IT4): the datasets the province publishes, as a JSON API with CKAN-like metadata and
as CSV, XLSX and GeoJSON downloads, for anyone, without signing in.

Routes (GET only; JSON in UTF-8; see README "Open data and the API"):

* ``/api/v1``                              index: version, links, licence, limits
* ``/api/v1/datasets[?q=]``                the datasets with their metadata ({"count", "results"})
* ``/api/v1/datasets/<name>``              one dataset's metadata with its resources
* ``/api/v1/datasets/<name>/rows``         its rows: ``limit`` (default 1000, at most 10000),
  ``offset`` and the dataset's filters (``year``, ``area``, ``kpi``, ``indicator``, ``edition``,
  ``category``), always bound SQL parameters
* ``/api/v1/datasets/<name>.csv|.xlsx|.geojson``  the whole dataset (filters allowed); GeoJSON only
  for district data: one feature per district with the app's boundaries
* ``/api/v1/search?q=``                    open KPIs, open indicators, datasets and the §9 register

Open data only, whoever asks: web/auth.py sets ``g.open_only`` for every /api request, so ``db.query``
drops every KPI and indicator not classified open from every result that carries a
``kpi_code`` / ``indicator_code`` column; every dataset query here carries those columns and
selects ``classification = 'open'`` itself. On top of that, before anything is serialised,
``_guard`` (1) refuses a dataset whose declared code column is missing, (2) drops rows whose KPI or
indicator codes are not open, and (3) drops rows in which a hidden KPI's or indicator's code or name
appears in any text; the finished body is scanned once more and withheld (500) if anything hidden
is still in it. So a future query that forgets a column still cannot leak.

Unknown query parameters, parameters given twice and bad values answer 400 with a message in Thai
and English; an unknown dataset or format 404; any method but GET (and HEAD) 405. Every response
carries ``Cache-Control`` and an ``ETag`` built from the snapshot (and the §9 register, which lives
in the ops store); ``If-None-Match`` gets 304. At most ``RATE_LIMIT`` calls per address per minute
(429), counted in the ops store (shared by every worker and node). Downloads are audited as ``api.download``.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import json
import logging
import math
import re
import threading
import time
from collections import OrderedDict, defaultdict
from datetime import UTC, date, datetime

import flask
import pandas as pd

import db
from components import thai
from components.cells import csv_value, formula_like, xlsx_text
from config import settings
from web import auth

log = logging.getLogger("sanyan.api")

VERSION = "1"
PREFIX = "/api/v1"
DEFAULT_LIMIT, MAX_LIMIT = 1000, 10_000
MAX_DOWNLOAD_ROWS = 200_000  # a download is a whole dataset; none is near this (the largest ~3,200)
MAX_Q = 100  # characters of a search
SEARCH_LIMIT, SEARCH_MAX = 50, 200
RATE_LIMIT, RATE_WINDOW_S = settings.api_rate_limit, 60  # calls per address per window (SANYAN_API_RATE_LIMIT)
CACHE_CONTROL = "public, max-age=300"
_CODE_VERSION = "api-1.0"  # part of every ETag: a change of the API's output changes it

LICENCE = {
    "license_id": "DGA-OGL-TH",
    "license_title": "DGA Open Government License (Thailand)",
    "license_title_th": "ข้อกำหนดและเงื่อนไขการอนุญาตให้ใช้ข้อมูลภาครัฐแบบเปิดของ สพร. (DGA Open Government License)",
    "license_url": "https://data.go.th/pages/dga-open-government-license",
}
BOUNDARIES = {
    "th": "ขอบเขตการปกครอง: กรมแผนที่ทหาร ผ่าน OCHA/HDX COD-AB Thailand (CC BY-IGO) ปรับให้เรียบเพื่อแสดงผล",
    "en": "Boundaries: Royal Thai Survey Department via OCHA/HDX COD-AB Thailand (CC BY-IGO), simplified for display",
}
SAMPLE_NOTE = {
    "th": "แถวที่มี provenance = sample เป็นข้อมูลตัวอย่างที่สร้างขึ้น ไม่ใช่ตัวเลขจริง",
    "en": "Rows with provenance = sample are generated sample data, not real figures",
}

# ---------------------------------------------------------------- the registry of open datasets
# name -> CKAN-like metadata (title, notes, frequency, source, tags) and how to get the rows:
# query (queries/<query>.sql), filters (bound parameters), sources (meta_dataset names behind it:
# provenance and last load), guard (the code column every row must carry), geo (district data).
DATASETS: dict[str, dict] = {
    d["name"]: d
    for d in (
        {
            "name": "kpis",
            "query": "api/kpis",
            "filters": ("kpi",),
            "sources": ("kpis",),
            "guard": "kpi_code",
            "geo": False,
            "frequency": "yearly",
            "year_column": None,
            "title": {"th": "บัญชีตัวชี้วัดที่เปิดเผย (KPI passport)", "en": "Open KPI catalogue (KPI passports)"},
            "notes": {
                "th": "ตัวชี้วัดของจังหวัดที่จัดชั้นเปิดเผย พร้อมนิยาม สูตร หน่วยนับ ทิศทาง ความถี่ หน่วยงานเจ้าของ แหล่งข้อมูลและผู้ตรวจสอบ",
                "en": "The province's KPIs classified open, with definition, formula, unit, direction, frequency, "
                "owner unit, data source and verifier",
            },
            "source": {"th": "หน่วยงานเจ้าของตัวชี้วัดของจังหวัด", "en": "The province's KPI owner units"},
            "tags": ["kpi", "ตัวชี้วัด", "performance", "ผลการดำเนินงาน"],
        },
        {
            "name": "kpi_results",
            "query": "api/kpi_results",
            "filters": ("year", "area", "kpi"),
            "sources": ("kpi_actuals", "kpi_targets", "kpi_criteria"),
            "guard": "kpi_code",
            "geo": True,
            "frequency": "monthly",
            "year_column": "fiscal_year",
            "title": {
                "th": "ผลการดำเนินงานตามตัวชี้วัด รายปีงบประมาณ จังหวัดและอำเภอ",
                "en": "KPI results by fiscal year, province and district",
            },
            "notes": {
                "th": "ผลสะสม ค่าเป้าหมาย คะแนน (1–5) และสถานะ (แดง เหลือง เขียว ล่าช้า) ของตัวชี้วัดที่เปิดเผย "
                "ณ เดือนล่าสุดที่รายงานของแต่ละปีงบประมาณ (สิ้นปีเมื่อครบปี) ระดับจังหวัดและรายอำเภอ",
                "en": "Value to date, target, score (1-5) and status (red, yellow, green, late) of the open KPIs at "
                "the latest reported month of each fiscal year (the year end once complete), for the "
                "province and each district",
            },
            "source": {
                "th": "รายงานผลการดำเนินงานของหน่วยงานและอำเภอ",
                "en": "Reports of the province's units and districts",
            },
            "tags": ["kpi", "ตัวชี้วัด", "status", "สถานะ", "district", "อำเภอ"],
        },
        {
            "name": "indicators",
            "query": "api/indicators",
            "filters": ("indicator",),
            "sources": ("indicators", "topic_groups"),
            "guard": "indicator_code",
            "geo": False,
            "frequency": "yearly",
            "year_column": None,
            "title": {"th": "บัญชีตัวชี้วัดฐานข้อมูลจังหวัดที่เปิดเผย", "en": "Open provincial database indicators"},
            "notes": {
                "th": "ตัวชี้วัดในฐานข้อมูลจังหวัดที่จัดชั้นเปิดเผย พร้อมกลุ่มเรื่อง หน่วยนับ หน่วยงานแหล่งข้อมูล และปีที่มีข้อมูล",
                "en": "The provincial database's indicators classified open, with topic group, unit, source "
                "agency and the years with values",
            },
            "source": {"th": "หน่วยงานในจังหวัดตามที่ระบุในแต่ละตัวชี้วัด", "en": "The provincial agencies named per indicator"},
            "tags": ["indicator", "ฐานข้อมูลจังหวัด", "catalogue"],
        },
        {
            "name": "indicator_values",
            "query": "api/indicator_values",
            "filters": ("year", "area", "indicator"),
            "sources": ("indicator_values", "indicators_official"),
            "guard": "indicator_code",
            "geo": True,
            "frequency": "yearly",
            "year_column": "year_be",
            "title": {
                "th": "ค่าตัวชี้วัดฐานข้อมูลจังหวัด รายอำเภอ รายปี",
                "en": "Provincial indicator values by district and year",
            },
            "notes": {
                "th": "ค่าของตัวชี้วัดฐานข้อมูลจังหวัดที่เปิดเผย ระดับจังหวัดและรายอำเภอ รายปี (พ.ศ.) "
                "ดาวน์โหลดเป็น GeoJSON พร้อมขอบเขตอำเภอได้",
                "en": "Values of the open provincial indicators for the province and each district by year "
                "(B.E.); also as GeoJSON with the district boundaries",
            },
            "source": {
                "th": "หน่วยงานตามที่ระบุในแต่ละตัวชี้วัด: กรมการปกครอง สศช. กระทรวงการท่องเที่ยวและกีฬา และ BOI "
                "สำหรับตัวชี้วัดทางการ (ระดับจังหวัด ไม่แยกอำเภอ)",
                "en": "The agencies named per indicator: DOPA, NESDC, the Ministry of Tourism and Sports and BOI "
                "for the official ones (province level, no district split)",
            },
            "tags": ["indicator", "ตัวชี้วัด", "district", "อำเภอ", "geojson"],
        },
        {
            "name": "population",
            "query": "api/population",
            "filters": ("year", "area"),
            "sources": ("population",),
            "guard": None,
            "geo": True,
            "frequency": "yearly",
            "year_column": "year_be",
            "title": {"th": "ประชากรตามทะเบียนราษฎร รายอำเภอ", "en": "Registered population by district (DOPA)"},
            "notes": {
                "th": "จำนวนประชากรตามหลักฐานการทะเบียนราษฎร ณ 31 ธันวาคม ของจังหวัดและรายอำเภอ ชาย หญิง "
                "และจำนวนบ้าน ตามที่กรมการปกครองเผยแพร่",
                "en": "DOPA registered population on 31 December for the province and each district: total, "
                "male, female and households, as published",
            },
            "source": {
                "th": "กรมการปกครอง (สถิติประชากรทางการทะเบียน)",
                "en": "Department of Provincial Administration (DOPA)",
            },
            "tags": ["population", "ประชากร", "DOPA", "district", "อำเภอ", "geojson"],
        },
        {
            "name": "gpp_totals",
            "query": "api/gpp_totals",
            "filters": ("year", "edition"),
            "sources": ("gpp_official",),
            "guard": None,
            "geo": False,
            "frequency": "yearly",
            "year_column": "year_be",
            "title": {
                "th": "ผลิตภัณฑ์มวลรวมจังหวัด ณ ราคาประจำปี (ตามที่ สศช. เผยแพร่)",
                "en": "Gross provincial product at current prices (as published by NESDC)",
            },
            "notes": {
                "th": "ยอดรวมผลิตภัณฑ์มวลรวมจังหวัด ณ ราคาประจำปี (ล้านบาท) ตรงตามที่ สศช. เผยแพร่ แยกตามฉบับ "
                "(edition) และเครื่องหมายปรับปรุง (p / r) โดยไม่ต่อชุดข้อมูลต่างฉบับเข้าด้วยกัน",
                "en": "Gross provincial product at current prices (million baht) exactly as NESDC published it, "
                "per edition with its p / r flags; editions are never spliced",
            },
            "source": {"th": "สำนักงานสภาพัฒนาการเศรษฐกิจและสังคมแห่งชาติ (สศช.)", "en": "NESDC"},
            "tags": ["gpp", "ผลิตภัณฑ์มวลรวมจังหวัด", "economy", "เศรษฐกิจ", "NESDC", "สศช."],
        },
        {
            "name": "gpp_sectors",
            "query": "api/gpp_sectors",
            "filters": ("year", "edition"),
            "sources": ("gpp_official", "gpp_sector"),
            "guard": None,
            "geo": False,
            "frequency": "yearly",
            "year_column": "year_be",
            "title": {"th": "ผลิตภัณฑ์มวลรวมจังหวัดรายสาขา", "en": "Gross provincial product by sector"},
            "notes": {
                "th": "มูลค่าเพิ่มรายสาขา ณ ราคาประจำปีและแบบปริมาณลูกโซ่ สัดส่วน และการมีส่วนต่อการขยายตัวที่แท้จริง "
                "แต่ละแถวระบุ provenance (ตารางรายสาขาของ สศช. ฉบับ 2563 ปี 2538–2563 เป็นข้อมูลทางการ; "
                "ฉบับอื่นจากไฟล์ที่หน่วยงานนำเข้า)",
                "en": "Value added by sector at current prices and in chain volume, shares and contributions to "
                "real growth; each row says its provenance (NESDC's 2020-edition sector table, 1995–2020, "
                "official; other editions from the offices' sector files)",
            },
            "source": {
                "th": "สศช. (ยอดรวมและตารางรายสาขา ฉบับ 2563) และข้อมูลที่หน่วยงานนำเข้า",
                "en": "NESDC (totals and the 2020-edition sector table) and the offices' sector files",
            },
            "tags": ["gpp", "ผลิตภัณฑ์มวลรวมจังหวัด", "sector", "สาขา", "economy", "เศรษฐกิจ"],
        },
        {
            "name": "s9_register",
            "query": None,
            "filters": ("category",),
            "sources": (),
            "guard": None,
            "geo": False,
            "frequency": "irregular",
            "year_column": None,
            "title": {
                "th": "ทะเบียนข้อมูลข่าวสารตามมาตรา 9 พ.ร.บ. ข้อมูลข่าวสารของราชการ",
                "en": "Official Information Act section 9 register",
            },
            "notes": {
                "th": "ข้อมูลข่าวสารที่จังหวัดจัดให้ประชาชนตรวจดูได้ตามมาตรา 9 (1)–(8) พร้อมวันที่เผยแพร่ "
                "วันที่ต้องทบทวน และความเป็นปัจจุบันของแต่ละรายการ",
                "en": "What the province keeps open for inspection under section 9 (1)-(8) of the Official "
                "Information Act, with publication and review dates and whether each entry is current",
            },
            "source": {"th": "ศูนย์ข้อมูลข่าวสารของจังหวัด", "en": "The province's official information centre"},
            "tags": ["section 9", "มาตรา 9", "official information", "ข้อมูลข่าวสาร"],
        },
    )
}

# Every output column, for the data dictionary in each dataset's metadata and the XLSX.
COLUMNS = {
    "kpi_code": ("รหัสตัวชี้วัด", "KPI code"),
    "parent_kpi_code": ("รหัสตัวชี้วัดหลัก", "Parent KPI code"),
    "name_th": ("ชื่อ (ไทย)", "Name (Thai)"),
    "name_en": ("ชื่อ (อังกฤษ)", "Name (English)"),
    "definition_th": ("นิยาม", "Definition (Thai)"),
    "formula_th": ("สูตรคำนวณ", "Formula (Thai)"),
    "unit": ("หน่วยนับ", "Unit"),
    "is_percent": ("เป็นร้อยละ", "Is a percentage"),
    "direction": ("ทิศทาง (higher / lower / range / neutral)", "Direction (higher / lower / range / neutral)"),
    "range_low": ("ขอบล่างของช่วงที่ดี", "Lower bound of the good range"),
    "range_high": ("ขอบบนของช่วงที่ดี", "Upper bound of the good range"),
    "frequency": ("ความถี่การรายงาน", "Reporting frequency"),
    "aggregation": ("วิธีรวมค่า", "Aggregation"),
    "indicator_type": ("ประเภท (นำ / ตาม)", "Type (leading / lagging)"),
    "importance_tier": ("ระดับความสำคัญ", "Importance tier"),
    "owner_unit": ("หน่วยงานเจ้าของ", "Owner unit"),
    "data_source": ("แหล่งข้อมูล", "Data source"),
    "verifier": ("ผู้ตรวจสอบข้อมูล", "Verifier"),
    "data_users": ("ผู้ใช้ข้อมูล", "Data users"),
    "classification": ("ชั้นการเปิดเผย", "Classification"),
    "provenance": ("ที่มาของข้อมูล (official / sample / entered)", "Provenance (official / sample / entered)"),
    "source_ref": ("อ้างอิงแหล่งที่มา", "Source reference"),
    "fiscal_year": ("ปีงบประมาณ (พ.ศ.)", "Fiscal year (B.E.)"),
    "month": ("เดือน (1–12)", "Month (1-12)"),
    "period_date": ("วันสิ้นงวด", "Period end date"),
    "area_code": ("รหัสพื้นที่ (กรมการปกครอง)", "Area code (DOPA)"),
    "area_level": ("ระดับพื้นที่", "Area level"),
    "area_name_th": ("ชื่อพื้นที่ (ไทย)", "Area name (Thai)"),
    "area_name_en": ("ชื่อพื้นที่ (อังกฤษ)", "Area name (English)"),
    "value_to_date": ("ผลสะสมถึงเดือนที่รายงาน", "Value to date"),
    "target_year": ("ค่าเป้าหมายทั้งปี", "Year target"),
    "pace": ("ผลเทียบกับที่ควรได้ ณ เดือนนั้น", "Value to date over expected to date"),
    "score": ("คะแนน (1–5)", "Score (1-5)"),
    "status": ("สถานะ", "Status (red / yellow / green / late / awaiting / not_due / no_data / no_criteria)"),
    "n_reports": ("จำนวนงวดที่รายงาน", "Reports received"),
    "indicator_code": ("รหัสตัวชี้วัดฐานข้อมูลจังหวัด", "Indicator code"),
    "group_code": ("รหัสกลุ่มเรื่อง", "Topic group code"),
    "group_name_th": ("กลุ่มเรื่อง (ไทย)", "Topic group (Thai)"),
    "group_name_en": ("กลุ่มเรื่อง (อังกฤษ)", "Topic group (English)"),
    "source_agency": ("หน่วยงานแหล่งข้อมูล", "Source agency"),
    "first_year": ("ปีแรกที่มีข้อมูล (พ.ศ.)", "First year (B.E.)"),
    "latest_year": ("ปีล่าสุดที่มีข้อมูล (พ.ศ.)", "Latest year (B.E.)"),
    "n_values": ("จำนวนค่า", "Values"),
    "year_be": ("ปี (พ.ศ.)", "Year (B.E.)"),
    "value": ("ค่า", "Value"),
    "total": ("ประชากรรวม (คน)", "Population (persons)"),
    "male": ("ชาย (คน)", "Male"),
    "female": ("หญิง (คน)", "Female"),
    "households": ("จำนวนบ้าน", "Households"),
    "province_code": ("รหัสจังหวัด", "Province code"),
    "province_name_th": ("ชื่อจังหวัด (ไทย)", "Province (Thai)"),
    "province_name_en": ("ชื่อจังหวัด (อังกฤษ)", "Province (English)"),
    "edition": ("ฉบับข้อมูล", "Edition"),
    "price_basis": ("ราคา (cp = ราคาประจำปี)", "Price basis (cp = current prices)"),
    "reference_year": ("ปีอ้างอิง", "Reference year"),
    "value_million_baht": ("มูลค่า (ล้านบาท)", "Value (million baht)"),
    "revision_flag": ("เครื่องหมายปรับปรุง (p / r)", "Revision flag (p / r)"),
    "sector_code": ("รหัสสาขา", "Sector code"),
    "line_no": ("ลำดับ", "Line"),
    "sector_group": ("กลุ่มสาขา", "Sector group"),
    "va_cp": ("มูลค่าเพิ่ม ณ ราคาประจำปี (ล้านบาท)", "Value added, current prices (million baht)"),
    "va_cvm": ("มูลค่าเพิ่มแบบปริมาณลูกโซ่ (ล้านบาท)", "Value added, chain volume (million baht)"),
    "share_pct": ("สัดส่วน (ร้อยละ)", "Share (%)"),
    "contribution_pp": ("การมีส่วนต่อการขยายตัวที่แท้จริง (จุด)", "Contribution to real growth (points)"),
    "gpp_cp": ("ผลิตภัณฑ์มวลรวมจังหวัด ณ ราคาประจำปี (ล้านบาท)", "GPP, current prices (million baht)"),
    "published_total": ("ยอดรวมตามที่ สศช. เผยแพร่", "Total as published by NESDC"),
    "item_id": ("เลขที่รายการ", "Entry number"),
    "category": ("หมวดตามมาตรา 9", "Section 9 category"),
    "category_th": ("ชื่อหมวด (ไทย)", "Category (Thai)"),
    "category_en": ("ชื่อหมวด (อังกฤษ)", "Category (English)"),
    "title": ("ชื่อเรื่อง", "Title"),
    "link": ("เอกสารหรือลิงก์", "Document or link"),
    "unit_responsible": ("หน่วยงานรับผิดชอบ", "Responsible unit"),
    "published_on": ("วันที่เผยแพร่", "Published on"),
    "review_due": ("วันที่ต้องทบทวน", "Review due"),
    "current": ("เป็นปัจจุบัน", "Current"),
    "updated_at": ("ปรับปรุงเมื่อ", "Updated at"),
}
INTEGER_COLUMNS = {
    "fiscal_year",
    "month",
    "year_be",
    "first_year",
    "latest_year",
    "n_values",
    "n_reports",
    "importance_tier",
    "reference_year",
    "line_no",
    "total",
    "male",
    "female",
    "households",
    "item_id",
    "category",
}
KPI_CODE_COLUMNS = ("kpi_code", "parent_kpi_code", "leading_kpi_code", "lagging_kpi_code")
INDICATOR_CODE_COLUMNS = ("indicator_code",)

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "geojson": "application/geo+json",
}


class ApiError(Exception):
    """A refusal with an HTTP status and a message in Thai and English (and extra fields)."""

    def __init__(self, status: int, th: str, en: str, **extra):
        super().__init__(en)
        self.status, self.th, self.en, self.extra = status, th, en, extra


# ---------------------------------------------------------------- parameters
_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,29}$")


def _int(name: str, raw: str, lo: int, hi: int, th: str, en: str) -> int:
    text = thai.to_arabic_digits(raw).strip().replace(",", "")
    if not re.fullmatch(r"[0-9]{1,9}", text):
        raise ApiError(400, f"{name} ต้องเป็นจำนวนเต็ม{th}", f"{name} must be a whole number{en}", parameter=name)
    v = int(text)
    if not lo <= v <= hi:
        raise ApiError(
            400, f"{name} ต้องอยู่ระหว่าง {lo:,} ถึง {hi:,}", f"{name} must be between {lo:,} and {hi:,}", parameter=name
        )
    return v


def _year(raw: str) -> int:
    """A year: B.E. (2400-2700) or C.E. (1800-2299, converted), Thai digits accepted."""
    text = thai.to_arabic_digits(raw).strip()
    if not re.fullmatch(r"[0-9]{4}", text) or not (1800 <= int(text) <= 2299 or 2400 <= int(text) <= 2700):
        raise ApiError(
            400,
            "year ต้องเป็นปี พ.ศ. 4 หลัก เช่น 2567 (หรือ ค.ศ. เช่น 2024)",
            "year must be a 4-digit year, B.E. such as 2567 (or C.E. such as 2024)",
            parameter="year",
        )
    y = int(text)
    return y + thai.BE_OFFSET if y < 2400 else y


def _area(raw: str) -> str:
    text = thai.to_arabic_digits(raw).strip()
    if not re.fullmatch(r"[0-9]{2}|[0-9]{4}", text):
        raise ApiError(
            400,
            "area ต้องเป็นรหัสจังหวัด 2 หลักหรือรหัสอำเภอ 4 หลัก เช่น 8601",
            "area must be a 2-digit province or 4-digit district code, e.g. 8601",
            parameter="area",
        )
    return text


def _code(name: str):
    def parse(raw: str) -> str:
        text = raw.strip()
        if not _CODE_RE.match(text):
            raise ApiError(
                400,
                f"{name} ต้องเป็นรหัส เช่น {'K01' if name == 'kpi' else 'I01'}",
                f"{name} must be a code such as {'K01' if name == 'kpi' else 'I01'}",
                parameter=name,
            )
        return text.upper()

    return parse


def _edition(raw: str) -> str:
    text = raw.strip()
    if not re.fullmatch(r"[A-Za-z0-9._-]{1,40}", text):
        raise ApiError(
            400,
            "edition ต้องเป็นชื่อฉบับข้อมูล เช่น nesdc-2024",
            "edition must be an edition such as nesdc-2024",
            parameter="edition",
        )
    return text


def _category(raw: str) -> int:
    return _int("category", raw, 1, 8, " 1–8", " from 1 to 8")


FILTERS = {
    "year": _year,
    "area": _area,
    "kpi": _code("kpi"),
    "indicator": _code("indicator"),
    "edition": _edition,
    "category": _category,
}
FILTER_HELP = {
    "year": ("ปี (พ.ศ.; ปีงบประมาณสำหรับผลตัวชี้วัด)", "year (B.E.; the fiscal year for KPI results)"),
    "area": ("รหัสพื้นที่ จังหวัด 2 หลัก หรืออำเภอ 4 หลัก", "area code: province (2 digits) or district (4)"),
    "kpi": ("รหัสตัวชี้วัด เช่น K01", "KPI code, e.g. K01"),
    "indicator": ("รหัสตัวชี้วัดฐานข้อมูลจังหวัด เช่น I01", "indicator code, e.g. I01"),
    "edition": ("ฉบับข้อมูล เช่น nesdc-2024", "edition, e.g. nesdc-2024"),
    "category": ("หมวดตามมาตรา 9 (1–8)", "section 9 category (1-8)"),
}


def _args(allowed: tuple[str, ...] | set[str]) -> dict[str, str]:
    """The query string, refused when it has a parameter not in ``allowed`` or one given twice."""
    args = flask.request.args
    unknown = sorted(k for k in args.keys() if k not in allowed)
    if unknown:
        raise ApiError(
            400,
            f"ไม่รู้จักพารามิเตอร์: {', '.join(unknown)}",
            f"Unknown parameter(s): {', '.join(unknown)}",
            unknown=unknown,
            allowed=sorted(allowed),
        )
    twice = sorted(k for k in args.keys() if len(args.getlist(k)) > 1)
    if twice:
        raise ApiError(
            400,
            f"ระบุพารามิเตอร์ซ้ำ: {', '.join(twice)}",
            f"Parameter(s) given more than once: {', '.join(twice)}",
            repeated=twice,
        )
    return {k: _utf8(args[k]) for k in args.keys()}


def _utf8(value: str) -> str:
    """A value sent as raw UTF-8 bytes instead of percent-encoded (``curl "...?q=ประชากร"``) arrives
    decoded as Latin-1 by the server; decode it again. Browsers always percent-encode."""
    if value and any("\x80" <= ch <= "\xff" for ch in value) and all(ord(ch) < 256 for ch in value):
        try:
            return value.encode("latin-1").decode("utf-8")
        except UnicodeError:
            return value
    return value


def _filters(d: dict, args: dict[str, str]) -> dict:
    out = {f: None for f in d["filters"]}
    for f in d["filters"]:
        raw = args.get(f)
        if raw is not None and raw.strip() != "":
            out[f] = FILTERS[f](raw)
    # a code that is not open answers exactly as a code that does not exist, and is never echoed
    if out.get("kpi") is not None and out["kpi"] not in hidden().open_kpis:
        raise ApiError(404, "ไม่มีตัวชี้วัดที่เปิดเผยรหัสนี้", "No open KPI has this code", parameter="kpi")
    if out.get("indicator") is not None and out["indicator"] not in hidden().open_indicators:
        raise ApiError(404, "ไม่มีตัวชี้วัดฐานข้อมูลจังหวัดที่เปิดเผยรหัสนี้", "No open indicator has this code", parameter="indicator")
    return out


def _paging(args: dict[str, str]) -> tuple[int, int]:
    limit = DEFAULT_LIMIT if args.get("limit") in (None, "") else _int("limit", args["limit"], 1, MAX_LIMIT, "", "")
    offset = 0 if args.get("offset") in (None, "") else _int("offset", args["offset"], 0, 10**9, "", "")
    return limit, offset


# ---------------------------------------------------------------- what may never appear
_ALNUM = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
_CODE_CHARS = _ALNUM | {".", "_"}


class _Hidden:
    """The open codes and the hidden codes and names of one snapshot."""

    def __init__(self, classes: pd.DataFrame):
        is_open = classes["class"] == "open"
        self.open_kpis = set(classes.loc[is_open & (classes["kind"] == "kpi"), "code"])
        self.open_indicators = set(classes.loc[is_open & (classes["kind"] == "indicator"), "code"])
        hidden = classes.loc[~is_open]
        self.codes = sorted(set(hidden["code"].dropna()), key=len, reverse=True)
        public_names = set(classes.loc[is_open, "name_th"].dropna()) | set(classes.loc[is_open, "name_en"].dropna())
        # a hidden name that is also an open item's name is public text; its code still is not
        self.names = sorted(
            {
                n
                for n in pd.concat([hidden["name_th"], hidden["name_en"]]).dropna()
                if len(str(n).strip()) >= 4 and n not in public_names
            },
            key=len,
            reverse=True,
        )
        parts = [r"(?<![A-Za-z0-9._])" + re.escape(c) + r"(?![A-Za-z0-9]|\.[0-9])" for c in self.codes]
        parts += [re.escape(n) for n in self.names]
        self.pattern = re.compile("|".join(parts)) if parts else None

    def found(self, text: str) -> str | None:
        """The first hidden name or code in ``text`` (the same rule as ``pattern``, but with
        str.find, which is ten times faster on a large body)."""
        for n in self.names:
            if n in text or json.dumps(n, ensure_ascii=False)[1:-1] in text:
                return n
        for c in self.codes:
            i = text.find(c)
            while i != -1:
                j = i + len(c)
                if (i == 0 or text[i - 1] not in _CODE_CHARS) and (
                    j >= len(text)
                    or (
                        text[j] not in _ALNUM
                        and not (text[j] == "." and text[j + 1 : j + 2].isdigit() and text[j + 1 : j + 2].isascii())
                    )
                ):
                    return c
                i = text.find(c, i + 1)
        return None


_hidden_cache: dict[str, _Hidden] = {}
_hidden_lock = threading.Lock()


def hidden() -> _Hidden:
    """The hidden codes and names of the current snapshot (``api/classes`` has no code column that
    db.query filters by, so it lists the hidden ones too; it is never serialised)."""
    version = str(db.snapshot_info().get("version"))
    with _hidden_lock:
        h = _hidden_cache.get(version)
    if h is None:
        h = _Hidden(db.query("api/classes"))
        with _hidden_lock:
            _hidden_cache.clear()
            _hidden_cache[version] = h
    return h


def _guard(df: pd.DataFrame, d: dict | None) -> pd.DataFrame:
    """Belt and braces before anything is serialised: the dataset's code column must be there,
    rows of KPIs and indicators that are not open go, and so does any row whose text names a
    hidden KPI or indicator by code or name."""
    h = hidden()
    if d is not None and d.get("guard") and d["guard"] not in df.columns:
        log.error("dataset %s: its query lost the %s column; refused", d["name"], d["guard"])
        raise ApiError(500, "ชุดข้อมูลนี้ตั้งค่าไม่ถูกต้อง จึงไม่เผยแพร่", "This dataset is misconfigured and is withheld")
    if df.empty:
        return df
    keep = pd.Series(True, index=df.index)
    for cols, allowed in ((KPI_CODE_COLUMNS, h.open_kpis), (INDICATOR_CODE_COLUMNS, h.open_indicators)):
        for c in cols:
            if c in df.columns:
                keep &= df[c].isna() | df[c].isin(allowed)
    if h.pattern is not None:
        for c in df.columns:
            if df[c].dtype == object or pd.api.types.is_string_dtype(df[c]):
                keep &= ~df[c].astype(str).str.contains(h.pattern, na=False)
    dropped = int((~keep).sum())
    if dropped:
        log.error(
            "api guard dropped %d row(s) of %s that name hidden KPIs or indicators",
            dropped,
            d["name"] if d else "a result",
        )
        df = df[keep]
    return df


# ---------------------------------------------------------------- data
def _province() -> str:
    return settings.province


FRAMES_KEPT, FRAMES_BYTES = 128, 32 * 1024 * 1024  # the datasets' rows kept per process: at most these
_frames: OrderedDict[tuple, tuple[pd.DataFrame, int]] = OrderedDict()  # key -> (rows, their bytes)
_frames_lock = threading.Lock()


def _frame(d: dict, filters: dict) -> pd.DataFrame:
    """The dataset's rows (guarded), filtered by bound parameters; kept per snapshot (and per state
    of the §9 register), like db.query's own cache."""
    state = _s9_stamp() if d["query"] is None else ""
    key = (str(db.snapshot_info().get("version")), state, _province(), d["name"], tuple(sorted(filters.items())))
    with _frames_lock:
        hit = _frames.get(key)
        if hit is not None:
            _frames.move_to_end(key)
            return hit[0]
    if d["query"] is None:
        df = _s9_frame(filters.get("category"))
    else:
        params = dict(filters)
        if "$province" in db.sql_text(d["query"]):
            params["province"] = _province()
        df = db.query(d["query"], **params)
    df = _guard(df, d)
    size = db.frame_bytes(df)
    with _frames_lock:
        for old in [k for k in _frames if k[0] != key[0]]:  # another snapshot's rows: never asked again
            del _frames[old]
        _frames[key] = (df, size)
        # oldest out first; the newest is kept whatever its size (a dataset is at most MAX_DOWNLOAD_ROWS)
        while len(_frames) > 1 and (len(_frames) > FRAMES_KEPT or sum(n for _df, n in _frames.values()) > FRAMES_BYTES):
            _frames.popitem(last=False)
    return df


def _ops():
    import ops

    return ops.engine()


def _today() -> date:
    return datetime.now(thai.THAI_TZ).date()


def _s9_items() -> list[dict]:
    from ops import portal

    return portal.register(_ops())


def _s9_frame(category: int | None = None) -> pd.DataFrame:
    from ops import portal

    today = _today()
    rows = []
    for it in _s9_items():
        if category is not None and it["category"] != category:
            continue
        th, en = portal.CATEGORIES.get(it["category"], ("", ""))
        rows.append(
            {
                "item_id": it["item_id"],
                "category": it["category"],
                "category_th": th,
                "category_en": en,
                "title": it["title"],
                "link": it["link"],
                "unit_responsible": it["unit"],
                "published_on": it["published_on"],
                "review_due": it["review_due"],
                "current": portal.is_current(it, today),
                "provenance": it["provenance"],
                "updated_at": _utc(it["updated_at"]),
            }
        )
    cols = [
        "item_id",
        "category",
        "category_th",
        "category_en",
        "title",
        "link",
        "unit_responsible",
        "published_on",
        "review_due",
        "current",
        "provenance",
        "updated_at",
    ]
    return pd.DataFrame(rows, columns=cols)


def _utc(t):
    """The ops store keeps UTC; SQLite gives it back without its zone."""
    return t.replace(tzinfo=UTC) if isinstance(t, datetime) and t.tzinfo is None else t


def _s9_stamp() -> str:
    """What changes when the §9 register changes (it is not in the snapshot)."""
    try:
        items = _s9_items()
    except Exception:
        log.exception("cannot read the section 9 register")
        return "-"
    return f"{len(items)}:{max((str(i['updated_at']) for i in items), default='')}"


def _plain(v):
    if v is None:
        return None
    if isinstance(v, float):
        # 12 significant digits: sums' binary noise (7338.320000000001) goes, every real digit stays
        return None if math.isnan(v) or math.isinf(v) else float(f"{v:.12g}")
    if isinstance(v, pd.Timestamp):
        if pd.isna(v):
            return None
        if v.tzinfo is None and v == v.normalize():
            return v.date().isoformat()
        return v.isoformat()
    if isinstance(v, (datetime, date)):
        return v.isoformat()
    if v is pd.NaT or v is pd.NA:
        return None
    if hasattr(v, "item"):  # numpy scalars
        return _plain(v.item())
    return v


def _records(df: pd.DataFrame) -> list[dict]:
    """Rows as plain, JSON-ready dicts (NaN -> None, dates as ISO text, whole-number columns as int)."""
    cols = list(df.columns)
    out = []
    ints = [c for c in cols if c in INTEGER_COLUMNS]
    for row in df.itertuples(index=False, name=None):
        rec = {c: _plain(v) for c, v in zip(cols, row)}
        for c in ints:
            if isinstance(rec[c], float) and rec[c].is_integer():
                rec[c] = int(rec[c])
        out.append(rec)
    return out


def _snapshot() -> dict:
    info = db.snapshot_info()
    as_of = info.get("as_of")
    return {
        "version": info.get("version"),
        "built_at": _plain(info.get("built_at")),
        "as_of": as_of.date().isoformat() if isinstance(as_of, datetime) else _plain(as_of),
    }


def _meta_sources() -> pd.DataFrame:
    return db.query("api/sources")


def metadata(d: dict, df: pd.DataFrame | None = None) -> dict:
    """One dataset's CKAN-like metadata (package_show), with its resources and data dictionary."""
    name = d["name"]
    if df is None:
        df = _frame(d, {f: None for f in d["filters"]})
    snap = _snapshot()
    src = _meta_sources()
    src = src[src["dataset"].isin(d["sources"])]
    if name == "s9_register":
        stamps = [v for v in df["updated_at"]] if not df.empty else []
        last = max(stamps) if stamps else None
        last_update = _plain(last) if last is not None else None
    else:
        loaded = src["last_loaded"].dropna()
        last_update = _plain(loaded.max()) if not loaded.empty else snap["built_at"]
    prov = (
        {str(k): int(v) for k, v in df["provenance"].fillna("unknown").value_counts().sort_index().items()}
        if "provenance" in df.columns
        else {}
    )
    editions = sorted({e.strip() for v in src["edition"].dropna() for e in str(v).split(";") if e.strip()})
    province = db.query("meta/province", province=_province())
    p_th, p_en = (
        (province.iloc[0]["name_th"], province.iloc[0]["name_en"]) if not province.empty else (_province(), _province())
    )
    base = f"{PREFIX}/datasets/{name}"
    resources = [
        {
            "id": f"{name}-json",
            "name": {"th": "แถวข้อมูล (JSON แบ่งหน้า)", "en": "Rows (JSON, paged)"},
            "format": "JSON",
            "mimetype": "application/json",
            "url": f"{base}/rows",
        },
        {
            "id": f"{name}-csv",
            "name": {"th": "ทั้งชุด (CSV, UTF-8)", "en": "Whole dataset (CSV, UTF-8)"},
            "format": "CSV",
            "mimetype": "text/csv",
            "url": f"{base}.csv",
        },
        {
            "id": f"{name}-xlsx",
            "name": {"th": "ทั้งชุด (Excel)", "en": "Whole dataset (Excel)"},
            "format": "XLSX",
            "mimetype": FORMATS["xlsx"],
            "url": f"{base}.xlsx",
        },
    ]
    if d["geo"]:
        resources.append(
            {
                "id": f"{name}-geojson",
                "name": {"th": "รายอำเภอพร้อมขอบเขต (GeoJSON)", "en": "By district with boundaries (GeoJSON)"},
                "format": "GeoJSON",
                "mimetype": FORMATS["geojson"],
                "url": f"{base}.geojson",
                "attribution": BOUNDARIES,
            }
        )
    temporal = None
    yc = d.get("year_column")
    if yc and yc in df.columns and df[yc].notna().any():
        temporal = {"from": int(df[yc].min()), "to": int(df[yc].max()), "column": yc}
    out = {
        "name": name,
        "title": d["title"],
        "notes": d["notes"],
        "url": base,
        "frequency": d["frequency"],
        "last_update": last_update,
        "metadata_modified": snap["built_at"],
        "classification": "open",
        **LICENCE,
        "organization": {"name": f"province-{_province()}", "title": {"th": f"จังหวัด{p_th}", "en": f"{p_en} Province"}},
        "source": d["source"],
        "source_detail": [
            {"dataset": r.dataset, "provenance": r.provenance, "th": r.source_th, "en": r.source_en}
            for r in src.itertuples()
            if r.rows
        ],  # an empty dataset is no one's source
        "editions": editions,
        "provenance": prov,
        "num_rows": int(len(df)),
        "temporal": temporal,
        "tags": d["tags"],
        "filters": [{"name": f, "th": FILTER_HELP[f][0], "en": FILTER_HELP[f][1]} for f in d["filters"]],
        "columns": [{"name": c, "th": COLUMNS.get(c, (c, c))[0], "en": COLUMNS.get(c, (c, c))[1]} for c in df.columns],
        "resources": resources,
        "snapshot": snap["version"],
        "as_of": snap["as_of"],
    }
    if prov.get("sample"):
        out["provenance_note"] = SAMPLE_NOTE
    if name == "s9_register":
        from ops import portal

        cur = portal.currency(_s9_items(), _today())
        out["currency"] = {
            "current_categories": cur["current"],
            "categories": len(portal.CATEGORIES),
            "share_pct": cur["share"],
            "as_of": _today().isoformat(),
            "per_category": {str(k): v for k, v in cur["categories"].items()},
        }
    return out


def _dataset(name: str) -> dict:
    d = DATASETS.get(name)
    if d is None:
        raise ApiError(404, f"ไม่มีชุดข้อมูล {name[:60]}", f"No dataset {name[:60]}", datasets=sorted(DATASETS))
    return d


def _norm(text) -> str:
    return " ".join(thai.to_arabic_digits(str(text or "")).casefold().split())


def _matches(terms: list[str], *texts) -> bool:
    hay = _norm(" ".join(str(t or "") for t in texts))
    return all(t in hay for t in terms)


def _query_terms(args: dict, required: bool) -> list[str] | None:
    q = args.get("q")
    if q is None or not q.strip():
        if required:
            raise ApiError(400, "กรุณาระบุคำค้น q", "Give a search text q", parameter="q")
        return None
    if len(q) > MAX_Q:
        raise ApiError(400, f"คำค้นยาวเกิน {MAX_Q} ตัวอักษร", f"q is longer than {MAX_Q} characters", parameter="q")
    return _norm(q).split()


# ---------------------------------------------------------------- output
def _dumps(body) -> str:
    return json.dumps(body, ensure_ascii=False, default=_plain, allow_nan=False)


def _json(body, status: int = 200) -> flask.Response:
    return flask.Response(_dumps(body), status, mimetype="application/json")


def _check_body(text: str, what: str) -> None:
    """The last net: a body that still names a hidden KPI or indicator is withheld."""
    found = hidden().found(text)
    if found:
        log.error("api: %s withheld, it names a hidden KPI or indicator", what)
        raise ApiError(500, "ข้อมูลนี้ถูกระงับการเผยแพร่", "This content is withheld")


def _cell(v):
    v = _plain(v)
    if v is True:
        return "true"
    if v is False:
        return "false"
    return "" if v is None else v


def to_csv(df: pd.DataFrame) -> bytes:
    buf = io.StringIO()
    buf.write("\ufeff")  # Excel reads the Thai right with a BOM
    w = csv.writer(buf, lineterminator="\r\n")
    cols = list(df.columns)
    w.writerow(cols)
    for rec in _records(df):
        w.writerow([csv_value(_cell(rec[c])) for c in cols])  # "=…" text: shown, never run by Excel
    return buf.getvalue().encode("utf-8")


def to_xlsx(df: pd.DataFrame, meta: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    wb.properties.title = meta["title"]["th"]
    wb.properties.creator = "Sanyan"
    ws = wb.create_sheet("data")
    bold = Font(bold=True)
    ws.freeze_panes = "A2"

    def cell(v, font=None):
        """A plain value, or a cell object only where one is needed (bold; text a spreadsheet
        would read as a formula stays text: components/cells.py)."""
        v = _plain(v)
        if isinstance(v, str):
            v = ILLEGAL_CHARACTERS_RE.sub("", v)
        if not font and not formula_like(v):
            return v
        c = xlsx_text(WriteOnlyCell(ws, value=v))
        if font:
            c.font = font
        return c

    cols = list(df.columns)
    ws.append([cell(c, bold) for c in cols])
    for rec in _records(df):
        ws.append([cell(rec[c]) for c in cols])
    info = wb.create_sheet("metadata")
    rows = [
        ("name", meta["name"]),
        ("title", meta["title"]["th"]),
        ("title_en", meta["title"]["en"]),
        ("notes", meta["notes"]["th"]),
        ("notes_en", meta["notes"]["en"]),
        ("frequency", meta["frequency"]),
        ("last_update", meta["last_update"]),
        ("classification", "open"),
        ("license", meta["license_title"]),
        ("license_url", meta["license_url"]),
        ("organization", meta["organization"]["title"]["th"]),
        ("source", meta["source"]["th"]),
        ("source_en", meta["source"]["en"]),
        ("provenance", json.dumps(meta["provenance"], ensure_ascii=False)),
        ("rows", len(df)),
        ("snapshot", meta["snapshot"]),
        ("as_of", meta["as_of"]),
        ("url", meta["url"]),
    ]
    if meta.get("provenance_note"):
        rows.append(("provenance_note", meta["provenance_note"]["th"] + " / " + meta["provenance_note"]["en"]))
    for k, v in rows:
        info.append([cell(k, bold), cell(v)])
    info.append([])
    info.append([cell("column", bold), cell("คำอธิบาย", bold), cell("description", bold)])
    for c in meta["columns"]:
        info.append([cell(c["name"]), cell(c["th"]), cell(c["en"])])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


_shape_cache: dict[tuple, dict] = {}


def district_shapes() -> dict[str, dict]:
    """The province's districts: code -> {name_th, name_en, geometry}, from the app's own display
    boundaries (``queries/map/shapes.sql``), rings turned counter-clockwise for RFC 7946."""
    import shapely

    key = (str(db.snapshot_info().get("version")), _province())
    hit = _shape_cache.get(key)
    if hit is not None:
        return hit
    shapes = db.query("map/shapes", level="district", province=_province())
    geoms = shapely.from_geojson(list(shapes["geojson"]))
    geoms = shapely.orient_polygons(geoms, exterior_cw=False)
    out = {
        r.area_code: {"name_th": r.name_th, "name_en": r.name_en, "geometry": json.loads(shapely.to_geojson(g))}
        for r, g in zip(shapes.itertuples(), geoms)
    }
    _shape_cache.clear()
    _shape_cache[key] = out
    return out


def to_geojson(df: pd.DataFrame, meta: dict) -> dict:
    """One feature per district of the province: its code and names, and ``rows``, the dataset's
    rows for that district; when no district has more than one row, that row's fields are also
    properties of the feature (so a GIS can colour by them)."""
    recs = _records(df)
    by_area: dict[str, list] = defaultdict(list)
    for r in recs:
        by_area[r.get("area_code")].append(r)
    shapes = district_shapes()
    flat = all(len(by_area.get(code, [])) <= 1 for code in shapes)
    features = []
    for code, s in shapes.items():
        rows = by_area.get(code, [])
        props = {"area_code": code, "name_th": s["name_th"], "name_en": s["name_en"]}
        if flat and rows:
            props.update({k: v for k, v in rows[0].items() if k not in props})
        props["rows"] = rows
        features.append({"type": "Feature", "id": code, "geometry": s["geometry"], "properties": props})
    return {
        "type": "FeatureCollection",
        "name": meta["name"],
        "features": features,
        "metadata": {
            "title": meta["title"],
            "license_id": meta["license_id"],
            "license_url": meta["license_url"],
            "source": meta["source"],
            "attribution": BOUNDARIES,
            "snapshot": meta["snapshot"],
            "as_of": meta["as_of"],
            "district_rows": sum(len(f["properties"]["rows"]) for f in features),
        },
    }


# a download is the same bytes for the same ETag (snapshot, register, day, address): made once
DOWNLOAD_CACHE_BYTES = 64 * 1024 * 1024
_downloads: OrderedDict[str, bytes] = OrderedDict()
_downloads_lock = threading.Lock()


# ---------------------------------------------------------------- the request wrapper
def _rate_limited() -> bool:
    """Whether this call is over ``RATE_LIMIT`` for its address in the current window, counted
    in the ops store so that every worker and node shares the count."""
    import ops

    key = ops.counter_key("api", flask.request.remote_addr or "-")
    return ops.counter_hit(_ops(), key, RATE_WINDOW_S) > RATE_LIMIT


def _etag() -> str | None:
    info = db.snapshot_info()
    if not info.get("version"):
        return None
    req = flask.request
    raw = "|".join(
        [
            _CODE_VERSION,
            str(info["version"]),
            _s9_stamp(),
            _today().isoformat(),
            req.path,
            req.query_string.decode("latin-1"),
        ]
    )
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


def _endpoint(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        t0 = time.monotonic()
        req = flask.request
        etag = None
        flask.g.open_only = True  # web/auth.py sets it for /api too; the API does not depend on that
        try:
            if req.method not in ("GET", "HEAD"):
                raise ApiError(405, "ใช้ได้เฉพาะ GET", "Only GET is allowed", method=req.method)
            if _rate_limited():
                raise ApiError(
                    429,
                    f"เรียกบ่อยเกินไป (ไม่เกิน {RATE_LIMIT} ครั้งต่อนาที) กรุณารอสักครู่",
                    f"Too many calls (at most {RATE_LIMIT} a minute); wait a moment",
                )
            if not db.available():
                raise ApiError(503, "ยังไม่มีคลังข้อมูล", "There is no warehouse snapshot yet")
            etag = _etag()
            flask.g.api_etag = etag
            if etag and req.if_none_match.contains(etag):
                resp = flask.Response(status=304)
            else:
                resp = fn(*args, **kwargs)
        except ApiError as e:
            resp = _json({"error": {"status": e.status, "th": e.th, "en": e.en, **e.extra}}, e.status)
        except db.WarehouseMissing:
            resp = _json(
                {"error": {"status": 503, "th": "ยังไม่มีคลังข้อมูล", "en": "There is no warehouse snapshot yet"}}, 503
            )
        except Exception:
            log.exception("api %s failed", req.full_path)
            resp = _json(
                {
                    "error": {
                        "status": 500,
                        "th": "เกิดข้อผิดพลาด กรุณาลองใหม่",
                        "en": "Something went wrong; please try again",
                    }
                },
                500,
            )
        if resp.status_code == 405:
            resp.headers["Allow"] = "GET, HEAD"
        if resp.status_code == 429:
            resp.headers["Retry-After"] = str(RATE_WINDOW_S)
        if resp.status_code < 500 and resp.status_code != 429:
            resp.headers["Cache-Control"] = CACHE_CONTROL
        else:
            resp.headers["Cache-Control"] = "no-store"
        if etag:
            resp.headers["ETag"] = f'"{etag}"'
        resp.headers["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it (no cookies)
        resp.headers["Server-Timing"] = f"api;dur={(time.monotonic() - t0) * 1000:.0f}"
        log.info(
            "api %s %s -> %s in %.0f ms", req.method, req.full_path, resp.status_code, (time.monotonic() - t0) * 1000
        )
        return resp

    return wrapper


def _audit(name: str, fmt: str, rows: int, nbytes: int, seconds: float) -> None:
    try:
        import ops

        ops.record_audit(
            _ops(),
            "api.download",
            target=f"{name}.{fmt}",
            who=getattr(auth.current_user, "username", None) or "public",
            after={
                "rows": rows,
                "bytes": nbytes,
                "seconds": round(seconds, 2),
                "query": flask.request.query_string.decode("utf-8", "replace")[:200],
            },
        )
    except Exception:
        log.exception("cannot audit api.download %s.%s", name, fmt)


# ---------------------------------------------------------------- routes
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]


def index_body() -> dict:
    snap = _snapshot()
    return {
        "name": "Sanyan open data API",
        "version": VERSION,
        "province_code": _province(),
        "snapshot": snap["version"],
        "built_at": snap["built_at"],
        "as_of": snap["as_of"],
        "classification": "open",
        **LICENCE,
        "links": {
            "datasets": f"{PREFIX}/datasets",
            "dataset": f"{PREFIX}/datasets/{{name}}",
            "rows": f"{PREFIX}/datasets/{{name}}/rows",
            "downloads": [
                f"{PREFIX}/datasets/{{name}}.csv",
                f"{PREFIX}/datasets/{{name}}.xlsx",
                f"{PREFIX}/datasets/{{name}}.geojson",
            ],
            "search": f"{PREFIX}/search?q={{text}}",
        },
        "datasets": sorted(DATASETS),
        "limits": {
            "default_limit": DEFAULT_LIMIT,
            "max_limit": MAX_LIMIT,
            "max_download_rows": MAX_DOWNLOAD_ROWS,
            "calls_per_minute": RATE_LIMIT,
            "max_q": MAX_Q,
        },
        "notes": {
            "th": "ข้อมูลเปิดเท่านั้น: ตัวชี้วัดและข้อมูลที่จัดชั้นใช้ภายในหรือลับไม่ปรากฏใน API นี้ "
            "ทุกแถวระบุ provenance (official = ทางการ, sample = ข้อมูลตัวอย่าง, entered = หน่วยงานบันทึก)",
            "en": "Open data only: KPIs and data classified internal or secret never appear here. Every row "
            "says its provenance (official, sample = generated sample data, entered = typed by an office)",
        },
    }


def init(server: flask.Flask) -> None:
    """Register the open-data routes."""

    @server.route("/api", methods=METHODS, endpoint="api_root")
    @server.route(PREFIX, methods=METHODS, strict_slashes=False, endpoint="api_index")
    @_endpoint
    def api_index():
        _args(())
        body = index_body()
        text = _dumps(body)
        _check_body(text, "index")
        return flask.Response(text, 200, mimetype="application/json")

    @server.route(f"{PREFIX}/datasets", methods=METHODS, strict_slashes=False, endpoint="api_datasets")
    @_endpoint
    def api_datasets():
        terms = _query_terms(_args(("q",)), required=False)
        results = []
        for d in DATASETS.values():
            if terms and not _matches(terms, d["name"], *d["title"].values(), *d["notes"].values(), *d["tags"]):
                continue
            results.append(metadata(d))
        text = _dumps({"count": len(results), "results": results})
        _check_body(text, "dataset list")
        return flask.Response(text, 200, mimetype="application/json")

    @server.route(f"{PREFIX}/datasets/<name>", methods=METHODS, endpoint="api_dataset")
    @_endpoint
    def api_dataset(name: str):
        base, dot, fmt = name.rpartition(".")
        if not dot:
            _args(())
            text = _dumps(metadata(_dataset(name)))
            _check_body(text, f"metadata {name}")
            return flask.Response(text, 200, mimetype="application/json")
        d = _dataset(base)
        if fmt not in FORMATS:
            raise ApiError(
                404,
                f"ไม่มีรูปแบบ .{fmt[:20]} (มี .csv .xlsx .geojson)",
                f"No format .{fmt[:20]} (there are .csv, .xlsx, .geojson)",
            )
        if fmt == "geojson" and not d["geo"]:
            raise ApiError(
                404, "ชุดข้อมูลนี้ไม่ใช่ข้อมูลรายอำเภอ จึงไม่มี GeoJSON", "This dataset is not district data, so it has no GeoJSON"
            )
        t0 = time.monotonic()
        filters = _filters(d, _args(d["filters"]))
        df = _frame(d, filters)
        if len(df) > MAX_DOWNLOAD_ROWS:
            raise ApiError(413, "ข้อมูลมากเกินไป กรุณากรองด้วยพารามิเตอร์", "Too many rows; narrow it with the filters")
        stem = f"sanyan-{_province()}-{base}" + "".join(f"-{k}{v}" for k, v in filters.items() if v is not None)
        key = flask.g.get("api_etag")
        with _downloads_lock:
            data = _downloads.get(key) if key else None
        if data is None:
            meta = metadata(d)
            if fmt == "csv":
                data = to_csv(df)
                _check_body(data.decode("utf-8"), f"{name}")
            elif fmt == "xlsx":
                _check_body(_dumps(_records(df)), f"{name}")
                data = to_xlsx(df, meta)
            else:
                text = _dumps(to_geojson(df, meta))
                _check_body(text, f"{name}")
                data = text.encode("utf-8")
            if key:
                with _downloads_lock:
                    _downloads[key] = data
                    while sum(len(v) for v in _downloads.values()) > DOWNLOAD_CACHE_BYTES:
                        _downloads.popitem(last=False)
        if flask.request.method == "GET":
            _audit(base, fmt, len(df), len(data), time.monotonic() - t0)
        resp = flask.Response(data, 200, mimetype=FORMATS[fmt])
        resp.headers["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
        return resp

    @server.route(f"{PREFIX}/datasets/<name>/rows", methods=METHODS, endpoint="api_rows")
    @_endpoint
    def api_rows(name: str):
        d = _dataset(name)
        args = _args(("limit", "offset") + tuple(d["filters"]))
        limit, offset = _paging(args)
        filters = _filters(d, args)
        df = _frame(d, filters)
        page = df.iloc[offset : offset + limit]
        used = {k: v for k, v in filters.items() if v is not None}

        def link(off: int) -> str:
            from urllib.parse import urlencode

            return f"{PREFIX}/datasets/{name}/rows?" + urlencode({**used, "limit": limit, "offset": off})

        body = {
            "dataset": name,
            "count": int(len(df)),
            "offset": offset,
            "limit": limit,
            "returned": int(len(page)),
            "filters": used,
            "fields": list(df.columns),
            "next": link(offset + limit) if offset + limit < len(df) else None,
            "previous": link(max(offset - limit, 0)) if offset > 0 else None,
            "snapshot": _snapshot()["version"],
            "license_id": LICENCE["license_id"],
            "results": _records(page),
        }
        if "provenance" in df.columns and (page["provenance"] == "sample").any():
            body["provenance_note"] = SAMPLE_NOTE
        text = _dumps(body)
        _check_body(text, f"rows {name}")
        return flask.Response(text, 200, mimetype="application/json")

    @server.route(f"{PREFIX}/search", methods=METHODS, endpoint="api_search")
    @_endpoint
    def api_search():
        args = _args(("q", "limit"))
        terms = _query_terms(args, required=True)
        limit = SEARCH_LIMIT if args.get("limit") in (None, "") else _int("limit", args["limit"], 1, SEARCH_MAX, "", "")
        results = []
        kpis = _frame(DATASETS["kpis"], {"kpi": None})
        for r in kpis.itertuples():
            if _matches(terms, r.kpi_code, r.name_th, r.name_en):
                results.append(
                    {
                        "type": "kpi",
                        "code": r.kpi_code,
                        "title": {"th": r.name_th, "en": r.name_en},
                        "dataset": "kpi_results",
                        "url": f"{PREFIX}/datasets/kpi_results/rows?kpi={r.kpi_code}",
                        "catalogue": f"{PREFIX}/datasets/kpis/rows?kpi={r.kpi_code}",
                    }
                )
        inds = _frame(DATASETS["indicators"], {"indicator": None})
        for r in inds.itertuples():
            if _matches(terms, r.indicator_code, r.name_th, r.name_en, r.group_name_th, r.group_name_en):
                results.append(
                    {
                        "type": "indicator",
                        "code": r.indicator_code,
                        "title": {"th": r.name_th, "en": r.name_en},
                        "dataset": "indicator_values",
                        "url": f"{PREFIX}/datasets/indicator_values/rows?indicator={r.indicator_code}",
                        "catalogue": f"{PREFIX}/datasets/indicators/rows?indicator={r.indicator_code}",
                    }
                )
        for d in DATASETS.values():
            if _matches(terms, d["name"], *d["title"].values(), *d["notes"].values(), *d["tags"]):
                results.append(
                    {
                        "type": "dataset",
                        "code": d["name"],
                        "title": d["title"],
                        "dataset": d["name"],
                        "url": f"{PREFIX}/datasets/{d['name']}",
                    }
                )
        s9 = _frame(DATASETS["s9_register"], {"category": None})
        for r in s9.itertuples():
            if _matches(terms, r.title, r.unit_responsible, r.category_th, r.category_en):
                results.append(
                    {
                        "type": "s9",
                        "code": f"9({r.category})",
                        "title": {"th": r.title, "en": r.title},
                        "dataset": "s9_register",
                        "link": r.link,
                        "current": bool(r.current),
                        "url": f"{PREFIX}/datasets/s9_register/rows?category={r.category}",
                    }
                )
        text = _dumps({"count": len(results), "returned": min(limit, len(results)), "results": results[:limit]})
        _check_body(text, "search")
        return flask.Response(text, 200, mimetype="application/json")

    @server.route("/api/<path:rest>", methods=METHODS, endpoint="api_unknown")
    @_endpoint
    def api_unknown(rest: str):
        raise ApiError(404, "ไม่มีที่อยู่นี้ใน API ดู /api/v1", "No such API address; see /api/v1")
