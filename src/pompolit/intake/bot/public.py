"""The one place the bot meets the public intake (intake/public/services.py): the bot asks the
web form's questions and sends its answers through the same door, so a report from Telegram
is checked, routed, quarantined and coded exactly as one from the form."""

from __future__ import annotations

from pompolit.intake.public.codes import grouped
from pompolit.intake.public.photos import most as most_photos
from pompolit.intake.public.photos import submit_with_photos
from pompolit.intake.public.services import (
    PublicAnswers,
    PublicStatus,
    Refused,
    Submitted,
    has_letter,
    open_cities,
    status_for_code,
    submit_public_report,
)

__all__ = [
    "PublicAnswers",
    "PublicStatus",
    "Refused",
    "Submitted",
    "grouped",
    "has_letter",
    "most_photos",
    "open_cities",
    "status_for_code",
    "submit_public_report",
    "submit_with_photos",
]
