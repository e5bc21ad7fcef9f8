"""The demo surge loads through the services, once: detentions at a dozen stations of two
hotlines, reports from several channels, duplicates linked, a few people detained twice."""

import pytest

from pompolit.intake import demo, services
from pompolit.intake.duty import services as duty
from pompolit.intake.models import Detention, Hotline, LogKind, Report, ShiftLogEntry
from pompolit.members.roles import Role


@pytest.fixture
def demo_members(founders, make_member, unsealed_vault):
    founders[0].pseudonym, founders[1].pseudonym = "vera", "sofia"
    for founder in founders:
        founder.save()
    make_member("hotline", Role.HOTLINE_OPERATOR)
    make_member("nikolai", Role.CASE_WORKER)


def test_the_demo_surge(demo_members):
    assert demo.load(moscow_count=40, spb_count=10) == 40 + 10 + 20 + 8
    assert demo.load() == 0
    assert set(Hotline.objects.values_list("city", flat=True)) == {"Москва", "Санкт-Петербург"}
    total = services.counts(Detention.objects.all())
    assert total.detentions == 78 and total.people == 70  # eight people detained twice
    assert Report.objects.filter(linked_to_known=True).exists()
    assert len(set(Report.objects.values_list("channel", flat=True))) >= 3
    moscow = Hotline.objects.get(city="Москва").compartment
    board = services.station_board(moscow)
    assert sum(row.held for row in board) > 0
    assert len({row.facility for row in board}) <= 8
    assert "Смирнов" not in str(services.public_counts())


def test_the_demo_has_lawyers_on_duty_and_a_handover(demo_members):
    demo.load(moscow_count=40, spb_count=10)
    moscow = Hotline.objects.get(city="Москва").compartment
    lawyers = list(duty.lawyers_of(moscow))
    assert len(lawyers) == 4 and all(lawyer.station for lawyer in lawyers)
    assert any(duty.free_places(lawyer) < 0 for lawyer in lawyers)  # one over capacity
    kinds = set(ShiftLogEntry.objects.filter(compartment=moscow).values_list("kind", flat=True))
    assert kinds == {LogKind.NOTE, LogKind.INCIDENT, LogKind.HANDOVER}
