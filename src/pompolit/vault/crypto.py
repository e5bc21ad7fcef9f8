"""The vault's cryptography: thin wrappers over libsodium (PyNaCl) and HKDF (cryptography).

Nothing here is hand-made: authenticated encryption is XChaCha20-Poly1305 (IETF), passphrases
go through Argon2id, key derivation is HKDF-SHA256, keyed lookups are HMAC-SHA256. Pure code:
no Django, so the agent, the commands and the tests use it alike.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

import nacl.bindings as sodium
import nacl.exceptions
import nacl.pwhash.argon2id as argon2id
import nacl.secret
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_BYTES = sodium.crypto_aead_xchacha20poly1305_ietf_KEYBYTES  # 32
NONCE_BYTES = sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES  # 24
TAG_BYTES = sodium.crypto_aead_xchacha20poly1305_ietf_ABYTES  # 16


class VaultIntegrityError(Exception):
    """A ciphertext was changed, copied to another place, or belongs to another key."""


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def seal(key: bytes, plaintext: bytes, associated: bytes) -> bytes:
    """nonce ‖ ciphertext ‖ tag. A random 192-bit nonce never repeats in practice."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    return nonce + sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
        plaintext, associated, nonce, key
    )


def open_sealed(key: bytes, sealed: bytes, associated: bytes) -> bytes:
    if len(sealed) < NONCE_BYTES + TAG_BYTES:
        raise VaultIntegrityError("ciphertext too short")
    try:
        return bytes(
            sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
                sealed[NONCE_BYTES:], associated, sealed[:NONCE_BYTES], key
            )
        )
    except nacl.exceptions.CryptoError:
        raise VaultIntegrityError("ciphertext does not authenticate") from None


def derive(key: bytes, purpose: bytes, length: int = KEY_BYTES) -> bytes:
    """A subkey for one purpose; subkeys for different purposes are independent."""
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=purpose).derive(key)


def keyed_digest(key: bytes, message: bytes) -> str:
    return hmac.new(key, message, hashlib.sha256).hexdigest()


# Passphrase protection for printed shares: Argon2id, then secretbox (XSalsa20-Poly1305).
PASSPHRASE_SALT_BYTES = argon2id.SALTBYTES


def passphrase_key(passphrase: str, salt: bytes) -> bytes:
    return bytes(
        argon2id.kdf(
            nacl.secret.SecretBox.KEY_SIZE,
            passphrase.encode(),
            salt,
            opslimit=argon2id.OPSLIMIT_MODERATE,
            memlimit=argon2id.MEMLIMIT_MODERATE,
        )
    )


def lock_with_passphrase(secret: bytes, passphrase: str) -> bytes:
    salt = secrets.token_bytes(PASSPHRASE_SALT_BYTES)
    return salt + bytes(nacl.secret.SecretBox(passphrase_key(passphrase, salt)).encrypt(secret))


def unlock_with_passphrase(locked: bytes, passphrase: str) -> bytes:
    salt, box = locked[:PASSPHRASE_SALT_BYTES], locked[PASSPHRASE_SALT_BYTES:]
    try:
        return bytes(nacl.secret.SecretBox(passphrase_key(passphrase, salt)).decrypt(box))
    except nacl.exceptions.CryptoError:
        raise VaultIntegrityError("wrong passphrase") from None


# Files: libsodium's secretstream, so a large attachment is encrypted chunk by chunk and a
# truncated, reordered or spliced file fails to decrypt.
STREAM_CHUNK = 64 * 1024
STREAM_HEADER_BYTES = sodium.crypto_secretstream_xchacha20poly1305_HEADERBYTES


def stream_encrypt(key: bytes, data: bytes, associated: bytes) -> bytes:
    state = sodium.crypto_secretstream_xchacha20poly1305_state()
    header = sodium.crypto_secretstream_xchacha20poly1305_init_push(state, key)
    out = [bytes(header)]
    pieces = [data[i : i + STREAM_CHUNK] for i in range(0, len(data), STREAM_CHUNK)] or [b""]
    for position, piece in enumerate(pieces):
        last = position == len(pieces) - 1
        tag = (
            sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL
            if last
            else sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
        )
        out.append(
            sodium.crypto_secretstream_xchacha20poly1305_push(
                state, piece, associated if position == 0 else None, tag
            )
        )
    return b"".join(out)


def stream_decrypt(key: bytes, blob: bytes, associated: bytes) -> bytes:
    abytes = sodium.crypto_secretstream_xchacha20poly1305_ABYTES
    if len(blob) < STREAM_HEADER_BYTES + abytes:
        raise VaultIntegrityError("encrypted file too short")
    state = sodium.crypto_secretstream_xchacha20poly1305_state()
    try:
        sodium.crypto_secretstream_xchacha20poly1305_init_pull(
            state, blob[:STREAM_HEADER_BYTES], key
        )
        out = []
        position, offset = 0, STREAM_HEADER_BYTES
        while offset < len(blob):
            piece = blob[offset : offset + STREAM_CHUNK + abytes]
            offset += len(piece)
            message, tag = sodium.crypto_secretstream_xchacha20poly1305_pull(
                state, piece, associated if position == 0 else None
            )
            out.append(bytes(message))
            position += 1
            if tag == sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL:
                if offset != len(blob):
                    raise VaultIntegrityError("data after the end of an encrypted file")
                return b"".join(out)
    except (nacl.exceptions.CryptoError, RuntimeError, ValueError):
        raise VaultIntegrityError("encrypted file does not authenticate") from None
    raise VaultIntegrityError("encrypted file was cut short")
