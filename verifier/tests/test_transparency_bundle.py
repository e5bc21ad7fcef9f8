"""Bundles and proof documents: honest ones verify, every kind of tampering is named."""

import io
import json
from functools import cache

import pytest
from pompolit.transparency import DocumentError, VerificationError
from pompolit.transparency.bundle import (
    verify_bundle,
    verify_consistency_document,
    verify_inclusion_document,
)
from pompolit.transparency.report import Report
from transparency_fixtures import (
    ENTRIES,
    OLD,
    VKEY,
    bundle_text,
    checkpoint,
    consistency_json,
    inclusion_json,
)


@cache
def honest() -> str:
    return bundle_text()


class Trickle(io.StringIO):
    """Hands out a few characters per read, to exercise every buffer boundary."""

    def read(self, size: int | None = -1) -> str:
        return super().read(7)


def check(text: str, stream: type[io.StringIO] = io.StringIO) -> Report:
    report = Report()
    verify_bundle(stream(text), VKEY, report)
    return report


@pytest.mark.parametrize("n", [0, 1, 2, 5, 64])
def test_small_bundles_verify(n: int) -> None:
    check(bundle_text(n, previous=None))
    check(bundle_text(n, previous=n // 2))


def test_honest_bundle_verifies_and_says_what_it_checked() -> None:
    report = check(honest())
    text = "\n".join(report.checks)
    assert "previous checkpoint: valid signature" in text
    assert f"the first {OLD} leaves reproduce the previous checkpoint's root" in text
    assert "the 1000 leaves of the bundle hash to the root the checkpoint signs" in text
    assert report.facts["size"] == 1000


def test_bundle_read_a_few_characters_at_a_time() -> None:
    check(honest(), Trickle)


def test_bundle_in_any_json_spelling() -> None:
    document = json.loads(honest())
    respelled = json.dumps(dict(reversed(document.items())), indent=None).replace("/", "\\/")
    check(respelled)
    check(json.dumps(document, indent=7), Trickle)


def test_changed_leaf_is_caught_and_located() -> None:
    document = json.loads(honest())
    document["leaves"][700] = document["leaves"][701]
    with pytest.raises(VerificationError, match="difference lies in leaves 600 to 999"):
        check(json.dumps(document))
    document = json.loads(honest())
    document["leaves"][3] = document["leaves"][4]
    with pytest.raises(VerificationError, match="first 600 leaves of the bundle hash to"):
        check(json.dumps(document))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda leaves: leaves.pop(), "has 999 leaves, but the checkpoint is for 1000"),
        (lambda leaves: leaves.append(leaves[0]), "has 1001 leaves"),
        (
            lambda leaves: leaves.insert(900, leaves.pop(901)),
            "changed, added, removed or reordered",
        ),
        (lambda leaves: leaves.__setitem__(17, "%%%"), "leaf 17 is not valid base64"),
        (lambda leaves: leaves.__setitem__(18, "AA"), "leaf 18 is not valid base64"),
    ],
)
def test_tampered_leaves(change: object, message: str) -> None:
    document = json.loads(bundle_text(previous=None))
    assert callable(change)
    change(document["leaves"])
    with pytest.raises(VerificationError, match=message):
        check(json.dumps(document))


def test_bundle_checkpoint_problems() -> None:
    document = json.loads(honest())
    document["checkpoint"] = document["checkpoint"].replace("\n1000\n", "\n1001\n")
    with pytest.raises(VerificationError, match=r"checkpoint: the signature by .* is invalid"):
        check(json.dumps(document))
    document = json.loads(honest())
    document["origin"] = "another.example/log"
    with pytest.raises(VerificationError, match="says it is from log"):
        check(json.dumps(document))
    document = json.loads(honest())
    document["consistency_proof"] = document["consistency_proof"][:-1]
    with pytest.raises(VerificationError, match="the proof has"):
        check(json.dumps(document))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "expected '\\{'"),
        ("[]", "expected '\\{'"),
        ('{"format": "pompolit-bundle/9"}', "expected 'pompolit-bundle/1'"),
        ('{"format": "pompolit-bundle/1", "origin": "x"}', "no 'leaves'"),
        ('{"format": "pompolit-bundle/1", "leaves": [1]}', "only strings"),
        ('{"format": "pompolit-bundle/1", "leaves": [], "leaves": []}', "twice"),
        ('{"format": "pompolit-bundle/1", "leaves": []} x', "after the document"),
        ('{"format": "pompolit-bundle/1", "leaves": ["AA==" ', "not valid JSON"),
    ],
)
def test_unreadable_bundles(text: str, message: str) -> None:
    with pytest.raises(DocumentError, match=message):
        check(text)


def test_unknown_fields_are_reported_not_trusted() -> None:
    document = json.loads(honest())
    document["totals"] = {"EUR": "1000000.00"}
    report = check(json.dumps(document))
    assert any("'totals' is not part of" in note for note in report.notes)


@pytest.mark.parametrize("by_hash", [False, True])
def test_inclusion_document(by_hash: bool) -> None:
    report = Report()
    verify_inclusion_document(inclusion_json(by_hash=by_hash), VKEY, report)
    assert "leaf 123 is in the tree of 1000 leaves" in report.checks[-1]


def test_inclusion_document_tampering() -> None:
    document = inclusion_json()
    document["index"] = 124
    with pytest.raises(VerificationError, match="leads to root"):
        verify_inclusion_document(document, VKEY)
    document = inclusion_json()
    proof = document["proof"]
    assert isinstance(proof, list)
    proof[2] = proof[2][:-4] + "AA=="
    with pytest.raises(VerificationError, match="proof element 3 is"):
        verify_inclusion_document(document, VKEY)
    document = inclusion_json()
    document["size"] = 999
    with pytest.raises(VerificationError, match="tree of 999 leaves"):
        verify_inclusion_document(document, VKEY)
    document = inclusion_json()
    document["leaf_data"] = "eyJkb25hdGlvbiI6IDk5OX0="
    with pytest.raises(VerificationError):
        verify_inclusion_document(document, VKEY)
    with pytest.raises(DocumentError, match="exactly one"):
        verify_inclusion_document(inclusion_json() | {"leaf_hash": "AA=="}, VKEY)
    with pytest.raises(DocumentError, match="format"):
        verify_inclusion_document(consistency_json(), VKEY)


def test_consistency_document() -> None:
    report = Report()
    verify_consistency_document(consistency_json(), VKEY, report)
    assert "only appended to" in report.checks[-1]
    document = consistency_json()
    document["old_checkpoint"], document["new_checkpoint"] = (
        document["new_checkpoint"],
        document["old_checkpoint"],
    )
    with pytest.raises(VerificationError, match="only grow"):
        verify_consistency_document(document, VKEY)
    document = consistency_json()
    document["old_checkpoint"] = checkpoint(OLD + 1)
    with pytest.raises(VerificationError):
        verify_consistency_document(document, VKEY)
    assert len(ENTRIES) == 1000
