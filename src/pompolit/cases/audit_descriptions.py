"""How the trail says what was done to cases, facilities, lists and vocabularies
(audit/descriptions.py): in the reader's language, from the ids and codes each entry keeps."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from pompolit.audit.descriptions import describe_as, label
from pompolit.audit.models import AuditEntry
from pompolit.cases.models import ConsentGiver, EventType, NameKind
from pompolit.cases.vocabularies.services import VOCABULARIES
from pompolit.members.models import Compartment


def _compartment_name(key: object, *, by: str) -> str:
    found = Compartment.objects.filter(**{by: key}).values_list("name", flat=True).first()
    return found or str(key if key not in (None, "") else "?")


def _compartment(entry: AuditEntry) -> dict[str, str]:
    """The compartment an entry is about (its object) or names (by slug)."""
    slug = entry.details.get("compartment")
    if slug:
        return {"compartment": _compartment_name(str(slug), by="slug")}
    pk = entry.object_id
    return {"compartment": _compartment_name(int(pk), by="pk") if pk.isdigit() else "?"}


def _moved(entry: AuditEntry) -> dict[str, str]:
    return {
        "source": _compartment_name(str(entry.details.get("from")), by="slug"),
        "target": _compartment_name(str(entry.details.get("to")), by="slug"),
    }


def _event_type(entry: AuditEntry) -> dict[str, str]:
    term = EventType.objects.filter(code=str(entry.details.get("type"))).first()
    return {"type": term.label if term is not None else str(entry.details.get("type", "?"))}


def _term(entry: AuditEntry) -> dict[str, str]:
    vocabulary = VOCABULARIES.get(str(entry.details.get("vocabulary")))
    if vocabulary is None:
        return {"vocabulary": "?", "term": str(entry.details.get("code", "?"))}
    term = vocabulary.model._default_manager.filter(code=str(entry.details.get("code"))).first()
    return {
        "vocabulary": str(vocabulary.title),
        "term": term.label if term is not None else str(entry.details.get("code", "?")),
    }


def _format(entry: AuditEntry) -> dict[str, str]:
    return {"format": str(entry.details.get("format", "?")).upper()}


describe_as(
    "cases.case_opened",
    gettext_lazy("Opened case #%(object)s in the compartment %(compartment)s"),
    _compartment,
)
describe_as("cases.case_updated", gettext_lazy("Changed case #%(object)s"))
describe_as("cases.person_updated", gettext_lazy("Changed the date of birth in case #%(object)s"))
describe_as(
    "cases.private_updated", gettext_lazy("Changed the encrypted details of case #%(object)s")
)
describe_as(
    "cases.name_added",
    gettext_lazy("Added a name (%(kind)s) to case #%(object)s"),
    lambda entry: {"kind": label(NameKind.choices, entry.details.get("kind"))},
)
describe_as("cases.charge_added", gettext_lazy("Added a charge to case #%(object)s"))
describe_as(
    "cases.event_added", gettext_lazy("Added an event (%(type)s) to case #%(object)s"), _event_type
)
describe_as(
    "cases.event_removed",
    gettext_lazy("Removed an event (%(type)s) from case #%(object)s"),
    _event_type,
)
describe_as("cases.hearing_outcome",
            gettext_lazy("Recorded the outcome of a hearing in case #%(object)s"))
describe_as("cases.relative_added", gettext_lazy("Added a relative to case #%(object)s"))
describe_as("cases.photo_set", gettext_lazy("Set the photo of case #%(object)s"))
describe_as("cases.photo_removed", gettext_lazy("Removed the photo of case #%(object)s"))
describe_as(
    "cases.consent_given",
    gettext_lazy("Recorded consent to publish case #%(object)s, given by %(who)s"),
    lambda entry: {"who": label(ConsentGiver.choices, entry.details.get("given_by"))},
)
describe_as(
    "cases.consent_withdrawn",
    gettext_lazy("Recorded that %(who)s withdrew consent to publish case #%(object)s"),
    lambda entry: {"who": label(ConsentGiver.choices, entry.details.get("given_by"))},
)
describe_as(
    "cases.case_moved",
    gettext_lazy("Moved case #%(object)s from the compartment %(source)s to %(target)s"),
    _moved,
)
describe_as("cases.facility_created", gettext_lazy("Added facility #%(object)s"))
describe_as(
    "cases.facility_rule_added",
    gettext_lazy("Added a rule to facility #%(object)s, valid from %(from)s"),
)
describe_as(
    "cases.exported",
    gettext_lazy("Exported the compartment %(compartment)s as %(format)s; cases: %(cases)s"),
    lambda entry: {**_compartment(entry), **_format(entry)},
)
describe_as(
    "cases.sensitive_export_approved",
    gettext_lazy(
        "An export of the encrypted fields of the compartment %(compartment)s "
        "for %(requested_by)s was approved (request #%(approval)s)"
    ),
    _compartment,
)
describe_as(
    "cases.sensitive_export_downloaded",
    gettext_lazy(
        "Downloaded the encrypted fields of the compartment %(compartment)s "
        "as %(format)s; cases: %(cases)s"
    ),
    lambda entry: {**_compartment(entry), **_format(entry)},
)
describe_as(
    "cases.list_imported",
    gettext_lazy(
        "Imported a list into the compartment %(compartment)s: rows: "
        "%(rows)s, new cases: %(created)s, skipped: %(skipped)s"
    ),
    _compartment,
)
describe_as("cases.synthetic_generated", gettext_lazy("Generated synthetic test cases: %(cases)s"))
describe_as("cases.term_added", gettext_lazy("Added “%(term)s” to the list %(vocabulary)s"), _term)
describe_as(
    "cases.term_updated", gettext_lazy("Changed “%(term)s” in the list %(vocabulary)s"), _term
)
describe_as(
    "cases.term_reactivated",
    gettext_lazy("Offered “%(term)s” again in the list %(vocabulary)s"),
    _term,
)
describe_as(
    "cases.term_deactivated",
    gettext_lazy("Stopped offering “%(term)s” in the list %(vocabulary)s"),
    _term,
)
describe_as(
    "cases.term_deleted", gettext_lazy("Deleted “%(term)s” from the list %(vocabulary)s"), _term
)
