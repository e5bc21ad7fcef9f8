"""Which grants count: a role or compartment grant gives access only with its stamped record.

A grant row says who may do what; anyone who can write the database can insert one. So when a
member's access is computed, every grant is checked against the audit trail: a founding grant
needs the stamped `member.founded` entry of that member, any other grant the stamped
`approval.approved` entry of an executed request whose payload names exactly this member and
this role (or compartment). A grant without its record gives nothing — fail closed.
"""

from __future__ import annotations

from typing import Any

from pompolit.audit import stamps
from pompolit.audit.models import AuditEntry
from pompolit.members.approvals import APPROVED, is_stamped_approval
from pompolit.members.models import ApprovalRequest, Member
from pompolit.members.roles import Role

FOUNDED = "member.founded"


def founding_record(member: Member) -> dict[str, Any]:
    return {"member": member.pk, "pseudonym": member.pseudonym, "role": Role.COORDINATOR.value}


def _founded(member: Member) -> bool:
    entries = AuditEntry.objects.filter(
        action=FOUNDED, object_type=Member._meta.label_lower, object_id=str(member.pk)
    ).values_list("actor_id", "details")
    return any(
        actor_id == member.pk
        and stamps.is_valid(details)
        and details.get("member") == member.pk
        and details.get("role") == Role.COORDINATOR
        for actor_id, details in entries
    )


def _stamped_approvals(requests: list[ApprovalRequest]) -> set[int]:
    """The ids of those requests whose approval is stamped in the trail and matches the row."""
    by_id = {str(request.pk): request for request in requests}
    entries = AuditEntry.objects.filter(
        action=APPROVED,
        object_type=ApprovalRequest._meta.label_lower,
        object_id__in=list(by_id),
    )
    return {
        by_id[entry.object_id].pk for entry in entries
        if is_stamped_approval(by_id[entry.object_id], entry)
    }


def _approved_for(request: ApprovalRequest | None, action: str, **payload: Any) -> bool:
    return (
        request is not None
        and request.action == action
        and request.status == ApprovalRequest.Status.EXECUTED
        and all(request.payload.get(key) == value for key, value in payload.items())
    )


def verified_roles(member: Member) -> frozenset[str]:
    grants = list(member.role_grants.select_related("approval"))
    stamped = _stamped_approvals([g.approval for g in grants if g.approval is not None])
    founded = any(g.founding for g in grants) and _founded(member)
    roles = set()
    for grant in grants:
        if grant.founding:
            if founded and grant.role == Role.COORDINATOR and grant.approval_id is None:
                roles.add(grant.role)
        elif grant.approval_id in stamped and _approved_for(
            grant.approval, "grant_role", member=member.pk, role=grant.role
        ):
            roles.add(grant.role)
    return frozenset(roles)


def verified_compartments(member: Member) -> frozenset[int]:
    grants = list(member.compartment_grants.select_related("approval"))
    stamped = _stamped_approvals([g.approval for g in grants])
    return frozenset(
        grant.compartment_id for grant in grants
        if grant.approval_id in stamped and _approved_for(
            grant.approval, "grant_compartment", member=member.pk, compartment=grant.compartment_id
        )
    )
