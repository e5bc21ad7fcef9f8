"""The list's rows and choices are kept in memory between requests (public/kept.py), and a
change to the registry is seen at the next request: a withdrawn consent, a new facility, a
case's letters switched off."""

from pompolit.cases import services
from pompolit.cases.public import consent
from pompolit.public import kept
from pompolit.public.listing import Filters, choices, search


def names(page):
    return [p.name for p in page.profiles]


def test_a_withdrawn_consent_leaves_the_list_at_once(published, worker):
    assert "Горинов Алексей" in names(search(Filters()))
    consent.withdraw(worker, published["gorinov"], given_by="prisoner")
    assert "Горинов Алексей" not in names(search(Filters()))
    assert names(search(Filters(q="Горинов"))) == []


def test_the_choices_follow_a_facility_renamed(published, facilities):
    assert "Бутырская тюрьма" in choices().facilities
    butyrka = facilities["butyrka"]
    butyrka.name = "СИЗО-2 «Бутырка»"
    butyrka.save()
    assert "Бутырская тюрьма" not in choices().facilities
    assert "СИЗО-2 «Бутырка»" in choices().facilities


def test_a_case_changed_is_filtered_on_its_new_fields(published, worker):
    assert names(search(Filters(letters=True))) == ["Горинов Алексей"]
    services.update_case(worker, published["gorinov"], receives_letters=False)
    assert names(search(Filters(letters=True))) == []


def test_rows_are_read_once_while_nothing_changes(published, django_assert_max_num_queries):
    search(Filters(region="Омская область"))
    choices()
    # Kept: the generation's one cache read, and the page's own profiles.
    with django_assert_max_num_queries(6):
        search(Filters(region="Омская область"))
        choices()


def test_a_new_generation_is_named_when_the_cache_has_none(published):
    first = kept.generation()
    assert kept.generation() == first
    kept.changed()
    assert kept.generation() != first
