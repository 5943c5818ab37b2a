"""The public portal's store (ops/portal.py): the §9 register and its currency, who may keep it,
the request and survey forms with their spam limits, and RM 4.2 / RM 4.3 computed by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

import ops
from ops import portal
from ops.portal import Actor, Conflict, EntryError, Forbidden

TODAY = date(2026, 11, 26)
EDITOR = Actor("ed", "editor")
PUBLIC = Actor("-", "public")


@pytest.fixture()
def eng(ops_url):
    return ops.engine(ops_url)


def _item(cat, published, due):
    return {
        "category": cat,
        "published_on": TODAY + timedelta(days=published),
        "review_due": TODAY + timedelta(days=due),
    }


def test_currency_by_hand():
    items = [
        _item(1, -10, 30),
        _item(1, -400, -30),  # (1) current thanks to its first entry
        _item(3, -400, -1),  # (3) review passed yesterday: not current
        _item(8, 5, 60),  # (8) not yet published: not current
        _item(9 - 2, -1, 0),
    ]  # (7) due today: still current
    cur = portal.currency(items, TODAY)
    assert cur["current"] == 2 and cur["share"] == 25.0
    assert cur["categories"][1] == {"items": 2, "current": 1}
    assert cur["categories"][3]["current"] == 0 and cur["categories"][5] == {"items": 0, "current": 0}


def test_only_keepers_edit_the_register(eng):
    with pytest.raises(Forbidden):
        portal.save_item(
            eng, PUBLIC, category=3, title="แผน", link="/open", published_on=TODAY, unit="ฝ่าย", review_due=TODAY
        )
    with pytest.raises(Forbidden):
        portal.save_item(
            eng,
            Actor("v", "viewer"),
            category=3,
            title="แผน",
            link="/open",
            published_on=TODAY,
            unit="ฝ่าย",
            review_due=TODAY,
        )
    assert [a["outcome"] for a in ops.audit_rows(eng)] == ["refused", "refused"]
    assert portal.register(eng) == []
    for bad, field in [
        ({"category": 9}, "category"),
        ({"title": "  "}, "title"),
        ({"link": "x" * 1001}, "link"),
        ({"review_due": TODAY - timedelta(days=1)}, "review_due"),
        ({"published_on": None}, "published_on"),
    ]:
        args = {
            "category": 3,
            "title": "แผนปฏิบัติราชการ",
            "link": "/open",
            "published_on": TODAY,
            "unit": "ฝ่าย",
            "review_due": TODAY + timedelta(days=365),
        } | bad
        with pytest.raises(EntryError) as e:
            portal.save_item(eng, EDITOR, **args)
        assert e.value.field == field
    item = portal.save_item(
        eng,
        EDITOR,
        category="3",
        title="แผนปฏิบัติราชการ\x07",
        link="/open",
        published_on=TODAY,
        unit="ฝ่าย",
        review_due=TODAY + timedelta(days=365),
    )
    (row,) = portal.register(eng)
    assert (row["item_id"], row["title"], row["provenance"], row["version"]) == (item, "แผนปฏิบัติราชการ", "entered", 1)
    portal.save_item(
        eng,
        EDITOR,
        item_id=item,
        version=1,
        category=3,
        title="แผน 2570",
        link="/open",
        published_on=TODAY,
        unit="ฝ่าย",
        review_due=TODAY + timedelta(days=30),
    )
    with pytest.raises(Conflict):  # a stale form
        portal.save_item(
            eng,
            EDITOR,
            item_id=item,
            version=1,
            category=3,
            title="แผนเก่า",
            link="/open",
            published_on=TODAY,
            unit="ฝ่าย",
            review_due=TODAY + timedelta(days=30),
        )
    assert portal.register(eng)[0]["title"] == "แผน 2570"


def test_sample_register_once_and_marked(eng):
    assert portal.seed_sample(eng, TODAY) == 5
    assert portal.seed_sample(eng, TODAY) == 0
    items = portal.register(eng)
    assert len(items) == 5 and all(i["provenance"] == "sample" and i["title"].startswith("ตัวอย่าง: ") for i in items)
    assert portal.currency(items, TODAY)["current"] == 3  # (3) and (7) and (8) current; (4) past its review


def test_requests_spam_limits(eng):
    with pytest.raises(EntryError):  # the hidden field filled: a bot
        portal.send_request(eng, "s1", name="a", contact="b", subject="c", detail="d", honeypot="http://spam")
    with pytest.raises(EntryError) as e:
        portal.send_request(eng, "s1", name="a", contact="b", subject="c", detail="x" * 5001)
    assert e.value.field == "detail"
    with pytest.raises(EntryError) as e:
        portal.send_request(eng, "s1", name=" ", contact="b", subject="c", detail="d")
    assert e.value.field == "name"
    ids = [
        portal.send_request(eng, "s1", name="สมชาย\x00", contact="081", subject="ขอข้อมูล", detail="<script>x</script>")
        for _ in range(portal.LIMIT_PER_HOUR)
    ]
    with pytest.raises(EntryError):  # one too many from the same sender this hour
        portal.send_request(eng, "s1", name="a", contact="b", subject="c", detail="d")
    assert portal.send_request(eng, "s2", name="a", contact="b", subject="c", detail="d") > max(ids)
    rows = portal.requests(eng)
    assert len(rows) == portal.LIMIT_PER_HOUR + 1
    assert rows[-1]["name"] == "สมชาย" and rows[-1]["detail"] == "<script>x</script>"  # kept as text, shown escaped
    with pytest.raises(Forbidden):
        portal.answer_request(eng, Actor("v", "viewer"), ids[0], "ok")
    portal.answer_request(eng, EDITOR, ids[0], "ส่งข้อมูลทางอีเมลแล้ว")
    assert next(r for r in portal.requests(eng) if r["request_id"] == ids[0])["status"] == "answered"


def test_survey_results_by_hand(eng):
    assert portal.survey_results(eng)["rm42"]["pct"] is None
    a = {"web_find": 5, "web_ease": 4, "web_current": 3, "oia_complete": 2, "oia_request": "๕", "oia_timely": 4}
    b = {"web_find": 4, "web_ease": 4, "web_current": 4, "oia_complete": 3, "oia_request": 3, "oia_timely": 3}
    with pytest.raises(EntryError) as e:
        portal.send_survey(eng, "s1", a | {"web_ease": 6})
    assert e.value.field == "web_ease"
    with pytest.raises(EntryError):
        portal.send_survey(eng, "s1", a | {"oia_timely": None})
    portal.send_survey(eng, "s1", a, "ดีมาก")
    portal.send_survey(eng, "s2", b)
    res = portal.survey_results(eng)
    # RM 4.2: (5+4+3+4+4+4) / 6 = 4.0 -> 80 %; scores 4-5: 5 of 6
    assert res["responses"] == 2 and res["rm42"] == {"pct": 80.0, "satisfied": round(500 / 6, 1)}
    # RM 4.3: (2+5+4+3+3+3) / 6 = 3.333 -> 66.7 %; scores 4-5: 2 of 6
    assert res["rm43"] == {"pct": 66.7, "satisfied": 33.3}
    assert res["questions"]["oia_request"] == 4.0
