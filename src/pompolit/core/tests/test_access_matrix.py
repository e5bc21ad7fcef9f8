"""The access matrix: every URL the resolver knows × every kind of visitor × GET and POST.

The URLs are walked from Django's resolver, so a URL added by any app later is covered without
touching this file — unless its keyword arguments are new, in which case the test says which
table to extend. The expected outcome comes from the declaration the view makes
(`pompolit.members.policy.access_for`), and the visitor kinds are described here independently
of the policy code, so a bug in the policy's own checks shows up as a mismatch.
"""

from __future__ import annotations

import copy
import time
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, include, path, reverse

from pompolit.audit.models import AuditEntry
from pompolit.members import approvals, policy
from pompolit.members.middleware import AccessPolicyMiddleware
from pompolit.members.policy import Access, Stage
from pompolit.members.roles import Role
from pompolit.members.services import create_invitation


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name" where the URL sits in a namespace
    url_name: str
    kwarg_names: frozenset[str]
    callback: Callable[..., Any]


def walk(
    patterns: list[Any], namespace: str = "", kwargs: frozenset[str] = frozenset()
) -> Iterator[Route | str]:
    """Every URL pattern, through every include; unnamed patterns come back as their route."""
    for pattern in patterns:
        names = kwargs | frozenset(pattern.pattern.regex.groupindex)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, inner, names)
        elif isinstance(pattern, URLPattern):
            if not pattern.name:
                yield str(pattern.pattern)
            else:
                yield Route(namespace + pattern.name, pattern.name, names, pattern.callback)


# -- the visitors -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Visitor:
    key: str
    stage: int
    roles: frozenset[str] = frozenset()
    in_compartment: bool = False

    def admitted(self, access: Access) -> bool:
        if access.stage == Stage.NOBODY or self.stage < access.stage:
            return False
        if access.roles and not self.roles & access.roles:
            return False
        return not access.compartment_kwarg or self.in_compartment


VISITORS = [
    Visitor("anonymous", Stage.ANONYMOUS),
    # A coordinator by role, but with no second factor yet: the role must not help.
    Visitor("password_only", Stage.PASSWORD),
    Visitor("unvouched", Stage.TWO_FACTOR),
    Visitor("coordinator", Stage.VOUCHED, frozenset({Role.COORDINATOR})),
    Visitor("treasurer", Stage.VOUCHED, frozenset({Role.TREASURER})),
    Visitor("case_worker", Stage.VOUCHED, frozenset({Role.CASE_WORKER})),
    Visitor("hotline_operator", Stage.VOUCHED, frozenset({Role.HOTLINE_OPERATOR})),
    Visitor("auditor", Stage.VOUCHED, frozenset({Role.AUDITOR})),
    # No role and outside the compartment; `insider` is the same but granted the compartment.
    Visitor("no_role", Stage.VOUCHED),
    Visitor("insider", Stage.VOUCHED, in_compartment=True),
]


@dataclass
class World:
    members: dict[str, Any]
    compartment: Any
    invitation: Any
    token: str
    approval: Any
    authenticator: Any
    extra: dict[str, Any] = field(default_factory=dict)


@pytest.fixture
def world(founders, make_member, compartment) -> World:
    members: dict[str, Any] = {
        "anonymous": None,
        "password_only": make_member("Андрей Желябов", Role.COORDINATOR, two_factor=False),
        "unvouched": make_member("Григорий Гольденберг", vouched=False),
        "coordinator": founders[0],
        "treasurer": make_member("Мария Ошанина", Role.TREASURER),
        "case_worker": make_member("Николай Морозов", Role.CASE_WORKER),
        "hotline_operator": make_member("Анна Якимова", Role.HOTLINE_OPERATOR),
        "auditor": make_member("Михаил Фроленко", Role.AUDITOR),
        "no_role": make_member("Геся Гельфман"),
        "insider": make_member("Тимофей Михайлов", compartments=[compartment]),
    }
    for member in members.values():
        # As allauth does when a member sets up TOTP, so the recovery-code pages have codes.
        if member is not None and member.pk != members["password_only"].pk:
            RecoveryCodes.activate(member)
    invitation, token = create_invitation(founders[0], note="через Перовскую")
    approval = approvals.request_approval(
        founders[0], "grant_role", {"member": members["no_role"].pk, "role": Role.TREASURER}
    )
    return World(
        members=members,
        compartment=compartment,
        invitation=invitation,
        token=token,
        approval=approval,
        authenticator=Authenticator.objects.filter(user=founders[0]).first(),
    )


# -- concrete URLs ----------------------------------------------------------------------------

# Which object a `pk` stands for, by URL name. A new URL with a `pk` must be added here.
PK_OBJECTS: dict[str, Callable[[World], Any]] = {
    "public_inaccuracy_close": lambda w: __import__(
        "pompolit.public.testing", fromlist=["m"]).matrix_report(w),
    "member_detail": lambda w: w.members["insider"],
    "member_emergency_contact": lambda w: w.members["insider"],
    "request_role": lambda w: w.members["insider"],
    "revoke_role": lambda w: w.members["treasurer"],
    "request_compartment": lambda w: w.members["no_role"],
    "revoke_compartment": lambda w: w.members["insider"],
    "revoke_invitation": lambda w: w.invitation,
    "approval_detail": lambda w: w.approval,
    "approval_decide": lambda w: w.approval,
    "approval_retry": lambda w: w.approval,
    "mfa_remove_webauthn": lambda w: w.authenticator,
    "mfa_edit_webauthn": lambda w: w.authenticator,
    **{
        name: lambda w: __import__("pompolit.cases.testing", fromlist=["m"]).matrix(w).case
        for name in ("case_detail", "case_edit", "case_private", "case_event_add",
                     "case_event_remove", "case_name_add", "case_charge_add",
                     "case_relative_add", "case_consent", "case_consent_withdraw",
                     "case_photo", "case_photo_upload", "case_photo_remove", "case_move",
                     "case_hearing_outcome")
    },
    **{
        name: lambda w: __import__("pompolit.cases.testing", fromlist=["m"]).matrix(w).facility
        for name in ("facility_detail", "facility_rule_add")
    },
    **{
        name: lambda w: __import__("pompolit.cases.testing", fromlist=["m"]).matrix(w).case
        for name in ("aid_case", "aid_needs", "aid_item_new", "aid_item_check")
    },
    **{
        name: lambda w: __import__("pompolit.intake.testing", fromlist=["m"]).matrix_detention(w)
        for name in ("intake_detention", "intake_detention_status", "intake_detention_lawyer",
                     "intake_detention_escalate", "intake_detention_public_name")
    },
    "intake_event_edit": lambda w: __import__(
        "pompolit.intake.testing", fromlist=["m"]).matrix_event(w),
    "intake_quarantine_report": lambda w: __import__(
        "pompolit.intake.testing", fromlist=["m"]).matrix_report(w),
    "intake_report_photo": lambda w: __import__(
        "pompolit.intake.testing", fromlist=["m"]).matrix_photo(w),
    **{
        name: lambda w: __import__(
            "pompolit.cases.duplicates.testing", fromlist=["m"]).matrix_merge(w)
        for name in ("merge_detail", "merge_undo")
    },
    **{
        name: lambda w: __import__("pompolit.aid.testing", fromlist=["m"]).matrix_item(w)
        for name in ("aid_item_detail", "aid_item_edit", "aid_item_step")
    },
    **{
        name: lambda w: __import__("pompolit.letters.testing", fromlist=["m"]).matrix_letter(w)
        for name in ("letter_detail", "letter_step", "letter_reply", "letter_translate")
    },
    "letters_birthday_card": lambda w: __import__(
        "pompolit.cases.testing", fromlist=["m"]).matrix(w).case,
    "letter_campaign_edit": lambda w: __import__(
        "pompolit.letters.testing", fromlist=["m"]).matrix_campaign(w),
}

# Every other keyword argument, by name, whatever the URL. New names must be added here.
KWARG_VALUES: dict[str, Callable[[World], Any]] = {
    "token": lambda w: w.token,
    "compartment": lambda w: w.compartment.slug,
    "role_name": lambda w: Role.TREASURER.value,
    "seq": lambda w: AuditEntry.objects.order_by("seq").values_list("seq", flat=True).first(),
    # allauth's e-mail and password-reset links; those views are switched off.
    "key": lambda w: "not-a-key",
    "uidb36": lambda w: "1",
    "event": lambda w: __import__("pompolit.cases.testing", fromlist=["m"]).matrix(w).event.pk,
    "period": lambda w: __import__(
        "pompolit.ledger.testing", fromlist=["m"]).matrix_statement(w),
    "expense": lambda w: __import__(
        "pompolit.ledger.testing", fromlist=["m"]).matrix_expense(w),
    "vocabulary": lambda w: "statuses",
    "term": lambda w: __import__(
        "pompolit.cases.models", fromlist=["m"]).CaseStatus.objects.get(code="sentenced").pk,
    "public_id": lambda w: __import__(
        "pompolit.cases.testing", fromlist=["m"]).matrix_public_case(w).public_id,
    "campaign": lambda w: __import__(
        "pompolit.ledger.testing", fromlist=["m"]).matrix_campaign(w),
    "mapping": lambda w: __import__(
        "pompolit.ledger.testing", fromlist=["m"]).matrix_mapping(w),
    "rule": lambda w: __import__(
        "pompolit.ledger.testing", fromlist=["m"]).matrix_rule(w),
    "number": lambda w: 1,
    "facility": lambda w: __import__(
        "pompolit.cases.testing", fromlist=["m"]).matrix(w).facility.pk,
    "channel": lambda w: "post",
    "first": lambda w: __import__(
        "pompolit.cases.duplicates.testing", fromlist=["m"]).matrix_pair(w)[0].pk,
    "second": lambda w: __import__(
        "pompolit.cases.duplicates.testing", fromlist=["m"]).matrix_pair(w)[1].pk,
    "donation": lambda w: __import__(
        "pompolit.ledger.testing", fromlist=["m"]).matrix_donation(w).pk,
    "leaf": lambda w: __import__(
        "pompolit.ledger.testing", fromlist=["m"]).matrix_donation(w).entry.leaf_index,
    "file": lambda w: "manifest.json",
}

# Views the policy admits that may still refuse by themselves, for a reason of their own.
# Here only the policy's part is checked (it let the visitor through); say why for each.
VIEW_MAY_REFUSE: dict[str, str] = {
    "account_logout": "logging out ends, as it should, on the login page",
    "home": "the front door: visitors go on to log in, members to their dashboard",
    "mfa_authenticate": "a step of a login in progress; without one, back to the login page",
    "mfa_trust": "a step of a login in progress; without one, back to the login page",
    "mfa_signup_webauthn": "a step of a signup in progress; Pompolit has no signup",
    "mfa_remove_webauthn": "a member sees only their own security keys",
    "mfa_edit_webauthn": "a member sees only their own security keys",
    "approval_detail": "only the requester, auditors and members who may decide see a request",
    "approval_decide": "only the requester, auditors and members who may decide see a request",
    "approval_retry": "only the requester and members who may approve it carry a request out "
                      "again; others see no such request",
    "public_case_photo": "404 unless the case has a photo and the consent in force names it",
    "public_inaccuracy_close": "404 unless the report is about a case in one of the case "
                               "worker's compartments",
    "case_hearing_outcome": "404 unless the event is a hearing (the matrix's event is not)",
    "public_hearing_pledge": "404 unless the token is an upcoming public hearing's",
    "public_open_data_file": "503 until the log's signing key exists (the matrix has none)",
    "expense_receipt": "404 unless the expense has that receipt (the matrix's has none)",
    "letter_write": "404 unless the consent in force names the facility (the matrix's names "
                    "only the name): strangers write only where the address may be given",
    "letter_check": "404 unless the consent in force names the facility, as letter_write",
    **{name: "404 unless approved letters wait for that facility and channel (the matrix's "
             "letter waits for moderation)"
       for name in ("letters_batch_pdf", "letters_batch_zip", "letters_batch_sent",
                    "letters_batch_prepare")},
    "letter_translate": "404 unless the letter waits for a translation from a language the "
                        "member declared (the matrix's letter asks for none)",
    "letters_birthday_card": "404 unless the case is in one of the case worker's compartments "
                             "and its facility is known (the matrix's case has none)",
    "intake_telegram_webhook": "404 unless the address and the header carry the bot's secrets "
                               "(only Telegram knows them)",
}


def build_url(route: Route, world: World) -> str:
    kwargs: dict[str, Any] = {}
    for name in route.kwarg_names:
        if name == "pk":
            if route.url_name not in PK_OBJECTS:
                raise LookupError(f"{route.name}: say in PK_OBJECTS which object its pk is")
            kwargs[name] = PK_OBJECTS[route.url_name](world).pk
        elif name in KWARG_VALUES:
            kwargs[name] = KWARG_VALUES[name](world)
        else:
            raise LookupError(f"{route.name}: add the keyword {name!r} to KWARG_VALUES")
    return reverse(route.name, kwargs=kwargs)


# -- the check --------------------------------------------------------------------------------

REDIRECT = {301, 302, 303, 307, 308}


def refusal_pages() -> set[str]:
    return {reverse("account_login"), reverse("mfa_activate_totp"), reverse("waiting")}


def sent_to_refusal_page(response: HttpResponse) -> bool:
    return (
        response.status_code in REDIRECT
        and urlsplit(response["Location"]).path in refusal_pages()
    )


@pytest.fixture
def policy_outcomes(monkeypatch) -> list[str]:
    """What the access middleware decided for each request: 'admitted' or 'refused'."""
    outcomes: list[str] = []
    original = AccessPolicyMiddleware.process_view

    def spy(self: AccessPolicyMiddleware, request: Any, *args: Any) -> Any:
        try:
            response = original(self, request, *args)
        except Exception:
            outcomes.append("refused")
            raise
        outcomes.append("admitted" if response is None else "refused")
        return response

    monkeypatch.setattr(AccessPolicyMiddleware, "process_view", spy)
    return outcomes


def signed_in_cookies(member: Any, *, reauthenticated: bool = False) -> Any:
    client = Client()
    if member is not None:
        client.force_login(member)
        if reauthenticated:
            # What allauth keeps after the password was typed again ("sudo mode").
            session = client.session
            session["account_authentication_methods_user"] = str(member.pk)
            session["account_authentication_methods"] = [
                {"method": "password", "at": time.time(), "reauthenticated": True}
            ]
            session.save()
    return client.cookies


def sent_to_reauthenticate(response: HttpResponse) -> bool:
    return response.status_code in REDIRECT and urlsplit(response["Location"]).path in {
        reverse("account_reauthenticate"), reverse("mfa_reauthenticate")
    }


def visit(cookies: Any, method: str, url: str) -> HttpResponse:
    client = Client(raise_request_exception=False)
    client.cookies = copy.deepcopy(cookies)
    # Each visit is undone afterwards, so a POST that changes something (a logout, a revoked
    # invitation) cannot change what the next visit sees.
    with transaction.atomic():
        response = client.generic(method, url)
        transaction.set_rollback(True)
    return response


def check(route: Route, visitor: Visitor, method: str, response: HttpResponse, outcome: str,
          access: Access) -> str | None:
    status = response.status_code
    where = f" → {response['Location']}" if status in REDIRECT else ""
    seen = f"{status}{where} (policy {outcome})"
    if visitor.admitted(access):
        if outcome != "admitted":
            return f"should be admitted ({access.describe()}), got {seen}"
        if route.url_name in VIEW_MAY_REFUSE:
            return None
        if status in {401, 403, 404} or status >= 500 or sent_to_refusal_page(response):
            return f"admitted by the policy, but the page refused: {seen}"
        return None
    if outcome != "refused":
        return f"should be refused ({access.describe()}), got {seen}"
    if status in {403, 404} or sent_to_refusal_page(response):
        return None
    return f"refused, but not with 403/404 or a redirect to log in / set up 2FA / wait: {seen}"


def all_routes() -> list[Route | str]:
    return list(walk(get_resolver().url_patterns))


def test_every_url_declares_its_access():
    undeclared = []
    for route in all_routes():
        if isinstance(route, str):
            undeclared.append(f"{route} (no URL name: name it so it can be checked)")
        elif policy.access_for(route.callback, route.url_name) is None:
            undeclared.append(route.name)
    assert not undeclared, "URLs with no access declared (use @requires):\n" + "\n".join(
        undeclared
    )


@pytest.mark.parametrize("visitor", VISITORS, ids=lambda v: v.key)
def test_access_matrix(visitor: Visitor, world: World, policy_outcomes: list[str]) -> None:
    member = world.members[visitor.key]
    cookies = signed_in_cookies(member)
    fresh = signed_in_cookies(member, reauthenticated=True)
    mismatches = []
    for route in all_routes():
        if isinstance(route, str):
            continue  # reported by test_every_url_declares_its_access
        access = policy.access_for(route.callback, route.url_name)
        if access is None:
            continue  # ditto
        url = build_url(route, world)
        for method in ("GET", "POST"):
            if access.sudo and visitor.admitted(access):
                # Sudo mode: without a fresh password the policy sends the member to type it
                # again; with one, the visit is judged as any other.
                policy_outcomes.clear()
                response = visit(cookies, method, url)
                if policy_outcomes != ["refused"] or not sent_to_reauthenticate(response):
                    mismatches.append(
                        f"{method:4} {route.name} {url}: should ask for the password again, "
                        f"got {response.status_code} (policy {policy_outcomes})"
                    )
            policy_outcomes.clear()
            response = visit(fresh if access.sudo else cookies, method, url)
            outcome = policy_outcomes[0] if policy_outcomes else "never asked"
            problem = check(route, visitor, method, response, outcome, access)
            if problem:
                mismatches.append(f"{method:4} {route.name} {url}: {problem}")
    assert not mismatches, f"as {visitor.key}:\n" + "\n".join(mismatches)


def test_dangerous_actions_are_declared_under_sudo_mode():
    # The views that hand out power or secrets: the declaration, not a decorator of their
    # own, asks for the password again — so the matrix above checks it.
    routes = {r.url_name: r for r in all_routes() if isinstance(r, Route)}
    dangerous = {"request_role", "revoke_role", "request_compartment", "invite", "rules",
                 "approval_decide", "audit_export_head", "donor_forget", "publish_statement",
                 "member_emergency_contact"}
    missing = sorted(
        name for name in dangerous & routes.keys()
        if not policy.access_for(routes[name].callback, name).sudo  # type: ignore[union-attr]
    )
    assert not missing, f"not under sudo mode: {missing}"
    assert dangerous <= routes.keys(), sorted(dangerous - routes.keys())


def test_the_matrix_covers_the_apps_urls():
    names = {route.url_name for route in all_routes() if isinstance(route, Route)}
    # A sample from each app, to notice if the walk ever stops descending into includes.
    assert {"account_login", "mfa_activate_totp", "audit_trail", "dashboard", "join"} <= names


# -- a view nobody declared -------------------------------------------------------------------


def _undeclared_view(request: Any) -> HttpResponse:
    return HttpResponse("secret")


_urlconf_with_an_undeclared_view = types.ModuleType("urlconf_with_an_undeclared_view")
_urlconf_with_an_undeclared_view.urlpatterns = [  # type: ignore[attr-defined]
    path("forgotten/", _undeclared_view, name="forgotten"),
    path("", include("pompolit.urls")),
]


@override_settings(ROOT_URLCONF=_urlconf_with_an_undeclared_view)
@pytest.mark.parametrize("visitor", ["anonymous", "coordinator"])
def test_a_view_that_declares_nothing_is_refused_to_everyone(visitor, world):
    client = Client()
    if world.members[visitor] is not None:
        client.force_login(world.members[visitor])
    for method in ("get", "post"):
        response = getattr(client, method)("/forgotten/")
        assert response.status_code == 403
        assert b"secret" not in response.content


@override_settings(ROOT_URLCONF=_urlconf_with_an_undeclared_view)
def test_the_declaration_test_names_an_undeclared_url(db):
    with pytest.raises(AssertionError, match="forgotten"):
        test_every_url_declares_its_access()


def test_middleware_refuses_undeclared_view_with_permission_denied(rf):
    request = rf.get("/forgotten/")
    request.resolver_match = None
    middleware = AccessPolicyMiddleware(lambda r: HttpResponse())
    with pytest.raises(PermissionDenied):
        middleware.process_view(request, _undeclared_view, (), {})
