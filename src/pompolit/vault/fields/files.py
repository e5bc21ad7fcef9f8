"""Attachments: the body encrypted on disk under a key of its own, which the field keeps."""

from __future__ import annotations

import secrets

from pompolit.vault import conf, crypto


class EncryptedFile:
    """An attachment: its name and type are encrypted in the column, its body on disk."""

    def __init__(
        self, *, name: str, content_type: str, size: int, blob: str, key: bytes
    ) -> None:
        self.name = name
        self.content_type = content_type
        self.size = size
        self.blob = blob
        self._key = key

    def read(self) -> bytes:
        data = (conf.attachments_dir() / self.blob).read_bytes()
        return crypto.stream_decrypt(self._key, data, self.blob.encode())

    def __repr__(self) -> str:
        return f"<EncryptedFile {self.blob}>"


class Upload:
    """A file to attach: `record.scan = Upload("письмо.pdf", data, "application/pdf")`."""

    def __init__(self, name: str, data: bytes, content_type: str = "application/octet-stream"):
        self.name = name
        self.data = data
        self.content_type = content_type


def store_blob(data: bytes) -> tuple[str, bytes]:
    """Encrypt a file body under a fresh key into the attachments folder; its name is random."""
    key = crypto.new_key()
    blob = secrets.token_hex(16) + ".bin"
    folder = conf.attachments_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / blob
    with open(path, "xb") as out:
        out.write(crypto.stream_encrypt(key, data, blob.encode()))
    path.chmod(0o600)
    return blob, key
