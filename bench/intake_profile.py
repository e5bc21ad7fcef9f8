"""Where one public report and one bot update go: `python bench/intake_profile.py`.

In one process, on a PostgreSQL bench database on 127.0.0.1 (made afresh, as
`intake_form_load.py` makes it: a hotline, four stations, `--known` detentions): posts
`--posts` reports through the public form and as many updates to the bot's webhook with
Django's test client, the tasks queued in the database as in production (not run), and
prints the SQL statements of one request of each kind and a cProfile summary of them all.
Then the worker's side: the queued dedupe tasks of the `--posts` reports run in this process
by django_tasks_db's own worker loop (`--batch`), as `pompolit db_worker` runs them: once for
all of them (as in a surge), and run after every N reports (`--dedupe-every`: smaller batches,
down to one report a run, as on a quiet evening).

CPU per request is given for this process and for its PostgreSQL backend (read from /proc),
so what the database spends on a report is counted too.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from benchdb import setup  # noqa: E402


def backend_cpu(pid: int) -> float:
    """CPU seconds (user + system) of one PostgreSQL backend, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--known", type=int, default=500)
    parser.add_argument("--pg-name", default="pompolit_intake_profile")
    parser.add_argument("--reuse", action="store_true", help="the database of the last run")
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--lines", type=int, default=45)
    parser.add_argument("--no-profile", action="store_true",
                        help="CPU time without the profiler's own overhead")
    parser.add_argument("--dedupe-every", default="1,10,50",
                        help="also run the worker after every N reports (a batch of N), "
                             "for each N of this list, not profiled")
    args = parser.parse_args()
    tmp = Path(tempfile.gettempdir()) / f"{args.pg_name}-var"
    tmp.mkdir(exist_ok=True)
    os.environ["POMPOLIT_DEMO"] = "1"
    os.environ["POMPOLIT_TELEGRAM_TOKEN"] = "123:bench"  # noqa: S105
    setup(tmp, "postgres", args.pg_name, reuse=args.reuse)
    from django.conf import settings

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                                  "QUEUES": ["default"]}}
    settings.POMPOLIT_INTAKE_BENCH_NO_LIMITS = False
    settings.POMPOLIT_INTAKE_REPORTS_PER_HOUR = 10**9
    settings.POMPOLIT_INTAKE_REPORTS_PER_HOUR_NO_STAMP = 10**9
    settings.POMPOLIT_INTAKE_POSTS_PER_HOUR = 10**9
    settings.POMPOLIT_INTAKE_POW_BITS = 4
    settings.POMPOLIT_TELEGRAM_TOKEN = "123:bench"  # noqa: S105
    settings.POMPOLIT_BOT_MESSAGES_PER_MINUTE = 10**9
    settings.POMPOLIT_INTAKE_CHOICES_SECONDS = 30  # as in production (0 in the test settings)
    # The worker is run by the bench itself after every N reports: its runs start at once.
    settings.POMPOLIT_INTAKE_DEDUPE_SECONDS = 0
    from asgiref.local import Local
    from django.db import connection
    from django.tasks import task_backends
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from intake_form_load import answers, prepare

    from pompolit.intake.bot.views import webhook_header_secret, webhook_path_secret
    from pompolit.intake.public import limits

    task_backends.__dict__.pop("settings", None)
    task_backends._settings = None  # else the test settings' immediate backend is kept
    task_backends._connections = Local(task_backends.thread_critical)
    if not args.reuse:
        prepare(args.known)
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
    client = Client(enforce_csrf_checks=False, HTTP_ACCEPT_LANGUAGE="ru")
    rng = random.Random(1)

    def post_report() -> None:
        challenge = limits.new_challenge()
        data = {**answers(rng), "pow_challenge": challenge, "pow_counter": limits.solve(challenge)}
        response = client.post("/intake/report/", data)
        assert response.status_code == 200 and b'id="report-code"' in response.content, \
            response.status_code

    url = f"/intake/telegram/{webhook_path_secret()}/"
    header = webhook_header_secret()
    texts = ["/start", "Родственник", "Москва", "Смирнова", "Анна"]

    def post_update(n: int) -> None:
        update = {"update_id": n, "message": {
            "message_id": n, "date": int(time.time()), "text": texts[n % len(texts)],
            "chat": {"id": 1000 + n % 50, "type": "private"},
            "from": {"id": 1000 + n % 50, "is_bot": False, "language_code": "ru"}}}
        response = client.post(url, update, content_type="application/json",
                               HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN=header)
        assert response.status_code == 200, response.status_code

    for n in range(10):  # warm up
        post_report()
        post_update(n)
    for label, call in (("public form POST", post_report),
                        ("bot webhook POST", lambda: post_update(99))):
        with CaptureQueriesContext(connection) as queries:
            call()
        print(f"\n== {label}: {len(queries)} SQL statements")
        for q in queries:
            print(f"  {q['time']:>6}s  {q['sql'][:150]}")
    # As production: the connection kept between requests (POMPOLIT_DB_CONN_MAX_AGE), so one
    # backend serves them all and its CPU can be read.
    connection.settings_dict.update(CONN_MAX_AGE=300, CONN_HEALTH_CHECKS=True)
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]

    def measured(label: str, count: int, work: Callable[[], None]) -> None:
        # The profile counts CPU time, not wall time: the machine may be busy.
        profile = cProfile.Profile(time.process_time)
        cpu, db, wall = time.process_time(), backend_cpu(pid), time.perf_counter()
        if not args.no_profile:
            profile.enable()
        work()
        profile.disable()
        cpu, db = time.process_time() - cpu, backend_cpu(pid) - db
        wall = time.perf_counter() - wall
        how = "not profiled" if args.no_profile else "profiled"
        print(f"\n== {label}: {count} in {wall:.2f} s; per one: {wall / count * 1000:.1f} ms "
              f"wall, {cpu / count * 1000:.1f} ms CPU of this process ({how}), "
              f"{db / count * 1000:.1f} ms CPU of its PostgreSQL backend")
        if args.no_profile:
            return
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.lines)
        print(out.getvalue())

    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    from pompolit.intake.bot.services import handle_telegram_update
    from pompolit.intake.models import Report

    # Only the reports' dedupe tasks are left for the worker (the bot's answers need a Bot API).
    DBTaskResult.objects.filter(task_path=handle_telegram_update.module_path).delete()

    def worker() -> Worker:
        return Worker(queue_names=["default"], interval=0, batch=True, backend_name="default",
                      startup_delay=False, max_tasks=None, worker_id="intake-profile",
                      excluded_queue_names=[])

    worker().run()  # what the warm-up queued
    measured("public form POST", args.posts,
             lambda: [post_report() for _n in range(args.posts)])
    queued = DBTaskResult.objects.filter(status="READY").count()
    measured(f"dedupe in the worker ({queued} tasks queued)", args.posts, worker().run)
    for every in [int(n) for n in args.dedupe_every.split(",") if n]:
        cpu = db = 0.0
        runs = 0
        profile = cProfile.Profile(time.process_time)
        for start in range(0, args.posts, every):
            for _n in range(min(every, args.posts - start)):
                post_report()
            runs += DBTaskResult.objects.filter(status="READY").count()
            before, db_before = time.process_time(), backend_cpu(pid)
            if not args.no_profile:
                profile.enable()
            worker().run()
            profile.disable()
            cpu += time.process_time() - before
            db += backend_cpu(pid) - db_before
        how = "not profiled" if args.no_profile else "profiled"
        print(f"\n== dedupe in the worker, run after every {every} reports ({runs} tasks for "
              f"{args.posts}): per report {cpu / args.posts * 1000:.1f} ms CPU of this process "
              f"({how}), {db / args.posts * 1000:.1f} ms CPU of its PostgreSQL backend")
        if not args.no_profile:
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.lines)
            print(out.getvalue())
    failed = DBTaskResult.objects.filter(status="FAILED").count()
    proposed = Report.objects.filter(proposed_detention__isnull=False).count()
    print(f"tasks failed: {failed}; reports proposed for linking so far: {proposed} "
          f"of {Report.objects.exclude(channel='hotline').count()}")
    measured("bot webhook POST", args.posts,
             lambda: [post_update(1000 + n) for n in range(args.posts)])

if __name__ == "__main__":
    main()
