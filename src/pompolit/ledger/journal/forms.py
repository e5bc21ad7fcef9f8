"""The lists' filters (sent by GET: codes and a month only, never typed text) and the
correction form."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pompolit.ledger.forms import BookDateField, MoneyForm
from pompolit.ledger.journal.services import Corrected, Filters, amount_of
from pompolit.ledger.models import Campaign, Channel, Donation, EntryKind, Fund


class MonthField(forms.CharField):
    """A month as the browser's month picker sends it: 2026-03."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "month"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> datetime.date | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            if len(text) != 7:
                raise ValueError(text)
            return datetime.datetime.strptime(text, "%Y-%m").date()  # noqa: DTZ007 (a date)
        except ValueError:
            raise ValidationError(_("Choose a month (year and month, as 2026-03)."),
                                  code="invalid") from None


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

    # The browser's date picker takes ISO dates only, whatever the page's language.
    date = BookDateField(label=_("Received on"), widget=forms.DateInput(
        format="%Y-%m-%d", attrs={"type": "date"}))
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

