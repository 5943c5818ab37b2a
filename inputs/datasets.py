"""The registry of every tabular input Sanyan accepts, as data.

One entry per dataset. The same entry drives:
  * ``python -m etl template DATASET`` (Thai headers, drop-down lists, instructions sheet),
  * ``python -m etl validate FILE`` / ``load FILE`` (parsing and row checks),
  * ``python -m etl build`` (every file of the dataset is parsed by the same code, then
    loaded into the staging table ``raw_<dataset>``),
  * ``python -m etl sample`` (the sample generator writes files in exactly this shape).

Column kinds (see ``inputs/parsing.py`` for the rules):
  text      stripped string; blank -> NULL
  code      stripped string, must be in ``codes`` (a code list name, see ``CODE_LISTS``); an
            ``area`` or ``district`` code must lie in this province (``settings.province``)
  enum      stripped string, one of ``choices`` or its Thai label given in ``help_th``
  int       whole number (Thai digits, thousands separators accepted)
  number    decimal number (Thai digits, thousands separators accepted)
  year      a year: B.E. 2500 to the fiscal year after the current one, or the same years in
            C.E.; one era per column of a file (see the YEAR_RULE in inputs/parsing.py); stored as B.E.
  month     1-12 or a Thai/English month name or abbreviation, stored as 1-12
  date      d/m/yyyy, yyyy-mm-dd or "24 พ.ย. 2569"; the year by the same rule; stored as a date
  bool      ใช่/ไม่ใช่, yes/no, true/false, 1/0

Every dataset ends with the provenance columns: ``provenance`` (official / sample / entered,
default entered) and ``source_ref`` (free text; required when provenance is official).
"""

from __future__ import annotations

from dataclasses import dataclass, field

PROVENANCE = ("official", "sample", "entered")


@dataclass(frozen=True)
class Column:
    key: str
    th: str
    en: str
    kind: str
    required: bool = True
    codes: str | None = None  # code list name for kind == "code"
    choices: tuple[str, ...] = ()  # allowed values for kind == "enum"
    min: float | None = None
    max: float | None = None
    help_th: str = ""
    help_en: str = ""
    # a long free text (a definition, a formula, a list of sources) may keep its line breaks; every
    # other text is a name or a code and is one line (``inputs.parsing.one_line``)
    multiline: bool = False


@dataclass(frozen=True)
class Measure:
    """A figure judged by its owner's unit (``inputs.parsing.measure_problem``): the owner code
    column, the figure's column and the code list mapping owner codes to units."""

    owner: str
    value: str
    units: str


KPI_MEASURE = Measure("kpi_code", "value", "kpi_unit")


@dataclass(frozen=True)
class Dataset:
    name: str
    th: str
    en: str
    columns: tuple[Column, ...]
    grain: tuple[str, ...]  # unique key within the dataset
    templated: bool = False  # offered as a uniform template to officers
    help_th: str = ""
    help_en: str = ""
    extra: dict = field(default_factory=dict)

    def column(self, key: str) -> Column:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(key)

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.columns]


def _prov() -> tuple[Column, ...]:
    return (
        Column(
            "provenance",
            "ที่มาของข้อมูล",
            "Provenance",
            "enum",
            required=False,
            choices=PROVENANCE,
            help_th="official = ตัวเลขทางการ, sample = ข้อมูลตัวอย่าง, entered = กรอกโดยหน่วยงาน (ค่าเริ่มต้น)",
            help_en="official, sample or entered (default entered)",
        ),
        Column(
            "source_ref",
            "แหล่งอ้างอิง",
            "Source reference",
            "text",
            required=False,
            help_th="เอกสารหรือระบบต้นทาง (จำเป็นเมื่อเป็นตัวเลขทางการ)",
            help_en="source document or system (required for official figures)",
        ),
    )


PASSPORT_TH = "ควรกรอก: ช่องที่ว่างนับเป็นความไม่ครบถ้วนของบัญชีตัวชี้วัดในหน้าคุณภาพข้อมูล"
PASSPORT_EN = "should be filled: a blank counts against the passport's completeness on /quality"
PASSPORT_EN_TH = "ภาษาอังกฤษ สำหรับหน้าจอภาษาอังกฤษ; ว่างไว้ได้ (หน้าจอภาษาอังกฤษจะแสดงข้อความภาษาไทย)"
PASSPORT_EN_EN = "in English, for the English pages; may be blank (they then show the Thai text)"


def _reported_by() -> Column:
    """Who enters a KPI's or indicator's figures of a district (docs/RULES.md section 12): ``district``
    = the district's own editors (and the owner unit's); blank or ``province`` = the owner unit only."""
    return Column(
        "reported_by",
        "ผู้รายงานรายอำเภอ",
        "Reported by",
        "enum",
        required=False,
        choices=("district", "province"),
        help_th="district = ผู้บันทึกของอำเภอบันทึกตัวเลขของอำเภอตนได้; ว่างไว้หรือ province = หน่วยงานเจ้าของบันทึกเท่านั้น"
        " (docs/RULES.md หัวข้อ 12)",
        help_en="district = a district's editors enter their district's figures; blank or province = the owner unit only"
        " (docs/RULES.md section 12)",
    )


def _passport_en(name: str, label_th: str, label_en: str, multiline: bool = False) -> Column:
    """A passport text's optional English column (the English pages show the Thai one when blank)."""
    return Column(
        name,
        label_th,
        label_en,
        "text",
        required=False,
        multiline=multiline,
        help_th=PASSPORT_EN_TH,
        help_en=PASSPORT_EN_EN,
    )


AREA_HELP_TH = "รหัสพื้นที่ตาม มท./มอก.1099: จังหวัด 2 หลัก (86) อำเภอ 4 หลัก (8601) ตำบล 6 หลัก"
AREA_HELP_EN = "DOPA/TIS-1099 area code: province 2 digits, district 4, sub-district 6"

# Code lists: name -> (th, en). Their values come from the warehouse dimensions
# (or, during a build, from the files of the same build). Beside them the lists ``kpi_unit``
# and ``indicator_unit`` map a KPI or indicator code to its unit ('%' for an indicator marked
# is_percent), for the ``measure`` rule.
CODE_LISTS = {
    "province": ("จังหวัด", "Province"),
    "district": ("อำเภอ", "District"),
    "area": ("พื้นที่ (จังหวัด/อำเภอ/ตำบล)", "Area (province/district/sub-district)"),
    "kpi": ("ตัวชี้วัด", "KPI"),
    "node": ("ประเด็นยุทธศาสตร์/แผน/โครงการ", "Strategy node"),
    "project": ("โครงการ", "Project"),
    "topic_group": ("กลุ่มเรื่อง", "Topic group"),
    "indicator": ("ตัวชี้วัดฐานข้อมูลจังหวัด", "Provincial indicator"),
    "gpp_sector": ("สาขาการผลิต", "GPP sector"),
    "disaster_type": ("ประเภทภัย", "Disaster type"),
}

DATASETS: dict[str, Dataset] = {}


def _add(ds: Dataset) -> None:
    DATASETS[ds.name] = ds


# ---------------------------------------------------------------- catalogues (KPI passport)
_add(
    Dataset(
        "strategy_nodes",
        "โครงสร้างยุทธศาสตร์ แผน และโครงการ",
        "Strategy, plan and project hierarchy",
        columns=(
            Column("node_code", "รหัส", "Code", "text"),
            Column(
                "parent_code",
                "รหัสระดับบน",
                "Parent code",
                "text",
                required=False,
                help_th="ว่างไว้สำหรับประเด็นยุทธศาสตร์",
                help_en="blank for a strategic issue",
            ),
            Column(
                "node_type",
                "ระดับ",
                "Level",
                "enum",
                choices=("issue", "plan", "project"),
                help_th="issue = ประเด็นยุทธศาสตร์, plan = แผนงาน, project = โครงการ",
            ),
            Column("name_th", "ชื่อ (ไทย)", "Name (Thai)", "text"),
            Column("name_en", "ชื่อ (อังกฤษ)", "Name (English)", "text", required=False),
            Column("owner_unit", "หน่วยงานรับผิดชอบ", "Owner unit", "text", required=False),
            Column("budget_baht", "งบประมาณ (บาท)", "Budget (baht)", "number", required=False, min=0),
            Column("fiscal_year", "ปีงบประมาณ", "Fiscal year", "year", required=False),
            Column(
                "weight",
                "น้ำหนักในระดับบน",
                "Weight within the parent",
                "number",
                required=False,
                min=0,
                help_th="ใช้รวมคะแนนขึ้นไประดับบน ค่าเริ่มต้น 1",
                help_en="for the roll-up to the parent; default 1",
            ),
            Column(
                "area_code",
                "พื้นที่ดำเนินการ",
                "Where it takes place",
                "code",
                required=False,
                codes="area",
                help_th="รหัสอำเภอหรือตำบลที่โครงการตั้งอยู่ (ว่างไว้ถ้าทั้งจังหวัด)",
                help_en="district or sub-district code of a project (blank for province-wide)",
            ),
        )
        + _prov(),
        grain=("node_code",),
    )
)

_add(
    Dataset(
        "kpis",
        "บัญชีตัวชี้วัด (KPI passport)",
        "KPI catalogue (passport)",
        columns=(
            Column("kpi_code", "รหัสตัวชี้วัด", "KPI code", "text"),
            Column(
                "parent_kpi_code",
                "รหัสตัวชี้วัดหลัก",
                "Parent KPI code",
                "text",
                required=False,
                help_th="กรอกเมื่อเป็นตัวชี้วัดย่อย",
                help_en="set for a sub-KPI",
            ),
            Column("name_th", "ชื่อตัวชี้วัด (ไทย)", "Name (Thai)", "text"),
            Column("name_en", "ชื่อตัวชี้วัด (อังกฤษ)", "Name (English)", "text"),
            Column("definition_th", "คำนิยาม", "Definition", "text", multiline=True),
            Column("formula_th", "สูตรคำนวณ", "Formula", "text", multiline=True),
            _passport_en("definition_en", "คำนิยาม (อังกฤษ)", "Definition (English)", multiline=True),
            _passport_en("formula_en", "สูตรคำนวณ (อังกฤษ)", "Formula (English)", multiline=True),
            Column(
                "unit",
                "หน่วยนับ",
                "Unit",
                "text",
                help_th="ชื่อหน่วยต้องมีชื่อภาษาอังกฤษใน data/seeds/units.csv หรือ count_units.csv",
                help_en="the unit needs its English name in data/seeds/units.csv or count_units.csv",
            ),
            Column(
                "direction",
                "ทิศทาง",
                "Direction",
                "enum",
                choices=("higher", "lower", "range"),
                help_th="higher = ยิ่งมากยิ่งดี, lower = ยิ่งน้อยยิ่งดี, range = อยู่ในช่วง",
            ),
            Column("range_low", "ช่วงต่ำสุด", "Range low", "number", required=False),
            Column("range_high", "ช่วงสูงสุด", "Range high", "number", required=False),
            Column(
                "frequency",
                "ความถี่การจัดเก็บ",
                "Frequency",
                "enum",
                choices=("monthly", "quarterly", "semiannual", "yearly"),
            ),
            Column(
                "aggregation",
                "การรวมค่าในปี",
                "Aggregation within the year",
                "enum",
                choices=("sum", "mean", "last"),
                help_th="sum = สะสม, mean = เฉลี่ย, last = ค่าล่าสุด",
            ),
            # IT1 asks for these; a catalogue may be loaded before they are all named, and /quality
            # counts the gaps (passport completeness)
            Column(
                "data_source",
                "แหล่งข้อมูล",
                "Data source",
                "text",
                required=False,
                multiline=True,
                help_th=PASSPORT_TH,
                help_en=PASSPORT_EN,
            ),
            Column("verifier", "ผู้สอบทาน", "Verifier", "text", required=False, help_th=PASSPORT_TH, help_en=PASSPORT_EN),
            Column(
                "data_users",
                "ผู้ใช้ข้อมูล",
                "Data users",
                "text",
                required=False,
                multiline=True,
                help_th=PASSPORT_TH,
                help_en=PASSPORT_EN,
            ),
            Column("owner_unit", "หน่วยงานเจ้าของ", "Owner unit", "text"),
            _passport_en("data_source_en", "แหล่งข้อมูล (อังกฤษ)", "Data source (English)", multiline=True),
            _passport_en("verifier_en", "ผู้สอบทาน (อังกฤษ)", "Verifier (English)"),
            _passport_en("data_users_en", "ผู้ใช้ข้อมูล (อังกฤษ)", "Data users (English)", multiline=True),
            _passport_en("owner_unit_en", "หน่วยงานเจ้าของ (อังกฤษ)", "Owner unit (English)"),
            Column(
                "importance_tier",
                "ระดับความสำคัญ",
                "Importance tier",
                "int",
                min=1,
                max=3,
                help_th="1 = สำคัญมาก ติดตามรายเดือน, 2 = รายไตรมาส, 3 = รายปี",
            ),
            Column(
                "indicator_type",
                "ประเภทตัวชี้วัด",
                "Leading or lagging",
                "enum",
                choices=("leading", "lagging"),
                help_th="leading = ตัวชี้วัดนำ, lagging = ตัวชี้วัดตาม",
            ),
            Column(
                "classification",
                "ชั้นความลับ",
                "Classification",
                "enum",
                choices=("open", "internal", "secret"),
                help_th="open = เปิดเผย, internal = ใช้ภายใน, secret = ลับ",
            ),
            Column(
                "entry_ceiling_multiple",
                "เพดานค่าที่บันทึก (เท่า)",
                "Entry ceiling (multiple)",
                "number",
                required=False,
                min=1,
                help_th="ว่างไว้ = ใช้กฎ entry_ceiling_multiple ของจังหวัด; ค่าที่บันทึกเกินจำนวนเท่านี้ของค่าที่มากกว่าระหว่าง"
                "เป้าหมายทั้งปีของพื้นที่กับค่ารายเดือนสูงสุดในประวัติ ต้องมีเหตุผล (docs/RULES.md section 8)",
                help_en="blank = the province's rule entry_ceiling_multiple; a figure above this multiple of the larger "
                "of the area's year target and its largest month value in history needs a written reason",
            ),
            _reported_by(),
        )
        + _prov(),
        grain=("kpi_code",),
    )
)

_add(
    Dataset(
        "kpi_links",
        "ความเชื่อมโยงตัวชี้วัดกับแผน/โครงการ",
        "KPI to plan/project links",
        columns=(
            Column("kpi_code", "รหัสตัวชี้วัด", "KPI code", "code", codes="kpi"),
            Column("node_code", "รหัสแผน/โครงการ", "Node code", "code", codes="node"),
            Column(
                "weight",
                "น้ำหนัก",
                "Weight",
                "number",
                required=False,
                min=0,
                help_th="น้ำหนักของตัวชี้วัดเมื่อรวมคะแนนของแผน/โครงการ ค่าเริ่มต้น 1",
                help_en="the KPI's weight in the node's roll-up; default 1",
            ),
        )
        + _prov(),
        grain=("kpi_code", "node_code"),
    )
)

_add(
    Dataset(
        "kpi_leading_links",
        "ตัวชี้วัดนำ → ตัวชี้วัดตาม",
        "Leading to lagging KPI links",
        columns=(
            Column("leading_kpi_code", "รหัสตัวชี้วัดนำ", "Leading KPI", "code", codes="kpi"),
            Column("lagging_kpi_code", "รหัสตัวชี้วัดตาม", "Lagging KPI", "code", codes="kpi"),
        )
        + _prov(),
        grain=("leading_kpi_code", "lagging_kpi_code"),
    )
)

_add(
    Dataset(
        "kpi_criteria",
        "เกณฑ์การให้คะแนน 5 ระดับ",
        "Five-level criteria",
        columns=(
            Column("kpi_code", "รหัสตัวชี้วัด", "KPI code", "code", codes="kpi"),
            Column("fiscal_year", "ปีงบประมาณ", "Fiscal year", "year"),
            Column(
                "t1",
                "เกณฑ์ระดับ 1",
                "Level 1",
                "number",
                help_th="เกณฑ์ 5 ระดับเรียงทางเดียวกัน: เพิ่มขึ้นเมื่อยิ่งมากยิ่งดี ลดลงเมื่อยิ่งน้อยยิ่งดี "
                "สำหรับตัวชี้วัดแบบช่วง ให้ใส่ระยะห่างจากช่วง (ลดลงจนถึง 0 ที่ระดับ 5)",
                help_en="increasing for higher-is-better, decreasing for lower-is-better; for a range KPI the "
                "distance outside the range, decreasing to 0 at level 5",
            ),
            Column("t2", "เกณฑ์ระดับ 2", "Level 2", "number"),
            Column("t3", "เกณฑ์ระดับ 3 (ค่าเป้าหมาย)", "Level 3 (target)", "number"),
            Column("t4", "เกณฑ์ระดับ 4", "Level 4", "number"),
            Column("t5", "เกณฑ์ระดับ 5", "Level 5", "number"),
            Column(
                "weight",
                "น้ำหนักในคำรับรอง (%)",
                "Agreement weight (%)",
                "number",
                required=False,
                min=0,
                max=100,
                help_th="ว่างไว้หากไม่อยู่ในคำรับรองการปฏิบัติราชการ",
            ),
            Column(
                "red_below",
                "สีแดงเมื่อคะแนนต่ำกว่า",
                "Red below score",
                "number",
                required=False,
                min=1,
                max=5,
                help_th="ค่าเริ่มต้น 3",
            ),
            Column(
                "green_from",
                "สีเขียวเมื่อคะแนนตั้งแต่",
                "Green from score",
                "number",
                required=False,
                min=1,
                max=5,
                help_th="ค่าเริ่มต้น 4",
            ),
        )
        + _prov(),
        grain=("kpi_code", "fiscal_year"),
    )
)

_add(
    Dataset(
        "project_plans",
        "แผนการดำเนินงานและการเบิกจ่ายรายเดือน",
        "Monthly project plan and disbursement",
        columns=(
            Column("project_code", "รหัสโครงการ", "Project code", "code", codes="project"),
            Column("fiscal_year", "ปีงบประมาณ", "Fiscal year", "year"),
            Column("month", "เดือน", "Month", "month"),
            Column(
                "planned_progress_pct",
                "ความก้าวหน้าตามแผนสะสม (%)",
                "Planned cumulative progress (%)",
                "number",
                min=0,
                max=100,
            ),
            Column(
                "planned_disbursement_baht",
                "แผนเบิกจ่ายสะสม (บาท)",
                "Planned cumulative disbursement (baht)",
                "number",
                min=0,
            ),
            Column(
                "actual_progress_pct",
                "ความก้าวหน้าจริงสะสม (%)",
                "Actual cumulative progress (%)",
                "number",
                required=False,
                min=0,
                max=100,
            ),
            Column(
                "actual_disbursement_baht",
                "เบิกจ่ายจริงสะสม (บาท)",
                "Actual cumulative disbursement (baht)",
                "number",
                required=False,
                min=0,
            ),
        )
        + _prov(),
        grain=("project_code", "fiscal_year", "month"),
        templated=True,
    )
)

# ---------------------------------------------------------------- the uniform templates
_add(
    Dataset(
        "kpi_targets",
        "ค่าเป้าหมายตัวชี้วัด",
        "KPI targets",
        columns=(
            Column("kpi_code", "รหัสตัวชี้วัด", "KPI code", "code", codes="kpi"),
            Column("fiscal_year", "ปีงบประมาณ", "Fiscal year", "year"),
            Column(
                "month",
                "เดือน",
                "Month",
                "month",
                required=False,
                help_th="ว่างไว้ = เป้าหมายทั้งปี; กรอกเดือน = เป้าหมายสะสมถึงสิ้นเดือนนั้น",
                help_en="blank = whole-year target; a month = cumulative target to that month's end",
            ),
            Column(
                "area_code", "รหัสพื้นที่", "Area code", "code", codes="area", help_th=AREA_HELP_TH, help_en=AREA_HELP_EN
            ),
            Column("target", "ค่าเป้าหมาย", "Target", "number"),
        )
        + _prov(),
        grain=("kpi_code", "fiscal_year", "month", "area_code"),
        templated=True,
        extra={"measure": Measure("kpi_code", "target", "kpi_unit")},
    )
)

_add(
    Dataset(
        "kpi_actuals",
        "ผลการดำเนินงานตามตัวชี้วัด",
        "KPI actuals",
        columns=(
            Column("kpi_code", "รหัสตัวชี้วัด", "KPI code", "code", codes="kpi"),
            Column("fiscal_year", "ปีงบประมาณ", "Fiscal year", "year"),
            Column("month", "เดือน", "Month", "month", help_th="เดือนของผลการดำเนินงาน (รายไตรมาสให้ใช้เดือนสิ้นไตรมาส)"),
            Column(
                "area_code", "รหัสพื้นที่", "Area code", "code", codes="area", help_th=AREA_HELP_TH, help_en=AREA_HELP_EN
            ),
            Column(
                "value",
                "ผลการดำเนินงาน",
                "Actual value",
                "number",
                help_th="ค่าของเดือนนั้น (ไม่ใช่ยอดสะสม)",
                help_en="the month's own value (not cumulative)",
            ),
            Column("reported_on", "วันที่รายงาน", "Reported on", "date", required=False),
        )
        + _prov(),
        grain=("kpi_code", "fiscal_year", "month", "area_code"),
        templated=True,
        extra={"measure": KPI_MEASURE},
    )
)

_add(
    Dataset(
        "topic_groups",
        "กลุ่มเรื่องฐานข้อมูลจังหวัด",
        "Provincial database topic groups",
        columns=(
            Column("group_code", "รหัสกลุ่มเรื่อง", "Group code", "text"),
            Column("name_th", "ชื่อกลุ่มเรื่อง (ไทย)", "Name (Thai)", "text"),
            Column("name_en", "ชื่อกลุ่มเรื่อง (อังกฤษ)", "Name (English)", "text"),
            Column("domain", "ด้าน", "Domain", "enum", choices=("economy", "society", "environment", "administration")),
        )
        + _prov(),
        grain=("group_code",),
    )
)

_add(
    Dataset(
        "indicators",
        "ตัวชี้วัดฐานข้อมูลจังหวัด",
        "Provincial database indicators",
        columns=(
            Column("indicator_code", "รหัสตัวชี้วัด", "Indicator code", "text"),
            Column("group_code", "รหัสกลุ่มเรื่อง", "Group code", "code", codes="topic_group"),
            Column("name_th", "ชื่อ (ไทย)", "Name (Thai)", "text"),
            Column("name_en", "ชื่อ (อังกฤษ)", "Name (English)", "text"),
            Column(
                "unit",
                "หน่วย",
                "Unit",
                "text",
                help_th="ชื่อหน่วยต้องมีชื่อภาษาอังกฤษใน data/seeds/units.csv หรือ count_units.csv",
                help_en="the unit needs its English name in data/seeds/units.csv or count_units.csv",
            ),
            Column("source_agency", "หน่วยงานเจ้าของข้อมูล", "Source agency", "text"),
            Column("frequency", "ความถี่", "Frequency", "enum", choices=("monthly", "quarterly", "yearly")),
            Column("direction", "ทิศทาง", "Direction", "enum", choices=("higher", "lower", "neutral")),
            Column("is_percent", "เป็นร้อยละ", "Is a percentage", "bool", required=False),
            Column(
                "classification",
                "ชั้นการเปิดเผย",
                "Classification",
                "enum",
                required=False,
                choices=("open", "internal", "secret"),
                help_th="open = เปิดเผยต่อสาธารณะ, internal = ใช้ภายใน, secret = ลับ; ว่างไว้ = ใช้ภายใน "
                "(ไม่มีสิ่งใดเผยแพร่โดยไม่ได้ตั้งใจ)",
                help_en="open, internal or secret; blank = internal (nothing is published by omission)",
            ),
            _reported_by(),
        )
        + _prov(),
        grain=("indicator_code",),
    )
)

_add(
    Dataset(
        "indicator_values",
        "ค่าตัวชี้วัดฐานข้อมูลจังหวัด",
        "Provincial indicator values",
        columns=(
            Column("indicator_code", "รหัสตัวชี้วัด", "Indicator code", "code", codes="indicator"),
            Column("year", "ปี (พ.ศ.)", "Year", "year"),
            Column(
                "area_code", "รหัสพื้นที่", "Area code", "code", codes="area", help_th=AREA_HELP_TH, help_en=AREA_HELP_EN
            ),
            Column("value", "ค่า", "Value", "number"),
        )
        + _prov(),
        grain=("indicator_code", "year", "area_code"),
        templated=True,
        extra={"measure": Measure("indicator_code", "value", "indicator_unit")},
    )
)

_add(
    Dataset(
        "gpp_sector",
        "ผลิตภัณฑ์มวลรวมจังหวัดรายสาขา",
        "Gross provincial product by sector",
        columns=(
            Column("province_code", "รหัสจังหวัด", "Province code", "code", codes="province"),
            Column("year", "ปี (พ.ศ.)", "Year", "year"),
            Column(
                "classification",
                "การจัดประเภท",
                "Classification",
                "enum",
                choices=("ISIC3_16", "ISIC4"),
                help_th="ISIC3_16 = ชุดเดิม 16 สาขา, ISIC4 = ชุดปัจจุบัน",
            ),
            Column(
                "sector_code", "รหัสสาขา", "Sector code", "code", codes="gpp_sector", help_th="TOTAL = ผลิตภัณฑ์มวลรวมจังหวัด"
            ),
            Column(
                "price_basis",
                "ฐานราคา",
                "Price basis",
                "enum",
                choices=("cp", "cvm"),
                help_th="cp = ราคาประจำปี, cvm = ปริมาณลูกโซ่",
            ),
            Column(
                "reference_year",
                "ปีอ้างอิง (พ.ศ.)",
                "Reference year",
                "year",
                required=False,
                help_th="จำเป็นสำหรับ cvm เช่น 2545",
            ),
            Column("value_million_baht", "มูลค่า (ล้านบาท)", "Value (million baht)", "number"),
            Column(
                "revision_flag",
                "สถานะตัวเลข",
                "Revision flag",
                "enum",
                required=False,
                choices=("p", "r"),
                help_th="p = เบื้องต้น, r = ปรับปรุง",
            ),
            Column("edition", "ฉบับข้อมูล", "Edition", "text"),
        )
        + _prov(),
        grain=("province_code", "year", "classification", "sector_code", "price_basis", "edition"),
        templated=True,
        # an office's sector file replaces ALL sample sectors of its province, classification and
        # edition (a mix of sample and real sectors would not add up)
        extra={"replace_scope": ("province_code", "classification", "edition")},
    )
)

_add(
    Dataset(
        "disasters",
        "สาธารณภัยรายอำเภอ",
        "Disaster events by district",
        columns=(
            Column("event_id", "รหัสเหตุการณ์", "Event id", "text"),
            Column("district_code", "รหัสอำเภอ", "District code", "code", codes="district"),
            Column("disaster_type", "ประเภทภัย", "Disaster type", "code", codes="disaster_type"),
            Column("start_date", "วันเริ่ม", "Start date", "date"),
            Column("end_date", "วันสิ้นสุด", "End date", "date", required=False),
            Column("damage_baht", "มูลค่าความเสียหาย (บาท)", "Damage (baht)", "number", min=0),
            Column("households_affected", "ครัวเรือนที่ได้รับผลกระทบ", "Households affected", "int", min=0),
            Column("area_rai", "พื้นที่เสียหาย (ไร่)", "Area damaged (rai)", "number", required=False, min=0),
        )
        + _prov(),
        grain=("event_id", "district_code"),
        templated=True,
    )
)

TEMPLATED = [name for name, ds in DATASETS.items() if ds.templated]
