"""Letters benchmark: `python bench/letters_bench.py [--db sqlite|postgres] [--pdf-letters N]`.

Builds, in a fresh database with an in-process unsealed vault, `--prisoners` consenting
prisoners (5,000) in 200 facilities, some facilities closed to strangers, and `--waiting`
letters waiting for moderation (10,000) with some earlier letters this month, then measures:

- the weighted random pick (`letters.pick.pick`: who may be written to, letters this month,
  the draw), p50 and p95 over `--rounds` picks — target under 20 ms p95;
- the moderation queue page (`/letters/work/`, the first page and a page deep in the list)
  with the waiting letters — target under 200 ms;
- approved letters to a PDF (`letters.batches.render_pdf`, in parts on every core):
  `--pdf-letters` letters (default 2,000) — target under 60 s; `--pdf-processes 1` lays it out
  in one process to compare.

Every time is given as wall time and as this process's CPU time (with the PDF's worker
processes' CPU added for the PDF; PostgreSQL's own CPU is not counted), since the machine is
usually shared: the CPU time says what the code costs, the wall time what the load made of
it. Peak memory (RSS) is given for the PDF: this process's and the largest worker's.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from benchdb import settle, setup  # noqa: E402
from notes_bench import unseal  # noqa: E402

TEXT = ("Здравствуйте! Пишу вам из Казани. У нас выпал первый снег, дети лепят снеговиков, "
        "а я перечитываю Паустовского. Держитесь, мы помним о вас и ждём. ") * 6


def build(rng: random.Random, prisoners: int, waiting: int, approved: int) -> Any:
    from django.db import transaction

    from pompolit.cases.models import Case, CaseStatus, Consent, Facility, FacilityType, Person
    from pompolit.letters import codes
    from pompolit.letters.models import Letter, LetterRules, Status
    from pompolit.members.models import Compartment
    from pompolit.members.roles import Role
    from pompolit.members.testing import make_founders, make_member

    founders = make_founders()
    member = make_member(founders, "bench-letters", Role.CASE_WORKER)
    compartment = Compartment.objects.create(name="Bench", slug="bench", created_by=member)
    colony = FacilityType.objects.get(code="colony")
    sentenced = CaseStatus.objects.get(code="sentenced")
    with transaction.atomic():
        facilities = [Facility.objects.create(name=f"ФКУ ИК-{n} УФСИН", type=colony,
                                              city=f"Город {n}", region="Область",
                                              street=f"ул. Ленина, д. {n}",
                                              postal_code=f"{600000 + n}")
                      for n in range(200)]
        for n, facility in enumerate(facilities):
            LetterRules.objects.create(facility=facility, relatives_only=n % 20 == 0,
                                       max_chars=6000, topics_to_avoid=["case", "war"])
        people = Person.objects.bulk_create(
            Person(display_name=f"Заключённый {n} Иванович") for n in range(prisoners))
        cases = Case.objects.bulk_create(
            Case(compartment=compartment, person=p, status=sentenced,
                 current_facility=rng.choice(facilities)) for p in people)
        Consent.objects.bulk_create(
            Consent(case=c, given_by="prisoner", given_on=datetime.date(2026, 1, 1),
                    scope=["name", "facility"]) for c in cases)
    writer = codes.writer_hash(codes.new_code())
    made: list[Any] = []
    for status, count in ((Status.WAITING, waiting), (Status.APPROVED, approved)):
        with transaction.atomic():
            for n in range(count):
                # One by one: each text is encrypted on save.
                made.append(Letter.objects.create(
                    case=rng.choice(cases[: prisoners // 2]) if n % 3 else rng.choice(cases),
                    facility=facilities[0] if status == Status.APPROVED else rng.choice(facilities),
                    text=TEXT, writer_hash=writer, status=status, language="ru",
                    flags=["case"] if n % 7 == 0 else []))
    return member


def timed(fn: Any, rounds: int) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds of each round."""
    walls, cpus = [], []
    for _ in range(rounds):
        start, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append((time.perf_counter() - start) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return walls, cpus


def p95(times: list[float]) -> float:
    return sorted(times)[max(0, int(len(times) * 0.95) - 1)]


def summary(times: tuple[list[float], list[float]]) -> str:
    walls, cpus = times
    return (f"wall p50 {statistics.median(walls):.1f} ms, p95 {p95(walls):.1f} ms; "
            f"CPU p50 {statistics.median(cpus):.1f} ms, p95 {p95(cpus):.1f} ms")


def children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg-name", default="pompolit_letters_bench")
    parser.add_argument("--prisoners", type=int, default=5000)
    parser.add_argument("--waiting", type=int, default=10000)
    parser.add_argument("--pdf-letters", type=int, default=2000)
    parser.add_argument("--pdf-processes", type=int, default=None)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="letters-bench-"))
    vendor = setup(folder, args.db, args.pg_name)
    unseal(folder, reuse=False)
    rng = random.Random(args.seed)
    start = time.perf_counter()
    member = build(rng, args.prisoners, args.waiting, args.pdf_letters)
    print(f"built in {time.perf_counter() - start:.1f} s ({vendor})")

    settle()  # statistics and visibility map, as autovacuum gives

    from django.test import Client
    from django.test.utils import setup_test_environment

    from pompolit.letters import batches, pick

    setup_test_environment()

    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    pick.pick()  # the list of who may be written to, kept CACHE_SECONDS
    picks = timed(pick.pick, args.rounds)
    print(f"weighted pick at {args.prisoners:,} prisoners: {summary(picks)}")

    def cold() -> None:
        pick._eligible.clear()  # as on the first pick after CACHE_SECONDS
        pick.pick()

    colds = timed(cold, max(10, args.rounds // 5))
    print(f"the same, list of eligible ids read afresh every time: {summary(colds)}")

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(member)

    for label, url in (("first page", "/letters/work/"),
                       ("page 150", "/letters/work/?page=150")):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        times = timed(lambda url=url: client.get(url), max(10, args.rounds // 5))
        print(f"moderation queue, {args.waiting:,} waiting, {label}: {summary(times)}")

    group = batches.groups(member)[0]
    print(f"load average before the PDF: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    start, cpu, child = time.perf_counter(), time.process_time(), children_cpu()
    pdf = batches.render_pdf(group, processes=args.pdf_processes)
    seconds = time.perf_counter() - start
    own, workers = time.process_time() - cpu, children_cpu() - child
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak_child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"PDF of {len(group.sheets):,} letters ({args.pdf_processes or 'all'} processes): "
          f"wall {seconds:.1f} s, CPU {own:.1f} s here + {workers:.1f} s in workers "
          f"({len(pdf) / 1e6:.1f} MB); peak RSS {peak:.0f} MB here, {peak_child:.0f} MB "
          f"the largest worker; load average after: "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"machine: {platform.processor() or platform.machine()}, Python "
          f"{platform.python_version()}, {platform.platform()}")


if __name__ == "__main__":
    main()
