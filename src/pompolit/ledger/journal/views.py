"""The treasurer's lists: the journal, one entry, the donations; correcting a donation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pompolit.core.views import add_errors
from pompolit.ledger import receipts
from pompolit.ledger.journal import services as journal
from pompolit.ledger.journal.forms import CorrectionForm, DonationFilterForm, JournalFilterForm
from pompolit.ledger.models import Donation, Entry
from pompolit.members.approvals import ApprovalError
from pompolit.members.policy import BOOKS_READERS, TREASURER, MemberRequest, requires
from pompolit.members.roles import Role

PER_PAGE = 50


def _page(request: MemberRequest, found: Any) -> Page[Any]:
    return Paginator(found, PER_PAGE).get_page(request.GET.get("page"))


@requires(BOOKS_READERS)
@require_GET
def journal_list(request: MemberRequest) -> HttpResponse:
    form = JournalFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else journal.Filters()
    page = _page(request, journal.journal_entries(filters))
    return render(request, "ledger/journal.html", {
        "form": form, "page": page, "rows": journal.entry_rows(list(page.object_list)),
    })


@requires(BOOKS_READERS)
@require_GET
def journal_entry(request: MemberRequest, leaf: int) -> HttpResponse:
    entry = get_object_or_404(journal.journal_entries(journal.Filters()), leaf_index=leaf)
    donation = Donation.objects.filter(entry=entry).select_related("fund", "campaign").first()
    return render(request, "ledger/journal_entry.html", {
        "row": journal.entry_rows([entry])[0], "donation": donation,
        "can_correct": (donation is not None and request.user.has_role(Role.TREASURER)
                        and not hasattr(entry, "reversal")),
    })


@requires(BOOKS_READERS)
@require_GET
def donation_list(request: MemberRequest) -> HttpResponse:
    form = DonationFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else journal.Filters()
    found = journal.donations(filters)
    page = _page(request, found)
    rows = [(donation, journal.amount_of(donation)) for donation in page.object_list]
    return render(request, "ledger/donation_list.html", {
        "form": form, "page": page, "rows": rows, "totals": journal.donation_totals(found),
        "can_correct": request.user.has_role(Role.TREASURER),
    })


@requires(TREASURER)
@require_http_methods(["GET", "POST"])
def donation_correct(request: MemberRequest, donation: int) -> HttpResponse:
    found = get_object_or_404(Donation.objects.select_related("entry", "fund", "currency",
                                                              "campaign"), pk=donation)
    if Entry.objects.filter(reverses=found.entry).exists():
        messages.error(request, _("Donation #%(index)s has already been reversed; correct the "
                                  "donation that replaced it.") % {"index": found.entry.leaf_index})
        return redirect("journal_entry", leaf=found.entry.leaf_index)
    form = CorrectionForm.for_donation(found, request.POST or None)
    if request.method == "GET" and journal.correction_waiting(found):
        messages.warning(request, _("A correction of this donation is already waiting for a "
                                    "second treasurer's approval."))
    if request.method == "POST" and form.is_valid():
        try:
            done = journal.correct_donation(request.user, found, form.corrected(),
                                            reason=form.cleaned_data["reason"])
        except (ValidationError, ApprovalError) as error:
            if isinstance(error, ApprovalError):
                error = ValidationError(str(error))
            add_errors(form, error)
        else:
            return render(request, "ledger/donation_corrected.html", {
                "done": done, "old": found, "old_amount": journal.amount_of(found),
                "amount": form.cleaned_data["money"], "code": receipts.grouped(done.code),
                "qr": receipts.qr_data_uri(done.code),
            })
    return render(request, "ledger/donation_correct.html", {
        "form": form, "donation": found, "amount": journal.amount_of(found),
        "threshold": journal.threshold(),
    })
