"""Seals: what an audit entry asserts (an approval, a founding grant), keyed by the server.

The chain makes editing or removing entries evident, but its hashes are plain SHA-256: someone
who can write the database can *append* a well-formed entry saying anything. So the entries
that give power — `approval.approved` (who approved which request, with which payload digest,
when) and `member.founded` — carry in their details a seal: an HMAC-SHA256 of the record they
assert (RFC 8785 bytes) under a key derived from the server's SECRET_KEY, which lives in the
server's environment or key file and never in the database. A database writer cannot make a
seal; the approval services refuse to act on an unsealed or mismatched record, grants are only
counted with a valid seal, and `pompolit audit verify` reports any entry whose seal is wrong.

Keys are rotated as Django rotates SECRET_KEY: seals made under a key in SECRET_KEY_FALLBACKS
still verify.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import rfc8785
from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "pompolit.audit.seal.v1"
FIELD = "seal"
# The actions whose entries must carry a seal; any other entry may carry one too.
SEALED_ACTIONS = frozenset({"approval.approved", "member.founded"})


def _mac(record: Mapping[str, Any], secret: str) -> str:
    message = rfc8785.dumps(dict(record))
    return salted_hmac(SALT, message, secret=secret, algorithm="sha256").hexdigest()


def seal(record: Mapping[str, Any]) -> str:
    return _mac(record, settings.SECRET_KEY)


def sealed(record: Mapping[str, Any]) -> dict[str, Any]:
    """The record with its seal, ready to be an entry's details."""
    return {**record, FIELD: seal(record)}


def record_of(details: Mapping[str, Any]) -> dict[str, Any]:
    """The record an entry's details assert: everything but the seal."""
    return {key: value for key, value in details.items() if key != FIELD}


def is_valid(details: Mapping[str, Any]) -> bool:
    """Whether the details carry a seal, made by this server, over exactly the rest of them."""
    claimed = details.get(FIELD)
    if not isinstance(claimed, str):
        return False
    record = record_of(details)
    try:
        keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
        return any(constant_time_compare(_mac(record, key), claimed) for key in keys)
    except (TypeError, ValueError):  # details that are not JSON values (e.g. huge numbers)
        return False


class Checker:
    """For `audit verify`: every seal must be this server's, and from the first sealed entry
    on (installations older than seals have unsealed ones before it) every entry of a sealed
    action must carry one — a forger who leaves the seal out is caught as well."""

    def __init__(self) -> None:
        self.sealing = False

    def __call__(self, row: Mapping[str, Any]) -> str | None:
        details = row.get("details")
        has_seal = isinstance(details, Mapping) and FIELD in details
        if has_seal:
            self.sealing = True
        elif self.sealing and row.get("action") in SEALED_ACTIONS:
            return f"entry #{row['seq']} ({row['action']}) has no seal: the entry was forged"
        return problem(row)


def problem(row: Mapping[str, Any]) -> str | None:
    """For the chain check: why an entry's seal is wrong, or None when it is fine."""
    details = row.get("details")
    if not isinstance(details, Mapping):
        return None
    if FIELD in details and not is_valid(details):
        return f"the seal of entry #{row['seq']} is not this server's: the entry was forged"
    return None
