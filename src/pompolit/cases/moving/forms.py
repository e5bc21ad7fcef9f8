"""The form to ask for a case's move to another compartment."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from pompolit.core.sealed_text import SealedLabels
from pompolit.members.models import Compartment


class MoveForm(SealedLabels, forms.Form):
    sealed_fields = {"reason": "members.ApprovalRequest.reason"}

    target = forms.ModelChoiceField(queryset=Compartment.objects.none(),
                                    label=gettext_lazy("Move to the compartment"))
    reason = forms.CharField(
        label=gettext_lazy("Why"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000,
        help_text=gettext_lazy("For the coordinator who approves: e.g. “transferred to a "
                               "colony in the Moscow group's region”."),
    )

    def __init__(self, *args: Any, current: Compartment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["target"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Compartment.objects.exclude(pk=current.pk).order_by("name")
