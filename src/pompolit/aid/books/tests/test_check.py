"""`pompolit aid check`: OK when the books and the aid list agree; the first disagreement
and a non-zero exit otherwise; flagged approved items listed."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pompolit.aid import lifecycle, services
from pompolit.aid.models import AidItem
from pompolit.aid.testing import PLANNED, rub
from pompolit.cases import services as cases
from pompolit.cases.facilities import services as facilities
from pompolit.ledger import services as ledger


def run():
    from io import StringIO

    out = StringIO()
    call_command("aid", "check", stdout=out)
    return out.getvalue()


def test_ok(parcel, worker):
    lifecycle.approve_item(worker, parcel(), on=PLANNED)
    assert "OK: 1 aid item(s) agree with the books; 1 approved item(s) re-checked, 0 flagged" \
        in run()


def test_an_item_that_claims_approval_without_a_reservation(parcel, worker):
    item = parcel()
    AidItem.objects.filter(pk=item.pk).update(status="approved")
    with pytest.raises(CommandError, match=rf"aid item #{item.pk} .*no reservation entry"):
        run()


def test_a_reservation_posted_behind_the_aid_list(parcel, worker, funds):
    item = lifecycle.approve_item(worker, parcel(), on=PLANNED)
    ledger.post_entry(None, kind="expense", date=PLANNED, memo=f"aid item #{item.pk}: extra",
                      lines=[
                          ledger.Line(ledger.account("expenses:parcels"), funds["parcels"],
                                      rub("10")),
                          ledger.Line(ledger.account("liabilities:aid-reserved"),
                                      funds["parcels"], -rub("10")),
                      ])
    with pytest.raises(CommandError, match="liabilities:aid-reserved holds 151000 RUB"):
        run()


def test_a_rule_change_after_approval_flags_the_item(parcel, worker, prisoner, colony):
    item = lifecycle.approve_item(worker, parcel(grams=18000), on=PLANNED)
    facilities.add_rule(worker, colony, valid_from=datetime.date(2026, 11, 1),
                        regime=prisoner.sentence_regime,
                        terms=facilities.RuleTerms(max_parcel_grams=15000,
                                                   parcels_per_period=2, period_months=3))
    item.refresh_from_db()
    assert [flag["code"] for flag in item.flags] == ["weight"]
    assert "FLAGGED aid item" in run() and "15 kg" in run()
    with pytest.raises(lifecycle.RulesBroken):
        lifecycle.send_item(worker, item, on=PLANNED, channel="post")


def test_a_transfer_after_approval_flags_the_item(parcel, worker, prisoner):
    from pompolit.cases.models import EventType, FacilityType
    from pompolit.cases.partial import PartialDate

    item = lifecycle.approve_item(worker, parcel(grams=12000), on=PLANNED)
    far = facilities.create_facility(worker, name="ФКУ СИЗО-1 по г. Москве",
                                     short_name="СИЗО-1",
                                     type=FacilityType.objects.get(code="pretrial"))
    facilities.add_rule(worker, far, valid_from=datetime.date(2020, 1, 1),
                        terms=facilities.RuleTerms(max_parcel_grams=10000))
    cases.add_event(worker, prisoner, type=EventType.objects.get(code="transfer"),
                    date=PartialDate.parse("2026-11-03"), facility=far)
    item.refresh_from_db()
    assert item.flags and "СИЗО-1" in lifecycle.flags_of(item)[0].message
    # Withdrawn and corrected, it may be approved again.
    item = lifecycle.withdraw_approval(worker, item)
    item = services.update_item(worker, item, version=item.version,
                                contents=[services.ContentLine("food", 1, 9000)])
    assert lifecycle.approve_item(worker, item, on=PLANNED).flags == []


def test_follow_ups_command(parcel, worker):
    from io import StringIO

    lifecycle.send_item(worker, lifecycle.approve_item(worker, parcel(), on=PLANNED),
                        on=datetime.date(2026, 10, 15), channel="post")
    out = StringIO()
    call_command("aid", "follow-ups", "--days", "0", stdout=out)
    assert "1 item(s) sent more than 0 days ago" in out.getvalue()
