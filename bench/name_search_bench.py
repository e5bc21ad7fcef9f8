"""Name search benchmark (issue 14): `python bench/name_search_bench.py --dir DIR --reuse`.

Measures `search.search_cases` on a synthetic registry made by `bench/notes_bench.py` (same
`--dir`/`--pg-name`; without `--reuse` it generates one with `--cases`), for a case worker who
sees 7 of the 10 compartments, over two sets of queries:

- the search box's usual mix (`cases_bench.name_queries`: Cyrillic names and their case forms,
  passport, French, German and scholarly Latin, other peoples, case numbers, free text);
- spellings of the registry's common surnames in the other families of issue 14 (Belarusian and
  Ukrainian Cyrillic and Latin, Polish, German), which the keys alone do not all find and the
  fuzzy fallback does.

Run the same script from an older checkout on the same database to compare (the database
keeps the keys of the code that generated or migrated it).
"""

from __future__ import annotations

import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from benchdb import setup  # noqa: E402
from cases_bench import (  # noqa: E402
    CPU_SAMPLES,
    TODAY,
    machine,
    measure,
    name_queries,
    people,
    percentiles,
)
from notes_bench import registry_arguments, unseal  # noqa: E402

FAMILIES = [
    "Кузняцоў",
    "Kuzniacou",
    "Kuzniecow",
    "Іваноў",
    "Ivanou",
    "Iwanow",
    "Ivanoff",
    "Смірноў",
    "Smirnou",
    "Marozau",
    "Марозаў",
    "Szewczuk",
    "Szmidt",
    "Lebiediew",
    "Салаўёў",
    "Salaviou",
    "Sołowjow",
    "Czernyszow",
    "Чарнышоў",
    "Kowalow",
    "Kavalou",
    "Hryhorenko",
    "Popowa",
    "Papova",
    "Bielova",
]


def main() -> None:
    args = registry_arguments(__doc__.split("\n")[0], cases=20_000)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.dir) if args.dir else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        setup(folder, args.db, args.pg_name, reuse=args.reuse)
        from django.db import connection

        from pompolit.cases.models import Case, NameKey
        from pompolit.cases.search.services import search_cases
        from pompolit.cases.synthetic import generate

        unseal(folder, args.reuse)
        worker, compartments = people()
        if not args.reuse:
            generate(
                compartments,
                args.cases,
                seed=args.seed,
                batch_size=5000,
                today=TODAY,
                progress=lambda line: print("  " + line, flush=True),
            )
        print(
            f"{connection.vendor}: {Case.objects.count():,} cases, "
            f"{NameKey.objects.count():,} name keys",
            flush=True,
        )
        rng = random.Random(args.seed)
        for label, queries in (
            ("usual mix", name_queries(rng, worker)),
            ("other families", FAMILIES),
        ):
            samples, worst = measure(
                [(q, lambda q=q: search_cases(worker, q, today=TODAY)) for q in queries],
                args.rounds,
            )
            cpu = percentiles(CPU_SAMPLES)
            hits = {q: len(search_cases(worker, q, today=TODAY)) for q in queries}
            p = percentiles(samples)
            print(
                f"{label} — {len(queries)} queries × {args.rounds}: p50 {p['p50']:.1f} ms, "
                f"p95 {p['p95']:.1f} ms, p99 {p['p99']:.1f} ms, max {p['max']:.1f} ms; "
                f"CPU time p50 {cpu['p50']:.1f} ms, p95 {cpu['p95']:.1f} ms"
            )
            slowest = sorted(worst.items(), key=lambda kv: -kv[1])[:4]
            print(
                "  slowest: "
                + ", ".join(f"{q!r} {ms:.0f} ms ({hits[q]} found)" for q, ms in slowest)
            )
            found = sum(1 for n in hits.values() if n)
            print(
                f"  found something for {found} of {len(queries)}; nothing for: "
                + ", ".join(repr(q) for q, n in hits.items() if not n)
            )
        print(f"machine: {machine()}")
        if args.db == "postgres":
            connection.close()


if __name__ == "__main__":
    main()
