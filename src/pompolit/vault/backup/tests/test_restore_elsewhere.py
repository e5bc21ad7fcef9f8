"""A backup restored on a new server: the approvals' stamps are keyed by the old server's
secret key, so restore says which key it needs instead of failing without a reason."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pompolit.audit.services import verify_chain
from pompolit.vault.management.commands import _backup as restore


def test_approvals_stamped_under_another_secret_key_read_as_forged(make_member, settings):
    make_member("Николай Морозов", "case_worker")  # a role granted with a second person
    assert verify_chain().intact
    settings.SECRET_KEY = "a new server's key, not the one that stamped the approvals"
    result = verify_chain()
    assert not result.intact and result.problem is not None
    assert result.problem.kind == "forged"


def restored(monkeypatch, **result):
    outcome = {"tables": 75, "rows": 1621, "mismatched": [], "attachments_ok": True,
               "audit_chain": "chain intact", "audit_intact": True, **result}
    monkeypatch.setattr(restore, "read_header", lambda path: (b"", None))
    monkeypatch.setattr(restore, "restore_backup", lambda path, texts: outcome)


def shares_file(tmp_path):
    shares = tmp_path / "shares.txt"
    shares.write_text("share one\nshare two\n")
    return shares


def run(tmp_path):
    out, err = StringIO(), StringIO()
    call_command("restore", str(tmp_path / "backup.pompolit"), "--shares-file",
                 str(shares_file(tmp_path)), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_restore_under_another_secret_key_names_the_key_it_needs(monkeypatch, tmp_path):
    restored(monkeypatch, audit_chain="chain broken at #5 (forged): …", audit_intact=False,
             audit_stamps_foreign=True)
    err = StringIO()
    with pytest.raises(CommandError, match="Verification FAILED"):
        call_command("restore", str(tmp_path / "backup.pompolit"), "--shares-file",
                     str(shares_file(tmp_path)), stdout=StringIO(), stderr=err)
    assert "another server's secret key" in err.getvalue()
    assert "POMPOLIT_SECRET_KEY_FILE" in err.getvalue()


def test_a_clean_restore_says_nothing_of_keys(monkeypatch, tmp_path):
    restored(monkeypatch, audit_stamps_foreign=False)
    out, err = run(tmp_path)
    assert "Verified" in out and "secret key" not in err



def test_vault_restore_is_the_new_name_and_restore_says_so(monkeypatch, tmp_path):
    restored(monkeypatch, audit_stamps_foreign=False)
    out, err = StringIO(), StringIO()
    call_command("vault", "restore", str(tmp_path / "backup.pompolit"), "--shares-file",
                 str(shares_file(tmp_path)), stdout=out, stderr=err)
    assert "Verified" in out.getvalue() and err.getvalue() == ""
    _out, err_text = run(tmp_path)
    assert "`pompolit restore` is now `pompolit vault restore`" in err_text
