"""The plan in the database: inputs from cases, rules and funds; accepting creates drafts."""

import datetime
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from pompolit.aid import lifecycle
from pompolit.aid.models import AidItem, Kind, Status
from pompolit.aid.planning import services as plan_service
from pompolit.aid.planning.services import PlanLine
from pompolit.aid.testing import P
from pompolit.audit.models import AuditEntry
from pompolit.cases import services as cases
from pompolit.cases.models import CaseStatus, EventType
from pompolit.names import Name

pytestmark = pytest.mark.django_db

MONTH = datetime.date(2026, 12, 1)


@pytest.fixture
def second(worker, compartment, colony):
    case = cases.open_case(
        worker, compartment=compartment, name=Name("Кибальчич", "Виктор", "Львович"),
        birth_date=P("1990"), status=CaseStatus.objects.get(code="sentenced"),
        opened_on=datetime.date(2024, 1, 1), priority=1,
    )
    cases.add_event(worker, case, type=EventType.objects.get(code="arrest"),
                    date=P("2024-01-10"), facility=colony)
    case.refresh_from_db()
    return case


def test_parse_month_and_budgets(funds):
    assert plan_service.parse_month("2026-12") == MONTH
    for bad in ("2026-13", "12.2026", "", "2026-1"):
        with pytest.raises(ValidationError):
            plan_service.parse_month(bad)
    budgets = plan_service.resolve_budgets(["parcels=12000 RUB", "general=9000"])
    assert str(budgets["parcels"].amount) == "12000"
    assert budgets["general"].currency == "RUB"
    with pytest.raises(ValidationError, match="no fund"):
        plan_service.resolve_budgets(["nope=1"])
    with pytest.raises(ValidationError, match="has only"):
        plan_service.resolve_budgets(["parcels=60000 RUB"])
    with pytest.raises(ValidationError):
        plan_service.resolve_budgets(["parcels=-5"])
    with pytest.raises(ValidationError):
        plan_service.resolve_budgets(["parcels"])


def test_gather_reads_rules_and_counts_parcels(coordinator, prisoner, second, funds, parcel):
    item = parcel(planned_on=datetime.date(2026, 11, 10))
    lifecycle.approve_item(coordinator, item, on=datetime.date(2026, 11, 10))
    inputs = plan_service.gather(coordinator, MONTH, plan_service.resolve_budgets(
        ["parcels=12000"]))
    people = {p.case_id: p for p in inputs.prisoners}
    assert set(people) == {prisoner.pk, second.pk}
    strict = people[prisoner.pk].entitlement
    assert strict.parcels_allowed == 2 and strict.period_months == 3
    assert strict.parcels_left == 1  # one approved in the quarter
    assert strict.max_parcel_grams == 20000
    general = people[second.pk].entitlement
    assert general.parcels_allowed == 6 and general.period_months == 12
    assert people[second.pk].priority == 1
    assert people[prisoner.pk].days_since_aid == 21
    assert people[second.pk].days_since_aid is None


def test_outsider_plans_nobody(outsider, prisoner, funds):
    inputs = plan_service.gather(outsider, MONTH, {})
    assert inputs.prisoners == []


def test_propose_and_accept_creates_drafts_all_or_nothing(coordinator, prisoner, second, funds):
    budgets = plan_service.resolve_budgets(["parcels=6000", "general=3000"])
    inputs, result = plan_service.propose(coordinator, MONTH, budgets)
    assert result.status == "optimal"
    lines = plan_service.lines_of(inputs, result)
    parcels = [line for line in lines if line.item == "food-parcel"]
    # One parcel (5000) fits in the parcel fund; the urgent case gets it.
    assert [line.case_id for line in parcels] == [second.pk]
    texts = [plan_service.explain(r) for a in result.allocations for r in a.reasons]
    assert any("food parcel" in text for text in texts)

    bad = [*lines, PlanLine(prisoner.pk, "food-parcel", "parcels", 1)]
    with pytest.raises(ValidationError, match="more than its budget"):
        plan_service.accept(coordinator, MONTH, budgets, bad)
    assert not AidItem.objects.exists()
    wrong_fund = [PlanLine(prisoner.pk, "transfer", "parcels", 1)]
    with pytest.raises(ValidationError, match="may not pay"):
        plan_service.accept(coordinator, MONTH, budgets, wrong_fund)
    too_many = [PlanLine(prisoner.pk, "food-parcel", "general", 3)]
    with pytest.raises(ValidationError):
        plan_service.accept(coordinator, MONTH, budgets, too_many)
    assert not AidItem.objects.exists()

    created = plan_service.accept(coordinator, MONTH, budgets, lines)
    assert len(created) == sum(line.quantity if line.item != "transfer" else 1
                               for line in lines)
    assert all(item.status == Status.DRAFT and item.origin == "plan 2026-12"
               for item in created)
    parcel = next(item for item in created if item.kind == Kind.PARCEL)
    assert parcel.case == second and parcel.fund == funds["parcels"]
    assert AuditEntry.objects.filter(action="aid.plan_accepted").count() == 1


def test_accept_refuses_cases_the_member_does_not_see(outsider, prisoner, funds):
    budgets = plan_service.resolve_budgets(["general=3000"])
    with pytest.raises(ValidationError, match="not in the plan"):
        plan_service.accept(outsider, MONTH, budgets,
                            [PlanLine(prisoner.pk, "letter", "general", 1)])
    assert not AidItem.objects.exists()


def test_plan_command(coordinator, prisoner, second, funds):
    out = StringIO()
    call_command("aid", "plan", "--month", "2026-12", "--budget", "parcels=12000",
                 "--budget", "general=5000", "--as", coordinator.pseudonym, stdout=out)
    text = out.getvalue()
    assert "Plan for 2026-12: 2 prisoners; solver optimal" in text
    assert "Кибальчич" in text and "food parcel" in text
    assert not AidItem.objects.exists()
    call_command("aid", "plan", "--month", "2026-12", "--budget", "parcels=12000",
                 "--as", coordinator.pseudonym, "--accept", stdout=out)
    assert "draft items created" in out.getvalue()
    assert AidItem.objects.filter(origin="plan 2026-12").exists()
    with pytest.raises(CommandError):
        call_command("aid", "plan", "--month", "2026-12", "--budget", "parcels=999999",
                     "--as", coordinator.pseudonym, stdout=out)
    with pytest.raises(CommandError, match="coordinators"):
        call_command("aid", "plan", "--month", "2026-12", "--budget", "parcels=1",
                     "--as", "nobody", stdout=out)
