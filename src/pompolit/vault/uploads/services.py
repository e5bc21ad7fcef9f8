"""Uploaded files waiting to be imported, kept encrypted on the server — not in the session
(signed, not encrypted) and not in a hidden form field sent back and forth.

An import is upload → preview (as often as the member likes) → commit. Between the steps the
file is a `PendingUpload`: its body and state encrypted with the vault (under the compartment's
data key for a case list, the organisation's for the books), owned by the member who uploaded it
(no one else can preview or commit it), replaced by that member's next upload of the same kind,
deleted on commit or cancel, and unusable after POMPOLIT_PENDING_UPLOAD_MINUTES (60 by default).
Expired ones are deleted by `sweep` — run by `pompolit vault cleanup`, and by the web process itself
every few minutes (`uploads.housekeeping`) — with the expired sessions.
"""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from pompolit.members.models import Compartment, Member
from pompolit.vault.uploads.models import PendingUpload


def lifetime() -> datetime.timedelta:
    return datetime.timedelta(minutes=int(getattr(settings, "POMPOLIT_PENDING_UPLOAD_MINUTES",
                                                  60)))


def keep(owner: Member, kind: str, data: bytes, *, compartment: Compartment | None = None,
         state: dict[str, Any] | None = None) -> PendingUpload:
    """Keep an uploaded file, encrypted, until it is imported, cancelled or expires."""
    now = timezone.now()
    with transaction.atomic():
        purge_expired(now)
        PendingUpload.objects.filter(owner=owner, kind=kind).delete()
        upload = PendingUpload(
            token=secrets.token_urlsafe(24), kind=kind, owner=owner, compartment=compartment,
            created_at=now, expires_at=now + lifetime())
        upload.body = bytes(data)
        upload.state = dict(state or {})
        upload.save()
        return upload


def fetch(owner: Member, kind: str, token: str) -> PendingUpload | None:
    """The member's own pending upload of this kind, if it has not expired."""
    if not token:
        return None
    return PendingUpload.objects.filter(
        owner=owner, kind=kind, token=token, expires_at__gt=timezone.now()).first()


def save_state(upload: PendingUpload, state: dict[str, Any]) -> None:
    upload.state = dict(state)
    upload.save(update_fields=["state"])


def discard(owner: Member, kind: str, token: str) -> None:
    PendingUpload.objects.filter(owner=owner, kind=kind, token=token).delete()


def purge_expired(now: datetime.datetime | None = None) -> int:
    deleted, _by_model = PendingUpload.objects.filter(
        expires_at__lte=now or timezone.now()).delete()
    return deleted
