"""The hotline's forms. The console's report form is laid out for the keyboard: its fields come
in the order a call goes (who, born when, where now, which event, what status, from whom,
what they need), the ones an operator jumps to have a shortcut (Alt and a letter, by
static/intake/console.js), and the station and the event are typed ahead from the server."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pompolit.cases.models import Facility, Relationship
from pompolit.cases.partial import PartialDateFormField, check_birth_date
from pompolit.core.dates import DateField
from pompolit.intake import services
from pompolit.intake.duty import services as duty
from pompolit.intake.duty.forms import DutyLawyerChoice
from pompolit.intake.models import (
    NEED_LABELS,
    TRANSITIONS,
    Channel,
    Detainee,
    Detention,
    DutyLawyer,
    Location,
    ProtestEvent,
    Reporter,
    Status,
)
from pompolit.intake.services import Entry, RelativeEntry
from pompolit.members.models import Compartment, Member
from pompolit.names import parse_name
from pompolit.vault.fields.labels import EncryptedLabels

# The keys an operator learns: Alt+N name, B birth, O station (ОВД), E event, S status,
# R from whom, M the first proposed match, T their words, Enter or Alt+W to write it down
# (console.js; by the key's place, so the Russian layout gives the same keys).
ACCESS_KEYS = {
    "name": "n",
    "birth_date": "b",
    "station": "o",
    "event": "e",
    "status": "s",
    "reporter": "r",
    "text": "t",
}
# Statuses a report may start a detention with.
FIRST_STATUSES = [
    Status.DETAINED,
    Status.AT_STATION,
    Status.HELD_OVERNIGHT,
    Status.COURT_HEARING,
    Status.RELEASED,
    Status.RELEASED_WITH_PROTOCOL,
    Status.CRIMINAL_CASE,
]


def _need_choices() -> list[tuple[str, Any]]:
    return list(NEED_LABELS.items())


class ReportForm(EncryptedLabels, forms.Form):
    vault_model = "intake.Detention"
    vault_fields = {
        "text": "intake.Report.text",
        "reporter_contact": "intake.Report.reporter_contact",
        "relative_name": "intake.DetentionRelative.name",
        "relative_phone": "intake.DetentionRelative.phone",
    }

    name = forms.CharField(
        label=_("Full name"),
        max_length=300,
        help_text=_("In any script and order: “Смирнова Анна Сергеевна”, “Anna Smirnova”."),
    )
    birth_date = PartialDateFormField(
        label=_("Born"),
        required=False,
        check=check_birth_date,
    )
    station = forms.CharField(
        label=_("Police station"),
        max_length=200,
        required=False,
        help_text=_("Type a few letters and pick from the list."),
    )
    event = forms.CharField(label=_("Event"), max_length=300, required=False)
    # An event not in the list, added in place (the box under the field): its name is what was
    # typed in the Event field.
    add_event = forms.BooleanField(label=_("Add it as a new event"), required=False)
    event_city = forms.CharField(label=_("Town"), max_length=120, required=False)
    event_date = DateField(label=_("Date of the event"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s.value, s.label) for s in FIRST_STATUSES],
        initial=Status.DETAINED,
    )
    reporter = forms.ChoiceField(label=_("From whom"), choices=Reporter.choices)
    channel = forms.ChoiceField(
        label=_("Channel"), choices=Channel.choices, initial=Channel.HOTLINE
    )
    detained_on = DateField(label=_("Day of detention"), required=False)
    detained_time = forms.TimeField(
        label=_("Time of detention"), required=False, help_text=_("Blank: now.")
    )
    place = forms.CharField(label=_("Where detained"), max_length=200, required=False)
    is_minor = forms.BooleanField(label=_("Minor"), required=False)
    needs = forms.MultipleChoiceField(
        label=_("Needs"), choices=_need_choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    medicine = forms.CharField(label=_("Which medicine"), max_length=300, required=False)
    injuries = forms.CharField(label=_("Injuries or violence"), max_length=500, required=False)
    devices = forms.CharField(
        label=_("Phone or devices seized"),
        max_length=300,
        required=False,
        help_text=_("Which, if said."),
    )
    devices_seized = forms.BooleanField(label=_("Devices seized"), required=False)
    van_number = forms.CharField(label=_("Van number"), max_length=40, required=False)
    group_size = forms.IntegerField(
        label=_("People with them"), required=False, min_value=0, max_value=5000
    )
    lawyer = forms.CharField(label=_("Lawyer"), max_length=200, required=False)
    relative_relationship = forms.ChoiceField(
        label=_("Relative"), required=False, choices=[("", "—"), *Relationship.choices]
    )
    relative_name = forms.CharField(label=_("Relative's name"), max_length=300, required=False)
    relative_phone = forms.CharField(label=_("Relative's phone"), max_length=40, required=False)
    reporter_contact = forms.CharField(
        label=_("How to reach the caller"), max_length=300, required=False
    )
    text = forms.CharField(
        label=_("In their words"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    # Set by picking a proposed match: "detention:<pk>" adds the report to it, "person:<pk>"
    # records a new detention of someone detained before.
    link = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, compartment: Compartment, city: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.compartment = compartment
        self.fields["event_city"].initial = city
        self.fields["event_date"].initial = timezone.localdate()
        for name, key in ACCESS_KEYS.items():
            self.fields[name].widget.attrs.update(
                {"data-shortcut": key, "aria-keyshortcuts": f"Alt+{key.upper()}"}
            )
        self.fields["name"].widget.attrs.update(
            autofocus=True, autocomplete="off", spellcheck="false"
        )
        for name, url in (("station", "intake_stations"), ("event", "intake_events")):
            self.fields[name].widget.attrs.update(
                {
                    "list": f"{name}-options",
                    "autocomplete": "off",
                    "hx-get": reverse(url, args=[compartment.slug]),
                    "hx-trigger": "input changed delay:200ms, focus once",
                    "hx-target": f"#{name}-options",
                    "hx-swap": "innerHTML",
                }
            )
        self.station_facility: Facility | None = None
        self.event_obj: ProtestEvent | None = None
        # The event to add as the report is written down (name, town, date), when asked to.
        self.new_event: tuple[str, str, datetime.date] | None = None
        self.link_detention: Detention | None = None
        self.same_person: Detainee | None = None

    def clean_station(self) -> str:
        label: str = self.cleaned_data.get("station", "")
        if label:
            self.station_facility = services.find_station(label)
            if self.station_facility is None:
                raise forms.ValidationError(
                    _("No police station of that name: pick one from the list.")
                )
        return label

    def clean_event(self) -> str:
        label: str = " ".join(self.cleaned_data.get("event", "").split())
        if label:
            self.event_obj = services.find_event(label)
        return label

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        label = data.get("event", "")
        if not label or self.event_obj is not None:
            return data
        if not data.get("add_event"):
            self.add_error(
                "event",
                _("No event of that name. Pick one from the list, or add it as a new event."),
            )
            # Back on the page, the keyboard is on "Add it as a new event": Space, then Enter.
            self.fields["name"].widget.attrs.pop("autofocus", None)
            self.fields["add_event"].widget.attrs["autofocus"] = True
            return data
        city, day = data.get("event_city", "").strip(), data.get("event_date")
        if not city:
            self.add_error("event_city", _("Give the town of the event."))
        if day is None and "event_date" not in self.errors:
            self.add_error("event_date", _("Give the date of the event."))
        if city and day:
            self.new_event = (label.split(" — ")[0], city, day)
        return data

    def clean_link(self) -> str:
        link: str = self.cleaned_data.get("link", "")
        kind, _sep, pk = link.partition(":")
        if not link:
            return ""
        if not pk.isdigit() or kind not in {"detention", "person"}:
            raise forms.ValidationError(_("Pick a match from the list."))
        detention = (
            services.detentions_in(self.compartment)
            .filter(**({"pk": pk} if kind == "detention" else {"detainee_id": pk}))
            .first()
        )
        if detention is None:
            raise forms.ValidationError(_("Pick a match from the list."))
        if kind == "detention":
            self.link_detention = detention
        else:
            self.same_person = detention.detainee
        return link

    def detained_at(self) -> datetime.datetime | None:
        day: datetime.date | None = self.cleaned_data.get("detained_on")
        time: datetime.time | None = self.cleaned_data.get("detained_time")
        if day is None and time is None:
            return None
        now = timezone.localtime()
        moment = datetime.datetime.combine(day or now.date(), time or now.time())
        return timezone.make_aware(moment)

    def entry(self) -> Entry:
        data = self.cleaned_data
        relative = None
        if data["relative_name"].strip():
            relative = RelativeEntry(
                data["relative_relationship"] or "relative",
                data["relative_name"],
                data["relative_phone"],
            )
        return Entry(
            name=parse_name(data["name"]),
            birth_date=data["birth_date"],
            is_minor=data["is_minor"],
            detained_at=self.detained_at(),
            place=data["place"],
            event=self.event_obj,
            facility=self.station_facility,
            status=""
            if self.link_detention and data["status"] == Status.DETAINED
            else data["status"],
            van_number=data["van_number"],
            group_size=data["group_size"],
            lawyer=data["lawyer"],
            needs=frozenset(data["needs"]),
            medicine=data["medicine"],
            injured=bool(data["injuries"]),
            injuries=data["injuries"],
            devices_seized=data["devices_seized"] or bool(data["devices"]),
            devices=data["devices"],
            relative=relative,
            text=data["text"],
        )


class EventForm(forms.Form):
    """A protest or event of the hotline, added or corrected on the events page."""

    name = forms.CharField(label=_("Event"), max_length=200)
    city = forms.CharField(label=_("Town"), max_length=120)
    date = DateField(label=_("Date of the event"))


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Status.choices)
    station = forms.ModelChoiceField(
        label=_("Police station"), required=False, queryset=services.stations()
    )
    location = forms.ChoiceField(
        label=_("Where now"), required=False, choices=[("", "—"), *Location.choices]
    )
    arrest_days = forms.IntegerField(
        label=_("Days of arrest"),
        required=False,
        min_value=1,
        max_value=30,
        help_text=_("For an administrative arrest only."),
    )

    def __init__(self, *args: Any, detention: Detention, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["status"]
        assert isinstance(field, forms.ChoiceField)
        allowed = TRANSITIONS[detention.status]
        field.choices = [(s.value, s.label) for s in Status if s in allowed]


class LawyerForm(EncryptedLabels, forms.Form):
    """A lawyer on duty picked from the list (counts against their capacity), or any lawyer's
    name typed in."""

    vault_model = "intake.Detention"
    duty_lawyer = DutyLawyerChoice(
        label=_("Lawyer on duty"),
        queryset=DutyLawyer.objects.none(),
        required=False,
        empty_label=_("— another lawyer, named below —"),
    )
    lawyer = forms.CharField(label=_("Lawyer"), max_length=200, required=False)

    def __init__(self, *args: Any, compartment: Compartment | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice = self.fields["duty_lawyer"]
        assert isinstance(choice, forms.ModelChoiceField)
        if compartment is not None:
            choice.queryset = duty.on_duty(duty.lawyers_of(compartment))
        if choice.queryset is None or not choice.queryset.exists():
            del self.fields["duty_lawyer"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("duty_lawyer") and not " ".join(data.get("lawyer", "").split()):
            self.add_error("lawyer", _("Give the lawyer's name."))
        return data


class EscalateForm(forms.Form):
    compartment = forms.ModelChoiceField(
        label=_("Registry compartment"), queryset=Compartment.objects.none()
    )

    def __init__(self, *args: Any, member: Member, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["compartment"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Compartment.objects.filter(
            pk__in=member.compartment_ids(), hotline__isnull=True
        )

    @property
    def has_registry(self) -> bool:
        """The member is granted a registry compartment a case could be opened in."""
        field = self.fields["compartment"]
        assert isinstance(field, forms.ModelChoiceField)
        return field.queryset is not None and field.queryset.exists()
