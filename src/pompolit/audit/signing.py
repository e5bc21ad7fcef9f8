"""Signed chain heads: a C2SP checkpoint (origin, size, root) re-used for the audit chain.

A head is the checkpoint text of the transparency package, with
origin "pompolit-audit/<organisation>", size = the entry's seq and root = its 32-byte entry
hash, plus one extension line with the export time. Reusing it means one signed-note
implementation (and one set of tests) for the whole project, and `pompolit-verify` can read
the signature. The key is an Ed25519 seed stored in Go's signer-key text
(PRIVATE+KEY+name+id+key), in settings.POMPOLIT_AUDIT_KEY_FILE.
"""

import re
from datetime import datetime
from pathlib import Path

from django.conf import settings
from pompolit.transparency import checkpoint
from pompolit.transparency.errors import DocumentError, VerificationError

from pompolit.audit import chain
from pompolit.core import keyfiles
from pompolit.core.keyfiles import KeyProblem, SigningKey, creates_key_on_first_use

__all__ = [
    "DocumentError",
    "KeyProblem",
    "SigningKey",
    "VerificationError",
    "creates_key_on_first_use",
]

KEYGEN_HINT = (
    "Create it on the server with `pompolit audit keygen` (it is written with mode 0600), "
    "then give the printed verifier key to the person who keeps the exported heads."
)


def origin() -> str:
    return f"pompolit-audit/{_safe(settings.POMPOLIT_ORGANISATION)}"


def _safe(text: str) -> str:
    # Origins and key names may not contain spaces or '+' (C2SP); organisations' names may.
    return re.sub(r"[\s+]+", "-", text.strip()) or "pompolit"


def key_path() -> Path:
    return Path(settings.POMPOLIT_AUDIT_KEY_FILE)


def generate_key(path: Path | None = None) -> SigningKey:
    return keyfiles.generate(path or key_path(), origin(), what="audit signing key")


def load_key(*, create_in_dev: bool = True) -> SigningKey:
    """The server's signing key. Only dev and demo mode make one on first use."""
    return keyfiles.load(
        key_path(),
        create_as=origin() if create_in_dev else None,
        hint=KEYGEN_HINT,
        what="audit signing key",
    )


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
