"""Thai conventions: fiscal calendar, B.E. years, month names, number parsing and formatting."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from components import thai


@pytest.mark.parametrize(
    "d, fy, q",
    [
        (date(2026, 9, 30), 2569, 4),
        (date(2026, 10, 1), 2570, 1),
        (date(2026, 12, 31), 2570, 1),
        (date(2027, 1, 1), 2570, 2),
        (date(2027, 4, 1), 2570, 3),
        (date(2027, 7, 31), 2570, 4),
        (date(2005, 10, 1), 2549, 1),
    ],
)
def test_fiscal_year_and_quarter(d, fy, q):
    assert thai.fiscal_year(d) == fy
    assert thai.fiscal_quarter(d) == q


def test_fiscal_year_bounds_and_period_date():
    assert thai.fiscal_year_bounds(2570) == (date(2026, 10, 1), date(2027, 9, 30))
    assert thai.period_date(2570, 10) == date(2026, 10, 1)
    assert thai.period_date(2570, 9) == date(2027, 9, 1)
    assert [thai.fiscal_month_index(m) for m in (10, 12, 1, 9)] == [1, 3, 4, 12]


def test_be_ce():
    assert thai.to_be(2024) == 2567 and thai.to_ce(2567) == 2024


@pytest.mark.parametrize(
    "text, month",
    [
        ("ตุลาคม", 10),
        ("ต.ค.", 10),
        ("ต.ค", 10),
        (" พ.ย. ", 11),
        ("มกราคม", 1),
        ("Oct", 10),
        ("october", 10),
        ("Sept", 9),
        ("๑๒", 12),
        ("3", 3),
        (7, 7),
        (7.0, 7),
        ("10.0", 10),
        ("13", None),
        ("0", None),
        ("ตุลา", None),
        ("", None),
        (None, None),
        (2.5, None),
    ],
)
def test_month_from_text(text, month):
    assert thai.month_from_text(text) == month


@pytest.mark.parametrize(
    "text, value",
    [
        ("1,234", 1234.0),
        ("๑,๒๓๔.๕", 1234.5),
        (" 42 ", 42.0),
        ("-3.5", -3.5),
        ("(1,000)", -1000.0),
        ("1 234", 1234.0),
        ("0.25", 0.25),
        (".5", 0.5),
        (12, 12.0),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_parse_number_accepts(text, value):
    assert thai.parse_number(text) == value


@pytest.mark.parametrize("text", ["12x", "1,23", "1.2.3", "abc", "๑๒ก", "--1", "1,234,56", True])
def test_parse_number_rejects(text):
    with pytest.raises(ValueError):
        thai.parse_number(text)


def test_format_number():
    assert thai.format_number(116633.389, 3) == "116,633.389"
    assert thai.format_number(1234567, 0) == "1,234,567"
    assert thai.format_number(-0.0001, 2) == "0.00"
    assert thai.format_number(None) == "–" and thai.format_number(float("nan")) == "–"
    assert thai.format_number(2570, 0, thai_digits=True) == "๒,๕๗๐"


def test_format_date_th_uses_buddhist_era_and_thai_months():
    assert thai.format_date_th(date(2026, 11, 24)) == "24 พฤศจิกายน 2569"
    assert thai.format_date_th(date(2026, 11, 24), abbr=True) == "24 พ.ย. 2569"
    assert thai.format_date_th(date(2026, 11, 24), lang="en") == "24 November 2569 (B.E.)"
    assert thai.format_date_th(datetime(2026, 11, 24, 9, 5), with_time=True) == "24 พฤศจิกายน 2569 09:05 น."
    utc = datetime(2026, 11, 23, 20, 30, tzinfo=thai.timezone.utc)
    assert thai.format_date_th(utc, abbr=True, with_time=True) == "24 พ.ย. 2569 03:30 น."
    assert thai.format_fiscal_year(2570) == "ปีงบประมาณ 2570"
    assert thai.format_date_th(None) == "–"


def test_english_says_one_era_once():
    """ERA_RULE (components/thai.py, README conventions): English shows every year in B.E., like
    Thai, and a label says "(B.E.)" once, after its last year; no C.E. year appears beside a B.E.
    fiscal year."""
    from components.cockpit import Point, point_label

    label = point_label(Point(2570, 1, "latest", ()), "en")
    assert label == "FY 2570, to the end of October 2569 (B.E.), 1 of 12 months"
    assert label.count("B.E.") == 1 and "2026" not in label and "C.E." not in label
    assert point_label(Point(2570, 1, "latest", ()), "th") == "ปีงบประมาณ 2570 ข้อมูลถึงสิ้นเดือนตุลาคม 2569 (1 เดือน)"
    # a round's month: its own B.E. year in both languages (Oct-Dec fall in the year before the FY)
    assert thai.round_label(2570, 11, "en") == "November 2569" and thai.round_label(2570, 3, "en") == "March 2570"
    assert thai.round_label(2570, 11, "th") == "พฤศจิกายน 2569"
    assert thai.format_fiscal_year(2570, "en") == "FY 2570 (B.E.)"
    assert thai.format_date_th(date(2026, 11, 24), "en", abbr=True) == "24 Nov 2569 (B.E.)"
    assert thai.format_date_th(date(2026, 11, 24), "en", era=False) == "24 November 2569"
    assert thai.format_date_th(date(2026, 11, 24), "th") == "24 พฤศจิกายน 2569"  # Thai says no era mark
