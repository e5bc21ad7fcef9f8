"""Concurrent appends never fork the chain (and never fail), with real commits.

The test database cannot hold committed audit rows (they could never be flushed: the table
is append-only), so the race runs in a scratch database of its own, in a subprocess with its
own connections, and is dropped afterwards. On PostgreSQL this exercises the advisory lock;
on SQLite, BEGIN IMMEDIATE.
"""

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from pompolit.audit import services

THREADS, APPENDS = 4, 40

RACE = f"""
import threading, django
django.setup()
from django.db import connection
from pompolit.audit.services import record

start = threading.Barrier({THREADS})
errors = []

def append(worker):
    try:
        start.wait()
        for n in range({APPENDS}):
            record("race.append", actor_label=f"поток {{worker}}", details={{"n": n}})
    except Exception as error:
        errors.append(repr(error))
    finally:
        connection.close()

threads = [threading.Thread(target=append, args=(w,)) for w in range({THREADS})]
for t in threads: t.start()
for t in threads: t.join()
print("errors:", errors)
"""


@pytest.fixture
def scratch_database(tmp_path: Path) -> Iterator[dict[str, str]]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pompolit.settings.dev",
        "POMPOLIT_VAR_DIR": str(tmp_path),
    }
    url = os.environ.get("POMPOLIT_DATABASE_URL", "")
    if not url.startswith("postgres"):
        env.pop("POMPOLIT_DATABASE_URL", None)  # SQLite under tmp_path
        yield env
        return
    import psycopg

    name = f"pompolit_audit_race_{uuid.uuid4().hex[:12]}"
    admin = psycopg.connect(url, autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        env["POMPOLIT_DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + name
        yield env
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)


def test_concurrent_appends_form_one_chain(scratch_database: dict[str, str], tmp_path: Path):
    pompolit = str(Path(sys.executable).with_name("pompolit"))
    migrated = run([pompolit, "migrate", "--verbosity", "0"], scratch_database)
    assert migrated.returncode == 0, migrated.stderr
    script = tmp_path / "race.py"
    script.write_text(RACE, encoding="utf-8")
    race = run([sys.executable, str(script)], scratch_database)
    assert race.returncode == 0, race.stderr
    assert race.stdout.strip() == "errors: []"
    verified = run([pompolit, "audit", "verify"], scratch_database)
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.startswith(f"{THREADS * APPENDS} entries, chain intact")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the advisory lock is PostgreSQL's")
def test_the_chain_lock_holds_off_a_second_connection_until_commit(db):
    import psycopg

    settings = connection.settings_dict
    other = psycopg.connect(
        host=settings["HOST"], port=settings["PORT"] or 5432, user=settings["USER"],
        dbname=settings["NAME"], autocommit=True,
    )
    try:
        services.lock_chain_head()  # held by the test's transaction from here on
        taken = other.execute("SELECT pg_try_advisory_lock(7450001)").fetchone()
        assert taken == (False,)
    finally:
        other.close()
