"""The public prisoner pages: shown without login, in Russian and English, only what the
consent in force allows; withdrawn, expired or absent consent is a 404 like no case at all."""


import pytest
from django.test import Client
from django.urls import reverse

from pompolit.cases import services
from pompolit.cases.public import consent
from pompolit.cases.testing import P, days, event_type, status
from pompolit.names import Name

ALL = ["name", "photo", "status", "charges", "sentence", "facility", "birthday", "story"]


def visitor(language="en"):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.cookies["django_language"] = language
    return client


def publish(worker, case, scope, **fields):
    values = {"given_by": "prisoner", "given_on": days(-10), "scope": scope}
    return consent.give(worker, case, **{**values, **fields})


@pytest.fixture
def secretive(unsealed_vault, worker, exile):
    """The exile's case, full of things that must never be published."""
    services.update_case(worker, exile, court="Особое совещание при НКВД",
                         lawyer="Адвокат Плевако", sentence_term="3 года ссылки",
                         notes="Внутренняя заметка: связной в Самаре")
    services.update_private(worker, exile, lawyer_contact="плевако@example.org",
                            needs="Инсулин ежедневно", needs_structured={"diet": "без соли"})
    services.add_relative(worker, exile, relationship="sibling", name="Ремизова Вера",
                          phone="+7 912 345-67-89", contact="Самара, ул. Тайная, 5")
    services.add_charge(worker, exile, code="УК РСФСР 1922", article="57",
                        text="контрреволюционная деятельность")
    services.add_name(worker, exile, Name("Ремизова-Подпольная", "Анюта", ""))
    return exile


SECRETS = ["Особое совещание", "Плевако", "плевако@example.org", "Инсулин", "без соли",
           "Ремизова Вера", "345-67-89", "Тайная", "связной", "ГПУ № 7-1922",
           "Ремизова-Подпольная", "Сослана на три года", "Письмо сестре", "Лубянка"]


def test_without_consent_nothing_is_public(exile):
    response = visitor().get(reverse("public_case", args=[exile.public_id]))
    assert response.status_code == 404
    page = visitor().get(reverse("public_case_list")).content.decode()
    assert "Ремизова" not in page


def test_the_page_shows_the_consented_fields_and_nothing_else(worker, secretive):
    publish(worker, secretive, ["name", "charges"])
    page = visitor().get(reverse("public_case", args=[secretive.public_id])).content.decode()
    assert "Ремизова Анна Петровна" in page and "контрреволюционная деятельность" in page
    assert 'aria-label="No photo"' in page
    for text in [*SECRETS, "3 года ссылки", "1897", "Оренбург", "In exile", "in exile"]:
        assert text not in page, text


def test_everything_consented_is_shown_and_secrets_still_are_not(worker, secretive):
    publish(worker, secretive, ALL, story_ru="Эсерка, историк. Пишите ей!",
            story_en="An SR and historian. Write to her!")
    client = visitor()
    page = client.get(reverse("public_case", args=[secretive.public_id])).content.decode()
    for text in ["Ремизова Анна Петровна", "3 года ссылки", "УК РСФСР 1922 57", "1897",
                 "Оренбург, место ссылки", "Оренбургская губерния", "Write to her!"]:
        assert text in page, text
    for text in SECRETS:
        assert text not in page, text
    listing = client.get(reverse("public_case_list")).content.decode()
    for text in SECRETS:
        assert text not in listing, text


def test_the_letter_address_gives_the_year_of_birth_only_if_the_birthday_is_public(
        worker, exile):
    publish(worker, exile, ["name", "facility"])
    page = visitor().get(reverse("public_case", args=[exile.public_id])).content.decode()
    assert "Оренбург, место ссылки" in page and "1897" not in page


@pytest.mark.parametrize("language", ["ru", "en"])
def test_the_story_is_told_in_the_readers_language(worker, exile, language):
    publish(worker, exile, ["name", "story", "status"], story_ru="Пишите ей письма.",
            story_en="Write her letters.")
    page = visitor(language).get(reverse("public_case", args=[exile.public_id])).content.decode()
    if language == "ru":
        assert "Пишите ей письма." in page and "Write her letters." not in page
        assert 'lang="ru"' in page and "Статус" in page
    else:
        assert "Write her letters." in page and "Пишите ей письма." not in page
        assert "Status" in page


def test_a_story_in_one_language_is_shown_to_every_reader(worker, exile):
    publish(worker, exile, ["name", "story"], story_ru="Только по-русски.")
    page = visitor("en").get(reverse("public_case", args=[exile.public_id])).content.decode()
    assert "Только по-русски." in page and 'lang="ru"' in page


def test_a_withdrawn_consent_takes_the_page_down(worker, exile):
    publish(worker, exile, ["name"])
    url = reverse("public_case", args=[exile.public_id])
    assert visitor().get(url).status_code == 200
    consent.withdraw(worker, exile, given_by="relative")
    assert visitor().get(url).status_code == 404
    assert "Ремизова" not in visitor().get(reverse("public_case_list")).content.decode()


def test_an_expired_consent_takes_the_page_down(worker, exile):
    publish(worker, exile, ["name"], given_on=days(-100), expires_on=days(-1))
    assert visitor().get(reverse("public_case", args=[exile.public_id])).status_code == 404


def test_an_unknown_case_is_a_404_too(db):
    assert visitor().get(reverse("public_case", args=["zzzzzzzzzzzz"])).status_code == 404


@pytest.fixture
def published(worker, open_case, exile, facilities):
    """Three published cases in two regions and two statuses, and one not published."""
    publish(worker, exile, ["name", "status", "facility"])
    colony = open_case("Гершуни", "Григорий", "Андреевич", status=status("detained"),
                       birth_date=P("1870"))
    services.add_event(worker, colony, type=event_type("arrest"), date=P("2024-05-13"),
                       facility=facilities["ik6"])
    publish(worker, colony, ["name", "status", "facility"])
    quiet = open_case("Спиридонова", "Мария", "Александровна", status=status("detained"))
    publish(worker, quiet, ["name"])
    open_case("Каховская", "Ирина", status=status("detained"))
    return {"exile": exile, "colony": colony, "quiet": quiet}


def names_in(response):
    # The list only: the search box repeats what was typed.
    page = response.content.decode().split('<ul class="prisoners">', 1)[1].split("</ul>", 1)[0]
    return {n for n in ("Ремизова", "Гершуни", "Спиридонова", "Каховская") if n in page}


def test_the_list_shows_the_published_only(published):
    response = visitor().get(reverse("public_case_list"))
    assert response.status_code == 200
    assert names_in(response) == {"Ремизова", "Гершуни", "Спиридонова"}


@pytest.mark.parametrize(("query", "found"), [
    ("Gershuni", {"Гершуни"}),
    ("Гершуни Григорий", {"Гершуни"}),
    ("Remizova", {"Ремизова"}),
    ("Каховская", set()),
])
def test_the_list_is_searched_by_name_in_any_script(published, query, found):
    assert names_in(visitor().post(reverse("public_case_list"), {"q": query})) == found


def test_another_name_of_a_person_does_not_find_them(worker, published):
    services.add_name(worker, published["exile"], Name("Подпольная", "Анюта", ""))
    assert names_in(visitor().post(reverse("public_case_list"), {"q": "Подпольная"})) == set()


def test_the_list_is_filtered_by_region_and_status(published):
    url = reverse("public_case_list")
    assert names_in(visitor().get(url, {"region": "Омская область"})) == {"Гершуни"}
    assert names_in(visitor().get(url, {"status": "in-exile"})) == {"Ремизова"}
    # Спиридонова's status is not published: filtering by it must not find her.
    assert names_in(visitor().get(url, {"status": "detained"})) == {"Гершуни"}


def test_the_list_speaks_russian(published):
    page = visitor("ru").get(reverse("public_case_list")).content.decode()
    assert "Политзаключённые" in page or "Политические заключённые" in page
