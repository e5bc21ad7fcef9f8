"""Canaries for the vault's seizure test: an aid item's tracking number and note."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any


def seed(canary: Callable[..., str]) -> None:
    from pompolit.aid.models import AidItem
    from pompolit.cases.models import Case, CaseStatus, Person
    from pompolit.ledger.models import Fund
    from pompolit.members.models import Compartment, Member

    member = Member.objects.create_user("Канарейка помощи", "correct horse battery staple")
    compartment = Compartment.objects.create(
        name="Канареечная помощь", slug="canary-aid", created_by=member
    )
    person = Person.objects.create(display_name="Посылкин Пётр")
    case = Case.objects.create(compartment=compartment, person=person,
                               status=CaseStatus.objects.get(code="sentenced"))
    secret: dict[str, Any] = {
        "tracking_number": canary("aid.AidItem.tracking_number"),
        "note": canary("aid.AidItem.note"),
    }
    AidItem.objects.create(
        case=case, compartment=compartment, kind="parcel", status="sent",
        fund=Fund.objects.get(code="general"), currency_id="RUB", cost_units=150000,
        planned_on=datetime.date(2025, 3, 1), sent_on=datetime.date(2025, 3, 3),
        channel="post", created_by=member, **secret,
    )
