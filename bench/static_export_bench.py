"""Benchmark: `pompolit public export` of 5,000 published profiles and 24 monthly statements.

    .venv/bin/python bench/static_export_bench.py [--profiles 5000] [--months 24]
        [--donations-per-month 20] [--db sqlite|postgres] [--reuse]

Builds the data once (cases with a consent naming everything but the photo, donations with
receipts, a statement a month), then times the full export into an empty folder and the
re-export with nothing changed (which renders no profile page and draws no chart again, and
writes nothing). Prints wall time and the process's CPU time: the machine may be shared.
Without --reuse the database is new, so the full export draws the statements' charts afresh
(they are kept in the cache after: ledger/statements/charts.py).
"""

from __future__ import annotations

import argparse
import datetime
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchdb import setup, unseal
from cases_bench import approved, machine, people

SCOPE = ["name", "status", "charges", "sentence", "facility", "birthday", "interests", "story"]


def build(profiles: int, months: int, per_month: int, seed: int) -> None:
    from django.utils import timezone

    from pompolit.cases.models import Case, Consent
    from pompolit.ledger import services as ledger
    from pompolit.ledger.models import Fund
    from pompolit.ledger.statements import services as statements
    from pompolit.ledger.statements.models import Statement
    from pompolit.members.models import Member
    from pompolit.members.roles import Role
    from pompolit.tlog import services as tlog

    rng = random.Random(seed)
    _worker, compartments = people()
    # The registry as cases_bench.py makes it (synthetic people with events, charges and a
    # facility), then a consent naming everything but the photo for each, in bulk: opening
    # 5,000 cases one by one through the services takes longer than the export measured.
    if Case.objects.count() < profiles:
        from pompolit.cases.synthetic import generate

        generate(compartments, profiles - Case.objects.count(), seed=seed, batch_size=2500,
                 today=timezone.localdate(), progress=lambda line: print("  " + line))
    given_on = timezone.localdate() - datetime.timedelta(days=10)
    Consent.objects.bulk_create([
        Consent(case_id=pk, given_by="prisoner", given_on=given_on, scope=SCOPE,
                interests="книги, шахматы")
        for pk in Case.objects.filter(consents__isnull=True).values_list("pk", flat=True)
    ], batch_size=2000)
    treasurer = Member.objects.filter(pseudonym="bench-treasurer").first()
    if treasurer is None:
        treasurer = Member.objects.create_user("bench-treasurer", "bench-password-2026",
                                               vouched_at=timezone.now())
        approved("grant_role", {"member": treasurer.pk, "role": Role.TREASURER})
    if not Path(tlog._key_file()).exists():
        tlog.generate_signing_key()
    general = Fund.objects.get(code="general")
    first = datetime.date(2024, 1, 1)
    published = set(Statement.objects.values_list("period", flat=True))
    for m in range(months):
        start = datetime.date(first.year + (first.month - 1 + m) // 12,
                              (first.month - 1 + m) % 12 + 1, 1)
        period = start.strftime("%Y-%m")
        if period in published:
            continue
        for d in range(per_month):
            ledger.record_donation(treasurer, date=start + datetime.timedelta(days=d % 28),
                                   amount=ledger.money(str(rng.randint(100, 9000)), "RUB"),
                                   fund=general, channel="bank_transfer")
        statements.publish(treasurer, period, today=datetime.date(2026, 1, 15))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=5000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--donations-per-month", type=int, default=20)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--reuse", action="store_true", help="keep and reuse the bench data")
    parser.add_argument("--seed", type=int, default=1917)
    args = parser.parse_args()
    folder = Path(tempfile.gettempdir()) / "pompolit-static-export-bench"
    if not args.reuse:
        shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(exist_ok=True)
    vendor = setup(folder, args.db, "bench_static_export", reuse=args.reuse)
    unseal(folder, args.reuse)
    from django.test import override_settings

    with override_settings(POMPOLIT_LOG_KEY_FILE=folder / "log.key"):
        started = time.monotonic()
        build(args.profiles, args.months, args.donations_per_month, args.seed)
        print(f"data built in {time.monotonic() - started:.0f} s")
        from pompolit.public.static_export import export

        out = folder / "site"
        shutil.rmtree(out, ignore_errors=True)
        for label in ("full export", "re-export, nothing changed"):
            wall, cpu = time.monotonic(), time.process_time()
            written = export(out)
            print(f"{label}: {time.monotonic() - wall:.1f} s wall, "
                  f"{time.process_time() - cpu:.1f} s CPU; {len(written.added)} added, "
                  f"{len(written.changed)} changed, {written.unchanged} unchanged")
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"{args.profiles} profiles, {args.months} statements, "
          f"{args.months * args.donations_per_month} donations; {vendor}; "
          f"{size / 1e6:.0f} MB in {sum(1 for _ in out.rglob('*'))} files; {machine()}")


if __name__ == "__main__":
    main()
