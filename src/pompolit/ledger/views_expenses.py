"""Treasurers' and case workers' expense pages: submit, list, see, pay or ask for approval."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pompolit.core.views import add_errors, current_member, flash_errors
from pompolit.ledger import expenses
from pompolit.ledger.expense_models import Expense, ExpenseCategory
from pompolit.ledger.forms import BookDateField, MoneyForm
from pompolit.ledger.models import Account, AccountType, Fund
from pompolit.members.approvals import ApprovalError
from pompolit.members.models import Member
from pompolit.members.policy import EXPENSE_READERS, EXPENSE_SUBMITTERS, TREASURER, requires
from pompolit.members.roles import Role
from pompolit.vault.errors import VaultError
from pompolit.vault.fields.files import Upload
from pompolit.vault.fields.labels import EncryptedLabels


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return super().clean(data, initial)


class ExpenseForm(EncryptedLabels, MoneyForm):
    vault_model = "ledger.ExpenseDetails"
    incurred_on = BookDateField(label=gettext_lazy("Spent on"))
    fund = forms.ModelChoiceField(Fund.objects.all(), label=gettext_lazy("Fund"),
                                  empty_label=None, to_field_name="code")
    account = forms.ModelChoiceField(Account.objects.filter(type=AccountType.EXPENSE),
                                     label=gettext_lazy("Expense account"), empty_label=None,
                                     to_field_name="code")
    category = forms.ChoiceField(choices=ExpenseCategory.choices,
                                 label=gettext_lazy("Category"))
    # A reference, not a note: restricted funds and the public statement match it, so it is
    # kept in clear (vault.seizure.walk.CLEAR) — and so only a reference's characters are taken.
    case_ref = forms.CharField(
        label=gettext_lazy("Case"), required=False, max_length=64,
        help_text=gettext_lazy("The case's number in Pompolit, its public id or its court case "
                               "number, if it is for a case. Not a place for notes."),
        validators=[expenses.CASE_REF],
    )
    description = forms.CharField(
        label=gettext_lazy("What it is for"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Encrypted; only treasurers, auditors and you can read it."))
    payee = forms.CharField(label=gettext_lazy("Paid to"), required=False, max_length=200,
                            help_text=gettext_lazy("Encrypted, like the description."))
    attachments = MultipleFileField(
        label=gettext_lazy("Receipts"), required=False,
        widget=MultipleFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
        help_text=gettext_lazy("PDF, JPEG or PNG. Photos lose their metadata (place, camera); "
                               "file names are not kept. Remove the author from a PDF "
                               "before uploading it."))
    field_order = ["incurred_on", "amount", "currency", "fund", "account", "category"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("incurred_on", timezone.localdate())


class PayForm(forms.Form):
    date = BookDateField(label=gettext_lazy("Paid on"))
    from_account = forms.ModelChoiceField(Account.objects.filter(type=AccountType.ASSET),
                                          label=gettext_lazy("Paid from"), empty_label=None,
                                          to_field_name="code", initial="assets:bank")


def _visible(member: Member) -> QuerySet[Expense]:
    found = Expense.objects.select_related("fund", "account", "currency")
    if member.has_role(Role.TREASURER) or member.has_role(Role.AUDITOR):
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
            return redirect("expense_detail", expense=expense.pk)
    return render(request, "ledger/expense_form.html", {"form": form})


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
    return render(request, "ledger/expense_detail.html", {
        "expense": found, "details": details, "amount": expenses.amount_of(found),
        "status": expenses.STATUS_LABELS[state], "state": state,
        "attachments": found.attachments.count(),
        "needs_approval": expenses.needs_approval(found),
        "can_pay": member.has_role(Role.TREASURER) and state == "submitted",
        "pay_form": PayForm(initial={"date": timezone.localdate()}),
    })


@requires(TREASURER)
@require_POST
def expense_pay(request: HttpRequest, expense: int) -> HttpResponse:
    member = current_member(request)
    found = get_object_or_404(Expense, pk=expense)
    form = PayForm(request.POST)
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
