"""Merging two records of one person, the two-person rule, undoing after further edits, and the
public ids of a merged person."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pompolit.audit.models import AuditEntry
from pompolit.cases import services
from pompolit.cases.duplicates import merge
from pompolit.cases.duplicates.models import PersonMerge
from pompolit.cases.models import Case, NameKey, NameKind, Person, PersonName
from pompolit.cases.public import consent
from pompolit.cases.testing import P, event_type
from pompolit.members import approvals
from pompolit.members.models import ApprovalRequest, Compartment, Member
from pompolit.names import Name


@pytest.fixture
def pair(open_case: Callable[..., Case], worker: Member) -> tuple[Case, Case]:
    """One woman registered twice in Orenburg: by her relatives, and from a press report."""
    first = open_case(
        "Соколова", "Мария", "Андреевна", birth_date=P("1987"), case_number="1-12/2022"
    )
    services.add_relative(
        worker, first, relationship="mother", name="Соколова Ольга", phone="+7 912 345-67-89"
    )
    second = open_case("Sokolova", "Maria", birth_date=P("1987-04-12"), case_number="1 12 2022")
    services.add_name(worker, second, Name("Соколова", "Маша"), kind=NameKind.PSEUDONYM)
    services.add_event(worker, second, type=event_type("arrest"), date=P("2022-03"))
    return first, second


def test_merge_keeps_every_name_and_moves_the_cases(pair: tuple[Case, Case], founders: Any) -> None:
    first, second = pair
    survivor, merged = first.person, second.person
    done = merge.merge_people(founders[0], survivor, merged)
    assert isinstance(done, PersonMerge)
    assert not Person.objects.filter(pk=merged.pk).exists()
    names = {(n.surname, n.given, n.kind) for n in survivor.names.all()}
    assert names == {
        ("Соколова", "Мария", NameKind.NAME),
        ("Sokolova", "Maria", NameKind.ALIAS),
        ("Соколова", "Маша", NameKind.PSEUDONYM),
    }
    assert set(survivor.cases.values_list("pk", flat=True)) == {first.pk, second.pk}
    assert not NameKey.objects.filter(person_id=merged.pk).exists()
    assert NameKey.objects.filter(person=survivor, key__in=["sokolova"]).exists()
    # The more precise birth date, as both agree.
    survivor.refresh_from_db()
    assert str(survivor.birth_date) == "1987-04-12"
    entry = AuditEntry.objects.filter(action="cases.people_merged").get()
    assert entry.details["cases"] == [second.pk]
    assert "Соколова" not in str(entry.details)


def test_a_merge_is_refused_to_a_case_worker(pair: tuple[Case, Case], worker: Member) -> None:
    with pytest.raises(PermissionDenied):
        merge.merge_people(worker, pair[0].person, pair[1].person)


def test_undo_restores_both_after_further_edits_to_the_survivor(
    pair: tuple[Case, Case], founders: Any, worker: Member, open_case: Callable[..., Case]
) -> None:
    first, second = pair
    survivor, merged = first.person, second.person
    merged_pk = merged.pk
    done = merge.merge_people(founders[0], survivor, merged)
    assert isinstance(done, PersonMerge)
    # After the merge the survivor lives on: a new spelling, a new event, a birth date fixed.
    case = Case.objects.get(pk=second.pk)
    services.add_name(worker, case, Name("Sakalova", "Maryia"))
    services.add_event(worker, case, type=event_type("letter"), date=P("2023-01-15"))
    services.update_person(worker, first, birth_date=P("1987-04-13"))

    restored = merge.undo_merge(founders[1], done)

    assert restored.pk == merged_pk
    assert str(restored.birth_date) == "1987-04-12"
    assert {(n.surname, n.kind, n.is_primary) for n in restored.names.all()} == {
        ("Sokolova", NameKind.NAME, True),
        ("Соколова", NameKind.PSEUDONYM, False),
    }
    assert list(restored.cases.values_list("pk", flat=True)) == [second.pk]
    assert Case.objects.get(pk=second.pk).events.count() == 2
    survivor.refresh_from_db()
    # The edit made after the merge stays; the name added after the merge stays too.
    assert str(survivor.birth_date) == "1987-04-13"
    assert set(survivor.names.values_list("surname", flat=True)) == {"Соколова", "Sakalova"}
    assert NameKey.objects.filter(person=restored).exists()
    assert not NameKey.objects.filter(person=survivor, name__person=restored).exists()
    done.refresh_from_db()
    assert done.undone_at is not None and done.undone_by == founders[1]
    assert AuditEntry.objects.filter(action="cases.merge_undone").count() == 1
    with pytest.raises(ValidationError):
        merge.undo_merge(founders[1], done)


def test_undo_restores_the_survivors_birth_date_when_untouched(
    pair: tuple[Case, Case], founders: Any
) -> None:
    survivor = pair[0].person
    done = merge.merge_people(founders[0], survivor, pair[1].person)
    assert isinstance(done, PersonMerge)
    merge.undo_merge(founders[0], done)
    survivor.refresh_from_db()
    assert str(survivor.birth_date) == "1987"


def test_cross_compartment_merge_waits_for_a_second_coordinator(
    open_case: Callable[..., Case], founders: Any, outsider: Member, moscow: Compartment
) -> None:
    moscow_worker = outsider
    here = open_case("Бялацкі", "Алесь", birth_date=P("1962-09-25"))
    there = open_case("Bialiatski", "Ales", birth_date=P("1962"), who=moscow_worker, where=moscow)
    asked = merge.merge_people(
        founders[0],
        here.person,
        there.person,
        reason="the same person by his birth date and the press",
    )
    assert isinstance(asked, ApprovalRequest)
    assert Person.objects.filter(pk=there.person.pk).exists()
    # The one who asked cannot approve; a second coordinator can.
    with pytest.raises(approvals.ApprovalError):
        approvals.approve(asked.pk, founders[0], seen_digest=asked.payload_digest)
    approvals.approve(asked.pk, founders[1], seen_digest=asked.payload_digest)
    assert not Person.objects.filter(pk=there.person.pk).exists()
    done = PersonMerge.objects.get()
    assert done.approval_id == asked.pk and done.merged_by == founders[1]


def test_no_path_around_the_second_person_not_even_for_the_command_line(
    open_case: Callable[..., Case], founders: Any, outsider: Member, moscow: Compartment
) -> None:
    moscow_worker = outsider
    here = open_case("Бялацкі", "Алесь", birth_date=P("1962"))
    there = open_case("Bialiatski", "Ales", birth_date=P("1962"), who=moscow_worker, where=moscow)
    with pytest.raises(PermissionDenied):
        merge.merge_people(None, here.person, there.person)
    with pytest.raises(ValidationError):
        merge.merge_people(founders[0], here.person, there.person, reason=" ")
    founders[0].is_superuser = True
    founders[0].save()
    assert isinstance(
        merge.merge_people(founders[0], here.person, there.person, reason="по номеру дела"),
        ApprovalRequest,
    )


def test_a_public_page_makes_a_merge_need_a_second_person_and_its_id_redirects(
    pair: tuple[Case, Case], founders: Any, worker: Member
) -> None:
    first, second = pair
    for case in (first, second):
        consent.give(
            worker, case, given_by="prisoner", given_on=datetime.date(2023, 1, 1), scope=["name"]
        )
    assert merge.second_person_reasons(first.person, second.person)
    asked = merge.merge_people(founders[0], first.person, second.person, reason="одно лицо")
    assert isinstance(asked, ApprovalRequest)
    approvals.approve(asked.pk, founders[1], seen_digest=asked.payload_digest)
    assert merge.redirect_for(second.public_id) == first.public_id
    assert merge.redirect_for(first.public_id) is None
    merge.undo_merge(founders[1], PersonMerge.objects.get())
    assert merge.redirect_for(second.public_id) is None


def test_the_approvers_summary_names_both_and_why(
    pair: tuple[Case, Case], founders: Any, worker: Member
) -> None:
    first, second = pair
    consent.give(
        worker, first, given_by="prisoner", given_on=datetime.date(2023, 1, 1), scope=["name"]
    )
    asked = merge.merge_people(founders[0], first.person, second.person, reason="одно лицо")
    assert isinstance(asked, ApprovalRequest)
    summary = approvals.summarize(asked, founders[1])
    facts = [f.value for s in summary.sections for f in s.facts]
    assert "Соколова Мария Андреевна" in facts and "Sokolova Maria" in facts
    checks = [c.text for s in summary.sections for c in s.checks]
    assert "one of them has a public page" in checks


def test_names_left_after_the_merge_are_not_the_merged_persons(
    pair: tuple[Case, Case], founders: Any
) -> None:
    survivor, merged = pair[0].person, pair[1].person
    merge.merge_people(founders[0], survivor, merged)
    assert PersonName.objects.filter(person=survivor, is_primary=True).count() == 1
