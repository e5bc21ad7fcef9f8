"""Letters to prisoners: the facility's letter rules, the letter, its history, its images and
the replies.

A letter is written by someone without an account: the only tie between the writer and the
letter is `writer_hash`, SHA-256 of a private code shown once (`letters/codes.py`). Its text,
the optional return name, its images and every reply are encrypted by the vault under the
organisation's key (`vault_compartment_field = None`): the writer is outside every compartment,
and the moderators who read letters are not the prisoner's case workers. `status` is the
latest `LetterStep` (append-only), kept in step by `letters/services.py`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pompolit.aid.vocabulary import LANGUAGES
from pompolit.vault.fields import (
    EncryptedBytesField,
    EncryptedFileField,
    EncryptedTextField,
    FreeTextField,
    VaultModel,
)

# What a letter may hold at most, whatever a facility allows: beyond it, it is not a letter.
MAX_CHARS = 20_000
MAX_IMAGES = 5


class Status(models.TextChoices):
    WAITING = "waiting", _("waiting for moderation")
    SENT_BACK = "sent_back", _("sent back to the writer")
    REJECTED = "rejected", _("rejected")
    APPROVED = "approved", _("approved, waiting to be sent")
    SENT = "sent", _("sent")
    DELIVERED = "delivered", _("delivered")
    BLOCKED = "blocked", _("blocked by the censor")
    RETURNED = "returned", _("returned")


# Where a letter may go from each state.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.WAITING: (Status.APPROVED, Status.SENT_BACK, Status.REJECTED),
    Status.SENT_BACK: (),
    Status.REJECTED: (),
    Status.APPROVED: (Status.SENT,),
    Status.SENT: (Status.DELIVERED, Status.BLOCKED, Status.RETURNED),
    Status.DELIVERED: (),
    Status.BLOCKED: (),
    Status.RETURNED: (),
}
# Letters that count towards "letters this month" (the weighted pick, the statistics).
COUNTED = (Status.WAITING, Status.APPROVED, Status.SENT, Status.DELIVERED)


class Channel(models.TextChoices):
    POST = "post", _("post")
    ELECTRONIC = "electronic", _("electronic letter service")
    PAPER = "paper", _("written on paper at a letter evening")


class LetterRules(models.Model):
    """What a facility's censors let through, for writers and moderators. One per facility;
    no row: letters in Russian, up to the default length, no images, anyone may write."""

    facility = models.OneToOneField("cases.Facility", on_delete=models.PROTECT,
                                    related_name="letter_rules", verbose_name=_("facility"))
    accepts_letters = models.BooleanField(_("letters are delivered there"), default=True)
    relatives_only = models.BooleanField(
        _("only relatives may write"), default=False,
        help_text=_("After sentencing, some countries let only close family write."))
    # Codes of aid.vocabulary.LANGUAGES; empty: the facility rule's letter_languages, else ru.
    languages = models.JSONField(_("languages"), default=list, blank=True)
    max_chars = models.PositiveIntegerField(_("maximum length, characters"), default=6000)
    # Codes of letters.topics.TOPICS.
    topics_to_avoid = models.JSONField(_("topics the censor blocks"), default=list, blank=True)
    images_accepted = models.BooleanField(_("images accepted"), default=False)
    max_images = models.PositiveSmallIntegerField(_("images at most"), default=0)
    postcards_accepted = models.BooleanField(_("postcards accepted"), default=True)
    # The electronic letter service's limit on one letter (pages of its form), if any.
    service_max_chars = models.PositiveIntegerField(
        _("electronic service: characters per letter"), null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    classification = dict.fromkeys(
        ["facility", "accepts_letters", "relatives_only", "languages", "max_chars",
         "topics_to_avoid", "images_accepted", "max_images", "postcards_accepted",
         "service_max_chars", "updated_at"],
        "public",
    )

    class Meta:
        verbose_name = _("letter rules")
        verbose_name_plural = _("letter rules")
        constraints = [
            models.CheckConstraint(condition=Q(max_chars__lte=MAX_CHARS),
                                   name="letters_rules_max_chars"),
            models.CheckConstraint(condition=Q(max_images__lte=MAX_IMAGES),
                                   name="letters_rules_max_images"),
        ]

    def __str__(self) -> str:
        return f"letter rules of {self.facility}"


class Letter(VaultModel):
    vault_compartment_field = None  # the organisation's key: see the module's docstring

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="letters")
    # Where it was addressed when written (the person may be moved before it is sent).
    facility = models.ForeignKey("cases.Facility", on_delete=models.PROTECT,
                                 related_name="letters")
    text = EncryptedTextField(_("letter"), sensitivity="secret")
    return_name = EncryptedTextField(_("your name (optional)"), sensitivity="secret",
                                     blank=True)
    # Detected from the script (letters/language.py): a code of aid.vocabulary.LANGUAGES.
    language = models.CharField(_("language"), max_length=8, blank=True)
    wants_translation = models.BooleanField(_("translation asked for"), default=False)
    # SHA-256 of the writer's private code (letters/codes.py): never the code itself.
    writer_hash = models.CharField(max_length=64, db_index=True)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices,
                               default=Channel.POST)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.WAITING)
    # Topics of the facility's "avoid" list the letter seems to touch (letters/topics.py):
    # for the moderator to judge, never a refusal by themselves.
    flags = models.JSONField(default=list, blank=True)
    # The cost in the books, once sent (an aid item of kind "letter").
    aid_item = models.OneToOneField("aid.AidItem", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="letter")
    # The holiday campaign it was written during (letters/campaigns.py), if any.
    campaign = models.ForeignKey("letters.Campaign", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="letters")
    # Written on paper at a letter evening and entered by a volunteer (letters/paper.py): the
    # text is on paper, not here.
    paper_entry = models.ForeignKey("letters.PaperEntry", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="letters")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)

    classification = dict.fromkeys(
        ["case", "facility", "language", "wants_translation", "writer_hash", "channel",
         "status", "flags", "aid_item", "campaign", "paper_entry", "created_at", "updated_at"],
        "internal",
    )

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="letters_status_created"),
            models.Index(fields=["case", "created_at"], name="letters_case_created"),
        ]

    def __str__(self) -> str:
        return f"letter #{self.pk}"


class LetterImage(VaultModel):
    """A picture sent with a letter: re-encoded without metadata (core/images.py), encrypted."""

    vault_compartment_field = None

    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="images")
    image = EncryptedFileField(_("image"), sensitivity="secret")

    classification = {"letter": "internal"}

    def __str__(self) -> str:
        return f"image #{self.pk} of letter #{self.letter_id}"


class LetterStep(VaultModel):
    """One step of a letter's life — a moderator's decision, a sending, a delivery, a block —
    with its reason: never edited or deleted (database triggers too)."""

    vault_compartment_field = None

    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="steps")
    from_status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Status.choices)
    # A suggestion to the writer, a reason for a rejection or a block: the writer reads it.
    note = FreeTextField(_("reason or suggestion"), max_length=1000)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                              related_name="+")
    at = models.DateTimeField(default=timezone.now)

    classification = dict.fromkeys(["letter", "from_status", "to_status", "actor", "at"],
                                   "internal")

    class Meta:
        ordering = ["letter", "at", "pk"]

    def __str__(self) -> str:
        return f"#{self.letter_id} {self.from_status}→{self.to_status}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("A letter's step is never edited.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("A letter's step is never deleted.")


class Reply(VaultModel):
    """A prisoner's answer: a scan (re-encoded, encrypted) or a volunteer's transcription."""

    vault_compartment_field = None

    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="replies")
    received_on = models.DateField(_("received on"))
    scan = EncryptedFileField(_("scan"), sensitivity="secret", blank=True)
    transcription = EncryptedTextField(_("transcription"), sensitivity="secret", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    classification = dict.fromkeys(["letter", "received_on", "created_by", "created_at"],
                                   "internal")

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["letter", "received_on", "pk"]

    def __str__(self) -> str:
        return f"reply #{self.pk} to letter #{self.letter_id}"


class CardTheme(models.TextChoices):
    NONE = "", _("none")
    NEW_YEAR = "new_year", _("New Year")
    BIRTHDAY = "birthday", _("birthday")
    SPRING = "spring", _("spring")
    SOLIDARITY = "solidarity", _("solidarity")


class Campaign(models.Model):
    """A holiday campaign ("New Year cards"): its days, a suggestion for writers, a card theme.
    Made by coordinators (LETTER_CAMPAIGN_ORGANISERS); public while it runs."""

    name_en = models.CharField(_("name in English"), max_length=120)
    name_ru = models.CharField(_("name in Russian"), max_length=120)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    suggestion_en = models.TextField(_("suggestion for writers, in English"), max_length=1000,
                                     blank=True)
    suggestion_ru = models.TextField(_("suggestion for writers, in Russian"), max_length=1000,
                                     blank=True)
    card_theme = models.CharField(_("card theme"), max_length=16, choices=CardTheme.choices,
                                  blank=True)
    # None: made from the command line (the demo).
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    classification = {
        **dict.fromkeys(["name_en", "name_ru", "starts_on", "ends_on", "suggestion_en",
                         "suggestion_ru", "card_theme"], "public"),
        **dict.fromkeys(["created_by", "created_at"], "internal"),
    }

    class Meta:
        verbose_name = _("letter campaign")
        verbose_name_plural = _("letter campaigns")
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")),
                                   name="letters_campaign_days"),
        ]

    def __str__(self) -> str:
        return self.name_en


class PaperEntry(VaultModel):
    """Letters written on paper at a letter evening, entered by a volunteer: `count` letters
    to one prisoner (each a `Letter` of channel "paper", so they count, are sent and paid like
    any other)."""

    vault_compartment_field = None

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    count = models.PositiveSmallIntegerField(_("letters"))
    written_on = models.DateField(_("written on"))
    evening = FreeTextField(_("letter evening"), max_length=200)
    campaign = models.ForeignKey(Campaign, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="paper_entries", verbose_name=_("campaign"))
    note = FreeTextField(_("note"), max_length=1000)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    classification = dict.fromkeys(
        ["case", "count", "written_on", "campaign", "entered_by", "created_at"], "internal")

    class Meta:
        ordering = ["-written_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(count__gte=1, count__lte=200),
                                   name="letters_paper_count"),
        ]

    def __str__(self) -> str:
        return f"paper letters #{self.pk}"


class Translation(VaultModel):
    """A volunteer's translation of a letter into a language the facility's censor reads,
    encrypted as the letter is. A letter may be translated again: the latest is sent."""

    vault_compartment_field = None

    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="translations")
    language = models.CharField(_("language"), max_length=8, choices=[
        (code, label) for code, label in LANGUAGES.items()])
    text = EncryptedTextField(_("translation"), sensitivity="secret")
    translated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                      related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    classification = dict.fromkeys(["letter", "language", "translated_by", "created_at"],
                                   "internal")

    class Meta:
        ordering = ["letter", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"translation #{self.pk} of letter #{self.letter_id}"


class TranslatorLanguages(models.Model):
    """The languages a volunteer declared they can translate from (codes of LANGUAGES)."""

    member = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="letter_languages")
    languages = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    classification = dict.fromkeys(["member", "languages", "updated_at"], "internal")

    def __str__(self) -> str:
        return f"languages of {self.member_id}"


class PrintState(models.TextChoices):
    QUEUED = "queued", _("waiting for the worker")
    RUNNING = "running", _("being laid out")
    READY = "ready", _("ready to download")
    FAILED = "failed", _("failed")


class PrintFailure(models.TextChoices):
    """Why a batch's PDF was not made, as the page says it."""

    NONE = "", ""
    SEALED = "sealed", _("The vault was sealed while the PDF was being made.")
    EMPTY = "empty", _("No approved letters wait in this group any more.")
    LAYOUT = "layout", _("The PDF could not be laid out.")
    STALLED = "stalled", _("The worker stopped before the PDF was finished.")


class BatchPrint(VaultModel):
    """A long group's PDF laid out in the background (letters/batch_prints.py): its progress
    for the page to show, then the PDF itself, encrypted under the organisation's key like the
    letters in it, until the member who asked downloads it (then the row is deleted) or it
    expires. At most one per member, facility and channel."""

    vault_compartment_field = None

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="+")
    facility = models.ForeignKey("cases.Facility", on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=12, choices=Channel.choices)
    state = models.CharField(max_length=8, choices=PrintState.choices, default=PrintState.QUEUED)
    letters = models.PositiveIntegerField(default=0)
    parts = models.PositiveIntegerField(default=0)
    parts_done = models.PositiveIntegerField(default=0)
    # Why it failed, as a code the page explains: never an exception's text, which could quote
    # a letter.
    failure = models.CharField(max_length=16, blank=True, choices=PrintFailure.choices)
    pdf = EncryptedBytesField(sensitivity="secret")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)

    classification = dict.fromkeys(
        ["owner", "facility", "channel", "state", "letters", "parts", "parts_done", "failure",
         "created_at", "updated_at", "expires_at"], "internal")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "facility", "channel"],
                                    name="letters_batchprint_one_per_group"),
        ]

    def __str__(self) -> str:
        return f"batch print #{self.pk}"
