"""The case workers' pages: each one renders, forms write through the services, and a case
worker of another compartment gets 404 on every URL of a case that is not theirs."""

import pytest
from django.urls import reverse

from pompolit.audit.models import AuditEntry
from pompolit.cases.models import Case, Event

CASE_PAGES = ["case_detail", "case_edit", "case_private", "case_event_add", "case_name_add",
              "case_charge_add", "case_relative_add"]


def case_url(name, case, slug=None, **extra):
    return reverse(name, kwargs={"compartment": slug or case.compartment.slug, "pk": case.pk,
                                 **extra})


def test_every_page_renders_for_the_case_worker(unsealed_vault, worker, exile, facilities,
                                                client_for):
    client = client_for(worker)
    for url in [reverse("case_list"), reverse("case_new"), reverse("cases_overdue"),
                reverse("facility_list"), reverse("facility_new"),
                reverse("facility_detail", args=[facilities["orenburg"].pk]),
                reverse("facility_rule_add", args=[facilities["orenburg"].pk]),
                *(case_url(name, exile) for name in CASE_PAGES)]:
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(case_url("case_detail", exile)).content.decode()
    assert "Ремизова Анна Петровна" in page and "Оренбург, место ссылки" in page
    assert "Сослана на три года" in page


@pytest.mark.parametrize("name", CASE_PAGES)
def test_a_case_worker_of_another_compartment_gets_404(name, outsider, exile, moscow,
                                                       client_for):
    client = client_for(outsider)
    # By the case's own compartment (the policy refuses) and by their own (the view does).
    for slug in (exile.compartment.slug, moscow.slug):
        assert client.get(case_url(name, exile, slug)).status_code == 404
        posted = client.post(case_url(name, exile, slug), {"notes": "x"}).status_code
        # The case page takes no POST at all: 405 whether the case exists or not.
        assert posted == (405 if name == "case_detail" and slug == moscow.slug else 404)
    event = exile.events.first()
    for slug in (exile.compartment.slug, moscow.slug):
        url = case_url("case_event_remove", exile, slug, event=event.pk)
        assert client.post(url).status_code == 404
    assert Event.objects.filter(pk=event.pk).exists()
    assert not AuditEntry.objects.filter(action="read.sensitive").exists()


def test_the_list_and_search_show_only_visible_cases(worker, outsider, exile, client_for):
    page = client_for(worker).post(reverse("case_list"), {"q": "Remizova"}).content.decode()
    assert "Ремизова Анна Петровна" in page
    page = client_for(outsider).post(reverse("case_list"), {"q": "Remizova"}).content.decode()
    assert "Ремизова" not in page and "Nothing found in your compartments." in page


def test_opening_a_case_through_the_form(worker, compartment, client_for):
    response = client_for(worker).post(reverse("case_new"), {
        "compartment": compartment.pk, "surname": "Чернышёв", "given": "Алексей",
        "patronymic": "Игоревич", "birth_date": "02.04.1987", "status": "",
        "priority": "2", "case_number": "1-7/2023",
    })
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    from pompolit.cases.models import CaseStatus

    response = client_for(worker).post(reverse("case_new"), {
        "compartment": compartment.pk, "surname": "Чернышёв", "given": "Алексей",
        "patronymic": "Игоревич", "birth_date": "02.04.1987",
        "status": CaseStatus.objects.get(code="detained").pk, "priority": "2",
        "case_number": "1-7/2023",
    })
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == case_url("case_detail", case)
    assert str(case.person.birth_date) == "1987-04-02"


def test_an_impossible_event_is_shown_as_an_error_on_the_form(worker, exile, client_for):
    from pompolit.cases.models import EventType

    response = client_for(worker).post(case_url("case_event_add", exile), {
        "type": EventType.objects.get(code="release").pk, "date": "1921",
    })
    assert response.status_code == 200
    assert "Release on 1921: the person is not in custody then" in response.content.decode()
    assert exile.events.count() == 4


def test_editing_the_case(worker, exile, client_for):
    from pompolit.cases.models import CaseStatus

    response = client_for(worker).post(case_url("case_edit", exile), {
        "status": CaseStatus.objects.get(code="in-exile").pk, "priority": "1",
        "birth_date": "1897-05", "sentence_term": "3 года ссылки", "opened_on": "1922-03-01",
        "case_number": exile.case_number,
    })
    assert response.status_code == 302, response.content.decode()
    exile.refresh_from_db()
    assert exile.priority == 1 and str(exile.person.birth_date) == "1897-05"


def test_the_private_page_logs_the_reading_and_saves_needs(unsealed_vault, worker, exile,
                                                           client_for):
    client = client_for(worker)
    client.post(case_url("case_relative_add", exile), {
        "relationship": "sibling", "name": "Ремизова Мария", "phone": "+7 912 345-67-89"})
    page = client.get(case_url("case_private", exile)).content.decode()
    assert "Ремизова Мария" in page and "+7 912 345-67-89" in page
    assert AuditEntry.objects.filter(action="read.sensitive", sensitive_read=True).exists()
    client.post(case_url("case_private", exile), {"needs": "тёплые вещи", "diet": "без соли"})
    exile.refresh_from_db()
    assert exile.needs == "тёплые вещи" and exile.needs_structured == {"diet": "без соли"}
    # The case page itself decrypts nothing.
    reads = AuditEntry.objects.filter(action="read.sensitive").count()
    assert "Ремизова Мария" not in client.get(case_url("case_detail", exile)).content.decode()
    assert AuditEntry.objects.filter(action="read.sensitive").count() == reads


def test_a_facility_rule_through_the_form(worker, facilities, client_for):
    ik6 = facilities["ik6"]
    response = client_for(worker).post(reverse("facility_rule_add", args=[ik6.pk]), {
        "valid_from": "2022-07-17", "max_parcel_kg": "20", "parcels_per_period": "6",
        "period_months": "12", "banned_items": "алкоголь\nсим-карты", "money_currency": "rub",
        "letter_languages": "ru",
    })
    assert response.status_code == 302
    rule = ik6.rules.get()
    assert rule.max_parcel_grams == 20000 and rule.banned_items == ["алкоголь", "сим-карты"]
    page = client_for(worker).get(reverse("facility_detail", args=[ik6.pk]),
                                  {"on": "2023-01-01"}).content.decode()
    assert "сим-карты" in page and "644010" in page


@pytest.mark.parametrize("born", ["2999", "1799", "12.2999"])
def test_a_birth_date_in_the_future_or_before_1800_is_refused_on_the_form(
        worker, compartment, client_for, born):
    from pompolit.cases.models import CaseStatus

    response = client_for(worker).post(reverse("case_new"), {
        "compartment": compartment.pk, "surname": "Чернышёв", "given": "Алексей",
        "birth_date": born, "status": CaseStatus.objects.get(code="detained").pk,
        "priority": "2"})
    assert response.status_code == 200 and not Case.objects.exists()
    assert "Expected a date of birth" in response.content.decode()


def test_an_event_in_the_far_future_is_refused_on_the_form(worker, exile, client_for):
    from pompolit.cases.models import EventType

    response = client_for(worker).post(case_url("case_event_add", exile), {
        "type": EventType.objects.get(code="hearing").pk, "date": "2999"})
    assert response.status_code == 200
    assert "Expected a date at most 30 years ahead" in response.content.decode()
    assert exile.events.count() == 4


def test_a_name_with_a_nul_byte_is_refused_not_a_server_error(worker, compartment, client_for):
    from pompolit.cases.models import CaseStatus

    response = client_for(worker).post(reverse("case_new"), {
        "compartment": compartment.pk, "surname": "Чернышёв\x00", "given": "Алексей",
        "status": CaseStatus.objects.get(code="detained").pk, "priority": "2"})
    assert response.status_code == 200 and not Case.objects.exists()
    assert "U+0000" in response.content.decode()
