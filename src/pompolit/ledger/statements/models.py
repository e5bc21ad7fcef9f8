"""A published statement of a closed period of the books."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Statement(models.Model):
    """A published statement of the books for a closed period (docs/ledger.md, "Statements").

    Append-only (trigger): what was published stays as it was. The bundle is the head (kept
    here byte for byte) followed by every leaf of the log up to the checkpoint."""

    period = models.CharField(max_length=32, unique=True)  # "2026-10", in URLs too
    starts_on = models.DateField()
    ends_on = models.DateField(unique=True)
    checkpoint = models.ForeignKey(
        "tlog.SignedCheckpoint", on_delete=models.PROTECT, related_name="+"
    )
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next"
    )
    # The pompolit-statement/1 document without its leaves, as JSON text (kept as text so
    # that the published bytes can be rebuilt exactly on either database).
    head = models.TextField()
    sha256 = models.CharField(max_length=64)  # of the whole bundle as published
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now)

    classification = {
        **dict.fromkeys(["period", "starts_on", "ends_on", "checkpoint", "previous", "head",
                         "sha256", "published_at"], "public"),
        "published_by": "internal",
    }

    class Meta:
        ordering = ["-ends_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="ledger_statement_period"
            ),
        ]

    def __str__(self) -> str:
        return f"statement {self.period}"
