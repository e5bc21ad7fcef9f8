"""Pages for aid: per case, a new item with a live rule check, an item and its lifecycle,
follow-ups; and the coordinators' approvals. Item and case URLs name their compartment, so
the access policy refuses anyone outside it; the services look only among visible items."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pompolit.aid import lifecycle, rules, services
from pompolit.aid.forms import ItemForm, StepForm
from pompolit.aid.models import AidItem, Kind, Status
from pompolit.aid.planning import needs
from pompolit.aid.planning.forms import NeedsForm
from pompolit.cases.models import Case
from pompolit.cases.views import case_from_request
from pompolit.core.views import add_errors, flash_errors
from pompolit.members.approvals import ApprovalError
from pompolit.members.models import ApprovalRequest, Member
from pompolit.members.policy import (
    CASE_WORKER,
    CASE_WORKER_IN_COMPARTMENT,
    COORDINATOR,
    MemberRequest,
    requires,
)


def _item(request: MemberRequest, pk: int) -> AidItem:
    item = services.item_for(request.user, pk)
    if item is None or item.compartment_id != request.compartment.pk:
        raise Http404
    return item


# -- per case ----------------------------------------------------------------------------------


def _case_page(request: MemberRequest, case: Case, needs_form: NeedsForm | None = None,
               status: int = 200) -> HttpResponse:
    items = list(AidItem.objects.filter(case=case).select_related("fund", "currency")
                 .order_by("-planned_on", "-pk"))
    if needs_form is None:
        asked = needs.needs_of(case)
        needs_form = NeedsForm(initial={field: asked[code]
                                        for code, field in needs.FIELDS.items()})
    return render(request, "aid/case_aid.html", {"case": case, "items": items,
                                                 "kinds": Kind.choices,
                                                 "needs_form": needs_form}, status=status)


@requires(CASE_WORKER_IN_COMPARTMENT)
@require_GET
def case_aid(request: MemberRequest, compartment: str, pk: int) -> HttpResponse:
    return _case_page(request, case_from_request(request, pk))


@requires(CASE_WORKER_IN_COMPARTMENT)
@require_POST
def aid_needs(request: MemberRequest, compartment: str, pk: int) -> HttpResponse:
    """The prisoner's needs a month for the plan; a mistake shows the page again, as typed."""
    case = case_from_request(request, pk)
    form = NeedsForm(request.POST)
    if form.is_valid():
        try:
            needs.set_needs(request.user, case, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The needs a month are saved; the next plan uses "
                                        "them."))
            return redirect("aid_case", compartment=compartment, pk=case.pk)
    return _case_page(request, case, form, status=400)


def _live_check(case: Case, form: ItemForm, pk: int | None = None) -> list[rules.Violation]:
    data = form.cleaned_data
    contents = form.contents()
    cost = form.cost()
    facts = rules.Facts(
        kind=data["kind"], planned_on=data["planned_on"],
        grams=sum(line.grams for line in contents),
        categories=tuple(line.category for line in contents),
        language=data.get("language") or "", money_to=data.get("money_to") or "",
        amount=cost.amount if cost is not None else Decimal(0),
        currency=data["currency"].code,
    )
    probe = AidItem(pk=pk or 0, case=case, kind=data["kind"], planned_on=data["planned_on"],
                    currency=data["currency"])
    return rules.check(facts, rules.load(probe, case))


@requires(CASE_WORKER_IN_COMPARTMENT)
@require_POST
def item_check(request: MemberRequest, compartment: str, pk: int) -> HttpResponse:
    """The live rule check (htmx): the form as typed so far, checked, as a fragment."""
    case = case_from_request(request, pk)
    form = ItemForm(request.POST, case=case)
    violations: list[rules.Violation] = []
    problem = ""
    if form.is_valid():
        try:
            item_pk = form.cleaned_data.get("version") and request.POST.get("item")
            violations = _live_check(case, form, int(item_pk) if item_pk else None)
        except (ValidationError, ValueError) as error:
            problem = "; ".join(getattr(error, "messages", [str(error)]))
    else:
        problem = _("Fill in the kind, the fund, the date and the currency to check the rules.")
    return render(request, "aid/rule_check.html", {"violations": violations,
                                                   "problem": problem, "checked": True})


@requires(CASE_WORKER_IN_COMPARTMENT)
@require_http_methods(["GET", "POST"])
def item_new(request: MemberRequest, compartment: str, pk: int) -> HttpResponse:
    case = case_from_request(request, pk)
    member = request.user
    initial = {"kind": request.GET.get("kind")} if request.GET.get("kind") in Kind.values else {}
    form = ItemForm(request.POST or None, case=case, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.create_item(member, case, form.cleaned_data["kind"],
                                        **form.service_fields())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The draft is saved. Check it and approve it."))
            return redirect("aid_item_detail", compartment=case.compartment.slug, pk=item.pk)
    return render(request, "aid/item_form.html", {
        "form": form, "case": case, "title": _("New aid item"), "item": None,
    })


# -- one item ------------------------------------------------------------------------------


@requires(CASE_WORKER_IN_COMPARTMENT)
@require_GET
def item_detail(request: MemberRequest, compartment: str, pk: int) -> HttpResponse:
    item = _item(request, pk)
    violations = rules.check_item(item) if item.status == Status.DRAFT else []
    return render(request, "aid/item_detail.html", {
        "item": item, "case": item.case, "amount": services.amount_of(item),
        "contents": list(item.contents.all()), "total_kg": rules.kg(item.total_grams),
        "transitions": list(item.transitions.select_related("actor", "step_note")),
        "violations": violations, "flags": lifecycle.flags_of(item),
        "needs_second": item.cost_units > 0 and lifecycle.needs_second_person(item),
        "pending": lifecycle.pending_request(item),
        "has_tracking": bool(item.tracking_number) if item.status != Status.DRAFT else False,
        "today": timezone.localdate(), "step_form": StepForm(initial={"version": item.version}),
    })


@requires(CASE_WORKER_IN_COMPARTMENT)
@require_http_methods(["GET", "POST"])
def item_edit(request: MemberRequest, compartment: str, pk: int) -> HttpResponse:
    item = _item(request, pk)
    member = request.user
    if item.status != Status.DRAFT:
        messages.error(request, _("Only a draft can be changed."))
        return redirect("aid_item_detail", compartment=compartment, pk=item.pk)
    contents = list(item.contents.all())
    initial: dict[str, Any] = {
        "kind": item.kind, "fund": item.fund_id, "planned_on": item.planned_on,
        "amount": services.amount_of(item).amount if item.cost_units else None,
        "currency": item.currency_id, "channel": item.channel, "money_to": item.money_to,
        "relative": item.relative_id, "language": item.language, "note": item.note or "",
        "version": item.version,
    }
    for number, line in enumerate(contents, start=1):
        initial.update({f"line{number}_category": line.category,
                        f"line{number}_description": line.description,
                        f"line{number}_quantity": line.quantity,
                        f"line{number}_grams": line.grams})
    form = ItemForm(request.POST or None, case=item.case, initial=initial)
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data.get("version") or 0
        try:
            if form.cleaned_data["kind"] != item.kind:
                raise ValidationError({"kind": _("The kind cannot change; make a new item.")})
            services.update_item(member, item, version=version, **form.service_fields())
        except services.StaleEdit as error:
            add_errors(form, error)
            form.stale = True  # type: ignore[attr-defined]
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The item is saved."))
            return redirect("aid_item_detail", compartment=compartment, pk=item.pk)
    return render(request, "aid/item_form.html", {
        "form": form, "case": item.case, "item": item,
        "title": _("Aid item #%(id)s") % {"id": item.pk},
    })


def _do_step(member: Member, item: AidItem, form: StepForm) -> str:
    data = form.cleaned_data
    step, version, day = data["step"], data["version"], form.day()
    if step == "approve":
        lifecycle.approve_item(member, item, on=day, version=version)
        return _("Approved; the cost is reserved in the fund.")
    if step == "request":
        if item.version != version:
            raise ValidationError(_("Someone else changed this item; reload the page."))
        lifecycle.request_item_approval(member, item, reason=data.get("note") or "")
        return _("A coordinator is asked to approve it.")
    if step == "withdraw":
        lifecycle.withdraw_approval(member, item, note=data.get("note") or "", version=version)
        return _("Back to draft; the reservation is released.")
    if step == "send":
        lifecycle.send_item(member, item, on=day, channel=data.get("channel") or "",
                            tracking_number=data.get("tracking_number") or "", version=version)
        return _("Recorded as sent; the payment is posted.")
    if step == "reply":
        lifecycle.record_reply(member, item, how=data.get("how") or "", on=day,
                               note=data.get("note") or "")
        return _("Recorded as a sign of life on the case.")
    lifecycle.close_item(member, item, step, on=day, note=data.get("note") or "",
                         version=version)
    return _("Recorded: %(status)s.") % {"status": Status(step).label}


@requires(CASE_WORKER_IN_COMPARTMENT)
@require_POST
def item_step(request: MemberRequest, compartment: str, pk: int) -> HttpResponse:
    item = _item(request, pk)
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That step is not possible here."))
    else:
        try:
            messages.success(request, _do_step(request.user, item, form))
        except lifecycle.RulesBroken as error:
            for violation in error.violations:
                messages.error(request, violation.message)
        except (ValidationError, PermissionDenied, ApprovalError) as error:
            flash_errors(request, error)
    return redirect("aid_item_detail", compartment=compartment, pk=item.pk)


# -- lists -----------------------------------------------------------------------------------


@requires(CASE_WORKER)
@require_GET
def follow_ups(request: MemberRequest) -> HttpResponse:
    member = request.user
    today = timezone.localdate()
    items = list(services.follow_ups(member, today=today)[:300])
    for item in items:
        assert item.sent_on is not None
        item.waiting_days = (today - item.sent_on).days  # type: ignore[attr-defined]
    flagged = list(services.flagged_items(member)[:300])
    return render(request, "aid/follow_ups.html", {
        "items": items, "flagged": flagged, "days": services.follow_up_days(),
    })


@requires(COORDINATOR)
@require_GET
def approvals(request: HttpRequest) -> HttpResponse:
    """Aid waiting for a coordinator: the two-person approvals of items above the threshold.
    Only the request's summary is shown here (no names); deciding is on the approval page."""
    pending = list(ApprovalRequest.objects.filter(
        action=lifecycle.APPROVE_ACTION, status=ApprovalRequest.Status.PENDING)
        .select_related("requested_by").order_by("requested_at"))
    rows = [{"request": r, "summary": lifecycle.describe_request(r.payload)} for r in pending]
    return render(request, "aid/approvals.html", {"rows": rows})
