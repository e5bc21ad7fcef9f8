"""Birthday cards: who has a birthday soon.

Two lists, two rules:

- **the public one** ("write to them this week", `/letters/birthdays/`): people a stranger may
  write to (`pick.recipients`) whose consent names the birthday and whose birth date is known
  to the day, birthday in the next 7 days. The page shows the day and month, never the year.
- **the members' dashboard**: a case worker's own compartments (`cases.services.visible_cases`,
  the access policy), anyone held whose birth date is known to the day, birthday in the next
  14 days, consent or not — with a link to write (where strangers may) and a card to print.

A birth date may be partial (a year, or a year and month): without the day there is no
birthday to mark, and the person is left out. 29 February is marked on 1 March in a common
year.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone

from pompolit.aid.batches.documents import no_fetcher
from pompolit.aid.services import GONE_STATUSES
from pompolit.audit.services import record
from pompolit.cases.facilities.addresses import facility_address, recipient_line
from pompolit.cases.models import Case
from pompolit.cases.partial import PartialDate
from pompolit.cases.services import visible_cases
from pompolit.letters import pick
from pompolit.letters.rules import Rules, rules_for
from pompolit.members.models import Member

PUBLIC_DAYS = 7
DASHBOARD_DAYS = 14


def next_birthday(born: PartialDate | None, today: datetime.date) -> datetime.date | None:
    """The next birthday on or after `today`; None unless the day and month are known."""
    if born is None or born.month is None or born.day is None:
        return None
    for year in (today.year, today.year + 1):
        try:
            day = datetime.date(year, born.month, born.day)
        except ValueError:  # 29 February in a common year
            day = datetime.date(year, 3, 1)
        if day >= today:
            return day
    return None


def this_week(today: datetime.date | None = None) -> list[tuple[datetime.date, pick.Recipient]]:
    """The public list: whom a stranger may write to, birthday in the next 7 days."""
    return pick.birthdays(days=PUBLIC_DAYS, today=today)


@dataclass(frozen=True)
class Upcoming:
    case: Case
    day: datetime.date
    writable: bool  # strangers may write (the public write page exists)

    @property
    def in_days(self) -> int:
        return (self.day - timezone.localdate()).days


def upcoming(member: Member, today: datetime.date | None = None,
             days: int = DASHBOARD_DAYS) -> list[Upcoming]:
    """The member's own compartments: birthdays in the next `days` days, the soonest first."""
    today = today or timezone.localdate()
    cases = (visible_cases(member).exclude(person__birth_date="")
             .exclude(status__code__in=GONE_STATUSES)
             .select_related("person", "compartment", "current_facility"))
    soon = []
    for case in cases:
        day = next_birthday(case.person.birth_date, today)
        if day is not None and (day - today).days < days:
            soon.append((day, case))
    open_ = pick.writable([case.public_id for _day, case in soon], today)
    return [Upcoming(case, day, case.public_id in open_)
            for day, case in sorted(soon, key=lambda pair: (pair[0], pair[1].person.display_name))]


def card_case(member: Member, pk: int) -> Case | None:
    """A case of the member's compartments that has a facility to send a card to."""
    return (visible_cases(member).filter(pk=pk, current_facility__isnull=False)
            .select_related("person", "current_facility").first())


def render_card_html(case: Case, rules: Rules, day: datetime.date | None) -> str:
    assert case.current_facility is not None
    return render_to_string("letters/birthday_card.html", {
        "name": case.person.display_name, "day": day, "rules": rules,
        "address": [recipient_line(case), *facility_address(case.current_facility)]})


def render_card(member: Member, case: Case) -> bytes:
    """A birthday card to print: the greeting's page and the address, in large print."""
    import weasyprint  # heavy (pango): only when a PDF is asked for

    assert case.current_facility is not None
    day = next_birthday(case.person.birth_date, timezone.localdate())
    html = render_card_html(case, rules_for(case.current_facility), day)
    pdf: bytes = weasyprint.HTML(string=html, url_fetcher=no_fetcher()).write_pdf()
    record("letters.birthday_card_printed", actor=member, obj=case, details={})
    return pdf
