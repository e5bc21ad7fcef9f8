"""The synthetic generator writes what the services would: keys, derived fields, full text."""

import pytest

from pompolit.cases.models import Case, Event, Facility, NameKey, PersonName
from pompolit.cases.search.services import search_cases
from pompolit.cases.services import custody_of, number_key
from pompolit.cases.synthetic import SYNTHETIC_MARK, generate
from pompolit.cases.testing import TODAY
from pompolit.names import Name, search_keys


@pytest.fixture
def generated(compartment, moscow, unsealed_vault):
    lines = []
    stats = generate([compartment, moscow], 60, seed=7, batch_size=25, today=TODAY,
                     progress=lines.append)
    return stats, lines


def test_counts_and_progress(generated):
    stats, lines = generated
    assert stats.cases == Case.objects.count() == 60
    assert stats.names == PersonName.objects.count() and stats.names >= 2 * 60
    assert stats.events == Event.objects.count() and stats.events >= 5 * 60
    assert len(lines) == 3 and lines[-1].startswith("synthetic cases: 60/60 (100%)")
    assert 250 <= Facility.objects.count() <= 400


def test_everything_is_marked_synthetic(generated):
    assert all(c.notes.startswith(SYNTHETIC_MARK) for c in Case.objects.all())
    assert all(n.startswith(SYNTHETIC_MARK)
               for n in Facility.objects.values_list("notes", flat=True))


def test_keys_and_derived_fields_are_what_the_services_make(generated):
    for case in Case.objects.select_related("person", "status"):
        custody = custody_of(case)
        current = custody.current
        assert case.current_facility_id == (current.facility_id if current else None)
        assert case.last_contact_on == (custody.last_contact.lower if custody.last_contact
                                        else None)
        assert case.case_number_key == number_key(case.case_number)
        if custody.died:
            assert case.status.code == "deceased"
        for name in case.person.names.all():
            expected = search_keys(Name(name.surname, name.given, name.patronymic))
            assert set(NameKey.objects.filter(name=name).values_list("key", flat=True)) == expected


def test_the_same_seed_makes_the_same_people(compartment, unsealed_vault):
    generate([compartment], 5, seed=3, today=TODAY, progress=lambda _: None)
    first = list(Case.objects.order_by("pk").values_list("person__display_name", "case_number"))
    Case.objects.all().delete()
    generate([compartment], 5, seed=3, today=TODAY, progress=lambda _: None)
    again = list(Case.objects.order_by("pk").values_list("person__display_name", "case_number"))
    assert first == again


def test_generated_cases_are_found_by_name_and_text(generated, worker, outsider):
    case = Case.objects.filter(compartment__in=worker.compartment_ids()).select_related(
        "person").first()
    found = search_cases(worker, case.person.display_name, today=TODAY)
    assert case in found
    assert search_cases(worker, "обыск", today=TODAY)
    assert all(c.compartment_id in worker.compartment_ids()
               for c in search_cases(worker, "обыск", today=TODAY))
    assert all(c.compartment_id in outsider.compartment_ids()
               for c in search_cases(outsider, "обыск", today=TODAY))


def test_demo_cases_option_makes_compartments_nikolai_sees(db, make_member, unsealed_vault,
                                                           settings):
    import io

    settings.DEMO_MODE = True  # `cases synthetic`, which the demo calls, makes up cases

    from pompolit.cases.services import visible_cases
    from pompolit.members.management.commands.demo import Command
    from pompolit.members.roles import Role
    from pompolit.members.services import create_founder

    create_founder("vera", "demo-password-2026")
    create_founder("sofia", "demo-password-2026")
    nikolai = make_member("nikolai", Role.CASE_WORKER)
    out = io.StringIO()
    Command(stdout=out).synthetic(12, 5)
    nikolai.forget_cached_access()
    assert visible_cases(nikolai).count() == 12
    assert "12 synthetic cases" in out.getvalue()
    assert "synthetic cases: 12/12 (100%)" in out.getvalue()
