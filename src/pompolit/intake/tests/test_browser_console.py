"""End to end in headless Chromium: an operator takes two calls about the same person with the
keyboard alone — access keys, the station typed ahead, the match proposed as the name is typed
(in another script), the second report added to the first detention. Against a real
`pompolit runserver` on a demo database (the fixtures of core/tests/test_browser.py)."""

import re
from typing import Any

import pytest

from pompolit.core.tests.test_browser import CHROMIUM, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="end-to-end browser tests need Debian's chromium"
    ),
]


def write_down(page: Any, console: str) -> None:
    """Alt+W: the report is posted, and the console comes back (after a redirect) empty."""
    posted = lambda r: r.request.method == "POST" and r.url == console  # noqa: E731
    reloaded = lambda r: r.request.method == "GET" and r.url.startswith(console)  # noqa: E731
    with page.expect_response(reloaded), page.expect_response(posted) as post:
        page.keyboard.press("Alt+w")
    assert post.value.status == 302, post.value.text()[:3000]
    page.wait_for_load_state("domcontentloaded")


def written_down(page: Any) -> str:
    message = page.locator(".messages .message")
    message.wait_for()
    found = re.search(r"[#№]\s?(\d+)", message.inner_text())
    assert found, message.inner_text()
    return found.group(1)


def test_an_operator_takes_two_calls_about_one_person_with_the_keyboard_alone(
    demo_server: str, browser_page: tuple[Any, list[str]]
) -> None:
    from pompolit.members.management.commands.demo import DEMO_MEMBERS

    page, problems = browser_page
    secrets = {pseudonym: secret for pseudonym, secret, _roles in DEMO_MEMBERS}
    sign_in(page, demo_server, "hotline", secrets["hotline"])
    console = f"{demo_server}/intake/moscow-hotline/"
    page.goto(console)

    # The first call: the name field has the focus; Tab to the birth year; Alt+O to the station,
    # typed ahead from the server; Alt+W writes it down.
    page.wait_for_function("document.activeElement.id === 'id_name'")  # autofocus
    page.keyboard.type("Тестова Вера Павловна")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_birth_date"
    page.keyboard.type("1990")
    page.keyboard.press("Alt+o")
    assert page.evaluate("document.activeElement.id") == "id_station"
    with page.expect_response(lambda r: "/stations/" in r.url):
        page.keyboard.type("Тверск")
    page.locator('#station-options option[value="ОВД «Тверской» — Москва"]').wait_for(
        state="attached"
    )
    page.locator("#id_station").fill("ОВД «Тверской» — Москва")
    write_down(page, console)
    first = written_down(page)

    # The second call, the name in Latin letters: the detention is proposed as it is typed;
    # Alt+M picks it, Alt+W adds the report to it instead of making a new one.
    page.wait_for_function("document.activeElement.id === 'id_name'")  # autofocus
    page.keyboard.type("Testova Vera")
    page.keyboard.press("Tab")
    with page.expect_response(lambda r: "/matches/" in r.url):
        page.keyboard.type("1990")
    match = page.locator(f'#matches input[name=link][value="detention:{first}"]')
    match.wait_for()
    page.keyboard.press("Alt+m")
    assert match.is_checked()
    write_down(page, console)
    assert written_down(page) == first

    # What was typed never went into an address: names are posted, stations are public.
    assert "Testova" not in page.url and "Тестова" not in page.url
    assert not problems, problems
