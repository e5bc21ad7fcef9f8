"""Statements benchmark: a year of books, 100,000 transactions, on SQLite and PostgreSQL.

    .venv/bin/python bench/statement_bench.py [--n 100000] [--pg postgres://…/postgres]
                                              [--no-write]

The synthetic books (fixed seed): three currencies (RUB, EUR, USD), five funds, three
campaigns, daily EUR and USD rates; 72 % donations, 18 % expenses, 5 % exchanges, 5 %
transfers between funds, spread over 2025. They are written straight into the tables and
the ledger log (the posting service's checks are measured by the donation throughput line,
not here). Then, on each database:

- the full statement of the year (every balance, income and expense breakdown, in the
  database): `statements.compute_figures`, and `statements.publish` as a whole (signing
  a checkpoint and hashing the whole bundle included);
- `pompolit-verify statement` on the published bundle, as a critic runs it (a new process);
- recording donations through `services.record_donation` (checks, posting, log, commit).

Beancount (installed into the venv for the benchmark only) loads and balances the same
books exported here in its syntax by this script (Pompolit's own beancount export is not
written yet): one account per fund under each account, the same trading accounts, the
same daily prices. Its time and memory are measured in a separate process.
Results go to docs/benchmarks.md under "## Statements".
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
from collections.abc import Iterator
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
                        entry=entry, channel=tx.channel, fund_id=funds[fund],
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


def measure_database(name: str, url: str, n: int, tmp: Path) -> dict[str, object]:
    from django.core.management import call_command
    from django.db import connection

    from pompolit.ledger import services, statements
    from pompolit.ledger.models import Fund
    from pompolit.tlog import services as tlog

    call_command("migrate", verbosity=0)
    tlog.generate_signing_key()
    seconds_seed = seed(n)
    period = statements.parse_period(f"{YEAR}")
    size = n
    times = []
    for _ in range(3):
        started = time.perf_counter()
        statements.compute_figures(period, size)
        times.append(time.perf_counter() - started)
    started = time.perf_counter()
    statement = statements.publish(None, f"{YEAR}", today=datetime.date(YEAR + 1, 1, 2))
    publish_seconds = time.perf_counter() - started
    bundle = tmp / f"statement-{name}.json"
    started = time.perf_counter()
    with bundle.open("w", encoding="utf-8", newline="") as out:
        statements.write_bundle(statement, out)
    write_seconds = time.perf_counter() - started
    assert hashlib.sha256(bundle.read_bytes()).hexdigest() == statement.sha256
    vkey = tlog.verifier_key()
    started = time.perf_counter()
    result = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "pompolit-verify"), "statement", str(bundle),
         "--vkey", vkey, "--json"], capture_output=True, text=True, check=False)
    verify_seconds = time.perf_counter() - started
    report = json.loads(result.stdout)
    assert report["verified"], report["error"]
    general = Fund.objects.get(code="general")
    donations = 300
    started = time.perf_counter()
    for i in range(donations):
        services.record_donation(None, date=datetime.date(YEAR + 1, 1, 3),
                                 amount=services.money(str(100 + i), "RUB"), fund=general,
                                 channel="bank_transfer")
    throughput = donations / (time.perf_counter() - started)
    return {
        "database": f"{name} ({connection.vendor})",
        "seed": seconds_seed,
        "figures": min(times),
        "publish": publish_seconds,
        "write": write_seconds,
        "bundle_mb": bundle.stat().st_size / 1e6,
        "verify": verify_seconds,
        "donations_per_second": throughput,
    }


# -- beancount --------------------------------------------------------------------------------


def beancount_name(code: str, fund: str | None = None) -> str:
    parts = [p.replace("-", " ").title().replace(" ", "") for p in code.split(":")]
    parts[0] = {"Assets": "Assets", "Liabilities": "Liabilities", "Income": "Income",
                "Expenses": "Expenses", "NetAssets": "Equity", "Trading": "Equity:Trading"}[
        parts[0]]
    if fund:
        parts.append(fund.replace("-", " ").title().replace(" ", ""))
    return ":".join(parts)


def write_beancount(path: Path, n: int) -> None:
    accounts: set[str] = set()
    lines: list[str] = []
    for tx in synthetic(n):
        lines.append(f'{tx.date} * "{tx.kind}"')
        for account, fund, units, currency in tx.postings:
            name = beancount_name(account, fund)
            accounts.add(name)
            sign = "-" if units < 0 else ""
            lines.append(f"  {name}  {sign}{abs(units) // 100}.{abs(units) % 100:02d} "
                         f"{currency}")
    head = ['option "operating_currency" "RUB"']
    head += [f"{YEAR}-01-01 open {name}" for name in sorted(accounts)]
    day = datetime.date(YEAR, 1, 1)
    head += [f"{day + datetime.timedelta(days=d)} price {code} "
             f"{CURRENCIES[code] + (d % 7) / 10:.1f} RUB"
             for d in range(365) for code in ("EUR", "USD")]
    path.write_text("\n".join(head + lines) + "\n", encoding="utf-8")


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


def measure_beancount(tmp: Path, n: int) -> dict[str, float]:
    path = tmp / "books.beancount"
    write_beancount(path, n)
    result = subprocess.run([sys.executable, "-c", BEANCOUNT_RUN, str(path)],
                            capture_output=True, text=True, check=True)
    seconds, rss, _accounts = result.stdout.split()
    return {"seconds": float(seconds), "rss_mb": float(rss)}


# -- report -----------------------------------------------------------------------------------


def machine() -> str:
    today = datetime.datetime.now(datetime.UTC).date()
    return (f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}; date {today}")


def report(n: int, rows: list[dict[str, object]], bean: dict[str, float]) -> str:
    out = ["## Statements", "",
           f"Machine: {machine()}. Command: `.venv/bin/python bench/statement_bench.py "
           f"--n {n}`. Books: {n:,} transactions over {YEAR} (three currencies, five funds, "
           "daily rates), written straight into the tables and the ledger log.", "",
           "| measure | " + " | ".join(str(r["database"]) for r in rows) + " |",
           "| --- |" + " --- |" * len(rows)]

    def line(label: str, key: str, fmt: str) -> None:
        out.append(f"| {label} | " + " | ".join(fmt.format(r[key]) for r in rows) + " |")

    line("full statement of the year: every figure, in the database", "figures", "{:.2f} s")
    line("`publish` as a whole (checkpoint, figures, hashing the bundle)", "publish", "{:.2f} s")
    line("writing the bundle", "write", "{:.2f} s")
    line("bundle size", "bundle_mb", "{:.1f} MB")
    line("`pompolit-verify statement` (new process, every figure recomputed)", "verify",
         "{:.2f} s (target < 5 s)")
    line("recording a donation through the service", "donations_per_second", "{:.0f} /s")
    ratio = [bean["seconds"] / float(r["figures"]) for r in rows]  # type: ignore[arg-type]
    out += [f"| beancount {_beancount_version()}: load and balance the same books | "
            + " | ".join(f"{bean['seconds']:.2f} s, {bean['rss_mb']:.0f} MB max RSS"
                         for _ in rows) + " |",
            "| statement speed-up against beancount (target ≥ 15×) | "
            + " | ".join(f"{x:.0f}×" for x in ratio) + " |", "",
            "Beancount reads a file this script writes in its syntax from the same synthetic "
            "transactions (Pompolit's beancount export, issue 6 item 9, does not exist yet): an "
            "account per fund under each account (`Assets:Bank:Lawyers`), the same trading "
            "accounts under `Equity:Trading`, and a `price` directive per currency and day. "
            "It runs in its own process (`loader.load_file` then `realization.realize`). "
            "The verifier's time includes starting Python and reading the whole bundle.", ""]
    return "\n".join(out)


def _beancount_version() -> str:
    try:
        import beancount

        return str(beancount.__version__)
    except ImportError:
        return "(not installed)"


def write_doc(section: str) -> None:
    text = DOC.read_text(encoding="utf-8")
    if "## Statements" in text:
        head, _, rest = text.partition("## Statements")
        tail = rest.partition("\n## ")
        text = head + section + (("\n## " + tail[2]) if tail[1] else "\n")
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    DOC.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/postgres",
                        help="a PostgreSQL server to create the bench_statements database on")
    parser.add_argument("--no-pg", action="store_true")
    parser.add_argument("--no-write", action="store_true")
    # One database per process: Django is set up once per process.
    parser.add_argument("--database", nargs=2, metavar=("NAME", "URL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        if args.database:
            setup_django(tmp, args.database[1])
            print(json.dumps(measure_database(args.database[0], args.database[1], args.n, tmp)))
            return
        targets = [("SQLite", f"sqlite:///{tmp / 'bench.sqlite3'}")]
        if not args.no_pg:
            import psycopg

            with psycopg.connect(args.pg, autocommit=True) as pg:
                pg.execute("DROP DATABASE IF EXISTS bench_statements")
                pg.execute("CREATE DATABASE bench_statements")
            targets.append(("PostgreSQL", args.pg.rsplit("/", 1)[0] + "/bench_statements"))
        rows = []
        for name, url in targets:
            done = subprocess.run(
                [sys.executable, __file__, "--n", str(args.n), "--database", name, url],
                capture_output=True, text=True, check=False)
            if done.returncode:
                sys.exit(done.stderr)
            rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
            print(rows[-1], flush=True)
        bean = measure_beancount(tmp, args.n)
        print(bean, flush=True)
    section = report(args.n, rows, bean)
    print(section)
    print(f"max RSS of this process: "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    if not args.no_write:
        write_doc(section)


if __name__ == "__main__":
    main()
