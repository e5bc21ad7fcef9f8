"""Expenses per case (`expenses_by_case`): recomputed from the leaves the statement lists for
each consented case; any other leaf, a leaf listed twice, or a changed line is named."""

import io
import json
from typing import Any

import pytest
from pompolit.transparency.errors import DocumentError
from pompolit.transparency.report import Report
from pompolit.transparency.statement.problems import StatementProblems
from pompolit.transparency.statement.verify import verify_statement_file
from statement_fixtures import NEW, OLD, VKEY, statement_text

CASE = "k7m2q9x4w8ab"
OTHER = "h3p5r7t9v2cd"
PARCELS = {"case": CASE, "category": "expenses:parcels", "currency": "RUB", "amount": "400.00"}
NEW_TEXT = statement_text(NEW, "2026-10", len(OLD))


def with_cases(lines: list[dict[str, str]], listed: dict[str, Any]) -> str:
    document = json.loads(NEW_TEXT)
    document["figures"]["expenses_by_case"] = lines
    document["case_leaves"] = listed
    return json.dumps(document, ensure_ascii=False)


def verify(text: str) -> Report:
    report = Report()
    verify_statement_file(io.StringIO(text), VKEY, report)
    return report


def problems(text: str) -> list[str]:
    with pytest.raises(StatementProblems) as caught:
        verify(text)
    return [p.message for p in caught.value.problems]


def test_a_case_line_recomputed_from_its_leaves_verifies():
    # leaf 6: the October parcels expense (400.00 RUB)
    report = verify(with_cases([PARCELS], {CASE: [6]}))
    assert any("every figure of 2026-10" in check for check in report.checks)


def test_a_statement_without_case_lines_still_verifies():
    verify(NEW_TEXT)


def test_a_changed_case_line_is_named():
    found = problems(with_cases([{**PARCELS, "amount": "40.00"}], {CASE: [6]}))
    assert found == [f"figure expenses_by_case[case='{CASE}', category='expenses:parcels', "
                     "currency='RUB']: the leaves give 400.00, the statement says 40.00"]


def test_a_line_without_leaves_and_leaves_without_a_line_are_named():
    assert "the leaves give nothing" in problems(with_cases([PARCELS], {}))[0]
    assert "missing" in problems(with_cases([], {CASE: [6]}))[0]


@pytest.mark.parametrize("listed, message", [
    ({CASE: [6, 4]}, "leaf 4 has no expense posting"),          # a donation
    ({CASE: [6, 3]}, "leaf 3 is not dated in the period"),      # September's expense
    ({CASE: [6, 99]}, "leaf 99 is not in the statement"),
    ({CASE: [6], OTHER: [6]}, f"leaf 6 is listed for case '{OTHER}' already"),
])
def test_a_wrongly_listed_leaf_is_named(listed, message):
    found = problems(with_cases([PARCELS], listed))
    assert any(message in p for p in found), found


@pytest.mark.parametrize("listed", [[6], {CASE: 6}, {CASE: ["6"]}, {CASE: [True]}])
def test_malformed_case_leaves_are_a_document_error(listed):
    with pytest.raises(DocumentError, match="case_leaves"):
        verify(with_cases([PARCELS], listed))
