"""Letters benchmark: `python bench/letters_bench.py [--db sqlite|postgres] [--pdf-letters N]`.

Builds, in a fresh database with an in-process unsealed vault, `--prisoners` consenting
prisoners (5,000) in 200 facilities, some facilities closed to strangers, and `--waiting`
letters waiting for moderation (10,000) with some earlier letters this month, then measures:

- the weighted random pick (`letters.pick.pick`: who may be written to, letters this month,
  the draw), p50 and p95 over `--rounds` picks — target under 20 ms p95;
- the moderation queue page (`/letters/work/`, the first page and a page deep in the list)
  with the waiting letters — target under 200 ms;
- approved letters to a PDF (`letters.batches.render_pdf`): `--pdf-letters` letters (default
  200, a sample) timed and the time for 2,000 extrapolated linearly, or all 2,000 with
  `--pdf-letters 2000` — target under 60 s.
"""

from __future__ import annotations

import argparse
import datetime
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from benchdb import setup  # noqa: E402
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


def timed(fn: Any, rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def p95(times: list[float]) -> float:
    return sorted(times)[max(0, int(len(times) * 0.95) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg-name", default="pompolit_letters_bench")
    parser.add_argument("--prisoners", type=int, default=5000)
    parser.add_argument("--waiting", type=int, default=10000)
    parser.add_argument("--pdf-letters", type=int, default=200)
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

    from django.test import Client
    from django.test.utils import setup_test_environment

    from pompolit.letters import batches, pick

    setup_test_environment()

    picks = timed(pick.pick, args.rounds)
    print(f"weighted pick at {args.prisoners:,} prisoners: p50 {statistics.median(picks):.1f} ms,"
          f" p95 {p95(picks):.1f} ms")

    def cold() -> None:
        pick._eligible.clear()  # as on the first pick after CACHE_SECONDS
        pick.pick()

    colds = timed(cold, max(10, args.rounds // 5))
    print(f"the same, list of eligible ids read afresh every time: p50 "
          f"{statistics.median(colds):.1f} ms, p95 {p95(colds):.1f} ms")

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(member)

    for label, url in (("first page", "/letters/work/"),
                       ("page 150", "/letters/work/?page=150")):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        times = timed(lambda url=url: client.get(url), max(10, args.rounds // 5))
        print(f"moderation queue, {args.waiting:,} waiting, {label}: "
              f"p50 {statistics.median(times):.1f} ms, p95 {p95(times):.1f} ms")

    group = batches.groups(member)[0]
    start = time.perf_counter()
    pdf = batches.render_pdf(group)
    seconds = time.perf_counter() - start
    per_letter = seconds / max(1, len(group.sheets))
    print(f"PDF of {len(group.sheets):,} letters: {seconds:.1f} s ({len(pdf) / 1e6:.1f} MB), "
          f"{per_letter * 1000:.0f} ms a letter; 2,000 letters ≈ {per_letter * 2000:.0f} s")
    print(f"machine: {platform.processor() or platform.machine()}, Python "
          f"{platform.python_version()}, {platform.platform()}")


if __name__ == "__main__":
    main()
