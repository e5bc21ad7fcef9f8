"""Second factors under the vault: allauth's TOTP secrets and recovery-code seeds.

allauth keeps them in `mfa_authenticator.data` and passes each through its MFA adapter's
`encrypt`/`decrypt` hooks; here those hooks seal them with the vault's organisation-wide
"mfa" key (a data key of its own purpose, wrapped by the master key like the others:
`rotate` re-wraps it, `rotate --data` replaces it and seals the second factors again).
A seized database or backup holds only ciphertext.

The consequence, by design: while the vault is sealed nobody can pass the authenticator-app
step of the web login (the secret cannot be read), and nobody can set one up; the page says the
vault is sealed. Keyholders unseal from the server with `pompolit unseal`, which needs no web
login; a security key (WebAuthn), whose stored data is a public key, still signs in while
sealed. Secrets stored in clear by an older version are sealed at the next unseal
(`seal_plaintext_secrets`); until then they are read as they are.
"""

from __future__ import annotations

import base64
import uuid
from typing import Any

from allauth.mfa.models import Authenticator
from django.db import transaction

from pompolit.audit.services import record
from pompolit.members.adapters import MFAAdapter as MembersMFAAdapter
from pompolit.vault import crypto
from pompolit.vault.keys.keyring import ring

PREFIX = "vault1:"
PURPOSE = "mfa"
_VERSION = 1
_HEADER = 17  # version byte and key id


def _associated(header: bytes) -> bytes:
    # allauth's hook is given the text only, not the row: the value is bound to its purpose.
    return b"|".join([b"pompolit-mfa", header, b"mfa_authenticator.data"])


def seal_secret(text: str) -> str:
    key = ring.current(PURPOSE, None)
    header = bytes([_VERSION]) + key.key_id.bytes
    sealed = crypto.seal(key.key, text.encode(), _associated(header))
    return PREFIX + base64.urlsafe_b64encode(header + sealed).decode().rstrip("=")


def open_secret(stored: str) -> str:
    if not stored.startswith(PREFIX):
        return stored  # stored in clear by an older version; sealed at the next unseal
    body = stored[len(PREFIX):]
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except ValueError:
        raise crypto.VaultIntegrityError("not a vault ciphertext") from None
    if len(raw) < _HEADER or raw[0] != _VERSION:
        raise crypto.VaultIntegrityError("not a vault ciphertext")
    key = ring.key(uuid.UUID(bytes=raw[1:_HEADER]))
    if key.purpose != PURPOSE:
        raise crypto.VaultIntegrityError("ciphertext names a key of another purpose")
    return crypto.open_sealed(key.key, raw[_HEADER:], _associated(raw[:_HEADER])).decode()


class MFAAdapter(MembersMFAAdapter):
    def encrypt(self, text: str) -> str:
        return seal_secret(text)

    def decrypt(self, encrypted_text: str) -> str:
        return open_secret(encrypted_text)


def key_id_of(stored: str) -> uuid.UUID | None:
    """The key a sealed value names; None for a value in clear."""
    if not stored.startswith(PREFIX):
        return None
    body = stored[len(PREFIX):]
    raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    return uuid.UUID(bytes=raw[1:_HEADER])


def _needs_sealing(value: Any, retired: set[uuid.UUID]) -> bool:
    return isinstance(value, str) and (
        not value.startswith(PREFIX) or key_id_of(value) in retired
    )


def _resealed(value: Any, retired: set[uuid.UUID]) -> Any:
    return seal_secret(open_secret(value)) if _needs_sealing(value, retired) else value


def _sealed_data(data: dict[str, Any], retired: set[uuid.UUID]) -> dict[str, Any] | None:
    """The data with every secret sealed under the current key, or None if nothing changed."""
    changed = dict(data)
    for field in ("secret", "seed"):
        if field in data:
            changed[field] = _resealed(data[field], retired)
    codes = data.get("migrated_codes")
    if isinstance(codes, list):
        changed["migrated_codes"] = [_resealed(code, retired) for code in codes]
    return changed if changed != data else None


def seal_plaintext_secrets(retired: frozenset[uuid.UUID] = frozenset()) -> int:
    """Seal the second factors an older version stored in clear (run at each unseal), and
    those sealed under `retired` keys again under the current one (`rotate --data`)."""
    count = 0
    types = [Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES]
    for pk in list(Authenticator.objects.filter(type__in=types).values_list("pk", flat=True)):
        with transaction.atomic():
            authenticator = Authenticator.objects.select_for_update().get(pk=pk)
            sealed = _sealed_data(authenticator.data, set(retired))
            if sealed is not None:
                authenticator.data = sealed
                authenticator.save(update_fields=["data"])
                count += 1
    return count


def seal_after_unseal(**kwargs: Any) -> None:
    """On `keys.services.unsealed`: second factors an older version stored in clear are sealed
    as soon as the key is here."""
    sealed = seal_plaintext_secrets()
    if sealed:
        record("vault.second_factors_sealed", details={"authenticators": sealed})
