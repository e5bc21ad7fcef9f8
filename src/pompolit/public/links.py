"""The actions beside each prisoner on the public pages: write a letter, donate.

Neither is this app's to do. Letters are the `letters` app's: the link goes to its page for
writing to a prisoner, and shows only for those a stranger may write to now
(`letters.pick.writable`: consent naming the address for letters, still held, a facility
that lets strangers write). Donations are taken by the group's own donation
page (settings.POMPOLIT_PUBLIC_DONATE_URL); a case fund whose reference is the case's public id
is named to it, so the money lands in that prisoner's fund.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

from pompolit.ledger.models import Fund, FundKind
from pompolit.letters.pick import writable


def letter_urls(public_ids: Iterable[str]) -> dict[str, str]:
    """public id -> the page to write to that prisoner, for those who may be written to."""
    return {pid: reverse("letter_write", kwargs={"public_id": pid})
            for pid in writable(list(public_ids))}


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
