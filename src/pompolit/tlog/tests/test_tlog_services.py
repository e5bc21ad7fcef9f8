"""The database-backed log gives exactly what the in-memory one gives, and catches tampering."""

import base64
import io
import json
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from hypothesis import given, settings
from hypothesis import strategies as st
from pompolit.transparency import checkpoint as checkpoints
from pompolit.transparency.errors import VerificationError
from pompolit.transparency.merkle import (
    MerkleLog,
    root_from_leaves,
    verify_consistency,
    verify_inclusion,
)

from pompolit.core.keyfiles import KeyProblem
from pompolit.tlog import services
from pompolit.tlog.models import EntryBundle, Log, LogTile, SignedCheckpoint

pytestmark = pytest.mark.django_db


def _entries(n: int, prefix: str = "донат") -> list[bytes]:
    return [f'{{"n":{i},"kind":"{prefix}","amount":"{i * 7}.50 RUB"}}'.encode() for i in range(n)]


@pytest.fixture
def signing_key(tmp_path, settings):
    settings.POMPOLIT_LOG_KEY_FILE = tmp_path / "log.key"
    settings.POMPOLIT_LOG_KEY_NAME = "pompolit.test"
    services.generate_signing_key()
    return services.verifier_key()


def test_appends_return_consecutive_indexes_across_calls():
    assert services.append("ledger", _entries(3)) == range(0, 3)
    assert services.append("ledger", _entries(2, "расход")) == range(3, 5)
    assert Log.objects.get(name="ledger").size == 5
    log = Log.objects.get(name="ledger")
    assert list(services.entries(log)) == _entries(3) + _entries(2, "расход")
    assert list(services.entries(log, 2, 4)) == [_entries(3)[2], _entries(2, "расход")[0]]


def test_entries_span_bundles_of_256_and_partial_bundles_grow():
    services.append("ledger", _entries(300))
    services.append("ledger", _entries(500, "второй"))
    log = Log.objects.get(name="ledger")
    assert EntryBundle.objects.filter(log=log).count() == 4  # 800 entries, 256 a bundle
    assert list(services.entries(log)) == _entries(300) + _entries(500, "второй")
    assert list(services.entries(log, 255, 257)) == _entries(300)[255:257]


@settings(max_examples=15, deadline=None)
@given(batches=st.lists(st.integers(min_value=1, max_value=300), min_size=1, max_size=5))
def test_database_store_matches_memory_log(batches):
    name = f"prop{Log.objects.count()}"
    memory = MerkleLog()
    offset = 0
    for count in batches:
        data = _entries(count, f"b{offset}")
        services.append(name, data)
        memory.extend(data)
        offset += count
    tree = services.merkle(Log.objects.get(name=name))
    size = memory.size
    assert tree.size == size
    log = Log.objects.get(name=name)
    assert tree.root() == memory.root() == root_from_leaves(services.entries(log))
    for old in {0, 1, size // 3, size // 2, size - 1, size}:
        if 0 <= old <= size:
            assert tree.root(old) == memory.root(old)
            assert tree.consistency_proof(old) == memory.consistency_proof(old)
            proof = tree.consistency_proof(old)
            verify_consistency(old, size, memory.root(old), memory.root(), proof)
    for index in {0, size // 2, size - 1}:
        proof = tree.inclusion_proof(index)
        assert proof == memory.inclusion_proof(index)
        verify_inclusion(memory.leaf_hash(index), index, size, proof, tree.root())


def test_signed_checkpoint_verifies_and_matches_the_root(signing_key):
    services.append("ledger", _entries(10))
    signed = services.sign_checkpoint("ledger")
    parsed = checkpoints.verify(signed.note, signing_key)
    assert (parsed.origin, parsed.size, parsed.root) == (
        "pompolit.example/ledger", 10, root_from_leaves(_entries(10))
    )
    report = services.verify_log("ledger")
    assert (report.size, report.checkpoints_checked) == (10, 1)


def _run(statement: str, params: list[object] | None = None) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE tlog_signedcheckpoint SET size = 1",
        "DELETE FROM tlog_signedcheckpoint",
        "DELETE FROM tlog_entrybundle",
        "DELETE FROM tlog_logtile",
        "UPDATE tlog_logtile SET level = level + 1",
        "UPDATE tlog_entrybundle SET log_id = log_id + 1",
    ],
)
def test_stored_history_cannot_be_deleted_or_moved(signing_key, statement):
    services.append("ledger", _entries(2))
    services.sign_checkpoint("ledger")
    with pytest.raises(Exception, match=r"append-only|only be extended"):
        _run(statement)
    assert SignedCheckpoint.objects.count() == 1


def test_entries_and_hashes_can_grow_but_not_change(signing_key):
    services.append("ledger", _entries(2))
    bundle = EntryBundle.objects.get()
    tile = LogTile.objects.get(level=0)
    changed = bytearray(bundle.data)
    changed[-1] ^= 0x01
    for table, row, data in (
        ("tlog_entrybundle", bundle, bytes(changed)),
        ("tlog_entrybundle", bundle, bytes(bundle.data)[:-1]),
        ("tlog_logtile", tile, bytes(32) + bytes(tile.data)[32:]),
    ):
        with pytest.raises(Exception, match="only be extended"):
            _run(f"UPDATE {table} SET data = %s WHERE id = %s", [data, row.pk])  # noqa: S608
    # Growing is what an append does, and it is allowed.
    services.append("ledger", _entries(1, "ещё"))
    assert list(services.entries(Log.objects.get(name="ledger")))[-1] == _entries(1, "ещё")[0]


def _without_triggers() -> None:
    """Inside the current transaction, do what an insider with the database could do."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name in ("tlog_logtile_extend_only", "tlog_logtile_no_delete",
                         "tlog_entrybundle_extend_only", "tlog_entrybundle_no_delete"):
                cursor.execute(f"DROP TRIGGER {name}")
        else:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE tlog_logtile DISABLE TRIGGER USER")
            cursor.execute("ALTER TABLE tlog_entrybundle DISABLE TRIGGER USER")


def _tamper_tile(level: int) -> None:
    tile = LogTile.objects.get(level=level, index=0)
    data = bytearray(tile.data)
    data[5] ^= 0x01
    LogTile.objects.filter(pk=tile.pk).update(data=bytes(data))


@pytest.mark.parametrize("level", [0, 2])
def test_a_tampered_stored_hash_is_detected(signing_key, level):
    services.append("ledger", _entries(40))
    with transaction.atomic():
        _without_triggers()
        _tamper_tile(level)
        with pytest.raises(VerificationError, match=r"altered|differs"):
            services.verify_log("ledger")
        transaction.set_rollback(True)


def test_rewritten_history_is_caught_by_the_signed_checkpoint(signing_key):
    services.append("ledger", _entries(8))
    services.sign_checkpoint("ledger")
    # An insider rebuilds the whole log consistently with one entry changed (triggers
    # dropped inside this transaction): the tree is self-consistent, but not what was signed.
    with transaction.atomic():
        _without_triggers()
        forged = _entries(8)
        forged[3] = b'{"n":3,"kind":"donation","amount":"0.00 RUB"}'
        EntryBundle.objects.all().delete()
        LogTile.objects.all().delete()
        Log.objects.filter(name="ledger").update(size=0)
        services.append("ledger", forged)
        with pytest.raises(VerificationError, match="history was changed"):
            services.verify_log("ledger")
        transaction.set_rollback(True)


def test_bundle_command_output_passes_the_standalone_verifier(signing_key, tmp_path):
    services.append("ledger", _entries(25))
    services.sign_checkpoint("ledger")
    bundle = tmp_path / "ledger.json"
    call_command("tlog", "bundle", "ledger", "-o", str(bundle))
    assert json.loads(bundle.read_text())["format"] == "pompolit-bundle/1"
    result = subprocess.run(
        [sys.executable, "-m", "pompolit.transparency.cli", "bundle", str(bundle),
         "--vkey", signing_key],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_status_and_verify_commands_say_what_they_checked(signing_key):
    services.append("ledger", _entries(5))
    services.sign_checkpoint("ledger")
    out = io.StringIO()
    call_command("tlog", "status", stdout=out)
    call_command("tlog", "verify", "ledger", stdout=out)
    text = out.getvalue()
    assert "ledger: 5 entries" in text
    assert "1 signed checkpoint(s) match" in text
    with pytest.raises(CommandError, match="no log named"):
        call_command("tlog", "verify", "нет-такого")


def test_bundle_refuses_a_log_that_was_never_signed(signing_key):
    services.append("ledger", _entries(1))
    with pytest.raises(CommandError, match="no signed checkpoint"):
        call_command("tlog", "bundle", "ledger")


def test_bundle_indexes_are_unique_per_log():
    services.append("ledger", _entries(1))
    log = Log.objects.get(name="ledger")
    with pytest.raises(IntegrityError), transaction.atomic():
        EntryBundle.objects.create(log=log, index=0, data=b"x")


def test_find_log_reads_the_same_row_as_the_orm():
    services.append("ledger", _entries(3))
    found = services.find_log("ledger")
    assert (found.pk, found.origin, found.size) == Log.objects.values_list(
        "pk", "origin", "size"
    ).get(name="ledger")
    with pytest.raises(Log.DoesNotExist):
        services.find_log("нет")


def test_an_entry_longer_than_a_bundle_allows_is_refused_whole():
    with pytest.raises(ValueError, match="at most 65535"):
        services.append("ledger", [b"ok", bytes(70_000)])
    assert not Log.objects.filter(name="ledger", size__gt=0).exists()


def test_production_never_makes_a_signing_key_by_itself(settings, tmp_path):
    settings.DEBUG, settings.DEMO_MODE = False, False
    settings.POMPOLIT_LOG_KEY_FILE = tmp_path / "missing.key"
    services.append("ledger", _entries(1))
    with pytest.raises(KeyProblem, match="pompolit tlog keygen"):
        services.sign_checkpoint("ledger")
    assert not (tmp_path / "missing.key").exists()
    with pytest.raises(CommandError, match="pompolit tlog keygen"):
        call_command("tlog", "checkpoint", "ledger")


def test_keygen_writes_a_private_key_once(settings, tmp_path):
    settings.POMPOLIT_LOG_KEY_FILE = tmp_path / "log.key"
    out = io.StringIO()
    call_command("tlog", "keygen", stdout=out)
    assert (tmp_path / "log.key").stat().st_mode & 0o777 == 0o600
    assert services.verifier_key() in out.getvalue()
    with pytest.raises(KeyProblem, match="already exists"):
        services.generate_signing_key()


def test_with_a_vault_the_signing_key_lives_in_it_encrypted(unsealed_vault, settings, tmp_path):
    settings.POMPOLIT_LOG_KEY_FILE = tmp_path / "never-made.key"
    key = services.create_signing_key()
    assert not (tmp_path / "never-made.key").exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT seed FROM tlog_logsigningkey")
        stored = cursor.fetchone()[0]
    assert base64.b64encode(key.seed).decode() not in stored
    # The public key is shown without decrypting anything.
    assert services.verifier_key() == key.vkey
    services.append("ledger", _entries(3))
    signed = services.sign_checkpoint("ledger")
    assert checkpoints.verify(signed.note, key.vkey).size == 3
    with pytest.raises(KeyProblem, match="already exists in the vault"):
        services.create_signing_key()


def test_a_sealed_vault_cannot_sign(unsealed_vault, settings, tmp_path):
    from pompolit.vault.errors import VaultError
    from pompolit.vault.keys import services as vault

    settings.POMPOLIT_LOG_KEY_FILE = tmp_path / "never-made.key"
    services.create_signing_key()
    services.append("ledger", _entries(1))
    vault.seal(None, reason="test")
    with pytest.raises(VaultError):
        services.sign_checkpoint("ledger")
    assert not SignedCheckpoint.objects.exists()
