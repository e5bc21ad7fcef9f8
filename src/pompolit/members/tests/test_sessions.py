"""Sessions end after inactivity; a member switched off mid-session is out at once."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from pompolit.members.roles import Role
from pompolit.members.testing import PASSWORD
from pompolit.members.tests.conftest import totp_code


@pytest.fixture
def signed_in(client, make_member, log_in):
    member = make_member("Михаил Фроленко", Role.AUDITOR)
    log_in(client, member)
    assert client.get("/dashboard/").status_code == 200
    return member


def _logged_out(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_idle_time_is_thirty_minutes_and_each_request_extends_it():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST


def test_session_expires_after_inactivity(client, signed_in):
    idle = timedelta(seconds=settings.SESSION_COOKIE_AGE + 60)
    with time_machine.travel(timezone.now() + idle, tick=False):
        assert _logged_out(client.get("/dashboard/"))


def test_activity_keeps_the_session_alive(client, signed_in):
    step = timedelta(seconds=settings.SESSION_COOKIE_AGE - 120)
    start = timezone.now()
    for n in (1, 2, 3):
        # Ninety minutes in all, but never thirty without a request.
        with time_machine.travel(start + n * step, tick=False):
            assert client.get("/dashboard/").status_code == 200


def test_member_switched_off_mid_session_is_logged_out(client, signed_in):
    type(signed_in).objects.filter(pk=signed_in.pk).update(is_active=False)
    assert _logged_out(client.get("/dashboard/"))


def test_login_redirect_keeps_the_page_and_cannot_be_smuggled(client, db):
    # A path that itself holds "?next=…" stays one quoted value, not a second parameter.
    response = client.get("/members/1/roles/x%3Fnext=https:evil.example/revoke/")

    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == "/accounts/login/"
    assert parse_qs(location.query) == {
        "next": ["/members/1/roles/x%3Fnext%3Dhttps:evil.example/revoke/"]
    }


def test_login_does_not_follow_a_next_to_another_site(client, make_member):
    member = make_member("Михаил Фроленко")
    response = client.post(
        "/accounts/login/?next=https://evil.example/",
        {"login": member.pseudonym, "password": PASSWORD},
    )
    response = client.post(response["Location"], {"code": totp_code()})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
