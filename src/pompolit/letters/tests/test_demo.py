"""The demo letters load through the services, at every stage, once; the demo code finds them."""

from __future__ import annotations

from typing import Any

import pytest

from pompolit.cases import demo as cases_demo
from pompolit.letters import birthdays, demo, pick, services
from pompolit.letters.models import Campaign, Channel, Letter, Reply, Status, Translation
from pompolit.members.models import Compartment, Member
from pompolit.members.roles import Role

pytestmark = pytest.mark.django_db


def test_demo_letters(make_member: Any, compartment: Compartment, unsealed_vault: Any) -> None:
    worker: Member = make_member("Николай Морозов", Role.CASE_WORKER, compartments=[compartment])
    cases_demo.load(worker, compartment)
    assert demo.load(worker) == len(demo.LETTERS)
    assert demo.load(worker) == 0
    statuses = set(Letter.objects.values_list("status", flat=True))
    assert Campaign.objects.get().name_ru == "Новогодние открытки"
    assert Letter.objects.filter(channel=Channel.PAPER, status=Status.APPROVED).count() == 3
    assert Translation.objects.get().letter.language == "en"
    assert [r.name for _day, r in birthdays.this_week()] == ["Горбунова Мария Сергеевна"]
    assert statuses == set(Status.values)
    assert Reply.objects.count() == 1
    assert len(services.letters_of(demo.demo_code())) == len(demo.LETTERS)  # not the paper ones
    names = {r.name for r in pick.recipients()}
    assert "Ермолаев Игорь Николаевич" not in names  # relatives only there
    assert {"Горбунова Мария Сергеевна", "Лисицын Павел Андреевич"} <= names
