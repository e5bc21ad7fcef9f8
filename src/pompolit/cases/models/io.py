"""Import and export (`cases/io/`): rows already imported, approved sensitive exports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from pompolit.cases.models.cases import Case


class ImportedRow(models.Model):
    """One row of an imported list, by its fingerprint: re-importing the file adds nothing."""

    compartment = models.ForeignKey("members.Compartment", on_delete=models.PROTECT,
                                    related_name="+")
    # sha256 of the normalised name, birth date and case number (cases/io/importing.fingerprint).
    fingerprint = models.CharField(max_length=64)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    imported_at = models.DateTimeField(default=timezone.now)

    classification = dict.fromkeys(["compartment", "fingerprint", "case", "imported_at"],
                                   "internal")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["compartment", "fingerprint"],
                                               name="cases_imported_row_once")]

    def __str__(self) -> str:
        return f"{self.fingerprint[:12]} → case #{self.case_id}"


class SensitiveExport(models.Model):
    """An approved bulk export of a compartment's secret fields: downloadable once."""

    approval = models.OneToOneField("members.ApprovalRequest", on_delete=models.PROTECT,
                                    related_name="+")
    compartment = models.ForeignKey("members.Compartment", on_delete=models.PROTECT,
                                    related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    downloaded_at = models.DateTimeField(null=True, blank=True)

    classification = dict.fromkeys(["approval", "compartment", "requested_by",
                                    "downloaded_at"], "internal")

    def __str__(self) -> str:
        return f"export of {self.compartment_id} (approval #{self.approval_id})"
