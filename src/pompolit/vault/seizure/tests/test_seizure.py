"""The acceptance test: a seized server or dump reveals none of the secrets.

A real deployment in subprocesses — `pompolit` commands and a `pompolit keyagent` on a Unix
socket — against an on-disk SQLite file or a scratch PostgreSQL database. Canaries go into
every field classified secret (and an attachment); then everything an attacker would take
(database file and WAL or pg_dump output, the var folder with its attachments, the logs,
a backup file) is searched for every canary in many encodings. Then the service is started
without shares and must decrypt nothing; a backup restored elsewhere must be sealed too.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[6]
POMPOLIT = [sys.executable, "-m", "pompolit.cli"]
PG = "postgres://postgres@127.0.0.1:5432/"

# Runs inside the server: every app's `seizure.seed(canary)` puts a canary in each of its
# secret fields; a secret field left without one is reported and fails the test.
SEED = r'''
import datetime, importlib, json, random, secrets
from django.apps import apps
from pompolit.vault.fields.checks import classification_of, pompolit_models
from pompolit.vault.seizure.tests.forms_walk import CLEAR, plant_in_forms
canaries = {}
clear = {}
def canary(label, kind="text", limit=0):
    if kind == "short":  # a box shorter than a canary: random hex, searched if 8 or longer
        value = secrets.token_hex(max(limit, 2) // 2)
    elif kind == "phone":
        value = "+7 9%02d %07d" % (random.randrange(100), random.randrange(10**7))
    elif kind == "date":
        day = datetime.date(1900, 1, 1) + datetime.timedelta(days=random.randrange(20000))
        value = day.isoformat()
    else:
        value = "Канарейка " + label + " " + secrets.token_hex(6)
    if label.startswith("form:") and label.split(":", 1)[1] in CLEAR:
        clear[label] = value  # stored in clear on purpose (forms_walk.CLEAR says why)
    elif len(value) >= 8:
        canaries[label] = value
    return value
# First the pages' forms (the demo world they need signs a statement with the real log key).
walked = plant_in_forms(canary)
for config in apps.get_app_configs():
    if config.name.startswith("pompolit."):
        try:
            module = importlib.import_module(config.name + ".seizure")
        except ModuleNotFoundError:
            continue
        module.seed(canary)
missing = []
for model in pompolit_models():
    for field in model._meta.concrete_fields:
        if classification_of(model, field) == "secret":
            if not model._default_manager.exclude(**{field.attname: None}).exists():
                missing.append(model._meta.label + "." + field.name)
open(CANARY_FILE, "w").write(json.dumps(canaries, ensure_ascii=False))
print("WALKED", json.dumps(walked))
print("MISSING", json.dumps(missing))
'''
COUNT = (
    "from pompolit.vault.fields.services import stored_ciphertexts; "
    "print(len(list(stored_ciphertexts())))"
)


def _pg_reachable() -> bool:
    try:
        import psycopg

        psycopg.connect(PG + "postgres", connect_timeout=2).close()
        return True
    except Exception:
        return False


class Deployment:
    def __init__(self, base: Path, database_url: str) -> None:
        self.base = base
        self.var = base / "var"
        self.logs = base / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.socket = base / "run" / "agent.sock"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("POMPOLIT_")},
            "POMPOLIT_VAR_DIR": str(self.var),
            "POMPOLIT_DATABASE_URL": database_url,
            "POMPOLIT_VAULT_SOCKET": str(self.socket),
            "DJANGO_SETTINGS_MODULE": "pompolit.settings.dev",
            "PYTHONPATH": str(ROOT / "src"),
        }
        self.agent: subprocess.Popen[bytes] | None = None

    def run(self, *args: str, stdin: str | None = None, check: bool = True,
            timeout: int = 180) -> str:
        name = args[0]
        result = subprocess.run(
            [*POMPOLIT, *args], env=self.env, input=stdin, capture_output=True, text=True,
            cwd=self.base, timeout=timeout,
        )
        with open(self.logs / f"{name}.log", "a") as log:
            log.write(result.stdout + result.stderr)
        if check and result.returncode != 0:
            output = result.stdout + result.stderr
            raise AssertionError(f"pompolit {' '.join(args)} failed:\n{output}")
        return result.stdout

    def start_agent(self) -> None:
        log = open(self.logs / "keyagent.log", "ab")  # noqa: SIM115
        self.agent = subprocess.Popen(
            [*POMPOLIT, "keyagent"], env=self.env, stdout=log, stderr=log, cwd=self.base
        )
        # Django's start-up on a loaded two-core machine can take many seconds; give it a minute.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.socket.exists():
                return
            if self.agent.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(
            "the key agent did not start:\n"
            + (self.logs / "keyagent.log").read_text(errors="replace")[-2000:]
        )

    def stop_agent(self) -> None:
        if self.agent is not None:
            self.agent.send_signal(signal.SIGTERM)
            self.agent.wait(timeout=20)
            self.agent = None


def encodings(canary: str) -> list[bytes]:
    """The forms a careless system might leave a secret in."""
    forms = set()
    for text in {canary, canary.casefold(), canary.upper(), canary.lower()}:
        data = text.encode()
        forms |= {data, text.encode("utf-16-le"), text.encode("utf-16-be"),
                  data.hex().encode(), data.hex().upper().encode(),
                  hashlib.sha256(data).hexdigest().encode(), hashlib.sha256(data).digest(),
                  json.dumps(text)[1:-1].encode()}
        # Base64 at each of the three alignments, as when embedded in a longer value.
        for pad in range(3):
            for encode in (base64.b64encode, base64.urlsafe_b64encode):
                encoded = encode(b"\0" * pad + data)
                forms.add(encoded[4 if pad else 0 : -4])
    return [f for f in forms if len(f) >= 8]


def search(paths: list[Path], canaries: dict[str, str]) -> list[str]:
    hits = []
    needles = {name: encodings(value) for name, value in canaries.items()}
    for path in paths:
        files = [p for p in path.rglob("*") if p.is_file()] if path.is_dir() else [path]
        for file in files:
            data = file.read_bytes()
            folded = data.lower()
            for name, forms in needles.items():
                for form in forms:
                    if form in data or form.lower() in folded:
                        hits.append(f"{name} in {file.name} as {form[:20]!r}")
    return hits


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    if request.param == "sqlite":
        yield "sqlite", lambda label: f"sqlite:///{tmp_path / label / 'var' / 'pompolit.sqlite3'}"
        return
    if not _pg_reachable():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is required in CI")
        pytest.skip("PostgreSQL not reachable")
    import psycopg

    names = []

    def make(label: str) -> str:
        name = f"pompolit_seizure_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(PG + "postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        names.append(name)
        return PG + name

    yield "postgresql", make
    with psycopg.connect(PG + "postgres", autocommit=True) as conn:
        for name in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_seized_server_and_backup_reveal_no_secret(database, tmp_path):
    engine, make_url = database
    server = Deployment(tmp_path / "server", make_url("server"))
    server.var.mkdir(parents=True)
    server.run("migrate", "--no-input")
    # As `pompolit init` does: the public forms' rate limits live in the database cache.
    server.run("createcachetable")
    shares_dir = tmp_path / "keyholders"  # with the keyholders, never on the server
    server.run("vault-init", "--threshold", "2", "--keyholder", "Вера Фигнер",
               "--keyholder", "Софья Перовская", "--keyholder", "Вера Засулич",
               "--shares-dir", str(shares_dir))
    shares = [
        (shares_dir / f"share-{n}.txt").read_text().splitlines()[1] for n in (1, 2, 3)
    ]
    server.start_agent()
    try:
        server.run("unseal", "--stdin", stdin=f"{shares[0]}\n{shares[2]}\n")
        canary_file = tmp_path / "canaries.json"  # the test's own notes, not the server's
        # Walking every page as each member takes minutes on a loaded machine.
        out = server.run("shell", "-c", f"CANARY_FILE={str(canary_file)!r}\n" + SEED,
                         timeout=1200)
        missing = json.loads(out.split("MISSING", 1)[1])
        walked = json.loads(out.split("WALKED", 1)[1].split("MISSING", 1)[0])
        canaries = json.loads(canary_file.read_text())
        secrets_stored = int(server.run("shell", "-c", COUNT).split()[-1])
        assert secrets_stored >= 2
        assert f"decrypted {secrets_stored}," in server.run("vault-status", "--verify")
        backup_file = tmp_path / "seized" / "backup.pompolit"
        backup_file.parent.mkdir()
        server.run("backup", str(backup_file))
        # What is taken while the service runs: the var folder (database, WAL, attachments).
        seized = tmp_path / "seized"
        shutil.copytree(server.var, seized / "var")
        if engine == "postgresql":
            dump = seized / "pg_dump.sql"
            url = server.env["POMPOLIT_DATABASE_URL"]
            subprocess.run(["/usr/bin/pg_dump", "--no-owner", "-f", str(dump), url], check=True)
            assert dump.stat().st_size > 10_000
        else:
            assert (seized / "var" / "pompolit.sqlite3").exists()
    finally:
        server.stop_agent()
    shutil.copytree(server.logs, seized / "logs")

    hits = search([seized], canaries)
    assert hits == [], "\n".join(sorted({h.split(" as ")[0] for h in hits}))
    # Every form with a text box was found and sent through its view, and none was refused.
    assert walked["refused"] == [], walked["refused"]
    assert walked["sent"] >= 20 and sum(k.startswith("form:") for k in canaries) >= 40
    # The search does find canaries where they are in clear (the test's own notes).
    assert search([canary_file], {"x": canaries["vault.EmergencyContact.contact"]})
    sealed = f"decrypted 0, sealed {secrets_stored}, failed 0"

    # Restarted without shares: nothing decrypts.
    server.start_agent()
    try:
        report = server.run("vault-status", "--verify")
        assert "sealed;" in report and sealed in report
    finally:
        server.stop_agent()

    # Restored elsewhere from the backup: exact, verified, and sealed.
    elsewhere = Deployment(tmp_path / "elsewhere", make_url("elsewhere"))
    elsewhere.var.mkdir(parents=True)
    # The group kept the server's secret key off the server with the shares: the approvals'
    # stamps in the trail are keyed by it (audit/stamps.py).
    shutil.copy(server.var / "secret-key", elsewhere.var / "secret-key")
    shares_file = tmp_path / "two-shares.txt"
    shares_file.write_text(f"{shares[1]}\n{shares[2]}\n")
    out = elsewhere.run("restore", str(backup_file), "--shares-file", str(shares_file))
    assert "Verified" in out and "sealed" in out
    elsewhere.start_agent()
    try:
        assert sealed in elsewhere.run("vault-status", "--verify")
        elsewhere.run("unseal", "--stdin", stdin=f"{shares[0]}\n{shares[1]}\n")
        unsealed = f"decrypted {secrets_stored}, sealed 0, failed 0"
        assert unsealed in elsewhere.run("vault-status", "--verify")
    finally:
        elsewhere.stop_agent()
    # Last, so that everything above is checked for the fields that do have canaries.
    assert missing == [], f"secret fields without a canary (add them to seizure.py): {missing}"


def test_restore_refuses_too_few_or_foreign_shares(tmp_path):
    from pompolit.vault.backup.services import open_backup
    from pompolit.vault.errors import BackupError, VaultError

    backup = tmp_path / "fake.pompolit"
    backup.write_bytes(b"not a backup\n")
    with pytest.raises(BackupError):
        open_backup(backup, [])
    del VaultError
