"""The demo surge loads through the services, once: detentions at a dozen stations of two
hotlines, reports from several channels, duplicates linked, a few people detained twice."""

import pytest

from pompolit.intake import demo, services
from pompolit.intake.models import Detention, Hotline, Report
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
