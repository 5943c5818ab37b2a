"""Admins' overrides of the GD-Catalog (thai_gdc) metadata, in the ops store (docs/CATALOG.md).

The metadata of each open dataset is data: ``data/seeds/gdc_datasets.csv``, read by the build into
``dim_gdc_dataset`` and checked there (``etl/sql/checks/gdc_datasets.sql``). An admin may change one
field of one dataset here without a rebuild (a new contact address, a corrected objective): the
value is checked by the same rules as the build's check (a required field is never emptied, a
choice is one of the schema's, data_category stays ข้อมูลสาธารณะ…), kept with who set it and when,
audited (``gdc.set`` / ``gdc.clear``, with the value before and after), and web/catalog.py serves
it in place of the snapshot's value at once. Clearing an override brings back the seed's value.
Only admins; anyone else is refused (and the refusal audited).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import sqlalchemy as sa

import ops
from ops.workflow import Actor, EntryError, Forbidden

EDITORS = ("admin",)

gdc_overrides = sa.Table(
    "gdc_overrides",
    ops.metadata,
    sa.Column("dataset", sa.String(60), primary_key=True),
    sa.Column("field", sa.String(60), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("updated_by", sa.String(100), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

# the thai_gdc choices (ckanext-thai_gdc ckan_dataset.json), as etl/sql/checks/gdc_datasets.sql has
# them (tests/test_gdc_catalog.py holds the two equal); data_category: public data only
CHOICES = {
    "data_type": (
        "ข้อมูลระเบียน",
        "ข้อมูลสถิติ",
        "ข้อมูลภูมิสารสนเทศเชิงพื้นที่",
        "ข้อมูลหลากหลายประเภท",
        "ข้อมูลประเภทอื่นๆ",
    ),
    "objective": (
        "ยุทธศาสตร์ชาติ",
        "แผนพัฒนาเศรษฐกิจและสังคมแห่งชาติ",
        "แผนความมั่นคงแห่งชาติ",
        "แผนแม่บทภายใต้ยุทธศาสตร์ชาติ",
        "แผนปฏิรูปประเทศ",
        "แผนระดับที่ 3 (มติครม. 4 ธ.ค. 2560)",
        "นโยบายรัฐบาล/ข้อสั่งการนายกรัฐมนตรี",
        "มติคณะรัฐมนตรี",
        "เพื่อการให้บริการประชาชน",
        "กฎหมายที่เกี่ยวข้อง",
        "พันธกิจหน่วยงาน",
        "ดัชนี/ตัวชี้วัดระดับนานาชาติ",
        "ไม่ทราบ",
        "อื่นๆ",
    ),
    "update_frequency_unit": (
        "ไม่ทราบ",
        "ปี",
        "ครึ่งปี",
        "ไตรมาส",
        "เดือน",
        "สัปดาห์",
        "วัน",
        "วันทำการ",
        "ชั่วโมง",
        "นาที",
        "ตามเวลาจริง",
        "ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล",
        "อื่นๆ",
    ),
    "geo_coverage": (
        "ไม่มี",
        "โลก",
        "ทวีป/กลุ่มประเทศในทวีป",
        "กลุ่มประเทศทางเศรษฐกิจ",
        "ประเทศ",
        "ภาค",
        "จังหวัด",
        "อำเภอ",
        "ตำบล",
        "หมู่บ้าน",
        "เทศบาล/อบต.",
        "พิกัด",
        "ไม่ทราบ",
        "อื่นๆ",
    ),
    "data_format": (
        "Database",
        "CSV",
        "XML",
        "Image",
        "Video",
        "Audio",
        "Text",
        "JSON",
        "HTML",
        "XLS",
        "PDF",
        "RDF",
        "NoSQL",
        "Arc/Info Coverage",
        "Shapefile",
        "GeoTiff",
        "GML",
        "ไม่ทราบ",
        "อื่นๆ",
    ),
    "data_category": ("ข้อมูลสาธารณะ",),
    "license_id": (
        "License not specified",
        "Creative Commons Attributions",
        "Creative Commons Attribution Share-Alike",
        "Creative Commons Non-Commercial (Any)",
        "Open Data Common",
        "GNU Free Documentation License",
        "อื่นๆ",
    ),
    "allow_harvest": ("True", "False"),
    "data_language": (
        "ไทย",
        "อังกฤษ",
        "จีน",
        "มลายู",
        "พม่า",
        "ลาว",
        "เขมร",
        "ญี่ปุ่น",
        "เกาหลี",
        "ฝรั่งเศส",
        "เยอรมัน",
        "อารบิก",
        "ไม่ทราบ",
        "อื่นๆ",
    ),
}
LISTS = ("objective", "data_format", "data_language")  # ';'-separated choices
REQUIRED = (
    "title_th",
    "title_en",
    "data_type",
    "objective",
    "update_frequency_unit",
    "update_frequency_interval",
    "geo_coverage",
    "data_source",
    "data_format",
    "data_category",
    "license_id",
    "maintainer",
    "maintainer_email",
    "tag_string",
    "notes",
    "allow_harvest",
    "first_year_of_data",
)
FIELDS = (*REQUIRED, "license_id_other", "data_language", "s9_category")  # every field but the name
MAX_LEN = 2000
_DATASET_RE = re.compile(r"^[a-z0-9_]{1,60}$")


def _refuse(eng, actor: Actor, action: str, target: str, err: EntryError) -> EntryError:
    ops.record_audit(eng, action, target=target, who=actor.username, outcome="refused", after={"why": err.en})
    return err


def check(field: str, value: str) -> str:
    """The value as it will be kept (trimmed), or EntryError with the reason in Thai and English."""
    if field not in FIELDS:
        raise EntryError(f"ไม่มีช่อง {field[:60]}", f"No field {field[:60]}", "field")
    text = re.sub(r"[\x00-\x1f\x7f]", " ", str(value or "")).strip()
    if len(text) > MAX_LEN:
        raise EntryError(f"ยาวเกิน {MAX_LEN} ตัวอักษร", f"Longer than {MAX_LEN} characters", field)
    if not text:
        if field in REQUIRED:
            raise EntryError(f"ต้องกรอก {field}", f"{field} is required", field)
        return text
    if field in CHOICES:
        values = [v.strip() for v in text.split(";")] if field in LISTS else [text]
        bad = [v for v in values if v not in CHOICES[field]]
        if bad or not values:
            if field == "data_category":
                raise EntryError(
                    "สัญญาณเผยแพร่เฉพาะข้อมูลสาธารณะ: data_category ต้องเป็น ข้อมูลสาธารณะ",
                    "Sanyan publishes public data only: data_category must be ข้อมูลสาธารณะ",
                    field,
                )
            raise EntryError(
                f"'{bad[0][:60]}' ไม่ใช่ตัวเลือกของ {field} ในแบบ thai_gdc",
                f"'{bad[0][:60]}' is not a choice of thai_gdc {field}",
                field,
            )
        text = ";".join(v for v in values if v)
    if field == "update_frequency_interval" and not (re.fullmatch(r"[0-9]{1,4}", text) and int(text) >= 1):
        raise EntryError(
            "ต้องเป็นจำนวนเต็มตั้งแต่ 1", "must be a whole number from 1 (times per update_frequency_unit)", field
        )
    if field == "first_year_of_data" and not (re.fullmatch(r"[0-9]{4}", text) and 2400 <= int(text) <= 2700):
        raise EntryError("ต้องเป็นปี พ.ศ. เช่น 2560", "must be a year B.E. such as 2560", field)
    if field == "maintainer_email" and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}", text):
        raise EntryError("ไม่ใช่ที่อยู่อีเมล", "not an e-mail address", field)
    if field == "s9_category" and not (re.fullmatch(r"[1-8]", text)):
        raise EntryError("ต้องว่างหรือเป็นหมวด 1–8", "must be empty or a section 9 category 1-8", field)
    return text


def overrides(eng: sa.Engine) -> dict[str, dict[str, str]]:
    """dataset -> field -> value, every override kept."""
    with eng.connect() as con:
        rows = con.execute(sa.select(gdc_overrides.c.dataset, gdc_overrides.c.field, gdc_overrides.c.value)).all()
    out: dict[str, dict[str, str]] = {}
    for dataset, field, value in rows:
        out.setdefault(dataset, {})[field] = value
    return out


def override_rows(eng: sa.Engine) -> list[dict]:
    """Every override with who set it and when, by dataset and field (for /admin)."""
    with eng.connect() as con:
        rows = con.execute(sa.select(gdc_overrides).order_by(gdc_overrides.c.dataset, gdc_overrides.c.field))
        return [dict(r) for r in rows.mappings()]


def set_field(eng: sa.Engine, actor: Actor, dataset: str, field: str, value: str) -> str:
    """Keep an admin's value of one field of one dataset (replacing an earlier override); returns
    the value kept."""
    target = f"gdc {dataset[:60]}.{field[:60]}"
    if actor.role not in EDITORS:
        raise _refuse(
            eng,
            actor,
            "gdc.set",
            target,
            Forbidden("เฉพาะผู้ดูแลระบบแก้ข้อมูลบัญชีข้อมูลได้", "Only admins edit the catalogue metadata"),
        )
    if not _DATASET_RE.match(dataset or ""):
        raise _refuse(eng, actor, "gdc.set", target, EntryError("ไม่มีชุดข้อมูลนี้", "No such dataset", "dataset"))
    try:
        kept = check(field, value)
    except EntryError as e:
        raise _refuse(eng, actor, "gdc.set", target, e) from None
    before = overrides(eng).get(dataset, {}).get(field)
    with eng.begin() as con:
        con.execute(
            gdc_overrides.delete().where((gdc_overrides.c.dataset == dataset) & (gdc_overrides.c.field == field))
        )
        con.execute(
            gdc_overrides.insert().values(
                dataset=dataset, field=field, value=kept, updated_by=actor.username, updated_at=datetime.now(UTC)
            )
        )
    ops.record_audit(eng, "gdc.set", target=target, who=actor.username, before=before, after=kept)
    return kept


def clear_field(eng: sa.Engine, actor: Actor, dataset: str, field: str) -> bool:
    """Drop an override (the seed's value is served again); whether there was one."""
    target = f"gdc {dataset[:60]}.{field[:60]}"
    if actor.role not in EDITORS:
        raise _refuse(
            eng,
            actor,
            "gdc.clear",
            target,
            Forbidden("เฉพาะผู้ดูแลระบบแก้ข้อมูลบัญชีข้อมูลได้", "Only admins edit the catalogue metadata"),
        )
    before = overrides(eng).get(dataset, {}).get(field)
    with eng.begin() as con:
        n = con.execute(
            gdc_overrides.delete().where((gdc_overrides.c.dataset == dataset) & (gdc_overrides.c.field == field))
        ).rowcount
    if n:
        ops.record_audit(eng, "gdc.clear", target=target, who=actor.username, before=before, after=None)
    return bool(n)
