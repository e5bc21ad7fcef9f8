"""How the trail says what happened to letters (audit/descriptions.py), in the reader's
language, from the ids and codes each entry keeps: never a letter's text or its writer."""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy

from pompolit.aid.vocabulary import language_label
from pompolit.audit.descriptions import day, describe_as, label
from pompolit.audit.models import AuditEntry
from pompolit.letters.models import Campaign, Status


def _step(entry: AuditEntry) -> dict[str, str]:
    return {"from": label(Status.choices, entry.details.get("from")),
            "on": day(entry.details.get("on"))}


def _campaign_fields(names: object) -> str:
    """The fields an edit changed, by their names in the reader's language."""
    listed = names if isinstance(names, list | tuple) else [names] if names else []
    shown = []
    for name in listed:
        try:
            field = Campaign._meta.get_field(str(name))
        except FieldDoesNotExist:
            shown.append(str(name))
            continue
        shown.append(str(getattr(field, "verbose_name", name)))
    return ", ".join(shown)


def _languages(codes: object) -> str:
    listed = codes if isinstance(codes, list | tuple) else [codes] if codes else []
    return ", ".join(language_label(str(code)) for code in listed) or "—"


STEPS = {
    Status.APPROVED: gettext_lazy("Letter #%(object)s approved (case #%(case)s), %(on)s"),
    Status.SENT_BACK: gettext_lazy(
        "Letter #%(object)s sent back to its writer with a suggestion (case #%(case)s), %(on)s"),
    Status.REJECTED: gettext_lazy("Letter #%(object)s rejected (case #%(case)s), %(on)s"),
    Status.SENT: gettext_lazy("Letter #%(object)s sent (case #%(case)s), %(on)s"),
    Status.DELIVERED: gettext_lazy("Letter #%(object)s delivered (case #%(case)s), %(on)s"),
    Status.BLOCKED: gettext_lazy(
        "Letter #%(object)s blocked by the censor (case #%(case)s), %(on)s"),
    Status.RETURNED: gettext_lazy("Letter #%(object)s returned (case #%(case)s), %(on)s"),
}
for status, template in STEPS.items():
    describe_as(f"letters.letter_{status}", template, _step)

describe_as(
    "letters.letter_written",
    gettext_lazy("A letter #%(object)s was written to case #%(case)s (%(language)s, "
                 "images: %(images)s)"),
    lambda entry: {"language": language_label(str(entry.details.get("language") or "?"))},
)
describe_as(
    "letters.reply_added",
    gettext_lazy("A reply to letter #%(object)s was added, received %(on)s"),
    lambda entry: {"on": day(entry.details.get("on"))},
)
describe_as(
    "letters.rules_changed",
    gettext_lazy("Changed the letter rules of facility #%(object)s"),
)
describe_as(
    "letters.batch_printed",
    gettext_lazy("Printed letters to send (%(format)s): letters: %(letters)s"),
    lambda entry: {"format": str(entry.details.get("format", "?")).upper()},
)
describe_as(
    "letters.batch_queued",
    gettext_lazy("Asked for the PDF of letters to send, laid out in the background: letters: "
                 "%(letters)s"),
)
describe_as(
    "letters.kit_printed",
    gettext_lazy("Printed the cards for a letter evening: cards: %(cards)s"),
)
describe_as(
    "letters.campaign_created",
    gettext_lazy("Made the letter campaign #%(object)s, %(from)s – %(to)s"),
    lambda entry: {"from": day(entry.details.get("from")), "to": day(entry.details.get("to"))},
)
describe_as(
    "letters.campaign_edited",
    gettext_lazy("Changed the letter campaign #%(object)s (%(fields)s), now %(from)s – %(to)s"),
    lambda entry: {"from": day(entry.details.get("from")), "to": day(entry.details.get("to")),
                   "fields": _campaign_fields(entry.details.get("changed"))},
)
describe_as(
    "letters.paper_entered",
    gettext_lazy("Entered letters written on paper to case #%(case)s: %(letters)s, written "
                 "%(on)s"),
    lambda entry: {"on": day(entry.details.get("on"))},
)
describe_as(
    "letters.paper_sheet_printed",
    gettext_lazy("Printed the sheet of a letter evening: prisoners: %(prisoners)s"),
)
describe_as(
    "letters.translator_languages",
    gettext_lazy("Declared the languages they translate letters from: %(languages)s"),
    lambda entry: {"languages": _languages(entry.details.get("languages"))},
)
describe_as(
    "letters.translation_opened",
    gettext_lazy("Opened letter #%(object)s to translate it (case #%(case)s, %(language)s)"),
    lambda entry: {"language": language_label(str(entry.details.get("language") or "?"))},
)
describe_as(
    "letters.translated",
    gettext_lazy("Translated letter #%(object)s (case #%(case)s) from %(from)s into %(to)s"),
    lambda entry: {"from": language_label(str(entry.details.get("from") or "?")),
                   "to": language_label(str(entry.details.get("to") or "?"))},
)
describe_as(
    "letters.birthday_card_printed",
    gettext_lazy("Printed a birthday card for case #%(object)s"),
)
