"""The coordinators' planning page: budgets per fund for a month → the proposed plan, one
row per prisoner with what they get from which fund and why → adjusted (quantities changed,
lines removed) → accepted as draft items. The plan covers the cases the coordinator sees
(their compartments); every line sent back is checked again by `plan_service.accept`."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pompolit.aid import plan_service
from pompolit.aid.planning import SolverOptions
from pompolit.core.views import flash_errors
from pompolit.ledger.models import FundBalance
from pompolit.members.policy import COORDINATOR, current_member, requires

PAGE_TIME_LIMIT = 20.0
_LINE = re.compile(r"^q-(\d+)-([a-z0-9-]+)-([a-z0-9:_-]+)$")


def _next_month() -> str:
    today = timezone.localdate()
    first = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    return f"{first:%Y-%m}"


def _balances() -> list[dict[str, Any]]:
    return [{"fund": b.fund, "currency": b.currency_id, "name": f"budget-{b.fund.code}-"
             f"{b.currency_id}", "amount": Decimal(b.units).scaleb(-b.currency.exponent)}
            for b in FundBalance.objects.filter(units__gt=0).select_related("fund", "currency")
            .order_by("fund__code", "currency_id")]


def _budget_specs(request: HttpRequest) -> list[str]:
    specs = []
    for balance in _balances():
        amount = str(request.POST.get(balance["name"], ""))
        if amount.strip():
            specs.append(f"{balance['fund'].code}={amount.strip()} {balance['currency']}")
    return specs


def _lines(request: HttpRequest) -> list[plan_service.PlanLine]:
    lines = []
    for key, value in request.POST.items():
        found = _LINE.match(key)
        if found is None:
            continue
        try:
            quantity = int(str(value))
        except ValueError:
            raise ValidationError(_("Quantities are whole numbers.")) from None
        case_id, item, fund = int(found.group(1)), found.group(2), found.group(3)
        # The coordinator may have chosen another fund for the line.
        fund = str(request.POST.get(f"fund-{case_id}-{item}-{fund}", fund))
        lines.append(plan_service.PlanLine(case_id, item, fund, quantity))
    return lines


@requires(COORDINATOR)
@require_http_methods(["GET", "POST"])
def plan_page(request: HttpRequest) -> HttpResponse:
    member = current_member(request)
    context: dict[str, Any] = {"month": request.POST.get("month") or _next_month(),
                               "balances": _balances(), "posted": request.POST}
    if request.method == "POST":
        try:
            month = plan_service.parse_month(context["month"])
            specs = _budget_specs(request)
            if not specs:
                raise ValidationError(_("Give a budget for at least one fund."))
            budgets = plan_service.resolve_budgets(specs)
            if request.POST.get("action") == "accept":
                created = plan_service.accept(member, month, budgets, _lines(request))
                messages.success(request, _("%(n)d draft items created for %(month)s.")
                                 % {"n": len(created), "month": f"{month:%Y-%m}"})
                return redirect("aid_plan")
            inputs, result = plan_service.propose(member, month, budgets,
                                                  SolverOptions(time_limit=PAGE_TIME_LIMIT))
            context.update(plan=result, rows=_rows(inputs, result))
        except (ValidationError, PermissionDenied) as error:
            flash_errors(request, error)
    return render(request, "aid/plan.html", context)


def _rows(inputs: plan_service.Inputs, result: Any) -> list[dict[str, Any]]:
    labels = {it.code: _(it.label) for it in inputs.items}
    items = {it.code: it for it in inputs.items}
    people = {p.key: p for p in inputs.prisoners}
    rows = []
    for allocation in result.allocations:
        case = inputs.cases[allocation.prisoner]
        person = people[allocation.prisoner]
        rows.append({
            "case": case,
            "coverage": round(100 * allocation.coverage),
            "lines": [{"item": line.item, "label": labels[line.item], "fund": line.fund,
                       "quantity": line.quantity, "amount": line.amount,
                       "currency": line.currency,
                       "funds": [f.code for f in inputs.funds
                                 if f.may_pay(person, items[line.item])
                                 and items[line.item].currency in f.available]}
                      for line in allocation.lines],
            "reasons": [plan_service.explain(r) for r in allocation.reasons],
        })
    return rows
