"""The public form, as a browser without JavaScript sends it: no account, the code shown once,
the stricter limit for a network without a stamp — and no trace of the address anywhere."""

import logging
import re
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from pompolit.intake.models import Quarantine, Report, ReportCode
from pompolit.intake.public import codes, limits

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.77"
NETWORK = "203.0.113.0"

FORM = {
    "surname": "Смирнова",
    "given": "Анна",
    "patronymic": "Сергеевна",
    "birth": "14.05.2001",
    "is_minor": "",
    "detained_at_text": "19:30",
    "place_text": "Пушкинская площадь",
    "city": "Москва",
    "station": "",
    "now_at_text": "автозак №3, везут в ОВД «Тверской»",
    "event_text": "Антивоенная акция",
    "needs": ["water", "charger"],
    "medicine_text": "",
    "reporter": "relative",
    "contact": "+7 916 123-45-67",
    "note": "С ней человек двадцать.",
}


@pytest.fixture(autouse=True)
def fresh_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


def client(address: str = ADDRESS) -> Client:
    return Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en")


def send(c: Client, **changes: Any) -> Any:
    return c.post(reverse("intake_public_report"), {**FORM, **changes})


def code_on(page: str) -> str:
    match = re.search(r'id="report-code">([0-9A-Z-]+)<', page)
    assert match, "no code on the page"
    return match[1]


def test_the_form_opens_for_anyone_in_both_languages(hotline: Any) -> None:
    page = client().get(reverse("intake_public_report"))
    assert page.status_code == 200
    assert "Report a detention" in page.content.decode()
    assert "Your IP address is never stored" in page.content.decode()
    assert 'name="pow_challenge"' in page.content.decode()
    russian = client().get(reverse("intake_public_report"), HTTP_ACCEPT_LANGUAGE="ru")
    assert '<html lang="ru">' in russian.content.decode()


def test_without_javascript_the_report_is_received_and_the_code_shown_once(
    hotline: Any, unsealed_vault: Any
) -> None:
    c = client()
    page = send(c)
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    code = code_on(page.content.decode())
    report = Report.objects.get()
    assert report.quarantine == Quarantine.PENDING
    assert ReportCode.objects.get().code_hash == codes.code_hash(code)
    # Nowhere else: not on the form again, not on the status page.
    assert code not in c.get(reverse("intake_public_report")).content.decode()
    status = c.post(reverse("intake_public_status"), {"code": code})
    body = status.content.decode()
    assert "Received; an operator will review it." in body
    assert code not in body and "Смирнова" not in body


def test_what_was_typed_is_kept_on_a_mistake(hotline: Any, unsealed_vault: Any) -> None:
    page = send(client(), surname="", given="", birth="тридцатое")
    assert page.status_code == 400
    body = page.content.decode()
    assert "Give at least a surname or a given name." in body
    assert 'value="тридцатое"' in body
    assert not Report.objects.exists()


def test_a_filled_honeypot_is_refused(hotline: Any, unsealed_vault: Any) -> None:
    page = send(client(), website="http://spam.example")
    assert page.status_code == 400
    assert not Report.objects.exists()


@override_settings(POMPOLIT_INTAKE_REPORTS_PER_HOUR_NO_STAMP=2)
def test_a_network_without_stamps_is_limited_and_told_why(hotline: Any,
                                                          unsealed_vault: Any) -> None:
    assert send(client("203.0.113.5")).status_code == 200
    assert send(client("203.0.113.6")).status_code == 200
    refused = send(client("203.0.113.7"))  # the same /24
    assert refused.status_code == 429
    assert "Too many reports" in refused.content.decode()
    assert send(client("198.51.100.7")).status_code == 200  # another network
    assert Report.objects.count() == 3


@override_settings(POMPOLIT_INTAKE_REPORTS_PER_HOUR_NO_STAMP=0, POMPOLIT_INTAKE_POW_BITS=8)
def test_a_solved_stamp_opens_the_larger_allowance(hotline: Any, unsealed_vault: Any) -> None:
    c = client()
    challenge = limits.new_challenge()
    stamped = send(c, pow_challenge=challenge, pow_counter=limits.solve(challenge))
    assert stamped.status_code == 200
    reused = send(c, pow_challenge=challenge, pow_counter=limits.solve(challenge))
    assert reused.status_code == 429


@override_settings(POMPOLIT_INTAKE_REPORTS_PER_HOUR_NO_STAMP=1)
def test_ipv6_networks_are_counted_by_their_48(hotline: Any, unsealed_vault: Any) -> None:
    assert send(client("2001:db8:1:2::7")).status_code == 200
    assert send(client("2001:db8:1:ffff::1")).status_code == 429
    assert send(client("2001:db8:2::1")).status_code == 200


@override_settings(POMPOLIT_INTAKE_REPORTS_PER_HOUR_NO_STAMP=1)
def test_no_address_is_kept_in_the_database_or_the_logs(
    hotline: Any, unsealed_vault: Any, caplog: Any
) -> None:
    caplog.set_level(logging.DEBUG)
    send(client())
    send(client())  # over the limit: the 429 is logged by Django
    c = client()
    c.post(reverse("intake_public_status"), {"code": "nonsense"})
    dump = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            dump.extend(repr(row) for row in cursor.fetchall())
    text = "\n".join(dump)
    assert ADDRESS not in text and NETWORK not in text
    assert ADDRESS not in caplog.text and NETWORK not in caplog.text
