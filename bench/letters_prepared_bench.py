"""What keeping a batch's PDF for its download costs: `python bench/letters_prepared_bench.py
[--db sqlite|postgres] [--megabytes 5] [--rounds 5]`.

A long group's PDF is laid out by the worker (letters/batch_prints.py) and kept on its
`BatchPrint` row encrypted by the vault until the member downloads it. The layout is measured
by bench/letters_bench.py; this measures what the background path adds: encrypting and writing
a PDF of `--megabytes` (5 MB: the size of 2,000 letters) to the row, as the task does, and
handing it over (`batch_prints.take`: read, decrypt, audit, delete), as the download does —
wall and CPU time of this process (the database server's CPU is not counted), p50 and max.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from benchdb import setup  # noqa: E402
from notes_bench import unseal  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg-name", default="pompolit_letters_prepared_bench")
    parser.add_argument("--megabytes", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="letters-prepared-bench-"))
    vendor = setup(folder, args.db, args.pg_name)
    unseal(folder, reuse=False)

    from django.utils import timezone

    from pompolit.cases.models import Facility, FacilityType
    from pompolit.letters import batch_prints
    from pompolit.letters.models import BatchPrint, Channel, PrintState
    from pompolit.members.roles import Role
    from pompolit.members.testing import make_founders, make_member

    member = make_member(make_founders(), "bench-letters", Role.CASE_WORKER)
    facility = Facility.objects.create(name="ФКУ ИК-1 УФСИН", city="Город",
                                       type=FacilityType.objects.get(code="colony"))
    # Incompressible bytes, as a PDF's compressed streams are; its size is what costs.
    pdf = b"%PDF-1.7\n" + os.urandom(int(args.megabytes * 1e6))
    stores: list[tuple[float, float]] = []
    takes: list[tuple[float, float]] = []
    print(f"{vendor}; load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    for _round in range(args.rounds):
        now = timezone.now()
        row = BatchPrint.objects.create(owner=member, facility=facility, channel=Channel.POST,
                                        state=PrintState.RUNNING, letters=2000, parts=20,
                                        expires_at=now + batch_prints.lifetime())
        wall, cpu = time.perf_counter(), time.process_time()
        row.pdf = pdf  # as lay_out does once the layout is done
        row.state = PrintState.READY
        row.save(update_fields=["pdf", "state"])
        stores.append((time.perf_counter() - wall, time.process_time() - cpu))
        wall, cpu = time.perf_counter(), time.process_time()
        taken = batch_prints.take(member, facility.pk, Channel.POST)
        takes.append((time.perf_counter() - wall, time.process_time() - cpu))
        assert taken == pdf
    stored = len(pdf) * 4 / 3  # the column keeps the ciphertext as text
    for label, times in (("encrypt and store", stores), ("take: read, decrypt, delete", takes)):
        print(f"{label} {len(pdf) / 1e6:.1f} MB: {summary(times)}")
    print(f"column about {stored / 1e6:.1f} MB; load average after: "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}, {platform.platform()}")


def summary(times: list[tuple[float, float]]) -> str:
    walls, cpus = [w * 1000 for w, _c in times], [c * 1000 for _w, c in times]
    return (f"wall p50 {statistics.median(walls):.0f} / max {max(walls):.0f} ms, "
            f"CPU p50 {statistics.median(cpus):.0f} / max {max(cpus):.0f} ms")


if __name__ == "__main__":
    main()
