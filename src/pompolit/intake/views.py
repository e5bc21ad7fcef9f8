"""The hotline's pages: the operator's console (fast entry, matches as you type, the stations at
a glance), a detention's page (status, lawyer, escalation), the surge board (polled by htmx) and
the public counts as JSON. Names typed into the console go by POST only: never into an address
or a server log."""

from __future__ import annotations

from dataclasses import replace

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe

from pompolit.intake import consent, proposals, services
from pompolit.intake.duty import services as duty
from pompolit.intake.forms import EscalateForm, EventForm, LawyerForm, ReportForm, StatusForm
from pompolit.intake.models import HELD, Detention, Hotline, ProtestEvent, Report
from pompolit.intake.public import photos as report_photos
from pompolit.members import policy
from pompolit.members.policy import MemberRequest, requires
from pompolit.names import parse_name

BOARD_POLL_SECONDS = 10
BOARD_LOG_ENTRIES = 5


def _hotline(request: MemberRequest) -> Hotline:
    hotline = services.hotline_of(request.compartment)
    if hotline is None:
        raise Http404
    return hotline


def _detention(request: MemberRequest, pk: int) -> Detention:
    _hotline(request)
    return get_object_or_404(
        services.detentions_in(request.compartment).select_related(
            "detainee", "facility", "event", "case"
        ),
        pk=pk,
    )


@requires(policy.HOTLINE_STAFF)
def hotline_list(request: MemberRequest) -> HttpResponse:
    return render(
        request,
        "intake/hotlines.html",
        {
            "hotlines": services.hotlines_of(request.user),
            "is_operator": policy.has_roles(request.user, policy.HOTLINE_OPERATOR),
        },
    )


def _console_context(request: MemberRequest, form: ReportForm) -> dict[str, object]:
    compartment = request.compartment
    return {
        "hotline": _hotline(request),
        "compartment": compartment,
        "form": form,
        "board": services.station_board(compartment),
        "counts": services.counts(services.detentions_in(compartment)),
        "held": services.counts(services.detentions_in(compartment).filter(status__in=HELD)),
    }


@requires(policy.HOTLINE_OPERATOR_IN_COMPARTMENT)
def console(request: MemberRequest, compartment: str) -> HttpResponse:
    hotline = _hotline(request)
    form = ReportForm(request.POST or None, compartment=request.compartment, city=hotline.city)
    if request.method == "POST" and form.is_valid():
        try:
            report = _write_down(request, form)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # The confirmation rides in the address (a number, never a name), not in the
            # session's messages: a type-ahead request still in flight as the operator presses
            # Enter saves the session too, and would drop the message.
            url = reverse("intake_console", args=[compartment])
            return HttpResponseRedirect(f"{url}?report={report.pk}")
    context = _console_context(request, form)
    context["written"] = _written(request)
    return render(request, "intake/console.html", context)


@transaction.atomic
def _write_down(request: MemberRequest, form: ReportForm) -> Report:
    """The report, and the event typed in when the operator asked to add it: both or neither."""
    entry = form.entry()
    if form.new_event is not None:
        name, city, day = form.new_event
        event = services.create_event(
            request.user, name=name, city=city, date=day, compartment=request.compartment
        )
        entry = replace(entry, event=event)
    return services.record_report(
        request.user,
        request.compartment,
        entry,
        channel=form.cleaned_data["channel"],
        reporter=form.cleaned_data["reporter"],
        reporter_contact=form.cleaned_data["reporter_contact"],
        link_to=form.link_detention,
        same_person=form.same_person,
    )


def _written(request: MemberRequest) -> str:
    """The line that confirms the report just written down (`?report=<number>`)."""
    number = request.GET.get("report", "")
    report = (
        Report.objects.filter(compartment=request.compartment, pk=number)
        .exclude(detention=None)
        .first()
        if number.isdigit()
        else None
    )
    if report is None:
        return ""
    if report.linked_to_known:
        text = _("Added to detention #%(number)s.")
    else:
        text = _("Written down: detention #%(number)s.")
    return text % {"number": report.detention_id}


@requires(policy.HOTLINE_OPERATOR_IN_COMPARTMENT)
@require_POST
def matches(request: MemberRequest, compartment: str) -> HttpResponse:
    """The detentions the name being typed may be (htmx, by POST: names stay out of logs)."""
    _hotline(request)
    form = ReportForm(request.POST, compartment=request.compartment)
    form.is_valid()  # only what parses is used; the console shows the errors on writing down
    data = form.cleaned_data
    text = data.get("name", "")
    found = []
    if text and not parse_name(text).is_empty:
        moment = form.detained_at()
        found = services.find_matches(
            request.compartment,
            text,
            birth_date=data.get("birth_date"),
            facility=form.station_facility,
            day=moment.date() if moment else None,
        )
    return render(request, "intake/matches.html", {"matches": found, "typed": bool(text)})


@requires(policy.HOTLINE_OPERATOR_IN_COMPARTMENT)
@require_GET
def station_options(request: MemberRequest, compartment: str) -> HttpResponse:
    """Type-ahead: police stations whose name has what was typed (public names, by GET)."""
    _hotline(request)
    query = " ".join(request.GET.get("station", "").split())[:100].casefold()
    # Filtered here, not by the database: SQLite folds the case of Latin letters only.
    labels = [
        services.station_label(f)
        for f in services.stations().order_by("city", "short_name")
        if query in f"{f.short_name} {f.name}".casefold()
    ]
    return render(request, "intake/options.html", {"labels": labels[:30]})


@requires(policy.HOTLINE_OPERATOR_IN_COMPARTMENT)
@require_GET
def event_options(request: MemberRequest, compartment: str) -> HttpResponse:
    hotline = _hotline(request)
    query = " ".join(request.GET.get("event", "").split())[:100].casefold()
    found = ProtestEvent.objects.order_by("-date", "name")
    if not query:
        found = found.filter(city=hotline.city)
    labels = [services.event_label(e) for e in found[:500] if query in e.name.casefold()]
    return render(request, "intake/options.html", {"labels": labels[:30]})


@requires(policy.HOTLINE_OPERATOR_IN_COMPARTMENT)
def detention_detail(request: MemberRequest, compartment: str, pk: int) -> HttpResponse:
    detention = _detention(request, pk)
    escalate_form = EscalateForm(member=request.user)
    return render(
        request,
        "intake/detention.html",
        {
            "detention": detention,
            "compartment": request.compartment,
            "private": services.read_private(request.user, detention),
            "history": detention.history.select_related("facility", "recorded_by"),
            "status_form": StatusForm(detention=detention),
            "lawyer_form": LawyerForm(
                initial={
                    "lawyer": "" if detention.duty_lawyer_id else detention.lawyer,
                    "duty_lawyer": detention.duty_lawyer_id,
                },
                compartment=request.compartment,
            ),
            "escalate_form": escalate_form,
            "may_escalate": policy.has_roles(request.user, policy.CASE_WORKER)
            and escalate_form.has_registry,
            "proposed": proposals.proposed_for(detention),
            "photos": report_photos.of_detention(detention),
        },
    )


def _refused(request: MemberRequest, error: ValidationError | PermissionDenied) -> None:
    text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
    messages.error(request, text)


@requires(policy.HOTLINE_OPERATOR_IN_COMPARTMENT)
@require_POST
def detention_status(request: MemberRequest, compartment: str, pk: int) -> HttpResponse:
    detention = _detention(request, pk)
    form = StatusForm(request.POST, detention=detention)
    if not form.is_valid():
        messages.error(request, _("Pick one of the statuses offered."))
    else:
        try:
            services.change_status(
                request.user,
                detention,
                form.cleaned_data["status"],
                facility=form.cleaned_data["station"],
                location=form.cleaned_data["location"] or None,
                arrest_days=form.cleaned_data["arrest_days"],
            )
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, _("Status changed."))
    return redirect("intake_detention", compartment, pk)


@requires(policy.HOTLINE_OPERATOR_IN_COMPARTMENT)
@require_POST
def detention_lawyer(request: MemberRequest, compartment: str, pk: int) -> HttpResponse:
    detention = _detention(request, pk)
    form = LawyerForm(request.POST, compartment=request.compartment)
    if not form.is_valid():
        messages.error(request, _("Pick a lawyer on duty, or give the lawyer's name."))
    elif form.cleaned_data.get("duty_lawyer"):
        assigned = duty.assign_duty_lawyer(
            request.user, detention, form.cleaned_data["duty_lawyer"]
        )
        messages.success(request, _("Lawyer assigned."))
        if assigned.over_capacity:
            # A warning, not a refusal: a lawyer may agree to take one more.
            messages.warning(
                request,
                _("%(name)s now has more detainees than the %(capacity)s they can take on.")
                % {"name": assigned.lawyer.name, "capacity": assigned.lawyer.capacity},
            )
    else:
        services.assign_lawyer(request.user, detention, form.cleaned_data["lawyer"])
        messages.success(request, _("Lawyer assigned."))
    return redirect("intake_detention", compartment, pk)


@requires(policy.HOTLINE_OPERATOR_IN_COMPARTMENT)
@require_POST
def detention_escalate(request: MemberRequest, compartment: str, pk: int) -> HttpResponse:
    detention = _detention(request, pk)
    form = EscalateForm(request.POST, member=request.user)
    if not form.is_valid():
        messages.error(request, _("Pick the registry compartment the case goes to."))
        return redirect("intake_detention", compartment, pk)
    target = form.cleaned_data["compartment"]
    try:
        case = services.escalate(request.user, detention, target)
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
        return redirect("intake_detention", compartment, pk)
    messages.success(request, _("The detention is now a case in the registry."))
    return redirect("case_detail", target.slug, case.pk)


# -- the hotline's protests and events -------------------------------------------------------


@requires(policy.EVENT_KEEPERS)
def event_list(request: MemberRequest, compartment: str) -> HttpResponse:
    """The hotline's events, newest first, and a form to add one before the calls come."""
    hotline = _hotline(request)
    form = EventForm(
        request.POST or None, initial={"city": hotline.city, "date": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            event = services.create_event(
                request.user, compartment=request.compartment, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Event added: %(event)s.") % {"event": event})
            return redirect("intake_event_list", compartment)
    events = services.events_of(request.compartment).annotate(
        held=Count("detentions", filter=Q(detentions__compartment=request.compartment))
    )
    return render(
        request,
        "intake/events.html",
        {"hotline": hotline, "compartment": request.compartment, "events": events, "form": form},
    )


@requires(policy.EVENT_KEEPERS)
def event_edit(request: MemberRequest, compartment: str, pk: int) -> HttpResponse:
    hotline = _hotline(request)
    event = get_object_or_404(services.events_of(request.compartment), pk=pk)
    form = EventForm(
        request.POST or None, initial={"name": event.name, "city": event.city, "date": event.date}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_event(request.user, request.compartment, event, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, PermissionDenied):
                error = ValidationError(str(error))
            form.add_error(None, error)
        else:
            messages.success(request, _("Event saved: %(event)s.") % {"event": event})
            return redirect("intake_event_list", compartment)
    return render(
        request,
        "intake/event_edit.html",
        {"hotline": hotline, "compartment": request.compartment, "event": event, "form": form},
    )


def _badge(count: int) -> SafeString | str:
    return format_html('<span class="badge warn">{}</span>', count) if count else "0"


def _table_rows(board: list[services.StationRow], listed: bool, station_url: str) -> SafeString:
    """The board's table body, one row per station, drawn here rather than by the template:
    300 stations polled every 10 seconds spent most of the page's time in template tags. Every
    value is escaped by format_html."""
    elsewhere = _("not yet at a station")
    rows = []
    for row in board:
        label = str(row.facility) if row.facility else elsewhere
        if listed:
            anchor = f"station-{row.facility.pk}" if row.facility else ""
            name = format_html('<a href="#{}">{}</a>', anchor, label) if anchor else label
        else:
            link = f"{station_url}?station={row.facility.pk if row.facility else 'none'}"
            name = format_html('<a href="{}" hx-get="{}" hx-target="#station-people" '
                               'hx-swap="outerHTML">{}</a>', link, link, label)
        here = row.lawyers
        lawyers = f"{len(here.lawyers)} ({here.free})" if here else "—"
        rows.append(format_html(
            '<tr><th scope="row">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td>'
            "<td>{}</td><td>{}</td></tr>",
            name, row.held, _badge(row.minors), _badge(row.no_lawyer), _badge(row.urgent),
            row.released, lawyers,
        ))
    return mark_safe("\n".join(rows))  # noqa: S308 - each row made by format_html


def _board_context(request: MemberRequest) -> dict[str, object]:
    compartment = request.compartment
    detentions = services.detentions_in(compartment)
    board = services.station_board(compartment, with_people=True)
    duty.attach_lawyers(board, compartment)
    listed = any(row.detentions for row in board)
    station_url = reverse("intake_board_station", args=[compartment.slug])
    return {
        "table_rows": _table_rows(board, listed, station_url),
        "hotline": _hotline(request),
        "compartment": compartment,
        "board": board,
        "listed": listed,
        "may_dispatch": policy.has_roles(request.user, policy.LAWYER_DISPATCHERS),
        "counts": services.counts(detentions),
        "held": services.counts(detentions.filter(status__in=HELD)),
        "poll_seconds": BOARD_POLL_SECONDS,
        "is_operator": policy.has_roles(request.user, policy.HOTLINE_OPERATOR),
    }


@requires(policy.SURGE_BOARD_READERS)
def board(request: MemberRequest, compartment: str) -> HttpResponse:
    context = _board_context(request)
    # The latest of the shift log, on the page only: the polled part would read it every time.
    context["log"] = duty.read_log(request.user, request.compartment, limit=BOARD_LOG_ENTRIES)
    return render(request, "intake/board.html", context)


@requires(policy.SURGE_BOARD_READERS)
@require_GET
def board_rows(request: MemberRequest, compartment: str) -> HttpResponse:
    """The board's live part, fetched again every few seconds by htmx."""
    return render(request, "intake/board_rows.html", _board_context(request))


@requires(policy.SURGE_BOARD_READERS)
@require_GET
def board_station(request: MemberRequest, compartment: str) -> HttpResponse:
    """One station's people held now (`?station=<id>`, or `none`: not yet at a station): what
    the board opens a station at a time when too many are held to list them all. A fragment
    for htmx, a page of its own otherwise."""
    hotline = _hotline(request)
    wanted = request.GET.get("station", "")
    facility = None
    if wanted != "none":
        if not wanted.isdigit():
            raise Http404
        facility = get_object_or_404(services.stations(), pk=wanted)
    context = {
        "hotline": hotline,
        "compartment": request.compartment,
        "facility": facility,
        "station": wanted,
        "people": services.station_people(request.compartment, facility),
        "poll_seconds": BOARD_POLL_SECONDS,
        "is_operator": policy.has_roles(request.user, policy.HOTLINE_OPERATOR),
    }
    if request.headers.get("HX-Request"):
        return render(request, "intake/board_station.html", context)
    return render(request, "intake/board_station_page.html", context)


@requires(policy.PUBLIC)
@require_safe
def public_counts(request: HttpRequest) -> JsonResponse:
    """Counts for the group's site: detentions and people per day, town and event, and the
    people who agreed to be named (intake/consent.py). Any site may fetch it from a browser:
    it is public, and it takes no cookie and no credentials."""
    data = {**services.public_counts(), "named": consent.named_publicly()}
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "public, max-age=60"
    response["Access-Control-Allow-Origin"] = "*"
    return response
