"""The forms of the import pages: the uploaded list, then which column is which field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pompolit.cases.io import importing
from pompolit.members.models import Compartment, Member


def compartments_of(member: Member) -> Any:
    return Compartment.objects.filter(pk__in=member.compartment_ids()).order_by("name")


class CaseListUploadForm(forms.Form):
    compartment = forms.ModelChoiceField(queryset=Compartment.objects.none(),
                                         label=gettext_lazy("Compartment"))
    file = forms.FileField(
        label=gettext_lazy("List of prisoners"),
        help_text=gettext_lazy("CSV (UTF-8 or Windows-1251, separated by ; or ,) or Excel "
                               "(.xlsx). The first row names the columns."),
    )

    def __init__(self, *args: Any, member: Member, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["compartment"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = compartments_of(member)


class CaseListMappingForm(forms.Form):
    def __init__(self, *args: Any, headers: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("— not in the file —"))] + [
            (str(i), h or _("column %(n)s") % {"n": i + 1}) for i, h in enumerate(headers)
        ]
        for name, label in importing.FIELDS.items():
            self.fields[name] = forms.ChoiceField(choices=choices, required=False, label=label)

    def mapping(self) -> dict[str, int | None]:
        return {name: int(self.cleaned_data[name]) if self.cleaned_data.get(name) else None
                for name in importing.FIELDS}
