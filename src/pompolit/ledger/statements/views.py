"""Public statements and "check my donation" (public, no login), and publishing (treasurers).

The public pages show only what the statement publishes; hostile input on the receipt form
gets a sentence, never a 500, and each address may try only a few codes a minute.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pompolit.core.http import client_address
from pompolit.core.views import add_errors
from pompolit.ledger import labels as book_labels
from pompolit.ledger import receipts
from pompolit.ledger.campaigns.models import Campaign
from pompolit.ledger.models import Channel, Entry
from pompolit.ledger.statements import charts
from pompolit.ledger.statements import services as statements
from pompolit.ledger.statements.forms import ReceiptCheckForm, StatementPublishForm
from pompolit.ledger.statements.models import Statement
from pompolit.members.policy import PUBLIC, TREASURER, current_member, requires, sudo
from pompolit.tlog import services as tlog

# Receipt codes are 130 random bits, so guessing is hopeless anyway; the limit keeps the
# page from being used to load the server (and keeps guessers visible).
CHECKS_PER_WINDOW = 10
WINDOW_SECONDS = 60


def _statement(period: str) -> Statement:
    found = Statement.objects.select_related("checkpoint").filter(period=period).first()
    if found is None:
        raise Http404(_("No statement has been published for this period."))
    return found


@requires(PUBLIC)
@require_GET
def statement_list(request: HttpRequest) -> HttpResponse:
    return render(request, "ledger/public_statements.html", {
        "statements": Statement.objects.all(),
        "vkey": _vkey(),
    })


def _vkey() -> str:
    try:
        return tlog.verifier_key()
    except Exception:  # no key yet on a fresh install: the page still shows
        return ""


@requires(PUBLIC)
@require_GET
def statement_detail(request: HttpRequest, period: str) -> HttpResponse:
    statement = _statement(period)
    head = json.loads(statement.head)
    figures = head["figures"]
    labels = (_("Income"), _("Expenses"))
    # The published figures carry codes (what the verifier recomputes); people read names.
    channel_names = dict(Channel.choices)
    campaign_names = dict(Campaign.objects.values_list("code", "name"))
    fund_names, account_names = book_labels.fund_names(), book_labels.account_names()
    for row in figures.get("income", []):
        row["channel_name"] = channel_names.get(row.get("channel") or "", row.get("channel"))
        row["campaign_name"] = campaign_names.get(row.get("campaign") or "", row.get("campaign"))
    for key in ("expenses", "expenses_by_case"):
        for row in figures.get(key, []):
            row["category_name"] = account_names.get(row.get("category") or "", row.get("category"))
    by_fund = [{**row, "fund": fund_names.get(row["fund"], row["fund"])}
               for row in figures["by_fund"]]
    return render(request, "ledger/statement_detail.html", {
        "statement": statement,
        "head": head,
        "balances": _balances(figures, fund_names),
        "figures": figures,
        "size": statement.checkpoint.size,
        "vkey": _vkey(),
        "chart_month": charts.data_uri(charts.kept_bars(
            figures["by_month"], "month", labels, _("Income and expenses by month"))),
        "chart_fund": charts.data_uri(charts.kept_bars(
            by_fund, "fund", labels, _("Income and expenses by fund"))),
    })


def _balances(figures: dict[str, Any], fund_names: dict[str, str]) -> list[dict[str, str]]:
    """Opening and closing balances side by side, a row per fund and currency."""
    rows: dict[tuple[str, str], dict[str, str]] = {}
    for name in ("opening", "closing"):
        for row in figures[f"{name}_balances"]:
            key = (row["fund"], row["currency"])
            rows.setdefault(key, {"fund": fund_names.get(key[0], key[0]), "currency": key[1],
                                  "opening": "0",
                                  "closing": "0"})[name] = row["amount"]
    return [rows[key] for key in sorted(rows)]


@requires(PUBLIC)
@require_GET
def statement_bundle(request: HttpRequest, period: str) -> StreamingHttpResponse:
    # Streamed: a year of a big group's books is hundreds of megabytes (~450 bytes a leaf).
    statement = _statement(period)
    response = StreamingHttpResponse(
        statements.encoded_chunks(statements.bundle_parts(statement)),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="statement-{period}.json"'
    return response


@requires(PUBLIC)
@require_GET
def statement_csv(request: HttpRequest, period: str) -> StreamingHttpResponse:
    statement = _statement(period)
    response = StreamingHttpResponse(
        statements.encoded_chunks(statements.csv_parts(statement)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="statement-{period}.csv"'
    return response


@requires(sudo(TREASURER))
@require_http_methods(["GET", "POST"])
def publish_statement(request: HttpRequest) -> HttpResponse:
    form = StatementPublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            statement = statements.publish(current_member(request), form.cleaned_data["period"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect("statement_detail", period=statement.period)
    latest = Statement.objects.first()
    return render(request, "ledger/statement_publish.html", {"form": form, "latest": latest})


def _over_limit(request: HttpRequest) -> bool:
    key = f"pompolit:receipt-check:{client_address(request) or 'unknown'}"
    if cache.add(key, 1, WINDOW_SECONDS):
        return False
    try:
        return cache.incr(key) > CHECKS_PER_WINDOW
    except ValueError:  # expired between add and incr
        cache.add(key, 1, WINDOW_SECONDS)
        return False


@requires(PUBLIC)
@require_http_methods(["GET", "POST"])
def check_donation(request: HttpRequest) -> HttpResponse:
    form = ReceiptCheckForm(request.POST or None)
    context: dict[str, Any] = {"form": form}
    if request.method != "POST" or not form.is_valid():
        return render(request, "ledger/public_check.html", context)
    if _over_limit(request):
        form.add_error(None, _("Too many checks from your address; wait a minute and try "
                               "again."))
        return render(request, "ledger/public_check.html", context, status=429)
    try:
        found = statements.check_donation(form.cleaned_data["code"])
    except receipts.ReceiptCodeError as error:
        form.add_error("code", str(error))
        return render(request, "ledger/public_check.html", context)
    if found is None:
        form.add_error("code", _("No donation has this receipt code. If it was given recently, "
                                 "it may not be recorded yet."))
        return render(request, "ledger/public_check.html", context)
    if request.POST.get("download") and found.proof is not None:
        response = HttpResponse(json.dumps(found.proof, indent=1, ensure_ascii=False),
                                content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="donation-proof.json"'
        return response
    context.update(found=found, code=receipts.grouped(receipts.normalise(
        form.cleaned_data["code"])), statement=_statement_covering(found.leaf_index))
    return render(request, "ledger/public_check.html", context)


def _statement_covering(index: int) -> Statement | None:
    """The statement whose figures count the entry, else the first whose leaves hold it."""
    covering = Statement.objects.filter(checkpoint__size__gt=index).order_by("ends_on")
    date = Entry.objects.filter(leaf_index=index).values_list("date", flat=True).first()
    return (covering.filter(starts_on__lte=date, ends_on__gte=date).first()
            if date is not None else None) or covering.first()
