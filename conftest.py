"""Shared fixtures: members of every role, the way the access checks see them."""

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

# The suite runs on shared, often loaded machines: a property is judged on its examples, never
# on how fast a busy CPU drew or ran them (the deadline and the slow-draw health check).
settings.register_profile(
    "pompolit", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("pompolit")

# The vault's fixtures (vault_agent, vault_shares, unsealed_vault) for every app's tests.
pytest_plugins = ["pompolit.vault.testing"]

# Tests that never unseal the vault still give members a second factor: while the vault is
# sealed their secrets are sealed under this key instead (see `second_factors_without_vault`).
_TEST_MFA_PREFIX = "test-sealed:"


@pytest.fixture(autouse=True)
def second_factors_without_vault(request: Any, monkeypatch: Any) -> None:
    """Most tests never unseal the vault, yet their members log in with TOTP. For them, a
    secret sealed while the vault is sealed is sealed with a fixed test key instead (never
    in clear). Tests of the real behaviour while sealed ask for `second_factors_need_vault`."""
    if "second_factors_need_vault" in request.fixturenames:
        return
    import base64

    import nacl.secret

    from pompolit.vault import mfa
    from pompolit.vault.errors import VaultSealed

    box = nacl.secret.SecretBox(b"pompolit-tests-only-mfa-key-0032")
    real_seal, real_open = mfa.seal_secret, mfa.open_secret

    def seal(text: str) -> str:
        try:
            return real_seal(text)
        except VaultSealed:
            return _TEST_MFA_PREFIX + base64.b64encode(bytes(box.encrypt(text.encode()))).decode()

    def open_(stored: str) -> str:
        if stored.startswith(_TEST_MFA_PREFIX):
            return box.decrypt(base64.b64decode(stored[len(_TEST_MFA_PREFIX):])).decode()
        return real_open(stored)

    monkeypatch.setattr(mfa, "seal_secret", seal)
    monkeypatch.setattr(mfa, "open_secret", open_)


@pytest.fixture
def second_factors_need_vault() -> None:
    """Second factors behave as in production: sealed vault, no TOTP (see vault/mfa.py)."""


_TEST_SEALED_TEXT_PREFIX = "test-sealed-text:"


@pytest.fixture(autouse=True)
def sealed_text_without_vault(request: Any, monkeypatch: Any) -> None:
    """Most tests never unseal the vault, yet make approvals with reasons, invitations with
    notes. For them, members' sealed text written while the vault is sealed is sealed with a
    fixed test key instead (never in clear). Tests of the real behaviour while sealed ask for
    `sealed_text_needs_vault`."""
    if "sealed_text_needs_vault" in request.fixturenames:
        return
    import base64

    import nacl.secret

    from pompolit.core import sealed_text

    box = nacl.secret.SecretBox(b"pompolit-tests-only-text-key-032")
    real = sealed_text.codec()

    class TestCodec:
        sealed = real.sealed

        def seal(self, text: str, *, table: str, column: str) -> str:
            try:
                return real.seal(text, table=table, column=column)
            except real.sealed:
                sealed = bytes(box.encrypt(text.encode()))
                return _TEST_SEALED_TEXT_PREFIX + base64.b64encode(sealed).decode()

        def open(self, stored: str, *, table: str, column: str) -> str:
            if stored.startswith(_TEST_SEALED_TEXT_PREFIX):
                raw = base64.b64decode(stored[len(_TEST_SEALED_TEXT_PREFIX):])
                return box.decrypt(raw).decode()
            return real.open(stored, table=table, column=column)

    monkeypatch.setattr(sealed_text, "_codec", TestCodec())


@pytest.fixture
def sealed_text_needs_vault() -> None:
    """Members' sealed text behaves as in production: no key, no new text (core/sealed_text)."""


@pytest.fixture
def founders(db: Any) -> tuple[Any, Any]:
    """The two founding coordinators `pompolit init` would create."""
    from pompolit.members.testing import make_founders

    return make_founders()


@pytest.fixture
def approved(founders: tuple[Any, Any]) -> Callable[..., Any]:
    """approved("grant_role", {...}): requested by one founder, approved by the other."""
    from pompolit.members.testing import approve

    def run(action: str, payload: dict[str, Any]) -> Any:
        return approve(founders, action, payload)

    return run


@pytest.fixture
def make_member(db: Any, founders: tuple[Any, Any]) -> Callable[..., Any]:
    """make_member("Николай", "case_worker", compartments=[c]): vouched, with TOTP, by default."""
    from pompolit.members import testing

    def make(pseudonym: str, *roles: str, **options: Any) -> Any:
        return testing.make_member(founders, pseudonym, *roles, **options)

    return make


@pytest.fixture
def compartment(founders: tuple[Any, Any]) -> Any:
    from pompolit.members.testing import make_compartment

    return make_compartment(founders[0])


@pytest.fixture
def client_for() -> Callable[[Any], Any]:
    """client_for(member): a test client signed in as the member (no second factor asked),
    reading pages in English."""
    from django.test import Client

    def make(member: Any) -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(member)
        client.cookies["django_language"] = "en"
        return client

    return make
