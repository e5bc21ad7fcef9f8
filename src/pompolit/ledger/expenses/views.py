"""Treasurers' and case workers' expense pages: submit, list, see, pay or ask for approval."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pompolit.core.views import add_errors, flash_errors
from pompolit.ledger.expenses import services as expenses
from pompolit.ledger.expenses.forms import ExpenseForm, ExpensePaymentForm
from pompolit.ledger.expenses.models import Expense
from pompolit.ledger.templatetags.money import money
from pompolit.members import approvals, policy
from pompolit.members.approvals import ApprovalError
from pompolit.members.models import Member
from pompolit.members.policy import (
    EXPENSE_READERS,
    EXPENSE_SUBMITTERS,
    TREASURER,
    current_member,
    requires,
)
from pompolit.members.roles import Role
from pompolit.vault.errors import VaultError
from pompolit.vault.fields.files import Upload


def _visible(member: Member) -> QuerySet[Expense]:
    found = Expense.objects.select_related("fund", "account", "currency")
    if policy.has_roles(member, policy.BOOKS_READERS):
        return found
    return found.filter(submitted_by=member)


@requires(TREASURER)
@require_POST
def expense_pay_many(request: HttpRequest) -> HttpResponse:
    """The bulk action: pay the small ones, ask a second treasurer about the others."""
    member = current_member(request)
    chosen = Expense.objects.filter(pk__in=[
        int(v) for v in request.POST.getlist("expense") if v.isdigit()])
    try:
        outcome = expenses.pay_or_request(member, list(chosen), date=timezone.localdate())
        messages.success(request, _("%(paid)s paid, %(asked)s waiting for approval.")
                         % {"paid": len(outcome.paid), "asked": len(outcome.requested)})
    except (ValidationError, ApprovalError) as error:
        flash_errors(request, error)
    return redirect("expense_list")


@requires(EXPENSE_READERS)
@require_GET
def expense_list(request: HttpRequest) -> HttpResponse:
    member = current_member(request)
    rows = [(e, expenses.STATUS_LABELS[expenses.status(e)], expenses.amount_of(e))
            for e in _visible(member)[:200]]
    return render(request, "ledger/expense_list.html", {
        "rows": rows, "can_pay": member.has_role(Role.TREASURER),
        "threshold": expenses.approval_threshold()})


def _uploads(request: HttpRequest) -> list[Upload]:
    return [Upload("upload", f.read(), f.content_type or "") for f in
            request.FILES.getlist("attachments")]


@requires(EXPENSE_SUBMITTERS)
@require_http_methods(["GET", "POST"])
def expense_new(request: HttpRequest) -> HttpResponse:
    form = ExpenseForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            expense = expenses.submit_expense(
                current_member(request), incurred_on=data["incurred_on"], amount=data["money"],
                fund=data["fund"], account=data["account"], category=data["category"],
                case_ref=data["case_ref"], description=data["description"],
                payee=data["payee"], attachments=_uploads(request),
                submission_token=data["token"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Expense #%(id)s submitted.") % {"id": expense.pk})
            short = _shortfall(expense)
            if short is not None:
                messages.warning(request, short)
            return redirect("expense_detail", expense=expense.pk)
    return render(request, "ledger/expense_form.html", {
        "form": form, "balances": expenses.restricted_balances()})


def _shortfall(expense: Expense) -> str | None:
    """The warning for an expense its fund cannot pay now: submitted all the same, it waits."""
    amount = expenses.amount_of(expense)
    available = expenses.fund_shortfall(expense.fund, amount)
    if available is None:
        return None
    return _("The fund “%(fund)s” has only %(available)s, less than this expense "
             "(%(amount)s). It can be approved now; it is paid once the fund has the money.") % {
        "fund": expense.fund.label, "available": money(available), "amount": money(amount)}


def _expense(member: Member, pk: int) -> Expense:
    found = _visible(member).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@requires(EXPENSE_READERS)
@require_GET
def expense_detail(request: HttpRequest, expense: int) -> HttpResponse:
    member = current_member(request)
    found = _expense(member, expense)
    details: Any = None
    try:
        details = expenses.details_of(member, found)
        if details is not None:
            details = (str(details.description or ""), str(details.payee or ""))
    except VaultError:  # sealed: the rest of the expense still shows
        details = None
        messages.warning(request, _("The description cannot be shown while the vault is "
                                    "sealed."))
    state = expenses.status(found)
    stuck = expenses.stuck_request(found) if state == "approved" else None
    is_treasurer = member.has_role(Role.TREASURER)
    return render(request, "ledger/expense_detail.html", {
        "expense": found, "details": details, "amount": expenses.amount_of(found),
        "status": expenses.STATUS_LABELS[state], "state": state,
        "receipts": range(1, found.attachments.count() + 1),
        "needs_approval": expenses.needs_approval(found),
        "can_pay": is_treasurer and state == "submitted",
        "pay_form": ExpensePaymentForm(initial={"date": timezone.localdate()}),
        "stuck": stuck,
        "stuck_error": approvals.error_text(stuck) if stuck is not None else "",
        "can_retry": stuck is not None and is_treasurer,
        "shortfall": _shortfall(found) if state in {"submitted", "awaiting_approval",
                                                    "approved"} else None,
    })


@requires(TREASURER)
@require_POST
def expense_pay(request: HttpRequest, expense: int) -> HttpResponse:
    member = current_member(request)
    found = get_object_or_404(Expense, pk=expense)
    form = ExpensePaymentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say when and from which account it was paid."))
        return redirect("expense_detail", expense=found.pk)
    date, source = form.cleaned_data["date"], form.cleaned_data["from_account"].code
    try:
        if expenses.needs_approval(found):
            approval = expenses.request_payment(member, found, date=date, from_account=source)
            messages.success(request, _("A second treasurer must now approve request #%(id)s.")
                             % {"id": approval.pk})
        else:
            expenses.pay_expense(member, found, date=date, from_account=source)
            messages.success(request, _("Paid and posted to the books."))
    except (ValidationError, ApprovalError) as error:
        flash_errors(request, error)
    return redirect("expense_detail", expense=found.pk)


@requires(TREASURER)
@require_POST
def expense_retry(request: HttpRequest, expense: int) -> HttpResponse:
    """Pay an approved expense now that its fund has the money: its requester or any
    treasurer."""
    found = _expense(current_member(request), expense)
    try:
        expenses.retry_payment(current_member(request), found)
        messages.success(request, _("Paid and posted to the books."))
    except (ValidationError, ApprovalError) as error:
        flash_errors(request, error)
    return redirect("expense_detail", expense=found.pk)


@requires(TREASURER)
@require_POST
def expense_withdraw(request: HttpRequest, expense: int) -> HttpResponse:
    found = _expense(current_member(request), expense)
    try:
        expenses.withdraw_payment(current_member(request), found)
        messages.success(request, _("The approved payment was withdrawn; the expense is not "
                                    "paid."))
    except (ValidationError, ApprovalError) as error:
        flash_errors(request, error)
    return redirect("expense_detail", expense=found.pk)


@requires(EXPENSE_READERS)
@require_GET
def expense_receipt(request: HttpRequest, expense: int, number: int) -> HttpResponse:
    """A receipt, decrypted in memory for this response: an image shown in the browser, a PDF
    downloaded (a PDF viewer in the page would run the file's scripts)."""
    member = current_member(request)
    found = _expense(member, expense)
    try:
        file = expenses.receipt(member, found, number)
        data = file.read()
    except ValidationError:
        raise Http404 from None
    except VaultError:
        messages.warning(request, _("The receipts cannot be shown while the vault is sealed."))
        return redirect("expense_detail", expense=found.pk)
    is_image = file.content_type.startswith("image/")
    response = HttpResponse(data, content_type=file.content_type if is_image
                            else "application/pdf")
    disposition = "inline" if is_image else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{file.name}"'
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    # The browser's own image viewer styles the page inline; nothing else may run.
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox")
    return response
