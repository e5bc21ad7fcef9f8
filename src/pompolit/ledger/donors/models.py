"""The donors' identities, kept only when a donor asks for it, and their approved bulk export:
downloadable once, by the treasurer who asked (services.py). The file is generated when it is
downloaded."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from pompolit.ledger.models.books import Donation
from pompolit.vault.fields import EncryptedTextField, VaultModel


class DonorIdentity(VaultModel):
    """Who gave, kept only when the donor wants a thank-you or a tax receipt. Encrypted;
    read only by treasurers through an audited read; may be forgotten (deleted) later."""

    donation = models.OneToOneField(
        Donation, on_delete=models.PROTECT, related_name="donor_identity"
    )
    name = EncryptedTextField(sensitivity="secret", blank=True)
    contact = EncryptedTextField(sensitivity="secret", blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    classification = {"donation": "internal", "created_at": "internal"}

    def __str__(self) -> str:
        return f"donor of {self.donation_id}"


class DonorExport(models.Model):
    approval = models.OneToOneField("members.ApprovalRequest", on_delete=models.PROTECT,
                                    related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    downloaded_at = models.DateTimeField(null=True, blank=True)

    classification = dict.fromkeys(["approval", "requested_by", "downloaded_at"], "internal")

    def __str__(self) -> str:
        return f"donor export (approval #{self.approval_id})"
