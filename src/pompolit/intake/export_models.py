"""A hotline's list of detentions exported by the worker (intake/exports.py): the filters asked
for, the progress for the page to show, then the file itself, encrypted under the hotline
compartment's key like the detentions in it, until the member who asked downloads it (then
the row is deleted) or it expires. At most one per member and hotline. A list with relatives'
and reporters' contacts is made only by a second person's approval (intake/export_contacts.py),
which the row names."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pompolit.vault.fields import EncryptedBytesField, VaultModel


class ExportState(models.TextChoices):
    QUEUED = "queued", _("waiting for the worker")
    RUNNING = "running", _("being written")
    READY = "ready", _("ready to download")
    FAILED = "failed", _("failed")


class ExportFailure(models.TextChoices):
    """Why an export was not made, as the page says it: a code, never an exception's text,
    which could quote a name."""

    NONE = "", ""
    SEALED = "sealed", _("The vault was sealed while the list was being written.")
    REFUSED = "refused", _("You no longer have access to this hotline's list.")
    BUILD = "build", _("The list could not be written.")
    STALLED = "stalled", _("The worker stopped before the list was finished.")
    UNAPPROVED = "unapproved", _("The list with contacts was not approved by a second person.")


class ExportFormat(models.TextChoices):
    CSV = "csv", _("CSV (Excel, LibreOffice, any spreadsheet)")
    XLSX = "xlsx", _("Excel workbook (.xlsx)")


class DetentionExport(VaultModel):
    vault_compartment_field = "compartment"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    compartment = models.ForeignKey(
        "members.Compartment", on_delete=models.CASCADE, related_name="+"
    )
    # The filters: ids, a switch and days, no text anyone typed.
    event = models.ForeignKey(
        "intake.ProtestEvent", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    facility = models.ForeignKey(
        "cases.Facility", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    held_only = models.BooleanField(default=True)
    date_from = models.DateField(null=True, blank=True)
    date_to = models.DateField(null=True, blank=True)
    # Relatives' and reporters' contacts, asked for with the box that says so (policy decides),
    # only with the approval that let them out: the worker checks it (exports.approved_contacts).
    contacts = models.BooleanField(default=False)
    approval = models.OneToOneField(
        "members.ApprovalRequest",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    format = models.CharField(max_length=4, choices=ExportFormat.choices, default=ExportFormat.CSV)
    # The member's language when they asked: the columns are named in it.
    language = models.CharField(max_length=8, default="ru")
    state = models.CharField(max_length=8, choices=ExportState.choices, default=ExportState.QUEUED)
    rows = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    failure = models.CharField(max_length=16, blank=True, choices=ExportFailure.choices)
    body = EncryptedBytesField(sensitivity="secret")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)

    classification = dict.fromkeys(
        [
            "owner",
            "compartment",
            "event",
            "facility",
            "held_only",
            "date_from",
            "date_to",
            "contacts",
            "approval",
            "format",
            "language",
            "state",
            "rows",
            "rows_done",
            "failure",
            "created_at",
            "updated_at",
            "expires_at",
        ],
        "internal",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "compartment"], name="intake_export_one_per_hotline"
            ),
        ]

    def __str__(self) -> str:
        return f"detention export #{self.pk}"
