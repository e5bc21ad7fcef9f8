"""The form of a hotline's export (intake/exports.py): the filters, the format and, for those who
may, the box that adds contacts and the reason the approver reads (intake/export_contacts.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pompolit.cases.models import Facility
from pompolit.core.dates import DateField
from pompolit.intake import exports
from pompolit.intake.export_models import ExportFormat
from pompolit.intake.models import ProtestEvent
from pompolit.members.models import Compartment


class StationChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Facility) -> str:
        return obj.short_name or obj.name


class ExportForm(forms.Form):
    held = forms.ChoiceField(
        label=_("Who"),
        choices=[("held", _("held now")), ("all", _("everyone, released too"))],
        initial="held",
        widget=forms.RadioSelect,
    )
    event = forms.ModelChoiceField(
        label=_("Event"),
        queryset=ProtestEvent.objects.none(),
        required=False,
        empty_label=_("every event"),
    )
    station = StationChoice(
        label=_("Police station"),
        queryset=Facility.objects.none(),
        required=False,
        empty_label=_("every police station"),
    )
    date_from = DateField(
        label=_("Detained from"), required=False, help_text=_("Blank: from the start.")
    )
    date_to = DateField(
        label=_("Detained until"), required=False, help_text=_("Blank: until today.")
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=ExportFormat.choices,
        initial=ExportFormat.CSV,
        widget=forms.RadioSelect,
    )
    contacts = forms.BooleanField(
        label=_("Add the relatives' names and phones and the reporters' contacts"),
        required=False,
        help_text=_(
            "They leave the server with the list, unencrypted: whoever gets the file can call "
            "the families and the people who reported. Tick it only for a list that stays "
            "with the hotline. A coordinator must approve it first: the list is written once "
            "they do. The download is recorded in the audit trail."
        ),
    )
    reason = forms.CharField(
        label=_("Why the contacts are needed"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For the coordinator who approves; only with the contacts."),
    )

    def __init__(
        self,
        *args: Any,
        compartment: Compartment | None = None,
        contacts: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if compartment is not None:
            event = self.fields["event"]
            station = self.fields["station"]
            assert isinstance(event, forms.ModelChoiceField)
            assert isinstance(station, forms.ModelChoiceField)
            event.queryset = exports.events_of(compartment)
            station.queryset = exports.stations_of(compartment)
        if not contacts:
            del self.fields["contacts"]
            del self.fields["reason"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            raise ValidationError({"date_to": _("The last day is before the first.")})
        if data.get("contacts") and not data.get("reason", "").strip():
            raise ValidationError(
                {
                    "reason": _(
                        "Say why the contacts must leave the server: the approver needs to know."
                    )
                }
            )
        return data

    def filters(self) -> exports.Filters:
        data = self.cleaned_data
        return exports.Filters(
            event=data.get("event"),
            facility=data.get("station"),
            held_only=data["held"] == "held",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
