"""Canaries for the vault's seizure test: a lawyer on duty's name and phone, a shift log entry's
text (called from `intake.seizure.seed`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def seed(canary: Callable[..., str], compartment: Any, member: Any) -> None:
    from django.utils import timezone

    from pompolit.intake.models import DutyLawyer, ShiftLogEntry

    DutyLawyer.objects.create(
        compartment=compartment,
        name=canary("intake.DutyLawyer.name"),
        phone=canary("intake.DutyLawyer.phone", "phone"),
        capacity=3,
        on_duty_from=timezone.now(),
    )
    ShiftLogEntry.objects.create(
        compartment=compartment,
        author=member,
        kind="note",
        text=canary("intake.ShiftLogEntry.text"),
    )
