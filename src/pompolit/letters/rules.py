"""The letter rules in force for a facility, with the defaults when it has none recorded.

The languages come from the letters' own rules (`LetterRules.languages`), else from the
facility rule valid today (`FacilityRule.letter_languages`, cases/facilities), else Russian.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pompolit.aid.vocabulary import LANGUAGES, language_label
from pompolit.audit.services import record
from pompolit.cases.models import Facility, FacilityRule
from pompolit.letters.models import LetterRules
from pompolit.letters.topics import TOPICS
from pompolit.members import policy
from pompolit.members.models import Member

DEFAULT_LANGUAGES = ("ru",)
DEFAULT_MAX_CHARS = 6000


@dataclass(frozen=True)
class Rules:
    accepts_letters: bool = True
    relatives_only: bool = False
    languages: tuple[str, ...] = DEFAULT_LANGUAGES
    max_chars: int = DEFAULT_MAX_CHARS
    topics_to_avoid: tuple[str, ...] = ()
    images_accepted: bool = False
    max_images: int = 0
    postcards_accepted: bool = True
    service_max_chars: int | None = None
    recorded: bool = False  # False: the defaults, nothing is known of this facility
    service: str = ""

    @property
    def open_to_writers(self) -> bool:
        """Whether a stranger's letter can reach someone there."""
        return self.accepts_letters and not self.relatives_only

    @property
    def language_labels(self) -> list[str]:
        return [language_label(code) for code in self.languages]

    @property
    def topic_labels(self) -> list[str]:
        return [str(TOPICS[code].label) for code in self.topics_to_avoid if code in TOPICS]

    @property
    def images_allowed(self) -> int:
        return self.max_images if self.images_accepted else 0


def _facility_languages(facility: Facility) -> tuple[str, ...]:
    today = timezone.localdate()
    rule = (FacilityRule.objects.filter(facility=facility, regime__isnull=True,
                                        valid_from__lte=today)
            .exclude(valid_to__lt=today).order_by("-valid_from").first())
    if rule and rule.letter_languages:
        return tuple(str(code) for code in rule.letter_languages)
    return DEFAULT_LANGUAGES


def rules_for(facility: Facility) -> Rules:
    found = LetterRules.objects.filter(facility=facility).first()
    if found is None:
        return Rules(languages=_facility_languages(facility), service=facility.letter_service)
    return from_row(found, facility)


def from_row(found: LetterRules, facility: Facility) -> Rules:
    languages = tuple(found.languages) or _facility_languages(facility)
    return Rules(
        accepts_letters=found.accepts_letters, relatives_only=found.relatives_only,
        languages=languages, max_chars=found.max_chars,
        topics_to_avoid=tuple(found.topics_to_avoid), images_accepted=found.images_accepted,
        max_images=found.max_images, postcards_accepted=found.postcards_accepted,
        service_max_chars=found.service_max_chars, recorded=True,
        service=facility.letter_service,
    )


EDITABLE = ("accepts_letters", "relatives_only", "languages", "max_chars", "topics_to_avoid",
            "images_accepted", "max_images", "postcards_accepted", "service_max_chars")


def save_rules(actor: Member, facility: Facility, **values: Any) -> LetterRules:
    """Record what the facility's censor lets through (one row per facility, replaced)."""
    policy.require(actor, policy.LETTER_MODERATORS,
                   _("Only case workers and coordinators handle letters."))
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    if values.get("languages") and not set(values["languages"]) <= set(LANGUAGES):
        raise ValidationError({"languages": _("Choose languages from the list.")})
    if not set(values.get("topics_to_avoid") or ()) <= set(TOPICS):
        raise ValidationError({"topics_to_avoid": _("Choose topics from the list.")})
    if not values.get("images_accepted"):
        values["max_images"] = 0
    with transaction.atomic():
        rules, _created = LetterRules.objects.select_for_update().get_or_create(
            facility=facility)
        for key, value in values.items():
            setattr(rules, key, value)
        rules.updated_at = timezone.now()
        rules.full_clean(exclude=["facility"])
        rules.save()
        record("letters.rules_changed", actor=actor, obj=facility,
               details={"fields": sorted(values)})
    return rules
