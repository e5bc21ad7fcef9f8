"""Forms of the facilities' pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pompolit.cases.models import Facility, FacilityType, Regime
from pompolit.cases.vocabularies.forms import TermChoiceField, active_terms
from pompolit.core.dates import DateField


class FacilityForm(forms.ModelForm):  # type: ignore[type-arg]
    type = TermChoiceField(queryset=active_terms(FacilityType), label=_("Type"))

    class Meta:
        model = Facility
        fields = ["name", "short_name", "type", "country", "region", "city", "street",
                  "postal_code", "latitude", "longitude", "letter_service", "notes"]
        widgets = {"notes": forms.Textarea}


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.replace(",", "\n").splitlines() if line.strip())


class RuleForm(forms.Form):
    regime = TermChoiceField(queryset=active_terms(Regime), required=False, label=_("Regime"),
                             help_text=_("Leave empty for a rule of the whole facility."))
    valid_from = DateField(label=_("Valid from"))
    max_parcel_kg = forms.DecimalField(label=_("Maximum parcel weight, kg"), required=False,
                                       min_value=Decimal(0), max_digits=6, decimal_places=3)
    parcels_per_period = forms.IntegerField(label=_("Parcels allowed"), required=False,
                                            min_value=0)
    period_months = forms.IntegerField(label=_("Per how many months"), initial=12, min_value=1)
    banned_items = forms.CharField(label=_("Banned item categories"), widget=forms.Textarea,
                                   required=False, help_text=_("One per line."))
    letter_languages = forms.CharField(label=_("Letter languages allowed"), required=False,
                                       help_text=_("E.g. ru; empty if any."))
    money_limit = forms.DecimalField(label=_("Money transfer limit"), required=False,
                                     min_value=Decimal(0), max_digits=12, decimal_places=2)
    money_currency = forms.CharField(label=_("Currency"), max_length=10, initial="RUB")
    source = forms.CharField(label=_("Source"), max_length=300, required=False)

    def terms(self) -> dict[str, Any]:
        data = self.cleaned_data
        kg = data.get("max_parcel_kg")
        return {
            "max_parcel_grams": int(kg * 1000) if kg is not None else None,
            "parcels_per_period": data.get("parcels_per_period"),
            "period_months": data["period_months"],
            "banned_items": _lines(data.get("banned_items") or ""),
            "letter_languages": _lines(data.get("letter_languages") or ""),
            "money_limit": data.get("money_limit"),
            "money_currency": data["money_currency"].upper(),
            "source": data.get("source") or "",
        }
