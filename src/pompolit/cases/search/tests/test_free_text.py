"""Issue 18: free text typed into the registry (notes, the lawyer, the grounds; an event's place,
summary and source) is encrypted at rest, found through the keyed word index, and still found
only inside the member's compartments."""

import pytest
from django.db import connection

from pompolit.cases import services
from pompolit.cases.models import Case, CaseWord, Event
from pompolit.cases.search import fulltext
from pompolit.cases.search.services import search_cases
from pompolit.cases.testing import TODAY, P, event_type
from pompolit.vault.fields import services as vault
from pompolit.vault.keys.services import seal

SECRET = "Сестра Ольга живёт на Лесной 12, телефон адвоката Кузнецова 89123456789"


def stored(table, column, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def names(cases):
    return [c.person.display_name for c in cases]


@pytest.fixture
def noted(open_case, worker):
    case = open_case("Чернышёв", "Алексей", notes=SECRET, lawyer="Кузнецов Пётр",
                     recognition_criteria="Преследование за мирный протест")
    event = services.add_event(worker, case, type=event_type("letter"), date=P("2024-05"),
                               place="Лесная улица, Омск", summary="Свидание: жалуется на зубы",
                               source="Сестра Ольга")
    return case, event


@pytest.mark.parametrize(("table", "column", "which"), [
    ("cases_case", "notes", 0), ("cases_case", "lawyer", 0),
    ("cases_case", "recognition_criteria", 0),
    ("cases_event", "place", 1), ("cases_event", "summary", 1), ("cases_event", "source", 1),
])
def test_free_text_is_stored_encrypted(noted, table, column, which):
    value = stored(table, column, noted[which].pk)
    assert value and "Лесн" not in value and "Кузнецов" not in value and "Сестра" not in value
    assert "мирный" not in value and "зубы" not in value
    again = Case.objects.get(pk=noted[0].pk) if which == 0 else Event.objects.get(
        pk=noted[1].pk)
    assert getattr(again, column)  # and reads back in the unsealed vault


def test_an_empty_box_stores_nothing_and_needs_no_key(open_case):
    case = open_case("Пустов", "Иван")
    assert stored("cases_case", "notes", case.pk) is None
    assert Case.objects.get(pk=case.pk).notes == ""


def test_notes_are_searchable_by_words_and_forms(noted, worker):
    for query in ("сестра ольга", "Лесной", "адвоката кузнецова", "зубы", "омске", "89123456789"):
        assert names(search_cases(worker, query, today=TODAY)) == ["Чернышёв Алексей"], query
    assert search_cases(worker, "ольга зубы нет", today=TODAY) == []


def test_the_index_keeps_tokens_not_words(noted):
    tokens = list(CaseWord.objects.filter(case=noted[0]).values_list("token", flat=True))
    assert len(tokens) >= 10 and all(isinstance(t, int) for t in tokens)


def test_the_same_word_is_another_token_in_another_compartment(noted, open_case, outsider,
                                                               moscow, worker):
    other = open_case("Фигнер", "Вера", who=outsider, where=moscow, notes=SECRET)
    mine = set(CaseWord.objects.filter(case=noted[0]).values_list("token", flat=True))
    theirs = set(CaseWord.objects.filter(case=other).values_list("token", flat=True))
    assert mine and theirs and not mine & theirs
    assert names(search_cases(outsider, "Лесной", today=TODAY)) == ["Фигнер Вера"]
    assert names(search_cases(worker, "Лесной", today=TODAY)) == ["Чернышёв Алексей"]


def test_sealed_the_names_still_answer_and_the_notes_do_not(noted, worker):
    seal()
    assert names(search_cases(worker, "Чернышёв", today=TODAY)) == ["Чернышёв Алексей"]
    assert search_cases(worker, "Лесной", today=TODAY) == []


def test_text_from_before_the_upgrade_is_encrypted_and_indexed_at_unseal(noted, worker):
    """What migration 0013 leaves: the old text in the vault's pending table, the column
    empty; the first unseal (`encrypt_pending`) encrypts it and indexes it again."""
    from pompolit.vault.fields.pending import PendingPlaintext

    case = noted[0]
    Case.objects.filter(pk=case.pk).update(notes=None)
    CaseWord.objects.filter(case=case).delete()
    PendingPlaintext.objects.create(model="cases.Case", field="notes", row=str(case.pk),
                                    text="Этап в Красноярск")
    assert vault.pending_count() == 1
    assert vault.encrypt_pending() == 1
    assert vault.pending_count() == 0
    assert "Красноярск" not in stored("cases_case", "notes", case.pk)
    assert Case.objects.get(pk=case.pk).notes == "Этап в Красноярск"
    assert names(search_cases(worker, "красноярск", today=TODAY)) == ["Чернышёв Алексей"]


def test_a_pending_text_does_not_overwrite_a_newer_one(noted, worker):
    from pompolit.vault.fields.pending import PendingPlaintext

    case = noted[0]
    PendingPlaintext.objects.create(model="cases.Case", field="notes", row=str(case.pk),
                                    text="старый текст")
    assert vault.encrypt_pending() == 0
    assert Case.objects.get(pk=case.pk).notes == SECRET


def test_bulk_loads_are_indexed_too(worker, compartment):
    fulltext.add_words([])  # nothing to add is fine
    assert fulltext.case_ids("", [compartment.pk], 10) == []


def test_after_rotating_the_data_keys_the_notes_are_still_found(noted, worker):
    old = set(CaseWord.objects.filter(case=noted[0]).values_list("token", flat=True))
    vault.rotate_data()
    new = set(CaseWord.objects.filter(case=noted[0]).values_list("token", flat=True))
    assert new and not old & new  # new index keys, new tokens
    assert names(search_cases(worker, "Лесной", today=TODAY)) == ["Чернышёв Алексей"]
