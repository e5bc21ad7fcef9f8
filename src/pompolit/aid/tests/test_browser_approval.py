"""End to end in headless Chromium, in Russian: a coordinator outside the compartment opens a
12 500 ₽ parcel's approval from the approvals list and reads what she is asked to approve —
the prisoner by the case's number, the contents and weight, the facility and its rules check,
the fund before and after — with the exact payload folded away, and no link to a 403.

The demo server is core/tests/test_browser.py's, with one thing more before it starts: the case
worker asks for the parcel's approval (`pompolit shell`, on the demo's own database)."""

import os
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pompolit.core.tests.test_browser import (  # noqa: F401 (the browser_page fixture)
    CHROMIUM,
    browser_page,
    free_port,
    pompolit_command,
    sign_in,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium"),
]

ASK_FOR_A_PARCEL = """
import datetime
from pompolit.aid import lifecycle, services
from pompolit.aid.services import ContentLine
from pompolit.cases.models import Case
from pompolit.ledger import services as ledger
from pompolit.members.models import Member

worker = Member.objects.get(pseudonym="nikolai")
case = Case.objects.get(person__display_name__startswith="Чернышёв")
item = services.create_item(
    worker, case, "parcel", ledger.fund("parcels"), planned_on=datetime.date(2026, 12, 20),
    cost=ledger.money("12500", "RUB"), channel="post",
    contents=[ContentLine("food", 6, 12000, "крупа, сахар, сухари"),
              ContentLine("tea-coffee", 2, 1000, "чай чёрный")])
lifecycle.request_item_approval(worker, item, reason="Новогодняя передача")
print("case", case.pk)
"""


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    var_dir = tmp_path_factory.mktemp("pompolit-browser-approval")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POMPOLIT_", "DJANGO_"))}
    env |= {"POMPOLIT_VAR_DIR": str(var_dir), "POMPOLIT_DEMO": "1",
            "DJANGO_SETTINGS_MODULE": "pompolit.settings.dev", "PYTHONUNBUFFERED": "1"}
    subprocess.run([*pompolit_command(), "demo"], env=env, check=True, capture_output=True,
                   timeout=180)
    subprocess.run([*pompolit_command(), "shell", "-c", ASK_FOR_A_PARCEL], env=env, check=True,
                   capture_output=True, timeout=60)
    port = free_port()
    log = (var_dir / "server.log").open("w")
    server = subprocess.Popen(
        [*pompolit_command(), "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"{base}/accounts/login/", timeout=2):  # noqa: S310
                    break
            except OSError:
                if server.poll() is not None:
                    pytest.fail("runserver stopped:\n" + Path(log.name).read_text())
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()
        shutil.rmtree(var_dir, ignore_errors=True)


def test_a_coordinator_reads_the_parcel_she_is_asked_to_approve(
    demo_server: str, browser_page: tuple[Any, list[str]]  # noqa: F811 (the fixture)
) -> None:
    from pompolit.members.management.commands.demo import DEMO_MEMBERS

    page, problems = browser_page
    secrets = {pseudonym: secret for pseudonym, secret, _roles in DEMO_MEMBERS}
    sign_in(page, demo_server, "vera", secrets["vera"])

    page.get_by_role("navigation").get_by_role("link", name="Согласования").click()
    page.get_by_role("link", name="Посылка, получатель — заключённый по делу №").click()

    main = page.locator("main")
    assert page.get_by_role("heading", name="Что произойдёт").is_visible()
    # Babel writes money with no-break spaces ("12 500,00 ₽").
    text = main.inner_text().replace("\xa0", " ").replace("\u202f", " ")
    assert "Чернышёв" not in text and "крупа" not in text
    assert "ИК-6" in text
    assert "продукты" in text and "13 кг" in text
    assert page.get_by_text("Помощь соответствует правилам учреждения").is_visible()
    assert "12 500,00 ₽" in text and "Остаток фонда после" in text
    assert not main.locator("a[href*='/aid/']").count()  # nothing that would answer 403

    # The exact payload is there, folded until asked for; its fingerprint shows.
    exact = page.get_by_role("heading", name="Что именно будет выполнено")
    assert exact.is_visible() and page.locator(".fingerprint").is_visible()
    assert not page.locator(".payload").is_visible()
    exact.click()
    assert page.locator(".payload").is_visible()
    assert page.get_by_role("button", name="Одобрить и выполнить").is_visible()
    if os.environ.get("POMPOLIT_SCREENSHOT"):
        page.screenshot(path=os.environ["POMPOLIT_SCREENSHOT"], full_page=True)
    assert not problems, problems
