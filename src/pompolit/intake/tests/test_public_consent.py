"""Names on the public counts only with consent (intake/consent.py): recorded by an operator,
audited, withdrawable at once; never a minor; a public report's claim publishes nothing. And
counts.json answers HEAD and any site's browser."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from pompolit.audit.models import AuditEntry
from pompolit.intake import consent
from pompolit.intake.models import Channel, Detention
from pompolit.intake.public import services as public
from pompolit.intake.public.tests.conftest import answered
from pompolit.intake.services import record_report
from pompolit.intake.testing import entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def detention(operator: Any, hotline: Any, stations: Any, pushkin_square: Any) -> Detention:
    return record_report(
        operator,
        hotline,
        entry(
            "Лебедев Кирилл Андреевич",
            birth="1998",
            facility=stations["tverskoy"],
            event=pushkin_square,
        ),
        reporter="relative",
    ).detention


def public_json() -> dict[str, Any]:
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(reverse("intake_public_counts"))
    assert response.status_code == 200
    return response.json()


def page_url(detention: Detention) -> str:
    return reverse("intake_detention", args=[detention.compartment.slug, detention.pk])


def name_url(detention: Detention) -> str:
    return reverse("intake_detention_public_name", args=[detention.compartment.slug, detention.pk])


def test_nobody_is_named_without_the_operators_record(detention: Any) -> None:
    assert public_json()["named"] == []
    assert "Лебедев" not in Client().get(reverse("intake_public_counts_page")).content.decode()


def test_an_operator_names_and_withdraws_and_the_counts_follow_at_once(
    client_for: Any, operator: Any, detention: Any
) -> None:
    client = client_for(operator)
    page = client.get(page_url(detention)).content.decode()
    assert 'id="h-public-name"' in page and name_url(detention) in page
    # Without the tick nothing changes.
    client.post(name_url(detention), {"action": "consent"})
    assert public_json()["named"] == []
    client.post(name_url(detention), {"action": "consent", "confirmed": "1"})
    detention.refresh_from_db()
    assert detention.named_publicly_by == operator and detention.named_publicly_at
    named = public_json()["named"]
    assert named == [
        {
            "name": "Лебедев Кирилл Андреевич",
            "day": detention.detained_on.isoformat(),
            "city": "Москва",
            "event": "Антивоенная акция на Пушкинской площади",
            "status": "at-station",
            "status_label": "at the police station",
        }
    ]
    shown = Client().get(reverse("intake_public_counts_page")).content.decode()
    assert "Лебедев Кирилл Андреевич" in shown
    assert "1998" not in shown and "Тверской" not in shown  # no birth date, no station
    client.post(name_url(detention), {"action": "withdraw"})
    assert public_json()["named"] == []
    assert "Лебедев" not in Client().get(reverse("intake_public_counts_page")).content.decode()
    actions = list(
        AuditEntry.objects.filter(action__startswith="intake.public_name").values_list(
            "action", flat=True
        )
    )
    assert actions == ["intake.public_name_consented", "intake.public_name_withdrawn"]


def test_a_minor_is_never_named(operator: Any, detention: Any) -> None:
    consent.consent_to_name(operator, detention)
    Detention.objects.filter(pk=detention.pk).update(is_minor=True)  # learnt later
    assert public_json()["named"] == []
    detention.refresh_from_db()
    consent.withdraw_name(operator, detention)
    with pytest.raises(Exception, match="minor"):
        consent.consent_to_name(operator, detention)


def test_only_the_hotlines_operators_record_consent(
    client_for: Any, spb_operator: Any, detention: Any
) -> None:
    response = client_for(spb_operator).post(
        name_url(detention), {"action": "consent", "confirmed": "1"}
    )
    assert response.status_code in (403, 404)
    assert public_json()["named"] == []
    assert Client().post(
        name_url(detention), {"action": "consent", "confirmed": "1"}
    ).status_code in (302, 403)
    assert public_json()["named"] == []


def test_a_public_reports_claim_is_shown_to_the_operator_and_publishes_nothing(
    client_for: Any, operator: Any, hotline: Any
) -> None:
    report = public.submit_public_report(answered(consent="yes"), channel=Channel.WEB_FORM).report
    client = client_for(operator)
    review = client.get(reverse("intake_quarantine_report", args=[hotline.slug, report.pk]))
    assert "ask before naming them" in review.content.decode()
    detention = public.accept_as_new(operator, report)
    assert "says the person agreed to be named" in client.get(page_url(detention)).content.decode()
    assert public_json()["named"] == []


def test_counts_json_answers_head_and_any_sites_browser(db: Any) -> None:
    url = reverse("intake_public_counts")
    got, head = Client().get(url), Client().head(url)
    assert got.status_code == head.status_code == 200
    assert head.content == b""
    for response in (got, head):
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "Access-Control-Allow-Credentials" not in response
        assert not response.cookies
    assert Client().post(url).status_code == 405
    assert Client().head(reverse("intake_public_counts_page")).status_code == 200
