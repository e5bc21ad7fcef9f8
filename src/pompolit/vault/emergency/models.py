from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pompolit.vault.fields import BlindIndexField, EncryptedTextField, VaultModel


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
