"""Issue 19, item 1: warnings as events. Each build compares the snapshot it swaps in with the one
it replaces and records every change of a KPI's state once in the ops store (ops/events.py,
etl/sql/events/changes.sql): approving a figure that turns a KPI red makes one event; a rebuild of
the same data makes none; the first build (nothing to compare with) makes none."""

from __future__ import annotations

import duckdb
import pytest

from ops import entry, events
from ops.workflow import Actor
from tests.conftest import DEMO_AS_OF, make_data_dir

UNIT = "กลุ่มส่งเสริมและพัฒนาการผลิต"
K01 = {"kpi_code": "K01", "owner_unit": UNIT, "unit": "แปลง", "reported_by": "district"}


def status(wh, kpi, area, fy, month):
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return con.execute(
            "SELECT status FROM fct_kpi_status WHERE kpi_code = $k AND area_code = $a AND fiscal_year = $f AND month = $m",
            {"k": kpi, "a": area, "f": fy, "m": month},
        ).fetchone()[0]
    finally:
        con.close()


@pytest.fixture
def site(tmp_path):
    import ops

    url = f"sqlite:///{tmp_path / 'ops.sqlite'}"
    data = make_data_dir(tmp_path / "data")
    return {"eng": ops.engine(url), "url": url, "data": data, "wh": data / "warehouse" / "eis.duckdb"}


def test_a_figure_that_turns_a_kpi_red_makes_one_event_and_a_rebuild_none(site):
    from etl.build import build

    def rebuild():
        build(data_dir=site["data"], warehouse=site["wh"], ops_url=site["url"], as_of=DEMO_AS_OF)

    eng = site["eng"]
    rebuild()
    assert events.recent(eng) == []  # the first snapshot: nothing to compare with
    before = status(site["wh"], "K01", "8604", 2570, 10)
    assert before != "red"

    row = entry.save(eng, Actor("ed", "editor", UNIT, "8604"), K01, 2570, 10, "8604", "0", "น้ำท่วม", 0, submit=True)
    entry.verify(eng, Actor("ver", "verifier", UNIT), K01, row["entry_id"], row["version"], True)
    entry.approve_round(eng, Actor("boss", "executive"), 2570, 10)
    rebuild()
    assert status(site["wh"], "K01", "8604", 2570, 10) == "red"
    made = [e for e in events.recent(eng) if (e["kpi_code"], e["area_code"]) == ("K01", "8604")]
    assert [(e["kind"], e["fiscal_year"], e["month"], e["old_status"], e["status"]) for e in made] == [
        ("turned_red", 2570, 10, before, "red")
    ]
    assert made[0]["event_key"] == "turned_red:K01:8604:2570:10"
    n = len(events.recent(eng))
    rebuild()
    assert len(events.recent(eng)) == n  # the same data again: no change, no event; each recorded once


def test_recording_the_same_changes_twice_stores_them_once(site):
    import pandas as pd

    change = pd.DataFrame(
        [
            {
                "event_key": "late:K32:8606:2570:10",
                "kind": "late",
                "kpi_code": "K32",
                "area_code": "8606",
                "fiscal_year": 2570,
                "month": 10,
                "old_status": None,
                "status": "late",
            }
        ]
    )
    assert events.record(site["eng"], change, "v1") == 1
    assert events.record(site["eng"], change, "v2") == 0
    assert [(e["kind"], e["snapshot"]) for e in events.recent(site["eng"])] == [("late", "v1")]


# ---------------------------------------------------------------- who hears what, and the inbox
def _event(kind, kpi, area, eid=1):
    return {
        "event_id": eid,
        "event_key": f"{kind}:{kpi}:{area}:2570:10",
        "kind": kind,
        "kpi_code": kpi,
        "area_code": area,
        "fiscal_year": 2570,
        "month": 10,
    }


@pytest.mark.parametrize(
    "actor, event, owner, heard",
    [
        (Actor("a", "admin"), _event("late", "K32", "8606"), "X", True),
        (Actor("b", "executive"), _event("turned_red", "K05", "86"), UNIT, True),
        (Actor("b", "executive"), _event("turned_red", "K05", "8601"), UNIT, False),  # a district: its unit's
        (Actor("b", "executive"), _event("late", "K32", "86"), UNIT, False),  # late reports: the units'
        (Actor("e", "editor", UNIT, "8604"), _event("late", "K01", "8604"), UNIT, True),
        (Actor("e", "editor", UNIT, "8604"), _event("turned_red", "K01", "8601"), UNIT, False),  # another district
        (Actor("e", "editor", UNIT, "8604"), _event("turned_red", "K27", "8604"), "another unit", False),
        (Actor("v", "verifier", UNIT), _event("projected_miss", "K01", "8601"), UNIT, True),
        (Actor("p", "public"), _event("turned_red", "K01", "86"), UNIT, False),
    ],
)
def test_who_hears_what(actor, event, owner, heard):
    assert events.hears(actor, event, owner, "86") is heard


def test_the_inbox_and_its_count_show_only_what_the_reader_may_read(built_warehouse, tmp_path):
    """An executive is told of the province's KPI that turned red, on /inbox and by the navbar's
    count, which opening the inbox clears; a viewer is not told of a KPI classified secret."""
    import re

    import pandas as pd

    import ops
    from tests.conftest import ORIGIN, app_on_a_copy, router_body, signed_in_clients

    with app_on_a_copy(built_warehouse, tmp_path, "inbox"):
        eng = ops.engine()
        con = duckdb.connect(str(tmp_path / "eis.duckdb"), read_only=True)
        secret = con.execute("SELECT min(kpi_code) FROM dim_kpi WHERE classification = 'secret'").fetchone()[0]
        con.close()
        changes = pd.DataFrame(
            [
                {
                    "event_key": f"turned_red:{k}:86:2570:10",
                    "kind": "turned_red",
                    "kpi_code": k,
                    "area_code": "86",
                    "fiscal_year": 2570,
                    "month": 10,
                    "old_status": "yellow",
                    "status": "red",
                }
                for k in ("K05", secret)
            ]
        )
        assert events.record(eng, changes, "test") == 2
        make = signed_in_clients(eng, "ib", ("executive", "viewer"), dash=True)

        def bell(client) -> str:
            """The count the navbar's link to /inbox carries (the shell is built per visit)."""
            layout = client.get("/_dash-layout").get_data(as_text=True)
            return re.search(r'"data-unread": ?"(\d+)"', layout).group(1)

        def inbox(client):
            r = client.post("/_dash-update-component", json=router_body("/inbox"), headers=ORIGIN)
            assert r.status_code == 200
            return r.get_data(as_text=True)

        boss = make("executive")
        assert bell(boss) == "2"  # executives read secret KPIs too (web/auth.py)
        page = inbox(boss)
        assert "turned_red:K05:86:2570:10" in page
        assert bell(boss) == "0"  # seen
        viewer = make("viewer")
        assert bell(viewer) == "1"  # the secret KPI's event is not counted for a viewer
        seen = inbox(viewer)
        assert "turned_red:K05:86:2570:10" in seen and f"turned_red:{secret}:86" not in seen
        assert bell(viewer) == "0"
