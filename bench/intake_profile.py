"""Where one public report and one bot update go: `python bench/intake_profile.py`.

In one process, on a PostgreSQL bench database on 127.0.0.1 (made afresh, as
`intake_form_load.py` makes it: a hotline, four stations, `--known` detentions): posts
`--posts` reports through the public form and as many updates to the bot's webhook with
Django's test client, the tasks queued in the database as in production (not run), and
prints the SQL statements of one request of each kind and a cProfile summary of them all.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from benchdb import setup  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--known", type=int, default=500)
    parser.add_argument("--pg-name", default="pompolit_intake_profile")
    parser.add_argument("--reuse", action="store_true", help="the database of the last run")
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--lines", type=int, default=45)
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
    settings.POMPOLIT_INTAKE_POW_BITS = 4
    settings.POMPOLIT_TELEGRAM_TOKEN = "123:bench"  # noqa: S105
    settings.POMPOLIT_BOT_MESSAGES_PER_MINUTE = 10**9
    from asgiref.local import Local
    from django.db import connection
    from django.tasks import task_backends
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from intake_form_load import answers, prepare

    from pompolit.intake.bot.views import webhook_header_secret, webhook_path_secret
    from pompolit.intake.public import limits

    task_backends.__dict__.pop("settings", None)
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
    for label, call in (("public form", post_report), ("bot webhook", None)):
        profile = cProfile.Profile()
        cpu, wall = time.process_time(), time.perf_counter()
        profile.enable()
        for n in range(args.posts):
            post_report() if call else post_update(1000 + n)
        profile.disable()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        print(f"\n== {label}: {args.posts} requests, {wall / args.posts * 1000:.1f} ms wall, "
              f"{cpu / args.posts * 1000:.1f} ms CPU (client side, profiled) per request")
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.lines)
        print(out.getvalue())


if __name__ == "__main__":
    main()
