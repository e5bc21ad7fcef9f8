"""Search: a name in any script or case ending, a case number, a place; filters; and never a
case from a compartment the member does not see."""

import pytest

from pompolit.cases import services
from pompolit.cases.models import NameKind
from pompolit.cases.search.services import Filters, search_cases
from pompolit.cases.testing import TODAY, P, event_type, status
from pompolit.names import Name


@pytest.fixture
def registry(worker, open_case, facilities, exile):
    kibalchich = open_case("Кибальчич", "Виктор", "Львович", case_number="1-12/2022",
                           status=status("sentenced"))
    services.add_name(worker, kibalchich, Name("Серж", "Виктор"), NameKind.PSEUDONYM)
    services.add_event(worker, kibalchich, type=event_type("arrest"), date=P("2022-03-06"),
                       facility=facilities["ik6"], place="Омск")
    chernyshev = open_case("Чернышёв", "Алексей", "Игоревич", case_number="1-7/2023",
                           status=status("on-trial"), notes="Голодовка в СИЗО, нужен врач")
    services.add_name(worker, chernyshev, Name("Chernyshov", "Aleksei"), NameKind.ALIAS)
    navalnaya = open_case("Навальная", "Юлия")
    return {"kibalchich": kibalchich, "chernyshev": chernyshev, "navalnaya": navalnaya,
            "remizova": exile}


def names(results):
    return [c.person.display_name for c in results]


@pytest.mark.parametrize("query", ["Kibaltchiche", "Kibalchich", "Kibal'chich", "кибальчич",
                                   "Кибальчича", "Виктор Серж", "Victor Serge",
                                   "Kibalchich Viktor"])
def test_a_name_is_found_in_any_spelling(registry, worker, query):
    assert names(search_cases(worker, query, today=TODAY))[0] == "Кибальчич Виктор Львович"


def test_every_word_must_match(registry, worker):
    assert names(search_cases(worker, "Кибальчич Алексей", today=TODAY)) == []
    assert names(search_cases(worker, "Алексей Чернышова", today=TODAY)) == [
        "Чернышёв Алексей Игоревич"]


def test_a_feminine_form_does_not_find_the_masculine_by_case_ending(registry, worker):
    found = names(search_cases(worker, "Навальной", today=TODAY))
    assert found == ["Навальная Юлия"]


def test_a_case_number_in_any_punctuation(registry, worker):
    assert names(search_cases(worker, "1-12/2022", today=TODAY)) == ["Кибальчич Виктор Львович"]
    assert names(search_cases(worker, "№ 1 12 2022", today=TODAY))[0] == (
        "Кибальчич Виктор Львович")


def test_places_and_notes(registry, worker):
    assert names(search_cases(worker, "Омск", today=TODAY)) == ["Кибальчич Виктор Львович"]
    assert names(search_cases(worker, "врач", today=TODAY)) == ["Чернышёв Алексей Игоревич"]


def test_filters(registry, worker, facilities):
    assert names(search_cases(worker, filters=Filters(status="on-trial"), today=TODAY)) == [
        "Чернышёв Алексей Игоревич"]
    assert names(search_cases(worker, filters=Filters(facility=facilities["orenburg"].pk),
                              today=TODAY)) == ["Ремизова Анна Петровна"]
    assert names(search_cases(worker, filters=Filters(region="Омская область"),
                              today=TODAY)) == ["Кибальчич Виктор Львович"]
    overdue = names(search_cases(worker, filters=Filters(overdue=True), today=TODAY))
    assert "Ремизова Анна Петровна" in overdue


def test_nothing_is_found_outside_the_members_compartments(registry, outsider, compartment):
    assert search_cases(outsider, "Кибальчич", today=TODAY) == []
    assert search_cases(outsider, "1-12/2022", today=TODAY) == []
    assert search_cases(outsider, "", filters=Filters(compartment=compartment.pk),
                        today=TODAY) == []


# -- free text: notes, event summaries and places, through the keyed word index ------------


@pytest.mark.parametrize("query", ["голодовку", "Голодовки", "ГОЛОДОВКА", "голодовк", "сизо",
                                   "врача", "Голодовка врач"])
def test_notes_are_found_by_word_forms(registry, worker, query):
    assert names(search_cases(worker, query, today=TODAY)) == ["Чернышёв Алексей Игоревич"]


def test_event_summaries_and_places_are_found(registry, worker):
    assert names(search_cases(worker, "тёплые вещи", today=TODAY)) == ["Ремизова Анна Петровна"]
    assert names(search_cases(worker, "сослана", today=TODAY)) == ["Ремизова Анна Петровна"]
    assert names(search_cases(worker, "Омске", today=TODAY)) == ["Кибальчич Виктор Львович"]


def test_latin_free_text(registry, worker, open_case):
    open_case("Смит", "Джон", notes="Hunger strike since May, lawyer Kuznetsov visited")
    assert names(search_cases(worker, "hunger strikes", today=TODAY)) == ["Смит Джон"]
    assert names(search_cases(worker, "kuznetsov", today=TODAY)) == ["Смит Джон"]


def test_a_facility_by_name_or_town(registry, worker):
    assert names(search_cases(worker, "ИК-6", today=TODAY)) == ["Кибальчич Виктор Львович"]
    assert names(search_cases(worker, "оренбург", today=TODAY)) == ["Ремизова Анна Петровна"]


def test_free_text_stays_inside_the_compartments(registry, worker, outsider, open_case, moscow):
    open_case("Фигнер", "Вера", who=outsider, where=moscow, notes="Голодовка в Шлиссельбурге")
    assert names(search_cases(outsider, "голодовка", today=TODAY)) == ["Фигнер Вера"]
    assert names(search_cases(worker, "голодовка", today=TODAY)) == [
        "Чернышёв Алексей Игоревич"]
    assert names(search_cases(worker, "Шлиссельбург", today=TODAY)) == []
    assert search_cases(outsider, "сослана", today=TODAY) == []
    assert search_cases(worker, "голодовка", filters=Filters(compartment=moscow.pk),
                        today=TODAY) == []


def test_edits_keep_the_index_right(registry, worker):
    case = registry["chernyshev"]
    services.update_case(worker, case, notes="Переведён в больницу")
    assert search_cases(worker, "голодовка", today=TODAY) == []
    assert names(search_cases(worker, "больнице", today=TODAY)) == ["Чернышёв Алексей Игоревич"]
    exile = registry["remizova"]
    letter = next(e for e in exile.events.all() if e.summary.startswith("Письмо"))
    services.remove_event(worker, letter)
    assert search_cases(worker, "тёплые вещи", today=TODAY) == []


def test_a_case_moved_to_another_compartment_is_found_only_there(registry, worker, outsider,
                                                                 moscow):
    from django.db import transaction

    from pompolit.cases.moving.services import _move

    with transaction.atomic():
        _move(registry["remizova"], moscow)
    assert search_cases(worker, "сослана", today=TODAY) == []
    assert names(search_cases(outsider, "сослана", today=TODAY)) == ["Ремизова Анна Петровна"]


def test_a_removed_case_leaves_nothing_in_the_index(registry, worker):
    from pompolit.cases.models import Case, CaseWord

    case = registry["chernyshev"]
    assert CaseWord.objects.filter(case=case).exists()
    Case.objects.filter(pk=case.pk).delete()
    assert search_cases(worker, "голодовка", today=TODAY) == []
    assert not CaseWord.objects.filter(case_id=case.pk).exists()


def test_no_plaintext_index_is_left_in_the_database(registry, worker):
    """Issue 18: the FTS5 tables (SQLite) and tsvector/trigram indexes (PostgreSQL) held every
    word of the notes in clear; they are gone, and the notes column holds only ciphertext."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE '%fts%'")
        else:
            # The one trigram index left is on the distinct coarse name keys (migration 0018),
            # which are name keys, not text.
            cursor.execute("SELECT indexname FROM pg_indexes WHERE (indexdef ILIKE '%tsvector%'"
                           " OR indexdef ILIKE '%trgm%')"
                           " AND indexname <> 'cases_coarsekey_trgm'")
        assert cursor.fetchall() == []
        cursor.execute("SELECT notes FROM cases_case WHERE id = %s", [registry["chernyshev"].pk])
        (stored,) = cursor.fetchone()
    assert "голодовк" not in stored.casefold()


def test_a_piece_of_a_word_is_not_found(registry, worker):
    # The keyed index knows whole words and their stems only (docs/vault.md says why).
    assert search_cases(worker, "олодовк", today=TODAY) == []
    assert names(search_cases(worker, "голодовку", today=TODAY)) == ["Чернышёв Алексей Игоревич"]


def test_the_list_walks_the_priorities_in_order(registry, worker, open_case):
    from pompolit.cases.services import visible_cases

    for n, priority in enumerate([4, 1, 2, 1, 3, 4, 2]):
        open_case(f"Петров{n}", "Пётр", priority=priority)
    expected = list(visible_cases(worker).order_by("priority", "person__display_name", "pk"))
    assert search_cases(worker, today=TODAY) == expected
    assert search_cases(worker, today=TODAY, limit=3) == expected[:3]


def test_pages_of_the_list_in_each_ordering(registry, worker, open_case):
    from pompolit.cases.search.services import case_page
    from pompolit.cases.services import visible_cases

    for n, priority in enumerate([4, 1, 2, 1, 3, 4, 2, 3, 3]):
        open_case(f"Петров{n}", "Пётр", priority=priority)
    by_priority = list(visible_cases(worker).order_by("priority", "person__display_name", "pk"))
    pages = [case_page(worker, page=n, size=3, today=TODAY) for n in range(5)]
    assert [c for page in pages for c in page] == by_priority
    opened = list(visible_cases(worker).order_by("-opened_on", "-pk"))
    assert case_page(worker, page=1, size=4, order="opened", today=TODAY) == opened[4:8]
    assert case_page(worker, Filters(status="sentenced"), size=5, today=TODAY) == [
        registry["kibalchich"]]
