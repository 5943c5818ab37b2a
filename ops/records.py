"""Web entry of the other uniform templates (targets, indicator values, project plans, GPP by
sector, disasters), with the same workflow as KPI results (ops/entry.py):

    draft ──submit──▶ submitted ──verify──▶ verified ──approve──▶ approved (locked)
      ▲                  │ return (reason)                            │ reopen (reason, approver)
      └──── returned ◀───┘◀───────────────────────────────────────────┘

* A record is one row of the dataset's template, checked by the very rules of a file
  (``inputs.parsing.parse_record``: types, code lists, the year range, an area of this province,
  ranges, required cells, cross-cell rules, a figure's unit with the ``kpi_unit`` /
  ``indicator_unit`` lists), plus a percentage's 100 cap for the codes the page names and the
  confirmation of a large change against the previous period.
* Who: an **editor** enters the rows ops/scope.py allows (docs/RULES.md section 12: their unit's
  rows; with a district, that district's rows of what the districts report); a **verifier**
  verifies their unit's rows; an **executive** or **admin** approves a dataset's verified rows, which locks them,
  and reopens one with a reason for a correction. Every function checks this itself.
* Nothing is silently overwritten: a save names the version it was based on (compare-and-set).
* The snapshot reads ``approved_data`` only (``approved_files``), as one more file per dataset
  that outranks the office files and the sample (``etl.build.supersede``).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

import ops
from inputs import datasets as reg
from inputs.parsing import measure_problem, parse_record
from ops import scope
from ops.entry import may_approve, needs
from ops.scope import Catalogue
from ops.workflow import Actor, Conflict, EntryError, Flow, Forbidden, Locked

__all__ = ["Actor", "Catalogue", "Conflict", "EntryError", "Forbidden", "Locked", "SCOPES", "may_approve"]


SCOPES: dict[str, scope.Scope] = {k: v for k, v in scope.SCOPES.items() if k != "kpi_actuals"}  # that one: ops/entry.py
FORM_DATASETS = tuple(SCOPES)  # every uniform template except kpi_actuals (ops/entry.py)


def _now() -> datetime:
    return datetime.now(UTC)


def may_enter(actor: Actor, dataset: str, rec: dict, owners: Catalogue) -> bool:
    """The scope rules of ops/scope.py (docs/RULES.md section 12) for one row."""
    return scope.may_enter_row(actor, dataset, rec, owners)


def may_verify(actor: Actor, dataset: str, rec: dict, owners: Catalogue) -> bool:
    thing = owners.thing(dataset, rec)
    return scope.may_verify(actor, thing.owner_unit if thing else None)


def _out_of_scope(why: tuple[str, str]) -> Forbidden:
    th, en = scope.row_refusal(why)
    return Forbidden(th, en[:1].upper() + en[1:])  # a sentence of its own on the form


# ---------------------------------------------------------------- one record: parse and check
def _plain(v):
    """A parsed cell as JSON (and as a cell the parser reads back the same)."""
    if v is None or v is pd.NA or (isinstance(v, float) and v != v) or (v is pd.NaT):
        return None
    if isinstance(v, (pd.Timestamp, datetime)):
        return v.date().isoformat()
    if isinstance(v, date):
        return v.isoformat()
    if hasattr(v, "item"):  # numpy scalars
        v = v.item()
    return v


def frame_records(frame: pd.DataFrame, dataset: str) -> list[dict]:
    """Parsed rows as plain dicts of the dataset's columns (provenance columns left out: web
    rows are always ``entered``), with the file row number under ``_row``."""
    keys = [c.key for c in reg.DATASETS[dataset].columns if c.key not in ("provenance", "source_ref")]
    out = []
    for r in frame.to_dict("records"):
        rec = {k: _plain(r.get(k)) for k in keys}
        rec["_row"] = _plain(r.get("_row"))
        out.append(rec)
    return out


def rkey(dataset: str, rec: dict) -> str:
    return json.dumps({k: rec.get(k) for k in reg.DATASETS[dataset].grain}, ensure_ascii=False, sort_keys=True)


def parse(dataset: str, values: dict, code_lists: dict | None) -> tuple[dict | None, dict[str, tuple[str, str]]]:
    """A form's texts -> (record, errors by column key as (th, en)). Same rules as a file."""
    if dataset not in SCOPES:
        raise EntryError("ชุดข้อมูลนี้ไม่รับการบันทึกผ่านแบบฟอร์ม", "This dataset is not entered through a form")
    ds = reg.DATASETS[dataset]
    res = parse_record(dataset, {k: v for k, v in values.items() if k not in ("provenance", "source_ref")}, code_lists)
    by_label = {c.th: c.key for c in ds.columns}
    errors: dict[str, tuple[str, str]] = {}
    for i in res.errors:
        errors.setdefault(by_label.get(i.column, ds.grain[0]), (i.reason_th, i.reason_en))
    if errors:
        return None, errors
    return frame_records(res.frame, dataset)[0], {}


def parse_key(dataset: str, values: dict, code_lists: dict | None) -> dict | None:
    """The grain of a form being filled in (the other fields may still be wrong), or None while
    a key field is blank or wrong: for looking up whether the row exists."""
    ds = reg.DATASETS[dataset]
    res = parse_record(dataset, {k: values.get(k) for k in ds.grain}, code_lists)
    by_label = {c.th: c.key for c in ds.columns}
    if any(by_label.get(i.column) in ds.grain for i in res.errors) or res.frame.empty:
        return None
    rec = frame_records(res.frame, dataset)[0]
    return {k: rec[k] for k in ds.grain}


def check(
    dataset: str,
    rec: dict,
    *,
    percent: set[str] = frozenset(),
    prev: float | None = None,
    change_limit: float | None = None,
    confirmed: bool = False,
) -> None:
    """The entry rules beyond the file's own: a percentage (its owner code in ``percent``) cannot
    exceed 100, and a change against the previous period (``prev``) beyond ``change_limit`` needs
    ``confirmed``. Raises EntryError naming the column."""
    sc = SCOPES[dataset]
    if not sc.value or rec.get(sc.value) is None:
        return
    value = float(rec[sc.value])
    if sc.owner and str(rec.get(sc.owner)) in percent and (bad := measure_problem("%", value)) is not None:
        raise EntryError(bad.th, bad.en, sc.value)
    need = needs(value, {"prev_value": prev}, change_limit)
    if need["confirm"] and not confirmed:
        raise EntryError(
            f"ค่านี้ต่างจากงวดก่อน ({need['prev']:g}) {need['change']:+.0%} กรุณายืนยันว่าถูกต้อง",
            f"This value differs from the previous period ({need['prev']:g}) by {need['change']:+.0%}: "
            "confirm it is right",
            "confirm",
        )


# ---------------------------------------------------------------- the store
def _row(r) -> dict | None:
    if r is None:
        return None
    d = dict(r)
    d["data"] = json.loads(d["data"])
    d["approved_data"] = json.loads(d["approved_data"]) if d["approved_data"] else None
    return d


def get(eng: sa.Engine, dataset: str, rec: dict) -> dict | None:
    c = ops.record_rows.c
    with eng.connect() as con:
        return _row(
            con.execute(sa.select(ops.record_rows).where(c.dataset == dataset, c.rkey == rkey(dataset, rec)))
            .mappings()
            .first()
        )


def by_id(eng: sa.Engine, record_id: int) -> dict | None:
    with eng.connect() as con:
        return _row(
            con.execute(sa.select(ops.record_rows).where(ops.record_rows.c.record_id == record_id)).mappings().first()
        )


def rows(eng: sa.Engine, dataset: str | None = None, status: tuple[str, ...] | None = None) -> list[dict]:
    c = ops.record_rows.c
    q = sa.select(ops.record_rows).order_by(c.dataset, c.record_id)
    if dataset:
        q = q.where(c.dataset == dataset)
    if status:
        q = q.where(c.status.in_(status))
    with eng.connect() as con:
        return [_row(r) for r in con.execute(q).mappings().all()]


def _target(dataset: str, rec: dict) -> str:
    return f"{dataset} " + " ".join("" if rec.get(k) is None else str(rec.get(k)) for k in reg.DATASETS[dataset].grain)


def _conflict(old) -> Conflict:
    if old is None:
        return Conflict("มีผู้อื่นบันทึกแถวนี้ก่อนแล้ว โหลดใหม่เพื่อดูค่าล่าสุด", "Someone else saved this row first; reload to see it")
    return Conflict(
        f"{old['entered_by']} บันทึกแถวนี้ไว้ก่อนแล้ว ({old['status']}, v{old['version']}) "
        "ค่าของคุณยังไม่ถูกบันทึก โหลดค่าล่าสุดแล้วตัดสินใจอีกครั้ง",
        f"{old['entered_by']} saved this row in the meantime ({old['status']}, v{old['version']}); "
        "yours was not saved: load the latest and decide again",
    )


def _editable(old: dict | None) -> EntryError | None:
    if old is None:
        return None
    if old["status"] == "verified":
        return Locked(
            "แถวนี้สอบทานแล้ว ให้ผู้สอบทานส่งกลับก่อนแก้ไข",
            "This row is verified; the verifier must return it before it can change",
        )
    if old["status"] == "approved":
        return Locked(
            "แถวนี้อนุมัติและปิดแล้ว แก้ไขได้เมื่อผู้อนุมัติเปิดใหม่พร้อมเหตุผล",
            "This row is approved and locked; an approver must reopen it with a reason first",
        )
    return None


FLOW = Flow(ops.record_rows, "record_id", "record", ("แถวนี้", "this row"), _conflict)


def save(
    eng: sa.Engine,
    actor: Actor,
    dataset: str,
    rec: dict,
    note: str | None,
    version: int,
    submit: bool = False,
    *,
    owners: Catalogue,
    percent: set[str] = frozenset(),
    prev: float | None = None,
    change_limit: float | None = None,
    confirmed: bool = False,
) -> dict:
    """Store a parsed record (``parse``) as a draft, or submit it, after ``check`` (``percent``,
    ``prev``, ``change_limit``, ``confirmed`` are its arguments). ``version`` is the version the
    form was filled from (0 for a new row). Returns the stored row."""
    target = _target(dataset, rec)
    if (why := scope.row_reason(actor, dataset, rec, owners)) is not None:
        raise FLOW.refuse(eng, actor, "record.save", target, _out_of_scope(why))
    check(dataset, rec, percent=percent, prev=prev, change_limit=change_limit, confirmed=confirmed)
    key, data = rkey(dataset, rec), json.dumps({k: v for k, v in rec.items() if k != "_row"}, ensure_ascii=False)
    status = "submitted" if submit else "draft"
    note = (note or "").strip() or None
    c = ops.record_rows.c
    values = {
        "data": data,
        "note": note,
        "status": status,
        "entered_by": actor.username,
        "updated_at": _now(),
        "reason": None,
    }
    old = _row(
        FLOW.write(
            eng, (c.dataset == dataset, c.rkey == key), version, values, {"dataset": dataset, "rkey": key}, _editable
        )
    )
    ops.record_audit(
        eng,
        "record.submit" if submit else "record.save",
        target=target,
        who=actor.username,
        before=None if old is None else {"data": old["data"], "status": old["status"]},
        after={"data": json.loads(data), "status": status, "note": note},
    )
    return get(eng, dataset, rec)


def verify(
    eng: sa.Engine,
    actor: Actor,
    record_id: int,
    version: int,
    accept: bool,
    reason: str | None = None,
    *,
    owners: Catalogue,
) -> dict:
    """A verifier accepts a submitted row or returns it with a reason."""
    row = by_id(eng, record_id)
    target = _target(row["dataset"], row["data"]) if row else f"record {record_id}"
    may = row is not None and may_verify(actor, row["dataset"], row["data"], owners)
    FLOW.verify(eng, actor, row, version, accept, reason, target, may)
    return by_id(eng, record_id)


def approve(eng: sa.Engine, actor: Actor, dataset: str) -> int:
    """Approve every verified row of a dataset; approved rows are locked. Returns how many."""
    if not may_approve(actor):
        raise FLOW.refuse(
            eng,
            actor,
            "record.approve",
            dataset,
            Forbidden("เฉพาะผู้บริหารหรือผู้ดูแลระบบอนุมัติได้", "Only an executive or admin approves"),
        )
    c = ops.record_rows.c
    with eng.begin() as con:
        n = FLOW.approve(con, actor, (c.dataset == dataset,), {"approved_data": "data"})
        if n:  # in this transaction: a crash before the new snapshot leaves the want (ops.build_requests)
            ops.want_build(con, f"record.approve {dataset}")
    ops.record_audit(eng, "record.approve", target=dataset, who=actor.username, after={"approved": n})
    return n


def reopen(eng: sa.Engine, actor: Actor, record_id: int, version: int, reason: str) -> dict:
    """A correction: an approver opens an approved row again, with the reason; the snapshot keeps
    the approved figures until the corrected row is approved."""
    row = by_id(eng, record_id)
    target = _target(row["dataset"], row["data"]) if row else f"record {record_id}"
    if row is None or not may_approve(actor):
        raise FLOW.refuse(
            eng,
            actor,
            "record.reopen",
            target,
            Forbidden("เฉพาะผู้บริหารหรือผู้ดูแลระบบเปิดแถวที่อนุมัติแล้วได้", "Only an executive or admin reopens an approved row"),
        )
    if row["status"] != "approved":
        raise Locked("แถวนี้ยังไม่ได้อนุมัติ", "This row is not approved")
    reason = (reason or "").strip()
    if not reason:
        raise EntryError("กรุณาระบุเหตุผลที่เปิดใหม่", "Give the reason for reopening", "reason")
    FLOW.set(eng, row, version, status="returned", reason=reason)
    ops.record_audit(
        eng,
        "record.reopen",
        target=target,
        who=actor.username,
        before={"status": "approved"},
        after={"status": "returned", "reason": reason},
    )
    return by_id(eng, record_id)


# ---------------------------------------------------------------- upload of a filled template
def check_upload(
    eng: sa.Engine,
    actor: Actor,
    dataset: str,
    frame: pd.DataFrame,
    *,
    owners: Catalogue,
    percent: set[str] = frozenset(),
) -> list[tuple[int | None, str | None, str, str]]:
    """Every problem of a parsed upload beyond the file's own rules: scope, rows verified or
    approved already, percentages. Returns (row, column, th, en); empty means it can be submitted."""
    problems = []
    sc = SCOPES[dataset]
    for rec in frame_records(frame, dataset):
        row_no = rec["_row"]
        if (why := scope.row_reason(actor, dataset, rec, owners)) is not None:
            err = _out_of_scope(why)
            problems.append((row_no, sc.owner or sc.area, err.th, err.en))
            continue
        old = get(eng, dataset, rec)
        if (err := _editable(old)) is not None:
            problems.append((row_no, sc.value or reg.DATASETS[dataset].grain[0], err.th, err.en))
            continue
        if old is not None and old["entered_by"] != actor.username:  # never overwrite someone else's work
            problems.append(
                (
                    row_no,
                    sc.value or reg.DATASETS[dataset].grain[0],
                    f"{old['entered_by']} บันทึกแถวนี้ไว้แล้ว ({old['status']}) ให้แก้ไขผ่านแบบฟอร์ม",
                    f"{old['entered_by']} has entered this row ({old['status']}): change it through the form",
                )
            )
            continue
        try:
            check(dataset, rec, percent=percent)
        except EntryError as e:
            problems.append((row_no, e.field, e.th, e.en))
    return problems


def submit_upload(
    eng: sa.Engine,
    actor: Actor,
    dataset: str,
    frame: pd.DataFrame,
    file_name: str,
    *,
    owners: Catalogue,
    percent: set[str] = frozenset(),
) -> int:
    """All or nothing: check every row, then store every row as submitted in one transaction."""
    problems = check_upload(eng, actor, dataset, frame, owners=owners, percent=percent)
    if problems:
        row, _col, th, en = problems[0]
        raise EntryError(f"แถว {row}: {th}", f"row {row}: {en}")
    now = _now()
    recs = frame_records(frame, dataset)

    def rows():
        for rec in recs:
            rec.pop("_row")
            values = {
                "data": json.dumps(rec, ensure_ascii=False),
                "status": "submitted",
                "entered_by": actor.username,
                "updated_at": now,
                "reason": None,
                "note": f"อัปโหลด {file_name}",
            }
            yield {"dataset": dataset, "rkey": rkey(dataset, rec)}, values

    FLOW.submit_all(eng, actor, rows(), closed=("verified", "approved"))
    ops.record_audit(
        eng, "record.upload", target=f"{dataset} {file_name}", who=actor.username, after={"rows": len(recs)}
    )
    return len(recs)


# ---------------------------------------------------------------- to the snapshot
def approved_files(eng: sa.Engine, folder: Path) -> list[tuple[str, Path]]:
    """Approved rows as one CSV per dataset in ``folder`` (provenance entered), for etl.build."""
    c = ops.record_rows.c
    with eng.connect() as con:
        got = (
            con.execute(
                sa.select(c.record_id, c.dataset, c.approved_data, c.approved_by)
                .where(c.approved_data.is_not(None))
                .order_by(c.record_id)
            )
            .mappings()
            .all()
        )
    out = []
    for dataset in sorted({r["dataset"] for r in got}):
        ds = reg.DATASETS[dataset]
        rows = [
            {
                **json.loads(r["approved_data"]),
                "provenance": "entered",
                "source_ref": f"บันทึกผ่านเว็บ #{r['record_id']} อนุมัติโดย {r['approved_by']}",
            }
            for r in got
            if r["dataset"] == dataset
        ]
        path = Path(folder) / f"approved_{dataset}.csv"
        pd.DataFrame(rows, columns=ds.keys).to_csv(path, index=False)
        out.append((dataset, path))
    return out
