"""Members' addresses: the trail keeps the network (/24, /48), nothing keeps the address."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from pompolit.audit.models import AuditEntry
from pompolit.members.tests.conftest import submit_password, totp_code

WRONG = "не тот пароль"


def _everything_stored() -> str:
    """Every row of every table, as text: where an address could hide."""
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 (table names from the schema)
            parts.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(parts)


@pytest.fixture
def member(make_member):
    return make_member("Вера Засулич")


@pytest.mark.parametrize(("address", "network"), [
    ("203.0.113.77", "203.0.113.0/24"),
    ("2001:db8:85a3:8d3:1319:8a2e:370:7348", "2001:db8:85a3::/48"),
])
def test_login_records_the_network_never_the_address(member, address, network):
    client = Client(REMOTE_ADDR=address)
    response = submit_password(client, member.pseudonym)
    client.post(response["Location"], {"code": totp_code()})
    client.post("/accounts/logout/")

    entries = AuditEntry.objects.filter(action__in=["login", "logout"], actor_id=member.pk)
    assert {entry.client for entry in entries} == {network}
    assert address not in _everything_stored()


def test_failed_and_blocked_logins_record_the_network_never_the_address(member):
    address = "198.51.100.23"
    for _ in range(6):
        submit_password(Client(REMOTE_ADDR=address), member.pseudonym, WRONG)

    failed = AuditEntry.objects.filter(action__in=["login.failed", "login.blocked"])
    assert failed.count() == 6
    assert {entry.client for entry in failed} == {"198.51.100.0/24"}
    # Rate limits still tell addresses apart, by a keyed hash in their cache keys.
    assert address not in _everything_stored()


def test_wrong_second_factor_records_the_network_never_the_address(member):
    address = "192.0.2.201"
    client = Client(REMOTE_ADDR=address)
    response = submit_password(client, member.pseudonym)
    client.post(response["Location"], {"code": "000000" if totp_code() != "000000" else "111111"})

    entry = AuditEntry.objects.get(action="login.failed", actor_id=member.pk)
    assert entry.client == "192.0.2.0/24"
    assert address not in _everything_stored()


@pytest.mark.parametrize(("address", "network"), [
    ("10.1.2.3", "10.1.2.0/24"),
    ("::ffff:192.0.2.9", "192.0.2.0/24"),
    ("2001:db8::1", "2001:db8::/48"),
    ("not an address", ""),
    ("", ""),
])
def test_network_of(address: str, network: str, db: Any) -> None:
    from pompolit.core.http import network_of

    assert network_of(address) == network


@given(st.ip_addresses())
def test_the_network_holds_the_address_and_is_never_the_address(address: Any) -> None:
    import ipaddress

    from pompolit.core.http import network_of

    network = ipaddress.ip_network(network_of(str(address)))
    plain = address.ipv4_mapped if address.version == 6 and address.ipv4_mapped else address
    assert plain in network
    assert network.prefixlen == (24 if plain.version == 4 else 48)
    assert str(address) not in str(network) or str(address) == str(network.network_address)
