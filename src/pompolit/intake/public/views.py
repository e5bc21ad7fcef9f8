"""The public intake's pages: the form (no account, no JavaScript needed), the private code
shown once, the status page for a code, the public counts page; and the operators' quarantine
queue. Nothing from the public is marked safe: every page escapes what was typed."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from pompolit.core.uploads import dropped_uploads
from pompolit.intake import consent
from pompolit.intake import services as intake
from pompolit.intake.models import Channel, Hotline, Report
from pompolit.intake.public import charts, limits, photos, services
from pompolit.intake.public.forms import NEED_CHOICES, CodeForm, PublicReportForm, RejectForm
from pompolit.intake.public.models import ReportPhoto
from pompolit.intake.public.received import received_page
from pompolit.members import policy
from pompolit.members.policy import MemberRequest, requires


def _too_many(request: HttpRequest, message: str, city: str = "") -> HttpResponse:
    response = render(
        request,
        "intake/public/too_many.html",
        {"message": message, "hotlines": services.contacts_for(city)},
        status=429,
    )
    response["Retry-After"] = str(limits.WINDOW_SECONDS)
    return response


def _private(response: HttpResponse) -> HttpResponse:
    # What the form shows back (the code above all) is kept by no cache and no history.
    response["Cache-Control"] = "no-store"
    return response


# What a browser sends a form as; anything else (JSON, plain text) is no sending of the form.
FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


def _not_a_form(request: HttpRequest) -> HttpResponse | None:
    if request.method == "POST" and request.content_type not in FORM_TYPES:
        return render(request, "intake/public/not_a_form.html", status=415)
    return None


@requires(policy.PUBLIC)
@never_cache
def report_form(request: HttpRequest) -> HttpResponse:
    if (not_a_form := _not_a_form(request)) is not None:
        return not_a_form
    form = PublicReportForm(request.POST or None, request.FILES or None,
                            dropped=dropped_uploads(request))
    if request.method == "POST":
        city = request.POST.get("city", "")
        # Every sending counts here, kept or not: a flood of broken forms stops for the price
        # of one counter, before the form (and its photos) are looked at.
        if limits.over_limit(request, "post", settings.POMPOLIT_INTAKE_POSTS_PER_HOUR):
            return _too_many(request, _too_many_reports(), city)
        if request.POST.get("website"):
            form.add_error(None, _("This form could not be sent. Please try again."))
            return _private(_form_page(request, form, status=400))
        stamp = limits.check_stamp(
            request.POST.get("pow_challenge", ""), request.POST.get("pow_counter", "")
        )
        if stamp is limits.Stamp.VALID:
            limit = settings.POMPOLIT_INTAKE_REPORTS_PER_HOUR
            bucket = "report"
        else:
            limit = settings.POMPOLIT_INTAKE_REPORTS_PER_HOUR_NO_STAMP
            bucket = "report-nostamp"
        # The allowance counts reports stored: a form with mistakes uses none of it.
        if limits.reached(request, bucket, limit):
            return _too_many(request, _too_many_reports(), city)
        if form.is_valid():
            try:
                # Without photos this is submit_public_report itself (intake/public/photos.py).
                submitted = photos.submit_with_photos(
                    form.answers(), channel=Channel.WEB_FORM, photos=form.clean_photos_list)
            except services.Refused as refused:
                form.refused(refused)
            else:
                limits.count(request, bucket)
                hotlines = services.contacts_for(form.cleaned_data["city"])
                return _private(received_page(request, submitted.code, hotlines))
    return _private(_form_page(request, form, status=400 if form.errors else 200))


def _too_many_reports() -> str:
    return _("Too many reports have been sent from your network in the last hour. Please wait a "
             "little, or call the hotline.")


def _form_page(request: HttpRequest, form: PublicReportForm, *, status: int) -> HttpResponse:
    return render(
        request,
        "intake/public/form.html",
        {
            "form": form,
            "challenge": limits.new_challenge(),
            "hotlines": services.contacts_for(""),
        },
        status=status,
    )


@requires(policy.PUBLIC)
@never_cache
def report_status(request: HttpRequest) -> HttpResponse:
    """The code goes by POST only: it never sits in an address or a log."""
    if (not_a_form := _not_a_form(request)) is not None:
        return not_a_form
    form = CodeForm(request.POST or None)
    found = None
    if request.method == "POST":
        if limits.over_limit(request, "lookup", settings.POMPOLIT_INTAKE_LOOKUPS_PER_HOUR):
            return _too_many(
                request,
                _("Too many codes have been checked from your network in the last hour. Please "
                  "try again later."),
            )
        if form.is_valid():
            found = services.status_for_code(form.cleaned_data["code"])
            if found is not None:
                form = CodeForm()  # the code is not written back into the page
            else:
                form.add_error(
                    "code",
                    _("No report has this code. Check it character by character: it has 28 "
                      "letters and digits, in groups of four."),
                )
    return _private(
        render(request, "intake/public/status.html", {"form": form, "status": found})
    )


@requires(policy.PUBLIC)
@require_safe
def counts_page(request: HttpRequest) -> HttpResponse:
    counts = intake.public_counts()
    return render(
        request,
        "intake/public/counts.html",
        {
            "counts": counts,
            "chart": charts.per_day(counts["by_day"]),
            "named": consent.named_publicly(),
        },
    )


# -- the operators' quarantine -----------------------------------------------------------------


def _hotline(request: MemberRequest) -> Hotline:
    hotline = intake.hotline_of(request.compartment)
    if hotline is None:
        raise Http404
    return hotline


@requires(policy.PUBLIC_REPORT_REVIEWERS)
@require_GET
def quarantine(request: MemberRequest, compartment: str) -> HttpResponse:
    hotline = _hotline(request)
    return render(
        request,
        "intake/public/quarantine.html",
        {
            "hotline": hotline,
            "compartment": request.compartment,
            "reports": services.quarantine_of(request.compartment)[:200],
            "waiting": services.quarantine_of(request.compartment).count(),
        },
    )


@requires(policy.PUBLIC_REPORT_REVIEWERS)
def quarantine_report(request: MemberRequest, compartment: str, pk: int) -> HttpResponse:
    hotline = _hotline(request)
    report = get_object_or_404(
        Report.objects.filter(compartment=request.compartment).exclude(channel=Channel.HOTLINE),
        pk=pk,
    )
    reject_form = RejectForm(request.POST if request.POST.get("action") == "reject" else None)
    refusals: list[str] = []
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "accept":
                detention = services.accept_as_new(request.user, report)
                messages.success(request, _(
                    "Report #%(report)s accepted: it is now detention #%(detention)s."
                ) % {"report": report.pk, "detention": detention.pk})
                return redirect("intake_detention", compartment=compartment, pk=detention.pk)
            if action == "link":
                target = get_object_or_404(
                    intake.detentions_in(request.compartment),
                    pk=request.POST.get("detention") or 0,
                )
                services.link_to_detention(request.user, report, target)
                messages.success(request, _(
                    "Report #%(report)s added to detention #%(detention)s."
                ) % {"report": report.pk, "detention": target.pk})
                return redirect("intake_detention", compartment=compartment, pk=target.pk)
            if action == "reject" and reject_form.is_valid():
                photos.reject(request.user, report, reject_form.cleaned_data["reason"])
                messages.success(request, _("Report #%(report)s rejected: it is not counted.")
                                 % {"report": report.pk})
                return redirect("intake_quarantine", compartment=compartment)
        except ValidationError as error:
            refusals.extend(error.messages)
    said = services.read_report(request.user, report)
    said["needs"] = [str(label) for key, label in NEED_CHOICES if key in said["claims"].get(
        "needs", [])]
    return render(
        request,
        "intake/public/review.html",
        {
            "hotline": hotline,
            "compartment": request.compartment,
            "report": report,
            "said": said,
            "matches": services.matches_for(report) if report.quarantine == "pending" else [],
            "reject_form": reject_form,
            "refusals": refusals,
            "photos": photos.of_report(report),
        },
        status=400 if reject_form.errors or refusals else 200,
    )


@requires(policy.PUBLIC_REPORT_REVIEWERS)
@require_GET
def report_photo(request: MemberRequest, compartment: str, pk: int) -> HttpResponse:
    """A public report's photo, decrypted for an operator of its hotline; never a public
    address, never cached, never guessed as anything but a JPEG."""
    photo = get_object_or_404(
        ReportPhoto.objects.select_related("report"),
        pk=pk, report__isnull=False, compartment=request.compartment,
    )
    data = photos.read_photo(request.user, photo)
    if data is None:
        raise Http404
    response = HttpResponse(data, content_type=photos.CONTENT_TYPE)
    add_never_cache_headers(response)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = (
        f'inline; filename="report-{photo.report_id}-photo-{photo.pk}.jpg"')
    return response
