"""The rules of the ledger leaves (rules.py) and the strict JSON reader (strictjson.py), on
their own: the code alphabet accepts every code the server makes and nothing that only looks
like one; the fast road to a verdict on a leaf agrees with the slow one; the standard
library's sorted encoding is RFC 8785 for what a leaf holds; a reversal is an exact negation."""

import io
import json

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st
from pompolit.transparency import rules, strictjson
from pompolit.transparency.errors import DocumentError
from statement_fixtures import NEW

# Codes the server makes (models, demo data, the statement bench): all must pass.
SERVER_CODES = {
    "account": ["assets:bank", "assets:cash", "assets:card-processor", "assets:crypto",
                "assets:foreign-chapters", "expenses:bank-fees", "expenses:parcels:lost",
                "expenses:transfers", "income:donations", "liabilities:aid-reserved",
                "net-assets:interfund", "trading:eur", "trading:usdt", "trading:rub"],
    "fund": ["general", "lawyers", "parcels-winter", "case-17", "transfers"],
    "campaign": ["appeal-2025", "winter-parcels", "lawyers-2026", "letters"],
    "channel": ["bank_transfer", "cash", "card", "crypto", "foreign_chapter"],
    "currency": ["RUB", "EUR", "USD", "USDT", "BTC", "KZT", "GEL"],
}


@pytest.mark.parametrize(("kind", "code"), [(k, c) for k, codes in SERVER_CODES.items()
                                             for c in codes])
def test_every_code_the_server_makes_is_in_the_alphabet(kind: str, code: str) -> None:
    assert rules.check_code(kind, code) is None


@pytest.mark.parametrize(("kind", "code", "shown"), [
    ("account", "\u0435xpenses:transfers", "\\u0435xpenses:transfers"),  # Cyrillic е
    ("account", "expenses:tr\u0430nsfers", "U+0430"),  # Cyrillic а
    ("account", "assets:\u200bbank", "U+200B"),  # zero-width space
    ("account", "assets:bank\n", "\\n"),
    ("account", "Assets:bank", '"Assets:bank"'),
    ("account", "assets::bank", '"assets::bank"'),
    ("account", ":assets", '":assets"'),
    ("account", "assets:", '"assets:"'),
    ("account", "assets bank", '"assets bank"'),
    ("account", "расходы:передачи", "\\u0440"),
    ("account", "a" * 101, "longer than 100"),
    ("fund", "", '""'),
    ("fund", "-general", '"-general"'),
    ("fund", "ｇeneral", "U+FF47"),  # full-width g
    ("campaign", "Сбор 2026", "\\u0421"),
    ("channel", "bank transfer", '"bank transfer"'),
    ("currency", "RU\u0412", "RU\\u0412"),  # Cyrillic В
    ("currency", "rub", '"rub"'),
    ("currency", "EU", '"EU"'),
    ("currency", "1INCH", '"1INCH"'),
    ("currency", "EURO12345678", '"EURO12345678"'),
])
def test_a_code_outside_the_alphabet_is_named_with_its_odd_characters_visible(
        kind: str, code: str, shown: str) -> None:
    reason = rules.check_code(kind, code)
    assert reason is not None and reason.startswith(f"the {kind} code ")
    assert shown in reason
    assert reason.isascii()  # what looks alike is spelled out


def test_a_code_that_is_not_a_string_is_refused() -> None:
    assert "is not a string" in (rules.check_code("fund", 7) or "")
    with pytest.raises(ValueError, match="unknown kind"):
        rules.check_code("colour", "red")


# -- leaves: the fast road and the slow road agree ---------------------------------------------

LOWER, UPPER, DIGITS = "abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789"
SEGMENT = st.builds(lambda first, rest: first + rest, st.sampled_from(LOWER + DIGITS),
                    st.text(LOWER + DIGITS + "-_", max_size=10))
CODE = st.lists(SEGMENT, min_size=1, max_size=3).map(":".join)
CURRENCY = st.builds(lambda first, rest: first + rest, st.sampled_from(UPPER),
                     st.text(UPPER + DIGITS, min_size=2, max_size=9))
AMOUNT = st.integers(-(10**15), 10**15).filter(bool).map(lambda u: f"{u / 100:.2f}")
POSTING = st.tuples(CODE, CODE, AMOUNT, CURRENCY)


@st.composite
def leaf_documents(draw: st.DrawFn) -> dict[str, object]:
    kind = draw(st.sampled_from(sorted(rules.KINDS)))
    document: dict[str, object] = {
        "format": rules.LEAF,
        "date": draw(st.sampled_from(["2026", "2026-10", "2026-10-14", "2024-02-29"])),
        "kind": kind,
        "postings": [{"account": a, "fund": f, "amount": m, "currency": c}
                     for a, f, m, c in draw(st.lists(POSTING, min_size=2, max_size=5))],
    }
    if kind == "donation":
        document["receipt"] = draw(st.binary(min_size=32, max_size=32)).hex()
        document["channel"] = draw(CODE)
        if draw(st.booleans()):
            document["campaign"] = draw(CODE)
    if kind == "reversal":
        document["reverses"] = draw(st.integers(0, 2**53 - 1))
    return document


def encode(document: object) -> bytes:
    return bytes(rfc8785.dumps(document))


@settings(max_examples=100, deadline=None)
@given(document=leaf_documents())
def test_a_valid_leaf_reads_the_same_on_both_roads(document: dict[str, object]) -> None:
    data = encode(document)
    fast = rules._fast_leaf(data)
    assert fast is not None
    assert fast == rules.read_leaf_slowly(data)


@st.composite
def mutated_leaves(draw: st.DrawFn) -> bytes:
    data = encode(draw(leaf_documents()))
    at = draw(st.integers(0, len(data)))
    how = draw(st.sampled_from(["flip", "insert", "delete", "swap"]))
    if how == "flip" and at < len(data):
        return data[:at] + bytes([data[at] ^ draw(st.integers(1, 127))]) + data[at + 1 :]
    if how == "insert":
        return data[:at] + draw(st.sampled_from(
            [b" ", b",", b'"', b"\\u0061", b"0", b"-", b":", b'"receipt":"' + b"0" * 64 + b'",',
             b'"channel":"cash",', b'"reverses":1,', b'"campaign":"x",', b"\xd0\xb5"])) + data[at:]
    if how == "delete":
        return data[:at] + data[at + draw(st.integers(1, 12)) :]
    return data.replace(b"donation", b"reversal").replace(b"reversal", b"expense", 1)


@settings(max_examples=200, deadline=None)
@given(data=mutated_leaves())
def test_the_fast_road_never_accepts_what_the_slow_one_refuses(data: bytes) -> None:
    fast = rules._fast_leaf(data)
    try:
        slow = rules.read_leaf_slowly(data)
    except rules.LeafProblem:
        assert fast is None
    else:
        assert fast is None or fast == slow


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53 - 1), 2**53 - 1) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.text(st.characters(max_codepoint=127)), inner, max_size=4),
    max_leaves=12)


@settings(max_examples=200, deadline=None)
@given(value=JSON_VALUES)
def test_the_sorted_compact_encoding_is_rfc8785_for_what_a_leaf_may_hold(value: object) -> None:
    try:
        data = rules._CANONICAL.encode(value).encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: refused as not strict JSON anyway
        return
    assert data == encode(value)
    assert rules.canonical_problem(data)[1] is None


def test_every_fixture_leaf_is_valid() -> None:
    for data in NEW:
        assert rules.read_leaf(data) == rules.read_leaf_slowly(data)
    assert rules.check_leaves(NEW) == []


# -- reversals --------------------------------------------------------------------------------

DONATION = [("assets:bank", "general", "5000.00", "RUB"),
            ("income:donations", "general", "-5000.00", "RUB")]


def test_an_exact_negation_in_any_order_is_a_reversal() -> None:
    negated = [(a, f, rules.negate(m), c) for a, f, m, c in reversed(DONATION)]
    assert rules.reversal_difference(DONATION, negated) == []


@pytest.mark.parametrize(("reversal", "says"), [
    ([("assets:bank", "general", "-4000.00", "RUB"),
      ("income:donations", "general", "4000.00", "RUB")],
     "it lacks the posting assets:bank general -5000.00 RUB"),
    ([("expenses:legal", "general", "5000.00", "RUB"),
      ("assets:bank", "general", "-5000.00", "RUB")],
     "it has the posting expenses:legal general 5000.00 RUB, which negates nothing"),
    ([("assets:bank", "general", "-5000.00", "RUB")],
     "it lacks the posting income:donations general 5000.00 RUB"),
    (DONATION, "it lacks the posting assets:bank general -5000.00 RUB"),
])
def test_anything_but_an_exact_negation_is_named(reversal, says) -> None:
    assert says in rules.reversal_difference(DONATION, reversal)


# -- strict JSON --------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "says"), [
    ('{"a": 1, "a": 1}', 'the member "a" appears twice, at $.a (line 1, column 10)'),
    ('{"a": {"b": [0, {"c": 1, "c": 2}]}}', "at $.a.b[1].c"),
    ('{"x y": {"z": 1, "z": 2}}', '$["x y"].z'),
    ("[NaN]", "NaN is not a JSON number, at $[0]"),
    ('["\\udfff"]', "lone surrogate"),
    ('["\\ud800\\u0041"]', "lone surrogate"),
    ("[9007199254740992]", "outside the safe range"),
    ("[-9007199254740992]", "outside the safe range"),
    ("[1e309]", "cannot be held exactly"),
    ("[0.1000000000000000000000001]", "cannot be held exactly"),
    ("{} {}", "data after the JSON document"),
    ("\n\n  [1,\n 2,,]", "line 4"),
    ("[" * 200 + "]" * 200, None),
    ("[" * 100_000 + "]" * 100_000, "nested more than 64 levels deep"),
])
def test_strict_json_refuses_and_says_where(text: str, says: str | None) -> None:
    if says is None:
        strictjson.loads(text)  # deep, but readable: accepted
        return
    with pytest.raises(DocumentError) as caught:
        strictjson.loads(text, "the test")
    assert says in caught.value.reason


@pytest.mark.parametrize("text", [
    '{"a": [1, -2, 3.5, 0.1, 1e2, -0, 9007199254740991, true, false, null, "\\ud83d\\ude00"]}',
    '"\\u0435"', "[]", "{}", '  {"е": "ё"}  ',
])
def test_strict_json_reads_what_is_strict(text: str) -> None:
    assert strictjson.loads(text) == json.loads(text)


def test_the_utf8_reader_names_the_bad_byte_across_chunks() -> None:
    data = ("{\n" + '"имя": "значение",\n' * 3000 + '"x": "').encode() + b"\xff\"}"
    reader = strictjson.Utf8Reader(io.BytesIO(data), "big.json")
    with pytest.raises(DocumentError) as caught:
        while reader.read(1000):  # chunks cut through two-byte letters
            pass
    assert f"byte {len(data) - 3}" in caught.value.reason
    assert "line 3002" in caught.value.reason
    text = strictjson.Utf8Reader(io.BytesIO(data[:-3]), "big.json")
    pieces = []
    while piece := text.read(999):
        pieces.append(piece)
    assert "".join(pieces) == data[:-3].decode()


def test_the_utf8_reader_refuses_a_cut_letter_and_a_bom() -> None:
    with pytest.raises(DocumentError, match="not UTF-8"):
        strictjson.Utf8Reader(io.BytesIO("ж".encode()[:1]), "x").read()
    with pytest.raises(DocumentError, match="byte-order mark"):
        strictjson.Utf8Reader(io.BytesIO(b"\xef\xbb\xbf{}"), "x").read()
