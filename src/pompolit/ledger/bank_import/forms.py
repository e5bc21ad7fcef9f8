"""The bank import forms: a statement file to preview, a bank's column mapping, an import
rule."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from pompolit.ledger import conf
from pompolit.ledger.bank_import.models import (
    BankMapping,
    Direction,
    ImportOutcome,
    StatementFormat,
)
from pompolit.ledger.campaigns.models import Campaign
from pompolit.ledger.forms import AccountField
from pompolit.ledger.models import Account, AccountType, Currency, Fund, code_validator


class BankStatementUploadForm(forms.Form):
    format = forms.ChoiceField(choices=StatementFormat.choices, label=gettext_lazy("Format"))
    mapping = forms.ModelChoiceField(BankMapping.objects.filter(active=True), required=False,
                                     label=gettext_lazy("Bank (for CSV)"), to_field_name="code")
    statement = forms.FileField(label=gettext_lazy("Statement file"))


# The mapping's column roles, with what the treasurer sees for each.
COLUMN_LABELS = {
    "date": gettext_lazy("Date column"),
    "amount": gettext_lazy("Amount column (signed: minus for money going out)"),
    "credit": gettext_lazy("Credit column (money coming in)"),
    "debit": gettext_lazy("Debit column (money going out)"),
    "currency": gettext_lazy("Currency column"),
    "reference": gettext_lazy("Payment purpose column"),
    "counterparty": gettext_lazy("Counterparty name column"),
    "counterparty_account": gettext_lazy("Counterparty account column"),
    "bank_id": gettext_lazy("Bank's document number column"),
}


class BankMappingForm(forms.Form):
    # Not named "code": the style sheet spaces out inputs named so (one-time codes).
    mapping_code = forms.CharField(
        label=pgettext_lazy("bank mapping", "Code"), max_length=64, validators=[code_validator],
        help_text=gettext_lazy("A short name in lower-case Latin letters, e.g. sberbank. It "
                               "cannot be changed later."))
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    encoding = forms.ChoiceField(label=gettext_lazy("Encoding"),
                                 choices=BankMapping.Encoding.choices)
    delimiter = forms.ChoiceField(label=gettext_lazy("Separator"),
                                  choices=BankMapping.Delimiter.choices)
    currency = forms.ModelChoiceField(
        Currency.objects.order_by("code"), label=gettext_lazy("Currency"), empty_label=None,
        to_field_name="code",
        help_text=gettext_lazy("For files without a currency column."))
    account = AccountField(
        Account.objects.filter(type=AccountType.ASSET), label=gettext_lazy("Account in the books"),
        empty_label=None, to_field_name="code")
    trial = forms.FileField(
        label=gettext_lazy("Test on a file"), required=False,
        help_text=gettext_lazy("Optional: a statement from this bank. “Test” shows what the "
                               "mapping reads from it; nothing is saved or imported."))

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["mapping_code"]
        for role_name, label in COLUMN_LABELS.items():
            self.fields[f"col_{role_name}"] = forms.CharField(
                label=label, max_length=200, required=role_name == "date")
        # The file field last: it is what the "Test" button uses.
        self.order_fields([*(f for f in self.fields if f != "trial"), "trial"])
        if not self.is_bound:
            self.initial.setdefault("currency", conf.base_currency())
            self.initial.setdefault("account", "assets:bank")

    def group(self, which: str) -> list[forms.BoundField]:
        """The page shows the fields in three groups: the file's shape, its columns, the
        trial file."""
        names = {"columns": [f"col_{r}" for r in COLUMN_LABELS], "trial": ["trial"]}.get(
            which, [n for n in self.fields if n != "trial" and not n.startswith("col_")])
        return [self[name] for name in names]

    @property
    def general_fields(self) -> list[forms.BoundField]:
        return self.group("general")

    @property
    def column_fields(self) -> list[forms.BoundField]:
        return self.group("columns")

    @property
    def trial_fields(self) -> list[forms.BoundField]:
        return self.group("trial")

    def clean_mapping_code(self) -> str:
        code: str = self.cleaned_data["mapping_code"]
        if BankMapping.objects.filter(code=code).exists():
            raise ValidationError(_("A mapping with this code exists already; edit it instead."))
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        columns = {r: (data.get(f"col_{r}") or "").strip() for r in COLUMN_LABELS}
        if columns["amount"] and (columns["credit"] or columns["debit"]):
            self.add_error("col_amount", _("Name either the signed amount column, or the credit "
                                           "and debit columns — not both."))
        elif not (columns["amount"] or columns["credit"] or columns["debit"]):
            self.add_error("col_amount", _("Name the amount column, or the credit and debit "
                                           "columns: the mapping needs to know the sums."))
        seen: dict[str, str] = {}
        for role_name, header in columns.items():
            if header and header in seen:
                self.add_error(f"col_{role_name}", _(
                    "The column «%(header)s» is already named for “%(other)s”.")
                    % {"header": header, "other": COLUMN_LABELS[seen[header]]})
            seen.setdefault(header, role_name)
        data["columns"] = {r: h for r, h in columns.items() if h}
        return data


class ImportRuleForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    priority = forms.IntegerField(
        label=gettext_lazy("Priority"), min_value=0, max_value=1_000_000, initial=100,
        help_text=gettext_lazy("Rules are tried from the lowest number up; the first that "
                               "matches a line decides."))
    reference_contains = forms.CharField(
        label=gettext_lazy("Payment purpose contains"), max_length=200, required=False,
        help_text=gettext_lazy("Compared without regard to case, e.g. «пожертвование». Empty: "
                               "every line in this direction and currency."))
    direction = forms.ChoiceField(label=gettext_lazy("Direction"), choices=Direction.choices)
    currency = forms.ModelChoiceField(
        Currency.objects.order_by("code"), label=gettext_lazy("Currency"), required=False,
        to_field_name="code", empty_label=gettext_lazy("any currency"))
    outcome = forms.ChoiceField(label=gettext_lazy("The line becomes"),
                                choices=ImportOutcome.choices)
    fund = forms.ModelChoiceField(
        Fund.objects.all(), label=gettext_lazy("Fund"), required=False, to_field_name="code",
        help_text=gettext_lazy("The fund that receives the donation or pays the fee; not needed "
                               "to skip."))
    campaign = forms.ModelChoiceField(
        Campaign.objects.all(), label=gettext_lazy("Campaign"), required=False,
        to_field_name="code")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        outcome, fund = data.get("outcome"), data.get("fund")
        if outcome and outcome != ImportOutcome.SKIP and fund is None:
            self.add_error("fund", _("A donation or a fee needs its fund."))
        if data.get("campaign") and outcome != ImportOutcome.DONATION:
            self.add_error("campaign", _("Only a donation goes to a campaign."))
        return data
