from allauth.core.internal.httpkit import get_client_ip
from django.http import HttpRequest


def client_address(request: HttpRequest | None) -> str:
    """The client's address for the audit trail, behind as many proxies as are trusted
    (ALLAUTH_TRUSTED_PROXY_COUNT) — the same rule the login rate limits use."""
    if request is None:
        return ""
    try:
        return str(get_client_ip(request) or "")
    except Exception:  # a malformed X-Forwarded-For must not stop an event being recorded
        return str(request.META.get("REMOTE_ADDR", ""))
