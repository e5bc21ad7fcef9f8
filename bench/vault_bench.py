"""Vault benchmark: `python bench/vault_bench.py [--rows 100000]`.

Per-field encrypt/decrypt, a list page of 100 cases × 5 encrypted fields, and
`rotate --data` over N rows (rows per second, peak memory). A throwaway SQLite database in
a temporary folder; the vault unsealed in-process.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def setup(tmp: Path) -> None:
    os.environ["POMPOLIT_VAR_DIR"] = str(tmp)
    os.environ["POMPOLIT_DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ.pop("POMPOLIT_VAULT_SOCKET", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "pompolit.settings.test"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def timed(fn, repeat: int) -> float:
    samples = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(repeat):
            fn()
        samples.append((time.perf_counter() - start) / repeat)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup(Path(tmp))
        from pompolit.members.models import Member
        from pompolit.vault.emergency.models import EmergencyContact
        from pompolit.vault.fields import cipher
        from pompolit.vault.fields import services as field_services
        from pompolit.vault.keys import services

        issued = services.initialise(threshold=2, keyholders=["a", "b", "c"])
        services.submit_share(issued[0].text)
        services.submit_share(issued[1].text)

        text = "Мать: Ольга Петровна, Саратов, ул. Лесная 7, кв. 12; +7 912 345-67-89".encode()
        row = uuid.uuid4()
        place = {"table": "cases_case", "column": "notes", "row_id": row}
        ciphertext = cipher.encrypt_bytes(text, compartment_id=None, **place)
        enc = timed(lambda: cipher.encrypt_bytes(text, compartment_id=None, **place), 2000)
        dec = timed(lambda: cipher.decrypt_bytes(ciphertext, **place), 2000)

        page = [
            (uuid.uuid4(), column) for _ in range(100)
            for column in ("name", "birth_date", "facility", "relatives", "notes")
        ]
        stored = [
            (cipher.encrypt_bytes(text, table="cases_case", column=c, row_id=r,
                                  compartment_id=None), r, c)
            for r, c in page
        ]
        page_time = timed(
            lambda: [cipher.decrypt_bytes(v, table="cases_case", column=c, row_id=r)
                     for v, r, c in stored],
            20,
        )

        unusable = "!"
        members = Member.objects.bulk_create(
            [Member(pseudonym=f"m{i}", pseudonym_key=f"m{i}", password=unusable)
             for i in range(args.rows)],
            batch_size=5000,
        )
        start = time.perf_counter()
        for first in range(0, args.rows, 5000):
            EmergencyContact.objects.bulk_create(
                [EmergencyContact(member=m, contact="Мать, Саратов", phone=f"+7 900 {i:07d}")
                 for i, m in enumerate(members[first : first + 5000], start=first)]
            )
        seeded = time.perf_counter() - start
        tracemalloc.start()
        start = time.perf_counter()
        field_services.rotate_data(batch_size=1000)
        rotate_seconds = time.perf_counter() - start
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        assert field_services.verify_all()["failed"] == 0

    print("## Vault")
    print()
    print(f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}, {platform.system()} {platform.release()}; "
          f"date {time.strftime('%Y-%m-%d')}; SQLite, in-process agent. "
          "Command: `.venv/bin/python bench/vault_bench.py`.")
    print()
    print("| measure | result |")
    print("| --- | --- |")
    print(f"| encrypt one field ({len(text)} bytes, XChaCha20-Poly1305) | {enc * 1e6:.1f} µs |")
    print(f"| decrypt one field | {dec * 1e6:.1f} µs |")
    print(f"| list page: 100 cases × 5 encrypted fields | {page_time * 1e3:.2f} ms "
          f"(target < 10 ms) |")
    print(f"| seed {args.rows:,} rows × 2 encrypted fields + blind index | "
          f"{args.rows / seeded:,.0f} rows/s |")
    print(f"| `rotate --data` over {args.rows:,} rows (2 fields + blind index each) | "
          f"{rotate_seconds:.1f} s, {args.rows / rotate_seconds:,.0f} rows/s |")
    print(f"| peak memory during rotation | {peak / 2**20:.1f} MiB Python heap "
          f"(tracemalloc), {maxrss_mb:.0f} MiB max RSS of the process |")


if __name__ == "__main__":
    main()
