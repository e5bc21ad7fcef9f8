"""The consent page on a case: a case worker of the compartment records and withdraws consent;
nobody else can, and every change is in the audit trail."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pompolit.audit.models import AuditEntry
from pompolit.cases.models import Consent
from pompolit.cases.public import consent


def client_for(member):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["django_language"] = "en"
    if member is not None:
        client.force_login(member)
    return client


def url(name, case, slug=None):
    return reverse(name, kwargs={"compartment": slug or case.compartment.slug, "pk": case.pk})


def test_the_case_page_links_to_the_consent_page(worker, exile):
    page = client_for(worker).get(url("case_detail", exile)).content.decode()
    assert url("case_consent", exile) in page


def test_a_case_worker_records_a_consent(worker, exile):
    client = client_for(worker)
    response = client.get(url("case_consent", exile))
    assert response.status_code == 200 and "nothing about this case is public" in (
        response.content.decode())
    response = client.post(url("case_consent", exile), {
        "given_by": "relative", "given_on": timezone.localdate().isoformat(),
        "scope": ["name", "charges", "story"], "story_ru": "Пишите Анне Петровне.",
    })
    assert response.status_code == 302
    given = consent.current(exile)
    assert given is not None and given.scope == ["charges", "name", "story"]
    assert given.story_ru == "Пишите Анне Петровне." and given.recorded_by == worker
    page = client.get(url("case_consent", exile)).content.decode()
    assert reverse("public_case", args=[exile.public_id]) in page and "given by a relative" in page
    assert AuditEntry.objects.filter(action="cases.consent_given", actor_id=worker.pk).exists()


def test_an_invalid_consent_shows_the_form_again(worker, exile):
    response = client_for(worker).post(url("case_consent", exile), {
        "given_by": "prisoner", "given_on": timezone.localdate().isoformat(),
        "scope": ["birthday"],
    })
    assert response.status_code == 200
    assert "A public page needs at least the name." in response.content.decode()
    assert not Consent.objects.exists()


def test_a_case_worker_withdraws_the_consent(worker, exile):
    consent.give(worker, exile, given_by="prisoner", given_on=timezone.localdate(),
                 scope=["name"])
    client = client_for(worker)
    response = client.post(url("case_consent_withdraw", exile), {"given_by": "prisoner"})
    assert response.status_code == 302
    assert consent.current(exile) is None and Consent.objects.count() == 2
    assert AuditEntry.objects.filter(action="cases.consent_withdrawn", actor_id=worker.pk).exists()
    page = client.get(url("case_consent", exile)).content.decode()
    assert "withdrawn by the prisoner" in page
    assert client_for(None).get(reverse("public_case", args=[exile.public_id])).status_code == 404


def test_withdrawing_nothing_says_so(worker, exile):
    response = client_for(worker).post(url("case_consent_withdraw", exile),
                                       {"given_by": "prisoner"}, follow=True)
    assert "There is no consent in force to withdraw." in response.content.decode()


@pytest.mark.parametrize("name", ["case_consent", "case_consent_withdraw"])
def test_a_case_worker_of_another_compartment_gets_404(name, outsider, exile, moscow):
    client = client_for(outsider)
    for slug in (exile.compartment.slug, moscow.slug):
        assert client.post(url(name, exile, slug), {
            "given_by": "prisoner", "given_on": timezone.localdate().isoformat(),
            "scope": ["name"]}).status_code == 404
    assert not Consent.objects.exists()


def test_anonymous_visitors_cannot_record_consent(exile):
    response = client_for(None).post(url("case_consent", exile), {
        "given_by": "prisoner", "given_on": timezone.localdate().isoformat(), "scope": ["name"]})
    assert response.status_code in {302, 403, 404}
    assert not Consent.objects.exists()
