"""End to end in headless Chromium, in Russian: a case worker registers a detainee on one page —
the arrest, a facility that is not yet in the list (created here, because she asked), the
charge and the mother's phone — and lands on the new case with all of it there."""

from typing import Any

import pytest

from pompolit.core.tests.test_browser import (  # noqa: F401 (the fixtures)
    CHROMIUM,
    browser_page,
    demo_server,
    sign_in,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium"),
]


def test_a_case_worker_registers_a_detainee_with_a_new_facility_and_a_relative(
    demo_server: str,  # noqa: F811 (the fixture)
    browser_page: tuple[Any, list[str]],  # noqa: F811 (the fixture)
) -> None:
    from pompolit.members.management.commands.demo import DEMO_MEMBERS

    page, problems = browser_page
    secrets = {pseudonym: secret for pseudonym, secret, _roles in DEMO_MEMBERS}
    sign_in(page, demo_server, "nikolai", secrets["nikolai"])
    page.goto(f"{demo_server}/cases/")
    page.get_by_role("link", name="Новый задержанный").click()
    page.wait_for_url(f"{demo_server}/cases/new/")
    assert page.get_by_role("heading", name="Новый задержанный").is_visible()

    page.locator("#id_surname").fill("Чернышёв")
    page.locator("#id_given").fill("Алексей")
    page.locator("#id_patronymic").fill("Игоревич")
    page.locator("#id_birth_date").fill("02.04.1987")
    page.locator("#id_arrest_date").fill("06.03.2023")
    page.locator("#id_arrest_place").fill("Москва, Пушкинская площадь")

    # The new facility's boxes show only once "a new facility" is chosen; the list filters.
    assert page.locator("#new-facility").is_hidden()
    page.get_by_label("Найти учреждение в списке").fill("нет такого")
    page.locator("#id_facility").select_option(label="Новое учреждение (опишите его ниже)")
    assert page.locator("#new-facility").is_visible()
    page.locator("#id_new_facility_name").fill("ФКУ СИЗО-3 УФСИН России по Костромской области")
    page.locator("#id_new_facility_region").fill("Костромская область")
    page.locator("#id_new_facility_type").select_option(label="СИЗО")

    page.locator("#id_charge_article").fill("207.3 ч. 2")
    page.locator("#id_relative_relationship").select_option(label="мать")
    page.locator("#id_relative_name").fill("Чернышёва Ольга Петровна")
    page.locator("#id_relative_phone").fill("+7 912 345-67-89")
    page.get_by_role("button", name="Зарегистрировать задержанного").click()
    page.wait_for_load_state()
    errors = page.locator(".errors li, .form-errors p").all_inner_texts()
    assert not errors, errors
    page.get_by_text("Задержанный зарегистрирован.").wait_for()
    assert "/cases/" in page.url and page.url != f"{demo_server}/cases/new/"
    body = page.locator("main").inner_text()
    assert "Чернышёв Алексей Игоревич" in body
    assert "ФКУ СИЗО-3 УФСИН России по Костромской области" in body
    assert "207.3 ч. 2" in body and "арест" in body.lower()

    # The relative's details are on the private page (encrypted; the reading is logged).
    page.get_by_role("link", name="Родственники, адвокат, нужды").first.click()
    assert page.get_by_text("Чернышёва Ольга Петровна").is_visible()
    assert not problems, problems


def test_typing_a_name_already_registered_shows_the_person_before_anything_is_saved(
    demo_server: str,  # noqa: F811 (the fixture)
    browser_page: tuple[Any, list[str]],  # noqa: F811 (the fixture)
) -> None:
    """A relative spells the name in passport Latin; the demo's Чернышёв is found as it is
    typed, with a link to his case, so the case worker opens it instead of a second one."""
    from pompolit.members.management.commands.demo import DEMO_MEMBERS

    page, problems = browser_page
    secrets = {pseudonym: secret for pseudonym, secret, _roles in DEMO_MEMBERS}
    sign_in(page, demo_server, "nikolai", secrets["nikolai"])
    page.goto(f"{demo_server}/cases/new/")
    matches = page.locator("#possible-matches")
    assert matches.inner_text().strip() == ""

    page.locator("#id_surname").press_sequentially("Chernyshev", delay=20)
    page.locator("#id_given").press_sequentially("Aleksei", delay=20)
    matches.get_by_text("Возможно, уже есть в реестре:").wait_for()
    assert "Чернышёв Алексей Игоревич" in matches.inner_text()
    assert matches.get_by_role("link").count() >= 1
    # Typing went on in the field it was in: the matches did not take the focus away.
    assert page.evaluate("document.activeElement.id") == "id_given"
    assert not problems, problems
