"""Renaming one fund or account from the chart page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from pompolit.ledger.chart.services import MAX_NAME


class RenameForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[("fund", "fund"), ("account", "account")], widget=forms.HiddenInput
    )
    code = forms.CharField(max_length=100, widget=forms.HiddenInput)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=MAX_NAME)
