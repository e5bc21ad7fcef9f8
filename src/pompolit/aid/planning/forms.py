"""What the planning pages send, parsed: a prisoner's needs a month (`NeedsForm`, on the case's
aid page), and the plan page's budgets and adjusted lines. Parsing only; the services decide
(`planning/needs.py`, `planning/services.py`)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pompolit.aid.models import MAX_NEEDED
from pompolit.aid.planning.services import PlanLine

_LINE = re.compile(r"^q-(\d+)-([a-z0-9-]+)-([a-z0-9:_-]+)$")


class NeedsForm(forms.Form):
    """A prisoner's needs a month (planning/needs.py): whole numbers, 0 to the maximum."""

    parcels = forms.IntegerField(label=gettext_lazy("Food parcels a month"), min_value=0,
                                 max_value=MAX_NEEDED["parcels"])
    transfers = forms.IntegerField(label=gettext_lazy("Money transfers a month"), min_value=0,
                                   max_value=MAX_NEEDED["transfers"])
    letters = forms.IntegerField(label=gettext_lazy("Letters a month"), min_value=0,
                                 max_value=MAX_NEEDED["letters"])


def budget_specs(post: Mapping[str, Any], balances: Iterable[Mapping[str, Any]]) -> list[str]:
    """`FUND=AMOUNT CURRENCY` for every fund balance given an amount on the page."""
    specs = []
    for balance in balances:
        amount = str(post.get(balance["name"], ""))
        if amount.strip():
            specs.append(f"{balance['fund'].code}={amount.strip()} {balance['currency']}")
    return specs


def plan_lines(post: Mapping[str, Any]) -> list[PlanLine]:
    """The lines as the coordinator left them: `q-<case>-<item>-<fund>` the quantity, and
    `fund-<case>-<item>-<fund>` another fund chosen for the line."""
    lines = []
    for key, value in post.items():
        found = _LINE.match(key)
        if found is None:
            continue
        try:
            quantity = int(str(value))
        except ValueError:
            raise ValidationError(_("Quantities are whole numbers.")) from None
        case_id, item, fund = int(found.group(1)), found.group(2), found.group(3)
        # The coordinator may have chosen another fund for the line.
        fund = str(post.get(f"fund-{case_id}-{item}-{fund}", fund))
        lines.append(PlanLine(case_id, item, fund, quantity))
    return lines
