"""Treasurers' page for the donors' identities: ask for the bulk export (a coordinator
approves), download an approved export once, and forget a donor's identity on request."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pompolit.core.exports import attachment
from pompolit.core.views import add_errors, flash_errors
from pompolit.ledger.donors import services as donors
from pompolit.ledger.donors.forms import ExportRequestForm, FindDonationForm
from pompolit.ledger.donors.models import DonorIdentity
from pompolit.ledger.models import Donation
from pompolit.ledger.money import Money
from pompolit.members.policy import TREASURER, current_member, requires, sudo


@requires(TREASURER)
@require_GET
def donor_identities(request: HttpRequest) -> HttpResponse:
    member = current_member(request)
    return render(request, "ledger/donors.html", {
        "kept": donors.kept_count(), "ready": donors.ready_for(member),
        "pending": donors.pending_for(member), "form": ExportRequestForm(),
        "find": FindDonationForm()})


@requires(TREASURER)
@require_POST
def donor_export(request: HttpRequest) -> HttpResponse:
    """Ask for the export (action=request), or download an approved one once."""
    member = current_member(request)
    if request.POST.get("action") == "download":
        try:
            body, name = donors.download_export(member, int(request.POST.get("export", "")))
        except ValueError:
            flash_errors(request, PermissionDenied(
                _("There is no approved export of yours with this number.")))
        except (ValidationError, PermissionDenied) as error:
            flash_errors(request, error)
        else:
            return attachment(body, name, "text/csv; charset=utf-8")
        return redirect("donor_identities")
    form = ExportRequestForm(request.POST)
    if form.is_valid():
        try:
            approval = donors.request_export(member, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _(
                "Request #%(id)s is waiting for a coordinator's approval. Once approved, you can "
                "download the export here, once.") % {"id": approval.pk})
            return redirect("donor_identities")
    return render(request, "ledger/donors.html", {
        "kept": donors.kept_count(), "ready": donors.ready_for(member),
        "pending": donors.pending_for(member), "form": form, "find": FindDonationForm()})


@requires(sudo(TREASURER))
@require_http_methods(["GET", "POST"])
def donor_forget(request: HttpRequest) -> HttpResponse:
    """Find the donation (step 1), then confirm forgetting its donor (step 2)."""
    member = current_member(request)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        donation_id = request.POST.get("donation_id", "")
        donation = (Donation.objects.filter(pk=int(donation_id)).first()
                    if donation_id.isdigit() else None)
        if donation is None:
            return redirect("donor_forget")
        try:
            donors.forget_identity(member, donation)
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _(
                "The donor of entry #%(n)s is forgotten: their name and contact are deleted. "
                "The donation stays in the books, and the receipt code still checks.")
                % {"n": donation.entry.leaf_index})
        return redirect("donor_identities")
    find = FindDonationForm(request.POST or None)
    found: Donation | None = None
    if request.method == "POST" and find.is_valid():
        found = find.cleaned_data["donation"]
    amount = (Money.from_minor(found.units, found.currency_id, found.currency.exponent)
              if found is not None else None)
    return render(request, "ledger/donor_forget.html", {
        "find": find, "donation": found, "amount": amount,
        "has_identity": found is not None
        and DonorIdentity.objects.filter(donation=found).exists()})
