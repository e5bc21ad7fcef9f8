"""Test builders of the public site (used by the access matrix)."""

from __future__ import annotations

from typing import Any

from pompolit.cases.testing import matrix_public_case
from pompolit.public.models import InaccuracyReport


def matrix_report(world: Any) -> InaccuracyReport:
    """A report on the matrix's published case, with no text: the matrix's vault is sealed,
    and it only checks who is let through."""
    case = matrix_public_case(world)
    found = InaccuracyReport.objects.filter(case=case).first()
    if found is not None:
        return found
    return InaccuracyReport.objects.create(case=case, compartment=case.compartment,
                                           text=None)  # type: ignore[misc]
