"""Merging two records of one person, and undoing it.

The merged person's names become other spellings of the survivor (a pseudonym or a former
name keeps its kind), their search keys follow, and their cases — with everything hanging on
a case: events, relatives, aid, consent, photos — move to the survivor. One transaction,
audited, with a `PersonMerge` whose snapshot holds what undoing needs: the merged person's own
fields, each name's kind as it was, the cases moved, the survivor's birth date before and after.

Merging people whose cases are in different compartments, or one of whom has a public page,
changes what others see: it is the approval action `cases.merge_people`, and a second
coordinator must approve. There is no other path to such a merge.

Undo brings the merged person back with the same id, their names and the cases that moved; what
was added to the survivor since stays with the survivor, and a birth date edited since is kept.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pompolit.audit.services import record
from pompolit.cases.duplicates.models import (
    DuplicateCandidate,
    DuplicateDecision,
    PersonMerge,
    PublicIdRedirect,
    Verdict,
    ordered,
)
from pompolit.cases.models import Case, NameKey, NameKind, Person, PersonName
from pompolit.cases.partial import as_partial
from pompolit.cases.public.consent import current
from pompolit.members import policy
from pompolit.members.approvals import (
    Check,
    Fact,
    Section,
    Summary,
    approval_action,
    approval_summary,
    request_approval,
)
from pompolit.members.models import ApprovalRequest, Member
from pompolit.members.roles import Role

ACTION = "cases.merge_people"


def _require(actor: Member | None) -> None:
    policy.require(
        actor, policy.DUPLICATE_REVIEWERS, refusal=_("Only a coordinator merges people.")
    )


def published_cases(person: Person) -> list[Case]:
    return [case for case in person.cases.order_by("pk") if current(case) is not None]


def second_person_reasons(survivor: Person, merged: Person) -> list[str]:
    """Why this merge needs a second coordinator; empty: one may do it."""
    reasons = []
    compartments = set(
        Case.objects.filter(person__in=[survivor, merged]).values_list("compartment_id", flat=True)
    )
    if len(compartments) > 1:
        reasons.append(_("their cases are in different compartments"))
    if published_cases(survivor) or published_cases(merged):
        reasons.append(_("one of them has a public page"))
    return reasons


def _people(survivor_id: Any, merged_id: Any) -> tuple[Person, Person]:
    try:
        survivor = Person.objects.get(pk=int(survivor_id))
        merged = Person.objects.get(pk=int(merged_id))
    except (Person.DoesNotExist, TypeError, ValueError):
        raise ValidationError(
            _("One of the two people no longer exists (merged already?).")
        ) from None
    if survivor.pk == merged.pk:
        raise ValidationError(_("A person cannot be merged with themselves."))
    return survivor, merged


# -- merging ----------------------------------------------------------------------------------


def merge_people(
    actor: Member | None, survivor: Person, merged: Person, *, reason: str = ""
) -> PersonMerge | ApprovalRequest:
    """Merge at once, or — across compartments or with a public page — ask for approval."""
    _require(actor)
    survivor, merged = _people(survivor.pk, merged.pk)
    if second_person_reasons(survivor, merged):
        if actor is None:
            raise PermissionDenied(
                _("This merge needs a second coordinator's approval; ask for it on the merge page.")
            )
        if not reason.strip():
            raise ValidationError(
                {
                    "reason": _(
                        "Say why these are the same person: the "
                        "coordinator who approves needs to know."
                    )
                }
            )
        return request_approval(
            actor,
            ACTION,
            {"survivor": survivor.pk, "merged": merged.pk, "requested_by": actor.pk},
            reason=reason.strip(),
        )
    return _merge(actor, survivor, merged)


def _merge(
    actor: Member | None, survivor: Person, merged: Person, approval: ApprovalRequest | None = None
) -> PersonMerge:
    with transaction.atomic():
        locked = {
            p.pk: p
            for p in Person.objects.select_for_update().filter(pk__in=[survivor.pk, merged.pk])
        }
        if len(locked) != 2:
            raise ValidationError(_("One of the two people no longer exists (merged already?)."))
        survivor, merged = locked[survivor.pk], locked[merged.pk]
        merged_pk = merged.pk
        names = list(merged.names.order_by("pk"))
        cases = list(merged.cases.order_by("pk"))
        redirects = _redirects(survivor, merged)
        before = str(survivor.birth_date or "")
        after = _better_birth(survivor, merged)
        snapshot = {
            "person": {
                "pk": merged.pk,
                "birth_date": str(merged.birth_date or ""),
                "display_name": merged.display_name,
                "created_at": merged.created_at.isoformat(),
            },
            "names": [{"pk": n.pk, "kind": n.kind, "is_primary": n.is_primary} for n in names],
            "cases": [c.pk for c in cases],
            "survivor_birth_before": before,
            "survivor_birth_after": after,
        }
        for name in names:
            name.person = survivor
            name.kind = NameKind.ALIAS if name.kind == NameKind.NAME else name.kind
            name.is_primary = False
            name.save(update_fields=["person", "kind", "is_primary"])
        NameKey.objects.filter(person=merged).update(person=survivor)
        Case.objects.filter(pk__in=[c.pk for c in cases]).update(
            person=survivor, updated_at=timezone.now()
        )
        if after != before:
            survivor.birth_date = as_partial(after)
            survivor.save()
        low, high = ordered(survivor.pk, merged.pk)
        DuplicateCandidate.objects.filter(person_low=merged.pk).delete()
        DuplicateCandidate.objects.filter(person_high=merged.pk).delete()
        DuplicateDecision.objects.create(
            person_low=low, person_high=high, verdict=Verdict.SAME, decided_by=actor
        )
        merged.delete()
        merge = PersonMerge.objects.create(
            survivor=survivor.pk,
            merged=merged_pk,
            snapshot=snapshot,
            approval=approval,
            merged_by=actor,
        )
        PublicIdRedirect.objects.bulk_create(
            PublicIdRedirect(merge=merge, old_public_id=old, new_public_id=new)
            for old, new in redirects
        )
        record(
            "cases.people_merged",
            actor=actor,
            obj=merge,
            details={
                "survivor": survivor.pk,
                "merged": merge.merged,
                "names": len(names),
                "cases": [c.pk for c in cases],
                "approval": approval.pk if approval else None,
            },
        )
    return merge


def _better_birth(survivor: Person, merged: Person) -> str:
    """The survivor keeps its birth date unless the merged one says more and agrees."""
    mine, theirs = as_partial(survivor.birth_date), as_partial(merged.birth_date)
    if theirs is None or (
        mine is not None
        and (theirs.lower < mine.lower or theirs.upper > mine.upper or mine == theirs)
    ):
        return str(mine or "")
    return str(theirs)


def _redirects(survivor: Person, merged: Person) -> list[tuple[str, str]]:
    """The merged person's published pages send readers to the survivor's first one."""
    target = next(iter(published_cases(survivor)), None)
    if target is None:
        return []
    return [(case.public_id, target.public_id) for case in published_cases(merged)]


# -- the second coordinator -------------------------------------------------------------------


def _validate(payload: dict[str, Any]) -> None:
    _people(payload.get("survivor"), payload.get("merged"))


def _describe(payload: dict[str, Any]) -> str:
    return str(gettext_lazy("Merge person #%(merged)s into person #%(survivor)s")) % {
        "merged": payload.get("merged", "?"),
        "survivor": payload.get("survivor", "?"),
    }


@approval_action(
    ACTION,
    describe=_describe,
    validate=_validate,
    requester_role=Role.COORDINATOR,
    approver_role=Role.COORDINATOR,
)
def _approved(request: ApprovalRequest) -> None:
    survivor, merged = _people(request.payload.get("survivor"), request.payload.get("merged"))
    _merge(request.decided_by, survivor, merged, approval=request)


@approval_summary(ACTION)
def _summarize(request: ApprovalRequest, viewer: Member) -> Summary:
    payload = request.payload
    sections = []
    people = {
        p.pk: p
        for p in Person.objects.filter(
            pk__in=[int(payload.get("survivor") or 0), int(payload.get("merged") or 0)]
        )
    }
    for key, title in (("survivor", _("Stays")), ("merged", _("Is merged into it"))):
        person = people.get(int(payload.get(key) or 0))
        if person is None:
            sections.append(Section(title, note=_("No longer exists.")))
            continue
        compartments = sorted(
            {c.compartment.name for c in person.cases.select_related("compartment")}
        )
        sections.append(
            Section(
                title,
                [
                    Fact(_("Name"), person.display_name),
                    Fact(_("Date of birth"), str(person.birth_date or "—")),
                    Fact(_("Compartments"), ", ".join(compartments) or "—"),
                    Fact(_("Public page"), _("yes") if published_cases(person) else _("no")),
                ],
            )
        )
    if len(people) == 2:
        survivor, merged = people[int(payload["survivor"])], people[int(payload["merged"])]
        sections.append(
            Section(
                _("Why a second coordinator"),
                checks=[Check(False, reason) for reason in second_person_reasons(survivor, merged)],
            )
        )
    return Summary(_describe(payload), sections)


# -- undoing ----------------------------------------------------------------------------------


def undo_merge(actor: Member | None, merge: PersonMerge) -> Person:
    _require(actor)
    with transaction.atomic():
        merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)
        if merge.undone_at is not None:
            raise ValidationError(_("This merge is already undone."))
        survivor = Person.objects.select_for_update().filter(pk=merge.survivor).first()
        if survivor is None:
            raise ValidationError(
                _(
                    "The person who stayed has been merged into someone else "
                    "since: undo that merge first."
                )
            )
        if Person.objects.filter(pk=merge.merged).exists():
            raise ValidationError(_("The merged person exists again already."))
        snap = merge.snapshot
        restored = Person(
            pk=merge.merged,
            birth_date=as_partial(snap["person"]["birth_date"]),
            display_name=snap["person"]["display_name"],
            created_at=snap["person"]["created_at"],
        )
        restored.save(force_insert=True)
        names = {n["pk"]: n for n in snap["names"]}
        for name in PersonName.objects.filter(pk__in=names, person=survivor):
            name.person = restored
            name.kind = names[name.pk]["kind"]
            name.is_primary = names[name.pk]["is_primary"]
            name.save(update_fields=["person", "kind", "is_primary"])
        NameKey.objects.filter(name_id__in=names, person=survivor).update(person=restored)
        moved = list(
            Case.objects.filter(pk__in=snap["cases"], person=survivor).values_list("pk", flat=True)
        )
        Case.objects.filter(pk__in=moved).update(person=restored, updated_at=timezone.now())
        if str(survivor.birth_date or "") == snap["survivor_birth_after"]:
            survivor.birth_date = as_partial(snap["survivor_birth_before"])
            survivor.save()
        merge.undone_at = timezone.now()
        merge.undone_by = actor
        merge.save(update_fields=["undone_at", "undone_by"])
        low, high = ordered(merge.survivor, merge.merged)
        DuplicateDecision.objects.create(
            person_low=low, person_high=high, verdict=Verdict.UNSURE, decided_by=actor
        )
        record(
            "cases.merge_undone",
            actor=actor,
            obj=merge,
            details={"survivor": merge.survivor, "merged": merge.merged, "cases": moved},
        )
    restored.refresh_from_db()
    return restored


def redirect_for(public_id: str) -> str | None:
    """Where a merged person's public id now points, if anywhere."""
    return (
        PublicIdRedirect.objects.filter(old_public_id=public_id, merge__undone_at__isnull=True)
        .order_by("-pk")
        .values_list("new_public_id", flat=True)
        .first()
    )
