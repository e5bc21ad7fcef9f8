"""Where the bot's worker spends its CPU on one update, part by part, as production runs it:
`python bench/intake_bot_parts.py [--updates 400]`.

Made as `intake_form_parts.py` makes its server (a PostgreSQL bench database, a vault with three
keyholders, the key agent `pompolit vault keyagent` unsealed with two shares) with the fake Bot
API of `intake_load.py` (a process of its own, answering as Telegram does). A child process
under **production settings** queues the updates of chats going through the load test's whole
conversation (`BOT_ANSWERS`, the chats' messages interleaved as when many write at once) with
`accept_update`, as the webhook does (in a thread of its own, with its own connection: not
measured), a round at a time (every chat's next message), and after each round runs the worker
as `pompolit db_worker` does (`call_command("db_worker", "--batch")`: its claim, its health
checks, its result rows, its logging) in the main thread, so that each task answers one update
as when the worker keeps up. Each part is timed with `time.thread_time` around it (CPU of the
worker's thread, not wall: the machine is shared); the SQL statements are counted by table, and
the CPU of the worker's PostgreSQL backend and of the key agent read from /proc. The
deduplication task of each chat's report is held back (`POMPOLIT_INTAKE_DEDUPE_SECONDS`):
this bench measures the bot's task.
"""

from __future__ import annotations

import argparse
import functools
import inspect
import io
import json
import os
import re
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))


from intake_form_parts import proc_cpu  # noqa: E402


def parent(args: argparse.Namespace) -> None:
    from intake_load import bench_database, server_env, start_bot_api, stop, wait_for

    tmp, shares_file = bench_database(args.pg_name, args.known, args.reuse)
    from django.db import connections

    connections.close_all()
    bot_api, bot_api_url = start_bot_api()
    env = server_env(tmp, args.pg_name, bot_api_url)
    env["POMPOLIT_INTAKE_DEDUPE_SECONDS"] = str(24 * 3600)
    pompolit = str(Path(sys.executable).with_name("pompolit"))
    socket_path = Path(env["POMPOLIT_VAULT_SOCKET"])
    socket_path.unlink(missing_ok=True)
    log = open(tmp / "agent.log", "ab")  # noqa: SIM115
    agent = subprocess.Popen(
        [pompolit, "vault", "keyagent"], env=env, cwd=ROOT, stdout=log, stderr=log
    )
    try:
        wait_for(socket_path, "the key agent", agent)
        from pompolit.vault.agent.client import SocketAgent

        for text in shares_file.read_text().splitlines()[:2]:
            status = SocketAgent(socket_path).submit_share(text)
        assert not status.sealed
        env["BENCH_AGENT_PID"] = str(agent.pid)
        env["BENCH_BOT_API_PID"] = str(bot_api.pid)
        # Versions compared in turns (`--src` folders, "" for this one), so that the load of a
        # shared machine weighs on each alike.
        chat_base = 8_000_000
        for _round in range(args.rounds):
            for src in args.src or [""]:
                env["BENCH_SRC"] = str(Path(src).resolve()) if src else str(ROOT / "src")
                env["BENCH_CHAT_BASE"] = str(chat_base)
                chat_base += 100_000
                subprocess.run(
                    [sys.executable, __file__, "--child", "--updates", str(args.updates)]
                    + (["--profile"] if args.profile else []),
                    env=env,
                    cwd=ROOT,
                    check=True,
                )
    finally:
        stop([agent])
        assert bot_api.stdin is not None
        bot_api.stdin.close()
        bot_api.wait(timeout=30)


def updates_of(chats: range, update_ids: Any) -> list[dict[str, Any]]:
    """The chats' conversations, interleaved: every chat's first message, then every second…"""
    from intake_load import BOT_ANSWERS

    out = []
    for step, text in enumerate(BOT_ANSWERS):
        for chat in chats:
            out.append(
                {
                    "update_id": next(update_ids),
                    "message": {
                        "message_id": step + 1,
                        "date": int(time.time()),
                        "text": text,
                        "chat": {"id": chat, "type": "private"},
                        "from": {
                            "id": chat,
                            "is_bot": False,
                            "first_name": "Б",
                            "language_code": "ru",
                        },
                    },
                }
            )
    return out


TABLES = re.compile(r'(?:FROM|INTO|UPDATE|JOIN)\s+"([a-z_0-9]+)"')


def kind_of(sql: str) -> str:
    if "SAVEPOINT" in sql:
        return sql.split('"')[0] + "…"
    verb = sql.split(None, 1)[0].upper() if sql.strip() else "?"
    tables = TABLES.findall(sql)
    short = (tables[0] if tables else "").replace("django_tasks_database_", "")
    return f"{verb} {short}".strip() if short else sql[:40]


def child(args: argparse.Namespace) -> None:
    import itertools
    import threading

    if os.environ.get("BENCH_SRC"):  # before anything of pompolit is imported
        sys.path.insert(0, os.environ["BENCH_SRC"])
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from intake_load import BOT_ANSWERS

    from pompolit.intake.bot import client, services
    from pompolit.intake.bot.models import BotConversation
    from pompolit.vault.keys import keyring

    agent_pid = int(os.environ["BENCH_AGENT_PID"])
    api_pid = int(os.environ["BENCH_BOT_API_PID"])
    chat_base = int(os.environ["BENCH_CHAT_BASE"])
    times: dict[str, float] = defaultdict(float)
    calls: dict[str, int] = defaultdict(int)

    main = threading.main_thread()

    def timed(owner: Any, name: str, label: str) -> None:
        times[label] = 0.0
        original = inspect.getattr_static(owner, name)  # a property stays one
        if isinstance(original, property):
            getter = original.fget
            assert getter is not None

            def get(self: Any) -> Any:
                if threading.current_thread() is not main:  # the webhook's: not counted
                    return getter(self)
                started = time.thread_time()
                try:
                    return getter(self)
                finally:
                    times[label] += time.thread_time() - started
                    calls[label] += 1

            setattr(owner, name, property(get))
            return
        if isinstance(original, (staticmethod, classmethod)):
            raise TypeError(name)

        def wrapper(*a: Any, **k: Any) -> Any:
            if threading.current_thread() is not main:  # the webhook's: not counted
                return original(*a, **k)
            started = time.thread_time()
            try:
                return original(*a, **k)
            finally:
                times[label] += time.thread_time() - started
                calls[label] += 1

        functools.update_wrapper(wrapper, original)
        setattr(owner, name, wrapper)

    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.utils import translation
    from django_tasks_db import models as tasks_models
    from django_tasks_db.management.commands import db_worker

    from pompolit.intake.bot import conversation
    from pompolit.vault.fields import EncryptedField

    worker_module = sys.modules[db_worker.Command.__module__]
    worker_class = getattr(worker_module, "Worker", db_worker.Worker)
    timed(worker_class, "run", "worker loop (all of it)")
    timed(worker_module, "close_old_connections", "  close_old_connections")
    timed(tasks_models.DBTaskResultQuerySet, "get_locked", "  claim: SELECT … SKIP LOCKED")
    timed(tasks_models.DBTaskResult, "claim", "  claim: UPDATE running")
    timed(worker_class, "run_task", "  run_task")
    timed(tasks_models.DBTaskResult, "task", "    DBTaskResult.task")
    timed(tasks_models.DBTaskResult, "task_result", "    DBTaskResult.task_result")
    timed(tasks_models.DBTaskResult, "set_successful", "    set_successful (UPDATE)")
    timed(services, "handle_update", "    handle_update")
    timed(keyring.KeyRing, "_check", "      vault status (agent)")
    timed(keyring.KeyRing, "current", "      current key")
    timed(EncryptedField, "decrypt_for", "      decrypt")
    timed(EncryptedField, "encrypt_for", "      encrypt")
    for name, label in [
        ("_take", "      update taken (SELECT, DELETE)"),
        ("_answer", "      _answer (one update)"),
    ]:
        if hasattr(services, name):  # not in the versions before them
            timed(services, name, label)
    timed(services, "forget_expired_now_and_then", "      sweep (now and then)")
    timed(services, "blind_digest", "      blind index of the chat")
    timed(services, "_advance", "      _advance")
    timed(translation, "activate", "        translation.activate")
    timed(services, "respond", "        conversation.respond")
    timed(conversation, "submit", "          report submitted")
    timed(BotConversation, "save", "        conversation saved")
    timed(client, "send", "      client.send")
    timed(client, "keyboard", "        keyboard built")
    timed(BaseDatabaseWrapper, "commit", "  commits (all)")

    update_ids = itertools.count(chat_base)
    chats_needed = -(-args.updates // len(BOT_ANSWERS))
    warm = updates_of(range(chat_base, chat_base + 3), update_ids)
    measured = updates_of(range(chat_base + 10, chat_base + 10 + chats_needed), update_ids)[
        : args.updates
    ]
    from django.db import connections

    def accept(bodies: list[dict[str, Any]]) -> None:
        def webhook() -> None:
            for body in bodies:
                assert services.accept_update(body)
            connections.close_all()

        thread = threading.Thread(target=webhook)
        thread.start()
        thread.join()

    accept(warm)
    out = open(os.devnull, "w")  # noqa: SIM115 - the worker's log lines, as a journal takes them

    def work(count: int) -> None:
        call_command(
            "db_worker",
            "--batch",
            "--no-reload",
            "--no-startup-delay",
            "--max-tasks",
            str(count),
            stdout=out,
            stderr=out,
        )

    work(len(warm))
    rounds = [measured[i : i + chats_needed] for i in range(0, len(measured), chats_needed)]
    times.update(dict.fromkeys(times, 0.0))
    calls.clear()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    statements: list[tuple[int, str]] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements.append((calls["  run_task"], sql))
        return execute(sql, params, many, context)

    n = len(measured)
    api_cpu0 = proc_cpu(api_pid)
    profile = None
    if args.profile:
        import cProfile

        profile = cProfile.Profile(time.thread_time)
    cpu0, db0, agent0 = time.thread_time(), proc_cpu(backend), proc_cpu(agent_pid)
    wall0 = time.perf_counter()
    with connection.execute_wrapper(count):
        if profile:
            profile.enable()
        for bodies in rounds:
            accept(bodies)
            work(len(bodies))
        if profile:
            profile.disable()
    wall = time.perf_counter() - wall0
    cpu = time.thread_time() - cpu0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] == backend, "the worker's connection was opened again"
    db, agent = proc_cpu(backend) - db0, proc_cpu(agent_pid) - agent0
    api_cpu = proc_cpu(api_pid) - api_cpu0
    ran = calls["  run_task"]
    assert ran == n, (ran, n)
    answered = calls.get("      _answer (one update)", n)
    assert answered == n, (answered, n)
    kinds = Counter(kind_of(sql) for _task, sql in statements)
    print(
        f"{n} updates ({chats_needed} chats, {wall:.1f} s, {n / wall:.0f}/s wall), per task: "
        f"{cpu / n * 1000:.2f} ms CPU of the worker, {db / n * 1000:.2f} ms its PostgreSQL "
        f"backend, {agent / n * 1000:.2f} ms the key agent ({api_cpu / n * 1000:.2f} ms the "
        f"fake Bot API); {len(statements) / n:.1f} SQL statements "
        f"(+ health checks, not seen by the counter)"
    )
    print(f"  code measured: {Path(client.__file__).parents[3]}")
    for label, spent in times.items():
        print(f"{label:<40} {spent / n * 1000:6.2f} ms  ({calls[label] / n:.2f} calls)")
    print("SQL statements per task, by kind:")
    for kind, number in kinds.most_common():
        print(f"  {number / n:5.2f}  {kind}")
    # One task in the middle of a conversation (the fourth answer of a chat), statement by
    # statement.
    sample = len(range(chat_base + 10, chat_base + 10 + chats_needed)) * 3 + 1
    print(f"the statements of task {sample} (a chat's fourth message):")
    for task, sql in statements:
        if task == sample:
            print("   ", sql[:150])
    if profile:
        stream = io.StringIO()
        import pstats

        pstats.Stats(profile, stream=stream).sort_stats("cumulative").print_stats(70)
        print(stream.getvalue())
    print(
        json.dumps({"cpu": cpu / n, "db": db / n, "agent": agent / n, "sql": len(statements) / n})
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--updates", type=int, default=400)
    parser.add_argument("--known", type=int, default=2000)
    parser.add_argument("--pg-name", default="pompolit_intake_bot_parts")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--profile", action="store_true", help="and a cProfile of the worker")
    parser.add_argument(
        "--src",
        action="append",
        help="measure the code of this src folder (e.g. `git archive main src`; "
        '"" for this checkout\'s), several in turns',
    )
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    (child if args.child else parent)(args)


if __name__ == "__main__":
    main()
