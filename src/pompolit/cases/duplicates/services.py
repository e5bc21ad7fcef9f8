"""Duplicates for people: the scan's findings stored for review, decisions, matches as you type.

The scan (`scan.py`) proposes; coordinators decide, pair by pair: the same person, not the same,
unsure. A decision is stored by the pair of person ids whichever way round it was asked, and
the latest one counts: a pair decided "not the same" never comes back from a later scan. Each
decision is audited (ids and the verdict only, never names).

`possible_matches` answers a case worker or hotline operator typing a name: the matches in
their own compartments, and only the fact that there is one elsewhere.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from pompolit.audit.services import record
from pompolit.cases.duplicates import scan as scanning
from pompolit.cases.duplicates.models import (
    DuplicateCandidate,
    DuplicateDecision,
    Verdict,
    ordered,
)
from pompolit.cases.models import Case, NameKey, Person
from pompolit.cases.partial import PartialDate
from pompolit.members import policy
from pompolit.members.models import Member
from pompolit.names import Name, parse_name, query_keys, token_keys

# Looked at when a name is typed: the people sharing the most keys with it.
TYPED_CANDIDATES = 20
# Shown when a name is typed: a lower bar than the scan's, a form has only name and birth.
TYPED_MINIMUM = 0.45


def _require(actor: Member | None) -> None:
    policy.require(
        actor, policy.DUPLICATE_REVIEWERS, refusal=_("Only a coordinator reviews duplicates.")
    )


# -- decisions --------------------------------------------------------------------------------


def latest_decisions(pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], str]:
    wanted = {ordered(*pair) for pair in pairs}
    if not wanted:
        return {}
    lows = {low for low, _high in wanted}
    decisions = DuplicateDecision.objects.all()
    if len(lows) <= 500:  # a page's pairs; a whole scan's reads every decision (people decide
        decisions = decisions.filter(person_low__in=lows)  # them one by one: a few thousand)
    found: dict[tuple[int, int], str] = {}
    for low, high, verdict in decisions.order_by("pk").values_list(
        "person_low", "person_high", "verdict"
    ):
        if (low, high) in wanted:
            found[(low, high)] = verdict
    return found


def decision_for(a: int, b: int) -> str | None:
    return latest_decisions([(a, b)]).get(ordered(a, b))


def decide(actor: Member | None, a: int, b: int, verdict: str) -> DuplicateDecision:
    _require(actor)
    if verdict not in Verdict.values:
        raise ValueError(verdict)
    low, high = ordered(a, b)
    if low == high:
        raise ValueError("a pair needs two people")
    with transaction.atomic():
        decision = DuplicateDecision.objects.create(
            person_low=low, person_high=high, verdict=verdict, decided_by=actor
        )
        if verdict == Verdict.DIFFERENT:
            DuplicateCandidate.objects.filter(person_low=low, person_high=high).delete()
        record(
            "cases.duplicate_decided",
            actor=actor,
            obj=decision,
            details={"people": [low, high], "verdict": verdict},
        )
    return decision


# -- the scan, stored -------------------------------------------------------------------------


def run_scan(
    actor: Member | None,
    *,
    progress: Callable[[str], None] | None = None,
    stats: scanning.ScanStats | None = None,
) -> list[scanning.Candidate]:
    """Scan the registry and replace the stored candidates, leaving out the pairs decided
    "not the same"."""
    _require(actor)
    stats = stats if stats is not None else scanning.ScanStats()
    return store_scan(actor, scanning.scan(progress=progress, stats=stats), stats)


def store_scan(
    actor: Member | None, found: list[scanning.Candidate], stats: scanning.ScanStats
) -> list[scanning.Candidate]:
    """Replace the stored candidates by the scan's, leaving out the pairs decided "not the
    same" (in batches); the pairs stored."""
    _require(actor)
    decided = latest_decisions((c.low, c.high) for c in found)
    kept = [c for c in found if decided.get((c.low, c.high)) != Verdict.DIFFERENT]
    with transaction.atomic():
        DuplicateCandidate.objects.all().delete()
        DuplicateCandidate.objects.bulk_create(
            (
                DuplicateCandidate(
                    person_low=c.low,
                    person_high=c.high,
                    score=c.score,
                    evidence=[e.as_dict() for e in c.evidence],
                    conflict=c.conflict,
                )
                for c in kept
            ),
            batch_size=2000,
        )
        record(
            "cases.duplicates_scanned",
            actor=actor,
            details={
                "people": stats.people,
                "pairs": len(kept),
                "left_out_as_decided": len(found) - len(kept),
            },
        )
    return kept


# -- the review queue -------------------------------------------------------------------------


@dataclass
class PersonCard:
    pk: int
    display_name: str
    birth_date: PartialDate | None
    names: list[str] = field(default_factory=list)
    compartments: list[str] = field(default_factory=list)
    cases: int = 0


@dataclass(frozen=True)
class EvidenceLine:
    code: str
    weight: float
    text: str


@dataclass
class QueueItem:
    candidate: DuplicateCandidate
    first: PersonCard
    second: PersonCard
    verdict: str | None

    @property
    def evidence(self) -> list[EvidenceLine]:
        """The stored evidence in the reader's language."""
        return [
            EvidenceLine(
                str(e.get("code")),
                float(e.get("weight") or 0),
                scanning.evidence_text(str(e.get("code")), e.get("values")),
            )
            for e in self.candidate.evidence
        ]

    @property
    def verdict_label(self) -> str:
        return str(Verdict(self.verdict).label) if self.verdict else ""


def cards(person_ids: Iterable[int]) -> dict[int, PersonCard]:
    people = Person.objects.filter(pk__in=set(person_ids)).prefetch_related("names")
    found = {
        p.pk: PersonCard(p.pk, p.display_name, p.birth_date, [str(n) for n in p.names.all()])
        for p in people
    }
    for pk, compartment in Case.objects.filter(person_id__in=found).values_list(
        "person_id", "compartment__name"
    ):
        card = found[pk]
        card.cases += 1
        if compartment not in card.compartments:
            card.compartments.append(compartment)
    return found


def queue(viewer: Member, *, limit: int = 50) -> list[QueueItem]:
    """The stored pairs, best first, each with both people and its latest decision. Pairs
    whose people are gone (merged since the scan) are left out."""
    _require(viewer)
    candidates = list(DuplicateCandidate.objects.order_by("-score", "pk")[: limit * 2])
    people = cards(pk for c in candidates for pk in (c.person_low, c.person_high))
    decided = latest_decisions((c.person_low, c.person_high) for c in candidates)
    items = []
    for c in candidates:
        verdict = decided.get((c.person_low, c.person_high))
        if c.person_low not in people or c.person_high not in people:
            continue
        if verdict == Verdict.DIFFERENT:
            continue
        items.append(QueueItem(c, people[c.person_low], people[c.person_high], verdict))
    return items[:limit]


def queue_item(viewer: Member, a: int, b: int) -> QueueItem | None:
    _require(viewer)
    low, high = ordered(a, b)
    candidate = DuplicateCandidate.objects.filter(person_low=low, person_high=high).first()
    people = cards([low, high])
    if low not in people or high not in people:
        return None
    if candidate is None:
        # A pair looked at without a scan (from a merge page): score it now.
        profiles = scanning.load_profiles([low, high])
        scored = scanning.score_pair(profiles[low], profiles[high])
        candidate = DuplicateCandidate(
            person_low=low,
            person_high=high,
            score=scored.score,
            evidence=[e.as_dict() for e in scored.evidence],
            conflict=scored.conflict,
        )
    return QueueItem(candidate, people[low], people[high], decision_for(low, high))


# -- as you type ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    person: int
    display_name: str
    birth_date: PartialDate | None
    score: float
    evidence: tuple[scanning.Evidence, ...]
    # The member's own cases of this person: (compartment slug, compartment name, case pk).
    cases: tuple[tuple[str, str, int], ...]


@dataclass(frozen=True)
class Matches:
    visible: list[Match]
    # Only the fact: a match exists in a compartment the member does not see.
    elsewhere: bool


def candidate_ids(name: Name, keys: set[str], birth: PartialDate | None) -> list[int]:
    """The people to compare a typed name with: those sharing a key of its surname (the
    rarest part), born within a year of the typed date or of unknown birth, the ones sharing
    the most keys first."""
    surname_keys = frozenset(
        token_keys(name.surname, query=True, given=False) if name.surname else ()
    ) or frozenset(keys)
    # The people holding a surname key first (a handful, from the (key, person) index
    # alone), then their typed keys counted: never every holder of a common given name or
    # patronymic grouped and thrown away. The birth filter joins the few rows left (a join in
    # the subquery had PostgreSQL scan every person: it guesses hundreds of holders).
    holders = NameKey.objects.filter(key__in=sorted(surname_keys)).values("person_id")
    rows = NameKey.objects.filter(key__in=sorted(keys | surname_keys), person_id__in=holders)
    if birth is not None:
        rows = rows.filter(
            Q(person__birth_date_lower__isnull=True)
            | Q(
                person__birth_date_lower__range=(
                    datetime.date(birth.year - 1, 1, 1),
                    datetime.date(birth.year + 1, 12, 31),
                )
            )
        )
    typed = None if surname_keys <= keys else Q(key__in=sorted(keys))
    # Counted on the key (in the index), not the row id (which would read every row).
    return list(
        rows.values("person_id")
        .annotate(shared=Count("key", distinct=True, filter=typed))
        .filter(shared__gt=0)
        .order_by("-shared", "person_id")
        .values_list("person_id", flat=True)[:TYPED_CANDIDATES]
    )


def possible_matches(member: Member, text: str, birth: PartialDate | None) -> Matches:
    """People already registered who may be the one being typed."""
    policy.require(member, policy.MATCH_SEEKERS)
    name = parse_name(text).folded()
    keys = query_keys(text)
    if name.is_empty or not keys:
        return Matches([], elsewhere=False)
    ids = candidate_ids(name, keys, birth)
    scored = [
        c for c in scanning.matches_for(name, birth, ids, TYPED_MINIMUM) if c.score >= TYPED_MINIMUM
    ]
    if not scored:
        return Matches([], elsewhere=False)
    mine = set(member.compartment_ids())
    by_person: dict[int, list[tuple[str, str, int]]] = {}
    hidden: set[int] = set()
    # No ordering (the default one joins the person for the name): each list is sorted below.
    cases = Case.objects.filter(person_id__in=[c.high for c in scored]).order_by()
    for pk, slug, compartment_name, compartment, case in cases.values_list(
        "person_id", "compartment__slug", "compartment__name", "compartment_id", "pk"
    ):
        if compartment in mine:
            by_person.setdefault(pk, []).append((slug, compartment_name, case))
        else:
            hidden.add(pk)
    found = {
        pk: (display_name, birth)
        for pk, display_name, birth in Person.objects.filter(pk__in=by_person).values_list(
            "pk", "display_name", "birth_date"
        )
    }
    visible = [
        Match(
            c.high,
            found[c.high][0],
            found[c.high][1],
            c.score,
            tuple(e for e in c.evidence if e.code != "name"),
            tuple(sorted(by_person[c.high])),
        )
        for c in scored
        if c.high in by_person
    ]
    return Matches(visible, elsewhere=bool(hidden - set(by_person)))


def typed_name(surname: str = "", given: str = "", patronymic: str = "") -> Name:
    return Name(surname.strip(), given.strip(), patronymic.strip())
