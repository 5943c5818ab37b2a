"""An independent re-computation of docs/RULES.md, in plain Python over the fact tables.

Written from the text of docs/RULES.md, not from the marts' SQL: exact fractions for every
figure, rounding half up to 4 decimals, the rules' words as the names. tests/test_rules_reference.py
compares what this computes with the marts (fct_kpi_status, fct_kpi_round, fct_kpi_projection,
fct_kpi_judged, fct_agreement_score, fct_node_score) at several as-of dates.

It reads only plain tables of facts and catalogues (fct_kpi_actual, fct_kpi_target,
dim_kpi_criteria, dim_kpi, dim_district, dim_strategy_node, bridge_kpi_node, dim_rule,
meta_snapshot) with SELECT *; nothing of the marts.
"""

from __future__ import annotations

import calendar
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import duckdb

DUE_EVERY = {"monthly": set(range(1, 13)), "quarterly": {3, 6, 9, 12}, "semiannual": {6, 12}}
PER_YEAR = {"monthly": 12, "quarterly": 4, "semiannual": 2}


def exact(x) -> Fraction | None:
    """A stored number as the decimal it was written as (0.1 is 1/10, not its binary double)."""
    if x is None:
        return None
    return Fraction(Decimal(repr(float(x))))


def half_up(x: Fraction | None, places: int = 4) -> Decimal | None:
    if x is None:
        return None
    q = Decimal(1).scaleb(-places)
    return (
        (Decimal(x.numerator) / Decimal(x.denominator)).quantize(q, rounding=ROUND_HALF_UP) if x.denominator else None
    )


def month_of(i: int) -> int:
    """Month index (October = 1) to calendar month."""
    return i + 9 if i <= 3 else i - 3


def period_end(fy: int, i: int) -> date:
    m = month_of(i)
    year = fy - 543 - (1 if m >= 10 else 0)
    return date(year, m, calendar.monthrange(year, m)[1])


def reporting_months(frequency: str) -> set[int]:
    return DUE_EVERY.get(frequency, {12})


def five_level(x: Fraction | None, t: list[Fraction | None]) -> Fraction | None:
    """Five levels linear between the criteria; at or beyond level 1 -> 1, at or beyond 5 -> 5;
    decreasing criteria for lower-is-better (negate both); on a criterion -> its level (the higher
    level when two are equal)."""
    if x is None or any(c is None for c in t):
        return None
    if t[4] < t[0]:
        x, t = -x, [-c for c in t]
    if x >= t[4]:
        return Fraction(5)
    for level in (4, 3, 2):
        lo, hi = t[level - 1], t[level]
        if x >= lo:
            return level + (x - lo) / (hi - lo)
    if x > t[0]:
        return 1 + (x - t[0]) / (t[1] - t[0])
    return Fraction(1)


@dataclass
class Point:
    kpi: str
    fy: int
    i: int
    area: str
    state: str  # judged / late / awaiting / not_due
    status: str
    value_to_date: Fraction | None
    expected_share: Fraction
    score: Decimal | None
    early: bool
    reporters: int
    reported: int
    projected: Fraction | None = None
    low: Fraction | None = None
    high: Fraction | None = None
    miss: bool = False


@dataclass
class Reference:
    as_of: date
    province: str
    points: dict = field(default_factory=dict)  # (kpi, fy, i, area) -> Point
    rounds: dict = field(default_factory=dict)  # fy -> round index or None
    agreement: dict = field(default_factory=dict)  # (fy, i) -> Decimal | None
    nodes: dict = field(default_factory=dict)  # (node, fy, i, area) -> Decimal | None


def compute(con: duckdb.DuckDBPyConnection) -> Reference:
    def rows(table: str) -> list[dict]:
        cur = con.execute(f"SELECT * FROM {table}")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

    as_of, province = con.execute("SELECT CAST(as_of AS DATE), province_code FROM meta_snapshot").fetchone()
    rule = {r["rule"]: exact(r["value"]) for r in rows("dim_rule")}
    grace = timedelta(days=int(rule["report_grace_days"]))
    band = rule["projection_band_no_history"]
    kpis = {r["kpi_code"]: r for r in rows("dim_kpi")}
    district_of = {r["district_code"]: r["province_code"] for r in rows("dim_district")}
    crit = {(r["kpi_code"], r["fiscal_year"]): r for r in rows("dim_kpi_criteria")}
    year_target: dict = {}
    plan: dict = {}
    for r in rows("fct_kpi_target"):
        if r["month"] is None:
            year_target[(r["kpi_code"], r["fiscal_year"], r["area_code"])] = exact(r["target"])
        else:
            plan[(r["kpi_code"], r["fiscal_year"], r["month"], r["area_code"])] = exact(r["target"])
    reports: dict = {}
    for r in rows("fct_kpi_actual"):
        reports[(r["kpi_code"], r["fiscal_year"], r["month"], r["area_code"])] = exact(r["value"])

    ref = Reference(as_of, province)
    month_values: dict = {}  # (kpi, fy, area) -> the area's month values, October first
    current_fy = as_of.year + 543 + (1 if as_of.month >= 10 else 0)

    # first fiscal year of each KPI: its first target, criteria or report
    first: dict = {}
    for k, fy, *_ in [*year_target, *plan, *reports, *[(k, fy) for k, fy in crit]]:
        first[k] = min(first.get(k, fy), fy)

    # areas: the province of each district, and every district with a target or a report
    districts_of: dict = defaultdict(set)  # (kpi, fy, province) -> districts
    areas: dict = defaultdict(set)  # (kpi, fy) -> areas
    for key in [*year_target, *plan, *reports]:
        k, fy, area = key[0], key[1], key[-1]
        areas[(k, fy)].add(area)
        if area in district_of:
            districts_of[(k, fy, district_of[area])].add(area)
            areas[(k, fy)].add(district_of[area])

    def month_value(k, fy, m, area):
        """(value, reporters, reported, whole) of an area's month."""
        if (k, fy, m, area) in reports:
            n = len(districts_of.get((k, fy, area), ())) or 1
            return reports[(k, fy, m, area)], n, n, True
        ds = districts_of.get((k, fy, area))
        if not ds:
            return None, 1, 0, False
        got = [reports[(k, fy, m, d)] for d in ds if (k, fy, m, d) in reports]
        if not got:
            return None, len(ds), 0, False
        kp = kpis[k]
        together = (
            sum(got)
            if kp["aggregation"] == "sum" or (kp["aggregation"] == "last" and not kp["is_percent"])
            else Fraction(sum(got), len(got))
        )
        return together, len(ds), len(got), len(got) == len(ds)

    for k, kp in kpis.items():
        if k not in first:
            continue
        freq, agg = kp["frequency"], kp["aggregation"]
        rep = reporting_months(freq)
        for fy in range(first[k], current_fy + 1):
            c = crit.get((k, fy))
            for area in sorted(areas.get((k, fy), ())):
                values: list = []
                month_values[(k, fy, area)] = values
                for i in range(1, 13):
                    if not period_end(fy, i) < as_of:  # not ended
                        break
                    m = month_of(i)
                    v, reporters, reported_i, whole_i = month_value(k, fy, m, area)
                    values.append(v)
                    got = [x for x in values if x is not None]
                    if agg == "sum":
                        to_date = sum(got) if got else None
                    elif agg == "mean":
                        to_date = Fraction(sum(got), len(got)) if got else None
                    else:
                        to_date = got[-1] if got else None
                    past = [j for j in range(1, i + 1) if j in rep]
                    j = past[-1] if past else None
                    target = year_target.get((k, fy, area))
                    if agg != "sum":
                        share = Fraction(1)
                    elif (k, fy, m, area) in plan and target:
                        share = plan[(k, fy, m, area)] / target
                    elif freq != "monthly":
                        share = Fraction(len(past), PER_YEAR.get(freq, 1))
                    else:
                        share = Fraction(i, 12)
                    if j is not None:
                        _, reporters, reported, whole = month_value(k, fy, month_of(j), area)
                        due = period_end(fy, j) + grace < as_of
                    else:
                        reporters, reported, whole, due = reporters, 0, False, False
                    if j is None or (agg == "sum" and share == 0):
                        state = "not_due"
                    elif whole:
                        state = "judged"
                    elif due:
                        state = "late"
                    else:
                        state = "awaiting"
                    score = None
                    status = state
                    if state == "judged":
                        if c is None or c["t1"] is None:
                            status = "no_criteria"
                        else:
                            scale = Fraction(1)
                            ptarget = year_target.get((k, fy, district_of.get(area, area)))
                            if kp["direction"] != "range" and area in district_of and target is not None and ptarget:
                                scale = target / ptarget
                            t = [exact(c[f"t{n}"]) * scale for n in range(1, 6)]
                            x = to_date / share if agg == "sum" and share > 0 else to_date
                            if kp["direction"] == "range" and x is not None:
                                lo, hi = exact(kp["range_low"]), exact(kp["range_high"])
                                x = max(lo - x, x - hi, Fraction(0))
                            score = half_up(five_level(x, t))
                            status = (
                                None
                                if score is None
                                else "red"
                                if score < Decimal(repr(c["red_below"]))
                                else "yellow"
                                if score < Decimal(repr(c["green_from"]))
                                else "green"
                            )
                    ref.points[(k, fy, i, area)] = Point(
                        k, fy, i, area, state, status, to_date, share, score,
                        state == "judged" and not due, reporters, reported if j is not None else 0,
                    )  # fmt: skip

    # the province's round (section 3)
    by_month: dict = defaultdict(lambda: [0, 0])
    ended: dict = defaultdict(set)
    for k, fy, i, area in ref.points:
        ended[fy].add(i)
        is_reporter = area in district_of or not districts_of.get((k, fy, area))
        if is_reporter and i in reporting_months(kpis[k]["frequency"]):
            by_month[(fy, i)][0] += 1
            by_month[(fy, i)][1] += reports.get((k, fy, month_of(i), area)) is not None
    for fy, months in ended.items():
        ok = [i for i in months if period_end(fy, i) + grace < as_of or by_month[(fy, i)][1] >= by_month[(fy, i)][0]]
        ref.rounds[fy] = max(ok) if ok else None

    # projection (section 5): shares earlier complete years reached by each month
    def share_reached(k, fy, i, area):
        end = ref.points.get((k, fy, 12, area))
        here = ref.points.get((k, fy, i, area))
        if end is None or here is None or end.value_to_date is None or here.value_to_date is None:
            return None
        return here.value_to_date / end.value_to_date if end.value_to_date > 0 else None

    for (k, fy, i, area), p in ref.points.items():
        if p.state != "judged" or p.value_to_date is None:
            continue
        kp = kpis[k]
        if i == 12:
            p.projected = p.low = p.high = p.value_to_date
        elif kp["aggregation"] == "sum":
            hist = [s for y in range(fy - 60, fy) if (s := share_reached(k, y, i, area)) is not None]
            mean = sum(hist) / len(hist) if hist else None
            s = mean if hist and mean > 0 else (p.expected_share if p.expected_share > 0 else None)
            if s is None:
                continue
            p.projected = p.value_to_date / s
            if len(hist) >= 2 and mean > 0:
                rel = Fraction(statistics.stdev([float(h) for h in hist])) / mean
            else:
                rel = band * (1 - s)
            half = abs(p.projected) * rel
            p.low, p.high = p.projected - half, p.projected + half
        else:
            got = [x for x in month_values[(k, fy, area)][:i] if x is not None]
            sd = Fraction(statistics.stdev([float(g) for g in got])) if len(got) >= 2 else Fraction(0)
            p.projected, p.low, p.high = p.value_to_date, p.value_to_date - sd, p.value_to_date + sd
        c = crit.get((k, fy))
        if i < 12 and c is not None and c["t1"] is not None:
            scale = Fraction(1)
            target = year_target.get((k, fy, area))
            ptarget = year_target.get((k, fy, district_of.get(area, area)))
            if kp["direction"] != "range" and area in district_of and target is not None and ptarget:
                scale = target / ptarget
            x = p.projected
            if kp["direction"] == "range":
                x = max(exact(kp["range_low"]) - x, x - exact(kp["range_high"]), Fraction(0))
            ps = half_up(five_level(x, [exact(c[f"t{n}"]) * scale for n in range(1, 6)]))
            p.miss = ps is not None and ps < Decimal(repr(c["red_below"] if c["red_below"] is not None else 3))

    # the agreement score (section 4): weighted mean of the agreement KPIs' scored province points
    weights = {(k, fy): exact(c["weight"]) for (k, fy), c in crit.items() if c["weight"] is not None}
    sums: dict = defaultdict(lambda: [Fraction(0), Fraction(0)])
    for (k, fy, i, area), p in ref.points.items():
        if area == province and (k, fy) in weights:
            s = sums[(fy, i)]
            if p.score is not None:
                s[0] += weights[(k, fy)] * Fraction(p.score)
                s[1] += weights[(k, fy)]
    ref.agreement = {key: half_up(a / b) if b else None for key, (a, b) in sums.items()}

    # nodes (section 4): weighted mean of scored children, deepest first
    nodes = {r["node_code"]: r for r in rows("dim_strategy_node")}
    links = [r for r in rows("bridge_kpi_node") if kpis.get(r["kpi_code"], {}).get("parent_kpi_code") is None]
    children_of: dict = defaultdict(list)
    for n in nodes.values():
        if n["parent_code"]:
            children_of[n["parent_code"]].append(n["node_code"])
    kpi_links: dict = defaultdict(list)
    for r in links:
        kpi_links[r["node_code"]].append((r["kpi_code"], exact(r["weight"] if r["weight"] is not None else 1)))
    keys = {(fy, i, area) for (_k, fy, i, area) in ref.points}

    def node_score(node, fy, i, area):
        if (node, fy, i, area) in ref.nodes:
            return ref.nodes[(node, fy, i, area)]
        num = den = Fraction(0)
        for kc, w in kpi_links.get(node, ()):
            p = ref.points.get((kc, fy, i, area))
            if p is not None and p.score is not None:
                num += w * Fraction(p.score)
                den += w
        for child in children_of.get(node, ()):
            s = node_score(child, fy, i, area)
            if s is not None:
                w = exact(nodes[child]["weight"] if nodes[child]["weight"] is not None else 1)
                num += w * Fraction(s)
                den += w
        out = half_up(num / den) if den else None
        ref.nodes[(node, fy, i, area)] = out
        return out

    for fy, i, area in keys:
        for node in nodes:
            node_score(node, fy, i, area)
    return ref
