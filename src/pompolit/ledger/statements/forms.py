"""The statements' forms: the period to publish, and a donor's receipt code to check."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy


class StatementPublishForm(forms.Form):
    period = forms.CharField(
        label=gettext_lazy("Period"), max_length=30,
        help_text=gettext_lazy("A month (2026-10), a year (2026) or two days joined by “..” "
                               "(2026-01-01..2026-03-31)."),
    )


class ReceiptCheckForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Receipt code"), max_length=80,
                           widget=forms.TextInput(attrs={"autocomplete": "off",
                                                         "spellcheck": "false"}))
