"""Court hearings: an event of the timeline with a court, a judge, a hall and a time.

A hearing is an `Event` (type "hearing" or "verdict") plus this row: the event keeps its date,
place and notes as every event does, and the hearing adds what people need to come to court.
Courts, judges and halls are public records (judges are public officials): they are stored in
clear (`vault.fields.classification.CLEAR_TEXT`). What the case worker writes about the outcome
is free text, encrypted, and never edited: a new outcome is a new row, the latest one counts,
the earlier ones stay as the history. The database holds to it: outcome rows are append-only
(triggers on SQLite and PostgreSQL, cases/migrations), and a hearing with an outcome cannot be
deleted (PROTECT), so neither can its event (services.remove_event says why).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pompolit.cases.models.cases import Event
from pompolit.vault.fields import FreeTextField, VaultModel

# Event types whose events are hearings (cases/migrations/0002_vocabularies.py).
HEARING_EVENT_TYPES = ("hearing", "verdict")


class HearingKind(models.TextChoices):
    CUSTODY_EXTENSION = "custody", _("custody extension")
    HEARING = "hearing", _("hearing on the merits")
    VERDICT = "verdict", _("verdict")
    APPEAL = "appeal", _("appeal")


def new_public_token() -> str:
    """What a hearing is called outside: in iCalendar UIDs and public addresses. Random, so it
    tells nothing of how many hearings or events there are."""
    return secrets.token_hex(8)


class Hearing(models.Model):
    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="hearing")
    kind = models.CharField(_("kind"), max_length=16, choices=HearingKind.choices,
                            default=HearingKind.HEARING)
    court = models.CharField(_("court"), max_length=200)
    city = models.CharField(_("city"), max_length=100, blank=True)
    judge = models.CharField(_("judge"), max_length=200, blank=True)
    hall = models.CharField(_("hall"), max_length=50, blank=True)
    starts_at = models.TimeField(_("time"), null=True, blank=True)
    closed = models.BooleanField(_("closed hearing"), default=False)
    public_token = models.CharField(max_length=16, unique=True, editable=False,
                                    default=new_public_token)

    classification = {
        "event": "internal", "kind": "internal", "court": "internal", "city": "internal",
        "judge": "internal", "hall": "internal", "starts_at": "internal", "closed": "internal",
        "public_token": "internal",
    }

    class Meta:
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")

    def __str__(self) -> str:
        return f"{self.event.date} {self.court}"

    def outcome(self) -> HearingOutcome | None:
        return self.outcomes.order_by("-pk").first()


class HearingOutcome(VaultModel):
    """What came of a hearing; a correction is a new row, the latest counts."""

    vault_compartment_field = "compartment"

    # PROTECT: the rows are append-only, so a cascade could only fail half-way down.
    hearing = models.ForeignKey(Hearing, on_delete=models.PROTECT, related_name="outcomes")
    compartment = models.ForeignKey("members.Compartment", on_delete=models.PROTECT,
                                    related_name="+")
    text = FreeTextField(_("outcome"))
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.PROTECT, related_name="+")

    classification = dict.fromkeys(
        ["hearing", "compartment", "recorded_at", "recorded_by"], "internal")

    class Meta:
        ordering = ["pk"]
