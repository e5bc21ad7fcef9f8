"""Signed chain heads: a C2SP checkpoint (origin, size, root) re-used for the audit chain.

A head is the checkpoint text of the transparency package, with
origin "pompolit-audit/<organisation>", size = the entry's seq and root = its 32-byte entry
hash, plus one extension line with the export time. Reusing it means one signed-note
implementation (and one set of tests) for the whole project, and `pompolit-verify` can read
the signature. The key is an Ed25519 seed stored in Go's signer-key text
(PRIVATE+KEY+name+id+key), in settings.POMPOLIT_AUDIT_KEY_FILE.
"""

import os
import re
import stat
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import nacl.signing
from django.conf import settings
from pompolit.transparency import checkpoint, note
from pompolit.transparency.errors import DocumentError, VerificationError

from pompolit.audit import chain

__all__ = ["DocumentError", "KeyProblem", "VerificationError"]

KEYGEN_HINT = (
    "Create it on the server with `pompolit audit keygen` (it is written with mode 0600), "
    "then give the printed verifier key to the person who keeps the exported heads."
)


class KeyProblem(Exception):
    """The signing key is missing or unsafe; the message tells the operator what to do."""


@dataclass(frozen=True)
class SigningKey:
    name: str
    seed: bytes

    @property
    def vkey(self) -> str:
        return note.vkey(self.name, note.public_key(self.seed))


def _safe(text: str) -> str:
    # Origins and key names may not contain spaces or '+' (C2SP); organisations' names may.
    return re.sub(r"[\s+]+", "-", text.strip()) or "pompolit"


def origin() -> str:
    return f"pompolit-audit/{_safe(settings.POMPOLIT_ORGANISATION)}"


def key_path() -> Path:
    return Path(settings.POMPOLIT_AUDIT_KEY_FILE)


def generate_key(path: Path | None = None) -> SigningKey:
    """Write a new key; never overwrites one (old heads would stop verifying)."""
    path = path or key_path()
    key = SigningKey(origin(), bytes(nacl.signing.SigningKey.generate()))
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise KeyProblem(
            f"The audit signing key {path} already exists; it was not replaced. Heads "
            "exported earlier are checked against it."
        ) from None
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(note.signer_key(key.name, key.seed) + "\n")
    return key


def creates_key_on_first_use() -> bool:
    # Only where nothing real is at stake; in production an operator makes the key on purpose.
    return bool(settings.DEBUG or settings.DEMO_MODE)


def load_key(*, create_in_dev: bool = True) -> SigningKey:
    """The server's signing key. Only dev and demo mode make one on first use."""
    path = key_path()
    if not path.exists():
        if create_in_dev and creates_key_on_first_use():
            return generate_key(path)
        raise KeyProblem(f"There is no audit signing key at {path}. {KEYGEN_HINT}")
    if path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise KeyProblem(
            f"The audit signing key {path} can be read by other users of the server; "
            f"make it private with `chmod 600 {path}`."
        )
    try:
        name, seed = note.parse_signer_key(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise KeyProblem(f"The audit signing key {path} is unreadable: {error}") from None
    return SigningKey(name, seed)


def sign_head(key: SigningKey, seq: int, entry_hash: str, at: datetime) -> str:
    return checkpoint.sign(
        origin(), seq, bytes.fromhex(entry_hash), key.name, key.seed,
        extensions=[f"time {chain.timestamp(at)}"],
    )


def read_head(text: str, vkey: str) -> tuple[chain.Head, checkpoint.Checkpoint]:
    """Check the signature and origin of an exported head; raise VerificationError if bad."""
    signed = checkpoint.verify(text, vkey, origin=origin())
    if signed.size < 1:
        raise VerificationError("the exported head names no entry (size 0)")
    return chain.Head(signed.size, signed.root.hex()), signed
