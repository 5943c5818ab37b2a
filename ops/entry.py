"""Web entry of KPI figures and its workflow, in the ops store (no Dash here; pages/entry.py draws).

    draft ──submit──▶ submitted ──verify──▶ verified ──approve area's round──▶ approved (that area locked)
      ▲                  │ return (reason)                                  │ reopen area's round (reason)
      └──── returned ◀───┘                                                  ▼ a correction starts again

* Who: an **editor** enters the figures ops/scope.py allows (docs/RULES.md section 12: their unit's
  KPIs; with a district, that district's figures of KPIs reported by district); a **verifier** verifies the KPIs of their unit (all units when they have
  none); an **executive** or **admin** approves a round and reopens it with a reason.
  Every function checks this itself and raises ``Forbidden``: the page cannot forget it.
* A round is one month of one **area** (a district, or the province's own figures): approving it
  approves that area's verified figures of the month and locks that area only, so one district's
  early report never closes the month for the others (``round_state``; table ``ops.rounds``; a
  whole-month lock of an older store, area ``ops.ALL_AREAS``, still locks every area without a row
  of its own). The form, ``save`` and the upload (``check_upload``) all ask ``round_state``.
* Plausibility (``needs``, the same for the form, its live hint and the upload): a figure above the
  KPI's **ceiling** (``ceiling``: the rule ``entry_ceiling_multiple`` of data/seeds/cockpit_rules.csv,
  or the KPI's own ``entry_ceiling_multiple`` in the catalogue, times the larger of the area's
  year target and the largest month value in its history) needs a written reason in the note,
  which the verifier sees; above ``entry_ceiling_hard`` times the ceiling it is refused. A KPI
  counted in whole things (its unit in data/seeds/count_units.csv: ``dim_kpi.is_count``) takes
  whole numbers only (``check_value``). docs/RULES.md section 8 has the worked examples.
* Nothing is silently overwritten: every row has a ``version``; a save names the version it was
  based on and fails with ``Conflict`` when someone saved in between (compare-and-set in SQL).
* The snapshot shows ``approved_value`` only: a correction being worked on after a reopen does
  not change the cockpit until it is approved again. ``etl.build`` reads ``approved_frame``.
* Every step writes an audit entry with before and after.
* A figure obeys the rules of a ``kpi_actuals`` file (``check_figure`` calls inputs/parsing.py: the
  year range, month 1-12, an area of this province, known codes, not negative, a percentage at
  most 100); a row stored before these rules is shown marked (``stored_problems``) and cannot be
  verified.
"""

from __future__ import annotations

import math

import pandas as pd
import sqlalchemy as sa

import ops
from components import thai
from components.thai import parse_number
from inputs import datasets as reg
from inputs import parsing
from ops import scope
from ops.workflow import Actor, Conflict, EntryError, Flow, Forbidden, Locked
from ops.workflow import now as _now

APPROVERS = ("executive", "admin")


def kpi_thing(kpi: dict) -> scope.Thing:
    """What the scope rules need of a KPI row (entry/kpis: dim_kpi)."""
    return scope.Thing(kpi.get("owner_unit"), kpi.get("reported_by"), kpi.get("classification") or "open")


def scope_reason(actor: Actor, kpi: dict | None, area_code) -> tuple[str, str] | None:
    """Why ``actor`` may not enter ``kpi``'s figure of ``area_code`` (ops/scope.py), or None."""
    return scope.reason(actor, "kpi_actuals", None if kpi is None else kpi_thing(kpi), area_code)


def may_enter(actor: Actor, kpi: dict, area_code: str) -> bool:
    return scope_reason(actor, kpi, area_code) is None


def _out_of_scope(why: tuple[str, str]) -> Forbidden:
    return Forbidden(f"ไม่มีสิทธิ์บันทึกตัวชี้วัดหรือพื้นที่นี้: {why[0]}", f"You may not enter figures for this KPI or area: {why[1]}")


def may_verify(actor: Actor, kpi: dict) -> bool:
    return scope.may_verify(actor, kpi.get("owner_unit"))


def may_approve(actor: Actor) -> bool:
    return actor.role in APPROVERS


def _field_error(key: str, th: str, en: str) -> EntryError:
    """A refusal that names the field by its template header (Thai / English)."""
    col = reg.DATASETS["kpi_actuals"].column(key)
    return EntryError(f"{col.th}: {th}", f"{col.en}: {en}", key)


def _float(x) -> float | None:
    """A number from a what-if row or a catalogue cell; None for missing (None, NaN, pandas NA)."""
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) else v


def is_count(kpi: dict) -> bool:
    """Whether the KPI counts whole things (plots, persons, places…): ``dim_kpi.is_count``, decided
    by its unit being in data/seeds/count_units.csv."""
    v = (kpi or {}).get("is_count")
    return bool(v) and v == v  # NaN (an older snapshot without the column) is not a count


def number_text(kpi: dict, x, lang: str = "th") -> str:
    """A figure of this KPI as /entry shows it: a count without decimals (6, not 6.00), anything
    else with two decimals when it has a fraction; '–' when missing. A count stored with a fraction
    before the whole-number rule keeps its decimals (``stored_problems`` marks it)."""
    v = _float(x)
    if v is None:
        return "–"
    if is_count(kpi) and abs(v - round(v)) < 1e-9:  # a sum of counts carried as a double: 6.000000001
        v = float(round(v))
    return thai.format_number(v, 0 if v.is_integer() else 2, lang)


def check_value(kpi: dict, text) -> float:
    """Type and range before storing: a number (Thai digits and separators accepted) that the
    KPI's unit allows (``inputs.parsing.measure_problem``: not negative, a percentage at most 100;
    a count unit, ``is_count``: a whole number)."""
    try:
        value = parse_number(text)
    except ValueError:
        raise _field_error("value", f"“{text}” ไม่ใช่ตัวเลข", f"“{text}” is not a number") from None
    if value is None or value != value:
        raise _field_error("value", "กรุณากรอกผลการดำเนินงาน", "enter the value")
    if (bad := parsing.measure_problem(kpi.get("unit"), value)) is not None:
        raise _field_error("value", bad.th, bad.en)
    if (bad := _whole_problem(kpi, value)) is not None:
        raise bad
    return value


def _whole_problem(kpi: dict, value) -> EntryError | None:
    v = _float(value)
    if not is_count(kpi) or v is None or v.is_integer():
        return None
    unit = kpi.get("unit") or "-"
    return _field_error(
        "value",
        f"{v:g} ไม่ใช่จำนวนเต็ม หน่วย “{unit}” เป็นการนับ กรอกได้เฉพาะจำนวนเต็ม",
        f"{v:g} is not a whole number: “{unit}” is a count, whole numbers only",
    )


def check_figure(kpi: dict, fy, month, area_code, text, code_lists: dict | None = None) -> tuple[int, int, str, float]:
    """A figure typed in the form by the rules of a ``kpi_actuals`` file: the value
    (``check_value``), the fiscal year (B.E., as the form lists it, within
    ``inputs.parsing.year_range``), then the whole row through ``inputs.parsing.parse_record`` (month
    1-12, an area of this province, known KPI and area codes when `code_lists` is given, the
    measure rule). Returns (fiscal year, month, area, value); EntryError names the field."""
    value = check_value(kpi, text)
    try:
        fy = parsing.check_year_be(fy)
    except parsing.RuleError as e:
        raise _field_error("fiscal_year", e.th, e.en) from None
    ds = reg.DATASETS["kpi_actuals"]
    res = parsing.parse_record(
        "kpi_actuals",
        {"kpi_code": kpi.get("kpi_code"), "fiscal_year": fy, "month": month, "area_code": area_code, "value": value},
        code_lists,
    )
    if res.errors:
        by_label = {c.th: c.key for c in ds.columns}
        issue = res.errors[0]
        raise _field_error(by_label.get(issue.column, "kpi_code"), issue.reason_th, issue.reason_en)
    r = res.frame.iloc[0]
    return int(r["fiscal_year"]), int(r["month"]), str(r["area_code"]), value


def stored_problems(row: dict, kpi: dict | None = None) -> list[EntryError]:
    """What a stored figure breaks of today's rules (a row stored before they held): the fiscal
    year, the month, the area and, with its `kpi`, a fraction of a count, each naming its field.
    Empty for a sound row."""
    out = []
    if kpi is not None and (bad := _whole_problem(kpi, row.get("value"))) is not None:
        out.append(bad)
    for key, check in (("fiscal_year", parsing.check_year_be), ("month", parsing.check_month)):
        try:
            check(row.get(key))
        except parsing.RuleError as e:
            out.append(_field_error(key, f"{row.get(key)} {e.th}", f"{row.get(key)}: {e.en}"))
    if (bad := parsing.area_problem(str(row.get("area_code")))) is not None:
        out.append(_field_error("area_code", bad.th, bad.en))
    return out


def ceiling(what_if: dict | None, kpi: dict | None = None) -> dict | None:
    """The plausibility ceiling of a figure (docs/RULES.md section 8): ``multiple`` × ``base``, where
    base is the larger of the area's year target (this fiscal year's, else its latest earlier one)
    and the largest month value in the area's history (other periods than this one), both from the
    what-if row (queries/entry/what_if.sql), and multiple is the KPI's own
    ``entry_ceiling_multiple`` (catalogue) or else the rule of that name. Above ``hard`` (the rule
    ``entry_ceiling_hard`` × the ceiling) a figure is refused. None when there is no base above 0
    (a new KPI, nothing to compare with) or no multiple: no ceiling then."""
    w = what_if or {}
    base = max((v for v in (_float(w.get("year_target")), _float(w.get("history_max"))) if v is not None), default=None)
    multiple = _float((kpi or {}).get("entry_ceiling_multiple"))
    multiple = multiple if multiple is not None and multiple > 0 else _float(w.get("ceiling_multiple"))
    if base is None or base <= 0 or multiple is None or multiple <= 0:
        return None
    limit = multiple * base
    factor = _float(w.get("ceiling_hard"))
    return {
        "base": base,
        "multiple": multiple,
        "ceiling": limit,
        "hard": limit * factor if factor is not None and factor >= 1 else None,
    }


def needs(value: float, what_if: dict | None, change_limit: float | None, kpi: dict | None = None) -> dict:
    """What a value asks of the person before it is stored (``what_if`` is the row of
    queries/entry/what_if.sql for this value): ``note`` when it turns the light red (``red``) or
    lies above the KPI's ceiling (``implausible``; ``ceiling`` the figures of it); ``refuse`` when
    it lies above the hard bound; a confirmation (``confirm``) when it differs from the previous
    period by more than ``change_limit`` (a share, 0.5 = 50 %)."""
    w = what_if or {}
    prev = _float(w.get("prev_value"))
    change = (value - prev) / abs(prev) if prev else None
    red = w.get("status_new") == "red"
    ceil = ceiling(w, kpi)
    implausible = ceil is not None and value > ceil["ceiling"]
    return {
        "note": red or implausible,
        "red": red,
        "implausible": implausible,
        "refuse": implausible and ceil["hard"] is not None and value > ceil["hard"],
        "ceiling": ceil,
        "change": change,
        "prev": prev,
        "confirm": change is not None and change_limit is not None and abs(change) > change_limit,
    }


def ceiling_errors(kpi: dict, need: dict) -> tuple[EntryError | None, EntryError | None]:
    """(refused, needs a reason) for a figure beyond the ceiling, each naming its field."""
    ceil, unit = need["ceiling"], (kpi.get("unit") or "")
    if not need["implausible"]:
        return None, None
    c = number_text(kpi, math.floor(ceil["ceiling"]))
    if need["refuse"]:
        h = number_text(kpi, math.floor(ceil["hard"]))
        return _field_error(
            "value",
            f"ค่านี้เกินขอบเขตที่รับได้ ({h} {unit}) จึงไม่รับบันทึก ตรวจสอบตัวเลขอีกครั้ง (ค่าที่เป็นไปได้ไม่เกิน {c} {unit})",
            f"this value is beyond the bound of {h} {unit} and is refused; check the figure"
            f" (a plausible value is at most {c} {unit})",
        ), None
    return None, EntryError(
        f"หมายเหตุ: ค่านี้เกินค่าที่เป็นไปได้ ({c} {unit} = {ceil['multiple']:g} เท่าของ"
        f" {number_text(kpi, ceil['base'])}) กรุณาระบุเหตุผลในหมายเหตุ ผู้สอบทานจะเห็นเหตุผลนี้",
        f"Note: this value is above the plausible ceiling ({c} {unit} = {ceil['multiple']:g} × "
        f"{number_text(kpi, ceil['base'], 'en')}): give the reason in the note; the verifier sees it",
        "note",
    )


def _round_target(fy: int, month: int, area_code: str | None) -> str:
    """The audit target of a round: ``round 2570/11 8604`` (an area), ``round 2570/11`` (every area)."""
    return f"round {fy}/{month}" + (f" {area_code}" if area_code else "")


def round_state(eng: sa.Engine, fy: int, month: int, area_code: str) -> dict:
    """The round of one area and month: its own row; else a whole-month lock of an older store
    (area ``ops.ALL_AREAS``), which covers every area; else open. Every write path asks this."""
    r = ops.rounds.c
    with eng.connect() as con:
        got = {
            row["area_code"]: dict(row)
            for row in con.execute(
                sa.select(ops.rounds).where(
                    r.fiscal_year == fy, r.month == month, r.area_code.in_((str(area_code), ops.ALL_AREAS))
                )
            ).mappings()
        }
    row = got.get(str(area_code)) or got.get(ops.ALL_AREAS)
    if row is None:
        return {"fiscal_year": fy, "month": month, "area_code": area_code, "status": "open", "reason": None}
    return {**row, "area_code": area_code, "whole_month": row["area_code"] == ops.ALL_AREAS}


def round_rows(eng: sa.Engine, fy: int, month: int) -> dict[str, dict]:
    """Every round row of a month by area (ALL_AREAS: an older store's whole-month lock)."""
    r = ops.rounds.c
    with eng.connect() as con:
        return {
            row["area_code"]: dict(row)
            for row in con.execute(sa.select(ops.rounds).where(r.fiscal_year == fy, r.month == month)).mappings()
        }


def _locked(fy: int, month: int, area_code: str) -> Locked:
    th_round, en_round = thai.round_label(fy, month, "th"), thai.round_label(fy, month, "en")
    return Locked(
        f"รอบรายงาน{th_round} ของพื้นที่ {area_code} อนุมัติและปิดแล้ว แก้ไขได้เมื่อผู้บริหารเปิดรอบของพื้นที่นี้ใหม่พร้อมเหตุผล",
        f"The round of {en_round} for area {area_code} is approved and locked; "
        "an executive must reopen this area's round with a reason first",
        "area_code",
    )


def get(eng: sa.Engine, kpi_code: str, fy: int, month: int, area_code: str) -> dict | None:
    e = ops.entries.c
    with eng.connect() as con:
        row = (
            con.execute(
                sa.select(ops.entries).where(
                    e.kpi_code == kpi_code, e.fiscal_year == fy, e.month == month, e.area_code == area_code
                )
            )
            .mappings()
            .first()
        )
    return dict(row) if row else None


def save(
    eng: sa.Engine,
    actor: Actor,
    kpi: dict,
    fy,
    month,
    area_code: str,
    value_text,
    note: str | None,
    version: int,
    submit: bool = False,
    *,
    what_if: dict | None = None,
    change_limit: float | None = None,
    confirmed: bool = False,
    code_lists: dict | None = None,
) -> dict:
    """Store a draft (or submit it) after ``check_figure`` (with `code_lists`, the codes are
    checked too). ``version`` is the row version the form was filled from (0 for a new figure);
    ``what_if`` and ``change_limit`` are for the checks of ``needs``. Returns the stored row."""
    fy, month, area_code, value = check_figure(kpi, fy, month, area_code, value_text, code_lists)
    target = f"{kpi['kpi_code']} {fy}/{month} {area_code}"
    if (why := scope_reason(actor, kpi, area_code)) is not None:
        raise FLOW.refuse(eng, actor, "entry.save", target, _out_of_scope(why))
    if round_state(eng, fy, month, area_code)["status"] == "locked":
        raise _locked(fy, month, area_code)
    note = (note or "").strip() or None
    need = needs(value, what_if, change_limit, kpi)
    refused, reason_needed = ceiling_errors(kpi, need)
    if refused is not None:
        raise refused
    if reason_needed is not None and not note:
        raise reason_needed
    if need["red"] and not note:
        raise EntryError(
            "ค่านี้ทำให้สถานะเป็นสีแดง กรุณาอธิบายสาเหตุในหมายเหตุ",
            "This value turns the light red: explain why in the note",
            "note",
        )
    if need["confirm"] and not confirmed:
        raise EntryError(
            f"ค่านี้ต่างจากงวดก่อน ({need['prev']:g}) {need['change']:+.0%} กรุณายืนยันว่าถูกต้อง",
            f"This value differs from the previous period ({need['prev']:g}) by {need['change']:+.0%}: "
            "confirm it is right",
            "confirm",
        )
    status = "submitted" if submit else "draft"
    e = ops.entries.c
    values = {
        "value": value,
        "note": note,
        "status": status,
        "entered_by": actor.username,
        "updated_at": _now(),
        "reason": None,
    }
    old = FLOW.write(
        eng,
        (e.kpi_code == kpi["kpi_code"], e.fiscal_year == fy, e.month == month, e.area_code == area_code),
        version,
        values,
        {"kpi_code": kpi["kpi_code"], "fiscal_year": fy, "month": month, "area_code": area_code},
        _still_open,
    )
    ops.record_audit(
        eng,
        "entry.submit" if submit else "entry.save",
        target=target,
        who=actor.username,
        before=None if old is None else {"value": old["value"], "status": old["status"]},
        after={"value": value, "status": status, "note": note},
    )
    return get(eng, kpi["kpi_code"], fy, month, area_code)


def _conflict(old) -> Conflict:
    if old is None:
        return Conflict(
            "มีผู้อื่นบันทึกตัวเลขนี้ก่อนแล้ว โหลดใหม่เพื่อดูค่าล่าสุด", "Someone else saved this figure first; reload to see it"
        )
    return Conflict(
        f"{old['entered_by']} บันทึกค่า {old['value']:g} ไว้ก่อนแล้ว ({old['status']}) "
        "ค่าของคุณยังไม่ถูกบันทึก โหลดค่าล่าสุดแล้วตัดสินใจอีกครั้ง",
        f"{old['entered_by']} saved {old['value']:g} in the meantime ({old['status']}); "
        "yours was not saved: load the latest and decide again",
    )


def _still_open(old: dict) -> EntryError | None:
    """A verified figure changes only after its verifier returns it (an approved one: after a reopen)."""
    if old["status"] == "verified":
        return Locked(
            "ตัวเลขนี้สอบทานแล้ว ให้ผู้สอบทานส่งกลับก่อนแก้ไข",
            "This figure is verified; the verifier must return it before it can change",
        )
    return None


FLOW = Flow(ops.entries, "entry_id", "entry", ("ตัวเลขนี้", "this figure"), _conflict)


def verify(
    eng: sa.Engine, actor: Actor, kpi: dict, entry_id: int, version: int, accept: bool, reason: str | None = None
) -> dict:
    """A verifier accepts a submitted figure or returns it with a reason."""
    row = FLOW.by_id(eng, entry_id)
    target = f"{row['kpi_code']} {row['fiscal_year']}/{row['month']} {row['area_code']}" if row else str(entry_id)
    may = row is not None and row["kpi_code"] == kpi["kpi_code"] and may_verify(actor, kpi)
    FLOW.verify(eng, actor, row, version, accept, reason, target, may, problems=lambda r: stored_problems(r, kpi))
    return FLOW.by_id(eng, entry_id)


def approve_round(eng: sa.Engine, actor: Actor, fy: int, month: int, area_code: str | None = None) -> int:
    """Approve the verified figures of one area's month and lock that area's round only (the other
    areas keep entering the month). ``area_code`` None: every area that has verified figures this
    month, each approved and locked as if approved alone; an area without any is left as it is.
    An area named that has neither verified nor approved figures this month is refused (nothing to
    approve: a lock would only stop its editors). Returns how many figures were approved."""
    target = _round_target(fy, month, area_code)
    if not may_approve(actor):
        raise FLOW.refuse(
            eng,
            actor,
            "round.approve",
            target,
            Forbidden("เฉพาะผู้บริหารหรือผู้ดูแลระบบอนุมัติรอบรายงานได้", "Only an executive or admin approves a round"),
        )
    e = ops.entries.c
    month_rows = (e.fiscal_year == fy, e.month == month)
    with eng.begin() as con:
        if area_code is None:
            areas = sorted(
                con.execute(sa.select(e.area_code).distinct().where(*month_rows, e.status == "verified")).scalars()
            )
        else:
            area_code = str(area_code)
            areas = [area_code]
            has = con.execute(
                sa.select(sa.func.count())
                .select_from(ops.entries)
                .where(*month_rows, e.area_code == area_code, e.status.in_(("verified", "approved")))
            ).scalar_one()
            if not has:
                raise EntryError(
                    f"พื้นที่: {area_code} ยังไม่มีตัวเลขที่สอบทานแล้วในรอบ{thai.round_label(fy, month, 'th')} จึงยังอนุมัติไม่ได้",
                    f"Area: {area_code} has no verified figure for {thai.round_label(fy, month, 'en')} to approve",
                    "area_code",
                )
        done = {}
        for a in areas:
            done[a] = FLOW.approve(con, actor, (*month_rows, e.area_code == a), {"approved_value": "value"})
            _upsert_round(con, fy, month, a, "locked", actor.username, None)
        if sum(done.values()):  # in this transaction: a crash before the new snapshot leaves the want
            ops.want_build(con, f"round.approve {target}")
    for a, n in done.items():
        ops.record_audit(
            eng,
            "round.approve",
            target=_round_target(fy, month, a),
            who=actor.username,
            after={"approved": n, "status": "locked"},
        )
    if not done:
        ops.record_audit(eng, "round.approve", target=target, who=actor.username, after={"approved": 0})
    return sum(done.values())


def reopen_round(eng: sa.Engine, actor: Actor, fy: int, month: int, reason: str, area_code: str | None = None) -> None:
    """A correction: open one area's locked round again, with the reason (the other areas stay as
    they are). Under an older store's whole-month lock this opens that area alone. ``area_code``
    None: every locked round of the month, the whole-month lock too."""
    target = _round_target(fy, month, area_code)
    if not may_approve(actor):
        raise FLOW.refuse(
            eng,
            actor,
            "round.reopen",
            target,
            Forbidden("เฉพาะผู้บริหารหรือผู้ดูแลระบบเปิดรอบรายงานได้", "Only an executive or admin reopens a round"),
        )
    reason = (reason or "").strip()
    if not reason:
        raise EntryError("เหตุผล: กรุณาระบุเหตุผลที่เปิดรอบใหม่", "Reason: give the reason for reopening", "reason")
    if area_code is None:
        areas = [a for a, row in round_rows(eng, fy, month).items() if row["status"] == "locked"]
    else:
        area_code = str(area_code)
        if round_state(eng, fy, month, area_code)["status"] != "locked":
            raise EntryError(
                f"พื้นที่: รอบรายงาน{thai.round_label(fy, month, 'th')} ของพื้นที่ {area_code} ยังเปิดอยู่",
                f"Area: the round of {thai.round_label(fy, month, 'en')} for area {area_code} is open already",
                "area_code",
            )
        areas = [area_code]
    with eng.begin() as con:
        for a in areas:
            _upsert_round(con, fy, month, a, "open", actor.username, reason)
    for a in areas:
        ops.record_audit(
            eng,
            "round.reopen",
            target=_round_target(fy, month, a),
            who=actor.username,
            before={"status": "locked"},
            after={"status": "open", "reason": reason},
        )


def _upsert_round(con, fy: int, month: int, area_code: str, status: str, who: str, reason: str | None) -> None:
    r = ops.rounds.c
    values = {"status": status, "changed_by": who, "changed_at": _now(), "reason": reason}
    key = (r.fiscal_year == fy, r.month == month, r.area_code == area_code)
    if not con.execute(ops.rounds.update().where(*key).values(**values)).rowcount:
        con.execute(ops.rounds.insert().values(fiscal_year=fy, month=month, area_code=area_code, **values))


def rows(
    eng: sa.Engine,
    *,
    status: tuple[str, ...] | None = None,
    fy: int | None = None,
    month: int | None = None,
    area_code: str | None = None,
) -> pd.DataFrame:
    e = ops.entries.c
    q = sa.select(ops.entries).order_by(e.fiscal_year, e.month, e.area_code, e.kpi_code)
    if status:
        q = q.where(e.status.in_(status))
    if fy is not None:
        q = q.where(e.fiscal_year == fy)
    if month is not None:
        q = q.where(e.month == month)
    if area_code is not None:
        q = q.where(e.area_code == str(area_code))
    with eng.connect() as con:
        return pd.DataFrame(con.execute(q).mappings().all(), columns=[c.name for c in ops.entries.columns])


def approved_frame(eng: sa.Engine) -> pd.DataFrame:
    """Approved figures as a ``kpi_actuals`` file for the next snapshot (provenance entered)."""
    e = ops.entries.c
    with eng.connect() as con:
        got = (
            con.execute(
                sa.select(
                    e.entry_id,
                    e.kpi_code,
                    e.fiscal_year,
                    e.month,
                    e.area_code,
                    e.approved_value,
                    e.approved_by,
                    e.approved_at,
                )
                .where(e.approved_value.is_not(None))
                .order_by(e.entry_id)
            )
            .mappings()
            .all()
        )
    return pd.DataFrame(
        [
            {
                "kpi_code": r["kpi_code"],
                "fiscal_year": r["fiscal_year"],
                "month": r["month"],
                "area_code": r["area_code"],
                "value": r["approved_value"],
                "reported_on": r["approved_at"].date().isoformat(),
                "provenance": "entered",
                "source_ref": f"บันทึกผ่านเว็บ #{r['entry_id']} อนุมัติโดย {r['approved_by']}",
            }
            for r in got
        ],
        columns=["kpi_code", "fiscal_year", "month", "area_code", "value", "reported_on", "provenance", "source_ref"],
    )


def check_upload(
    eng: sa.Engine,
    actor: Actor,
    kpis: dict[str, dict],
    frame: pd.DataFrame,
    *,
    what_if,
    change_limit: float | None,
    confirmed: bool,
) -> list[tuple[int | None, str | None, str, str]]:
    """Every problem of a parsed ``kpi_actuals`` upload beyond the file's own rules (the parser
    has checked types, codes and required cells): scope, the area's locked round, figures already
    verified, range and whole counts (``check_value``), the ceiling (refused above the hard bound;
    above the ceiling, like a red light, the row needs a note and a file has no note column: such a
    row goes through the form) and the confirmation of large changes. ``what_if(kpi, fy, month, area, value)`` gives the what-if
    row. Returns (row, column, th, en); empty means the file can be submitted."""
    problems = []
    for r in frame.to_dict("records"):
        kpi = kpis.get(r["kpi_code"])
        fy, month, area, row_no = int(r["fiscal_year"]), int(r["month"]), str(r["area_code"]), int(r["_row"])
        if (why := scope_reason(actor, kpi, area)) is not None:
            err = _out_of_scope(why)
            problems.append((row_no, "kpi_code", err.th, err.en))
            continue
        if round_state(eng, fy, month, area)["status"] == "locked":
            err = _locked(fy, month, area)
            problems.append((row_no, "area_code", err.th, err.en))
            continue
        old = get(eng, r["kpi_code"], fy, month, area)
        if old is not None and old["status"] == "verified":
            problems.append((row_no, "value", "ตัวเลขนี้สอบทานแล้ว", "this figure is already verified"))
            continue
        if old is not None and old["entered_by"] != actor.username:  # never overwrite someone else's work
            problems.append(
                (
                    row_no,
                    "value",
                    f"{old['entered_by']} บันทึกตัวเลขนี้ไว้แล้ว ({old['status']}) ให้แก้ไขผ่านแบบฟอร์ม",
                    f"{old['entered_by']} has entered this figure ({old['status']}): change it through the form",
                )
            )
            continue
        try:
            value = check_value(kpi, r["value"])
        except EntryError as e:
            problems.append((row_no, "value", e.th, e.en))
            continue
        need = needs(value, what_if(r["kpi_code"], fy, month, area, value), change_limit, kpi)
        refused, _reason = ceiling_errors(kpi, need)
        if refused is not None:
            problems.append((row_no, "value", refused.th, refused.en))
        elif need["implausible"]:
            c = number_text(kpi, math.floor(need["ceiling"]["ceiling"]))
            problems.append(
                (
                    row_no,
                    "value",
                    f"ค่านี้เกินค่าที่เป็นไปได้ ({c} {kpi.get('unit') or ''}) ให้บันทึกผ่านแบบฟอร์มพร้อมเหตุผลในหมายเหตุ",
                    f"this value is above the plausible ceiling ({c} {kpi.get('unit') or ''}): "
                    "enter it through the form, with the reason in the note",
                )
            )
        elif need["red"]:
            problems.append(
                (
                    row_no,
                    "value",
                    "ค่านี้ทำให้สถานะเป็นสีแดง ให้บันทึกผ่านแบบฟอร์มพร้อมหมายเหตุ",
                    "this value turns the light red: enter it through the form, with a note",
                )
            )
        elif need["confirm"] and not confirmed:
            problems.append(
                (
                    row_no,
                    "value",
                    f"ต่างจากงวดก่อน {need['change']:+.0%} ต้องยืนยัน",
                    f"{need['change']:+.0%} against the previous period: confirm it",
                )
            )
    return problems


def submit_upload(
    eng: sa.Engine, actor: Actor, kpis: dict[str, dict], frame: pd.DataFrame, file_name: str, **checks
) -> int:
    """All or nothing: check every row (``check_upload``), then store every row as submitted in one
    transaction. Raises EntryError with the first problem when any row fails."""
    problems = check_upload(eng, actor, kpis, frame, **checks)
    if problems:
        row, _col, th, en = problems[0]
        raise EntryError(f"แถว {row}: {th}", f"row {row}: {en}")
    now = _now()

    def rows():
        for r in frame.to_dict("records"):
            key = dict(
                kpi_code=r["kpi_code"],
                fiscal_year=int(r["fiscal_year"]),
                month=int(r["month"]),
                area_code=str(r["area_code"]),
            )
            values = {
                "value": float(parse_number(r["value"])),
                "status": "submitted",
                "entered_by": actor.username,
                "updated_at": now,
                "reason": None,
                "note": f"อัปโหลด {file_name}",
            }
            yield key, values

    FLOW.submit_all(eng, actor, rows(), closed=("verified",))
    ops.record_audit(eng, "entry.upload", target=file_name, who=actor.username, after={"rows": len(frame)})
    return len(frame)
