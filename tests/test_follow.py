"""Issue 26: following a KPI on its own page, the inbox's e-mail choice only where there is an
address, and no emoji in the interface.

Through the app's own request handling (the access check, the classification, the callbacks):
a reader follows, unfollows and mutes a KPI on /kpi/<code> by the same function /inbox uses and
the page says the state in words; a reader who may not read a KPI cannot follow it (403, audited,
nothing stored), and the public never; /inbox shows the e-mail switch only to a reader with an
address, and says where an admin adds one otherwise. Then a scan of pages/ and components/ for
characters in the emoji ranges (a machine without an emoji font draws a box for 🔔)."""

from __future__ import annotations

import json
import re

import pytest

import ops
from ops import events
from tests.conftest import ORIGIN, ROOT

FOLLOW_CB = "kpidetail-follow.children"


@pytest.fixture(scope="module")
def web(built_warehouse, tmp_path_factory):
    """The app on a copy of the demo warehouse with a store of its own: a viewer (no e-mail address,
    may not read the secret K40), an executive with an address (reads K40)."""
    from tests.conftest import app_on_a_copy, signed_in_clients

    with app_on_a_copy(built_warehouse, tmp_path_factory.mktemp("follow"), "follow"):
        import app

        eng = ops.engine()
        make = signed_in_clients(
            eng, "fl", ("viewer", "executive"), {"executive": {"email": "exec@example.org"}}, dash=True
        )
        yield {"app": app, "eng": eng, "make": make}


def _page(client, path, search="") -> str:
    from tests.conftest import router_body

    r = client.post("/_dash-update-component", json=router_body(path, search), headers=ORIGIN)
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    return json.dumps(r.get_json(), ensure_ascii=False)


def _press(client, kpi: str, mode: str):
    """Press the KPI page's follow / unfollow / mute button (its pattern-matching id)."""
    bid = {"kpi": kpi, "mode": mode, "type": "kpidetail-follow-do"}
    body = {
        "output": FOLLOW_CB,
        "outputs": {"id": "kpidetail-follow", "property": "children"},
        "inputs": [[{"id": bid, "property": "n_clicks", "value": 1}]],
        "state": [],
        "changedPropIds": [json.dumps(bid, separators=(",", ":"), sort_keys=True) + ".n_clicks"],
    }
    return client.post("/_dash-update-component", json=body, headers=ORIGIN)


def test_a_reader_follows_unfollows_and_mutes_a_kpi_on_its_page(web):
    eng, viewer = web["eng"], web["make"]("viewer")
    page = _page(viewer, "/kpi/K01")
    assert "kpidetail-follow-state" in page and "ยังไม่ได้ติดตาม" in page
    assert '"data-mode": "none"' in page and "🔔" not in page

    r = _press(viewer, "K01", "follow")
    said = json.dumps(r.get_json(), ensure_ascii=False)
    assert r.status_code == 200 and "ติดตามอยู่ ✓" in said and '"data-action": "unfollow"' in said
    assert events.choices(eng, "fl_viewer") == {"K01": "follow"}  # the store the inbox reads
    assert '"data-mode": "follow"' in _page(viewer, "/kpi/K01")  # and the page says so on a new visit
    inbox = _page(viewer, "/inbox")
    assert '"data-kpi": "K01"' in inbox and '"data-mode": "follow"' in inbox  # listed on /inbox too

    r = _press(viewer, "K01", "none")  # stop following: the role's defaults again
    assert r.status_code == 200 and events.choices(eng, "fl_viewer") == {}
    assert "ยังไม่ได้ติดตาม" in json.dumps(r.get_json(), ensure_ascii=False)
    r = _press(viewer, "K01", "mute")
    said = json.dumps(r.get_json(), ensure_ascii=False)
    assert r.status_code == 200 and "ปิดแจ้งเตือนตัวชี้วัดนี้อยู่" in said and '"data-action": "unmute"' in said
    assert events.choices(eng, "fl_viewer") == {"K01": "mute"}
    assert _press(viewer, "K01", "none").status_code == 200
    assert events.choices(eng, "fl_viewer") == {}


def test_nobody_follows_a_kpi_they_may_not_read_and_the_public_never(web):
    eng, make = web["eng"], web["make"]
    assert "kpidetail-follow-state" in _page(make("executive"), "/kpi/K40")  # executives read secret KPIs
    assert _press(make("executive"), "K40", "follow").status_code == 200
    assert events.choices(eng, "fl_executive") == {"K40": "follow"}
    events.choose(eng, "fl_executive", "K40", None)

    viewer = make("viewer")
    assert "kpidetail-follow-state" not in _page(viewer, "/kpi/K40")  # the page: not found for them
    before = len(ops.audit_rows(eng))
    assert _press(viewer, "K40", "follow").status_code == 403  # a forged press: refused on the server
    assert _press(viewer, "K99", "mute").status_code == 403  # no such KPI
    assert _press(viewer, "K01", "subscribe-everyone").status_code in (400, 403)  # a forged mode: refused, no 500
    assert events.choices(eng, "fl_viewer") == {}
    refused = [
        (a["who"], a["target"])
        for a in ops.audit_rows(eng)[before:]
        if a["outcome"] == "refused" and a["action"] == "inbox.choose"
    ]
    assert refused[:2] == [("fl_viewer", "K40"), ("fl_viewer", "K99")]

    public = make("public")
    assert _press(public, "K01", "follow").status_code in (401, 403)
    with eng.connect() as con:
        assert [r.username for r in con.execute(ops.follows.select())] == []


def test_the_inbox_offers_e_mail_only_to_a_reader_with_an_address(web):
    viewer = _page(web["make"]("viewer"), "/inbox")
    assert "inbox-send-email" not in viewer  # no switch to tick, disabled or not
    assert "ยังไม่มีอีเมลของท่าน" in viewer and "ผู้ดูแลระบบ" in viewer  # says so, and who adds one
    executive = _page(web["make"]("executive"), "/inbox")
    assert "inbox-send-email" in executive and "exec@example.org" in executive


# ---------------------------------------------------------------- no emoji in the interface
EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf\ufe0f]")
# the marks every text font draws (✓ ✗ ★ are no emoji; ⚠ is drawn as text), always with their words
# (★ marks a unit's own directives in its briefing book: the minutes and its plain-text e-mail)
KEEP = set("✓✗⚠★")


def test_pages_and_components_draw_no_emoji():
    found = []
    for folder in ("pages", "components", "web", "reports"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                found += [
                    f"{path.relative_to(ROOT)}:{n}: {c!r} U+{ord(c):04X}" for c in EMOJI.findall(line) if c not in KEEP
                ]
    assert not found, "emoji (draw an SVG icon, components/icons.py, beside the words):\n" + "\n".join(found)
