"""Who may enter what, by unit and by district: the one rule set (docs/RULES.md section 12) that
/entry, /entry/data, their uploads and ``etl load --as`` all ask. No Dash, no database here: the
caller hands over the catalogue (``Catalogue``: each KPI's, indicator's and project's owner unit,
whether its district figures are reported by the districts, its classification; each dataset's
keeper unit from data/seeds/dataset_keepers.csv).

An account's scope is its role, its unit (optional) and its district (optional):

1. An **admin** enters every row.
2. Otherwise only an **editor** enters, and an editor with neither a unit nor a district enters
   nothing.
3. The row's thing (the KPI, indicator or project it names) must be in the catalogue and readable
   by the editor (``ops.READS``: a secret KPI is never entered by an editor).
4. **Unit rule** (an editor with a unit): the row's owner unit is theirs. The owner is the thing's
   (a KPI's ``owner_unit``, an indicator's ``source_agency``, a project's ``owner_unit``); a
   dataset that names no thing (disasters, GPP by sector) is owned by its keeper unit.
5. **District rule** (an editor with a district): the row is one a district reports
   (``Scope.district``: KPI results and indicator values of a thing whose ``reported_by`` is
   ``district``; disasters always; targets, project plans and GPP by sector never) and its area is
   the district or a sub-district in it.
6. An editor with both a unit and a district obeys both rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import ops
from ops.workflow import Actor


@dataclass(frozen=True)
class Scope:
    owner: str | None  # the column naming the owned thing (KPI, indicator, project); None: the keeper
    area: str | None  # the column with the row's area (None: the dataset has no area)
    district: str  # whether a district's editor enters it: "thing" (its reported_by), "always", "never"
    value: str | None = None  # the figure checked for range and change (ops/records.py)


SCOPES: dict[str, Scope] = {
    "kpi_actuals": Scope(owner="kpi_code", area="area_code", district="thing", value="value"),
    "kpi_targets": Scope(owner="kpi_code", area="area_code", district="never", value="target"),
    "indicator_values": Scope(owner="indicator_code", area="area_code", district="thing", value="value"),
    "project_plans": Scope(owner="project_code", area=None, district="never"),
    "disasters": Scope(owner=None, area="district_code", district="always"),
    "gpp_sector": Scope(owner=None, area="province_code", district="never", value="value_million_baht"),
}


@dataclass(frozen=True)
class Thing:
    owner_unit: str | None
    reported_by: str | None = None  # "district" or blank/"province"
    classification: str | None = "open"


@dataclass(frozen=True)
class Catalogue:
    """What the rules need of the catalogue: (owner column, code) -> Thing, dataset -> keeper unit."""

    things: Mapping[tuple[str, str], Thing] = field(default_factory=dict)
    keepers: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_rows(cls, rows) -> Catalogue:
        """From rows of (owner column, code, owner unit, reported_by, classification), as the query
        entry/scope gives them; a row whose owner column is ``dataset`` names a dataset's keeper."""
        things, keepers = {}, {}
        for col, code, unit, rep, cls_ in rows:
            if col == "dataset":
                keepers[str(code)] = _text(unit)
            else:
                things[(str(col), str(code))] = Thing(_text(unit), _text(rep), _text(cls_) or "open")
        return cls(things, keepers)

    def thing(self, dataset: str, rec: Mapping) -> Thing | None:
        """The thing a row names, or for a dataset naming none its keeper as the owner."""
        sc = SCOPES[dataset]
        if sc.owner is None:
            return Thing(self.keepers.get(dataset), None, "open")
        return self.things.get((sc.owner, str(rec.get(sc.owner))))


def _text(v) -> str | None:
    if v is None or (isinstance(v, float) and v != v):
        return None
    s = str(v).strip()
    return s or None


def in_district(area, district: str) -> bool:
    """The area is the district or a sub-district inside it (codes nest: 8604 ⊃ 860401)."""
    a = _text(area) or ""
    return a == district or (len(a) > len(district) and a.startswith(district))


def reason(actor: Actor, dataset: str, thing: Thing | None, area) -> tuple[str, str] | None:
    """Why ``actor`` may not enter a row of ``dataset`` naming ``thing`` in ``area`` (Thai,
    English), or None when they may. The numbered rules are the module's docstring."""
    if actor.role == "admin":
        return None
    if actor.role != "editor":
        return ("บทบาทนี้ไม่ได้บันทึกข้อมูล", "this role does not enter figures")
    if not (actor.unit or actor.area_code):
        return ("บัญชีนี้ยังไม่ได้กำหนดหน่วยงานหรืออำเภอ", "this account has neither a unit nor a district")
    if thing is None or not _readable(actor, thing):
        return ("ไม่มีรายการนี้ในบัญชีรายการที่บันทึกได้", "no such entry in the catalogue you may enter")
    sc = SCOPES[dataset]
    if actor.unit and thing.owner_unit != actor.unit:
        return (
            f"เป็นข้อมูลของ{thing.owner_unit or 'หน่วยงานที่ยังไม่ได้กำหนด'} ไม่ใช่ของ{actor.unit}",
            f"it belongs to {thing.owner_unit or 'no unit yet'}, not to {actor.unit}",
        )
    if actor.area_code:
        by_district = sc.district == "always" or (sc.district == "thing" and thing.reported_by == "district")
        if not by_district:
            return (
                "ข้อมูลนี้บันทึกโดยหน่วยงานเจ้าของที่จังหวัด ไม่ใช่โดยอำเภอ",
                "these figures are entered by the owner unit at the province, not by a district",
            )
        if not in_district(area, actor.area_code):
            return (f"พื้นที่นี้อยู่นอกอำเภอ {actor.area_code}", f"this area is outside district {actor.area_code}")
    return None


def _readable(actor: Actor, thing: Thing) -> bool:
    allowed = ops.READS.get(actor.role, frozenset({"open"}))
    return allowed is None or (thing.classification or "open") in allowed


def may_enter(actor: Actor, dataset: str, thing: Thing | None, area) -> bool:
    return reason(actor, dataset, thing, area) is None


def may_enter_row(actor: Actor, dataset: str, rec: Mapping, catalogue: Catalogue) -> bool:
    sc = SCOPES[dataset]
    return may_enter(actor, dataset, catalogue.thing(dataset, rec), rec.get(sc.area) if sc.area else None)


def row_reason(actor: Actor, dataset: str, rec: Mapping, catalogue: Catalogue) -> tuple[str, str] | None:
    sc = SCOPES[dataset]
    return reason(actor, dataset, catalogue.thing(dataset, rec), rec.get(sc.area) if sc.area else None)


def may_verify(actor: Actor, owner_unit: str | None) -> bool:
    """A verifier verifies their unit's rows (every unit's when they have none); an admin all."""
    return actor.role == "admin" or (actor.role == "verifier" and (not actor.unit or owner_unit == actor.unit))


def datasets_for(actor: Actor, catalogue: Catalogue, datasets) -> list[str]:
    """Of ``datasets``, those in which ``actor`` may enter at least one row (the forms offer these)."""

    def some(dataset: str) -> bool:
        sc = SCOPES[dataset]
        if sc.owner is None:
            return may_enter(actor, dataset, catalogue.thing(dataset, {}), actor.area_code)
        return any(
            may_enter(actor, dataset, t, actor.area_code)
            for (col, _c), t in catalogue.things.items()
            if col == sc.owner
        )

    return [d for d in datasets if some(d)]


def row_refusal(why: tuple[str, str]) -> tuple[str, str]:
    """A row's refusal in Thai and English, with the rule's reason (``reason``)."""
    return f"ไม่มีสิทธิ์บันทึกแถวนี้: {why[0]}", f"you may not enter this row: {why[1]}"


def frame_problems(
    actor: Actor, dataset: str, rows, catalogue: Catalogue
) -> list[tuple[int | None, str | None, str, str]]:
    """Every row of a parsed file (dicts with the file's row number under ``_row``) that
    ``actor`` may not enter: (row, column, Thai, English). A dataset outside ``SCOPES`` (the
    catalogues, the strategy) is loaded by an admin only."""
    if dataset not in SCOPES:
        if actor.role == "admin":
            return []
        return [(None, None, "ชุดข้อมูลนี้นำเข้าได้โดยผู้ดูแลระบบเท่านั้น", "only an admin loads this dataset")]
    sc = SCOPES[dataset]
    out = []
    for rec in rows:
        if (why := row_reason(actor, dataset, rec, catalogue)) is not None:
            out.append((rec.get("_row"), sc.owner or sc.area, *row_refusal(why)))
    return out
