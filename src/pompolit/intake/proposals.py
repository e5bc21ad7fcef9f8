"""Deduplication of reports from the public, off the request path.

A report from the web form or the bot arrives in quarantine, linked to nothing, and makes sure
the hotline's task `dedupe_hotline` is queued (`queue_dedupe`: once, a second ahead, for all
the reports that arrive before it starts). The task takes **every report of that hotline still
waiting** for the dedupe (`dedupe_waiting`, up to `BATCH` at a time, oldest first): in a surge
one run does the work of a second's reports. For each report it decides two things, exactly as
`may_be_known` and `best_match` decide them one report at a time:

- *may be known* (`Report.possible_duplicate`): someone of that surname (by the registry's name
  keys) held by the hotline with an overlapping birth date, or at the named station today;
- *proposed for linking* (`Report.proposed_detention`): the open detention it is most likely
  about, by the console's own matching (`services.find_matches`: name and birth year, or name,
  station and day).

A batch reads the reports, the police stations they name, and the hotline's detentions of the
people whose name keys they share, in five queries whatever its size; it writes its proposals
and their audit entries (intake.link_proposed) in one transaction. Nothing is linked by the
machine: the operator who reviews the report confirms or not.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import BigIntegerField, Case, Q, QuerySet, Value, When
from django.tasks import TaskResultStatus, task
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max

from pompolit.audit.services import record_many
from pompolit.cases.models import Facility
from pompolit.cases.partial import PartialDate
from pompolit.intake import notices, services
from pompolit.intake.models import (
    HELD,
    DetaineeName,
    DetaineeNameKey,
    Detention,
    Quarantine,
    Report,
)
from pompolit.members.models import Compartment
from pompolit.names import Name, parse_name, similarity, token_keys
from pompolit.vault.keys.keyring import ring

# Reports one batch reads at a time.
BATCH = 200
# As `services.find_matches`: only the latest this many detentions of the people found count.
LATEST = 200


def _said_name(claims: dict[str, Any]) -> str:
    said = claims.get("name", "")
    if isinstance(said, dict):
        return str(Name(said.get("surname", ""), said.get("given", ""), said.get("patronymic", "")))
    return str(said)


def _said_birth(claims: dict[str, Any]) -> PartialDate | None:
    text = claims.get("birth") or claims.get("birth_date") or ""
    try:
        return PartialDate.parse(text) if text else None
    except ValidationError:
        return None


def _surname_keys(name: Name) -> frozenset[str]:
    """The registry's keys of the surname (or, without one, of the given name)."""
    surname = name.surname or name.given
    if not surname:
        return frozenset()
    return frozenset(token_keys(surname, query=True, given=not name.surname))


# -- one report at a time: what a batch must agree with ---------------------------------------


def may_be_known(
    compartment: Compartment, name: Name, birth: PartialDate | None, facility: Facility | None
) -> bool:
    """Is someone of this surname (by the registry's name keys) held by this hotline with an
    overlapping birth date, or at the named station today? One query."""
    keys = _surname_keys(name)
    if not keys or (birth is None and facility is None):
        return False
    people = DetaineeNameKey.objects.filter(key__in=keys).values("detainee_id")
    held = services.detentions_in(compartment).filter(detainee_id__in=people, status__in=HELD)
    same = Q(pk__in=[])
    if birth is not None:
        same |= Q(detainee__birth_date_lower__lte=birth.upper,
                  detainee__birth_date_upper__gte=birth.lower)
    if facility is not None:
        same |= Q(facility=facility, detained_on=timezone.localdate())
    return held.filter(same).exists()


def best_match(report: Report) -> Detention | None:
    """The open detention of the report's hotline it most likely is about, or None: the
    console's matching (`services.find_matches`) for this one report."""
    claims: dict[str, Any] = report.claims or {}
    name = _said_name(claims).strip()
    if not name:
        return None
    matches = services.find_matches(
        report.compartment,
        name,
        birth_date=_said_birth(claims),
        facility=services.find_station(str(claims.get("now_at", ""))),
        day=timezone.localdate(report.received_at),
        limit=3,
    )
    held = [m for m in matches if m.reason != "earlier"]
    return held[0].detention if held else None


# -- a batch -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Said:
    """What the dedupe reads of one report."""

    report_id: int
    name: Name  # as the sender gave it, part by part (for *may be known*)
    query: Name  # the same as one line, read (folded) as the console reads a typed name
    birth: PartialDate | None
    now_at: str  # where they are now, as typed or picked
    day: datetime.date  # the day it arrived

    @classmethod
    def of(cls, report: Report) -> Said:
        claims: dict[str, Any] = report.claims or {}
        said = claims.get("name")
        name = (Name(said.get("surname", ""), said.get("given", ""), said.get("patronymic", ""))
                if isinstance(said, dict) else Name("", "", ""))
        text = _said_name(claims).strip()
        return cls(report.pk, name, parse_name(text).folded() if text else Name(),
                   _said_birth(claims),
                   " ".join(str(claims.get("now_at", "")).split()),
                   timezone.localdate(report.received_at))


class Known(NamedTuple):
    """A detention of the hotline, with what matching needs of it."""

    pk: int
    detainee_id: int
    detained_at: datetime.datetime
    detained_on: datetime.date
    facility_id: int | None
    held: bool
    birth_lower: datetime.date | None
    birth_upper: datetime.date | None


class Hotline:
    """The hotline's detentions of everyone whose name keys are among `keys`, read once."""

    def __init__(self, compartment_id: int, keys: Iterable[str]) -> None:
        keys = set(keys)
        self.people: dict[str, set[int]] = {}
        self.detentions: dict[int, list[Known]] = {}
        self.names: dict[int, list[Name]] = {}
        if not keys:
            return
        in_hotline = Detention.objects.filter(compartment_id=compartment_id)
        named = DetaineeNameKey.objects.filter(key__in=keys).values("detainee_id")
        for key, detainee in (
            DetaineeNameKey.objects.filter(key__in=keys, detainee__in=in_hotline.values(
                "detainee_id")).values_list("key", "detainee_id").distinct()
        ):
            self.people.setdefault(key, set()).add(detainee)
        for pk, detainee, at, on, facility, status, lower, upper in in_hotline.filter(
            detainee_id__in=named
        ).values_list(
            "pk", "detainee_id", "detained_at", "detained_on", "facility_id", "status",
            "detainee__birth_date_lower", "detainee__birth_date_upper",
        ):
            known = Known(pk, detainee, at, on, facility, status in HELD, lower, upper)
            self.detentions.setdefault(detainee, []).append(known)
        for detainee, surname, given, patronymic in DetaineeName.objects.filter(
            detainee__in=in_hotline.filter(detainee_id__in=named).values("detainee_id")
        ).values_list("detainee_id", "surname", "given", "patronymic"):
            self.names.setdefault(detainee, []).append(Name(surname, given, patronymic).folded())

    def of(self, keys: Iterable[str]) -> list[Known]:
        people: set[int] = set()
        for key in keys:
            people |= self.people.get(key, set())
        return [d for person in people for d in self.detentions.get(person, [])]

    def may_be_known(
        self, said: Said, facility: Facility | None, today: datetime.date
    ) -> bool:
        """`may_be_known`, from what was read."""
        birth = said.birth
        if birth is None and facility is None:
            return False
        return any(
            d.held and (
                (birth is not None and d.birth_lower is not None and d.birth_upper is not None
                 and d.birth_lower <= birth.upper and d.birth_upper >= birth.lower)
                or (facility is not None and d.facility_id == facility.pk
                    and d.detained_on == today)
            )
            for d in self.of(_surname_keys(said.name))
        )

    def best_match(self, said: Said, facility: Facility | None) -> int | None:
        """`best_match` (the console's matching), from what was read: the held detention with
        the best name score, the latest of equals."""
        keys = _surname_keys(said.query)
        latest = sorted(self.of(keys), key=lambda d: (-d.detained_at.timestamp(), d.pk))
        scores: dict[int, float] = {}
        best: tuple[float, datetime.datetime] | None = None
        found = None
        for known in latest[:LATEST]:
            if not known.held:
                continue
            same_birth = services.birth_overlaps(said.birth, known.birth_lower, known.birth_upper)
            same_place = (facility is not None and known.facility_id == facility.pk
                          and known.detained_on == said.day)
            if not (same_birth or same_place):
                continue
            score = scores.get(known.detainee_id)
            if score is None:
                score = scores[known.detainee_id] = max(
                    (similarity(said.query, n) for n in self.names.get(known.detainee_id, [])),
                    default=0.0,
                )
            if score >= services.MATCH_THRESHOLD and (best is None or (score, known.detained_at)
                                                      > best):
                best, found = (score, known.detained_at), known.pk
        return found


def waiting(compartment_id: int) -> QuerySet[Report]:
    """The hotline's public reports still waiting for the dedupe, oldest first."""
    return Report.objects.filter(
        compartment_id=compartment_id, quarantine=Quarantine.PENDING, deduped_at__isnull=True
    ).order_by("pk")


def dedupe(compartment_id: int, reports: list[Report]) -> dict[int, int]:
    """Mark these reports of one hotline *may be known* and propose each for linking to its
    best match; mark them all as looked at. Returns {report id: detention id proposed}."""
    now = timezone.now()
    todo = [r for r in reports if r.detention_id is None and r.proposed_detention_id is None]
    said = [Said.of(r) for r in todo]
    stations = services.find_stations(s.now_at for s in said)
    hotline = Hotline(compartment_id, {
        key for s in said for key in _surname_keys(s.name) | _surname_keys(s.query)
    })
    check_known = getattr(settings, "POMPOLIT_INTAKE_DEDUPE", True)
    today = timezone.localdate()
    known = [s.report_id for s, r in zip(said, todo, strict=True) if check_known
             and not r.possible_duplicate and hotline.may_be_known(s, stations[s.now_at], today)]
    best = {s.report_id: hotline.best_match(s, stations[s.now_at]) for s in said}
    wanted = {report: found for report, found in best.items() if found is not None}
    with transaction.atomic():
        if known:
            Report.objects.filter(pk__in=known).update(possible_duplicate=True)
        # Once only: a report reviewed meanwhile, or proposed by another run, is left alone.
        free = list(
            Report.objects.select_for_update()
            .filter(pk__in=wanted, quarantine=Quarantine.PENDING, proposed_detention__isnull=True)
            .order_by("pk").values_list("pk", flat=True)
        )
        proposed = {pk: wanted[pk] for pk in free}
        if proposed:
            Report.objects.filter(pk__in=proposed).update(
                proposed_detention_id=Case(
                    *(When(pk=pk, then=Value(found)) for pk, found in proposed.items()),
                    output_field=BigIntegerField(),
                ),
                proposed_at=now,
            )
        record_many("intake.link_proposed", [
            (Report(pk=pk), {"report": pk, "detention": found}) for pk, found in proposed.items()
        ])
        Report.objects.filter(pk__in=[r.pk for r in reports]).update(deduped_at=now)
    return proposed


def dedupe_waiting(compartment_id: int) -> list[int]:
    """One batch: the hotline's oldest reports waiting for the dedupe, deduped. Returns their
    ids (none: nothing was waiting)."""
    reports = list(
        waiting(compartment_id).only(
            "pk", "vault_row_id", "compartment_id", "detention_id", "claims", "received_at",
            "possible_duplicate", "proposed_detention_id",
        )[:BATCH]
    )
    if reports:
        dedupe(compartment_id, reports)
    return [r.pk for r in reports]


def proposed_for(detention: Detention) -> list[Report]:
    """Reports from the public waiting in quarantine that are proposed for this detention."""
    return list(
        Report.objects.filter(proposed_detention=detention, quarantine=Quarantine.PENDING)
        .order_by("received_at", "pk")
    )


# How many batches one run of a hotline's dedupe takes before it lets the worker's other tasks
# (the bot's answers) have their turn; what is still waiting gets a new run, queued at once.
RUN_BATCHES = 5


# Per web worker process: when the hotline's next dedupe run, known to be queued, starts. A
# report committed well before that moment will be seen by that run: no need to ask again.
_starts: dict[int, datetime.datetime] = {}


def queue_dedupe(compartment_id: int, *, wait: bool = True) -> None:
    """Queue the dedupe of the hotline's waiting reports, once. With the database's task
    backend (production) the run starts `POMPOLIT_INTAKE_DEDUPE_SECONDS` (1) later, unless
    `wait` is False, and a run queued and not yet started finds every report that arrives
    before it starts, so none is queued beside it: in a surge one run serves the second's
    reports, not one run each. This process remembers when that run starts, and until half
    the wait before it does not even ask; then it queues the next run unless another process
    has (about one look-up a second per process, not one a report while the worker is yet to
    take the run). Called when the report's transaction has committed,
    so that a run starting at any moment after this sees the report."""
    backend = dedupe_hotline.get_backend()
    if not isinstance(backend, DatabaseBackend):
        dedupe_hotline.enqueue(compartment_id)  # the tests' immediate backend: run now
        return
    seconds = float(getattr(settings, "POMPOLIT_INTAKE_DEDUPE_SECONDS", 1)) if wait else 0
    margin = datetime.timedelta(seconds=seconds / 2)

    def queue() -> None:
        now = timezone.now()
        starts = _starts.get(compartment_id)
        if seconds > 0 and starts is not None and now < starts - margin:
            return
        queued = DBTaskResult.objects.filter(
            status=TaskResultStatus.READY, backend_name=backend.alias,
            task_path=dedupe_hotline.module_path,
            args_kwargs={"args": [compartment_id], "kwargs": {}},
        ).order_by("-run_after").values_list("run_after", flat=True).first()
        # A run that may start at any moment (its time is close or past and the worker has not
        # taken it yet, or it was queued without a time) would have every report ask again
        # until the worker takes it: the next run is queued now instead, a wait after that one,
        # and the next second's reports count on it.
        timed = queued is not None and queued < get_date_max()
        if queued is None or (seconds > 0 and not (timed and queued >= now + margin)):
            run = dedupe_hotline
            if seconds > 0:
                after = max(now, queued) if queued is not None and timed else now
                queued = after + datetime.timedelta(seconds=seconds)
                run = run.using(run_after=queued)
            run.enqueue(compartment_id)
        # A run queued without a start time may start at any moment: nothing to remember.
        if queued is not None and queued < get_date_max():
            _starts[compartment_id] = queued
        else:
            _starts.pop(compartment_id, None)

    transaction.on_commit(queue)


@task
def dedupe_hotline(compartment_id: int) -> None:
    """The task: the dedupe of every report of the hotline waiting for it (`dedupe_waiting`),
    then a notice for the operators when their quarantine piles up. Its argument, stored in
    clear in the task table, is the hotline's compartment id only."""
    ring.begin()
    for _batch in range(RUN_BATCHES):
        if len(dedupe_waiting(compartment_id)) < BATCH:
            break
    else:
        queue_dedupe(compartment_id, wait=False)
    notices.quarantine_backlog(compartment_id)


@task
def after_public_report(report_id: int) -> None:
    """One report's dedupe (and so its hotline's, as `dedupe_hotline`), until it is done: the
    task each public report queued before 2026-12; kept for the runs still queued then."""
    ring.begin()
    row = Report.objects.filter(pk=report_id).values_list(
        "compartment_id", "deduped_at", "quarantine").first()
    if row is None or row[1] is not None:
        return  # deduped by an earlier run's batch (which checked the backlog then)
    compartment_id, _deduped, quarantine = row
    if quarantine == Quarantine.PENDING:
        while True:
            done = dedupe_waiting(compartment_id)
            if not done or report_id in done:
                break
    notices.quarantine_backlog(compartment_id)
