"""C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint), signed with Ed25519.

The signed text is three or more lines: the log's origin, the tree size in
decimal, the base64 root hash, then optional extension lines. A checkpoint
may carry signatures of other keys too: witnesses who co-sign it to say
"this is the tree the log showed me".
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .errors import VerificationError
from .merkle import EMPTY_ROOT
from .note import (
    NoteSignature,
    VerifierKey,
    b64,
    b64decode_strict,
    key_id,
    parse_note,
    parse_vkey,
    public_key,
    signature_line,
)
from .note import vkey as vkey

_SIZE = re.compile(r"0|[1-9][0-9]*")
MAX_SIZE = 2**64 - 1


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...]
    signatures: tuple[NoteSignature, ...]  # all seen; `verified` marks those checked
    text: str  # the signed note text (without signatures)

    def signed_by(self, key: VerifierKey) -> bool:
        return any(
            s.verified and (s.name, s.key_id) == (key.name, key.key_id) for s in self.signatures
        )


def body(origin: str, size: int, root: bytes, extensions: Sequence[str] = ()) -> str:
    lines = [origin, str(size), b64(root), *extensions]
    if not origin or any("\n" in line or not line for line in lines):
        raise ValueError("origin and extension lines must be non-empty single lines")
    if not 0 <= size <= MAX_SIZE:
        raise ValueError(f"tree size {size} is out of range")
    if len(root) != 32:
        raise ValueError("the root hash must be 32 bytes")
    return "".join(line + "\n" for line in lines)


def sign(
    origin: str,
    size: int,
    root: bytes,
    key_name: str,
    private_key: bytes,
    extensions: Sequence[str] = (),
) -> str:
    text = body(origin, size, root, extensions)
    parse_body(text)  # refuse to sign what verify() would refuse to read
    return text + "\n" + signature_line(text, key_name, private_key)


def add_signature(text: str, key_name: str, private_key: bytes) -> str:
    """Add (or replace) this key's signature on a signed checkpoint: co-signing."""
    note = parse_note(text)
    parse_body(note.text)
    own = (key_name, key_id(key_name, public_key(private_key)))
    kept = [s.line for s in note.signatures if (s.name, s.key_id) != own]
    return note.text + "\n" + "".join(kept) + signature_line(note.text, key_name, private_key)


cosign = add_signature


def parse_body(text: str) -> tuple[str, int, bytes, tuple[str, ...]]:
    lines = text.split("\n")
    if lines[-1] != "" or len(lines) < 4:
        raise VerificationError("malformed checkpoint: it needs an origin, a size and a root hash")
    origin, size_text, root_text, *extensions = lines[:-1]
    if not origin:
        raise VerificationError("malformed checkpoint: the origin line is empty")
    if len(size_text) > 20 or not _SIZE.fullmatch(size_text) or int(size_text) > MAX_SIZE:
        raise VerificationError(
            f"malformed checkpoint: tree size {size_text!r} is not a decimal number "
            "without leading zeros"
        )
    try:
        root = b64decode_strict(root_text)
    except ValueError as error:
        raise VerificationError(f"malformed checkpoint: the root hash is {error}") from None
    if len(root) != 32:
        raise VerificationError(f"malformed checkpoint: the root hash is {len(root)} bytes, not 32")
    for number, line in enumerate(extensions, start=4):
        if not line:
            raise VerificationError(f"malformed checkpoint: extension line {number} is empty")
    size = int(size_text)
    if size == 0 and root != EMPTY_ROOT:
        raise VerificationError("malformed checkpoint: an empty tree must have the empty root")
    return origin, size, root, tuple(extensions)


def parse(text: str) -> Checkpoint:
    """Read a signed checkpoint WITHOUT checking any signature: for display only."""
    note = parse_note(text)
    origin, size, root, extensions = parse_body(note.text)
    return Checkpoint(origin, size, root, extensions, note.signatures, note.text)


def verify(
    text: str,
    vkey: str,
    *,
    witnesses: Sequence[str] = (),
    origin: str | None = None,
) -> Checkpoint:
    """Check a signed checkpoint against the log's verifier key.

    Signatures by unknown keys are ignored (C2SP: key rotation, other
    witnesses), but a signature by any known key must be valid, the log's key
    must have signed, and so must every witness given.
    """
    log_key = parse_vkey(vkey)
    witness_keys = [parse_vkey(w) for w in witnesses]
    known = {(k.name, k.key_id): k for k in (log_key, *witness_keys)}
    note = parse_note(text)
    signatures = []
    for signature in note.signatures:
        key = known.get((signature.name, signature.key_id))
        if key is None:
            signatures.append(signature)
            continue
        if not key.check(note.text, signature.signature):
            raise VerificationError(
                f"the signature by {key.key} is invalid: the checkpoint was altered "
                "after signing, or signed by another key with the same name and ID"
            )
        signatures.append(
            NoteSignature(signature.name, signature.key_id, signature.signature, True)
        )
    checkpoint_origin, size, root, extensions = parse_body(note.text)
    checkpoint = Checkpoint(checkpoint_origin, size, root, extensions, tuple(signatures), note.text)
    for key in (log_key, *witness_keys):
        if not checkpoint.signed_by(key):
            present = ", ".join(s.key for s in note.signatures)
            raise VerificationError(
                f"the checkpoint has no signature by {key.key} (signatures present: {present})"
            )
    if origin is not None and checkpoint_origin != origin:
        raise VerificationError(
            f"the checkpoint is from log {checkpoint_origin!r}, expected {origin!r}"
        )
    return checkpoint
