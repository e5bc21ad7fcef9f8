import base64

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from pompolit.audit.models import AuditEntry
from pompolit.vault import shares
from pompolit.vault.errors import VaultError, VaultSealed
from pompolit.vault.keys import keyring, services
from pompolit.vault.keys.models import Keyholder, VaultState
from pompolit.vault.testing import KEYHOLDERS


def test_a_new_vault_is_sealed_and_keeps_no_key(vault_shares):
    status = services.status()
    assert status.initialised and status.sealed and status.threshold == 2
    state = VaultState.objects.get()
    assert len(vault_shares) == 3
    assert [k.label for k in Keyholder.objects.all()] == KEYHOLDERS
    # Only keyed hashes of the shares and a verifier are stored.
    stored = " ".join(str(v) for v in VaultState.objects.values_list().get()) + " ".join(
        Keyholder.objects.values_list("share_digest", flat=True)
    )
    for share in vault_shares:
        part = shares.decode(share.text).part
        assert part.hex() not in stored and base64.b64encode(part).decode() not in stored
    assert state.verifier


def test_threshold_shares_from_different_keyholders_unseal(vault_shares):
    after_one = services.submit_share(vault_shares[2].text)
    assert after_one.sealed and after_one.entered == [3]
    after_two = services.submit_share(vault_shares[0].text)
    assert not after_two.sealed and after_two.entered == []
    assert keyring.ring.is_unsealed()
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert actions[-3:] == ["vault.share_entered", "vault.share_entered", "vault.unsealed"]


def test_the_same_share_twice_is_refused(vault_shares):
    services.submit_share(vault_shares[0].text)
    with pytest.raises(VaultError) as error:
        services.submit_share(vault_shares[0].text)
    assert error.value.code == "share_duplicate"
    assert services.status().sealed


def test_a_mistyped_share_is_refused_and_the_entered_one_stays(vault_shares):
    services.submit_share(vault_shares[0].text)
    text = vault_shares[1].text
    typo = ("B" if text[0] != "B" else "C") + text[1:]
    with pytest.raises(VaultError) as error:
        services.submit_share(typo)
    assert error.value.code == "share_mistyped"
    with translation.override("en"):
        assert "checksum" in str(error.value)
    status = services.status()
    assert status.sealed and status.entered == [1]
    assert AuditEntry.objects.filter(action="vault.share_refused").exists()


def test_a_share_of_another_organisation_is_refused(vault_shares, vault_agent):
    import uuid

    from pompolit.vault import crypto

    foreign = shares.split(crypto.new_key(), vault_id=uuid.uuid4(), generation=1,
                           threshold=2, count=2)
    with pytest.raises(VaultError) as error:
        services.submit_share(shares.encode(foreign[0]))
    assert error.value.code == "share_other_vault"
    assert services.status().sealed and services.status().entered == []


def test_a_forged_share_with_a_valid_checksum_is_not_one_of_ours(vault_shares):
    real = shares.decode(vault_shares[0].text)
    forged = shares.Share(real.vault_id, 1, 2, 3, 3, bytes(32) + bytes([7]))
    with pytest.raises(VaultError) as error:
        services.submit_share(shares.encode(forged))
    assert error.value.code == "share_unknown"


def test_passphrase_shares(db, vault_agent):
    issued = services.initialise(
        threshold=2, keyholders=KEYHOLDERS, passphrases={KEYHOLDERS[0]: "Шлиссельбург 1884"},
    )
    with pytest.raises(VaultError) as error:
        services.submit_share(issued[0].text)
    assert error.value.code == "share_needs_passphrase"
    with pytest.raises(VaultError):
        services.submit_share(issued[0].text, "не тот пароль")
    services.submit_share(issued[0].text, "Шлиссельбург 1884")
    assert not services.submit_share(issued[1].text).sealed


def test_seal_forgets_every_key_at_once(unsealed_vault):
    from pompolit.vault.emergency.models import EmergencyContact

    contact = EmergencyContact.objects.create(member=_member(), contact="Мать: +7 912 000-00-00")
    services.seal(reason="emergency")
    assert services.status().sealed
    loaded = EmergencyContact.objects.get(pk=contact.pk)
    with pytest.raises(VaultSealed):
        _ = loaded.contact
    assert AuditEntry.objects.filter(action="vault.sealed").exists()


def test_a_restarted_service_is_sealed(unsealed_vault):
    keyring.use_agent(keyring.make_local_agent())  # what a restart does: a new, empty agent
    assert services.status().sealed
    assert not keyring.ring.is_unsealed()


def test_setup_refuses_bad_plans(db, vault_agent):
    with pytest.raises(ValidationError):
        services.initialise(threshold=1, keyholders=KEYHOLDERS)
    with pytest.raises(ValidationError):
        services.initialise(threshold=4, keyholders=KEYHOLDERS)
    with pytest.raises(ValidationError):
        services.initialise(threshold=2, keyholders=["Вера", "Вера"])
    services.initialise(threshold=2, keyholders=KEYHOLDERS)
    with pytest.raises(ValidationError):
        services.initialise(threshold=2, keyholders=KEYHOLDERS)


def test_demo_mode_unseals_from_its_key_file(db, vault_agent, settings, tmp_path):
    settings.DEMO_MODE = True
    settings.VAR_DIR = tmp_path
    services.initialise(threshold=2, keyholders=["vera", "sofia"], demo=True)
    keyring.use_agent(keyring.make_local_agent())  # restart
    status = services.status()
    assert not status.sealed and status.demo
    # Outside demo mode the same file is ignored: the vault stays sealed.
    settings.DEMO_MODE = False
    keyring.use_agent(keyring.make_local_agent())
    assert services.status().sealed


def test_demo_vault_is_refused_outside_demo_mode(db, vault_agent):
    with pytest.raises(ValidationError):
        services.initialise(threshold=2, keyholders=KEYHOLDERS, demo=True)


def _member():
    from pompolit.members.models import Member

    return Member.objects.create_user("Степняк", "correct horse battery staple")
