"""Custody episodes from a timeline, and the refusal of timelines that cannot be true.

Arrests, transfers, releases and deaths must make one story: nobody is released before being
arrested, held in two facilities at once, or heard from after their death. Dates may be
partial, so the order of two events is sometimes unknown ("released in 1921", "arrested in March
1921"); a timeline is refused only when no order the dates allow makes sense. The events are
taken greedily: of those that no other remaining event surely precedes, one that fits the story
so far goes next (see PREFERENCE).

`derive_custody_fields` is what a case keeps of the story (current facility, in custody since,
last contact, the status a death or a release imposes): the one rule for the services and for
the synthetic registry's generator.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from pompolit.cases.partial import PartialDate

ARREST, TRANSFER, RELEASE, DEATH, CONTACT = "arrest", "transfer", "release", "death", "contact"
# Among events whose order the dates leave open, which to take first. Taking a transfer before a
# release, or a letter before a death, never makes a true story impossible (a transfer needs
# custody and leaves it; a letter changes nothing), while the other way round can: so this
# greedy order finds a consistent reading whenever one exists.
PREFERENCE = {"": 0, CONTACT: 0, ARREST: 1, TRANSFER: 2, RELEASE: 3, DEATH: 4}


@dataclass(frozen=True)
class Step:
    """One event as the custody check sees it."""

    date: PartialDate
    effect: str  # "" for events that change nothing about custody
    label: str  # the event type as the reader knows it: "Transfer", "Перевод"
    facility_id: int | None = None
    facility_label: str = ""
    allowed_after_death: bool = False
    ref: Any = None  # the event's key, so ties keep the order of entry

    def sort_key(self) -> tuple[Any, ...]:
        return (*self.date.sort_key(), self.ref is None, self.ref if self.ref is not None else 0)


@dataclass
class Episode:
    facility_id: int | None
    facility_label: str
    start: PartialDate
    end: PartialDate | None = None
    ended_by: str = ""


@dataclass
class Custody:
    episodes: list[Episode] = field(default_factory=list)
    died: PartialDate | None = None
    last_contact: PartialDate | None = None
    order: list[Step] = field(default_factory=list)

    @property
    def current(self) -> Episode | None:
        if self.episodes and self.episodes[-1].end is None:
            return self.episodes[-1]
        return None

    @property
    def in_custody_since(self) -> PartialDate | None:
        """The start of the unbroken custody the person is in now (transfers do not break it)."""
        if self.current is None:
            return None
        start = self.current.start
        for episode in reversed(self.episodes[:-1]):
            if episode.ended_by != TRANSFER:
                break
            start = episode.start
        return start


def _conflict(step: Step, custody: Custody) -> str | None:
    """Why this step cannot come next, or None if it can."""
    where = custody.current
    if custody.died is not None:
        if step.allowed_after_death or not step.date.surely_after(custody.died):
            return None
        return _("%(event)s on %(date)s is after the death on %(death)s.") % {
            "event": capfirst(step.label), "date": step.date.display(),
            "death": custody.died.display()}
    if step.effect == ARREST and where is not None:
        return _(
            "%(event)s on %(date)s: the person is already held in %(facility)s since %(since)s; "
            "nobody is in two facilities at once. Record a release or a transfer instead."
        ) % {"event": capfirst(step.label), "date": step.date.display(),
             "facility": where.facility_label or _("custody"), "since": where.start.display()}
    if step.effect in (TRANSFER, RELEASE) and where is None:
        return _(
            "%(event)s on %(date)s: the person is not in custody then — there is no arrest "
            "before it."
        ) % {"event": capfirst(step.label), "date": step.date.display()}
    return None


def _apply(step: Step, custody: Custody) -> None:
    where = custody.current
    if step.effect in (TRANSFER, RELEASE, DEATH) and where is not None:
        where.end, where.ended_by = step.date, step.effect
    if step.effect in (ARREST, TRANSFER):
        custody.episodes.append(Episode(step.facility_id, step.facility_label, step.date))
    elif step.effect == DEATH and custody.died is None:
        custody.died = step.date
    elif step.effect == CONTACT and (
        custody.last_contact is None or step.date.sort_key() > custody.last_contact.sort_key()
    ):
        custody.last_contact = step.date
    custody.order.append(step)


def check_custody(steps: Iterable[Step]) -> Custody:
    """The custody story of these events; ValidationError naming the first that cannot be."""
    remaining = sorted(steps, key=Step.sort_key)
    custody = Custody()
    while remaining:
        free = [s for s in remaining if not any(o.date.surely_before(s.date) for o in remaining)]
        # Then the one whose last possible day comes first (two arrests, one known to the day
        # and one to the year: the exact one cannot wait, the other can).
        free.sort(key=lambda s: (PREFERENCE[s.effect], s.date.upper, *s.sort_key()))
        chosen = next((s for s in free if _conflict(s, custody) is None), None)
        if chosen is None:
            first = min(free, key=Step.sort_key)
            raise ValidationError(str(_conflict(first, custody)), code="custody")
        _apply(chosen, custody)
        remaining.remove(chosen)
    return custody


@dataclass(frozen=True)
class CustodyFields:
    """What a case keeps of its custody story; never typed in."""

    current_facility_id: int | None
    in_custody_since: datetime.date | None
    last_contact_on: datetime.date | None
    # The status code the events impose ("deceased", "released"), or "" when the status is the
    # case worker's call.
    status: str


def derive_custody_fields(custody: Custody, *, status_watched: bool) -> CustodyFields:
    """The case's derived fields from its custody story.

    `status_watched`: whether the case's present status is watched for signs of life (held).
    A death or a release is not a matter of opinion: the status follows. Everything else
    (sentenced, on trial…) is the case worker's call, and so is a status not watched
    (emigrated, say) when the person is released.
    """
    current = custody.current
    since = custody.in_custody_since
    status = ""
    if custody.died is not None:
        status = "deceased"
    elif (current is None and custody.episodes and custody.episodes[-1].ended_by == RELEASE
          and status_watched):
        status = "released"
    return CustodyFields(
        current_facility_id=current.facility_id if current else None,
        in_custody_since=since.lower if since else None,
        last_contact_on=custody.last_contact.lower if custody.last_contact else None,
        status=status,
    )
