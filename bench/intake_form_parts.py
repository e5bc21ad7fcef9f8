"""Where the public form's POST spends its CPU, part by part, as production runs it:
`python bench/intake_form_parts.py [--posts 300]`.

Made as `intake_load.py` makes its server (a PostgreSQL bench database, a vault with three
keyholders, the key agent `pompolit vault keyagent` unsealed with two shares), then a child
process under **production settings** drives Django's WSGI handler directly with the load test's
urlencoded POST (its CSRF cookie, its `Origin`, its stamps): gunicorn's HTTP parsing is the only
thing left out. Each part is timed with `time.process_time` around it (CPU, not wall: the
machine is shared), the SQL statements counted, and the CPU of the child's PostgreSQL backend
and of the key agent read from /proc. The dedupe's worker is not run (its share is measured by
`intake_profile.py`).
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))


def proc_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def parent(args: argparse.Namespace) -> None:
    from intake_load import bench_database, server_env, stop, wait_for

    tmp, shares_file = bench_database(args.pg_name, args.known, args.reuse)
    from django.db import connections

    connections.close_all()
    env = server_env(tmp, args.pg_name)
    pompolit = str(Path(sys.executable).with_name("pompolit"))
    socket_path = Path(env["POMPOLIT_VAULT_SOCKET"])
    socket_path.unlink(missing_ok=True)
    log = open(tmp / "agent.log", "ab")  # noqa: SIM115
    subprocess.run([pompolit, "collectstatic", "--noinput", "-v0"], env=env, cwd=ROOT,
                   check=True, stdout=log, stderr=log)
    agent = subprocess.Popen([pompolit, "vault", "keyagent"], env=env, cwd=ROOT,
                             stdout=log, stderr=log)
    try:
        wait_for(socket_path, "the key agent", agent)
        from pompolit.vault.agent.client import SocketAgent

        for text in shares_file.read_text().splitlines()[:2]:
            status = SocketAgent(socket_path).submit_share(text)
        assert not status.sealed
        env["BENCH_AGENT_PID"] = str(agent.pid)
        # The worker runs as in production, so the dedupe's queueing sees real runs start.
        worker = subprocess.Popen([pompolit, "db_worker", "--no-reload", "--no-startup-delay"],
                                  env=env, cwd=ROOT, stdout=log, stderr=log)
        env["BENCH_WORKER_PID"] = str(worker.pid)
        # Versions compared in turns (`--src` folders, "" for this one), so that the load of a
        # shared machine weighs on each alike.
        for _round in range(args.rounds):
            for src in args.src or [""]:
                env["BENCH_SRC"] = str(Path(src).resolve()) if src else str(ROOT / "src")
                subprocess.run([sys.executable, __file__, "--child", "--posts", str(args.posts)],
                               env=env, cwd=ROOT, check=True)
    finally:
        stop([worker, agent])


def child(args: argparse.Namespace) -> None:
    import random
    from urllib.parse import urlencode

    if os.environ.get("BENCH_SRC"):  # before anything of pompolit is imported
        sys.path.insert(0, os.environ["BENCH_SRC"])
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from intake_form_load import answers

    from pompolit.intake.public import limits

    handler = WSGIHandler()
    rng = random.Random(15)
    agent_pid = int(os.environ["BENCH_AGENT_PID"])
    times: dict[str, float] = defaultdict(float)
    calls: dict[str, int] = defaultdict(int)

    def timed(owner: Any, name: str, label: str) -> None:
        original = getattr(owner, name)

        def wrapper(*a: Any, **k: Any) -> Any:
            started = time.process_time()
            try:
                return original(*a, **k)
            finally:
                times[label] += time.process_time() - started
                calls[label] += 1

        functools.update_wrapper(wrapper, original)  # the access policy's marks too
        setattr(owner, name, wrapper)

    from django.http import request as http_request

    from pompolit.intake.models import Report
    from pompolit.intake.public import forms, photos, services, views
    from pompolit.vault.keys import keyring

    timed(views, "report_form", "view (all of it)")
    timed(http_request.HttpRequest, "_load_post_and_files", "  POST parsing")
    timed(limits, "check_stamp", "  stamp check (+ used up)")
    timed(limits, "over_limit", "  network limit")
    timed(forms.PublicReportForm, "__init__", "  form built")
    timed(forms.PublicReportForm, "full_clean", "  form validated")
    timed(photos, "submit_with_photos", "  submit_public_report")
    timed(services, "_clean", "    answers cleaned")
    timed(services, "_route", "    routed")
    timed(type(Report.objects), "create", "    inserts (report, code, audit)")
    timed(keyring.KeyRing, "_check", "    vault status (agent)")
    timed(keyring.KeyRing, "current", "    encryption keys")
    timed(services, "record", "    audit entry")
    timed(services, "queue_dedupe", "    dedupe queued (on commit)")
    timed(services.codes, "new_code", "    code made")
    timed(services.codes, "code_hash", "    code hashed")
    from pompolit.vault.fields import EncryptedField

    timed(EncryptedField, "pre_save", "    fields encrypted")
    from django.db.backends.base.base import BaseDatabaseWrapper

    timed(BaseDatabaseWrapper, "commit", "    commit")
    timed(views, "render", "  answer page rendered")
    if hasattr(views, "received_page"):  # not in the versions before it
        timed(views, "received_page", "  answer page (kept)")
    statements = [0, 0]

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements[0] += 1
        statements[1] += "dbtaskresult" in sql
        return execute(sql, params, many, context)

    def environ(body: bytes, cookie: str) -> dict[str, Any]:
        import io

        return {
            "REQUEST_METHOD": "POST", "PATH_INFO": "/intake/report/", "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "HTTP_HOST": "127.0.0.1:8000",
            "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http", "wsgi.input":
            io.BytesIO(body), "CONTENT_LENGTH": str(len(body)),
            "CONTENT_TYPE": "application/x-www-form-urlencoded",
            "HTTP_X_FORWARDED_PROTO": "https", "HTTP_ORIGIN": "https://127.0.0.1:8000",
            "HTTP_REFERER": "https://127.0.0.1:8000/intake/report/",
            "HTTP_COOKIE": f"__Host-csrftoken={cookie}", "HTTP_ACCEPT_LANGUAGE": "ru",
            "wsgi.errors": sys.stderr, "wsgi.multithread": False, "wsgi.multiprocess": True,
            "wsgi.run_once": False, "wsgi.version": (1, 0),
        }

    def get_cookie() -> str:
        import io

        env = {"REQUEST_METHOD": "GET", "PATH_INFO": "/intake/report/", "QUERY_STRING": "",
               "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "HTTP_HOST": "127.0.0.1:8000",
               "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http",
               "wsgi.input": io.BytesIO(), "HTTP_X_FORWARDED_PROTO": "https",
               "wsgi.errors": sys.stderr}
        response = handler(env, lambda status, headers: None)
        assert response.status_code == 200, response.status_code
        return str(response.cookies["__Host-csrftoken"].value)

    cookie = get_cookie()
    from django.conf import settings

    settings.POMPOLIT_INTAKE_POW_BITS = 8

    def body() -> bytes:
        challenge = limits.new_challenge()
        data = {**answers(rng), "csrfmiddlewaretoken": cookie, "pow_challenge": challenge,
                "pow_counter": limits.solve(challenge)}
        return urlencode(data, doseq=True).encode()

    def post(data: bytes) -> None:
        response = handler(environ(data, cookie), lambda status, headers: None)
        content = b"".join(response)
        response.close()
        assert response.status_code == 200 and b'id="report-code"' in content, (
            response.status_code, content[:2000])

    bodies = [body() for _ in range(args.posts + 30)]
    for data in bodies[:30]:
        post(data)
    times.clear()
    calls.clear()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    n = args.posts
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        post(body())
    for q in queries:
        print("  ", q["sql"][:140])
    worker_pid = int(os.environ["BENCH_WORKER_PID"])
    worker0 = proc_cpu(worker_pid)
    cpu0, db0, agent0 = time.process_time(), proc_cpu(backend), proc_cpu(agent_pid)
    with connection.execute_wrapper(count):
        for data in bodies[30:]:
            post(data)
    cpu = time.process_time() - cpu0
    db, agent = proc_cpu(backend) - db0, proc_cpu(agent_pid) - agent0
    worker = proc_cpu(worker_pid) - worker0
    print(f"{n} POSTs, per report: {cpu / n * 1000:.2f} ms CPU of the Django process, "
          f"{db / n * 1000:.2f} ms its PostgreSQL backend, {agent / n * 1000:.2f} ms the key "
          f"agent, {worker / n * 1000:.2f} ms the worker (without its PostgreSQL backend); "
          f"{statements[0] / n:.1f} SQL statements ({statements[1] / n:.2f} on the task queue)")
    import pompolit

    print(f"  code measured: {next(iter(pompolit.__path__))}")
    print(f"  Django outside the view (middleware, handler, response): "
          f"{(cpu - times['view (all of it)']) / n * 1000:.2f} ms")
    for label, spent in times.items():
        print(f"{label:<40} {spent / n * 1000:6.2f} ms  ({calls[label] / n:.1f} calls)")
    print(json.dumps({"cpu": cpu / n, "db": db / n, "agent": agent / n,
                      "sql": statements[0] / n}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=300)
    parser.add_argument("--known", type=int, default=2000)
    parser.add_argument("--pg-name", default="pompolit_intake_parts")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--src", action="append",
                        help="measure the code of this src folder (e.g. `git archive main src`; "
                        "\"\" for this checkout's), several in turns")
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    (child if args.child else parent)(args)


if __name__ == "__main__":
    main()
