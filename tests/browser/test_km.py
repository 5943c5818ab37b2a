"""/km in a real browser, on an app of its own (the test records progress): a fresh install shows
the sample KM plan marked as sample; an editor records progress (Thai digits) and the RM 4.5
score and the activity's 80 % mark change; a viewer sees the plan but no forms."""

from __future__ import annotations


def _open(page, url):
    page.goto(url + "/km")
    page.locator("#km-score").wait_for()


def test_editor_records_progress_and_the_score_changes(as_role, own_app):
    page, watch = as_role("editor")
    _open(page, own_app.url)
    assert "ข้อมูลตัวอย่าง" in page.locator("#km-sample-mark .prov-sample").inner_text()
    # the sample plan: bodies 81.5 / 90 / 92 / 56.67 % weighted 30/25/25/20 → 81.28 % → 3.1283
    assert page.locator("#km-score").inner_text() == "3.1283"
    assert page.locator("#km-overall").inner_text() == "81.28 %"
    assert page.locator('#km-checklist li[data-check="bodies"]').get_attribute("data-ok") == "yes"
    assert "✗" in page.locator('#km-checklist li[data-check="reached"]').inner_text()
    row = page.locator("tr", has_text="ประเมินผลการนำความรู้ไปใช้")
    assert row.locator("[data-reached]").get_attribute("data-reached") == "no"

    value = page.locator("#km-progress-activity option", has_text="ประเมินผลการนำความรู้ไปใช้").get_attribute("value")
    page.select_option("#km-progress-activity", value)
    page.locator("#km-progress-context", has_text="v1").filter(has_text="0 ครั้ง").wait_for()
    page.fill("#km-progress-value", "๑")  # Thai digits: 1 of a target of 1
    page.click("#km-progress-save")
    page.locator("#km-progress-ok").wait_for()
    # that body: 30·100 + 40·66.67 + 30·100 = 86.67 % → overall 87.28 % → 3.7283
    page.locator("#km-score", has_text="3.7283").wait_for()
    assert page.locator("#km-overall").inner_text() == "87.28 %"
    assert row.locator("[data-reached]").get_attribute("data-reached") == "yes"
    page.locator("#km-progress-context", has_text="v2").wait_for()  # the context follows the save (a callback later)
    watch.assert_clean("/km editor")


def test_viewer_reads_without_forms(as_role, own_app):
    page, watch = as_role("viewer")
    _open(page, own_app.url)
    assert page.locator("#km-checklist li").count() == 5
    assert page.locator("[data-body]").count() == 4
    assert not page.locator("#km-forms").is_visible()
    for id_ in ("km-progress-save", "km-body-add", "km-act-add"):
        assert not page.locator(f"#{id_}").is_visible()
    watch.assert_clean("/km viewer")
