"""Consent to publish: recorded, replaced and withdrawn as new records, never edited; every
change audited; the latest record decides, and an expired consent is no consent."""


import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pompolit.audit.models import AuditEntry
from pompolit.cases.models import Consent
from pompolit.cases.public import consent
from pompolit.cases.testing import days


def give(worker, case, **fields):
    values = {"given_by": "relative", "given_on": days(-3), "scope": ["name", "charges"]}
    return consent.give(worker, case, **{**values, **fields})


def test_a_consent_is_recorded_and_audited(worker, exile):
    given = give(worker, exile, scope=["charges", "name", "charges"], expires_on=days(300))
    assert consent.current(exile) == given
    assert given.scope == ["charges", "name"] and given.recorded_by == worker
    entry = AuditEntry.objects.filter(action="cases.consent_given").get()
    assert entry.details["consent"] == given.pk and entry.details["given_by"] == "relative"
    assert entry.details["scope"] == ["charges", "name"]


def test_a_withdrawal_is_a_new_record_and_the_history_stays(worker, exile):
    first = give(worker, exile)
    second = give(worker, exile, given_by="prisoner", scope=["name", "story"],
                  story_ru="Историк, член ПСР.", story_en="Historian, an SR.")
    withdrawal = consent.withdraw(worker, exile, given_by="prisoner")
    assert consent.current(exile) is None
    assert [c.pk for c in consent.history(exile)] == [withdrawal.pk, second.pk, first.pk]
    first.refresh_from_db()
    assert first.scope == ["charges", "name"] and not first.withdrawn
    assert AuditEntry.objects.filter(action="cases.consent_withdrawn").count() == 1


def test_a_new_consent_after_a_withdrawal_publishes_again(worker, exile):
    give(worker, exile)
    consent.withdraw(worker, exile, given_by="lawyer")
    again = give(worker, exile, given_by="prisoner", given_on=days(0))
    assert consent.current(exile) == again


def test_nothing_to_withdraw_without_a_consent_in_force(worker, exile):
    with pytest.raises(ValidationError):
        consent.withdraw(worker, exile, given_by="prisoner")
    give(worker, exile, given_on=days(-30), expires_on=days(-1))
    with pytest.raises(ValidationError):
        consent.withdraw(worker, exile, given_by="prisoner")


def test_an_expired_consent_is_no_consent(worker, exile):
    give(worker, exile, given_on=days(-30), expires_on=days(-1))
    assert consent.current(exile) is None
    give(worker, exile, given_on=days(-30), expires_on=days(0))
    assert consent.current(exile) is not None
    assert consent.current(exile, today=days(1)) is None


@pytest.mark.parametrize(("fields", "error"), [
    ({"scope": ["name", "relatives"]}, "scope"),
    ({"scope": ["charges"]}, "scope"),
    ({"given_on": days(1)}, "given_on"),
    ({"given_on": days(-3), "expires_on": days(-4)}, "expires_on"),
    ({"scope": ["name", "story"]}, "story_ru"),
])
def test_a_consent_that_cannot_be_right_is_refused(worker, exile, fields, error):
    with pytest.raises(ValidationError) as raised:
        give(worker, exile, **fields)
    assert error in raised.value.message_dict
    assert not Consent.objects.exists() and not AuditEntry.objects.filter(
        action="cases.consent_given").exists()


def test_a_story_outside_the_scope_is_not_kept(worker, exile):
    given = give(worker, exile, story_ru="Не для публикации")
    assert given.story_ru == ""


def test_a_consent_is_never_edited_nor_deleted(worker, exile):
    given = give(worker, exile)
    given.scope = ["name", "birthday"]
    with pytest.raises(ValueError, match="never edited"):
        given.save()
    with pytest.raises(ValueError, match="never deleted"):
        given.delete()
    given.refresh_from_db()
    assert given.scope == ["charges", "name"]


def test_a_case_worker_of_another_compartment_cannot_record_consent(outsider, exile):
    with pytest.raises(PermissionDenied):
        give(outsider, exile)
    with pytest.raises(PermissionDenied):
        consent.withdraw(outsider, exile, given_by="prisoner")
