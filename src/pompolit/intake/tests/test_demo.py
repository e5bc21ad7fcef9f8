"""The demo surge loads through the services, once: detentions at a dozen stations of two
hotlines, reports from several channels, duplicates linked, a few people detained twice;
detentions that led to a criminal case, which the demo's `lev` opens as cases; reports from the
public waiting in quarantine, some proposed for linking."""

import pytest
from django.core.exceptions import PermissionDenied

from pompolit.intake import demo, services
from pompolit.intake.duty import services as duty
from pompolit.intake.models import (
    Channel,
    Detention,
    Hotline,
    LogKind,
    Quarantine,
    Report,
    ShiftLogEntry,
    Status,
)
from pompolit.members import policy
from pompolit.members.models import Compartment, Member
from pompolit.members.roles import Role


@pytest.fixture
def demo_members(founders, make_member, unsealed_vault):
    founders[0].pseudonym, founders[1].pseudonym = "vera", "sofia"
    for founder in founders:
        founder.save()
    make_member("hotline", Role.HOTLINE_OPERATOR)
    make_member("nikolai", Role.CASE_WORKER)
    make_member("lev", Role.CASE_WORKER, Role.HOTLINE_OPERATOR)


NAMED = len(demo.KNOWN) + len(demo.CRIMINAL)


def test_the_demo_surge(demo_members):
    assert demo.load(moscow_count=40, spb_count=10) == 40 + 10 + 20 + 8 + NAMED
    assert demo.load() == 0
    assert set(Hotline.objects.values_list("city", flat=True)) == {"Москва", "Санкт-Петербург"}
    # Each has public contacts, which the public form and its pages show.
    assert all(h.phone and h.telegram for h in Hotline.objects.all())
    # A few adults agreed to be named on the public counts.
    named = Detention.objects.filter(named_publicly_at__isnull=False)
    assert named.count() == 3 and not named.filter(is_minor=True).exists()
    total = services.counts(Detention.objects.all())
    assert total.detentions == 78 + NAMED
    assert total.people == 70 + NAMED  # eight people detained twice
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


def test_the_demo_has_reports_from_the_public_waiting_some_proposed_for_linking(demo_members):
    demo.load(moscow_count=40, spb_count=10)
    waiting = Report.objects.filter(quarantine=Quarantine.PENDING)
    assert waiting.count() == len(demo.PUBLIC) and 10 <= len(demo.PUBLIC) <= 20
    assert set(waiting.values_list("channel", flat=True)) == {Channel.WEB_FORM, Channel.TELEGRAM}
    # Through the public path: each has its private code and its audit entry, none a detention.
    assert all(r.detention_id is None and r.deduped_at is not None for r in waiting)
    assert waiting.filter(code__isnull=False).count() == len(demo.PUBLIC)
    # The dedupe has run: the reports about the people already held are proposed for them.
    proposed = {
        (r.proposed_detention.detainee.names.get().surname, r.compartment.slug)
        for r in waiting.exclude(proposed_detention=None).select_related("compartment")
    }
    assert proposed == {
        ("Ермаков", "moscow-hotline"),
        ("Лисицына", "moscow-hotline"),
        ("Абрамян", "moscow-hotline"),
        ("Васильева", "spb-hotline"),
    }
    assert waiting.filter(possible_duplicate=True).count() >= 4
    said = {r.claims["name"]["surname"] for r in waiting}
    assert {"Гусейнова", "Тихонов", "Сорокина"} <= said  # new people, in Russian


def test_a_case_worker_on_the_hotline_opens_the_demo_s_criminal_cases(demo_members):
    demo.load(moscow_count=40, spb_count=10)
    lev = Member.objects.get(pseudonym=demo.ESCALATOR)
    moscow = Hotline.objects.get(city="Москва").compartment
    cases = Compartment.objects.get(slug=demo.CASES_SLUG)
    # What escalation needs, and no more: this hotline and the registry compartment, no
    # coordinator's role, not the other hotline.
    assert set(lev.compartment_ids()) == {moscow.pk, cases.pk}
    assert not policy.has_roles(lev, policy.COORDINATOR)
    charged = {
        d.detainee.display_name: d
        for d in Detention.objects.filter(compartment=moscow, status=Status.CRIMINAL_CASE)
    }
    first = next(iter(charged.values()))
    for who in ("hotline", "nikolai", "vera"):  # each lacks part of it
        with pytest.raises(PermissionDenied):
            services.escalate(Member.objects.get(pseudonym=who), first, cases)
    for name, *_rest in demo.CRIMINAL:
        detention = charged[" ".join((name.surname, name.given, name.patronymic))]
        case = services.escalate(lev, detention, cases)
        assert case.compartment == cases
        assert case.person.display_name == detention.detainee.display_name
