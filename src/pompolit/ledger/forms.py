import secrets
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pompolit.core.dates import DateField
from pompolit.ledger import dates, services
from pompolit.ledger.models import Campaign, Channel, Currency, Fund
from pompolit.ledger.money import MAX_AMOUNT_TEXT, MoneyError, parse_amount_text
from pompolit.vault.fields.labels import EncryptedLabels

# The largest file a treasurer may upload: a bank statement, a file of rates.
MAX_FILE_BYTES = 5 * 1024 * 1024


class BookDateField(DateField):
    """A date of the books: from dates.EARLIEST to a few days ahead (ledger/dates.py)."""

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is not None:
            problem = dates.date_error(value)
            if problem is not None:
                raise ValidationError(problem, code="out_of_range")


class AccountField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """An account chosen by its name (a built-in one in the reader's language), not its code."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label)


class AmountField(forms.CharField):
    """An amount as people type it ("1 500,50") — a Decimal, bounded later with its currency;
    never "1E+30", "NaN" or "1_000" (money.parse_amount_text)."""

    def __init__(self, **kwargs: Any) -> None:
        # The length is checked by parse_amount_text: CharField's max_length would measure the
        # Decimal.
        kwargs.setdefault("widget", forms.TextInput(
            attrs={"inputmode": "decimal", "maxlength": str(MAX_AMOUNT_TEXT)}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            return parse_amount_text(text)
        except MoneyError as error:
            raise ValidationError(str(error), code="invalid") from None


class MoneyForm(forms.Form):
    """An amount in a currency, read as `cleaned_data["money"]`, and a one-time token so that
    sending the same form twice cannot record the same money twice."""

    amount = forms.CharField(label=_("Amount"), max_length=30,
                             widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    currency = forms.ModelChoiceField(Currency.objects.order_by("code"), label=_("Currency"),
                                      empty_label=None, to_field_name="code")
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("currency", "RUB")
            self.initial["token"] = secrets.token_urlsafe(24)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        currency, amount = data.get("currency"), data.get("amount")
        if currency is not None and amount:
            try:
                data["money"] = services.money(amount, currency.code)
            except ValidationError as error:
                self.add_error("amount", error)
        return data


class DonationForm(EncryptedLabels, MoneyForm):
    vault_fields = {"donor_name": "ledger.DonorIdentity.name",
                    "donor_contact": "ledger.DonorIdentity.contact",
                    "memo": "ledger.EntryNote.note"}
    date = BookDateField(label=_("Received on"))
    fund = forms.ModelChoiceField(Fund.objects.all(), label=_("Fund"), empty_label=None,
                                  to_field_name="code")
    channel = forms.ChoiceField(choices=Channel.choices, label=_("Received by"))
    campaign = forms.ModelChoiceField(Campaign.objects.all(), label=_("Campaign"),
                                      required=False, to_field_name="code")
    donor_name = forms.CharField(
        label=_("Donor's name"), required=False, max_length=200,
        help_text=_("Leave empty unless the donor asks for a thank-you or a tax receipt. "
                    "If given, it is encrypted and only treasurers can read it."),
    )
    donor_contact = forms.CharField(label=_("Donor's contact"), required=False, max_length=200)
    memo = forms.CharField(
        label=_("Internal note"), required=False, max_length=500,
        help_text=_("Never published. Do not write names or account numbers here."),
    )
    field_order = ["date", "amount", "currency", "fund", "channel", "campaign"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("date", timezone.localdate())
            self.initial.setdefault("fund", "general")
