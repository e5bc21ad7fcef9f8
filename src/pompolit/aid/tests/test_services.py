import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from pompolit.aid import services
from pompolit.aid.models import AidItem, Status
from pompolit.aid.services import ContentLine, StaleEdit
from pompolit.aid.testing import PLANNED, P, rub
from pompolit.audit.models import AuditEntry
from pompolit.cases import services as cases
from pompolit.cases.models import EventType
from pompolit.ledger.money import Money


def test_a_draft_parcel_with_its_contents(parcel, prisoner, worker):
    item = parcel(grams=4200)
    assert item.status == Status.DRAFT
    assert item.compartment_id == prisoner.compartment_id
    assert item.cost_units == 150000 and item.currency_id == "RUB"
    assert item.total_grams == 4200
    assert item.version == 1
    assert AuditEntry.objects.filter(action="aid.item_created").count() == 1


def test_the_note_is_encrypted(parcel):
    item = parcel(note="Мама просит передать: держись")
    raw = AidItem.objects.filter(pk=item.pk).values_list("note", flat=True).get()
    assert "держись" not in raw
    assert AidItem.objects.get(pk=item.pk).note == "Мама просит передать: держись"


@pytest.mark.parametrize(("line", "message"), [
    (ContentLine("food", -1, 500), "quantity"),
    (ContentLine("food", 0, 500), "quantity"),
    (ContentLine("food", 100000, 500), "quantity"),
    (ContentLine("food", 1, -300), "weight"),
    (ContentLine("food", 1, 0), "weight"),
    (ContentLine("food", 1, 2_000_000), "weight"),
    (ContentLine("водка", 1, 500), "category"),
])
def test_absurd_contents_are_refused(worker, prisoner, funds, line, message):
    with pytest.raises(ValidationError, match=message):
        services.create_item(worker, prisoner, "parcel", funds["parcels"], planned_on=PLANNED,
                             cost=rub("100"), contents=[line])
    assert not AidItem.objects.exists()


def test_a_parcel_of_a_tonne_in_many_lines_is_refused(worker, prisoner, funds):
    lines = [ContentLine("food", 1, 45000)] * 20
    with pytest.raises(ValidationError, match="no parcel weighs that much"):
        services.create_item(worker, prisoner, "parcel", funds["parcels"], planned_on=PLANNED,
                             contents=lines)


def test_negative_absurd_and_unknown_money_is_refused(worker, prisoner, funds):
    def make(cost):
        return services.create_item(worker, prisoner, "money", funds["general"],
                                    planned_on=PLANNED, cost=cost, money_to="prisoner")

    with pytest.raises(ValidationError, match="negative"):
        make(Money("RUB", rub("-5").amount))
    with pytest.raises(ValidationError, match="far more"):
        make(Money("RUB", rub("1000000000").amount))
    with pytest.raises(ValidationError, match="Unknown currency XBT"):
        make(Money("XBT", rub("10").amount))
    with pytest.raises(ValidationError, match="decimal places"):
        make(Money("RUB", rub("10.005").amount))
    item = make(Money("USD", rub("120.50").amount))
    assert (item.cost_units, item.currency_id) == (12050, "USD")


@pytest.mark.parametrize("event", ["release", "death"])
def test_no_aid_for_someone_released_or_dead(worker, prisoner, funds, parcel, event):
    cases.add_event(worker, prisoner, type=EventType.objects.get(code=event), date=P("2026-10"))
    prisoner.refresh_from_db()
    with pytest.raises(ValidationError, match="no longer sent"):
        parcel()


def test_a_purpose_fund_pays_only_its_purpose(worker, prisoner, funds):
    with pytest.raises(ValidationError, match="restricted to Lawyers"):
        services.create_item(worker, prisoner, "parcel", funds["lawyers"], planned_on=PLANNED,
                             contents=[ContentLine("food", 1, 500)])


def test_kind_specific_fields(worker, prisoner, funds):
    with pytest.raises(ValidationError, match="language"):
        services.create_item(worker, prisoner, "letter", funds["general"], planned_on=PLANNED)
    letter = services.create_item(worker, prisoner, "letter", funds["general"],
                                  planned_on=PLANNED, language="ru", channel="facility")
    assert letter.language == "ru"
    with pytest.raises(ValidationError, match="account or to a relative"):
        services.create_item(worker, prisoner, "money", funds["general"], planned_on=PLANNED,
                             cost=rub("1000"))


def test_someone_from_another_compartment_cannot(outsider, prisoner, funds):
    with pytest.raises(PermissionDenied):
        services.create_item(outsider, prisoner, "letter", funds["general"],
                             planned_on=PLANNED, language="ru")


def test_an_edit_made_on_a_stale_copy_is_refused_and_nothing_is_lost(parcel, worker,
                                                                      second_worker):
    item = parcel()
    mine = AidItem.objects.get(pk=item.pk)
    theirs = AidItem.objects.get(pk=item.pk)
    services.update_item(second_worker, theirs, version=theirs.version, cost=rub("1800"),
                         contents=[ContentLine("hygiene", 4, 400, "мыло хозяйственное")])
    with pytest.raises(StaleEdit, match="Someone else changed this item"):
        services.update_item(worker, mine, version=mine.version, cost=rub("900"))
    kept = AidItem.objects.get(pk=item.pk)
    assert kept.cost_units == 180000 and kept.version == 2
    assert [c.category for c in kept.contents.all()] == ["hygiene"]


def test_planned_too_far_ahead(parcel):
    with pytest.raises(ValidationError, match="year ahead"):
        parcel(planned_on=timezone.localdate() + datetime.timedelta(days=800))
