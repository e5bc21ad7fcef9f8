"""Lawyers on duty and the shift log: everything here that writes, and what the board reads.

`add_lawyer` puts a lawyer on duty at a hotline; `dispatch` sends them to a police station (or,
with no station, recalls them), appending a `Dispatch` row each time. `assign_duty_lawyer` gives
a detention one of them: it counts against their capacity, and going over it is allowed (a
lawyer may agree to one more) but said. The shift log is appended to by `write_log` and
`hand_over`; a handover carries the open items counted by `open_items`.

Every write records an audit entry in its transaction, with ids and codes only. Actions:
intake.lawyer_on_duty, intake.lawyer_dispatched, intake.lawyer_recalled,
intake.lawyer_assigned (with duty_lawyer), intake.log_written.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from pompolit.audit.services import record, record_sensitive_read
from pompolit.cases.models import Facility
from pompolit.intake import services as intake
from pompolit.intake.models import (
    HELD,
    Detention,
    Dispatch,
    DutyLawyer,
    Hotline,
    LogKind,
    ShiftLogEntry,
)
from pompolit.members import policy
from pompolit.members.models import Compartment, Member

# -- who may ------------------------------------------------------------------------------------


def _check(actor: Member | None, compartment: Compartment, access: policy.Access) -> None:
    refusal = _("You are not on duty at this hotline.")
    policy.require(actor, access, refusal=refusal)
    if actor is not None and compartment.pk not in actor.compartment_ids():
        raise PermissionDenied(refusal)
    if not Hotline.objects.filter(compartment=compartment).exists():
        raise PermissionDenied(_("This compartment is not a hotline."))


# -- lawyers on duty ----------------------------------------------------------------------------


def add_lawyer(
    actor: Member | None,
    compartment: Compartment,
    *,
    name: str,
    capacity: int,
    on_duty_from: datetime.datetime,
    on_duty_to: datetime.datetime | None = None,
    phone: str = "",
) -> DutyLawyer:
    _check(actor, compartment, policy.LAWYER_DISPATCHERS)
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Give the name the lawyer wants to be called by.")})
    if capacity < 1:
        raise ValidationError({"capacity": _("A lawyer on duty takes at least one detainee.")})
    if on_duty_to is not None and on_duty_to <= on_duty_from:
        raise ValidationError({"on_duty_to": _("The end of the duty comes after its start.")})
    lawyer = DutyLawyer(
        compartment=compartment,
        name=name,
        phone=" ".join(phone.split()),
        capacity=capacity,
        on_duty_from=on_duty_from,
        on_duty_to=on_duty_to,
        created_by=actor,
    )
    with transaction.atomic():
        lawyer.save()
        record(
            "intake.lawyer_on_duty",
            actor=actor,
            obj=lawyer,
            details={"lawyer": lawyer.pk, "compartment": compartment.slug, "capacity": capacity},
        )
    return lawyer


def dispatch(actor: Member | None, lawyer: DutyLawyer, station: Facility | None) -> Dispatch:
    """Send the lawyer to a police station; no station recalls them."""
    _check(actor, lawyer.compartment, policy.LAWYER_DISPATCHERS)
    if station is not None and station.pk == lawyer.station_id:
        raise ValidationError({"station": _("The lawyer is at this police station already.")})
    if station is None and lawyer.station_id is None:
        raise ValidationError({"station": _("The lawyer is not at any police station.")})
    with transaction.atomic():
        locked = DutyLawyer.objects.select_for_update().get(pk=lawyer.pk)
        before = locked.station_id
        locked.station = station
        locked.save(update_fields=["station"])
        sent = Dispatch.objects.create(lawyer=locked, station=station, by=actor)
        if station is None:
            record(
                "intake.lawyer_recalled",
                actor=actor,
                obj=locked,
                details={"lawyer": locked.pk, "from": before},
            )
        else:
            record(
                "intake.lawyer_dispatched",
                actor=actor,
                obj=locked,
                details={"lawyer": locked.pk, "station": station.pk, "from": before},
            )
    lawyer.station = station
    return sent


def recall(actor: Member | None, lawyer: DutyLawyer) -> Dispatch:
    return dispatch(actor, lawyer, None)


def read_phones(actor: Member, lawyers: list[DutyLawyer]) -> dict[int, str]:
    """The lawyers' phones, decrypted: one sensitive reading in the audit trail."""
    phones = {lawyer.pk: lawyer.phone for lawyer in lawyers if lawyer.phone}
    if phones:
        hotline = Hotline.objects.get(compartment_id=lawyers[0].compartment_id)
        record_sensitive_read(actor, hotline, fields=["duty_lawyer.phone"])
    return phones


def lawyers_of(compartment: Compartment) -> QuerySet[DutyLawyer]:
    """The hotline's lawyers with `load`: the detainees held now they were given."""
    return (
        DutyLawyer.objects.filter(compartment=compartment)
        .select_related("station")
        .annotate(load=Count("detentions", filter=Q(detentions__status__in=HELD)))
        .order_by("on_duty_from", "pk")
    )


def on_duty(
    lawyers: QuerySet[DutyLawyer], at: datetime.datetime | None = None
) -> QuerySet[DutyLawyer]:
    at = at or timezone.now()
    return lawyers.filter(Q(on_duty_to__isnull=True) | Q(on_duty_to__gt=at), on_duty_from__lte=at)


def free_places(lawyer: DutyLawyer) -> int:
    """Places left; negative when over capacity. Needs `lawyers_of`'s `load`."""
    return lawyer.capacity - int(getattr(lawyer, "load", 0))


@dataclass
class StationLawyers:
    lawyers: list[DutyLawyer] = field(default_factory=list)

    @property
    def free(self) -> int:
        return sum(max(free_places(lawyer), 0) for lawyer in self.lawyers)


def lawyers_by_station(compartment: Compartment) -> dict[int, StationLawyers]:
    """The lawyers on duty now at each station (by facility id): one query."""
    found: dict[int, StationLawyers] = {}
    for lawyer in on_duty(lawyers_of(compartment).exclude(station=None)):
        assert lawyer.station_id is not None
        found.setdefault(lawyer.station_id, StationLawyers()).lawyers.append(lawyer)
    return found


def attach_lawyers(board: list[intake.StationRow], compartment: Compartment) -> None:
    """Each station row of the board gets the lawyers on duty there (or None)."""
    here = lawyers_by_station(compartment)
    for row in board:
        row.lawyers = here.get(row.facility.pk) if row.facility else None


@dataclass(frozen=True)
class Assigned:
    detention: Detention
    lawyer: DutyLawyer
    over_capacity: bool


def assign_duty_lawyer(actor: Member | None, detention: Detention, lawyer: DutyLawyer) -> Assigned:
    """Give the detention one of the hotline's lawyers on duty. Over their capacity is allowed
    (they may agree to one more) and said in `over_capacity`."""
    intake.check_hotline(actor, detention.compartment)
    if lawyer.compartment_id != detention.compartment_id:
        raise ValidationError({"duty_lawyer": _("This lawyer is on duty at another hotline.")})
    with transaction.atomic():
        detention.lawyer, detention.duty_lawyer = lawyer.name, lawyer
        detention.lawyer_assigned_at = detention.updated_at = timezone.now()
        detention.save()
        load = (
            Detention.objects.filter(duty_lawyer=lawyer, status__in=HELD).count()
            if detention.is_held
            else 0
        )
        over = load > lawyer.capacity
        record(
            "intake.lawyer_assigned",
            actor=actor,
            obj=detention,
            details={"detention": detention.pk, "duty_lawyer": lawyer.pk, "over_capacity": over},
        )
    return Assigned(detention, lawyer, over)


def dispatches_of(compartment: Compartment, limit: int = 50) -> QuerySet[Dispatch]:
    return (
        Dispatch.objects.filter(lawyer__compartment=compartment)
        .select_related("lawyer", "station", "by")
        .order_by("-at", "-pk")[:limit]
    )


# -- the shift log ------------------------------------------------------------------------------


def write_log(
    actor: Member,
    compartment: Compartment,
    kind: str,
    text: str,
    *,
    summary: dict[str, int] | None = None,
) -> ShiftLogEntry:
    _check(actor, compartment, policy.SHIFT_LOG_KEEPERS)
    text = text.strip()
    if kind not in LogKind.values:
        raise ValidationError({"kind": _("Pick a note, an incident or a handover.")})
    if not text and kind != LogKind.HANDOVER:
        raise ValidationError({"text": _("Write what happened.")})
    entry = ShiftLogEntry(
        compartment=compartment, author=actor, kind=kind, text=text, summary=summary or {}
    )
    with transaction.atomic():
        entry.save()
        record(
            "intake.log_written",
            actor=actor,
            obj=entry,
            details={"entry": entry.pk, "kind": kind, "compartment": compartment.slug},
        )
    return entry


# What a handover counts, in the order it shows them.
OPEN_ITEMS = ("held", "no_lawyer", "minors", "urgent", "lawyers_on_duty", "lawyers_over_capacity")


def open_items(compartment: Compartment) -> dict[str, int]:
    """The open items a shift hands over, counted now: people held, of them without a lawyer,
    minors and with urgent needs; lawyers on duty, and those over their capacity."""
    held = Q(status__in=HELD)
    counted = intake.detentions_in(compartment).aggregate(
        held=Count("pk", filter=held),
        no_lawyer=Count("pk", filter=held & Q(lawyer_assigned_at__isnull=True)),
        minors=Count("pk", filter=held & Q(is_minor=True)),
        urgent=Count("pk", filter=held & intake.needs_q()),
    )
    lawyers = list(on_duty(lawyers_of(compartment)))
    counted["lawyers_on_duty"] = len(lawyers)
    counted["lawyers_over_capacity"] = sum(1 for lawyer in lawyers if free_places(lawyer) < 0)
    return {key: int(counted[key]) for key in OPEN_ITEMS}


def hand_over(actor: Member, compartment: Compartment, text: str) -> ShiftLogEntry:
    """The end of a shift: what the next one should know, with the open items counted now."""
    return write_log(actor, compartment, LogKind.HANDOVER, text, summary=open_items(compartment))


@dataclass(frozen=True)
class LogLine:
    entry: ShiftLogEntry
    text: str
    items: list[tuple[str, int]]


def read_log(actor: Member, compartment: Compartment, *, limit: int = 200) -> list[LogLine]:
    """The latest entries, their text decrypted; one sensitive reading in the audit trail."""
    _check(actor, compartment, policy.SHIFT_LOG_KEEPERS)
    entries = list(
        ShiftLogEntry.objects.filter(compartment=compartment)
        .select_related("author")
        .order_by("-at", "-pk")[:limit]
    )
    hotline = Hotline.objects.get(compartment=compartment)
    if entries:
        record_sensitive_read(actor, hotline, fields=["shift_log.text"])
    labels = dict(open_item_labels())
    return [
        LogLine(
            entry,
            entry.text,
            [(labels[key], int(entry.summary[key])) for key in OPEN_ITEMS if key in entry.summary],
        )
        for entry in entries
    ]


def open_item_labels() -> list[tuple[str, str]]:
    return [
        ("held", _("held now")),
        ("no_lawyer", _("without a lawyer")),
        ("minors", _("minors")),
        ("urgent", _("with urgent needs")),
        ("lawyers_on_duty", _("lawyers on duty")),
        ("lawyers_over_capacity", _("lawyers over capacity")),
    ]
