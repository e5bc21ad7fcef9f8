"""The vault and its keys: its state, the keyholders, the wrapped data keys, the rotations.

No encrypted field here: the key ring reads these rows to unseal and to unwrap data keys
(`keys.keyring`), and the encrypted fields are built on the key ring (`vault.fields`).
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class VaultState(models.Model):
    """The one vault of this organisation: its id, key generation and threshold.

    Nothing here is secret: the verifier is a known text encrypted under the master key, so a
    combination of shares can be checked without storing anything derived from the key alone.
    """

    vault_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    generation = models.PositiveIntegerField(default=1)
    threshold = models.PositiveSmallIntegerField()
    share_count = models.PositiveSmallIntegerField()
    verifier = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    rotated_at = models.DateTimeField(null=True, blank=True)

    classification: ClassVar[dict[str, str]] = {
        "vault_id": "internal", "generation": "internal", "threshold": "internal",
        "share_count": "internal", "verifier": "internal", "created_at": "internal",
        "rotated_at": "internal",
    }

    def __str__(self) -> str:
        return f"vault {str(self.vault_id)[:8]} (generation {self.generation})"


class Keyholder(models.Model):
    """A person holding one share of one key generation; only a keyed hash of it is kept."""

    generation = models.PositiveIntegerField()
    index = models.PositiveSmallIntegerField(_("share number"))
    label = models.CharField(_("keyholder"), max_length=64)
    member = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    share_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    classification: ClassVar[dict[str, str]] = {
        "generation": "internal", "index": "internal", "label": "internal",
        "member": "internal", "share_digest": "internal", "created_at": "internal",
    }

    class Meta:
        ordering = ["generation", "index"]
        constraints = [
            models.UniqueConstraint(fields=["generation", "index"], name="keyholder_share_once")
        ]

    def __str__(self) -> str:
        return f"{self.label} (share {self.index}, generation {self.generation})"


class DataKey(models.Model):
    """A data key, wrapped (encrypted) under the master key; per compartment and purpose."""

    class Purpose(models.TextChoices):
        DATA = "data", _("encrypted fields and files")
        INDEX = "index", _("blind indexes")
        BACKUP = "backup", _("a backup file")
        MFA = "mfa", _("members' second factors")

    key_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    purpose = models.CharField(max_length=16, choices=Purpose.choices)
    # Null: the organisation-wide key, for records that belong to no compartment.
    compartment = models.ForeignKey(
        "members.Compartment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    wrapped = models.TextField()
    master_generation = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)

    classification: ClassVar[dict[str, str]] = {
        "key_id": "internal", "purpose": "internal", "compartment": "internal",
        "wrapped": "internal", "master_generation": "internal", "created_at": "internal",
        "retired_at": "internal",
    }

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.purpose} key {str(self.key_id)[:8]}"


class Rotation(models.Model):
    """A key rotation: authorised by two people, then carried out from the command line.

    `progress` is the resumption marker of `rotate --data`: per model, the last primary key
    re-encrypted, committed in the same transaction as the rows themselves.
    """

    class Kind(models.TextChoices):
        MASTER = "master", _("new master key and shares")
        DATA = "data", _("re-encrypt all data")

    class Status(models.TextChoices):
        AUTHORISED = "authorised", _("authorised, not yet carried out")
        RUNNING = "running", _("running")
        DONE = "done", _("done")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    status = models.CharField(max_length=16, choices=Status.choices)
    approval = models.OneToOneField(
        "members.ApprovalRequest", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    plan = models.JSONField(default=dict)
    progress = models.JSONField(default=dict)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    classification: ClassVar[dict[str, str]] = {
        "kind": "internal", "status": "internal", "approval": "internal", "plan": "internal",
        "progress": "internal", "started_at": "internal", "finished_at": "internal",
    }

    def __str__(self) -> str:
        return f"rotation #{self.pk} ({self.kind}, {self.status})"
