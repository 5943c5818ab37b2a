"""/entry/data in a real browser, on an app of its own (approval rebuilds its snapshot): a form
generated from the dataset's template shows each error under its field; an editor's row goes
through verification and approval into the snapshot; a closed tab keeps what was typed."""

from __future__ import annotations

import duckdb

FIELD = "#rec-fields [data-col='{}'] {}"


def _open(page, url, dataset="indicator_values"):
    page.goto(f"{url}/entry/data?dataset={dataset}")
    page.locator("#rec-fields .sy-rec-field").first.wait_for(state="attached")


def test_enter_verify_approve_reaches_the_snapshot(as_role, own_app):
    url = own_app.url
    editor, watch = as_role("editor")
    _open(editor, url)
    area = editor.locator(FIELD.format("area_code", "select"))
    assert area.locator("option[value='8601']").count() == 0  # another district is not offered
    # a district's editor is offered what a district reports, never targets (docs/RULES.md section 12)
    offered = editor.locator("#rec-dataset option").evaluate_all("os => os.map(o => o.value)")
    assert [o for o in offered if o] == ["indicator_values", "disasters"], offered
    codes = editor.locator(FIELD.format("indicator_code", "select") + " option").evaluate_all(
        "os => os.map(o => o.value)"
    )
    assert "I07" in codes and "I01" not in codes and "I02" not in codes  # reported by the province: not offered
    editor.select_option(
        FIELD.format("indicator_code", "select"), "I07"
    )  # durian area: reported by district (RULES.md s. 12)
    editor.fill(FIELD.format("year", "input"), "๒๕๖๙")  # Thai digits
    area.select_option("860401")
    editor.fill(FIELD.format("value", "input"), "เจ็ดหมื่น")
    editor.locator("#rec-state-new").wait_for()  # the key is complete: a new row
    editor.click("#rec-submit")
    editor.locator("#rec-error").wait_for()
    assert editor.locator(FIELD.format("value", ".text-danger")).inner_text() == "ไม่ใช่ตัวเลข"  # in place
    editor.fill(FIELD.format("value", "input"), "๗๐,๐๐๐")
    editor.click("#rec-submit")
    editor.locator("#rec-ok").wait_for()
    editor.locator('#rec-table td[data-state="submitted"]').wait_for()
    assert "70,000" in editor.locator("#rec-table").inner_text()
    watch.assert_clean("/entry/data editor")

    verifier, _ = as_role("verifier")
    _open(verifier, url)
    row = verifier.locator("#rec-table tr[data-record]").filter(has_text="860401")
    row.get_by_role("button", name="รับรอง").click()
    verifier.locator('#rec-table td[data-state="verified"]').wait_for()

    boss, watch = as_role("executive")
    boss.goto(f"{url}/entry/data?dataset=indicator_values")
    boss.locator('#rec-table td[data-state="verified"]').wait_for()
    assert boss.locator("#rec-form").is_hidden()  # an executive approves, not enters
    boss.click("#rec-approve")
    boss.locator("#rec-approve-ok").wait_for()
    boss.locator('#rec-table td[data-state="approved"]').wait_for()
    watch.assert_clean("/entry/data executive")
    con = duckdb.connect(str(own_app.warehouse), read_only=True)
    try:
        got = con.execute(
            "SELECT value, provenance FROM fct_indicator_value WHERE indicator_code='I07' "
            "AND year_be=2569 AND area_code='860401'"
        ).fetchall()
    finally:
        con.close()
    assert got == [(70000.0, "entered")]

    # approved rows are locked: the editor can no longer open it; an approver reopens with a reason
    _open(editor, url)
    editor.locator('#rec-table td[data-state="approved"]').wait_for()
    assert editor.locator("#rec-table").get_by_role("button", name="เปิดแก้ไข").count() == 0
    approved = boss.locator("#rec-table tr[data-record]").filter(has_text="860401")
    approved.get_by_role("button", name="เปิดใหม่เพื่อแก้ไข").click()
    boss.locator("#rec-list-error").wait_for()  # no reason given
    approved.locator("input").fill("ตัวเลขจากอำเภอปรับปรุงแล้ว")
    approved.get_by_role("button", name="เปิดใหม่เพื่อแก้ไข").click()
    boss.locator('#rec-table td[data-state="returned"]').wait_for()


def test_a_closed_tab_keeps_what_was_typed(as_role, own_app):
    page, _ = as_role("editor")
    _open(page, own_app.url, "disasters")
    page.fill(FIELD.format("event_id", "input"), "DS2569-099")
    page.fill(FIELD.format("damage_baht", "input"), "๑,๒๐๐,๐๐๐")
    page.wait_for_function(
        "(localStorage.getItem('rec-local') || '').includes('DS2569-099') && "
        "localStorage.getItem('rec-local').includes('๑,๒๐๐,๐๐๐')"
    )
    page.close()
    again = page.context.new_page()
    _open(again, own_app.url, "disasters")
    again.locator("#rec-restored-note").wait_for()
    assert again.locator(FIELD.format("event_id", "input")).input_value() == "DS2569-099"
    assert again.locator(FIELD.format("damage_baht", "input")).input_value() == "๑,๒๐๐,๐๐๐"
