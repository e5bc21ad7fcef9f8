"""The hotline card on the dashboard: the operator's hotlines with their screens, how many
reports from the public wait, and — for an operator who is also a case worker — the detentions
that led to a criminal case and wait to be opened as cases of the registry."""

import pytest
from django.urls import reverse

from pompolit.intake import services
from pompolit.intake.models import Reporter, Status
from pompolit.intake.services import record_report
from pompolit.intake.testing import entry
from pompolit.members.roles import Role


@pytest.fixture
def charged(operator, hotline, stations):
    detention = record_report(
        operator,
        hotline,
        entry("Лебедев Кирилл Андреевич", birth="1998", facility=stations["tverskoy"]),
        reporter=Reporter.RELATIVE,
    ).detention
    services.change_status(operator, detention, Status.CRIMINAL_CASE)
    return detention


def _card(client, language="en"):
    client.cookies["django_language"] = language
    page = client.get(reverse("dashboard")).content.decode()
    return page.split('id="hotline"')[1].split("</section>")[0]


def test_an_operator_who_is_a_case_worker_finds_the_criminal_cases_to_open(
    client_for, make_member, hotline, compartment, charged
):
    duty = make_member(
        "Вера Засулич", Role.HOTLINE_OPERATOR, Role.CASE_WORKER, compartments=[hotline, compartment]
    )
    card = _card(client_for(duty))
    link = reverse("intake_detention", args=[hotline.slug, charged.pk])
    assert "Criminal cases to open in the registry" in card
    assert f'<a href="{link}">Лебедев Кирилл Андреевич</a>' in card
    assert "Уголовные дела, которые нужно завести в реестре" in _card(client_for(duty), "ru")
    services.escalate(duty, charged, compartment)
    assert "Criminal cases to open" not in _card(client_for(duty))


def test_an_operator_alone_sees_no_cases_to_open_but_the_reports_waiting(
    client_for, operator, hotline, charged
):
    card = _card(client_for(operator))
    assert "Criminal cases to open" not in card
    assert f'href="{reverse("intake_quarantine", args=[hotline.slug])}"' in card
    assert "(0 waiting)" in card
    assert "(ждут: 0)" in _card(client_for(operator), "ru")
