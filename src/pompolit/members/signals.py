"""Logins, failed logins and changes of second factors go to the audit trail; notices are
shown at login."""

from typing import Any

from allauth.account.signals import user_logged_in
from allauth.mfa.signals import (
    authentication_failed,
    authenticator_added,
    authenticator_removed,
    authenticator_reset,
)
from django.contrib import messages
from django.contrib.auth.signals import user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from pompolit.audit.services import record
from pompolit.core.digests import text_digest
from pompolit.core.http import client_address
from pompolit.members.models import Member
from pompolit.members.services import take_unseen_notices


def _typed_pseudonym(credentials: dict[str, Any]) -> str:
    # A member's pseudonym is kept; anything else typed there (a real name, a password in the
    # wrong box) only as a keyed digest, so repeated tries still show as the same. Never the
    # password.
    typed = str(credentials.get("username") or credentials.get("pseudonym") or "")
    if Member.objects.filter(pseudonym=typed).exists():
        return typed[:64]
    return f"? {text_digest(typed)}" if typed else ""


@receiver(user_logged_in)
def on_login(sender: Any, request: HttpRequest, user: Member, **kwargs: Any) -> None:
    record("login", actor=user, client=client_address(request))
    for text in take_unseen_notices(user):
        messages.info(request, text)


@receiver(user_login_failed)
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    record(
        "login.failed", actor_label=_typed_pseudonym(credentials), client=client_address(request)
    )


@receiver(authentication_failed)
def on_second_factor_failed(
    sender: Any, request: HttpRequest | None, user: Member, reauthentication: bool = False,
    **kwargs: Any
) -> None:
    # The password was right, the code was not: as much a failed login as a wrong password.
    step = "re-authentication" if reauthentication else "second factor"
    record("login.failed", actor=user, client=client_address(request), details={"step": step})


def record_blocked_login(request: HttpRequest | None, credentials: dict[str, Any]) -> None:
    """Called by the account adapter when the rate limit refuses a login attempt."""
    record(
        "login.blocked", actor_label=_typed_pseudonym(credentials), client=client_address(request)
    )


@receiver(user_logged_out)
def on_logout(sender: Any, request: HttpRequest, user: Member | None, **kwargs: Any) -> None:
    if user is not None:
        record("logout", actor=user, client=client_address(request))


def _second_factor_changed(action: str) -> Any:
    def receive(
        sender: Any, request: HttpRequest | None, user: Member, authenticator: Any, **kwargs: Any
    ) -> None:
        # Someone who took over a login (e.g. by writing the database) sets up their own
        # second factor: the trail shows when, from which network.
        record(action, actor=user, client=client_address(request),
               details={"type": str(authenticator.type)})

    return receive


on_second_factor_added = _second_factor_changed("member.second_factor_added")
on_second_factor_removed = _second_factor_changed("member.second_factor_removed")
on_recovery_codes_reset = _second_factor_changed("member.second_factor_reset")
authenticator_added.connect(on_second_factor_added)
authenticator_removed.connect(on_second_factor_removed)
authenticator_reset.connect(on_recovery_codes_reset)
