"""A published statement of a closed period of the books."""

from __future__ import annotations

import calendar
import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from pompolit.core.dates import show_date, show_partial


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

    @property
    def period_label(self) -> str:
        """The period as the page writes dates ("Mar 2026" / "03.2026", "2026", or its first
        and last day); `period` ("2026-03") names the files and the address."""
        start, end = self.starts_on, self.ends_on
        if start.day == 1 and end == _last_of_month(start):
            return show_partial(start.year, start.month)
        if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and \
                start.year == end.year:
            return str(start.year)
        return f"{show_date(start)} – {show_date(end)}"


def _last_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])
