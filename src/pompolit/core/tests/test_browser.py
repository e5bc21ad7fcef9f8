"""End to end in headless Chromium: a coordinator signs in with password and TOTP and approves
the other coordinator's request, against a real `pompolit runserver` on a throwaway SQLite file.

No live_server or transactional_db: the server is a separate process with its own database made
by `pompolit demo`, so the append-only audit triggers never meet a test-database flush.
"""

import base64
import hashlib
import hmac
import os
import shutil
import socket
import struct
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEMO_PASSWORD = "demo-password-2026"
# Each demo server's runserver output, to read what it logged.
SERVER_LOGS: dict[str, Path] = {}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="end-to-end browser tests need Debian's chromium at /usr/bin/chromium "
        "(apt-get install chromium)",
    ),
]


def totp_now(secret: str) -> str:
    """What an authenticator app shows now for `secret` (RFC 6238, 30 s, 6 digits)."""
    digest = hmac.new(
        base64.b32decode(secret), struct.pack(">Q", int(time.time()) // 30), hashlib.sha1
    ).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pompolit_command() -> list[str]:
    script = Path(sys.executable).with_name("pompolit")
    return [str(script)] if script.exists() else [sys.executable, "-m", "pompolit.cli"]


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    var_dir = tmp_path_factory.mktemp("pompolit-browser")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POMPOLIT_", "DJANGO_"))}
    # Always a fresh SQLite file of its own, even when the suite itself runs on PostgreSQL.
    env |= {
        "POMPOLIT_VAR_DIR": str(var_dir),
        "POMPOLIT_DEMO": "1",
        "DJANGO_SETTINGS_MODULE": "pompolit.settings.dev",
        "PYTHONUNBUFFERED": "1",
    }
    subprocess.run(
        [*pompolit_command(), "demo"], env=env, check=True, capture_output=True, timeout=600
    )
    port = free_port()
    log = (var_dir / "server.log").open("w")
    server = subprocess.Popen(
        [*pompolit_command(), "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    SERVER_LOGS[base] = var_dir / "server.log"
    try:
        # Up to a minute: on a loaded machine Django's start-up alone can take 20 s.
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"{base}/accounts/login/", timeout=2):  # noqa: S310
                    break
            except OSError:
                if server.poll() is not None:
                    break
                time.sleep(0.2)
        else:
            pytest.fail("runserver did not answer within 60 s")
        if server.poll() is not None:
            pytest.fail("runserver stopped:\n" + (var_dir / "server.log").read_text())
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()
        shutil.rmtree(var_dir, ignore_errors=True)


@pytest.fixture
def browser_page(demo_server: str) -> Iterator[tuple[Any, list[str]]]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(locale="ru-RU", viewport={"width": 1200, "height": 900})
        # Any request leaving this server fails loudly instead of reaching the internet.
        context.route(
            lambda url: not url.startswith(demo_server),
            lambda route: route.abort(),
        )
        page = context.new_page()
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        # A navigation may cut short its own page's scripts (net::ERR_ABORTED); anything else
        # failing, and any request to another site, is a problem.
        page.on(
            "requestfailed",
            lambda r: problems.append(f"request failed: {r.url} {r.failure}")
            if not r.url.startswith(demo_server) or r.failure != "net::ERR_ABORTED"
            else None,
        )
        yield page, problems
        browser.close()


# The time step each secret's code was last typed in: a code is accepted once (a replay is
# refused), so a member signing in again within the same 30 s waits for the next code.
_USED_STEPS: dict[str, int] = {}


def fresh_totp(secret: str) -> str:
    """A code for `secret` that these tests have not typed before, as a person would wait
    for the next one."""
    while int(time.time()) // 30 == _USED_STEPS.get(secret):
        time.sleep(0.5)
    _USED_STEPS[secret] = int(time.time()) // 30
    return totp_now(secret)


def sign_in(page: Any, base: str, pseudonym: str, secret: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Псевдоним").fill(pseudonym)
    page.get_by_label("Пароль").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Войти", exact=True).click()
    page.wait_for_url(f"{base}/accounts/2fa/authenticate/")
    page.get_by_label("Код").fill(fresh_totp(secret))
    page.get_by_role("button", name="Войти", exact=True).click()
    page.wait_for_url(f"{base}/dashboard/")


def test_coordinator_signs_in_with_totp_and_approves_the_other_coordinators_request(
    demo_server: str, browser_page: tuple[Any, list[str]]
) -> None:
    from pompolit.members.management.commands.demo import DEMO_MEMBERS

    page, problems = browser_page
    secrets = {pseudonym: secret for pseudonym, secret, _roles in DEMO_MEMBERS}

    sign_in(page, demo_server, "vera", secrets["vera"])
    assert page.get_by_role("heading", name="Здравствуйте, vera").is_visible()
    assert page.locator(".demo-banner").is_visible()

    # The demo has one request from sofia waiting for vera: open it from the inbox.
    page.get_by_role("navigation").get_by_role("link", name="Согласования").click()
    page.locator("table").first.locator("tbody a").first.click()
    assert page.get_by_role("heading", name="Что именно будет выполнено").is_visible()
    fingerprint = page.locator(".fingerprint").inner_text()
    assert len(fingerprint) == 64
    assert page.locator("input[name=digest]").get_attribute("value") == fingerprint

    # htmx swaps the page body in place; the result reads the same as after a full reload.
    page.get_by_role("button", name="Одобрить и выполнить").click()
    page.get_by_text("Одобрено и выполнено.").wait_for()
    assert page.locator("h1 .badge").inner_text() == "выполнен"

    page.reload()
    assert page.locator("h1 .badge").inner_text() == "выполнен"
    assert not page.get_by_role("button", name="Одобрить и выполнить").count()

    # The language switch keeps the page.
    url = page.url
    page.get_by_role("button", name="EN").click()
    page.wait_for_load_state()
    assert page.url == url
    assert page.get_by_role("heading", name="Exactly what will run").is_visible()

    csp = [p for p in problems if "Content Security Policy" in p or "Refused to" in p]
    assert not csp, csp
    assert not problems, problems


def test_case_worker_searches_a_name_and_the_server_log_never_sees_it(
    demo_server: str, browser_page: tuple[Any, list[str]]
) -> None:
    from pompolit.members.management.commands.demo import DEMO_MEMBERS

    page, problems = browser_page
    secrets = {pseudonym: secret for pseudonym, secret, _roles in DEMO_MEMBERS}
    sign_in(page, demo_server, "nikolai", secrets["nikolai"])
    page.get_by_role("navigation").get_by_role("link", name="Дела").click()
    page.wait_for_url(f"{demo_server}/cases/")

    # Typed in Latin letters, found in Cyrillic; htmx swaps the results, the address stays.
    search = page.get_by_role("search")
    search.get_by_label("Имя, номер дела, место").fill("Kibaltchiche")
    with page.expect_response(lambda r: r.request.method == "POST"):
        search.get_by_role("button", name="Искать").click()
    results = page.locator("#results tbody th a")
    results.first.wait_for()
    assert "Кибальчич" in results.all_inner_texts()[0]
    assert page.url == f"{demo_server}/cases/"

    # An old bookmark with the name in it: the same list, the name gone, a word on why.
    page.goto(f"{demo_server}/cases/?q=Kibaltchiche")
    assert page.url == f"{demo_server}/cases/"
    assert page.get_by_text("Введите запрос снова").is_visible()

    log = SERVER_LOGS[demo_server].read_text(errors="replace")
    assert '"POST /cases/ HTTP/1.1" 200' in log and '"GET /cases/ HTTP/1.1" 302' in log
    assert "Kibaltchiche" not in log and "q=" not in log
    assert not problems, problems
