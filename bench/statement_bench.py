"""Statements benchmark: a year of books, 100,000 or 1,000,000 transactions, on SQLite and
PostgreSQL, against beancount on the same books.

    .venv/bin/python bench/statement_bench.py [--n 100000] [--pg postgres://…/postgres]
                                              [--no-pg] [--no-write]

What is generated and how, what is timed and what the generator bypasses: see INTRO below
(it is written to docs/benchmarks.md under "## Statements", with one subsection per size).
Steps (each in its own process, for its own peak memory): seed (and the beancount export),
figures (`statements.compute_figures`, best of 3), publish (`statements.publish`), write
(the streamed download), verify (`pompolit-verify statement`), donations
(`services.record_donation`).
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DOC = ROOT / "docs" / "benchmarks.md"
SEED = 20251231
YEAR = 2025
CURRENCIES = {"RUB": 1, "EUR": 95, "USD": 88}  # rough rate, to size amounts
FUNDS = [("general", "unrestricted", ""), ("lawyers", "purpose", "expenses:legal"),
         ("parcels", "purpose", "expenses:parcels"), ("transfers", "purpose",
                                                      "expenses:transfers"),
         ("case-17", "case", "")]
CAMPAIGNS = ["appeal-2025", "winter-parcels", "letters"]
CHANNELS = {"bank_transfer": "assets:bank", "cash": "assets:cash",
            "card": "assets:card-processor", "crypto": "assets:crypto",
            "foreign_chapter": "assets:foreign-chapters"}
EXPENSES = {"general": "expenses:bank-fees", "lawyers": "expenses:legal",
            "parcels": "expenses:parcels", "transfers": "expenses:transfers",
            "case-17": "expenses:parcels"}


@dataclass(frozen=True)
class Tx:
    date: datetime.date
    kind: str
    postings: list[tuple[str, str, int, str]]  # account, fund, units (cents), currency
    channel: str | None = None
    campaign: str | None = None


def synthetic(n: int) -> Iterator[Tx]:
    rng = random.Random(SEED)
    start = datetime.date(YEAR, 1, 1)
    for i in range(n):
        date = start + datetime.timedelta(days=i * 365 // n)
        roll = rng.random()
        currency = rng.choices(list(CURRENCIES), weights=[6, 3, 1])[0]
        scale = 100 // CURRENCIES[currency] or 1
        fund = rng.choice(FUNDS)[0]
        if roll < 0.72:
            channel = rng.choice(list(CHANNELS))
            units = rng.randint(1, 500) * scale * 100
            yield Tx(date, "donation", [(CHANNELS[channel], fund, units, currency),
                                        ("income:donations", fund, -units, currency)],
                     channel, rng.choice([*CAMPAIGNS, None, None]))
        elif roll < 0.90:
            units = rng.randint(1, 150) * scale * 100  # less than comes in: no fund goes short
            yield Tx(date, "expense", [(EXPENSES[fund], fund, units, currency),
                                       ("assets:bank", fund, -units, currency)])
        elif roll < 0.95:
            units = rng.randint(10, 100) * 100
            yield Tx(date, "exchange", [
                ("assets:bank", "general", -units * 95, "RUB"),
                ("trading:rub", "general", units * 95, "RUB"),
                ("trading:eur", "general", -units, "EUR"),
                ("assets:bank", "general", units, "EUR")])
        else:
            units = rng.randint(1, 100) * 100
            target = rng.choice(FUNDS[1:])[0]
            yield Tx(date, "transfer", [
                ("assets:bank", "general", -units, "RUB"),
                ("net-assets:interfund", "general", units, "RUB"),
                ("net-assets:interfund", target, -units, "RUB"),
                ("assets:bank", target, units, "RUB")])


# -- Django side ------------------------------------------------------------------------------


def setup_django(tmp: Path, url: str) -> None:
    os.environ["POMPOLIT_VAR_DIR"] = str(tmp)
    os.environ["POMPOLIT_DATABASE_URL"] = url
    os.environ.pop("POMPOLIT_VAULT_SOCKET", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "pompolit.settings.test"
    import django

    django.setup()


def seed(n: int) -> float:
    from decimal import Decimal

    from django.db import transaction

    from pompolit.ledger import leaf, services
    from pompolit.ledger.models import (
        Account,
        AccountType,
        Campaign,
        Donation,
        Entry,
        ExchangeRate,
        Fund,
        Posting,
    )
    from pompolit.tlog import services as tlog

    started = time.perf_counter()
    for code, kind, purpose in FUNDS:
        if code != "general":
            Fund.objects.create(code=code, name=code, kind=kind, purpose=purpose,
                                case_ref="17" if kind == "case" else "")
    for code in ("rub", "eur"):
        Account.objects.get_or_create(code=f"trading:{code}", defaults={
            "name": code, "type": AccountType.NET_ASSETS, "is_trading": True})
    for code in CAMPAIGNS:
        Campaign.objects.create(code=code, name=code, currency_id="RUB",
                                starts_on=datetime.date(YEAR, 1, 1))
    day = datetime.date(YEAR, 1, 1)
    ExchangeRate.objects.bulk_create(
        ExchangeRate(on=day + datetime.timedelta(days=d), currency_id=code, base_id="RUB",
                     rate=Decimal(CURRENCIES[code]) + Decimal(d % 7) / 10)
        for d in range(365) for code in ("EUR", "USD"))
    accounts = {a.code: a.pk for a in Account.objects.all()}
    funds = {f.code: f.pk for f in Fund.objects.all()}
    campaigns = {c.code: c.pk for c in Campaign.objects.all()}
    tlog.get_log("ledger")
    rng = random.Random(SEED + 1)
    batch: list[Tx] = []

    def flush(first: int) -> None:
        with transaction.atomic():
            entries = Entry.objects.bulk_create(
                Entry(date=tx.date, kind=tx.kind, granularity="month", leaf_index=first + i)
                for i, tx in enumerate(batch))
            postings, donations, leaves = [], [], []
            for entry, tx in zip(entries, batch, strict=True):
                receipt = None
                if tx.kind == "donation":
                    receipt = f"{rng.getrandbits(256):064x}"
                    _account, fund, units, currency = tx.postings[0]
                    donations.append(Donation(
                        entry=entry, channel=tx.channel or "", fund_id=funds[fund],
                        campaign_id=campaigns.get(tx.campaign or ""), currency_id=currency,
                        units=units, receipt_id=receipt))
                postings += [Posting(entry=entry, account_id=accounts[a], fund_id=funds[f],
                                     currency_id=c, units=u) for a, f, u, c in tx.postings]
                leaves.append(leaf.encode(leaf.PublicEntry(
                    date=tx.date, granularity="month", kind=tx.kind,
                    postings=[leaf.PublicPosting(a, f, u, c, 2) for a, f, u, c in tx.postings],
                    receipt=receipt, channel=tx.channel, campaign=tx.campaign)))
            Posting.objects.bulk_create(postings, batch_size=5000)
            Donation.objects.bulk_create(donations, batch_size=5000)
            tlog.append("ledger", leaves)

    count = 0
    for tx in synthetic(n):
        batch.append(tx)
        if len(batch) >= 5000:
            flush(count)
            count += len(batch)
            batch = []
    if batch:
        flush(count)
    del services
    return time.perf_counter() - started


def analyse() -> None:
    """Fresh statistics after the bulk load, as autovacuum (or `pompolit` after an import)
    would have them: without, PostgreSQL plans the figures for an empty table."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def step_seed(n: int, tmp: Path) -> dict[str, object]:
    from django.core.management import call_command
    from django.db import connection

    from pompolit.tlog import services as tlog

    call_command("migrate", verbosity=0)
    tlog.generate_signing_key()
    seconds = seed(n)
    analyse()
    result: dict[str, object] = {"seed": seconds}
    if connection.vendor == "sqlite":  # once is enough: the books are the same
        from pompolit.ledger import beancount_export

        started = time.perf_counter()
        with (tmp / "books.beancount").open("w", encoding="utf-8") as out:
            beancount_export.export(out)
        result["export"] = time.perf_counter() - started
    return result


def step_figures(n: int, tmp: Path) -> dict[str, object]:
    from pompolit.ledger.statements import services as statements

    period = statements.parse_period(f"{YEAR}")
    times = []
    for _ in range(3):
        started = time.perf_counter()
        statements.compute_figures(period, n)
        times.append(time.perf_counter() - started)
    return {"figures": min(times), "figures_mb": peak_mb()}


def step_publish(n: int, tmp: Path) -> dict[str, object]:
    from pompolit.ledger.statements import services as statements

    started = time.perf_counter()
    statements.publish(None, f"{YEAR}", today=datetime.date(YEAR + 1, 1, 2))
    return {"publish": time.perf_counter() - started, "publish_mb": peak_mb()}


def step_write(n: int, tmp: Path) -> dict[str, object]:
    """The download as the web page streams it (the same chunks, written to a file)."""
    from pompolit.ledger.models import Statement
    from pompolit.ledger.statements import services as statements

    statement = Statement.objects.select_related("checkpoint").get(period=f"{YEAR}")
    bundle = tmp / "statement.json"
    digest = hashlib.sha256()
    started = time.perf_counter()
    with bundle.open("wb") as out:
        for chunk in statements.encoded_chunks(statements.bundle_parts(statement)):
            digest.update(chunk)
            out.write(chunk)
    seconds = time.perf_counter() - started
    assert digest.hexdigest() == statement.sha256
    return {"write": seconds, "write_mb": peak_mb(), "bundle_mb": bundle.stat().st_size / 1e6}


def step_donations(n: int, tmp: Path) -> dict[str, object]:
    from pompolit.ledger import services
    from pompolit.ledger.models import Fund

    general = Fund.objects.get(code="general")
    donations = 300
    started = time.perf_counter()
    for i in range(donations):
        services.record_donation(None, date=datetime.date(YEAR + 1, 1, 3),
                                 amount=services.money(str(100 + i), "RUB"), fund=general,
                                 channel="bank_transfer")
    return {"donations_per_second": donations / (time.perf_counter() - started)}


VERIFY_RUN = """
import sys, time, resource
from pompolit.transparency.cli import main
started = time.perf_counter()
try:
    main(["statement", sys.argv[1], "--vkey", sys.argv[2]])
except SystemExit as done:
    assert not done.code, done.code
print(time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def step_verify(n: int, tmp: Path) -> dict[str, object]:
    from pompolit.tlog import services as tlog

    started = time.perf_counter()
    result = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "-c", VERIFY_RUN, str(tmp / "statement.json"),
         tlog.verifier_key()], capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if result.returncode:
        raise SystemExit(result.stderr[-2000:])
    _inside, rss = result.stdout.split()[-2:]
    return {"verify": seconds, "verify_mb": float(rss)}


STEPS: dict[str, Callable[[int, Path], dict[str, object]]] = {
    "seed": step_seed, "figures": step_figures, "publish": step_publish, "write": step_write,
    "verify": step_verify, "donations": step_donations,
}


def measure_database(name: str, url: str, n: int, tmp: Path) -> dict[str, object]:
    """Each step in a process of its own, so that its peak memory is its own."""
    row: dict[str, object] = {"database": name}
    for step in STEPS:
        args = [sys.executable, __file__, "--n", str(n), "--database", name, url,
                "--step", step, "--tmp", str(tmp)]
        done = subprocess.run(args, capture_output=True, text=True, check=False)
        if done.returncode:
            sys.exit(f"{name} {step}: {done.stderr[-3000:]}")
        row.update(json.loads(done.stdout.strip().splitlines()[-1]))
        print(name, step, row, flush=True)
    return row


# -- beancount --------------------------------------------------------------------------------


BEANCOUNT_RUN = """
import sys, time, resource
from beancount import loader
from beancount.core import realization
started = time.perf_counter()
entries, errors, options = loader.load_file(sys.argv[1])
tree = realization.realize(entries)
balances = {a.account: a.balance for a in realization.iter_children(tree)}
seconds = time.perf_counter() - started
assert not errors, errors[:3]
print(seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, len(balances))
"""


def measure_beancount(tmp: Path) -> dict[str, float]:
    """Beancount loads and balances the books exported by `pompolit ledger export`."""
    result = subprocess.run([sys.executable, "-c", BEANCOUNT_RUN, str(tmp / "books.beancount")],
                            capture_output=True, text=True, check=True)
    seconds, rss, _accounts = result.stdout.split()
    return {"seconds": float(seconds), "rss_mb": float(rss)}


# -- report -----------------------------------------------------------------------------------


def machine() -> str:
    today = datetime.datetime.now(datetime.UTC).date()
    return (f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}; date {today}")


INTRO = """## Statements

Command: `.venv/bin/python bench/statement_bench.py --n 100000` (and `--n 1000000`). Books:
transactions over 2025 with a fixed seed — three currencies (RUB, EUR, USD), five funds,
three campaigns, daily EUR and USD rates; 72 % donations, 18 % expenses, 5 % exchanges, 5 %
transfers between funds. Each step runs in a process of its own, so "peak memory" is that
step's own maximum resident set size (a Django process starts at about 80 MB).

How the books are made: the generator writes entries, postings and donations straight into
their tables with `bulk_create` (5,000 at a time) and appends each entry's leaf — the real
`ledger.leaf.encode` of its public projection — to the `ledger` log with `tlog.append`, so
the log is a valid, signed Merkle log whose leaf *i* is entry *i*, and the published bundle
verifies. It bypasses `services.post_entry`: the checks (balance, restricted funds, closed
periods — the synthetic entries satisfy them by construction), the `FundBalance` rows, the
audit entries and the one-transaction-per-entry commit. None of those is read by what is
timed here: the figures are computed from `Posting` and `Entry` (plus `Donation` for
campaigns and channels) and the bundle from the log. Posting through the service is
measured by the last line (donations per second). Then `ANALYZE`, as autovacuum would.

Beancount loads and balances (`loader.load_file`, then `realization.realize`, in its own
process) the same books exported by `pompolit ledger export --format beancount`
(`ledger/beancount_export.py`; with its metadata: leaf, kind, channel, campaign). The
download is written as the web page streams it (`encoded_chunks(bundle_parts(…))`); its
peak memory shows the stream is flat in the number of leaves. The verifier's time includes
starting Python and reading the whole bundle (it holds every leaf in memory).
"""


def report(n: int, rows: list[dict[str, object]], bean: dict[str, float]) -> str:
    out = [f"### {n:,} transactions", "",
           f"Machine: {machine()}.", "",
           "| measure | " + " | ".join(str(r["database"]) for r in rows) + " |",
           "| --- |" + " --- |" * len(rows)]

    def line(label: str, key: str, fmt: str) -> None:
        out.append(f"| {label} | " + " | ".join(fmt.format(r[key]) for r in rows) + " |")

    line("generating the books (bulk, see above)", "seed", "{:.0f} s")
    line("full statement of the year: every figure, in the database", "figures", "{:.2f} s")
    line("… its peak memory", "figures_mb", "{:.0f} MB")
    line("`publish` as a whole (checkpoint, figures, hashing the bundle)", "publish",
         "{:.2f} s")
    line("… its peak memory", "publish_mb", "{:.0f} MB")
    line("streaming the bundle (the download)", "write", "{:.2f} s")
    line("… its peak memory", "write_mb", "{:.0f} MB")
    line("bundle size", "bundle_mb", "{:.1f} MB")
    line("`pompolit-verify statement` (new process, every figure recomputed)", "verify",
         "{:.2f} s")
    line("… its peak memory", "verify_mb", "{:.0f} MB")
    line("recording a donation through the service", "donations_per_second", "{:.0f} /s")
    ratio = [bean["seconds"] / float(r["figures"]) for r in rows]  # type: ignore[arg-type]
    out += [f"| beancount {_beancount_version()}: load and balance the same books | "
            + " | ".join(f"{bean['seconds']:.2f} s, {bean['rss_mb']:.0f} MB peak"
                         for _ in rows) + " |",
            "| statement speed-up against beancount (target ≥ 15×) | "
            + " | ".join(f"{x:.0f}×" for x in ratio) + " |", ""]
    return "\n".join(out)


def _beancount_version() -> str:
    try:
        import beancount

        return str(beancount.__version__)
    except ImportError:
        return "(not installed)"


def write_doc(section: str, n: int) -> None:
    """Replace this size's subsection of "## Statements" (and the section's introduction),
    keeping the other sizes' results."""
    text = DOC.read_text(encoding="utf-8")
    head, found, rest = text.partition("## Statements")
    body, more, tail = rest.partition("\n## ")
    kept = {}
    for part in ("\n" + body).split("\n### ")[1:]:
        kept[part.split(" ", 1)[0]] = "### " + part.rstrip("\n") + "\n"
    kept[f"{n:,}"] = section
    sizes = sorted(kept, key=lambda size: int(size.replace(",", "")))
    new = INTRO + "\n" + "\n".join(kept[size] for size in sizes)
    if found:
        text = head + new + (("\n## " + tail) if more else "")
    else:
        text = text.rstrip("\n") + "\n\n" + new
    DOC.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/postgres",
                        help="a PostgreSQL server to create the bench_statements database on")
    parser.add_argument("--no-pg", action="store_true")
    parser.add_argument("--no-write", action="store_true")
    # One step on one database per process: Django is set up once per process.
    parser.add_argument("--database", nargs=2, metavar=("NAME", "URL"), help=argparse.SUPPRESS)
    parser.add_argument("--step", choices=STEPS, help=argparse.SUPPRESS)
    parser.add_argument("--tmp", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        setup_django(args.tmp, args.database[1])
        print(json.dumps(STEPS[args.step](args.n, args.tmp)))
        return
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        rows = []
        targets = [("SQLite", f"sqlite:///{tmp / 'bench.sqlite3'}")]
        if not args.no_pg:
            targets.append(("PostgreSQL", args.pg.rsplit("/", 1)[0] + "/bench_statements"))
        for name, url in targets:
            if name == "PostgreSQL":
                import psycopg

                with psycopg.connect(args.pg, autocommit=True) as pg:
                    pg.execute("DROP DATABASE IF EXISTS bench_statements")
                    pg.execute("CREATE DATABASE bench_statements")
            # Each database signs with a key of its own.
            (tmp / "log-signing.key").unlink(missing_ok=True)
            rows.append(measure_database(name, url, args.n, tmp))
            if name == "SQLite":
                (tmp / "bench.sqlite3").unlink()
        bean = measure_beancount(tmp)
        print(bean, flush=True)
    section = report(args.n, rows, bean)
    print(section)
    if not args.no_write:
        write_doc(section, args.n)


if __name__ == "__main__":
    main()
