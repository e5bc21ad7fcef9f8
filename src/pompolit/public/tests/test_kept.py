"""The list's rows and choices are kept in memory between requests (public/kept.py), and a
change to the registry is seen at the next request: a withdrawn consent, a new facility, a
case's letters switched off."""

from django.db import transaction

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


def _queued_renewals():
    return [f for _sids, f, _robust in transaction.get_connection().run_on_commit
            if f is kept._renew]


def test_a_new_generation_is_named_when_the_change_commits(db,
                                                          django_capture_on_commit_callbacks):
    assert _queued_renewals() == []
    first = kept.generation()
    assert kept.generation() == first
    with django_capture_on_commit_callbacks(execute=True):
        kept.changed()
        assert kept.generation() == first  # the others can't see the change yet
    assert kept.generation() != first


def test_an_import_renews_the_token_once_however_many_rows_it_saves(published, facilities):
    butyrka = facilities["butyrka"]
    for n in range(20):
        butyrka.name = f"СИЗО-2 № {n}"
        butyrka.save()
        # This worker sees its own transaction's change at once.
        assert f"СИЗО-2 № {n}" in choices().facilities
    assert len(_queued_renewals()) == 1
