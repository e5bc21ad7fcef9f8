"""The chart: every fund and account by the name pages show; a treasurer may rename them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pompolit.core.views import flash_errors
from pompolit.ledger.chart import services
from pompolit.ledger.chart.forms import RenameForm
from pompolit.ledger.models import Account, Fund
from pompolit.members.policy import BOOKS_READERS, TREASURER, current_member, has_roles, requires


@requires(BOOKS_READERS)
@require_GET
def chart(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "ledger/chart.html",
        {
            "sections": [
                (_("Funds"), "fund", Fund.objects.order_by("code")),
                (
                    _("Accounts"),
                    "account",
                    Account.objects.filter(is_trading=False).order_by("code"),
                ),
            ],
            "may_rename": has_roles(current_member(request), TREASURER),
        },
    )


@requires(TREASURER)
@require_POST
def chart_rename(request: HttpRequest) -> HttpResponse:
    form = RenameForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing was renamed: a name is needed."))
        return redirect("ledger_chart")
    data, member = form.cleaned_data, current_member(request)
    try:
        if data["kind"] == "fund":
            services.rename_fund(member, get_object_or_404(Fund, code=data["code"]), data["name"])
        else:
            services.rename_account(
                member, get_object_or_404(Account, code=data["code"]), data["name"]
            )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("Saved."))
    return redirect("ledger_chart")
