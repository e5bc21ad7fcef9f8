"""How a field's value is encrypted: under the row's compartment data key, bound to its place.

The column holds version ‖ key id ‖ nonce ‖ ciphertext ‖ tag (base64), encrypted under the
row's compartment data key with the table, the column and the row's `vault_row_id` as
associated data — so a ciphertext copied to another row or column does not decrypt.
"""

from __future__ import annotations

import base64
import uuid

from pompolit.vault import crypto
from pompolit.vault.errors import VaultSealed
from pompolit.vault.keys.keyring import ring

VERSION = 1
_HEADER_BYTES = 17


class Ciphertext(str):
    """A value as stored: never decrypted by accident, never queried by equality."""


def associated_data(table: str, column: str, row_id: uuid.UUID, header: bytes) -> bytes:
    return b"|".join([b"pompolit-field", header, table.encode(), column.encode(), row_id.bytes])


def encrypt_bytes(
    plaintext: bytes, *, table: str, column: str, row_id: uuid.UUID, compartment_id: int | None
) -> Ciphertext:
    key = ring.current("data", compartment_id)
    header = bytes([VERSION]) + key.key_id.bytes
    sealed = crypto.seal(key.key, plaintext, associated_data(table, column, row_id, header))
    return Ciphertext(base64.urlsafe_b64encode(header + sealed).decode().rstrip("="))


def _raw(ciphertext: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(ciphertext + "=" * (-len(ciphertext) % 4))
    except ValueError:
        raise crypto.VaultIntegrityError("not a vault ciphertext") from None
    if len(raw) < _HEADER_BYTES or raw[0] != VERSION:
        raise crypto.VaultIntegrityError("not a vault ciphertext")
    return raw


def key_id_of(ciphertext: str) -> uuid.UUID:
    return uuid.UUID(bytes=_raw(ciphertext)[1:_HEADER_BYTES])


def decrypt_bytes(ciphertext: str, *, table: str, column: str, row_id: uuid.UUID) -> bytes:
    raw = _raw(ciphertext)
    header = raw[:_HEADER_BYTES]
    key = ring.key(uuid.UUID(bytes=header[1:]))
    if key.purpose != "data":
        raise crypto.VaultIntegrityError("ciphertext names a key of another purpose")
    associated = associated_data(table, column, row_id, header)
    return crypto.open_sealed(key.key, raw[_HEADER_BYTES:], associated)


# -- the codec for core.sealed_text (members' free text: it cannot import the vault) -----------

# Sealed text has no per-row identity (members' rows have no vault_row_id): it is bound to its
# table and column, under the organisation-wide data key.
SEALED_TEXT_ROW = uuid.UUID(int=0)


class SealedTextCodec:
    """Registered by VaultConfig.ready into core.sealed_text."""

    sealed: type[Exception] = VaultSealed

    def seal(self, text: str, *, table: str, column: str) -> str:
        return encrypt_bytes(text.encode(), table=table, column=column, row_id=SEALED_TEXT_ROW,
                             compartment_id=None)

    def open(self, stored: str, *, table: str, column: str) -> str:
        return decrypt_bytes(stored, table=table, column=column, row_id=SEALED_TEXT_ROW).decode()
