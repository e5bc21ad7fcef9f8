from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Nobody signs up: members join through a coordinator's invitation only.
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        # Pompolit sends no e-mail: members have none on file, and mail is a channel the
        # state reads.
        return None


class MFAAdapter(DefaultMFAAdapter):  # type: ignore[misc]
    def get_totp_label(self, user: Any) -> str:
        return str(user.pseudonym)
