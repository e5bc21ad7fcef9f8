"""Ed25519 signing keys kept in files (Go's PRIVATE+KEY+name+id+key text), mode 0600.

The audit trail signs its exported heads and the transparency log its checkpoints with such
keys. Development and demo mode create a key on first use; in production an operator
creates it on purpose (a `keygen` command) and publishes the verifier key.
"""

import os
import stat
from dataclasses import dataclass
from pathlib import Path

import nacl.signing
from django.conf import settings
from pompolit.transparency import note


class KeyProblem(Exception):
    """The signing key is missing or unsafe; the message tells the operator what to do."""


@dataclass(frozen=True)
class SigningKey:
    name: str
    seed: bytes

    @property
    def vkey(self) -> str:
        return note.vkey(self.name, note.public_key(self.seed))


def creates_key_on_first_use() -> bool:
    # Only where nothing real is at stake; in production an operator makes the key on purpose.
    return bool(settings.DEBUG or settings.DEMO_MODE)


def generate(path: Path, name: str, *, what: str = "signing key") -> SigningKey:
    """Write a new key; never overwrites one (what it signed would stop verifying)."""
    key = SigningKey(name, bytes(nacl.signing.SigningKey.generate()))
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise KeyProblem(
            f"The {what} {path} already exists; it was not replaced, because what it signed "
            "is checked against it."
        ) from None
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(note.signer_key(key.name, key.seed) + "\n")
    return key


def load(path: Path, *, create_as: str | None, hint: str, what: str = "signing key") -> SigningKey:
    """The key in `path`; created as `create_as` if missing and this is development or demo."""
    if not path.exists():
        if create_as is not None and creates_key_on_first_use():
            return generate(path, create_as, what=what)
        raise KeyProblem(f"There is no {what} at {path}. {hint}")
    if path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise KeyProblem(
            f"The {what} {path} can be read by other users of the server; "
            f"make it private with `chmod 600 {path}`."
        )
    try:
        name, seed = note.parse_signer_key(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise KeyProblem(f"The {what} {path} is unreadable: {error}") from None
    return SigningKey(name, seed)
