"""A hotline's list with the relatives' and reporters' contacts: two people.

The list without contacts (exports.py) holds what the board shows its readers, and the lawyer's
columns those who send lawyers out read on a detention's page: it is written at once, since in
a surge a second person's approval would come after the lawyers have left. The contacts are
another matter: every family's phone and every reporter's contact in one unencrypted file is
the bulk export the threat model gives to two people (docs/intake.md). So an operator who ticks
the box asks for an approval (`intake.export_contacts`, members/approvals.py, like the
registry's sensitive export in cases/io/exporting.py); a coordinator other than the operator
approves it on the approvals page; carrying out the approval queues the list
(`exports.queue_approved`), which the operator downloads once, like any list. The worker writes
contacts for no other row (`exports.approved_contacts`).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pompolit.audit.services import record
from pompolit.cases.models import Facility
from pompolit.core.exports import refuse_own_export
from pompolit.intake import exports
from pompolit.intake.export_models import DetentionExport, ExportFormat
from pompolit.intake.models import ProtestEvent
from pompolit.members.approvals import (
    Fact,
    Section,
    Summary,
    approval_action,
    approval_summary,
    is_open,
    request_approval,
)
from pompolit.members.models import ApprovalRequest, Compartment, Member
from pompolit.members.roles import Role

ACTION = exports.CONTACTS_ACTION


def _gone() -> ValidationError:
    return ValidationError(
        _(
            "The hotline, the member, the event or the police station of this request no longer "
            "exists."
        )
    )


def _day(text: Any) -> datetime.date | None:
    return datetime.date.fromisoformat(str(text)) if text else None


def _parts(
    payload: dict[str, Any],
) -> tuple[Member, Compartment, exports.Filters, str, str]:
    """The member, the hotline, the filters, the format and the language the request names."""
    event, station = payload.get("event"), payload.get("station")
    try:
        member = Member.objects.get(pk=int(payload.get("requested_by", 0)))
        compartment = Compartment.objects.get(slug=str(payload.get("compartment")))
        filters = exports.Filters(
            event=None if event is None else ProtestEvent.objects.get(pk=int(event)),
            facility=None if station is None else Facility.objects.get(pk=int(station)),
            held_only=bool(payload.get("held_only")),
            date_from=_day(payload.get("from")),
            date_to=_day(payload.get("to")),
        )
        fmt = ExportFormat(str(payload.get("format"))).value
    except (
        Member.DoesNotExist,
        Compartment.DoesNotExist,
        ProtestEvent.DoesNotExist,
        Facility.DoesNotExist,
        TypeError,
        ValueError,
    ):
        raise _gone() from None
    return member, compartment, filters, fmt, str(payload.get("language") or "ru")


def _validate(payload: dict[str, Any]) -> None:
    """The operator may still have the hotline's contacts (checked again when approved)."""
    member, compartment, *_rest = _parts(payload)
    try:
        exports.check(member, compartment)
    except PermissionDenied as error:
        raise ValidationError(str(error)) from None
    if not exports.may_export_contacts(member):
        raise ValidationError(_("Only the hotline's operators may export contacts."))


def _describe(payload: dict[str, Any]) -> str:
    slug = str(payload.get("compartment"))
    name = Compartment.objects.filter(slug=slug).values_list("name", flat=True).first()
    return str(
        gettext_lazy(
            "Export the list of detentions of the hotline “%(compartment)s” with the relatives' "
            "names and phones and the reporters' contacts, as %(format)s, for the operator who "
            "asked"
        )
    ) % {"compartment": name or slug, "format": str(payload.get("format", "")).upper()}


@approval_action(
    ACTION,
    describe=_describe,
    validate=_validate,
    requester_role=Role.HOTLINE_OPERATOR,
    approver_role=Role.COORDINATOR,
    refuses_approver=refuse_own_export,
)
def _approved(request: ApprovalRequest) -> None:
    _validate(request.payload)  # the operator may have lost the hotline since asking
    member, compartment, filters, fmt, language = _parts(request.payload)
    row = exports.queue_approved(request, member, compartment, filters, fmt, language)
    record(
        "intake.export_contacts_approved",
        actor=request.decided_by,
        obj=compartment,
        details={**exports.details(row), "requested_by": member.pseudonym},
    )


def _filter_facts(filters: exports.Filters) -> list[Fact]:
    facts = [Fact(_("Who"), _("held now") if filters.held_only else _("everyone, released too"))]
    if filters.event is not None:
        facts.append(Fact(_("Event"), filters.event.name))
    if filters.facility is not None:
        facts.append(
            Fact(_("Police station"), filters.facility.short_name or filters.facility.name)
        )
    if filters.date_from or filters.date_to:
        days = f"{filters.date_from or '…'} – {filters.date_to or '…'}"
        facts.append(Fact(_("Detained"), days))
    return facts


@approval_summary(ACTION)
def _summarize(request: ApprovalRequest, viewer: Member) -> Summary:
    try:
        _member, compartment, filters, fmt, _language = _parts(request.payload)
    except ValidationError as error:
        return Summary(
            _describe(request.payload),
            [Section(_("What leaves the server"), note=" ".join(error.messages))],
        )
    facts = [
        Fact(_("For"), str(request.requested_by)),
        Fact(_("Hotline"), compartment.name),
        *_filter_facts(filters),
        Fact(_("Format"), fmt.upper()),
    ]
    if is_open(request):
        listed = DetentionExport(
            compartment=compartment,
            event=filters.event,
            facility=filters.facility,
            held_only=filters.held_only,
            date_from=filters.date_from,
            date_to=filters.date_to,
        )
        count = exports.detentions(listed, exports.Tier.BOARD).count()
        facts.append(Fact(_("Detentions in the list now"), str(count)))
    hours = int(exports.lifetime().total_seconds() // 3600)
    note = _(
        "The file leaves the server unencrypted: whoever gets it can call the families and the "
        "people who reported. Once approved, the list is written and waits, encrypted, for the "
        "operator who asked, who can download it once within %(hours)s hours."
    ) % {"hours": hours}
    return Summary(
        _describe(request.payload), [Section(_("What leaves the server"), facts, note=note)]
    )


def request_contacts(
    actor: Member, compartment: Compartment, filters: exports.Filters, fmt: str, *, reason: str
) -> ApprovalRequest:
    """Ask a second person to let the list with contacts out; nothing is queued until then."""
    exports.check(actor, compartment)
    if not exports.may_export_contacts(actor):
        raise PermissionDenied(_("Only the hotline's operators may export contacts."))
    if not reason.strip():
        raise ValidationError(
            {"reason": _("Say why the contacts must leave the server: the approver needs to know.")}
        )
    waiting = pending(actor, compartment)
    if waiting is not None:
        raise ValidationError(
            _(
                "Your request #%(id)s for the list with contacts is still waiting; withdraw it on "
                "its page to ask for another."
            )
            % {"id": waiting.pk}
        )
    language = translation.get_language() or settings.LANGUAGE_CODE
    payload = exports.approval_payload(actor, compartment, filters, fmt, language)
    return request_approval(actor, ACTION, payload, reason=reason.strip())


def _requests(actor: Member, compartment: Compartment) -> QuerySet[ApprovalRequest]:
    return ApprovalRequest.objects.filter(
        action=ACTION, requested_by=actor, payload__compartment=compartment.slug
    ).order_by("-requested_at", "-pk")


def pending(actor: Member, compartment: Compartment) -> ApprovalRequest | None:
    """The member's request for the hotline's list with contacts still waiting for a decision."""
    return (
        _requests(actor, compartment)
        .filter(status=ApprovalRequest.Status.PENDING, expires_at__gt=timezone.now())
        .first()
    )


def latest(actor: Member, compartment: Compartment) -> ApprovalRequest | None:
    """The member's last request for the list with contacts, while the export page has
    something to say about it (waiting, refused, expired, withdrawn, approved but not carried
    out); None once carried out — the list itself is then on the page — or a list's lifetime
    after it would have expired."""
    since = timezone.now() - exports.lifetime()
    found = _requests(actor, compartment).filter(expires_at__gt=since).first()
    if found is None or found.status == ApprovalRequest.Status.EXECUTED:
        return None
    return found


def state(request: ApprovalRequest) -> str:
    """What the export page says of the request: its status, with an overdue one expired."""
    if request.status == ApprovalRequest.Status.PENDING and request.expires_at <= timezone.now():
        return ApprovalRequest.Status.EXPIRED.value
    return str(request.status)
