"""Published documents: bundles (every leaf plus a checkpoint), inclusion
proofs and consistency proofs, as JSON. docs/transparency.md specifies them.
"""

import json
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TextIO

from . import checkpoint as checkpoints
from . import rules, strictjson
from .checkpoint import Checkpoint
from .errors import DocumentError, VerificationError
from .jsonstream import JsonStream, Readable
from .merkle import (
    EMPTY_ROOT,
    RootBuilder,
    hash_leaves,
    leaf_hash,
    verify_consistency,
    verify_inclusion,
)
from .note import b64, b64decode_strict
from .report import Report
from .strictjson import StrictJsonError

BUNDLE = "pompolit-bundle/1"
INCLUSION = "pompolit-inclusion/1"
CONSISTENCY = "pompolit-consistency/1"
_CHUNK = 1 << 16


def write_bundle(
    out: TextIO,
    *,
    origin: str,
    leaves: Iterable[bytes],
    checkpoint: str,
    previous_checkpoint: str | None = None,
    consistency_proof: Sequence[bytes] | None = None,
) -> None:
    """Write a bundle, leaves last and one per line, so it can be read in one pass."""
    head: dict[str, object] = {"format": BUNDLE, "origin": origin, "checkpoint": checkpoint}
    if previous_checkpoint is not None:
        head["previous_checkpoint"] = previous_checkpoint
        head["consistency_proof"] = [b64(h) for h in consistency_proof or ()]
    out.write(json.dumps(head, ensure_ascii=False, indent=1)[:-2])
    out.write(',\n "leaves": [')
    separator = "\n"
    for data in leaves:
        out.write(f'{separator}  "{b64(data)}"')
        separator = ",\n"
    out.write("\n ]\n}\n")


def inclusion_document(
    checkpoint: str,
    index: int,
    proof: Sequence[bytes],
    *,
    leaf_data: bytes | None = None,
    leaf_hash: bytes | None = None,
) -> dict[str, object]:
    if (leaf_data is None) == (leaf_hash is None):
        raise ValueError("give either the leaf data or the leaf hash")
    size = checkpoints.parse(checkpoint).size
    document: dict[str, object] = {"format": INCLUSION, "index": index, "size": size}
    if leaf_data is not None:
        document["leaf_data"] = b64(leaf_data)
    else:
        assert leaf_hash is not None
        document["leaf_hash"] = b64(leaf_hash)
    document["proof"] = [b64(h) for h in proof]
    document["checkpoint"] = checkpoint
    return document


def consistency_document(
    old_checkpoint: str, new_checkpoint: str, proof: Sequence[bytes]
) -> dict[str, object]:
    return {
        "format": CONSISTENCY,
        "old_checkpoint": old_checkpoint,
        "new_checkpoint": new_checkpoint,
        "proof": [b64(h) for h in proof],
    }


def _field[T](document: Mapping[str, object], name: str, kind: type[T]) -> T:
    if name not in document:
        raise DocumentError(f"the document has no {name!r} field")
    value = document[name]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise DocumentError(f"the {name!r} field must be a {kind.__name__}")
    return value


def _format(document: object, expected: str) -> Mapping[str, object]:
    if not isinstance(document, dict):
        raise DocumentError("the document is not a JSON object")
    found = document.get("format")
    if found != expected:
        raise DocumentError(f"the document's format is {found!r}, expected {expected!r}")
    return document


def decode_proof(elements: object, what: str = "proof") -> list[bytes]:
    if not isinstance(elements, list):
        raise DocumentError(f"the {what} must be a list of base64 hashes")
    proof = []
    for position, element in enumerate(elements, start=1):
        if not isinstance(element, str):
            raise DocumentError(f"{what} element {position} is not a string")
        try:
            value = b64decode_strict(element)
        except ValueError as error:
            raise VerificationError(f"{what} element {position} is {error}") from None
        if len(value) != 32:
            raise VerificationError(f"{what} element {position} is {len(value)} bytes, not 32")
        proof.append(value)
    return proof


def check_checkpoint(
    text: str, vkey: str, report: Report, label: str = "checkpoint", witnesses: Sequence[str] = ()
) -> Checkpoint:
    try:
        checkpoint = checkpoints.verify(text, vkey, witnesses=witnesses)
    except DocumentError:
        raise
    except VerificationError as error:
        raise VerificationError(f"{label}: {error.reason}") from None
    signers = ", ".join(s.key for s in checkpoint.signatures if s.verified)
    report.passed(
        f"{label}: valid signature by {signers} on log {checkpoint.origin!r} "
        f"at {checkpoint.size} leaves, root {b64(checkpoint.root)}"
    )
    ignored = [s.key for s in checkpoint.signatures if not s.verified]
    if ignored:
        report.note(f"{label}: signatures by unknown keys not checked: {', '.join(ignored)}")
    return checkpoint


def verify_inclusion_document(
    document: object, vkey: str, report: Report | None = None, witnesses: Sequence[str] = ()
) -> Checkpoint:
    report = report if report is not None else Report()
    doc = _format(document, INCLUSION)
    checkpoint = check_checkpoint(_field(doc, "checkpoint", str), vkey, report, witnesses=witnesses)
    index = _field(doc, "index", int)
    size = _field(doc, "size", int)
    if size != checkpoint.size:
        raise VerificationError(
            f"the proof is for a tree of {size} leaves, but the checkpoint is for {checkpoint.size}"
        )
    if ("leaf_data" in doc) == ("leaf_hash" in doc):
        raise DocumentError("the document must have exactly one of 'leaf_data' and 'leaf_hash'")
    try:
        if "leaf_data" in doc:
            data = b64decode_strict(_field(doc, "leaf_data", str))
            hashed = leaf_hash(data)
            report.passed(f"the leaf data hashes to {b64(hashed)}")
            if LedgerLeaves.MARK in data:  # an entry of the books: held to their rules
                try:
                    rules.read_leaf(data)
                except rules.LeafProblem as problem:
                    message = f"the leaf {problem.message}"
                    if problem.unreadable:
                        raise DocumentError(message) from None
                    raise VerificationError(message) from None
                report.passed("the leaf is a valid ledger leaf in its canonical form")
        else:
            hashed = b64decode_strict(_field(doc, "leaf_hash", str))
    except ValueError as error:
        raise VerificationError(f"the leaf is {error}") from None
    proof = decode_proof(doc.get("proof"))
    verify_inclusion(hashed, index, checkpoint.size, proof, checkpoint.root)
    report.passed(
        f"leaf {index} is in the tree of {checkpoint.size} leaves signed by the checkpoint "
        f"(inclusion proof of {len(proof)} hashes)"
    )
    report.facts.update(index=index, size=checkpoint.size, leaf_hash=b64(hashed))
    return checkpoint


def verify_checkpoints_consistent(
    old_text: str,
    new_text: str,
    proof: Sequence[bytes],
    vkey: str,
    report: Report | None = None,
    witnesses: Sequence[str] = (),
) -> tuple[Checkpoint, Checkpoint]:
    report = report if report is not None else Report()
    old = check_checkpoint(old_text, vkey, report, "old checkpoint", witnesses)
    new = check_checkpoint(new_text, vkey, report, "new checkpoint", witnesses)
    if old.origin != new.origin:
        raise VerificationError(
            f"the checkpoints are from different logs: {old.origin!r} and {new.origin!r}"
        )
    verify_consistency(old.size, new.size, old.root, new.root, proof)
    report.passed(
        f"the tree of {new.size} leaves contains the tree of {old.size} leaves unchanged: "
        f"the log was only appended to (consistency proof of {len(proof)} hashes)"
    )
    report.facts.update(old_size=old.size, new_size=new.size)
    return old, new


def verify_consistency_document(
    document: object, vkey: str, report: Report | None = None, witnesses: Sequence[str] = ()
) -> tuple[Checkpoint, Checkpoint]:
    doc = _format(document, CONSISTENCY)
    return verify_checkpoints_consistent(
        _field(doc, "old_checkpoint", str),
        _field(doc, "new_checkpoint", str),
        decode_proof(doc.get("proof")),
        vkey,
        report,
        witnesses,
    )


class _LeafHasher:
    """Hashes leaves as they stream by, remembering the root at one earlier size."""

    def __init__(self, checkpoint_at: int | None) -> None:
        self.builder = RootBuilder()
        self.checkpoint_at = checkpoint_at
        self.root_at: bytes | None = EMPTY_ROOT if checkpoint_at == 0 else None
        self.pending: list[bytes] = []

    def room(self) -> int:
        """How many leaves to collect before the next flush."""
        at, size = self.checkpoint_at, self.builder.size
        return min(_CHUNK, at - size) if at is not None and at > size else _CHUNK

    def flush(self) -> None:
        self.builder.grow(hash_leaves(self.pending))
        self.pending.clear()
        if self.builder.size == self.checkpoint_at:
            self.root_at = self.builder.root()


def verify_bundle(
    stream: Readable, vkey: str, report: Report | None = None, witnesses: Sequence[str] = (),
    name: str = "the bundle",
) -> Checkpoint:
    """Check a bundle in one pass: every leaf, the root, the signatures.

    Memory stays small however many leaves there are. If the previous
    checkpoint comes before the leaves (as write_bundle puts it), the leaves
    are also checked against the previous root directly.
    """
    report = report if report is not None else Report()
    doc, hasher = _read_bundle(stream, name)
    for key in sorted(
        set(doc)
        - {"format", "origin", "checkpoint", "leaves", "previous_checkpoint", "consistency_proof"}
    ):
        report.note(f"the field {key!r} is not part of {BUNDLE} and was not checked")

    origin = _field(doc, "origin", str)
    checkpoint = check_checkpoint(_field(doc, "checkpoint", str), vkey, report, witnesses=witnesses)
    if checkpoint.origin != origin:
        raise VerificationError(
            f"the bundle says it is from log {origin!r}, its checkpoint says {checkpoint.origin!r}"
        )
    report.facts.update(origin=origin, size=hasher.builder.size, root=b64(checkpoint.root))
    matched_previous = ""
    if "previous_checkpoint" in doc:
        matched_previous = _check_previous(doc, checkpoint, hasher, vkey, report, witnesses)
    _check_root(hasher, checkpoint, matched_previous, report)
    return checkpoint


def _read_bundle(stream: Readable, name: str) -> tuple[Mapping[str, object], _LeafHasher]:
    """Read the bundle's fields, hashing the leaves (and holding ledger leaves to their
    rules) as they stream by; a field given twice is not strict JSON."""
    reader = JsonStream(stream, name)
    fields: dict[str, object] = {}
    hasher: _LeafHasher | None = None
    ledger = LedgerLeaves()
    for key in reader.object_keys():
        path = strictjson.path_text([key])
        if key in fields or (key == "leaves" and hasher is not None):
            raise StrictJsonError(f"{name} is not strict JSON: the member {strictjson.shown(key)} "
                                  f"appears twice, at {path}", path)
        if key != "leaves":
            fields[key] = reader.value(path)
            if key == "format":
                _format(fields, BUNDLE)  # fail fast on the wrong kind of file
            continue
        hasher = _LeafHasher(_previous_size(fields))
        _hash_leaves(reader, hasher, ledger)
    reader.end()
    doc = _format(fields | {"leaves": None}, BUNDLE)
    if hasher is None:
        raise DocumentError("the document has no 'leaves' field")
    return doc, hasher


def _check_previous(doc: Mapping[str, object], checkpoint: Checkpoint, hasher: _LeafHasher,
                    vkey: str, report: Report, witnesses: Sequence[str]) -> str:
    """The previous checkpoint: signed, of the same log, extended by the checkpoint, and
    reproduced by the first leaves if it came before them. Returns what to add to an
    error about the whole tree: where the difference lies."""
    previous = check_checkpoint(
        _field(doc, "previous_checkpoint", str), vkey, report, "previous checkpoint", witnesses
    )
    if previous.origin != checkpoint.origin:
        raise VerificationError(
            f"the previous checkpoint is from log {previous.origin!r}, "
            f"the checkpoint from {checkpoint.origin!r}"
        )
    proof = decode_proof(doc.get("consistency_proof"), "consistency proof")
    verify_consistency(previous.size, checkpoint.size, previous.root, checkpoint.root, proof)
    report.passed(
        f"the tree of {checkpoint.size} leaves contains the previous tree of "
        f"{previous.size} leaves unchanged (consistency proof of {len(proof)} hashes)"
    )
    if hasher.root_at is None:
        return ""
    if hasher.root_at != previous.root:
        raise VerificationError(
            f"the first {previous.size} leaves of the bundle hash to "
            f"{b64(hasher.root_at)}, but the previous checkpoint signs "
            f"{b64(previous.root)}: an earlier leaf was changed or removed"
        )
    report.passed(
        f"the first {previous.size} leaves reproduce the previous checkpoint's root"
    )
    return (
        f" The first {previous.size} leaves match the previous checkpoint, so the "
        f"difference lies in leaves {previous.size} to {hasher.builder.size - 1}."
    )


def _check_root(hasher: _LeafHasher, checkpoint: Checkpoint, matched_previous: str,
                report: Report) -> None:
    """The leaves are exactly the tree the checkpoint signs."""
    count = hasher.builder.size
    if count != checkpoint.size:
        raise VerificationError(
            f"the bundle has {count} leaves, but the checkpoint is for {checkpoint.size}"
            + matched_previous
        )
    root = hasher.builder.root()
    if root != checkpoint.root:
        raise VerificationError(
            f"the {count} leaves hash to root {b64(root)}, but the checkpoint signs "
            f"{b64(checkpoint.root)}: a leaf was changed, added, removed or reordered."
            + matched_previous
        )
    report.passed(f"the {count} leaves of the bundle hash to the root the checkpoint signs")


def _previous_size(fields: Mapping[str, object]) -> int | None:
    previous = fields.get("previous_checkpoint")
    if not isinstance(previous, str):
        return None
    try:
        return checkpoints.parse(previous).size
    except VerificationError:
        return None  # reported properly once the signature is checked


def _hash_leaves(reader: JsonStream, hasher: _LeafHasher, ledger: "LedgerLeaves") -> None:
    decode = b64decode_strict
    pending = hasher.pending
    append = pending.append
    room = hasher.room()
    check = ledger.check
    for index, text in enumerate(reader.strings("the leaves", "$.leaves")):
        try:
            data = decode(text)
        except ValueError as error:
            raise VerificationError(f"leaf {index} is {error}") from None
        check(index, data)
        append(data)
        if len(pending) >= room:
            hasher.flush()
            room = hasher.room()
    hasher.flush()


class LedgerLeaves:
    """The ledger rules for the leaves of a bundle, as they stream by.

    A bundle may be of any log; a leaf that names the ledger leaf format is held to every
    rule of rules.read_leaf, and once one is, every leaf must be (the ledger log holds only
    ledger leaves). Reversals are checked across the whole log (rules.Reversals); each
    currency's amounts must all have the same number of decimals, and each entry must
    balance in each fund and currency. The first problem is raised: exit 2 for a leaf that
    is not strict JSON, exit 1 for any other."""

    MARK = rules.LEAF.encode()

    def __init__(self) -> None:
        self.first_ledger: int | None = None
        self.first_other: int | None = None
        self.places: dict[str, int] = {}
        self.reversals = rules.Reversals()

    def check(self, index: int, data: bytes) -> None:
        if self.MARK not in data:
            if self.first_other is None:
                self.first_other = index
            if self.first_ledger is not None:
                self._mixed()
            return
        if self.first_ledger is None:
            self.first_ledger = index
            if self.first_other is not None:
                self._mixed()
        try:
            leaf = rules.read_leaf(data)
        except rules.LeafProblem as problem:
            message = f"leaf {index} {problem.message}"
            raise DocumentError(message) if problem.unreadable else VerificationError(
                message) from None
        sums: dict[tuple[str, str], int] = {}
        known = self.places
        for _account, fund, amount, currency in leaf.postings:
            whole, _, fraction = amount.partition(".")
            places = len(fraction)
            if known.setdefault(currency, places) != places:
                raise VerificationError(
                    f"leaf {index} writes a {currency} amount with {places} decimal places, "
                    f"earlier leaves with {known[currency]}")
            key = (fund, currency)
            sums[key] = sums.get(key, 0) + int(whole + fraction)
        for (fund, currency), total in sorted(sums.items()):
            if total:
                raise VerificationError(
                    f"leaf {index} does not balance: in fund {fund!r} its {currency} postings "
                    f"sum to {Decimal(total).scaleb(-known[currency])}, not 0")
        for message in self.reversals.add(index, leaf):
            raise VerificationError(f"leaf {index} {message}")

    def _mixed(self) -> None:
        raise VerificationError(
            f"leaf {self.first_other} is not a ledger leaf but leaf {self.first_ledger} is: "
            "a log of the books holds only ledger leaves")
