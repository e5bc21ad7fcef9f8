"""The expense forms: submitting one with its receipts, and the day and account it was paid
from."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

from pompolit.ledger.expenses import services as expenses
from pompolit.ledger.expenses.models import ExpenseCategory
from pompolit.ledger.forms import AccountField, BookDateField, MoneyForm
from pompolit.ledger.models import Account, AccountType, Fund
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
    account = AccountField(Account.objects.filter(type=AccountType.EXPENSE),
                                     label=gettext_lazy("Expense account"), empty_label=None,
                                     to_field_name="code")
    category = forms.ChoiceField(choices=ExpenseCategory.choices,
                                 label=gettext_lazy("Category"))
    # A reference, not a note: restricted funds and the public statement match it, so it is
    # kept in clear (vault.seizure.CLEAR) — and so only a reference's characters are taken.
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


class ExpensePaymentForm(forms.Form):
    date = BookDateField(label=gettext_lazy("Paid on"))
    from_account = AccountField(Account.objects.filter(type=AccountType.ASSET),
                                          label=gettext_lazy("Paid from"), empty_label=None,
                                          to_field_name="code", initial="assets:bank")
