import json

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One link of the hash-chained audit trail. Never updated or deleted (database triggers)."""

    seq = models.PositiveBigIntegerField(_("position"), unique=True)
    at = models.DateTimeField(_("time"))
    # The actor is kept as id and pseudonym at the time, so the trail outlives renames.
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(_("member"), max_length=64, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object"), max_length=64, blank=True)
    client = models.CharField(max_length=64, blank=True)
    # Non-secret details for people reading the trail; their digest is what the chain covers.
    details = models.JSONField(default=dict)
    details_digest = models.CharField(max_length=64)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)
    sensitive_read = models.BooleanField(default=False)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["actor_id", "at"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    @property
    def details_json(self) -> str:
        # As JSON, the way they are stored and hashed, not as a Python repr.
        return json.dumps(self.details, ensure_ascii=False, sort_keys=True)
