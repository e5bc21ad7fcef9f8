"""The ledger's settings, with their defaults (set them in settings or the environment)."""

import os

from django.conf import settings

LOG_NAME = "ledger"


def date_granularity() -> str:
    """How precisely a leaf publishes an entry's date: "month" (default), "day" or "year"."""
    return str(getattr(settings, "POMPOLIT_LEDGER_DATE_GRANULARITY", None)
               or os.environ.get("POMPOLIT_LEDGER_DATE_GRANULARITY") or "month")


def base_currency() -> str:
    """The currency reports are converted into."""
    return str(getattr(settings, "POMPOLIT_LEDGER_BASE_CURRENCY", None)
               or os.environ.get("POMPOLIT_LEDGER_BASE_CURRENCY") or "RUB")
