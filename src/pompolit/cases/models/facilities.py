"""Facilities and their rules (`cases/facilities/`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pompolit.cases.models.vocabularies import FacilityType, Regime


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
    any past day can still be asked for (`facilities.services.rules_on`).
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
