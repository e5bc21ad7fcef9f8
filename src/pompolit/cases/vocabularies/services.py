"""Editing the controlled vocabularies (HURIDOCS-style): case statuses, event types, facility
types, regimes. Coordinators keep them; every change is audited.

A term's code is what records, imports and other apps refer to, so once anything uses the
term its code is fixed, and so is whatever the custody check reads from an event type; a term
in use can be taken out of use (no longer offered in forms) but not deleted. A few codes are
named by the code itself (a death sets the status "deceased") and never change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from pompolit.audit.services import record
from pompolit.cases.models import CaseStatus, EventType, FacilityType, Regime, Term
from pompolit.members import policy
from pompolit.members.models import Member


@dataclass(frozen=True)
class Vocabulary:
    slug: str
    model: type[Term]
    title: Promise
    # Fields beyond code, labels and position that the form edits.
    extra: tuple[str, ...] = ()
    # Fields that, like the code, are fixed once the term is used.
    fixed_when_used: tuple[str, ...] = ()
    # Codes the program itself names: never renamed, never deleted.
    system_codes: frozenset[str] = frozenset()


VOCABULARIES = {
    v.slug: v
    for v in (
        Vocabulary("statuses", CaseStatus, gettext_lazy("Case statuses"),
                   extra=("watch_sign_of_life",),
                   system_codes=frozenset({"detained", "released", "deceased"})),
        Vocabulary("event-types", EventType, gettext_lazy("Event types"),
                   extra=("custody_effect", "allowed_after_death"),
                   fixed_when_used=("custody_effect", "allowed_after_death")),
        Vocabulary("facility-types", FacilityType, gettext_lazy("Facility types")),
        Vocabulary("regimes", Regime, gettext_lazy("Regimes")),
    )
}
EDITABLE = ("code", "label_en", "label_ru", "position")


def vocabulary_of(term: Term) -> Vocabulary:
    return next(v for v in VOCABULARIES.values() if isinstance(term, v.model))


def uses(term: Term) -> int:
    """How many records refer to the term, in any app (found through the foreign keys)."""
    total = 0
    for relation in term._meta.related_objects:
        if relation.many_to_many:
            continue
        total += relation.related_model._default_manager.filter(
            **{relation.field.name: term}).count()
    return total


def fixed_fields(term: Term) -> set[str]:
    """What can no longer be changed on this term."""
    vocabulary = vocabulary_of(term)
    fixed: set[str] = set()
    if term.code in vocabulary.system_codes:
        fixed.add("code")
    if term.pk is not None and uses(term):
        fixed |= {"code", *vocabulary.fixed_when_used}
    return fixed


def _details(vocabulary: Vocabulary, term: Term, **more: Any) -> dict[str, Any]:
    return {"vocabulary": vocabulary.slug, "code": term.code, **more}


def add_term(actor: Member, vocabulary: Vocabulary, **values: Any) -> Term:
    policy.require(actor, policy.COORDINATOR,
                   refusal=_("Only coordinators edit the vocabularies."))
    allowed = {*EDITABLE, *vocabulary.extra}
    unknown = set(values) - allowed
    if unknown:
        raise TypeError(f"not fields of {vocabulary.slug}: {sorted(unknown)}")
    values["code"] = str(values.get("code", "")).strip().lower()
    term = vocabulary.model(**values)
    term.full_clean()
    with transaction.atomic():
        term.save()
        record("cases.term_added", actor=actor, obj=term, details=_details(vocabulary, term))
    return term


def update_term(actor: Member, term: Term, **changes: Any) -> Term:
    """Change labels, position and the rest; the code and custody meaning only while unused."""
    policy.require(actor, policy.COORDINATOR,
                   refusal=_("Only coordinators edit the vocabularies."))
    vocabulary = vocabulary_of(term)
    unknown = set(changes) - {*EDITABLE, *vocabulary.extra}
    if unknown:
        raise TypeError(f"not editable here: {sorted(unknown)}")
    if "code" in changes:
        changes["code"] = str(changes["code"]).strip().lower()
    with transaction.atomic():
        locked = type(term)._default_manager.select_for_update().get(pk=term.pk)
        changed = sorted(k for k, v in changes.items() if getattr(locked, k) != v)
        fixed = sorted(set(changed) & fixed_fields(locked))
        if fixed:
            raise ValidationError({field: _(
                "This cannot change any more: the term is in use (or named by the program). "
                "Add a new term and take this one out of use instead.") for field in fixed})
        old_code = locked.code
        for key, value in changes.items():
            setattr(locked, key, value)
        locked.full_clean()
        locked.save()
        details = _details(vocabulary, locked, fields=changed)
        if old_code != locked.code:
            details["old_code"] = old_code
        record("cases.term_updated", actor=actor, obj=locked, details=details)
    return locked


def set_active(actor: Member, term: Term, active: bool) -> Term:
    """Take a term out of use (forms stop offering it; records keep it), or back in."""
    policy.require(actor, policy.COORDINATOR,
                   refusal=_("Only coordinators edit the vocabularies."))
    vocabulary = vocabulary_of(term)
    with transaction.atomic():
        locked = type(term)._default_manager.select_for_update().get(pk=term.pk)
        if locked.is_active == active:
            return locked
        locked.is_active = active
        locked.save(update_fields=["is_active"])
        record("cases.term_reactivated" if active else "cases.term_deactivated", actor=actor,
               obj=locked, details=_details(vocabulary, locked))
    return locked


def delete_term(actor: Member, term: Term) -> None:
    """Only a term nothing uses (typed by mistake); one in use is taken out of use instead."""
    policy.require(actor, policy.COORDINATOR,
                   refusal=_("Only coordinators edit the vocabularies."))
    vocabulary = vocabulary_of(term)
    with transaction.atomic():
        locked = type(term)._default_manager.select_for_update().get(pk=term.pk)
        if locked.code in vocabulary.system_codes:
            raise ValidationError(_("“%(label)s” is named by the program and cannot be "
                                    "deleted.") % {"label": locked.label})
        used = uses(locked)
        if used:
            raise ValidationError(ngettext(
                "“%(label)s” is used by %(count)s record and cannot be deleted; take it out "
                "of use instead.",
                "“%(label)s” is used by %(count)s records and cannot be deleted; take it out "
                "of use instead.", used) % {"label": locked.label, "count": used})
        details = _details(vocabulary, locked)  # the code says which; labels are typed text
        record("cases.term_deleted", actor=actor, obj=locked, details=details)
        locked.delete()
