"""core/exports.py: spreadsheet-safe cells and CSV, shared by the cases and ledger exports."""

import csv
import io

import pytest

from pompolit.core.exports import csv_bytes, safe, safe_cell


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\")", "+7 999 123-45-67", "-1",
                                  "@SUM(A1)", "\tпробел", "＝1+1", "\r\n"])
def test_a_cell_a_spreadsheet_would_run_is_made_text(text):
    assert safe_cell(text) == "'" + text


def test_other_values_are_unchanged_and_nested_values_made_safe():
    assert safe_cell("Вера Засулич") == "Вера Засулич" and safe_cell(-1) == -1
    assert safe({"a": ["=1", "ok"], "b": {"c": "+2"}}) == {"a": ["'=1", "ok"], "b": {"c": "'+2"}}


def test_csv_has_a_bom_and_json_for_lists():
    data = csv_bytes(["name", "tags"], [{"name": "Засулич", "tags": ["a", "б"]}])
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["name", "tags"], ["Засулич", '["a", "б"]']]
