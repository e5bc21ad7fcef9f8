"""The consent form of the case workers."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from pompolit.cases.models import ConsentGiver
from pompolit.cases.public import consent
from pompolit.core.dates import DateField


class ConsentForm(forms.Form):
    given_by = forms.ChoiceField(label=gettext_lazy("Given by"), choices=ConsentGiver.choices)
    given_on = DateField(label=gettext_lazy("Given on"))
    scope = forms.MultipleChoiceField(
        label=gettext_lazy("What may be published"), widget=forms.CheckboxSelectMultiple,
        choices=list(consent.FIELDS.items()),
    )
    expires_on = DateField(
        label=gettext_lazy("Valid until"), required=False,
        help_text=gettext_lazy("Leave empty if the consent has no end date."),
    )
    story_ru = forms.CharField(label=gettext_lazy("Short story (Russian)"), required=False,
                               widget=forms.Textarea(attrs={"rows": 4}), max_length=3000)
    story_en = forms.CharField(label=gettext_lazy("Short story (English)"), required=False,
                               widget=forms.Textarea(attrs={"rows": 4}), max_length=3000)
    interests = forms.CharField(
        label=gettext_lazy("Interests"), required=False, max_length=300,
        help_text=gettext_lazy("Separated by commas, e.g. “history, chess, poetry”."))


class WithdrawForm(forms.Form):
    given_by = forms.ChoiceField(label=gettext_lazy("Withdrawn by"),
                                 choices=ConsentGiver.choices)
