"""Consent to publish a case: who gave it, when, for which fields, until when.

A consent is never edited. Giving a new one or withdrawing is a new record, and the latest
record of a case decides: a withdrawal, or a consent past its expiry, makes nothing public.
Only the fields named in FIELDS can ever be published (profiles.py).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from pompolit.audit.services import record
from pompolit.cases.models import Case, Consent
from pompolit.cases.services import check_case
from pompolit.members.models import Member

# The whitelist: everything a public page may ever show, and nothing else.
FIELDS = {
    "name": pgettext_lazy("of a person", "name"),
    "photo": gettext_lazy("photo"),
    "status": gettext_lazy("status"),
    "charges": gettext_lazy("charges"),
    "sentence": gettext_lazy("sentence"),
    "facility": gettext_lazy("facility and address for letters"),
    "birthday": gettext_lazy("birthday"),
    "story": gettext_lazy("short story"),
    "interests": gettext_lazy("interests (what to write about)"),
    # Court hearings (court, hall, time) on the public calendar and its feeds, with a call to
    # come (public/hearings.py). Closed hearings are never shown.
    "hearings": gettext_lazy("court hearings (court, hall, time) and a call to come"),
    # Not on the page: the public statements then show the expenses paid for the case on a
    # line of its own, under its public id (ledger/statements/services.py); without it they stay
    # inside their category.
    "expenses": gettext_lazy("expenses paid for the case (in the public accounts)"),
}


def latest(case: Case) -> Consent | None:
    return Consent.objects.filter(case=case).order_by("-pk").first()


def is_current(consent: Consent | None, today: datetime.date | None = None) -> bool:
    if consent is None or consent.withdrawn:
        return False
    today = today or timezone.localdate()
    return consent.expires_on is None or consent.expires_on >= today


def current(case: Case, today: datetime.date | None = None) -> Consent | None:
    """The consent in force for the case, or None: then nothing about it is public."""
    found = latest(case)
    return found if is_current(found, today) else None


def expenses_public(refs: Iterable[str], today: datetime.date | None = None) -> dict[str, str]:
    """Of the cases that expenses name (`case_ref`: the case's number in Pompolit or its
    public id), those whose consent in force allows publishing their expenses: ref -> the
    case's public id. The ledger calls this through POMPOLIT_LEDGER_PUBLIC_CASES (it does
    not import the register)."""
    wanted = {ref.strip() for ref in refs if ref.strip()}
    numbers = {int(ref) for ref in wanted if ref.isdigit()}
    found: dict[str, str] = {}
    for case in Case.objects.filter(Q(pk__in=numbers) | Q(public_id__in=wanted)):
        consent = current(case, today)
        if consent is None or "expenses" not in consent.scope:
            continue
        for ref in (str(case.pk), case.public_id):
            if ref in wanted:
                found[ref] = case.public_id
    return found


def history(case: Case) -> list[Consent]:
    return list(Consent.objects.filter(case=case).select_related("recorded_by").order_by("-pk"))


def give(actor: Member, case: Case, *, given_by: str, given_on: datetime.date,
         scope: Iterable[str], expires_on: datetime.date | None = None,
         story_ru: str = "", story_en: str = "", interests: str = "") -> Consent:
    """Record a consent; it replaces whatever was in force before."""
    check_case(actor, case)
    fields = sorted(set(scope))
    unknown = [f for f in fields if f not in FIELDS]
    if unknown:
        raise ValidationError({"scope": _("These fields cannot be published: %(fields)s.")
                               % {"fields": ", ".join(unknown)}})
    if "name" not in fields:
        raise ValidationError({"scope": _("A public page needs at least the name.")})
    if given_on > timezone.localdate():
        raise ValidationError({"given_on": _("A consent cannot be given in the future.")})
    if expires_on is not None and expires_on < given_on:
        raise ValidationError({"expires_on": _("The consent cannot end before it was given.")})
    if "story" in fields and not (story_ru.strip() or story_en.strip()):
        raise ValidationError({"story_ru": _("Write the story that was agreed to, or leave "
                                             "the story out of the scope.")})
    if "interests" in fields and not interests.strip():
        raise ValidationError({"interests": _("Write the interests that were agreed to, or "
                                              "leave the interests out of the scope.")})
    interests = ", ".join(i.strip() for i in interests.split(",") if i.strip())
    with transaction.atomic():
        consent = Consent.objects.create(
            case=case, given_by=given_by, given_on=given_on, scope=fields,
            interests=interests if "interests" in fields else "",
            expires_on=expires_on, story_ru=story_ru.strip() if "story" in fields else "",
            story_en=story_en.strip() if "story" in fields else "", recorded_by=actor,
        )
        record("cases.consent_given", actor=actor, obj=case, details={
            "consent": consent.pk, "given_by": given_by, "scope": fields,
            "expires_on": expires_on.isoformat() if expires_on else None,
        })
    return consent


def withdraw(actor: Member, case: Case, *, given_by: str,
             given_on: datetime.date | None = None) -> Consent:
    """Take the page down: a withdrawal record; the consents before it stay in the history."""
    check_case(actor, case)
    if current(case) is None:
        raise ValidationError(_("There is no consent in force to withdraw."))
    with transaction.atomic():
        consent = Consent.objects.create(
            case=case, withdrawn=True, given_by=given_by,
            given_on=given_on or timezone.localdate(), scope=[], recorded_by=actor,
        )
        record("cases.consent_withdrawn", actor=actor, obj=case,
               details={"consent": consent.pk, "given_by": given_by})
    return consent
