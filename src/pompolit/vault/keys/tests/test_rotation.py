import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pompolit.audit.models import AuditEntry
from pompolit.members import approvals
from pompolit.members.models import ApprovalRequest, Member, Notice
from pompolit.vault import fields
from pompolit.vault.emergency.models import EmergencyContact
from pompolit.vault.errors import VaultError
from pompolit.vault.fields import cipher
from pompolit.vault.fields import services as field_services
from pompolit.vault.keys import keyring, services
from pompolit.vault.keys.models import DataKey, Rotation


@pytest.fixture
def vault_with_data(founders, vault_agent, make_member):
    issued = services.initialise(
        threshold=2, keyholders=["Вера Фигнер", "Софья Перовская", "Вера Засулич"]
    )
    services.submit_share(issued[0].text)
    services.submit_share(issued[1].text)
    people = [make_member(f"Член {n}") for n in range(5)]
    contacts = [
        EmergencyContact.objects.create(
            member=m, contact=f"Мать, дом {n}", phone=f"+7 900 000-00-0{n}"
        )
        for n, m in enumerate(people)
    ]
    return issued, contacts


def _approve_rotation(founders, keyholders, threshold=2):
    payload = {"keyholders": [m.pk for m in keyholders], "threshold": threshold}
    request = approvals.request_approval(founders[0], "vault_rotate", payload)
    return approvals.approve(request.pk, founders[1], seen_digest=request.payload_digest)


def test_keyholder_change_needs_a_second_coordinator(founders, vault_with_data):
    request = approvals.request_approval(
        founders[0], "vault_rotate", {"keyholders": [f.pk for f in founders], "threshold": 2}
    )
    with pytest.raises(approvals.ApprovalError):
        approvals.approve(request.pk, founders[0], seen_digest=request.payload_digest)
    assert not Rotation.objects.exists()


def test_rotation_issues_new_shares_and_old_ones_stop_working(
    founders, vault_with_data, make_member
):
    old, contacts = vault_with_data
    newcomer = make_member("Засулич")
    approved = _approve_rotation(founders, [founders[0], founders[1], newcomer])
    # The approval payload (kept on disk, in the audit trail) holds no key material.
    assert set(json.loads(json.dumps(approved.payload))) == {"keyholders", "threshold"}
    shown = []
    issued = services.rotate_master(
        services.authorised_rotation(), confirm=lambda s: shown.extend(s) or True
    )
    assert [s.keyholder for s in issued] == ["Вера Фигнер", "Софья Перовская", "Засулич"]
    assert shown == issued
    # Still unsealed, under the new key: the data reads.
    keyring.ring.forget()
    assert EmergencyContact.objects.get(pk=contacts[0].pk).contact == "Мать, дом 0"
    # After a restart, only the new shares unseal.
    keyring.use_agent(keyring.make_local_agent())
    with pytest.raises(VaultError) as error:
        services.submit_share(old[0].text)
    assert error.value.code == "share_old_generation"
    services.submit_share(issued[2].text)
    assert not services.submit_share(issued[0].text).sealed
    assert EmergencyContact.objects.get(pk=contacts[1].pk).phone == "+7 900 000-00-01"
    # Every coordinator is told; the trail has it.
    for coordinator in founders:
        kinds = set(Notice.objects.filter(member=coordinator).values_list("kind", flat=True))
        assert {"vault_keyholders_approved", "vault_keyholders_changed"} <= kinds
    assert AuditEntry.objects.filter(action="vault.rotated").exists()
    for entry in AuditEntry.objects.filter(action__startswith="vault."):
        for share in issued + list(old):
            assert share.text not in json.dumps(entry.details)


def test_a_rotation_not_confirmed_changes_nothing(founders, vault_with_data):
    old, _contacts = vault_with_data
    _approve_rotation(founders, list(founders))
    with pytest.raises(ValidationError):
        services.rotate_master(services.authorised_rotation(), confirm=lambda s: False)
    keyring.use_agent(keyring.make_local_agent())
    services.submit_share(old[0].text)
    assert not services.submit_share(old[1].text).sealed


def test_rotation_without_approval_is_refused(founders, vault_with_data):
    with pytest.raises(ValidationError):
        services.authorised_rotation()


def test_rotation_plan_is_checked(founders, vault_with_data):
    with pytest.raises(ValidationError):
        approvals.request_approval(
            founders[0], "vault_rotate", {"keyholders": [founders[0].pk], "threshold": 2}
        )
    with pytest.raises(ValidationError):
        approvals.request_approval(
            founders[0], "vault_rotate", {"keyholders": [f.pk for f in founders], "threshold": 3}
        )


def test_data_rotation_reencrypts_everything_under_new_keys(vault_with_data):
    _old, contacts = vault_with_data
    before = {k.key_id for k in DataKey.objects.all()}
    lines = []
    field_services.rotate_data(batch_size=2, progress=lambda label, done, total: lines.append(done))
    assert lines[-1] == 5
    for contact in EmergencyContact.objects.all():
        assert cipher.key_id_of(contact.__dict__["contact"]) not in before
    assert EmergencyContact.objects.get(pk=contacts[3].pk).contact == "Мать, дом 3"
    # Blind indexes were recomputed under the new index key.
    lookup = fields.blind_lookup(EmergencyContact, "phone_index", "+7 900 000-00-04")
    assert EmergencyContact.objects.filter(lookup).get().pk == contacts[4].pk
    # The old keys are erased.
    assert set(DataKey.objects.filter(key_id__in=before).values_list("wrapped", flat=True)) == {""}


def test_data_rotation_resumes_after_a_crash(vault_with_data):
    _old, _contacts = vault_with_data

    class Crash(Exception):
        pass

    def crash_after_first_batch(label, done, total):
        if done >= 2:
            raise Crash

    with pytest.raises(Crash):
        field_services.rotate_data(batch_size=2, progress=crash_after_first_batch)
    running = Rotation.objects.get(kind="data")
    assert running.status == "running" and running.progress["vault.EmergencyContact"] > 0
    # Half the rows are under new keys, half under old: every one still reads.
    keyring.ring.forget()
    assert [c.contact for c in EmergencyContact.objects.order_by("pk")] == [
        f"Мать, дом {n}" for n in range(5)
    ]
    seen = []
    field_services.rotate_data(batch_size=2, progress=lambda label, done, total: seen.append(done))
    assert seen == [4, 5]  # continued after the marker, not from the start
    assert Rotation.objects.get(kind="data").status == "done"
    assert field_services.verify_all() == {"decrypted": 10, "sealed": 0, "failed": 0}


def test_only_coordinators_may_ask_for_a_rotation(vault_with_data, make_member):
    worker = make_member("Николай", "case_worker")
    with pytest.raises(PermissionDenied):
        approvals.request_approval(worker, "vault_rotate", {"keyholders": [], "threshold": 2})
    assert ApprovalRequest.objects.filter(action="vault_rotate").count() == 0
    assert Member.objects.filter(pseudonym="Николай").exists()


def _data_key_queries(queries):
    return [q["sql"] for q in queries
            if "vault_datakey" in q["sql"] and "retired_at" in q["sql"] and "'data'" in q["sql"]]


def test_the_current_key_id_is_kept_for_a_second(vault_with_data, monkeypatch, make_member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    people = [make_member(f"Ещё {n}") for n in range(3)]
    clock = [1000.0]
    monkeypatch.setattr(keyring.time, "monotonic", lambda: clock[0])
    keyring.ring.forget()
    keyring.ring.begin()
    with CaptureQueriesContext(connection) as seen:
        EmergencyContact.objects.create(member=people[0], contact="a", phone="+7 1")
    assert len(_data_key_queries(seen.captured_queries)) == 1
    keyring.ring.begin()  # the next request within the second: no look-up
    with CaptureQueriesContext(connection) as seen:
        EmergencyContact.objects.create(member=people[1], contact="b", phone="+7 2")
    assert _data_key_queries(seen.captured_queries) == []
    clock[0] += keyring.CURRENT_KEY_SECONDS + 0.01
    keyring.ring.begin()  # a second later it is looked up again
    with CaptureQueriesContext(connection) as seen:
        EmergencyContact.objects.create(member=people[2], contact="c", phone="+7 3")
    assert len(_data_key_queries(seen.captured_queries)) == 1


def test_data_rotation_waits_for_other_processes_kept_keys(vault_with_data, monkeypatch,
                                                            make_member):
    """Another web worker may keep a retired key's id for up to CURRENT_KEY_SECONDS after the
    rotation retired it. The rotation waits that long before its last pass, and the last pass
    re-encrypts what such a worker wrote, before the retired key's material is erased."""
    _old, _contacts = vault_with_data
    before = {k.key_id for k in DataKey.objects.all()}
    kept = next(k for k in DataKey.objects.all() if k.purpose == "data").key_id
    original = keyring.wait_for_current_keys
    waited = []

    def other_worker_writes_then_wait(since):
        # As a worker that looked the key up just before the retirement would: the old id.
        vault_id = keyring.ring._check()
        keyring.ring._current[(vault_id, "data", None)] = (kept, keyring.time.monotonic() + 0.5)
        keyring.ring.begin()
        late = EmergencyContact.objects.create(
            member=make_member("Поздний"), contact="Письмо", phone="+7 999"
        )
        stored = EmergencyContact.objects.get(pk=late.pk).__dict__["contact"]
        assert cipher.key_id_of(stored) == kept
        keyring.ring.forget_current()
        original(since)
        waited.append(keyring.time.time() - since)

    monkeypatch.setattr(keyring, "wait_for_current_keys", other_worker_writes_then_wait)
    field_services.rotate_data(batch_size=2)
    assert waited and waited[0] >= keyring.CURRENT_KEY_SECONDS
    for contact in EmergencyContact.objects.all():
        assert cipher.key_id_of(contact.__dict__["contact"]) not in before
    keyring.ring.forget()
    assert field_services.verify_all()["failed"] == 0
    assert "Письмо" in [c.contact for c in EmergencyContact.objects.all()]
