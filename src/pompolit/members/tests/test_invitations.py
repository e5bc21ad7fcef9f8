"""Invitations: a single-use, expiring link; joining with it; what the invitee may do."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from pompolit.audit.models import AuditEntry
from pompolit.members.models import Invitation, Member, hash_token
from pompolit.members.services import create_invitation, revoke_invitation
from pompolit.members.testing import PASSWORD
from pompolit.members.tests.conftest import totp_code

NEW_PASSWORD = "Сибирь далеко, но мы ближе 1881"


@pytest.fixture
def invitation(founders):
    return create_invitation(founders[0], note="через Перовскую")


def _join(client, token, pseudonym="Геся Гельфман", password=NEW_PASSWORD, again=None):
    return client.post(
        f"/join/{token}/",
        {"pseudonym": pseudonym, "password1": password, "password2": again or password},
    )


def test_invite_page_shows_the_link_once_and_stores_only_its_hash(client, founders, log_in):
    log_in(client, founders[0])

    response = client.post("/invite/", {"note": "через Перовскую"})

    link = response.context["link"]
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert link.startswith("http://testserver/join/")
    invitation = Invitation.objects.get()
    assert invitation.token_hash == hash_token(token)
    assert token not in str(Invitation.objects.values().get())
    assert token not in str(list(AuditEntry.objects.values()))
    # Shown once: the next visit to the page lists the invitation but not its link.
    again = client.get("/invite/")
    assert again.context["link"] is None
    assert token.encode() not in again.content


def test_invitation_expires_after_the_configured_days(invitation):
    record, _token = invitation
    assert record.expires_at - record.created_at == settings.POMPOLIT_INVITATION_TTL


def test_joining_logs_in_and_sends_to_second_factor_setup(client, invitation):
    _record, token = invitation

    response = _join(client, token)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    member = Member.objects.get(pseudonym="Геся Гельфман")
    assert not member.is_vouched
    assert member.invited_by == _record.created_by
    # The setup page opens without asking for the password just chosen.
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    # And nothing else opens until it is done.
    assert client.get("/dashboard/")["Location"] == "/accounts/2fa/totp/activate/"
    client.post("/accounts/2fa/totp/activate/",
                {"code": totp_code(secret=page.context["form"].secret)})
    assert client.get("/dashboard/")["Location"] == "/waiting/"
    assert client.get("/waiting/").status_code == 200


def test_link_works_only_once(client, invitation):
    _record, token = invitation
    _join(client, token)

    response = _join(Client(), token, pseudonym="Второй по той же ссылке")

    assert response.status_code == 404
    assert "members/join_invalid.html" in [t.name for t in response.templates]
    assert not Member.objects.filter(pseudonym="Второй по той же ссылке").exists()


def test_expired_link_is_refused(client, invitation):
    _record, token = invitation
    later = timezone.now() + settings.POMPOLIT_INVITATION_TTL + timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        response = _join(client, token)
    assert response.status_code == 404
    assert not Member.objects.filter(pseudonym="Геся Гельфман").exists()


def test_revoked_link_is_refused(client, founders, invitation):
    record, token = invitation
    revoke_invitation(founders[1], record)

    assert client.get(f"/join/{token}/").status_code == 404
    assert _join(client, token).status_code == 404


def test_revoking_through_the_web(client, founders, invitation, log_in):
    record, token = invitation
    log_in(client, founders[1])
    client.post(f"/invite/{record.pk}/revoke/")
    record.refresh_from_db()
    assert record.revoked_at is not None
    assert Client().get(f"/join/{token}/").status_code == 404


def test_made_up_link_is_refused(client, db):
    assert client.get("/join/made-up-token/").status_code == 404


def test_join_form_keeps_input_except_passwords_and_puts_errors_by_the_fields(
    client, invitation, make_member
):
    _record, token = invitation
    make_member("Геся Гельфман")

    response = _join(client, token, pseudonym="геся гельфман")

    assert response.status_code == 200
    form = response.context["form"]
    assert "pseudonym" in form.errors
    html = response.content.decode()
    assert 'value="геся гельфман"' in html
    assert NEW_PASSWORD not in html
    # The link was not used up by the failed attempt.
    assert Invitation.objects.get().used_at is None


def test_join_refuses_differing_and_weak_passwords(client, invitation):
    _record, token = invitation

    differing = _join(client, token, again="something else entirely")
    weak = _join(client, token, password="12345")

    assert "password2" in differing.context["form"].errors
    assert "password1" in weak.context["form"].errors
    assert not Member.objects.filter(pseudonym="Геся Гельфман").exists()


def test_joined_member_can_log_in_later(client, invitation):
    _record, token = invitation
    _join(client, token)
    client.post("/accounts/logout/")

    response = client.post("/accounts/login/", {"login": "Геся Гельфман",
                                                 "password": NEW_PASSWORD})
    # No second factor yet: straight to setting one up.
    assert response.status_code == 302
    assert client.get("/dashboard/")["Location"] == "/accounts/2fa/totp/activate/"
    assert PASSWORD != NEW_PASSWORD
