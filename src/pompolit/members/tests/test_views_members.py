"""Member list and detail; asking for roles and compartments; taking them away."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pompolit.members import approvals
from pompolit.members.models import ApprovalRequest, CompartmentGrant, RoleGrant
from pompolit.members.roles import Role
from pompolit.members.services import MIN_COORDINATORS, coordinators


@pytest.fixture
def coordinator(client, founders, log_in):
    log_in(client, founders[0])
    return founders[0]


def test_member_list_shows_pseudonyms_roles_and_vouch_status(client, coordinator, make_member):
    make_member("Мария Ошанина", Role.TREASURER)
    make_member("Геся Гельфман", vouched=False)

    html = client.get("/members/").content.decode()

    for name in ("Вера Фигнер", "Софья Перовская", "Мария Ошанина", "Геся Гельфман"):
        assert name in html


def test_member_detail_is_read_only(client, coordinator, founders):
    assert client.get(f"/members/{founders[1].pk}/").status_code == 200
    assert client.post(f"/members/{founders[1].pk}/").status_code == 405
    assert client.get("/members/999999/").status_code == 404


def test_asking_for_a_role_makes_a_pending_request(client, coordinator, make_member):
    member = make_member("Николай Морозов")

    client.post(f"/members/{member.pk}/roles/", {"role-role": Role.CASE_WORKER,
                                                 "role-reason": "ведёт дела"})

    request = ApprovalRequest.objects.get(action="grant_role")
    assert request.payload == {"member": member.pk, "role": Role.CASE_WORKER}
    assert request.requested_by == coordinator
    assert not RoleGrant.objects.filter(member=member).exists()


def test_asking_for_a_role_the_member_has_shows_an_error(client, coordinator, make_member):
    member = make_member("Мария Ошанина", Role.TREASURER)
    before = ApprovalRequest.objects.count()
    response = client.post(f"/members/{member.pk}/roles/", {"role-role": Role.TREASURER},
                           follow=True)
    assert any("already has" in str(m) for m in response.context["messages"])
    assert ApprovalRequest.objects.count() == before


def test_revoking_an_ordinary_role_is_immediate_and_notifies(client, coordinator, make_member):
    member = make_member("Мария Ошанина", Role.TREASURER)

    client.post(f"/members/{member.pk}/roles/treasurer/revoke/")

    assert not RoleGrant.objects.filter(member=member).exists()
    assert member.notices.filter(kind="role_revoked").exists()


def test_revoking_an_unknown_role_is_not_found(client, coordinator, founders):
    assert client.post(f"/members/{founders[1].pk}/roles/tsar/revoke/").status_code == 404


def test_removing_a_coordinator_needs_approval(client, coordinator, founders, make_member):
    make_member("Андрей Желябов", Role.COORDINATOR)

    client.post(f"/members/{founders[1].pk}/roles/coordinator/revoke/")

    request = ApprovalRequest.objects.get(action="revoke_coordinator")
    assert request.status == ApprovalRequest.Status.PENDING
    assert founders[1] in coordinators()


def test_the_last_two_coordinators_cannot_be_removed(client, coordinator, founders):
    assert len(coordinators()) == MIN_COORDINATORS
    response = client.post(f"/members/{founders[1].pk}/roles/coordinator/revoke/", follow=True)
    assert not ApprovalRequest.objects.filter(action="revoke_coordinator").exists()
    assert any("at least" in str(m) for m in response.context["messages"])


def test_even_in_demo_mode_one_coordinator_stays(founders, settings):
    settings.DEMO_MODE = True
    first = approvals.request_approval(founders[0], "revoke_coordinator",
                                       {"member": founders[0].pk})
    second = approvals.request_approval(founders[1], "revoke_coordinator",
                                        {"member": founders[1].pk})
    approvals.approve(first.pk, founders[1], seen_digest=first.payload_digest)

    # The second removal, approved by the first founder before losing the role, would
    # leave nobody.
    with pytest.raises((ValidationError, PermissionDenied)):
        approvals.approve(second.pk, founders[0], seen_digest=second.payload_digest)
    assert coordinators() == [founders[1]]


def test_revoking_a_coordinator_executes_after_approval(founders, make_member):
    third = make_member("Андрей Желябов", Role.COORDINATOR)
    request = approvals.request_approval(founders[0], "revoke_coordinator",
                                         {"member": third.pk})
    approvals.approve(request.pk, founders[1], seen_digest=request.payload_digest)
    assert third not in coordinators()


def test_asking_for_a_compartment_makes_a_pending_request(
    client, coordinator, compartment, make_member
):
    member = make_member("Николай Морозов")
    client.post(f"/members/{member.pk}/compartments/",
                {"compartment-compartment": compartment.pk})
    request = ApprovalRequest.objects.get(action="grant_compartment")
    assert request.payload == {"member": member.pk, "compartment": compartment.pk}
    assert not CompartmentGrant.objects.filter(member=member).exists()


def test_revoking_a_compartment_is_immediate(client, coordinator, compartment, make_member):
    member = make_member("Николай Морозов", compartments=[compartment])
    client.post(f"/members/{member.pk}/compartments/{compartment.slug}/revoke/")
    assert not CompartmentGrant.objects.filter(member=member).exists()
    assert member.notices.filter(kind="compartment_revoked").exists()


def test_only_coordinators_manage_members(client, make_member, log_in, founders):
    log_in(client, make_member("Мария Ошанина", Role.TREASURER))
    before = ApprovalRequest.objects.count()
    assert client.get("/members/").status_code == 403
    response = client.post(f"/members/{founders[1].pk}/roles/", {"role-role": "auditor"})
    assert response.status_code == 403
    assert ApprovalRequest.objects.count() == before
