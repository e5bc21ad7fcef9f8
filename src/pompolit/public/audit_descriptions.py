"""How the trail says what happened on the public side (audit/descriptions.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from pompolit.audit.descriptions import describe_as, label
from pompolit.public.models import ReportState

describe_as(
    "public.inaccuracy_reported",
    gettext_lazy("A visitor of the public page of case #%(object)s reported an inaccuracy "
                 "(report #%(report)s)"),
)
describe_as(
    "public.inaccuracy_closed",
    gettext_lazy("Closed report #%(report)s on case #%(object)s as %(state)s"),
    lambda entry: {"state": label(ReportState.choices, entry.details.get("state"))},
)
