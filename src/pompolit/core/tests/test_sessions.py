"""A request that changed nothing in its session only moves the session's expiry: it never
writes back the copy it read over what a request in between stored (core/sessions.py, the
session engine)."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.middleware import SessionMiddleware
from django.contrib.sessions.models import Session
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from pompolit.core.sessions import SessionStore

pytestmark = pytest.mark.django_db


def _stored(key: str) -> dict:
    return SessionStore(session_key=key).load()


def _request_reading(key: str):
    """A request that has read its session (as every page does) and changes nothing."""
    request = RequestFactory().get("/intake/moscow-hotline/board/", HTTP_HX_REQUEST="true")
    middleware = SessionMiddleware(lambda r: HttpResponse("board"))
    request.COOKIES["sessionid"] = key
    middleware.process_request(request)
    assert "_auth_user_id" in request.session
    return middleware, request


def test_the_project_uses_this_engine(settings):
    assert settings.SESSION_ENGINE == "pompolit.core.sessions"


def test_a_slow_request_does_not_write_back_an_old_session_over_a_message_stored_meanwhile():
    first = SessionStore()
    first["_auth_user_id"] = "7"
    first.create()
    key = first.session_key

    middleware, polled = _request_reading(key)  # the board's poll starts, reads the session
    meanwhile = SessionStore(session_key=key)  # the operator's POST stores its message
    meanwhile["_messages"] = '[["__json_message",0,25,"Записано: задержание №349."]]'
    meanwhile.save()
    middleware.process_response(polled, HttpResponse("board"))  # the poll ends

    assert "Записано" in _stored(key)["_messages"]


def test_every_request_still_pushes_the_idle_expiry_forward():
    session = SessionStore()
    session["_auth_user_id"] = "7"
    session.create()
    key = session.session_key
    before = Session.objects.get(session_key=key).expire_date

    with time_machine.travel(timezone.now() + timedelta(minutes=20), tick=False):
        middleware, request = _request_reading(key)
        middleware.process_response(request, HttpResponse("page"))

    assert Session.objects.get(session_key=key).expire_date >= before + timedelta(minutes=19)


def test_a_request_that_changed_its_session_saves_it_whole():
    session = SessionStore()
    session["_auth_user_id"] = "7"
    session.create()
    middleware, request = _request_reading(session.session_key)
    request.session["sudo_at"] = "2026-12-06T15:40:00"
    middleware.process_response(request, HttpResponse("page"))
    assert _stored(session.session_key)["sudo_at"] == "2026-12-06T15:40:00"
