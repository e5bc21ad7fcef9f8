"""Vouching: no access until N members vouch; the rules around who may vouch."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pompolit.audit.models import AuditEntry
from pompolit.members import approvals
from pompolit.members.models import Member, Notice, Vouch, vouches_required
from pompolit.members.roles import Role
from pompolit.members.services import accept_invitation, create_invitation, vouch


@pytest.fixture
def invitee(founders):
    _invitation, token = create_invitation(founders[0])
    return accept_invitation(token, pseudonym="Геся Гельфман", password="Сибирь далеко 1881")


def test_two_vouches_are_needed_by_default(founders, make_member, invitee):
    assert vouches_required() == 2
    vouch(founders[0], invitee)
    invitee.refresh_from_db()
    assert not invitee.is_vouched

    vouch(make_member("Николай Морозов"), invitee)

    invitee.refresh_from_db()
    assert invitee.is_vouched
    assert Notice.objects.filter(member=invitee, kind="vouched").exists()
    assert AuditEntry.objects.filter(action="member.vouched", object_id=str(invitee.pk)).exists()


def test_the_inviter_counts_at_most_once(founders, invitee):
    inviter = founders[0]
    vouch(inviter, invitee)
    with pytest.raises(ValidationError, match="already vouched"):
        vouch(inviter, invitee)
    invitee.refresh_from_db()
    assert not invitee.is_vouched
    assert Vouch.objects.filter(member=invitee).count() == 1


def test_nobody_vouches_for_themselves(make_member):
    member = make_member("Николай Морозов")
    with pytest.raises(ValidationError, match="yourself"):
        vouch(member, member)


def test_unvouched_members_cannot_vouch(founders, invitee, make_member):
    other = make_member("Григорий Гольденберг", vouched=False)
    with pytest.raises(PermissionDenied):
        vouch(invitee, other)
    assert not Vouch.objects.exists()


def test_a_voucher_deactivated_since_being_loaded_cannot_vouch(founders, invitee):
    stale = Member.objects.get(pk=founders[1].pk)
    Member.objects.filter(pk=stale.pk).update(is_active=False)
    with pytest.raises(PermissionDenied):
        vouch(stale, invitee)


def test_vouching_for_someone_already_vouched_is_refused(founders, make_member):
    with pytest.raises(ValidationError, match="already a full member"):
        vouch(founders[0], make_member("Николай Морозов"))


def test_changing_the_threshold_needs_approval_then_applies(founders, invitee):
    request = approvals.request_approval(founders[0], "set_vouches_required",
                                         {"vouches_required": 3})
    assert vouches_required() == 2

    approvals.approve(request.pk, founders[1], seen_digest=request.payload_digest)

    assert vouches_required() == 3
    vouch(founders[0], invitee)
    vouch(founders[1], invitee)
    invitee.refresh_from_db()
    assert not invitee.is_vouched


def test_threshold_below_two_is_refused_outside_demo_mode(founders, settings):
    settings.DEMO_MODE = False
    with pytest.raises(ValidationError):
        approvals.request_approval(founders[0], "set_vouches_required", {"vouches_required": 1})


def test_vouching_through_the_web(client, founders, invitee, log_in):
    log_in(client, founders[1])

    page = client.get("/vouch/")
    assert invitee in page.context["waiting"]
    response = client.post("/vouch/", {"member": invitee.pk})

    assert response.status_code == 302
    assert Vouch.objects.filter(voucher=founders[1], member=invitee).exists()


@pytest.mark.parametrize("posted", ["", "abc", "999999"])
def test_vouching_for_nobody_through_the_web_is_a_clear_error(client, founders, log_in, posted):
    log_in(client, founders[1])
    response = client.post("/vouch/", {"member": posted}, follow=True)
    assert response.status_code == 200
    assert not Vouch.objects.exists()
    assert list(response.context["messages"])


def test_coordinators_see_vouches_on_the_member_pages(client, founders, invitee, log_in):
    vouch(founders[0], invitee)
    log_in(client, founders[1])

    listing = client.get("/members/")
    detail = client.get(f"/members/{invitee.pk}/")

    row = next(m for m in listing.context["members"] if m.pk == invitee.pk)
    assert row.vouch_count == 1
    assert [v.voucher for v in detail.context["vouches"]] == [founders[0]]
    assert founders[0].pseudonym in detail.content.decode()


def test_roles_cannot_be_given_before_vouching(founders, invitee):
    with pytest.raises(ValidationError, match="not yet vouched"):
        approvals.request_approval(founders[0], "grant_role",
                                   {"member": invitee.pk, "role": Role.CASE_WORKER})
