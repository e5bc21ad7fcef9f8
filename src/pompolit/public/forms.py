"""The public list's filter form, and the form to report an inaccuracy."""

from __future__ import annotations

import html
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django_stubs_ext import StrOrPromise

from pompolit.public.listing import Choices, Filters


class QuickSelect(forms.Select):
    """A select whose options are written in one pass: the list's facility box holds hundreds
    of them on every page, and Django's template per option cost more than the rest of the
    page. The same HTML; the attributes (id, aria-describedby, aria-invalid) are the bound
    field's, as for any widget."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None,
               renderer: Any = None) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        chosen = {str(v) for v in self.format_value(value)}
        # conditional_escape, without its lazy wrapper's cost per call (300 options a page).
        options = "".join(
            f'<option value="{_escaped(option)}"{" selected" if str(option) in chosen else ""}>'
            f"{_escaped(label)}</option>" for option, label in self.choices)
        return format_html("<select name=\"{}\"{}>{}</select>", name, flatatt(final),
                           mark_safe(options))  # noqa: S308 — every part escaped above


def _escaped(value: Any) -> str:
    """`conditional_escape(value)` as a plain string."""
    return str(value.__html__()) if hasattr(value, "__html__") else html.escape(str(value))


def _choice(label: StrOrPromise) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, required=False, widget=QuickSelect)


def _years(label: StrOrPromise) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, min_value=0, max_value=150,
                              widget=forms.NumberInput(attrs={"inputmode": "numeric"}))


class ListFilterForm(forms.Form):
    q = forms.CharField(label=pgettext_lazy("person", "Name"), required=False, max_length=200,
                        help_text=gettext_lazy("In any script: Иванов, Ivanov."))
    region = _choice(gettext_lazy("Region"))
    facility = _choice(gettext_lazy("Facility"))
    status = _choice(gettext_lazy("Status"))
    article = forms.CharField(label=gettext_lazy("Article"), required=False, max_length=40,
                              help_text=gettext_lazy("E.g. 280.3 or 207.3."))
    sentence_min_years = _years(gettext_lazy("Sentence from, years"))
    sentence_max_years = _years(gettext_lazy("Sentence up to, years"))
    age_min = _years(gettext_lazy("Age from"))
    age_max = _years(gettext_lazy("Age up to"))
    letters = forms.BooleanField(label=gettext_lazy("Can receive letters"), required=False)
    interest = _choice(gettext_lazy("Interests"))
    sort = forms.ChoiceField(label=gettext_lazy("Sort by"), required=False, choices=[
        ("name", pgettext_lazy("sort by", "name")),
        ("age", pgettext_lazy("sort by", "age, youngest first")),
        ("sentence", pgettext_lazy("sort by", "sentence, longest first")),
        ("region", pgettext_lazy("sort by", "region")),
    ])

    def __init__(self, *args: Any, choices: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        any_ = ("", _("any"))
        for name, values in (("region", [(r, r) for r in choices.regions]),
                             ("facility", [(f, f) for f in choices.facilities]),
                             ("status", choices.statuses),
                             ("interest", [(i, i) for i in choices.interests])):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [any_, *values]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for low, high in (("sentence_min_years", "sentence_max_years"), ("age_min", "age_max")):
            if data.get(low) is not None and data.get(high) is not None \
                    and data[low] > data[high]:
                self.add_error(high, _("Enter a number not smaller than the “from” field."))
        return data

    def filters(self) -> Filters:
        data = {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
        return Filters(**{"sort": "name", **data})


class InaccuracyForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("What is wrong on the page"), max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("What the page says, and what is right. Do not write anything "
                               "that would put someone at risk."))
    contact = forms.CharField(
        label=gettext_lazy("How to answer you"), required=False, max_length=200,
        help_text=gettext_lazy("Only if you want an answer. We keep nothing else about you."))
    # A field people cannot see: a robot filling in every field gives itself away.
    website = forms.CharField(required=False, widget=forms.HiddenInput)
