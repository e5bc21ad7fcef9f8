"""Every stored field of every Pompolit model says how sensitive it is.

Levels: "public" (may be published), "internal" (members only; stored in clear), "secret"
(encrypted by the vault; must be an Encrypted*Field). A field is classified, in this order:

1. by its own `sensitivity` (the vault's Encrypted*Field and BlindIndexField carry one);
2. by its model's `classification = {"field": "level", ...}` class attribute;
3. by this registry, for apps whose models were written before the vault existed.

`pompolit check --deploy` (and so CI) and the vault's test suite fail on any concrete
field that is classified nowhere
(vault.E001), on a "secret" field stored in clear (vault.E002), on an unknown level
(vault.E003) and on a classification naming no field (vault.E004).
"""

from __future__ import annotations

LEVELS = ("public", "internal", "secret")

_MEMBER_FIELDS = {
    "password": "internal",  # an Argon2 hash, not the password
    "last_login": "internal",
    "pseudonym": "internal",
    "is_active": "internal",
    "date_joined": "internal",
    "is_founder": "internal",
    "vouched_at": "internal",
    "invited_by": "internal",
    "pseudonym_key": "internal",  # the pseudonym normalised for uniqueness
}

REGISTRY: dict[str, dict[str, str]] = {
    "members.Member": _MEMBER_FIELDS,
    "members.RoleGrant": dict.fromkeys(
        ["member", "role", "granted_at", "approval", "founding"], "internal"
    ),
    "members.Compartment": dict.fromkeys(
        ["name", "slug", "description", "created_at", "created_by"], "internal"
    ),
    "members.CompartmentGrant": dict.fromkeys(
        ["member", "compartment", "granted_at", "approval"], "internal"
    ),
    "members.Invitation": dict.fromkeys(
        ["token_hash", "note", "created_by", "created_at", "expires_at", "used_at", "used_by",
         "revoked_at"],
        "internal",
    ),
    "members.Vouch": dict.fromkeys(["voucher", "member", "created_at"], "internal"),
    "members.OrganisationSetting": dict.fromkeys(
        ["key", "value", "changed_at", "approval"], "internal"
    ),
    "members.ApprovalRequest": dict.fromkeys(
        ["action", "payload", "payload_digest", "reason", "requested_by", "requested_at",
         "expires_at", "status", "decided_by", "decided_at", "executed_at", "last_error"],
        "internal",
    ),
    "members.Notice": dict.fromkeys(
        ["member", "kind", "params", "created_at", "seen_at"], "internal"
    ),
    "audit.AuditEntry": dict.fromkeys(
        ["seq", "at", "actor_id", "actor_label", "action", "object_type", "object_id", "client",
         "details", "details_digest", "prev_hash", "entry_hash", "sensitive_read"],
        "internal",
    ),
    # The transparency log is published as a whole (its owner should confirm: leaves must
    # never carry anything but what the public statement shows).
    "tlog.Log": dict.fromkeys(["name", "origin", "size"], "public"),
    "tlog.LogEntry": dict.fromkeys(["log", "index", "data"], "public"),
    "tlog.EntryBundle": dict.fromkeys(["log", "index", "data"], "public"),
    "tlog.LogTile": dict.fromkeys(["log", "level", "index", "data"], "public"),
    "tlog.SignedCheckpoint": dict.fromkeys(["log", "size", "root", "note", "created_at"], "public"),
}
