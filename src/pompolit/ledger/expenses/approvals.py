"""What a second treasurer reads before approving an expense's payment: the summary of a
`pay_expense` request (members/approvals.py, `approval_summary`) — the payee's category, the
amount, the fund and its balance before and after, and the receipts, through the expense's page
(which every treasurer may open). What the submitter typed (description, payee) is encrypted and
its every read audited: it stays on the expense's page, not copied here."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pompolit.ledger.approvals import fund_section, shown
from pompolit.ledger.expenses.models import Expense, ExpenseCategory
from pompolit.ledger.expenses.services import PAY_ACTION, amount_of
from pompolit.members import policy
from pompolit.members.approvals import Fact, Section, Summary, approval_summary, is_open
from pompolit.members.models import ApprovalRequest, Member


def _expense(payload: dict[str, Any]) -> Expense | None:
    pk = payload.get("expense")
    if not isinstance(pk, int) or isinstance(pk, bool):
        return None
    found: Expense | None = (Expense.objects.select_related("fund", "account", "currency",
                                                             "submitted_by")
                             .filter(pk=pk).first())
    return found


def _may_open(viewer: Member, expense: Expense) -> bool:
    """The expense's page lets in treasurers and auditors, and the member who submitted it."""
    return policy.has_roles(viewer, policy.BOOKS_READERS) or (
        expense.submitted_by_id == viewer.pk and policy.has_roles(viewer,
                                                                  policy.EXPENSE_READERS))


def _category(expense: Expense) -> str:
    values = ExpenseCategory.values
    return str(ExpenseCategory(expense.category).label) if expense.category in values else (
        expense.category)


def headline(request: ApprovalRequest, viewer: Member) -> str:
    expense = _expense(request.payload)
    if expense is None:
        return _("Pay expense #%(id)s, which no longer exists") % {
            "id": request.payload.get("expense")}
    return _("Pay %(amount)s for %(category)s from the fund “%(fund)s” (expense #%(id)s)") % {
        "amount": shown(amount_of(expense)), "category": _category(expense),
        "fund": expense.fund.label, "id": expense.pk,
    }


def _day(text: Any) -> str:
    try:
        return date_format(datetime.date.fromisoformat(str(text)))
    except ValueError:
        return str(text)


@approval_summary(PAY_ACTION, headline=headline)
def summarize(request: ApprovalRequest, viewer: Member) -> Summary:
    expense = _expense(request.payload)
    if expense is None:
        return Summary(headline(request, viewer))
    page = reverse("expense_detail", args=[expense.pk]) if _may_open(viewer, expense) else ""
    receipts = expense.attachments.count()
    receipts_text = (ngettext("%(n)d receipt attached", "%(n)d receipts attached", receipts)
                     % {"n": receipts}) if receipts else _("no receipt attached")
    facts = [
        Fact(_("Expense"), f"#{expense.pk}", page),
        Fact(_("Paid to"), _category(expense)),
        Fact(_("Booked as"), expense.account.label),
        Fact(_("Incurred on"), date_format(expense.incurred_on)),
        Fact(_("Submitted by"), str(expense.submitted_by)),
        Fact(_("Receipts"), receipts_text, page if receipts else ""),
        Fact(_("Paid on"), _day(request.payload.get("date"))),
    ]
    if expense.case_ref:
        facts.insert(2, Fact(_("For case"), expense.case_ref))
    note = _("The description and the payee's name are on the expense's page, with the "
             "receipts: each reading is recorded in the audit trail.") if page else ""
    return Summary(headline(request, viewer), [
        Section(_("The expense"), facts, note=note),
        fund_section(expense.fund, amount_of(expense), live=is_open(request)),
    ])
