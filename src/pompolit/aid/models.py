"""Aid to prisoners: parcels, money transfers, letters, books, lawyers' fees, relatives' travel.

An `AidItem` belongs to a case (and so to its compartment) and is paid from a fund. It moves
draft → approved → sent → delivered / returned / lost / confiscated; every move is an
`AidTransition` (append-only) with its date, who did it and the channel. The money is in the
books: approving posts a reservation, sending the payment, a return or a loss its correction
(`aid/books/postings.py`); the three entries are linked here. `version` is the optimistic
lock: an edit made on a stale copy is refused, never silently lost.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pompolit.ledger.money import MAX_UNITS
from pompolit.vault.fields import EncryptedTextField, FreeTextField, VaultModel


class Kind(models.TextChoices):
    PARCEL = "parcel", _("parcel")
    MONEY = "money", _("money transfer")
    LETTER = "letter", _("letter or postcard")
    BOOKS = "books", _("books")
    LAWYER = "lawyer", _("lawyer's fee")
    TRAVEL = "travel", _("relative's travel for a visit")


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    APPROVED = "approved", _("approved")
    SENT = "sent", _("sent")
    DELIVERED = "delivered", _("delivered")
    RETURNED = "returned", _("returned")
    LOST = "lost", _("lost")
    CONFISCATED = "confiscated", _("confiscated")


# Where an item may go from each state.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.DRAFT: (Status.APPROVED,),
    Status.APPROVED: (Status.SENT, Status.DRAFT),
    Status.SENT: (Status.DELIVERED, Status.RETURNED, Status.LOST, Status.CONFISCATED),
    Status.DELIVERED: (),
    Status.RETURNED: (),
    Status.LOST: (),
    Status.CONFISCATED: (),
}
CLOSED = (Status.DELIVERED, Status.RETURNED, Status.LOST, Status.CONFISCATED)
# Parcels that count against a facility's "so many per period".
COUNTED = (Status.APPROVED, Status.SENT, Status.DELIVERED)


class Channel(models.TextChoices):
    POST = "post", _("post")
    COURIER = "courier", _("courier")
    FACILITY = "facility", _("the facility's shop or e-letter service")
    RELATIVE = "relative", _("a relative")


class MoneyTo(models.TextChoices):
    PRISONER = "prisoner", _("the prisoner's account in the facility")
    RELATIVE = "relative", _("a relative")


class AidItem(VaultModel):
    vault_compartment_field = "compartment"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="aid_items")
    # The case's compartment, here too: its key encrypts the tracking number and the note.
    compartment = models.ForeignKey("members.Compartment", on_delete=models.PROTECT,
                                    related_name="+")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.DRAFT)
    fund = models.ForeignKey("ledger.Fund", on_delete=models.PROTECT, related_name="aid_items",
                             verbose_name=_("fund"))
    currency = models.ForeignKey("ledger.Currency", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("currency"))
    # The cost in the currency's minor units; 0 for aid that costs the group nothing.
    cost_units = models.BigIntegerField(_("cost"), default=0)
    planned_on = models.DateField(_("planned for"))
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices,
                               blank=True)
    # Money transfers: to whom.
    money_to = models.CharField(_("money to"), max_length=12, choices=MoneyTo.choices,
                                blank=True)
    relative = models.ForeignKey("cases.Relative", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("relative"))
    # Letters: the language it is written in (a code from aid.vocabulary.LANGUAGES).
    language = models.CharField(_("language"), max_length=8, blank=True)
    note = EncryptedTextField(_("note"), sensitivity="secret", blank=True)
    tracking_number = EncryptedTextField(_("tracking number"), sensitivity="secret", blank=True)
    # Where a draft came from, e.g. "plan 2026-12" (the planner), blank when typed in.
    origin = models.CharField(max_length=64, blank=True)
    version = models.PositiveIntegerField(default=1)
    # Violations found when the item was re-checked after approval (aid.rules.Violation as
    # dicts); empty when it is fine. Shown on the pages and by `pompolit aid check`.
    flags = models.JSONField(default=list, blank=True)
    flagged_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    approval = models.ForeignKey("members.ApprovalRequest", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    # The books (aid/books/postings.py): the reservation, the payment, and a return's or loss's
    # entry.
    reservation = models.OneToOneField("ledger.Entry", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")
    payment = models.OneToOneField("ledger.Entry", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    settlement = models.OneToOneField("ledger.Entry", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")

    classification = dict.fromkeys(
        ["case", "compartment", "kind", "status", "fund", "currency", "cost_units",
         "planned_on", "channel", "money_to", "relative", "language", "origin", "version",
         "flags", "flagged_at", "created_by", "created_at", "updated_at", "approved_by",
         "approval", "sent_on", "closed_on", "reservation", "payment", "settlement"],
        "internal",
    )

    class Meta:
        verbose_name = _("aid item")
        verbose_name_plural = _("aid items")
        ordering = ["-planned_on", "-pk"]
        indexes = [
            models.Index(fields=["case", "kind", "planned_on"], name="aid_item_case_kind"),
            models.Index(fields=["status", "sent_on"], name="aid_item_status_sent"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(cost_units__gte=0), name="aid_item_cost_not_neg"),
            models.CheckConstraint(condition=Q(cost_units__lte=MAX_UNITS),
                                   name="aid_item_cost_bounded"),
            models.CheckConstraint(condition=Q(version__gte=1), name="aid_item_version"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED

    @property
    def total_grams(self) -> int:
        return sum(line.grams for line in self.contents.all())


class AidContent(VaultModel):
    """One line of a parcel's (or a books item's) contents. What it is (a medicine's name, a
    size) is typed freely: encrypted under the item's compartment key."""

    item = models.ForeignKey(AidItem, on_delete=models.CASCADE, related_name="contents")
    # A code of aid.vocabulary.CATEGORIES.
    category = models.CharField(_("category"), max_length=24)
    description = FreeTextField(_("what"), max_length=200)
    quantity = models.PositiveIntegerField(_("quantity"))
    grams = models.PositiveIntegerField(_("weight, g"))

    classification = dict.fromkeys(["item", "category", "quantity", "grams"], "internal")

    class Meta:
        ordering = ["item", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="aid_content_quantity"),
        ]

    def __str__(self) -> str:
        return f"{self.category} ×{self.quantity}"

    def vault_compartment_id(self) -> int | None:
        return self.item.compartment_id


class AidTransition(models.Model):
    """One step of an item's lifecycle: never edited or deleted."""

    item = models.ForeignKey(AidItem, on_delete=models.PROTECT, related_name="transitions")
    from_status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Status.choices)
    on = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices,
                               blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                              related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    classification = dict.fromkeys(
        ["item", "from_status", "to_status", "on", "channel", "actor", "recorded_at"],
        "internal",
    )

    class Meta:
        ordering = ["item", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"#{self.item_id} {self.from_status}→{self.to_status} {self.on}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("A lifecycle step is never edited.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("A lifecycle step is never deleted.")

    @property
    def note(self) -> str:
        """What the person typed with the step (AidStepNote: encrypted), or ""."""
        try:
            return str(self.step_note.note)
        except AidStepNote.DoesNotExist:
            return ""


class AidStepNote(VaultModel):
    """The note typed with a lifecycle step ("confiscated at the gate by …"): encrypted under the
    compartment's key. Beside the step, not in it: steps are append-only, and a note written
    before it was encrypted had to move out of them (aid migration 0005)."""

    vault_compartment_field = "compartment"

    transition = models.OneToOneField(AidTransition, on_delete=models.PROTECT,
                                      related_name="step_note")
    compartment = models.ForeignKey("members.Compartment", on_delete=models.PROTECT,
                                    related_name="+")
    note = FreeTextField(_("note"), max_length=300)

    classification = dict.fromkeys(["transition", "compartment"], "internal")

    def __str__(self) -> str:
        return f"note on step #{self.transition_id}"


# The most of each plan item type a prisoner may be said to need in a month: beyond these it
# is a typing mistake.
MAX_NEEDED = {"parcels": 4, "transfers": 4, "letters": 8}


class MonthlyNeeds(models.Model):
    """What a prisoner needs a month, in the plan's item types (aid/planning/services.py):
    counts only, so plain fields. No row: the plan's default, one of each."""

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT,
                                related_name="monthly_needs")
    # The case's compartment, here too: the wall is checked without a join.
    compartment = models.ForeignKey("members.Compartment", on_delete=models.PROTECT,
                                    related_name="+")
    parcels = models.PositiveSmallIntegerField(_("food parcels a month"), default=1)
    transfers = models.PositiveSmallIntegerField(_("money transfers a month"), default=1)
    letters = models.PositiveSmallIntegerField(_("letters a month"), default=1)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")

    classification = dict.fromkeys(
        ["case", "compartment", "parcels", "transfers", "letters", "updated_at", "updated_by"],
        "internal",
    )

    class Meta:
        verbose_name = _("monthly aid needs")
        verbose_name_plural = _("monthly aid needs")
        constraints = [
            models.CheckConstraint(condition=Q(parcels__lte=MAX_NEEDED["parcels"]),
                                   name="aid_needs_parcels_max"),
            models.CheckConstraint(condition=Q(transfers__lte=MAX_NEEDED["transfers"]),
                                   name="aid_needs_transfers_max"),
            models.CheckConstraint(condition=Q(letters__lte=MAX_NEEDED["letters"]),
                                   name="aid_needs_letters_max"),
        ]

    def __str__(self) -> str:
        return f"#{self.case_id}: {self.parcels}/{self.transfers}/{self.letters}"
