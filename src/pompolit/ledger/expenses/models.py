"""Expenses: what a member asks the group to pay, with its receipts, and the payment.

`Expense` and `ExpensePayment` are append-only (triggers, migration 0005): a submitted
expense is never edited — a correction is a new expense that `supersedes` it — and a payment
is posted once (`ExpensePayment.expense` is unique). Whatever a member typed (description,
payee) and every attachment is encrypted by the vault, in tables of their own
(`ExpenseDetails`, `ExpenseAttachment`), because the vault's key rotation re-encrypts rows in
place; the service never changes them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pompolit.ledger.models.books import Account, Currency, Entry, Fund
from pompolit.ledger.money import MAX_UNITS
from pompolit.vault.fields import EncryptedFileField, EncryptedTextField, VaultModel


class ExpenseCategory(models.TextChoices):
    LAWYER = "lawyer", _("lawyer")
    PARCEL = "parcel", _("parcel")
    TRANSFER = "transfer", _("money transfer to a prisoner")
    TRAVEL = "travel", _("travel")
    LETTERS = "letters", _("letters and printing")
    FEES = "fees", _("fees and charges")
    OTHER = "other", _("other")


class Expense(models.Model):
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    incurred_on = models.DateField()
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="expenses")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="expenses")
    category = models.CharField(max_length=16, choices=ExpenseCategory.choices)
    currency = models.ForeignKey(Currency, on_delete=models.PROTECT)
    units = models.BigIntegerField()
    # The case it is for, as plain text until the case register is linked.
    case_ref = models.CharField(max_length=64, blank=True)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    # SHA-256 of the form's one-time token: sending the form twice submits one expense.
    submission = models.CharField(max_length=64, unique=True, null=True, blank=True)

    classification = {
        **dict.fromkeys(["fund", "account", "category", "currency", "units", "incurred_on"],
                        "public"),
        **dict.fromkeys(["submitted_by", "submitted_at", "case_ref", "supersedes",
                         "submission"], "internal"),
    }

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(units__gt=0), name="ledger_expense_positive"),
            models.CheckConstraint(condition=Q(units__lte=MAX_UNITS),
                                   name="ledger_expense_bounded"),
        ]

    def __str__(self) -> str:
        return f"expense #{self.pk}"


class ExpenseDetails(VaultModel):
    """What the member typed: what the money is for, and who is paid."""

    expense = models.OneToOneField(Expense, on_delete=models.PROTECT, related_name="details")
    description = EncryptedTextField(sensitivity="secret", blank=True)
    payee = EncryptedTextField(sensitivity="secret", blank=True)

    classification = {"expense": "internal"}

    def __str__(self) -> str:
        return f"details of expense #{self.expense_id}"


class ExpenseAttachment(VaultModel):
    """A receipt or invoice. Its stored name is neutral ("attachment-1.pdf"), never the
    uploader's file name; images lose their metadata before they are encrypted."""

    expense = models.ForeignKey(Expense, on_delete=models.PROTECT, related_name="attachments")
    file = EncryptedFileField(sensitivity="secret")
    created_at = models.DateTimeField(default=timezone.now)

    classification = {"expense": "internal", "created_at": "internal"}

    def __str__(self) -> str:
        return f"attachment #{self.pk} of expense #{self.expense_id}"


class ExpensePayment(models.Model):
    expense = models.OneToOneField(Expense, on_delete=models.PROTECT, related_name="payment")
    entry = models.OneToOneField(Entry, on_delete=models.PROTECT, related_name="expense_payment")
    # A copy of expense.submitted_by, so the database itself refuses a self-approval.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    approval = models.OneToOneField(
        "members.ApprovalRequest", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    paid_at = models.DateTimeField(default=timezone.now)

    classification = dict.fromkeys(
        ["expense", "entry", "submitted_by", "paid_by", "approved_by", "approval", "paid_at"],
        "internal",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("submitted_by")),
                name="ledger_expense_not_approved_by_submitter",
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("paid_by")),
                name="ledger_expense_not_approved_by_payer",
            ),
        ]

    def __str__(self) -> str:
        return f"payment of expense #{self.expense_id}"
