"""Reports of inaccuracies sent by the public about a published case, for its case workers."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pompolit.cases.models import Case
from pompolit.vault.fields import EncryptedTextField, VaultModel


class ReportState(models.TextChoices):
    OPEN = "open", _("waiting")
    CORRECTED = "corrected", _("corrected")
    DISMISSED = "dismissed", _("dismissed")


class InaccuracyReport(VaultModel):
    """"This is wrong on the page": from anyone, no account. The text may name people, so it is
    encrypted under the case's compartment; nothing about the sender is kept."""

    vault_compartment_field = "compartment"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    compartment = models.ForeignKey("members.Compartment", on_delete=models.PROTECT,
                                    related_name="+")
    text = EncryptedTextField(_("what is wrong"), sensitivity="secret")
    # How to answer, if the sender wants an answer: optional, and encrypted like the text.
    contact = EncryptedTextField(_("contact"), sensitivity="secret", blank=True)
    state = models.CharField(_("state"), max_length=12, choices=ReportState.choices,
                             default=ReportState.OPEN)
    received_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey("members.Member", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")

    classification = dict.fromkeys(
        ["case", "compartment", "state", "received_at", "closed_at", "closed_by"], "internal")

    class Meta:
        verbose_name = _("report of an inaccuracy")
        verbose_name_plural = _("reports of inaccuracies")
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["state", "compartment"], name="public_report_queue")]

    def __str__(self) -> str:
        return f"report #{self.pk} (case #{self.case_id})"


class AttendancePledge(models.Model):
    """"I'll come": one anonymous row per press of the button. Nothing about who pressed it —
    no member, no address, no network — only which hearing and when; the page shows counts."""

    hearing = models.ForeignKey("cases.Hearing", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    classification = dict.fromkeys(["hearing", "created_at"], "internal")

    def __str__(self) -> str:
        return f"pledge {self.pk}"
