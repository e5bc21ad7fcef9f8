"""The new-detainee page (issue 13, point 6): one form registers the person, the case, the arrest
with its date and place, the facility (chosen, or created only when asked for), the charge and a
relative — in one transaction; a mistake shows the form again as typed, the field named."""

from typing import Any

import pytest
from django.urls import reverse

from pompolit.audit.models import AuditEntry
from pompolit.cases.models import Case, CaseStatus, Charge, Event, Facility, FacilityType, Person
from pompolit.cases.services import read_private
from pompolit.vault.keys import services as vault

URL = reverse("case_new")


def form(compartment, **changes: Any) -> dict[str, Any]:
    data = {
        "compartment": compartment.pk,
        "surname": "Чернышёв",
        "given": "Алексей",
        "patronymic": "Игоревич",
        "birth_date": "02.04.1987",
        "status": CaseStatus.objects.get(code="detained").pk,
        "priority": "2",
        "court": "Мещанский районный суд",
        "case_number": "1-7/2023",
        "notes": "",
        "arrest_date": "03.2023",
        "arrest_place": "Москва, Пушкинская площадь",
        "facility": "",
        "new_facility_name": "",
        "new_facility_region": "",
        "new_facility_type": "",
        "charge_code": "УК РФ",
        "charge_article": "207.3 ч. 2",
        "charge_text": "распространение заведомо ложной информации",
        "relative_relationship": "mother",
        "relative_name": "Чернышёва Ольга Петровна",
        "relative_phone": "+7 912 345-67-89",
        "relative_contact": "",
    }
    data.update(changes)
    return data


def test_one_form_registers_the_person_case_arrest_charge_and_relative(
    worker, compartment, facilities, client_for
):
    ik6 = facilities["ik6"]
    response = client_for(worker).post(URL, form(compartment, facility=str(ik6.pk)))
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("case_detail", args=[compartment.slug, case.pk])
    assert str(case.person.birth_date) == "1987-04-02" and case.case_number == "1-7/2023"
    arrest = Event.objects.get(case=case)
    assert arrest.type.code == "arrest" and str(arrest.date) == "2023-03"
    assert arrest.place == "Москва, Пушкинская площадь" and arrest.facility == ik6
    assert case.current_facility == ik6 and case.in_custody_since.isoformat() == "2023-03-01"
    charge = Charge.objects.get(case=case)
    assert (charge.code, charge.article) == ("УК РФ", "207.3 ч. 2")
    relative = read_private(worker, case)["relatives"][0]
    assert relative["name"] == "Чернышёва Ольга Петровна"
    assert relative["phone"] == "+7 912 345-67-89"
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "cases.case_opened",
        "cases.event_added",
        "cases.charge_added",
        "cases.relative_added",
    } <= actions


def test_a_new_facility_is_created_only_when_asked_for(worker, compartment, client_for):
    colony = FacilityType.objects.get(code="colony")
    response = client_for(worker).post(
        URL,
        form(
            compartment,
            facility="new",
            new_facility_name="ФКУ ИК-2 УФСИН России по Рязанской области",
            new_facility_region="Рязанская область",
            new_facility_type=colony.pk,
        ),
    )
    assert response.status_code == 302
    facility = Facility.objects.get()
    assert (facility.region, facility.type) == ("Рязанская область", colony)
    assert Case.objects.get().current_facility == facility
    # Words typed in the new facility's boxes are not a facility unless "new" is chosen.
    client_for(worker).post(URL, form(compartment, surname="Иванов", new_facility_name="СИЗО-1"))
    assert Facility.objects.count() == 1 and Case.objects.count() == 2


def test_the_relative_and_the_charge_are_optional(worker, compartment, client_for):
    response = client_for(worker).post(
        URL,
        form(
            compartment,
            arrest_date="",
            arrest_place="",
            charge_article="",
            charge_text="",
            relative_relationship="",
            relative_name="",
            relative_phone="",
        ),
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert not case.events.exists() and not case.charges.exists()
    assert not case.relatives.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"facility": "new"}, "new_facility_name", "Give the new facility"),
        ({"arrest_date": ""}, "arrest_date", "Give the date of the arrest"),
        ({"arrest_date": "31.02.2023"}, "arrest_date", "is not a date"),
        ({"relative_name": ""}, "relative_name", "Give the relative"),
        ({"charge_article": ""}, "charge_article", "Give the article"),
        ({"surname": "", "given": ""}, None, "Give at least a surname or a given name."),
    ],
)
def test_a_mistake_names_the_field_and_keeps_what_was_typed(
    worker, compartment, client_for, changes, field, message
):
    response = client_for(worker).post(URL, form(compartment, **changes))
    page = response.content.decode()
    assert response.status_code == 200 and message in page
    if field:
        assert f'id="id_{field}_error"' in page
        assert "Nothing is saved yet. Please correct the marked fields below." in page
    assert "Мещанский районный суд" in page and "Пушкинская площадь" in page
    assert not Case.objects.exists() and not Person.objects.exists()


def test_every_mistake_is_said_at_once(worker, compartment, client_for):
    page = (
        client_for(worker)
        .post(URL, form(compartment, surname="", given="", arrest_date="", relative_name=""))
        .content.decode()
    )
    assert "Give at least a surname or a given name." in page
    assert 'id="id_arrest_date_error"' in page and 'id="id_relative_name_error"' in page


def test_a_failing_part_leaves_nothing_behind(worker, compartment, client_for, monkeypatch):
    """The relative is refused last, after the facility, the case and the arrest were written:
    all of it is rolled back, and the form says which field."""
    from django.core.exceptions import ValidationError

    from pompolit.cases import services

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise ValidationError({"phone": "Expected a phone number."})

    monkeypatch.setattr(services, "add_relative", refuse)
    colony = FacilityType.objects.get(code="colony")
    response = client_for(worker).post(
        URL,
        form(
            compartment,
            facility="new",
            new_facility_name="ФКУ ИК-2 УФСИН России по Рязанской области",
            new_facility_type=colony.pk,
        ),
    )
    page = response.content.decode()
    assert response.status_code == 200 and 'id="id_relative_phone_error"' in page
    assert not Case.objects.exists() and not Facility.objects.exists()
    assert not Event.objects.exists()


def test_a_sealed_vault_keeps_the_form_as_typed(worker, compartment, client_for):
    client = client_for(worker)
    vault.seal()
    response = client.post(URL, form(compartment))
    page = response.content.decode()
    assert response.status_code == 200 and "The vault is sealed" in page
    assert "Чернышёва Ольга Петровна" in page and not Case.objects.exists()


def test_a_compartment_not_granted_is_not_offered(worker, outsider, moscow, client_for):
    response = client_for(worker).post(URL, form(moscow))
    assert response.status_code == 200 and not Case.objects.exists()
    assert "Select a valid choice" in response.content.decode()


def test_the_page_has_a_place_for_possible_matches_and_a_searchable_facility_list(
    worker, facilities, client_for
):
    page = client_for(worker).get(URL).content.decode()
    assert 'id="possible-matches"' in page and 'data-filter-for="id_facility"' in page
    assert "ФКУ ИК-6 УФСИН России по Омской области" in page
    assert 'value="new"' in page
