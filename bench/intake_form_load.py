"""Load test of the public intake form: `python bench/intake_form_load.py [--clients 50]`.

Makes a PostgreSQL bench database on 127.0.0.1 (a demo-mode vault that unseals itself from
its key file — a bench database, never a real one), a hotline with Moscow police stations and
`--known` detentions already recorded (so the dedupe on arrival has names to match), then
starts the app under gunicorn (`pompolit.gunicorn_conf`, `--workers` sync workers) on
127.0.0.1 and lets `--clients` concurrent clients (a bounded asyncio client, httpx) submit
`--reports` public reports: each client fetches the form once (its CSRF cookie), then posts
reports one after another, names drawn from a pool so that some match known detentions.

The per-network limits and the proof-of-work stamp are switched off for the run with
`POMPOLIT_INTAKE_BENCH_NO_LIMITS=1` (refused under production settings); dedupe on arrival
(`POMPOLIT_INTAKE_DEDUPE`) stays on. Prints reports/s and the latency percentiles of the POSTs.
Target (issue 15): at least 100 reports/s, p95 under 300 ms, at 50 clients.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from benchdb import setup  # noqa: E402
from cases_bench import machine, percentiles  # noqa: E402

SURNAMES = ["Смирнова", "Иванов", "Кузнецова", "Попов", "Соколова", "Лебедев", "Козлова",
            "Новиков", "Морозова", "Петров", "Волкова", "Соловьёв", "Васильева", "Зайцев"]
GIVEN = ["Анна", "Кирилл", "Мария", "Дмитрий", "Елена", "Алексей", "Ольга", "Сергей"]
STATIONS = ["ОВД «Тверской»", "ОВД «Китай-город»", "ОВД «Мещанский»", "ОВД «Басманный»"]


def prepare(known: int, *, vault: bool = True) -> None:
    """The hotline, its stations, and `known` detentions recorded by the command line (with a
    demo vault, unless `vault` is False: the caller has unsealed one)."""
    from pompolit.cases.partial import PartialDate
    from pompolit.intake.services import Entry, open_hotline, record_report
    from pompolit.intake.testing import station
    from pompolit.members.models import Compartment
    from pompolit.members.services import create_founder
    from pompolit.names import Name
    from pompolit.vault.keys.services import initialise

    if vault:
        initialise(threshold=2, keyholders=["Вера", "Софья", "Николай"], demo=True)
    founder = create_founder("bench-founder", "bench-password-2026")
    compartment = Compartment.objects.create(
        name="Московская горячая линия", slug="moscow-hotline", created_by=founder
    )
    open_hotline(None, compartment, city="Москва")
    facilities = [station(name) for name in STATIONS]
    rng = random.Random(15)
    for _ in range(known):
        record_report(
            None,
            compartment,
            Entry(
                name=Name(rng.choice(SURNAMES), rng.choice(GIVEN), ""),
                birth_date=PartialDate(rng.randint(1960, 2007)),
                facility=rng.choice(facilities),
                place="Пушкинская площадь",
                needs=frozenset({"need_water"}),
            ),
            reporter="relative",
        )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:pompolit.gunicorn_conf",
         "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--access-logfile", "/dev/null",
         "--error-logfile", "-", "pompolit.wsgi"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("gunicorn did not start")


def answers(rng: random.Random) -> dict[str, str | list[str]]:
    return {
        "surname": rng.choice(SURNAMES),
        "given": rng.choice(GIVEN),
        "patronymic": "",
        "birth": str(rng.randint(1960, 2007)),
        "is_minor": "",
        "detained_at_text": f"{rng.randint(12, 21)}:{rng.randint(0, 59):02d}",
        "place_text": "Пушкинская площадь",
        "city": "Москва",
        "station": "",
        "now_at_text": rng.choice(STATIONS),
        "event_text": "Антивоенная акция",
        "needs": rng.sample(["water", "food", "medicine", "charger", "warm_clothes"], 2),
        "medicine_text": "",
        "reporter": rng.choice(["detainee", "relative", "lawyer", "witness"]),
        "contact": "+7 916 000-00-00",
        "note": "Задержали у памятника, увезли в автозаке.",
    }


async def run_clients(base: str, clients: int, reports: int) -> tuple[list[float], float, int]:
    import httpx

    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(reports):
        queue.put_nowait(n)
    samples: list[float] = []
    failures = 0

    async def client(number: int) -> None:
        nonlocal failures
        rng = random.Random(number)
        async with httpx.AsyncClient(base_url=base, timeout=30,
                                     headers={"Accept-Language": "ru"}) as http:
            await http.get("/intake/report/")
            token = http.cookies.get("csrftoken", "")
            while True:
                try:
                    queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                data = {**answers(rng), "csrfmiddlewaretoken": token}
                began = time.perf_counter()
                response = await http.post("/intake/report/", data=data,
                                           headers={"Referer": base + "/intake/report/"})
                samples.append(time.perf_counter() - began)
                if response.status_code != 200 or 'id="report-code"' not in response.text:
                    failures += 1

    began = time.perf_counter()
    await asyncio.gather(*(client(n) for n in range(clients)))
    return samples, time.perf_counter() - began, failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--reports", type=int, default=3000)
    parser.add_argument("--known", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--pg-name", default="pompolit_intake_form_bench")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="intake-form-bench-"))
    os.environ["POMPOLIT_DEMO"] = "1"
    setup(tmp, "postgres", args.pg_name)
    started = time.perf_counter()
    prepare(args.known)
    print(f"prepared {args.known} detentions in {time.perf_counter() - started:.1f} s")
    from django.db import connections

    connections.close_all()
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "POMPOLIT_INTAKE_BENCH_NO_LIMITS": "1",
        "POMPOLIT_INTAKE_DEDUPE": "1",
        "POMPOLIT_ALLOWED_HOSTS": "127.0.0.1",
    }
    server = start_server(env, port, args.workers)
    try:
        base = f"http://127.0.0.1:{port}"
        asyncio.run(run_clients(base, min(args.clients, 10), min(args.reports, 100)))  # warm up
        samples, elapsed, failures = asyncio.run(run_clients(base, args.clients, args.reports))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    p = percentiles(samples)
    print(machine())
    print(f"PostgreSQL, gunicorn {args.workers} sync workers, {args.clients} clients, "
          f"{len(samples)} reports ({failures} failed), {args.known} known detentions")
    print(f"{len(samples) / elapsed:.1f} reports/s; p50 {p['p50']:.0f} ms, p95 {p['p95']:.0f} ms,"
          f" p99 {p['p99']:.0f} ms, max {p['max']:.0f} ms")


if __name__ == "__main__":
    main()
