"""Load test of the public doors of the hotline, run as production runs them:
`python bench/intake_load.py --door form|bot [--rate 100] [--clients 50]`.

It makes a PostgreSQL bench database on 127.0.0.1 (`--known` detentions of one Moscow hotline
with four police stations, so the dedupe has names to match), initialises a vault with three
keyholders (no demo mode), starts the key agent (`pompolit vault keyagent`) and unseals it with
two shares, then starts, all under **production settings** (`pompolit.settings.production`):
gunicorn (`pompolit.gunicorn_conf`, `--workers`, `--threads`) on 127.0.0.1 and the background
worker (`pompolit db_worker`), so the dedupe task enqueued by every public report is run during
the test ("with dedupe on"). Nothing is switched off: the per-network limits count every report
(their allowances raised by the environment, as all clients share 127.0.0.1), the
proof-of-work stamp is checked and used up (at 8 bits instead of 16, so that the client is not
the bottleneck: the server's cost is the same), the report is encrypted, audited and queued.

The client is a bounded asyncio client on raw streams (one connection per request, as
gunicorn's sync workers close it), `--clients` at a time, in two runs:

- **paced** (open model): requests start at a fixed `--rate`; a request waits for a free
  client if all `--clients` are busy, and its latency counts from its planned start (so a
  slow server is not hidden by the client waiting for it);
- **closed** loop: the `--clients` send back to back; the highest rate the server takes.

Then it watches the worker empty the queue (`--drain` seconds at most) and reports its rate and
its CPU per task (the worker's process and PostgreSQL's backends). The bot's replies go to a
fake Bot API on 127.0.0.1 (`intake/bot/testing.py`, in a process of its own, not counted in the
server's CPU) that answers as Telegram does, so the worker's rate is that of real answers.
The server's
CPU time per request (gunicorn's processes and PostgreSQL's backends, from /proc) is printed
too: on a shared machine it says more than the wall time. Target (issue 15): at least 100
reports/s with p95 under 300 ms at 50 concurrent clients.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from benchdb import setup  # noqa: E402
from cases_bench import machine, percentiles  # noqa: E402
from intake_form_load import answers, prepare  # noqa: E402

BOT_TOKEN = "123456:bench-token-not-real"  # noqa: S105 - a bench, no real bot
BOT_ANSWERS = [
    "/start", "Родственник", "Москва", "Смирнова", "Анна", "Сергеевна", "2001", "Нет", "19:30",
    "Пушкинская площадь", "ОВД «Тверской»", "Антивоенная акция", "Вода", "Готово", "Нет",
    "Нет", "Нет", "Пропустить", "Пропустить", "Отправить сообщение",
]


# -- the servers -------------------------------------------------------------------------------


def server_env(tmp: Path, pg_name: str, bot_api_url: str = "") -> dict[str, str]:
    """The servers' environment; `bot_api_url` the Bot API they talk to (none for the form)."""
    key_file = tmp / "secret-key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    env = {k: v for k, v in os.environ.items() if not k.startswith("POMPOLIT_")}
    env.update({
        "PYTHONPATH": str(ROOT / "src"),
        "DJANGO_SETTINGS_MODULE": "pompolit.settings.production",
        "POMPOLIT_VAR_DIR": str(tmp),
        "POMPOLIT_DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{pg_name}",
        "POMPOLIT_SECRET_KEY_FILE": str(key_file),
        "POMPOLIT_VAULT_SOCKET": str(tmp / "agent" / "agent.sock"),
        "POMPOLIT_ALLOWED_HOSTS": "127.0.0.1",
        "POMPOLIT_INTAKE_REPORTS_PER_HOUR": str(10**9),
        "POMPOLIT_INTAKE_REPORTS_PER_HOUR_NO_STAMP": str(10**9),
        "POMPOLIT_INTAKE_POSTS_PER_HOUR": str(10**9),
        "POMPOLIT_INTAKE_POW_BITS": "8",
        "POMPOLIT_TELEGRAM_TOKEN": BOT_TOKEN,
        "POMPOLIT_BOT_MESSAGES_PER_MINUTE": str(10**6),
    })
    if bot_api_url:
        env["POMPOLIT_TELEGRAM_API_URL"] = bot_api_url
    return env


def wait_for(path_or_port: Path | int, what: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.time() + 90
    while time.time() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{what} stopped (exit {process.returncode})")
        if isinstance(path_or_port, Path):
            if path_or_port.exists():
                return
        else:
            try:
                with socket.create_connection(("127.0.0.1", path_or_port), timeout=1):
                    return
            except OSError:
                pass
        time.sleep(0.3)
    process.kill()
    raise SystemExit(f"{what} did not start")


def start(env: dict[str, str], tmp: Path, port: int, workers: int, threads: int,
          shares: list[str], db_workers: int = 1) -> list[subprocess.Popen[bytes]]:
    pompolit = str(Path(sys.executable).with_name("pompolit"))
    log = open(tmp / "servers.log", "ab")  # noqa: SIM115 - open while they run
    subprocess.run([pompolit, "collectstatic", "--noinput", "-v0"], env=env, cwd=ROOT,
                   check=True, stdout=log, stderr=log)
    agent = subprocess.Popen([pompolit, "vault", "keyagent"], env=env, cwd=ROOT,
                             stdout=log, stderr=log)
    wait_for(Path(env["POMPOLIT_VAULT_SOCKET"]), "the key agent", agent)
    from pompolit.vault.agent.client import SocketAgent

    socket_agent = SocketAgent(Path(env["POMPOLIT_VAULT_SOCKET"]))
    for text in shares[:2]:
        status = socket_agent.submit_share(text)
    assert not status.sealed, "the key agent did not unseal"
    web = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:pompolit.gunicorn_conf",
         "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads),
         "--timeout", "120",  # a loaded machine takes long to boot a worker
         "--access-logfile", "/dev/null", "--error-logfile", "-", "pompolit.wsgi"],
        env=env, cwd=ROOT, stdout=log, stderr=log)
    wait_for(port, "gunicorn", web)
    task_workers = [subprocess.Popen([pompolit, "db_worker", "--no-reload", "--no-startup-delay"],
                                     env=env, cwd=ROOT, stdout=log, stderr=log)
                    for _ in range(db_workers)]
    return [*task_workers, web, agent]


FAKE_BOT_API = """
import sys
from pompolit.intake.bot.testing import fake_bot_api
with fake_bot_api(token=sys.argv[1]) as api:
    print(api.url, flush=True)
    sys.stdin.read()  # until the bench closes it
"""


def start_bot_api() -> tuple[subprocess.Popen[str], str]:
    """The fake Bot API the worker sends its replies to: it answers as Telegram does."""
    process = subprocess.Popen([sys.executable, "-c", FAKE_BOT_API, BOT_TOKEN],
                               env={**os.environ, "PYTHONPATH": str(ROOT / "src")}, cwd=ROOT,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    return process, process.stdout.readline().strip()


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU of these processes and their children still running."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def family(root: int) -> list[int]:
    """A process and its descendants."""
    found = [root]
    for pid in found:
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            continue
        found.extend(int(c) for c in children)
    return found


def postgres_backends(pg_name: str) -> list[int]:
    out = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-Atc",
         f"SELECT pid FROM pg_stat_activity WHERE datname = '{pg_name}'"],  # noqa: S608
        capture_output=True, text=True, check=False).stdout
    return [int(line) for line in out.split() if line.strip().isdigit()]


def queue_length(pg_name: str) -> int:
    out = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", pg_name, "-Atc",
         "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status IN "
         "('READY', 'RUNNING')"], capture_output=True, text=True, check=False).stdout
    return int(out.strip() or 0)


def task_counts(pg_name: str) -> str:
    """The tasks by status, and how many were claimed more than once (never, if the workers'
    claims are right)."""
    return subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", pg_name, "-Atc",
         "SELECT string_agg(status || ' ' || n, ', ') || '; claimed twice: ' || "
         "(SELECT count(*) FROM django_tasks_database_dbtaskresult "
         "WHERE jsonb_array_length(worker_ids) > 1) FROM (SELECT status, count(*) AS n "
         "FROM django_tasks_database_dbtaskresult GROUP BY status) AS s"],
        capture_output=True, text=True, check=False).stdout.strip()


def count(pg_name: str, sql: str) -> int:
    out = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", pg_name, "-Atc",
                          sql], capture_output=True, text=True, check=False).stdout
    return int(out.strip() or 0)


BOT_REPORTS = "SELECT count(*) FROM intake_report WHERE channel = 'telegram'"


def bot_reports(pg_name: str, door: BotDoor, before: int = 0) -> str:
    """Each chat sends the whole conversation, its messages without waiting for the answers:
    once the queue is empty, every chat that sent all of them has made one report if the
    workers answered each chat in order (a message applied out of turn is asked again)."""
    made = count(pg_name, BOT_REPORTS) - before
    waiting = queue_length(pg_name)
    return (f"bot: {made} reports made by the {door.sent // len(BOT_ANSWERS)} chats that sent "
            f"every answer" + (f" ({waiting} tasks still queued)" if waiting else ""))


# -- the client --------------------------------------------------------------------------------


@dataclass
class Run:
    latencies: list[float] = field(default_factory=list)  # from the planned start
    service: list[float] = field(default_factory=list)  # from the connection's opening
    errors: dict[str, int] = field(default_factory=dict)
    elapsed: float = 0.0


async def http(port: int, method: str, path: str, headers: dict[str, str],
               body: bytes = b"") -> tuple[int, dict[str, str], bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close",
            f"Content-Length: {len(body)}", *(f"{k}: {v}" for k, v in headers.items())]
    writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
    await writer.drain()
    raw = await reader.read()
    writer.close()
    header, _sep, content = raw.partition(b"\r\n\r\n")
    lines = header.decode("latin1").split("\r\n")
    status = int(lines[0].split()[1]) if lines and len(lines[0].split()) > 1 else 0
    got: dict[str, str] = {}
    for line in lines[1:]:
        name, _colon, value = line.partition(":")
        got.setdefault(name.strip().lower(), value.strip())
        if name.strip().lower() == "set-cookie":
            got["set-cookie"] = got.get("set-cookie", "") + value.strip() + "\n"
    return status, got, content


class FormDoor:
    """The public form: one GET for the CSRF cookie and a challenge per request's client."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.rng = random.Random(15)
        self.cookie = ""
        self.origin = f"https://127.0.0.1:{port}"

    async def warm(self) -> None:
        status, headers, _body = await http(self.port, "GET", "/intake/report/",
                                            {"X-Forwarded-Proto": "https"})
        assert status == 200, status
        for line in headers.get("set-cookie", "").splitlines():
            if line.startswith("__Host-csrftoken="):
                self.cookie = line.split(";")[0].split("=", 1)[1]
        assert self.cookie, "no CSRF cookie"

    def stamp(self) -> tuple[str, str]:
        import django
        from django.conf import settings

        if not settings.configured:
            django.setup()
        from pompolit.intake.public import limits

        with override_pow_bits():
            challenge = limits.new_challenge()
            return challenge, limits.solve(challenge)

    def request(self) -> tuple[str, dict[str, str], bytes, bytes]:
        challenge, counter = self.stamps.pop()
        data = {**answers(self.rng), "csrfmiddlewaretoken": self.cookie,
                "pow_challenge": challenge, "pow_counter": counter}
        body = urlencode(data, doseq=True).encode()
        headers = {"X-Forwarded-Proto": "https", "Origin": self.origin,
                   "Referer": self.origin + "/intake/report/",
                   "Cookie": f"__Host-csrftoken={self.cookie}", "Accept-Language": "ru",
                   "Content-Type": "application/x-www-form-urlencoded"}
        return "/intake/report/", headers, body, b'id="report-code"'

    stamps: list[tuple[str, str]] = []


class override_pow_bits:
    def __enter__(self) -> None:
        from django.conf import settings

        self.before = getattr(settings, "POMPOLIT_INTAKE_POW_BITS", 16)
        settings.POMPOLIT_INTAKE_POW_BITS = 8

    def __exit__(self, *exc: object) -> None:
        from django.conf import settings

        settings.POMPOLIT_INTAKE_POW_BITS = self.before


class BotDoor:
    """The bot's webhook: chats going through a whole conversation, one message at a time."""

    def __init__(self, port: int) -> None:
        import hashlib
        import hmac

        def derived(purpose: str) -> str:
            return hmac.new(BOT_TOKEN.encode(), b"pompolit-telegram-" + purpose.encode(),
                            hashlib.sha256).hexdigest()

        self.path = f"/intake/telegram/{derived('path')[:32]}/"
        self.secret = derived("header")
        self.port = port
        self.sent = 0

    async def warm(self) -> None:
        return None

    def request(self) -> tuple[str, dict[str, str], bytes, bytes]:
        n = self.sent
        self.sent += 1
        chat, step = 7_000_000 + n // len(BOT_ANSWERS), n % len(BOT_ANSWERS)
        update = {"update_id": n + 1, "message": {
            "message_id": step + 1, "date": int(time.time()), "text": BOT_ANSWERS[step],
            "chat": {"id": chat, "type": "private"},
            "from": {"id": chat, "is_bot": False, "first_name": "Б", "language_code": "ru"}}}
        headers = {"X-Telegram-Bot-Api-Secret-Token": self.secret, "X-Forwarded-Proto": "https",
                   "Content-Type": "application/json"}
        return self.path, headers, json.dumps(update).encode(), b"{"


async def run(door: FormDoor | BotDoor, port: int, clients: int, count: int,
              rate: float | None) -> Run:
    result = Run()
    gate = asyncio.Semaphore(clients)
    began = time.perf_counter()

    async def one(planned: float) -> None:
        async with gate:
            path, headers, body, expect = door.request()
            opened = time.perf_counter()
            try:
                status, _headers, content = await http(port, "POST", path, headers, body)
            except OSError as error:
                status, content = 0, repr(error).encode()
            done = time.perf_counter()
            result.latencies.append(done - planned)
            result.service.append(done - opened)
            if status != 200 or expect not in content:
                key = str(status)
                result.errors[key] = result.errors.get(key, 0) + 1

    tasks = []
    for n in range(count):
        planned = began + (n / rate if rate else 0.0)
        delay = planned - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(planned if rate else time.perf_counter())))
        if not rate and len(tasks) >= clients:  # closed loop: never more queued than clients
            done, _pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            tasks = [t for t in tasks if t not in done]
    await asyncio.gather(*tasks)
    result.elapsed = time.perf_counter() - began
    return result


def report(label: str, result: Run, cpu: float, client_cpu: float) -> str:
    n = len(result.latencies)
    p = percentiles(result.latencies)
    s = percentiles(result.service)
    errors = sum(result.errors.values())
    return (f"{label}: {n} requests in {result.elapsed:.1f} s = {n / result.elapsed:.1f}/s; "
            f"latency p50 {p['p50']:.0f} / p95 {p['p95']:.0f} / p99 {p['p99']:.0f} / max "
            f"{p['max']:.0f} ms (service p95 {s['p95']:.0f} ms); errors {errors} "
            f"{result.errors or ''}; server CPU {cpu / n * 1000:.1f} ms/request "
            f"(gunicorn + PostgreSQL + worker + key agent), client CPU "
            f"{client_cpu / n * 1000:.1f} ms/request")


def bench_database(pg_name: str, known: int, reuse: bool) -> tuple[Path, Path]:
    """The bench's PostgreSQL database, its folder and the vault's shares file: made anew (a
    vault with three keyholders, unsealed with two shares, and `known` detentions) unless
    `reuse`."""
    tmp = Path(tempfile.gettempdir()) / f"{pg_name}-var"
    tmp.mkdir(exist_ok=True)
    setup(tmp, "postgres", pg_name, reuse=reuse)
    shares_file = tmp / "shares.txt"
    if not reuse:
        from pompolit.vault.keys import keyring, services

        keyring.use_agent(keyring.make_local_agent())
        issued = services.initialise(threshold=2, keyholders=["Вера", "Софья", "Николай"])
        shares_file.write_text("\n".join(share.text for share in issued))
        services.submit_share(issued[0].text)
        services.submit_share(issued[1].text)
        started = time.perf_counter()
        prepare(known, vault=False)
        print(f"prepared {known} detentions in {time.perf_counter() - started:.1f} s")
    return tmp, shares_file


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--door", choices=["form", "bot"], default="form")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--known", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--pg-name", default="pompolit_intake_load")
    parser.add_argument("--reuse", action="store_true", help="the database of the last run")
    parser.add_argument("--skip-closed", action="store_true")
    parser.add_argument("--db-workers", type=int, default=1,
                        help="background workers side by side (docs/tasks.md)")
    parser.add_argument("--drain", type=float, default=20,
                        help="seconds to watch the worker after each run")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop the servers on the way out
    tmp, shares_file = bench_database(args.pg_name, args.known, args.reuse)
    from django.db import connections

    connections.close_all()
    bot_api, bot_api_url = start_bot_api()
    env = server_env(tmp, args.pg_name, bot_api_url)
    port = int(os.environ.get("BENCH_PORT", "0")) or free_port()
    processes = start(env, tmp, port, args.workers, args.threads,
                      shares_file.read_text().splitlines(), args.db_workers)
    task_workers, web, agent = processes[:-2], processes[-2], processes[-1]
    door: FormDoor | BotDoor = FormDoor(port) if args.door == "form" else BotDoor(port)
    total = args.requests * 2 + 300
    if isinstance(door, FormDoor):
        from django.conf import settings

        settings.SECRET_KEY = (tmp / "secret-key").read_text()  # the server's: its stamps
        FormDoor.stamps = [door.stamp() for _ in range(total)]
    lines = [machine(), f"PostgreSQL, production settings, gunicorn {args.workers} workers × "
             f"{args.threads} threads, key agent, {args.db_workers} db_worker; "
             f"{args.clients} clients; door: {args.door}"]
    reports_before = count(args.pg_name, BOT_REPORTS)
    try:
        asyncio.run(door.warm())
        asyncio.run(run(door, port, min(args.clients, 10), 200, None))  # warm up
        pids = (family(web.pid) + [pid for w in task_workers for pid in family(w.pid)]
                + [agent.pid])
        runs = [("paced", args.rate)] + ([] if args.skip_closed else [("closed", None)])
        for label, rate in runs:
            backends = postgres_backends(args.pg_name)
            cpu0 = cpu_seconds(pids + backends)
            client0 = time.process_time()
            result = asyncio.run(run(door, port, args.clients, args.requests, rate))
            client = time.process_time() - client0
            cpu = cpu_seconds(pids + backends) - cpu0
            waiting = queue_length(args.pg_name)
            worker = [pid for w in task_workers for pid in family(w.pid)]
            drain0 = cpu_seconds(worker), cpu_seconds(postgres_backends(args.pg_name))
            began_wait, still = time.perf_counter(), waiting
            while still and time.perf_counter() - began_wait < args.drain:
                time.sleep(1)
                still = queue_length(args.pg_name)
            drained = max(waiting - still, 1)
            worker_rate = (waiting - still) / (time.perf_counter() - began_wait)
            worker_cpu = (cpu_seconds(worker) - drain0[0]) / drained * 1000
            worker_pg = (cpu_seconds(postgres_backends(args.pg_name)) - drain0[1]) / drained * 1000
            name = f"{label} at {rate:.0f}/s offered" if rate else "closed loop"
            lines.append(report(name, result, cpu, client)
                         + f"; tasks waiting at the end {waiting}, the worker then ran "
                         f"{worker_rate:.1f}/s ({waiting - still} tasks, CPU {worker_cpu:.1f} ms "
                         f"+ PostgreSQL {worker_pg:.1f} ms a task)")
            print(lines[-1], flush=True)
        lines.append(f"tasks: {task_counts(args.pg_name)}")
        if isinstance(door, BotDoor):
            lines.append(bot_reports(args.pg_name, door, reports_before))
    finally:
        stop(processes)
        assert bot_api.stdin is not None
        bot_api.stdin.close()
        bot_api.wait(timeout=30)
    print("\n".join(lines))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


if __name__ == "__main__":
    main()
