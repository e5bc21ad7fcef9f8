"""Aid rules check benchmark: `python bench/aid_rules_bench.py [--db sqlite|postgres]`.

Builds, in a fresh database (SQLite in a temporary folder; PostgreSQL: a database `--pg-name`
on 127.0.0.1, dropped and made again), 300 facilities each with a history of rules (a
facility-wide rule replaced twice, and regime rules), 2,000 prisoners with a custody history
(arrest and up to four transfers) and 40 earlier parcels each, then measures
`aid.rules.check_item` — the service-level check: it loads the item's contents, the person's
custody from their events, the rule valid on the day for their regime, counts the parcels
in the period and looks up an exchange rate — for parcels, money transfers (in roubles and in
euros) and letters. Target: under 20 ms per item.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from benchdb import settle, setup  # noqa: E402


def build(rng: random.Random, facilities_n: int, prisoners_n: int) -> list[Any]:
    from django.db import transaction

    from pompolit.aid.models import AidContent, AidItem
    from pompolit.cases.models import (
        Case,
        CaseStatus,
        Event,
        EventType,
        Facility,
        FacilityRule,
        FacilityType,
        Person,
        Regime,
    )
    from pompolit.cases.partial import PartialDate
    from pompolit.ledger.models import Currency, ExchangeRate, Fund
    from pompolit.members.models import Compartment, Member

    member = Member.objects.create_user("bench-aid", "bench-password-2026")
    compartment = Compartment.objects.create(name="Bench", slug="bench", created_by=member)
    colony = FacilityType.objects.get(code="colony")
    regimes = list(Regime.objects.all())
    arrest, transfer = EventType.objects.get(code="arrest"), EventType.objects.get(code="transfer")
    sentenced = CaseStatus.objects.get(code="sentenced")
    fund = Fund.objects.get(code="general")
    rub, eur = Currency.objects.get(code="RUB"), Currency.objects.get(code="EUR")
    items: list[Any] = []
    with transaction.atomic():
        ExchangeRate.objects.create(on=datetime.date(2026, 11, 1), currency=eur, base=rub,
                                    rate=Decimal("98.40"))
        facilities = []
        for n in range(facilities_n):
            facility = Facility.objects.create(name=f"ФКУ ИК-{n} УФСИН России",
                                               short_name=f"ИК-{n}",
                                               type=colony, region="Омская область")
            facilities.append(facility)
            for start, end in ((datetime.date(2010, 1, 1), datetime.date(2016, 12, 31)),
                               (datetime.date(2017, 1, 1), datetime.date(2022, 7, 16)),
                               (datetime.date(2022, 7, 17), None)):
                FacilityRule.objects.create(
                    facility=facility, valid_from=start, valid_to=end, max_parcel_grams=20000,
                    parcels_per_period=6, period_months=12, letter_languages=["ru"],
                    banned_items=["алкоголь", "сим-карты", "продукты домашнего приготовления"],
                    money_limit=Decimal(10000))
            for regime in regimes[:3]:
                FacilityRule.objects.create(
                    facility=facility, regime=regime, valid_from=datetime.date(2022, 7, 17),
                    max_parcel_grams=20000, parcels_per_period=2, period_months=3,
                    banned_items=["алкоголь"], money_limit=Decimal(10000))
        for n in range(prisoners_n):
            person = Person.objects.create(display_name=f"Заключённый {n}")
            case = Case.objects.create(compartment=compartment, person=person, status=sentenced,
                                       sentence_regime=rng.choice(regimes))
            day = datetime.date(2015, 1, 1) + datetime.timedelta(days=rng.randrange(2500))
            where = rng.choice(facilities)
            Event.objects.create(case=case, compartment=compartment, type=arrest,
                                 date=PartialDate.from_date(day), facility=where)
            for _ in range(rng.randrange(5)):
                day += datetime.timedelta(days=rng.randrange(100, 600))
                where = rng.choice(facilities)
                Event.objects.create(case=case, compartment=compartment, type=transfer,
                                     date=PartialDate.from_date(day), facility=where)
            Case.objects.filter(pk=case.pk).update(current_facility=where)
            past = [AidItem(case=case, compartment=compartment, kind="parcel", status="delivered",
                            fund=fund, currency=rub, cost_units=150000, created_by=member,
                            planned_on=datetime.date(2026, 11, 20)
                            - datetime.timedelta(days=30 * k),
                            sent_on=datetime.date(2026, 11, 20) - datetime.timedelta(days=30 * k))
                    for k in range(1, 41)]
            AidItem.objects.bulk_create(past)
            planned = datetime.date(2026, 11, 20)
            parcel = AidItem.objects.create(case=case, compartment=compartment, kind="parcel",
                                            fund=fund, currency=rub, cost_units=250000,
                                            planned_on=planned, created_by=member)
            AidContent.objects.bulk_create(
                AidContent(item=parcel, category=c, quantity=q, grams=g)
                for c, q, g in (("food", 10, 8000), ("hygiene", 6, 1200), ("tea-coffee", 4, 1000),
                                ("clothing", 2, 2500), ("medicines", 3, 300), ("alcohol", 1, 700)))
            money = AidItem.objects.create(case=case, compartment=compartment, kind="money",
                                           money_to="prisoner", fund=fund,
                                           currency=rng.choice([rub, eur]), cost_units=1200000,
                                           planned_on=planned, created_by=member)
            letter = AidItem.objects.create(case=case, compartment=compartment, kind="letter",
                                            language=rng.choice(["ru", "en"]), fund=fund,
                                            currency=rub, planned_on=planned, created_by=member)
            items += [parcel.pk, money.pk, letter.pk]
    return items


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg-name", default="bench_aid_rules")
    parser.add_argument("--facilities", type=int, default=300)
    parser.add_argument("--prisoners", type=int, default=2000)
    parser.add_argument("--checks", type=int, default=3000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        vendor = setup(Path(tmp), args.db, args.pg_name)
        rng = random.Random(1921)
        started = time.perf_counter()
        items = build(rng, args.facilities, args.prisoners)
        built = time.perf_counter() - started

        settle()  # statistics and visibility map, as autovacuum gives
        from pompolit.aid import rules
        from pompolit.aid.models import AidItem

        sample = [rng.choice(items) for _ in range(args.checks)]
        timings: dict[str, list[float]] = {}
        violations = 0
        for pk in sample[:50]:  # warm up
            rules.check_item(AidItem.objects.select_related("case__person", "currency").get(pk=pk))
        for pk in sample:
            start = time.perf_counter()
            item = AidItem.objects.select_related("case__person", "case__sentence_regime",
                                                  "currency").get(pk=pk)
            found = rules.check_item(item)
            elapsed = (time.perf_counter() - start) * 1000
            label = f"{item.kind} ({item.currency_id})" if item.kind == "money" else item.kind
            timings.setdefault(label, []).append(elapsed)
            violations += bool(found)
        print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
              f"{platform.python_version()}, {platform.system()} {platform.release()}; "
              f"database: {vendor}; date {datetime.date.today()}; "  # noqa: DTZ011
              f"load average {os.getloadavg()[0]:.1f}")
        print(f"built {args.facilities} facilities, {args.prisoners} prisoners, "
              f"{args.prisoners * 43} items in {built:.1f} s; {len(sample)} checks, "
              f"{violations} with violations")
        every = sorted(t for ts in timings.values() for t in ts)
        for label, values in [*sorted(timings.items()), ("all", every)]:
            values = sorted(values)
            p50 = values[len(values) // 2]
            p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
            print(f"{label:14} n={len(values):5} p50 {p50:6.2f} ms  p95 {p95:6.2f} ms  "
                  f"max {values[-1]:6.2f} ms")


if __name__ == "__main__":
    main()
