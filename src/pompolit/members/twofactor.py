from typing import Any

from allauth.mfa.models import Authenticator


def has_second_factor(member: Any) -> bool:
    # Recovery codes alone are not a second factor: they only back up TOTP or a security key.
    cached: bool | None = getattr(member, "_has_2fa_cache", None)
    if cached is None:
        cached = Authenticator.objects.filter(
            user=member, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
        ).exists()
        member._has_2fa_cache = cached
    return cached
