"""The books: currencies, the chart of accounts, funds, entries and their postings, donations,
and the notes typed about entries. The features' own models (campaigns, rates, statements,
donors, expenses, bank imports) are in their packages and import this module.

Amounts are integers in the currency's minor units (see money.py for why). Entries, postings,
donations and currencies are append-only (database triggers, migration 0003): a correction is
a reversing entry, never an edit. Fund balances are derived state kept in the same
transaction as the postings, so the database itself refuses a restricted fund below zero.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import CheckConstraint, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pompolit.ledger.codes import CodeValidator
from pompolit.ledger.default_names import account_name, fund_name
from pompolit.ledger.money import MAX_BALANCE_UNITS, MAX_UNITS
from pompolit.vault.fields import FreeTextField, VaultModel

# Codes are published in every leaf: lower-case ASCII words, so no member's free text goes out
# and no code can look like another (a Cyrillic «е» in «еxpenses»). The same patterns are
# CHECK constraints (docs/ledger.md, "Codes"); `\Z`, not `$`, which would let a newline end it.
CODE_PATTERN = r"^[a-z0-9][a-z0-9-]*(:[a-z0-9][a-z0-9-]*)*\Z"
CURRENCY_PATTERN = r"^[A-Z][A-Z0-9]{2,9}\Z"
CHANNEL_PATTERN = r"^[a-z][a-z0-9_]*\Z"
code_validator = CodeValidator(
    CODE_PATTERN,
    _("Use lower-case Latin letters, digits and hyphens, with “:” between levels "
      "(e.g. assets:bank)."),
)
currency_validator = CodeValidator(CURRENCY_PATTERN, _("Use 3 to 10 capital Latin letters or "
                                                       "digits, starting with a letter (RUB)."))


def code_check(field: str, pattern: str, name: str, *, blank: bool = False) -> CheckConstraint:
    condition = Q(**{f"{field}__regex": pattern})
    return CheckConstraint(condition=condition | Q(**{field: ""}) if blank else condition,
                           name=name)


def units_check(field: str, name: str, limit: int = MAX_UNITS) -> CheckConstraint:
    return CheckConstraint(condition=Q(**{f"{field}__lte": limit, f"{field}__gte": -limit}),
                           name=name)


class Currency(models.Model):
    code = models.CharField(
        max_length=10, primary_key=True,
        validators=[currency_validator],
    )
    name = models.CharField(max_length=100)
    # Minor units (ISO 4217's "exponent"): 2 for RUB, 0 for a currency without cents.
    exponent = models.PositiveSmallIntegerField()
    # ISO 4217; unofficial ones (USDT) and historical ones are added by the treasurer.
    official = models.BooleanField(default=True)

    classification = dict.fromkeys(["code", "name", "exponent", "official"], "public")

    class Meta:
        verbose_name_plural = "currencies"
        constraints = [
            models.CheckConstraint(condition=Q(exponent__lte=8), name="ledger_currency_exponent"),
            code_check("code", CURRENCY_PATTERN, "ledger_currency_code_ascii"),
        ]

    def __str__(self) -> str:
        return self.code


class AccountType(models.TextChoices):
    ASSET = "asset", _("asset")
    LIABILITY = "liability", _("liability")
    INCOME = "income", _("income")
    EXPENSE = "expense", _("expense")
    NET_ASSETS = "net_assets", _("net assets")


class Account(models.Model):
    code = models.CharField(max_length=100, unique=True, validators=[code_validator])
    name = models.CharField(max_length=200)
    type = models.CharField(max_length=12, choices=AccountType.choices)
    # One per currency ("trading:eur"): exchanges pass through them (the trading-accounts method).
    is_trading = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    classification = dict.fromkeys(["code", "name", "type", "is_trading", "created_at"], "public")

    class Meta:
        ordering = ["code"]
        constraints = [code_check("code", CODE_PATTERN, "ledger_account_code_ascii")]

    def __str__(self) -> str:
        return self.code

    @property
    def label(self) -> str:
        """What pages show: the name, in the reader's language if the system gave it."""
        return account_name(self.code, self.name)


class FundKind(models.TextChoices):
    UNRESTRICTED = "unrestricted", _("unrestricted")
    PURPOSE = "purpose", _("restricted to a purpose")
    CASE = "case", _("restricted to a case")


class Fund(models.Model):
    code = models.CharField(max_length=64, unique=True, validators=[code_validator])
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=FundKind.choices)
    # For a purpose fund: the expense account (and those below it) it may pay, e.g. expenses:legal.
    purpose = models.CharField(max_length=100, blank=True, validators=[code_validator])
    # For a case fund: the case it is for. A foreign key once the case register exists.
    case_ref = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    classification = {
        **dict.fromkeys(["code", "name", "kind", "purpose", "created_at"], "public"),
        "case_ref": "internal",
    }

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="purpose") | ~Q(purpose=""), name="ledger_fund_purpose_named"
            ),
            models.CheckConstraint(
                condition=~Q(kind="case") | ~Q(case_ref=""), name="ledger_fund_case_named"
            ),
            code_check("code", CODE_PATTERN, "ledger_fund_code_ascii"),
            code_check("purpose", CODE_PATTERN, "ledger_fund_purpose_ascii", blank=True),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """What pages show: the name, in the reader's language if the system gave it."""
        return fund_name(self.code, self.name)

    @property
    def restricted(self) -> bool:
        return self.kind != FundKind.UNRESTRICTED


class FundBalance(models.Model):
    """Net assets (assets less liabilities) of a fund in one currency: derived, kept current."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="balances")
    currency = models.ForeignKey(Currency, on_delete=models.PROTECT)
    units = models.BigIntegerField(default=0)
    # A copy of fund.kind != unrestricted, because a CHECK cannot look into another table.
    restricted = models.BooleanField()

    classification = dict.fromkeys(["fund", "currency", "units", "restricted"], "internal")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["fund", "currency"], name="ledger_fundbalance_unique"),
            models.CheckConstraint(
                condition=Q(restricted=False) | Q(units__gte=0),
                name="ledger_restricted_fund_not_negative",
            ),
            units_check("units", "ledger_fundbalance_bounded", MAX_BALANCE_UNITS),
        ]

    def __str__(self) -> str:
        return f"{self.fund_id} {self.currency_id} {self.units}"


class EntryKind(models.TextChoices):
    DONATION = "donation", _("donation")
    EXPENSE = "expense", _("expense")
    EXCHANGE = "exchange", _("currency exchange")
    TRANSFER = "transfer", _("transfer between funds")
    OPENING = "opening", _("opening balance")
    REVERSAL = "reversal", _("reversal")


class Entry(models.Model):
    """A posted transaction. Its public projection is leaf `leaf_index` of the "ledger" log."""

    date = models.DateField()
    kind = models.CharField(max_length=12, choices=EntryKind.choices)
    # The published date granularity when it was posted, so the leaf can be recomputed.
    granularity = models.CharField(max_length=5)
    leaf_index = models.PositiveBigIntegerField(unique=True)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversal"
    )
    # Internal only, never in the leaf.
    memo = models.CharField(max_length=500, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    posted_at = models.DateTimeField(default=timezone.now)

    classification = {
        **dict.fromkeys(["date", "kind", "granularity", "leaf_index", "reverses"], "public"),
        **dict.fromkeys(["memo", "posted_by", "posted_at"], "internal"),
    }

    class Meta:
        verbose_name_plural = "entries"
        ordering = ["leaf_index"]
        constraints = [
            # A reversal names the entry it reverses, and only a reversal does; that entry is
            # reversed at most once (`reverses` is one-to-one) and is not itself a reversal
            # (trigger, migration 0008).
            CheckConstraint(condition=Q(kind="reversal", reverses__isnull=False)
                            | (~Q(kind="reversal") & Q(reverses__isnull=True)),
                            name="ledger_entry_reversal_names_entry"),
        ]

    def __str__(self) -> str:
        return f"#{self.leaf_index} {self.kind} {self.date}"


class Posting(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="postings")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="postings")
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="postings")
    currency = models.ForeignKey(Currency, on_delete=models.PROTECT)
    units = models.BigIntegerField()  # positive: debit; negative: credit

    classification = dict.fromkeys(["entry", "account", "fund", "currency", "units"], "public")

    class Meta:
        ordering = ["entry", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(units=0), name="ledger_posting_not_zero"),
            units_check("units", "ledger_posting_bounded"),
        ]
        indexes = [models.Index(fields=["fund", "currency"], name="ledger_post_fund_cur")]

    def __str__(self) -> str:
        return f"{self.account_id} {self.fund_id} {self.units} {self.currency_id}"


class Channel(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", _("bank transfer")
    CASH = "cash", _("cash")
    CARD = "card", _("card processor")
    CRYPTO = "crypto", _("crypto")
    FOREIGN_CHAPTER = "foreign_chapter", _("via a foreign chapter")


class Donation(models.Model):
    entry = models.OneToOneField(Entry, on_delete=models.PROTECT, related_name="donation")
    channel = models.CharField(max_length=16, choices=Channel.choices)
    campaign = models.ForeignKey(
        "ledger.Campaign", null=True, blank=True, on_delete=models.PROTECT,
        related_name="donations",
    )
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="donations")
    currency = models.ForeignKey(Currency, on_delete=models.PROTECT)
    units = models.BigIntegerField()
    # SHA-256 of the private receipt code (receipts.receipt_id); the code itself is not kept.
    receipt_id = models.CharField(max_length=64, unique=True)
    # SHA-256 of the form's one-time token: a resubmitted form cannot record a second donation.
    submission = models.CharField(max_length=64, unique=True, null=True, blank=True)

    classification = {
        **dict.fromkeys(["entry", "channel", "campaign", "fund", "currency", "units",
                         "receipt_id"], "public"),
        "submission": "internal",
    }

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(units__gt=0), name="ledger_donation_positive"),
            units_check("units", "ledger_donation_bounded"),
            code_check("channel", CHANNEL_PATTERN, "ledger_donation_channel_ascii"),
        ]

    def __str__(self) -> str:
        return f"donation #{self.entry_id}"


class EntryNote(VaultModel):
    """A note typed by a person about an entry (a donation's internal note): encrypted.

    `Entry.memo` is for what the system writes ("bank import, line 3", "aid #12: sent"); what a
    treasurer types goes here, under the vault's organisation-wide key (issue 18: volunteers put
    names and account numbers in any box). Never published, never exported.
    """

    entry = models.OneToOneField("ledger.Entry", on_delete=models.PROTECT, related_name="note")
    note = FreeTextField(_("internal note"), max_length=500)

    classification: ClassVar[dict[str, str]] = {"entry": "internal"}

    def __str__(self) -> str:
        return f"note on entry #{self.entry_id}"
