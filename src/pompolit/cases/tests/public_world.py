"""A published case for the URL × role access matrix: the matrix's case, with a consent."""

from __future__ import annotations

import datetime
from typing import Any

from pompolit.cases.models import Case, Consent
from pompolit.cases.testing import matrix


def matrix_public_case(world: Any) -> Case:
    case = matrix(world).case
    if not Consent.objects.filter(case=case).exists():
        Consent.objects.create(case=case, given_by="prisoner",
                               given_on=datetime.date(1922, 3, 1), scope=["name"])
    return case
