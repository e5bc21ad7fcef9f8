"""A detainee's name is written down as typed — Пётр stays Пётр, Wałęsa stays Wałęsa — found as
the name is typed with or without ё and accents, and goes into the registry so on escalation."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from pompolit.cases.duplicates import services as duplicates
from pompolit.cases.models import PersonName
from pompolit.cases.partial import PartialDate
from pompolit.cases.search.services import search_cases
from pompolit.intake import proposals, services
from pompolit.intake.models import Channel, DetaineeName, Detention, Report, Reporter, Status
from pompolit.intake.public.services import accept_as_new, submit_public_report
from pompolit.intake.public.tests.conftest import answered
from pompolit.intake.services import Entry, record_report
from pompolit.members.roles import Role
from pompolit.names import Name, parse_name

SPELLINGS = [
    # (as the operator types it, the parts kept, the same name typed without ё or marks)
    ("Тестов Пётр", ("Тестов", "Пётр", ""), "Тестов Петр"),
    ("Пётр Семёнов", ("Семёнов", "Пётр", ""), "Семенов Петр"),
    ("Ёлкина Алёна", ("Ёлкина", "Алёна", ""), "Елкина Алена"),
    ("Lech Wałęsa", ("Wałęsa", "Lech", ""), "Lech Walesa"),
    ("Ayşe Şahin", ("Şahin", "Ayşe", ""), "Ayse Sahin"),
    # Müller is kept too (the registry's test), but Muller does not find it here: the hotline
    # looks up surname keys, and ü's is "yu" (Мюллер) — as before names were kept as typed.
    ("Hans Müller", ("Müller", "Hans", ""), "HANS MÜLLER"),
    ("Seán O’Brien", ("O’Brien", "Seán", ""), "Sean O'Brien"),
    (
        "Кузьмина–Караваева Елизавета Юрьевна",
        ("Кузьмина–Караваева", "Елизавета", "Юрьевна"),
        "Кузьмина-Караваева Елизавета",
    ),
]


@pytest.fixture
def duty(make_member: Any, hotline: Any, compartment: Any, unsealed_vault: Any) -> Any:
    """An operator who is a case worker of the registry too (to escalate)."""
    return make_member(
        "Вера Засулич", Role.HOTLINE_OPERATOR, Role.CASE_WORKER, compartments=[hotline, compartment]
    )


def typed(duty: Any, hotline: Any, text: str, **fields: Any) -> Detention:
    """A report as the console makes it of the typed name (`ReportForm.entry`)."""
    entry = Entry(name=parse_name(text), birth_date=PartialDate.parse("1990"), **fields)
    return record_report(duty, hotline, entry, reporter=Reporter.RELATIVE).detention


@pytest.mark.parametrize(("text", "parts", "plain"), SPELLINGS)
def test_the_name_is_written_down_found_and_escalated_as_typed(
    duty: Any,
    hotline: Any,
    compartment: Any,
    text: str,
    parts: tuple[str, str, str],
    plain: str,
) -> None:
    detention = typed(duty, hotline, text)
    name = DetaineeName.objects.get(detainee=detention.detainee)
    assert (name.surname, name.given, name.patronymic) == parts
    assert detention.detainee.display_name == str(Name(*parts))
    for query in (text, plain):
        found = services.find_matches(hotline, query, birth_date=PartialDate.parse("1990"))
        assert [m.detention for m in found] == [detention], query

    services.change_status(duty, detention, Status.CRIMINAL_CASE)
    case = services.escalate(duty, detention, compartment)
    kept = PersonName.objects.get(person=case.person)
    assert (kept.surname, kept.given, kept.patronymic) == parts
    assert case.person.display_name == str(Name(*parts))
    for query in (text, plain):
        assert [c.pk for c in search_cases(duty, query)] == [case.pk], query
        proposed = duplicates.possible_matches(duty, query, PartialDate.parse("1990"))
        assert [m.person for m in proposed.visible] == [case.person_id], query


def test_the_console_keeps_the_yo(client_for: Any, duty: Any, hotline: Any) -> None:
    url = reverse("intake_console", args=[hotline.slug])
    response = client_for(duty).post(
        url,
        {
            "name": "Тестов Пётр Семёнович",
            "birth_date": "1990",
            "station": "",
            "event": "",
            "status": "detained",
            "reporter": "relative",
            "channel": "hotline",
        },
    )
    assert response.status_code == 302
    name = DetaineeName.objects.get()
    assert (name.surname, name.given, name.patronymic) == ("Тестов", "Пётр", "Семёнович")
    # Typed again without ё, it is proposed.
    page = (
        client_for(duty)
        .post(
            reverse("intake_matches", args=[hotline.slug]),
            {
                "name": "Тестов Петр",
                "birth_date": "1990",
                "status": "detained",
                "reporter": "relative",
                "channel": "hotline",
            },
        )
        .content.decode()
    )
    assert f'value="detention:{Detention.objects.get().pk}"' in page


def test_another_spelling_of_a_known_person_is_kept_beside_the_first(
    duty: Any, hotline: Any
) -> None:
    detention = typed(duty, hotline, "Семенов Петр")
    services.change_status(duty, detention, Status.RELEASED)
    record_report(
        duty,
        hotline,
        Entry(name=parse_name("Семёнов Пётр")),
        reporter=Reporter.LAWYER,
        same_person=detention.detainee,
    )
    assert sorted(str(n) for n in DetaineeName.objects.filter(detainee=detention.detainee)) == [
        "Семенов Петр",
        "Семёнов Пётр",
    ]


def test_a_public_report_keeps_the_yo_and_is_proposed_for_the_plain_spelling(
    duty: Any, hotline: Any
) -> None:
    detention = typed(duty, hotline, "Семенов Петр")
    report = submit_public_report(
        answered(surname="Семёнов", given="Пётр", patronymic="", birth="1990", now_at_text=""),
        channel=Channel.WEB_FORM,
    ).report
    report = Report.objects.get(pk=report.pk)
    assert proposals.best_match(report) == detention
    accepted = accept_as_new(duty, report)
    name = DetaineeName.objects.get(detainee=accepted.detainee)
    assert (name.surname, name.given) == ("Семёнов", "Пётр")
