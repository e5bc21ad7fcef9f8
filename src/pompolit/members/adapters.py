import time
from typing import Any

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from pompolit.core.http import address_key


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Nobody signs up: members join through a coordinator's invitation only.
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        # Pompolit sends no e-mail: members have none on file, and mail is a channel the
        # state reads.
        return None

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        # allauth counts only an explicit re-authentication; a login within the sudo window
        # proves as much (password and second factor just typed), so it counts too. Without
        # this a member who has just logged in or joined is asked for the password again.
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        request = context.request
        if request is None or not request.user.is_authenticated:
            return True
        records = get_authentication_records(request, request.user)
        latest = max((float(record.get("at", 0)) for record in records), default=0.0)
        timeout = int(account_settings.REAUTHENTICATION_TIMEOUT)
        return time.time() - latest >= timeout

    def get_client_ip(self, request: HttpRequest) -> str:
        # allauth puts this in its rate-limit keys, which live in the database cache: a keyed
        # hash of the address, never the address (core/http.py).
        key = address_key(request)
        if not key:
            return str(super().get_client_ip(request))
        return key

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            # Too many failed logins: refused before the password is even checked.
            from pompolit.members.signals import record_blocked_login

            record_blocked_login(request, credentials)
            raise


class MFAAdapter(DefaultMFAAdapter):  # type: ignore[misc]
    def get_totp_label(self, user: Any) -> str:
        return str(user.pseudonym)
