"""A detention's page: what is known, its history and reports; status, lawyer, escalation."""

import pytest
from django.urls import reverse

from pompolit.audit.models import AuditEntry
from pompolit.cases.models import Case
from pompolit.intake.models import Status
from pompolit.intake.services import RelativeEntry, change_status, record_report
from pompolit.intake.testing import entry
from pompolit.members.roles import Role


@pytest.fixture
def detention(operator, hotline, stations):
    return record_report(
        operator,
        hotline,
        entry(
            "Лебедев Кирилл Андреевич",
            birth="1998",
            facility=stations["tverskoy"],
            medicine="сальбутамол",
            text="Звонок от мамы",
            relative=RelativeEntry("mother", "Лебедева Нина", "+7 903 555-12-34"),
        ),
        reporter="relative",
    ).detention


def url(detention, name="intake_detention"):
    return reverse(name, args=[detention.compartment.slug, detention.pk])


def test_the_page_shows_history_relatives_and_reports_and_records_the_reading(
    client_for, operator, detention
):
    page = client_for(operator).get(url(detention)).content.decode()
    assert "Лебедев Кирилл Андреевич" in page and "Лебедева Нина" in page
    assert "сальбутамол" in page and "Звонок от мамы" in page
    assert "at the police station" in page
    read = AuditEntry.objects.filter(action="read.sensitive").latest("seq")
    assert read.object_id == str(detention.pk) and read.actor_id == operator.pk


def test_the_status_form_offers_only_the_allowed_next_steps(client_for, operator, detention):
    page = client_for(operator).get(url(detention)).content.decode()
    assert 'value="held-overnight"' in page and 'value="detained"' not in page


def test_a_status_change_is_recorded_and_a_forbidden_one_explained(client_for, operator, detention):
    client = client_for(operator)
    client.post(url(detention, "intake_detention_status"), {"status": "released"})
    detention.refresh_from_db()
    assert detention.status == Status.RELEASED
    response = client.post(
        url(detention, "intake_detention_status"), {"status": "at-station"}, follow=True
    )
    assert "Pick one of the statuses offered." in response.content.decode()
    assert detention.history.count() == 3


def test_a_lawyer_is_assigned(client_for, operator, detention):
    client_for(operator).post(
        url(detention, "intake_detention_lawyer"), {"lawyer": "Павлова Мария Ивановна"}
    )
    detention.refresh_from_db()
    assert detention.has_lawyer and detention.lawyer == "Павлова Мария Ивановна"


def test_escalation_opens_the_case_and_goes_to_it(
    client_for, make_member, hotline, compartment, detention
):
    duty = make_member(
        "Вера Засулич", Role.HOTLINE_OPERATOR, Role.CASE_WORKER, compartments=[hotline, compartment]
    )
    change_status(duty, detention, Status.CRIMINAL_CASE)
    client = client_for(duty)
    assert "Open a case in the registry" in client.get(url(detention)).content.decode()
    response = client.post(
        url(detention, "intake_detention_escalate"), {"compartment": compartment.pk}
    )
    case = Case.objects.get()
    assert response["Location"] == reverse("case_detail", args=[compartment.slug, case.pk])


def test_an_operator_without_the_case_worker_role_is_not_offered_escalation(
    client_for, operator, detention, compartment
):
    change_status(operator, detention, Status.CRIMINAL_CASE)
    client = client_for(operator)
    assert "Open a case in the registry" not in client.get(url(detention)).content.decode()
    client.post(url(detention, "intake_detention_escalate"), {"compartment": compartment.pk})
    assert not Case.objects.exists()


def test_other_hotlines_operators_and_case_workers_are_refused(
    client_for, make_member, hotline, spb_operator, detention
):
    worker = make_member("Николай Морозов", Role.CASE_WORKER, compartments=[hotline])
    for member in (spb_operator, worker):
        assert client_for(member).get(url(detention)).status_code in {403, 404}


def test_who_may_open_the_case_is_said_to_an_operator_who_may_not(client_for, operator, detention):
    change_status(operator, detention, Status.CRIMINAL_CASE)
    page = client_for(operator).get(url(detention)).content.decode()
    assert "by a case worker who has access to this hotline and to a registry compartment" in page


def test_a_case_worker_without_a_registry_compartment_is_told_too(
    client_for, make_member, hotline, detention
):
    duty = make_member(
        "Вера Засулич", Role.HOTLINE_OPERATOR, Role.CASE_WORKER, compartments=[hotline]
    )
    change_status(duty, detention, Status.CRIMINAL_CASE)
    page = client_for(duty).get(url(detention)).content.decode()
    assert "Open a case in the registry" not in page
    assert "to a registry compartment" in page


def test_no_word_on_escalation_before_a_criminal_case(client_for, operator, detention):
    page = client_for(operator).get(url(detention)).content.decode()
    assert "registry compartment" not in page


def where_now(page):
    """The text of the "Where now" line, and the police station line when there is one."""
    start = page.index("<dt>Where now</dt>")
    return " ".join(page[start : page.index("<dt>Van number</dt>")].split())


def test_at_the_station_the_station_is_where_they_are(client_for, operator, detention):
    line = where_now(client_for(operator).get(url(detention)).content.decode())
    assert line == "<dt>Where now</dt> <dd>ОВД «Тверской»</dd>"


def test_after_administrative_arrest_the_station_is_no_longer_where_they_are(
    client_for, operator, detention
):
    change_status(operator, detention, Status.COURT_HEARING)
    client = client_for(operator)
    line = where_now(client.get(url(detention)).content.decode())
    assert "<dd>court</dd>" in line
    assert 'ОВД «Тверской» <span class="muted small">(earlier)' in line
    response = client.post(
        url(detention, "intake_detention_status"),
        {"status": "admin-arrest", "arrest_days": "15"},
        follow=True,
    )
    assert "Status changed." in response.content.decode()
    line = where_now(response.content.decode())
    assert "<dd>special detention centre · 15 days of arrest</dd>" in line
    assert "(earlier)" in line
    client.post(url(detention, "intake_detention_status"), {"status": "released"})
    line = where_now(client.get(url(detention)).content.decode())
    assert "<dd>released</dd>" in line and "days of arrest" not in line


def test_administrative_arrest_needs_its_days(client_for, operator, detention):
    change_status(operator, detention, Status.COURT_HEARING)
    response = client_for(operator).post(
        url(detention, "intake_detention_status"), {"status": "admin-arrest"}, follow=True
    )
    assert "Say for how many days." in response.content.decode()
    detention.refresh_from_db()
    assert detention.status == Status.COURT_HEARING
