"""Appending to the audit trail. Every service that writes calls `record` in its transaction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db import connection, models, transaction
from django.utils import timezone

from pompolit.audit import chain
from pompolit.audit.models import AuditEntry

if TYPE_CHECKING:
    from pompolit.members.models import Member


def _lock_chain_head() -> None:
    # SQLite already serialises writers (transaction_mode IMMEDIATE); PostgreSQL needs a lock so
    # two transactions never append after the same head.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(7450001)")


def record(
    action: str,
    *,
    actor: Member | None = None,
    actor_label: str | None = None,
    obj: models.Model | None = None,
    details: Mapping[str, Any] | None = None,
    client: str = "",
    sensitive_read: bool = False,
) -> AuditEntry:
    """Append one entry. Details must not contain secrets: they are readable on disk."""
    details = dict(details or {})
    with transaction.atomic():
        _lock_chain_head()
        head = AuditEntry.objects.order_by("-seq").values("seq", "entry_hash").first()
        seq = head["seq"] + 1 if head else 1
        prev = head["entry_hash"] if head else chain.GENESIS
        at = timezone.now()
        fields: dict[str, Any] = {
            "seq": seq,
            "at": at,
            "actor_id": actor.pk if actor is not None else None,
            "actor_label": actor_label or (actor.pseudonym if actor is not None else ""),
            "action": action,
            "object_type": obj._meta.label_lower if obj is not None else "",
            "object_id": str(obj.pk) if obj is not None else "",
            "client": client[:64],
            "details": details,
            "details_digest": chain.digest(details),
            "sensitive_read": sensitive_read,
            "prev_hash": prev,
        }
        fields["entry_hash"] = chain.entry_hash(
            seq=seq,
            at=at.isoformat(),
            actor_id=fields["actor_id"],
            actor_label=fields["actor_label"],
            action=action,
            object_type=fields["object_type"],
            object_id=fields["object_id"],
            client=fields["client"],
            details_digest=fields["details_digest"],
            sensitive_read=sensitive_read,
            prev_hash=prev,
        )
        return AuditEntry.objects.create(**fields)


def record_sensitive_read(actor: Member, obj: models.Model, *, fields: list[str]) -> AuditEntry:
    """Cases and ledger call this whenever a member opens a record marked sensitive."""
    return record(
        "read.sensitive", actor=actor, obj=obj, details={"fields": sorted(fields)},
        sensitive_read=True,
    )
