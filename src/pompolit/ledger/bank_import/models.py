"""Bank statement imports: saved column mappings, matching rules, and what was imported.

`BankImport` and `ImportedLine` are append-only (triggers, migration 0005). An imported line
keeps only a keyed fingerprint of the bank's line (services.fingerprint), so the same
line is never posted twice, and nothing from which the counterparty could be recovered —
unless the treasurer chose to keep the counterparty, encrypted, in `KeptCounterparty`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pompolit.ledger.campaigns.models import Campaign
from pompolit.ledger.models.books import Account, Currency, Entry, Fund
from pompolit.vault.fields import EncryptedTextField, VaultModel

# What a mapping may name: the header of the file's column for each of these.
COLUMN_ROLES = (
    "date", "amount", "credit", "debit", "currency", "reference", "counterparty",
    "counterparty_account", "bank_id",
)


class StatementFormat(models.TextChoices):
    CSV = "csv", _("CSV with a saved column mapping")
    CAMT053 = "camt053", _("ISO 20022 camt.053 (XML)")


class BankMapping(models.Model):
    """How one bank's CSV export reads: encoding, separator, and which column is what."""

    class Encoding(models.TextChoices):
        AUTO = "auto", _("recognise (UTF-8, with or without BOM, or Windows-1251)")
        UTF8 = "utf-8", _("UTF-8")
        CP1251 = "cp1251", _("Windows-1251")

    class Delimiter(models.TextChoices):
        AUTO = "auto", _("recognise")
        SEMICOLON = ";", _("semicolon ;")
        COMMA = ",", _("comma ,")

    code = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    encoding = models.CharField(max_length=8, choices=Encoding.choices, default=Encoding.AUTO)
    delimiter = models.CharField(max_length=4, choices=Delimiter.choices, default=Delimiter.AUTO)
    # role → the column's header as in the file, e.g. {"date": "Дата операции", ...}
    columns = models.JSONField(default=dict)
    currency = models.ForeignKey(Currency, on_delete=models.PROTECT, related_name="+",
                                 help_text=_("For files without a currency column."))
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    # A mapping is never deleted (earlier imports name it); a deactivated one is not offered.
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    classification = dict.fromkeys(
        ["code", "name", "encoding", "delimiter", "columns", "currency", "account", "active",
         "created_by", "created_at"], "internal",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ImportOutcome(models.TextChoices):
    DONATION = "donation", _("a donation")
    FEE = "fee", _("a bank fee")
    SKIP = "skip", _("skip (already in the books, or not ours)")


class Direction(models.TextChoices):
    IN = "in", _("incoming")
    OUT = "out", _("outgoing")
    ANY = "any", _("either")


class ImportRule(models.Model):
    """"An incoming payment whose reference contains «пожертвование» is a donation to the
    general fund." Rules are tried in order of `priority` (lowest first); the first match wins."""

    name = models.CharField(max_length=200)
    priority = models.PositiveIntegerField(default=100)
    direction = models.CharField(max_length=3, choices=Direction.choices, default=Direction.IN)
    # Compared case-insensitively with the line's reference (the payment's purpose).
    reference_contains = models.CharField(max_length=200, blank=True)
    currency = models.ForeignKey(Currency, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    outcome = models.CharField(max_length=10, choices=ImportOutcome.choices)
    fund = models.ForeignKey(Fund, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    campaign = models.ForeignKey(Campaign, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    classification = dict.fromkeys(
        ["name", "priority", "direction", "reference_contains", "currency", "outcome", "fund",
         "campaign", "active", "created_by", "created_at"], "internal",
    )

    class Meta:
        ordering = ["priority", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="skip") | Q(fund__isnull=False),
                name="ledger_importrule_fund_named",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class BankImport(models.Model):
    format = models.CharField(max_length=8, choices=StatementFormat.choices)
    mapping = models.ForeignKey(BankMapping, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    # Keyed digest of the whole file, like the lines' fingerprints.
    file_fingerprint = models.CharField(max_length=64)
    lines = models.PositiveIntegerField()
    posted = models.PositiveIntegerField()
    skipped = models.PositiveIntegerField()
    duplicates = models.PositiveIntegerField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(default=timezone.now)

    classification = dict.fromkeys(
        ["format", "mapping", "account", "file_fingerprint", "lines", "posted", "skipped",
         "duplicates", "imported_by", "imported_at"], "internal",
    )

    class Meta:
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return f"bank import #{self.pk}"


class ImportedLine(models.Model):
    bank_import = models.ForeignKey(BankImport, on_delete=models.PROTECT,
                                    related_name="imported_lines")
    line_no = models.PositiveIntegerField()
    # HMAC-SHA256 of the normalised line (services.fingerprint): unique, so a line from a
    # file imported again, or from an overlapping statement, is never posted twice.
    fingerprint = models.CharField(max_length=64, unique=True)
    outcome = models.CharField(max_length=10, choices=ImportOutcome.choices)
    entry = models.OneToOneField(Entry, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="imported_line")

    classification = dict.fromkeys(
        ["bank_import", "line_no", "fingerprint", "outcome", "entry"], "internal"
    )

    class Meta:
        ordering = ["bank_import", "line_no"]

    def __str__(self) -> str:
        return f"line {self.line_no} of import #{self.bank_import_id}"


class KeptCounterparty(VaultModel):
    """Kept only when the treasurer chose to (e.g. for a thank-you); encrypted; may be
    forgotten (deleted) later."""

    line = models.OneToOneField(ImportedLine, on_delete=models.PROTECT,
                                related_name="counterparty")
    name = EncryptedTextField(sensitivity="secret", blank=True)
    account_number = EncryptedTextField(sensitivity="secret", blank=True)

    classification = {"line": "internal"}

    def __str__(self) -> str:
        return f"counterparty of {self.line_id}"
