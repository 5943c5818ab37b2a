"""The public portal's store (IT4): the Official Information Act §9 register, information requests
and the satisfaction survey (RM 4.2, RM 4.3), in the ops store; pages/open*.py draw them.

* **§9 register**: entries keyed by section 9 (1)–(8), each with title, document or link, published
  date, responsible unit and a review due date. A category is *current* when it has an entry
  published by today whose review is not yet due; the register's currency is the share of the
  eight categories that are current. Editors and admins keep it; everyone may read it.
* **Requests and survey**: anyone may send them, without signing in. Spam limits: a hidden field
  that people leave blank (a bot fills it), length caps, control characters removed, and at most
  ``LIMIT_PER_HOUR`` sends per sender per hour (the sender is a keyed hash of the address, never
  the address itself).
* **RM 4.2** = satisfaction with finding information on the province's website; **RM 4.3** =
  satisfaction with the disclosure under the Official Information Act (the plan's wording). Each
  = the mean score of its three questions (1–5) ÷ 5 × 100, the usual Thai government survey
  convention; the share of answers scoring 4 or 5 is shown beside it.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

import ops
from ops.workflow import Actor, Conflict, EntryError, Forbidden

KEEPERS = ("admin", "editor")
CATEGORIES = {
    1: ("ผลการพิจารณาหรือคำวินิจฉัยที่มีผลโดยตรงต่อเอกชน", "Decisions with a direct effect on private persons"),
    2: ("นโยบายหรือการตีความที่ไม่ต้องลงพิมพ์ในราชกิจจานุเบกษา", "Policies and interpretations not published in the Gazette"),
    3: ("แผนงาน โครงการ และงบประมาณรายจ่ายประจำปี", "Work plans, projects and the annual budget"),
    4: (
        "คู่มือหรือคำสั่งเกี่ยวกับวิธีปฏิบัติงานที่มีผลกระทบถึงสิทธิหน้าที่ของเอกชน",
        "Manuals and orders on procedures affecting private rights",
    ),
    5: ("สิ่งพิมพ์ที่ได้มีการอ้างอิงถึงตามมาตรา 7 วรรคสอง", "Publications referred to under section 7"),
    6: ("สัญญาสัมปทาน สัญญาผูกขาดตัดตอน หรือสัญญาร่วมทุนกับเอกชน", "Concession, monopoly and joint-venture contracts"),
    7: ("มติคณะรัฐมนตรีหรือมติคณะกรรมการที่แต่งตั้งโดยกฎหมาย", "Cabinet and statutory board resolutions"),
    8: (
        "ข้อมูลข่าวสารอื่นตามที่คณะกรรมการกำหนด (เช่น ผลการจัดซื้อจัดจ้าง สขร.1)",
        "Other information prescribed by the Commission (e.g. monthly procurement results)",
    ),
}
QUESTIONS = {  # key -> (measure, Thai, English)
    "web_find": ("rm42", "ค้นหาข้อมูลที่ต้องการบนเว็บไซต์ของจังหวัดได้", "I found the information I was looking for"),
    "web_ease": ("rm42", "ใช้งานเว็บไซต์ได้สะดวก รวดเร็ว", "The website is easy and quick to use"),
    "web_current": ("rm42", "ข้อมูลบนเว็บไซต์ถูกต้องและเป็นปัจจุบัน", "The information is correct and up to date"),
    "oia_complete": ("rm43", "ข้อมูลข่าวสารตามมาตรา 9 ครบถ้วน ตรวจดูได้", "The section 9 information is complete and open"),
    "oia_request": ("rm43", "ขอข้อมูลข่าวสารได้ง่าย ไม่ยุ่งยาก", "Requesting information is easy"),
    "oia_timely": ("rm43", "ได้รับข้อมูลข่าวสารที่ขอภายในเวลาที่เหมาะสม", "Requested information arrives in good time"),
}
LIMIT_PER_HOUR = 5
MAX = {
    "name": 200,
    "contact": 200,
    "subject": 300,
    "detail": 5000,
    "comment": 2000,
    "title": 500,
    "link": 1000,
    "unit": 200,
    "answer": 5000,
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SAMPLE_PREFIX = "ตัวอย่าง: "


def _now() -> datetime:
    return datetime.now(UTC)


def _clean(value, field: str, th: str, en: str, required: bool = True) -> str | None:
    text = _CONTROL.sub("", str(value or "")).strip()
    if not text:
        if required:
            raise EntryError(f"กรุณากรอก{th}", f"Fill in the {en}", field)
        return None
    if len(text) > MAX[field]:
        raise EntryError(
            f"{th}ยาวเกิน {MAX[field]:,} ตัวอักษร", f"The {en} is longer than {MAX[field]:,} characters", field
        )
    return text


def sender_key(address: str, secret: str) -> str:
    """A keyed hash of the sender's address: enough to limit sends, useless to identify anyone."""
    return hmac.new(secret.encode(), (address or "-").encode(), hashlib.sha256).hexdigest()[:32]


def _limited(con, table, sender: str) -> bool:
    since = _now() - timedelta(hours=1)
    n = con.execute(
        sa.select(sa.func.count()).select_from(table).where(table.c.sender == sender, table.c.created_at >= since)
    ).scalar_one()
    return n >= LIMIT_PER_HOUR


def _spam(honeypot) -> None:
    if (honeypot or "").strip():
        raise EntryError("ส่งไม่สำเร็จ", "Not sent", "honeypot")


# ---------------------------------------------------------------- §9 register
def register(eng: sa.Engine) -> list[dict]:
    c = ops.s9_items.c
    with eng.connect() as con:
        return [
            dict(r)
            for r in con.execute(
                sa.select(ops.s9_items).order_by(c.category, c.published_on.desc(), c.item_id)
            ).mappings()
        ]


def is_current(item: dict, today: date) -> bool:
    return item["published_on"] <= today <= item["review_due"]


def currency(items: list[dict], today: date) -> dict:
    """Per category: entries, current entries, whether current; and the share of the eight
    categories that are current (%)."""
    per = {k: {"items": 0, "current": 0} for k in CATEGORIES}
    for it in items:
        per[it["category"]]["items"] += 1
        per[it["category"]]["current"] += is_current(it, today)
    current = sum(1 for v in per.values() if v["current"])
    return {"categories": per, "current": current, "share": round(100.0 * current / len(CATEGORIES), 1)}


def save_item(
    eng: sa.Engine,
    actor: Actor,
    *,
    category,
    title,
    link,
    published_on: date | None,
    unit,
    review_due: date | None,
    item_id: int | None = None,
    version: int = 0,
) -> int:
    """Add an entry (``item_id`` None) or change one (compare-and-set on ``version``)."""
    target = f"s9 ({category}) {title}"[:200]
    if actor.role not in KEEPERS:
        ops.record_audit(eng, "s9.save", target=target, who=actor.username, outcome="refused")
        raise Forbidden(
            "เฉพาะผู้บันทึกข้อมูลหรือผู้ดูแลระบบแก้ไขทะเบียนมาตรา 9 ได้", "Only editors and admins keep the section 9 register"
        )
    try:
        category = int(category)
    except (TypeError, ValueError):
        category = 0
    if category not in CATEGORIES:
        raise EntryError("กรุณาเลือกหมวดตามมาตรา 9 (1)–(8)", "Choose a section 9 category (1)–(8)", "category")
    values = {
        "category": category,
        "title": _clean(title, "title", "ชื่อเรื่อง", "title"),
        "link": _clean(link, "link", "เอกสารหรือลิงก์", "document or link"),
        "unit": _clean(unit, "unit", "หน่วยงานรับผิดชอบ", "responsible unit"),
    }
    if published_on is None:
        raise EntryError("กรุณาระบุวันที่เผยแพร่", "Give the publication date", "published_on")
    if review_due is None:
        raise EntryError("กรุณาระบุวันที่ต้องทบทวน", "Give the review due date", "review_due")
    if review_due < published_on:
        raise EntryError("วันที่ต้องทบทวนต้องไม่ก่อนวันที่เผยแพร่", "The review is due before publication", "review_due")
    values.update(published_on=published_on, review_due=review_due, updated_by=actor.username, updated_at=_now())
    c = ops.s9_items.c
    with eng.begin() as con:
        if item_id is None:
            item_id = int(
                con.execute(
                    ops.s9_items.insert().values(provenance="entered", version=1, **values)
                ).inserted_primary_key[0]
            )
            before = None
        else:
            old = con.execute(sa.select(ops.s9_items).where(c.item_id == item_id)).mappings().first()
            n = con.execute(
                ops.s9_items.update()
                .where(c.item_id == item_id, c.version == version)
                .values(version=version + 1, provenance="entered", **values)
            ).rowcount
            if n != 1:
                raise Conflict(
                    "มีผู้อื่นแก้ไขรายการนี้ก่อนแล้ว โหลดใหม่เพื่อดูค่าล่าสุด",
                    "Someone changed this entry in the meantime; reload to see it",
                )
            before = {"title": old["title"], "review_due": old["review_due"].isoformat()}
    ops.record_audit(
        eng,
        "s9.save",
        target=target,
        who=actor.username,
        before=before,
        after={"category": category, "title": values["title"], "review_due": review_due.isoformat()},
    )
    return item_id


_SAMPLE_S9 = [
    (3, "แผนปฏิบัติราชการประจำปีงบประมาณ และโครงการ", "/open/kpi", "ฝ่ายบริหารทั่วไป", 0, 365),
    (3, "งบประมาณรายจ่ายประจำปีของสำนักงาน", "เอกสารที่ศูนย์ข้อมูลข่าวสาร ชั้น 1", "ฝ่ายบริหารทั่วไป", 30, 335),
    (
        4,
        "คู่มือการให้บริการประชาชน (ตาม พ.ร.บ. อำนวยความสะดวกฯ)",
        "เอกสารที่ศูนย์ข้อมูลข่าวสาร ชั้น 1",
        "กลุ่มยุทธศาสตร์และสารสนเทศ",
        400,
        -35,
    ),
    (8, "สรุปผลการจัดซื้อจัดจ้างรายเดือน (สขร.1)", "เอกสารที่ศูนย์ข้อมูลข่าวสาร ชั้น 1", "ฝ่ายบริหารทั่วไป", 20, 10),
    (7, "มติคณะกรมการจังหวัด", "เอกสารที่ศูนย์ข้อมูลข่าวสาร ชั้น 1", "กลุ่มยุทธศาสตร์และสารสนเทศ", 60, 120),
]


def seed_sample(eng: sa.Engine, today: date) -> int:
    """A sample register for a fresh install (only into an empty one): five entries, each title
    starting "ตัวอย่าง: ", provenance sample; one is past its review, so the currency is honest
    about a gap. Returns the entries added."""
    with eng.connect() as con:
        if con.execute(sa.select(sa.func.count()).select_from(ops.s9_items)).scalar_one():
            return 0
    now = _now()
    with eng.begin() as con:
        con.execute(
            ops.s9_items.insert(),
            [
                {
                    "category": cat,
                    "title": SAMPLE_PREFIX + title,
                    "link": link,
                    "unit": unit,
                    "published_on": today - timedelta(days=ago),
                    "review_due": today + timedelta(days=due),
                    "provenance": "sample",
                    "version": 1,
                    "updated_by": "sample",
                    "updated_at": now,
                }
                for cat, title, link, unit, ago, due in _SAMPLE_S9
            ],
        )
    ops.record_audit(eng, "s9.sample", target="s9 register", who="sample", after={"items": len(_SAMPLE_S9)})
    return len(_SAMPLE_S9)


# ---------------------------------------------------------------- requests and the survey
def send_request(eng: sa.Engine, sender: str, *, name, contact, subject, detail, honeypot=None) -> int:
    """An information request from anyone; returns its number."""
    _spam(honeypot)
    values = {
        "name": _clean(name, "name", "ชื่อ", "name"),
        "contact": _clean(contact, "contact", "ช่องทางติดต่อกลับ", "contact"),
        "subject": _clean(subject, "subject", "เรื่องที่ขอ", "subject"),
        "detail": _clean(detail, "detail", "รายละเอียด", "detail"),
    }
    with eng.begin() as con:
        if _limited(con, ops.info_requests, sender):
            raise EntryError(
                "ส่งคำขอบ่อยเกินไป กรุณาลองใหม่ในอีกหนึ่งชั่วโมง", "Too many requests from here; please try again in an hour"
            )
        rid = int(
            con.execute(
                ops.info_requests.insert().values(created_at=_now(), status="received", sender=sender, **values)
            ).inserted_primary_key[0]
        )
    ops.record_audit(
        eng, "request.receive", target=f"request {rid}", who="public", after={"subject": values["subject"]}
    )
    return rid


def requests(eng: sa.Engine) -> list[dict]:
    c = ops.info_requests.c
    with eng.connect() as con:
        return [dict(r) for r in con.execute(sa.select(ops.info_requests).order_by(c.request_id.desc())).mappings()]


def answer_request(eng: sa.Engine, actor: Actor, request_id: int, text) -> None:
    if actor.role not in KEEPERS + ("executive",):
        ops.record_audit(eng, "request.answer", target=f"request {request_id}", who=actor.username, outcome="refused")
        raise Forbidden("ไม่มีสิทธิ์ตอบคำขอข้อมูล", "You may not answer requests")
    text = _clean(text, "answer", "คำตอบ", "answer")
    c = ops.info_requests.c
    with eng.begin() as con:
        n = con.execute(
            ops.info_requests.update()
            .where(c.request_id == request_id)
            .values(status="answered", answer=text, answered_by=actor.username, answered_at=_now())
        ).rowcount
    if n != 1:
        raise EntryError("ไม่พบคำขอนี้", "No such request")
    ops.record_audit(eng, "request.answer", target=f"request {request_id}", who=actor.username)


def send_survey(eng: sa.Engine, sender: str, scores: dict, comment=None, honeypot=None) -> int:
    """One survey answer: every question scored 1–5."""
    _spam(honeypot)
    values = {}
    for key in QUESTIONS:
        try:
            v = int(str(scores.get(key) or "").strip())
        except ValueError:
            v = 0
        if not 1 <= v <= 5:
            raise EntryError("กรุณาให้คะแนนทุกข้อ (1–5)", "Score every question (1–5)", key)
        values[key] = v
    values["comment"] = _clean(comment, "comment", "ข้อเสนอแนะ", "comment", required=False)
    with eng.begin() as con:
        if _limited(con, ops.survey_responses, sender):
            raise EntryError(
                "ส่งแบบสำรวจบ่อยเกินไป กรุณาลองใหม่ในอีกหนึ่งชั่วโมง", "Too many answers from here; please try again in an hour"
            )
        rid = int(
            con.execute(
                ops.survey_responses.insert().values(created_at=_now(), sender=sender, **values)
            ).inserted_primary_key[0]
        )
    return rid


def survey_results(eng: sa.Engine) -> dict:
    """RM 4.2 and RM 4.3: {measure: {"responses", "pct" (mean ÷ 5 × 100), "satisfied" (% of
    scores 4–5)}} and the mean of every question."""
    c = ops.survey_responses.c
    with eng.connect() as con:
        rows = [dict(r) for r in con.execute(sa.select(*(getattr(c, k) for k in QUESTIONS))).mappings()]
    out = {"responses": len(rows), "questions": {}}
    for measure in ("rm42", "rm43"):
        keys = [k for k, (m, _t, _e) in QUESTIONS.items() if m == measure]
        scores = [r[k] for r in rows for k in keys]
        out[measure] = {
            "pct": round(sum(scores) / len(scores) / 5 * 100, 1) if scores else None,
            "satisfied": round(100.0 * sum(s >= 4 for s in scores) / len(scores), 1) if scores else None,
        }
    for k in QUESTIONS:
        vals = [r[k] for r in rows]
        out["questions"][k] = round(sum(vals) / len(vals), 2) if vals else None
    return out
