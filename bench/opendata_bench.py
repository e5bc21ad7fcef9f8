"""Open data benchmark: `python bench/opendata_bench.py --cases 5000 --published 2000`.

Builds a synthetic registry (cases/synthetic.py), publishes a share of it with a consent naming
every public field, and times `public.opendata.build` (the whole export: both projections of
every published case, the JSON and CSV files, the hotline's counts, the signed manifest) —
what a cache miss on /prisoners/data/ costs, and what the static export pays each run.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from benchdb import setup  # noqa: E402
from cases_bench import TODAY, machine, people  # noqa: E402
from notes_bench import registry_arguments, unseal  # noqa: E402

SCOPE = ["name", "status", "charges", "sentence", "facility", "birthday", "interests", "story"]


def main() -> None:
    sys.argv, published = _published(sys.argv)
    args = registry_arguments(__doc__.split("\n")[0], cases=5000)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.dir) if args.dir else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        setup(folder, args.db, args.pg_name, reuse=args.reuse)
        from django.conf import settings

        from pompolit.cases.models import Case, Consent
        from pompolit.cases.synthetic import generate
        from pompolit.public import opendata
        from pompolit.tlog import services as tlog

        settings.POMPOLIT_LOG_KEY_FILE = folder / "bench-log.key"
        if not settings.POMPOLIT_LOG_KEY_FILE.exists():
            tlog.generate_signing_key()
        unseal(folder, args.reuse)
        worker, compartments = people()
        if not args.reuse:
            generate(compartments, args.cases, seed=args.seed, batch_size=5000, today=TODAY,
                     progress=lambda line: print("  " + line, flush=True))
            chosen = Case.objects.order_by("public_id").values_list("pk", flat=True)[:published]
            Consent.objects.bulk_create(
                Consent(case_id=pk, given_by="prisoner", given_on=TODAY, scope=SCOPE,
                        interests="история, шахматы, письма", recorded_by=worker,
                        story_ru="Арестован за антивоенные посты.",
                        story_en="Arrested for anti-war posts.")
                for pk in chosen)
        cases = Case.objects.count()
        listed = Consent.objects.filter(withdrawn=False).values("case").distinct().count()
        opendata.build(TODAY)  # warm: imports, the key, the statuses' labels
        walls, cpus = [], []
        for _ in range(args.rounds):
            start, cpu = time.perf_counter(), time.process_time()
            built = opendata.build(TODAY)
            walls.append(time.perf_counter() - start)
            cpus.append(time.process_time() - cpu)
        sizes = ", ".join(f"{name} {len(data) / 1024:.0f} KiB" for name, data in built.items()
                          if name in ("prisoners.json", "prisoners.csv", "counts.json"))
        print(f"opendata.build: {cases:,} cases, {listed:,} published — median wall "
              f"{sorted(walls)[len(walls) // 2] * 1000:.0f} ms, median CPU "
              f"{sorted(cpus)[len(cpus) // 2] * 1000:.0f} ms, max wall {max(walls) * 1000:.0f} "
              f"ms over {args.rounds} rounds; {sizes}")
        print(f"same bytes every round: {built == opendata.build(TODAY)}")
        print(f"machine: {machine()}")


def _published(argv: list[str]) -> tuple[list[str], int]:
    """--published N (how many cases get a consent), taken out before the shared options."""
    if "--published" in argv:
        at = argv.index("--published")
        return argv[:at] + argv[at + 2:], int(argv[at + 1])
    return argv, 2000


if __name__ == "__main__":
    main()
