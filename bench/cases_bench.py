"""Case registry benchmark: `python bench/cases_bench.py --cases 100000 --db sqlite|postgres`.

Generates the synthetic registry (`pompolit.cases.synthetic`) into a fresh database (SQLite in a
temporary folder; PostgreSQL: a database `--pg-name` on 127.0.0.1, dropped and made again),
then measures at the service level:

- name search (`search.search_cases`) over a mix of queries: Cyrillic names, several Latin
  transliterations, declined forms, other scripts, case numbers, free text — p50/p95/p99;
- the case list (`search.search_cases` with no text, and `search.filtered` ordered and paged):
  50 rows with filters (status, facility, region, compartment, no sign of life) — p50/p95;
- importing a generated 10,000-row CSV through `importing.read_table`/`plan`/`commit`: the dry
  run and the commit, wall time, then the peak memory of a second import under tracemalloc.

The case worker sees 7 of the 10 compartments, as in a real group.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import io
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from benchdb import setup, unseal  # noqa: E402

TODAY = datetime.date(2026, 11, 28)


def people() -> tuple[Any, list[Any]]:
    """The bench's case worker and its ten compartments (made once, found again)."""
    from django.utils import timezone

    from pompolit.members.models import Compartment, Member
    from pompolit.members.roles import Role
    from pompolit.members.services import create_compartment, create_founder

    worker = Member.objects.filter(pseudonym="bench-worker").first()
    if worker is not None:
        return worker, list(Compartment.objects.filter(slug__regex=r"^bench-[0-9]$")
                            .order_by("slug"))
    first = create_founder("bench-a", "bench-password-2026")
    create_founder("bench-b", "bench-password-2026")
    compartments = [create_compartment(first, name=f"Bench {n}", slug=f"bench-{n}")
                    for n in range(10)]
    worker = Member.objects.create_user("bench-worker", "bench-password-2026",
                                        vouched_at=timezone.now())
    approved("grant_role", {"member": worker.pk, "role": Role.CASE_WORKER})
    for compartment in compartments[:7]:
        approved("grant_compartment", {"member": worker.pk, "compartment": compartment.pk})
    return Member.objects.get(pk=worker.pk), compartments


def approved(action: str, payload: dict[str, Any]) -> None:
    from pompolit.members import approvals
    from pompolit.members.models import Member

    first, second = Member.objects.get(pseudonym="bench-a"), Member.objects.get(pseudonym="bench-b")
    request = approvals.request_approval(first, action, payload)
    approvals.approve(request.pk, second, seen_digest=request.payload_digest)


def import_compartment(worker: Any) -> Any:
    """A new compartment of the worker's for each import: the list is new there."""
    import uuid

    from pompolit.members.models import Member
    from pompolit.members.services import create_compartment

    slug = f"bench-import-{uuid.uuid4().hex[:8]}"
    compartment = create_compartment(Member.objects.get(pseudonym="bench-a"), name=slug,
                                     slug=slug)
    approved("grant_compartment", {"member": worker.pk, "compartment": compartment.pk})
    worker.forget_cached_access()
    return compartment


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)

    def at(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000

    return {"p50": at(0.50), "p95": at(0.95), "p99": at(0.99), "max": ordered[-1] * 1000}


# The process's CPU time of each call of the last `measure` (a shared machine's waits left
# out; on SQLite it includes the database's work, on PostgreSQL not the server's).
CPU_SAMPLES: list[float] = []


def measure(calls: list[tuple[str, Callable[[], Any]]], rounds: int
            ) -> tuple[list[float], dict[str, float]]:
    for _label, call in calls:  # warm the caches once, as a running server has them
        call()
    samples: list[float] = []
    CPU_SAMPLES.clear()
    worst: dict[str, float] = {}
    for _ in range(rounds):
        for label, call in calls:
            start, cpu = time.perf_counter(), time.process_time()
            call()
            elapsed = time.perf_counter() - start
            CPU_SAMPLES.append(time.process_time() - cpu)
            samples.append(elapsed)
            worst[label] = max(worst.get(label, 0.0), elapsed * 1000)
    return samples, worst


def name_queries(rng: random.Random, worker: Any) -> list[str]:
    from pompolit.cases.models import Case
    from pompolit.cases.services import visible_cases

    last = Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    numbers = list(visible_cases(worker).exclude(case_number="").filter(
        pk__in=rng.sample(range(1, last + 1), min(last, 40))).order_by("pk")
        .values_list("case_number", flat=True)[:6])
    return [
        # Cyrillic, as typed, with declined forms and ё/е
        "Иванов", "Кузнецова", "Соловьёв Алексей", "Соловьев", "Навального", "Петрова Мария",
        "Морозову", "Чернышёва", "Смирнов Сергей Петрович", "Лебедевой", "Шевчук",
        # Latin: passport, French, German, scholarly transliterations
        "Ivanov", "Kuznetsova", "Solovyov", "Soloviev", "Tchernychev", "Chernyshev",
        "Smirnov Sergei", "Moroz", "Lebedeva Anna", "Schewtschuk", "Šmidt",
        # other scripts and peoples
        "Тарас Шевчук", "Галиев", "Khabibullina", "Мусаева", "გიორგი", "Petrosyan", "Müller",
        # case numbers in any punctuation
        *numbers, "1-12/2024",
        # free text and places
        "голодовку", "ШИЗО", "Омск", "тёплые вещи", "инсулин", "аэропорту", "стоматолог",
    ]


def list_calls(worker: Any, compartments: list[Any]) -> list[tuple[str, Callable[[], Any]]]:
    from pompolit.cases.models import Facility
    from pompolit.cases.search.services import Filters, case_page, search_cases

    facilities = list(Facility.objects.order_by("pk").values_list("pk", flat=True))
    busy = facilities[3]
    filters = [
        Filters(), Filters(status="sentenced"), Filters(status="on-trial"),
        Filters(facility=busy), Filters(region="Омская область"),
        Filters(region="Республика Мордовия", status="sentenced"),
        Filters(compartment=compartments[2].pk), Filters(overdue=True),
        Filters(overdue=True, compartment=compartments[0].pk),
        Filters(status="in-transit", overdue=True),
    ]
    calls: list[tuple[str, Callable[[], Any]]] = [
        (f"list {f}", lambda f=f: search_cases(worker, "", f, today=TODAY)) for f in filters
    ]
    for order in ("priority", "opened", "silence"):
        for page in (0, 3, 40):
            calls.append((f"page {page} by {order}",
                          lambda order=order, page=page: case_page(worker, page=page, order=order,
                                                                   today=TODAY)))
        calls.append((f"page 3 by {order}, sentenced",
                      lambda order=order: case_page(worker, Filters(status="sentenced"), page=3,
                                                    order=order, today=TODAY)))
    return calls


def import_csv(rows: int, seed: int) -> bytes:
    from pompolit.cases.synthetic import RU_FEMALE, RU_MALE, RU_SURNAMES

    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["ФИО", "Дата рождения", "Статус", "Учреждение", "Регион", "Номер дела",
                     "Примечания"])
    for n in range(rows):
        female = rng.random() < 0.2
        surname = rng.choice(RU_SURNAMES) + ("а" if female else "")
        given = rng.choice(RU_FEMALE if female else RU_MALE)
        born = f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.{rng.randint(1950, 2004)}"
        writer.writerow([f"{surname} {given} Иванов{'на' if female else 'ич'}",
                         born if rng.random() < 0.8 else str(rng.randint(1950, 2004)),
                         rng.choice(["осуждён", "под следствием", "задержан", "на этапе"]),
                         f"ИК-{rng.randint(1, 40)}", "Омская область", f"1-{n}/2025",
                         "Импорт из списка (бенчмарк)"])
    return out.getvalue().encode("utf-8")


def run_import(worker: Any, compartment: Any, data: bytes) -> dict[str, float]:
    from pompolit.cases.io import importing

    start = time.perf_counter()
    table = importing.read_table(data, "list.csv")
    mapping = importing.guess_mapping(table.headers)
    plan = importing.plan(compartment, table, mapping)
    assert plan.ok, plan.errors[:3]
    dry = time.perf_counter() - start
    start = time.perf_counter()
    result = importing.commit(worker, compartment, table, mapping, filename="list.csv")
    assert result.created == len(table.rows), result
    return {"dry_run_s": dry, "commit_s": time.perf_counter() - start}


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text()
                .splitlines() if line.startswith("model name")), platform.processor())
    memory = subprocess.run(["free", "-g"], capture_output=True, text=True).stdout
    total = next((line.split()[1] for line in memory.splitlines() if line.startswith("Mem")), "?")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{os.cpu_count()} CPUs ({cpu}), {total} GB RAM, Python {platform.python_version()}, "
            f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, load average {load}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg-name", default="pompolit_cases_bench")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--import-rows", type=int, default=10_000,
                        help="0: no import (it adds cases to the database)")
    parser.add_argument("--dir", help="SQLite: keep the database in this folder")
    parser.add_argument("--reuse", action="store_true",
                        help="measure a database generated before (same --dir or --pg-name)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.dir) if args.dir else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        setup(folder, args.db, args.pg_name, reuse=args.reuse)
        from django.db import connection

        from pompolit.cases.models import Case, Event, NameKey, PersonName
        from pompolit.cases.search.services import search_cases
        from pompolit.cases.synthetic import generate

        # Notes and events are encrypted: the generator and the search need the vault unsealed.
        unseal(folder, args.reuse)
        worker, compartments = people()
        start = time.perf_counter()
        if not args.reuse:
            generate(compartments, args.cases, seed=args.seed, batch_size=5000, today=TODAY,
                     progress=lambda line: print("  " + line, flush=True))
        print(f"{connection.vendor}: {'generated' if not args.reuse else 'reused'} "
              f"{Case.objects.count():,} cases, {PersonName.objects.count():,} names, "
              f"{NameKey.objects.count():,} keys, {Event.objects.count():,} events "
              f"in {time.perf_counter() - start:.0f} s", flush=True)

        rng = random.Random(args.seed)
        queries = name_queries(rng, worker)
        samples, worst = measure(
            [(q, lambda q=q: search_cases(worker, q, today=TODAY)) for q in queries],
            args.rounds)
        hits = {q: len(search_cases(worker, q, today=TODAY)) for q in queries}
        p = percentiles(samples)
        print(f"search ({len(queries)} queries × {args.rounds}): p50 {p['p50']:.1f} ms, "
              f"p95 {p['p95']:.1f} ms, p99 {p['p99']:.1f} ms, max {p['max']:.1f} ms")
        slowest = sorted(worst.items(), key=lambda kv: -kv[1])[:5]
        print("  slowest: " + ", ".join(f"{q!r} {ms:.0f} ms ({hits[q]} found)"
                                        for q, ms in slowest))
        print("  found nothing: " + ", ".join(repr(q) for q, n in hits.items() if not n))

        calls = list_calls(worker, compartments)
        samples, worst = measure(calls, args.rounds)
        p = percentiles(samples)
        print(f"list ({len(calls)} filters/pages × {args.rounds}): p50 {p['p50']:.1f} ms, "
              f"p95 {p['p95']:.1f} ms, p99 {p['p99']:.1f} ms, max {p['max']:.1f} ms")
        slowest = sorted(worst.items(), key=lambda kv: -kv[1])[:4]
        print("  slowest: " + ", ".join(f"{q} {ms:.0f} ms" for q, ms in slowest))

        if args.import_rows <= 0:  # e.g. on a database another bench measures too
            print(f"machine: {machine()}")
            return
        data = import_csv(args.import_rows, args.seed)
        timing = run_import(worker, import_compartment(worker), data)
        print(f"import {args.import_rows:,} rows ({len(data) / 1e6:.1f} MB): dry run "
              f"{timing['dry_run_s']:.1f} s, commit {timing['commit_s']:.1f} s, total "
              f"{timing['dry_run_s'] + timing['commit_s']:.1f} s", flush=True)
        tracemalloc.start()
        run_import(worker, import_compartment(worker), data)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"  peak memory of an import (tracemalloc): {peak / 1e6:.0f} MB; "
              f"process peak RSS {rss:.0f} MB")
        print(f"machine: {machine()}")
        if args.db == "postgres":
            connection.close()


if __name__ == "__main__":
    main()
