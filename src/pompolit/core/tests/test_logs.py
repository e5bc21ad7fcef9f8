"""No search text in any log line the service writes (`pompolit.core.logs`, the LOGGING of the
settings, the shipped gunicorn configuration).

A case worker searches for a name and a phone number — by POST as the page does, and by GET as
an old bookmark does — while every logger is configured exactly as the dev and production
settings configure it; runserver's own request handler and gunicorn (a real one, started with
`-c python:pompolit.gunicorn_conf`) write their access lines. No canary may be in any output.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import logging
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus, urlencode

import pytest
from django.conf import settings
from django.core.servers.basehttp import WSGIRequestHandler
from django.test import Client
from django.urls import reverse
from django.utils.log import configure_logging
from hypothesis import given
from hypothesis import strategies as st

from pompolit.core.logs import StripQueryStrings, strip_query_strings
from pompolit.members.roles import Role

NAME = "Канарейкина Глафира"
PHONE = "+7 916 555-12-34"
ROOT = Path(__file__).resolve().parents[4]


def traces(canary: str) -> list[str]:
    """The forms the canary takes in a log line: as typed, and as an address carries it."""
    return [canary, quote(canary), quote_plus(canary), canary.replace(" ", "+"),
            canary.split()[0], quote(canary.split()[0])]


def leaked(output: str) -> list[str]:
    return [t for canary in (NAME, PHONE) for t in traces(canary) if t in output]


def production_logging(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, Any]:
    secret = tmp_path / "secret"
    secret.write_text("x" * 64)
    monkeypatch.setenv("POMPOLIT_SECRET_KEY_FILE", str(secret))
    monkeypatch.setenv("POMPOLIT_VAULT_SOCKET", str(tmp_path / "agent.sock"))
    monkeypatch.delenv("POMPOLIT_DEMO", raising=False)
    sys.modules.pop("pompolit.settings.production", None)
    try:
        logging_settings: dict[str, Any] = importlib.import_module(
            "pompolit.settings.production").LOGGING
    finally:
        sys.modules.pop("pompolit.settings.production", None)
    return logging_settings


@contextlib.contextmanager
def service_logs(logging_settings: dict[str, Any]) -> Iterator[io.StringIO]:
    """Logging configured as Django configures it at start-up, every stream into one buffer."""
    out = io.StringIO()
    with contextlib.redirect_stderr(out), contextlib.redirect_stdout(out):
        configure_logging(settings.LOGGING_CONFIG, logging_settings)
    try:
        yield out
    finally:
        configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)


@pytest.fixture(params=["dev", "production"])
def logging_settings(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch,
                     tmp_path: Path) -> dict[str, Any]:
    if request.param == "dev":
        logging_settings: dict[str, Any] = importlib.import_module(
            "pompolit.settings.dev").LOGGING
        return logging_settings
    return production_logging(monkeypatch, tmp_path)


def runserver_line(request_line: str, status: str = "200") -> None:
    """What runserver's request handler does after each request."""
    handler = WSGIRequestHandler.__new__(WSGIRequestHandler)
    handler.request = None
    handler.requestline = request_line
    handler.log_request(status, "1234")  # type: ignore[arg-type]


# -- the filter itself -----------------------------------------------------------------------


@pytest.mark.parametrize(("line", "kept"), [
    ('"GET /cases/?q=%D0%9A HTTP/1.1" 302 0', '"GET /cases/ HTTP/1.1" 302 0'),
    ("Not Found: /x/?phone=+79165551234", "Not Found: /x/"),
    ("redirect to https://pomosch.example.org/accounts/login/?next=/cases/%3Fq%3DX now",
     "redirect to https://pomosch.example.org/accounts/login/ now"),
    ("/accounts/login/%3Fnext%3D/cases/ seen", "/accounts/login/ seen"),
    ("no address here, a question? yes", "no address here, a question? yes"),
])
def test_query_strings_are_cut_from_a_line(line, kept):
    assert strip_query_strings(line) == kept


SEGMENT = st.text("abcxyzабвэюя0129._-%", min_size=1, max_size=12)


@given(path=st.lists(SEGMENT, max_size=4),
       query=st.text(st.characters(blacklist_categories=["Z", "C"],
                                   blacklist_characters="\"'<>"), min_size=1))
def test_nothing_after_the_question_mark_survives(path, query):
    line = f'"GET /{"/".join(path)}?{query} HTTP/1.1" 200'
    assert strip_query_strings(line) == f'"GET /{"/".join(path)} HTTP/1.1" 200'


def test_a_traceback_is_cleaned_too():
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1,
                               "Internal Server Error: %s", ("/cases/",), None)
    try:
        raise ValueError(f"bad request line 'GET /cases/?q={quote(NAME)} HTTP/1.1'")
    except ValueError:
        record.exc_info = sys.exc_info()
    assert StripQueryStrings().filter(record)
    assert leaked(logging.Formatter().format(record)) == []


# -- the service's logs while a case worker searches ------------------------------------------


@pytest.fixture
def worker(make_member, compartment):
    return make_member("Николай Морозов", Role.CASE_WORKER, compartments=[compartment])


def test_searching_by_post_and_by_an_old_bookmark_leaves_no_trace_in_the_logs(
        logging_settings, worker, client_for):
    client = client_for(worker)
    with service_logs(logging_settings) as out:
        for text in (NAME, PHONE):
            assert client.post(reverse("case_list"), {"q": text}).status_code == 200
            old = client.get(reverse("case_list"), {"q": text, "overdue": "on"})
            assert old.status_code == 302 and "q=" not in old["Location"]
            assert not leaked(old["Location"])
            # A page that does not exist is logged by django.request, with its address.
            assert client.get("/cases/nowhere/", {"q": text}).status_code == 404
            # Signed out, the address comes back in a `next=` to the login page.
            assert Client().get(reverse("case_list"), {"q": text}).status_code == 302
            # runserver's access line for the old bookmark, as its handler writes it.
            runserver_line(f"GET /cases/?{urlencode({'q': text})} HTTP/1.1", "302")
            runserver_line(f"GET /cases/nowhere/?{urlencode({'q': text})} HTTP/1.1", "404")
            logging.getLogger("pompolit").warning("searched %s", f"/cases/?q={quote(text)}")
    output = out.getvalue()
    assert "Not Found: /cases/nowhere/" in output  # the loggers did write
    assert '"GET /cases/ HTTP/1.1" 302' in output
    assert '"GET /cases/nowhere/ HTTP/1.1" 404' in output
    assert leaked(output) == []


def test_without_the_filter_the_canary_would_be_there(worker):
    """The test above can fail: Django's default logging writes the query."""
    with service_logs({"version": 1, "disable_existing_loggers": False}) as out:
        runserver_line(f"GET /cases/?{urlencode({'q': NAME})} HTTP/1.1")
    assert leaked(out.getvalue())


# -- gunicorn, started the way docs/deploy.md says ---------------------------------------------


def http(sock_path: Path, raw: bytes) -> bytes:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.settimeout(60)
        conn.connect(str(sock_path))
        conn.sendall(raw)
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.fixture
def gunicorn(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    sock, log = tmp_path / "gunicorn.sock", tmp_path / "gunicorn.log"
    var = tmp_path / "var"
    var.mkdir()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("POMPOLIT_")},
           "POMPOLIT_VAR_DIR": str(var), "DJANGO_SETTINGS_MODULE": "pompolit.settings.dev",
           "POMPOLIT_DATABASE_URL": f"sqlite:///{var / 'pompolit.sqlite3'}",
           "PYTHONPATH": str(ROOT / "src"), "PYTHONUNBUFFERED": "1"}
    with open(log, "wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "python:pompolit.gunicorn_conf",
             "--bind", f"unix:{sock}", "--workers", "1", "--access-logfile", "-",
             "--error-logfile", "-", "pompolit.wsgi"],
            env=env, stdout=out, stderr=subprocess.STDOUT, cwd=tmp_path)
    try:
        # Start-up on a loaded machine can take many seconds: wait for the socket to answer.
        for _ in range(1200):
            if server.poll() is not None:
                pytest.fail("gunicorn did not start:\n" + log.read_text(errors="replace"))
            if sock.exists():
                with contextlib.suppress(OSError):
                    http(sock, b"GET /nowhere/ HTTP/1.0\r\n\r\n")
                    break
            time.sleep(0.1)
        yield sock, log
    finally:
        server.terminate()
        server.wait(timeout=60)


def test_gunicorn_logs_paths_without_query_strings_or_referrers(gunicorn):
    sock, log = gunicorn
    for text in (NAME, PHONE):
        query = urlencode({"q": text})
        http(sock, f"GET /cases/?{query} HTTP/1.0\r\nHost: localhost\r\n"
                   f"Referer: http://localhost/cases/?{query}\r\n\r\n".encode())
        http(sock, f"GET /cases/nowhere/?{query} HTTP/1.0\r\nHost: localhost\r\n\r\n".encode())
        # A malformed request line is quoted in gunicorn's error log.
        http(sock, f"GET /cases/?{query} HTTP/1.0 extra\r\n\r\n".encode())
    # The worker writes its access line before it closes the connection: all is in the log.
    output = log.read_text(errors="replace")
    assert '"GET /cases/ HTTP/1.0" 302' in output  # the access log did write
    assert leaked(output) == []
