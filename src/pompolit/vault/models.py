from __future__ import annotations

import uuid
from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pompolit.vault.fields import (
    BlindIndexField,
    EncryptedBytesField,
    EncryptedJSONField,
    EncryptedTextField,
    VaultModel,
)


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


class EmergencyContact(VaultModel):
    """Whom to tell if a member is detained. Optional; encrypted; found by phone number only."""

    member = models.OneToOneField(
        "members.Member", on_delete=models.PROTECT, related_name="emergency_contact"
    )
    contact = EncryptedTextField(_("contact for emergencies"), sensitivity="secret")
    phone = EncryptedTextField(_("phone"), sensitivity="secret", blank=True)
    phone_index = BlindIndexField(source="phone", normalise="phone")
    updated_at = models.DateTimeField(default=timezone.now)

    classification: ClassVar[dict[str, str]] = {"member": "internal", "updated_at": "internal"}

    def __str__(self) -> str:
        return f"emergency contact of member #{self.member_id}"


class PendingUpload(VaultModel):
    """A file uploaded for an import, waiting between its preview and its commit (vault.uploads).

    Encrypted under its compartment's key (the organisation's for the books), owned by the member
    who uploaded it, deleted on commit or cancel, and by the clean-up once it expires.
    """

    vault_compartment_field = "compartment"

    token = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=32)
    owner = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="+")
    compartment = models.ForeignKey(
        "members.Compartment", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    body = EncryptedBytesField(sensitivity="secret")
    # What the import needs besides the body: the file's name to show, the chosen options.
    state = EncryptedJSONField(sensitivity="secret")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)

    classification: ClassVar[dict[str, str]] = {
        "token": "internal", "kind": "internal", "owner": "internal", "compartment": "internal",
        "created_at": "internal", "expires_at": "internal",
    }

    def __str__(self) -> str:
        return f"pending {self.kind} upload #{self.pk}"


class PendingPlaintext(models.Model):
    """Free text written before its field was encrypted, waiting for the vault to be unsealed.

    A migration cannot encrypt (the keys are not on disk): it moves each old value here and
    empties the column; the first unseal (or `pompolit vault encrypt-pending`) encrypts it into
    its field and deletes the row (`services.encrypt_pending`). Until then it is in clear, as
    it was before the upgrade — so unseal soon after migrating.
    """

    model = models.CharField(max_length=100)  # "cases.Case"
    field = models.CharField(max_length=100)
    row = models.CharField(max_length=64)  # the row's primary key
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    classification: ClassVar[dict[str, str]] = {
        "model": "internal", "field": "internal", "row": "internal", "text": "internal",
        "created_at": "internal",
    }

    class Meta:
        constraints = [models.UniqueConstraint(fields=["model", "field", "row"],
                                               name="vault_pending_once")]

    def __str__(self) -> str:
        return f"pending {self.model}.{self.field} #{self.row}"
