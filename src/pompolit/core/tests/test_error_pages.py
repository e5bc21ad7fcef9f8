"""The error pages (core/error_pages.py): each says what happened and where to go, in the
reader's language, with the site's header where that is safe; never Django's debug pages in
the demo."""

import os
import subprocess
import sys
import types
from typing import Any

import pytest
from django.core.exceptions import SuspiciousOperation
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import include, path
from django.utils import translation

from pompolit.core import error_pages
from pompolit.members.policy import PUBLIC, requires
from pompolit.members.roles import Role

DEBUG_WORDS = ["URLconf", "Django tried these URL patterns", "Traceback", "DEBUG = True"]


@requires(PUBLIC)
def _bad(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("a malformed request")


@requires(PUBLIC)
def _broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


_urlconf = types.ModuleType("urlconf_with_failing_views")
_urlconf.urlpatterns = [  # type: ignore[attr-defined]
    path("bad/", _bad, name="bad_for_test"),
    path("broken/", _broken, name="broken_for_test"),
    path("", include("pompolit.urls")),
]
for _code in (400, 403, 404, 500):
    setattr(_urlconf, f"handler{_code}", getattr(sys.modules["pompolit.urls"], f"handler{_code}"))


def page(response: Any) -> str:
    text: str = response.content.decode()
    for word in DEBUG_WORDS:
        assert word not in text
    return text


@pytest.mark.parametrize(("language", "title", "sign_in"), [
    ("en", "There is no such page", "Sign in"),
    ("ru", "Такой страницы нет", "Войти"),
])
def test_an_unknown_address_shows_the_styled_404(db, language, title, sign_in):
    response = Client(HTTP_ACCEPT_LANGUAGE=language).get("/no-such-page/")
    assert response.status_code == 404
    text = page(response)
    assert title in text and f'<html lang="{language}">' in text
    assert f'href="/accounts/login/">{sign_in}</a>' in text
    assert 'class="top"' in text  # the site's header


def test_a_member_on_a_404_keeps_the_menu_and_is_sent_to_the_dashboard(make_member, client_for):
    client = client_for(make_member("Анна Корба", Role.TREASURER))
    text = page(client.get("/ledger/no-such-page/"))
    assert 'class="main-nav"' in text
    assert 'href="/dashboard/">Go to your dashboard</a>' in text


@pytest.mark.parametrize(("language", "title"), [
    ("en", "This page is not for you"),
    ("ru", "Эта страница не для вас"),
])
def test_a_page_for_another_role_shows_the_styled_403(make_member, language, title):
    # The access middleware's PermissionDenied: a treasurer opens the case registry.
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(make_member("Мария Ошанина", Role.TREASURER))
    response = client.get("/cases/")
    assert response.status_code == 403
    text = page(response)
    assert title in text
    assert 'class="main-nav"' in text and 'href="/dashboard/"' in text
    assert "another role" not in text  # the refusal's own words are for the log


@override_settings(ROOT_URLCONF=_urlconf)
@pytest.mark.parametrize(("language", "title"), [
    ("en", "The request could not be understood"),
    ("ru", "Запрос не удалось разобрать"),
])
def test_a_malformed_request_shows_the_styled_400(db, language, title):
    response = Client(HTTP_ACCEPT_LANGUAGE=language).get("/bad/")
    assert response.status_code == 400
    assert title in page(response)


@override_settings(ROOT_URLCONF=_urlconf)
@pytest.mark.parametrize(("language", "title", "home"), [
    ("en", "Something went wrong on our side", "Go to the front page"),
    ("ru", "Что-то сломалось на нашей стороне", "На главную"),
])
def test_a_bug_shows_the_styled_500(db, language, title, home):
    client = Client(HTTP_ACCEPT_LANGUAGE=language, raise_request_exception=False)
    response = client.get("/broken/")
    assert response.status_code == 500
    text = page(response)
    assert title in text and f'href="/">{home}</a>' in text
    assert "a bug" not in text


def test_the_500_page_needs_neither_the_database_nor_the_session(db):
    request = RequestFactory().get("/")  # no session, no user
    with CaptureQueriesContext(connection) as queries, translation.override("en"):
        response = error_pages.server_error(request)
    assert response.status_code == 500
    assert not queries.captured_queries
    assert "Error 500" in response.content.decode()


def test_an_error_page_that_cannot_be_rendered_falls_back_to_a_static_one(monkeypatch, db):
    def fail(*args: Any, **kwargs: Any) -> str:
        raise RuntimeError("the template is broken")

    monkeypatch.setattr(error_pages.loader, "render_to_string", fail)
    for response in (error_pages.server_error(RequestFactory().get("/")),
                     error_pages.page_not_found(RequestFactory().get("/x/"))):
        assert b"<h1>" in response.content and b'href="/"' in response.content
    assert response.status_code == 404


@pytest.mark.parametrize(("demo", "debug"), [("1", "False"), ("", "True")])
def test_the_demo_runs_without_debug_pages(tmp_path, demo, debug):
    # Django's debug 404 lists every URL pattern, its debug 500 the local variables (perhaps
    # decrypted secrets): the demo (POMPOLIT_DEMO=1 with the dev settings) never shows them.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POMPOLIT_", "DJANGO_"))}
    env |= {"POMPOLIT_VAR_DIR": str(tmp_path), "POMPOLIT_DEMO": demo,
            "DJANGO_SETTINGS_MODULE": "pompolit.settings.dev"}
    out = subprocess.run(
        [sys.executable, "-c", "import django; from django.conf import settings; "
         "django.setup(); print(settings.DEBUG)"],
        env=env, capture_output=True, text=True, check=True, timeout=60,
    ).stdout.strip()
    assert out == debug
