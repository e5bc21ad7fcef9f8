"""An approved bulk export of the donors' identities: downloadable once, by the treasurer who
asked (ledger/donors.py). The file is generated when it is downloaded."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class DonorExport(models.Model):
    approval = models.OneToOneField("members.ApprovalRequest", on_delete=models.PROTECT,
                                    related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    downloaded_at = models.DateTimeField(null=True, blank=True)

    classification = dict.fromkeys(["approval", "requested_by", "downloaded_at"], "internal")

    def __str__(self) -> str:
        return f"donor export (approval #{self.approval_id})"
