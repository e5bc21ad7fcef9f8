"""Holiday campaigns of letters ("New Year cards"): a coordinator names the days and what to
suggest to writers; while one runs, the writer's page shows it and every letter written then
carries it (`services.write_letter`, and the paper letters of its evenings), so its statistics
count letters written, sent, delivered and the replies that came back.

Campaigns never overlap: on any day at most one runs, so a letter's campaign is never a guess.
A coordinator may correct a campaign later (`edit_campaign`), under the same rules.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pompolit.audit.services import record
from pompolit.letters.models import Campaign, CardTheme, Status
from pompolit.members import policy
from pompolit.members.models import Member

MAX_NAME = 120
MAX_SUGGESTION = 1000
MAX_DAYS = 92  # a season at most: a campaign is a moment, not a standing call
REFUSAL = "Only coordinators make letter campaigns."
# Letters that went out, whatever became of them.
WENT_OUT = (Status.SENT, Status.DELIVERED, Status.BLOCKED, Status.RETURNED)



def _at_most(n: int) -> str:
    return ngettext("At most %(n)s character.", "At most %(n)s characters.", n) % {"n": n}

def current(today: datetime.date | None = None) -> Campaign | None:
    """The campaign running on `today` (today by default), if any."""
    today = today or timezone.localdate()
    return (Campaign.objects.filter(starts_on__lte=today, ends_on__gte=today)
            .order_by("-starts_on", "-pk").first())


def name(campaign: Campaign) -> str:
    """In the reader's language, else the other one."""
    first, second = ((campaign.name_ru, campaign.name_en)
                     if (translation.get_language() or "").startswith("ru")
                     else (campaign.name_en, campaign.name_ru))
    return first or second


def suggestion(campaign: Campaign) -> str:
    first, second = ((campaign.suggestion_ru, campaign.suggestion_en)
                     if (translation.get_language() or "").startswith("ru")
                     else (campaign.suggestion_en, campaign.suggestion_ru))
    return first or second


def _checked(*, name_en: str, name_ru: str, starts_on: datetime.date, ends_on: datetime.date,
             suggestion_en: str, suggestion_ru: str, card_theme: str) -> dict[str, Any]:
    """A campaign's fields tidied, or every mistake at once (a ValidationError by field)."""
    fields: dict[str, Any] = {
        "name_en": " ".join(name_en.split()), "name_ru": " ".join(name_ru.split()),
        "starts_on": starts_on, "ends_on": ends_on, "suggestion_en": suggestion_en.strip(),
        "suggestion_ru": suggestion_ru.strip(), "card_theme": card_theme}
    errors: dict[str, str] = {}
    for field in ("name_en", "name_ru"):
        if not fields[field]:
            errors[field] = _("Name the campaign in both languages.")
        elif len(fields[field]) > MAX_NAME:
            errors[field] = _at_most(MAX_NAME)
    for field in ("suggestion_en", "suggestion_ru"):
        if len(fields[field]) > MAX_SUGGESTION:
            errors[field] = _at_most(MAX_SUGGESTION)
    if card_theme not in CardTheme.values:
        errors["card_theme"] = _("Choose a theme from the list.")
    if ends_on < starts_on:
        errors["ends_on"] = _("The last day cannot be before the first.")
    elif (ends_on - starts_on).days + 1 > MAX_DAYS:
        errors["ends_on"] = ngettext("A campaign lasts at most %(n)d day.",
                                     "A campaign lasts at most %(n)d days.", MAX_DAYS) % {
            "n": MAX_DAYS}
    if errors:
        raise ValidationError(errors)
    return fields


def _refuse_overlap(starts_on: datetime.date, ends_on: datetime.date,
                    other_than: int | None = None) -> None:
    """Inside a transaction: the campaigns on those days are locked, and there must be none."""
    others = Campaign.objects.select_for_update().filter(starts_on__lte=ends_on,
                                                          ends_on__gte=starts_on)
    clash = (others.exclude(pk=other_than) if other_than else others).first()
    if clash is not None:
        raise ValidationError({"starts_on": _(
            "These days overlap the campaign “%(name)s”: campaigns never overlap, so each "
            "letter belongs to one.") % {"name": name(clash)}})


def create_campaign(actor: Member | None, *, name_en: str, name_ru: str,
                    starts_on: datetime.date, ends_on: datetime.date, suggestion_en: str = "",
                    suggestion_ru: str = "", card_theme: str = "") -> Campaign:
    policy.require(actor, policy.LETTER_CAMPAIGN_ORGANISERS, _(REFUSAL))
    fields = _checked(name_en=name_en, name_ru=name_ru, starts_on=starts_on, ends_on=ends_on,
                      suggestion_en=suggestion_en, suggestion_ru=suggestion_ru,
                      card_theme=card_theme)
    with transaction.atomic():
        _refuse_overlap(starts_on, ends_on)
        made = Campaign.objects.create(**fields, created_by=actor)
        record("letters.campaign_created", actor=actor, obj=made, details={
            "from": starts_on.isoformat(), "to": ends_on.isoformat(), "theme": card_theme})
    return made


def edit_campaign(actor: Member | None, campaign: Campaign, *, name_en: str, name_ru: str,
                  starts_on: datetime.date, ends_on: datetime.date, suggestion_en: str = "",
                  suggestion_ru: str = "", card_theme: str = "") -> Campaign:
    """Correct a campaign: its names, suggestion, theme and days, under the same rules as a new
    one. The letters already written keep their campaign (`Letter.campaign`): new days move
    no letter in or out of it."""
    policy.require(actor, policy.LETTER_CAMPAIGN_ORGANISERS, _(REFUSAL))
    fields = _checked(name_en=name_en, name_ru=name_ru, starts_on=starts_on, ends_on=ends_on,
                      suggestion_en=suggestion_en, suggestion_ru=suggestion_ru,
                      card_theme=card_theme)
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        _refuse_overlap(starts_on, ends_on, other_than=locked.pk)
        changed = sorted(key for key, value in fields.items() if getattr(locked, key) != value)
        if not changed:
            return locked
        for key in changed:
            setattr(locked, key, fields[key])
        locked.save(update_fields=changed)
        record("letters.campaign_edited", actor=actor, obj=locked, details={
            "changed": changed, "from": starts_on.isoformat(), "to": ends_on.isoformat()})
    return locked


@dataclass(frozen=True)
class CampaignStats:
    campaign: Campaign
    written: int
    on_paper: int
    sent: int
    delivered: int
    replies: int

    @property
    def name(self) -> str:
        return name(self.campaign)


def statistics(actor: Member | None) -> list[CampaignStats]:
    """Every campaign, the latest first, with its letters counted in one query."""
    policy.require(actor, policy.LETTER_MODERATORS,
                   _("Only case workers and coordinators handle letters."))
    rows = Campaign.objects.annotate(
        written=Count("letters", distinct=True),
        on_paper=Count("letters", filter=Q(letters__paper_entry__isnull=False), distinct=True),
        sent=Count("letters", filter=Q(letters__status__in=WENT_OUT), distinct=True),
        delivered=Count("letters", filter=Q(letters__status=Status.DELIVERED), distinct=True),
        replies=Count("letters__replies", distinct=True),
    ).order_by("-starts_on", "-pk")
    return [CampaignStats(c, c.written, c.on_paper, c.sent, c.delivered,
                          c.replies) for c in rows]
