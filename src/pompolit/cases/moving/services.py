"""Moving a case to another compartment: a second person must agree.

A move changes who can read the case, its timeline, its relatives and its photo, so it is the
approval action `cases.move_case` (members/approvals.py): a case worker of the case's
compartment asks, with a reason; a coordinator other than the requester approves. Carried out,
the case, its events and its relatives move in one transaction (they each carry the
compartment, whose key encrypts their secrets: the vault re-encrypts them under the new
compartment's key on save, so the vault must be unsealed); the assigned case worker is
unassigned if they do not work in the new compartment; it is audited, and the requester and
the case workers of both compartments are told.

Descriptions and notices name the case by its number and the compartments, never the person:
coordinators who approve need not be inside either compartment.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from pompolit.audit.services import record
from pompolit.cases import services
from pompolit.cases.models import Case, Event, HearingOutcome, Relative
from pompolit.cases.search import fulltext
from pompolit.members import policy
from pompolit.members.approvals import (
    Fact,
    Section,
    Summary,
    approval_action,
    approval_summary,
    request_approval,
)
from pompolit.members.models import ApprovalRequest, Compartment, Member
from pompolit.members.roles import Role
from pompolit.members.services import notify
from pompolit.vault.errors import VaultError
from pompolit.vault.keys.services import is_unsealed

ACTION = "cases.move_case"

NOTICE_TEXTS = {
    "cases_move_done": gettext_noop(
        "Case #%(case)s was moved from the compartment %(source)s to %(target)s "
        "(request #%(approval)s)."
    ),
}


def _parts(payload: dict[str, Any]) -> tuple[Case, Compartment, Compartment, Member]:
    try:
        case = Case.objects.get(pk=int(payload.get("case", 0)))
        source = Compartment.objects.get(slug=str(payload.get("from")))
        target = Compartment.objects.get(slug=str(payload.get("to")))
        requester = Member.objects.get(pk=int(payload.get("requested_by", 0)))
    except (Case.DoesNotExist, Compartment.DoesNotExist, Member.DoesNotExist, TypeError,
            ValueError):
        raise ValidationError(_("The case, a compartment or the member no longer exists.")
                              ) from None
    return case, source, target, requester


def _validate(payload: dict[str, Any]) -> None:
    case, source, target, requester = _parts(payload)
    try:
        services.check_compartment(requester, source)
    except PermissionDenied:
        raise ValidationError(_("The member who asked no longer works in the compartment "
                                "%(name)s.") % {"name": source.name}) from None
    if case.compartment_id != source.pk:
        raise ValidationError(_("The case is no longer in the compartment %(name)s.")
                              % {"name": source.name})
    if target.pk == source.pk:
        raise ValidationError({"target": _("The case is already in this compartment.")})


def _name(slug: Any) -> str:
    found = Compartment.objects.filter(slug=str(slug)).values_list("name", flat=True).first()
    return found or str(slug)


def _describe(payload: dict[str, Any]) -> str:
    return str(gettext_lazy(
        "Move case #%(case)s from the compartment %(source)s to %(target)s, with its events, "
        "relatives and photo"
    )) % {"case": payload.get("case", "?"), "source": _name(payload.get("from")),
          "target": _name(payload.get("to"))}


@approval_action(ACTION, describe=_describe, validate=_validate,
                 requester_role=Role.CASE_WORKER, approver_role=Role.COORDINATOR)
def _approved(request: ApprovalRequest) -> None:
    _validate(request.payload)
    case, source, target, requester = _parts(request.payload)
    if not is_unsealed():
        raise ValidationError(_("The vault is sealed: the case's secrets cannot be "
                                "re-encrypted for the new compartment. Retry once it is "
                                "unsealed."))
    try:
        moved = _move(case, target)
    except VaultError as error:
        raise ValidationError(_("The vault refused: %(error)s") % {"error": error}) from None
    details = {"from": source.slug, "to": target.slug, "approval": request.pk,
               "requested_by": requester.pseudonym, **moved}
    record("cases.case_moved", actor=request.decided_by, obj=case, details=details)
    params = {"case": case.pk, "source": source.name, "target": target.name,
              "approval": request.pk}
    workers = Member.objects.filter(
        is_active=True, role_grants__role=Role.CASE_WORKER,
        compartment_grants__compartment__in=[source, target],
    ).distinct()
    for member in {requester, *workers}:
        notify(member, "cases_move_done", **params)


@approval_summary(ACTION)
def _summarize(request: ApprovalRequest, viewer: Member) -> Summary:
    # By the case's number and the compartments, never the person: the approver need not
    # work in either compartment (docs/cases.md).
    payload = request.payload
    facts = [Fact(_("Case"), f"#{payload.get('case', '?')}"),
             Fact(_("From the compartment"), _name(payload.get("from"))),
             Fact(_("To the compartment"), _name(payload.get("to")))]
    target = Compartment.objects.filter(slug=str(payload.get("to"))).first()
    if target is not None:
        workers = sorted(
            member.pseudonym for member in Member.objects.filter(
                is_active=True, role_grants__role=Role.CASE_WORKER,
                compartment_grants__compartment=target).distinct()
            if policy.has_roles(member, policy.CASE_WORKER)
            and target.pk in member.compartment_ids())
        facts.append(Fact(_("Case workers who will see it"), ", ".join(workers) or _("none")))
    return Summary(_describe(payload), [Section(_("Who and what"), facts)])


def _move(case: Case, target: Compartment) -> dict[str, Any]:
    """Everything that carries the case's compartment follows it; secrets re-encrypted."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    locked.compartment = target
    unassigned = False
    if locked.assigned_to is not None and (
        target.pk not in locked.assigned_to.compartment_ids()
        or not policy.has_roles(locked.assigned_to, policy.CASE_WORKER)
    ):
        locked.assigned_to = None
        unassigned = True
    locked.updated_at = timezone.now()
    locked.save()
    events = list(Event.objects.filter(case=locked))
    for event in events:
        event.compartment = target
        event.save()
    # Hearing outcomes are append-only, but their text is re-encrypted under the new key like
    # the rest (the triggers let only the compartment and the ciphertext change).
    for outcome in HearingOutcome.objects.filter(hearing__event__case=locked):
        outcome.compartment = target
        outcome.save()
    relatives = list(Relative.objects.filter(case=locked))
    for relative in relatives:
        relative.compartment = target
        relative.save()
    fulltext.index_case(locked)  # the word index is keyed per compartment too
    return {"events": len(events), "relatives": len(relatives), "unassigned": unassigned}


# -- asking -----------------------------------------------------------------------------------


def pending(case: Case) -> list[ApprovalRequest]:
    return list(ApprovalRequest.objects.filter(
        action=ACTION, status__in=[ApprovalRequest.Status.PENDING,
                                   ApprovalRequest.Status.APPROVED],
        payload__case=case.pk,
    ).select_related("requested_by").order_by("pk"))


def request_move(actor: Member, case: Case, target: Compartment, *,
                 reason: str) -> ApprovalRequest:
    services.check_case(actor, case)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the case should move: the coordinator "
                                           "who approves needs to know.")})
    if pending(case):
        raise ValidationError(_("A move of this case is already waiting for approval."))
    with transaction.atomic():
        return request_approval(actor, ACTION, {
            "case": case.pk, "from": case.compartment.slug, "to": target.slug,
            "requested_by": actor.pk,
        }, reason=reason.strip())


def register_notice_texts() -> None:
    from pompolit.members.services import register_notice_texts

    register_notice_texts(NOTICE_TEXTS)
