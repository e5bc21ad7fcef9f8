"""How the trail says what happened to letters (audit/descriptions.py), in the reader's
language, from the ids and codes each entry keeps: never a letter's text or its writer."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from pompolit.aid.vocabulary import language_label
from pompolit.audit.descriptions import day, describe_as, label
from pompolit.audit.models import AuditEntry
from pompolit.letters.models import Status


def _step(entry: AuditEntry) -> dict[str, str]:
    return {"from": label(Status.choices, entry.details.get("from")),
            "on": day(entry.details.get("on"))}


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
    "letters.kit_printed",
    gettext_lazy("Printed the cards for a letter evening: cards: %(cards)s"),
)
