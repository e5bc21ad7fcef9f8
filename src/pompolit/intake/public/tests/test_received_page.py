"""The answer to a report, kept once per language (received.py): the same page a plain render
gives, with this report's code and a working token, and never a stale one."""

import re
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from pompolit.intake.public import received
from pompolit.intake.public.tests.test_report_form_view import FORM, code_on

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def fresh() -> Any:
    cache.clear()
    received.forget()
    yield
    received.forget()
    cache.clear()


def send(c: Client, **changes: Any) -> Any:
    page = c.post(reverse("intake_public_report"), {**FORM, **changes})
    assert page.status_code == 200, page.content[:500]
    return page


def the_rest(page: Any) -> str:
    """The page without what differs from one answer to the next: its code and its token."""
    body = page.content.decode()
    return TOKEN.sub('name="csrfmiddlewaretoken" value="TOKEN"', body).replace(
        code_on(body), "CODE")


@pytest.mark.parametrize(("language", "thanks"), [
    ("en", "Thank you: the report was received"),
    ("ru", "Спасибо: сообщение получено"),
])
def test_a_kept_answer_is_the_page_a_plain_render_gives(
    hotline: Any, unsealed_vault: Any, monkeypatch: Any, language: str, thanks: str
) -> None:
    c = Client(HTTP_ACCEPT_LANGUAGE=language)
    first = send(c)
    assert received._kept, "the first answer in a language is kept"
    kept = send(c)
    monkeypatch.setattr(received, "_keepable", lambda request: False)
    plain = send(c)
    assert thanks in kept.content.decode()
    assert f'<html lang="{language}">' in kept.content.decode()
    assert code_on(kept.content.decode()) not in (first.content.decode(), plain.content.decode())
    assert the_rest(kept) == the_rest(plain) == the_rest(first)
    assert "no-store" in kept["Cache-Control"]


def test_the_kept_answer_carries_a_token_of_its_own_that_works(
    hotline: Any, unsealed_vault: Any
) -> None:
    c = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    form = c.get(reverse("intake_public_report")).content.decode()
    token = TOKEN.findall(form)[0]
    first = send(c, csrfmiddlewaretoken=token)
    kept = send(c, csrfmiddlewaretoken=token)
    tokens = set(TOKEN.findall(first.content.decode()) + TOKEN.findall(kept.content.decode()))
    assert len(tokens) == 2, "each answer its own masked token"
    switched = c.post(reverse("set_language"), {
        "language": "ru", "next": "/intake/report/",
        "csrfmiddlewaretoken": TOKEN.findall(kept.content.decode())[0]})
    assert switched.status_code == 302


def test_a_changed_setting_is_shown_at_once(hotline: Any, unsealed_vault: Any) -> None:
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert "Pompolit" in send(c).content.decode()
    with override_settings(POMPOLIT_ORGANISATION="Помощь задержанным"):
        page = send(c).content.decode()
        assert "Помощь задержанным" in page and "· Pompolit" not in page
    assert "· Pompolit" in send(c).content.decode()


def test_a_signed_in_member_gets_their_own_header(
    hotline: Any, unsealed_vault: Any, operator: Any
) -> None:
    send(Client(HTTP_ACCEPT_LANGUAGE="en"))
    assert received._kept
    member = Client(HTTP_ACCEPT_LANGUAGE="en")
    member.force_login(operator)
    page = send(member).content.decode()
    assert "Sign out" in page
    assert "Sign out" not in send(Client(HTTP_ACCEPT_LANGUAGE="en")).content.decode()


def test_an_address_with_a_query_gets_its_own_page_and_is_not_kept(
    hotline: Any, unsealed_vault: Any
) -> None:
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    send(c)
    for n in range(3):
        page = c.post(f"{reverse('intake_public_report')}?from=leaflet-{n}", FORM)
        assert f'name="next" type="hidden" value="/intake/report/?from=leaflet-{n}"' in (
            page.content.decode())
    assert len(received._kept) == 1
