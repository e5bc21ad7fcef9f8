"""Issue 14: the distinct coarse keys (`CoarseKey`) that the fuzzy fallback scans for near keys
stay exactly the coarse keys the stored names have — after a case is opened, a name added or
spelt again, two people merged and the merge undone, and a list imported."""

from pompolit.cases import services
from pompolit.cases.duplicates import merge
from pompolit.cases.duplicates.models import PersonMerge
from pompolit.cases.io import importing
from pompolit.cases.models import CoarseKey, NameKey, PersonName
from pompolit.cases.search import fuzzy
from pompolit.cases.search.services import search_cases
from pompolit.cases.testing import TODAY
from pompolit.names import Name


def stored() -> set[str]:
    return set(CoarseKey.objects.values_list("key", flat=True))


def expected() -> set[str]:
    return set(NameKey.objects.filter(key__startswith="~").values_list("key", flat=True))


def in_step() -> bool:
    return stored() == expected() and CoarseKey.objects.count() == len(stored())


def test_opening_a_case_and_adding_a_name_add_their_coarse_keys_once(worker, open_case):
    first = open_case("Колесникова", "Мария", "Александровна")
    open_case("Колесникова", "Мария", "Александровна")  # a namesake shares every key
    assert stored() and in_step()
    services.add_name(worker, first, Name("Калеснікава", "Марыя"))
    assert in_step()


def test_a_name_spelt_again_forgets_the_keys_no_one_else_has(worker, open_case):
    case = open_case("Беляцкий", "Алесь", "Викторович")
    open_case("Соколова", "Мария")
    name = PersonName.objects.get(person=case.person)
    before = stored()
    name.surname = "Щаранский"
    name.save(update_fields=["surname"])
    services.index_name(name)
    assert in_step()
    assert before - stored()  # Беляцкий's own coarse key is gone
    assert stored() - before  # Щаранский's is there


def test_a_key_another_name_still_has_is_kept(open_case):
    open_case("Соколова", "Мария")
    case = open_case("Соколова", "Анна")
    name = PersonName.objects.get(person=case.person)
    name.surname = "Гоц"
    name.save(update_fields=["surname"])
    services.index_name(name)
    assert in_step()
    assert NameKey.objects.filter(key__in=stored(), name__surname="Соколова").exists()


def test_merging_and_undoing_keep_the_table_in_step(worker, open_case):
    first = open_case("Соколова", "Мария", "Андреевна")
    second = open_case("Sokolova", "Maria")
    services.add_name(worker, second, Name("Sakalova", "Maryia"))
    before = stored()
    done = merge.merge_people(None, first.person, second.person)
    assert isinstance(done, PersonMerge)
    assert stored() == before and in_step()
    merge.undo_merge(None, done)
    assert stored() == before and in_step()
    assert search_cases(worker, "Sakalova", today=TODAY)


def test_an_imported_list_adds_its_coarse_keys(compartment, worker):
    data = (
        "Фамилия;Имя;Отчество\n"
        "Бяляцкі;Алесь;Віктаравіч\n"
        "Калеснікава;Марыя;Аляксандраўна\n"
    ).encode()
    table = importing.read_table(data, "list.csv")
    importing.commit(worker, compartment, table, importing.guess_mapping(table.headers))
    assert stored() and in_step()


def test_rebuild_makes_the_same_table_again(worker, open_case):
    open_case("Гриневицкий", "Игнатий", "Иоахимович")
    open_case("Сенцов", "Олег", "Геннадьевич")
    before = stored()
    CoarseKey.objects.all().delete()
    CoarseKey.rebuild()
    assert stored() == before and in_step()


def test_near_keys_come_from_the_distinct_table(open_case):
    open_case("Гриневицкий", "Игнатий", "Иоахимович")
    key = next(iter(stored()))
    assert key in fuzzy.stored_candidates(key)
    CoarseKey.objects.all().delete()
    assert fuzzy.stored_candidates(key) == []


def test_on_postgresql_the_trigram_index_is_on_the_distinct_keys_only(db):
    from django.db import connection

    if connection.vendor != "postgresql":
        return  # no pg_trgm on SQLite: the prefix range on the same table
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_indexes WHERE indexname LIKE '%%trgm'")
        assert {row[0] for row in cursor.fetchall()} >= {"cases_coarsekey"}
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'cases_namekey_coarse_trgm'")
        assert cursor.fetchone() is None


def test_the_migration_fills_the_table_from_the_stored_keys(open_case):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("pompolit.cases.migrations.0018_coarse_keys")
    for surname, given in [("Беляцкий", "Алесь"), ("Колесникова", "Мария"), ("Беляцкая", "Ирина")]:
        open_case(surname, given)
    before = stored()
    CoarseKey.objects.all().delete()
    migration.fill(apps, None)
    assert stored() == before and in_step()
