"""Lawyers on duty at a hotline, where they were dispatched, and the shift log.

A `DutyLawyer` is a lawyer who takes detainees during a surge; they need not be a member (most
are not), so they are a record of the hotline compartment, not an account. Their name (as they
want to be called) and phone are encrypted under the compartment's key. `station` is where they
are now; every dispatch and recall is also a `Dispatch` row, never changed or deleted.

The `ShiftLogEntry` rows are what the people on duty write down for each other: notes,
incidents, and the handover at the end of a shift, which carries the open items counted when it
was written. Never changed or deleted (database triggers, migration 0003).

Imported by `intake/models.py`: Django finds an app's models there.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from pompolit.cases.models import Facility
from pompolit.vault.fields import EncryptedTextField, FreeTextField, VaultModel


class DutyLawyer(VaultModel):
    vault_compartment_field = "compartment"

    compartment = models.ForeignKey(
        "members.Compartment", on_delete=models.PROTECT, related_name="+"
    )
    name = FreeTextField(pgettext_lazy("of a person", "name"), max_length=120, blank=False)
    phone = EncryptedTextField(_("phone"), sensitivity="secret", blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), help_text=_("How many detainees they can take on.")
    )
    on_duty_from = models.DateTimeField(_("on duty from"))
    on_duty_to = models.DateTimeField(_("on duty until"), null=True, blank=True)
    # Where they are now (None: not dispatched); the history is in Dispatch.
    station = models.ForeignKey(
        Facility, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    classification = dict.fromkeys(
        [
            "compartment",
            "capacity",
            "on_duty_from",
            "on_duty_to",
            "station",
            "created_at",
            "created_by",
        ],
        "internal",
    )

    class Meta:
        verbose_name = _("lawyer on duty")
        verbose_name_plural = _("lawyers on duty")
        ordering = ["on_duty_from", "pk"]
        indexes = [models.Index(fields=["compartment", "station"], name="intake_duty_station")]

    def __str__(self) -> str:
        # A number, never the name or the phone: both are encrypted, and `str()` ends up in
        # logs, error reports and the admin. Lists of lawyers use `duty.forms.lawyer_label`.
        return gettext("lawyer on duty no. %(number)s") % {"number": self.pk}


class Dispatch(models.Model):
    """A lawyer sent to a station (or recalled: no station). Never changed or deleted."""

    lawyer = models.ForeignKey(DutyLawyer, on_delete=models.PROTECT, related_name="dispatches")
    station = models.ForeignKey(
        Facility, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    classification = dict.fromkeys(["lawyer", "station", "at", "by"], "internal")

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return gettext("dispatch no. %(number)s") % {"number": self.pk}

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("a dispatch is never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("a dispatch is never deleted")


class LogKind(models.TextChoices):
    NOTE = "note", pgettext_lazy("shift log", "note")
    HANDOVER = "handover", _("handover")
    INCIDENT = "incident", _("incident")


class ShiftLogEntry(VaultModel):
    vault_compartment_field = "compartment"

    compartment = models.ForeignKey(
        "members.Compartment", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=LogKind.choices)
    text = FreeTextField(_("text"))
    # A handover's open items as counted when it was written: numbers only.
    summary = models.JSONField(default=dict, blank=True)

    classification = dict.fromkeys(["compartment", "at", "author", "kind", "summary"], "internal")

    class Meta:
        verbose_name = _("shift log entry")
        verbose_name_plural = _("shift log entries")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["compartment", "-at"], name="intake_shiftlog_recent")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("the shift log is never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("the shift log is never deleted")
