"""How the trail says what members, sign-ins and approvals did (audit/descriptions.py): in the
reader's language, from the facts each entry keeps. A request's entries say what it does by
asking its action's `describe` now, from the request's payload, so a Russian page reads Russian
whatever language the request was made in."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pompolit.audit import services as audit_services
from pompolit.audit.descriptions import describe_as, describes, label
from pompolit.audit.models import AuditEntry
from pompolit.members import approvals
from pompolit.members.models import ApprovalRequest, Compartment
from pompolit.members.roles import Role
from pompolit.members.trail.forms import FINDINGS

SECOND_FACTORS = [
    ("totp", gettext_lazy("authenticator app")),
    ("webauthn", gettext_lazy("security key")),
    ("recovery_codes", gettext_lazy("recovery codes")),
]


def _what(entry: AuditEntry) -> str:
    """What the request the entry is about does, in the active language."""
    request = None
    if entry.object_type == ApprovalRequest._meta.label_lower and entry.object_id.isdigit():
        request = ApprovalRequest.objects.filter(pk=int(entry.object_id)).first()
    if request is not None and request.action in approvals.ACTIONS:
        return approvals.describe(request)
    stored = entry.details.get("summary")  # an older entry of a request since gone
    return stored if isinstance(stored, str) and stored else _("an action no longer known")


def _request(template: Any) -> Any:
    def describer(entry: AuditEntry) -> str:
        return str(template) % {"id": entry.object_id or "?", "what": _what(entry)}

    return describer


for action, template in (
    (approvals.REQUESTED, gettext_lazy("Request #%(id)s: %(what)s")),
    ("approval.approved", gettext_lazy("Approved request #%(id)s: %(what)s")),
    ("approval.rejected", gettext_lazy("Rejected request #%(id)s: %(what)s")),
    ("approval.withdrawn", gettext_lazy("Request #%(id)s withdrawn: %(what)s")),
    ("approval.expired", gettext_lazy("Request #%(id)s expired undecided: %(what)s")),
    ("approval.failed", gettext_lazy("Request #%(id)s could not be carried out: %(what)s")),
    (approvals.EXECUTED, gettext_lazy("Carried out request #%(id)s: %(what)s")),
    (
        approvals.FORGED_ALERT,
        gettext_lazy(
            "Request #%(id)s was not carried out: its approval in the trail is not genuine "
            "(%(what)s)"
        ),
    ),
):
    describes(action)(_request(template))


def _role(entry: AuditEntry) -> dict[str, str]:
    return {"role": label(Role.choices, entry.details.get("role"))}


def _compartment(entry: AuditEntry) -> dict[str, str]:
    slug = entry.details.get("compartment") or entry.details.get("slug")
    name = Compartment.objects.filter(slug=str(slug)).values_list("name", flat=True).first()
    return {"compartment": name or str(slug or "?")}


def _second_factor(entry: AuditEntry) -> dict[str, str]:
    return {"type": label(SECOND_FACTORS, entry.details.get("type"))}


def _finding(entry: AuditEntry) -> dict[str, str]:
    return {"finding": label(FINDINGS, entry.details.get("finding"))}


describe_as("role.granted", gettext_lazy("%(member)s was given the %(role)s role"), _role)
describe_as("role.revoked", gettext_lazy("%(member)s no longer has the %(role)s role"), _role)
describe_as(
    "compartment.granted",
    gettext_lazy("%(member)s was given access to the compartment %(compartment)s"),
    _compartment,
)
describe_as(
    "compartment.revoked",
    gettext_lazy("%(member)s no longer has access to the compartment %(compartment)s"),
    _compartment,
)
describe_as(
    "compartment.created", gettext_lazy("Created the compartment %(compartment)s"), _compartment
)
describe_as("setting.changed", gettext_lazy("Vouches a new member needs: %(vouches_required)s"))
describe_as(
    "member.founded", gettext_lazy("%(pseudonym)s founded the group, as its first coordinator")
)
describe_as("invitation.created", gettext_lazy("Created invitation #%(object)s"))
describe_as("invitation.revoked", gettext_lazy("Revoked invitation #%(object)s"))
describe_as("member.joined", gettext_lazy("Joined by invitation #%(invitation)s"))
describe_as("member.vouch", gettext_lazy("Vouched for %(member)s (%(count)s of %(needed)s needed)"))
describe_as("member.vouched", gettext_lazy("%(member)s is vouched for: a full member now"))
describe_as("login", gettext_lazy("Signed in"))
describe_as("login.failed", gettext_lazy("Failed to sign in"))
describe_as("login.blocked", gettext_lazy("Sign-in refused: too many failed attempts"))
describe_as("logout", gettext_lazy("Signed out"))
describe_as(
    "member.second_factor_added", gettext_lazy("Set up a second factor: %(type)s"), _second_factor
)
describe_as(
    "member.second_factor_removed",
    gettext_lazy("Removed a second factor: %(type)s"),
    _second_factor,
)
describe_as(
    "member.second_factor_reset", gettext_lazy("Renewed a second factor: %(type)s"), _second_factor
)
describe_as(
    audit_services.ALERT_ACKNOWLEDGED,
    gettext_lazy("Acknowledged alert #%(alert)s: %(finding)s"),
    _finding,
)
