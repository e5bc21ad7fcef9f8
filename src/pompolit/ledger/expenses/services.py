"""Expenses: submitted with their receipts, paid to the books — by one treasurer up to the
approval threshold, above it only with a second person's approval.

The member who submitted an expense never approves its payment, whoever asked for the
payment: `_execute_payment` refuses it (whatever path led to the approval: the approvals
page, a retry from the command line, a bulk action), and the database refuses a payment row
whose approver is its submitter or its payer.
"""

from __future__ import annotations

import datetime
import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from pompolit.audit.services import record
from pompolit.ledger import conf, dates, labels, services
from pompolit.ledger.expenses.attachments import clean_attachment
from pompolit.ledger.expenses.models import (
    Expense,
    ExpenseAttachment,
    ExpenseCategory,
    ExpenseDetails,
    ExpensePayment,
)
from pompolit.ledger.models import (
    Account,
    AccountType,
    Currency,
    EntryKind,
    Fund,
    FundBalance,
    FundKind,
)
from pompolit.ledger.money import Money, MoneyError
from pompolit.ledger.rates.conversion import convert
from pompolit.ledger.templatetags.money import money
from pompolit.members import approvals, policy
from pompolit.members.approvals import ApprovalError, approval_action, coded_error
from pompolit.members.models import ApprovalRequest, Member
from pompolit.members.roles import Role
from pompolit.vault.errors import VaultError
from pompolit.vault.fields.files import EncryptedFile, Upload

PAY_ACTION = "pay_expense"
DEFAULT_THRESHOLD = "10000"
MAX_ATTACHMENTS = 10


def approval_threshold() -> Money:
    """POMPOLIT_EXPENSE_APPROVAL_THRESHOLD, in the base currency (default 10000)."""
    value = (getattr(settings, "POMPOLIT_EXPENSE_APPROVAL_THRESHOLD", None)
             or os.environ.get("POMPOLIT_EXPENSE_APPROVAL_THRESHOLD") or DEFAULT_THRESHOLD)
    return services.money(Decimal(str(value)), conf.base_currency())


def amount_of(expense: Expense) -> Money:
    return Money.from_minor(expense.units, expense.currency_id, expense.currency.exponent)


# Expenses for one case are counted together over this many days either side (docs/aid.md,
# "The two-person threshold"), like aid items (aid.lifecycle.needs_second_person); the payee
# is encrypted and cannot be counted by, so only the case is.
WINDOW_DAYS = 30


def window_expenses(expense: Expense) -> list[Expense]:
    """The expense, and the others for its case not corrected by a later one that were
    incurred less than WINDOW_DAYS before or after it, or paid in the last WINDOW_DAYS (so
    that expenses dated months apart cannot all be paid today one by one). An expense for
    no case counts alone."""
    if not expense.case_ref:
        return [expense]
    span = datetime.timedelta(days=WINDOW_DAYS)
    others = (Expense.objects.filter(case_ref=expense.case_ref, superseded_by__isnull=True)
              .filter(Q(incurred_on__gt=expense.incurred_on - span,
                        incurred_on__lt=expense.incurred_on + span)
                      | Q(payment__paid_at__gt=timezone.now() - span))
              .exclude(pk=expense.pk).select_related("currency"))
    return [expense, *others]


def above_threshold(amounts: Iterable[tuple[Money, datetime.date]]) -> bool:
    """Whether these amounts, each converted into the threshold's currency at the rate of its
    own day, add up to more than the approval threshold; an amount that cannot be converted
    (no rate) counts as above. Expenses and aid items both decide by it (docs/aid.md)."""
    threshold = approval_threshold()
    total = Decimal(0)
    for amount, on in amounts:
        converted = convert(amount, threshold.currency, on)
        if converted is None:
            return True
        total += converted.money.amount
    return total > threshold.amount


def needs_approval(expense: Expense) -> bool:
    """Above the threshold in the base currency — this expense with the others for its case
    in the window — each at the rate of the day it was incurred."""
    return above_threshold((amount_of(counted), counted.incurred_on)
                           for counted in window_expenses(expense))


# -- what the fund holds ----------------------------------------------------------------------

# Stored on an approved request whose payment failed by its code and parameters, so each
# reader sees it in their own language (members.approvals.error_text).
FUND_SHORT_MESSAGE = gettext_lazy(
    "The fund “%(fund)s” has only %(available)s; paying expense #%(id)s needs %(amount)s. It "
    "is paid once the fund has the money.")
FUND_SHORT = coded_error("ledger.expense_fund_short", FUND_SHORT_MESSAGE)


def held(fund: Fund, currency_code: str) -> Money:
    """What `fund` holds now in one currency."""
    found = services.currency(currency_code)
    units = (FundBalance.objects.filter(fund=fund, currency=found)
             .values_list("units", flat=True).first() or 0)
    return Money.from_minor(units, found.code, found.exponent)


def fund_shortfall(fund: Fund, amount: Money) -> Money | None:
    """What a restricted fund holds in `amount`'s currency if that is less than `amount` (the
    books refuse to take it below zero), else None. An unrestricted fund may go below zero."""
    if not fund.restricted:
        return None
    available = held(fund, amount.currency)
    return available if available.amount < amount.amount else None


def restricted_balances() -> list[tuple[Fund, Money]]:
    """What each restricted fund holds, in each currency it holds (for the expense form)."""
    rows = (FundBalance.objects.filter(restricted=True).exclude(units=0)
            .select_related("fund", "currency").order_by("fund__name", "currency_id"))
    return [(row.fund, Money.from_minor(row.units, row.currency_id, row.currency.exponent))
            for row in rows]


def _refuse_if_short(expense: Expense) -> None:
    amount = amount_of(expense)
    available = fund_shortfall(expense.fund, amount)
    if available is not None:
        raise ValidationError(
            FUND_SHORT_MESSAGE, code=FUND_SHORT,
            params={"fund": expense.fund.name, "available": str(available),
                    "id": expense.pk, "amount": str(amount)},
        )


# -- submitting -------------------------------------------------------------------------------


# An expense's case is a reference — the case's number in Pompolit, its public id or its court
# case number — that restricted funds and the public statement match, kept in clear for that;
# so nothing else is taken (a name, an address: issue 18).
CASE_REF = RegexValidator(
    r"^([a-z2-9]{12}|(?=.*\d)[\w№/.\-]+( [\w№/.\-]+){0,2})$",
    gettext_lazy("Only the case's number or id (with a digit; letters, digits, №, /, . and -; "
                 "at most three words)."),
)


def _check_case_ref(case_ref: str) -> None:
    if case_ref.strip():
        try:
            CASE_REF(case_ref.strip())
        except ValidationError as error:
            raise ValidationError({"case_ref": error.messages}) from None


def _check_fund_can_pay(fund: Fund, account: Account, case_ref: str) -> None:
    if account.type != AccountType.EXPENSE:
        raise ValidationError({"account": _("An expense is paid from an expense account.")})
    if fund.kind == FundKind.PURPOSE and not (
        account.code == fund.purpose or account.code.startswith(fund.purpose + ":")
    ):
        raise ValidationError({"fund": _(
            "The fund “%(fund)s” is restricted to %(purpose)s; it cannot pay for %(account)s."
        ) % {"fund": fund.label, "purpose": labels.account_name_of(fund.purpose),
             "account": account.label}})
    if fund.kind == FundKind.CASE and case_ref.strip() != fund.case_ref:
        raise ValidationError({"case_ref": _(
            "The fund “%(fund)s” is restricted to case %(case)s; the expense must be for that "
            "case."
        ) % {"fund": fund.label, "case": fund.case_ref}})


def _currency_and_units(amount: Money) -> tuple[Currency, int]:
    found = services.currency(amount.currency)
    try:
        return found, amount.to_minor(found.exponent)
    except MoneyError as error:
        raise ValidationError({"amount": str(error)}) from None


def _cleaned_attachments(attachments: Sequence[Upload]) -> list[Upload]:
    """At most MAX_ATTACHMENTS receipts, each checked and stripped of its metadata."""
    if len(attachments) > MAX_ATTACHMENTS:
        raise ValidationError({"attachments": ngettext(
            "At most %(n)s file.", "At most %(n)s files.", MAX_ATTACHMENTS,
        ) % {"n": MAX_ATTACHMENTS}})
    return [clean_attachment(upload, number) for number, upload in
            enumerate(attachments, start=1)]


def _keep_encrypted(expense: Expense, description: str, payee: str,
                    attachments: list[Upload]) -> None:
    """What the member typed, and the receipts, each encrypted by the vault."""
    try:
        if description.strip() or payee.strip():
            ExpenseDetails.objects.create(expense=expense, description=description.strip(),
                                          payee=payee.strip())
        for upload in attachments:
            attachment = ExpenseAttachment(expense=expense)
            attachment.file = upload  # stored encrypted
            attachment.save()
    except VaultError as error:
        raise ValidationError(
            _("The expense cannot be kept now: %(reason)s") % {"reason": error}
        ) from None


def submit_expense(
    actor: Member,
    *,
    incurred_on: datetime.date,
    amount: Money,
    fund: Fund,
    account: Account,
    category: str,
    case_ref: str = "",
    description: str = "",
    payee: str = "",
    attachments: Sequence[Upload] = (),
    supersedes: Expense | None = None,
    submission_token: str | None = None,
) -> Expense:
    """Record an expense to be paid. Never changed afterwards: a correction is a new expense
    that supersedes this one (while it is unpaid)."""
    policy.require(actor, policy.EXPENSE_SUBMITTERS,
                   _("Only a treasurer or a case worker can submit an expense."))
    if amount.amount <= 0:
        raise ValidationError({"amount": _("An expense must be more than zero.")})
    dates.check_book_date(incurred_on, "incurred_on")
    if category not in ExpenseCategory.values:
        raise ValidationError({"category": _("Choose a category.")})
    found, units = _currency_and_units(amount)
    _check_case_ref(case_ref)
    _check_fund_can_pay(fund, account, case_ref)
    cleaned = _cleaned_attachments(attachments)
    submission = (
        hashlib.sha256(submission_token.encode()).hexdigest() if submission_token else None
    )
    if submission and Expense.objects.filter(submission=submission).exists():
        raise ValidationError(_("This form was already sent and the expense submitted."))
    with transaction.atomic():
        if supersedes is not None:
            supersedes = Expense.objects.select_for_update().get(pk=supersedes.pk)
            _check_open(supersedes)
        expense = Expense.objects.create(
            submitted_by=actor, incurred_on=incurred_on, fund=fund, account=account,
            category=category, currency=found, units=units,
            case_ref=case_ref.strip(), supersedes=supersedes, submission=submission,
        )
        _keep_encrypted(expense, description, payee, cleaned)
        record("ledger.expense_submitted", actor=actor, obj=expense, details={
            "fund": fund.code, "account": account.code, "amount": str(amount),
            "attachments": len(cleaned),
            "supersedes": supersedes.pk if supersedes is not None else None,
        })
    return expense


# -- state ------------------------------------------------------------------------------------


def _open_requests(expense: Expense) -> Any:
    return ApprovalRequest.objects.filter(
        action=PAY_ACTION, payload__expense=expense.pk, status=ApprovalRequest.Status.PENDING
    )


def stuck_request(expense: Expense) -> ApprovalRequest | None:
    """The approved request to pay `expense` that could not be carried out yet (its fund was
    short, say), if there is one."""
    return ApprovalRequest.objects.filter(
        action=PAY_ACTION, payload__expense=expense.pk, status=ApprovalRequest.Status.APPROVED
    ).select_related("requested_by", "decided_by").first()


def status(expense: Expense) -> str:
    if ExpensePayment.objects.filter(expense=expense).exists():
        return "paid"
    if Expense.objects.filter(supersedes=expense).exists():
        return "superseded"
    if _open_requests(expense).exists():
        return "awaiting_approval"
    if stuck_request(expense) is not None:
        return "approved"
    return "submitted"


STATUS_LABELS = {
    "paid": gettext_lazy("paid"),
    "superseded": gettext_lazy("corrected by a later expense"),
    "awaiting_approval": gettext_lazy("waiting for a second person's approval"),
    "approved": gettext_lazy("approved, not paid yet"),
    "submitted": gettext_lazy("submitted, not paid"),
}


def _check_open(expense: Expense) -> None:
    state = status(expense)
    if state == "paid":
        raise ValidationError(_("Expense #%(id)s is already paid.") % {"id": expense.pk})
    if state == "superseded":
        raise ValidationError(
            _("Expense #%(id)s was corrected by a later expense; pay that one.")
            % {"id": expense.pk}
        )


def details_of(actor: Member, expense: Expense) -> ExpenseDetails | None:
    """The description and payee, for a treasurer or the submitter; an audited read."""
    if actor.pk != expense.submitted_by_id:
        policy.require(actor, policy.BOOKS_READERS,
                       _("Only treasurers and the submitter can read this."))
    found = ExpenseDetails.objects.filter(expense=expense).first()
    if found is not None:
        from pompolit.audit.services import record_sensitive_read

        record_sensitive_read(actor, found, fields=["description", "payee"])
    return found


# -- paying -----------------------------------------------------------------------------------


def _source(code: str) -> Account:
    source = services.account(code)
    if source.type != AccountType.ASSET:
        raise ValidationError({"from_account": _("An expense is paid from an asset account.")})
    return source


def _payable(expense_id: Any) -> Expense:
    if not isinstance(expense_id, int) or isinstance(expense_id, bool):
        raise ValidationError(_("There is no expense #%(id)s.") % {"id": expense_id})
    try:
        expense = Expense.objects.select_related("fund", "account", "currency").get(
            pk=expense_id
        )
    except Expense.DoesNotExist:
        raise ValidationError(_("There is no expense #%(id)s.") % {"id": expense_id}) from None
    _check_open(expense)
    return expense


def _post_payment(
    poster: Member | None, expense: Expense, *, date: datetime.date, source: Account,
    paid_by: Member | None, approved_by: Member | None = None,
    approval: ApprovalRequest | None = None,
) -> ExpensePayment:
    if approved_by is not None and approved_by.pk == expense.submitted_by_id:
        raise ApprovalError(_("The member who submitted an expense cannot approve its payment."))
    amount = amount_of(expense)
    lines = [services.Line(expense.account, expense.fund, amount),
             services.Line(source, expense.fund, -amount)]
    with transaction.atomic():
        # Two payments of one expense at once: the second waits here, then finds it paid.
        Expense.objects.select_for_update().get(pk=expense.pk)
        _check_open(expense)
        # The books refuse it too (post_entry); this says it by code, for the stored error.
        _refuse_if_short(expense)
        entry = services.post_entry(poster, kind=EntryKind.EXPENSE, date=date, lines=lines,
                                    memo=f"expense #{expense.pk}")
        payment = ExpensePayment.objects.create(
            expense=expense, entry=entry, submitted_by_id=expense.submitted_by_id,
            paid_by=paid_by, approved_by=approved_by, approval=approval,
        )
        record("ledger.expense_paid", actor=poster, obj=expense, details={
            "leaf_index": entry.leaf_index, "amount": str(amount),
            "approval": approval.pk if approval is not None else None,
        })
    return payment


def pay_expense(actor: Member | None, expense: Expense, *, date: datetime.date,
                from_account: str = "assets:bank") -> ExpensePayment:
    """Pay at once — only up to the approval threshold. `actor` None is the command line."""
    policy.require(actor, policy.TREASURER, _("Only a treasurer can pay an expense."))
    expense = _payable(expense.pk)
    if needs_approval(expense):
        raise ValidationError(
            _("Expense #%(id)s is above %(threshold)s: a second treasurer must approve the "
              "payment. Ask for approval instead.")
            % {"id": expense.pk, "threshold": approval_threshold()}
        )
    return _post_payment(actor, expense, date=date, source=_source(from_account), paid_by=actor)


def request_payment(actor: Member, expense: Expense, *, date: datetime.date,
                    from_account: str = "assets:bank", reason: str = "") -> ApprovalRequest:
    """Ask a second treasurer to approve paying an expense (needed above the threshold)."""
    if _open_requests(expense).exists():
        raise ValidationError(
            _("Paying expense #%(id)s is already waiting for approval.") % {"id": expense.pk}
        )
    if stuck_request(expense) is not None:
        raise ValidationError(
            _("Paying expense #%(id)s is already approved: pay it now from its page, or "
              "withdraw that request first.") % {"id": expense.pk}
        )
    payload = {
        "expense": expense.pk, "date": date.isoformat(), "from_account": from_account,
        "amount": str(amount_of(expense)), "fund": expense.fund.code,
        "account": expense.account.code, "submitted_by": expense.submitted_by_id,
    }
    return approvals.request_approval(actor, PAY_ACTION, payload, reason=reason)


@dataclass(frozen=True)
class BulkOutcome:
    paid: list[ExpensePayment]
    requested: list[ApprovalRequest]


def pay_or_request(actor: Member, expenses: Iterable[Expense], *, date: datetime.date,
                   from_account: str = "assets:bank") -> BulkOutcome:
    """The bulk action: each expense up to the threshold is paid, each above it gets an
    approval request. All or nothing."""
    outcome = BulkOutcome([], [])
    with transaction.atomic():
        for expense in expenses:
            if needs_approval(expense):
                outcome.requested.append(
                    request_payment(actor, expense, date=date, from_account=from_account)
                )
            else:
                outcome.paid.append(
                    pay_expense(actor, expense, date=date, from_account=from_account)
                )
    return outcome


def _validate_payment(payload: dict[str, Any]) -> None:
    expense = _payable(payload.get("expense"))
    _source(str(payload.get("from_account", "")))
    try:
        datetime.date.fromisoformat(str(payload.get("date")))
    except ValueError:
        raise ValidationError(_("The payment needs a date.")) from None
    if payload.get("amount") != str(amount_of(expense)) or (
        payload.get("submitted_by") != expense.submitted_by_id
    ):
        raise ValidationError(_("The request does not match expense #%(id)s.")
                              % {"id": expense.pk})


def _describe_payment(payload: dict[str, Any]) -> str:
    return _("Pay expense #%(id)s: %(amount)s from the fund %(fund)s for %(account)s") % {
        "id": payload.get("expense"), "amount": money(str(payload.get("amount"))),
        "fund": labels.fund_name_of(payload.get("fund")),
        "account": labels.account_name_of(payload.get("account")),
    }


def _submitter_may_not_approve(payload: dict[str, Any], approver: Member) -> str | None:
    if payload.get("submitted_by") == approver.pk:
        return _("The member who submitted an expense cannot approve its payment.")
    return None


@approval_action(
    PAY_ACTION, describe=_describe_payment, validate=_validate_payment,
    requester_role=Role.TREASURER, approver_role=Role.TREASURER,
    refuses_approver=_submitter_may_not_approve,
)
def _execute_payment(request: ApprovalRequest) -> None:
    approver = request.decided_by
    if approver is None:
        raise ApprovalError(_("Nobody approved this payment."))
    _validate_payment(request.payload)
    expense = _payable(request.payload["expense"])
    if approver.pk == expense.submitted_by_id:
        raise ApprovalError(_("The member who submitted an expense cannot approve its payment."))
    _post_payment(
        approver, expense, date=datetime.date.fromisoformat(request.payload["date"]),
        source=_source(request.payload["from_account"]), paid_by=request.requested_by,
        approved_by=approver, approval=request,
    )


# -- an approved payment that could not be made ----------------------------------------------


def _stuck(expense: Expense) -> ApprovalRequest:
    found = stuck_request(expense)
    if found is None:
        raise ValidationError(
            _("No approved payment of expense #%(id)s is waiting.") % {"id": expense.pk}
        )
    return found


def retry_payment(actor: Member, expense: Expense) -> ApprovalRequest:
    """Pay an approved expense now (its fund was short when it was approved): its requester or
    any treasurer. The approval stands; the payment is checked again in full."""
    policy.require(actor, policy.TREASURER, _("Only a treasurer can pay an expense."))
    return approvals.retry(_stuck(expense).pk, actor)


def withdraw_payment(actor: Member, expense: Expense) -> ApprovalRequest:
    """Give up an approved payment that could not be made; the expense stays unpaid and may be
    asked for again."""
    policy.require(actor, policy.TREASURER, _("Only a treasurer can withdraw a payment."))
    return approvals.withdraw_approved(_stuck(expense).pk, actor)


# -- receipts ---------------------------------------------------------------------------------


def may_see(actor: Member, expense: Expense) -> bool:
    """Treasurers and auditors see every expense; anyone else only those they submitted."""
    return actor.pk == expense.submitted_by_id or policy.has_roles(actor, policy.BOOKS_READERS)


def receipt(actor: Member, expense: Expense, number: int) -> EncryptedFile:
    """The `number`th receipt of an expense (from 1), for whoever may see the expense; an
    audited read. Decrypted only when read, never written to disk in clear."""
    if not may_see(actor, expense):
        policy.require(actor, policy.BOOKS_READERS,
                       _("Only treasurers, auditors and the submitter can see its receipts."))
    attachments = list(ExpenseAttachment.objects.filter(expense=expense).order_by("pk"))
    if not 1 <= number <= len(attachments):
        raise ValidationError(_("Expense #%(id)s has no receipt %(n)s.")
                              % {"id": expense.pk, "n": number})
    from pompolit.audit.services import record_sensitive_read

    attachment = attachments[number - 1]
    record_sensitive_read(actor, attachment, fields=["file"])
    file: EncryptedFile = attachment.file
    return file
