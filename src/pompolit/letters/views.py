"""The writers' pages: public, no account. Only prisoners who can be written to
(`pick.recipients`) appear; any other public id is a 404, exactly like one that does not exist.
The private code travels only in POST bodies and in the one page that shows it."""

from __future__ import annotations

import base64

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pompolit.cases.facilities.addresses import facility_address
from pompolit.cases.models import Facility
from pompolit.core.views import add_errors
from pompolit.letters import campaigns, codes, pick, ratelimit, services
from pompolit.letters.forms import CodeForm, LetterForm, SearchForm
from pompolit.letters.models import MAX_CHARS, Status
from pompolit.letters.rules import rules_for
from pompolit.members.policy import PUBLIC, requires

MAX_UPLOADS = 10  # read at most so many files of one form, whatever was sent


@requires(PUBLIC)
@require_http_methods(["GET", "POST"])
def letters_home(request: HttpRequest) -> HttpResponse:
    # The search is sent by POST, so no name sits in an address or a log.
    form = SearchForm(request.POST or None)
    everyone = pick.recipients()
    found = None
    if request.method == "POST" and form.is_valid():
        found = pick.search(form.cleaned_data["q"], everyone)
    return render(request, "letters/home.html", {
        "form": form, "found": found, "count": len(everyone), "birthdays": pick.birthdays(),
        "campaign": _campaign_name()})


def _campaign_name() -> str:
    running = campaigns.current()
    return campaigns.name(running) if running else ""


@requires(PUBLIC)
@require_GET
def letter_pick(request: HttpRequest) -> HttpResponse:
    chosen = pick.pick()
    if chosen is None:
        return redirect("letters_home")
    return redirect("letter_write", public_id=chosen.public_id)


def _recipient(public_id: str) -> pick.Recipient:
    found = pick.recipient(public_id)
    if found is None:
        raise Http404
    return found


def _images(request: HttpRequest) -> list[bytes]:
    return [f.read(services.MAX_IMAGE_BYTES + 1)
            for f in request.FILES.getlist("images")[:MAX_UPLOADS]]


@requires(PUBLIC)
@require_http_methods(["GET", "POST"])
def letter_write(request: HttpRequest, public_id: str) -> HttpResponse:
    recipient = _recipient(public_id)
    facility = Facility.objects.get(pk=recipient.facility_id)
    rules = rules_for(facility)
    form = LetterForm(request.POST or None, request.FILES or None)
    check = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not ratelimit.allowed(request):
            form.add_error(None, _("Too many letters from your network in the last hour. "
                                   "Please try again later."))
        else:
            try:
                written = services.write_letter(
                    recipient, text=data["text"], return_name=data["return_name"],
                    wants_translation=data["wants_translation"], images=_images(request),
                    code=data["code"])
            except ValidationError as error:
                add_errors(form, error)
            else:
                return render(request, "letters/written.html", {
                    "recipient": recipient,
                    "code": codes.grouped(written.code) if written.code else ""})
    if form.is_bound and form.is_valid():
        check = services.check_letter(rules, form.cleaned_data["text"],
                                      wants_translation=form.cleaned_data["wants_translation"])
    running = campaigns.current()
    return render(request, "letters/write.html", {
        "recipient": recipient, "rules": rules, "form": form, "check": check,
        "address": [recipient.name, *facility_address(facility)], "campaign": running,
        "campaign_name": campaigns.name(running) if running else "",
        "campaign_suggestion": campaigns.suggestion(running) if running else ""})


@requires(PUBLIC)
@require_POST
def letter_check(request: HttpRequest, public_id: str) -> HttpResponse:
    """The live check (htmx): length, language, images — nothing is kept."""
    recipient = _recipient(public_id)
    rules = rules_for(Facility.objects.get(pk=recipient.facility_id))
    check = services.check_letter(
        rules, request.POST.get("text", "")[:MAX_CHARS + 1],
        wants_translation=bool(request.POST.get("wants_translation")))
    return render(request, "letters/check.html", {"check": check, "rules": rules})


@requires(PUBLIC)
@require_http_methods(["GET", "POST"])
def letter_status(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST or None)
    found = None
    if request.method == "POST" and form.is_valid():
        try:
            found = services.letters_of(form.cleaned_data["code"])
        except codes.CodeError as error:
            form.add_error("code", str(error))
    shown = []
    for letter in found or ():
        steps = [s for s in letter.steps.all() if s.to_status != Status.WAITING]
        replies = [{"on": r.received_on, "text": r.transcription,
                    "scan": _data_uri(r.scan.read()) if r.scan else ""}
                   for r in letter.replies.all()]
        shown.append({"letter": letter, "steps": steps, "replies": replies})
    return render(request, "letters/status.html", {"form": form, "found": found is not None,
                                                   "letters": shown})


def _data_uri(jpeg: bytes) -> str:
    # In the page itself: an address for the picture would need the code in it.
    return "data:image/jpeg;base64," + base64.b64encode(jpeg).decode("ascii")
