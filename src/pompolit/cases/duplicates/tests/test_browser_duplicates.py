"""End to end in headless Chromium: a coordinator reviews a pair in the queue, merges it and
undoes the merge, against a real `pompolit runserver` on a throwaway SQLite file."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator

import pytest

from pompolit.core.tests.test_browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    free_port,
    pompolit_command,
    sign_in,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="end-to-end browser tests need Debian's chromium"
    ),
]

# Two records of Vera Figner, without cases: one coordinator may merge them.
SETUP = """
from pompolit.cases.duplicates.testing import person
from pompolit.cases.partial import PartialDate
person("Фигнер", "Вера", "Николаевна", birth=PartialDate(1852, 7, 7))
person("Figner", "Vera", birth=PartialDate(1852))
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    var_dir = tmp_path_factory.mktemp("pompolit-duplicates")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POMPOLIT_", "DJANGO_"))}
    env |= {
        "POMPOLIT_VAR_DIR": str(var_dir),
        "POMPOLIT_DEMO": "1",
        "DJANGO_SETTINGS_MODULE": "pompolit.settings.dev",
        "PYTHONUNBUFFERED": "1",
    }
    for command in (["demo"], ["shell", "-c", SETUP], ["people", "duplicates"]):
        subprocess.run(
            [*pompolit_command(), *command], env=env, check=True, capture_output=True, timeout=240
        )
    port = free_port()
    log = (var_dir / "server.log").open("w")
    process = subprocess.Popen(
        [*pompolit_command(), "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"{base}/accounts/login/", timeout=2):  # noqa: S310
                    break
            except OSError:
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()
        shutil.rmtree(var_dir, ignore_errors=True)


def test_coordinator_merges_a_pair_from_the_queue_and_undoes_it(server: str) -> None:
    from pompolit.members.management.commands.demo import DEMO_MEMBERS

    sync_api = pytest.importorskip("playwright.sync_api")
    secrets = {pseudonym: secret for pseudonym, secret, _roles in DEMO_MEMBERS}
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(locale="ru-RU", viewport={"width": 1200, "height": 900})
        context.route(lambda url: not url.startswith(server), lambda route: route.abort())
        page = context.new_page()
        problems: list[str] = []
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("dialog", lambda dialog: dialog.accept())
        sign_in(page, server, "vera", secrets["vera"])

        page.goto(f"{server}/cases/people/duplicates/")
        row = page.locator("tr[data-pair]").filter(has_text="Figner Vera")
        assert "Фигнер Вера Николаевна" in row.inner_text()
        # "Unsure" is recorded in place (htmx); the pair stays, with its decision.
        with page.expect_response(lambda r: r.request.method == "POST"):
            row.locator("button[value=unsure]").click()
        page.locator("tr[data-pair] .badge").first.wait_for()

        row.locator("a[href$='/merge/']").click()
        page.wait_for_load_state()
        if "/reauthenticate/" in page.url:
            page.locator("input[name=password]").fill("demo-password-2026")
            page.locator("input[name=password]").press("Enter")
            page.wait_for_url("**/merge/")
        page.locator("form .form-actions button").click()
        page.wait_for_url("**/cases/people/merges/*/")
        assert "Figner Vera" in page.locator(".person-card").first.inner_text()
        assert page.locator(".person-card").count() == 1

        page.locator("#undo-merge button").click()
        page.wait_for_load_state()
        page.locator(".person-card").nth(1).wait_for()
        cards = page.locator(".person-card").all_inner_texts()
        assert any("Фигнер Вера Николаевна" in c for c in cards)
        assert any("Figner Vera" in c and "Фигнер" not in c for c in cards)
        assert not page.locator("#undo-merge").count()
        assert not problems, problems
        browser.close()
