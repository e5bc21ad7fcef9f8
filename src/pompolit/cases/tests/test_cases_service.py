"""Opening and editing cases: names indexed, compartments enforced, every write audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pompolit.audit.models import AuditEntry
from pompolit.cases import services
from pompolit.cases.models import NameKey, NameKind, Priority
from pompolit.cases.testing import P, status
from pompolit.names import Name, query_keys


def test_a_case_is_opened_with_its_person_and_name_keys(worker, compartment, open_case):
    case = open_case("Кибальчич", "Виктор", "Львович", birth_date=P("1890-12"),
                     case_number="№ 1-12/2022", priority=Priority.HIGH)
    assert case.compartment == compartment and case.assigned_to == worker
    assert case.status.code == "detained" and case.person.display_name == "Кибальчич Виктор Львович"
    assert str(case.person.birth_date) == "1890-12"
    assert case.case_number_key == "1122022"
    keys = set(NameKey.objects.filter(person=case.person).values_list("key", flat=True))
    assert query_keys("Kibaltchiche") & keys
    entry = AuditEntry.objects.filter(action="cases.case_opened").get()
    assert entry.actor_id == worker.pk and entry.object_id == str(case.pk)
    assert "Кибальчич" not in str(entry.details)


def test_a_case_needs_a_name(open_case):
    with pytest.raises(ValidationError):
        open_case("", "", "Львович")


def test_nobody_opens_a_case_in_a_compartment_not_theirs(outsider, compartment):
    with pytest.raises(PermissionDenied):
        services.open_case(outsider, compartment=compartment, name=Name("Серж", "Виктор"))


def test_an_alias_is_found_by_its_own_keys(worker, open_case):
    case = open_case("Кибальчич", "Виктор", "Львович")
    services.add_name(worker, case, Name("Серж", "Виктор"), NameKind.PSEUDONYM)
    keys = set(NameKey.objects.filter(person=case.person).values_list("key", flat=True))
    assert query_keys("Victor Serge") <= keys | query_keys("Victor Serge") and (
        query_keys("Serge") & keys)
    assert case.person.names.count() == 2


def test_editing_records_which_fields_changed(worker, open_case):
    case = open_case("Ремизова", "Анна")
    services.update_case(worker, case, status=status("sentenced"), sentence_term="3 года ссылки",
                         court="Особое совещание при коллегии ОГПУ", priority=Priority.NORMAL)
    case.refresh_from_db()
    assert case.status.code == "sentenced" and case.sentence_term == "3 года ссылки"
    entry = AuditEntry.objects.filter(action="cases.case_updated").get()
    assert entry.details["fields"] == ["court", "sentence_term", "status"]


def test_the_outsider_cannot_edit_or_add_events(outsider, exile):
    with pytest.raises(PermissionDenied):
        services.update_case(outsider, exile, notes="?")
    with pytest.raises(PermissionDenied):
        services.add_name(outsider, exile, Name("X"))


def test_visible_cases_are_those_of_granted_compartments_only(worker, outsider, exile, moscow,
                                                              make_member, open_case):
    from pompolit.members.roles import Role

    both = make_member("Михаил Фроленко", Role.CASE_WORKER, compartments=[moscow])
    moscow_case = open_case("Чернышёв", "Алексей", who=both, where=moscow)
    assert list(services.visible_cases(worker)) == [exile]
    assert list(services.visible_cases(outsider)) == [moscow_case]
    # Granted the compartment but not a case worker: nothing.
    insider = make_member("Тимофей Михайлов", compartments=[exile.compartment])
    assert not services.visible_cases(insider).exists()


def test_charges_are_kept_per_case(worker, exile):
    services.add_charge(worker, exile, code="УК РСФСР 1926", article="58-10",
                        text="антисоветская агитация", jurisdiction="SU")
    assert [str(c) for c in exile.charges.all()] == ["УК РСФСР 1926 58-10"]
