"""pompolit-verify statement: every total recomputed from the signed leaves; every kind of
tampering found and named — which leaf, which figure, expected against found."""

import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pompolit.transparency import sign
from pompolit.transparency.cli import main
from pompolit.transparency.errors import DocumentError
from pompolit.transparency.report import Report
from pompolit.transparency.statement.problems import StatementProblems
from pompolit.transparency.statement.read import amount_text, parse_amount, read_statement
from pompolit.transparency.statement.verify import verify_statement_file
from statement_fixtures import NEW, OLD, ORIGIN, VKEY, donation, statement, statement_text
from transparency_fixtures import write

OLD_TEXT = statement_text(OLD, "2026-09")
NEW_TEXT = statement_text(NEW, "2026-10", len(OLD))


def verify(text: str, previous: str | None = None) -> Report:
    report = Report()
    verify_statement_file(io.StringIO(text), VKEY, report,
                          io.StringIO(previous) if previous is not None else None)
    return report


def problems(text: str, previous: str | None = None) -> list[str]:
    with pytest.raises(StatementProblems) as caught:
        verify(text, previous)
    return [p.message for p in caught.value.problems]


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False)


# -- what verifies ----------------------------------------------------------------------------


def test_a_published_statement_verifies_and_its_figures_are_the_books():
    report = verify(OLD_TEXT)
    figures = json.loads(OLD_TEXT)["figures"]
    assert figures["closing_balances"] == [
        {"fund": "general", "currency": "RUB", "amount": "5000.00"},
        {"fund": "lawyers", "currency": "EUR", "amount": "120.00"},
        {"fund": "lawyers", "currency": "RUB", "amount": "500.00"},  # 3000 cash − 2500 legal
    ]
    assert {"campaign": "winter-parcels", "channel": "bank_transfer", "currency": "RUB",
            "amount": "5000.00"} in figures["income"]
    assert figures["expenses"] == [
        {"category": "expenses:legal", "currency": "RUB", "amount": "2500.00"}]
    assert any("every figure of 2026-09" in check for check in report.checks)


def test_the_next_statement_verifies_against_the_previous_one():
    report = verify(NEW_TEXT, OLD_TEXT)
    document = json.loads(NEW_TEXT)
    # A reversal counts against the campaign and channel of the donation it reverses.
    assert {"campaign": "winter-parcels", "channel": "bank_transfer", "currency": "RUB",
            "amount": "15000.00"} in document["figures"]["income"]
    # The November donation is signed, but is not in October's figures.
    assert document["figures"]["later_entries"] == 1
    assert document["closing_in_base"] == {
        "base": "RUB", "amount": "98457.75", "not_converted": ["USDT"]}
    assert "the opening balances are the previous statement's closing balances" in report.checks
    assert any("unchanged when recomputed" in check for check in report.checks)


# -- tampering --------------------------------------------------------------------------------

FIGURE_ROWS = [
    (name, position)
    for name in ("opening_balances", "closing_balances", "income", "expenses", "by_month",
                 "by_fund")
    for position in range(len(json.loads(NEW_TEXT)["figures"][name]))
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(row=st.sampled_from(FIGURE_ROWS), delta=st.integers(1, 10**9),
       column=st.sampled_from(["amount", "income", "expenses"]))
def test_any_changed_figure_is_named_with_expected_and_found(row, delta, column):
    document = json.loads(NEW_TEXT)
    name, position = row
    target = document["figures"][name][position]
    column = column if column in target else ("amount" if "amount" in target else "income")
    before = target[column]
    places = len(before.partition(".")[2])
    target[column] = amount_text(parse_amount(before, places) + delta, places)
    found = problems(dumps(document))
    assert len(found) == 1
    assert found[0].startswith(f"figure {name}[")
    assert before in found[0] and target[column] in found[0]


def test_a_changed_entry_count_and_a_missing_row_are_named():
    document = json.loads(NEW_TEXT)
    document["figures"]["entries"] = 5
    removed = document["figures"]["expenses"].pop()
    found = problems(dumps(document))
    assert "figure entries: the leaves give 6, the statement says 5" in found
    assert any(f"expenses[category='{removed['category']}'" in p and "missing" in p
               for p in found)


def test_a_changed_total_in_the_base_currency_is_named():
    document = json.loads(NEW_TEXT)
    document["closing_in_base"]["amount"] = "1.00"
    assert problems(dumps(document))[0].startswith("figure closing_in_base")


def _leaf(document: dict[str, Any], index: int) -> dict[str, Any]:
    import base64

    return dict(json.loads(base64.b64decode(document["leaves"][index])))


def _put(document: dict[str, Any], index: int, leaf: dict[str, Any]) -> None:
    import base64

    data = json.dumps(leaf, sort_keys=True, separators=(",", ":")).encode()
    document["leaves"][index] = base64.b64encode(data).decode()


@settings(max_examples=40, deadline=None)
@given(index=st.integers(0, len(NEW) - 1), cents=st.integers(1, 10**6))
def test_any_changed_leaf_is_named_even_if_it_still_balances(index, cents):
    document = json.loads(NEW_TEXT)
    leaf = _leaf(document, index)
    for posting in leaf["postings"][:2]:  # first two postings: one fund, one currency
        places = len(posting["amount"].partition(".")[2])
        units = parse_amount(posting["amount"], places)
        posting["amount"] = amount_text(units + (cents if units > 0 else -cents), places)
    _put(document, index, leaf)
    found = problems(dumps(document))
    assert f"leaf {index} was changed: it is not the signed log's leaf {index}" in found


@settings(max_examples=30, deadline=None)
@given(index=st.integers(0, len(NEW) - 1))
def test_any_dropped_leaf_is_named(index):
    document = json.loads(NEW_TEXT)
    del document["leaves"][index]
    found = problems(dumps(document))
    if index < len(NEW) - 1:
        assert found[0].startswith(f"leaf {index} of the signed log was dropped")
    else:
        assert found[0] == f"leaf {index} of the signed log is missing at the end"


@settings(max_examples=30, deadline=None)
@given(pair=st.lists(st.integers(0, len(NEW) - 1), min_size=2, max_size=2, unique=True))
def test_any_two_swapped_leaves_are_named(pair):
    first, second = sorted(pair)
    document = json.loads(NEW_TEXT)
    leaves = document["leaves"]
    leaves[first], leaves[second] = leaves[second], leaves[first]
    found = problems(dumps(document))
    assert f"leaf {first} is out of order: it is the signed log's leaf {second}" in found
    assert f"leaf {second} is out of order: it is the signed log's leaf {first}" in found


def test_an_added_leaf_is_named():
    document = json.loads(NEW_TEXT)
    document["leaves"].append(json.loads(statement_text([donation("2026-10", "1.00")],
                                                        "2026-10"))["leaves"][0])
    assert f"leaf {len(NEW)} is not in the signed log: it was added" in problems(dumps(document))


def test_leaves_and_their_hash_list_changed_together_still_fail():
    forged = json.loads(statement_text([*NEW[:3], donation("2026-10", "1.00"), *NEW[4:]],
                                       "2026-10", len(OLD)))
    document = json.loads(NEW_TEXT)
    document["leaves"], document["leaf_hashes"] = forged["leaves"], forged["leaf_hashes"]
    found = problems(dumps(document))
    assert any("cannot be told" in p for p in found)


@pytest.mark.parametrize("how", ["other key", "flipped byte", "other size"])
def test_a_swapped_or_broken_signature_is_named(how):
    document = json.loads(NEW_TEXT)
    note = document["checkpoint"]
    if how == "other key":
        body = note.split("\n\n")[0] + "\n"
        lines = body.splitlines()
        import base64

        note = sign(lines[0], int(lines[1]), base64.b64decode(lines[2]), ORIGIN,
                    bytes(range(1, 33)))
    elif how == "flipped byte":
        head, _, signature = note.rpartition(" ")
        note = head + " " + signature[:10] + ("A" if signature[10] != "A" else "B") + \
            signature[11:]
    else:
        document["checkpoint"] = json.loads(OLD_TEXT)["checkpoint"]
        found = problems(dumps(document))
        assert any("hash to root" in p or "missing" in p or "added" in p for p in found)
        return
    document["checkpoint"] = note
    found = problems(dumps(document))
    assert found[0].startswith("checkpoint:")


def test_a_reclassified_account_is_named():
    document = json.loads(NEW_TEXT)
    document["accounts"]["expenses:parcels"] = "asset"
    found = problems(dumps(document))
    assert found[0].startswith("the chart says account 'expenses:parcels' is of type 'asset'")


# -- against the previous statement -----------------------------------------------------------


def test_history_rewritten_before_the_previous_statement_is_named():
    rewritten = [OLD[0], donation("2026-09", "1.00"), *OLD[2:], *NEW[len(OLD):]]
    text = statement_text(rewritten, "2026-10", len(OLD))
    found = problems(text, OLD_TEXT)
    assert any("the new statement's previous checkpoint" in p for p in found)
    assert any(p.startswith("leaf 1 was changed") and "history was rewritten" in p
               for p in found)


def test_an_entry_backdated_into_a_closed_period_is_named():
    backdated = [*NEW, donation("2026-09", "999.00", "EUR")]
    text = statement_text(backdated, "2026-10", len(OLD))
    found = problems(text, OLD_TEXT)
    assert any(p.startswith("previous statement's (2026-09) figure income[") and
               "closed period" in p for p in found)


def test_a_statement_that_forgets_its_predecessor_is_named():
    found = problems(statement_text(NEW, "2026-10"), OLD_TEXT)
    assert any("names no previous checkpoint" in p for p in found)


def test_the_first_statement_says_it_is_the_first():
    assert any("the first one" in n for n in verify(OLD_TEXT).notes)


# -- unreadable input -------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "[]", '{"format": "pompolit-bundle/1"}',
                                  OLD_TEXT.replace('"period"', '"periodo"')])
def test_what_is_not_a_statement_is_a_document_error(text):
    with pytest.raises(DocumentError):
        read_statement(io.StringIO(text))


# -- the command line -------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    status = main(list(argv))
    return status, capsys.readouterr().out


def test_cli_verified(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = write(tmp_path / "old.json", OLD_TEXT), write(tmp_path / "new.json", NEW_TEXT)
    status, out = run(capsys, "statement", new, "--previous", old, "--vkey", VKEY)
    assert status == 0, out
    assert "VERIFIED" in out


def test_cli_failed_with_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = statement(NEW, "2026-10", len(OLD))
    document["figures"]["income"][0]["amount"] = "1.00"
    path = write(tmp_path / "s.json", document)
    status, out = run(capsys, "statement", path, "--vkey", VKEY, "--json")
    result = json.loads(out)
    assert status == 1 and result["exit_status"] == 1 and not result["verified"]
    [problem] = result["facts"]["problems"]
    assert problem["what"] == "figure"
    assert problem["figure"] == "income[campaign=none, channel='card', currency='EUR']"
    assert (problem["expected"], problem["found"]) == ("700.50", "1.00")


def test_cli_unreadable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out = run(capsys, "statement", str(tmp_path / "missing.json"), "--vkey", VKEY)
    assert status == 2 and "NOT CHECKED" in out
    path = write(tmp_path / "bundle.json", {"format": "pompolit-bundle/1"})
    assert run(capsys, "statement", path, "--vkey", VKEY)[0] == 2
