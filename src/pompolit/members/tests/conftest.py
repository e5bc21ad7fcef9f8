"""Helpers for going through the real login flow with the test client."""

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from pompolit.members.testing import PASSWORD, TOTP_SECRET


@pytest.fixture(autouse=True)
def fresh_cache(db: Any) -> None:
    # Rate limits and used TOTP codes live in the cache; each test starts with none.
    cache.clear()


@pytest.fixture(autouse=True)
def english(settings: Any) -> Iterator[None]:
    # Tests read messages by their English words; the group's default language is Russian.
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def totp_code(step: int = 0, secret: str = TOTP_SECRET) -> str:
    """The code an authenticator app shows now (step -1/+1: the neighbouring 30 s windows)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + step))


def submit_password(client: Client, pseudonym: str, password: str = PASSWORD, **extra: Any) -> Any:
    return client.post("/accounts/login/", {"login": pseudonym, "password": password}, **extra)


@pytest.fixture
def log_in() -> Callable[..., Any]:
    """log_in(client, member): password, then the TOTP code; returns the last response."""

    def run(client: Client, member: Any, *, code: str | None = None) -> Any:
        response = submit_password(client, member.pseudonym)
        assert response.status_code == 302, response.content[:500]
        if response["Location"].startswith("/accounts/2fa/authenticate/"):
            response = client.post(response["Location"], {"code": code or totp_code()})
        return response

    return run
