"""The forms of the lawyers on duty and the shift log."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pompolit.cases.models import Facility
from pompolit.core.dates import DateField
from pompolit.intake import services as intake
from pompolit.intake.duty import services
from pompolit.intake.models import DutyLawyer, Hotline, LogKind
from pompolit.vault.fields.labels import EncryptedLabels


class LawyerOnDutyForm(EncryptedLabels, forms.Form):
    vault_model = "intake.DutyLawyer"

    name = forms.CharField(
        label=pgettext_lazy("of a person", "Name"),
        max_length=120,
        help_text=_("As the lawyer wants to be called."),
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    capacity = forms.IntegerField(
        label=_("Capacity"),
        min_value=1,
        max_value=99,
        help_text=_("How many detainees they can take on."),
    )
    day = DateField(label=_("Day"), required=False, help_text=_("Blank: today."))
    start = forms.TimeField(label=_("On duty from"), required=False, help_text=_("Blank: now."))
    end = forms.TimeField(
        label=_("On duty until"),
        required=False,
        help_text=_("Blank: until recalled. Earlier than the start: the next day."),
    )

    def duty_hours(self) -> tuple[datetime.datetime, datetime.datetime | None]:
        data = self.cleaned_data
        now = timezone.localtime()
        day: datetime.date = data.get("day") or now.date()
        start = timezone.make_aware(
            datetime.datetime.combine(day, data.get("start") or now.time().replace(microsecond=0))
        )
        end_time: datetime.time | None = data.get("end")
        if end_time is None:
            return start, None
        end = timezone.make_aware(datetime.datetime.combine(day, end_time))
        if end <= start:
            end += datetime.timedelta(days=1)
        return start, end


def station_choices(hotline: Hotline) -> QuerySet[Facility]:
    """The police stations of the hotline's town (all of them if it has none yet)."""
    found = intake.stations().filter(city=hotline.city)
    return (found if found.exists() else intake.stations()).order_by("short_name", "name")


class StationChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.short_name or obj.name)


def lawyer_label(lawyer: DutyLawyer, now: datetime.datetime | None = None) -> str:
    """How a lawyer on duty is offered in a list: their name, where they are now and their
    free places ("Павлова Мария — ОВД «Тверской», free 2 of 4"), and *off duty* when their
    hours are over or not begun. Needs `services.lawyers_of`'s `load` for the free places."""
    station = lawyer.station
    where = str(station.short_name or station.name) if station else str(_("not dispatched"))
    label = str(_("%(name)s — %(station)s, free %(free)s of %(capacity)s")) % {
        "name": lawyer.name,
        "station": where,
        "free": max(services.free_places(lawyer), 0),
        "capacity": lawyer.capacity,
    }
    now = now or timezone.now()
    if lawyer.on_duty_from > now or (lawyer.on_duty_to is not None and lawyer.on_duty_to <= now):
        label = str(_("%(lawyer)s (off duty)")) % {"lawyer": label}
    return label


class DutyLawyerChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A lawyer on duty, offered by `lawyer_label`: never by `DutyLawyer.__str__`, which is a
    number (the name is encrypted and kept out of logs). Give it `services.lawyers_of(...)`."""

    def label_from_instance(self, obj: Any) -> str:
        return lawyer_label(obj)


class DispatchForm(forms.Form):
    lawyer = DutyLawyerChoice(label=_("Lawyer"), queryset=DutyLawyer.objects.none())
    station = StationChoice(label=_("Police station"), queryset=Facility.objects.none())

    def __init__(self, *args: Any, hotline: Hotline, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lawyer = self.fields["lawyer"]
        assert isinstance(lawyer, forms.ModelChoiceField)
        lawyer.queryset = services.lawyers_of(hotline.compartment)
        station = self.fields["station"]
        assert isinstance(station, forms.ModelChoiceField)
        station.queryset = station_choices(hotline)


class RecallForm(forms.Form):
    lawyer = DutyLawyerChoice(label=_("Lawyer"), queryset=DutyLawyer.objects.none())

    def __init__(self, *args: Any, hotline: Hotline, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lawyer = self.fields["lawyer"]
        assert isinstance(lawyer, forms.ModelChoiceField)
        lawyer.queryset = services.lawyers_of(hotline.compartment)


class LogForm(EncryptedLabels, forms.Form):
    vault_model = "intake.ShiftLogEntry"

    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (LogKind.NOTE.value, LogKind.NOTE.label),
            (LogKind.INCIDENT.value, LogKind.INCIDENT.label),
        ],
        initial=LogKind.NOTE,
    )
    text = forms.CharField(
        label=_("Text"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class HandoverForm(EncryptedLabels, forms.Form):
    vault_model = "intake.ShiftLogEntry"

    text = forms.CharField(
        label=_("For the next shift"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "What is in hand, what was promised, whom to call. The open items are counted by "
            "themselves."
        ),
    )
