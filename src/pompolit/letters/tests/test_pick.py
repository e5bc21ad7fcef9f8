"""The weighted pick: never someone who cannot be written to; fewer letters, more likely."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pompolit.letters import pick
from pompolit.letters.testing import World

pytestmark = pytest.mark.django_db


def test_only_consenting_prisoners_in_reachable_facilities_can_be_written_to(
        letters_world: World) -> None:
    found = {r.case_id for r in pick.recipients()}
    assert found == {c.pk for c in letters_world.writable}
    assert not found & {c.pk for c in letters_world.hidden}


def test_the_pick_is_always_someone_who_can_be_written_to(letters_world: World) -> None:
    writable = {c.pk for c in letters_world.writable}
    for _ in range(30):
        chosen = pick.pick()
        assert chosen is not None and chosen.case_id in writable


def test_nobody_to_pick_when_nobody_consented(db: Any) -> None:
    assert pick.pick() is None


def test_the_birthday_is_shown_only_when_the_consent_names_it(letters_world: World) -> None:
    names = {r.name: r for r in pick.recipients()}
    assert names["Скочиленко Александра Юрьевна"].birthday == ""


def test_search_finds_by_town_and_part_of_the_name(letters_world: World) -> None:
    everyone = pick.recipients()
    assert [r.name for r in pick.search("омск", everyone)] == ["Горинов Алексей Александрович"]
    assert [r.name for r in pick.search("СКОЧИЛ", everyone)] == [
        "Скочиленко Александра Юрьевна"]


def _recipient(case_id: int, letters: int) -> pick.Recipient:
    return pick.Recipient(case_id, f"id{case_id}", f"Заключённый {case_id}", 1, "ИК-1", "Омск",
                          "", "", letters)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=30))
def test_fewer_letters_always_weigh_more(letters: list[int]) -> None:
    people = [_recipient(i, n) for i, n in enumerate(letters)]
    for a in people:
        for b in people:
            if a.letters_this_month < b.letters_this_month:
                assert a.weight > b.weight
    assert pick.choose(people) in people


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=40), min_size=0, max_size=30))
def test_the_pick_never_leaves_the_candidates(letters: list[int]) -> None:
    people = [_recipient(i, n) for i, n in enumerate(letters)]
    chosen = pick.choose(people)
    assert (chosen is None) == (not people)
    assert chosen is None or chosen in people


def test_someone_without_letters_comes_up_far_more_often() -> None:
    people = [_recipient(1, 0), _recipient(2, 4)]
    picked = [pick.choose(people).case_id for _ in range(2000)]  # type: ignore[union-attr]
    # Weights 1 and 1/25: the one without letters should come up ~96% of the time.
    assert picked.count(1) > picked.count(2) * 5


def _letters(case: Any, n: int, status: str) -> None:
    from pompolit.letters.models import Letter

    for _ in range(n):
        Letter.objects.create(case=case, facility=case.current_facility, text="Привет!",
                              writer_hash="0" * 64, status=status)


def test_the_pick_follows_the_weights_of_this_months_letters(letters_world: World) -> None:
    """Горинов has one letter waiting (weight 1/4), Скочиленко none that count (weight 1):
    she should come up 80% of the time. 600 draws: 480 expected, σ ≈ 9.8; the bounds are six
    σ either side, so the test fails by chance about once in a billion runs."""
    from pompolit.letters.models import Status

    gorinov, skochilenko = letters_world.writable
    _letters(gorinov, 1, Status.WAITING)
    _letters(skochilenko, 3, Status.REJECTED)  # refused letters do not count
    pick._eligible.clear()
    picked = [pick.pick() for _ in range(600)]
    hers = sum(1 for r in picked if r is not None and r.case_id == skochilenko.pk)
    assert sum(1 for r in picked if r is not None and r.case_id == gorinov.pk) == 600 - hers
    assert 420 <= hers <= 540
    assert pick.pick() is not None and {r.letters_this_month for r in picked if r} == {0, 1}


def test_the_kept_list_never_offers_someone_who_can_no_longer_be_written_to(
        letters_world: World) -> None:
    from pompolit.cases.models import Consent

    gorinov, skochilenko = letters_world.writable
    pick._eligible.clear()
    assert pick.pick() is not None  # the list of both is now kept
    latest = Consent.objects.filter(case=gorinov).order_by("-pk").first()
    assert latest is not None
    Consent.objects.create(case=gorinov, given_by=latest.given_by, given_on=latest.given_on,
                           scope=latest.scope, withdrawn=True)
    assert {pick.pick().case_id for _ in range(40)} == {skochilenko.pk}  # type: ignore[union-attr]
    skochilenko.receives_letters = False
    skochilenko.save(update_fields=["receives_letters"])
    assert pick.pick() is None
