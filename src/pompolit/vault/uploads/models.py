from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone

from pompolit.vault.fields import EncryptedBytesField, EncryptedJSONField, VaultModel


class PendingUpload(VaultModel):
    """A file uploaded for an import, waiting between its preview and its commit (vault.uploads).

    Encrypted under its compartment's key (the organisation's for the books), owned by the member
    who uploaded it, deleted on commit or cancel, and by the clean-up once it expires.
    """

    vault_compartment_field = "compartment"

    token = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=32)
    owner = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="+")
    compartment = models.ForeignKey(
        "members.Compartment", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    body = EncryptedBytesField(sensitivity="secret")
    # What the import needs besides the body: the file's name to show, the chosen options.
    state = EncryptedJSONField(sensitivity="secret")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)

    classification: ClassVar[dict[str, str]] = {
        "token": "internal", "kind": "internal", "owner": "internal", "compartment": "internal",
        "created_at": "internal", "expires_at": "internal",
    }

    def __str__(self) -> str:
        return f"pending {self.kind} upload #{self.pk}"
