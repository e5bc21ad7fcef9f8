"""The form of the rates pages: a CSV file of rates to preview."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy


class RatesUploadForm(forms.Form):
    rates = forms.FileField(
        label=gettext_lazy("File of rates (CSV)"),
        help_text=gettext_lazy("A header row, then one rate a line: date;currency;rate;base;"
                               "source — e.g. 2025-03-14;EUR;98,4512;RUB;cbr.ru. The base "
                               "and the source may be left out."))
