"""Encrypted backups: a consistent snapshot of the database and the attachments, in one file.

File: a first line `POMPOLIT-BACKUP 1`, a second line of JSON (the header, in clear: the
vault's id, generation, threshold, verifier and share digests — nothing secret — and the
backup key wrapped under the master key), then the body: a tar of the snapshot, the
attachments and a manifest (row counts and checksums per table), encrypted with the backup
key (libsodium secretstream, the header as associated data). Restoring needs k shares, so
a backup restored elsewhere is as sealed as the server it came from; the restored database
itself starts sealed too. The snapshot of each database engine is `backup.snapshot`.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import tarfile
import tempfile
import uuid
from pathlib import Path
from typing import Any

from django.db import connection
from django.utils import timezone

from pompolit.vault import conf, crypto
from pompolit.vault.agent.agent import VaultInfo, check_share, parse_share, recover_master
from pompolit.vault.backup.snapshot import (
    current_digests,
    load_snapshot,
    take_snapshot,
    tar_folder,
)
from pompolit.vault.errors import BackupError
from pompolit.vault.keys.keyring import agent, ensure_unsealed

MAGIC = b"POMPOLIT-BACKUP 1\n"


def backup_ad(vault_id: uuid.UUID, key_id: uuid.UUID) -> bytes:
    return b"pompolit-backup|" + vault_id.bytes + key_id.bytes


# -- backup --------------------------------------------------------------------------------


def create_backup(path: Path) -> dict[str, Any]:
    """Write an encrypted backup to `path`; needs the vault unsealed. Returns the manifest."""
    info = ensure_unsealed()
    key_id = uuid.uuid4()
    key, wrapped = agent().new_key(backup_ad(info.vault_id, key_id))
    with tempfile.TemporaryDirectory(prefix="pompolit-backup-") as tmp:
        os.chmod(tmp, 0o700)
        engine, snapshot, digests = take_snapshot(Path(tmp))
        attachments = tar_folder(conf.attachments_dir())
        manifest = {
            "engine": engine, "created_at": timezone.now().isoformat(), "tables": digests,
            "attachments_sha256": hashlib.sha256(attachments).hexdigest(),
        }
        body = io.BytesIO()
        with tarfile.open(fileobj=body, mode="w") as tar:
            _add(tar, "manifest.json", json.dumps(manifest).encode())
            _add(tar, snapshot.name, snapshot.read_bytes())
            _add(tar, "attachments.tar", attachments)
    header = {
        "vault_id": str(info.vault_id), "generation": info.generation,
        "threshold": info.threshold, "verifier": base64.b64encode(info.verifier).decode(),
        "share_digests": sorted(info.share_digests), "key_id": str(key_id),
        "wrapped_key": base64.b64encode(wrapped).decode(), "engine": engine,
    }
    header_line = json.dumps(header, sort_keys=True).encode() + b"\n"
    encrypted = crypto.stream_encrypt(key, body.getvalue(), MAGIC + header_line)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(MAGIC + header_line + encrypted)
    return manifest


def _add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    member = tarfile.TarInfo(name)
    member.size = len(data)
    member.mode = 0o600
    tar.addfile(member, io.BytesIO(data))


# -- restore -------------------------------------------------------------------------------


def read_header(path: Path) -> tuple[dict[str, Any], VaultInfo]:
    with open(path, "rb") as source:
        if source.readline() != MAGIC:
            raise BackupError("This is not a Pompolit backup file.")
        header = json.loads(source.readline())
    return header, VaultInfo(
        vault_id=uuid.UUID(header["vault_id"]), generation=header["generation"],
        threshold=header["threshold"], verifier=base64.b64decode(header["verifier"]),
        share_digests=frozenset(header["share_digests"]),
    )


def open_backup(path: Path, share_texts: list[str]) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Check the shares against the backup's own header, then decrypt it in memory."""
    header, info = read_header(path)
    entered = {}
    for text in share_texts:
        share = parse_share(text, None)
        check_share(share, info)
        entered[share.index] = share
    if len(entered) < info.threshold:
        raise BackupError(f"{info.threshold} different shares are needed to open this backup.")
    master = recover_master(list(entered.values()), info)
    key_id = uuid.UUID(header["key_id"])
    key = crypto.open_sealed(
        master, base64.b64decode(header["wrapped_key"]), backup_ad(info.vault_id, key_id)
    )
    del master
    raw = path.read_bytes()
    head_end = raw.index(b"\n", len(MAGIC)) + 1
    body = crypto.stream_decrypt(key, raw[head_end:], raw[:head_end])
    files = {}
    with tarfile.open(fileobj=io.BytesIO(body), mode="r") as tar:
        for member in tar.getmembers():
            extracted = tar.extractfile(member)
            if extracted is not None:
                files[member.name] = extracted.read()
    return json.loads(files["manifest.json"]), files


def restore_backup(path: Path, share_texts: list[str]) -> dict[str, Any]:
    """Restore into an empty database and an empty attachments folder, then verify."""
    manifest, files = open_backup(path, share_texts)
    if manifest["engine"] != connection.vendor:
        raise BackupError(
            f"This backup is of a {manifest['engine']} database; the target is {connection.vendor}."
        )
    if connection.introspection.table_names():
        raise BackupError("The target database is not empty; restore only into an empty one.")
    folder = conf.attachments_dir()
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"The attachments folder {folder} is not empty.")
    load_snapshot(files)
    folder.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(files["attachments.tar"]), mode="r") as tar:
        tar.extractall(folder, filter="data")
    return verify_restored(manifest)


def verify_restored(manifest: dict[str, Any]) -> dict[str, Any]:
    from pompolit.audit.services import verify_chain

    found = current_digests()
    mismatched = sorted(
        t for t in set(found) | set(manifest["tables"]) if found.get(t) != manifest["tables"].get(t)
    )
    attachments = hashlib.sha256(tar_folder(conf.attachments_dir())).hexdigest()
    chain = verify_chain()
    return {
        "tables": len(found),
        "rows": sum(t["rows"] for t in found.values()),
        "mismatched": mismatched,
        "attachments_ok": attachments == manifest["attachments_sha256"],
        "audit_chain": chain.summary(),
        "audit_intact": chain.intact,
        # Stamps (audit/stamps.py) are keyed by the server's secret key: a backup restored on a
        # server with another key reads as forged until it runs with the old key.
        "audit_stamps_foreign": chain.problem is not None and chain.problem.kind == "forged",
    }
