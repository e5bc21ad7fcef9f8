"""Everything that writes to a case — names, fields, events, relatives — and the one query every
page starts from. (Facilities, vocabularies, consent, photos, moves, imports: in their
subpackages, which check access with `check_compartment` and `check_case` from here.)

`visible_cases(member)` is the compartment wall: pages and searches take cases only from it.
Every write records an audit entry in its transaction; opening encrypted fields records a
sensitive read. Audit details carry ids and field names, never names or contacts.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from pompolit.audit.services import record, record_sensitive_read
from pompolit.cases.custody import Custody, Step, check_custody, derive_custody_fields
from pompolit.cases.models import (
    HEARING_EVENT_TYPES,
    Case,
    CaseStatus,
    Charge,
    CoarseKey,
    Event,
    EventType,
    Facility,
    Hearing,
    HearingOutcome,
    NameKey,
    NameKind,
    Person,
    PersonName,
    Relative,
)
from pompolit.cases.partial import PartialDate, as_partial
from pompolit.cases.search import fulltext
from pompolit.members import policy
from pompolit.members.models import Compartment, Member
from pompolit.names import Name, search_keys, tidy

DEFAULT_SIGN_OF_LIFE_DAYS = 21


# -- who sees what ---------------------------------------------------------------------------


def visible_cases(member: Member) -> QuerySet[Case]:
    """The cases this member may see: case workers, in the compartments granted to them."""
    if not policy.has_roles(member, policy.CASE_WORKER):
        return Case.objects.none()
    return Case.objects.filter(compartment_id__in=member.compartment_ids())


def case_for(member: Member, compartment: Compartment, pk: int) -> Case | None:
    return (
        visible_cases(member)
        .filter(compartment=compartment, pk=pk)
        .select_related("person", "status", "current_facility", "sentence_regime", "assigned_to")
        .first()
    )


def check_compartment(actor: Member, compartment: Compartment) -> None:
    """A case worker granted this compartment; PermissionDenied for anyone else."""
    refusal = _("You have no access to this compartment.")
    policy.require(actor, policy.CASE_WORKER, refusal=refusal)
    if compartment.pk not in actor.compartment_ids():
        raise PermissionDenied(refusal)


def check_case(actor: Member, case: Case) -> None:
    check_compartment(actor, case.compartment)


# -- names -----------------------------------------------------------------------------------


def index_name(person_name: PersonName) -> None:
    """Write the name's keys again, and keep the distinct coarse keys (`CoarseKey`) in step."""
    before = set(NameKey.objects.filter(name=person_name).values_list("key", flat=True))
    NameKey.objects.filter(name=person_name).delete()
    keys = search_keys(
        Name(person_name.surname, person_name.given, person_name.patronymic)
    )
    NameKey.objects.bulk_create(
        NameKey(name=person_name, person_id=person_name.person_id, key=key)
        for key in sorted(keys)
    )
    CoarseKey.add(keys)
    CoarseKey.prune(before - keys)


def _clean_name(name: Name) -> Name:
    """The name as typed, tidied (`names.tidy`): never folded, ё and accents stay."""
    cleaned = Name(*(tidy(part) for part in (name.surname, name.given, name.patronymic)))
    if not cleaned.surname and not cleaned.given:
        raise ValidationError({"surname": _("Give at least a surname or a given name.")})
    return cleaned


def add_name(actor: Member, case: Case, name: Name, kind: str = NameKind.ALIAS) -> PersonName:
    """Another name of the person: a spelling, a pseudonym, a former surname."""
    check_case(actor, case)
    name = _clean_name(name)
    with transaction.atomic():
        person_name = PersonName.objects.create(
            person=case.person, kind=kind, surname=name.surname, given=name.given,
            patronymic=name.patronymic,
        )
        index_name(person_name)
        record("cases.name_added", actor=actor, obj=case, details={"kind": kind})
    return person_name


# -- cases -----------------------------------------------------------------------------------


def number_key(text: str) -> str:
    """Letters and digits of a case number, folded: "№ 1-12/2022" → "1122022"."""
    folded = unicodedata.normalize("NFKC", text.replace("№", "")).casefold()
    return re.sub(r"[\W_]+", "", folded)


CASE_FIELDS = (
    "status", "priority", "assigned_to", "court", "case_number", "lawyer", "sentence_term",
    "sentence_months", "expected_release", "receives_letters", "sentence_regime",
    "recognised_by", "recognised_on", "recognition_criteria", "notes", "opened_on",
)
PRIVATE_FIELDS = ("lawyer_contact", "needs", "needs_structured")


def open_case(
    actor: Member,
    *,
    compartment: Compartment,
    name: Name,
    birth_date: PartialDate | None = None,
    status: CaseStatus | None = None,
    **fields: Any,
) -> Case:
    """A new person with a new case in a compartment the actor works in."""
    check_compartment(actor, compartment)
    name = _clean_name(name)
    unknown = set(fields) - set(CASE_FIELDS) - set(PRIVATE_FIELDS)
    if unknown:
        raise TypeError(f"unknown case fields: {sorted(unknown)}")
    with transaction.atomic():
        person = Person.objects.create(birth_date=birth_date, display_name=str(name))
        primary = PersonName.objects.create(
            person=person, kind=NameKind.NAME, surname=name.surname, given=name.given,
            patronymic=name.patronymic, is_primary=True,
        )
        index_name(primary)
        fields.setdefault("assigned_to", actor)
        case = Case(
            compartment=compartment, person=person,
            status=status or CaseStatus.objects.get(code="detained"), **fields,
        )
        case.case_number_key = number_key(case.case_number)
        case.full_clean(exclude=["person", "compartment", *PRIVATE_FIELDS])
        case.save()
        fulltext.index_case(case)
        record("cases.case_opened", actor=actor, obj=case,
               details={"compartment": compartment.slug})
    return case


def update_case(actor: Member, case: Case, **changes: Any) -> Case:
    """Change the case's open fields (the encrypted ones: `update_private`)."""
    check_case(actor, case)
    unknown = set(changes) - set(CASE_FIELDS)
    if unknown:
        raise TypeError(f"not editable here: {sorted(unknown)}")
    changed = sorted(k for k, v in changes.items() if getattr(case, k) != v)
    for key, value in changes.items():
        setattr(case, key, value)
    case.case_number_key = number_key(case.case_number)
    case.updated_at = timezone.now()
    case.full_clean(exclude=["person", "compartment", *PRIVATE_FIELDS])
    with transaction.atomic():
        case.save()
        if {"notes", "lawyer"} & set(changed):
            fulltext.index_case(case)
        record("cases.case_updated", actor=actor, obj=case, details={"fields": changed})
    return case


def update_person(actor: Member, case: Case, *, birth_date: PartialDate | None) -> None:
    check_case(actor, case)
    with transaction.atomic():
        case.person.birth_date = birth_date
        case.person.save()
        record("cases.person_updated", actor=actor, obj=case, details={"fields": ["birth_date"]})


def read_private(actor: Member, case: Case) -> dict[str, Any]:
    """The case's encrypted fields and its relatives, decrypted; the reading is recorded."""
    check_case(actor, case)
    relatives = list(case.relatives.all())
    values = {
        "lawyer_contact": case.lawyer_contact or "",
        "needs": case.needs or "",
        "needs_structured": case.needs_structured or {},
        "relatives": [
            {"relative": r, "name": r.name, "phone": r.phone or "", "contact": r.contact or "",
             "notes": r.notes or ""}
            for r in relatives
        ],
    }
    fields = [*PRIVATE_FIELDS]
    if relatives:
        fields += ["relatives.name", "relatives.phone", "relatives.contact", "relatives.notes"]
    record_sensitive_read(actor, case, fields=fields)
    return values


def update_private(actor: Member, case: Case, **changes: Any) -> None:
    check_case(actor, case)
    unknown = set(changes) - set(PRIVATE_FIELDS)
    if unknown:
        raise TypeError(f"not private fields: {sorted(unknown)}")
    with transaction.atomic():
        for key, value in changes.items():
            setattr(case, key, value or None)
        case.updated_at = timezone.now()
        case.save()
        record("cases.private_updated", actor=actor, obj=case, details={"fields": sorted(changes)})


def add_charge(actor: Member, case: Case, *, code: str, article: str, text: str = "",
               jurisdiction: str = "RU") -> Charge:
    check_case(actor, case)
    charge = Charge(case=case, jurisdiction=jurisdiction, code=code, article=article, text=text)
    charge.full_clean()
    with transaction.atomic():
        charge.save()
        record("cases.charge_added", actor=actor, obj=case, details={"charge": charge.pk})
    return charge


# -- events and custody ----------------------------------------------------------------------


def _step(event: Event) -> Step:
    assert event.date is not None
    return Step(
        date=event.date, effect=event.type.custody_effect, label=event.type.label,
        facility_id=event.facility_id,
        facility_label=str(event.facility) if event.facility_id else "",
        allowed_after_death=event.type.allowed_after_death, ref=event.pk,
    )


def custody_of(case: Case, extra: Iterable[Event] = ()) -> Custody:
    events = list(case.events.select_related("type", "facility")) + list(extra)
    return check_custody(_step(e) for e in events)


def recompute_case(case: Case, custody: Custody) -> None:
    """Keep the case's derived fields in step with its events."""
    derived = derive_custody_fields(custody, status_watched=case.status.watch_sign_of_life)
    case.current_facility_id = derived.current_facility_id
    case.in_custody_since = derived.in_custody_since
    case.last_contact_on = derived.last_contact_on
    if derived.status:
        case.status = CaseStatus.objects.get(code=derived.status)
    case.save(update_fields=["current_facility", "in_custody_since", "last_contact_on", "status",
                             "updated_at"])


def add_event(
    actor: Member,
    case: Case,
    *,
    type: EventType,
    date: PartialDate,
    facility: Facility | None = None,
    place: str = "",
    summary: str = "",
    source: str = "",
    confidential_note: str = "",
    hearing: dict[str, Any] | None = None,
) -> Event:
    """Add an event to the timeline; a timeline that cannot be true is refused, unchanged.

    A hearing (types in HEARING_EVENT_TYPES) may come with `hearing`: kind, court, city,
    hall, judge, starts_at, closed (models/hearings.py); without it (an old record known by its
    date only) it is an event like any other."""
    check_case(actor, case)
    if type.code in HEARING_EVENT_TYPES and hearing is not None:
        if not str(hearing.get("court", "")).strip():
            raise ValidationError({"hearing_court": _("A hearing needs its court.")})
        exact = as_partial(date)
        if exact is None or exact.precision != "day":
            raise ValidationError({"date": _("A hearing needs its day.")})
    else:
        hearing = None
    if type.custody_effect == "transfer" and facility is None:
        raise ValidationError({"facility": _("A transfer needs the facility the person was "
                                             "taken to.")})
    secret: dict[str, Any] = {"confidential_note": confidential_note or None}
    event = Event(
        case=case, compartment_id=case.compartment_id, type=type, date=date, facility=facility,
        place=place, summary=summary, source=source, created_by=actor, **secret,
    )
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        custody = custody_of(locked, [event])
        event.save()
        if hearing is not None:
            Hearing.objects.create(event=event, **hearing)
        case.refresh_from_db()
        case.updated_at = timezone.now()
        recompute_case(case, custody)
        if place or summary or source:
            fulltext.index_case(case)
        record("cases.event_added", actor=actor, obj=case,
               details={"event": event.pk, "type": type.code, "date": str(date)})
    return event


def record_hearing_outcome(actor: Member, hearing: Hearing, text: str) -> HearingOutcome:
    """What came of a hearing. Never edited: a correction is a new outcome, the latest counts."""
    case = hearing.event.case
    check_case(actor, case)
    if not text.strip():
        raise ValidationError({"text": _("Write what the court decided.")})
    with transaction.atomic():
        outcome = HearingOutcome.objects.create(
            hearing=hearing, compartment_id=case.compartment_id, text=text.strip(),
            recorded_by=actor)
        record("cases.hearing_outcome", actor=actor, obj=case,
               details={"event": hearing.event_id, "outcome": outcome.pk})
    return outcome


def remove_event(actor: Member, event: Event) -> None:
    """A mistaken event goes; what is left must still make one story."""
    case = event.case
    check_case(actor, case)
    if HearingOutcome.objects.filter(hearing__event=event).exists():
        # The outcome is history (append-only): the hearing it belongs to stays with it.
        raise ValidationError(_("This hearing has a recorded outcome, so it stays in the "
                                "timeline. If the outcome was wrong, record a corrected one."))
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        remaining = [e for e in locked.events.select_related("type", "facility")
                     if e.pk != event.pk]
        custody = check_custody(_step(e) for e in remaining)
        details = {"event": event.pk, "type": event.type.code, "date": str(event.date)}
        event.delete()
        case.refresh_from_db()
        recompute_case(case, custody)
        fulltext.index_case(case)
        record("cases.event_removed", actor=actor, obj=case, details=details)


# -- relatives -------------------------------------------------------------------------------


def add_relative(actor: Member, case: Case, *, relationship: str, name: str, phone: str = "",
                 contact: str = "", notes: str = "") -> Relative:
    check_case(actor, case)
    if not name.strip():
        raise ValidationError({"name": _("Give the relative's name, or how they are known.")})
    secret: dict[str, Any] = {
        "name": name.strip(), "phone": phone.strip() or None,
        "contact": contact.strip() or None, "notes": notes.strip() or None,
    }
    relative = Relative(case=case, compartment_id=case.compartment_id,
                        relationship=relationship, **secret)
    relative.full_clean(exclude=["name", "phone", "contact", "notes"])
    with transaction.atomic():
        relative.save()
        record("cases.relative_added", actor=actor, obj=case,
               details={"relative": relative.pk, "relationship": relationship})
    return relative


def cases_with_phone(member: Member, phone: str) -> QuerySet[Case]:
    """Cases of the visible compartments with a relative at this phone number."""
    from pompolit.vault.fields import blind_lookup

    relatives = Relative.objects.filter(blind_lookup(Relative, "phone_index", phone))
    return visible_cases(member).filter(pk__in=relatives.values("case_id"))


# -- sign of life ----------------------------------------------------------------------------


def sign_of_life_days() -> int:
    return int(getattr(settings, "POMPOLIT_SIGN_OF_LIFE_DAYS", DEFAULT_SIGN_OF_LIFE_DAYS))


def overdue_cases(member: Member, *, today: datetime.date | None = None,
                  days: int | None = None) -> QuerySet[Case]:
    """Held people not heard from for more than `days` days, the longest silence first.

    A case with no contact at all counts from when it was opened. A contact known only to the
    month counts from its first day: an alarm a few days early is better than one too late.
    """
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=days if days is not None else sign_of_life_days())
    from django.db.models.functions import Coalesce

    return (
        visible_cases(member)
        .filter(status__watch_sign_of_life=True)
        .annotate(silent_since=Coalesce("last_contact_on", "opened_on"))
        .filter(silent_since__lt=cutoff)
        .select_related("person", "current_facility", "compartment", "status")
        .order_by("silent_since", "pk")
    )
