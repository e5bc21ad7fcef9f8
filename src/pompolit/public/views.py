"""The public prisoner list and profile (no login), the form to report an inaccuracy, and the
case workers' queue of those reports.

Public views render `cases.public.profiles.PublicProfile` objects only; a case without a
consent in force is a 404, exactly like a case that does not exist.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pompolit.cases.duplicates.merge import redirect_for
from pompolit.cases.public import hearings as public_hearings
from pompolit.cases.public.profiles import published_case
from pompolit.core.http import search_text_moved
from pompolit.core.keyfiles import KeyProblem
from pompolit.core.views import add_errors
from pompolit.members.policy import (
    INACCURACY_REVIEWERS,
    PUBLIC,
    MemberRequest,
    current_member,
    requires,
)
from pompolit.public import feeds, helpnow, listing, opendata, services
from pompolit.public.forms import InaccuracyForm, ListFilterForm
from pompolit.public.links import donate_urls, letter_urls
from pompolit.public.models import InaccuracyReport, ReportState
from pompolit.public.ratelimit import over_limit
from pompolit.tlog import services as tlog
from pompolit.vault.errors import VaultError

# One network may send a few reports an hour: enough for a family, not for a flood.
REPORTS_PER_HOUR = 5


def _page_number(data: Any) -> int:
    try:
        return max(1, int(data.get("page") or 1))
    except (TypeError, ValueError):
        return 1


@requires(PUBLIC)
@require_http_methods(["GET", "POST"])
def prisoner_list(request: HttpRequest) -> HttpResponse:
    # A name goes by POST (core.http.search_text_moved: names never sit in an address); the
    # other filters and the page may stay in the address, so a filtered list can be linked to.
    moved = search_text_moved(request)
    if moved is not None:
        return moved
    sent = request.POST if request.method == "POST" else request.GET
    form = ListFilterForm(sent or None, choices=listing.choices())
    if sent and not form.is_valid():
        found = listing.Page([], 1, 1, 0)
    else:
        filters = form.filters() if sent else listing.Filters()
        found = listing.search(filters, _page_number(sent))
    ids = [p.public_id for p in found.profiles]
    donate = donate_urls(ids)
    letters = letter_urls(ids)
    entries = [{"profile": p, "letter_url": letters.get(p.public_id, ""),
                "donate_url": donate.get(p.public_id, "")} for p in found.profiles]
    return render(request, "public/list.html", {
        "form": form, "page": found, "entries": entries,
        "previous_page": found.number - 1 if found.number > 1 else None,
        "next_page": found.number + 1 if found.number < found.pages else None,
    })


@requires(PUBLIC)
@require_GET
def prisoner_profile(request: HttpRequest, public_id: str) -> HttpResponse:
    # A merged person's page answers with the page of the person it was merged into.
    moved = redirect_for(public_id)
    if moved is not None and published_case(moved) is not None:
        return redirect("public_case", public_id=moved)
    found = published_case(public_id)
    if found is None:
        raise Http404
    return render(request, "public/profile.html", {
        "profile": found, "letter_url": letter_urls([public_id]).get(public_id, ""),
        "donate_url": donate_urls([public_id]).get(public_id, ""),
    })


@requires(PUBLIC)
@require_http_methods(["GET", "POST"])
def report_inaccuracy(request: HttpRequest, public_id: str) -> HttpResponse:
    found = published_case(public_id)
    if found is None:
        raise Http404
    form = InaccuracyForm(request.POST or None)
    context = {"profile": found, "form": form}
    if request.method != "POST" or not form.is_valid():
        return render(request, "public/report.html", context)
    if form.cleaned_data["website"]:  # a robot: thank it, keep nothing
        return render(request, "public/report_sent.html", context)
    if over_limit(request, "inaccuracy", allowed=REPORTS_PER_HOUR, seconds=3600):
        form.add_error(None, _("Too many reports from your network; try again in an hour."))
        return render(request, "public/report.html", context, status=429)
    try:
        services.report_inaccuracy(public_id, text=form.cleaned_data["text"],
                                   contact=form.cleaned_data["contact"])
    except ValidationError as error:
        add_errors(form, error)
        return render(request, "public/report.html", context)
    return render(request, "public/report_sent.html", context)


@requires(INACCURACY_REVIEWERS)
@require_GET
def inaccuracy_queue(request: MemberRequest) -> HttpResponse:
    state = request.GET.get("state", ReportState.OPEN)
    if state not in ReportState.values:
        state = ReportState.OPEN
    reports = services.queue(current_member(request), state)
    return render(request, "public/queue.html", {
        "reports": reports, "state": state, "states": ReportState.choices,
    })


@requires(INACCURACY_REVIEWERS)
@require_POST
def inaccuracy_close(request: MemberRequest, pk: int) -> HttpResponse:
    member = current_member(request)
    report = get_object_or_404(InaccuracyReport, pk=pk,
                               compartment_id__in=member.compartment_ids())
    try:
        services.close_report(member, report, request.POST.get("state", ""))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The report is closed."))
    return redirect("public_inaccuracy_queue")


# -- hearings: "come to the hearing", the calendars ----------------------------------------


@requires(PUBLIC)
@require_GET
def hearings(request: HttpRequest) -> HttpResponse:
    """This week's public hearings, by day and city."""
    city = request.GET.get("city", "").strip()[:100]
    found = public_hearings.upcoming(city=city)
    counts = services.pledge_counts(h.token for h in found)
    days = [(day, [(name, [(h, counts.get(h.token, 0)) for h in items])
                   for name, items in cities])
            for day, cities in public_hearings.by_day_and_city(found)]
    return render(request, "public/hearings.html", {
        "days": days, "city": city,
        "cities": sorted({h.city for h in public_hearings.upcoming() if h.city}),
        "counts": counts, "fewer": services.fewer_going(found, counts),
        "pledged": request.GET.get("pledged", ""),
    })


# One network may say "I'll come" a few times an hour: a family, not a flood of fake counts.
PLEDGES_PER_HOUR = 10


@requires(PUBLIC)
@require_POST
def hearing_pledge(request: HttpRequest, token: str) -> HttpResponse:
    """"I'll come": counted, nobody named; the same per-network limit as the reports."""
    if over_limit(request, "pledge", allowed=PLEDGES_PER_HOUR, seconds=3600):
        return HttpResponse(_("Too many pledges from your network; try again in an hour."),
                            status=429, content_type="text/plain; charset=utf-8")
    services.pledge_attendance(token)
    return redirect(reverse("public_hearings") + f"?pledged={token}#hearing-{token}")


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@requires(PUBLIC)
@require_GET
def hearings_ics(request: HttpRequest) -> HttpResponse:
    """All public hearings, or a city's (?city=)."""
    city = request.GET.get("city", "").strip()[:100]
    found = public_hearings.upcoming(city=city, days=feeds.FEED_DAYS)
    name = (_("Court hearings: %(city)s") % {"city": city}) if city else _("Court hearings")
    return _ics(feeds.calendar(found, name=name, host=feeds.host_of(request),
                               profile_url=lambda h: request.build_absolute_uri(
                                   reverse("public_case", args=[h.public_id]))),
                "hearings.ics")


@requires(PUBLIC)
@require_GET
def prisoner_hearings_ics(request: HttpRequest, public_id: str) -> HttpResponse:
    """One prisoner's public hearings; 404 unless the profile is public."""
    profile = published_case(public_id)
    if profile is None:
        raise Http404
    found = public_hearings.upcoming(public_id=public_id, days=feeds.FEED_DAYS)
    name = _("Court hearings: %(name)s") % {"name": profile.name}
    return _ics(feeds.calendar(found, name=name, host=feeds.host_of(request),
                               profile_url=lambda h: request.build_absolute_uri(
                                   reverse("public_case", args=[h.public_id]))),
                f"{public_id}.ics")


_atom = feeds.HearingsAtom()


@requires(PUBLIC)
@require_GET
def hearings_atom(request: HttpRequest) -> HttpResponse:
    return _atom(request)


@requires(PUBLIC)
@require_GET
def help_now(request: HttpRequest) -> HttpResponse:
    """Who you can help right now: birthdays in two weeks, releases in 30 days, hearings this
    week."""
    return render(request, "public/help_now.html", helpnow.context())


# -- open data: the list and the counts as signed files (opendata.py) -------------------------

_OPEN_DATA_TYPES = {
    ".json": "application/json",
    ".csv": "text/csv; charset=utf-8; header=present",
    ".sig": "text/plain; charset=utf-8",
}


def _open_data() -> dict[str, bytes] | None:
    """The export, or None when it cannot be signed (no log key yet, or the vault sealed)."""
    try:
        return opendata.cached()
    except (KeyProblem, VaultError):
        return None


def _open_data_vkey() -> str:
    try:
        return tlog.verifier_key()
    except (KeyProblem, VaultError):
        return ""


@requires(PUBLIC)
@require_GET
def open_data(request: HttpRequest) -> HttpResponse:
    """What the files hold, their hashes, the licence, and how to check them."""
    built = _open_data()
    files = [] if built is None else [
        {"name": name, "size": len(built[name]),
         "sha256": hashlib.sha256(built[name]).hexdigest()}
        for name in opendata.FILES
    ]
    return render(request, "public/opendata.html", {
        "files": files, "vkey": _open_data_vkey(), "origin": settings.POMPOLIT_LOG_ORIGIN,
        "licence": settings.POMPOLIT_OPEN_DATA_LICENCE, "format": opendata.FORMAT,
        "manifest": opendata.MANIFEST, "signature": opendata.SIGNATURE,
    })


@requires(PUBLIC)
@require_GET
def open_data_file(request: HttpRequest, file: str) -> HttpResponse:
    built = _open_data()
    if built is None:
        return HttpResponse(_("The open data cannot be signed right now; try again later."),
                            status=503, content_type="text/plain; charset=utf-8")
    data = built.get(file)
    if data is None:
        raise Http404
    etag = f'"{hashlib.sha256(data).hexdigest()}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(data, content_type=_OPEN_DATA_TYPES[Path(file).suffix])
        response["Content-Disposition"] = f'inline; filename="{file}"'
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={opendata.CACHE_SECONDS}"
    # Public data without cookies: any site may fetch it (a researcher's page, a mirror).
    response["Access-Control-Allow-Origin"] = "*"
    return response
