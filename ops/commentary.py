"""Commentary of a KPI's reporting period (issue 19, item 6): WHY (the analysis, การวิเคราะห์) and
WHAT NEXT (the action, แนวทางแก้ไข/การดำเนินการต่อไป) of one KPI, fiscal year and month, at province
level, in the ops store (table ``kpi_comments``), on the one workflow engine (ops.workflow.Flow):

    draft ──submit──▶ submitted ──verify──▶ verified ──approve──▶ approved (locked)
      ▲                  │ return (reason)                            │ reopen (reason, approver)
      └──── returned ◀───┘◀───────────────────────────────────────────┘

* Who: as for the KPI's figure (ops/entry.py): whoever may enter the KPI's province figure
  (``entry.may_enter`` at ``settings.province``: an editor of the KPI's owner unit without a
  district, or an admin) writes it; a verifier of the owner unit (any unit when they have none)
  accepts it or returns it with a reason; an executive or admin approves one, which locks it, and
  reopens an approved one with a reason. Every function checks this itself; a refusal is written to
  the audit log before it is raised (``Forbidden``), so no page or command can forget it.
* Classification: each function takes the KPI as the reader read it through ``db.query`` (which
  drops the KPIs their role may not read); a KPI they may not read is passed as None and every
  action on it is refused, and audited, like any other. Readers are shown ``approved`` rows only,
  of KPIs the page has read the same way.
* Nothing is silently overwritten: a save names the version it was based on (0: a new one) and a
  save in between is a ``Conflict``.
* Readers see what was approved (``approved_analysis``, ``approved_action``): a correction after a
  reopen does not change what they read until it is approved again.
* Each text is at most ``LIMIT`` characters (2,000); a draft needs one of them, a submission both.
"""

from __future__ import annotations

import sqlalchemy as sa

import ops
from config import settings
from inputs import parsing
from ops.entry import may_approve, may_enter, may_verify
from ops.workflow import Actor, Conflict, EntryError, Flow, Forbidden, Locked
from ops.workflow import now as _now

__all__ = ["Actor", "Conflict", "EntryError", "Forbidden", "Locked", "LIMIT", "may_approve", "may_verify"]

LIMIT = 2000  # characters of each text
FIELDS = {
    "analysis": ("การวิเคราะห์ (สาเหตุ)", "Analysis (why)"),
    "action": ("แนวทางแก้ไข/การดำเนินการต่อไป", "Action (what next)"),
}
KEPT = {"approved_analysis": "analysis", "approved_action": "action"}  # what approval copies for readers


def may_write(actor: Actor, kpi: dict | None) -> bool:
    """The KPI's owner: whoever may enter its province figure (ops/entry.py's rule)."""
    return kpi is not None and may_enter(actor, kpi, settings.province)


def may_check(actor: Actor, kpi: dict | None) -> bool:
    """A verifier of the KPI's owner unit (ops/entry.py's rule)."""
    return kpi is not None and may_verify(actor, kpi)


def fiscal_index(month: int) -> int:
    """October = 1 … September = 12."""
    return month - 9 if month >= 10 else month + 3


# ---------------------------------------------------------------- checks before storing
def clean(text) -> str | None:
    """A typed text as stored: line ends as \\n, control characters other than tab and line end
    dropped, no blanks around; None when nothing is left. Anything but a string is refused."""
    if text is None:
        return None
    if not isinstance(text, str):
        raise EntryError("ข้อความไม่ถูกต้อง", "Not a text")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch in "\n\t" or (ord(ch) >= 32 and ord(ch) != 127)).strip()
    return text or None


def check_text(analysis, action, submit: bool) -> tuple[str | None, str | None]:
    """The two texts as stored, else an EntryError naming the field: each at most ``LIMIT``
    characters; a submission needs both, a draft one of them."""
    out = {}
    for key, text in (("analysis", analysis), ("action", action)):
        th, en = FIELDS[key]
        t = clean(text)
        if t is not None and len(t) > LIMIT:
            raise EntryError(
                f"{th}: ยาว {len(t):,} ตัวอักษร เกินกำหนด {LIMIT:,} ตัวอักษร",
                f"{en}: {len(t):,} characters, more than the {LIMIT:,} allowed",
                key,
            )
        if submit and t is None:
            raise EntryError(f"{th}: กรุณากรอกก่อนส่งให้ผู้สอบทาน", f"{en}: write it before submitting", key)
        out[key] = t
    if out["analysis"] is None and out["action"] is None:
        raise EntryError(
            "กรุณาเขียนการวิเคราะห์หรือแนวทางแก้ไขก่อนบันทึก", "Write the analysis or the action before saving", "analysis"
        )
    return out["analysis"], out["action"]


def check_period(fy, month) -> tuple[int, int]:
    """(fiscal year B.E., calendar month) by the rules of a ``kpi_actuals`` file (the year range,
    month 1-12), else an EntryError naming the field."""
    try:
        fy = parsing.check_year_be(fy)
    except parsing.RuleError as e:
        raise EntryError(f"ปีงบประมาณ: {e.th}", f"Fiscal year: {e.en}", "fiscal_year") from None
    try:
        month = parsing.check_month(month)
    except parsing.RuleError as e:
        raise EntryError(f"เดือน: {e.th}", f"Month: {e.en}", "month") from None
    return fy, month


def stored_problems(row: dict) -> list[EntryError]:
    """What a stored commentary lacks to be accepted (``check_text`` for a submission)."""
    try:
        check_text(row.get("analysis"), row.get("action"), submit=True)
    except EntryError as e:
        return [e]
    return []


# ---------------------------------------------------------------- the store
def _target(kpi_code, fy, month) -> str:
    return f"{kpi_code} {fy}/{month}"


def _conflict(old) -> Conflict:
    if old is None:
        return Conflict(
            "มีผู้อื่นบันทึกคำอธิบายของงวดนี้ก่อนแล้ว ข้อความของคุณยังไม่ถูกบันทึก โหลดใหม่เพื่อดูฉบับล่าสุด",
            "Someone else saved this period's commentary first; yours was not saved: reload to see theirs",
        )
    return Conflict(
        f"{old['entered_by']} บันทึกคำอธิบายนี้ไว้ก่อนแล้ว ({old['status']}, v{old['version']}) "
        "ข้อความของคุณยังไม่ถูกบันทึก โหลดฉบับล่าสุดแล้วตัดสินใจอีกครั้ง",
        f"{old['entered_by']} saved this commentary in the meantime ({old['status']}, v{old['version']}); "
        "yours was not saved: load the latest and decide again",
    )


def _still_open(old: dict) -> EntryError | None:
    if old["status"] == "verified":
        return Locked(
            "คำอธิบายนี้สอบทานแล้ว ให้ผู้สอบทานส่งกลับก่อนแก้ไข",
            "This commentary is verified; the verifier must return it before it can change",
        )
    if old["status"] == "approved":
        return Locked(
            "คำอธิบายนี้อนุมัติแล้ว แก้ไขได้เมื่อผู้อนุมัติเปิดใหม่พร้อมเหตุผล",
            "This commentary is approved; an approver must reopen it with a reason first",
        )
    return None


FLOW = Flow(ops.kpi_comments, "comment_id", "comment", ("คำอธิบายนี้", "this commentary"), _conflict)


def get(eng: sa.Engine, kpi_code: str, fy: int, month: int) -> dict | None:
    """The province's commentary of (KPI, fiscal year, month), as it is being worked on."""
    c = ops.kpi_comments.c
    with eng.connect() as con:
        row = (
            con.execute(
                sa.select(ops.kpi_comments).where(
                    c.kpi_code == kpi_code, c.fiscal_year == fy, c.month == month, c.area_code == settings.province
                )
            )
            .mappings()
            .first()
        )
    return dict(row) if row else None


def by_id(eng: sa.Engine, comment_id: int) -> dict | None:
    return FLOW.by_id(eng, int(comment_id))


def approved(eng: sa.Engine, kpi_code: str | None = None, *, fy: int | None = None) -> list[dict]:
    """What readers see: every approved commentary (of one KPI, of one fiscal year), newest period
    first, each {kpi_code, fiscal_year, month, analysis, action, approved_by, approved_at, status}
    (``status`` is the row's own: "returned" while a correction of it is worked on). The caller
    reads only KPIs the reader may read (see the module's docstring)."""
    c = ops.kpi_comments.c
    q = sa.select(ops.kpi_comments).where(c.area_code == settings.province, c.approved_at.is_not(None))
    if kpi_code is not None:
        q = q.where(c.kpi_code == kpi_code)
    if fy is not None:
        q = q.where(c.fiscal_year == fy)
    with eng.connect() as con:
        got = [dict(r) for r in con.execute(q).mappings()]
    got.sort(key=lambda r: (-r["fiscal_year"], -fiscal_index(r["month"]), r["kpi_code"]))
    return [
        {
            "kpi_code": r["kpi_code"],
            "fiscal_year": r["fiscal_year"],
            "month": r["month"],
            "analysis": r["approved_analysis"],
            "action": r["approved_action"],
            "approved_by": r["approved_by"],
            "approved_at": r["approved_at"],
            "status": r["status"],
        }
        for r in got
    ]


# ---------------------------------------------------------------- the workflow
def save(
    eng: sa.Engine,
    actor: Actor,
    kpi_code: str,
    kpi: dict | None,
    fy,
    month,
    analysis,
    action,
    version: int,
    submit: bool = False,
) -> dict:
    """The owner stores the commentary of a period as a draft, or submits it to the verifier.
    ``kpi``: the KPI as this reader read it (None when they may not read ``kpi_code``: refused);
    ``version``: the version the form was filled from (0 for a new one). Returns the stored row."""
    fy, month = check_period(fy, month)
    target = _target(kpi_code, fy, month)
    if kpi is None or kpi.get("kpi_code") != kpi_code or not may_write(actor, kpi):
        raise FLOW.refuse(
            eng,
            actor,
            "comment.save",
            target,
            Forbidden(
                "ไม่มีสิทธิ์เขียนคำอธิบายของตัวชี้วัดนี้ (เฉพาะหน่วยงานเจ้าของตัวชี้วัด)",
                "You may not write this KPI's commentary (its owner unit does)",
            ),
        )
    analysis, action = check_text(analysis, action, submit)
    status = "submitted" if submit else "draft"
    c = ops.kpi_comments.c
    values = {
        "analysis": analysis,
        "action": action,
        "status": status,
        "entered_by": actor.username,
        "updated_at": _now(),
        "reason": None,
    }
    old = FLOW.write(
        eng,
        (c.kpi_code == kpi_code, c.fiscal_year == fy, c.month == month, c.area_code == settings.province),
        int(version),
        values,
        {"kpi_code": kpi_code, "fiscal_year": fy, "month": month, "area_code": settings.province},
        _still_open,
    )
    ops.record_audit(
        eng,
        "comment.submit" if submit else "comment.save",
        target=target,
        who=actor.username,
        before=None if old is None else {"status": old["status"], "analysis": old["analysis"], "action": old["action"]},
        after={"status": status, "analysis": analysis, "action": action},
    )
    return get(eng, kpi_code, fy, month)


def _row_and_target(eng, comment_id) -> tuple[dict | None, str]:
    row = by_id(eng, comment_id)
    return row, (_target(row["kpi_code"], row["fiscal_year"], row["month"]) if row else f"comment {comment_id}")


def _same_kpi(row: dict | None, kpi: dict | None) -> bool:
    return row is not None and kpi is not None and kpi.get("kpi_code") == row["kpi_code"]


def verify(
    eng: sa.Engine,
    actor: Actor,
    comment_id: int,
    version: int,
    accept: bool,
    reason: str | None,
    kpi: dict | None,
) -> dict:
    """A verifier of the owner unit accepts a submitted commentary, or returns it with a reason.
    ``kpi``: the commentary's KPI as this reader read it (None: they may not read it: refused)."""
    row, target = _row_and_target(eng, comment_id)
    may = _same_kpi(row, kpi) and may_check(actor, kpi)
    reason = clean(reason) if may else None
    if reason is not None and len(reason) > LIMIT:
        raise EntryError(f"เหตุผลยาวเกิน {LIMIT:,} ตัวอักษร", f"The reason is longer than {LIMIT:,} characters", "reason")
    FLOW.verify(eng, actor, row, int(version), accept, reason, target, may, problems=stored_problems)
    return by_id(eng, comment_id)


def approve(eng: sa.Engine, actor: Actor, comment_id: int, version: int, kpi: dict | None) -> dict:
    """An executive or admin approves a verified commentary: readers see it from now on, and it is
    locked until an approver reopens it."""
    row, target = _row_and_target(eng, comment_id)
    if not (_same_kpi(row, kpi) and may_approve(actor)):
        raise FLOW.refuse(
            eng,
            actor,
            "comment.approve",
            target,
            Forbidden("เฉพาะผู้บริหารหรือผู้ดูแลระบบอนุมัติคำอธิบายได้", "Only an executive or admin approves a commentary"),
        )
    if row["status"] != "verified":
        raise Locked("คำอธิบายนี้ยังไม่ผ่านการสอบทาน", "This commentary is not verified")
    c = ops.kpi_comments.c
    with eng.begin() as con:
        n = FLOW.approve(con, actor, (c.comment_id == row["comment_id"], c.version == int(version)), KEPT)
    if n != 1:
        raise _conflict(by_id(eng, comment_id))
    ops.record_audit(
        eng,
        "comment.approve",
        target=target,
        who=actor.username,
        before={"status": "verified"},
        after={"status": "approved", "analysis": row["analysis"], "action": row["action"]},
    )
    return by_id(eng, comment_id)


def reopen(eng: sa.Engine, actor: Actor, comment_id: int, version: int, reason: str, kpi: dict | None) -> dict:
    """A correction: an approver opens an approved commentary again, with the reason; readers keep
    the approved text until the corrected one is approved."""
    row, target = _row_and_target(eng, comment_id)
    if not (_same_kpi(row, kpi) and may_approve(actor)):
        raise FLOW.refuse(
            eng,
            actor,
            "comment.reopen",
            target,
            Forbidden(
                "เฉพาะผู้บริหารหรือผู้ดูแลระบบเปิดคำอธิบายที่อนุมัติแล้วได้",
                "Only an executive or admin reopens an approved commentary",
            ),
        )
    if row["status"] != "approved":
        raise Locked("คำอธิบายนี้ยังไม่ได้อนุมัติ", "This commentary is not approved")
    reason = clean(reason)
    if not reason:
        raise EntryError("กรุณาระบุเหตุผลที่เปิดใหม่", "Give the reason for reopening", "reason")
    if len(reason) > LIMIT:
        raise EntryError(f"เหตุผลยาวเกิน {LIMIT:,} ตัวอักษร", f"The reason is longer than {LIMIT:,} characters", "reason")
    FLOW.set(eng, row, int(version), status="returned", reason=reason)
    ops.record_audit(
        eng,
        "comment.reopen",
        target=target,
        who=actor.username,
        before={"status": "approved"},
        after={"status": "returned", "reason": reason},
    )
    return by_id(eng, comment_id)
