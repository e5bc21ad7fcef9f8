"""Test builders of members, the way the access checks see them: the founders `pompolit init`
would create, members with roles and compartments granted through real approvals. The fixtures
of the root conftest.py (`founders`, `approved`, `make_member`, `compartment`) build through
these; a test may call them directly."""

from collections.abc import Iterable
from typing import Any

from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from pompolit.members import approvals
from pompolit.members.models import ApprovalRequest, Compartment, Member
from pompolit.members.services import create_compartment, create_founder

PASSWORD = "correct horse battery staple"  # noqa: S105 (tests only)
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 (tests only)


def make_founders() -> tuple[Member, Member]:
    """The two founding coordinators, each with a second factor."""
    first = create_founder("Вера Фигнер", PASSWORD)
    second = create_founder("Софья Перовская", PASSWORD)
    for founder in (first, second):
        TOTP.activate(founder, TOTP_SECRET)
    return first, second


def approve(
    founders: tuple[Member, Member], action: str, payload: dict[str, Any]
) -> ApprovalRequest:
    """Requested by one founder, approved (and so carried out) by the other."""
    request = approvals.request_approval(founders[0], action, payload)
    return approvals.approve(request.pk, founders[1], seen_digest=request.payload_digest)


def make_member(
    founders: tuple[Member, Member],
    pseudonym: str,
    *roles: str,
    vouched: bool = True,
    two_factor: bool = True,
    compartments: Iterable[Compartment] = (),
) -> Member:
    """A member with `roles` and `compartments` granted by the founders; vouched for and with
    a second factor unless told otherwise."""
    member = Member.objects.create_user(
        pseudonym, PASSWORD, vouched_at=timezone.now() if vouched else None
    )
    for role in roles:
        approve(founders, "grant_role", {"member": member.pk, "role": role})
    for compartment in compartments:
        approve(founders, "grant_compartment", {"member": member.pk, "compartment": compartment.pk})
    if two_factor:
        TOTP.activate(member, TOTP_SECRET)
    return Member.objects.get(pk=member.pk)


def make_compartment(founder: Member) -> Compartment:
    return create_compartment(
        founder, name="Оренбургская ссылка", slug="orenburg-exiles",
        description="Ссыльные в Оренбургской области",
    )
