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
    return str(connection.vendor)
