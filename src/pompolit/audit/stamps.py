"""Stamps: what an audit entry asserts (an approval, a founding grant), keyed by the server.

The chain makes editing or removing entries evident, but its hashes are plain SHA-256: someone
who can write the database can *append* a well-formed entry saying anything. So the entries
that give power — `approval.approved` (who approved which request, with which payload digest,
when) and `member.founded` — carry in their details a stamp: an HMAC-SHA256 of the record they
assert (RFC 8785 bytes) under a key derived from the server's SECRET_KEY, which lives in the
server's environment or key file and never in the database. A database writer cannot make a
stamp; the approval services refuse to act on an unstamped or mismatched record, grants are only
counted with a valid stamp, and `pompolit audit verify` reports any entry whose stamp is wrong.

Keys are rotated as Django rotates SECRET_KEY: stamps made under a key in SECRET_KEY_FALLBACKS
still verify.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import rfc8785
from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "pompolit.audit.stamp.v1"
FIELD = "stamp"
# The actions whose entries must carry a stamp; any other entry may carry one too.
STAMPED_ACTIONS = frozenset({"approval.approved", "member.founded"})


def _mac(record: Mapping[str, Any], secret: str) -> str:
    message = rfc8785.dumps(dict(record))
    return salted_hmac(SALT, message, secret=secret, algorithm="sha256").hexdigest()


def stamp(record: Mapping[str, Any]) -> str:
    return _mac(record, settings.SECRET_KEY)


def stamped(record: Mapping[str, Any]) -> dict[str, Any]:
    """The record with its stamp, ready to be an entry's details."""
    return {**record, FIELD: stamp(record)}


def record_of(details: Mapping[str, Any]) -> dict[str, Any]:
    """The record an entry's details assert: everything but the stamp."""
    return {key: value for key, value in details.items() if key != FIELD}


def is_valid(details: Mapping[str, Any]) -> bool:
    """Whether the details carry a stamp, made by this server, over exactly the rest of them."""
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
    """For `audit verify`: every stamp must be this server's, and from the first stamped entry
    on (installations older than stamps have unstamped ones before it) every entry of a stamped
    action must carry one — a forger who leaves the stamp out is caught as well."""

    def __init__(self) -> None:
        self.stamping = False

    def __call__(self, row: Mapping[str, Any]) -> str | None:
        details = row.get("details")
        has_stamp = isinstance(details, Mapping) and FIELD in details
        if has_stamp:
            self.stamping = True
        elif self.stamping and row.get("action") in STAMPED_ACTIONS:
            return f"entry #{row['seq']} ({row['action']}) has no stamp: the entry was forged"
        return problem(row)


def problem(row: Mapping[str, Any]) -> str | None:
    """For the chain check: why an entry's stamp is wrong, or None when it is fine."""
    details = row.get("details")
    if not isinstance(details, Mapping):
        return None
    if FIELD in details and not is_valid(details):
        return f"the stamp of entry #{row['seq']} is not this server's: the entry was forged"
    return None
