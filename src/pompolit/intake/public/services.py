"""What the public sends and may learn back, and the operators' review of it.

`submit_public_report` is the one door for the web form and the Telegram bot: the answers are
checked, routed to a hotline (the city the reporter picked among `open_cities()`, else the
default hotline, see docs/intake.md), kept as a `Report` in quarantine — what it claims
encrypted under the hotline's key — and answered with a private code, stored only as its hash.
No address, no account, nothing that identifies the sender is kept.

`status_for_code` tells the holder of a code what happened, in coarse terms: received, under
review, turned away, or the linked detention's current status. Never a name, never who.

The review (`accept_as_new`, `link_to_detention`, `reject`) is the hotline operators' work,
each in one transaction with its audit entry: intake.public_report_received,
intake.public_report_accepted, intake.public_report_linked, intake.public_report_rejected.
"""

from __future__ import annotations

import datetime
import hmac
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from pompolit.audit.services import record, record_sensitive_read
from pompolit.cases.partial import PartialDate
from pompolit.intake import services as intake
from pompolit.intake.models import (
    Channel,
    Detention,
    Hotline,
    Quarantine,
    Rejection,
    Report,
    ReportCode,
    Reporter,
    Status,
)
from pompolit.intake.proposals import queue_dedupe
from pompolit.intake.public import codes
from pompolit.members.models import Compartment, Member
from pompolit.names import Name, parse_name

NEEDS = frozenset({"water", "food", "medicine", "charger", "warm_clothes"})
_NEED_FIELD = {
    "water": "need_water",
    "food": "need_food",
    "medicine": "need_medicine",
    "charger": "need_charger",
    "warm_clothes": "need_warm_clothes",
}
# Lengths the public may type; longer is refused, not cut (the reporter sees which field).
NAME_MAX = 120
LINE_MAX = 200
NOTE_MAX = 2000


@dataclass(frozen=True)
class PublicAnswers:
    surname: str
    given: str
    patronymic: str
    birth: str  # as typed: a date or a year, may be ""
    is_minor: bool | None
    detained_at_text: str  # as typed, may be ""
    place_text: str  # where detained, may be ""
    now_at_text: str  # where they are now, may be ""
    city: str  # one of open_cities(), may be ""
    event_text: str
    needs: frozenset[str]  # subset of NEEDS
    medicine_text: str
    injured: bool
    devices_seized: bool
    reporter: str  # intake.models.Reporter value
    contact: str  # optional, stored encrypted
    note: str  # free text
    latitude: float | None = None
    longitude: float | None = None
    # "Did the detained person agree to be named publicly?": "yes", "no" or "" (not known).
    # Only a claim the operator sees; nothing is published from it (intake/consent.py).
    consent: str = ""


@dataclass(frozen=True)
class Submitted:
    code: str  # the private code, shown once (canonical; `codes.grouped` to show it)
    report: Report


@dataclass(frozen=True)
class PublicStatus:
    """What the holder of a code may know: a translated label, since when, and a coarse state
    ("review", "rejected", or a detention status)."""

    label: str
    since: datetime.datetime | None
    state: str
    received_at: datetime.datetime


class Refused(Exception):
    """The answers cannot be taken; `message` is for the person, `errors` per field."""

    def __init__(self, message: str, errors: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


# What every public report reads and hardly ever changes — the hotlines and the police
# stations — is kept in the process for `POMPOLIT_INTAKE_CHOICES_SECONDS` (30; 0 in tests), and
# forgotten at once when this process saves or deletes a hotline or a facility (apps.py). A
# hotline opened from another process is offered within that time.
_remembered: dict[str, tuple[float, Any]] = {}


def _recall(name: str, make: Callable[[], Any]) -> Any:
    seconds = float(getattr(settings, "POMPOLIT_INTAKE_CHOICES_SECONDS", 30))
    now = time.monotonic()
    kept = _remembered.get(name)
    if kept is not None and now - kept[0] < seconds:
        return kept[1]
    value = make()
    if seconds > 0:
        _remembered[name] = (now, value)
    return value


def forget_choices(**_kwargs: Any) -> None:
    """A hotline or a facility changed: read them afresh (a signal receiver, apps.py)."""
    _remembered.clear()


def _hotlines() -> list[Hotline]:
    """Every hotline with its compartment, oldest first (the routing order)."""
    return list(
        Hotline.objects.select_related("compartment", "event").order_by("created_at", "pk")
    )


def open_cities() -> list[str]:
    """The towns with a hotline, as the public form offers them."""
    hotlines: list[Hotline] = _recall("hotlines", _hotlines)
    return sorted({hotline.city for hotline in hotlines})


def contacts_for(city: str) -> list[Hotline]:
    """The hotlines a person is pointed to, with their public phone and Telegram: the town's,
    or every hotline's when the town is not known (or is none of the hotlines')."""
    hotlines: list[Hotline] = _recall("hotlines", _hotlines)
    mine = [h for h in hotlines if h.city == city] if city else []
    return sorted(mine or hotlines, key=lambda h: (h.city, h.pk))


def station_labels(cities: list[str]) -> list[str]:
    """The police stations of these towns, as the public form offers them."""
    def make() -> list[str]:
        return sorted(intake.station_label(f) for f in intake.stations().filter(city__in=cities))

    labels: list[str] = _recall(f"stations:{'|'.join(cities)}", make)
    return labels


def _route(city: str, event: str = "") -> Hotline:
    """The hotline a public report lands in: an event's hotline when the report names its
    event (as the form and the console label it, "name — town, date", or by its name alone),
    else the picked town's (the oldest, if a town has two), else
    `POMPOLIT_INTAKE_DEFAULT_CITY`'s, else the oldest hotline."""
    hotlines: list[Hotline] = _recall("hotlines", _hotlines)
    named = " ".join(event.split()).split(" — ")[0].casefold()
    if named:
        for hotline in hotlines:
            if hotline.event is not None and hotline.event.name.casefold() == named:
                return hotline
    wanted = city or getattr(settings, "POMPOLIT_INTAKE_DEFAULT_CITY", "")
    # The towns' hotlines first: an event's hotline takes only the reports that name it.
    town = [h for h in hotlines if h.event is None] or hotlines
    chosen = None
    if wanted:
        chosen = next((h for h in town if h.city == wanted), None) or next(
            (h for h in hotlines if h.city == wanted), None
        )
    chosen = chosen or (town[0] if town else None)
    if chosen is None:
        raise Refused(_("No hotline is open at the moment; please try again later."))
    return chosen


def has_letter(text: str) -> bool:
    """At least one letter of any script ("Ли", "Smith", "李"): a name of "<>!@#$%" or of the
    replacement characters a broken encoding leaves is no name."""
    return any(ch.isalpha() for ch in text)


CONSENT = ("yes", "no")

_TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")
_DAY_TIME = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})[ ,T]+(\d{1,2})[:.](\d{2})\s*$")


def parse_moment(text: str, now: datetime.datetime) -> datetime.datetime | None:
    """"19:30" (today, or yesterday if that is still to come) or "06.03.2026 19:30", local
    time; anything else is kept only as typed."""
    zone = timezone.get_current_timezone()
    local = timezone.localtime(now, zone)
    if m := _TIME.match(text):
        hour, minute = int(m[1]), int(m[2])
        if hour > 23 or minute > 59:
            return None
        moment = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
        return moment - datetime.timedelta(days=1) if moment > local else moment
    if m := _DAY_TIME.match(text):
        try:
            moment = datetime.datetime(int(m[3]), int(m[2]), int(m[1]), int(m[4]), int(m[5]),
                                       tzinfo=zone)
        except ValueError:
            return None
        return moment if moment <= local + datetime.timedelta(hours=1) else None
    return None


def _clean(answers: PublicAnswers) -> tuple[dict[str, Any], Name, PartialDate | None]:
    errors: dict[str, str] = {}

    def line(name: str, limit: int) -> str:
        value = " ".join(str(getattr(answers, name)).split())
        if len(value) > limit:
            errors[name] = _("At most %(limit)d characters, please.") % {"limit": limit}
        return value

    surname, given, patronymic = (line(n, NAME_MAX) for n in ("surname", "given", "patronymic"))
    if not surname and not given:
        errors["surname"] = _("Give at least a surname or a given name.")
    elif not has_letter(surname + given):
        errors["surname"] = _("A name needs at least one letter (in any alphabet).")
    birth: PartialDate | None = None
    if answers.birth.strip():
        try:
            birth = PartialDate.parse(answers.birth)
        except ValidationError as error:
            errors["birth"] = " ".join(error.messages)
    if answers.city and answers.city not in open_cities():
        errors["city"] = _("Pick one of the towns listed.")
    if not answers.needs <= NEEDS:
        errors["needs"] = _("Unknown need.")
    if answers.reporter not in Reporter.values:
        errors["reporter"] = _("Say who you are: the detainee, a relative, a lawyer, a witness "
                               "or a volunteer at the station.")
    if answers.consent and answers.consent not in CONSENT:
        errors["consent"] = _("Answer yes, no, or leave it as not known.")
    note = answers.note.strip()
    if len(note) > NOTE_MAX:
        errors["note"] = _("At most %(limit)d characters, please.") % {"limit": NOTE_MAX}
    for lat, bound in ((answers.latitude, 90), (answers.longitude, 180)):
        if lat is not None and not -bound <= lat <= bound:
            errors["location"] = _("This is not a place on Earth.")
    said = {
        "birth": answers.birth.strip(),
        "is_minor": answers.is_minor,
        "detained_at": line("detained_at_text", LINE_MAX),
        "place": line("place_text", LINE_MAX),
        "now_at": line("now_at_text", LINE_MAX),
        "city": answers.city,
        "event": line("event_text", LINE_MAX),
        "needs": sorted(answers.needs),
        "medicine": line("medicine_text", LINE_MAX),
        "injured": answers.injured,
        "devices_seized": answers.devices_seized,
        "latitude": answers.latitude,
        "longitude": answers.longitude,
        "name": {"surname": surname, "given": given, "patronymic": patronymic},
        "consent_to_name": answers.consent,
    }
    line("contact", LINE_MAX)
    if errors:
        raise Refused(_("Please correct the answers marked below."), errors)
    return said, Name(surname, given, patronymic), birth


def submit_public_report(answers: PublicAnswers, *, channel: str) -> Submitted:
    """Keep a report from the public in quarantine and give back its private code."""
    if channel not in Channel.values or channel == Channel.HOTLINE:
        raise ValueError(f"not a public channel: {channel!r}")
    said, _name, _birth = _clean(answers)
    hotline = _route(answers.city, answers.event_text)
    compartment = hotline.compartment
    code = codes.new_code()
    secret: dict[str, Any] = {
        "claims": {k: v for k, v in said.items() if v not in ("", None, False, [])},
        "reporter_contact": " ".join(answers.contact.split()) or None,
    }
    with transaction.atomic():
        report = Report.objects.create(
            compartment=compartment,
            channel=channel,
            reporter=answers.reporter,
            quarantine=Quarantine.PENDING,
            text=answers.note.strip(),
            **secret,
        )
        ReportCode.objects.create(report=report, code_hash=codes.code_hash(code))
        record(
            "intake.public_report_received",
            obj=report,
            details={"report": report.pk, "channel": channel, "compartment": compartment.slug},
        )
    # The dedupe — "may be known", proposing the detention it is about — and the backlog
    # notice run as a background task for the whole hotline, off the sender's path, queued
    # once for every report that arrives before it starts (intake/proposals.py, docs/tasks.md):
    # the request only stores the report, its code and its audit entry.
    queue_dedupe(compartment.pk)
    return Submitted(code=code, report=report)


def report_for_code(code: str) -> Report | None:
    """The report whose code this is; None for a mistyped or unknown code. The stored hash is
    compared in constant time after the indexed look-up."""
    try:
        wanted = codes.code_hash(code)
    except codes.CodeError:
        return None
    row = ReportCode.objects.select_related("report").filter(code_hash=wanted).first()
    if row is None or not hmac.compare_digest(row.code_hash, wanted):
        return None
    return row.report


def status_for_code(code: str) -> PublicStatus | None:
    report = report_for_code(code)
    if report is None:
        return None
    if report.quarantine == Quarantine.PENDING:
        return PublicStatus(
            _("Received; an operator will review it."), None, "review", report.received_at
        )
    if report.quarantine == Quarantine.REJECTED or report.detention_id is None:
        return PublicStatus(
            _("Reviewed; it was not added to the lists."),
            report.reviewed_at,
            "rejected",
            report.received_at,
        )
    detention = Detention.objects.only("status", "status_since").get(pk=report.detention_id)
    return PublicStatus(
        str(Status(detention.status).label),
        detention.status_since,
        detention.status,
        report.received_at,
    )


# -- the operators' review --------------------------------------------------------------------


def quarantine_of(compartment: Compartment) -> QuerySet[Report]:
    """The public reports waiting for review in this hotline, oldest first."""
    return Report.objects.filter(compartment=compartment, quarantine=Quarantine.PENDING).order_by(
        "received_at", "pk"
    )


def entry_of(report: Report) -> intake.Entry:
    """What a public report says, as the operator's entry (blank where it said nothing)."""
    claims: dict[str, Any] = report.claims or {}
    said = claims.get("name", {})
    name = Name(said.get("surname", ""), said.get("given", ""), said.get("patronymic", ""))
    if not name.surname and not name.given:
        name = parse_name(str(said))
    birth = None
    if claims.get("birth"):
        try:
            birth = PartialDate.parse(claims["birth"])
        except ValidationError:
            birth = None
    needs = {_NEED_FIELD[n] for n in claims.get("needs", []) if n in _NEED_FIELD}
    return intake.Entry(
        name=name,
        birth_date=birth,
        is_minor=bool(claims.get("is_minor")),
        detained_at=parse_moment(claims.get("detained_at", ""), report.received_at),
        place=claims.get("place", "")[:200],
        event=intake.find_event(claims.get("event", "")),
        facility=intake.find_station(claims.get("now_at", "")),
        needs=frozenset(needs),
        medicine=claims.get("medicine", ""),
        injured=bool(claims.get("injured")),
        devices_seized=bool(claims.get("devices_seized")),
        text=report.text or "",
    )


def matches_for(report: Report) -> list[intake.Match]:
    """The detentions of the report's hotline it may be about (the console's matching)."""
    entry = entry_of(report)
    return intake.find_matches(
        report.compartment,
        str(entry.name),
        birth_date=entry.birth_date,
        facility=entry.facility,
        day=timezone.localdate(entry.detained_at or report.received_at),
    )


def read_report(actor: Member, report: Report) -> dict[str, Any]:
    """What a quarantined report says, decrypted for its hotline's operator; the reading is
    recorded as a sensitive read."""
    intake.check_hotline(actor, report.compartment)
    values = {
        "claims": report.claims or {},
        "text": report.text or "",
        "contact": report.reporter_contact or "",
    }
    record_sensitive_read(actor, report, fields=["claims", "reporter_contact", "text"])
    return values


def _pending(actor: Member | None, report: Report) -> Report:
    intake.check_hotline(actor, report.compartment)
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if locked.quarantine != Quarantine.PENDING:
        raise ValidationError(_("This report has already been reviewed."))
    return locked


def _accept(actor: Member | None, report: Report, link_to: Detention | None) -> Detention:
    entry = entry_of(report)
    entry = replace(entry, name=intake.clean_name(entry.name))
    now = timezone.now()
    if link_to is not None:
        if link_to.compartment_id != report.compartment_id:
            raise PermissionDenied(_("You do not work on this hotline."))
        detention = Detention.objects.select_for_update().get(pk=link_to.pk)
        # The console's own steps (intake/services.py), so both doors fill a detention alike.
        if intake._merge(detention, entry):
            detention.updated_at = now
            detention.save()
    else:
        detention = intake._new_detention(actor, report.compartment, entry, None, now)
        if entry.facility is not None:
            intake._change(
                actor, detention, Status.AT_STATION, at=now, facility=entry.facility, report=report
            )
    report.detention = detention
    report.quarantine = Quarantine.ACCEPTED
    report.linked_to_known = link_to is not None
    report.reviewed_at, report.reviewed_by = now, actor
    report.save(update_fields=[
        "detention", "quarantine", "linked_to_known", "reviewed_at", "reviewed_by"
    ])
    return detention


def accept_as_new(actor: Member | None, report: Report) -> Detention:
    """The public report opens a new detention."""
    with transaction.atomic():
        locked = _pending(actor, report)
        detention = _accept(actor, locked, None)
        record(
            "intake.public_report_accepted",
            actor=actor,
            obj=locked,
            details={"report": locked.pk, "detention": detention.pk},
        )
    report.refresh_from_db()
    return detention


def link_to_detention(actor: Member | None, report: Report, detention: Detention) -> Detention:
    """The public report is about a detention already known: what it says fills the blanks."""
    with transaction.atomic():
        locked = _pending(actor, report)
        detention = _accept(actor, locked, detention)
        record(
            "intake.public_report_linked",
            actor=actor,
            obj=locked,
            details={"report": locked.pk, "detention": detention.pk},
        )
    report.refresh_from_db()
    return detention


def reject(actor: Member | None, report: Report, reason: str) -> Report:
    if reason not in Rejection.values:
        raise ValidationError({"reason": _("Say why: spam, fake, or a duplicate.")})
    with transaction.atomic():
        locked = _pending(actor, report)
        locked.quarantine, locked.rejection = Quarantine.REJECTED, reason
        locked.reviewed_at, locked.reviewed_by = timezone.now(), actor
        locked.save(update_fields=["quarantine", "rejection", "reviewed_at", "reviewed_by"])
        record(
            "intake.public_report_rejected",
            actor=actor,
            obj=locked,
            details={"report": locked.pk, "reason": reason},
        )
    report.refresh_from_db()
    return report
