import secrets
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pompolit.ledger import services
from pompolit.ledger.models import Campaign, Channel, Currency, Fund
from pompolit.vault.forms import EncryptedLabels


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
    date = forms.DateField(label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"}))
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
