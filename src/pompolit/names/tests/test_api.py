"""The three calls the case registry makes."""

from pompolit.names import Name, query_key_groups, query_keys, search_keys

REGISTRY = {
    1: ["Кибальчич Николай Иванович"],
    2: ["Кибальчич Виктор Львович", "Серж Виктор"],  # a pseudonym is a second name
    3: ["Перовская Софья Львовна"],
    4: ["Навальный Алексей Анатольевич"],
    5: ["Навальная Юлия Борисовна"],
    6: ["Кара-Мурза Владимир Владимирович"],
}


def find(query: str) -> set[int]:
    """What the registry will do: look the keys up, every word must match."""
    index: dict[str, set[int]] = {}
    for person, names in REGISTRY.items():
        for name in names:
            for key in search_keys(name):
                index.setdefault(key, set()).add(person)
    found: set[int] | None = None
    for group in query_key_groups(query):
        people = set().union(*(index.get(key, set()) for key in group))
        found = people if found is None else found & people
    return found or set()


def test_search_finds_a_name_in_any_script_and_case() -> None:
    assert find("Kibaltchiche") == {1, 2}
    assert find("Kibaltchiche Nicolas") == {1}
    assert find("Кибальчича Николая") == {1}
    assert find("Victor Serge") == {2}
    assert find("Навального") == {4}
    assert find("Навальной") == {5}
    assert find("Юлии Навальной") == {5}
    assert find("Sonya Perovskaya") == {3}
    assert find("Kara-Murza") == {6}
    assert find("Кара Мурза") == {6}
    assert find("Karamurza") == {6}


def test_initials_do_not_narrow_nor_break_a_search() -> None:
    assert find("Н. И. Кибальчич") == {1, 2}


def test_search_keys_accepts_parts() -> None:
    assert search_keys(Name("Кибальчич", "Николай")) == search_keys("Кибальчич Николай")


def test_query_keys_is_the_union_of_the_groups() -> None:
    groups = query_key_groups("Кибальчич Коля")
    assert len(groups) == 2
    assert query_keys("Кибальчич Коля") == groups[0] | groups[1]


def test_short_forms_find_full_names_both_ways() -> None:
    assert query_keys("Саша") & search_keys("Александр")
    assert query_keys("Александр") & search_keys("Саша")
    assert query_keys("Шура") & search_keys("Саша")


def test_nothing_to_look_up() -> None:
    assert query_keys("") == set()
    assert query_keys("Н. И.") == set()
    assert query_key_groups("фон") == []
