"""Detentions during mass arrests, and the reports they are known from.

A `Detention` is one person, one event: the unit the field counts ("detentions, not people":
one person detained twice in a week is two detentions of one `Detainee`). A `Report` is what
arrived, from whom and through which channel; several reports link to one detention. The
detention's status moves through `StatusChange` rows, which are never changed or deleted
(database triggers, migration 0001).

Names are kept as the registry keeps them (`cases.PersonName`/`NameKey`): in clear, with the
same `pompolit.names.search_keys`, so a detention is found by any spelling and its names go
into a case unchanged on escalation. What could lead to a relative, a reporter, or tell of
someone's health is encrypted under the hotline compartment's key, as in `cases.Relative`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pompolit.cases.models import Case, Facility, Relationship
from pompolit.cases.partial import PartialDateField, bounds
from pompolit.vault.fields import (
    BlindIndexField,
    EncryptedJSONField,
    EncryptedTextField,
    FreeTextField,
    VaultModel,
)

# The facility type of police stations (ОВД, отделы полиции): added by migration 0001.
STATION_TYPE = "police-station"


class Status(models.TextChoices):
    DETAINED = "detained", _("detained")
    AT_STATION = "at-station", _("at the police station")
    HELD_OVERNIGHT = "held-overnight", _("held overnight")
    COURT_HEARING = "court-hearing", _("court hearing")
    RELEASED = "released", _("released without charge")
    RELEASED_WITH_PROTOCOL = "released-protocol", _("released with a protocol")
    FINED = "fined", _("fined")
    COMMUNITY_WORK = "community-work", _("community work")
    ADMINISTRATIVE_ARREST = "admin-arrest", _("administrative arrest")
    CRIMINAL_CASE = "criminal-case", _("criminal case opened")


# Held now: in the van, at the station, overnight, in court. The rest are outcomes.
HELD = frozenset({Status.DETAINED, Status.AT_STATION, Status.HELD_OVERNIGHT, Status.COURT_HEARING})

_AFTER_RELEASE = {
    Status.COURT_HEARING,
    Status.FINED,
    Status.COMMUNITY_WORK,
    Status.ADMINISTRATIVE_ARREST,
    Status.CRIMINAL_CASE,
}
# Where a status may go next. A protocol means a hearing later (and its outcome); a criminal
# case can follow anything, and then the detention becomes a case in the registry.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.DETAINED: frozenset(
        {
            Status.AT_STATION,
            Status.HELD_OVERNIGHT,
            Status.COURT_HEARING,
            Status.RELEASED,
            Status.RELEASED_WITH_PROTOCOL,
            Status.CRIMINAL_CASE,
        }
    ),
    Status.AT_STATION: frozenset(
        {
            Status.HELD_OVERNIGHT,
            Status.COURT_HEARING,
            Status.RELEASED,
            Status.RELEASED_WITH_PROTOCOL,
            Status.CRIMINAL_CASE,
        }
    ),
    Status.HELD_OVERNIGHT: frozenset(
        {Status.COURT_HEARING, Status.RELEASED, Status.RELEASED_WITH_PROTOCOL, Status.CRIMINAL_CASE}
    ),
    Status.COURT_HEARING: frozenset(
        {
            Status.HELD_OVERNIGHT,
            Status.RELEASED,
            Status.FINED,
            Status.COMMUNITY_WORK,
            Status.ADMINISTRATIVE_ARREST,
            Status.CRIMINAL_CASE,
        }
    ),
    Status.RELEASED_WITH_PROTOCOL: frozenset(_AFTER_RELEASE),
    Status.RELEASED: frozenset({Status.CRIMINAL_CASE}),
    Status.FINED: frozenset({Status.CRIMINAL_CASE}),
    Status.COMMUNITY_WORK: frozenset({Status.CRIMINAL_CASE}),
    Status.ADMINISTRATIVE_ARREST: frozenset({Status.RELEASED, Status.CRIMINAL_CASE}),
    Status.CRIMINAL_CASE: frozenset(),
}


class Location(models.TextChoices):
    ON_THE_WAY = "on-the-way", _("in a van, on the way")
    STATION = "station", _("police station")
    COURT = "court", _("court")
    HOSPITAL = "hospital", _("hospital")
    DETENTION_CENTRE = "detention-centre", _("special detention centre")
    RELEASED = "released", pgettext_lazy("where the person is", "released")
    UNKNOWN = "unknown", _("unknown")


class Channel(models.TextChoices):
    """How a report arrived. The web form and the bot come later; their reports wait in
    quarantine until an operator accepts them."""

    HOTLINE = "hotline", _("hotline call")
    WEB_FORM = "web-form", _("web form")
    TELEGRAM = "telegram", _("Telegram bot")
    MESSENGER = "messenger", _("message to an operator")
    OTHER = "other", _("other")


class Reporter(models.TextChoices):
    DETAINEE = "detainee", _("the detainee")
    RELATIVE = "relative", _("a relative")
    LAWYER = "lawyer", _("a lawyer")
    WITNESS = "witness", _("a witness")
    VOLUNTEER = "volunteer", _("a volunteer at the station")


class Quarantine(models.TextChoices):
    ACCEPTED = "accepted", _("accepted")
    PENDING = "pending", _("in quarantine")
    REJECTED = "rejected", _("rejected")


class Rejection(models.TextChoices):
    """Why an operator turned a public report away."""

    SPAM = "spam", _("spam")
    FAKE = "fake", _("fake or made up")
    DUPLICATE = "duplicate", _("a duplicate of another report")


class Hotline(models.Model):
    """A compartment that is a hotline: one city, or one big event. Its operators are the
    hotline operators granted the compartment (`members`' grants, two-person approved)."""

    compartment = models.OneToOneField(
        "members.Compartment", on_delete=models.PROTECT, related_name="hotline"
    )
    city = models.CharField(_("town"), max_length=120)
    # Where the public reaches the hotline's people: shown on the public form, on the page
    # that answers a report and when the form turns someone away. Public on purpose.
    phone = models.CharField(
        _("public phone"),
        max_length=40,
        blank=True,
        validators=[
            RegexValidator(
                r"^\+?[0-9][0-9 ()-]{4,38}$",
                _(
                    "A phone number: digits, spaces, brackets and dashes, with + in front if "
                    "international."
                ),
            )
        ],
    )
    telegram = models.CharField(
        _("public Telegram username"),
        max_length=32,
        blank=True,
        validators=[
            RegexValidator(
                r"^[A-Za-z][A-Za-z0-9_]{4,31}$",
                _("A Telegram username: 5 to 32 letters, digits and _, without the @."),
            )
        ],
    )
    # A hotline for one big event: public reports naming the event come here, whatever their
    # town (intake/public/services.py, _route). None: the town's hotline.
    event = models.ForeignKey(
        "ProtestEvent",
        verbose_name=_("event"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hotlines",
    )
    created_at = models.DateTimeField(default=timezone.now)

    classification = {
        **dict.fromkeys(["compartment", "city", "created_at", "event"], "internal"),
        **dict.fromkeys(["phone", "telegram"], "public"),
    }

    class Meta:
        verbose_name = _("hotline")
        verbose_name_plural = _("hotlines")
        ordering = ["city"]

    def __str__(self) -> str:
        return self.city

    @property
    def phone_link(self) -> str:
        """The phone as a tel: link wants it: "+74951234567"."""
        digits = "".join(ch for ch in self.phone if ch.isdigit())
        return f"+{digits}" if self.phone.startswith("+") else digits


class ProtestEvent(models.Model):
    """The protest or event a detention belongs to: public knowledge, counted publicly."""

    name = models.CharField(_("event"), max_length=200)
    city = models.CharField(_("town"), max_length=120)
    date = models.DateField(_("date"))
    created_at = models.DateTimeField(default=timezone.now)

    classification = dict.fromkeys(["name", "city", "date", "created_at"], "public")

    class Meta:
        verbose_name = _("protest or event")
        verbose_name_plural = _("protests and events")
        ordering = ["-date", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "city", "date"], name="intake_event_once")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.city}, {self.date:%d.%m.%Y})"


class Detainee(models.Model):
    """A person detained at least once: what lets detentions be counted as people too."""

    birth_date = PartialDateField(_("date of birth"), blank=True)
    birth_date_lower = models.DateField(null=True, editable=False)
    birth_date_upper = models.DateField(null=True, editable=False)
    display_name = models.CharField(max_length=300, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    classification = dict.fromkeys(
        ["birth_date", "birth_date_lower", "birth_date_upper", "display_name", "created_at"],
        "internal",
    )

    class Meta:
        verbose_name = _("detained person")
        verbose_name_plural = _("detained people")

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.birth_date_lower, self.birth_date_upper = bounds(self.birth_date)
        super().save(*args, **kwargs)


class DetaineeName(models.Model):
    detainee = models.ForeignKey(Detainee, on_delete=models.CASCADE, related_name="names")
    surname = models.CharField(_("surname"), max_length=120, blank=True)
    given = models.CharField(_("given name"), max_length=120, blank=True)
    patronymic = models.CharField(_("patronymic"), max_length=120, blank=True)
    is_primary = models.BooleanField(default=False)

    classification = dict.fromkeys(
        ["detainee", "surname", "given", "patronymic", "is_primary"], "internal"
    )

    class Meta:
        ordering = ["-is_primary", "pk"]

    def __str__(self) -> str:
        return " ".join(p for p in (self.surname, self.given, self.patronymic) if p)


class DetaineeNameKey(models.Model):
    """One search key of one name, the registry's keys (`pompolit.names.search_keys`)."""

    name = models.ForeignKey(DetaineeName, on_delete=models.CASCADE, related_name="keys")
    detainee = models.ForeignKey(Detainee, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)

    classification = dict.fromkeys(["name", "detainee", "key"], "internal")

    class Meta:
        indexes = [models.Index(fields=["key", "detainee"], name="intake_namekey_key")]

    def __str__(self) -> str:
        return self.key


class Detention(VaultModel):
    """One person detained at one event, and where they are now."""

    vault_compartment_field = "compartment"

    # The hotline compartment (a city, or one big event): who may see the detention.
    compartment = models.ForeignKey(
        "members.Compartment",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("compartment"),
    )
    detainee = models.ForeignKey(Detainee, on_delete=models.PROTECT, related_name="detentions")
    event = models.ForeignKey(
        ProtestEvent,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="detentions",
        verbose_name=_("event"),
    )
    detained_at = models.DateTimeField(_("detained at"), default=timezone.now)
    # The local day of detained_at: what "per day" counts and "name + station + day" match on.
    detained_on = models.DateField(editable=False)
    place = FreeTextField(_("where detained"), max_length=200)
    is_minor = models.BooleanField(_("minor"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DETAINED
    )
    status_since = models.DateTimeField(default=timezone.now)
    location = models.CharField(
        _("where now"), max_length=20, choices=Location.choices, default=Location.ON_THE_WAY
    )
    facility = models.ForeignKey(
        Facility,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("police station"),
    )
    arrest_days = models.PositiveSmallIntegerField(_("days of arrest"), null=True, blank=True)
    van_number = FreeTextField(_("van number"), max_length=40)
    group_size = models.PositiveSmallIntegerField(_("people with them"), null=True, blank=True)
    lawyer = FreeTextField(_("lawyer"), max_length=200)
    # Set when the lawyer is one of the hotline's lawyers on duty (intake/duty): counts against
    # their capacity. A name typed in by hand leaves it empty.
    duty_lawyer = models.ForeignKey(
        "intake.DutyLawyer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="detentions",
        verbose_name=_("lawyer on duty"),
    )
    lawyer_assigned_at = models.DateTimeField(null=True, blank=True, editable=False)
    need_water = models.BooleanField(_("water"), default=False)
    need_food = models.BooleanField(_("food"), default=False)
    need_medicine = models.BooleanField(_("medicine"), default=False)
    need_charger = models.BooleanField(_("phone charger"), default=False)
    need_warm_clothes = models.BooleanField(_("warm clothes"), default=False)
    # Health is not everybody's business: what medicine, what injuries, encrypted.
    medicine = EncryptedTextField(_("which medicine"), sensitivity="secret", blank=True)
    injured = models.BooleanField(_("injuries or violence reported"), default=False)
    injuries = EncryptedTextField(_("injuries and violence"), sensitivity="secret", blank=True)
    devices_seized = models.BooleanField(_("phone or devices seized"), default=False)
    devices = EncryptedTextField(_("which devices"), sensitivity="secret", blank=True)
    # Set once, by the escalation: the case the detention became.
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    # The person agreed to be named on the public counts (intake/consent.py): set and withdrawn
    # by an operator, never from what a public report claims. Never shown for a minor.
    named_publicly_at = models.DateTimeField(null=True, blank=True, editable=False)
    named_publicly_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    classification = dict.fromkeys(
        [
            "named_publicly_at",
            "named_publicly_by",
            "compartment",
            "detainee",
            "event",
            "detained_at",
            "detained_on",
            "is_minor",
            "status",
            "status_since",
            "location",
            "facility",
            "arrest_days",
            "group_size",
            "duty_lawyer",
            "lawyer_assigned_at",
            "need_water",
            "need_food",
            "need_medicine",
            "need_charger",
            "need_warm_clothes",
            "injured",
            "devices_seized",
            "case",
            "created_at",
            "created_by",
            "updated_at",
        ],
        "internal",
    )

    class Meta:
        verbose_name = _("detention")
        verbose_name_plural = _("detentions")
        ordering = ["-detained_at", "pk"]
        indexes = [
            models.Index(
                fields=["compartment", "status", "facility"], name="intake_detention_board"
            ),
            models.Index(fields=["detainee", "detained_on"], name="intake_detention_person"),
        ]

    def __str__(self) -> str:
        return f"{self.detainee.display_name} ({self.detained_on:%d.%m.%Y})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.detained_on = timezone.localdate(self.detained_at)
        super().save(*args, **kwargs)

    @property
    def is_held(self) -> bool:
        return self.status in HELD

    @property
    def has_lawyer(self) -> bool:
        return self.lawyer_assigned_at is not None

    @property
    def needs(self) -> list[str]:
        """The urgent needs, as their labels (the medicine itself is read apart)."""
        return [str(label) for name, label in NEED_LABELS.items() if getattr(self, name)]


NEED_LABELS = {
    "need_water": _("water"),
    "need_food": _("food"),
    "need_medicine": _("medicine"),
    "need_charger": _("phone charger"),
    "need_warm_clothes": _("warm clothes"),
}
NEED_FIELDS = tuple(NEED_LABELS)


class StatusChange(models.Model):
    """One step of a detention's history. Never changed or deleted (database triggers)."""

    detention = models.ForeignKey(Detention, on_delete=models.PROTECT, related_name="history")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    at = models.DateTimeField(_("when"))
    location = models.CharField(_("where"), max_length=20, choices=Location.choices)
    facility = models.ForeignKey(
        Facility, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    arrest_days = models.PositiveSmallIntegerField(null=True, blank=True)
    report = models.ForeignKey(
        "Report", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    classification = dict.fromkeys(
        [
            "detention",
            "status",
            "at",
            "location",
            "facility",
            "arrest_days",
            "report",
            "recorded_at",
            "recorded_by",
        ],
        "internal",
    )

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%d.%m %H:%M} {self.get_status_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("a detention's history is never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("a detention's history is never deleted")


class DetentionRelative(VaultModel):
    """Someone to tell, as `cases.Relative`: everything that could lead to them is encrypted;
    the phone's blind index shares the registry's scope, so one number finds both."""

    vault_compartment_field = "compartment"

    detention = models.ForeignKey(Detention, on_delete=models.CASCADE, related_name="relatives")
    compartment = models.ForeignKey(
        "members.Compartment", on_delete=models.PROTECT, related_name="+"
    )
    relationship = models.CharField(_("relationship"), max_length=16, choices=Relationship.choices)
    name = EncryptedTextField(pgettext_lazy("of a person", "name"), sensitivity="secret")
    contact = EncryptedTextField(_("contact"), sensitivity="secret", blank=True)
    phone = EncryptedTextField(_("phone"), sensitivity="secret", blank=True)
    phone_index = BlindIndexField(source="phone", normalise="phone", scope="cases.phone")
    created_at = models.DateTimeField(default=timezone.now)

    classification = dict.fromkeys(
        ["detention", "compartment", "relationship", "created_at"], "internal"
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_relationship_display()} (detention #{self.detention_id})"


class Report(VaultModel):
    """What arrived, from whom, through which channel, claiming what.

    A report from the hotline is accepted as it is entered; one from the public (the web form,
    the bot) waits in quarantine, linked to nothing, until an operator accepts it.
    """

    vault_compartment_field = "compartment"

    compartment = models.ForeignKey(
        "members.Compartment", on_delete=models.PROTECT, related_name="+"
    )
    detention = models.ForeignKey(
        Detention, null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    reporter = models.CharField(_("from whom"), max_length=16, choices=Reporter.choices)
    quarantine = models.CharField(
        _("review"), max_length=16, choices=Quarantine.choices, default=Quarantine.PENDING
    )
    # True when the report was added to a detention already known (a duplicate, linked).
    linked_to_known = models.BooleanField(default=False)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    # What the report says, field by field, as typed: kept as evidence of who said what.
    claims = EncryptedJSONField(_("what it says"), sensitivity="secret", blank=True)
    text = FreeTextField(_("in their words"))
    reporter_contact = EncryptedTextField(_("reporter's contact"), sensitivity="secret", blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    # A public report: set when it arrived if it may be about a detention already known (the
    # review queue shows the matches), and by the operator who reviewed it.
    possible_duplicate = models.BooleanField(default=False)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    rejection = models.CharField(
        _("why rejected"), max_length=16, choices=Rejection.choices, blank=True
    )
    # Set by the deduplication task (intake.proposals.dedupe_hotline) for a public report:
    # the open detention it most likely is about, for the operator to confirm or not.
    proposed_detention = models.ForeignKey(
        Detention,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("proposed for linking to"),
    )
    proposed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When the deduplication task looked at this public report (whatever it found); None:
    # still waiting for it (the task takes every waiting report of the hotline at once).
    deduped_at = models.DateTimeField(null=True, blank=True, editable=False)

    classification = dict.fromkeys(
        [
            "compartment",
            "detention",
            "channel",
            "reporter",
            "quarantine",
            "linked_to_known",
            "received_at",
            "entered_by",
            "possible_duplicate",
            "reviewed_at",
            "reviewed_by",
            "rejection",
            "proposed_detention",
            "proposed_at",
            "deduped_at",
        ],
        "internal",
    )

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-received_at", "pk"]
        indexes = [
            models.Index(fields=["compartment", "quarantine"], name="intake_report_review"),
            # The public reports still waiting for the dedupe (intake/proposals.py), oldest first.
            models.Index(
                fields=["compartment", "id"],
                condition=models.Q(deduped_at__isnull=True, quarantine="pending"),
                name="intake_report_dedupe",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} · {self.get_reporter_display()}"


class ReportCode(models.Model):
    """A public report's private code, kept only as its SHA-256 (intake/public/codes.py): the
    reporter checks the report's fate with the code; the server cannot give the code back."""

    report = models.OneToOneField(Report, on_delete=models.PROTECT, related_name="code")
    code_hash = models.CharField(max_length=64, unique=True)

    classification = dict.fromkeys(["report", "code_hash"], "internal")

    def __str__(self) -> str:
        return f"code of report #{self.report_id}"


# The lawyers on duty and the shift log live in their own room; Django looks for models here.
from pompolit.intake.duty.models import Dispatch as Dispatch  # noqa: E402
from pompolit.intake.duty.models import DutyLawyer as DutyLawyer  # noqa: E402
from pompolit.intake.duty.models import LogKind as LogKind  # noqa: E402
from pompolit.intake.duty.models import ShiftLogEntry as ShiftLogEntry  # noqa: E402


class DutyNotice(models.Model):
    """Something the operators on duty of a hotline should know now, written by a background
    task (intake/notices.py): a minor detained, public reports piling up in quarantine. Ids and
    counts only; the page says it in the reader's language."""

    class Kind(models.TextChoices):
        MINOR_DETAINED = "minor-detained", _("a minor detained")
        QUARANTINE_BACKLOG = "quarantine-backlog", _("public reports waiting for review")

    compartment = models.ForeignKey(
        "members.Compartment", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    detention = models.ForeignKey(
        Detention, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    count = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    classification = dict.fromkeys(
        ["compartment", "kind", "detention", "count", "created_at"], "internal"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["compartment", "-created_at"], name="intake_notice_recent")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.created_at:%d.%m %H:%M})"


# The Telegram bot's conversations and queued updates (intake/bot/models.py).
from pompolit.intake.bot.models import BotConversation, BotUpdate  # noqa: E402, F401

# A hotline's list of detentions exported by the worker (intake/export_models.py).
from pompolit.intake.export_models import DetentionExport  # noqa: E402, F401

# Photos sent with public reports (intake/public/models.py).
from pompolit.intake.public.models import ReportPhoto  # noqa: E402, F401
