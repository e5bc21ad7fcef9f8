"""The coordinators' planning page: budgets per fund for a month → the proposed plan, one
row per prisoner with what they get from which fund and why → adjusted (quantities changed,
lines removed) → accepted as draft items. The plan covers the cases the coordinator sees
(their compartments); every line sent back is checked again by `services.accept`."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from pompolit.aid.planning import services
from pompolit.aid.planning.forms import budget_specs, plan_lines
from pompolit.aid.planning.solver.types import Plan, SolverOptions
from pompolit.core.dates import MonthField, month_hint, show_partial
from pompolit.core.views import flash_errors
from pompolit.ledger import labels as ledger_labels
from pompolit.ledger.models import FundBalance
from pompolit.members.policy import COORDINATOR, MemberRequest, requires

PAGE_TIME_LIMIT = 20.0


def _next_month() -> str:
    today = timezone.localdate()
    first = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    return show_partial(first.year, first.month)


def _balances() -> list[dict[str, Any]]:
    return [{"fund": b.fund, "currency": b.currency_id, "name": f"budget-{b.fund.code}-"
             f"{b.currency_id}", "amount": Decimal(b.units).scaleb(-b.currency.exponent)}
            for b in FundBalance.objects.filter(units__gt=0).select_related("fund", "currency")
            .order_by("fund__code", "currency_id")]


@requires(COORDINATOR)
@require_http_methods(["GET", "POST"])
def plan_page(request: MemberRequest) -> HttpResponse:
    member = request.user
    context: dict[str, Any] = {"month": request.POST.get("month") or _next_month(),
                               "month_hint": month_hint(),
                               "balances": _balances(), "posted": request.POST}
    if request.method == "POST":
        try:
            month = MonthField().clean(context["month"])
            specs = budget_specs(request.POST, context["balances"])
            if not specs:
                raise ValidationError(_("Give a budget for at least one fund."))
            budgets = services.resolve_budgets(specs)
            if request.POST.get("action") == "accept":
                created = services.accept(member, month, budgets, plan_lines(request.POST))
                shown = show_partial(month.year, month.month)
                messages.success(request, _("%(n)d draft items created for %(month)s.")
                                 % {"n": len(created), "month": shown})
                return redirect("aid_plan")
            inputs, result = services.propose(member, month, budgets,
                                              SolverOptions(time_limit=PAGE_TIME_LIMIT))
            context.update(plan=result, rows=_rows(inputs, result))
        except (ValidationError, PermissionDenied) as error:
            flash_errors(request, error)
    return render(request, "aid/plan.html", context)


def _letters_counted(n: int) -> list[str]:
    if not n:
        return []
    return [ngettext("%(n)d letter already sent this month counts towards the need.",
                     "%(n)d letters already sent this month count towards the need.", n)
            % {"n": n}]


def _rows(inputs: services.Inputs, result: Plan) -> list[dict[str, Any]]:
    labels = {it.code: _(it.label) for it in inputs.items}
    items = {it.code: it for it in inputs.items}
    people = {p.key: p for p in inputs.prisoners}
    fund_names = ledger_labels.fund_names()
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
                       "funds": [(f.code, fund_names.get(f.code, f.code)) for f in inputs.funds
                                 if f.may_pay(person, items[line.item])
                                 and items[line.item].currency in f.available]}
                      for line in allocation.lines],
            "reasons": [services.explain(r) for r in allocation.reasons]
                       + _letters_counted(inputs.letters_counted.get(case.pk, 0)),
        })
    return rows
