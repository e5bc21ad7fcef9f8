"""The new-detainee form: the new-case form (`cases.forms.NewCaseForm`) and, beside it, the
arrest (date, place, facility — chosen or created here), the charge and a relative."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pompolit.cases.forms import NewCaseForm
from pompolit.cases.models import CaseStatus, Facility, FacilityType, Relationship
from pompolit.cases.partial import PartialDateFormField, check_event_date
from pompolit.cases.registration import services
from pompolit.cases.vocabularies.forms import TermChoiceField, active_terms
from pompolit.vault.fields.labels import mark_encrypted

NEW_FACILITY = "new"

# The form's sections, in order: (legend, fields). The template walks them.
SECTIONS = [
    (_("Who"), ["compartment", "surname", "given", "patronymic", "birth_date"]),
    (_("Arrest"), ["arrest_date", "arrest_place", "facility"]),
    (_("Charge"), ["charge_code", "charge_article", "charge_text"]),
    (_("The case"), ["status", "priority", "court", "case_number", "notes"]),
    (
        _("A relative"),
        ["relative_relationship", "relative_name", "relative_phone", "relative_contact"],
    ),
]
NEW_FACILITY_FIELDS = ["new_facility_name", "new_facility_region", "new_facility_type"]


def facility_label(facility: Facility) -> str:
    region = (
        f" ({facility.region})" if facility.region and facility.region not in facility.name else ""
    )
    return f"{facility.name}{region}"


class DetaineeForm(NewCaseForm):
    arrest_date = PartialDateFormField(
        label=_("Date of arrest"), required=False, check=check_event_date
    )
    arrest_place = forms.CharField(
        label=_("Place of arrest"),
        max_length=200,
        required=False,
        help_text=_("Where the person was detained: a town, an address, a rally."),
    )
    facility = forms.ChoiceField(
        label=_("Facility"),
        required=False,
        help_text=_(
            "Where the person is held now. Not in the list? Choose “A new facility” "
            "and describe it below."
        ),
    )
    new_facility_name = forms.CharField(
        label=_("Name of the new facility"),
        max_length=200,
        required=False,
        help_text=_("As written on envelopes, e.g. “ФКУ СИЗО-1 УФСИН России по г. Москве”."),
    )
    new_facility_region = forms.CharField(label=_("Its region"), max_length=120, required=False)
    new_facility_type = TermChoiceField(
        queryset=active_terms(FacilityType), label=_("Its type"), required=False
    )
    charge_code = forms.CharField(label=_("Code"), max_length=40, initial="УК РФ", required=False)
    charge_article = forms.CharField(
        label=_("Article"),
        max_length=40,
        required=False,
        help_text=_("E.g. 280.3 ч. 1, 207.3 ч. 2."),
    )
    charge_text = forms.CharField(label=_("Wording"), max_length=400, required=False)
    relative_relationship = forms.ChoiceField(
        label=_("Relationship"), required=False, choices=[("", "—"), *Relationship.choices]
    )
    relative_name = forms.CharField(label=_("Relative's name"), max_length=300, required=False)
    relative_phone = forms.CharField(label=_("Relative's phone"), max_length=40, required=False)
    relative_contact = forms.CharField(
        label=_("Other contact"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A new detainee is, first of all, detained.
        self.fields["status"].initial = CaseStatus.objects.filter(code="detained").first()
        field = self.fields["facility"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = (
            [("", _("— not known —"))]
            + [(str(f.pk), facility_label(f)) for f in Facility.objects.order_by("region", "name")]
            + [(NEW_FACILITY, _("A new facility (describe it below)"))]
        )
        mark_encrypted(
            self.fields,
            "",
            {
                "arrest_place": "cases.Event.place",
                "relative_name": "cases.Relative.name",
                "relative_phone": "cases.Relative.phone",
                "relative_contact": "cases.Relative.contact",
            },
        )

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(str(legend), [self[name] for name in names]) for legend, names in SECTIONS]

    def new_facility_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in NEW_FACILITY_FIELDS]

    def clean(self) -> dict[str, Any]:
        try:
            super().clean()
        except ValidationError as error:  # the name: said, and the other parts checked too
            self.add_error(None, error)
        data = self.cleaned_data
        errors: dict[str, str] = {}
        choice = data.get("facility") or ""
        if choice == NEW_FACILITY:
            if not (data.get("new_facility_name") or "").strip():
                errors["new_facility_name"] = str(
                    _("Give the new facility's name, or choose one from the list.")
                )
            if not data.get("new_facility_type"):
                errors["new_facility_type"] = str(_("Choose the new facility's type."))
        elif choice and not Facility.objects.filter(pk=choice).exists():
            errors["facility"] = str(_("That facility is no longer in the list; choose again."))
        if (
            (choice or data.get("arrest_place"))
            and not data.get("arrest_date")
            and "arrest_date" not in self.errors
        ):
            errors["arrest_date"] = str(
                _(
                    "Give the date of the arrest — a year is enough — to "
                    "put the place and the facility on the timeline."
                )
            )
        if (data.get("charge_text") or "").strip() and not (
            data.get("charge_article") or ""
        ).strip():
            errors["charge_article"] = str(_("Give the article the wording belongs to."))
        if self._has_relative(data):
            if not data.get("relative_relationship"):
                errors["relative_relationship"] = str(_("Say who the relative is to the prisoner."))
            if not (data.get("relative_name") or "").strip():
                errors["relative_name"] = str(_("Give the relative's name, or how they are known."))
        for name, message in errors.items():
            self.add_error(name, message)
        return data

    @staticmethod
    def _has_relative(data: dict[str, Any]) -> bool:
        return any(
            (data.get(name) or "").strip()
            for name in (
                "relative_relationship",
                "relative_name",
                "relative_phone",
                "relative_contact",
            )
        )

    # -- what the service takes ------------------------------------------------------------

    def arrest(self) -> services.Arrest | None:
        data = self.cleaned_data
        if not data.get("arrest_date"):
            return None
        choice = data.get("facility") or ""
        facility: Facility | services.NewFacility | None = None
        if choice == NEW_FACILITY:
            facility = services.NewFacility(
                name=data["new_facility_name"],
                type=data["new_facility_type"],
                region=data.get("new_facility_region") or "",
            )
        elif choice:
            facility = Facility.objects.get(pk=choice)
        return services.Arrest(
            date=data["arrest_date"], place=data.get("arrest_place") or "", facility=facility
        )

    def charge(self) -> services.Charge | None:
        data = self.cleaned_data
        article = (data.get("charge_article") or "").strip()
        if not article:
            return None
        return services.Charge(
            article=article,
            code=(data.get("charge_code") or "").strip() or "УК РФ",
            text=(data.get("charge_text") or "").strip(),
        )

    def relative(self) -> services.Relative | None:
        data = self.cleaned_data
        if not self._has_relative(data):
            return None
        return services.Relative(
            relationship=data["relative_relationship"],
            name=data["relative_name"],
            phone=data.get("relative_phone") or "",
            contact=data.get("relative_contact") or "",
        )

    def case_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {name: data[name] for name in ("priority", "court", "case_number", "notes")}
