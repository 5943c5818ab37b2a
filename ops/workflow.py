"""One draft -> submitted -> verified (or returned) -> approved -> reopened engine over a versioned
table of the ops store, shared by the web entry of KPI figures (ops.entry: table ``entries``) and
the rows of the other templates (ops.records: table ``records``), and ready for any later workflow.

What it holds once: optimistic versions (a form saves over the version it was filled from, else a
Conflict), a row that may no longer change (verified, approved), the verifier's accept-or-return
with its reason, the upload's all-or-nothing write of submitted rows, and a refusal recorded in the
audit log before it is raised. What stays with each workflow: who may do what (its scope), how a
value is checked, how a row is named, approval and reopening (a round of figures; a row).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

import ops


class EntryError(ValueError):
    """A refusal with a Thai and an English reason; ``field`` names the form field it concerns."""

    def __init__(self, th: str, en: str, field: str | None = None):
        super().__init__(en)
        self.th, self.en, self.field = th, en, field

    def text(self, lang: str) -> str:
        return self.th if lang == "th" else self.en


class Forbidden(EntryError):
    pass


class Conflict(EntryError):
    pass


class Locked(EntryError):
    pass


@dataclass(frozen=True)
class Actor:
    username: str
    role: str
    unit: str | None = None
    area_code: str | None = None


def now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Flow:
    """The engine over one table: ``key`` its id column, ``action`` the audit prefix ("entry",
    "record"), ``thing`` what a row is called ("ตัวเลขนี้", "this figure"), ``conflict`` the
    workflow's Conflict for the row stored meanwhile (None: a row made meanwhile)."""

    table: sa.Table
    key: str
    action: str
    thing: tuple[str, str]
    conflict: Callable[[dict | None], Conflict]

    def refuse(self, eng, actor: Actor, action: str, target: str, err: EntryError) -> EntryError:
        """Record the refusal (the audit ``action``, who, what, why) and return it, to be raised."""
        ops.record_audit(eng, action, target=target, who=actor.username, outcome="refused", after={"why": err.en})
        return err

    def by_id(self, eng, row_id: int) -> dict | None:
        with eng.connect() as con:
            row = con.execute(sa.select(self.table).where(self.table.c[self.key] == row_id)).mappings().first()
        return dict(row) if row else None

    def set(self, eng, row: dict, version: int, **values) -> None:
        """Change a stored row, if it is still the version the reader saw; else a Conflict."""
        c = self.table.c
        with eng.begin() as con:
            n = con.execute(
                self.table.update()
                .where(c[self.key] == row[self.key], c.version == version)
                .values(version=version + 1, updated_at=now(), **values)
            ).rowcount
        if n != 1:
            raise self.conflict(row)

    def write(
        self,
        eng,
        where: Iterable,
        version: int,
        values: dict,
        new: dict,
        still_open: Callable[[dict], EntryError | None],
    ) -> dict | None:
        """Save a draft or a submission over ``version`` (0: a new row, made with ``new`` too), in one
        transaction; the row as it was before (None when new). A row that changed meanwhile is a
        Conflict; one that ``still_open`` says may no longer change is refused with its reason."""
        c = self.table.c
        with eng.begin() as con:
            old = con.execute(sa.select(self.table).where(*where)).mappings().first()
            old = dict(old) if old is not None else None
            if old is not None and old["version"] != version or old is None and version != 0:
                raise self.conflict(old)
            if old is not None and (err := still_open(old)) is not None:
                raise err
            if old is None:
                try:
                    con.execute(self.table.insert().values(version=1, **new, **values))
                except sa.exc.IntegrityError:
                    raise self.conflict(None) from None
            else:
                n = con.execute(
                    self.table.update()
                    .where(c[self.key] == old[self.key], c.version == version)
                    .values(version=version + 1, **values)
                ).rowcount
                if n != 1:
                    raise self.conflict(old)
        return old

    def verify(
        self,
        eng,
        actor: Actor,
        row: dict | None,
        version: int,
        accept: bool,
        reason: str | None,
        target: str,
        may: bool,
        problems: Callable[[dict], list[EntryError]] | None = None,
    ) -> None:
        """A verifier (``may``: the workflow's scope says so) accepts a submitted row or returns it
        with a reason; ``problems`` are what must be right before a row can be accepted."""
        th, en = self.thing
        if row is None or not may:
            raise self.refuse(
                eng, actor, f"{self.action}.verify", target, Forbidden(f"ไม่มีสิทธิ์สอบทาน{th}", f"You may not verify {en}")
            )
        if row["status"] != "submitted":
            raise Locked(f"{th}ไม่อยู่ในสถานะรอสอบทาน", f"{en[0].upper()}{en[1:]} is not waiting for verification")
        if accept and problems is not None and (bad := problems(row)):
            raise EntryError(
                "รับรองไม่ได้: " + "; ".join(e.th for e in bad),
                "Cannot be verified: " + "; ".join(e.en for e in bad),
                bad[0].field,
            )
        reason = (reason or "").strip() or None
        if not accept and not reason:
            raise EntryError("กรุณาระบุเหตุผลที่ส่งกลับ", "Give the reason for returning it", "reason")
        status = "verified" if accept else "returned"
        self.set(eng, row, version, status=status, verified_by=actor.username if accept else None, reason=reason)
        ops.record_audit(
            eng,
            f"{self.action}.verify" if accept else f"{self.action}.return",
            target=target,
            who=actor.username,
            before={"status": row["status"]},
            after={"status": status, "reason": reason},
        )

    def approve(self, con, actor: Actor, where: Iterable, kept: dict[str, str]) -> int:
        """Approve every verified row ``where`` says, in the caller's transaction: each keeps what was
        approved (``kept``: approved column -> the column it copies), so a later correction does not
        reach the snapshot until it is approved too. Returns how many."""
        c = self.table.c
        at = now()
        return con.execute(
            self.table.update()
            .where(*where, c.status == "verified")
            .values(
                status="approved",
                approved_by=actor.username,
                approved_at=at,
                version=c.version + 1,
                updated_at=at,
                **{k: c[v] for k, v in kept.items()},
            )
        ).rowcount

    def submit_all(self, eng, actor: Actor, rows: Iterable[tuple[dict, dict]], closed: tuple[str, ...]) -> None:
        """An upload, all or nothing: each (key columns, values) stored as submitted in one
        transaction, over the uploader's own row unless it is ``closed`` (verified, approved), else
        as a new row; a row made by someone else meanwhile refuses the whole file."""
        c = self.table.c
        with eng.begin() as con:
            for key, values in rows:
                n = con.execute(
                    self.table.update()
                    .where(
                        *(c[k] == v for k, v in key.items()), c.status.not_in(closed), c.entered_by == actor.username
                    )
                    .values(version=c.version + 1, **values)
                ).rowcount
                if not n:
                    try:
                        with con.begin_nested():
                            con.execute(self.table.insert().values(version=1, **key, **values))
                    except sa.exc.IntegrityError:  # changed since the check: the whole file is refused
                        raise self.conflict(None) from None
