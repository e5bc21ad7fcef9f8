"""The two-person rule: actions that could do great harm wait for a second member's approval.

An action is registered with `@approval_action`; `request_approval` stores its exact payload
and the payload's digest (also written into the hash-chained audit trail). `approve` checks
that the approver is someone else with the right role, that the request is neither expired nor
already decided, and that the payload is byte-for-byte what was requested and what the approver
saw; it records the approval in one transaction and carries the action out in a second, so a
crash in between leaves an approved request that `execute_approved` can retry — never a
half-done one.

The approval itself is the `approval.approved` entry of the audit trail, stamped by the server
(audit/stamps.py): request, action, payload digest, requester, approver and time. Nothing is
carried out — by `approve`, by a retry, by any path through `execute_approved` — unless that
stamped record matches the request row and the chain from the request to the approval is
intact. The row's `status` and `decided_by` alone, which anyone who can write the database
can set, carry out nothing: a mismatch is refused and raises an alert in the trail.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from pompolit.audit import chain, stamps
from pompolit.audit.models import AuditEntry
from pompolit.audit.services import chain_segment, record
from pompolit.members import policy
from pompolit.members.models import (
    APPROVED,
    ApprovalRequest,
    Member,
    approval_record,
    is_stamped_approval,
    payload_digest,
)
from pompolit.members.roles import Role

Payload = dict[str, Any]

REQUESTED = "approval.requested"
EXECUTED = "approval.executed"
FORGED_ALERT = "alert.approval_forged"


class ApprovalError(Exception):
    """A request that cannot be approved as asked; the message is for the person who asked."""


@dataclass(frozen=True)
class ActionSpec:
    name: str
    requester_role: str
    approver_role: str
    validate: Callable[[Payload], None]
    execute: Callable[[ApprovalRequest], None]
    describe: Callable[[Payload], str]
    # Who else may not approve, beyond the requester (e.g. an expense's submitter): returns
    # the reason to refuse, or None. Checked before anything is recorded.
    refuses_approver: Callable[[Payload, Member], str | None] | None = None

    @property
    def requesters(self) -> policy.Access:
        return policy.role(Role(self.requester_role))

    @property
    def approvers(self) -> policy.Access:
        return policy.role(Role(self.approver_role))


ACTIONS: dict[str, ActionSpec] = {}


def approval_action(
    name: str,
    *,
    describe: Callable[[Payload], str],
    validate: Callable[[Payload], None],
    requester_role: str = Role.COORDINATOR,
    approver_role: str = Role.COORDINATOR,
    refuses_approver: Callable[[Payload, Member], str | None] | None = None,
) -> Callable[[Callable[[ApprovalRequest], None]], Callable[[ApprovalRequest], None]]:
    def register(execute: Callable[[ApprovalRequest], None]) -> Callable[[ApprovalRequest], None]:
        ACTIONS[name] = ActionSpec(
            name, requester_role, approver_role, validate, execute, describe, refuses_approver
        )
        return execute

    return register


def describe(request: ApprovalRequest) -> str:
    spec = ACTIONS.get(request.action)
    return spec.describe(request.payload) if spec else request.action


# -- what the approver reads: a summary made for the decision --------------------------------
#
# The apps above members register, beside each action, a function that tells the approver in
# words what the request does (`@approval_summary`), so this module imports none of them. The
# summary is for the person looking at it (`viewer`): an app shows only what that person may
# see (docs/security.md, "What an approver sees"). The exact payload stays on the page too.


@dataclass(frozen=True)
class Fact:
    """One line of a summary: a label and its value, with a link only if the viewer may open it."""

    label: str
    value: str
    href: str = ""


@dataclass(frozen=True)
class Check:
    """Something to weigh before deciding: a rule passed or broken, a fund that cannot pay."""

    ok: bool
    text: str


@dataclass(frozen=True)
class Table:
    headers: Sequence[str]
    rows: Sequence[Sequence[str]]


@dataclass(frozen=True)
class Section:
    title: str
    facts: Sequence[Fact] = ()
    table: Table | None = None
    checks: Sequence[Check] = ()
    note: str = ""


@dataclass(frozen=True)
class Summary:
    headline: str
    sections: Sequence[Section] = field(default_factory=tuple)


Summarize = Callable[[ApprovalRequest, Member], Summary]
Headline = Callable[[ApprovalRequest, Member], str]
SUMMARIES: dict[str, Summarize] = {}
HEADLINES: dict[str, Headline] = {}


def approval_summary(
    name: str, *, headline: Headline | None = None
) -> Callable[[Summarize], Summarize]:
    """Register the summary of an action's requests (and, for lists, a cheaper one-line
    headline; without one, lists show the action's `describe`)."""

    def register(summarize: Summarize) -> Summarize:
        SUMMARIES[name] = summarize
        if headline is not None:
            HEADLINES[name] = headline
        return summarize

    return register


def is_open(request: ApprovalRequest) -> bool:
    """Not carried out and still may be: live figures (a balance after, a rule check) apply."""
    return request.status in (ApprovalRequest.Status.PENDING, ApprovalRequest.Status.APPROVED)


def summarize(request: ApprovalRequest, viewer: Member) -> Summary:
    summary = SUMMARIES.get(request.action)
    if summary is None:
        return Summary(describe(request))
    return summary(request, viewer)


def headline(request: ApprovalRequest, viewer: Member) -> str:
    found = HEADLINES.get(request.action)
    return found(request, viewer) if found is not None else describe(request)


def _spec(action: str) -> ActionSpec:
    try:
        return ACTIONS[action]
    except KeyError:
        raise ApprovalError(_("Unknown action: %(action)s") % {"action": action}) from None


def request_approval(
    actor: Member, action: str, payload: Payload, *, reason: str = ""
) -> ApprovalRequest:
    spec = _spec(action)
    policy.require(
        actor, spec.requesters, refusal=_("Only a member with the right role may ask for this.")
    )
    spec.validate(payload)
    digest = payload_digest(action, payload)
    with transaction.atomic():
        request = ApprovalRequest.objects.create(
            action=action,
            payload=payload,
            payload_digest=digest,
            reason=reason,
            requested_by=actor,
            expires_at=timezone.now() + settings.POMPOLIT_APPROVAL_TTL,
        )
        record(
            REQUESTED,
            actor=actor,
            obj=request,
            # No sentence: the trail says what the request does when it is read, in the
            # reader's language, from the request (members/audit_descriptions.py).
            details={"action": action, "payload_digest": digest},
        )
    return request


def _check_integrity(request: ApprovalRequest) -> None:
    """The payload must be exactly what was requested: compare with the audit trail's record."""
    digest = payload_digest(request.action, request.payload)
    requested = _entries(request, REQUESTED).first()
    if (
        digest != request.payload_digest
        or requested is None
        or requested.details.get("payload_digest") != digest
    ):
        raise ApprovalError(
            _("Request #%(id)s was changed after it was made; it cannot be approved.")
            % {"id": request.pk}
        )


def _locked(request_id: int) -> ApprovalRequest:
    return ApprovalRequest.objects.select_for_update().select_related("requested_by").get(
        pk=request_id
    )


def _expire_if_overdue(request_id: int) -> bool:
    """Mark the request expired if it is pending and overdue, in a transaction of its own,
    so the expiry is kept even when the caller then refuses what was asked."""
    with transaction.atomic():
        request = _locked(request_id)
        if request.status != ApprovalRequest.Status.PENDING:
            return False
        if request.expires_at > timezone.now():
            return False
        request.status = ApprovalRequest.Status.EXPIRED
        request.save(update_fields=["status"])
        record("approval.expired", obj=request, details={"action": request.action})
        return True


def approve(request_id: int, approver: Member, *, seen_digest: str) -> ApprovalRequest:
    """Approve and carry out. `seen_digest` is the digest of the payload the approver was shown."""
    _expire_if_overdue(request_id)
    with transaction.atomic():
        request = _locked(request_id)
        spec = _spec(request.action)
        if request.status == ApprovalRequest.Status.EXPIRED:
            raise ApprovalError(
                _("Request #%(id)s has expired; ask again if it is still needed.")
                % {"id": request.pk}
            )
        if request.status != ApprovalRequest.Status.PENDING:
            raise ApprovalError(
                _("Request #%(id)s was already decided (%(status)s).")
                % {"id": request.pk, "status": request.get_status_display()}
            )
        if request.requested_by_id == approver.pk:
            raise ApprovalError(_("You cannot approve your own request: a second person must."))
        policy.require(
            approver, spec.approvers,
            refusal=_("Only a member with the right role may approve this."),
        )
        refusal = _refusal(spec, request, approver)
        if refusal:
            raise ApprovalError(refusal)
        _check_integrity(request)
        if seen_digest != request.payload_digest:
            raise ApprovalError(
                _("Request #%(id)s is not what you were shown; reload and check it again.")
                % {"id": request.pk}
            )
        request.status = ApprovalRequest.Status.APPROVED
        request.decided_by = approver
        request.decided_at = timezone.now()
        request.save(update_fields=["status", "decided_by", "decided_at"])
        stamped = stamps.stamped(approval_record(request))
        record(APPROVED, actor=approver, obj=request, details=stamped)
    return execute_approved(request.pk)


def _entries(request: ApprovalRequest, action: str) -> Any:
    return AuditEntry.objects.filter(
        action=action, object_type=ApprovalRequest._meta.label_lower, object_id=str(request.pk)
    ).order_by("seq")


def was_carried_out(request: ApprovalRequest) -> bool:
    """Whether `request` was executed with its stamped approval in the trail: for rows that
    an execution made (a grant, an authorised rotation) and that give something by existing."""
    if request.status != ApprovalRequest.Status.EXECUTED:
        return False
    return any(is_stamped_approval(request, entry) for entry in _entries(request, APPROVED))


def approval_problem(request: ApprovalRequest) -> str | None:
    """Why the approval of `request` is not genuine, or None: its stamped record in the audit
    trail must match the row, and the chain from the request to the approval must be intact."""
    entries = list(_entries(request, APPROVED))
    if not entries:
        return _("the audit trail holds no record of its approval")
    # Unstamped ones may be from before stamps (or plain forgeries): only stamped ones count.
    stamped = [entry for entry in entries if is_stamped_approval(request, entry)]
    if not stamped:
        return _("its approval record in the audit trail is not stamped by this server or does "
                 "not match the request (approver, payload, time)")
    if len(stamped) > 1:
        return _("the audit trail holds more than one record of its approval")
    entry = stamped[0]
    requested = _entries(request, REQUESTED).first()
    if requested is None or requested.seq > entry.seq:
        return _("the audit trail holds no record of the request before its approval")
    # The segment from the request to the entry after the approval: the approval entry
    # was neither edited nor slipped in later.
    broken = chain.verify_segment(chain_segment(requested.seq, entry.seq + 1), stamps.problem)
    if broken is not None:
        return _("the audit trail is broken between the request and its approval (%(reason)s)") % {
            "reason": broken.message
        }
    if _entries(request, EXECUTED).exists():
        return _("the audit trail says it was already carried out")
    return None


def _refuse_forged(request: ApprovalRequest, problem: str) -> ApprovalError:
    with transaction.atomic():
        record(
            FORGED_ALERT, obj=request,
            details={"request": request.pk, "action": request.action, "problem": problem,
                     "decided_by": request.decided_by_id},
        )
    return ApprovalError(
        _("Request #%(id)s was not carried out: %(problem)s. Coordinators were alerted.")
        % {"id": request.pk, "problem": problem}
    )


def execute_approved(request_id: int) -> ApprovalRequest:
    """Carry out an approved request, all or nothing. Safe to call again after a crash.

    Every path that carries out a request comes through here, and here the stamped approval
    record is checked first (approval_problem): a row set to "approved" by hand is refused.
    """
    failure: ValidationError | ApprovalError | None = None
    with transaction.atomic():
        request = _locked(request_id)
        if request.status != ApprovalRequest.Status.APPROVED:
            raise ApprovalError(
                _("Request #%(id)s is not waiting to be carried out.") % {"id": request.pk}
            )
        _check_integrity(request)
        spec = _spec(request.action)
        forged = approval_problem(request)
        if forged is None:
            failure = _carry_out(spec, request)
    if forged is not None:
        # Nothing was written; the refusal and its alert are kept.
        raise _refuse_forged(request, forged)
    if failure is not None:
        # The action rolled back whole; the request stays approved, with the reason, to retry.
        reason = _stored_error(failure)
        with transaction.atomic():
            ApprovalRequest.objects.filter(pk=request.pk).update(last_error=reason)
            record("approval.failed", obj=request, details={"action": request.action,
                                                            "error": reason})
        raise failure
    return request


def _carry_out(
    spec: ActionSpec, request: ApprovalRequest
) -> ValidationError | ApprovalError | None:
    try:
        with transaction.atomic():
            spec.execute(request)
    except (ValidationError, ApprovalError) as error:
        return error
    request.status = ApprovalRequest.Status.EXECUTED
    request.executed_at = timezone.now()
    request.last_error = ""
    request.save(update_fields=["status", "executed_at", "last_error"])
    record(
        EXECUTED,
        actor=request.decided_by,
        obj=request,
        details={
            "action": request.action,
            "payload_digest": request.payload_digest,
            "requested_by": request.requested_by.pseudonym,
        },
    )
    return None


# -- why a request could not be carried out, in the reader's language --------------------------
#
# An action's errors that are registered here by code (`coded_error`) are stored on the request
# as their code and parameters — `{"errors": [{"code": …, "params": {…}}, {"text": …}]}` in
# `last_error` — and rendered when read (`error_text`), so the English page says it in English
# whoever's page it failed on. Others are stored as their text; a stored plain string (an older
# row) shows as it is.

ERRORS: dict[str, str | Promise] = {}


def coded_error(code: str, message: str | Promise) -> str:
    """Register `message` (lazily translated, with %(name)s parameters) under `code`; an action
    raises `ValidationError(message, code=code, params={...})` with JSON-friendly params."""
    ERRORS[code] = message
    return code


def _error_parts(error: Exception) -> Iterator[dict[str, Any]]:
    if not isinstance(error, ValidationError):
        yield {"text": str(error)}
        return
    flat = ([e for errors in error.error_dict.values() for e in errors]
            if hasattr(error, "error_dict") else error.error_list)
    for part in flat:
        if part.code in ERRORS:
            yield {"code": part.code, "params": dict(part.params or {})}
        else:
            yield {"text": "; ".join(part.messages)}


def _stored_error(error: Exception) -> str:
    parts = list(_error_parts(error))
    if not any("code" in part for part in parts):
        return "; ".join(part["text"] for part in parts)
    return json.dumps({"errors": parts}, ensure_ascii=False)


def error_text(request: ApprovalRequest) -> str:
    """Why `request` could not be carried out, in the active language ("" if nothing failed)."""
    stored = request.last_error
    try:
        parts = json.loads(stored)["errors"] if stored.startswith("{") else None
    except (ValueError, KeyError, TypeError):
        parts = None
    if not isinstance(parts, list):
        return stored
    shown = []
    for part in parts:
        message = ERRORS.get(part.get("code", "")) if isinstance(part, dict) else None
        if message is None:
            shown.append(str(part.get("text", "")) if isinstance(part, dict) else str(part))
            continue
        try:
            shown.append(str(message) % part.get("params", {}))
        except (KeyError, TypeError, ValueError):
            shown.append(str(message))
    return "; ".join(shown)


# -- an approved request that could not be carried out: again, or withdrawn ------------------


def can_retry(request: ApprovalRequest, member: Member) -> bool:
    """Whether `member` may carry out again (or withdraw) an approved request that failed: its
    requester, or anyone who could have approved it."""
    spec = ACTIONS.get(request.action)
    return (
        spec is not None
        and request.status == ApprovalRequest.Status.APPROVED
        and (request.requested_by_id == member.pk or policy.has_roles(member, spec.approvers))
    )


def _require_retry(request: ApprovalRequest, member: Member | None) -> None:
    if member is not None and not can_retry(request, member):
        if request.status != ApprovalRequest.Status.APPROVED:
            raise ApprovalError(
                _("Request #%(id)s is not waiting to be carried out.") % {"id": request.pk}
            )
        raise ApprovalError(_("Only its requester or a member who may approve it can do this."))


def retry(request_id: int, member: Member | None) -> ApprovalRequest:
    """Carry out again an approved request that failed (e.g. its fund was short). `member`
    None is the command line."""
    _require_retry(ApprovalRequest.objects.get(pk=request_id), member)
    return execute_approved(request_id)


def withdraw_approved(request_id: int, member: Member) -> ApprovalRequest:
    """Give up an approved request that could not be carried out: nothing of it runs."""
    with transaction.atomic():
        request = _locked(request_id)
        _require_retry(request, member)
        request.status = ApprovalRequest.Status.WITHDRAWN
        request.save(update_fields=["status"])
        record("approval.withdrawn", actor=member, obj=request,
               details={"action": request.action, "after_approval": True})
    return request


def reject(request_id: int, member: Member) -> ApprovalRequest:
    _expire_if_overdue(request_id)
    with transaction.atomic():
        request = _locked(request_id)
        spec = _spec(request.action)
        if request.status != ApprovalRequest.Status.PENDING:
            raise ApprovalError(
                _("Request #%(id)s is no longer pending.") % {"id": request.pk}
            )
        if request.requested_by_id == member.pk:
            request.status = ApprovalRequest.Status.WITHDRAWN
            action = "approval.withdrawn"
        else:
            policy.require(
                member, spec.approvers,
                refusal=_("Only a member with the right role may reject this."),
            )
            request.status = ApprovalRequest.Status.REJECTED
            request.decided_by = member
            request.decided_at = timezone.now()
            action = "approval.rejected"
        request.save(update_fields=["status", "decided_by", "decided_at"])
        record(action, actor=member, obj=request, details={"action": request.action})
    return request


def expire_overdue() -> int:
    """Mark every overdue pending request expired; run by `pompolit approvals expire`."""
    overdue = ApprovalRequest.objects.filter(
        status=ApprovalRequest.Status.PENDING, expires_at__lte=timezone.now()
    ).values_list("pk", flat=True)
    return sum(_expire_if_overdue(pk) for pk in list(overdue))


def _refusal(spec: ActionSpec, request: ApprovalRequest, approver: Member) -> str | None:
    return spec.refuses_approver(request.payload, approver) if spec.refuses_approver else None


def can_decide(request: ApprovalRequest, member: Member) -> bool:
    spec = ACTIONS.get(request.action)
    return (
        spec is not None
        and request.status == ApprovalRequest.Status.PENDING
        and request.expires_at > timezone.now()
        and request.requested_by_id != member.pk
        and policy.has_roles(member, spec.approvers)
        and not _refusal(spec, request, member)
    )
