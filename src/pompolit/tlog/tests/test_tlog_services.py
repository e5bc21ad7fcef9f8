"""The database-backed log gives exactly what the in-memory one gives, and catches tampering."""

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

from pompolit.tlog import services
from pompolit.tlog.models import Log, LogEntry, LogTile, SignedCheckpoint

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
    stored = LogEntry.objects.order_by("index").values_list("data", flat=True)
    assert [bytes(d) for d in stored] == _entries(3) + _entries(2, "расход")


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


def test_entries_and_checkpoints_cannot_be_changed_or_deleted(signing_key):
    services.append("ledger", _entries(2))
    services.sign_checkpoint("ledger")
    for statement in (
        "UPDATE tlog_logentry SET data = data",
        "DELETE FROM tlog_logentry",
        "UPDATE tlog_signedcheckpoint SET size = 1",
        "DELETE FROM tlog_signedcheckpoint",
    ):
        with (
            pytest.raises(Exception, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    assert LogEntry.objects.count() == 2 and SignedCheckpoint.objects.count() == 1


def _tamper_tile(level: int) -> None:
    tile = LogTile.objects.get(level=level, index=0)
    data = bytearray(tile.data)
    data[5] ^= 0x01
    LogTile.objects.filter(pk=tile.pk).update(data=bytes(data))


def test_a_tampered_stored_hash_is_detected(signing_key):
    services.append("ledger", _entries(40))
    _tamper_tile(level=2)
    with pytest.raises(VerificationError, match=r"level 2|altered"):
        services.verify_log("ledger")


def test_a_tampered_leaf_hash_is_detected(signing_key):
    services.append("ledger", _entries(40))
    _tamper_tile(level=0)
    with pytest.raises(VerificationError):
        services.verify_log("ledger")


def test_rewritten_history_is_caught_by_the_signed_checkpoint(signing_key):
    services.append("ledger", _entries(8))
    services.sign_checkpoint("ledger")
    # An insider rebuilds the whole log consistently with one entry changed (triggers
    # dropped inside this transaction): the tree is self-consistent, but not what was signed.
    with transaction.atomic():
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("DROP TRIGGER tlog_logentry_no_update")
            else:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("ALTER TABLE tlog_logentry DISABLE TRIGGER USER")
        forged = _entries(8)
        forged[3] = b'{"n":3,"kind":"donation","amount":"0.00 RUB"}'
        LogEntry.objects.filter(index=3).update(data=forged[3])
        LogTile.objects.all().delete()
        Log.objects.filter(name="ledger").update(size=0)
        memory_log = Log.objects.get(name="ledger")
        services.merkle(memory_log).extend(forged)
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


def test_entry_indexes_are_unique_per_log():
    services.append("ledger", _entries(1))
    log = Log.objects.get(name="ledger")
    with pytest.raises(IntegrityError), transaction.atomic():
        LogEntry.objects.create(log=log, index=0, data=b"x")
