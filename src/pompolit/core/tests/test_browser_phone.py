"""End to end in headless Chromium, as on a phone (390 px wide) and at a desk: the header folds
its menu, no page scrolls sideways, the header's search finds a case without putting the name
in an address, a dead link shows the styled 404, and the seal button asks before it seals.

Against its own `pompolit demo` server, as test_browser.py does (its fixtures, imported).
"""

from collections.abc import Iterator
from typing import Any

import pytest

from pompolit.core.tests.test_browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    SERVER_LOGS,
    demo_server,
    sign_in,
)

__all__ = ["demo_server"]  # a fixture, used by name

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="needs Debian's chromium at /usr/bin/chromium"),
]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def new_page(demo_server: str) -> Iterator[Any]:
    """new_page(viewport): a page in Russian that may reach only the demo server."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        problems: list[str] = []

        def make(viewport: dict[str, int]) -> Any:
            context = browser.new_context(locale="ru-RU", viewport=viewport)
            context.route(lambda url: not url.startswith(demo_server),
                          lambda route: route.abort())
            page = context.new_page()
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            return page

        yield make
        browser.close()
        assert not [p for p in problems if "Content Security Policy" in p], problems


def secret(pseudonym: str) -> str:
    from pompolit.members.management.commands.demo import DEMO_MEMBERS

    return {name: s for name, s, _roles in DEMO_MEMBERS}[pseudonym]


def scroll_width(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def test_on_a_phone_the_menu_folds_the_search_finds_and_no_page_scrolls_sideways(
    demo_server: str, new_page: Any
) -> None:
    page = new_page(PHONE)
    sign_in(page, demo_server, "nikolai", secret("nikolai"))
    assert scroll_width(page) <= PHONE["width"]

    # The menu is folded behind its button; the header fits in the top of the screen.
    menu = page.get_by_role("navigation", name="Основное меню")
    cases_link = menu.get_by_role("link", name="Дела", exact=True)
    assert not cases_link.is_visible()
    header = page.locator("header.top").bounding_box()
    assert header["y"] + header["height"] < PHONE["height"] / 3
    page.locator("summary", has_text="Меню").click()
    assert cases_link.is_visible()

    # The header's search: typed in Latin letters, found in Cyrillic, sent by POST.
    search = page.get_by_role("search", name="Найти дело")
    search.get_by_label("Имя в любом написании или номер дела").fill("Kibaltchiche")
    with page.expect_response(lambda r: r.request.method == "POST"):
        search.get_by_role("button", name="Найти").click()
    page.wait_for_url(f"{demo_server}/cases/")
    found = page.locator("#results tbody th a").first
    assert "Кибальчич" in found.inner_text()
    assert scroll_width(page) <= PHONE["width"]
    assert "Kibaltchiche" not in SERVER_LOGS[demo_server].read_text(errors="replace")

    # The case page: its timeline scrolls inside its own box, not the page.
    found.click()
    page.wait_for_url(f"{demo_server}/cases/*/*/")
    assert scroll_width(page) <= PHONE["width"]

    # A link to a page that does not exist: the styled 404, in Russian, with the header.
    page.goto(f"{demo_server}/cases/no-such-compartment/999/")
    assert page.get_by_role("heading", name="Такой страницы нет").is_visible()
    assert "URLconf" not in page.content()
    assert page.locator("summary", has_text="Меню").is_visible()
    assert scroll_width(page) <= PHONE["width"]


def test_the_seal_button_is_in_the_header_and_asks_before_it_seals(
    demo_server: str, new_page: Any
) -> None:
    # Last in this module: after it the demo's vault is sealed.
    page = new_page({"width": 1200, "height": 900})
    sign_in(page, demo_server, "vera", secret("vera"))
    # The confirm comes from pompolit.js: on the new page, once it has loaded.
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("navigation", name="Основное меню").get_by_role(
            "link", name="Разделы", exact=True).click()
    button = page.locator("header").get_by_role("button", name="Запечатать хранилище сейчас")
    asked: list[str] = []

    def answer(dialog: Any, accept: bool) -> None:
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda d: answer(d, False))
    button.click()
    assert asked and "Запечатать хранилище сейчас?" in asked[0]
    assert not page.locator(".sealed-banner").count()

    page.once("dialog", lambda d: answer(d, True))
    button.click()
    page.wait_for_url(f"{demo_server}/vault/")
    assert page.locator(".sealed-banner").is_visible()
    assert not page.locator("header").get_by_role(
        "button", name="Запечатать хранилище сейчас").count()
