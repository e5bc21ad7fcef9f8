"""Controlled vocabularies (HURIDOCS-style): a code, labels in each language, editable
(`cases/vocabularies/`)."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


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
