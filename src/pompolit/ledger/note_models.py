"""A note typed by a person about a ledger entry (a donation's internal note): encrypted.

`Entry.memo` is for what the system writes ("bank import, line 3", "aid #12: sent"); what a
treasurer types goes here, under the vault's organisation-wide key (issue 18: volunteers put
names and account numbers in any box). Never published, never exported.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from pompolit.vault.fields import FreeTextField, VaultModel


class EntryNote(VaultModel):
    entry = models.OneToOneField("ledger.Entry", on_delete=models.PROTECT, related_name="note")
    note = FreeTextField(_("internal note"), max_length=500)

    classification: ClassVar[dict[str, str]] = {"entry": "internal"}

    def __str__(self) -> str:
        return f"note on entry #{self.entry_id}"
