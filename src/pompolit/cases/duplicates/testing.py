"""Builders for the duplicates' tests and the access matrix."""

from __future__ import annotations

from typing import Any

from pompolit.cases.duplicates import merge
from pompolit.cases.duplicates.models import PersonMerge
from pompolit.cases.models import NameKind, Person, PersonName
from pompolit.cases.partial import PartialDate
from pompolit.cases.services import index_name


def person(
    surname: str, given: str = "", patronymic: str = "", *, birth: PartialDate | None = None
) -> Person:
    """A person with one primary name and its keys, and no case."""
    made = Person.objects.create(
        birth_date=birth, display_name=" ".join(p for p in (surname, given, patronymic) if p)
    )
    name = PersonName.objects.create(
        person=made,
        kind=NameKind.NAME,
        surname=surname,
        given=given,
        patronymic=patronymic,
        is_primary=True,
    )
    index_name(name)
    return made


def matrix_pair(world: Any) -> tuple[Person, Person]:
    """Two people without cases (so a merge needs one coordinator); made once per world."""
    made: tuple[Person, Person] | None = world.extra.get("duplicate_pair")
    if made is None:
        made = world.extra["duplicate_pair"] = (
            person("Спиридонова", "Мария", "Александровна"),
            person("Spiridonova", "Maria"),
        )
    return made


def matrix_merge(world: Any) -> PersonMerge:
    found: PersonMerge | None = world.extra.get("person_merge")
    if found is None:
        survivor = person("Каховская", "Ирина", "Константиновна")
        merged = person("Kakhovskaya", "Irina")
        done = merge.merge_people(None, survivor, merged)
        assert isinstance(done, PersonMerge)
        found = world.extra["person_merge"] = done
    return found
