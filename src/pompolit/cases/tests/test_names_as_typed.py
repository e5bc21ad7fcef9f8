"""A registry name is kept as typed — ё, accents, apostrophes, dashes — and found, and proposed
as a duplicate, with or without them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pompolit.cases import services
from pompolit.cases.duplicates import scan
from pompolit.cases.duplicates import services as duplicates
from pompolit.cases.duplicates.testing import person
from pompolit.cases.io import importing
from pompolit.cases.io.tests.test_import import mapping_for, table_of
from pompolit.cases.models import Case, NameKind, PersonName
from pompolit.cases.search.services import search_cases
from pompolit.cases.testing import TODAY, P
from pompolit.members.models import Compartment, Member
from pompolit.names import Name

SPELLINGS = [
    # (as typed, parts, the same name typed without ё or marks)
    ("Семёнов Пётр", ("Семёнов", "Пётр", ""), "Семенов Петр"),
    ("Ёлкина Алёна", ("Ёлкина", "Алёна", ""), "Елкина Алена"),
    ("Wałęsa Lech", ("Wałęsa", "Lech", ""), "Walesa Lech"),
    ("Şahin Ayşe", ("Şahin", "Ayşe", ""), "Sahin Ayse"),
    ("Müller Hans", ("Müller", "Hans", ""), "Mueller Hans"),
    ("O’Brien Seán", ("O’Brien", "Seán", ""), "O'Brien Sean"),
    (
        "Кузьмина-Караваева Елизавета Юрьевна",
        ("Кузьмина-Караваева", "Елизавета", "Юрьевна"),
        "Кузьмина Караваева Елизавета",
    ),
]


@pytest.mark.parametrize(("typed", "parts", "plain"), SPELLINGS)
def test_a_name_is_kept_as_typed_and_found_with_or_without_marks(
    open_case: Callable[..., Case],
    worker: Member,
    typed: str,
    parts: tuple[str, str, str],
    plain: str,
) -> None:
    case = open_case(*parts, birth_date=P("1990-02-03"))
    name = PersonName.objects.get(person=case.person)
    assert (name.surname, name.given, name.patronymic) == parts
    assert case.person.display_name == typed
    for query in (typed, plain):
        assert [c.pk for c in search_cases(worker, query, today=TODAY)] == [case.pk], query
        found = duplicates.possible_matches(worker, query, P("1990-02-03"))
        assert [m.person for m in found.visible] == [case.person_id], query


def test_only_spaces_invisible_characters_and_composition_are_tidied(
    worker: Member, compartment: Compartment
) -> None:
    decomposed_yo = "Пе\u0308тр"  # е and a combining diaeresis, as some keyboards send ё
    case = services.open_case(
        worker,
        compartment=compartment,
        name=Name("  Семёнов\u00ad ", decomposed_yo, "Ива\u200bнович"),
        birth_date=None,
    )
    name = PersonName.objects.get(person=case.person)
    assert (name.surname, name.given, name.patronymic) == ("Семёнов", "Пётр", "Иванович")


def test_the_two_spellings_of_one_person_are_proposed_as_duplicates(db: Any) -> None:
    with_yo = person("Семёнов", "Пётр", "Фёдорович", birth=P("1987-04-12"))
    without = person("Семенов", "Петр", "Федорович", birth=P("1987-04-12"))
    found = scan.scan()
    low, high = sorted([with_yo.pk, without.pk])
    candidate = next(c for c in found if (c.low, c.high) == (low, high))
    assert candidate.likely


def test_an_imported_row_linked_to_a_person_keeps_its_yo_spelling_as_another_name(
    worker: Member, compartment: Compartment
) -> None:
    case = services.open_case(
        worker, compartment=compartment, name=Name("Семенов", "Петр"), birth_date=P("1987")
    )
    table = table_of("Фамилия;Имя;Дата рождения\nСемёнов;Пётр;1987\n".encode())
    importing.commit(
        worker,
        compartment,
        table,
        mapping_for(table),
        choices=importing.Choices(links={2: case.person_id}),
    )
    names = sorted((n.kind, n.surname, n.given) for n in case.person.names.all())
    assert names == [(NameKind.ALIAS, "Семёнов", "Пётр"), (NameKind.NAME, "Семенов", "Петр")]
    # Letter case is no new spelling.
    table = table_of("Фамилия;Имя;Дата рождения\nСЕМЁНОВ;ПЁТР;\n".encode())
    result = importing.commit(
        worker,
        compartment,
        table,
        mapping_for(table),
        choices=importing.Choices(links={2: case.person_id}),
    )
    assert result.attached == 1 and case.person.names.count() == 2
