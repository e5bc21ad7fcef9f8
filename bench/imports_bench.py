"""Import benchmark: `.venv/bin/python bench/imports_bench.py [--db sqlite|postgres]`.

What an uploaded file costs the server, through the real pages (Django's test client, signed in
as a case worker or a treasurer, the vault unsealed), each scenario in a fresh process on a
fresh database so its peak memory is its own:

- `cases-upload`: a 2 MB case list of 1,000,000 one-letter rows posted to the case import page
  (the row limit, 20,000, must refuse it);
- `bank-preview`: a 90,000-line Sberbank statement (Windows-1251, 4.6 MB) posted to the bank
  import page, which answers with the preview.

For each: wall time and the process's CPU time (the machine is shared: CPU time is the
steadier measure), the size of the page returned, the process's peak RSS growth over what it
held before the request (ru_maxrss), and the peak of Python allocations during the request
(tracemalloc, a second run of the same request). `--before DIR` runs the same scenarios on
another checkout's `src/` (e.g. `git archive <commit> | tar -x -C DIR`) for a before/after.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

SCENARIOS = ("cases-upload", "bank-preview")
SBER_HEADER = ("Дата проводки;№ документа;Контрагент;Счёт контрагента;Сумма по дебету;"
               "Сумма по кредиту;Назначение платежа")


def case_list(rows: int = 1_000_000) -> bytes:
    return ("Фамилия\n" + "a\n" * rows).encode()


def bank_statement(lines: int = 90_000) -> bytes:
    body = [f"{1 + n % 28:02d}.03.2025;{n};Петров П.;408178{n % 97};;{100 + n % 900},00;"
            "пожертвование" for n in range(lines)]
    top = "ВЫПИСКА ПО СЧЁТУ 40703810938000012345\nПериод: 01.03.2025 - 31.03.2025\n"
    return (top + SBER_HEADER + "\n" + "\n".join(body) + "\n").encode("cp1251")


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


# -- one scenario, in its own process ---------------------------------------------------------


def _world(scenario: str) -> Any:
    """Members, the vault unsealed, and a signed-in client for the scenario."""
    from allauth.mfa.totp.internal.auth import TOTP
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from pompolit.members import approvals
    from pompolit.members.models import Member
    from pompolit.members.roles import Role
    from pompolit.members.services import create_compartment, create_founder
    from pompolit.vault.keys import keyring, services

    setup_test_environment()
    keyring.use_agent(keyring.make_local_agent())
    shares = services.initialise(threshold=2, keyholders=["Вера", "Софья", "Мария"])
    services.submit_share(shares[0].text)
    services.submit_share(shares[1].text)
    first = create_founder("bench-a", "bench-password-2026")
    second = create_founder("bench-b", "bench-password-2026")

    def approved(action: str, payload: dict[str, Any]) -> None:
        request = approvals.request_approval(first, action, payload)
        approvals.approve(request.pk, second, seen_digest=request.payload_digest)

    member = Member.objects.create_user("bench-member", "bench-password-2026",
                                        vouched_at=timezone.now())
    TOTP.activate(member, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    extra: dict[str, Any] = {}
    if scenario == "cases-upload":
        approved("grant_role", {"member": member.pk, "role": Role.CASE_WORKER})
        place = create_compartment(first, name="Оренбург", slug="orenburg")
        approved("grant_compartment", {"member": member.pk, "compartment": place.pk})
        extra["compartment"] = place.pk
    else:
        from pompolit.ledger.bank_import import services as bank_import

        approved("grant_role", {"member": member.pk, "role": Role.TREASURER})
        member = Member.objects.get(pk=member.pk)
        preset = bank_import.PRESETS["sberbank"]
        bank_import.save_mapping(member, code="sberbank", name=preset["name"],
                                 columns=preset["columns"], encoding="cp1251")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(Member.objects.get(pk=member.pk))
    return client, extra


def _request(scenario: str, client: Any, extra: dict[str, Any], data: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    if scenario == "cases-upload":
        return client.post(reverse("cases_import"), {
            "compartment": extra["compartment"], "file": SimpleUploadedFile("list.csv", data)})
    return client.post(reverse("import_upload"), {
        "format": "csv", "mapping": "sberbank",
        "statement": SimpleUploadedFile("statement.csv", data, "text/csv")})


def run_one(scenario: str, db: str) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT / "bench"))
    from benchdb import setup

    sys.path.insert(0, os.environ.get("BENCH_SRC", str(ROOT / "src")))

    with tempfile.TemporaryDirectory() as tmp:
        setup(Path(tmp), db, "bench_imports")
        client, extra = _world(scenario)
        data = case_list() if scenario == "cases-upload" else bank_statement()
        from django.urls import reverse

        reverse("cases_import")  # the URLconf is loaded before the measure
        before = current_rss_mb()
        start, cpu = time.perf_counter(), time.process_time()
        response = _request(scenario, client, extra, data)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        peak = max_rss_mb()
        body = response.content
        tracemalloc.start()
        _request(scenario, client, extra, data)
        traced = tracemalloc.get_traced_memory()[1] / 1024 / 1024
        tracemalloc.stop()
        refused = b"more than" in body and b"rows" in body
        return {"scenario": scenario, "file_mb": round(len(data) / 1024 / 1024, 2),
                "status": response.status_code, "seconds": round(elapsed, 2),
                "cpu_seconds": round(cpu, 2),
                "page_mb": round(len(body) / 1024 / 1024, 2), "rss_before_mb": round(before),
                "rss_peak_mb": round(peak), "rss_growth_mb": round(peak - before),
                "tracemalloc_peak_mb": round(traced, 1), "refused_by_row_limit": refused}


# -- the parent: one process per scenario ----------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--before", type=Path, help="another checkout to measure first")
    parser.add_argument("--scenario", choices=SCENARIOS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.scenario:
        print(json.dumps(run_one(args.scenario, args.db)))
        return
    runs = [("before", args.before)] if args.before else []
    runs.append(("after", ROOT))
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {args.db}, "
          f"load {os.getloadavg()[0]:.1f}")
    print(f"{'code':7} {'scenario':13} {'file MB':>8} {'status':>6} {'time s':>7} "
          f"{'CPU s':>6} {'page MB':>8} {'RSS +MB':>8} {'traced MB':>9}")
    for label, tree in runs:
        for scenario in SCENARIOS:
            env = {**os.environ, "BENCH_SRC": str(tree / "src")}
            out = subprocess.run(
                [sys.executable, str(Path(__file__).resolve()), "--scenario", scenario,
                 "--db", args.db], env=env, capture_output=True, text=True, check=False)
            if out.returncode:
                print(f"{label:7} {scenario:13} failed:\n{out.stderr[-2000:]}")
                continue
            r = json.loads(out.stdout.strip().splitlines()[-1])
            print(f"{label:7} {scenario:13} {r['file_mb']:8} {r['status']:6} {r['seconds']:7} "
                  f"{r['cpu_seconds']:6} {r['page_mb']:8} {r['rss_growth_mb']:8} "
                  f"{r['tracemalloc_peak_mb']:9}")


if __name__ == "__main__":
    main()
