"""The operators' quarantine: the queue, a report with its matches, accept / link / reject —
each audited — and nothing the public typed ever shown unescaped."""

from dataclasses import fields
from typing import Any

import pytest
from django.urls import reverse

from pompolit.audit.models import AuditEntry
from pompolit.intake.models import Channel, Detention, Quarantine
from pompolit.intake.public import services
from pompolit.intake.public.tests.conftest import answered
from pompolit.intake.services import record_report
from pompolit.intake.testing import entry

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def submit(**changes: Any) -> Any:
    return services.submit_public_report(answered(**changes), channel=Channel.WEB_FORM).report


def review_url(report: Any) -> str:
    return reverse("intake_quarantine_report", args=[report.compartment.slug, report.pk])


def test_the_queue_lists_what_waits_oldest_first(client_for: Any, operator: Any,
                                                 hotline: Any) -> None:
    first, second = submit(), submit(surname="Лебедев", given="Кирилл")
    page = client_for(operator).get(reverse("intake_quarantine", args=[hotline.slug]))
    body = page.content.decode()
    assert page.status_code == 200
    assert body.index(f"#{first.pk}<") < body.index(f"#{second.pk}<")


def test_a_report_shows_its_matches_and_links_to_one(
    client_for: Any, operator: Any, hotline: Any, stations: Any
) -> None:
    known = record_report(operator, hotline, entry(birth="2001"), reporter="lawyer").detention
    report = submit()
    client = client_for(operator)
    page = client.get(review_url(report)).content.decode()
    assert "Add to this detention" in page and f'value="{known.pk}"' in page
    assert "water, phone charger" in page
    assert AuditEntry.objects.filter(action="read.sensitive", object_id=str(report.pk)).exists()
    response = client.post(review_url(report), {"action": "link", "detention": known.pk})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.detention == known and report.quarantine == Quarantine.ACCEPTED
    assert AuditEntry.objects.filter(action="intake.public_report_linked").count() == 1


def test_accepting_opens_a_detention(client_for: Any, operator: Any, hotline: Any) -> None:
    report = submit()
    response = client_for(operator).post(review_url(report), {"action": "accept"})
    detention = Detention.objects.get()
    assert response["Location"] == reverse("intake_detention", args=[hotline.slug, detention.pk])
    assert AuditEntry.objects.filter(action="intake.public_report_accepted").count() == 1


def test_rejecting_needs_a_reason(client_for: Any, operator: Any, hotline: Any) -> None:
    report = submit()
    client = client_for(operator)
    assert client.post(review_url(report), {"action": "reject"}).status_code == 400
    rejected = client.post(review_url(report), {"action": "reject", "reason": "spam"})
    assert rejected.status_code == 302
    report.refresh_from_db()
    assert report.quarantine == Quarantine.REJECTED and report.rejection == "spam"
    assert AuditEntry.objects.filter(action="intake.public_report_rejected").count() == 1
    assert client.post(review_url(report), {"action": "accept"}).status_code == 400


def test_another_hotlines_operator_sees_nothing(
    client_for: Any, spb_operator: Any, hotline: Any
) -> None:
    report = submit()
    client = client_for(spb_operator)
    queue = client.get(reverse("intake_quarantine", args=[hotline.slug]))
    assert queue.status_code in {302, 403, 404}
    assert client.get(review_url(report)).status_code in {302, 403, 404}


TEXT_FIELDS = [
    f.name for f in fields(services.PublicAnswers)
    if f.type == "str" and f.name not in {"reporter", "city", "birth", "consent"}
]


def test_every_free_text_field_is_escaped_on_the_review_and_detention_pages(
    client_for: Any, operator: Any, hotline: Any
) -> None:
    report = submit(**{name: f"{name} {XSS}" for name in TEXT_FIELDS})
    client = client_for(operator)
    pages = [client.get(review_url(report)).content.decode()]
    services.accept_as_new(operator, report)
    detention = Detention.objects.get()
    pages.append(
        client.get(reverse("intake_detention", args=[hotline.slug, detention.pk]))
        .content.decode()
    )
    pages.append(client.get(reverse("intake_board", args=[hotline.slug])).content.decode())
    pages.append(client.get(reverse("intake_console", args=[hotline.slug])).content.decode())
    for page in pages:
        assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert" in pages[0]
    for name in TEXT_FIELDS:
        assert f"{name} &lt;script&gt;" in pages[0], name
    assert "note &lt;script&gt;" in pages[1]


def test_each_decision_is_confirmed_on_the_next_page(
    client_for: Any, operator: Any, hotline: Any
) -> None:
    client = client_for(operator)
    known = record_report(operator, hotline, entry(birth="2001"), reporter="lawyer").detention
    accepted, linked, rejected = submit(), submit(), submit(surname="Лебедев", given="Кирилл")
    page = client.post(review_url(accepted), {"action": "accept"}, follow=True)
    detention = Detention.objects.get(reports=accepted)
    assert (f"Report #{accepted.pk} accepted: it is now detention #{detention.pk}."
            in page.content.decode())
    page = client.post(
        review_url(linked), {"action": "link", "detention": known.pk}, follow=True)
    assert f"Report #{linked.pk} added to detention #{known.pk}." in page.content.decode()
    page = client.post(review_url(rejected), {"action": "reject", "reason": "spam"}, follow=True)
    assert page.redirect_chain[-1][0] == reverse("intake_quarantine", args=[hotline.slug])
    assert f"Report #{rejected.pk} rejected: it is not counted." in page.content.decode()


def test_the_confirmation_speaks_russian(client_for: Any, operator: Any, hotline: Any) -> None:
    client = client_for(operator)
    client.cookies["django_language"] = "ru"
    report = submit()
    page = client.post(review_url(report), {"action": "reject", "reason": "spam"}, follow=True,
                       HTTP_ACCEPT_LANGUAGE="ru")
    assert f"Сообщение №{report.pk} отклонено" in page.content.decode()
