"""Checkpoints and signed notes: Go's test vectors, round trips, strict parsing."""

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pompolit.transparency import VerificationError, add_signature, cosign, sign, verify, vkey
from pompolit.transparency.checkpoint import parse
from pompolit.transparency.errors import DocumentError
from pompolit.transparency.merkle import EMPTY_ROOT
from pompolit.transparency.note import (
    parse_signer_key,
    parse_vkey,
    public_key,
    signature_line,
    signer_key,
)

# golang.org/x/mod/sumdb/note note_test.go
PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
GO_TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
PETER_SIG = (
    "\u2014 PeterNeumann "
    "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)

LOG_SEED = bytes(range(32))
LOG_NAME = "pompolit.example/log"
LOG_VKEY = vkey(LOG_NAME, public_key(LOG_SEED))
WITNESS_SEED = bytes(range(32, 64))
WITNESS_VKEY = vkey("witness.example/w1", public_key(WITNESS_SEED))
ROOT = bytes(range(100, 132))


def signed(size: int = 42, root: bytes = ROOT, extensions: tuple[str, ...] = ()) -> str:
    return sign(LOG_NAME, size, root, LOG_NAME, LOG_SEED, extensions)


def test_go_signer_key_and_vkey() -> None:
    name, seed = parse_signer_key(PETER_SKEY)
    assert name == "PeterNeumann"
    assert vkey(name, public_key(seed)) == PETER_VKEY
    assert signer_key(name, seed) == PETER_SKEY


def test_go_signature_is_reproduced_exactly() -> None:
    name, seed = parse_signer_key(PETER_SKEY)
    assert signature_line(GO_TEXT, name, seed) == PETER_SIG


def test_go_vkey_manglings_rejected() -> None:
    parse_vkey(PETER_VKEY)
    raw = PETER_VKEY.encode()
    for i in range(len(raw) + 1):
        for j in range(i + 1, len(raw) + 1):
            if (i, j) != (0, len(raw)):
                with pytest.raises(DocumentError):
                    parse_vkey(raw[i:j].decode())
    for i in range(len(raw)):
        changed = bytearray(raw)
        changed[i] += 1
        with pytest.raises(DocumentError):
            parse_vkey(changed.decode())
    for bad in (
        "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",
        "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
    ):
        with pytest.raises(DocumentError):
            parse_vkey(bad)


def test_sign_and_verify_round_trip() -> None:
    text = signed(extensions=("statement 2025-Q1",))
    lines = text.split("\n")
    assert lines[:5] == [LOG_NAME, "42", base64.b64encode(ROOT).decode(), "statement 2025-Q1", ""]
    assert lines[5].startswith(f"\u2014 {LOG_NAME} ")
    checkpoint = verify(text, LOG_VKEY)
    assert (checkpoint.origin, checkpoint.size, checkpoint.root) == (LOG_NAME, 42, ROOT)
    assert checkpoint.extensions == ("statement 2025-Q1",)
    assert [s.verified for s in checkpoint.signatures] == [True]
    assert verify(text, LOG_VKEY, origin=LOG_NAME) == checkpoint
    with pytest.raises(VerificationError, match="expected"):
        verify(text, LOG_VKEY, origin="elsewhere")


def test_empty_tree_checkpoint() -> None:
    assert verify(signed(0, EMPTY_ROOT), LOG_VKEY).size == 0
    with pytest.raises(VerificationError, match="empty root"):
        verify(signed(0, ROOT), LOG_VKEY)


def test_wrong_key_rejected() -> None:
    with pytest.raises(VerificationError, match="no signature by"):
        verify(signed(), PETER_VKEY)


def test_witness_cosigning() -> None:
    text = cosign(signed(), "witness.example/w1", WITNESS_SEED)
    assert add_signature is cosign
    checkpoint = verify(text, LOG_VKEY, witnesses=[WITNESS_VKEY])
    assert [s.verified for s in checkpoint.signatures] == [True, True]
    # Without being asked for, the witness is just an unknown key: ignored.
    assert [s.verified for s in verify(text, LOG_VKEY).signatures] == [True, False]
    with pytest.raises(VerificationError, match=r"no signature by witness.example/w1"):
        verify(signed(), LOG_VKEY, witnesses=[WITNESS_VKEY])
    # Signing again replaces rather than duplicates.
    assert cosign(text, "witness.example/w1", WITNESS_SEED) == text


def test_unknown_signatures_ignored_known_bad_ones_rejected() -> None:
    text = signed() + PETER_SIG
    assert verify(text, LOG_VKEY).size == 42
    with pytest.raises(VerificationError, match=r"signature by PeterNeumann.* is invalid"):
        verify(text, LOG_VKEY, witnesses=[PETER_VKEY])


def test_go_open_note_signed_by_peter() -> None:
    # The Go vector's text is not a checkpoint, so verify() must refuse it after
    # the signature checks out: a valid signature on a non-checkpoint is not enough.
    with pytest.raises(VerificationError, match="malformed checkpoint"):
        verify(GO_TEXT + "\n" + PETER_SIG, PETER_VKEY)


def _replace_sig(text: str, new_b64: str) -> str:
    head, _, line = text.rstrip("\n").rpartition("\n")
    name = line.split(" ")[1]
    return f"{head}\n\u2014 {name} {new_b64}\n"


def _sig_b64(text: str) -> str:
    return text.rstrip("\n").rpartition(" ")[2]


GOOD = signed()
BODY, _, SIGS = GOOD.partition("\n\n")
MALFORMED = {
    "no final newline": GOOD[:-1],
    "no blank line": BODY + "\n" + SIGS,
    "no signatures": BODY + "\n\n",
    "crlf": GOOD.replace("\n", "\r\n"),
    "control character": GOOD.replace(LOG_NAME, LOG_NAME + "\x01", 1),
    "hyphen instead of em dash": BODY + "\n\n" + SIGS.replace("\u2014", "-"),
    "no space after dash": BODY + "\n\n" + SIGS.replace("\u2014 ", "\u2014"),
    "name with plus": BODY + "\n\n" + SIGS.replace(LOG_NAME, "a+b"),
    "signature without name": BODY + "\n\n\u2014 " + SIGS.split(" ")[2],
    "bad base64": _replace_sig(GOOD, "!!!!"),
    "non-canonical base64": _replace_sig(GOOD, _sig_b64(GOOD)[:-2] + "N="),
    "unpadded base64": _replace_sig(GOOD, _sig_b64(GOOD).rstrip("=")),
    "short signature": _replace_sig(GOOD, "AAAA"),
    "duplicate signature": GOOD + SIGS.partition("\n")[0] + "\n",
    "text after signatures": GOOD + "Unexpected line.\n",
    "too many signatures": GOOD + PETER_SIG * 100,
    "leading zero size": GOOD.replace("\n42\n", "\n042\n"),
    "plus sign size": GOOD.replace("\n42\n", "\n+42\n"),
    "negative size": GOOD.replace("\n42\n", "\n-42\n"),
    "spaced size": GOOD.replace("\n42\n", "\n 42\n"),
    "arabic digits size": GOOD.replace("\n42\n", "\n\u0664\u0662\n"),
    "huge size": GOOD.replace("\n42\n", f"\n{2**64}\n"),
    "root not base64": GOOD.replace(base64.b64encode(ROOT).decode(), "not-base64"),
    "short root": GOOD.replace(
        base64.b64encode(ROOT).decode(), base64.b64encode(ROOT[:31]).decode()
    ),
    "no root line": sign(LOG_NAME, 42, ROOT, LOG_NAME, LOG_SEED).replace(
        base64.b64encode(ROOT).decode() + "\n", ""
    ),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_notes_rejected(case: str) -> None:
    with pytest.raises(VerificationError):
        verify(MALFORMED[case], LOG_VKEY)


def test_malformed_body_is_rejected_even_when_signed() -> None:
    from pompolit.transparency.note import signature_line as line

    for body in ("\n42\n" + base64.b64encode(ROOT).decode() + "\n", f"{LOG_NAME}\n42\n"):
        text = body + "\n" + line(body, LOG_NAME, LOG_SEED)
        with pytest.raises(VerificationError, match="malformed checkpoint"):
            verify(text, LOG_VKEY)
    body = f"{LOG_NAME}\n42\n{base64.b64encode(ROOT).decode()}\n\nextension after blank\n"
    with pytest.raises(VerificationError):
        verify(body + "\n" + line(body, LOG_NAME, LOG_SEED), LOG_VKEY)


def test_sign_refuses_bad_input() -> None:
    for args in (
        ("", 1, ROOT),
        ("a\nb", 1, ROOT),
        (LOG_NAME, -1, ROOT),
        (LOG_NAME, 1, ROOT[:31]),
    ):
        with pytest.raises(ValueError):
            sign(*args, LOG_NAME, LOG_SEED)
    with pytest.raises(ValueError):
        sign(LOG_NAME, 1, ROOT, "bad name", LOG_SEED)
    with pytest.raises(ValueError):
        sign(LOG_NAME, 1, ROOT, LOG_NAME, LOG_SEED[:31])
    with pytest.raises(ValueError):
        sign(LOG_NAME, 1, ROOT, LOG_NAME, LOG_SEED, ["ok", ""])


def test_parse_reads_without_trusting() -> None:
    checkpoint = parse(GOOD)
    assert checkpoint.size == 42
    assert not any(s.verified for s in checkpoint.signatures)


@given(st.data())
def test_any_single_character_change_is_rejected(data: st.DataObject) -> None:
    position = data.draw(st.integers(0, len(GOOD) - 1))
    replacement = data.draw(st.characters(codec="utf-8").filter(lambda c: c != GOOD[position]))
    changed = GOOD[:position] + replacement + GOOD[position + 1 :]
    with pytest.raises(VerificationError):
        verify(changed, LOG_VKEY)


@given(
    st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Zs"]), min_size=1),
    st.integers(0, 2**64 - 1),
    st.binary(min_size=32, max_size=32),
)
def test_round_trip_any_checkpoint(origin: str, size: int, root: bytes) -> None:
    if size == 0:
        root = EMPTY_ROOT
    checkpoint = verify(sign(origin, size, root, LOG_NAME, LOG_SEED), LOG_VKEY)
    assert (checkpoint.origin, checkpoint.size, checkpoint.root) == (origin, size, root)
