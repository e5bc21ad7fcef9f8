"""`pompolit audit verify | export-head | keygen`, against a trail tampered in the database."""

import os
import stat
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from pompolit.transparency import checkpoint

from pompolit.audit import chain, services, signing
from pompolit.audit.models import AuditEntry


def run(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("audit", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def head_file(trail, audit_key, tmp_path) -> Path:
    path = tmp_path / "audit-head.txt"
    status, out, _err = run("export-head", "-o", str(path))
    assert status == 0, out
    return path


def test_verify_intact_chain_prints_one_line(trail):
    status, out, _err = run("verify")
    head = AuditEntry.objects.order_by("seq").last()
    assert status == 0
    assert out == f"{len(trail)} entries, chain intact, head #{head.seq} {head.entry_hash}\n"


def test_verify_names_an_edited_entry(trail, tamper):
    tamper("UPDATE audit_auditentry SET actor_label = %s WHERE seq = %s", ["Дегаев", 4])
    status, out, err = run("verify")
    assert (status, out) == (1, "")
    assert "chain broken at #4 (edited)" in err and "hash mismatch at #4" in err


def test_verify_names_edited_details(trail, tamper):
    tamper(
        "UPDATE audit_auditentry SET details = %s WHERE seq = %s",
        ['{"note": "никого не приглашали"}', trail[-3].seq],
    )
    status, _out, err = run("verify")
    assert status == 1
    assert f"chain broken at #{trail[-3].seq} (edited): the details" in err


def test_verify_names_a_deleted_entry(trail, tamper):
    tamper("DELETE FROM audit_auditentry WHERE seq = %s", [3])
    status, _out, err = run("verify")
    assert status == 1
    assert "chain broken at #3 (deleted): entry #3 is missing" in err


def test_verify_names_reordered_entries(trail, tamper):
    # Swap the positions of entries 3 and 4 (through a free number: seq is unique).
    tamper("UPDATE audit_auditentry SET seq = %s WHERE seq = %s", [10**9, 3])
    tamper("UPDATE audit_auditentry SET seq = %s WHERE seq = %s", [3, 4])
    tamper("UPDATE audit_auditentry SET seq = %s WHERE seq = %s", [4, 10**9])
    status, _out, err = run("verify")
    assert status == 1
    assert "chain broken at #3 (reordered)" in err and "prev hash mismatch" in err


def test_verify_reads_the_trail_in_chunks(trail, tamper):
    tamper("DELETE FROM audit_auditentry WHERE seq = %s", [len(trail) - 1])
    result = chain.verify(services.chain_rows(chunk_size=2))
    assert (result.problem.position, result.problem.kind) == (len(trail) - 1, "deleted")


def test_export_head_writes_a_signed_checkpoint_and_records_it(trail, audit_key, tmp_path):
    path = tmp_path / "head.txt"
    status, out, _err = run("export-head", "-o", str(path))
    assert status == 0
    head = trail[-1]
    assert f"Signed head #{head.seq} {head.entry_hash} written to {path}" in out
    assert audit_key.vkey in out
    signed = checkpoint.verify(path.read_text(), audit_key.vkey, origin="pompolit-audit/Pompolit")
    assert (signed.size, signed.root.hex()) == (head.seq, head.entry_hash)
    assert signed.extensions[0].startswith("time 20")
    exported = AuditEntry.objects.order_by("seq").last()
    assert (exported.seq, exported.action) == (head.seq + 1, services.HEAD_EXPORTED)
    assert exported.details == {
        "seq": head.seq, "entry_hash": head.entry_hash, "key": audit_key.vkey,
    }
    assert exported.actor_label == "pompolit audit export-head"


def test_export_head_to_standard_output(trail, audit_key):
    status, out, err = run("export-head")
    assert status == 0
    assert out.startswith("pompolit-audit/Pompolit\n")
    assert audit_key.vkey in err


def test_verify_against_the_head_after_more_entries(trail, head_file, audit_key):
    services.record("login.failed", actor_label="Вера Фигнер", client="10.0.0.0/24")
    status, out, _err = run("verify", "--against", str(head_file), "--vkey", audit_key.vkey)
    assert status == 0
    assert "chain intact" in out and f"extends the exported head #{trail[-1].seq}" in out


def test_verify_against_without_vkey_uses_the_server_key_and_says_so(head_file):
    status, _out, err = run("verify", "--against", str(head_file))
    assert status == 0
    assert "No --vkey given" in err


def test_verify_against_names_a_truncated_chain(trail, head_file, audit_key, tamper):
    last = trail[-1].seq
    tamper("DELETE FROM audit_auditentry WHERE seq >= %s", [last - 1])
    assert run("verify")[0] == 0  # without the head, a shorter chain still looks whole
    status, _out, err = run("verify", "--against", str(head_file), "--vkey", audit_key.vkey)
    assert status == 1
    assert f"chain broken at #{last - 1} (truncated)" in err
    assert f"exported head is #{last}" in err


def test_verify_against_names_a_chain_rewritten_on_the_server(trail, head_file, audit_key, tamper):
    # The insider edits entry 2 and recomputes every hash after it: alone, the chain verifies.
    rows = list(services.chain_rows())
    rows[1]["actor_label"] = "Дегаев"
    prev = rows[0]["entry_hash"]
    tamper("DELETE FROM audit_auditentry WHERE seq >= %s", [2])
    for row in rows[1:]:
        row["prev_hash"] = prev
        row["entry_hash"] = prev = chain.row_hash(row)
        AuditEntry.objects.create(**row)
    assert run("verify")[0] == 0
    status, _out, err = run("verify", "--against", str(head_file), "--vkey", audit_key.vkey)
    assert status == 1
    assert f"chain broken at #{trail[-1].seq} (rewritten)" in err


def test_verify_against_refuses_a_forged_head(trail, head_file, audit_key):
    text = head_file.read_text()
    head_file.write_text(text.replace(f"\n{trail[-1].seq}\n", f"\n{trail[-1].seq + 40}\n", 1))
    status, _out, err = run("verify", "--against", str(head_file), "--vkey", audit_key.vkey)
    assert status == 1
    assert "not genuine" in err and "invalid" in err


def test_verify_against_refuses_a_head_signed_by_another_key(trail, head_file, tmp_path):
    other = signing.generate_key(tmp_path / "other.key")
    status, _out, err = run("verify", "--against", str(head_file), "--vkey", other.vkey)
    assert status == 1
    assert "not genuine" in err and "no signature by" in err


def test_verify_against_refuses_a_head_of_another_organisation(trail, head_file, audit_key,
                                                               settings):
    settings.POMPOLIT_ORGANISATION = "Красный Крест Народной воли"
    status, _out, err = run("verify", "--against", str(head_file), "--vkey", audit_key.vkey)
    assert status == 1
    assert "pompolit-audit/Pompolit" in err


def test_verify_against_an_unreadable_file_or_key(trail, head_file, tmp_path):
    assert run("verify", "--against", str(tmp_path / "missing.txt"))[0] == 2
    status, _out, err = run("verify", "--against", str(head_file), "--vkey", "not-a-key")
    assert status == 2
    assert "cannot be read" in err


def test_export_head_of_an_empty_trail(db, audit_key):
    status, _out, err = run("export-head")
    assert status == 2
    assert "empty" in err


def test_keygen_writes_a_private_key_once(settings, tmp_path):
    settings.POMPOLIT_AUDIT_KEY_FILE = tmp_path / "keys" / "audit.key"
    status, out, _err = run("keygen")
    assert status == 0
    mode = stat.S_IMODE(os.stat(settings.POMPOLIT_AUDIT_KEY_FILE).st_mode)
    assert mode == 0o600
    assert signing.load_key().vkey in out
    status, _out, err = run("keygen")
    assert status == 2
    assert "already exists" in err


def test_production_refuses_to_create_a_key_and_says_how(trail, settings, tmp_path):
    settings.POMPOLIT_AUDIT_KEY_FILE = tmp_path / "audit.key"
    settings.DEBUG, settings.DEMO_MODE = False, False
    status, _out, err = run("export-head")
    assert status == 2
    assert "pompolit audit keygen" in err
    assert not settings.POMPOLIT_AUDIT_KEY_FILE.exists()


def test_dev_mode_creates_a_private_key_on_first_use(trail, settings, tmp_path):
    settings.POMPOLIT_AUDIT_KEY_FILE = tmp_path / "audit.key"
    settings.DEBUG = True
    assert run("export-head")[0] == 0
    assert stat.S_IMODE(os.stat(settings.POMPOLIT_AUDIT_KEY_FILE).st_mode) == 0o600


def test_a_key_readable_by_others_is_refused(audit_key, settings):
    os.chmod(settings.POMPOLIT_AUDIT_KEY_FILE, 0o644)
    with pytest.raises(signing.KeyProblem, match="chmod 600"):
        signing.load_key()
