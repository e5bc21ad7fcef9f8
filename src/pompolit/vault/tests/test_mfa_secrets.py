"""Members' second factors under the vault (vault/mfa.py): never in clear in the database;
while sealed nobody passes the authenticator-app step, and unsealing from the server works."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.db import connection
from django.test import Client

from pompolit.audit.models import AuditEntry
from pompolit.members.models import Member
from pompolit.members.testing import PASSWORD
from pompolit.vault import mfa
from pompolit.vault.errors import VaultSealed
from pompolit.vault.fields import services as field_services
from pompolit.vault.keys import services

# Not the suite's shared secret: this one must be found nowhere but in the member's app.
SECRET = "KRUGXEZAONSWG4TFORPXG5DBPFZWC3LF"


def _code(secret: str = SECRET) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def _stored_data() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM mfa_authenticator")
        return "\n".join(str(row[0]) for row in cursor.fetchall())


@pytest.fixture
def member(db):
    return Member.objects.create_user("Вера Засулич", PASSWORD, vouched_at=None)


def _log_in(client: Client, member: Member, code: str):
    response = client.post("/accounts/login/", {"login": member.pseudonym, "password": PASSWORD})
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    return client.post(response["Location"], {"code": code})


def test_totp_secret_and_recovery_seed_are_sealed_in_the_database(
    second_factors_need_vault, unsealed_vault, member
):
    TOTP.activate(member, SECRET)
    codes = RecoveryCodes.activate(member)
    seed = mfa.open_secret(codes.instance.data["seed"])

    stored = _stored_data()
    assert SECRET not in stored and seed not in stored
    assert stored.count(mfa.PREFIX) == 2
    # …and they still work: the code from the app, and a recovery code.
    totp = TOTP(Authenticator.objects.get(user=member, type=Authenticator.Type.TOTP))
    assert totp.validate_code(_code())
    assert RecoveryCodes(Authenticator.objects.get(
        user=member, type=Authenticator.Type.RECOVERY_CODES
    )).validate_code(codes.generate_codes()[0])


def test_while_sealed_the_authenticator_step_shows_the_sealed_page(
    second_factors_need_vault, unsealed_vault, member
):
    TOTP.activate(member, SECRET)
    services.seal(reason="test")

    response = _log_in(Client(HTTP_ACCEPT_LANGUAGE="en"), member, _code())

    assert response.status_code == 503
    assert "keyholders" in response.content.decode().lower()
    assert not AuditEntry.objects.filter(action="login", actor_id=member.pk).exists()


def test_while_sealed_no_second_factor_can_be_set_up(second_factors_need_vault, vault_shares):
    member = Member.objects.create_user("Геся Гельфман", PASSWORD)
    with pytest.raises(VaultSealed):
        TOTP.activate(member, SECRET)
    assert not Authenticator.objects.filter(user=member).exists()


def test_unsealing_from_the_server_restores_the_login(
    second_factors_need_vault, unsealed_vault, member
):
    TOTP.activate(member, SECRET)
    services.seal(reason="test")

    # What `pompolit unseal` does on the server: no web login needed.
    services.submit_share(unsealed_vault[0].text, client="console")
    services.submit_share(unsealed_vault[2].text, client="console")

    response = _log_in(Client(HTTP_ACCEPT_LANGUAGE="en"), member, _code())
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="login", actor_id=member.pk).exists()


def test_unsealing_seals_second_factors_stored_in_clear(
    second_factors_need_vault, vault_shares, member
):
    # As an older version stored them: the secret and the seed in clear.
    Authenticator.objects.create(user=member, type=Authenticator.Type.TOTP,
                                 data={"secret": SECRET})
    Authenticator.objects.create(user=member, type=Authenticator.Type.RECOVERY_CODES,
                                 data={"seed": "ab" * 40, "used_mask": 0})

    services.submit_share(vault_shares[0].text)
    services.submit_share(vault_shares[1].text)

    stored = _stored_data()
    assert SECRET not in stored and "ab" * 40 not in stored
    assert AuditEntry.objects.get(action="vault.second_factors_sealed").details == {
        "authenticators": 2
    }
    totp = TOTP(Authenticator.objects.get(user=member, type=Authenticator.Type.TOTP))
    assert totp.validate_code(_code())


def test_data_rotation_seals_second_factors_under_the_new_key(
    second_factors_need_vault, unsealed_vault, member
):
    TOTP.activate(member, SECRET)
    old = mfa.key_id_of(Authenticator.objects.get(user=member).data["secret"])

    field_services.rotate_data()

    authenticator = Authenticator.objects.get(user=member)
    assert mfa.key_id_of(authenticator.data["secret"]) not in {old, None}
    assert TOTP(authenticator).validate_code(_code())
