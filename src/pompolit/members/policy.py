"""The access policy, in one place.

Every view declares what it needs with `@requires(...)`, naming one of the requirements
defined below (and nowhere else); views of third-party apps (allauth) are declared in
THIRD_PARTY by URL name. `AccessPolicyMiddleware` enforces the declaration before any view
runs — the stage, the roles, the compartment and, for dangerous actions, a fresh
re-authentication ("sudo mode") — and refuses views that declare nothing, so a forgotten
declaration fails closed. `core/tests/test_access_matrix.py` walks every URL against every
kind of visitor. Services check the same requirements with `require(actor, access)`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from pompolit.members.roles import Role

if TYPE_CHECKING:
    from pompolit.members.models import Compartment, Member

F = TypeVar("F", bound=Callable[..., Any])


class Stage:
    """How far into the door a visitor must be, from the street to full membership."""

    ANONYMOUS = 0  # anyone, signed in or not
    PASSWORD = 1  # signed in with a password, second factor perhaps not yet set up
    TWO_FACTOR = 2  # signed in with both factors, perhaps not yet vouched for
    VOUCHED = 3  # a full member
    NOBODY = 99  # switched off: views a third-party app brings that Pompolit does not use


@dataclass(frozen=True)
class Access:
    stage: int = Stage.VOUCHED
    # Any one of these roles is enough; empty means any member who reached the stage.
    roles: frozenset[str] = frozenset()
    # The URL keyword argument naming a compartment (by slug) the member must be granted.
    compartment_kwarg: str | None = None
    # A dangerous action: the member must have typed their password again in the last few
    # minutes (allauth's re-authentication, POMPOLIT_SUDO_MINUTES).
    sudo: bool = False

    def describe(self) -> str:
        parts = {0: "public", 1: "password", 2: "two-factor", 3: "vouched member", 99: "nobody"}[
            self.stage
        ]
        if self.roles:
            parts += " with role " + " or ".join(sorted(self.roles))
        if self.compartment_kwarg:
            parts += f" in compartment <{self.compartment_kwarg}>"
        if self.sudo:
            parts += ", re-authenticated"
        return parts


PUBLIC = Access(stage=Stage.ANONYMOUS)
PASSWORD_ONLY = Access(stage=Stage.PASSWORD)
SIGNED_IN = Access(stage=Stage.TWO_FACTOR)
MEMBER = Access()
DISABLED = Access(stage=Stage.NOBODY)


def role(*roles: Role, compartment_kwarg: str | None = None) -> Access:
    return Access(roles=frozenset(roles), compartment_kwarg=compartment_kwarg)


def in_compartment(kwarg: str = "compartment") -> Access:
    return Access(compartment_kwarg=kwarg)


def sudo(access: Access) -> Access:
    """The same requirement, plus a password typed again in the last few minutes."""
    return replace(access, sudo=True)


# -- the named requirements: views and services use these, and define none of their own ------

COORDINATOR = role(Role.COORDINATOR)
TREASURER = role(Role.TREASURER)
CASE_WORKER = role(Role.CASE_WORKER)
HOTLINE_OPERATOR = role(Role.HOTLINE_OPERATOR)
# A case worker granted the compartment named by the URL's `compartment`.
CASE_WORKER_IN_COMPARTMENT = role(Role.CASE_WORKER, compartment_kwarg="compartment")
# Any member granted the compartment named by the URL's `compartment`.
MEMBER_IN_COMPARTMENT = in_compartment("compartment")
# The audit trail and the activity of the group.
AUDIT_READERS = role(Role.COORDINATOR, Role.AUDITOR)
# The books: balances, statements, rates, bank mappings (read only for auditors).
BOOKS_READERS = role(Role.TREASURER, Role.AUDITOR)
# Expenses: case workers submit and follow their own, treasurers pay, auditors read.
EXPENSE_SUBMITTERS = role(Role.TREASURER, Role.CASE_WORKER)
EXPENSE_READERS = role(Role.TREASURER, Role.AUDITOR, Role.CASE_WORKER)
# The detention hotline (intake): operators enter reports in the hotline compartment (a city or
# an event) named by the URL; the surge board is read by them, coordinators and case workers on
# duty (the lawyers' coordinators) granted that compartment.
HOTLINE_OPERATOR_IN_COMPARTMENT = role(Role.HOTLINE_OPERATOR, compartment_kwarg="compartment")
HOTLINE_STAFF = role(Role.HOTLINE_OPERATOR, Role.COORDINATOR, Role.CASE_WORKER)
SURGE_BOARD_READERS = replace(HOTLINE_STAFF, compartment_kwarg="compartment")
# Reports from the public (web form, bot) wait in quarantine; the hotline's own operators review
# them. The form, the code's status page and the public counts are for anyone (`PUBLIC`).
PUBLIC_REPORT_REVIEWERS = HOTLINE_OPERATOR_IN_COMPARTMENT
# Protests and events: a hotline's operators add them (from the console as a report names one,
# or on the events page) and correct their names, towns and dates.
EVENT_KEEPERS = HOTLINE_OPERATOR_IN_COMPARTMENT
# Lawyers on duty (intake/duty): the hotline's coordinators and operators add them, send them to
# police stations and recall them. Lawyers are records, not members (most are not members, and
# Pompolit has no lawyer role): the board's readers see where they are and their free places.
LAWYER_DISPATCHERS = role(Role.COORDINATOR, Role.HOTLINE_OPERATOR, compartment_kwarg="compartment")
# The shift log: written and read by everyone on duty who reads the board.
SHIFT_LOG_KEEPERS = SURGE_BOARD_READERS
# Exporting a hotline's detentions (intake/exports.py), for lawyers, a partner group or an
# offline copy: the board's readers export the list as the board shows it (names, birth years,
# stations, events, statuses, flags, counts of reports). Those who send lawyers out (the
# hotline's operators and coordinators) get the lawyer's columns too: the place, the van, the
# lawyer, which medicine, injuries and devices. Relatives' and reporters' contacts only the
# hotline's operators, who read them on a detention's page, and only with the box ticked and a
# coordinator's approval (a second person: intake/export_contacts.py).
DETENTION_EXPORTERS = SURGE_BOARD_READERS
DETENTION_EXPORT_DETAILS = LAWYER_DISPATCHERS
DETENTION_EXPORT_CONTACTS = HOTLINE_OPERATOR_IN_COMPARTMENT
# Duplicate people: coordinators review the pairs the scan finds, decide, merge and undo
# (merging is under sudo mode at the view; across compartments it also needs a second person).
DUPLICATE_REVIEWERS = role(Role.COORDINATOR)
# Reports of inaccuracies sent from the public pages (public/): the case workers of the case's
# compartment read and close them (the service checks the compartment of each report).
INACCURACY_REVIEWERS = role(Role.CASE_WORKER)
# A name being typed in: those who register people are shown who may already be registered.
MATCH_SEEKERS = role(Role.CASE_WORKER, Role.HOTLINE_OPERATOR)
# Letters to prisoners: case workers and coordinators moderate the letters strangers write,
# send them, follow them and type in the replies (letters/work.py).
LETTER_MODERATORS = role(Role.COORDINATOR, Role.CASE_WORKER)
# Holiday campaigns of letters (New Year cards…): coordinators make them; moderators read their
# statistics (letters/campaigns.py).
LETTER_CAMPAIGN_ORGANISERS = role(Role.COORDINATOR)
# Translating letters written in a language the facility's censor does not read: any full
# member may volunteer, and sees only the letters in the languages they declared
# (letters/translations.py); every letter opened and every translation is in the trail.
LETTER_TRANSLATORS = MEMBER


ATTR = "pompolit_access"


def requires(access: Access) -> Callable[[F], F]:
    """Declare what a view needs. The middleware does the checking."""

    def decorate(view: F) -> F:
        setattr(view, ATTR, access)
        return view

    return decorate


# allauth's views, by URL name. Names missing here are refused (fail closed).
THIRD_PARTY: dict[str, Access] = {
    "account_login": PUBLIC,
    "account_logout": PASSWORD_ONLY,
    "account_reauthenticate": PASSWORD_ONLY,
    "account_change_password": SIGNED_IN,
    "mfa_authenticate": PUBLIC,
    "mfa_reauthenticate": PASSWORD_ONLY,
    "mfa_index": PASSWORD_ONLY,
    "mfa_activate_totp": PASSWORD_ONLY,
    "mfa_deactivate_totp": SIGNED_IN,
    "mfa_view_recovery_codes": SIGNED_IN,
    "mfa_generate_recovery_codes": SIGNED_IN,
    "mfa_download_recovery_codes": SIGNED_IN,
    "mfa_list_webauthn": SIGNED_IN,
    "mfa_add_webauthn": PASSWORD_ONLY,
    "mfa_remove_webauthn": SIGNED_IN,
    "mfa_edit_webauthn": SIGNED_IN,
    "mfa_signup_webauthn": PUBLIC,
    "mfa_login_webauthn": PUBLIC,
    "mfa_trust": PUBLIC,
    "set_language": PUBLIC,
    "mfa_reauthenticate_webauthn": PASSWORD_ONLY,
    # Members have no e-mail or phone on file and never sign up by themselves.
    **{
        name: DISABLED
        for name in (
            "account_inactive",
            "account_signup",
            "account_email",
            "account_email_verification_sent",
            "account_set_password",
            "account_reset_password",
            "account_confirm_login_code",
            "account_confirm_email",
            "account_verify_phone",
            "account_change_phone",
            "account_confirm_password_reset_code",
            "account_complete_password_reset",
            "account_password_reset_completed",
            "account_reset_password_from_key_done",
            "account_reset_password_from_key",
            "account_reset_password_done",
            "account_signup_by_passkey",
            "account_request_login_code",
        )
    },
}


def access_for(view: Callable[..., Any], url_name: str | None) -> Access | None:
    declared: Access | None = getattr(view, ATTR, None)
    if declared is None and hasattr(view, "view_class"):
        declared = getattr(view.view_class, ATTR, None)
    if declared is None and url_name:
        declared = THIRD_PARTY.get(url_name)
    return declared


def stage_of(member: Member | Any) -> int:
    if not getattr(member, "is_authenticated", False) or not member.is_active:
        return Stage.ANONYMOUS
    from pompolit.members.twofactor import has_second_factor

    if not has_second_factor(member):
        return Stage.PASSWORD
    if not member.is_vouched:
        return Stage.TWO_FACTOR
    return Stage.VOUCHED


def has_roles(member: Member, access: Access) -> bool:
    return not access.roles or any(member.has_role(r) for r in access.roles)


def require(actor: Member | None, access: Access, refusal: str | None = None) -> None:
    """A service's check of the same requirement a view declares.

    `actor` None is the command line, run by whoever holds the server; a member needs one of
    the roles. Compartments are the service's own business (it holds the record, not a URL).
    `refusal` is the message to show instead of the generic one.
    """
    if actor is None or has_roles(actor, access):
        return
    if refusal is None:
        labels = " / ".join(sorted(str(Role(r).label) for r in access.roles))
        refusal = _("This needs the %(role)s role.") % {"role": labels}
    raise PermissionDenied(refusal)


def current_member(request: HttpRequest) -> Member:
    """The signed-in member; the access policy has already made sure there is one."""
    from pompolit.members.models import Member

    user = request.user
    assert isinstance(user, Member)
    return user


class MemberRequest(HttpRequest):
    """The request a view declared with `requires` receives: the policy has made sure `user` is
    a member at the declared stage, and set `compartment` where the access names one."""

    user: Member
    compartment: Compartment
