"""Consent to publish a case (the rules: `cases/public/consent.py`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pompolit.cases.models.cases import Case


class ConsentGiver(models.TextChoices):
    PRISONER = "prisoner", _("the prisoner")
    RELATIVE = "relative", _("a relative")
    LAWYER = "lawyer", _("the lawyer")


class Consent(models.Model):
    """Who agreed to publish what about a case (`cases/public/consent.py`). Never edited: a new
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
    # What the prisoner likes to read and write about, as agreed to (comma-separated): the
    # public list's "interests" filter.
    interests = models.CharField(_("interests"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    classification = dict.fromkeys(
        ["case", "withdrawn", "given_by", "given_on", "scope", "expires_on", "story_ru",
         "story_en", "interests", "recorded_at", "recorded_by"],
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
