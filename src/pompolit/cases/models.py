"""The case registry: people and their names, cases, events, facilities and their rules.

Visibility is by compartment: a case belongs to one, and `services.visible_cases(member)` is the
one query every page starts from. What could hurt a relative or the prisoner if the server were
seized (relatives, the lawyer's contact, medical needs, confidential notes) is encrypted by the
vault under the compartment's key. Names are stored in clear: the search needs their keys, and
the keys would give the names away anyway.
"""

from __future__ import annotations

import secrets
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pompolit.cases.partial import PartialDateField, as_partial, bounds
from pompolit.vault.fields import (
    BlindIndexField,
    EncryptedFileField,
    EncryptedJSONField,
    EncryptedTextField,
    FreeTextField,
    VaultModel,
)

# -- controlled vocabularies (HURIDOCS-style: a code, labels in each language, editable) ------


class Term(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    label_en = models.CharField(_("label (English)"), max_length=120)
    label_ru = models.CharField(_("label (Russian)"), max_length=120)
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    is_active = models.BooleanField(_("in use"), default=True)

    TERM_FIELDS: ClassVar[dict[str, str]] = dict.fromkeys(
        ["code", "label_en", "label_ru", "position", "is_active"], "public"
    )

    class Meta:
        abstract = True
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.label_ru if translation.get_language() == "ru" else self.label_en


class CaseStatus(Term):
    # Statuses in which the person is held and may vanish: watched for signs of life.
    watch_sign_of_life = models.BooleanField(default=True)

    classification = {**Term.TERM_FIELDS, "watch_sign_of_life": "public"}

    class Meta(Term.Meta):
        verbose_name = _("case status")
        verbose_name_plural = _("case statuses")


class CustodyEffect(models.TextChoices):
    NONE = "", _("none")
    ARREST = "arrest", _("taken into custody")
    TRANSFER = "transfer", _("moved to another facility")
    RELEASE = "release", _("released")
    DEATH = "death", _("died")
    CONTACT = "contact", _("sign of life")


class EventType(Term):
    custody_effect = models.CharField(
        max_length=16, choices=CustodyEffect.choices, blank=True, default=""
    )
    # What may still happen after a death: rehabilitation, an appeal by the family.
    allowed_after_death = models.BooleanField(default=False)

    classification = {
        **Term.TERM_FIELDS, "custody_effect": "public", "allowed_after_death": "public",
    }

    class Meta(Term.Meta):
        verbose_name = _("event type")
        verbose_name_plural = _("event types")


class FacilityType(Term):
    classification = Term.TERM_FIELDS

    class Meta(Term.Meta):
        verbose_name = _("facility type")
        verbose_name_plural = _("facility types")


class Regime(Term):
    classification = Term.TERM_FIELDS

    class Meta(Term.Meta):
        verbose_name = _("regime")
        verbose_name_plural = _("regimes")


# -- facilities and their rules ----------------------------------------------------------------


class Facility(models.Model):
    """Where people are held or exiled. Public knowledge: letters and parcels go there."""

    name = models.CharField(
        _("official name"), max_length=200,
        help_text=_("As written on envelopes, e.g. “ФКУ ИК-6 УФСИН России по Омской области”."),
    )
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    type = models.ForeignKey(FacilityType, on_delete=models.PROTECT, verbose_name=_("type"))
    country = models.CharField(_("country code"), max_length=2, default="RU")
    region = models.CharField(_("region"), max_length=120, blank=True)
    city = models.CharField(_("town"), max_length=120, blank=True)
    street = models.CharField(_("street and building"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=16, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    letter_service = models.CharField(
        _("electronic letters"), max_length=200, blank=True,
        help_text=_("The service that delivers letters there, if any (e.g. ФСИН-письмо)."),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    classification = dict.fromkeys(
        ["name", "short_name", "type", "country", "region", "city", "street", "postal_code",
         "latitude", "longitude", "letter_service", "notes", "created_at"],
        "public",
    )

    class Meta:
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        ordering = ["country", "region", "name"]

    def __str__(self) -> str:
        return self.short_name or self.name


class FacilityRule(models.Model):
    """The rules of a facility for one period (and one regime, or all): parcels, letters, money.

    Rules are never edited away: a new rule closes the one it replaces, so the rule valid on
    any past day can still be asked for (`services.rules_on`).
    """

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="rules")
    # Blank: for every regime of the facility; a regime's own rule wins over it.
    regime = models.ForeignKey(
        Regime, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("regime")
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    max_parcel_grams = models.PositiveIntegerField(_("maximum parcel weight, g"), null=True,
                                                   blank=True)
    parcels_per_period = models.PositiveSmallIntegerField(_("parcels allowed"), null=True,
                                                          blank=True)
    period_months = models.PositiveSmallIntegerField(_("per months"), default=12)
    banned_items = models.JSONField(_("banned item categories"), default=list, blank=True)
    letter_languages = models.JSONField(_("letter languages allowed"), default=list, blank=True)
    money_limit = models.DecimalField(
        _("money transfer limit"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    money_currency = models.CharField(_("currency"), max_length=10, blank=True, default="RUB")
    source = models.CharField(
        _("source"), max_length=300, blank=True,
        help_text=_("Where the rule comes from: an order's number, the facility's website."),
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    classification = {
        **dict.fromkeys(
            ["facility", "regime", "valid_from", "valid_to", "max_parcel_grams",
             "parcels_per_period", "period_months", "banned_items", "letter_languages",
             "money_limit", "money_currency", "source"],
            "public",
        ),
        "created_at": "internal", "created_by": "internal",
    }

    class Meta:
        ordering = ["facility", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="cases_rule_valid_to_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.facility} {self.valid_from}–{self.valid_to or ''}"


# -- people and their names ----------------------------------------------------------------------


class Person(models.Model):
    birth_date = PartialDateField(_("date of birth"), blank=True)
    birth_date_lower = models.DateField(null=True, editable=False)
    # The primary name as shown in lists, kept in step by services.
    display_name = models.CharField(max_length=300, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    classification = dict.fromkeys(
        ["birth_date", "birth_date_lower", "display_name", "created_at"], "internal"
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.birth_date_lower = bounds(self.birth_date)[0]
        super().save(*args, **kwargs)


class NameKind(models.TextChoices):
    NAME = "name", pgettext_lazy("of a person", "name")
    ALIAS = "alias", _("other spelling")
    PSEUDONYM = "pseudonym", _("pseudonym or party name")
    FORMER = "former", _("former name")


class PersonName(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="names")
    kind = models.CharField(_("kind"), max_length=16, choices=NameKind.choices,
                            default=NameKind.NAME)
    surname = models.CharField(_("surname"), max_length=120, blank=True)
    given = models.CharField(_("given name"), max_length=120, blank=True)
    patronymic = models.CharField(_("patronymic"), max_length=120, blank=True)
    is_primary = models.BooleanField(default=False)

    classification = dict.fromkeys(
        ["person", "kind", "surname", "given", "patronymic", "is_primary"], "internal"
    )

    class Meta:
        ordering = ["-is_primary", "pk"]

    def __str__(self) -> str:
        return " ".join(p for p in (self.surname, self.given, self.patronymic) if p)


class NameKey(models.Model):
    """One search key of one name (`pompolit.names.search_keys`): what a name search looks up."""

    name = models.ForeignKey(PersonName, on_delete=models.CASCADE, related_name="keys")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)

    classification = dict.fromkeys(["name", "person", "key"], "internal")

    class Meta:
        indexes = [models.Index(fields=["key", "person"], name="cases_namekey_key")]

    def __str__(self) -> str:
        return self.key


# -- cases ---------------------------------------------------------------------------------------


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
    # (cases/photos.py). Published only when the consent in force names the photo.
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
             "court", "case_number", "case_number_key", "sentence_term",
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
    and source): the keyed word index (`vault.fields.wordindex`, `cases.fulltext`). The token
    is an HMAC under the case's compartment's index key; the words themselves are not kept."""

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


# -- consent to publish ----------------------------------------------------------------------


class ConsentGiver(models.TextChoices):
    PRISONER = "prisoner", _("the prisoner")
    RELATIVE = "relative", _("a relative")
    LAWYER = "lawyer", _("the lawyer")


class Consent(models.Model):
    """Who agreed to publish what about a case (`cases/consent.py`). Never edited: a new
    consent or a withdrawal is a new record, so the history of what was allowed stays."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="consents")
    withdrawn = models.BooleanField(_("withdrawal"), default=False)
    given_by = models.CharField(_("given by"), max_length=16, choices=ConsentGiver.choices)
    given_on = models.DateField(_("given on"))
    # Codes from consent.FIELDS: what the public page may show.
    scope = models.JSONField(_("what may be published"), default=list, blank=True)
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    # The story exactly as agreed to, in each language.
    story_ru = models.TextField(_("short story (Russian)"), blank=True)
    story_en = models.TextField(_("short story (English)"), blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    classification = dict.fromkeys(
        ["case", "withdrawn", "given_by", "given_on", "scope", "expires_on", "story_ru",
         "story_en", "recorded_at", "recorded_by"],
        "internal",
    )

    class Meta:
        verbose_name = _("consent to publish")
        verbose_name_plural = _("consents to publish")
        ordering = ["case", "pk"]

    def __str__(self) -> str:
        return f"consent #{self.pk} (case #{self.case_id})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("A consent is never edited: record a new one or a withdrawal.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("A consent is never deleted: record a withdrawal.")


# -- import and export (cases.importing, cases.exporting) -------------------------------------


class ImportedRow(models.Model):
    """One row of an imported list, by its fingerprint: re-importing the file adds nothing."""

    compartment = models.ForeignKey("members.Compartment", on_delete=models.PROTECT,
                                    related_name="+")
    # sha256 of the normalised name, birth date and case number (cases.importing.fingerprint).
    fingerprint = models.CharField(max_length=64)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    imported_at = models.DateTimeField(default=timezone.now)

    classification = dict.fromkeys(["compartment", "fingerprint", "case", "imported_at"],
                                   "internal")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["compartment", "fingerprint"],
                                               name="cases_imported_row_once")]

    def __str__(self) -> str:
        return f"{self.fingerprint[:12]} → case #{self.case_id}"


class SensitiveExport(models.Model):
    """An approved bulk export of a compartment's secret fields: downloadable once."""

    approval = models.OneToOneField("members.ApprovalRequest", on_delete=models.PROTECT,
                                    related_name="+")
    compartment = models.ForeignKey("members.Compartment", on_delete=models.PROTECT,
                                    related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    downloaded_at = models.DateTimeField(null=True, blank=True)

    classification = dict.fromkeys(["approval", "compartment", "requested_by",
                                    "downloaded_at"], "internal")

    def __str__(self) -> str:
        return f"export of {self.compartment_id} (approval #{self.approval_id})"
