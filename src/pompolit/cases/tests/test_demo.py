"""The historical demo set loads through the services, consistently, and only once."""

from pompolit.cases import demo
from pompolit.cases.models import Case
from pompolit.cases.search.services import search_cases


def test_the_demo_registry_loads_once_and_is_searchable(unsealed_vault, worker, compartment):
    assert demo.load(worker, compartment) == 6
    assert demo.load(worker, compartment) == 0
    assert Case.objects.count() == 6
    serge = search_cases(worker, "Kibaltchiche")[0]
    assert serge.person.display_name == "Кибальчич Виктор Львович"
    assert serge.status.code == "emigrated" and serge.current_facility is None
    remizova = search_cases(worker, "Ремизовой")[0]
    assert str(remizova.current_facility) == "Оренбург"
    assert all(demo.DEMO_NOTE in c.notes for c in Case.objects.all())


def test_the_demo_has_public_pages_only_where_consent_was_recorded(
    unsealed_vault, worker, compartment
):
    from pompolit.cases.public import profiles as public

    demo.load(worker, compartment)
    shown = {p.name for p in public.published_cases()}
    assert shown == {"Кибальчич Виктор Львович", "Чернышёв Алексей Игоревич"}


def test_the_demo_leaves_the_same_man_registered_twice_for_the_duplicates_queue(
    unsealed_vault, worker, compartment
):
    from pompolit.cases.duplicates import services as duplicates

    demo.load(worker, compartment)
    [pair] = duplicates.run_scan(None)
    names = {Case.objects.get(person_id=pk).person.display_name for pk in (pair.low, pair.high)}
    assert names == {"Чернышёв Алексей Игоревич", "Chernyshov Aleksei Igorevich"}


def test_the_demo_has_upcoming_public_hearings(unsealed_vault, worker, compartment):
    from pompolit.cases.public import hearings

    demo.load(worker, compartment)
    found = hearings.upcoming(days=14)
    assert [(h.name, h.city, h.kind) for h in found] == [
        ("Чернышёв Алексей Игоревич", "Омск", "appeal"),
        ("Чернышёв Алексей Игоревич", "Омск", "hearing")]
