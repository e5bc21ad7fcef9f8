"""An item's life: approved (its cost reserved in the books), sent (paid), then delivered,
returned, lost or confiscated. Each step is one transaction: the item's state, its history
(`AidTransition`), the entry in the books and the audit entry are written together or not at
all — a crash between "sent" and the payment leaves neither.

Approval: the facility rules must pass (aid/rules.py). Up to the expense threshold
(`ledger.expenses.approval_threshold`, in the base currency) — counted over the case's aid of
30 days either side (`needs_second_person`) — a case worker of the compartment approves;
above it a coordinator must, through the two-person approval `approve_aid_item` —
and neither the member who asked nor the one who made the item may be that coordinator.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pompolit.aid import rules
from pompolit.aid.books import postings
from pompolit.aid.models import (
    TRANSITIONS,
    AidItem,
    AidStepNote,
    AidTransition,
    Channel,
    Kind,
    Status,
)
from pompolit.aid.services import amount_of, check_case_access, refuse_gone
from pompolit.audit.services import record
from pompolit.cases import services as cases
from pompolit.cases.models import EventType
from pompolit.cases.partial import PartialDate
from pompolit.core.dates import show_date
from pompolit.ledger import labels
from pompolit.ledger.expenses.services import WINDOW_DAYS, above_threshold, approval_threshold
from pompolit.ledger.templatetags.money import money
from pompolit.members import approvals
from pompolit.members.approvals import ApprovalError, approval_action
from pompolit.members.models import ApprovalRequest, Member
from pompolit.members.roles import Role

APPROVE_ACTION = "approve_aid_item"


class RulesBroken(ValidationError):
    """The item breaks its facility's rules; `violations` says how."""

    def __init__(self, violations: list[rules.Violation]) -> None:
        self.violations = violations
        super().__init__([v.message for v in violations], code="rules")


# -- the two-person threshold ------------------------------------------------------------------

# The two-person threshold counts a case's aid over WINDOW_DAYS (ledger.expenses: the same
# window as expenses') either side of the item's planned day, and the aid approved in as many
# days before now, so that 10,000 cannot pass as three transfers of 9,999 (docs/aid.md).


def window_items(item: AidItem) -> QuerySet[AidItem]:
    """The case's other aid that costs money, approved or further on (a draft — also one
    whose approval was withdrawn — counts only when it is approved), planned less than
    WINDOW_DAYS before or after this item, or approved in the last WINDOW_DAYS (when the
    server recorded it: so that items planned months apart but approved today count too)."""
    span = datetime.timedelta(days=WINDOW_DAYS)
    recent = AidTransition.objects.filter(to_status=Status.APPROVED,
                                          recorded_at__gt=timezone.now() - span)
    return (AidItem.objects.filter(case_id=item.case_id, cost_units__gt=0)
            .filter(Q(planned_on__gt=item.planned_on - span,
                      planned_on__lt=item.planned_on + span)
                    | Q(pk__in=recent.values("item_id")))
            .exclude(status=Status.DRAFT).exclude(pk=item.pk).select_related("currency"))


def needs_second_person(item: AidItem) -> bool:
    """The one place that decides it: this item's cost with the case's aid in the window
    (`window_items`) above the expense threshold, each converted into the threshold's
    currency at the rate of its planned day. An amount that cannot be converted (no rate)
    needs a second person too."""
    return _above_threshold([item, *window_items(item)])


def _above_threshold(items: list[AidItem]) -> bool:
    return above_threshold((amount_of(counted), counted.planned_on) for counted in items)


# -- steps ---------------------------------------------------------------------------------------


def _locked(item: AidItem) -> AidItem:
    return (AidItem.objects.select_for_update().select_related("case__status", "case__person",
                                                               "currency", "fund")
            .get(pk=item.pk))


def _step(actor: Member | None, item: AidItem, to: str, on: datetime.date, *, channel: str = "",
          note: str = "") -> None:
    if to not in TRANSITIONS[item.status]:
        raise ValidationError(
            _("An item that is %(now)s cannot become %(to)s.")
            % {"now": item.get_status_display(), "to": Status(to).label}
        )
    step = AidTransition.objects.create(item=item, from_status=item.status, to_status=to,
                                        on=on, channel=channel, actor=actor)
    if note.strip():
        AidStepNote.objects.create(transition=step, compartment_id=item.compartment_id,
                                   note=note.strip()[:300])
    record("aid.item_" + to, actor=actor, obj=item,
           details={"from": item.status, "on": on.isoformat(), "channel": channel})
    item.status = to
    item.version += 1
    item.updated_at = timezone.now()


def _check_version(item: AidItem, version: int | None) -> None:
    if version is not None and item.version != version:
        raise ValidationError(_(
            "Someone else changed this item while you were looking at it (it is now at "
            "version %(now)d, you saw %(then)d). Reload the page and check it again."
        ) % {"now": item.version, "then": version}, code="stale")


def _approve(actor: Member, item: AidItem, on: datetime.date,
             approval: ApprovalRequest | None = None) -> AidItem:
    """Check the rules, reserve the money, mark approved: one transaction."""
    refuse_gone(item.case)
    if item.status != Status.DRAFT:
        raise ValidationError(_("Only a draft can be approved; this item is %(status)s.")
                              % {"status": item.get_status_display()})
    violations = rules.check_item(item)
    if violations:
        raise RulesBroken(violations)
    item.reservation = postings.reserve(actor, item, on)
    _step(actor, item, Status.APPROVED, on)
    item.approved_by, item.approval = actor, approval
    item.flags, item.flagged_at = [], None
    item.save()
    return item


def approve_item(actor: Member, item: AidItem, *, on: datetime.date | None = None,
                 version: int | None = None) -> AidItem:
    """Approve at once: up to the threshold, by a case worker of the compartment."""
    check_case_access(actor, item.case)
    with transaction.atomic():
        item = _locked(item)
        _check_version(item, version)
        if item.cost_units:
            _refuse_above_threshold(item)
        return _approve(actor, item, on or timezone.localdate())


def _refuse_above_threshold(item: AidItem) -> None:
    # Approvals of one case's aid wait for each other here, so that two approved at the same
    # moment cannot each fit under the threshold without the other.
    list(AidItem.objects.select_for_update().filter(case_id=item.case_id).values_list("pk"))
    if not needs_second_person(item):
        return
    if _above_threshold([item]):
        raise ValidationError(_(
            "This item costs %(amount)s, above %(threshold)s: a coordinator must approve it "
            "as a second person. Ask for approval instead."
        ) % {"amount": amount_of(item), "threshold": approval_threshold()})
    raise ValidationError(ngettext(
        "This item costs %(amount)s; together with the case's other aid planned within "
        "%(days)d day of it, it comes above %(threshold)s: a coordinator must approve it as a "
        "second person. Ask for approval instead.",
        "This item costs %(amount)s; together with the case's other aid planned within "
        "%(days)d days of it, it comes above %(threshold)s: a coordinator must approve it as a "
        "second person. Ask for approval instead.", WINDOW_DAYS,
    ) % {"amount": amount_of(item), "days": WINDOW_DAYS, "threshold": approval_threshold()})


def _open_requests(item: AidItem) -> Any:
    return ApprovalRequest.objects.filter(action=APPROVE_ACTION, payload__item=item.pk,
                                          status=ApprovalRequest.Status.PENDING)


def pending_request(item: AidItem) -> ApprovalRequest | None:
    found: ApprovalRequest | None = _open_requests(item).first()
    return found


def request_item_approval(actor: Member, item: AidItem, *, reason: str = "") -> ApprovalRequest:
    """Ask a coordinator to approve an item (needed above the threshold). The rules are
    checked now too, so nobody is asked to approve what the facility would refuse."""
    check_case_access(actor, item.case)
    if _open_requests(item).exists():
        raise ValidationError(_("This item is already waiting for a coordinator's approval."))
    refuse_gone(item.case)
    violations = rules.check_item(item)
    if violations:
        raise RulesBroken(violations)
    return approvals.request_approval(actor, APPROVE_ACTION, _payload(item), reason=reason)


def _payload(item: AidItem) -> dict[str, Any]:
    return {"item": item.pk, "version": item.version, "kind": item.kind,
            "amount": str(amount_of(item)), "fund": item.fund.code, "case": item.case_id,
            "created_by": item.created_by_id}


def _item(payload: dict[str, Any]) -> AidItem:
    pk = payload.get("item")
    found = AidItem.objects.select_related("fund", "currency", "case").filter(
        pk=pk if isinstance(pk, int) else -1).first()
    if found is None:
        raise ValidationError(_("There is no aid item #%(id)s.") % {"id": pk})
    return found


def _validate(payload: dict[str, Any]) -> None:
    item = _item(payload)
    if item.status != Status.DRAFT:
        raise ValidationError(_("Aid item #%(id)s is no longer a draft.") % {"id": item.pk})
    if payload != _payload(item):
        raise ValidationError(_("Aid item #%(id)s was changed after approval was asked for; "
                                "ask again.") % {"id": item.pk})


def describe_request(payload: dict[str, Any]) -> str:
    kind = Kind(payload["kind"]).label if payload.get("kind") in Kind.values else "?"
    return _("Approve aid item #%(id)s (%(kind)s, case #%(case)s): %(amount)s from the fund "
             "%(fund)s") % {"id": payload.get("item"), "kind": kind, "case": payload.get("case"),
                            "amount": money(str(payload.get("amount"))),
                            "fund": labels.fund_name_of(payload.get("fund"))}


def _maker_may_not_approve(payload: dict[str, Any], approver: Member) -> str | None:
    if payload.get("created_by") == approver.pk:
        return _("The member who made an aid item cannot approve it.")
    return None


@approval_action(APPROVE_ACTION, describe=describe_request, validate=_validate,
                 requester_role=Role.CASE_WORKER, approver_role=Role.COORDINATOR,
                 refuses_approver=_maker_may_not_approve)
def _execute_approval(request: ApprovalRequest) -> None:
    approver = request.decided_by
    if approver is None:
        raise ApprovalError(_("Nobody approved this item."))
    _validate(request.payload)
    item = _locked(_item(request.payload))
    if approver.pk in (item.created_by_id, request.requested_by_id):
        raise ApprovalError(_("The member who made an aid item cannot approve it."))
    _approve(approver, item, timezone.localdate(), approval=request)


def withdraw_approval(actor: Member, item: AidItem, *, note: str = "",
                      version: int | None = None) -> AidItem:
    """Back to draft before sending: the reservation is reversed in the books."""
    check_case_access(actor, item.case)
    on = timezone.localdate()
    with transaction.atomic():
        item = _locked(item)
        _check_version(item, version)
        if item.status != Status.APPROVED:
            raise ValidationError(_("Only an approved item that is not yet sent can go back to "
                                    "draft."))
        postings.release(actor, item, on)
        _step(actor, item, Status.DRAFT, on, note=note)
        item.reservation, item.approved_by, item.approval = None, None, None
        item.flags, item.flagged_at = [], None
        item.save()
    return item


def send_item(actor: Member, item: AidItem, *, on: datetime.date, channel: str,
              tracking_number: str = "", from_account: str = postings.PAID_FROM,
              version: int | None = None) -> AidItem:
    """Sent: the payment is posted in the same transaction, so there is never one without the
    other. A flagged item (its rules or facility changed since approval) is not sent."""
    check_case_access(actor, item.case)
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Choose how it is sent.")})
    with transaction.atomic():
        item = _locked(item)
        _check_version(item, version)
        if item.status != Status.APPROVED:
            raise ValidationError(_("Only an approved item can be sent; this one is %(status)s.")
                                  % {"status": item.get_status_display()})
        if on < item.planned_on - datetime.timedelta(days=31):
            raise ValidationError({"on": _("That is long before the day it was planned for.")})
        violations = recheck(item, save=False)
        if violations:
            raise RulesBroken(violations)
        item.payment = postings.pay(actor, item, on, from_account)
        _step(actor, item, Status.SENT, on, channel=channel)
        item.channel, item.sent_on = channel, on
        if tracking_number.strip():
            item.tracking_number = tracking_number.strip()
        item.save()
    return item


def close_item(actor: Member, item: AidItem, outcome: str, *, on: datetime.date,
               note: str = "", version: int | None = None) -> AidItem:
    """Delivered, returned, lost or confiscated. Returned money is refunded in the books;
    what was lost, confiscated or returned as goods is written off to the `:lost` account."""
    check_case_access(actor, item.case)
    with transaction.atomic():
        item = _locked(item)
        _check_version(item, version)
        if item.status != Status.SENT:
            raise ValidationError(_("Only a sent item can be delivered, returned, lost or "
                                    "confiscated."))
        if item.sent_on and on < item.sent_on:
            raise ValidationError({"on": _("That is before it was sent (%(day)s).")
                                   % {"day": show_date(item.sent_on)}})
        if outcome == Status.RETURNED and item.kind == Kind.MONEY:
            item.settlement = postings.refund(actor, item, on)
        elif outcome in (Status.RETURNED, Status.LOST, Status.CONFISCATED):
            item.settlement = postings.write_off(actor, item, on, outcome)
        _step(actor, item, outcome, on, note=note)
        item.closed_on = on
        item.save()
        if outcome == Status.DELIVERED:
            _sign_of_life(actor, item, on, "delivery")
    return item


# -- signs of life -------------------------------------------------------------------------------

# The timeline's event type of each sign of life (codes of cases' vocabulary, migration 0014):
# a reply is a letter or a call; a delivery is the kind of aid that arrived.
CONTACT_EVENTS = {"letter": "letter", "call": "call"}
DELIVERY_EVENTS = {
    Kind.PARCEL: "parcel-delivered", Kind.MONEY: "money-delivered",
    Kind.LETTER: "letter-delivered", Kind.BOOKS: "books-delivered",
    Kind.LAWYER: "aid-delivered", Kind.TRAVEL: "aid-delivered",
}


def event_type_of(item: AidItem, how: str) -> EventType:
    """The event type a sign of life after this item is logged as on the case's timeline."""
    code = DELIVERY_EVENTS[Kind(item.kind)] if how == "delivery" else CONTACT_EVENTS[how]
    return EventType.objects.get(code=code)


def _sign_of_life(actor: Member, item: AidItem, on: datetime.date, how: str) -> None:
    summary = {
        "delivery": _("Aid item #%(id)s delivered: confirmation received."),
        "letter": _("Reply letter received (aid item #%(id)s)."),
        "call": _("Call received (aid item #%(id)s)."),
    }[how] % {"id": item.pk}
    cases.add_event(actor, item.case, type=event_type_of(item, how),
                    date=PartialDate.from_date(on), summary=summary,
                    source=_("aid item #%(id)s") % {"id": item.pk})


def record_reply(actor: Member, item: AidItem, *, how: str, on: datetime.date,
                 note: str = "") -> None:
    """A reply letter or a call after an item: a sign of life on the case (its last contact)."""
    check_case_access(actor, item.case)
    if how not in ("letter", "call"):
        raise ValidationError({"how": _("Choose a letter or a call.")})
    if on > timezone.localdate():
        raise ValidationError({"on": _("That day has not come yet.")})
    with transaction.atomic():
        _sign_of_life(actor, item, on, how)
        record("aid.reply_recorded", actor=actor, obj=item, details={"how": how,
                                                                     "on": on.isoformat()})


# -- re-checking approved items -------------------------------------------------------------------


def recheck(item: AidItem, *, save: bool = True) -> list[rules.Violation]:
    """Check an approved item again (its rules or the person's facility may have changed);
    flag it with what is wrong now, or clear its flag."""
    violations = rules.check_item(item)
    flags = [v.as_dict() for v in violations]
    if save and flags != item.flags:
        AidItem.objects.filter(pk=item.pk).update(
            flags=flags, flagged_at=timezone.now() if flags else None)
        item.flags, item.flagged_at = flags, timezone.now() if flags else None
        record("aid.item_flagged" if flags else "aid.item_flag_cleared", obj=item,
               details={"codes": [v.code for v in violations]})
    return violations


def recheck_approved(items: Any) -> int:
    """Re-check these approved items; how many are flagged now."""
    flagged = 0
    for item in items.filter(status=Status.APPROVED).select_related(
            "case__person", "case__sentence_regime", "currency").distinct():
        flagged += bool(recheck(item))
    return flagged


def flags_of(item: AidItem) -> list[rules.Violation]:
    return [rules.Violation.from_dict(flag) for flag in item.flags or []]
