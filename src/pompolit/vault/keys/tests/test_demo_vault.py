"""The demo vault unseals itself from its key file — for every command, not only for the first
that happens to ask for the status. `make demo` runs every command in a new process, each
with a new key agent that has not been asked anything yet."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pompolit.vault.errors import VaultSealed
from pompolit.vault.keys import keyring, services
from pompolit.vault.testing import KEYHOLDERS

ROOT = Path(__file__).resolve().parents[4]


def pompolit(var: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("POMPOLIT_")},
        "POMPOLIT_DEMO": "1", "POMPOLIT_VAR_DIR": str(var),
        "DJANGO_SETTINGS_MODULE": "pompolit.settings.dev", "PYTHONPATH": str(ROOT / "src"),
    }
    done = subprocess.run([sys.executable, "-m", "pompolit.cli", *args], env=env, cwd=var,
                          capture_output=True, text=True, timeout=300)
    if check and done.returncode:
        raise AssertionError(f"pompolit {' '.join(args)}:\n{done.stdout}{done.stderr}")
    return done


def test_backup_right_after_a_restart_of_the_demo(tmp_path):
    """The reported defect: `pompolit backup` said "vault sealed" while `pompolit
    vault-status` said unsealed — because only the status call tried the demo key."""
    var = tmp_path / "var"
    var.mkdir()
    pompolit(var, "migrate", "--no-input")
    pompolit(var, "vault-init", "--demo", "--threshold", "2", "--keyholder", "vera",
             "--keyholder", "sofia", "--shares-dir", str(tmp_path / "shares"))
    backup = pompolit(var, "backup", str(tmp_path / "demo.backup"), check=False)
    assert backup.returncode == 0, backup.stderr
    assert "Backup written" in backup.stdout
    assert "UNSEALED (demo)" in pompolit(var, "vault-status").stdout


@pytest.fixture
def restarted_demo(db, settings, tmp_path):
    """A vault made by `make demo`, then a restart: a new agent that nobody has asked yet."""
    settings.DEMO_MODE = True
    settings.VAR_DIR = tmp_path
    keyring.use_agent(keyring.make_local_agent())
    services.initialise(threshold=2, keyholders=KEYHOLDERS, demo=True)
    fresh = keyring.make_local_agent()
    keyring.use_agent(fresh)
    yield fresh
    fresh.seal()
    keyring.use_agent(None)


def test_making_a_key_first_unseals_the_demo_vault(restarted_demo):
    key, wrapped = restarted_demo.new_key(b"backup")
    assert restarted_demo.unwrap(wrapped, b"backup") == key
    assert restarted_demo.status().demo is True


def test_reading_a_key_first_unseals_the_demo_vault(restarted_demo):
    key, wrapped = keyring.make_local_agent().new_key(b"data")  # another process made it
    assert restarted_demo.unwrap(wrapped, b"data") == key


def test_ensure_unsealed_is_the_path_for_commands(restarted_demo):
    info = keyring.ensure_unsealed()
    assert str(info.vault_id) == restarted_demo.status().vault_id


def test_a_sealed_demo_vault_stays_sealed_until_restarted(restarted_demo):
    services.seal(None, reason="maintenance")
    with pytest.raises(VaultSealed):
        restarted_demo.new_key(b"backup")
    with pytest.raises(VaultSealed):
        keyring.ensure_unsealed()


def test_outside_demo_mode_nothing_unseals_by_itself(vault_shares):
    fresh = keyring.make_local_agent()
    keyring.use_agent(fresh)
    with pytest.raises(VaultSealed):
        fresh.new_key(b"backup")
    with pytest.raises(VaultSealed):
        keyring.ensure_unsealed()
