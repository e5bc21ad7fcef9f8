from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Mapping
from typing import Any, ClassVar

import rfc8785
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pompolit.audit import chain, stamps
from pompolit.audit.models import AuditEntry
from pompolit.core.sealed_text import SealedTextField
from pompolit.members.roles import Role

NO_SUPERUSERS = (
    "Pompolit has no superusers, in any mode. Use `pompolit init` to create the founding "
    "coordinators (or `pompolit demo` for the demo logins); every later role needs a second "
    "person's approval."
)


def pseudonym_key(pseudonym: str) -> str:
    return unicodedata.normalize("NFKC", " ".join(pseudonym.split())).casefold()[:64]


class MemberManager(BaseUserManager["Member"]):
    def create_user(self, pseudonym: str, password: str | None = None, **extra: Any) -> Member:
        member = self.model(pseudonym=pseudonym, **extra)
        member.set_password(password)
        member.save(using=self._db)
        return member

    def create_superuser(self, *args: Any, **kwargs: Any) -> Member:
        # There are no superusers: roles come from `pompolit init` or from approved requests.
        raise PermissionDenied(NO_SUPERUSERS)


class Member(AbstractBaseUser):
    """A member of the group, known by a pseudonym; no real name or e-mail is required."""

    pseudonym = models.CharField(
        _("pseudonym"),
        max_length=64,
        unique=True,
        help_text=_("The name other members know you by. It need not be your real name."),
    )
    # The pseudonym as people would read it (case and look-alike forms folded): unique, so
    # nobody can join as "вера фигнер" beside "Вера Фигнер". The database cannot do this
    # itself: SQLite's lower() and LIKE fold only ASCII letters.
    pseudonym_key = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    # The founding coordinators (pompolit init) are the only members who were never vouched.
    is_founder = models.BooleanField(default=False)
    vouched_at = models.DateTimeField(_("vouched"), null=True, blank=True)
    invited_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects: ClassVar[MemberManager] = MemberManager()

    USERNAME_FIELD = "pseudonym"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["pseudonym"]

    def __str__(self) -> str:
        return self.pseudonym

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.pseudonym_key = pseudonym_key(self.pseudonym)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "pseudonym" in update_fields:
            kwargs["update_fields"] = {*update_fields, "pseudonym_key"}
        super().save(*args, **kwargs)

    @property
    def is_vouched(self) -> bool:
        return self.is_founder or self.vouched_at is not None

    def roles(self) -> frozenset[str]:
        # Only grants with their sealed record in the audit trail count (see verified_roles).
        cached: frozenset[str] | None = getattr(self, "_roles_cache", None)
        if cached is None:
            cached = verified_roles(self)
            self._roles_cache = cached
        return cached

    def has_role(self, role: str) -> bool:
        return self.is_active and self.is_vouched and role in self.roles()

    def compartment_ids(self) -> frozenset[int]:
        cached: frozenset[int] | None = getattr(self, "_compartments_cache", None)
        if cached is None:
            cached = verified_compartments(self)
            self._compartments_cache = cached
        return cached

    def forget_cached_access(self) -> None:
        self.__dict__.pop("_roles_cache", None)
        self.__dict__.pop("_compartments_cache", None)


class RoleGrant(models.Model):
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="role_grants")
    role = models.CharField(max_length=32, choices=Role.choices)
    granted_at = models.DateTimeField(default=timezone.now)
    # Every grant comes from an executed approval request, except the founders' own.
    approval = models.ForeignKey(
        "members.ApprovalRequest", null=True, blank=True, on_delete=models.PROTECT
    )
    founding = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "role"], name="role_grant_unique"),
            models.CheckConstraint(
                condition=Q(approval__isnull=False) | Q(founding=True),
                name="role_grant_needs_approval_or_founding",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.get_role_display()}"


class Compartment(models.Model):
    """A need-to-know group: the sensitive records it holds are seen only by its members."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("short name"), max_length=60, unique=True, allow_unicode=False)
    # Encrypted by the vault (core.sealed_text); the name stays in clear: a label in menus.
    description = SealedTextField(_("description"))
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("compartment")
        verbose_name_plural = _("compartments")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CompartmentGrant(models.Model):
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="compartment_grants")
    compartment = models.ForeignKey(Compartment, on_delete=models.PROTECT, related_name="grants")
    granted_at = models.DateTimeField(default=timezone.now)
    approval = models.ForeignKey("members.ApprovalRequest", on_delete=models.PROTECT)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "compartment"], name="compartment_grant_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.compartment}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    """A single-use link a coordinator gives to a future member; only its hash is stored."""

    token_hash = models.CharField(max_length=64, unique=True)
    note = SealedTextField(
        _("note for coordinators"),
        max_length=200,
        help_text=_("Optional, e.g. who introduced them. Do not write a real name."),
    )
    created_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.OneToOneField(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="invitation"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"invitation #{self.pk}"

    def is_usable(self) -> bool:
        return self.used_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class Vouch(models.Model):
    """One member's word that another is who they say and may be trusted."""

    voucher = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="vouches_given")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="vouches_received")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["voucher", "member"], name="vouch_once"),
            models.CheckConstraint(condition=~Q(voucher=models.F("member")), name="no_self_vouch"),
        ]

    def __str__(self) -> str:
        return f"{self.voucher} → {self.member}"


class OrganisationSetting(models.Model):
    """Rules the group changes only with two people (e.g. the vouching threshold)."""

    key = models.CharField(max_length=64, unique=True)
    value = models.JSONField()
    changed_at = models.DateTimeField(default=timezone.now)
    approval = models.ForeignKey("members.ApprovalRequest", on_delete=models.PROTECT)

    def __str__(self) -> str:
        return self.key


def vouches_required() -> int:
    row = OrganisationSetting.objects.filter(key="vouches_required").first()
    return int(row.value) if row else int(settings.POMPOLIT_VOUCHES_REQUIRED)


class ApprovalRequest(models.Model):
    """An action that needs a second person: stored with its exact payload until decided."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        APPROVED = "approved", _("approved, not yet carried out")
        EXECUTED = "executed", _("carried out")
        REJECTED = "rejected", _("rejected")
        EXPIRED = "expired", _("expired")
        WITHDRAWN = "withdrawn", _("withdrawn")

    action = models.CharField(max_length=64)
    payload = models.JSONField()
    payload_digest = models.CharField(max_length=64)
    reason = SealedTextField(_("reason"))  # encrypted by the vault (core.sealed_text)
    requested_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    executed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            # The two-person rule in the database itself: no path may record a self-approval.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("requested_by")),
                name="approval_not_by_requester",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "executed"]) | Q(decided_by__isnull=False),
                name="approval_has_approver",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action}"


class Notice(models.Model):
    """Something a member must be told at their next login (e.g. their roles changed)."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="notices")
    # What happened and to whom, rendered in the reader's language when shown.
    kind = models.CharField(max_length=64)
    params = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.member}: {self.kind}"


# -- which grants count ------------------------------------------------------------------------
#
# A role or compartment grant gives access only with its stamped record. A grant row says who may
# do what; anyone who can write the database can insert one. So when a member's access is computed
# (Member.roles, Member.compartment_ids), every grant is checked against the audit trail: a
# founding grant needs the stamped `member.founded` entry of that member, any other grant the
# stamped `approval.approved` entry of an executed request whose payload names exactly this
# member and this role (or compartment). A grant without its record gives nothing — fail closed.
# It is written here, beside the grants, so that the models import none of the services.

APPROVED = "approval.approved"
FOUNDED = "member.founded"


def canonical_request(action: str, payload: Mapping[str, Any]) -> bytes:
    """The exact bytes the fingerprint covers (RFC 8785), also shown to the approver."""
    return rfc8785.dumps({"action": action, "payload": dict(payload)})


def payload_digest(action: str, payload: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_request(action, payload)).hexdigest()


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


def approval_record(request: ApprovalRequest) -> dict[str, Any]:
    """What the approval entry asserts, as the request row says it now; the stamp covers it."""
    decided_at = request.decided_at
    return {
        "request": request.pk,
        "action": request.action,
        "payload_digest": payload_digest(request.action, request.payload),
        "requested_by": request.requested_by_id,
        "approver": request.decided_by_id,
        "decided_at": chain.timestamp(decided_at) if decided_at is not None else None,
    }


def is_stamped_approval(request: ApprovalRequest, entry: AuditEntry) -> bool:
    """Whether `entry` is this server's stamped record of exactly this approval."""
    return (
        entry.action == APPROVED
        and entry.object_id == str(request.pk)
        and entry.actor_id == request.decided_by_id
        and stamps.is_valid(entry.details)
        and stamps.record_of(entry.details) == approval_record(request)
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
