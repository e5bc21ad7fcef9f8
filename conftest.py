"""Shared fixtures: members of every role, the way the access checks see them."""

from collections.abc import Callable, Iterable
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP

# The vault's fixtures (vault_agent, vault_shares, unsealed_vault) for every app's tests.
pytest_plugins = ["pompolit.vault.testing"]

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def founders(db: Any) -> tuple[Any, Any]:
    """The two founding coordinators `pompolit init` would create."""
    from pompolit.members.services import create_founder

    first = create_founder("Вера Фигнер", PASSWORD)
    second = create_founder("Софья Перовская", PASSWORD)
    for founder in (first, second):
        TOTP.activate(founder, TOTP_SECRET)
    return first, second


@pytest.fixture
def approved(founders: tuple[Any, Any]) -> Callable[..., Any]:
    """approved("grant_role", {...}): requested by one founder, approved by the other."""
    from pompolit.members import approvals

    def run(action: str, payload: dict[str, Any]) -> Any:
        request = approvals.request_approval(founders[0], action, payload)
        return approvals.approve(request.pk, founders[1], seen_digest=request.payload_digest)

    return run


@pytest.fixture
def make_member(db: Any, approved: Callable[..., Any]) -> Callable[..., Any]:
    """make_member("Николай", "case_worker", compartments=[c]): vouched, with TOTP, by default."""
    from django.utils import timezone

    from pompolit.members.models import Member

    def make(
        pseudonym: str,
        *roles: str,
        vouched: bool = True,
        two_factor: bool = True,
        compartments: Iterable[Any] = (),
    ) -> Member:
        member = Member.objects.create_user(
            pseudonym, PASSWORD, vouched_at=timezone.now() if vouched else None
        )
        for role in roles:
            approved("grant_role", {"member": member.pk, "role": role})
        for compartment in compartments:
            approved("grant_compartment", {"member": member.pk, "compartment": compartment.pk})
        if two_factor:
            TOTP.activate(member, TOTP_SECRET)
        return Member.objects.get(pk=member.pk)

    return make


@pytest.fixture
def compartment(founders: tuple[Any, Any]) -> Any:
    from pompolit.members.services import create_compartment

    return create_compartment(
        founders[0], name="Оренбургская ссылка", slug="orenburg-exiles",
        description="Ссыльные в Оренбургской области",
    )


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
