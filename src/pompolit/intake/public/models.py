"""Photos sent with a public report (intake/public/photos.py): cleaned, encrypted, reviewed.

The image is a fresh JPEG holding nothing but the pixels (core/images.py), encrypted on disk
under a key of its own which only the row keeps, itself encrypted under the hotline
compartment's key (`vault.fields.EncryptedFileField`). Deleting the row forgets that key: the
body on disk can no longer be read by anyone, and it is removed as well.

A photo sent to the Telegram bot waits, before its report exists, with no report and no
compartment (the organisation's key, as the conversation itself); it joins its report, and
its key moves under the hotline's, when the report is sent.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pompolit.vault.fields import EncryptedFileField, FreeTextField, VaultModel


class ReportPhoto(VaultModel):
    vault_compartment_field = "compartment"

    compartment = models.ForeignKey(
        "members.Compartment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    report = models.ForeignKey(
        "intake.Report", null=True, blank=True, on_delete=models.CASCADE, related_name="photos"
    )
    image = EncryptedFileField(_("photo"), sensitivity="secret")
    caption = FreeTextField(_("caption"), max_length=200)
    # When it came with its report; while it waits in a bot conversation, the time of that
    # conversation's last message (the sweep of abandoned conversations counts from there).
    received_at = models.DateTimeField(default=timezone.now, db_index=True)

    classification = dict.fromkeys(["compartment", "report", "received_at"], "internal")

    class Meta:
        app_label = "intake"
        ordering = ["received_at", "pk"]

    def __str__(self) -> str:
        return f"photo #{self.pk} of report #{self.report_id}"
