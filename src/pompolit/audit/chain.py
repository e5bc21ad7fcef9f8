"""The audit chain's hashing: pure functions, so a verifier needs nothing but the rows."""

import hashlib
from collections.abc import Mapping
from typing import Any

import rfc8785

GENESIS = "0" * 64


def digest(details: Mapping[str, Any]) -> str:
    # rfc8785 is typed for JSON values; Mapping[str, Any] is one.
    return hashlib.sha256(rfc8785.dumps(dict(details))).hexdigest()


def entry_hash(
    *,
    seq: int,
    at: str,
    actor_id: int | None,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    client: str,
    details_digest: str,
    sensitive_read: bool,
    prev_hash: str,
) -> str:
    body: dict[str, Any] = {
        "v": 1,
        "seq": seq,
        "at": at,
        "actor_id": actor_id,
        "actor": actor_label,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "client": client,
        "details": details_digest,
        "sensitive_read": sensitive_read,
        "prev": prev_hash,
    }
    return hashlib.sha256(rfc8785.dumps(body)).hexdigest()
