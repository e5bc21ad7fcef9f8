
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from pompolit.core.views import add_errors
from pompolit.ledger import receipts, services
from pompolit.ledger.forms import DonationForm
from pompolit.members.policy import BOOKS_READERS, TREASURER, current_member, requires


@requires(BOOKS_READERS)
@require_GET
def fund_balances(request: HttpRequest) -> HttpResponse:
    report = services.fund_balances(timezone.localdate())
    return render(request, "ledger/balances.html", {"report": report})


@requires(TREASURER)
@require_http_methods(["GET", "POST"])
def record_donation(request: HttpRequest) -> HttpResponse:
    form = DonationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            recorded = services.record_donation(
                current_member(request), date=data["date"], amount=data["money"], fund=data["fund"],
                channel=data["channel"], campaign=data["campaign"],
                donor_name=data["donor_name"], donor_contact=data["donor_contact"],
                note=data["memo"], submission_token=data["token"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            # The code is shown in this response only; nothing keeps it to show again.
            return render(request, "ledger/receipt.html", {
                "donation": recorded.donation,
                "amount": data["money"],
                "code": receipts.grouped(recorded.code),
                "qr": receipts.qr_data_uri(recorded.code),
            })
    return render(request, "ledger/donation_form.html", {"form": form})
