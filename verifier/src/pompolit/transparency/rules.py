"""The rules every ledger leaf obeys, stated once so the server and the verifier agree.

- Codes (accounts, funds, campaigns, channels, currencies) come from a small ASCII alphabet,
  so that no code can look like another (`еxpenses:transfers` with a Cyrillic е is not
  `expenses:transfers`): see CODE_PATTERN, CURRENCY_PATTERN and check_code.
- A leaf is exactly its RFC 8785 canonical form and has exactly the documented members
  (read_leaf).
- A reversal is the exact negation of an earlier entry that is not itself a reversal and
  has not been reversed before (reversal_difference, Reversals).

docs/transparency.md ("Ledger leaf", "Codes", "Reversals") is the specification; this module
is pure (no Django), so the server can call check_code and reversal_difference too.
"""

import datetime
import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

import rfc8785

from . import strictjson
from .strictjson import shown

LEAF = "pompolit-ledger-leaf/1"
KINDS = frozenset({"donation", "expense", "exchange", "transfer", "opening", "reversal"})
# Lower-case Latin letters and digits in segments joined by ":"; "-" and "_" inside a segment.
CODE_PATTERN = r"[a-z0-9][a-z0-9_-]*(?::[a-z0-9][a-z0-9_-]*)*"
# ISO 4217 codes (RUB, EUR) and unofficial ones (USDT): a capital letter, then 2 to 9 more
# capitals or digits.
CURRENCY_PATTERN = r"[A-Z][A-Z0-9]{2,9}"
MAX_CODE_LENGTH = 100
# Minor units are 64-bit integers in the books: 19 digits, a sign and a point are enough.
MAX_AMOUNT_LENGTH = 32
RECEIPT_PATTERN = r"[0-9a-f]{64}"
CODE_KINDS = ("account", "fund", "campaign", "channel", "currency")
_CODE = re.compile(CODE_PATTERN)
_CURRENCY = re.compile(CURRENCY_PATTERN)
_RECEIPT = re.compile(RECEIPT_PATTERN)
_AMOUNT = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")
_DATE = re.compile(r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?")
LEAF_MEMBERS = frozenset({"format", "date", "kind", "postings", "receipt", "channel",
                          "campaign", "reverses"})
POSTING_MEMBERS = ("account", "fund", "amount", "currency")
MAX_INDEX = 2**53 - 1  # a leaf index, within I-JSON's safe integers


# -- codes ------------------------------------------------------------------------------------


def check_code(kind: str, code: object) -> str | None:
    """Why `code` is not a valid `kind` code ("account", "fund", "campaign", "channel" or
    "currency"), as a sentence naming it with its odd characters escaped; None if valid."""
    if kind not in CODE_KINDS:
        raise ValueError(f"unknown kind of code {kind!r}")
    if not isinstance(code, str):
        return f"the {kind} code {json.dumps(code)[:40]} is not a string"
    pattern, alphabet = (
        (_CURRENCY, "a capital Latin letter, then 2 to 9 capital Latin letters or digits")
        if kind == "currency" else
        (_CODE, "lower-case Latin letters, digits, '-' and '_', in segments joined by ':'"))
    if len(code) > MAX_CODE_LENGTH or not pattern.fullmatch(code):
        odd = sorted({char for char in code if not (char.isascii() and char.isprintable())})
        detail = (f" (it contains {', '.join(_char_name(c) for c in odd[:5])})" if odd
                  else f" (longer than {MAX_CODE_LENGTH} characters)"
                  if len(code) > MAX_CODE_LENGTH else "")
        return f"the {kind} code {shown(code[:MAX_CODE_LENGTH])} is not {alphabet}{detail}"
    return None


def _char_name(char: str) -> str:
    return f"U+{ord(char):04X} {shown(char)}"


# -- one leaf ---------------------------------------------------------------------------------


class LeafProblem(ValueError):
    """A leaf that is not a valid ledger leaf. `unreadable`: not even strict JSON."""

    def __init__(self, message: str, unreadable: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.unreadable = unreadable


Posting = tuple[str, str, str, str]  # account, fund, amount text, currency


class Leaf(NamedTuple):
    date: str
    kind: str
    postings: tuple[Posting, ...]
    receipt: str | None = None
    channel: str | None = None
    campaign: str | None = None
    reverses: int | None = None


def _leaf_int(text: str) -> int:
    if len(text) > 17 or strictjson.number_problem(text):
        raise strictjson._Refused(text)
    return int(text)


def _leaf_float(text: str) -> float:
    raise strictjson._Refused(text)  # a ledger leaf has no fractional numbers


_LEAF_DECODER = json.JSONDecoder(parse_int=_leaf_int, parse_float=_leaf_float,
                                 parse_constant=strictjson._parse_constant)
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                              allow_nan=False)


def canonical_problem(data: bytes) -> tuple[object, LeafProblem | None]:
    """The value of a leaf, and why its bytes are not exactly the RFC 8785 form of it.

    Fast path: for what a ledger leaf may hold (objects with ASCII member names, strings,
    safe integers, lists) the standard library's sorted compact encoding is byte for byte
    RFC 8785 (tests/test_rules.py checks this against the rfc8785 library); any other value
    is compared with rfc8785's output itself."""
    if data.startswith(b"\xef\xbb\xbf"):
        raise _unreadable("is not strict JSON: it starts with a byte-order mark (BOM)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        reason = strictjson.not_utf8("the leaf", data, error.start).reason
        raise _unreadable("is not strict JSON: " + reason.removeprefix("the leaf ")) from None
    try:
        value = _LEAF_DECODER.decode(text)
        if _CANONICAL.encode(value).encode("utf-8") == data:
            return value, None
    except (ValueError, RecursionError):  # refused numbers, unpaired surrogates, syntax
        value = None
    found = strictjson.locate(text)
    if found is None and value is None:
        found = strictjson.locate(text, max_depth=strictjson.MAX_DEPTH)
    if found is not None:
        reason, offset, where = found
        line, column = strictjson.position(text, offset)
        raise _unreadable(f"is not strict JSON: {reason}, at {where} (line {line}, "
                          f"column {column} of the leaf)")
    if value is None:  # strict JSON, but with a number a ledger leaf never has
        try:
            value = strictjson.DECODER.decode(text)
        except (ValueError, RecursionError):
            raise _unreadable("is not strict JSON") from None
    try:
        canonical = bytes(rfc8785.dumps(value))
    except Exception as error:
        raise LeafProblem(f"has no canonical form (RFC 8785): {error}") from None
    if canonical == data:
        return value, None
    return value, LeafProblem("is not in canonical form (RFC 8785): "
                              + _difference(data, canonical))


def _unreadable(message: str) -> LeafProblem:
    return LeafProblem(message if message.startswith("is ") else f"is {message}",
                       unreadable=True)


def _difference(found: bytes, canonical: bytes) -> str:
    at = next((i for i, (a, b) in enumerate(zip(found, canonical, strict=False)) if a != b),
              min(len(found), len(canonical)))
    show = slice(max(0, at - 12), at + 12)
    return (f"from byte {at} it reads {shown(found[show].decode('utf-8', 'replace'))} where "
            f"the canonical form reads {shown(canonical[show].decode('utf-8', 'replace'))} "
            f"({len(found)} bytes, canonical {len(canonical)})")


# The canonical form of a valid leaf, spelled out: members in RFC 8785 order, no space, no
# escape (no code or amount needs one). A leaf that matches is canonical strict JSON by
# construction; one that does not is read the slow way, which says what is wrong (or
# accepts it: this is only a faster road to the same verdict, tests/test_rules.py checks).
_C = r'(?=[a-z0-9_:-]{1,100}")[a-z0-9][a-z0-9_-]*(?::[a-z0-9][a-z0-9_-]*)*'
_NONZERO = (r'(?=[-0-9.]{1,' + str(MAX_AMOUNT_LENGTH) + r'}")'
            r"-?(?:[1-9][0-9]*(?:\.[0-9]+)?|0\.[0-9]*[1-9][0-9]*)")
_FAST_POSTING = (r'\{"account":"(' + _C + r')","amount":"(' + _NONZERO + r')",'
                 r'"currency":"([A-Z][A-Z0-9]{2,9})","fund":"(' + _C + r')"\}')
_FAST = re.compile(
    r'\{(?:"campaign":"(?P<campaign>' + _C + r')",)?(?:"channel":"(?P<channel>' + _C + r')",)?'
    r'"date":"(?P<date>[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?)",'
    r'"format":"pompolit-ledger-leaf/1",'
    r'"kind":"(?P<kind>donation|expense|exchange|transfer|opening|reversal)",'
    r'"postings":\[(?P<postings>' + _FAST_POSTING + r'(?:,' + _FAST_POSTING + r')+)\]'
    r'(?:,"receipt":"(?P<receipt>[0-9a-f]{64})")?'
    r'(?:,"reverses":(?P<reverses>0|[1-9][0-9]{0,15}))?\}')
# Once _FAST has matched, the postings only need cutting out.
_FAST_POSTINGS = re.compile(r'"account":"([^"]*)","amount":"([^"]*)","currency":"([^"]*)",'
                            r'"fund":"([^"]*)"')


def _fast_leaf(data: bytes) -> Leaf | None:
    if not data.isascii():
        return None
    match = _FAST.fullmatch(data.decode("ascii"))
    if match is None:
        return None
    date, kind, receipt, reverses_text, channel, campaign = match.group(
        "date", "kind", "receipt", "reverses", "channel", "campaign")
    if date not in _GOOD_DATES:
        if not _valid_date(date):
            return None
        _remember(_GOOD_DATES, date)
    if kind == "donation":
        if receipt is None or channel is None:
            return None
    elif receipt is not None or channel is not None or campaign is not None:
        return None
    reverses = None if reverses_text is None else int(reverses_text)
    if (kind == "reversal") != (reverses is not None) or (
            reverses is not None and reverses > MAX_INDEX):
        return None
    postings = tuple([(a, f, m, c) for a, m, c, f in _FAST_POSTINGS.findall(
        match.group("postings"))])
    return Leaf(date, kind, postings, receipt, channel, campaign, reverses)


def read_leaf(data: bytes) -> Leaf:
    """A ledger leaf, checked: strict JSON, canonical, the documented members and types,
    codes from the alphabet. LeafProblem (with a message that follows "leaf N ") if not."""
    fast = _fast_leaf(data)
    if fast is not None:
        return fast
    return read_leaf_slowly(data)


def read_leaf_slowly(data: bytes) -> Leaf:
    """read_leaf without the shortcut: parse, compare with the canonical form, check."""
    value, problem = canonical_problem(data)
    if type(value) is not dict or value.get("format") != LEAF:
        raise LeafProblem(f"is not a {LEAF} document")
    if problem is not None:
        raise problem
    if not value.keys() <= LEAF_MEMBERS:
        raise LeafProblem("has members a ledger leaf does not have: "
                          + ", ".join(map(shown, sorted(value.keys() - LEAF_MEMBERS))))
    date, kind, postings = value.get("date"), value.get("kind"), value.get("postings")
    if type(date) is not str or date not in _GOOD_DATES:
        if not isinstance(date, str) or not _DATE.fullmatch(date) or not _valid_date(date):
            raise LeafProblem(f"has no valid date (found {json.dumps(date)[:40]})")
        _remember(_GOOD_DATES, date)
    if type(kind) is not str or kind not in KINDS:
        raise LeafProblem(f"has the kind {json.dumps(kind, ensure_ascii=True)[:60]}, not one "
                          f"of {', '.join(sorted(KINDS))}")
    lines = _read_postings(postings)
    receipt, channel, campaign = value.get("receipt"), value.get("channel"), value.get("campaign")
    reverses = value.get("reverses")
    _check_donation_members(kind, receipt, channel, campaign)
    if (kind == "reversal") != (reverses is not None):
        raise LeafProblem("is a reversal without 'reverses'" if kind == "reversal" else
                          f"is a {kind} but has 'reverses': only a reversal reverses")
    if reverses is not None and (type(reverses) is not int or not 0 <= reverses <= MAX_INDEX):
        raise LeafProblem(f"reverses {json.dumps(reverses)[:40]}, which is not a leaf index")
    return Leaf(date, kind, lines, receipt, channel, campaign, reverses)


def _read_postings(postings: object) -> tuple[tuple[str, str, str, str], ...]:
    """A leaf's postings, each (account, fund, amount, currency): at least two, each with
    exactly the documented members, codes from the alphabet and a non-zero amount."""
    if type(postings) is not list or len(postings) < 2:
        raise LeafProblem("has no valid postings (it needs a list of at least two)")
    lines = []
    for position, posting in enumerate(postings):
        if type(posting) is not dict or posting.keys() != _POSTING_KEYS:
            raise LeafProblem(f"has a malformed posting {position}: it must have exactly the "
                              f"members {', '.join(POSTING_MEMBERS)}")
        line = (posting["account"], posting["fund"], posting["amount"], posting["currency"])
        account, fund, amount, currency = line
        if type(account) is not str or type(fund) is not str or type(currency) is not str \
                or account not in _GOOD["account"] or fund not in _GOOD["fund"] \
                or currency not in _GOOD["currency"]:
            _codes(position, (("account", account), ("fund", fund), ("currency", currency)))
        if type(amount) is not str or len(amount) > MAX_AMOUNT_LENGTH or \
                not _AMOUNT.fullmatch(amount) or not amount.strip("-0."):
            raise LeafProblem(f"has an invalid amount in posting {position}: "
                              f"{json.dumps(amount)[:40]} is not a non-zero decimal amount")
        lines.append(line)
    return tuple(lines)


def _check_donation_members(kind: str, receipt: object, channel: object,
                            campaign: object) -> None:
    """A donation has a receipt identifier and a channel (a campaign if any) from the
    alphabet; no other kind of leaf has any of them."""
    if kind == "donation":
        if type(receipt) is not str or not _RECEIPT.fullmatch(receipt):
            raise LeafProblem("is a donation without a receipt identifier (64 lower-case hex)")
        for name, code in (("channel", channel), ("campaign", campaign)):
            if (code is not None or name == "channel") and (
                    type(code) is not str or code not in _GOOD[name]):
                reason = check_code(name, code)
                if reason:
                    raise LeafProblem(f"has an invalid {name}: {reason}")
                _remember(_GOOD[name], code)
    elif receipt is not None or channel is not None or campaign is not None:
        raise LeafProblem(f"is a {kind} but carries a donation's receipt, channel or campaign")


# Codes and dates already found valid (bounded, so hostile input cannot fill memory).
_GOOD: dict[str, set[object]] = {kind: set() for kind in CODE_KINDS}
_GOOD_DATES: set[object] = set()
_POSTING_KEYS = frozenset(POSTING_MEMBERS)


def _remember(good: set[object], value: object) -> None:
    if len(good) < 10_000:
        good.add(value)


def _codes(position: int, codes: Iterable[tuple[str, object]]) -> None:
    for kind, code in codes:
        if type(code) is str and code in _GOOD[kind]:
            continue
        reason = check_code(kind, code)
        if reason:
            raise LeafProblem(f"has an invalid code in posting {position}: {reason}")
        _remember(_GOOD[kind], code)


def _valid_date(text: str) -> bool:
    parts = [int(p) for p in text.split("-")]
    try:
        datetime.date(parts[0], *([*parts[1:], 1, 1])[:2])
    except ValueError:
        return False
    return True


# -- reversals --------------------------------------------------------------------------------


def negate(amount: str) -> str:
    return amount[1:] if amount.startswith("-") else "-" + amount


def reversal_difference(original: Iterable[Posting], reversal: Iterable[Posting]) -> list[str]:
    """What keeps `reversal` from being the exact negation of `original` (same accounts,
    funds and currencies, every amount negated, nothing added or left out, in any order):
    a list of sentences, empty if it is one. Postings are (account, fund, amount, currency)
    with canonical amount texts."""
    want = Counter((a, f, negate(m), c) for a, f, m, c in original)
    got = Counter(reversal)
    missing, added = want - got, got - want
    sentences = [f"it lacks the posting {_posting_text(p)}" for p in sorted(missing.elements())]
    sentences += [f"it has the posting {_posting_text(p)}, which negates nothing"
                  for p in sorted(added.elements())]
    return sentences


def _posting_text(posting: Posting) -> str:
    account, fund, amount, currency = posting
    return f"{account} {fund} {amount} {currency}"


def postings_digest(postings: Iterable[Posting], negated: bool = False) -> bytes:
    """A 16-byte digest of a multiset of postings (optionally negated), for remembering
    every entry of a long log in little memory."""
    items = sorted(f"{a}\x00{f}\x00{negate(m) if negated else m}\x00{c}"
                   for a, f, m, c in postings)
    return hashlib.blake2b("\n".join(items).encode(), digest_size=16).digest()


# Entry states kept per leaf index.
_INVALID, _ENTRY, _REVERSAL, _REVERSED = 0, 1, 2, 3


class Reversals:
    """Checks, leaf after leaf, that each reversal reverses an earlier entry exactly, once,
    and is not reversed itself.

    With `lookup` (a leaf's bytes by index: the caller holds the leaves) the reversed entry
    is read again when needed and a mismatch is described posting by posting; memory is one
    byte per leaf. Without it, a 16-byte digest of each entry's postings is kept instead."""

    def __init__(self, lookup: Callable[[int], bytes] | None = None) -> None:
        self._state = bytearray()
        self._digests = bytearray() if lookup is None else None
        self._lookup = lookup
        self.reversed_by: dict[int, int] = {}

    def invalid(self, index: int) -> None:
        self._grow(index, _INVALID)

    def _grow(self, index: int, state: int) -> None:
        """Leaf `index` comes next (leaves skipped so far were not entries)."""
        if index == len(self._state):
            self._state.append(state)
            if self._digests is not None:
                self._digests += _NO_DIGEST
            return
        missing = index - len(self._state)
        if missing > 0:
            self._state.extend(bytes(missing))
            if self._digests is not None:
                self._digests.extend(bytes(16 * missing))
        self._grow(index, state)

    def add(self, index: int, leaf: Leaf) -> list[str]:
        """Remember leaf `index`; if it is a reversal, why it is not a valid one."""
        target = leaf.reverses
        if target is None:
            self._grow(index, _ENTRY)
            if self._digests is not None:
                self._digests[16 * index : 16 * index + 16] = postings_digest(leaf.postings)
            return []
        self._grow(index, _REVERSAL)
        if target >= index:
            return [f"reverses leaf {target}, which does not come before it"]
        state = self._state[target]
        if state == _INVALID:
            return [f"reverses leaf {target}, which is not a valid entry"]
        if state == _REVERSAL:
            return [f"reverses leaf {target}, which is itself a reversal: a reversal cannot "
                    "be reversed"]
        if state == _REVERSED:
            return [f"reverses leaf {target}, which leaf {self.reversed_by[target]} already "
                    "reversed: an entry is reversed at most once"]
        self._state[target] = _REVERSED
        self.reversed_by[target] = index
        if self._digests is not None:
            if self._digests[16 * target : 16 * target + 16] == postings_digest(
                    leaf.postings, negated=True):
                return []
            differences = []
        else:
            try:
                original = read_leaf(self._lookup(target)).postings  # type: ignore[misc]
            except (LeafProblem, IndexError):
                return [f"reverses leaf {target}, which is not a valid entry"]
            differences = reversal_difference(original, leaf.postings)
            if not differences:
                return []
        detail = (": " + "; ".join(differences[:4])) if differences else ""
        return [f"reverses leaf {target}, but its postings are not exactly the negation of "
                f"that entry's postings{detail}"]


_NO_DIGEST = bytes(16)


def check_leaves(leaves: Sequence[bytes]) -> list[tuple[int, LeafProblem]]:
    """Every problem of a list of ledger leaves on their own (no chart, no currencies):
    the leaf rules and the reversal rule."""
    problems: list[tuple[int, LeafProblem]] = []
    book = Reversals(leaves.__getitem__)
    for index, data in enumerate(leaves):
        try:
            leaf = read_leaf(data)
        except LeafProblem as problem:
            book.invalid(index)
            problems.append((index, problem))
            continue
        problems += [(index, LeafProblem(message)) for message in book.add(index, leaf)]
    return problems
