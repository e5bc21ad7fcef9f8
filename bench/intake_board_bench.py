"""Surge board benchmark: `python bench/intake_board_bench.py --db sqlite` (or `--db postgres`).

Fills a fresh database (SQLite in a temporary folder; PostgreSQL: a database `--pg-name` on
127.0.0.1, dropped and made again) with one hotline in a surge: `--detentions` open detentions
(5,000) at `--stations` police stations (300), most held, some released, with minors, needs and
lawyers as in the demo (`intake.demo`'s names, lawyers and medicine), and eight lawyers on duty
dispatched to stations. The rows are written in bulk, not through the services: the bench
measures the board, not the console.

Then it measures, through Django's test client signed in as the hotline's operator (the whole
request: middleware, access policy, queries, template), p50/p95 of:

- the surge board page (`intake_board`: the table, each station's people, the shift log);
- the part htmx fetches every 10 seconds (`intake_board_rows`);

and counts the queries of each. The target (issue 15): under 200 ms.
"""

from __future__ import annotations

import argparse
import datetime
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from benchdb import settle, setup  # noqa: E402
from cases_bench import machine, percentiles  # noqa: E402
from notes_bench import unseal  # noqa: E402

TARGET_MS = 200


def surge(detentions: int, stations: int, seed: int) -> tuple[Any, Any]:
    """The hotline, its operator, and the surge written in bulk."""
    from django.utils import timezone

    from pompolit.cases.models import Facility, FacilityType
    from pompolit.intake import demo
    from pompolit.intake.duty import services as duty
    from pompolit.intake.models import (
        HELD,
        STATION_TYPE,
        Detainee,
        DetaineeName,
        Detention,
        LogKind,
        Status,
    )
    from pompolit.intake.services import open_hotline
    from pompolit.members.roles import Role
    from pompolit.members.testing import make_compartment, make_founders, make_member

    rng = random.Random(seed)
    founders = make_founders()
    hotline = make_compartment(founders[0])
    open_hotline(founders[0], hotline, city="Москва")
    operator = make_member(
        founders, "bench-operator", Role.HOTLINE_OPERATOR, compartments=[hotline]
    )
    kind = FacilityType.objects.get(code=STATION_TYPE)
    facilities = Facility.objects.bulk_create(
        Facility(
            name=f"Отдел МВД России по району № {n}",
            short_name=f"ОВД № {n}",
            type=kind,
            region="Москва",
            city="Москва",
            street=f"ул. Петровка, д. {n}",
        )
        for n in range(1, stations + 1)
    )
    now = timezone.now()
    held = sorted(HELD)
    outcomes = [Status.RELEASED, Status.RELEASED_WITH_PROTOCOL, Status.FINED]
    people = Detainee.objects.bulk_create(
        Detainee(
            display_name=f"{rng.choice(demo.SURNAMES)} {rng.choice(demo.MEN + demo.WOMEN)}",
            created_at=now,
        )
        for _ in range(detentions)
    )
    DetaineeName.objects.bulk_create(
        DetaineeName(
            detainee=p,
            surname=p.display_name.split()[0],
            given=p.display_name.split()[1],
            is_primary=True,
        )
        for p in people
    )
    rows = []
    for person in people:
        at = now - datetime.timedelta(minutes=rng.randrange(10, 600))
        status = rng.choice(held) if rng.random() < 0.85 else rng.choice(outcomes)
        rows.append(
            Detention(
                compartment=hotline,
                detainee=person,
                detained_at=at,
                detained_on=timezone.localdate(at),
                status=status,
                status_since=at,
                location="station",
                facility=rng.choice(facilities) if rng.random() < 0.97 else None,
                is_minor=rng.random() < 0.04,
                need_water=rng.random() < 0.2,
                need_medicine=rng.random() < 0.05,
                need_charger=rng.random() < 0.15,
                injured=rng.random() < 0.03,
                lawyer_assigned_at=at if rng.random() < 0.3 else None,
                created_at=at,
                updated_at=at,
            )
        )
    Detention.objects.bulk_create(rows, batch_size=1000)
    for n, name in enumerate(demo.LAWYERS * 2):
        lawyer = duty.add_lawyer(
            operator,
            hotline,
            name=name,
            capacity=rng.choice([3, 5, 8]),
            on_duty_from=now - datetime.timedelta(hours=2),
        )
        duty.dispatch(operator, lawyer, facilities[n * 7 % len(facilities)])
    for text in ("Смена началась", "У ОВД № 7 не пускают адвоката"):
        duty.write_log(operator, hotline, LogKind.NOTE, text)
    duty.hand_over(operator, hotline, "Передаю смену")
    return hotline, operator


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--detentions", type=int, default=5000)
    parser.add_argument("--stations", type=int, default=300)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg-name", default="pompolit_intake_board_bench")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        vendor = setup(folder, args.db, args.pg_name)
        # No setup_test_environment: its instrumented templates (each context copied for the
        # tests' response.context) cost a third of the page, which production never pays.
        from django.conf import settings
        from django.db import connection
        from django.test import Client
        from django.urls import reverse

        from pompolit.intake.models import HELD, Detention

        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        unseal(folder, reuse=False)
        start = time.perf_counter()
        hotline, operator = surge(args.detentions, args.stations, args.seed)
        settle()  # statistics and visibility map, as autovacuum gives
        held = Detention.objects.filter(status__in=HELD).count()
        print(
            f"{vendor}: {Detention.objects.count():,} detentions ({held:,} held) at "
            f"{args.stations} stations, written in {time.perf_counter() - start:.1f} s",
            flush=True,
        )
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(operator)
        for label, name in (("board page", "intake_board"), ("polled part", "intake_board_rows")):
            url = reverse(name, args=[hotline.slug])
            queries: list[tuple[float, str]] = []

            def counted(execute: Any, sql: str, *rest: Any,
                        seen: list[tuple[float, str]] = queries) -> Any:
                began = time.perf_counter()
                try:
                    return execute(sql, *rest)
                finally:
                    seen.append((time.perf_counter() - began, sql))

            client.get(url)  # warm
            with connection.execute_wrapper(counted):
                response = client.get(url)
            assert response.status_code == 200, response.status_code
            samples, cpu = [], []
            for _ in range(args.rounds):
                began, began_cpu = time.perf_counter(), time.process_time()
                client.get(url)
                samples.append(time.perf_counter() - began)
                cpu.append(time.process_time() - began_cpu)
            p = percentiles(samples)
            c = percentiles(cpu)
            verdict = "met" if p["p95"] < TARGET_MS else "NOT met"
            print(
                f"{label} ({url}): {len(response.content) // 1024} KiB, "
                f"{len(queries)} queries; {args.rounds} requests: "
                f"p50 {p['p50']:.0f} ms, p95 {p['p95']:.0f} ms, max {p['max']:.0f} ms, "
                f"CPU of this process p50 {c['p50']:.0f} ms, p95 {c['p95']:.0f} ms "
                f"(target {TARGET_MS} ms: {verdict})",
                flush=True,
            )
            in_db = sum(t for t, _sql in queries)
            print(f"  its queries took {in_db * 1000:.0f} ms; the slowest:")
            for took, sql in sorted(queries, reverse=True)[:3]:
                print(f"    {took * 1000:.1f} ms  {sql[:160]}")
        print(f"machine: {machine()}")
        if args.db == "postgres":
            connection.close()


if __name__ == "__main__":
    main()
