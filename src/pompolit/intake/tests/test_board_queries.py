"""The surge board asks the database the same number of questions for 10 stations as for 100:
counts are aggregated in the database, lawyers and people are fetched once for all stations
(no query per station). Counted, not timed (the timing is bench/intake_board_bench.py)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pompolit.intake import services
from pompolit.intake.duty import services as duty
from pompolit.intake.models import Detainee, Detention, LogKind, Status
from pompolit.intake.testing import station


def _surge(operator, hotline, stations: int) -> None:
    """Two held at each station (one a minor without a lawyer, one with needs) and one
    released; a lawyer on duty at every third station; a note in the shift log."""
    now = timezone.now()
    made = [station(f"ОВД № {n}") for n in range(stations)]
    rows = []
    for n, facility in enumerate(made):
        for k, status in enumerate((Status.AT_STATION, Status.HELD_OVERNIGHT, Status.RELEASED)):
            person = Detainee.objects.create(display_name=f"Кузнецова Мария {n}-{k}")
            rows.append(
                Detention(
                    compartment=hotline,
                    detainee=person,
                    detained_at=now - datetime.timedelta(minutes=k),
                    detained_on=now.date(),
                    status=status,
                    facility=facility,
                    is_minor=k == 0,
                    need_water=k == 1,
                    lawyer_assigned_at=now if k else None,
                )
            )
        if n % 3 == 0:
            lawyer = duty.add_lawyer(
                operator, hotline, name=f"Адвокат {n}", capacity=3, on_duty_from=now
            )
            duty.dispatch(operator, lawyer, facility)
    Detention.objects.bulk_create(rows)
    duty.write_log(operator, hotline, LogKind.NOTE, "Смена началась")


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


def _count(client_for, operator, hotline, stations: int) -> dict[str, int]:
    Detention.objects.all().delete()
    _surge(operator, hotline, stations)
    client = client_for(operator)
    return {
        name: _queries(client, reverse(name, args=[hotline.slug]))
        for name in ("intake_board", "intake_board_rows")
    }


@pytest.mark.parametrize("listed", [True, False], ids=["people listed", "too many to list"])
def test_the_board_asks_as_many_queries_for_100_stations_as_for_10(
    client_for, operator, hotline, monkeypatch, listed
):
    if not listed:
        monkeypatch.setattr(services, "BOARD_LIST_LIMIT", 0)
    ten = _count(client_for, operator, hotline, 10)
    hundred = _count(client_for, operator, hotline, 100)
    assert ten["intake_board_rows"] > 0
    assert hundred == ten


def test_a_stations_people_are_one_query_however_many(client_for, operator, hotline):
    _surge(operator, hotline, 3)
    facility = Detention.objects.filter(status=Status.AT_STATION).first().facility
    url = reverse("intake_board_station", args=[hotline.slug]) + f"?station={facility.pk}"
    client = client_for(operator)
    before = _queries(client, url)
    for k in range(20):
        Detention.objects.create(
            compartment=hotline,
            detainee=Detainee.objects.create(display_name=f"Смирнов Илья {k}"),
            status=Status.AT_STATION,
            facility=facility,
        )
    assert _queries(client, url) == before
