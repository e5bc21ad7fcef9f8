"""The forms of the duplicates' pages: a decision, a merge, a name being typed."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from pompolit.cases.duplicates.models import Verdict
from pompolit.cases.partial import PartialDateFormField, check_birth_date
from pompolit.core.sealed_text import SealedLabels


class DecisionForm(forms.Form):
    first = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    second = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    verdict = forms.ChoiceField(choices=Verdict.choices)


class MergeForm(SealedLabels, forms.Form):
    sealed_fields = {"reason": "members.ApprovalRequest.reason"}

    survivor = forms.TypedChoiceField(
        coerce=int, widget=forms.RadioSelect, label=gettext_lazy("The record that stays")
    )
    reason = forms.CharField(
        label=gettext_lazy("Why they are the same person"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Needed when a second coordinator must approve: e.g. “the same "
            "case number and the same mother's phone”."
        ),
    )

    def __init__(self, *args: object, choices: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["survivor"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = choices


class TypedNameForm(forms.Form):
    """What the new-case form or the import preview sends while a name is typed."""

    name = forms.CharField(max_length=300, required=False)
    surname = forms.CharField(max_length=120, required=False)
    given = forms.CharField(max_length=120, required=False)
    patronymic = forms.CharField(max_length=120, required=False)
    birth_date = PartialDateFormField(required=False, check=check_birth_date)

    def text(self) -> str:
        data = self.cleaned_data
        parts = [data.get("surname") or "", data.get("given") or "", data.get("patronymic") or ""]
        return " ".join(p.strip() for p in parts if p.strip()) or (data.get("name") or "")
