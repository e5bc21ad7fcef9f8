"""Dangerous actions ask for the password again once the last login is a few minutes old."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from pompolit.members import approvals
from pompolit.members.models import ApprovalRequest, Invitation
from pompolit.members.roles import Role
from pompolit.members.testing import PASSWORD

LATER = timedelta(seconds=settings.ACCOUNT_REAUTHENTICATION_TIMEOUT + 60)


@pytest.fixture
def coordinator(client, founders, log_in):
    log_in(client, founders[1])
    return founders[1]


def _sent_to_reauthenticate(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(
        "/accounts/reauthenticate/"
    )


def test_right_after_login_inviting_needs_no_second_password(client, coordinator):
    response = client.post("/invite/", {"note": "через Перовскую"})
    assert response.status_code == 200
    assert Invitation.objects.count() == 1


def test_inviting_after_the_timeout_asks_to_reauthenticate(client, coordinator):
    with time_machine.travel(timezone.now() + LATER, tick=False):
        response = client.post("/invite/", {"note": "через Перовскую"})
        assert _sent_to_reauthenticate(response)
        assert Invitation.objects.count() == 0

        client.post("/accounts/reauthenticate/", {"password": PASSWORD})
        response = client.post("/invite/", {"note": "через Перовскую"})

    assert response.status_code == 200
    assert Invitation.objects.count() == 1


def test_wrong_password_at_reauthentication_does_not_open_sudo(client, coordinator):
    with time_machine.travel(timezone.now() + LATER, tick=False):
        client.post("/accounts/reauthenticate/", {"password": "не тот пароль"})
        assert _sent_to_reauthenticate(client.post("/invite/", {"note": ""}))


def test_approving_after_the_timeout_asks_to_reauthenticate(
    client, coordinator, founders, make_member
):
    newcomer = make_member("Николай Кибальчич")
    request = approvals.request_approval(
        founders[0], "grant_role", {"member": newcomer.pk, "role": Role.CASE_WORKER}
    )
    with time_machine.travel(timezone.now() + LATER, tick=False):
        response = client.post(
            f"/approvals/{request.pk}/decide/",
            {"decision": "approve", "digest": request.payload_digest},
        )

    assert _sent_to_reauthenticate(response)
    request.refresh_from_db()
    assert request.status == ApprovalRequest.Status.PENDING


@pytest.mark.parametrize(
    "url", ["/rules/", "/members/{pk}/roles/", "/members/{pk}/compartments/",
            "/members/{pk}/roles/treasurer/revoke/"]
)
def test_other_dangerous_actions_are_under_sudo_too(client, coordinator, founders, url):
    with time_machine.travel(timezone.now() + LATER, tick=False):
        response = client.post(url.format(pk=founders[0].pk), {})
    assert _sent_to_reauthenticate(response)
