"""Key shares: Shamir's scheme (pyshamir) over the master key, written for people to keep.

A share is a block of base32 groups. Inside: a magic and version, the vault id (so a share of
another organisation's vault is refused), the key generation (so a share from before a
rotation is refused), the threshold and the keyholder's number, the Shamir part — in clear or
locked with a passphrase — and a checksum, so a mistyped share is refused before it is used.
Pure code: no Django.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import uuid
from dataclasses import dataclass

import pyshamir

from pompolit.vault import crypto

MAGIC = b"PS"
VERSION = 1
FLAG_PASSPHRASE = 0x01
CHECKSUM_BYTES = 4
_HEAD = struct.Struct(">2sBB16sHBBB")  # magic, version, flags, vault id, generation, k, n, index
GROUP = 5


class ShareError(ValueError):
    """A share that cannot be used; `code` names the reason (see vault/errors.py)."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Share:
    vault_id: uuid.UUID
    generation: int
    threshold: int
    count: int
    index: int
    # The Shamir part (the secret), or None while it is still locked with a passphrase.
    part: bytes | None
    locked: bytes | None = None

    @property
    def needs_passphrase(self) -> bool:
        return self.part is None

    def unlock(self, passphrase: str) -> Share:
        if self.part is not None:
            return self
        assert self.locked is not None
        try:
            part = crypto.unlock_with_passphrase(self.locked, passphrase)
        except crypto.VaultIntegrityError:
            raise ShareError("share_wrong_passphrase") from None
        return Share(self.vault_id, self.generation, self.threshold, self.count, self.index, part)


def split(
    master_key: bytes, *, vault_id: uuid.UUID, generation: int, threshold: int, count: int
) -> list[Share]:
    if not 2 <= threshold <= count <= 255:
        raise ValueError("need 2 ≤ threshold ≤ number of shares ≤ 255")
    parts = pyshamir.split(master_key, count, threshold)
    return [
        Share(vault_id, generation, threshold, count, index, bytes(part))
        for index, part in enumerate(parts, start=1)
    ]


def combine(shares: list[Share]) -> bytes:
    parts = [bytearray(s.part) for s in shares if s.part is not None]
    if len(parts) != len(shares):
        raise ShareError("share_needs_passphrase")
    return bytes(pyshamir.combine(parts))


def digest(share: Share) -> str:
    """What the database keeps to recognise a share: a keyed hash of the part, not the part."""
    assert share.part is not None
    message = b"pompolit-share|" + share.part
    return hmac.new(share.vault_id.bytes, message, hashlib.sha256).hexdigest()


def encode(share: Share, passphrase: str | None = None) -> str:
    """The groups a keyholder writes down or stores (no header: see `label`)."""
    assert share.part is not None
    flags = FLAG_PASSPHRASE if passphrase else 0
    body = crypto.lock_with_passphrase(share.part, passphrase) if passphrase else share.part
    raw = _HEAD.pack(
        MAGIC, VERSION, flags, share.vault_id.bytes, share.generation,
        share.threshold, share.count, share.index,
    ) + body
    raw += hashlib.sha256(raw).digest()[:CHECKSUM_BYTES]
    text = base64.b32encode(raw).decode().rstrip("=")
    return "-".join(text[i : i + GROUP] for i in range(0, len(text), GROUP))


def label(share: Share, *, organisation: str, keyholder: str) -> str:
    return (
        f"POMPOLIT KEY SHARE — {organisation} — vault {str(share.vault_id)[:8]} — "
        f"generation {share.generation} — share {share.index} of {share.count} "
        f"({share.threshold} needed) — for {keyholder}"
    )


_TYPOS = str.maketrans({"0": "O", "1": "I", "8": "B"})


def decode(text: str) -> Share:
    # Only the groups count: a pasted header line, spaces, dashes and case are forgiven.
    lines = [line for line in text.strip().splitlines() if not line.startswith("POMPOLIT")]
    cleaned = "".join(ch for ch in "".join(lines).upper().translate(_TYPOS) if ch.isalnum())
    if not cleaned:
        raise ShareError("share_empty")
    try:
        raw = base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))
    except ValueError:
        raise ShareError("share_mistyped") from None
    if base64.b32encode(raw).decode().rstrip("=") != cleaned:
        # The last letter carries unused bits: a typo there must not pass silently either.
        raise ShareError("share_mistyped")
    if len(raw) < _HEAD.size + CHECKSUM_BYTES + 2:
        raise ShareError("share_mistyped")
    body, checksum = raw[:-CHECKSUM_BYTES], raw[-CHECKSUM_BYTES:]
    if not hmac.compare_digest(hashlib.sha256(body).digest()[:CHECKSUM_BYTES], checksum):
        raise ShareError("share_mistyped")
    magic, version, flags, vault, generation, k, n, index = _HEAD.unpack(body[: _HEAD.size])
    if magic != MAGIC or version != VERSION:
        raise ShareError("share_not_a_share")
    rest = body[_HEAD.size :]
    vault_id = uuid.UUID(bytes=vault)
    if flags & FLAG_PASSPHRASE:
        return Share(vault_id, generation, k, n, index, None, rest)
    return Share(vault_id, generation, k, n, index, rest)
