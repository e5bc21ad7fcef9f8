"""Everything that writes a detention or a report, and the queries the hotline pages start from.

`record_report` is the one door for what an operator types: a new detention, or — when the
operator picked one of `find_matches` — the same report added to a detention already known.
Status moves only through `change_status`, along `models.TRANSITIONS`, one appended
`StatusChange` at a time. `escalate` turns a detention that led to a criminal case into a case
of the registry in one transaction, through the registry's own services.

Every write records an audit entry in its transaction; details carry ids and codes, never
names, phones or what a report said. Actions: intake.report_recorded, intake.status_changed,
intake.lawyer_assigned, intake.relative_added, intake.escalated, intake.event_created,
intake.event_changed, intake.hotline_opened.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from pompolit.audit.services import record, record_sensitive_read
from pompolit.cases import services as cases
from pompolit.cases.models import Case, EventType, Facility, NameKind
from pompolit.cases.partial import PartialDate
from pompolit.intake.models import (
    HELD,
    NEED_FIELDS,
    STATION_TYPE,
    TRANSITIONS,
    Channel,
    Detainee,
    DetaineeName,
    DetaineeNameKey,
    Detention,
    DetentionRelative,
    Hotline,
    Location,
    ProtestEvent,
    Quarantine,
    Report,
    Status,
    StatusChange,
)
from pompolit.members import policy
from pompolit.members.models import Compartment, Member
from pompolit.names import Name, parse_name, search_keys, similarity, tidy, token_keys

# How close a name must be to be proposed as the same person: `pompolit.names.similarity`,
# 0 (nothing alike) to 100 (the same name, perhaps spelled otherwise).
MATCH_THRESHOLD = 80.0
MINOR_AGE = 18


# -- who sees what ---------------------------------------------------------------------------


def check_hotline(actor: Member | None, compartment: Compartment) -> None:
    """A hotline operator granted this compartment; PermissionDenied for anyone else."""
    refusal = _("You do not work on this hotline.")
    policy.require(actor, policy.HOTLINE_OPERATOR, refusal=refusal)
    if actor is not None and compartment.pk not in actor.compartment_ids():
        raise PermissionDenied(refusal)
    if not Hotline.objects.filter(compartment=compartment).exists():
        raise PermissionDenied(_("This compartment is not a hotline."))


def hotlines_of(member: Member) -> QuerySet[Hotline]:
    """The hotlines whose compartments are granted to the member."""
    return Hotline.objects.filter(compartment_id__in=member.compartment_ids()).select_related(
        "compartment"
    )


def hotline_of(compartment: Compartment) -> Hotline | None:
    return Hotline.objects.filter(compartment=compartment).first()


def open_hotline(
    actor: Member | None,
    compartment: Compartment,
    *,
    city: str,
    phone: str = "",
    telegram: str = "",
    event: ProtestEvent | None = None,
) -> Hotline:
    """Make a compartment a hotline (a city's, or with `event` one big event's: the public
    reports that name the event come to it). Who works on it is granted the compartment as any
    other, by two coordinators. The phone and Telegram username are public: the public form,
    its answer page and its "please wait" page show them."""
    policy.require(actor, policy.COORDINATOR, refusal=_("Only a coordinator opens a hotline."))
    hotline = Hotline(
        compartment=compartment,
        city=" ".join(city.split()),
        phone=" ".join(phone.split()),
        telegram=telegram.strip().removeprefix("@"),
        event=event,
    )
    hotline.full_clean()
    with transaction.atomic():
        hotline.save()
        record(
            "intake.hotline_opened",
            actor=actor,
            obj=hotline,
            details={"compartment": compartment.slug, **({"event": event.pk} if event else {})},
        )
    return hotline


def change_hotline(
    actor: Member | None,
    hotline: Hotline,
    *,
    city: str | None = None,
    phone: str | None = None,
    telegram: str | None = None,
) -> Hotline:
    """Change a hotline's town or its public contacts (None: keep it; "": no more)."""
    policy.require(actor, policy.COORDINATOR, refusal=_("Only a coordinator changes a hotline."))
    changed = []
    for name, value in (
        ("city", None if city is None else " ".join(city.split())),
        ("phone", None if phone is None else " ".join(phone.split())),
        ("telegram", None if telegram is None else telegram.strip().removeprefix("@")),
    ):
        if value is not None and value != getattr(hotline, name):
            setattr(hotline, name, value)
            changed.append(name)
    if not changed:
        return hotline
    hotline.full_clean()
    with transaction.atomic():
        hotline.save(update_fields=changed)
        record(
            "intake.hotline_changed",
            actor=actor,
            obj=hotline,
            details={"compartment": hotline.compartment.slug, "fields": changed},
        )
    return hotline


def detentions_in(compartment: Compartment) -> QuerySet[Detention]:
    return Detention.objects.filter(compartment=compartment)


def stations() -> QuerySet[Facility]:
    return Facility.objects.filter(type__code=STATION_TYPE)


def station_label(facility: Facility) -> str:
    """What the console's type-ahead offers and reads back: "ОВД «Тверской» — Москва"."""
    name = facility.short_name or facility.name
    return f"{name} — {facility.city}" if facility.city else name


def find_station(label: str) -> Facility | None:
    return find_stations([label])[" ".join(label.split())]


def find_stations(labels: Iterable[str]) -> dict[str, Facility | None]:
    """The police station each label names, in one query: the one whose label it is exactly,
    else the first of that name. Keyed by the label with its spaces tidied ("" for none)."""
    tidy = {" ".join(label.split()) for label in labels}
    names = {label.split(" — ")[0] for label in tidy if label}
    # In the facilities' own order (`Facility.Meta.ordering`), as `.first()` would take them.
    candidates = (
        list(stations().filter(Q(short_name__in=names) | Q(name__in=names))
             .order_by("country", "region", "name", "pk"))
        if names else []
    )
    found: dict[str, Facility | None] = {}
    for label in tidy:
        name = label.split(" — ")[0]
        named = [f for f in candidates if label and name in (f.short_name, f.name)]
        exact = [f for f in named if station_label(f) == label]
        found[label] = exact[0] if exact else (named[0] if named else None)
    return found


def event_label(event: ProtestEvent) -> str:
    return f"{event.name} — {event.city}, {event.date:%d.%m.%Y}"


def find_event(label: str) -> ProtestEvent | None:
    label = " ".join(label.split())
    name = label.split(" — ")[0]
    if not name:
        return None
    candidates = list(ProtestEvent.objects.filter(name=name)[:20])
    exact = [e for e in candidates if event_label(e) == label]
    chosen = exact or candidates
    return chosen[0] if chosen else None


# -- names -----------------------------------------------------------------------------------


def clean_name(name: Name) -> Name:
    """The name as typed, tidied (`names.tidy`): never folded, ё and accents stay."""
    cleaned = Name(*(tidy(part) for part in (name.surname, name.given, name.patronymic)))
    if not cleaned.surname and not cleaned.given:
        raise ValidationError({"name": _("Give at least a surname or a given name.")})
    return cleaned


def add_detainee_name(detainee: Detainee, name: Name, *, primary: bool = False) -> DetaineeName:
    row = DetaineeName.objects.create(
        detainee=detainee,
        surname=name.surname,
        given=name.given,
        patronymic=name.patronymic,
        is_primary=primary,
    )
    DetaineeNameKey.objects.bulk_create(
        DetaineeNameKey(name=row, detainee=detainee, key=key)
        for key in sorted(search_keys(name.folded()))
    )
    return row


# -- what an operator types ------------------------------------------------------------------


@dataclass(frozen=True)
class RelativeEntry:
    relationship: str
    name: str
    phone: str = ""
    contact: str = ""


@dataclass(frozen=True)
class Entry:
    """What one report says about one detention; blank is "not said"."""

    name: Name
    birth_date: PartialDate | None = None
    is_minor: bool = False
    detained_at: datetime.datetime | None = None
    place: str = ""
    event: ProtestEvent | None = None
    facility: Facility | None = None
    status: str = ""
    arrest_days: int | None = None
    van_number: str = ""
    group_size: int | None = None
    lawyer: str = ""
    needs: frozenset[str] = frozenset()
    medicine: str = ""
    injured: bool = False
    injuries: str = ""
    devices_seized: bool = False
    devices: str = ""
    relative: RelativeEntry | None = None
    text: str = ""

    def claims(self) -> dict[str, Any]:
        """The entry as the report's evidence (encrypted with the report)."""
        said: dict[str, Any] = {
            "name": str(self.name),
            "birth_date": str(self.birth_date) if self.birth_date else "",
            "is_minor": self.is_minor,
            "detained_at": self.detained_at.isoformat() if self.detained_at else "",
            "place": self.place,
            "event": self.event.pk if self.event else None,
            "facility": self.facility.pk if self.facility else None,
            "status": self.status,
            "arrest_days": self.arrest_days,
            "van_number": self.van_number,
            "group_size": self.group_size,
            "lawyer": self.lawyer,
            "needs": sorted(self.needs),
            "medicine": self.medicine,
            "injured": self.injured,
            "injuries": self.injuries,
            "devices_seized": self.devices_seized,
            "devices": self.devices,
        }
        if self.relative:
            said["relative"] = {
                "relationship": self.relative.relationship,
                "name": self.relative.name,
                "phone": self.relative.phone,
                "contact": self.relative.contact,
            }
        return {k: v for k, v in said.items() if v not in ("", None, False, [])}


def possibly_minor(birth_date: PartialDate | None, day: datetime.date) -> bool:
    """Could the person be under 18 on that day? A hotline errs on the side of a minor."""
    if birth_date is None:
        return False
    latest = birth_date.upper
    try:
        adult_from = latest.replace(year=latest.year + MINOR_AGE)
    except ValueError:  # born on 29 February
        adult_from = latest.replace(year=latest.year + MINOR_AGE, day=28)
    return day < adult_from


def _merge(detention: Detention, entry: Entry) -> list[str]:
    """What the entry adds to a known detention: blanks filled, needs and flags added (a need
    said once stays until someone clears it). The names of the fields changed."""
    changed: list[str] = []

    def fill(name: str, value: Any) -> None:
        if value not in ("", None) and getattr(detention, name) in ("", None):
            setattr(detention, name, value)
            changed.append(name)

    def flag(name: str, value: bool) -> None:
        if value and not getattr(detention, name):
            setattr(detention, name, True)
            changed.append(name)

    fill("event_id", entry.event.pk if entry.event else None)
    fill("place", entry.place)
    fill("van_number", entry.van_number)
    fill("group_size", entry.group_size)
    fill("medicine", entry.medicine)
    fill("injuries", entry.injuries)
    fill("devices", entry.devices)
    if entry.facility and entry.facility.pk != detention.facility_id and detention.is_held:
        detention.facility = entry.facility
        changed.append("facility")
    for need in NEED_FIELDS:
        flag(need, need in entry.needs)
    flag("need_medicine", bool(entry.medicine))
    flag("injured", entry.injured or bool(entry.injuries))
    flag("devices_seized", entry.devices_seized or bool(entry.devices))
    minor = entry.is_minor or possibly_minor(
        entry.birth_date or detention.detainee.birth_date, detention.detained_on
    )
    flag("is_minor", minor)
    return changed


def _new_detention(
    actor: Member | None,
    compartment: Compartment,
    entry: Entry,
    detainee: Detainee | None,
    now: datetime.datetime,
) -> Detention:
    if detainee is None:
        detainee = Detainee.objects.create(
            birth_date=entry.birth_date, display_name=str(entry.name)
        )
        add_detainee_name(detainee, entry.name, primary=True)
    else:
        known = {(n.surname, n.given, n.patronymic) for n in detainee.names.all()}
        if (entry.name.surname, entry.name.given, entry.name.patronymic) not in known:
            add_detainee_name(detainee, entry.name)
        if entry.birth_date and not detainee.birth_date:
            detainee.birth_date = entry.birth_date
            detainee.save()
    detained_at = entry.detained_at or now
    detention = Detention(
        compartment=compartment,
        detainee=detainee,
        detained_at=detained_at,
        status=Status.DETAINED,
        status_since=detained_at,
        created_by=actor,
        location=Location.STATION if entry.facility else Location.ON_THE_WAY,
        lawyer=entry.lawyer,
        lawyer_assigned_at=now if entry.lawyer else None,
    )
    detention.detained_on = timezone.localdate(detained_at)
    detention.detainee = detainee
    _merge(detention, entry)
    detention.save()
    StatusChange.objects.create(
        detention=detention,
        status=Status.DETAINED,
        at=detained_at,
        location=Location.ON_THE_WAY,
        recorded_by=actor,
    )
    return detention


@transaction.atomic
def record_report(
    actor: Member | None,
    compartment: Compartment,
    entry: Entry,
    *,
    channel: str = Channel.HOTLINE,
    reporter: str,
    reporter_contact: str = "",
    link_to: Detention | None = None,
    same_person: Detainee | None = None,
    received_at: datetime.datetime | None = None,
) -> Report:
    """An operator's report: added to `link_to` (a detention the operator recognised among the
    matches), or a new detention — of `same_person` when the operator recognised someone
    detained before (one person, two detentions), else of a new person."""
    check_hotline(actor, compartment)
    entry = replace(entry, name=clean_name(entry.name))
    if entry.status and entry.status not in Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    now = received_at or timezone.now()
    if link_to is not None:
        if link_to.compartment_id != compartment.pk:
            raise PermissionDenied(_("You do not work on this hotline."))
        detention = Detention.objects.select_for_update().get(pk=link_to.pk)
        changed = _merge(detention, entry)
        if entry.lawyer and not detention.lawyer_assigned_at:
            detention.lawyer, detention.lawyer_assigned_at = entry.lawyer, now
            changed.append("lawyer")
        if changed:
            detention.updated_at = now
            detention.save()
    else:
        detention = _new_detention(actor, compartment, entry, same_person, now)
    secret: dict[str, Any] = {
        "claims": entry.claims(),
        "reporter_contact": reporter_contact or None,
    }
    report = Report.objects.create(
        compartment=compartment,
        detention=detention,
        channel=channel,
        reporter=reporter,
        quarantine=Quarantine.ACCEPTED,
        linked_to_known=link_to is not None,
        received_at=now,
        text=entry.text,
        entered_by=actor,
        **secret,
    )
    if entry.relative and entry.relative.name.strip():
        _add_relative(detention, entry.relative)
    if entry.status and entry.status != detention.status:
        if entry.status in TRANSITIONS[detention.status]:
            _change(
                actor,
                detention,
                entry.status,
                at=now,
                facility=entry.facility,
                arrest_days=entry.arrest_days,
                report=report,
            )
        elif link_to is None:
            raise ValidationError(
                {
                    "status": _("A new detention cannot start as “%(status)s”.")
                    % {"status": Status(entry.status).label}
                }
            )
    elif entry.facility and detention.status == Status.DETAINED:
        _change(actor, detention, Status.AT_STATION, at=now, facility=entry.facility, report=report)
    record(
        "intake.report_recorded",
        actor=actor,
        obj=report,
        details={
            "report": report.pk,
            "detention": detention.pk,
            "channel": channel,
            "reporter": reporter,
            "linked": link_to is not None,
            "same_person": same_person.pk if same_person else None,
        },
    )
    if detention.is_minor:
        from pompolit.intake.notices import notify_minor_detained

        held = detention.pk
        transaction.on_commit(lambda: notify_minor_detained.enqueue(held))
    return report


def _add_relative(detention: Detention, relative: RelativeEntry) -> DetentionRelative:
    secret: dict[str, Any] = {
        "name": relative.name.strip(),
        "phone": relative.phone.strip() or None,
        "contact": relative.contact.strip() or None,
    }
    row = DetentionRelative(
        detention=detention,
        compartment_id=detention.compartment_id,
        relationship=relative.relationship,
        **secret,
    )
    row.full_clean(exclude=["name", "phone", "contact"])
    row.save()
    return row


def read_private(actor: Member, detention: Detention) -> dict[str, Any]:
    """The detention's encrypted fields, its relatives and what its reports said, decrypted;
    the reading is recorded (as the registry's `read_private`)."""
    check_hotline(actor, detention.compartment)
    relatives = list(detention.relatives.all())
    reports = list(detention.reports.select_related("entered_by"))
    values = {
        "medicine": detention.medicine or "",
        "injuries": detention.injuries or "",
        "devices": detention.devices or "",
        "relatives": [
            {"relative": r, "name": r.name, "phone": r.phone or "", "contact": r.contact or ""}
            for r in relatives
        ],
        "reports": [
            {
                "report": r,
                "text": r.text,
                "claims": r.claims or {},
                "contact": r.reporter_contact or "",
            }
            for r in reports
        ],
    }
    fields = [
        "medicine",
        "injuries",
        "devices",
        "reports.text",
        "reports.claims",
        "reports.reporter_contact",
    ]
    if relatives:
        fields += ["relatives.name", "relatives.phone", "relatives.contact"]
    record_sensitive_read(actor, detention, fields=fields)
    return values


def add_relative(
    actor: Member | None, detention: Detention, relative: RelativeEntry
) -> DetentionRelative:
    check_hotline(actor, detention.compartment)
    if not relative.name.strip():
        raise ValidationError({"name": _("Give the relative's name, or how they are known.")})
    with transaction.atomic():
        row = _add_relative(detention, relative)
        record(
            "intake.relative_added",
            actor=actor,
            obj=detention,
            details={
                "detention": detention.pk,
                "relative": row.pk,
                "relationship": relative.relationship,
            },
        )
    return row


# -- status ----------------------------------------------------------------------------------

_LOCATION_OF = {
    Status.AT_STATION: Location.STATION,
    Status.HELD_OVERNIGHT: Location.STATION,
    Status.COURT_HEARING: Location.COURT,
    Status.ADMINISTRATIVE_ARREST: Location.DETENTION_CENTRE,
    Status.RELEASED: Location.RELEASED,
    Status.RELEASED_WITH_PROTOCOL: Location.RELEASED,
    Status.FINED: Location.RELEASED,
    Status.COMMUNITY_WORK: Location.RELEASED,
}


def _change(
    actor: Member | None,
    detention: Detention,
    status: str,
    *,
    at: datetime.datetime,
    facility: Facility | None = None,
    location: str | None = None,
    arrest_days: int | None = None,
    report: Report | None = None,
) -> StatusChange:
    before = detention.status
    if status not in TRANSITIONS.get(before, frozenset()):
        raise ValidationError(
            {
                "status": _("A detention cannot go from “%(before)s” to “%(after)s”.")
                % {"before": Status(before).label, "after": Status(status).label}
            }
        )
    if status == Status.ADMINISTRATIVE_ARREST and not arrest_days:
        raise ValidationError({"arrest_days": _("Say for how many days.")})
    where = location or str(_LOCATION_OF.get(Status(status), detention.location))
    if facility is not None and where == Location.STATION:
        detention.facility = facility
    change = StatusChange.objects.create(
        detention=detention,
        status=status,
        at=at,
        location=where,
        facility=facility or (detention.facility if where == Location.STATION else None),
        arrest_days=arrest_days,
        report=report,
        recorded_by=actor,
    )
    detention.status, detention.status_since, detention.location = status, at, where
    if arrest_days:
        detention.arrest_days = arrest_days
    detention.updated_at = timezone.now()
    detention.save()
    record(
        "intake.status_changed",
        actor=actor,
        obj=detention,
        details={
            "detention": detention.pk,
            "from": before,
            "to": status,
            "facility": change.facility_id,
            "report": report.pk if report else None,
        },
    )
    return change


def change_status(
    actor: Member | None,
    detention: Detention,
    status: str,
    *,
    at: datetime.datetime | None = None,
    facility: Facility | None = None,
    location: str | None = None,
    arrest_days: int | None = None,
) -> StatusChange:
    """The next step of the detention; a step `TRANSITIONS` does not allow is refused."""
    check_hotline(actor, detention.compartment)
    with transaction.atomic():
        locked = Detention.objects.select_for_update().get(pk=detention.pk)
        change = _change(
            actor,
            locked,
            status,
            at=at or timezone.now(),
            facility=facility,
            location=location,
            arrest_days=arrest_days,
        )
    detention.refresh_from_db()
    return change


def assign_lawyer(actor: Member | None, detention: Detention, lawyer: str) -> Detention:
    check_hotline(actor, detention.compartment)
    lawyer = " ".join(lawyer.split())
    if not lawyer:
        raise ValidationError({"lawyer": _("Give the lawyer's name.")})
    with transaction.atomic():
        detention.lawyer, detention.lawyer_assigned_at = lawyer, timezone.now()
        # A name typed in by hand is nobody's duty: it takes no place of a lawyer on duty.
        detention.duty_lawyer = None
        detention.updated_at = timezone.now()
        detention.save()
        record(
            "intake.lawyer_assigned",
            actor=actor,
            obj=detention,
            details={"detention": detention.pk},
        )
    return detention


def create_event(
    actor: Member | None,
    *,
    name: str,
    city: str,
    date: datetime.date,
    compartment: Compartment | None = None,
) -> ProtestEvent:
    """A protest or event detentions belong to; public, like its name. Added from a hotline's
    console or its events page (`compartment`: the actor must work on that hotline)."""
    policy.require(actor, policy.HOTLINE_OPERATOR, refusal=_("Only hotline operators add events."))
    if compartment is not None:
        check_hotline(actor, compartment)
    event = ProtestEvent(name=" ".join(name.split()), city=" ".join(city.split()), date=date)
    event.full_clean()
    details: dict[str, Any] = {"event": None}
    if compartment is not None:
        details["compartment"] = compartment.slug
    with transaction.atomic():
        event.save()
        details["event"] = event.pk
        record("intake.event_created", actor=actor, obj=event, details=details)
    return event


def events_of(compartment: Compartment) -> QuerySet[ProtestEvent]:
    """The events a hotline keeps: those in its town, and those its detentions belong to."""
    hotline = hotline_of(compartment)
    town = Q(city=hotline.city) if hotline else Q(pk__in=[])
    used = Q(pk__in=detentions_in(compartment).exclude(event=None).values("event_id"))
    return ProtestEvent.objects.filter(town | used)


def update_event(
    actor: Member | None,
    compartment: Compartment,
    event: ProtestEvent,
    *,
    name: str,
    city: str,
    date: datetime.date,
) -> ProtestEvent:
    """Correct an event's name, town or date (a typo made in a surge). Only an event of this
    hotline (`events_of`), and not one another hotline's detentions belong to too: their
    operators did not ask for the change."""
    check_hotline(actor, compartment)
    if not events_of(compartment).filter(pk=event.pk).exists():
        raise PermissionDenied(_("This event is not one of this hotline's."))
    if Detention.objects.filter(event=event).exclude(compartment=compartment).exists():
        raise PermissionDenied(
            _(
                "Detentions of another hotline belong to this event too: "
                "it is not changed from here."
            )
        )
    with transaction.atomic():
        locked = ProtestEvent.objects.select_for_update().get(pk=event.pk)
        changed = {
            field: value
            for field, value in (
                ("name", " ".join(name.split())),
                ("city", " ".join(city.split())),
                ("date", date),
            )
            if getattr(locked, field) != value
        }
        if not changed:
            return locked
        for field, value in changed.items():
            setattr(locked, field, value)
        locked.full_clean()
        locked.save()
        record(
            "intake.event_changed",
            actor=actor,
            obj=locked,
            details={
                "event": locked.pk,
                "compartment": compartment.slug,
                "fields": sorted(changed),
            },
        )
    event.refresh_from_db()
    return locked


# -- matching as the operator types ------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    detention: Detention
    score: float
    # "birth": name and birth year; "station": name, station and day; "earlier": the same
    # person (name and birth year), detained before and no longer held.
    reason: str


def birth_overlaps(
    a: PartialDate | None, lower: datetime.date | None, upper: datetime.date | None
) -> bool:
    """Can a person born within `a` be one born between `lower` and `upper`?"""
    return (
        a is not None
        and lower is not None
        and upper is not None
        and (a.lower <= upper and lower <= a.upper)
    )


def find_matches(
    compartment: Compartment,
    text: str,
    *,
    birth_date: PartialDate | None = None,
    facility: Facility | None = None,
    day: datetime.date | None = None,
    limit: int = 8,
) -> list[Match]:
    """Detentions of this hotline the typed name may be: open ones with the same name and birth
    year, or the same name at the same station on the same day; and earlier detentions of the
    same person. Looked up by the registry's name keys, ranked by similarity."""
    query = parse_name(text).folded()
    surname = query.surname or query.given
    if not surname:
        return []
    keys = set(token_keys(surname, query=True, given=not query.surname))
    if not keys:
        return []
    people = DetaineeNameKey.objects.filter(key__in=keys).values("detainee_id")
    found = list(
        detentions_in(compartment)
        .filter(detainee_id__in=people)
        .select_related("detainee", "facility", "event")
        .order_by("-detained_at")[:200]
    )
    names: dict[int, list[Name]] = {}
    for row in DetaineeName.objects.filter(detainee_id__in={d.detainee_id for d in found}):
        names.setdefault(row.detainee_id, []).append(
            Name(row.surname, row.given, row.patronymic).folded()
        )
    day = day or timezone.localdate()
    matches: list[Match] = []
    for detention in found:
        score = max(
            (similarity(query, n) for n in names.get(detention.detainee_id, [])), default=0.0
        )
        if score < MATCH_THRESHOLD:
            continue
        person = detention.detainee
        same_birth = birth_overlaps(birth_date, person.birth_date_lower, person.birth_date_upper)
        same_place = (
            facility is not None
            and detention.facility_id == facility.pk
            and detention.detained_on == day
        )
        if detention.is_held and (same_birth or same_place):
            matches.append(Match(detention, score, "birth" if same_birth else "station"))
        elif same_birth and not detention.is_held:
            matches.append(Match(detention, score, "earlier"))
    matches.sort(
        key=lambda m: (m.reason == "earlier", -m.score, -m.detention.detained_at.timestamp())
    )
    seen: set[int] = set()
    unique = []
    for match in matches:
        # One proposal per earlier person: their latest detention stands for them.
        if match.reason == "earlier" and match.detention.detainee_id in seen:
            continue
        seen.add(match.detention.detainee_id)
        unique.append(match)
    return unique[:limit]


# -- counting and the board --------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    """The field counts detentions; people are the detentions' distinct persons."""

    detentions: int
    people: int


def counts(detentions: QuerySet[Detention]) -> Counts:
    result = detentions.aggregate(detentions=Count("pk"), people=Count("detainee", distinct=True))
    return Counts(result["detentions"], result["people"])


@dataclass
class StationRow:
    facility: Facility | None
    held: int = 0
    minors: int = 0
    no_lawyer: int = 0
    urgent: int = 0
    released: int = 0
    detentions: list[Detention] = field(default_factory=list)
    # The lawyers on duty there (`duty.services.StationLawyers`), when the board asks for them.
    lawyers: Any = None

    @property
    def not_listed(self) -> int:
        """Held here but beyond the board's list (the counts still have them)."""
        return self.held - len(self.detentions) if self.detentions else 0


# The board lists the people held at each station up to this many, longest held first: in a
# surge of thousands, the page polled every few seconds must stay small.
BOARD_PEOPLE_PER_STATION = 40
# Above this many held, the board lists no one under its table (thousands of lines every ten
# seconds would take seconds to render and to read): a station's people are opened one station
# at a time (`station_people`).
BOARD_LIST_LIMIT = 400


def needs_q() -> Q:
    q = Q(injured=True)
    for need in NEED_FIELDS:
        q |= Q(**{need: True})
    return q


def station_board(compartment: Compartment, *, with_people: bool = False) -> list[StationRow]:
    """Per police station: held now, minors held, held without a lawyer, held with urgent needs,
    released (any outcome). Those not yet at a station come first, as one row."""
    held = Q(status__in=HELD)
    rows = list(
        detentions_in(compartment)
        .values("facility")
        .annotate(
            held=Count("pk", filter=held),
            minors=Count("pk", filter=held & Q(is_minor=True)),
            no_lawyer=Count("pk", filter=held & Q(lawyer_assigned_at__isnull=True)),
            urgent=Count("pk", filter=held & needs_q()),
            released=Count("pk", filter=~held),
        )
        .order_by()
    )
    facilities = Facility.objects.in_bulk({r["facility"] for r in rows if r["facility"]})
    board = [
        StationRow(
            facilities.get(r["facility"]) if r["facility"] else None,
            r["held"],
            r["minors"],
            r["no_lawyer"],
            r["urgent"],
            r["released"],
        )
        for r in rows
    ]
    if with_people and sum(row.held for row in board) <= BOARD_LIST_LIMIT:
        by_station: dict[int | None, StationRow] = {
            (row.facility.pk if row.facility else None): row for row in board
        }
        for detention in (
            detentions_in(compartment)
            .filter(held)
            .select_related("detainee")
            .order_by("detained_at")
        ):
            listed = by_station[detention.facility_id].detentions
            if len(listed) < BOARD_PEOPLE_PER_STATION:
                listed.append(detention)
    board.sort(
        key=lambda r: (
            r.facility is not None,
            -r.held,
            station_label(r.facility) if r.facility else "",
        )
    )
    return board


def station_people(
    compartment: Compartment, facility: Facility | None, *, limit: int = 200
) -> list[Detention]:
    """The people held at one station (or not yet at one), longest held first."""
    return list(
        detentions_in(compartment)
        .filter(status__in=HELD, facility=facility)
        .select_related("detainee")
        .order_by("detained_at", "pk")[:limit]
    )


def public_counts() -> dict[str, Any]:
    """Counts for the group's site, every hotline together: per day, per city, per event.
    Detentions and people; never a name, a station's list or anything a report said."""
    accepted = Detention.objects.all()
    total = counts(accepted)

    def grouped(*keys: str) -> list[dict[str, Any]]:
        return [
            dict(row)
            for row in accepted.values(*keys)
            .annotate(detentions=Count("pk"), people=Count("detainee", distinct=True))
            .order_by(*keys)
        ]

    by_day = [
        {
            "day": row["detained_on"].isoformat(),
            "detentions": row["detentions"],
            "people": row["people"],
        }
        for row in grouped("detained_on")
    ]
    by_city = [
        {
            "city": row["event__city"] or row["facility__city"] or "",
            "detentions": row["detentions"],
            "people": row["people"],
        }
        for row in grouped("event__city", "facility__city")
    ]
    merged: dict[str, dict[str, Any]] = {}
    for row in by_city:
        into = merged.setdefault(row["city"], {"city": row["city"], "detentions": 0, "people": 0})
        into["detentions"] += row["detentions"]
        into["people"] += row["people"]
    by_event = [
        {
            "event": row["event__name"],
            "city": row["event__city"],
            "date": row["event__date"].isoformat(),
            "detentions": row["detentions"],
            "people": row["people"],
        }
        for row in grouped("event__name", "event__city", "event__date")
        if row["event__name"]
    ]
    return {
        "detentions": total.detentions,
        "people": total.people,
        "by_day": by_day,
        "by_city": sorted(merged.values(), key=lambda r: (-r["detentions"], r["city"])),
        "by_event": by_event,
    }


# -- escalation ------------------------------------------------------------------------------

_EVENT_OF = {Status.COURT_HEARING: "hearing", Status.CRIMINAL_CASE: "charge"}


def status_event_type(status: str) -> str:
    """The registry's event type a status of the detention's history becomes: a hearing, a
    charge, or the hotline's own type for the status (migration 0009 adds them)."""
    return _EVENT_OF.get(Status(status), f"hotline-{status}")


def escalate(actor: Member | None, detention: Detention, compartment: Compartment) -> Case:
    """The detention becomes a case of the registry in `compartment`, in one transaction: the
    person's names and birth date, the arrest at the station, each later status as an event,
    the relatives and the medicine. The actor needs to be a case worker there as well (the
    registry's services check it); a detention becomes a case once."""
    check_hotline(actor, detention.compartment)
    if actor is not None:
        policy.require(
            actor,
            policy.CASE_WORKER,
            refusal=_("Only a case worker can open a case in the registry."),
        )
    if detention.status != Status.CRIMINAL_CASE:
        raise ValidationError(_("Only a detention that led to a criminal case becomes a case."))
    with transaction.atomic():
        locked = Detention.objects.select_for_update().get(pk=detention.pk)
        if locked.case_id is not None:
            raise ValidationError(_("This detention is already a case in the registry."))
        names = list(locked.detainee.names.all())
        first = Name(names[0].surname, names[0].given, names[0].patronymic)
        assert actor is not None, "the registry's services need a member"
        case = cases.open_case(
            actor,
            compartment=compartment,
            name=first,
            birth_date=locked.detainee.birth_date,
            lawyer=locked.lawyer,
            opened_on=timezone.localdate(),
        )
        for other in names[1:]:
            cases.add_name(
                actor, case, Name(other.surname, other.given, other.patronymic), kind=NameKind.ALIAS
            )
        where = str(locked.event) if locked.event_id else ""
        # What the case keeps is data, not words in the language of whoever escalated: the
        # hotline's name as the source, each status as an event type (its code, labelled in
        # the reader's language).
        source = detention.compartment.name
        cases.add_event(
            actor,
            case,
            type=EventType.objects.get(code="arrest"),
            date=PartialDate.from_date(locked.detained_on),
            facility=locked.facility,
            place=locked.place or "",
            summary=where,
            source=source,
        )
        for change in locked.history.all()[1:]:
            cases.add_event(
                actor,
                case,
                type=EventType.objects.get(code=status_event_type(change.status)),
                date=PartialDate.from_date(timezone.localdate(change.at)),
                # The days, under the type "administrative arrest, days": a number reads the
                # same in every language.
                summary=str(change.arrest_days or ""),
                source=source,
            )
        for relative in locked.relatives.all():
            cases.add_relative(
                actor,
                case,
                relationship=relative.relationship,
                name=relative.name,
                phone=relative.phone or "",
                contact=relative.contact or "",
            )
        if locked.medicine:
            cases.update_private(actor, case, needs=locked.medicine)
        locked.case = case
        locked.save(update_fields=["case"])
        record(
            "intake.escalated",
            actor=actor,
            obj=locked,
            details={"detention": locked.pk, "case": case.pk, "compartment": compartment.slug},
        )
    detention.refresh_from_db()
    return case
