"""Free-text search benchmark: `python bench/notes_bench.py --cases 100000 --db sqlite|postgres`.

The notes, lawyers and events' places, summaries and sources are encrypted; search over them
goes through the keyed word index (`cases.fulltext`, `vault.wordindex`). This generates the
synthetic registry (`pompolit.cases.synthetic`, which encrypts and indexes as the services do)
with an unsealed vault, then measures, for a case worker who sees 7 of the 10 compartments:

- `fulltext.case_ids` alone (the index lookup) and `search.search_cases` (the whole search box:
  names, numbers, facilities and free text, the 50 best loaded) over free-text queries: one
  word, word forms, two and three words, rare and common words, words found nowhere;
- the size of the index (token rows per case).

`--dir`/`--pg-name` with `--reuse` measures a database generated before (the bench keeps the
vault's shares next to it — a bench database, never a real one).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from benchdb import setup, unseal  # noqa: E402
from cases_bench import TODAY, machine, measure, people, percentiles  # noqa: E402

QUERIES = [
    "голодовку", "голодовка", "обыск", "обыски", "изъяты телефоны", "ноутбук", "листовки",
    "допрос адвоката", "диета", "хронические заболевания", "письма", "словари", "этапы",
    "мать и сестра", "Омск", "районный суд", "СМИ", "английском", "книги по истории",
    "аэропорту", "инсулин", "стоматолог", "нет такого слова", "Kuznetsov",
]


def registry_arguments(description: str, *, cases: int) -> argparse.Namespace:
    """The options of the benches that build a registry (this one, name_search_bench)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--cases", type=int, default=cases)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg-name", default="pompolit_notes_bench")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--dir", help="keep the SQLite database (and the bench shares) here")
    parser.add_argument("--reuse", action="store_true")
    return parser.parse_args()


def main() -> None:
    args = registry_arguments(__doc__.split("\n")[0], cases=100_000)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.dir) if args.dir else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        setup(folder, args.db, args.pg_name, reuse=args.reuse)
        from django.db import connection

        from pompolit.cases.models import Case, CaseWord, Event
        from pompolit.cases.search import fulltext
        from pompolit.cases.search.services import search_cases
        from pompolit.cases.synthetic import generate

        unseal(folder, args.reuse)
        worker, compartments = people()
        start = time.perf_counter()
        if not args.reuse:
            generate(compartments, args.cases, seed=args.seed, batch_size=5000, today=TODAY,
                     progress=lambda line: print("  " + line, flush=True))
        cases, words = Case.objects.count(), CaseWord.objects.count()
        print(f"{connection.vendor}: {'generated' if not args.reuse else 'reused'} {cases:,} "
              f"cases, {Event.objects.count():,} events, {words:,} index tokens "
              f"({words / max(cases, 1):.0f} a case) in {time.perf_counter() - start:.0f} s",
              flush=True)

        seen = worker.compartment_ids()
        rng = random.Random(args.seed)
        queries = QUERIES[:]
        rng.shuffle(queries)
        for label, call in (
            ("index lookup (fulltext.case_ids, 200 at most)",
             lambda q: fulltext.case_ids(q, seen, 200)),
            ("whole search (search.search_cases, 50 loaded)",
             lambda q: search_cases(worker, q, today=TODAY)),
        ):
            samples, worst = measure(
                [(q, lambda q=q, call=call: call(q)) for q in queries], args.rounds)
            hits = {q: len(call(q)) for q in queries}
            p = percentiles(samples)
            print(f"{label} — {len(queries)} queries × {args.rounds}: p50 {p['p50']:.1f} ms, "
                  f"p95 {p['p95']:.1f} ms, p99 {p['p99']:.1f} ms, max {p['max']:.1f} ms")
            slowest = sorted(worst.items(), key=lambda kv: -kv[1])[:4]
            print("  slowest: " + ", ".join(f"{q!r} {ms:.0f} ms ({hits[q]} found)"
                                            for q, ms in slowest))
            print("  found nothing: " + ", ".join(repr(q) for q, n in hits.items() if not n))
        print(f"machine: {machine()}")
        if args.db == "postgres":
            connection.close()


if __name__ == "__main__":
    main()
