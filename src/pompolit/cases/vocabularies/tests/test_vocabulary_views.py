"""The vocabulary pages: coordinators list, add, edit, take out of use, delete; a used code is
shown fixed and cannot be changed by a forged POST; case workers are refused."""

import pytest
from django.urls import reverse

from pompolit.cases.models import CaseStatus, Regime
from pompolit.members.roles import Role


@pytest.fixture
def coordinator(founders):
    return founders[0]


def test_the_list_of_vocabularies(client_for, coordinator):
    page = client_for(coordinator).get(reverse("vocabulary_list")).content.decode()
    for title in ("Case statuses", "Event types", "Facility types", "Regimes"):
        assert title in page
    assert reverse("vocabulary_terms", args=["event-types"]) in page


def test_terms_page_shows_use_and_built_in(client_for, coordinator, exile):
    page = client_for(coordinator).get(reverse("vocabulary_terms", args=["statuses"]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "в ссылке" in text and "1 record" in text and "built in" in text
    # Used or built in: no delete button; an unused one has it.
    emigrated = CaseStatus.objects.get(code="emigrated")
    in_exile = CaseStatus.objects.get(code="in-exile")
    assert reverse("vocabulary_term_delete", args=["statuses", emigrated.pk]) in text
    assert reverse("vocabulary_term_delete", args=["statuses", in_exile.pk]) not in text


def test_unknown_vocabulary_is_404(client_for, coordinator):
    assert client_for(coordinator).get("/cases/vocabularies/charges/").status_code == 404
    url = reverse("vocabulary_term_edit", args=["regimes", 999999])
    assert client_for(coordinator).get(url).status_code == 404


def test_add_a_regime(client_for, coordinator):
    client = client_for(coordinator)
    response = client.post(reverse("vocabulary_term_new", args=["regimes"]), {
        "term-code": "prison-regime", "term-label_en": "prison", "term-label_ru": "тюремный режим",
        "term-position": 50,
    }, follow=True)
    assert "“prison” is added." in response.content.decode()
    assert Regime.objects.get(code="prison-regime").label_ru == "тюремный режим"


def test_add_refuses_a_taken_code_with_a_message(client_for, coordinator):
    response = client_for(coordinator).post(reverse("vocabulary_term_new", args=["regimes"]), {
        "term-code": "strict", "term-label_en": "strict again", "term-label_ru": "строгий",
        "term-position": 1,
    })
    assert response.status_code == 200
    assert "already exists" in response.content.decode()


def test_edit_a_used_status_code_is_fixed(client_for, coordinator, exile):
    in_exile = CaseStatus.objects.get(code="in-exile")
    client = client_for(coordinator)
    url = reverse("vocabulary_term_edit", args=["statuses", in_exile.pk])
    form = client.get(url).content.decode()
    assert "Fixed: the term is in use." in form and "disabled" in form
    # A forged POST with another code changes the labels, never the code.
    response = client.post(url, {"term-code": "exiled",
                                 "term-label_en": "in exile (administrative)",
                                 "term-label_ru": "в административной ссылке", "term-position": 60,
                                 "term-watch_sign_of_life": "on"}, follow=True)
    assert "Saved." in response.content.decode()
    in_exile.refresh_from_db()
    assert in_exile.code == "in-exile" and in_exile.label_ru == "в административной ссылке"


def test_take_out_of_use_and_back(client_for, coordinator, exile):
    in_exile = CaseStatus.objects.get(code="in-exile")
    client = client_for(coordinator)
    url = reverse("vocabulary_term_active", args=["statuses", in_exile.pk])
    response = client.post(url, {"active": "0"}, follow=True)
    assert "is no longer offered" in response.content.decode()
    assert not CaseStatus.objects.get(pk=in_exile.pk).is_active
    client.post(url, {"active": "1"})
    assert CaseStatus.objects.get(pk=in_exile.pk).is_active


def test_delete_refused_when_used_allowed_when_not(client_for, coordinator, exile):
    client = client_for(coordinator)
    in_exile = CaseStatus.objects.get(code="in-exile")
    response = client.post(reverse("vocabulary_term_delete", args=["statuses", in_exile.pk]),
                           follow=True)
    assert "cannot be deleted; take it out of use instead" in response.content.decode()
    emigrated = CaseStatus.objects.get(code="emigrated")
    client.post(reverse("vocabulary_term_delete", args=["statuses", emigrated.pk]))
    assert not CaseStatus.objects.filter(code="emigrated").exists()


def test_case_workers_are_refused(client_for, make_member, compartment):
    worker = make_member("Николай Кибальчич", Role.CASE_WORKER, compartments=[compartment])
    client = client_for(worker)
    assert client.get(reverse("vocabulary_list")).status_code in {403, 404}
    status = CaseStatus.objects.get(code="emigrated")
    assert client.post(reverse("vocabulary_term_delete",
                               args=["statuses", status.pk])).status_code in {403, 404}
    assert CaseStatus.objects.filter(code="emigrated").exists()


def test_russian_page(coordinator, client_for):
    client = client_for(coordinator)
    client.cookies["django_language"] = "ru"
    page = client.get(reverse("vocabulary_terms", args=["event-types"]),
                      HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "голодовка" in page and "получено письмо" in page
