"""The donors' page forms: why the identities must leave the server, and which donation to
forget."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from pompolit.core.sealed_text import SealedLabels
from pompolit.ledger.donors import services as donors
from pompolit.ledger.models import Donation


class ExportRequestForm(SealedLabels, forms.Form):
    sealed_fields = {"reason": "members.ApprovalRequest.reason"}

    reason = forms.CharField(
        label=gettext_lazy("Why must the identities leave the server?"), max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("The coordinator who approves reads this. Do not name donors."))


class FindDonationForm(forms.Form):
    donation = forms.CharField(
        label=gettext_lazy("The donor's receipt code, or the entry number"), max_length=80,
        help_text=gettext_lazy("A donor who asks to be forgotten can prove the gift is theirs "
                               "with their receipt code (e.g. 09Y8-QVF4-…); or give the "
                               "entry number, e.g. #42."))

    def clean_donation(self) -> Donation:
        try:
            return donors.find_donation(self.cleaned_data["donation"])
        except ValidationError as error:
            raise ValidationError(error.messages) from None
