"""Everything that changes membership: invitations, vouching, roles, compartments, notices.

Views and commands call these; they check the actor's right to act themselves (defence in
depth: the access policy has already checked the page) and write to the audit trail in the
same transaction as the change.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django_stubs_ext import StrOrPromise

from pompolit.audit import stamps
from pompolit.audit.services import record
from pompolit.members import policy
from pompolit.members.approvals import (
    ApprovalError,
    Fact,
    Section,
    Summary,
    approval_action,
    approval_summary,
    describe,
)
from pompolit.members.models import (
    FOUNDED,
    ApprovalRequest,
    Compartment,
    CompartmentGrant,
    Invitation,
    Member,
    Notice,
    OrganisationSetting,
    RoleGrant,
    Vouch,
    founding_record,
    hash_token,
    pseudonym_key,
    vouches_required,
)
from pompolit.members.roles import Role

MIN_COORDINATORS = 2


def _member(pk: Any) -> Member:
    try:
        return Member.objects.get(pk=int(pk))
    except (Member.DoesNotExist, TypeError, ValueError):
        raise ValidationError(_("There is no member #%(id)s.") % {"id": pk}) from None


def _int_or_zero(value: Any) -> int:
    # Payloads are JSON; anything but a plain integer id matches no row (pk 0 never exists).
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def notify(member: Member, kind: str, **params: Any) -> Notice:
    return Notice.objects.create(member=member, kind=kind, params=params)


# -- founding -------------------------------------------------------------------------------


def create_founder(pseudonym: str, password: str) -> Member:
    """Only `pompolit init` calls this: founders are the one exception to vouching."""
    validate_password(password)
    with transaction.atomic():
        member = Member.objects.create_user(pseudonym, password, is_founder=True)
        RoleGrant.objects.create(member=member, role=Role.COORDINATOR, founding=True)
        # Sealed: the founding grant counts only with this record (models.verified_roles).
        record(FOUNDED, actor=member, obj=member, details=stamps.stamped(founding_record(member)))
    return member


# -- invitations and vouching ---------------------------------------------------------------


def create_invitation(actor: Member, *, note: str = "") -> tuple[Invitation, str]:
    """Returns the invitation and its token; the token is shown once and only its hash kept."""
    policy.require(actor, policy.COORDINATOR)
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        invitation = Invitation.objects.create(
            token_hash=hash_token(token),
            note=note,
            created_by=actor,
            created_at=now,
            expires_at=now + settings.POMPOLIT_INVITATION_TTL,
        )
        record("invitation.created", actor=actor, obj=invitation)
    return invitation, token


def usable_invitation(token: str) -> Invitation | None:
    invitation = Invitation.objects.filter(token_hash=hash_token(token)).first()
    return invitation if invitation is not None and invitation.is_usable() else None


def revoke_invitation(actor: Member, invitation: Invitation) -> None:
    policy.require(actor, policy.COORDINATOR)
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.used_at is None and invitation.revoked_at is None:
            invitation.revoked_at = timezone.now()
            invitation.save(update_fields=["revoked_at"])
            record("invitation.revoked", actor=actor, obj=invitation)


def accept_invitation(token: str, *, pseudonym: str, password: str) -> Member:
    """The invitee chooses a pseudonym and password; they have no access until vouched for."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update().filter(token_hash=hash_token(token)).first()
        )
        if invitation is None or not invitation.is_usable():
            raise ValidationError(
                _("This invitation link is not valid any more. Ask a coordinator for a new one.")
            )
        if Member.objects.filter(pseudonym_key=pseudonym_key(pseudonym)).exists():
            raise ValidationError(
                {"pseudonym": _("This pseudonym is taken; choose another.")}
            )
        candidate = Member(pseudonym=pseudonym)
        try:
            validate_password(password, candidate)
        except ValidationError as error:
            raise ValidationError({"password1": error.messages}) from None
        try:
            member = Member.objects.create_user(
                pseudonym, password, invited_by=invitation.created_by
            )
        except IntegrityError:
            raise ValidationError(
                {"pseudonym": _("This pseudonym is taken; choose another.")}
            ) from None
        invitation.used_at = timezone.now()
        invitation.used_by = member
        invitation.save(update_fields=["used_at", "used_by"])
        record("member.joined", actor=member, obj=member, details={"invitation": invitation.pk})
    return member


def vouch(voucher: Member, member: Member) -> Vouch:
    """Record one vouch; with enough of them the member becomes a full member."""
    if voucher.pk == member.pk:
        raise ValidationError(_("You cannot vouch for yourself."))
    with transaction.atomic():
        # Both read afresh: the caller's objects may be older than a deactivation or a vouch.
        voucher = Member.objects.get(pk=voucher.pk)
        if not voucher.is_vouched or not voucher.is_active:
            raise PermissionDenied(_("Only full members can vouch for others."))
        member = Member.objects.select_for_update().get(pk=member.pk)
        if not member.is_active:
            raise ValidationError(
                _("%(member)s is no longer a member.") % {"member": member.pseudonym}
            )
        if member.is_vouched:
            raise ValidationError(
                _("%(member)s is already a full member.") % {"member": member.pseudonym}
            )
        if Vouch.objects.filter(voucher=voucher, member=member).exists():
            raise ValidationError(
                _("You have already vouched for %(member)s.") % {"member": member.pseudonym}
            )
        given = Vouch.objects.create(voucher=voucher, member=member)
        count = Vouch.objects.filter(member=member).count()
        needed = vouches_required()
        record(
            "member.vouch",
            actor=voucher,
            obj=member,
            details={"member": member.pseudonym, "count": count, "needed": needed},
        )
        if count >= needed:
            member.vouched_at = timezone.now()
            member.save(update_fields=["vouched_at"])
            record("member.vouched", obj=member, details={"member": member.pseudonym})
            notify(member, "vouched")
    return given


def awaiting_vouches() -> list[Member]:
    return list(
        Member.objects.filter(is_founder=False, vouched_at__isnull=True, is_active=True)
        .prefetch_related("vouches_received__voucher")
        .order_by("date_joined")
    )


# -- compartments ---------------------------------------------------------------------------


def create_compartment(
    actor: Member, *, name: str, slug: str, description: str = ""
) -> Compartment:
    policy.require(actor, policy.COORDINATOR)
    with transaction.atomic():
        if Compartment.objects.filter(slug=slug).exists():
            raise ValidationError({"slug": _("A compartment with this short name exists.")})
        if Compartment.objects.filter(name__iexact=name).exists():
            raise ValidationError({"name": _("A compartment with this name exists.")})
        compartment = Compartment.objects.create(
            name=name, slug=slug, description=description, created_by=actor
        )
        record("compartment.created", actor=actor, obj=compartment, details={"slug": slug})
    return compartment


def revoke_compartment(actor: Member, member: Member, compartment: Compartment) -> None:
    """Taking access away is immediate: it can only reduce what a member sees."""
    policy.require(actor, policy.COORDINATOR)
    with transaction.atomic():
        deleted, _rows = CompartmentGrant.objects.filter(
            member=member, compartment=compartment
        ).delete()
        if deleted:
            record(
                "compartment.revoked",
                actor=actor,
                obj=member,
                details={"member": member.pseudonym, "compartment": compartment.slug},
            )
            notify(member, "compartment_revoked", compartment=compartment.name)


# -- roles ----------------------------------------------------------------------------------


def coordinators() -> list[Member]:
    # has_role: only grants with their stamped record count, as everywhere.
    return [
        grant.member
        for grant in RoleGrant.objects.filter(role=Role.COORDINATOR, member__is_active=True)
        .select_related("member")
        if grant.member.has_role(Role.COORDINATOR)
    ]


def revoke_role(actor: Member, member: Member, role: str) -> None:
    """Immediate for every role but coordinator, whose removal needs a second person."""
    policy.require(actor, policy.COORDINATOR)
    if role == Role.COORDINATOR:
        raise ApprovalError(_("Removing a coordinator needs a second coordinator's approval."))
    with transaction.atomic():
        deleted, _rows = RoleGrant.objects.filter(member=member, role=role).delete()
        if deleted:
            record(
                "role.revoked",
                actor=actor,
                obj=member,
                details={"member": member.pseudonym, "role": role},
            )
            notify(member, "role_revoked", role=role)


# -- actions that need a second person ------------------------------------------------------


def _validate_member_role(payload: dict[str, Any]) -> None:
    _member(payload.get("member"))
    if payload.get("role") not in Role.values:
        raise ValidationError(_("Unknown role: %(role)s") % {"role": payload.get("role")})


def _validate_grant_role(payload: dict[str, Any]) -> None:
    _validate_member_role(payload)
    member = _member(payload["member"])
    if not member.is_vouched:
        raise ValidationError(
            _("%(member)s is not yet vouched for and cannot be given a role.")
            % {"member": member.pseudonym}
        )
    if RoleGrant.objects.filter(member=member, role=payload["role"]).exists():
        raise ValidationError(
            _("%(member)s already has this role.") % {"member": member.pseudonym}
        )


def _describe_role(verb: StrOrPromise) -> Any:
    def describe(payload: dict[str, Any]) -> str:
        member = Member.objects.filter(pk=_int_or_zero(payload.get("member"))).first()
        role = payload.get("role", "")
        role_label = Role(role).label if role in Role.values else role
        return str(verb) % {"role": role_label, "member": member.pseudonym if member else "?"}

    return describe


@approval_action(
    "grant_role",
    describe=_describe_role(gettext_lazy("Give the %(role)s role to %(member)s")),
    validate=_validate_grant_role,
)
def _grant_role(request: ApprovalRequest) -> None:
    _validate_grant_role(request.payload)
    member = _member(request.payload["member"])
    RoleGrant.objects.create(member=member, role=request.payload["role"], approval=request)
    record(
        "role.granted",
        actor=request.decided_by,
        obj=member,
        details={"member": member.pseudonym, "role": request.payload["role"],
                 "approval": request.pk},
    )
    notify(member, "role_granted", role=request.payload["role"])


def _validate_revoke_coordinator(payload: dict[str, Any]) -> None:
    member = _member(payload.get("member"))
    if not RoleGrant.objects.filter(member=member, role=Role.COORDINATOR).exists():
        raise ValidationError(
            _("%(member)s is not a coordinator.") % {"member": member.pseudonym}
        )
    # Even in demo mode one must stay; outside it, two, so that anything can be approved.
    minimum = 1 if settings.DEMO_MODE else MIN_COORDINATORS
    if len(coordinators()) <= minimum:
        raise ValidationError(
            _("The group must keep at least %(n)s coordinators, or nothing could be approved.")
            % {"n": minimum}
        )


@approval_action(
    "revoke_coordinator",
    describe=_describe_role(gettext_lazy("Remove %(member)s as coordinator")),
    validate=_validate_revoke_coordinator,
)
def _revoke_coordinator(request: ApprovalRequest) -> None:
    # Two removals approved at once must not both see the same count and both go ahead.
    list(RoleGrant.objects.select_for_update().filter(role=Role.COORDINATOR))
    _validate_revoke_coordinator(request.payload)
    member = _member(request.payload["member"])
    RoleGrant.objects.filter(member=member, role=Role.COORDINATOR).delete()
    record(
        "role.revoked",
        actor=request.decided_by,
        obj=member,
        details={"member": member.pseudonym, "role": Role.COORDINATOR, "approval": request.pk},
    )
    notify(member, "role_revoked", role=Role.COORDINATOR)


def _compartment(pk: Any) -> Compartment:
    try:
        return Compartment.objects.get(pk=int(pk))
    except (Compartment.DoesNotExist, TypeError, ValueError):
        raise ValidationError(_("There is no compartment #%(id)s.") % {"id": pk}) from None


def _validate_grant_compartment(payload: dict[str, Any]) -> None:
    member = _member(payload.get("member"))
    compartment = _compartment(payload.get("compartment"))
    if not member.is_vouched:
        raise ValidationError(
            _("%(member)s is not yet vouched for.") % {"member": member.pseudonym}
        )
    if CompartmentGrant.objects.filter(member=member, compartment=compartment).exists():
        raise ValidationError(
            _("%(member)s already has access to %(compartment)s.")
            % {"member": member.pseudonym, "compartment": compartment.name}
        )


def _describe_compartment(payload: dict[str, Any]) -> str:
    member = Member.objects.filter(pk=_int_or_zero(payload.get("member"))).first()
    compartment = Compartment.objects.filter(pk=_int_or_zero(payload.get("compartment"))).first()
    return _("Give %(member)s access to the compartment %(compartment)s") % {
        "member": member.pseudonym if member else "?",
        "compartment": compartment.name if compartment else "?",
    }


@approval_action(
    "grant_compartment",
    describe=_describe_compartment,
    validate=_validate_grant_compartment,
)
def _grant_compartment(request: ApprovalRequest) -> None:
    _validate_grant_compartment(request.payload)
    member = _member(request.payload["member"])
    compartment = _compartment(request.payload["compartment"])
    CompartmentGrant.objects.create(member=member, compartment=compartment, approval=request)
    record(
        "compartment.granted",
        actor=request.decided_by,
        obj=member,
        details={"member": member.pseudonym, "compartment": compartment.slug,
                 "approval": request.pk},
    )
    notify(member, "compartment_granted", compartment=compartment.name)


def _validate_threshold(payload: dict[str, Any]) -> None:
    value = payload.get("vouches_required")
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 10:
        raise ValidationError(_("The number of vouches must be a whole number from 1 to 10."))
    if not settings.DEMO_MODE and value < 2:
        raise ValidationError(_("Outside demo mode at least 2 vouches are required."))


@approval_action(
    "set_vouches_required",
    describe=lambda p: _("Require %(n)s vouches for new members")
    % {"n": p.get("vouches_required")},
    validate=_validate_threshold,
)
def _set_vouches_required(request: ApprovalRequest) -> None:
    _validate_threshold(request.payload)
    OrganisationSetting.objects.update_or_create(
        key="vouches_required",
        defaults={"value": request.payload["vouches_required"], "approval": request,
                  "changed_at": timezone.now()},
    )
    record(
        "setting.changed",
        actor=request.decided_by,
        obj=request,
        details={"vouches_required": request.payload["vouches_required"]},
    )


# -- what the approver reads (members/approvals.py, `approval_summary`) ---------------------

ROLE_POWERS = {
    Role.COORDINATOR: gettext_lazy(
        "admits members, gives roles and compartments, approves what needs a second person, "
        "reads the audit trail"),
    Role.TREASURER: gettext_lazy(
        "records donations, pays expenses, publishes statements, may see who gave"),
    Role.CASE_WORKER: gettext_lazy("keeps the cases of the compartments given to them"),
    Role.HOTLINE_OPERATOR: gettext_lazy("takes reports of detentions"),
    Role.AUDITOR: gettext_lazy("reads the books and the audit trail, changes nothing"),
}


def _member_facts(viewer: Member, member: Member | None) -> list[Fact]:
    if member is None:
        return [Fact(_("Member"), _("no longer exists"))]
    href = reverse("member_detail", args=[member.pk]) if viewer.has_role(Role.COORDINATOR) else ""
    roles = sorted(str(Role(r).label) for r in member.roles() if r in Role.values)
    compartments = sorted(Compartment.objects.filter(pk__in=member.compartment_ids())
                          .values_list("name", flat=True))
    return [Fact(_("Member"), member.pseudonym, href),
            Fact(_("Roles now"), ", ".join(roles) or _("none")),
            Fact(_("Compartments now"), ", ".join(compartments) or _("none"))]


def _payload_member(payload: dict[str, Any]) -> Member | None:
    found: Member | None = Member.objects.filter(pk=_int_or_zero(payload.get("member"))).first()
    return found


def _summarize_role(request: ApprovalRequest, viewer: Member) -> Summary:
    payload = request.payload
    role = payload.get("role", "")
    facts = _member_facts(viewer, _payload_member(payload))
    if role in Role.values:
        facts += [Fact(_("Role"), str(Role(role).label)),
                  Fact(_("What the role allows"), str(ROLE_POWERS[Role(role)]))]
    return Summary(describe(request), [Section(_("Who and what"), facts)])


def _summarize_compartment(request: ApprovalRequest, viewer: Member) -> Summary:
    payload = request.payload
    facts = _member_facts(viewer, _payload_member(payload))
    compartment = Compartment.objects.filter(
        pk=_int_or_zero(payload.get("compartment"))).first()
    if compartment is not None:
        facts += [Fact(_("Compartment"), compartment.name),
                  Fact(_("Its members now"), str(compartment.grants.count()))]
    note = _("Access to a compartment lets the member read its sensitive records: the names, "
             "relatives and needs of the people in its cases.")
    return Summary(describe(request), [Section(_("Who and what"), facts, note=note)])


def _summarize_threshold(request: ApprovalRequest, viewer: Member) -> Summary:
    facts = [Fact(_("Vouches needed now"), str(vouches_required())),
             Fact(_("Vouches needed after"), str(request.payload.get("vouches_required")))]
    return Summary(describe(request), [Section(_("What changes"), facts)])


approval_summary("grant_role")(_summarize_role)
approval_summary("revoke_coordinator")(_summarize_role)
approval_summary("grant_compartment")(_summarize_compartment)
approval_summary("set_vouches_required")(_summarize_threshold)


# -- notices --------------------------------------------------------------------------------

NOTICE_TEXTS = {
    "vouched": gettext_noop("You are now a full member of the group."),
    "role_granted": gettext_noop("You were given the role: %(role)s."),
    "role_revoked": gettext_noop("Your role was removed: %(role)s."),
    "compartment_granted": gettext_noop(
        "You were given access to the compartment %(compartment)s."
    ),
    "compartment_revoked": gettext_noop(
        "Your access to the compartment %(compartment)s was removed."
    ),
}


def register_notice_texts(texts: dict[str, str]) -> None:
    """Other apps (the vault, later the books) add the notices they send, by kind."""
    for kind, text in texts.items():
        if NOTICE_TEXTS.setdefault(kind, text) != text:
            raise ValueError(f"notice kind {kind!r} is already registered with another text")


def notice_text(notice: Notice) -> str:
    params = dict(notice.params)
    if "role" in params and params["role"] in Role.values:
        params["role"] = Role(params["role"]).label
    return _(NOTICE_TEXTS.get(notice.kind, notice.kind)) % params


def take_unseen_notices(member: Member) -> list[str]:
    with transaction.atomic():
        notices = list(Notice.objects.select_for_update().filter(member=member, seen_at=None))
        Notice.objects.filter(pk__in=[n.pk for n in notices]).update(seen_at=timezone.now())
    return [notice_text(n) for n in notices]


def recent_activity(days: int = 90) -> list[Any]:
    """What coordinators see in their feed: changes made with two people, and membership."""
    from pompolit.audit.models import AuditEntry

    return list(
        AuditEntry.objects.filter(
            action__in=ACTIVITY_ACTIONS, at__gte=timezone.now() - timedelta(days=days)
        ).order_by("-seq")[:200]
    )


ACTIVITY_ACTIONS = [
    "approval.executed",
    "approval.requested",
    "approval.rejected",
    "member.joined",
    "member.vouched",
    "role.revoked",
    "compartment.created",
    "compartment.revoked",
    "member.founded",
]
