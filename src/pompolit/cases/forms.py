"""The case pages' forms (the features' own are in their subpackages: facilities/forms.py…)."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pompolit.cases.models import (
    HEARING_EVENT_TYPES,
    Case,
    CaseStatus,
    EventType,
    Facility,
    HearingKind,
    NameKind,
    Priority,
    Regime,
    Relationship,
)
from pompolit.cases.partial import PartialDateFormField, check_birth_date, check_event_date
from pompolit.cases.vocabularies.forms import TermChoiceField, active_terms
from pompolit.core.dates import DateField
from pompolit.members.models import Compartment, Member
from pompolit.vault.fields.labels import EncryptedLabels


class NameFields(forms.Form):
    surname = forms.CharField(label=_("Surname"), max_length=120, required=False)
    given = forms.CharField(label=_("Given name"), max_length=120, required=False)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=120, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("surname") and not data.get("given"):
            raise ValidationError(_("Give at least a surname or a given name."))
        return data


class NewCaseForm(EncryptedLabels, NameFields):
    vault_model = "cases.Case"
    compartment = forms.ModelChoiceField(queryset=Compartment.objects.none(),
                                         label=_("Compartment"))
    birth_date = PartialDateFormField(label=_("Date of birth"), required=False,
                                      check=check_birth_date)
    status = TermChoiceField(queryset=active_terms(CaseStatus), label=_("Status"))
    priority = forms.TypedChoiceField(choices=Priority.choices, coerce=int,
                                      initial=Priority.NORMAL, label=_("Priority"))
    court = forms.CharField(label=_("Court"), max_length=200, required=False)
    case_number = forms.CharField(label=_("Case number"), max_length=100, required=False)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea, required=False)

    field_order = ["compartment", "surname", "given", "patronymic", "birth_date", "status",
                   "priority", "court", "case_number", "notes"]

    def __init__(self, *args: Any, member: Member, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        compartments = Compartment.objects.filter(pk__in=member.compartment_ids())
        field = self.fields["compartment"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = compartments
        if compartments.count() == 1:
            field.initial = compartments.first()


class CaseForm(EncryptedLabels, forms.ModelForm):  # type: ignore[type-arg]
    vault_model = "cases.Case"
    birth_date = PartialDateFormField(label=_("Date of birth"), required=False,
                                      check=check_birth_date)
    status = TermChoiceField(queryset=active_terms(CaseStatus), label=_("Status"))
    sentence_regime = TermChoiceField(queryset=active_terms(Regime), label=_("Regime"),
                                      required=False)

    class Meta:
        model = Case
        fields = ["status", "priority", "assigned_to", "court", "case_number", "lawyer",
                  "sentence_term", "sentence_months", "sentence_regime", "expected_release",
                  "receives_letters",
                  "recognised_by", "recognised_on",
                  "recognition_criteria", "notes", "opened_on"]
        widgets = {"notes": forms.Textarea, "recognition_criteria": forms.Textarea}
        field_classes = {"opened_on": DateField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        case = self.instance
        workers = Member.objects.filter(
            role_grants__role="case_worker", compartment_grants__compartment=case.compartment,
            is_active=True,
        )
        field = self.fields["assigned_to"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = workers
        # A term taken out of use is not offered, but a case that has it keeps it.
        for name, model in (("status", CaseStatus), ("sentence_regime", Regime)):
            term = self.fields[name]
            assert isinstance(term, forms.ModelChoiceField)
            term.queryset = model.objects.filter(
                Q(is_active=True) | Q(pk=getattr(case, f"{name}_id", None) or 0))
        self.fields["birth_date"].initial = case.person.birth_date
        self.order_fields(["birth_date", *self.Meta.fields])


class PrivateForm(EncryptedLabels, forms.Form):
    vault_model = "cases.Case"
    vault_fields = dict.fromkeys(["medicines", "clothing_size", "diet"],
                                 "cases.Case.needs_structured")
    lawyer_contact = forms.CharField(label=_("Lawyer's contact"), widget=forms.Textarea,
                                     required=False)
    needs = forms.CharField(
        label=_("Needs"), widget=forms.Textarea, required=False,
        help_text=_("Medicines, diet, what is short. Encrypted."),
    )
    medicines = forms.CharField(label=_("Medicines"), required=False, max_length=500)
    clothing_size = forms.CharField(label=_("Clothing and shoe sizes"), required=False,
                                    max_length=100)
    diet = forms.CharField(label=_("Diet"), required=False, max_length=300)

    STRUCTURED = ("medicines", "clothing_size", "diet")


class NameForm(NameFields):
    kind = forms.ChoiceField(choices=NameKind.choices, initial=NameKind.ALIAS, label=_("Kind"))
    field_order = ["kind", "surname", "given", "patronymic"]


class ChargeForm(forms.Form):
    jurisdiction = forms.CharField(label=_("Jurisdiction"), max_length=8, initial="RU")
    code = forms.CharField(label=pgettext_lazy("legal code", "Code"), max_length=40,
                           initial="УК РФ")
    article = forms.CharField(label=_("Article"), max_length=40)
    text = forms.CharField(label=_("Wording"), max_length=400, required=False)


class EventForm(EncryptedLabels, forms.Form):
    vault_model = "cases.Event"
    type = TermChoiceField(queryset=active_terms(EventType), label=_("What"))
    date = PartialDateFormField(label=_("Date"), check=check_event_date)
    facility = forms.ModelChoiceField(
        queryset=Facility.objects.all(), required=False, label=_("Facility"),
        help_text=_("For an arrest or a transfer: where the person is taken."),
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    summary = forms.CharField(label=_("What happened"), widget=forms.Textarea, required=False)
    source = forms.CharField(label=_("Source"), max_length=300, required=False)
    confidential_note = forms.CharField(
        label=_("Confidential note"), widget=forms.Textarea, required=False,
        help_text=_("Encrypted; every reading is logged."),
    )
    # A hearing's details (event types in HEARING_EVENT_TYPES); ignored for other events.
    hearing_kind = forms.ChoiceField(choices=HearingKind.choices, required=False,
                                     label=_("Kind of hearing"))
    hearing_court = forms.CharField(label=_("Court"), max_length=200, required=False,
                                    help_text=_("For a hearing: which court."))
    hearing_city = forms.CharField(label=_("City"), max_length=100, required=False)
    hearing_hall = forms.CharField(label=_("Hall"), max_length=50, required=False)
    # Read only for a hearing (clean): other events ignore whatever is in these boxes.
    hearing_time = forms.CharField(label=_("Time"), required=False, max_length=40,
                                   help_text=_("HH:MM, e.g. 10:30."))
    hearing_judge = forms.CharField(label=_("Judge"), max_length=200, required=False,
                                    help_text=_("A public official: stored in clear."))
    hearing_closed = forms.BooleanField(label=_("Closed hearing (the public is not let in)"),
                                        required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        type_ = data.get("type")
        if type_ is None or type_.code not in HEARING_EVENT_TYPES:
            data["hearing"] = None
            return data
        details = [data.get(f"hearing_{name}", "").strip()
                   for name in ("court", "city", "hall", "judge", "time")]
        if not any(details) and not data.get("hearing_closed"):
            # A hearing known only from its date (an old record): an event without details.
            data["hearing"] = None
            return data
        if not data.get("hearing_court", "").strip():
            self.add_error("hearing_court", _("A hearing needs its court."))
        starts_at = None
        if data.get("hearing_time", "").strip():
            try:
                typed = data["hearing_time"].strip()
                if not re.fullmatch(r"\d{1,2}:\d{2}", typed):
                    raise ValueError(typed)
                hours, minutes = typed.split(":")
                starts_at = datetime.time(int(hours), int(minutes))
            except ValueError:
                self.add_error("hearing_time", _("Expected a time as HH:MM, e.g. 10:30; "
                                                 "found %(value)s.")
                               % {"value": data["hearing_time"].strip()})
        date = data.get("date")
        if date is not None and date.precision != "day":
            self.add_error("date", _("A hearing needs its day, e.g. 2026-03-12; found %(date)s.")
                           % {"date": date.display()})
        data["hearing"] = {
            "kind": data.get("hearing_kind") or (
                HearingKind.VERDICT if type_.code == "verdict" else HearingKind.HEARING),
            "court": data.get("hearing_court", "").strip(),
            "city": data.get("hearing_city", "").strip(),
            "hall": data.get("hearing_hall", "").strip(),
            "judge": data.get("hearing_judge", "").strip(),
            "starts_at": starts_at,
            "closed": bool(data.get("hearing_closed")),
        }
        return data


class HearingOutcomeForm(EncryptedLabels, forms.Form):
    vault_model = "cases.HearingOutcome"
    text = forms.CharField(label=_("Outcome"), widget=forms.Textarea, max_length=2000,
                           help_text=_("What the court decided. A correction is added as a "
                                       "new outcome; the earlier ones stay in the history."))


class RelativeForm(EncryptedLabels, forms.Form):
    vault_model = "cases.Relative"
    relationship = forms.ChoiceField(choices=Relationship.choices, label=_("Relationship"))
    name = forms.CharField(label=pgettext_lazy("relative", "Name"), max_length=300)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    contact = forms.CharField(label=_("Other contact"), widget=forms.Textarea, required=False)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea, required=False)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Name, case number, place"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), required=False)
    facility = forms.ModelChoiceField(queryset=Facility.objects.all(), required=False,
                                      label=_("Facility"), empty_label=_("any"))
    region = forms.ChoiceField(label=_("Region"), required=False)
    compartment = forms.ModelChoiceField(queryset=Compartment.objects.none(), required=False,
                                         label=_("Compartment"), empty_label=_("any"))
    overdue = forms.BooleanField(label=_("No sign of life"), required=False)

    def __init__(self, *args: Any, member: Member, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        statuses = [(s.code, s.label) for s in active_terms(CaseStatus)]
        self.fields["status"].choices = [("", _("any")), *statuses]  # type: ignore[attr-defined]
        regions = Facility.objects.exclude(region="").values_list("region", flat=True)
        self.fields["region"].choices = [  # type: ignore[attr-defined]
            ("", _("any")), *((r, r) for r in sorted(set(regions)))]
        field = self.fields["compartment"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Compartment.objects.filter(pk__in=member.compartment_ids())
