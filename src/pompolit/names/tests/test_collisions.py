"""Different real names must not share a key, or every search returns noise."""

from collections import defaultdict

from pompolit.names import Name, search_keys
from pompolit.names.tests.real_names import GIVEN, SURNAMES

# Pairs that do share a key, each for a documented reason (docs/names.md).
ACCEPTED = {
    # German writes both «Sacharow»: з and с are both s in German spelling.
    frozenset({"Захаров", "Сахаров"}),
    # Оксана is the Ukrainian form of Ксения: one name, by the short-form table.
    frozenset({"Ксения", "Оксана"}),
}


def owners_by_key() -> dict[str, set[str]]:
    owners: dict[str, set[str]] = defaultdict(set)
    for surname in SURNAMES:
        for key in search_keys(Name(surname=surname)):
            owners[key].add(surname)
    for first in GIVEN:
        for key in search_keys(Name(given=first)):
            owners[key].add(first)
    return owners


def test_the_list_is_big_enough() -> None:
    assert len(SURNAMES) >= 300
    assert len(GIVEN) >= 100


def test_no_two_real_names_share_a_key() -> None:
    collisions = {
        frozenset(names): key for key, names in owners_by_key().items() if len(names) > 1
    }
    unexpected = {tuple(sorted(names)): key for names, key in collisions.items()
                  if names not in ACCEPTED}
    assert unexpected == {}


def test_every_name_has_a_key() -> None:
    for surname in SURNAMES:
        assert search_keys(Name(surname=surname)), surname
