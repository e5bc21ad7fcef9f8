"""The two-person rule: every way around it that we could think of is closed."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from pompolit.audit.models import AuditEntry
from pompolit.members import approvals
from pompolit.members.models import ApprovalRequest, RoleGrant, payload_digest
from pompolit.members.roles import Role


@pytest.fixture
def newcomer(make_member):
    return make_member("Николай Кибальчич")


def _ask(founders, newcomer, role=Role.TREASURER):
    return approvals.request_approval(
        founders[0], "grant_role", {"member": newcomer.pk, "role": role}
    )


def test_request_does_nothing_until_a_second_coordinator_approves(founders, newcomer):
    request = _ask(founders, newcomer)
    assert request.status == ApprovalRequest.Status.PENDING
    assert not RoleGrant.objects.filter(member=newcomer).exists()

    approvals.approve(request.pk, founders[1], seen_digest=request.payload_digest)

    request.refresh_from_db()
    assert request.status == ApprovalRequest.Status.EXECUTED
    grant = RoleGrant.objects.get(member=newcomer)
    assert (grant.role, grant.approval_id) == (Role.TREASURER, request.pk)


def test_requester_cannot_approve_own_request(founders, newcomer):
    request = _ask(founders, newcomer)
    with pytest.raises(approvals.ApprovalError, match="own request"):
        approvals.approve(request.pk, founders[0], seen_digest=request.payload_digest)
    assert not RoleGrant.objects.filter(member=newcomer).exists()


def test_database_refuses_self_approval_written_directly(founders, newcomer):
    # The path around the service (a shell, a bulk update, an admin action) hits the constraint.
    request = _ask(founders, newcomer)
    with pytest.raises(IntegrityError), transaction.atomic():
        ApprovalRequest.objects.filter(pk=request.pk).update(
            status="approved", decided_by=founders[0]
        )


def test_member_without_the_role_cannot_approve(founders, newcomer, make_member):
    treasurer = make_member("Казначей", Role.TREASURER)
    request = _ask(founders, newcomer)
    with pytest.raises(PermissionDenied):
        approvals.approve(request.pk, treasurer, seen_digest=request.payload_digest)


def test_request_expires_after_72_hours(founders, newcomer):
    request = _ask(founders, newcomer)
    with time_machine.travel(timezone.now() + timedelta(hours=72, seconds=1)):
        with pytest.raises(approvals.ApprovalError, match="expired"):
            approvals.approve(request.pk, founders[1], seen_digest=request.payload_digest)
        # The refusal itself recorded the expiry; nothing is left for the sweep.
        assert approvals.expire_overdue() == 0
    request.refresh_from_db()
    assert request.status == ApprovalRequest.Status.EXPIRED
    assert not RoleGrant.objects.filter(member=newcomer).exists()


def test_replayed_approval_is_refused(founders, newcomer):
    request = _ask(founders, newcomer)
    approvals.approve(request.pk, founders[1], seen_digest=request.payload_digest)
    with pytest.raises(approvals.ApprovalError, match="already decided"):
        approvals.approve(request.pk, founders[1], seen_digest=request.payload_digest)
    assert RoleGrant.objects.filter(member=newcomer).count() == 1


def test_payload_edited_after_request_is_refused(founders, newcomer):
    request = _ask(founders, newcomer, role=Role.TREASURER)
    # An insider with database access swaps the role and recomputes the stored digest.
    edited = {"member": newcomer.pk, "role": Role.COORDINATOR}
    ApprovalRequest.objects.filter(pk=request.pk).update(
        payload=edited, payload_digest=payload_digest("grant_role", edited)
    )
    with pytest.raises(approvals.ApprovalError, match="changed after"):
        approvals.approve(
            request.pk, founders[1], seen_digest=payload_digest("grant_role", edited)
        )
    assert not RoleGrant.objects.filter(member=newcomer).exists()


def test_approver_must_have_seen_the_current_payload(founders, newcomer):
    request = _ask(founders, newcomer)
    with pytest.raises(approvals.ApprovalError, match="not what you were shown"):
        approvals.approve(request.pk, founders[1], seen_digest="0" * 64)


def test_payload_edited_between_approval_and_execution_is_refused(founders, newcomer):
    request = _ask(founders, newcomer)
    ApprovalRequest.objects.filter(pk=request.pk).update(
        status="approved", decided_by=founders[1], decided_at=timezone.now()
    )
    edited = {"member": newcomer.pk, "role": Role.COORDINATOR}
    ApprovalRequest.objects.filter(pk=request.pk).update(payload=edited)
    with pytest.raises(approvals.ApprovalError, match="changed after"):
        approvals.execute_approved(request.pk)
    assert not RoleGrant.objects.filter(member=newcomer).exists()


def test_crash_during_execution_leaves_request_approved_and_retryable(
    founders, newcomer, monkeypatch
):
    request = _ask(founders, newcomer)
    spec = approvals.ACTIONS["grant_role"]

    def crash(_request):
        RoleGrant.objects.create(member=newcomer, role=Role.AUDITOR, approval=request)
        raise approvals.ApprovalError("power cut")

    monkeypatch.setitem(approvals.ACTIONS, "grant_role", spec.__class__(
        **{**spec.__dict__, "execute": crash}
    ))
    with pytest.raises(approvals.ApprovalError, match="power cut"):
        approvals.approve(request.pk, founders[1], seen_digest=request.payload_digest)
    request.refresh_from_db()
    assert request.status == ApprovalRequest.Status.APPROVED
    assert request.last_error == "power cut"
    assert not RoleGrant.objects.filter(member=newcomer).exists()  # nothing half-done

    monkeypatch.setitem(approvals.ACTIONS, "grant_role", spec)
    approvals.execute_approved(request.pk)
    request.refresh_from_db()
    assert request.status == ApprovalRequest.Status.EXECUTED
    assert list(RoleGrant.objects.filter(member=newcomer).values_list("role", flat=True)) == [
        Role.TREASURER
    ]


def test_requester_may_withdraw_but_not_reject_for_someone_else(founders, newcomer):
    request = _ask(founders, newcomer)
    approvals.reject(request.pk, founders[0])
    request.refresh_from_db()
    assert request.status == ApprovalRequest.Status.WITHDRAWN
    assert request.decided_by is None


def test_every_step_is_in_the_audit_trail(founders, newcomer):
    request = _ask(founders, newcomer)
    approvals.approve(request.pk, founders[1], seen_digest=request.payload_digest)
    actions = list(
        AuditEntry.objects.filter(object_id=str(request.pk), object_type="members.approvalrequest")
        .values_list("action", flat=True)
    )
    assert actions == ["approval.requested", "approval.approved", "approval.executed"]


def test_there_is_no_superuser_shortcut():
    from django.conf import settings

    from pompolit.members.models import Member

    assert "django.contrib.admin" not in settings.INSTALLED_APPS
    with pytest.raises(PermissionDenied):
        Member.objects.create_superuser("root", "x")
    assert connection.vendor in ("sqlite", "postgresql")
