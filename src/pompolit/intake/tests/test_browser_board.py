"""End to end in headless Chromium, on the demo: the surge board and the console's glance at
the stations show every column on a 390-px phone and on a desktop, in Russian and English,
without scrolling sideways or cutting a column's name; and the demo's `lev`, a case worker who
also takes hotline shifts, opens a detention that led to a criminal case as a case of the
registry from their dashboard."""

from typing import Any

import pytest

from pompolit.core.tests.test_browser import CHROMIUM, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="end-to-end browser tests need Debian's chromium"
    ),
]

# What does not fit: a table's box that scrolls sideways, a header cell whose text spills out.
NOT_FITTING = """() => {
  const found = [];
  for (const wrap of document.querySelectorAll("main .table-wrap")) {
    if (wrap.scrollWidth > wrap.clientWidth + 1)
      found.push(`scrolls: ${wrap.scrollWidth} > ${wrap.clientWidth}`);
    for (const th of wrap.querySelectorAll("thead th")) {
      if (th.scrollWidth > th.clientWidth + 1 || th.scrollHeight > th.clientHeight + 1)
        found.push(`cut: ${th.textContent.trim()}`);
    }
  }
  if (document.documentElement.scrollWidth > window.innerWidth) found.push("the page scrolls");
  return found;
}"""


def _secret(pseudonym: str) -> str:
    from pompolit.members.management.commands.demo import DEMO_MEMBERS

    return {name: secret for name, secret, _roles in DEMO_MEMBERS}[pseudonym]


def test_every_station_column_is_in_view_on_a_phone_and_a_desktop(
    demo_server: str, browser_page: tuple[Any, list[str]]
) -> None:
    page, problems = browser_page
    sign_in(page, demo_server, "hotline", _secret("hotline"))
    for language in ("ru", "en"):
        page.context.add_cookies(
            [{"name": "django_language", "value": language, "url": demo_server}]
        )
        for width in (390, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            for where in ("board/", ""):
                page.goto(f"{demo_server}/intake/moscow-hotline/{where}")
                headers = page.locator("main .table-wrap thead th")
                assert headers.count() >= 4
                assert page.evaluate(NOT_FITTING) == [], (language, width, where)
    assert problems == []


def test_lev_opens_a_criminal_case_from_the_dashboard(
    demo_server: str, browser_page: tuple[Any, list[str]]
) -> None:
    page, problems = browser_page
    sign_in(page, demo_server, "lev", _secret("lev"))
    card = page.locator("#hotline")
    assert "Уголовные дела, которые нужно завести в реестре" in card.inner_text()
    card.get_by_role("link", name="Гольдберг Илья Павлович").click()
    page.get_by_label("Раздел реестра").select_option(label="Московские уголовные дела")
    page.get_by_role("button", name="Завести дело").click()
    page.get_by_text("Задержание стало делом в реестре.").wait_for()
    assert "/cases/" in page.url and "Гольдберг" in page.locator("main").inner_text()
    assert problems == []
