"""Editing the vocabularies (cases/vocabularies.py): coordinators only; codes and custody
meaning fixed once used; terms in use taken out of use, never deleted; all audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pompolit.audit.models import AuditEntry
from pompolit.cases.facilities import services as facility_services
from pompolit.cases.forms import CaseForm, NewCaseForm
from pompolit.cases.models import CaseStatus, EventType, FacilityType, Regime
from pompolit.cases.testing import P
from pompolit.cases.vocabularies import services as vocabularies

STATUSES = vocabularies.VOCABULARIES["statuses"]
EVENTS = vocabularies.VOCABULARIES["event-types"]
REGIMES = vocabularies.VOCABULARIES["regimes"]


@pytest.fixture
def coordinator(founders):
    return founders[0]


def house_arrest(coordinator):
    return vocabularies.add_term(coordinator, STATUSES, code=" House-Arrest ",
                                 label_en="under house arrest", label_ru="под домашним арестом",
                                 position=25, watch_sign_of_life=True)


def test_add_a_term_audited(coordinator):
    term = house_arrest(coordinator)
    assert term.code == "house-arrest" and term.is_active
    entry = AuditEntry.objects.filter(action="cases.term_added").get()
    assert entry.details == {"vocabulary": STATUSES.slug, "code": "house-arrest"}
    assert entry.actor_id == coordinator.pk


def test_only_coordinators(worker, coordinator):
    with pytest.raises(PermissionDenied):
        house_arrest(worker)
    term = house_arrest(coordinator)
    for action in (lambda: vocabularies.update_term(worker, term, label_ru="домашний арест"),
                   lambda: vocabularies.set_active(worker, term, False),
                   lambda: vocabularies.delete_term(worker, term)):
        with pytest.raises(PermissionDenied):
            action()


@pytest.mark.parametrize("code, message", [
    ("detained", "already exists"),
    ("домашний-арест", "letters, numbers, underscores or hyphens"),
    ("", "cannot be blank"),
])
def test_bad_codes_are_refused(coordinator, code, message):
    with pytest.raises(ValidationError, match=message):
        vocabularies.add_term(coordinator, STATUSES, code=code, label_en="x", label_ru="х",
                              position=1)


def test_an_unused_term_can_change_everything(coordinator):
    term = house_arrest(coordinator)
    vocabularies.update_term(coordinator, term, code="home-arrest", label_ru="домашний арест",
                             position=26)
    term.refresh_from_db()
    assert (term.code, term.label_ru, term.position) == ("home-arrest", "домашний арест", 26)
    entry = AuditEntry.objects.filter(action="cases.term_updated").get()
    assert entry.details["old_code"] == "house-arrest"
    assert entry.details["fields"] == ["code", "label_ru", "position"]


def test_a_used_code_is_fixed_but_labels_change(coordinator, open_case):
    term = house_arrest(coordinator)
    open_case("Брешко-Брешковская", "Екатерина", "Константиновна", status=term)
    with pytest.raises(ValidationError, match="cannot change any more"):
        vocabularies.update_term(coordinator, term, code="home-arrest")
    assert CaseStatus.objects.get(pk=term.pk).code == "house-arrest"
    vocabularies.update_term(coordinator, term, code="house-arrest",
                             label_ru="под домашним арестом (ст. 107 УПК)")
    assert CaseStatus.objects.get(pk=term.pk).label_ru.endswith("(ст. 107 УПК)")


def test_built_in_codes_never_change(coordinator):
    deceased = CaseStatus.objects.get(code="deceased")
    with pytest.raises(ValidationError, match="cannot change"):
        vocabularies.update_term(coordinator, deceased, code="dead")
    with pytest.raises(ValidationError, match="named by the program"):
        vocabularies.delete_term(coordinator, deceased)
    vocabularies.update_term(coordinator, deceased, label_ru="умер (умерла)")


def test_the_custody_meaning_of_a_used_event_type_is_fixed(coordinator, exile):
    letter = EventType.objects.get(code="letter")
    with pytest.raises(ValidationError, match="cannot change"):
        vocabularies.update_term(coordinator, letter, custody_effect="")
    with pytest.raises(ValidationError, match="cannot change"):
        vocabularies.update_term(coordinator, letter, allowed_after_death=True)
    fresh = vocabularies.add_term(coordinator, EVENTS, code="parcel-returned",
                                  label_en="parcel returned", label_ru="посылка вернулась",
                                  position=90, custody_effect="", allowed_after_death=False)
    vocabularies.update_term(coordinator, fresh, custody_effect="contact")
    assert EventType.objects.get(pk=fresh.pk).custody_effect == "contact"


def test_uses_counts_every_reference(coordinator, worker, open_case, facilities):
    strict = Regime.objects.get(code="strict")
    assert vocabularies.uses(strict) == 0
    case = open_case("Гершуни", "Григорий", sentence_regime=strict)
    facility_services.add_rule(worker, facilities["ik6"], valid_from=P("2024").lower, regime=strict)
    assert vocabularies.uses(strict) == 2
    assert vocabularies.uses(FacilityType.objects.get(code="prison")) == 2  # Лубянка, Бутырки
    assert case.sentence_regime == strict


def test_a_used_term_is_taken_out_of_use_not_deleted(coordinator, worker, exile):
    in_exile = CaseStatus.objects.get(code="in-exile")
    with pytest.raises(ValidationError, match="used by 1 record and"):
        vocabularies.delete_term(coordinator, in_exile)
    vocabularies.set_active(coordinator, in_exile, False)
    assert not CaseStatus.objects.get(pk=in_exile.pk).is_active
    # No longer offered for new cases, but the case that has it keeps it and can be edited.
    assert in_exile not in NewCaseForm(member=worker).fields["status"].queryset
    form = CaseForm(instance=exile)
    assert in_exile in form.fields["status"].queryset
    vocabularies.set_active(coordinator, in_exile, True)
    actions = list(AuditEntry.objects.filter(action__startswith="cases.term_").order_by("seq")
                   .values_list("action", flat=True))
    assert actions == ["cases.term_deactivated", "cases.term_reactivated"]


def test_an_unused_term_can_be_deleted(coordinator):
    term = house_arrest(coordinator)
    vocabularies.delete_term(coordinator, term)
    assert not CaseStatus.objects.filter(code="house-arrest").exists()
    entry = AuditEntry.objects.filter(action="cases.term_deleted").get()
    assert entry.details == {"vocabulary": STATUSES.slug, "code": "house-arrest"}
