"""The scan: blocking on name keys and birth year, scoring with evidence, never automatic."""

from __future__ import annotations

from typing import Any

import pytest

from pompolit.cases.duplicates import scan
from pompolit.cases.duplicates.testing import person
from pompolit.cases.testing import P
from pompolit.names import Name


def codes(candidate: scan.Candidate) -> set[str]:
    return {e.code for e in candidate.evidence}


def pair_of(found: list[scan.Candidate], a: Any, b: Any) -> scan.Candidate | None:
    low, high = sorted([a.pk, b.pk])
    return next((c for c in found if (c.low, c.high) == (low, high)), None)


def test_a_latin_spelling_with_the_same_birth_date_is_a_likely_pair(db: Any) -> None:
    cyrillic = person("Соколова", "Мария", "Андреевна", birth=P("1987-04-12"))
    latin = person("Sokolova", "Maria", birth=P("1987-04-12"))
    found = scan.scan()
    candidate = pair_of(found, cyrillic, latin)
    assert candidate is not None and candidate.likely
    assert {"name", "birth_exact"} <= codes(candidate)


def test_a_partial_birth_date_that_agrees_counts_as_partial_evidence(db: Any) -> None:
    full = person("Бяляцкий", "Алесь", "Викторович", birth=P("1962-09-25"))
    partial = person("Беляцкий", "Алесь", birth=P("1962"))
    candidate = pair_of(scan.scan(minimum=0), full, partial)
    assert candidate is not None
    assert "birth_partial" in codes(candidate)


def test_people_in_different_birth_years_are_not_blocked_together(db: Any) -> None:
    a = person("Кузнецов", "Павел", "Игоревич", birth=P("1970"))
    b = person("Кузнецов", "Павел", "Игоревич", birth=P("1990"))
    assert pair_of(scan.scan(), a, b) is None


def test_same_full_name_with_different_birth_years_is_never_likely(db: Any) -> None:
    low = scan.Profile(1, P("1970-01-10"))
    low.add_name(Name("Кузнецов", "Павел", "Игоревич"))
    high = scan.Profile(2, P("1971-03-02"))
    high.add_name(Name("Кузнецов", "Павел", "Игоревич"))
    low.case_numbers = high.case_numbers = {"1122022"}
    candidate = scan.score_pair(low, high)
    assert candidate.conflict and not candidate.likely
    assert {"birth_conflict", "never_automatic"} <= codes(candidate)
    assert candidate.score < scan.LIKELY


def test_different_patronymics_are_never_likely(db: Any) -> None:
    a = person("Орлов", "Дмитрий", "Сергеевич", birth=P("1985-05-05"))
    b = person("Орлов", "Дмитрий", "Николаевич", birth=P("1985-05-05"))
    candidate = pair_of(scan.scan(minimum=0), a, b)
    assert candidate is not None and candidate.conflict and not candidate.likely
    assert "patronymic_conflict" in codes(candidate)


def test_a_shared_case_number_and_relatives_phone_are_evidence(db: Any) -> None:
    a = scan.Profile(1, None)
    a.add_name(Name("Гусейнов", "Руслан"))
    b = scan.Profile(2, P("1991"))
    b.add_name(Name("Guseynov", "Ruslan"))
    a.case_numbers, b.case_numbers = {"1122022"}, {"1122022"}
    a.phones, b.phones = {"idx-1"}, {"idx-1"}
    a.facilities, b.facilities = {7}, {7}
    candidate = scan.score_pair(a, b)
    assert {"case_number", "phone", "facility", "birth_unknown"} <= codes(candidate)
    assert candidate.likely


def test_birth_dates_compare_as_exact_agreeing_conflicting_or_unknown() -> None:
    assert scan.compare_births(P("1987-04-12"), P("1987-04-12")) == "exact"
    assert scan.compare_births(P("1987-04"), P("1987-04-12")) == "agrees"
    assert scan.compare_births(P("1987"), P("1988")) == "conflict"
    assert scan.compare_births(None, P("1988")) == "unknown"


def test_a_pair_that_cannot_reach_the_line_is_not_compared() -> None:
    a = scan.Profile(1, None)
    a.add_name(Name("Гусейнов", "Руслан"))
    b = scan.Profile(2, P("1991"))
    b.add_name(Name("Гусейнов", "Руслан"))
    # The same name and nothing else: not enough to list, whatever the names.
    assert not scan.can_reach(a, b, scan.LISTED)
    assert scan.score_pair(a, b).score < scan.LISTED
    a.case_numbers = b.case_numbers = {"1122022"}
    assert scan.can_reach(a, b, scan.LISTED)
    assert scan.score_pair(a, b).score >= scan.LISTED


def test_a_name_many_people_have_is_weaker_evidence() -> None:
    a = scan.Profile(1, P("1965"))
    a.add_name(Name("Ахметова", "Айгерим", "Болатовна"))
    b = scan.Profile(2, P("1965-06-01"))
    b.add_name(Name("Ахметова", "Айгерим", "Болатовна"))
    rare = scan.score_pair(a, b)
    a.namesakes = b.namesakes = 40
    common = scan.score_pair(a, b)
    assert "common_name" in codes(common) and "common_name" not in codes(rare)
    assert common.score < rare.score


@pytest.mark.parametrize(("language", "shown"), [("en", "Apr 1987 / 1987"),
                                                 ("ru", "04.1987 / 1987")])
def test_evidence_writes_birth_dates_as_the_page_writes_dates(language, shown):
    from django.utils import translation

    from pompolit.cases.duplicates.scan import evidence_text

    with translation.override(language):
        text = evidence_text("birth_partial", {"a": "1987-04", "b": "1987"})
    assert shown in text and "1987-04" not in text


def test_the_batch_scan_finds_what_the_pair_by_pair_one_does(
    db: Any, compartment: Any, moscow: Any, facilities: Any
) -> None:
    """Blocks big enough to be split by the given names' first sounds (and parts still too
    big), unknown birth years, several names and several cases a person: the batch scan
    (`batch`) lists exactly the pairs, scores and evidence of the one-pair functions."""
    import random
    from collections import Counter

    from pompolit.cases.models import Case, NameKey, NameKind, PersonName
    from pompolit.cases.services import index_name
    from pompolit.cases.testing import status

    rng = random.Random(14)
    surnames = ["Кузнецов", "Кузнецова", "Kuznetsov", "Кузняцоў", "Орлов", "Орлова", "Orlov"]
    givens = ["Иван", "Ivan", "Игорь", "Юрий", "Jurij", "Павел", "Мария", "Анна", "Hleb",
              "Глеб", "Вера", "Wera", "Сергей", "Siarhei", ""]
    patronymics = ["Иванович", "Петрович", "Сергеевна", ""]
    births = [None, P("1980"), P("1980-04"), P("1980-04-12"), P("1980-04-13"), P("1981"),
              P("1980-05-02")]
    places = [None, *facilities.values()]
    detained = status("detained")
    for _ in range(220):
        # Most in one birth year: the blocks of one surname key grow past 40 and 80.
        birth = P("1980") if rng.random() < 0.35 else rng.choice(births)
        made = person(rng.choice(surnames), rng.choice(givens), rng.choice(patronymics),
                      birth=birth)
        for _alias in range(rng.choice([0, 0, 1, 2])):
            name = PersonName.objects.create(
                person=made, kind=NameKind.ALIAS, surname=rng.choice(surnames),
                given=rng.choice(givens), patronymic=rng.choice(patronymics),
            )
            index_name(name)
        for _case in range(rng.choice([0, 1, 1, 2])):
            place = rng.choice(places)
            Case.objects.create(
                compartment=rng.choice([compartment, moscow]), person=made, status=detained,
                case_number_key=rng.choice(["", "", "1122022", "3344"]),
                current_facility=place,
            )
    blocks = Counter((key, str(birth)[:4]) for key, birth in NameKey.objects.filter(
        person__birth_date__gt="").values_list("key", "person__birth_date"))
    assert max(blocks.values()) > 2 * scan.SMALL_BLOCK  # split by first sounds
    for minimum in (scan.LISTED, 0.3):
        stats = scan.ScanStats()
        found = scan.scan(minimum=minimum, stats=stats)
        assert stats.blocked_pairs > stats.compared_pairs > len(found) > 20
        scan.forget_name_scores()
        assert found == scan.scan_pair_by_pair(minimum=minimum)
