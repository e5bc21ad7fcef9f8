"""The database and the attachments as files, per engine (SQLite, PostgreSQL): a consistent
snapshot to back up, loaded back at restore, and the row counts and checksums of every table
that prove the two the same.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from pompolit.vault.errors import BackupError

# -- checksums -----------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if isinstance(value, memoryview | bytes | bytearray):
        return "b:" + bytes(value).hex()
    return f"{type(value).__name__}:{value}"


def table_digests(
    cursor: Any, tables: Iterable[str], quote: Callable[[str], str]
) -> dict[str, Any]:
    out = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY 1")  # noqa: S608 — names from the catalogue
        digest = hashlib.sha256()
        count = 0
        for row in cursor.fetchall():
            digest.update(json.dumps([_cell(v) for v in row]).encode())
            count += 1
        out[table] = {"rows": count, "sha256": digest.hexdigest()}
    return out


def _sqlite_tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    return [r[0] for r in rows]


def _pg_tables(cursor: Any) -> list[str]:
    cursor.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
    )
    return [r[0] for r in cursor.fetchall()]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# -- snapshots -----------------------------------------------------------------------------


def _pg_env() -> tuple[dict[str, str], list[str]]:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = ["-h", str(db.get("HOST") or "127.0.0.1"), "-p", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    return env, args


def take_snapshot(workdir: Path) -> tuple[str, Path, dict[str, Any]]:
    if connection.vendor == "sqlite":
        target = workdir / "database.sqlite3"
        source = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]))
        copy = sqlite3.connect(str(target))
        with copy:
            source.backup(copy)
        source.close()
        digests = table_digests(copy.cursor(), _sqlite_tables(copy), _quote)
        copy.close()
        return "sqlite", target, digests
    if connection.vendor == "postgresql":
        target = workdir / "database.pgdump"
        env, args = _pg_env()
        connection.ensure_connection()
        with connection.cursor() as cursor:
            # One snapshot for pg_dump and for the manifest's counts, so they agree exactly.
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            try:
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
                subprocess.run(  # noqa: S603 — fixed program, arguments from settings
                    [shutil.which("pg_dump") or "/usr/bin/pg_dump", *args, "--format=custom",
                     "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                     "-f", str(target), str(settings.DATABASES["default"]["NAME"])],
                    check=True, env=env, capture_output=True,
                )
                digests = table_digests(cursor, _pg_tables(cursor), _quote)
            finally:
                cursor.execute("COMMIT")
        return "postgresql", target, digests
    raise BackupError(f"backups of {connection.vendor} databases are not supported")


def tar_folder(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        if folder.exists():
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    tar.add(path, arcname=str(path.relative_to(folder)))
    return buffer.getvalue()


def load_snapshot(files: dict[str, bytes]) -> None:
    """Write the backup's database snapshot into the (empty) database of this server."""
    if connection.vendor == "sqlite":
        target = Path(str(settings.DATABASES["default"]["NAME"]))
        connection.close()
        with tempfile.TemporaryDirectory(prefix="pompolit-restore-") as tmp:
            staged = Path(tmp) / "db.sqlite3"
            staged.write_bytes(files["database.sqlite3"])
            source = sqlite3.connect(str(staged))
            dest = sqlite3.connect(str(target))
            with dest:
                source.backup(dest)
            source.close()
            dest.close()
        target.chmod(0o600)
    else:
        env, args = _pg_env()
        with tempfile.NamedTemporaryFile(prefix="pompolit-restore-", suffix=".pgdump") as dump:
            dump.write(files["database.pgdump"])
            dump.flush()
            subprocess.run(  # noqa: S603 — fixed program, arguments from settings
                [shutil.which("pg_restore") or "/usr/bin/pg_restore", *args, "--no-owner",
                 "--no-privileges", "--exit-on-error",
                 "-d", str(settings.DATABASES["default"]["NAME"]), dump.name],
                check=True, env=env, capture_output=True,
            )


def current_digests() -> dict[str, Any]:
    """Row counts and checksums of every table of this server's database, as at backup time."""
    if connection.vendor == "sqlite":
        # Plain sqlite3, as at backup time: Django's connection converts some types.
        db = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]))
        found = table_digests(db.cursor(), _sqlite_tables(db), _quote)
        db.close()
    else:
        with connection.cursor() as cursor:
            found = table_digests(cursor, _pg_tables(cursor), _quote)
    return found
