"""What an audit entry says, in words, in the reader's language — built when it is read.

The trail stores facts (ids, pseudonyms, amounts, codes), never sentences: a sentence stored
at write time is in the writer's language for ever. Each app registers, beside what it
records, how to say each of its actions (`describe_as` with a lazily translated template, or
`describes` with a function for what needs a lookup or a label). `describe(entry)` renders it
in the active language; an entry no describer knows shows the English sentence older
versions stored (`details["summary"]`), or nothing. See docs/audit.md, "How entries read".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pompolit.audit.models import AuditEntry
from pompolit.audit.services import BULK_READ, HEAD_EXPORTED, VERIFIED

Describer = Callable[[AuditEntry], str]
DESCRIBERS: dict[str, Describer] = {}


class Facts(dict[str, Any]):
    """An entry's facts for a template: a fact an older entry lacks reads as "?"."""

    def __missing__(self, key: str) -> str:
        return "?"


def facts(entry: AuditEntry, **extra: Any) -> Facts:
    """The entry's details (lists joined with commas), its object's id as `object` and the
    actor's pseudonym as `actor`, then `extra`."""
    found = Facts()
    for key, value in (entry.details or {}).items():
        if isinstance(value, list | tuple):
            value = ", ".join(str(v) for v in value)
        found[key] = "?" if value is None or value == "" else value
    found["object"] = entry.object_id or "?"
    found["actor"] = entry.actor_label or "?"
    found.update(extra)
    return found


def describes(*actions: str) -> Callable[[Describer], Describer]:
    """Register a function that says what an entry of these actions did."""

    def register(describer: Describer) -> Describer:
        for action in actions:
            DESCRIBERS[action] = describer
        return describer

    return register


def describe_as(
    action: str, template: Promise, extra: Callable[[AuditEntry], Mapping[str, Any]] | None = None
) -> None:
    """Register a template (gettext_lazy, with %(name)s facts from `facts`) for an action;
    `extra` adds facts that need a label or a lookup."""

    def describer(entry: AuditEntry) -> str:
        return str(template) % facts(entry, **(extra(entry) if extra else {}))

    DESCRIBERS[action] = describer


def label(choices: Iterable[tuple[str, Any]], code: Any) -> str:
    """The translated label of a stored code, or the code as it is if it is not (any more)
    one of the choices."""
    return str(dict(choices).get(code, code if code not in (None, "") else "?"))


def describe(entry: AuditEntry) -> str:
    describer = DESCRIBERS.get(entry.action)
    if describer is not None:
        return describer(entry)
    stored = (entry.details or {}).get("summary")
    return stored if isinstance(stored, str) else ""


def with_descriptions(entries: Iterable[AuditEntry]) -> list[AuditEntry]:
    """The entries, each with its `description` set, for a template."""
    described = list(entries)
    for entry in described:
        entry.description = describe(entry)  # type: ignore[attr-defined]
    return described


# -- the trail's own entries ----------------------------------------------------------------


def thing(entry: AuditEntry) -> str:
    """What the entry is about, in words: "case #12", "дело №12" (the model's own name)."""
    from django.apps import apps

    try:
        model = apps.get_model(entry.object_type) if entry.object_type else None
    except (LookupError, ValueError):
        model = None
    name = str(model._meta.verbose_name) if model is not None else _("record")
    return _("%(thing)s #%(id)s") % {"thing": name, "id": entry.object_id or "?"}


def _verified(entry: AuditEntry) -> str:
    if entry.details.get("intact"):
        return _("Checked the chain: %(entries)s entries, intact") % facts(entry)
    return _("Checked the chain: broken") % facts(entry)


describes(VERIFIED)(_verified)
describe_as(
    BULK_READ,
    gettext_lazy(
        "%(member)s read %(reads)s sensitive records within an hour (the limit is %(limit)s)."
    ),
)
describe_as(
    "read.sensitive",
    gettext_lazy("Read the sensitive fields of %(thing)s"),
    lambda entry: {"thing": thing(entry)},
)
describe_as(HEAD_EXPORTED, gettext_lazy("Exported the signed head at entry #%(seq)s"))


def day(value: Any) -> str:
    """A stored ISO date ("2026-03-15") as the reader's language writes dates."""
    import datetime

    from django.utils.formats import date_format

    try:
        return date_format(datetime.date.fromisoformat(str(value)[:10]), "SHORT_DATE_FORMAT")
    except ValueError:
        return str(value if value not in (None, "") else "?")
