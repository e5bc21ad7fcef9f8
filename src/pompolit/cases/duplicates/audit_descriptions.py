"""How the trail says what was decided and merged about people registered twice
(audit/descriptions.py): in the reader's language, from the ids each entry keeps."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from pompolit.audit.descriptions import describe_as, label
from pompolit.cases.duplicates.models import Verdict

describe_as(
    "cases.duplicate_decided",
    gettext_lazy("People #%(people)s: %(verdict)s"),
    lambda entry: {"verdict": label(Verdict.choices, entry.details.get("verdict"))},
)
describe_as(
    "cases.duplicates_scanned",
    gettext_lazy(
        "Looked for people registered twice: people compared: %(people)s, pairs to review: "
        "%(pairs)s, left out as decided before: %(left_out_as_decided)s"
    ),
)
describe_as(
    "cases.people_merged",
    gettext_lazy("Merged person #%(merged)s into person #%(survivor)s (cases moved: %(cases)s)"),
)
describe_as(
    "cases.merge_undone",
    gettext_lazy(
        "Undid the merge of person #%(merged)s into person #%(survivor)s (cases moved back: "
        "%(cases)s)"
    ),
)
