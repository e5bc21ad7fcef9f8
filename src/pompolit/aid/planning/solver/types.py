"""What the planner is given and what it returns: item types, prisoners and their
entitlements, funds, and the plan with its lines, reasons and solver stages. Plain data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

FundKind = Literal["unrestricted", "purpose", "case"]

PARCEL = "parcel"
MONEY = "money"


def gettext_noop(message: str) -> str:
    """Marks a message for translation (makemessages extracts it); translated by the caller."""
    return message


class PlanError(ValueError):
    """The input cannot be planned (e.g. an unknown item type): a message for the user."""


@dataclass(frozen=True)
class ItemType:
    code: str
    label: str
    kind: str  # "parcel" and "money" are limited by the facility; others only by need
    purpose: str  # the expense account it is paid to, e.g. "expenses:parcels"
    cost: Decimal
    currency: str
    grams: int = 0
    value: Decimal | None = None  # worth in the fairness measure; by default the cost


@dataclass(frozen=True)
class Entitlement:
    """What the facility's rule still allows this prisoner in the current period."""

    facility: str = ""
    parcels_left: int | None = None  # None: no limit known
    parcels_allowed: int | None = None
    period_months: int | None = None
    max_parcel_grams: int | None = None
    money_left: Decimal | None = None
    money_currency: str = ""


@dataclass(frozen=True)
class Prisoner:
    key: str
    case_id: int
    label: str
    priority: int = 3
    days_since_aid: int | None = None  # None: never aided
    needs: Mapping[str, int] = field(default_factory=dict)  # item type code → quantity
    entitlement: Entitlement = field(default_factory=Entitlement)


@dataclass(frozen=True)
class Fund:
    code: str
    kind: FundKind
    available: Mapping[str, Decimal]  # currency → money this plan may spend
    purpose: str = ""
    case_id: int | None = None

    def may_pay(self, prisoner: Prisoner, item: ItemType) -> bool:
        if self.kind == "case":
            return self.case_id == prisoner.case_id
        if self.kind == "purpose":
            return item.purpose == self.purpose or item.purpose.startswith(self.purpose + ":")
        return True


@dataclass(frozen=True)
class SolverOptions:
    time_limit: float = 60.0  # seconds, for all stages together
    mip_rel_gap: float = 1e-3
    threads: int = 1


@dataclass(frozen=True)
class Reason:
    code: str
    message: str  # an English template with %(name)s placeholders, marked for translation
    params: Mapping[str, str] = field(default_factory=dict)

    def text(self) -> str:
        return self.message % dict(self.params)


@dataclass(frozen=True)
class Line:
    item: str
    fund: str
    quantity: int
    amount: Decimal  # quantity × cost
    currency: str


@dataclass(frozen=True)
class Allocation:
    prisoner: str
    lines: tuple[Line, ...]
    weight: float
    coverage: float  # 0..1 of the demand; 0 when there is no demand
    demand: float  # in value units
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Stage:
    name: str
    status: str
    objective: float
    mip_gap: float
    seconds: float


@dataclass(frozen=True)
class Plan:
    allocations: tuple[Allocation, ...]
    spent: Mapping[tuple[str, str], Decimal]  # (fund, currency) → money planned
    left: Mapping[tuple[str, str], Decimal]
    level: float  # the fairness level t
    status: str  # "optimal", "time limit" (a feasible plan, maybe not the best), ...
    mip_gap: float  # of the last stage solved
    stages: tuple[Stage, ...]
    seconds: float

    def allocation(self, key: str) -> Allocation:
        return next(a for a in self.allocations if a.prisoner == key)

