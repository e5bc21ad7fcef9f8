"""The lists' filters (sent by GET: codes and a month only, never typed text) and the
correction form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pompolit.core.dates import MonthField
from pompolit.ledger.forms import BookDateField, MoneyForm
from pompolit.ledger.journal.services import Corrected, Filters, amount_of
from pompolit.ledger.models import Campaign, Channel, Donation, EntryKind, Fund


class DonationFilterForm(forms.Form):
    month = MonthField(label=_("Month"), required=False)
    fund = forms.ModelChoiceField(Fund.objects.all(), label=_("Fund"), required=False,
                                  to_field_name="code", empty_label=_("all"))
    channel = forms.ChoiceField(label=_("Received by"), required=False,
                                choices=[("", _("all")), *Channel.choices])
    campaign = forms.ModelChoiceField(Campaign.objects.all(), label=_("Campaign"),
                                      required=False, to_field_name="code", empty_label=_("all"))

    def filters(self) -> Filters:
        """What to narrow the list to: only the fields that are valid (the others are said)."""
        self.is_valid()  # an invalid field is left out of cleaned_data, and its error shown
        data = self.cleaned_data
        return Filters(fund=data.get("fund"), month=data.get("month"),
                       channel=data.get("channel") or "", campaign=data.get("campaign"),
                       kind=data.get("kind") or "")


class JournalFilterForm(DonationFilterForm):
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("all")), *EntryKind.choices])
    field_order = ["month", "fund", "kind", "channel", "campaign"]


class CorrectionForm(MoneyForm):
    """The corrected donation, pre-filled with the old one's values, and why."""

    date = BookDateField(label=_("Received on"))
    fund = forms.ModelChoiceField(Fund.objects.all(), label=_("Fund"), empty_label=None,
                                  to_field_name="code")
    channel = forms.ChoiceField(choices=Channel.choices, label=_("Received by"))
    campaign = forms.ModelChoiceField(Campaign.objects.all(), label=_("Campaign"),
                                      required=False, to_field_name="code")
    reason = forms.CharField(
        label=_("Why it is corrected"), max_length=500,
        help_text=_("Kept with the reversal, encrypted, and shown in the journal. Do not write "
                    "names or account numbers here."),
    )
    field_order = ["date", "amount", "currency", "fund", "channel", "campaign", "reason"]

    @classmethod
    def for_donation(cls, donation: Donation, data: Any = None) -> CorrectionForm:
        return cls(data, initial={
            "date": donation.entry.date, "currency": donation.currency_id,
            "amount": f"{amount_of(donation).amount:f}",
            "fund": donation.fund.code, "channel": donation.channel,
            "campaign": donation.campaign.code if donation.campaign else "",
        })

    def corrected(self) -> Corrected:
        data = self.cleaned_data
        return Corrected(date=data["date"], amount=data["money"], fund=data["fund"],
                         channel=data["channel"], campaign=data["campaign"])

