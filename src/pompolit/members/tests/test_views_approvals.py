"""The approvals inbox through the web: every way around the two-person rule is refused."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from pompolit.members import approvals
from pompolit.members.models import ApprovalRequest, RoleGrant, payload_digest
from pompolit.members.roles import Role


@pytest.fixture
def newcomer(make_member):
    return make_member("Николай Кибальчич")


@pytest.fixture
def pending(founders, newcomer):
    return approvals.request_approval(
        founders[0], "grant_role", {"member": newcomer.pk, "role": Role.TREASURER},
        reason="ведёт кассу",
    )


def _decide(client, request, decision="approve", digest=None):
    return client.post(
        f"/approvals/{request.pk}/decide/",
        {"decision": decision, "digest": digest or request.payload_digest},
        follow=True,
    )


def _status(request):
    request.refresh_from_db()
    return request.status


def test_second_coordinator_approves_and_it_is_carried_out(client, founders, pending, newcomer,
                                                           log_in):
    log_in(client, founders[1])
    inbox = client.get("/approvals/")
    assert pending in inbox.context["to_decide"]

    detail = client.get(f"/approvals/{pending.pk}/")
    assert detail.context["can_decide"]
    assert newcomer.pseudonym in detail.content.decode()

    _decide(client, pending)

    assert _status(pending) == ApprovalRequest.Status.EXECUTED
    assert RoleGrant.objects.filter(member=newcomer, role=Role.TREASURER).exists()


def test_self_approval_through_the_web_is_refused(client, founders, pending, newcomer, log_in):
    log_in(client, founders[0])
    assert not client.get(f"/approvals/{pending.pk}/").context["can_decide"]

    response = _decide(client, pending)

    assert _status(pending) == ApprovalRequest.Status.PENDING
    assert not RoleGrant.objects.filter(member=newcomer).exists()
    assert any("own request" in str(m) for m in response.context["messages"])


def test_requester_may_withdraw(client, founders, pending, log_in):
    log_in(client, founders[0])
    _decide(client, pending, decision="reject")
    assert _status(pending) == ApprovalRequest.Status.WITHDRAWN


def test_approval_after_expiry_is_refused(client, founders, pending, newcomer, log_in):
    later = timezone.now() + settings.POMPOLIT_APPROVAL_TTL + timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        log_in(client, founders[1])
        response = _decide(client, pending)

    assert _status(pending) != ApprovalRequest.Status.EXECUTED
    assert not RoleGrant.objects.filter(member=newcomer).exists()
    assert any("expired" in str(m) for m in response.context["messages"])


def test_replayed_approval_is_refused(client, founders, pending, make_member, log_in):
    log_in(client, founders[1])
    _decide(client, pending)
    RoleGrant.objects.filter(approval=pending).delete()

    response = _decide(client, pending)

    assert not RoleGrant.objects.filter(approval=pending).exists()
    assert any("already decided" in str(m) for m in response.context["messages"])


def test_stale_digest_is_refused(client, founders, pending, newcomer, log_in):
    log_in(client, founders[1])
    response = _decide(client, pending, digest="0" * 64)
    assert _status(pending) == ApprovalRequest.Status.PENDING
    assert any("not what you were shown" in str(m) for m in response.context["messages"])


def test_payload_edited_after_the_request_is_refused(client, founders, pending, make_member,
                                                     log_in):
    other = make_member("Агент Охранки")
    # Someone with database access points the request at another member, digest and all.
    payload = {"member": other.pk, "role": Role.TREASURER}
    ApprovalRequest.objects.filter(pk=pending.pk).update(
        payload=payload, payload_digest=payload_digest("grant_role", payload)
    )
    pending.refresh_from_db()
    log_in(client, founders[1])

    response = _decide(client, pending)

    assert _status(pending) == ApprovalRequest.Status.PENDING
    assert not RoleGrant.objects.filter(member=other).exists()
    assert any("changed after" in str(m) for m in response.context["messages"])


def test_member_without_the_role_cannot_see_or_decide(client, pending, make_member, log_in):
    log_in(client, make_member("Мария Ошанина", Role.TREASURER))
    assert client.get(f"/approvals/{pending.pk}/").status_code == 404
    assert _decide(client, pending).status_code == 404
    assert _status(pending) == ApprovalRequest.Status.PENDING


def test_auditor_sees_but_cannot_decide(client, pending, make_member, log_in):
    log_in(client, make_member("Михаил Фроленко", Role.AUDITOR))
    detail = client.get(f"/approvals/{pending.pk}/")
    assert detail.status_code == 200
    assert not detail.context["can_decide"]
    assert _decide(client, pending).status_code == 403
    assert _status(pending) == ApprovalRequest.Status.PENDING


def test_retry_carries_out_an_approved_request_once(
    client, founders, pending, newcomer, log_in, approved
):
    # Approved, but the grant collided (someone made it meanwhile): it stays approved to retry.
    approved("grant_role", {"member": newcomer.pk, "role": Role.TREASURER})
    with pytest.raises(ValidationError):
        approvals.approve(pending.pk, founders[1], seen_digest=pending.payload_digest)
    assert _status(pending) == ApprovalRequest.Status.APPROVED
    RoleGrant.objects.filter(member=newcomer).delete()
    log_in(client, founders[1])

    client.post(f"/approvals/{pending.pk}/retry/")
    response = client.post(f"/approvals/{pending.pk}/retry/", follow=True)

    assert _status(pending) == ApprovalRequest.Status.EXECUTED
    assert RoleGrant.objects.filter(member=newcomer, approval=pending).count() == 1
    assert any("not waiting" in str(m) for m in response.context["messages"])


def test_retry_of_a_request_that_does_not_exist_is_not_found(client, founders, log_in):
    log_in(client, founders[1])
    assert client.post("/approvals/999999/retry/").status_code == 404
