"""A prisoner's needs a month, in the plan's item types: how many food parcels, money
transfers and letters the monthly plan (`planning/services.py`) should try to send them.

Counts only, not secret: read for all planned cases in one query. A case without a row
needs the default, one of each (`DEFAULT`); all zeros means nothing is asked this month.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pompolit.aid.models import MAX_NEEDED, MonthlyNeeds
from pompolit.audit.services import record
from pompolit.cases.models import Case
from pompolit.members.models import Member

# The plan's item type codes (planning.services.ITEM_TYPES) → the MonthlyNeeds field.
FIELDS = {"food-parcel": "parcels", "transfer": "transfers", "letter": "letters"}
DEFAULT = {"food-parcel": 1, "transfer": 1, "letter": 1}


def _as_needs(row: MonthlyNeeds) -> dict[str, int]:
    return {code: int(getattr(row, field)) for code, field in FIELDS.items()}


def needs_of(case: Case) -> dict[str, int]:
    """The case's needs by item type code; the default when none are recorded."""
    row = MonthlyNeeds.objects.filter(case=case).first()
    return _as_needs(row) if row is not None else dict(DEFAULT)


def needs_for(case_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """Every case's needs by item type code, in one query; the default for those without."""
    ids = list(case_ids)
    found = {row.case_id: _as_needs(row)
             for row in MonthlyNeeds.objects.filter(case_id__in=ids)}
    return {pk: found.get(pk, dict(DEFAULT)) for pk in ids}


def set_needs(member: Member, case: Case, *, parcels: int, transfers: int,
              letters: int) -> MonthlyNeeds:
    """Record the case's needs (the caller has checked the member may work on the case)."""
    given = {"parcels": parcels, "transfers": transfers, "letters": letters}
    labels = {"parcels": _("Food parcels"), "transfers": _("Money transfers"),
              "letters": _("Letters")}
    errors = {}
    for field, value in given.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            errors[field] = _("%(what)s: give a whole number, 0 or more.") % {
                "what": labels[field]}
        elif value > MAX_NEEDED[field]:
            errors[field] = _("%(what)s: at most %(n)s a month.") % {
                "what": labels[field], "n": MAX_NEEDED[field]}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row, created = MonthlyNeeds.objects.select_for_update().get_or_create(
            case=case, defaults={"compartment_id": case.compartment_id, "updated_by": member,
                                 **given})
        before = {field: getattr(row, field) for field in given}
        if not created:
            for field, value in given.items():
                setattr(row, field, value)
            row.compartment_id = case.compartment_id
            row.updated_by = member
            row.updated_at = timezone.now()
            row.save()
        record("aid.needs_changed", actor=member, obj=case, details={
            "before": None if created else before, "after": given})
    return row
