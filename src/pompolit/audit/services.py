"""Appending to the audit trail. Every service that writes calls `record` in its transaction."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import QuerySet
from django.db.models.options import Options
from django.utils import timezone
from django.utils.translation import gettext as _

from pompolit.audit import chain, signing, stamps
from pompolit.audit.models import AuditEntry

BULK_READ = "alert.bulk_read"
ALERT_PREFIX = "alert."
ALERT_ACKNOWLEDGED = "audit.alert_acknowledged"
HEAD_EXPORTED = "audit.head_exported"
VERIFIED = "audit.verified"
BULK_READ_WINDOW = timedelta(hours=1)
CHUNK = 2000


class Row(Protocol):
    """What an entry is about: any model's row (its type and primary key)."""

    @property
    def pk(self) -> Any: ...

    @property
    def _meta(self) -> Options[Any]: ...


class Actor(Row, Protocol):
    """Who acted, as far as the trail needs to know them. It is the user model (members.Member),
    which the trail must not import: members sits above audit and writes to it."""

    @property
    def pseudonym(self) -> str: ...


def lock_chain_head() -> None:
    # SQLite already serialises writers (transaction_mode IMMEDIATE); PostgreSQL needs a lock so
    # two transactions never append after the same head. The lock is held until commit. Also
    # taken before reading what the next entry depends on (members/trail/services.py).
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(7450001)")


def _as_stored(details: Mapping[str, Any]) -> dict[str, Any]:
    # The digest must be of what the database gives back, so tuples become lists and keys
    # strings now, not after the round trip; what JSON cannot hold fails here, loudly.
    stored: dict[str, Any] = json.loads(json.dumps(dict(details), allow_nan=False))
    return stored


def record(
    action: str,
    *,
    actor: Actor | None = None,
    actor_label: str | None = None,
    obj: Row | None = None,
    details: Mapping[str, Any] | None = None,
    client: str = "",
    sensitive_read: bool = False,
) -> AuditEntry:
    """Append one entry. Details must not contain secrets: they are readable on disk.

    `client` is the client's network (core.http.client_address), never a full address.
    """
    stored = _as_stored(details or {})
    # No savepoint inside the caller's transaction (a savepoint and its release are two more
    # round trips on every write): if the insert fails, the whole transaction is rolled back,
    # as it should be — an action must not commit without its entry.
    with transaction.atomic(savepoint=False):
        lock_chain_head()
        head = AuditEntry.objects.order_by("-seq").values("seq", "entry_hash").first()
        fields = _entry(
            head["seq"] + 1 if head else 1, head["entry_hash"] if head else chain.GENESIS,
            action, actor=actor, actor_label=actor_label, obj=obj, stored=stored,
            client=client, sensitive_read=sensitive_read,
        )
        return AuditEntry.objects.create(**fields)


def record_many(
    action: str, items: Sequence[tuple[Row, Mapping[str, Any]]], *, actor: Actor | None = None
) -> list[AuditEntry]:
    """Append one entry per (object, details), in this order, as `record` would one by one —
    under one lock and in one statement (a background task's batch)."""
    if not items:
        return []
    stored = [(obj, _as_stored(details)) for obj, details in items]
    with transaction.atomic(savepoint=False):
        lock_chain_head()
        head = AuditEntry.objects.order_by("-seq").values("seq", "entry_hash").first()
        seq, prev = (head["seq"], head["entry_hash"]) if head else (0, chain.GENESIS)
        entries = []
        for obj, details in stored:
            seq += 1
            fields = _entry(seq, prev, action, actor=actor, actor_label=None, obj=obj,
                            stored=details, client="", sensitive_read=False)
            prev = fields["entry_hash"]
            entries.append(AuditEntry(**fields))
        return AuditEntry.objects.bulk_create(entries)


def _entry(
    seq: int,
    prev_hash: str,
    action: str,
    *,
    actor: Actor | None,
    actor_label: str | None,
    obj: Row | None,
    stored: dict[str, Any],
    client: str,
    sensitive_read: bool,
) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "seq": seq,
        # Whole microseconds in UTC: exactly what both databases store and give back.
        "at": timezone.now(),
        "actor_id": actor.pk if actor is not None else None,
        "actor_label": (actor_label or (actor.pseudonym if actor is not None else ""))[:64],
        "action": action,
        "object_type": obj._meta.label_lower if obj is not None else "",
        "object_id": str(obj.pk) if obj is not None else "",
        "client": client[:64],
        "details": stored,
        "details_digest": chain.digest(stored),
        "sensitive_read": sensitive_read,
        "prev_hash": prev_hash,
    }
    fields["entry_hash"] = chain.row_hash(fields)
    return fields


# -- sensitive reads and the bulk-reading alert ---------------------------------------------


def record_sensitive_read(actor: Actor, obj: models.Model, *, fields: list[str]) -> AuditEntry:
    """Cases and ledger call this whenever a member opens a record marked sensitive."""
    with transaction.atomic():
        entry = record(
            "read.sensitive", actor=actor, obj=obj, details={"fields": sorted(fields)},
            sensitive_read=True,
        )
        # Still inside the chain lock taken by record(): two reads cannot both raise the alert.
        _alert_on_bulk_reading(actor, entry.at)
    return entry


def _alert_on_bulk_reading(actor: Actor, now: datetime) -> None:
    since = now - BULK_READ_WINDOW
    limit: int = settings.POMPOLIT_BULK_READ_LIMIT
    reads = AuditEntry.objects.filter(actor_id=actor.pk, sensitive_read=True, at__gt=since)
    count = reads.count()
    if count <= limit:
        return
    raised = AuditEntry.objects.filter(
        action=BULK_READ, object_type=actor._meta.label_lower, object_id=str(actor.pk),
        at__gt=since,
    )
    if raised.exists():
        return
    record(
        BULK_READ, obj=actor,
        details={"member": actor.pseudonym, "reads": count, "limit": limit, "window": "1h"},
    )


def open_alerts() -> QuerySet[AuditEntry]:
    acknowledged = AuditEntry.objects.filter(action=ALERT_ACKNOWLEDGED).values_list(
        "object_id", flat=True
    )
    done = [int(pk) for pk in acknowledged if pk.isdigit()]
    return AuditEntry.objects.filter(action__startswith=ALERT_PREFIX).exclude(pk__in=done)


# -- verification and signed heads ------------------------------------------------------------


def chain_rows(chunk_size: int = CHUNK) -> Iterator[dict[str, Any]]:
    """Every entry in seq order, streamed: memory stays flat however long the trail is."""
    fields = (*chain.HASHED_FIELDS, "details", "entry_hash")
    rows: Iterator[dict[str, Any]] = (
        AuditEntry.objects.order_by("seq").values(*fields).iterator(chunk_size=chunk_size)
    )
    return rows


def chain_segment(first: int, last: int) -> list[dict[str, Any]]:
    """Entries #first to #last (fewer at the head of the chain), for chain.verify_segment."""
    fields = (*chain.HASHED_FIELDS, "details", "entry_hash")
    rows = AuditEntry.objects.filter(seq__gte=first, seq__lte=last).order_by("seq")
    return list(rows.values(*fields))


def verify_chain(head: chain.Head | None = None) -> chain.Result:
    """The whole chain, and the stamp of every entry that carries one (see stamps.py)."""
    return chain.verify(chain_rows(), head, extra=stamps.Checker())


def verify_chain_now(actor: Actor, *, client: str = "") -> chain.Result:
    """The "verify now" button: the check, then an entry saying who ran it and what it found."""
    result = verify_chain()
    record(
        VERIFIED, actor=actor, client=client,
        details={
            "intact": result.intact,
            "entries": result.count,
            "head": result.head_seq,
            "problem": result.problem.message if result.problem else "",
        },
    )
    return result


@dataclass(frozen=True)
class SignedHead:
    text: str
    vkey: str
    seq: int
    entry_hash: str


class EmptyTrail(Exception):
    pass


def export_head(actor: Actor | None, *, actor_label: str = "", client: str = "") -> SignedHead:
    """Sign the current head and record that it was exported (the record follows the head)."""
    key = signing.load_key()
    with transaction.atomic():
        lock_chain_head()
        head = AuditEntry.objects.order_by("-seq").values("seq", "entry_hash").first()
        if head is None:
            raise EmptyTrail(_("The audit trail is empty: there is no head to export yet."))
        text = signing.sign_head(key, head["seq"], head["entry_hash"], timezone.now())
        record(
            HEAD_EXPORTED, actor=actor, actor_label=actor_label or None, client=client,
            details={"seq": head["seq"], "entry_hash": head["entry_hash"], "key": key.vkey},
        )
    return SignedHead(text, key.vkey, head["seq"], head["entry_hash"])


def verify_against(text: str, vkey: str | None = None) -> tuple[chain.Result, chain.Head, str]:
    """Check an exported head's signature, then that the chain still holds it and verifies.

    Without `vkey` the server's own key is used, which only proves the file came from this
    server; the trusted person's copy of the verifier key is what makes the check independent.
    """
    vkey = vkey or signing.load_key(create_in_dev=False).vkey
    head, _signed = signing.read_head(text, vkey)
    return verify_chain(head), head, vkey
