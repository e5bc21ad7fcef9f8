"""The case workers' pages. Case URLs name their compartment, so the access policy itself
refuses anyone outside it (404); `services.case_for` then looks only among visible cases."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pompolit.cases import services
from pompolit.cases.facilities import addresses
from pompolit.cases.forms import (
    CaseForm,
    ChargeForm,
    EventForm,
    HearingOutcomeForm,
    NameForm,
    PrivateForm,
    RelativeForm,
    SearchForm,
)
from pompolit.cases.models import Case, Event, Hearing
from pompolit.cases.photos import services as photos
from pompolit.cases.registration import services as registration
from pompolit.cases.registration.forms import DetaineeForm
from pompolit.cases.release import expected_release
from pompolit.cases.search import services as search
from pompolit.core.http import search_text_moved
from pompolit.core.views import add_errors, flash_errors
from pompolit.members.models import Member
from pompolit.members.policy import (
    CASE_WORKER,
    CASE_WORKER_IN_COMPARTMENT,
    MemberRequest,
    current_member,
    requires,
)
from pompolit.names import Name
from pompolit.vault.errors import VaultSealed


def case_from_request(request: MemberRequest, pk: int) -> Case:
    case = services.case_for(request.user, request.compartment, pk)
    if case is None:
        raise Http404
    return case


# -- the list, search and sign of life -------------------------------------------------------


PAGE_SIZE = search.LIMIT
# Ranked matches are recomputed for every page: far enough for anyone paging by hand.
LAST_PAGE = 20


@requires(CASE_WORKER)
@require_http_methods(["GET", "POST"])
def case_list(request: MemberRequest) -> HttpResponse:
    """The list and its search box. What is typed (names, numbers, phone numbers) goes by POST,
    so it never sits in an address that access logs, proxies and browser history keep; the
    filters, which carry no names, may also come by GET."""
    moved = search_text_moved(request)
    if moved is not None:
        return moved
    member = current_member(request)
    data = request.POST if request.method == "POST" else request.GET
    form = SearchForm(data or None, member=member)
    page = _page_number(data.get("page"))
    results: list[Case] = []
    more = False
    text = ""
    if form.is_valid() or not data:
        cleaned = form.cleaned_data if data else {}
        text = " ".join((cleaned.get("q") or "").split())
        facility = cleaned.get("facility")
        compartment = cleaned.get("compartment")
        filters = search.Filters(
            status=cleaned.get("status") or "", facility=facility.pk if facility else None,
            region=cleaned.get("region") or "",
            compartment=compartment.pk if compartment else None,
            overdue=bool(cleaned.get("overdue")),
        )
        results, more = _one_page(member, text, filters, page)
    return render(request, "cases/case_list.html", {
        "form": form, "results": results, "text": text, "page": page + 1,
        "next_page": page + 2 if more and page + 1 < LAST_PAGE else None,
        "previous_page": page if page else None,
        "overdue_count": services.overdue_cases(member).count(),
    })


def _page_number(value: str | None) -> int:
    """0 for the first page; anything odd is the first page too."""
    try:
        return min(max(int(value or 1), 1), LAST_PAGE) - 1
    except ValueError:
        return 0


def _one_page(member: Member, text: str, filters: search.Filters,
              page: int) -> tuple[list[Case], bool]:
    if text:
        end = (page + 1) * PAGE_SIZE
        found = search.search_cases(member, text, filters, limit=end + 1)
        return found[page * PAGE_SIZE:end], len(found) > end
    found = search.case_page(member, filters, page=page, size=PAGE_SIZE)
    # Is there a next page: the one case right after this page (a page of one case each).
    more = len(found) == PAGE_SIZE and bool(
        search.case_page(member, filters, page=(page + 1) * PAGE_SIZE, size=1))
    return found, more


@requires(CASE_WORKER)
@require_GET
def overdue(request: MemberRequest) -> HttpResponse:
    member = current_member(request)
    today = timezone.localdate()
    cases = list(services.overdue_cases(member, today=today)[:200])
    for case in cases:
        case.silent_days = (today - case.silent_since).days  # type: ignore[attr-defined]
    return render(request, "cases/overdue.html", {
        "cases": cases, "days": services.sign_of_life_days(),
    })


@requires(CASE_WORKER)
@require_http_methods(["GET", "POST"])
def case_new(request: MemberRequest) -> HttpResponse:
    """Registering a detainee: the person, the case, the arrest, the facility, the charge and
    a relative, in one form and one transaction (cases/registration/)."""
    member = current_member(request)
    form = DetaineeForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = registration.register_detainee(
                member, compartment=data["compartment"],
                name=Name(data["surname"], data["given"], data["patronymic"]),
                birth_date=data["birth_date"], status=data["status"], arrest=form.arrest(),
                charge=form.charge(), relative=form.relative(), **form.case_fields(),
            )
        except ValidationError as error:
            add_errors(form, error)
        except VaultSealed:
            form.add_error(None, _(
                "The vault is sealed, so nothing was saved: what you typed is still here. "
                "Register the person once a keyholder has unsealed the vault."))
        else:
            messages.success(request, _("The detainee is registered."))
            return redirect("case_detail", compartment=case.compartment.slug, pk=case.pk)
    return render(request, "cases/detainee_form.html", {
        "form": form, "title": _("New detainee"), "back": reverse("case_list"),
    })


# -- one case ------------------------------------------------------------------------------


@requires(CASE_WORKER_IN_COMPARTMENT)
@require_GET
def case_detail(request: MemberRequest, compartment: str, pk: int) -> HttpResponse:
    case = case_from_request(request, pk)
    events = list(case.events.select_related("type", "facility", "created_by", "hearing"))
    custody = None
    try:
        custody = services.custody_of(case)
    except ValidationError:  # cannot happen through the services; shown if data was mended
        custody = None
    release, release_estimated = expected_release(case)
    return render(request, "cases/case_detail.html", {
        "case": case,
        "release": release,
        "release_estimated": release_estimated,
        "names": case.person.names.all(),
        "charges": case.charges.all(),
        "events": events,
        "episodes": custody.episodes if custody else [],
        "relatives": case.relatives.all(),
        "has_photo": case.__dict__.get("photo") is not None,
        "photo_max_size": filesizeformat(photos.max_bytes()),
        "letter_address": addresses.letter_address(case),
        "has_private": bool(case.__dict__.get("lawyer_contact") or case.__dict__.get("needs")
                            or case.__dict__.get("needs_structured")),
    })


@requires(CASE_WORKER_IN_COMPARTMENT)
@require_http_methods(["GET", "POST"])
def case_edit(request: MemberRequest, compartment: str, pk: int) -> HttpResponse:
    case = case_from_request(request, pk)
    form = CaseForm(request.POST or None, instance=case)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        birth_date = data.pop("birth_date")
        try:
            # The form wrote the values onto the instance already: re-read it for the service.
            fresh = services.case_for(current_member(request), case.compartment, case.pk)
            assert fresh is not None
            services.update_case(current_member(request), fresh, **data)
            if birth_date != fresh.person.birth_date:
                services.update_person(current_member(request), fresh, birth_date=birth_date)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("case_detail", compartment=compartment, pk=pk)
    return _case_form(request, case, form, _("Edit the case"))


def _case_form(request: MemberRequest, case: Case, form: Any, title: str,
               template: str = "cases/form.html") -> HttpResponse:
    return render(request, template, {
        "form": form, "case": case, "title": title,
        "back": reverse("case_detail", args=[case.compartment.slug, case.pk]),
    })


@requires(CASE_WORKER_IN_COMPARTMENT)
@require_http_methods(["GET", "POST"])
def case_private(request: MemberRequest, compartment: str, pk: int) -> HttpResponse:
    """Relatives, the lawyer's contact, needs: decrypted here only, and the reading logged."""
    member = current_member(request)
    case = case_from_request(request, pk)
    form = PrivateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        structured = {k: data[k] for k in PrivateForm.STRUCTURED if data[k]}
        services.update_private(member, case, lawyer_contact=data["lawyer_contact"],
                                needs=data["needs"], needs_structured=structured)
        messages.success(request, _("Saved."))
        return redirect("case_private", compartment=compartment, pk=pk)
    private = services.read_private(member, case)
    if request.method == "GET":
        form = PrivateForm(initial={
            "lawyer_contact": private["lawyer_contact"], "needs": private["needs"],
            **{k: private["needs_structured"].get(k, "") for k in PrivateForm.STRUCTURED},
        })
    return render(request, "cases/case_private.html", {
        "case": case, "private": private, "form": form,
    })


@requires(CASE_WORKER_IN_COMPARTMENT)
@require_http_methods(["GET", "POST"])
def event_add(request: MemberRequest, compartment: str, pk: int) -> HttpResponse:
    case = case_from_request(request, pk)
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_event(
                current_member(request), case, type=data["type"], date=data["date"],
                facility=data["facility"], place=data["place"], summary=data["summary"],
                source=data["source"], confidential_note=data["confidential_note"],
                hearing=data["hearing"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The event is added to the timeline."))
            return redirect("case_detail", compartment=compartment, pk=pk)
    return _case_form(request, case, form, _("Add an event"))


@requires(CASE_WORKER_IN_COMPARTMENT)
@require_http_methods(["GET", "POST"])
def hearing_outcome(request: MemberRequest, compartment: str, pk: int, event: int) -> HttpResponse:
    case = case_from_request(request, pk)
    hearing = get_object_or_404(Hearing, event__case=case, event__pk=event)
    form = HearingOutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_hearing_outcome(current_member(request), hearing,
                                            form.cleaned_data["text"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The outcome of the hearing is recorded."))
            return redirect("case_detail", compartment=compartment, pk=pk)
    return _case_form(request, case, form, _("Outcome of the hearing"))


@requires(CASE_WORKER_IN_COMPARTMENT)
@require_POST
def event_remove(request: MemberRequest, compartment: str, pk: int, event: int) -> HttpResponse:
    case = case_from_request(request, pk)
    found = get_object_or_404(Event, case=case, pk=event)
    try:
        services.remove_event(current_member(request), found)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The event is removed."))
    return redirect("case_detail", compartment=compartment, pk=pk)


@requires(CASE_WORKER_IN_COMPARTMENT)
@require_http_methods(["GET", "POST"])
def name_add(request: MemberRequest, compartment: str, pk: int) -> HttpResponse:
    case = case_from_request(request, pk)
    form = NameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_name(current_member(request), case,
                              Name(data["surname"], data["given"], data["patronymic"]),
                              data["kind"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The name is added."))
            return redirect("case_detail", compartment=compartment, pk=pk)
    return _case_form(request, case, form, _("Add a name"))


@requires(CASE_WORKER_IN_COMPARTMENT)
@require_http_methods(["GET", "POST"])
def charge_add(request: MemberRequest, compartment: str, pk: int) -> HttpResponse:
    case = case_from_request(request, pk)
    form = ChargeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_charge(current_member(request), case, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The charge is added."))
            return redirect("case_detail", compartment=compartment, pk=pk)
    return _case_form(request, case, form, _("Add a charge"))


@requires(CASE_WORKER_IN_COMPARTMENT)
@require_http_methods(["GET", "POST"])
def relative_add(request: MemberRequest, compartment: str, pk: int) -> HttpResponse:
    case = case_from_request(request, pk)
    form = RelativeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_relative(current_member(request), case, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The relative is added. Their details are encrypted."))
            return redirect("case_private", compartment=compartment, pk=pk)
    return _case_form(request, case, form, _("Add a relative"))
