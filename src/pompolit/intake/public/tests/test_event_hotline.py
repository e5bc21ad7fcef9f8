"""A hotline for one big event: the public reports that name the event come to it, whatever
town they picked; the others go to their town's hotline, as before."""

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pompolit.intake.models import Channel, Hotline, ProtestEvent
from pompolit.intake.public import services
from pompolit.intake.public.tests.conftest import answered
from pompolit.intake.services import event_label, open_hotline
from pompolit.members.models import Compartment
from pompolit.members.services import create_compartment


@pytest.fixture
def march_hotline(founders: Any, hotline: Compartment, pushkin_square: ProtestEvent) -> Compartment:
    """Opened for the day of the protest on Pushkin Square, beside Moscow's own hotline."""
    compartment = create_compartment(
        founders[1], name="Пушкинская, 6 марта", slug="pushkin-6-march",
        description="Задержания на акции 6 марта",
    )
    open_hotline(founders[1], compartment, city="Москва", event=pushkin_square)
    services.forget_choices()
    return compartment


def submitted_to(**answers: Any) -> Compartment:
    report = services.submit_public_report(answered(**answers), channel=Channel.WEB_FORM).report
    return report.compartment


def test_a_report_naming_the_event_goes_to_its_hotline(
    march_hotline: Compartment, hotline: Compartment, pushkin_square: ProtestEvent,
    unsealed_vault: Any,
) -> None:
    assert submitted_to(event_text="Антивоенная акция на Пушкинской площади") == march_hotline
    # As the form's list labels it, and in another case and spacing.
    assert submitted_to(event_text=event_label(pushkin_square)) == march_hotline
    assert submitted_to(event_text="  антивоенная акция на пушкинской   площади") == march_hotline


def test_a_report_naming_the_event_from_another_town_goes_to_it_too(
    march_hotline: Compartment, spb_hotline: Compartment, unsealed_vault: Any
) -> None:
    assert submitted_to(city="Санкт-Петербург",
                        event_text="Антивоенная акция на Пушкинской площади") == march_hotline


def test_other_reports_go_to_their_towns_hotline_not_the_events(
    march_hotline: Compartment, hotline: Compartment, spb_hotline: Compartment,
    unsealed_vault: Any,
) -> None:
    assert submitted_to(event_text="") == hotline
    assert submitted_to(event_text="Пикет у Госдумы") == hotline
    assert submitted_to(city="Санкт-Петербург", event_text="") == spb_hotline
    # No town picked: the oldest town's hotline, never the event's.
    assert submitted_to(city="", event_text="") == hotline
    assert services.open_cities() == ["Москва", "Санкт-Петербург"]


def test_a_hotline_for_an_event_is_opened_from_the_command_line(
    founders: Any, pushkin_square: ProtestEvent
) -> None:
    create_compartment(founders[1], name="Пушкинская", slug="pushkin", description="6 марта")
    out = StringIO()
    call_command("intake", "hotline", "pushkin", "--city", "Москва", "--event",
                 event_label(pushkin_square), stdout=out)
    assert Hotline.objects.get(compartment__slug="pushkin").event == pushkin_square
    assert "Hotline opened" in out.getvalue()
    create_compartment(founders[1], name="Другая", slug="other", description="")
    with pytest.raises(CommandError, match="No event"):
        call_command("intake", "hotline", "other", "--city", "Москва", "--event",
                     "Акция, которой не было", stdout=StringIO())
    assert not Hotline.objects.filter(compartment__slug="other").exists()
