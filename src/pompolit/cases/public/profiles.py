"""The public projection of a case: only what its consent in force allows, nothing else.

Public pages render a `PublicProfile`, never a Case, so a field can reach them only through
`profile()`, which copies the fields named in the consent's scope (whitelisted in
`consent.FIELDS`). Without a consent in force there is no profile at all.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone, translation

from pompolit.cases.facilities import addresses
from pompolit.cases.models import Case, Consent, NameKey
from pompolit.cases.public.consent import is_current
from pompolit.cases.release import expected_release
from pompolit.names import query_key_groups

LIMIT = 200


@dataclass(frozen=True)
class PublicProfile:
    # The case's public id, never its pk: public addresses must not count the cases.
    public_id: str
    name: str
    has_photo: bool = False
    status: str = ""
    status_code: str = ""
    charges: list[str] = field(default_factory=list)
    sentence: str = ""
    facility: str = ""
    region: str = ""
    letter_address: list[str] = field(default_factory=list)
    birthday: str = ""
    story: str = ""
    story_language: str = ""
    # For the public list's filters, each only with the field it comes from.
    sentence_months: int | None = None
    # Published with the sentence: the expected release (ISO, maybe partial) and whether it is
    # an estimate from the arrest and the sentence (cases/release.py).
    expected_release: str = ""
    release_estimated: bool = False
    age: int | None = None
    birth_month_day: tuple[int, int] | None = None
    city: str = ""
    receives_letters: bool | None = None
    interests: list[str] = field(default_factory=list)


def _story(consent: Consent) -> tuple[str, str]:
    """The story in the reader's language, else in the other one (and say which)."""
    first, second = ("en", "ru") if translation.get_language() == "en" else ("ru", "en")
    for language in (first, second):
        text = getattr(consent, f"story_{language}")
        if text:
            return text, language
    return "", ""


def _age(born: object, today: datetime.date) -> tuple[int | None, tuple[int, int] | None]:
    """The age in full years and the (month, day) of the birthday, as far as the partial date
    knows them: a year alone gives an age to within one year (the lower one), and no day."""
    year = getattr(born, "year", None)
    month, day = getattr(born, "month", None), getattr(born, "day", None)
    if not year:
        return None, None
    age = today.year - year
    if month and day:
        age -= (today.month, today.day) < (month, day)
        return age, (month, day)
    return age - 1 if not month or today.month <= month else age, None


def charge_text(code: str, article: str, text: str) -> str:
    return " ".join(p for p in (code, article, f"— {text}" if text else "") if p)


def profile(case: Case, consent: Consent | None,
            today: datetime.date | None = None) -> PublicProfile | None:
    if not is_current(consent, today):
        return None
    assert consent is not None
    scope = set(consent.scope)
    values: dict[str, object] = {"public_id": case.public_id,
                                 "name": case.person.display_name}
    # Only whether there is one: the photo itself is served by photos/views.public_case_photo,
    # which asks the consent again.
    values["has_photo"] = "photo" in scope and case.__dict__.get("photo") is not None
    if "status" in scope:
        values.update(status=case.status.label, status_code=case.status.code)
    if "charges" in scope:
        values["charges"] = [charge_text(c.code, c.article, c.text) for c in case.charges.all()]
    if "sentence" in scope:
        regime = case.sentence_regime.label if case.sentence_regime else ""
        values["sentence"] = ", ".join(p for p in (case.sentence_term, regime) if p)
        values["sentence_months"] = case.sentence_months
        if case.status.code != "released":
            release, values["release_estimated"] = expected_release(case)
            values["expected_release"] = str(release) if release else ""
    facility = case.current_facility
    if "facility" in scope and facility is not None:
        values.update(facility=facility.name, region=facility.region, city=facility.city,
                      receives_letters=case.receives_letters)
        # The post wants the year of birth beside the name, but only if the birthday is public.
        recipient = (addresses.recipient_line(case) if "birthday" in scope
                     else case.person.display_name)
        values["letter_address"] = [recipient, *addresses.facility_address(facility)]
    if "birthday" in scope and case.person.birth_date is not None:
        born = case.person.birth_date
        values["birthday"] = str(born)
        values["age"], values["birth_month_day"] = _age(born, today or timezone.localdate())
    if "story" in scope:
        values["story"], values["story_language"] = _story(consent)
    if "interests" in scope:
        values["interests"] = [i.strip() for i in consent.interests.split(",") if i.strip()]
    return PublicProfile(**values)  # type: ignore[arg-type]


# What the public list filters and sorts on, read as plain rows (`facets`): projecting every
# case of a long list through `profile()` builds six model instances per case (seconds for
# 5,000; bench/public_bench.py). The list projects only its page through `profile()`.
FACET_COLUMNS = ("pk", "scope", "withdrawn", "expires_on", "interests", "case_id",
                 "case__public_id", "case__person__display_name", "case__person__birth_date",
                 "case__status__code", "case__sentence_months", "case__receives_letters",
                 "case__current_facility__name", "case__current_facility__region",
                 "case__current_facility__city")


def facets(consents: QuerySet[Consent], today: datetime.date, *,
           with_charges: bool = False) -> list[tuple[int, PublicProfile]]:
    """(consent pk, a profile holding only the fields the list's filters and sorts read),
    under the same scope rules as `profile()` (tests/test_public.py checks that they agree).
    Charges only when asked for (the article filter): one more query."""
    rows = list(consents.select_related(None).prefetch_related(None)
                .values_list(*FACET_COLUMNS))
    charges: dict[int, list[str]] = {}
    if with_charges:
        from pompolit.cases.models import Charge

        for case_id, code, article, text in (
                Charge.objects.filter(case_id__in=[r[5] for r in rows if "charges" in r[1]])
                .order_by("pk").values_list("case_id", "code", "article", "text")):
            charges.setdefault(case_id, []).append(charge_text(code, article, text))
    found = []
    for (pk, scope, withdrawn, expires_on, interests, case_id, public_id, name, born, status,
         months, letters, facility, region, city) in rows:
        if withdrawn or (expires_on is not None and expires_on < today):
            continue
        values: dict[str, object] = {"public_id": public_id, "name": name}
        if "status" in scope:
            values["status_code"] = status
        if "charges" in scope:
            values["charges"] = charges.get(case_id, [])
        if "sentence" in scope:
            values["sentence_months"] = months
        if "facility" in scope and facility is not None:
            values.update(facility=facility, region=region, city=city,
                          receives_letters=letters)
        if "birthday" in scope and born is not None:
            values["age"], values["birth_month_day"] = _age(born, today)
        if "interests" in scope:
            values["interests"] = [i.strip() for i in interests.split(",") if i.strip()]
        found.append((pk, PublicProfile(**values)))  # type: ignore[arg-type]
    return found


def published_consents(today: datetime.date) -> QuerySet[Consent]:
    """The consents in force: the latest record of each case, not a withdrawal, not expired."""
    latest = Consent.objects.filter(case=OuterRef("case")).order_by("-pk").values("pk")[:1]
    return (
        Consent.objects.filter(pk=Subquery(latest), withdrawn=False)
        .exclude(expires_on__lt=today)
        .select_related("case__person", "case__status", "case__current_facility",
                        "case__sentence_regime")
        .prefetch_related("case__charges")
    )


def published_case(public_id: str, today: datetime.date | None = None
                   ) -> PublicProfile | None:
    today = today or timezone.localdate()
    consent = published_consents(today).filter(case__public_id=public_id).first()
    return profile(consent.case, consent, today) if consent else None


def published_cases(text: str = "", *, region: str = "", status: str = "",
                    today: datetime.date | None = None) -> list[PublicProfile]:
    """The public list. Names are found by the keys of the primary name only: another
    spelling or a former name is not public, and finding someone by it would tell it."""
    today = today or timezone.localdate()
    consents = published_consents(today)
    for group in query_key_groups(" ".join(text.split())):
        consents = consents.filter(Exists(NameKey.objects.filter(
            person_id=OuterRef("case__person_id"), name__is_primary=True,
            key__in=sorted(group))))
    profiles = [profile(c.case, c, today)
                for c in consents.order_by("case__person__display_name", "pk")[:LIMIT]]
    # Filters look only at what is published: an unpublished region or status matches nothing.
    return [p for p in profiles if p is not None
            and (not region or p.region == region)
            and (not status or p.status_code == status)]
