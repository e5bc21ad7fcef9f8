"""pompolit-verify receipt: a donor finds their donation in a downloaded statement, offline."""

import json
from pathlib import Path

import pytest
from pompolit.transparency.cli import main
from pompolit.transparency.errors import DocumentError
from pompolit.transparency.receipt import normalise, receipt_id
from statement_fixtures import CODES, NEW, OLD, VKEY, receipt, statement, statement_text
from transparency_fixtures import write

CODE = CODES[0]
GROUPED = "-".join(CODE[i : i + 4] for i in range(0, 28, 4))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, object]]:
    status = main([*argv, "--json"])
    return status, json.loads(capsys.readouterr().out)


def test_the_identifier_is_the_documented_hash():
    assert receipt_id(GROUPED) == receipt(CODE)


@pytest.mark.parametrize("typed", [
    GROUPED.lower(), GROUPED.replace("-", " "), GROUPED.replace("0", "O"),
    # a Russian keyboard: Cyrillic М, Р, В, С for the Latin look-alikes
    GROUPED.replace("M", "М").replace("P", "Р").replace("B", "В"),
])
def test_what_donors_type_is_normalised(typed):
    assert normalise(typed) == CODE


@pytest.mark.parametrize("typed, reason", [
    (GROUPED[:-1], "characters"),
    (GROUPED[:5] + ("1" if GROUPED[5] != "1" else "2") + GROUPED[6:], "typing mistake"),
    (GROUPED + "!", "only digits and Latin letters"),
    ("", "characters"),
])
def test_a_mistyped_code_is_refused_with_a_reason(typed, reason):
    with pytest.raises(DocumentError, match=reason):
        normalise(typed)


def test_a_donation_is_found_and_its_reversal_said(tmp_path: Path, capsys) -> None:
    path = write(tmp_path / "s.json", statement_text(NEW, "2026-10", len(OLD)))
    status, result = run(capsys, "receipt", GROUPED.lower(), "--statement", path, "--vkey", VKEY)
    assert status == 0, result
    facts = result["facts"]
    assert isinstance(facts, dict)
    assert (facts["leaf"], facts["amount"], facts["currency"], facts["fund"], facts["date"]) == (
        0, "5000.00", "RUB", "general", "2026-09")
    assert facts["campaign"] == "winter-parcels" and facts["reversed_by"] == len(OLD) + 3
    assert any("reversed" in note for note in result["notes"])  # type: ignore[union-attr]


def test_an_unknown_receipt_is_not_verified(tmp_path: Path, capsys) -> None:
    path = write(tmp_path / "s.json", statement_text(OLD, "2026-09"))
    other = "0000000000000000000000000000"[:26]
    from pompolit.transparency.receipt import _check

    status, result = run(capsys, "receipt", other + _check(other), "--statement", path,
                         "--vkey", VKEY)
    assert status == 1
    assert "no donation with this receipt" in str(result["error"])


def test_a_receipt_in_a_tampered_statement_is_not_trusted(tmp_path: Path, capsys) -> None:
    document = statement(OLD, "2026-09")
    document["leaves"][0], document["leaves"][1] = document["leaves"][1], document["leaves"][0]
    path = write(tmp_path / "s.json", document)
    status, result = run(capsys, "receipt", CODE, "--statement", path, "--vkey", VKEY)
    assert status == 1 and "out of order" in str(result["error"])


def test_a_mistyped_code_exits_2(tmp_path: Path, capsys) -> None:
    path = write(tmp_path / "s.json", statement_text(OLD, "2026-09"))
    status, result = run(capsys, "receipt", "not-a-code", "--statement", path, "--vkey", VKEY)
    assert status == 2 and "receipt code" in str(result["error"])
