"""The case registry: people and their names, cases, events, facilities and their rules.

Visibility is by compartment: a case belongs to one, and `services.visible_cases(member)` is the
one query every page starts from. What could hurt a relative or the prisoner if the server were
seized (relatives, the lawyer's contact, medical needs, confidential notes) is encrypted by the
vault under the compartment's key. Names are stored in clear: the search needs their keys, and
the keys would give the names away anyway.

One module per feature; the app label stays `cases`, and everything is imported from here
(`from pompolit.cases.models import Case`).
"""

from pompolit.cases.duplicates.models import (
    DuplicateCandidate,
    DuplicateDecision,
    PersonMerge,
    PublicIdRedirect,
)
from pompolit.cases.models.cases import (
    PUBLIC_ID_ALPHABET,
    PUBLIC_ID_LENGTH,
    Case,
    CaseWord,
    Charge,
    Event,
    Priority,
    Relationship,
    Relative,
    new_public_id,
)
from pompolit.cases.models.consent import Consent, ConsentGiver
from pompolit.cases.models.facilities import Facility, FacilityRule
from pompolit.cases.models.hearings import (
    HEARING_EVENT_TYPES,
    Hearing,
    HearingKind,
    HearingOutcome,
)
from pompolit.cases.models.io import ImportedRow, SensitiveExport
from pompolit.cases.models.people import CoarseKey, NameKey, NameKind, Person, PersonName
from pompolit.cases.models.vocabularies import (
    CaseStatus,
    CustodyEffect,
    EventType,
    FacilityType,
    Regime,
    Term,
)

__all__ = [
    "HEARING_EVENT_TYPES",
    "PUBLIC_ID_ALPHABET",
    "PUBLIC_ID_LENGTH",
    "Case",
    "CaseStatus",
    "CaseWord",
    "Charge",
    "CoarseKey",
    "Consent",
    "ConsentGiver",
    "CustodyEffect",
    "DuplicateCandidate",
    "DuplicateDecision",
    "Event",
    "EventType",
    "Facility",
    "FacilityRule",
    "FacilityType",
    "Hearing",
    "HearingKind",
    "HearingOutcome",
    "ImportedRow",
    "NameKey",
    "NameKind",
    "Person",
    "PersonMerge",
    "PersonName",
    "Priority",
    "PublicIdRedirect",
    "Regime",
    "Relationship",
    "Relative",
    "SensitiveExport",
    "Term",
    "new_public_id",
]
