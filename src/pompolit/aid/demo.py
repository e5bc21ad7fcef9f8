"""Demo aid (`pompolit aid demo`, called by `pompolit demo`): parcels of the Political Red
Cross to exiles in the 1920s — onions, soap, warm things, lemons and garlic against scurvy —
and the modern prisoner in ИК-6 with aid at every step: sent, approved, drafts (one breaking
the colony's rules), and a lawyer's fee for a coordinator to approve."""

from __future__ import annotations

import datetime

from django.db import transaction

from pompolit.aid import lifecycle, services
from pompolit.aid.models import AidItem
from pompolit.aid.services import ContentLine
from pompolit.cases.models import Case
from pompolit.ledger import services as ledger
from pompolit.members.models import Member

D = datetime.date
NOTE = "ДЕМО"


def _case(surname: str) -> Case:
    return Case.objects.select_related("person", "status").get(
        person__display_name__startswith=surname)


def _historical(worker: Member) -> None:
    general = ledger.fund("general")
    # planned, sent, outcome, case, contents, channel, outcome date
    rows = [
        ("Гольдман", D(1921, 12, 10), "delivered", D(1922, 1, 12),
         [ContentLine("vegetables", 2, 2000, "лук репчатый"),
          ContentLine("hygiene", 3, 450, "мыло хозяйственное"),
          ContentLine("tea-coffee", 1, 200, "чай кирпичный")]),
        ("Ремизова", D(1925, 11, 20), "delivered", D(1925, 12, 28),
         [ContentLine("clothing", 1, 1800, "валенки"), ContentLine("clothing", 1, 400,
                                                                  "шерстяные чулки"),
          ContentLine("vegetables", 3, 3000, "лук"), ContentLine("hygiene", 2, 300, "мыло")]),
        ("Лебедева", D(1926, 5, 6), "confiscated", D(1926, 6, 1),
         [ContentLine("vegetables", 6, 600, "лимоны"), ContentLine("vegetables", 4, 400,
                                                                  "чеснок")]),
    ]
    for surname, day, outcome, closed, lines in rows:
        case = _case(surname)
        item = services.create_item(worker, case, "parcel", general, planned_on=day,
                                    contents=lines, channel="post", note=NOTE,
                                    origin="Помполит, 1920-е (демо)")
        item = lifecycle.approve_item(worker, item, on=day)
        item = lifecycle.send_item(worker, item, on=day, channel="post")
        lifecycle.close_item(worker, item, outcome, on=closed,
                             note="Изъято администрацией" if outcome == "confiscated" else "")


def _modern(worker: Member) -> None:
    case = _case("Чернышёв")
    parcels, general, lawyers = ledger.fund("parcels"), ledger.fund("general"), ledger.fund(
        "lawyers")
    rub = ledger.money
    sent = services.create_item(
        worker, case, "parcel", parcels, planned_on=D(2026, 11, 3), cost=rub("2300", "RUB"),
        channel="post", contents=[ContentLine("tea-coffee", 4, 1000, "чай чёрный"),
                                  ContentLine("food", 3, 1500, "сухари, сахар"),
                                  ContentLine("hygiene", 5, 750, "мыло, зубная паста"),
                                  ContentLine("stationery", 1, 300, "конверты и марки")])
    sent = lifecycle.approve_item(worker, sent, on=D(2026, 11, 2))
    lifecycle.send_item(worker, sent, on=D(2026, 11, 3), channel="post",
                        tracking_number="80085614412377")
    postcard = services.create_item(worker, case, "letter", general, planned_on=D(2026, 10, 12),
                                    language="ru", channel="facility",
                                    note="Открытка от волонтёров")
    postcard = lifecycle.approve_item(worker, postcard, on=D(2026, 10, 12))
    lifecycle.send_item(worker, postcard, on=D(2026, 10, 12), channel="facility")
    money = services.create_item(worker, case, "money", general, planned_on=D(2026, 12, 1),
                                 cost=rub("5000", "RUB"), money_to="prisoner",
                                 channel="facility")
    lifecycle.approve_item(worker, money, on=D(2026, 11, 27))
    services.create_item(worker, case, "letter", general, planned_on=D(2026, 12, 5),
                         language="en", channel="facility")
    services.create_item(
        worker, case, "parcel", parcels, planned_on=D(2026, 12, 10), cost=rub("3100", "RUB"),
        channel="courier", contents=[ContentLine("homemade-food", 2, 3000, "пирожки"),
                                     ContentLine("food", 10, 21000, "консервы")])
    # Above the threshold: the case worker asks a coordinator from the item's page. (Not asked
    # here, so the demo's approvals inbox keeps the one request it is known for.)
    services.create_item(worker, case, "lawyer", lawyers, planned_on=D(2026, 12, 2),
                         cost=rub("15000", "RUB"), note="Консультация по апелляции (демо)")


def load(worker: Member) -> int:
    if AidItem.objects.exists():
        return 0
    with transaction.atomic():
        _historical(worker)
        _modern(worker)
    return AidItem.objects.count()
