"""Logins and failed logins go to the audit trail; notices are shown at login."""

from typing import Any

from allauth.account.signals import user_logged_in
from allauth.core.internal.httpkit import get_client_ip
from django.contrib import messages
from django.contrib.auth.signals import user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from pompolit.audit.services import record
from pompolit.members.models import Member
from pompolit.members.services import take_unseen_notices


def _client(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    try:
        return str(get_client_ip(request) or "")
    except Exception:  # a malformed X-Forwarded-For must not stop a login being recorded
        return str(request.META.get("REMOTE_ADDR", ""))


@receiver(user_logged_in)
def on_login(sender: Any, request: HttpRequest, user: Member, **kwargs: Any) -> None:
    record("login", actor=user, client=_client(request))
    for text in take_unseen_notices(user):
        messages.info(request, text)


@receiver(user_login_failed)
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # The pseudonym typed is kept (truncated); the password never is.
    typed = str(credentials.get("username") or credentials.get("pseudonym") or "")[:64]
    record("login.failed", actor_label=typed, client=_client(request))


@receiver(user_logged_out)
def on_logout(sender: Any, request: HttpRequest, user: Member | None, **kwargs: Any) -> None:
    if user is not None:
        record("logout", actor=user, client=_client(request))
