"""The knowledge-management plan (PMQA IT7) and its score (RM 4.5), in the ops store; pages/km.py draws.

* A fiscal year's plan has **knowledge bodies** (องค์ความรู้), each linked to a strategic issue
  (``dim_strategy_node``, ``node_type = 'issue'``) and weighted in % of the plan (a year sums to
  100), and each body has **activities** along the OPDC 7-step KM process, with a target, a weight
  in % of the body (a body sums to 100) and the progress achieved so far.
* RM 4.5 (docs DOMAIN.md, "Computing RM 4.5"):
  activity achievement = min(achieved / target, 1) × 100 %;
  aₖ = Σ wᵢ·achievementᵢ / Σ wᵢ over the activities of body k (0 for a body without activities);
  overall = Σ wₖ·aₖ / Σ wₖ; score = ``kpi_score(overall, 60, 70, 80, 90, 100)``: 60/70/80/90/100 %
  are levels 1–5, linear between, clamped, 4 decimals (the marts' macro, twinned here in Python
  because the plan lives in the ops store, not in the snapshot).
* IT7 checklist: every strategic issue of the year has a body, at least 3 bodies, body weights sum
  to 100, the activity weights of every body sum to 100, and every activity reaches ≥ 80 % of its
  target (the share of activities that do is the coverage).
* Who: admins and editors add bodies and activities and record progress; executives, verifiers
  and viewers read. Every write checks this itself, raises ``Forbidden`` (audited as refused),
  and writes an audit entry with before and after. Progress is compare-and-set on ``version``.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

import sqlalchemy as sa

import ops
from components.thai import parse_number
from ops.workflow import Actor, Conflict, EntryError, Forbidden

EDITORS = ("admin", "editor")
STEPS = {  # OPDC 7-step KM process, in order: key -> (Thai, English)
    "identify": ("บ่งชี้ความรู้", "Knowledge identification"),
    "create": ("สร้างและแสวงหาความรู้", "Knowledge creation and acquisition"),
    "organise": ("การจัดความรู้ให้เป็นระบบ", "Knowledge organisation"),
    "refine": ("การประมวลและกลั่นกรองความรู้", "Knowledge codification and refinement"),
    "access": ("การเข้าถึงความรู้", "Knowledge access"),
    "share": ("การแบ่งปันแลกเปลี่ยนความรู้", "Knowledge sharing"),
    "learn": ("การเรียนรู้", "Learning"),
}
assert tuple(STEPS) == ops.KM_STEPS
BAND = (60.0, 70.0, 80.0, 90.0, 100.0)  # RM 4.5: overall % at levels 1..5
REACHED = 80.0  # an activity "reaches" its target at >= 80 %
MIN_BODIES = 3
TOL = 0.01  # weights sum to 100 within this
SAMPLE_PREFIX = "ตัวอย่าง: "


def may_edit(actor: Actor) -> bool:
    return actor.role in EDITORS


# ---------------------------------------------------------------- scoring (pure)
def _round4(v: float) -> float:
    """Half away from zero, as DuckDB's round(x, 4)."""
    return math.copysign(math.floor(abs(v) * 1e4 + 0.5) / 1e4, v)


def _score_inc(x, t1, t2, t3, t4, t5) -> float:
    if x >= t5:
        return 5.0
    if x >= t4:
        return 4 + (x - t4) / (t5 - t4)
    if x >= t3:
        return 3 + (x - t3) / (t4 - t3)
    if x >= t2:
        return 2 + (x - t2) / (t3 - t2)
    if x > t1:
        return 1 + (x - t1) / (t2 - t1)
    return 1.0


def kpi_score(x, t1, t2, t3, t4, t5) -> float | None:
    """The Python twin of the SQL macro ``kpi_score`` (etl/sql/marts/_macros.sql): the five-level
    score of ``x`` against criteria t1..t5, linear between them, either direction, clamped to
    1–5, rounded to 4 decimals; None when x or a criterion is missing. tests/test_km.py checks
    the two agree."""
    ts = (t1, t2, t3, t4, t5)
    if x is None or x != x or any(t is None for t in ts):
        return None
    if t5 >= t1:
        return _round4(_score_inc(x, *ts))
    return _round4(_score_inc(-x, *(-t for t in ts)))


def rm45_score(pct: float | None) -> float | None:
    """RM 4.5: the plan's weighted-average achievement (%) on the 60/70/80/90/100 → 1–5 band."""
    return kpi_score(pct, *BAND)


def light(score: float | None, red_below: float, green_from: float) -> str:
    """The traffic light of a score, as the marts' ``score_status`` (no score: no data)."""
    if score is None:
        return "no_data"
    return "red" if score < red_below else "yellow" if score < green_from else "green"


def achievement(achieved: float, target: float) -> float:
    """An activity's achievement in %: achieved against target, capped at 100."""
    if not target or target <= 0:
        return 0.0
    return round(100.0 * min(max(achieved or 0.0, 0.0) / target, 1.0), 6)


def score(bodies: list[dict]) -> dict:
    """The plan's scores from its bodies (each with ``weight`` and ``activities``: dicts with
    ``target``, ``achieved``, ``weight``). Returns ``bodies`` (copies with ``pct`` = aₖ, and
    activities with ``pct`` and ``reached``), ``overall`` (% or None without bodies), ``score``
    (RM 4.5, 1–5), ``reached`` / ``activities`` (counts) and ``coverage`` (% of activities
    reaching 80 % of their target, None without activities)."""
    out, acts_all = [], []
    for b in bodies:
        acts = []
        for a in b.get("activities", []):
            pct = achievement(a["achieved"], a["target"])
            acts.append(dict(a, pct=pct, reached=pct >= REACHED))
        w = sum(a["weight"] for a in acts)
        out.append(dict(b, activities=acts, pct=sum(a["weight"] * a["pct"] for a in acts) / w if w > 0 else 0.0))
        acts_all += acts
    total = sum(b["weight"] for b in out)
    overall = sum(b["weight"] * b["pct"] for b in out) / total if total > 0 else None
    reached = sum(a["reached"] for a in acts_all)
    return {
        "bodies": out,
        "overall": overall,
        "score": rm45_score(overall),
        "reached": reached,
        "activities": len(acts_all),
        "coverage": 100.0 * reached / len(acts_all) if acts_all else None,
    }


def checklist(issues: list[str], bodies: list[dict]) -> list[dict]:
    """The IT7 checks of a year's plan, in order: ``{"key", "ok", ...details}``. ``issues`` are
    the year's strategic issue codes."""
    s = score(bodies)
    have = {b["issue_code"] for b in bodies}
    missing = [c for c in issues if c not in have]
    body_sum = sum(b["weight"] for b in bodies)
    off = [b for b in bodies if abs(sum(a["weight"] for a in b.get("activities", [])) - 100) > TOL]
    return [
        {"key": "issues", "ok": bool(issues) and not missing, "missing": missing},
        {"key": "bodies", "ok": len(bodies) >= MIN_BODIES, "n": len(bodies)},
        {"key": "body_weights", "ok": abs(body_sum - 100) <= TOL, "sum": body_sum},
        {"key": "activity_weights", "ok": bool(bodies) and not off, "off": [b["name_th"] for b in off]},
        {
            "key": "reached",
            "ok": s["activities"] > 0 and s["reached"] == s["activities"],
            "n": s["reached"],
            "of": s["activities"],
        },
    ]


# ---------------------------------------------------------------- reading
def plan(eng: sa.Engine, fy: int) -> list[dict]:
    """The year's bodies (in order of entry), each with its ``activities`` (in step order)."""
    b, a = ops.km_bodies.c, ops.km_activities.c
    with eng.connect() as con:
        bodies = [
            dict(r)
            for r in con.execute(sa.select(ops.km_bodies).where(b.fiscal_year == fy).order_by(b.body_id)).mappings()
        ]
        acts = (
            con.execute(
                sa.select(ops.km_activities)
                .where(a.body_id.in_([x["body_id"] for x in bodies]))
                .order_by(a.activity_id)
            )
            .mappings()
            .all()
        )
    order = list(STEPS)
    for x in bodies:
        x["activities"] = sorted(
            (dict(r) for r in acts if r["body_id"] == x["body_id"]),
            key=lambda r: (order.index(r["step"]), r["activity_id"]),
        )
    return bodies


def years(eng: sa.Engine) -> list[int]:
    with eng.connect() as con:
        return [
            r[0]
            for r in con.execute(
                sa.select(ops.km_bodies.c.fiscal_year).distinct().order_by(ops.km_bodies.c.fiscal_year.desc())
            )
        ]


def is_empty(eng: sa.Engine) -> bool:
    with eng.connect() as con:
        return not con.execute(sa.select(sa.func.count()).select_from(ops.km_bodies)).scalar()


def activity(eng: sa.Engine, activity_id: int) -> dict | None:
    with eng.connect() as con:
        row = (
            con.execute(sa.select(ops.km_activities).where(ops.km_activities.c.activity_id == activity_id))
            .mappings()
            .first()
        )
    return dict(row) if row else None


# ---------------------------------------------------------------- writing
def _now() -> datetime:
    return datetime.now(UTC)


def _guard(eng, actor: Actor, action: str, target: str) -> None:
    if not may_edit(actor):
        ops.record_audit(
            eng, action, target=target, who=actor.username, outcome="refused", after={"why": "role " + actor.role}
        )
        raise Forbidden(
            "เฉพาะผู้ดูแลระบบหรือผู้บันทึกข้อมูลแก้ไขแผนการจัดการความรู้ได้", "Only an admin or a data editor may change the KM plan"
        )


def _number(text, field: str, th: str, en: str) -> float:
    try:
        value = parse_number(text)
    except ValueError:
        raise EntryError(f"“{text}” ไม่ใช่ตัวเลข", f"“{text}” is not a number", field) from None
    if value is None:
        raise EntryError(f"กรุณากรอก{th}", f"Enter the {en}", field)
    if value < 0:
        raise EntryError(f"{th}ต้องไม่ติดลบ", f"The {en} cannot be negative", field)
    return value


def _weight(text, used: float, whole_th: str, whole_en: str) -> float:
    w = _number(text, "weight", "น้ำหนัก (ร้อยละ)", "weight (%)")
    if not 0 < w <= 100:
        raise EntryError("น้ำหนักต้องมากกว่า 0 และไม่เกิน 100", "A weight must be above 0 and at most 100", "weight")
    if used + w > 100 + TOL:
        left = max(100 - used, 0)
        raise EntryError(
            f"น้ำหนักรวมของ{whole_th}จะเกิน 100 (ใช้ไปแล้ว {used:g} เหลือ {left:g})",
            f"The weights of {whole_en} would exceed 100 (used {used:g}, {left:g} left)",
            "weight",
        )
    return w


def _text(value, field: str, th: str, en: str) -> str:
    value = (value or "").strip()
    if not value:
        raise EntryError(f"กรุณากรอก{th}", f"Enter the {en}", field)
    return value


def add_body(
    eng: sa.Engine,
    actor: Actor,
    fy: int,
    issue_code: str,
    name_th: str,
    weight_text,
    *,
    name_en: str | None = None,
    owner_unit: str | None = None,
    issues: list[str] | None = None,
) -> int:
    """A knowledge body for fiscal year ``fy`` under a strategic issue (one of ``issues`` when
    given); its weight (%) must keep the year's total at most 100. Returns its id."""
    target = f"km body {fy}"
    _guard(eng, actor, "km.body.add", target)
    if not issue_code or (issues is not None and issue_code not in issues):
        raise EntryError("กรุณาเลือกประเด็นยุทธศาสตร์", "Choose a strategic issue", "issue")
    name_th = _text(name_th, "name", "ชื่อองค์ความรู้", "name of the knowledge body")
    b = ops.km_bodies.c
    with eng.begin() as con:
        used = con.execute(sa.select(sa.func.coalesce(sa.func.sum(b.weight), 0.0)).where(b.fiscal_year == fy)).scalar()
        weight = _weight(weight_text, float(used), f"องค์ความรู้ปี {fy}", f"the bodies of {fy}")
        values = {
            "fiscal_year": fy,
            "issue_code": issue_code,
            "name_th": name_th,
            "name_en": (name_en or "").strip() or None,
            "weight": weight,
            "owner_unit": (owner_unit or "").strip() or None,
            "provenance": "entered",
            "created_by": actor.username,
            "created_at": _now(),
        }
        try:
            body_id = int(con.execute(ops.km_bodies.insert().values(**values)).inserted_primary_key[0])
        except sa.exc.IntegrityError:
            raise EntryError("มีองค์ความรู้ชื่อนี้ในปีนี้แล้ว", "A body of this name exists this year", "name") from None
    ops.record_audit(eng, "km.body.add", target=f"km body {body_id}", who=actor.username, after=values)
    return body_id


def add_activity(
    eng: sa.Engine,
    actor: Actor,
    body_id: int,
    step: str,
    name_th: str,
    target_text,
    weight_text,
    unit: str | None = None,
) -> int:
    """An activity of a body's KM action plan at a step of the 7-step process, with a target
    (> 0) and a weight (%) that keeps the body's total at most 100. Returns its id."""
    _guard(eng, actor, "km.activity.add", f"km body {body_id}")
    if step not in STEPS:
        raise EntryError("กรุณาเลือกขั้นตอนการจัดการความรู้", "Choose a KM process step", "step")
    name_th = _text(name_th, "name", "ชื่อกิจกรรม", "name of the activity")
    goal = _number(target_text, "target", "เป้าหมาย", "target")
    if goal <= 0:
        raise EntryError("เป้าหมายต้องมากกว่า 0", "The target must be above 0", "target")
    a = ops.km_activities.c
    with eng.begin() as con:
        if con.execute(sa.select(ops.km_bodies.c.body_id).where(ops.km_bodies.c.body_id == body_id)).first() is None:
            raise EntryError("กรุณาเลือกองค์ความรู้", "Choose a knowledge body", "body")
        used = con.execute(sa.select(sa.func.coalesce(sa.func.sum(a.weight), 0.0)).where(a.body_id == body_id)).scalar()
        weight = _weight(weight_text, float(used), "กิจกรรมขององค์ความรู้นี้", "this body's activities")
        values = {
            "body_id": body_id,
            "step": step,
            "name_th": name_th,
            "target": goal,
            "unit": (unit or "").strip() or None,
            "weight": weight,
            "achieved": 0.0,
            "version": 1,
            "updated_by": actor.username,
            "updated_at": _now(),
        }
        activity_id = int(con.execute(ops.km_activities.insert().values(**values)).inserted_primary_key[0])
    ops.record_audit(eng, "km.activity.add", target=f"km activity {activity_id}", who=actor.username, after=values)
    return activity_id


def record_progress(eng: sa.Engine, actor: Actor, activity_id: int, achieved_text, version: int) -> dict:
    """Store what an activity has achieved so far (Thai digits and separators accepted).
    ``version`` is the row version the form was filled from; a save in between is a
    ``Conflict`` and nothing is stored. Returns the stored row."""
    target = f"km activity {activity_id}"
    _guard(eng, actor, "km.progress", target)
    value = _number(achieved_text, "achieved", "ผลการดำเนินงาน", "achieved value")
    a = ops.km_activities.c
    with eng.begin() as con:
        old = con.execute(sa.select(ops.km_activities).where(a.activity_id == activity_id)).mappings().first()
        if old is None:
            raise EntryError("ไม่พบกิจกรรมนี้", "No such activity", "activity")
        n = con.execute(
            ops.km_activities.update()
            .where(a.activity_id == activity_id, a.version == version)
            .values(achieved=value, version=version + 1, updated_by=actor.username, updated_at=_now())
        ).rowcount
    if n != 1:
        raise Conflict(
            f"{old['updated_by']} บันทึกผล {old['achieved']:g} ไว้ก่อนแล้ว ค่าของคุณยังไม่ถูกบันทึก โหลดค่าล่าสุดแล้วตัดสินใจอีกครั้ง",
            f"{old['updated_by']} saved {old['achieved']:g} in the meantime; yours was not saved: "
            "load the latest and decide again",
        )
    ops.record_audit(
        eng,
        "km.progress",
        target=target,
        who=actor.username,
        before={"achieved": old["achieved"], "version": old["version"]},
        after={"achieved": value, "version": version + 1},
    )
    return activity(eng, activity_id)


# ---------------------------------------------------------------- the sample plan
# (name_th, name_en, weight, [(step, activity name, target, unit, weight, achieved)])
_SAMPLE = [
    (
        "การผลิตพืชตามมาตรฐาน GAP",
        "GAP crop production",
        30,
        [
            ("identify", "สำรวจความรู้ที่จำเป็นของเจ้าหน้าที่ส่งเสริม", 1, "ครั้ง", 20, 1),
            ("create", "ถอดบทเรียนเกษตรกรต้นแบบ GAP", 6, "ราย", 30, 5),
            ("share", "เวทีแลกเปลี่ยนเรียนรู้ (CoP) ของเจ้าหน้าที่", 4, "ครั้ง", 30, 3),
            ("learn", "เกษตรกรนำความรู้ไปใช้ในแปลง", 100, "ราย", 20, 70),
        ],
    ),
    (
        "การบริหารศูนย์เรียนรู้การเพิ่มประสิทธิภาพการผลิต (ศพก.)",
        "Running farm learning centres",
        25,
        [
            ("identify", "กำหนดองค์ความรู้หลักของ ศพก.", 1, "ครั้ง", 25, 1),
            ("organise", "จัดทำฐานข้อมูลองค์ความรู้ ศพก.", 8, "ศูนย์", 35, 8),
            ("access", "เผยแพร่ความรู้ทางเว็บไซต์และไลน์กลุ่ม", 12, "เรื่อง", 40, 9),
        ],
    ),
    (
        "การจัดทำคู่มือปฏิบัติงานตามแนวทาง PMQA",
        "Work manuals for PMQA",
        25,
        [
            ("refine", "กลั่นกรองขั้นตอนงานหลัก", 5, "กระบวนงาน", 30, 5),
            ("organise", "จัดทำคู่มือปฏิบัติงาน", 5, "เล่ม", 40, 4),
            ("share", "ชี้แจงคู่มือแก่บุคลากร", 2, "ครั้ง", 30, 2),
        ],
    ),
    (
        "การยกระดับคุณภาพทุเรียนเพื่อการส่งออก",
        "Export-grade durian",
        20,
        [
            ("create", "รวบรวมเทคนิคการผลิตทุเรียนคุณภาพจากปราชญ์เกษตร", 4, "เรื่อง", 30, 4),
            ("share", "สาธิตการตัดแต่งผลและการจัดการโรค", 6, "ครั้ง", 40, 4),
            ("learn", "ประเมินผลการนำความรู้ไปใช้", 1, "ครั้ง", 30, 0),
        ],
    ),
]


def seed_sample(eng: sa.Engine, fiscal_year: int, issues: list[str]) -> int:
    """A sample KM plan for a fresh install whose strategy is sample data too: 4 bodies, each
    under one of ``issues`` in turn, with 3–4 activities and progress; every name starts with
    "ตัวอย่าง: " and every body has provenance ``sample``. Deterministic. Only into an empty
    store (a concurrent seed loses on the unique name and adds nothing). Returns the bodies added."""
    if not issues or not is_empty(eng):
        return 0
    now = _now()
    try:
        with eng.begin() as con:
            for i, (name_th, name_en, weight, acts) in enumerate(_SAMPLE):
                body_id = con.execute(
                    ops.km_bodies.insert().values(
                        fiscal_year=fiscal_year,
                        issue_code=issues[i % len(issues)],
                        name_th=SAMPLE_PREFIX + name_th,
                        name_en="Sample: " + name_en,
                        weight=weight,
                        provenance="sample",
                        created_by="sample",
                        created_at=now,
                    )
                ).inserted_primary_key[0]
                con.execute(
                    ops.km_activities.insert(),
                    [
                        {
                            "body_id": body_id,
                            "step": s,
                            "name_th": SAMPLE_PREFIX + n,
                            "target": t,
                            "unit": u,
                            "weight": w,
                            "achieved": x,
                            "version": 1,
                            "updated_by": "sample",
                            "updated_at": now,
                        }
                        for s, n, t, u, w, x in acts
                    ],
                )
    except sa.exc.IntegrityError:
        return 0
    ops.record_audit(
        eng,
        "km.sample",
        target=f"km plan {fiscal_year}",
        who="sample",
        after={"bodies": len(_SAMPLE), "issues": list(issues)},
    )
    return len(_SAMPLE)
