"""Cases, their charges and events, the keyed word index of their free text, relatives."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pompolit.cases.models.facilities import Facility
from pompolit.cases.models.people import Person
from pompolit.cases.models.vocabularies import CaseStatus, EventType, Regime
from pompolit.cases.partial import PartialDateField, as_partial
from pompolit.vault.fields import (
    BlindIndexField,
    EncryptedFileField,
    EncryptedJSONField,
    EncryptedTextField,
    FreeTextField,
    VaultModel,
)


class Priority(models.IntegerChoices):
    URGENT = 1, _("urgent")
    HIGH = 2, _("high")
    NORMAL = 3, _("normal")
    LOW = 4, _("low")


# Public ids: no 0/1/i/l/o, so one read aloud or copied by hand survives; 12 of 31 symbols
# is about 2**59 ids, so neither guessing nor counting works.
PUBLIC_ID_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
PUBLIC_ID_LENGTH = 12


def new_public_id() -> str:
    return "".join(secrets.choice(PUBLIC_ID_ALPHABET) for _ in range(PUBLIC_ID_LENGTH))


class Case(VaultModel):
    vault_compartment_field = "compartment"

    # The case's name on the public site (/prisoners/<public_id>/): random, not the pk, so
    # public addresses tell nothing about how many cases there are or in what order they came.
    public_id = models.CharField(max_length=16, unique=True, editable=False,
                                 default=new_public_id)

    compartment = models.ForeignKey(
        "members.Compartment", on_delete=models.PROTECT, related_name="cases",
        verbose_name=_("compartment"),
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases")
    status = models.ForeignKey(CaseStatus, on_delete=models.PROTECT, verbose_name=_("status"))
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="assigned_cases", verbose_name=_("case worker"),
    )
    court = models.CharField(_("court"), max_length=200, blank=True)
    case_number = models.CharField(_("case number"), max_length=100, blank=True)
    # Letters and digits only, lower case: "1-12/2022" and "1 12 2022" are one number.
    case_number_key = models.CharField(max_length=100, blank=True, editable=False,
                                       db_index=True)
    lawyer = FreeTextField(_("lawyer"), max_length=200)
    lawyer_contact = EncryptedTextField(_("lawyer's contact"), sensitivity="secret", blank=True)
    sentence_term = models.CharField(
        _("sentence"), max_length=120, blank=True,
        help_text=_("E.g. “6 years”, “3 years of exile”."),
    )
    sentence_regime = models.ForeignKey(
        Regime, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("regime")
    )
    # The sentence's length in months, for the public list's filter ("up to 5 years"); the
    # words of the sentence stay in sentence_term.
    sentence_months = models.PositiveSmallIntegerField(
        _("sentence in months"), null=True, blank=True,
        help_text=_("The length of the sentence in months, for the public list's filter."),
    )
    # When the person is expected out: typed by the case worker (a year, a month or a day, as the
    # registry keeps uncertain dates); when blank, cases/release.py estimates it from the time in
    # custody and sentence_months. Published with the sentence (consent scope "sentence").
    expected_release = PartialDateField(
        _("expected release"), blank=True,
        help_text=_("Leave blank to estimate it from the arrest and the sentence in months."),
    )
    # Some facilities (or a court's ban) stop letters: the public list must not send people
    # writing into a void.
    receives_letters = models.BooleanField(_("can receive letters"), default=True)
    recognised_by = models.CharField(
        _("recognised as a political prisoner by"), max_length=200, blank=True
    )
    recognised_on = PartialDateField(_("recognised on"), blank=True)
    recognition_criteria = FreeTextField(_("on what grounds"))
    # Health is not everybody's business: needs are encrypted.
    needs = EncryptedTextField(_("needs"), sensitivity="secret", blank=True)
    needs_structured = EncryptedJSONField(
        _("medicines, sizes, diet"), sensitivity="secret", blank=True
    )
    notes = FreeTextField(_("notes"))
    # A face identifies: encrypted, and only ever stored re-encoded without metadata
    # (cases/photos/services.py). Published only when the consent in force names the photo.
    photo = EncryptedFileField(_("photo"), sensitivity="secret", blank=True)
    # Derived from the events by services.recompute_case; never typed in.
    current_facility = models.ForeignKey(
        Facility, null=True, blank=True, on_delete=models.PROTECT, related_name="current_cases"
    )
    in_custody_since = models.DateField(null=True, blank=True, editable=False)
    last_contact_on = models.DateField(null=True, blank=True, editable=False)
    opened_on = models.DateField(_("opened"), default=timezone.localdate)
    updated_at = models.DateTimeField(default=timezone.now)

    classification = {
        **dict.fromkeys(
            ["public_id", "compartment", "person", "status", "priority", "assigned_to",
             "court", "case_number", "case_number_key", "sentence_term", "sentence_months",
             "expected_release", "receives_letters",
             "sentence_regime", "recognised_by", "recognised_on",
             "current_facility", "in_custody_since", "last_contact_on", "opened_on",
             "updated_at"],
            "internal",
        ),
    }

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["priority", "person__display_name"]
        indexes = [models.Index(fields=["compartment", "last_contact_on"],
                                name="cases_case_sign_of_life")]

    def __str__(self) -> str:
        return self.person.display_name


class Charge(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="charges")
    jurisdiction = models.CharField(_("jurisdiction"), max_length=8, default="RU")
    code = models.CharField(
        _("code"), max_length=40, help_text=_("E.g. УК РФ, or УК РСФСР 1926.")
    )
    article = models.CharField(_("article"), max_length=40, help_text=_("E.g. 280.3 ч. 1, 58-10."))
    text = models.CharField(_("wording"), max_length=400, blank=True)

    classification = dict.fromkeys(["case", "jurisdiction", "code", "article", "text"],
                                   "internal")

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.code} {self.article}"


class Event(VaultModel):
    vault_compartment_field = "compartment"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    # The case's compartment, here too: its key encrypts the confidential note.
    compartment = models.ForeignKey("members.Compartment", on_delete=models.PROTECT,
                                    related_name="+")
    type = models.ForeignKey(EventType, on_delete=models.PROTECT, verbose_name=_("what"))
    date = PartialDateField(_("date"))
    date_lower = models.DateField(editable=False)
    date_upper = models.DateField(editable=False)
    facility = models.ForeignKey(
        Facility, null=True, blank=True, on_delete=models.PROTECT, related_name="events",
        verbose_name=_("facility"),
        help_text=_("For an arrest or a transfer: where the person is taken."),
    )
    place = FreeTextField(_("place"), max_length=200)
    summary = FreeTextField(_("what happened"))
    source = FreeTextField(_("source"), max_length=300,
                           help_text=_("Who told us, or where it was published."))
    confidential_note = EncryptedTextField(
        _("confidential note"), sensitivity="secret", blank=True,
        help_text=_("Encrypted; read only inside the compartment, and every reading is logged."),
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    classification = dict.fromkeys(
        ["case", "compartment", "type", "date", "date_lower", "date_upper", "facility",
         "created_at", "created_by"],
        "internal",
    )

    class Meta:
        ordering = ["date_lower", "date_upper", "pk"]
        indexes = [models.Index(fields=["case", "date_lower"], name="cases_event_case_date")]

    def __str__(self) -> str:
        return f"{self.date} {self.type}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.date = as_partial(self.date)
        assert self.date is not None, "an event needs a date"
        self.date_lower, self.date_upper = self.date.lower, self.date.upper
        super().save(*args, **kwargs)


class CaseWord(models.Model):
    """One keyed token of a word in a case's free text (notes, lawyer, events' place, summary
    and source): the keyed word index (`pompolit.vault.fields.wordindex`, `cases.search.fulltext`).
    The token is an HMAC under the case's compartment's index key; the words themselves are
    not kept."""

    token = models.BigIntegerField()
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")

    classification = dict.fromkeys(["token", "case"], "internal")

    class Meta:
        # Looked up by token, then joined on the case: the unique index answers both.
        constraints = [models.UniqueConstraint(fields=["token", "case"],
                                               name="cases_caseword_once")]

    def __str__(self) -> str:
        return f"{self.token} → case #{self.case_id}"


class Relationship(models.TextChoices):
    MOTHER = "mother", _("mother")
    FATHER = "father", _("father")
    SPOUSE = "spouse", _("wife or husband")
    PARTNER = "partner", _("partner")
    CHILD = "child", _("child")
    SIBLING = "sibling", _("sister or brother")
    OTHER_RELATIVE = "relative", _("other relative")
    FRIEND = "friend", _("friend")
    LAWYER = "lawyer", _("lawyer")


class Relative(VaultModel):
    """Someone close to the prisoner. Everything that could lead to them is encrypted."""

    vault_compartment_field = "compartment"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="relatives")
    compartment = models.ForeignKey("members.Compartment", on_delete=models.PROTECT,
                                    related_name="+")
    relationship = models.CharField(_("relationship"), max_length=16,
                                    choices=Relationship.choices)
    name = EncryptedTextField(pgettext_lazy("of a person", "name"), sensitivity="secret")
    contact = EncryptedTextField(
        _("contact"), sensitivity="secret", blank=True,
        help_text=_("Address, messenger, how and when to reach them."),
    )
    phone = EncryptedTextField(_("phone"), sensitivity="secret", blank=True)
    phone_index = BlindIndexField(source="phone", normalise="phone", scope="cases.phone")
    notes = EncryptedTextField(_("notes"), sensitivity="secret", blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    classification = dict.fromkeys(["case", "compartment", "relationship", "created_at"],
                                   "internal")

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_relationship_display()} (case #{self.case_id})"
