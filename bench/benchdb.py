"""One way for the benchmarks to get a Django database: SQLite in a folder of their own, or a
PostgreSQL database on 127.0.0.1 made afresh (or reused); migrated, Django set up."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def setup(tmp: Path, db: str, pg_name: str, reuse: bool = False) -> str:
    """Point Django at the bench database, migrate it, and return the connection's vendor."""
    os.environ["POMPOLIT_VAR_DIR"] = str(tmp)
    os.environ.pop("POMPOLIT_VAULT_SOCKET", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "pompolit.settings.test"
    if db == "postgres":
        if not reuse:
            for sql in (f'DROP DATABASE IF EXISTS "{pg_name}"', f'CREATE DATABASE "{pg_name}"'):
                subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql],
                               check=True)
        os.environ["POMPOLIT_DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{pg_name}"
    else:
        os.environ["POMPOLIT_DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)  # the rate limits' table, as in production
    return str(connection.vendor)


def unseal(folder: Path, reuse: bool) -> None:
    """An in-process vault for the bench; its shares are kept beside the bench database."""
    from pompolit.vault.keys import keyring, services

    keyring.use_agent(keyring.make_local_agent())
    shares_file = folder / "bench-vault-shares.txt"
    if reuse and shares_file.exists():
        texts = shares_file.read_text().splitlines()
    else:
        issued = services.initialise(threshold=2, keyholders=["bench-1", "bench-2", "bench-3"])
        texts = [share.text for share in issued]
        shares_file.write_text("\n".join(texts))
    services.submit_share(texts[0])
    services.submit_share(texts[1])


def settle() -> None:
    """What autovacuum does a minute after a bulk load: statistics for the planner and, on
    PostgreSQL, the visibility map that index-only scans need (VACUUM ANALYZE). A bench measured
    straight after loading without it times plans production never runs."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
