"""The actions beside each prisoner on the public pages: write a letter, donate.

Neither is this app's to do. Letters are the `letters` app's: its page for writing to a
prisoner, if it is installed, is the URL named `letter_to_prisoner` taking `public_id`, and
the link shows only when that name resolves. Donations are taken by the group's own donation
page (settings.POMPOLIT_PUBLIC_DONATE_URL); a case fund whose reference is the case's public id
is named to it, so the money lands in that prisoner's fund.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlencode

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from pompolit.ledger.models import Fund, FundKind

LETTER_URL_NAME = "letter_to_prisoner"


def letter_url(public_id: str) -> str:
    try:
        return reverse(LETTER_URL_NAME, kwargs={"public_id": public_id})
    except NoReverseMatch:
        return ""


def donate_urls(public_ids: Iterable[str]) -> dict[str, str]:
    """public id -> where to donate for that prisoner; empty without a donation page."""
    page = str(getattr(settings, "POMPOLIT_PUBLIC_DONATE_URL", "") or "")
    wanted = list(public_ids)
    if not page:
        return {}
    funds = dict(Fund.objects.filter(kind=FundKind.CASE, case_ref__in=wanted)
                 .values_list("case_ref", "code"))
    joiner = "&" if "?" in page else "?"
    return {pid: (f"{page}{joiner}{urlencode({'fund': funds[pid]})}" if pid in funds else page)
            for pid in wanted}
