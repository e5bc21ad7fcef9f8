"""Exchange rates, entered by hand or from a CSV file; reports name the rates they used."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import CheckConstraint, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pompolit.ledger.models.books import Currency
from pompolit.ledger.money import MAX_RATE

# Where a rate came from, when the program set it; any other source is the short name the
# treasurer's file gave (e.g. "cbr"), shown as it is.
SOURCE_LABELS = {"manual": _("entered by hand"), "csv": _("from a file")}


def source_label(source: str) -> str:
    return str(SOURCE_LABELS.get(source, source))


class ExchangeRate(models.Model):
    """1 `currency` = `rate` × `base`, on a day. Reports name the rate they used."""

    on = models.DateField()
    currency = models.ForeignKey(Currency, on_delete=models.PROTECT, related_name="+")
    base = models.ForeignKey(Currency, on_delete=models.PROTECT, related_name="+")
    rate = models.DecimalField(max_digits=24, decimal_places=10)
    source = models.CharField(max_length=16, default="manual")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(default=timezone.now)

    classification = {
        **dict.fromkeys(["on", "currency", "base", "rate", "source"], "public"),
        **dict.fromkeys(["entered_by", "entered_at"], "internal"),
    }

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["on", "currency", "base"], name="ledger_rate_unique"),
            models.CheckConstraint(condition=Q(rate__gt=0), name="ledger_rate_positive"),
            CheckConstraint(condition=Q(rate__lte=MAX_RATE), name="ledger_rate_bounded"),
        ]

    def __str__(self) -> str:
        return f"{self.on} 1 {self.currency_id} = {self.rate} {self.base_id}"

    @property
    def source_label(self) -> str:
        return source_label(self.source)
