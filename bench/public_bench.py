"""The public prisoner list: `python bench/public_bench.py [--db sqlite|postgres] [--cases 5000]`.

Generates `--cases` synthetic cases (`pompolit.cases.synthetic`, the same registry as
cases_bench.py) into a fresh database with an in-process unsealed vault, gives every case a
consent in force with a realistic mix of scopes (name always; status, charges, sentence,
facility, birthday, interests on most; a few with the bare name), then requests `/prisoners/`
through Django's whole stack (middleware, view, template; the test client, no network) as the
public does: the first page, filter combinations sent by POST as the form sends them, name
searches (POST), deeper pages. Reports p50/p95/max wall time and the process's CPU time per
request. Target: p95 under 100 ms with filters (issue 17).
"""

from __future__ import annotations

import argparse
import datetime
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

from benchdb import settle, setup, unseal  # noqa: E402
from cases_bench import TODAY, machine, people, percentiles  # noqa: E402

FULL = ["name", "status", "charges", "sentence", "facility", "birthday", "interests"]
INTERESTS = ["шахматы", "история", "поэзия", "футбол", "физика", "рисование", "языки",
             "философия", "кулинария", "музыка"]


def publish_all(rng: random.Random) -> int:
    from django.db import transaction

    from pompolit.cases.models import Case, Consent

    consents = []
    for case_id in Case.objects.values_list("pk", flat=True):
        roll = rng.random()
        scope = (["name"] if roll < 0.05 else
                 ["name", "status", "facility"] if roll < 0.25 else FULL)
        interests = ", ".join(rng.sample(INTERESTS, rng.randint(1, 3)))
        consents.append(Consent(case_id=case_id, given_by="prisoner",
                                given_on=datetime.date(2025, 6, 1), scope=scope,
                                interests=interests if "interests" in scope else ""))
    with transaction.atomic():
        Consent.objects.bulk_create(consents, batch_size=2000)
    return len(consents)


def requests(rng: random.Random) -> list[tuple[str, dict[str, str] | None]]:
    """(label, POST data or None for a GET): what people do on the list."""
    from pompolit.cases.models import Case, Charge
    from pompolit.public import listing

    with_language("ru")
    choices = listing.choices(TODAY)
    surnames = [name.split()[0] for name in Case.objects.order_by("?")
                .values_list("person__display_name", flat=True)[:40]]
    articles = sorted({a.split()[0] for a in Charge.objects.values_list("article", flat=True)
                       [:500]})[:20]
    calls: list[tuple[str, dict[str, str] | None]] = [("first page", None)]
    for page in (2, 10, 40):
        calls.append((f"page {page}", {"page": str(page)}))
    for n in range(12):  # one name, in its own script or in Latin letters
        calls.append((f"name {n}", {"q": surnames[n]}))
    calls.append(("name, latin", {"q": "Ivanov"}))
    calls.append(("name, nobody", {"q": "Несуществующий"}))
    for _ in range(30):  # one to four filters at once, as the form sends them
        data: dict[str, str] = {}
        for key in rng.sample(["region", "facility", "status", "article", "sentence", "age",
                               "letters", "interest", "sort"], rng.randint(1, 4)):
            if key == "region" and choices.regions:
                data["region"] = rng.choice(choices.regions)
            elif key == "facility" and choices.facilities:
                data["facility"] = rng.choice(choices.facilities)
            elif key == "status" and choices.statuses:
                data["status"] = rng.choice(choices.statuses)[0]
            elif key == "article" and articles:
                data["article"] = rng.choice(articles)
            elif key == "sentence":
                data["sentence_min_years"] = str(rng.choice([1, 3, 5]))
                data["sentence_max_years"] = str(rng.choice([6, 10, 20]))
            elif key == "age":
                data["age_min"], data["age_max"] = rng.choice([("18", "30"), ("30", "50"),
                                                               ("50", "90")])
            elif key == "letters":
                data["letters"] = "on"
            elif key == "interest" and choices.interests:
                data["interest"] = rng.choice(choices.interests)
            elif key == "sort":
                data["sort"] = rng.choice(["age", "sentence", "region"])
        if rng.random() < 0.3:
            data["q"] = rng.choice(surnames)
        calls.append(("filters " + "+".join(sorted(data)), data))
    return calls


def with_language(code: str) -> None:
    from django.utils import translation

    translation.activate(code)


def run(calls: list[tuple[str, dict[str, str] | None]], rounds: int
        ) -> tuple[list[float], list[float], dict[str, float], dict[str, int]]:
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE="ru")
    client.cookies["django_language"] = "ru"

    def once(data: dict[str, str] | None) -> Any:
        response = (client.get("/prisoners/") if data is None
                    else client.post("/prisoners/", data))
        assert response.status_code == 200, response.status_code
        return response

    found = {}
    for label, data in calls:  # warm up, as a running server is
        body = once(data).content.decode()
        found[label] = body.count('class="card prisoner"')
    wall: list[float] = []
    cpu: list[float] = []
    worst: dict[str, float] = {}
    for _ in range(rounds):
        for label, data in calls:
            start, cpu_start = time.perf_counter(), time.process_time()
            once(data)
            elapsed = time.perf_counter() - start
            wall.append(elapsed)
            cpu.append(time.process_time() - cpu_start)
            worst[label] = max(worst.get(label, 0.0), elapsed * 1000)
    return wall, cpu, worst, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg-name", default="pompolit_public_bench")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--dir", help="SQLite: keep the database in this folder")
    parser.add_argument("--reuse", action="store_true",
                        help="measure a database made before (same --dir or --pg-name)")
    parser.add_argument("--profile", action="store_true",
                        help="also print cProfile's top functions over one round")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.dir) if args.dir else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        setup(folder, args.db, args.pg_name, reuse=args.reuse)
        from django.conf import settings
        from django.db import connection

        from pompolit.cases.models import Consent
        from pompolit.cases.synthetic import generate

        settings.ALLOWED_HOSTS = ["testserver"]
        unseal(folder, args.reuse)
        _worker, compartments = people()
        start = time.perf_counter()
        rng = random.Random(args.seed)
        if not args.reuse:
            generate(compartments, args.cases, seed=args.seed, batch_size=2500, today=TODAY,
                     progress=lambda line: print("  " + line, flush=True))
            publish_all(rng)
            settle()  # statistics and visibility map, as autovacuum gives
        published = Consent.objects.count()
        print(f"{connection.vendor}: {args.cases:,} cases, {published:,} consents in force, "
              f"made in {time.perf_counter() - start:.0f} s", flush=True)

        calls = requests(rng)
        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            run(calls, 1)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)
        wall, cpu, worst, found = run(calls, args.rounds)
        p = percentiles(wall)
        c = percentiles(cpu)
        print(f"/prisoners/ ({len(calls)} requests × {args.rounds}): wall p50 {p['p50']:.1f} ms, "
              f"p95 {p['p95']:.1f} ms, max {p['max']:.1f} ms; CPU p50 {c['p50']:.1f} ms, "
              f"p95 {c['p95']:.1f} ms")
        for kind in ("first page", "page", "name", "filters"):
            mine = [worst[label] for label, _ in calls if label.startswith(kind)]
            print(f"  {kind:<10} worst of each: median {statistics.median(mine):.0f} ms, "
                  f"max {max(mine):.0f} ms")
        slowest = sorted(worst.items(), key=lambda kv: -kv[1])[:5]
        print("  slowest: " + "; ".join(f"{label} {ms:.0f} ms ({found[label]} shown)"
                                        for label, ms in slowest))
        print(f"machine: {machine()}")
        if args.db == "postgres":
            connection.close()


if __name__ == "__main__":
    main()
