"""A corpus of forged and dishonest statements (and bundles, proofs, checkpoints), each run
through `pompolit-verify` as a reader would: every one is refused with the right exit status
(1: the accounts do not check out; 2: the input cannot be read) and a message that names the
place — the leaf, the member path and line, the code with its odd characters escaped.

The leaves here are signed by the log's own key: a dishonest publisher signs what it likes,
so the verifier must judge what was signed, not only that it was signed."""

import base64
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pompolit.transparency import sign
from pompolit.transparency.cli import main
from statement_fixtures import NEW, OLD, ORIGIN, VKEY, donation, expense, leaf, statement_text
from transparency_fixtures import bundle_text, checkpoint, consistency_json, inclusion_json

NEW_TEXT = statement_text(NEW, "2026-10", len(OLD))
RECEIPT_CODE = "09Y8QVF49KAPPMQ4J3Z1NQJ4MSB6"


def canonical(document: dict[str, Any]) -> bytes:
    return json.dumps(document, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode()


def with_leaves(leaves: list[bytes]) -> str:
    """A statement the log's key signed, over these leaves, its figures recomputed."""
    return statement_text(leaves, "2026-10")


def replace_leaf(index: int, data: bytes) -> str:
    assert data != NEW[index]
    leaves = list(NEW)
    leaves[index] = data
    return with_leaves(leaves)


def edit_leaf(index: int, change: Callable[[dict[str, Any]], None]) -> str:
    document = json.loads(NEW[index])
    change(document)
    return replace_leaf(index, canonical(document))


def doc(change: Callable[[dict[str, Any]], None]) -> str:
    document = json.loads(NEW_TEXT)
    change(document)
    return json.dumps(document, ensure_ascii=False, indent=1)


def text_sub(old: str, new: str, count: int = 1) -> str:
    assert old in NEW_TEXT, old
    return NEW_TEXT.replace(old, new, count)


# Reversal of leaf 0 (a 5000.00 RUB donation to "general") as the server writes it.
REVERSAL = [("assets:bank", "general", "-5000.00", "RUB"),
            ("income:donations", "general", "5000.00", "RUB")]


def reversal(postings: list[tuple[str, str, str, str]], reverses: object = 0,
             kind: str = "reversal") -> bytes:
    return leaf("2026-10", kind, postings, reverses=reverses)


def without_reversal(*extra: bytes) -> str:
    """NEW with the honest reversal (leaf 7) taken out and `extra` appended."""
    return with_leaves([*NEW[:7], *NEW[8:], *extra])


def set_posting(index: int, position: int, member: str, value: object
                ) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        document["postings"][position][member] = value
    return change


def chart_and_leaf(old: str, new: str) -> str:
    """A statement whose chart and leaves say `new` where an honest one says `old`."""
    leaves = [data.replace(old.encode(), new.encode()) for data in NEW]
    text = with_leaves(leaves)
    return text.replace(json.dumps(old), json.dumps(new, ensure_ascii=False))


CYRILLIC_E = "\u0435"  # е
HOMOGLYPH = f"{CYRILLIC_E}xpenses:transfers"

# (name, how the statement file is made, exit status, what the message must say)
Case = tuple[str, Callable[[], str | bytes], int, list[str]]
STATEMENTS: list[Case] = [
    # -- 1. strict JSON in the statement document: exit 2, the path and the line named
    ("two figures members", lambda: text_sub('"figures": {', '"figures": {}, "figures": {'),
     2, ['the member "figures" appears twice', "at $.figures", "line"]),
    ("a row with two amounts", lambda: text_sub('"amount": "700.50"',
                                                '"amount": "1.00", "amount": "700.50"'),
     2, ['the member "amount" appears twice', "at $.figures.income[", ".amount", "line"]),
    ("two accounts with one code", lambda: text_sub('"assets:bank": "asset"',
                                                    '"assets:bank": "expense", '
                                                    '"assets:bank": "asset"'),
     2, ['appears twice', '$.accounts["assets:bank"]']),
    ("NaN", lambda: text_sub('"entries": 6', '"entries": NaN'),
     2, ["NaN is not a JSON number", "$.figures.entries"]),
    ("Infinity", lambda: text_sub('"entries": 6', '"entries": Infinity'),
     2, ["Infinity is not a JSON number", "$.figures.entries"]),
    ("-Infinity", lambda: text_sub('"later_entries": 1', '"later_entries": -Infinity'),
     2, ["-Infinity is not a JSON number", "$.figures.later_entries"]),
    ("a lone surrogate", lambda: text_sub('"label": "2026-10"', '"label": "2026-10\\ud800"'),
     2, ["lone surrogate", "$.period.label"]),
    ("a lone low surrogate in a name", lambda: text_sub('"period": {',
                                                        '"\\udc00": 1, "period": {'),
     2, ["lone surrogate", "line"]),
    ("an integer beyond 2^53", lambda: text_sub('"entries": 6', '"entries": 9007199254740993'),
     2, ["outside the safe range", "$.figures.entries"]),
    ("a 5,000-digit integer", lambda: text_sub('"entries": 6', '"entries": 1' + "0" * 5000),
     2, ["outside the safe range", "5001 characters", "$.figures.entries"]),
    ("a number a double cannot hold", lambda: text_sub('"entries": 6',
                                                       '"entries": 6.0000000000000000001'),
     2, ["cannot be held exactly", "$.figures.entries"]),
    ("1e400", lambda: text_sub('"EUR": 2', '"EUR": 1e400'),
     2, ["cannot be held exactly", "$.currencies.EUR"]),
    ("a byte that is not UTF-8", lambda: text_sub('"2026-10"', '"2026-\udcff10"'),
     2, ["not UTF-8", "byte 0xff", "line"]),
    ("a byte-order mark", lambda: "\ufeff" + NEW_TEXT, 2, ["byte-order mark"]),
    ("UTF-16", lambda: NEW_TEXT.encode("utf-16"), 2, ["not UTF-8"]),
    ("garbage after the document", lambda: NEW_TEXT + "{}", 2, ["data after the JSON document"]),
    ("a truncated file", lambda: NEW_TEXT[: len(NEW_TEXT) // 2], 2, ["not strict JSON", "line"]),
    ("an empty file", lambda: "", 2, ["ends where a value should be"]),
    ("deep nesting", lambda: text_sub('"period": {', '"deep": ' + "[" * 100_000 + "]" * 100_000
                                      + ', "period": {'),
     2, ["nested", "$.deep"]),
    ("a control character in a string", lambda: text_sub('"2026-10"', '"2026-\x0010"'),
     2, ["Invalid control character", "$.period.label"]),
    ("single quotes", lambda: text_sub('"entries": 6', "'entries': 6"),
     2, ["expected a member name"]),
    ("a trailing comma", lambda: text_sub('"entries": 6', '"entries": 6,,'),
     2, ["not strict JSON"]),
    # -- 5. wrong types at every position: exit 2, never a traceback
    ("currencies a list", lambda: doc(lambda d: d.update(currencies=[])), 2, ["currencies"]),
    ("places a float", lambda: doc(lambda d: d["currencies"].update(EUR=2.0)), 2, ["currencies"]),
    ("places a 5,000-digit number", lambda: text_sub('"EUR": 2', '"EUR": ' + "9" * 5000),
     2, ["outside the safe range", "$.currencies.EUR"]),
    ("an account type a number", lambda: doc(lambda d: d["accounts"].update({"assets:bank": 5})),
     2, ["accounts"]),
    ("period a string", lambda: doc(lambda d: d.update(period="2026-10")), 2, ["period"]),
    ("period days impossible", lambda: doc(lambda d: d["period"].update(start="2026-02-30")),
     2, ["not days"]),
    ("leaves a string", lambda: doc(lambda d: d.update(leaves="abc")), 2, ["leaves"]),
    ("a leaf a number", lambda: doc(lambda d: d["leaves"].__setitem__(2, 5)), 2, ["leaves 2"]),
    ("a leaf not base64", lambda: doc(lambda d: d["leaves"].__setitem__(2, "!!")),
     2, ["leaves 2"]),
    ("figures a list", lambda: doc(lambda d: d.update(figures=[])), 2, ["figures"]),
    ("a figure row a number", lambda: doc(lambda d: d["figures"]["income"].__setitem__(0, 5)),
     2, ["row 1 of the figure 'income'"]),
    ("a rate a number", lambda: doc(lambda d: d["rates"][0].update(rate=95.5)), 2, ["rate"]),
    ("a rate of 10^5000", lambda: doc(lambda d: d["rates"][0].update(rate="1" + "0" * 5000)),
     2, ["rate"]),
    ("a rate of NaN", lambda: doc(lambda d: d["rates"][0].update(rate="NaN")), 2, ["rate"]),
    ("the checkpoint a number", lambda: doc(lambda d: d.update(checkpoint=5)), 2, ["checkpoint"]),
    ("a checkpoint size of 5,000 digits",
     lambda: doc(lambda d: d.update(checkpoint=d["checkpoint"].replace(
         "\n7\n" if "\n7\n" in d["checkpoint"] else f"\n{len(NEW)}\n", "\n" + "9" * 5000 + "\n"))),
     1, ["tree size"]),
    ("case_leaves with a 5,000-digit index", lambda: text_sub(
        '"leaves": [', '"case_leaves": {"k7m2q9x4w8ab": [' + "9" * 5000 + ']}, "leaves": ['),
     2, ["outside the safe range", "$.case_leaves.k7m2q9x4w8ab[0]"]),
    # -- 2. leaves that are not their canonical form: the leaf named
    ("a leaf with spaces", lambda: replace_leaf(2, json.dumps(json.loads(NEW[2]),
                                                             sort_keys=True).encode()),
     1, ["leaf 2 is not in canonical form (RFC 8785)"]),
    ("a leaf with its members out of order", lambda: replace_leaf(
        2, json.dumps(dict(reversed(json.loads(NEW[2]).items())),
                      separators=(",", ":")).encode()),
     1, ["leaf 2 is not in canonical form"]),
    ("a leaf with an escaped letter", lambda: replace_leaf(
        6, NEW[6].replace(b'"assets:bank"', b'"assets:b\\u0061nk"')),
     1, ["leaf 6 is not in canonical form"]),
    ("a leaf with an escaped slash", lambda: replace_leaf(
        2, NEW[2].replace(b"ledger-leaf/1", b"ledger-leaf\\/1")),
     1, ["leaf 2 is not in canonical form"]),
    ("a leaf with a trailing newline", lambda: replace_leaf(2, NEW[2] + b"\n"),
     1, ["leaf 2 is not in canonical form"]),
    ("a leaf whose index is spelled 0.0e0", lambda: replace_leaf(
        7, NEW[7].replace(b'"reverses":0', b'"reverses":0.0e0')),
     1, ["leaf 7 is not in canonical form"]),
    ("a leaf with two amounts", lambda: replace_leaf(
        6, NEW[6].replace(b'"amount":"400.00"', b'"amount":"1.00","amount":"400.00"')),
     2, ["leaf 6 is not strict JSON", 'the member "amount" appears twice',
         "$.postings[0]"]),
    ("a leaf with two formats", lambda: replace_leaf(
        2, NEW[2].replace(b'"date"', b'"format":"other","date"')),
     2, ["leaf 2 is not strict JSON", 'the member "format" appears twice']),
    ("a leaf with NaN", lambda: replace_leaf(7, NEW[7].replace(b'"reverses":0',
                                                               b'"reverses":NaN')),
     2, ["leaf 7 is not strict JSON", "NaN", "$.reverses"]),
    ("a leaf with a lone surrogate", lambda: replace_leaf(
        6, NEW[6].replace(b'"fund":"general"', b'"fund":"general\\udfff"')),
     2, ["leaf 6 is not strict JSON", "lone surrogate", "$.postings[0].fund"]),
    ("a leaf that is not UTF-8", lambda: replace_leaf(
        6, NEW[6].replace(b'"general"', b'"gen\xffral"')),
     2, ["leaf 6 is not strict JSON", "not UTF-8", "0xff"]),
    ("a leaf with a BOM", lambda: replace_leaf(2, b"\xef\xbb\xbf" + NEW[2]),
     2, ["leaf 2 is not strict JSON", "byte-order mark"]),
    ("a leaf with a giant index", lambda: replace_leaf(
        7, NEW[7].replace(b'"reverses":0', b'"reverses":' + b"9" * 5000)),
     2, ["leaf 7 is not strict JSON", "outside the safe range"]),
    ("a leaf nested deep", lambda: replace_leaf(
        7, NEW[7].replace(b'"reverses":0', b'"reverses":' + b"[" * 50_000 + b"]" * 50_000)),
     2, ["leaf 7 is not strict JSON", "nested"]),
    ("a leaf cut short", lambda: replace_leaf(2, NEW[2][:-3]), 2, ["leaf 2 is not strict JSON"]),
    ("a leaf with an unknown member", lambda: edit_leaf(2, lambda d: d.update(note="x")),
     1, ["leaf 2 has members a ledger leaf does not have", '"note"']),
    ("a leaf of an unknown kind", lambda: edit_leaf(2, lambda d: d.update(kind="gift")),
     1, ["leaf 2 has the kind", "gift"]),
    ("an amount as a number", lambda: edit_leaf(2, set_posting(2, 0, "amount", 400)),
     1, ["leaf 2 has an invalid amount in posting 0"]),
    ("an amount of 5,000 digits", lambda: edit_leaf(2, lambda d: (
        d["postings"][0].update(amount="9" * 5000 + ".00"),
        d["postings"][1].update(amount="-" + "9" * 5000 + ".00"))),
     1, ["leaf 2 has an invalid amount in posting 0"]),
    ("a posting without a fund", lambda: edit_leaf(2, lambda d: d["postings"][0].pop("fund")),
     1, ["leaf 2 has a malformed posting 0"]),
    ("postings an object", lambda: edit_leaf(2, lambda d: d.update(postings={})),
     1, ["leaf 2 has no valid postings"]),
    ("a date of month 13", lambda: edit_leaf(2, lambda d: d.update(date="2026-13")),
     1, ["leaf 2 has no valid date"]),
    ("a leaf that is a list", lambda: replace_leaf(2, b"[]"), 1, ["leaf 2 is not a pompolit"]),
    # -- 3. reversals that are not reversals
    ("a reversal of a different amount", lambda: without_reversal(reversal(
        [("assets:bank", "general", "-4000.00", "RUB"),
         ("income:donations", "general", "4000.00", "RUB")])),
     1, ["reverses leaf 0, but its postings are not exactly the negation",
         "it lacks the posting assets:bank general -5000.00 RUB"]),
    ("an outflow disguised as a correction", lambda: without_reversal(reversal(
        [("expenses:legal", "general", "5000.00", "RUB"),
         ("assets:bank", "general", "-5000.00", "RUB")])),
     1, ["reverses leaf 0, but its postings are not exactly the negation",
         "expenses:legal general 5000.00 RUB, which negates nothing"]),
    ("a reversal into another fund", lambda: without_reversal(reversal(
        [("assets:bank", "lawyers", "-5000.00", "RUB"),
         ("income:donations", "lawyers", "5000.00", "RUB")])),
     1, ["reverses leaf 0, but its postings are not exactly the negation"]),
    ("a reversal in another currency", lambda: without_reversal(reversal(
        [("assets:bank", "general", "-5000.00", "EUR"),
         ("income:donations", "general", "5000.00", "EUR")])),
     1, ["not exactly the negation"]),
    ("a reversal with the same signs", lambda: without_reversal(reversal(
        [("assets:bank", "general", "5000.00", "RUB"),
         ("income:donations", "general", "-5000.00", "RUB")])),
     1, ["not exactly the negation"]),
    ("a reversal with a posting added", lambda: without_reversal(reversal(
        [*REVERSAL, ("assets:bank", "general", "-1.00", "RUB"),
         ("expenses:legal", "general", "1.00", "RUB")])),
     1, ["not exactly the negation", "which negates nothing"]),
    ("a reversal of part of an exchange", lambda: with_leaves([*NEW, reversal(
        [("assets:bank", "general", "9550.00", "RUB"),
         ("trading:rub", "general", "-9550.00", "RUB")], reverses=8)]),
     1, ["reverses leaf 8, but", "it lacks the posting trading:eur general 100.00 EUR"]),
    ("a reversal of a reversal", lambda: with_leaves([*NEW, reversal(
        [("assets:bank", "general", "5000.00", "RUB"),
         ("income:donations", "general", "-5000.00", "RUB")], reverses=7)]),
     1, ["leaf 11 reverses leaf 7, which is itself a reversal"]),
    ("an entry reversed twice", lambda: with_leaves([*NEW, reversal(REVERSAL)]),
     1, ["leaf 11 reverses leaf 0, which leaf 7 already reversed"]),
    ("a reversal of a later leaf", lambda: with_leaves([*NEW, reversal(REVERSAL, reverses=11)]),
     1, ["leaf 11 reverses leaf 11, which does not come before it"]),
    ("a reversal of a leaf beyond the log", lambda: with_leaves([*NEW, reversal(
        REVERSAL, reverses=2**53 - 1)]),
     1, ["does not come before it"]),
    ("a reversal index as a string", lambda: with_leaves([*NEW, reversal(REVERSAL, reverses="0")]),
     1, ["leaf 11 reverses \"0\", which is not a leaf index"]),
    ("a negative reversal index", lambda: with_leaves([*NEW, reversal(REVERSAL, reverses=-1)]),
     1, ["which is not a leaf index"]),
    ("an expense that says it reverses", lambda: with_leaves([*NEW, reversal(
        REVERSAL, kind="expense")]),
     1, ["leaf 11 is a expense but has 'reverses'"]),
    ("a reversal that names nothing", lambda: with_leaves([*NEW, leaf(
        "2026-10", "reversal", REVERSAL)]),
     1, ["leaf 11 is a reversal without 'reverses'"]),
    ("a reversal with a receipt", lambda: without_reversal(leaf(
        "2026-10", "reversal", REVERSAL, reverses=0, receipt="0" * 64)),
     1, ["carries a donation's receipt"]),
    # -- 4. codes outside the alphabet, in leaves and in the chart
    ("a Cyrillic е in an expense account typed an asset", lambda: chart_and_leaf(
        '"expenses:parcels"', f'"{CYRILLIC_E}xpenses:parcels"').replace(
        f'"{CYRILLIC_E}xpenses:parcels": "expense"', f'"{CYRILLIC_E}xpenses:parcels": "asset"'),
     1, ["\\u0435xpenses:parcels", "U+0435"]),
    ("a Cyrillic е in a leaf only", lambda: with_leaves([*NEW, expense(
        "2026-10", "1.00", HOMOGLYPH, fund="general")]),
     1, ["leaf 11 has an invalid code in posting 0", "\\u0435xpenses:transfers"]),
    ("a homoglyph account only in the chart", lambda: doc(
        lambda d: d["accounts"].update({HOMOGLYPH: "asset"})),
     1, ["the statement's chart", "\\u0435xpenses:transfers"]),
    ("a Cyrillic fund", lambda: with_leaves([*NEW, donation("2026-10", "1.00",
                                                             fund="g\u0435neral")]),
     1, ["leaf 11 has an invalid code in posting 0", "fund code", "g\\u0435neral"]),
    ("a Cyrillic В in a currency", lambda: chart_and_leaf('"EUR"', '"EU\u0412"'),
     1, ["currency code", "EU\\u0412"]),
    ("a lower-case currency", lambda: chart_and_leaf('"EUR"', '"eur"'),
     1, ["currency code \"eur\""]),
    ("a Cyrillic channel", lambda: with_leaves([*NEW, donation("2026-10", "1.00",
                                                                channel="\u0441ard")]),
     1, ["leaf 11 has an invalid channel", "\\u0441ard"]),
    ("a campaign in capitals", lambda: with_leaves([*NEW, donation("2026-10", "1.00",
                                                                    campaign="Winter")]),
     1, ["leaf 11 has an invalid campaign", "\"Winter\""]),
    ("a zero-width space in an account", lambda: chart_and_leaf(
        '"assets:cash"', '"assets:\u200bcash"'),
     1, ["assets:\\u200bcash", "U+200B"]),
    ("a space in a fund", lambda: with_leaves([*NEW, donation("2026-10", "1.00",
                                                               fund="general ")]),
     1, ["leaf 11 has an invalid code", "\"general \""]),
    ("an account code with an empty segment", lambda: chart_and_leaf(
        '"assets:cash"', '"assets::cash"'),
     1, ["account code \"assets::cash\""]),
    ("a fund a number", lambda: edit_leaf(2, set_posting(2, 0, "fund", 7)),
     1, ["leaf 2 has an invalid code in posting 0", "is not a string"]),
    # -- the classics
    ("an entry count of 6.0", lambda: text_sub('"entries": 6', '"entries": 6.0'),
     1, ["figure entries: the leaves give 6, the statement says 6.0"]),
    ("a later-entry count of true", lambda: text_sub('"later_entries": 1',
                                                     '"later_entries": true'),
     1, ["figure later_entries: the leaves give 1, the statement says True"]),
    ("a changed figure", lambda: doc(lambda d: d["figures"]["income"][0].update(amount="1.00")),
     1, ["figure income[", "the leaves give 700.50, the statement says 1.00"]),
    ("totals that do not add up", lambda: doc(lambda d: d["figures"].update(entries=99)),
     1, ["figure entries: the leaves give 6, the statement says 99"]),
    ("a changed leaf amount", lambda: doc(lambda d: d["leaves"].__setitem__(
        6, base64.b64encode(NEW[6].replace(b"400.00", b"40.00", 1)).decode())),
     1, ["leaf 6 was changed", "leaf 6: does not balance"]),
    ("re-signed with another key", lambda: doc(lambda d: d.update(checkpoint=sign(
        ORIGIN, len(NEW), base64.b64decode(d["checkpoint"].split("\n")[2]), ORIGIN,
        bytes(range(1, 33))))),
     1, ["checkpoint:"]),
    ("a moved leaf", lambda: doc(lambda d: d["leaves"].insert(3, d["leaves"].pop(1))),
     1, ["out of order"]),
    ("a dropped leaf", lambda: doc(lambda d: d["leaves"].pop(4)),
     1, ["leaf 4 of the signed log was dropped"]),
    ("a reclassified account", lambda: doc(lambda d: d["accounts"].update(
        {"expenses:parcels": "asset"})),
     1, ["the chart says account 'expenses:parcels' is of type 'asset'"]),
]


def run(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | bytes,
        *argv: str) -> tuple[int, str]:
    path = tmp_path / "input.json"
    if isinstance(content, str):
        content = content.encode("utf-8", "surrogateescape")
    path.write_bytes(content)
    status = main([*(str(path) if a == "FILE" else a for a in argv), "--vkey", VKEY])
    captured = capsys.readouterr()
    assert captured.err == ""
    assert "unexpected" not in captured.out, captured.out  # no crash caught as a last resort
    return status, captured.out


@pytest.mark.parametrize(("make", "status", "says"), [case[1:] for case in STATEMENTS],
                         ids=[case[0] for case in STATEMENTS])
def test_a_forged_statement_is_refused_and_the_place_named(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], make: Callable[[], str | bytes],
        status: int, says: list[str]) -> None:
    found, out = run(tmp_path, capsys, make(), "statement", "FILE")
    assert found == status, out
    for words in says:
        assert words in out, f"{words!r} not in:\n{out}"


def test_the_honest_statement_verifies(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    assert run(tmp_path, capsys, NEW_TEXT, "statement", "FILE")[0] == 0


def test_a_directory_is_not_a_statement(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    status = main(["statement", str(tmp_path), "--vkey", VKEY])
    out = capsys.readouterr().out
    assert status == 2 and "Is a directory" in out


def test_a_missing_file_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    status = main(["statement", str(tmp_path / "нет.json"), "--vkey", VKEY])
    out = capsys.readouterr().out
    assert status == 2 and "нет.json" in out


# -- the receipt command reads the same statements ----------------------------------------


RECEIPTS: list[Case] = [
    ("two figures members", STATEMENTS[0][1], 2, ["appears twice"]),
    ("a leaf with two amounts", lambda: replace_leaf(
        6, NEW[6].replace(b'"amount":"400.00"', b'"amount":"1.00","amount":"400.00"')),
     2, ["leaf 6 is not strict JSON"]),
    ("a reversal of a reversal", lambda: with_leaves([*NEW, reversal(
        [("assets:bank", "general", "5000.00", "RUB"),
         ("income:donations", "general", "-5000.00", "RUB")], reverses=7)]),
     1, ["which is itself a reversal"]),
    ("a Cyrillic account in the chart", lambda: doc(
        lambda d: d["accounts"].update({HOMOGLYPH: "asset"})), 1, ["\\u0435xpenses"]),
    ("a non-canonical leaf", lambda: replace_leaf(2, NEW[2] + b" "), 1, ["canonical"]),
]


@pytest.mark.parametrize(("make", "status", "says"), [case[1:] for case in RECEIPTS],
                         ids=[case[0] for case in RECEIPTS])
def test_a_receipt_is_not_found_in_a_forged_statement(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], make: Callable[[], str | bytes],
        status: int, says: list[str]) -> None:
    found, out = run(tmp_path, capsys, make(), "receipt", RECEIPT_CODE, "--statement", "FILE")
    assert found == status, out
    for words in says:
        assert words in out, f"{words!r} not in:\n{out}"


def test_a_receipt_in_the_honest_statement_is_found(tmp_path, capsys):
    status, out = run(tmp_path, capsys, NEW_TEXT, "receipt", RECEIPT_CODE, "--statement", "FILE")
    assert status == 0, out
    assert "reversed (corrected) by leaf 7" in out


# -- bundles, proofs and checkpoints --------------------------------------------------------


BUNDLE = bundle_text(50, previous=20)


def ledger_bundle(leaves: list[bytes]) -> str:
    import io

    from pompolit.transparency import MerkleLog
    from pompolit.transparency.bundle import write_bundle
    from transparency_fixtures import SEED

    tree = MerkleLog()
    tree.extend(leaves)
    out = io.StringIO()
    write_bundle(out, origin=ORIGIN, leaves=leaves,
                 checkpoint=sign(ORIGIN, len(leaves), tree.root(), ORIGIN, SEED))
    return out.getvalue()


def bundle_sub(old: str, new: str) -> str:
    assert old in BUNDLE, old
    return BUNDLE.replace(old, new, 1)


BUNDLES: list[Case] = [
    ("two checkpoints", lambda: bundle_sub('"checkpoint":', '"checkpoint": "x", "checkpoint":'),
     2, ['the member "checkpoint" appears twice', "$.checkpoint"]),
    ("two leaves members", lambda: BUNDLE.replace('\n ]\n}', '\n ], "leaves": []\n}'),
     2, ['the member "leaves" appears twice']),
    ("NaN in a field", lambda: bundle_sub('"origin":', '"extra": [1, NaN], "origin":'),
     2, ["NaN is not a JSON number", "$.extra[1]", "line 3"]),
    ("a lone surrogate", lambda: bundle_sub('"origin":', '"extra": "\\ud800", "origin":'),
     2, ["lone surrogate", "$.extra"]),
    ("a 5,000-digit number", lambda: bundle_sub('"origin":',
                                                '"extra": ' + "7" * 5000 + ', "origin":'),
     2, ["outside the safe range", "$.extra"]),
    ("a BOM", lambda: "\ufeff" + BUNDLE, 2, ["byte-order mark"]),
    ("a byte that is not UTF-8", lambda: BUNDLE.encode()[:200] + b"\xfe" + BUNDLE.encode()[200:],
     2, ["not UTF-8", "0xfe", "line"]),
    ("garbage after the document", lambda: BUNDLE + "x", 2, ["data after the document"]),
    ("a truncated bundle", lambda: BUNDLE[: len(BUNDLE) * 2 // 3], 2,
     ["not strict JSON", "$.leaves[", "line"]),
    ("an empty file", lambda: "", 2, ["expected '{'"]),
    ("a leaf a number", lambda: BUNDLE.replace('\n ]\n}', ',\n  5\n ]\n}'),
     2, ["$.leaves[50] is not one"]),
    ("deep nesting", lambda: bundle_sub('"origin":', '"extra": ' + "[" * 100_000 + "]" * 100_000
                                        + ', "origin":'),
     2, ["nested", "$.extra"]),
    ("a ledger leaf with spaces", lambda: ledger_bundle(
        [*NEW[:3], json.dumps(json.loads(NEW[3]), sort_keys=True).encode()]),
     1, ["leaf 3 is not in canonical form"]),
    ("a ledger leaf with two amounts", lambda: ledger_bundle([*NEW[:3], NEW[3].replace(
        b'"amount":"2500.00"', b'"amount":"1.00","amount":"2500.00"')]),
     2, ["leaf 3 is not strict JSON", "appears twice"]),
    ("an outflow disguised as a reversal", lambda: ledger_bundle([*NEW[:7], reversal(
        [("expenses:legal", "general", "5000.00", "RUB"),
         ("assets:bank", "general", "-5000.00", "RUB")])]),
     1, ["leaf 7 reverses leaf 0, but its postings are not exactly the negation"]),
    ("a reversal of a reversal", lambda: ledger_bundle([*NEW, reversal(
        [("assets:bank", "general", "5000.00", "RUB"),
         ("income:donations", "general", "-5000.00", "RUB")], reverses=7)]),
     1, ["leaf 11 reverses leaf 7, which is itself a reversal"]),
    ("a Cyrillic account", lambda: ledger_bundle([*NEW, expense(
        "2026-10", "1.00", HOMOGLYPH, fund="general")]),
     1, ["leaf 11 has an invalid code", "\\u0435xpenses:transfers"]),
    ("an unbalanced ledger leaf", lambda: ledger_bundle([*NEW, leaf("2026-10", "expense", [
        ("expenses:legal", "general", "5.00", "RUB"),
        ("assets:bank", "general", "-4.00", "RUB")])]),
     1, ["leaf 11 does not balance"]),
    ("a stray leaf among ledger leaves", lambda: ledger_bundle([*NEW[:3], b"hello"]),
     1, ["leaf 3 is not a ledger leaf but leaf 0 is"]),
]


@pytest.mark.parametrize(("make", "status", "says"), [case[1:] for case in BUNDLES],
                         ids=[case[0] for case in BUNDLES])
def test_a_forged_bundle_is_refused_and_the_place_named(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], make: Callable[[], str | bytes],
        status: int, says: list[str]) -> None:
    found, out = run(tmp_path, capsys, make(), "bundle", "FILE")
    assert found == status, out
    for words in says:
        assert words in out, f"{words!r} not in:\n{out}"


def test_honest_bundles_verify(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    assert run(tmp_path, capsys, BUNDLE, "bundle", "FILE")[0] == 0
    assert run(tmp_path, capsys, ledger_bundle(NEW), "bundle", "FILE")[0] == 0


INCLUSION = json.dumps(inclusion_json(), indent=1)
CONSISTENCY = json.dumps(consistency_json(), indent=1)

DOCUMENTS: list[tuple[str, str, Callable[[], str | bytes], int, list[str]]] = [
    ("inclusion", "two indexes", lambda: INCLUSION.replace('"index":', '"index": 1, "index":'),
     2, ['the member "index" appears twice']),
    ("inclusion", "a 5,000-digit index", lambda: re.sub(r'"index": \d+', '"index": ' + "1" * 5000,
                                                        INCLUSION),
     2, ["outside the safe range", "$.index"]),
    ("inclusion", "an index as a float", lambda: re.sub(r'"index": \d+', '"index": 123.0',
                                                        INCLUSION),
     2, ["'index' field must be a int"]),
    ("inclusion", "a size beyond 2^53", lambda: re.sub(r'"size": \d+',
                                                       '"size": 18446744073709551615', INCLUSION),
     2, ["outside the safe range", "$.size"]),
    ("inclusion", "a proof element NaN", lambda: INCLUSION.replace('"proof": [',
                                                                   '"proof": [NaN, '),
     2, ["NaN", "$.proof[0]"]),
    ("inclusion", "a BOM", lambda: "\ufeff" + INCLUSION, 2, ["byte-order mark"]),
    ("inclusion", "a list", lambda: "[]", 2, ["not a JSON object"]),
    ("inclusion", "truncated", lambda: INCLUSION[:40], 2, ["line"]),
    ("consistency", "two proofs", lambda: CONSISTENCY.replace('"proof":', '"proof": [], "proof":'),
     2, ['the member "proof" appears twice']),
    ("consistency", "a lone surrogate", lambda: CONSISTENCY.replace(
        '"format":', '"x": "\\udbff", "format":'), 2, ["lone surrogate", "$.x"]),
    ("consistency", "not UTF-8", lambda: b"\xff" + CONSISTENCY.encode(), 2, ["not UTF-8"]),
    ("checkpoint", "a 5,000-digit size", lambda: checkpoint(20).replace(
        "\n20\n", "\n" + "2" * 5000 + "\n"), 1, ["checkpoint"]),
    ("checkpoint", "not UTF-8", lambda: checkpoint(20).encode().replace(b"\n20\n", b"\n2\xff\n"),
     2, ["not UTF-8"]),
    ("checkpoint", "empty", lambda: "", 1, ["malformed"]),
]


@pytest.mark.parametrize(("command", "make", "status", "says"), [c[:1] + c[2:] for c in DOCUMENTS],
                         ids=[f"{c[0]}: {c[1]}" for c in DOCUMENTS])
def test_a_forged_proof_or_checkpoint_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str,
        make: Callable[[], str | bytes], status: int, says: list[str]) -> None:
    found, out = run(tmp_path, capsys, make(), command, "FILE")
    assert found == status, out
    for words in says:
        assert words in out, f"{words!r} not in:\n{out}"


def test_a_proof_file_is_read_strictly(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    old, new = tmp_path / "old", tmp_path / "new"
    old.write_text(checkpoint(600))
    new.write_text(checkpoint(1000))
    proof = tmp_path / "proof.json"
    hashes = json.loads(CONSISTENCY)["proof"]
    proof.write_text(json.dumps({"proof": hashes}))
    assert main(["consistency", str(old), str(new), str(proof), "--vkey", VKEY]) == 0
    proof.write_text('{"proof": [], "proof": ' + json.dumps(hashes) + "}")
    assert main(["consistency", str(old), str(new), str(proof), "--vkey", VKEY]) == 2
    assert "appears twice" in capsys.readouterr().out


def ledger_inclusion(leaves: list[bytes], index: int) -> str:
    from pompolit.transparency import MerkleLog
    from pompolit.transparency.bundle import inclusion_document
    from transparency_fixtures import SEED

    tree = MerkleLog()
    tree.extend(leaves)
    note = sign(ORIGIN, len(leaves), tree.root(), ORIGIN, SEED)
    return json.dumps(inclusion_document(note, index, tree.inclusion_proof(index),
                                         leaf_data=leaves[index]))


@pytest.mark.parametrize(("leaf", "status", "says"), [
    (NEW[6], 0, "the leaf is a valid ledger leaf in its canonical form"),
    (NEW[6] + b" ", 1, "the leaf is not in canonical form (RFC 8785)"),
    (NEW[6].replace(b'"amount":"400.00"', b'"amount":"1.00","amount":"400.00"'), 2,
     "the leaf is not strict JSON"),
    (NEW[6].replace(b"expenses:parcels", "еxpenses:parcels".encode()), 1,
     "\\u0435xpenses:parcels"),
], ids=["honest", "a space", "two amounts", "a Cyrillic е"])
def test_an_inclusion_proof_of_a_ledger_leaf_checks_the_leaf(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], leaf: bytes, status: int,
        says: str) -> None:
    leaves = list(NEW)
    leaves[6] = leaf
    found, out = run(tmp_path, capsys, ledger_inclusion(leaves, 6), "inclusion", "FILE")
    assert found == status, out
    assert says in out


def test_a_leaf_that_is_not_strict_json_makes_the_statement_unreadable_yet_all_is_listed():
    import io

    from pompolit.transparency.errors import DocumentError
    from pompolit.transparency.report import Report
    from pompolit.transparency.statement.problems import StatementProblems
    from pompolit.transparency.statement.verify import verify_statement_file

    text = with_leaves([*NEW[:6], NEW[6].replace(b'"amount":"400.00"',
                                                 b'"amount":"1.00","amount":"400.00"'),
                        *NEW[7:], expense("2026-10", "1.00", HOMOGLYPH, fund="general")])
    with pytest.raises(DocumentError) as caught:
        verify_statement_file(io.StringIO(text), VKEY, Report())
    assert isinstance(caught.value, StatementProblems)
    found = {(p.what, p.leaf) for p in caught.value.problems}
    assert {("json", 6), ("leaf", 11)} <= found
