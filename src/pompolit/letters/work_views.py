"""The volunteers' pages: the moderation queue, a letter with its decisions and steps, its
reply, and the statistics. Declared LETTER_MODERATORS; the services check it again."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pompolit.aid.vocabulary import language_label
from pompolit.cases.facilities.addresses import facility_address, recipient_line
from pompolit.cases.models import Facility
from pompolit.core.views import add_errors, flash_errors
from pompolit.ledger.models import Fund
from pompolit.letters import batch_prints, batches, costs, kit, rules, translations, work
from pompolit.letters.forms import DECISIONS, OUTCOMES, ReplyForm, RulesForm, StepForm
from pompolit.letters.models import TRANSITIONS, BatchPrint, Letter, LetterRules, Status
from pompolit.letters.topics import TOPICS
from pompolit.letters.views import _data_uri
from pompolit.members.policy import LETTER_MODERATORS, MemberRequest, requires

PAGE = 50


@requires(LETTER_MODERATORS)
@require_GET
def letters_queue(request: MemberRequest) -> HttpResponse:
    status = request.GET.get("status", Status.WAITING)
    if status not in Status.values:
        status = Status.WAITING
    found = (work.queue(request.user) if status == Status.WAITING
             else work.letters(request.user, status).order_by("created_at", "pk"))
    page = work.page_of(found, PAGE, request.GET.get("page"))
    return render(request, "letters/queue.html", {
        "page": page, "status": status, "statuses": Status.choices,
        "topics": {code: t.label for code, t in TOPICS.items()}})


def _letter(request: MemberRequest, pk: int) -> Letter:
    found = (work.letters(request.user).filter(pk=pk)
             .prefetch_related("steps__actor", "images", "replies").first())
    if found is None:
        raise Http404
    return found


def _choices(letter: Letter) -> list[tuple[str, object]]:
    allowed = TRANSITIONS.get(letter.status, ())
    return [(code, label) for code, label in DECISIONS + OUTCOMES if code in allowed]


@requires(LETTER_MODERATORS)
@require_GET
def letter_detail(request: MemberRequest, pk: int) -> HttpResponse:
    letter = _letter(request, pk)
    choices = _choices(letter)
    return render(request, "letters/detail.html", {
        "letter": letter, "rules": rules.rules_for(letter.facility),
        "language": language_label(letter.language) if letter.language else "",
        "address": [recipient_line(letter.case), *facility_address(letter.facility)],
        "flags": [TOPICS[code].label for code in letter.flags if code in TOPICS],
        "images": [_data_uri(i.image.read()) for i in letter.images.all()],
        "replies": [{"reply": r, "scan": _data_uri(r.scan.read()) if r.scan else ""}
                    for r in letter.replies.all()],
        "translation": translations.latest(letter) if letter.wants_translation else None,
        "needs_translation": translations.needs_translation(letter),
        "step_form": StepForm(choices=choices) if choices else None,
        "reply_form": (ReplyForm(initial={"received_on": timezone.localdate()})
                       if letter.status in (Status.SENT, Status.DELIVERED) else None),
    })


@requires(LETTER_MODERATORS)
@require_POST
def letter_step(request: MemberRequest, pk: int) -> HttpResponse:
    letter = _letter(request, pk)
    form = StepForm(request.POST, choices=_choices(letter))
    if not form.is_valid():
        messages.error(request, _("Choose what happened to the letter."))
        return redirect("letter_detail", pk=pk)
    try:
        work.move(request.user, letter, form.cleaned_data["to"], note=form.cleaned_data["note"])
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("letter_detail", pk=pk)
    messages.success(request, _("Letter #%(n)d is now: %(status)s.") % {
        "n": letter.pk, "status": Status(form.cleaned_data["to"]).label})
    if form.cleaned_data["to"] in (Status.APPROVED, Status.SENT_BACK, Status.REJECTED):
        return redirect("letters_queue")
    return redirect("letter_detail", pk=pk)


@requires(LETTER_MODERATORS)
@require_GET
def letters_kit_cards(request: MemberRequest) -> HttpResponse:
    """The letter-evening kit's cards, a page each (letters/kit.py)."""
    response = HttpResponse(kit.render_pdf(request.user), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="letter-evening-cards.pdf"'
    return response


@requires(LETTER_MODERATORS)
@require_http_methods(["GET", "POST"])
def letter_reply(request: MemberRequest, pk: int) -> HttpResponse:
    letter = _letter(request, pk)
    form = ReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        scan = form.cleaned_data["scan"]
        try:
            work.add_reply(request.user, letter, received_on=form.cleaned_data["received_on"],
                           scan=scan.read(20 * 1024 * 1024) if scan else None,
                           transcription=form.cleaned_data["transcription"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The reply is kept; the writer can read it with "
                                        "their code."))
            return redirect("letter_detail", pk=pk)
    return render(request, "letters/reply.html", {"letter": letter, "form": form})


@requires(LETTER_MODERATORS)
@require_GET
def letters_stats(request: MemberRequest) -> HttpResponse:
    return render(request, "letters/stats.html", work.statistics(request.user))


# -- sending ---------------------------------------------------------------------------------


@requires(LETTER_MODERATORS)
@require_GET
def letters_batches(request: MemberRequest) -> HttpResponse:
    found = batches.groups(request.user)
    prints = batch_prints.mine(request.user)
    rows = [(g, _print_context(prints.get((g.facility_id, g.channel)))) for g in found]
    return render(request, "letters/batches.html", {
        "rows": [{"group": g, "background": batch_prints.in_background(g), "print": p}
                 for g, p in rows],
        "funds": costs.letter_funds(),
        "waiting": any(p and p["polling"] for _g, p in rows)})


def _group(request: MemberRequest, facility: int, channel: str) -> batches.Group:
    found = batches.group(request.user, facility, channel)
    if found is None:
        raise Http404
    return found


@requires(LETTER_MODERATORS)
@require_GET
def letters_batch_pdf(request: MemberRequest, facility: int, channel: str) -> HttpResponse:
    found = _group(request, facility, channel)
    if batch_prints.in_background(found):
        messages.info(request, _("This group is long: prepare its PDF in the background."))
        return redirect("letters_batches")
    pdf = batches.render_pdf(found)
    batches.record_printed(request.user, found, "pdf")
    return _pdf_download(pdf)


def _pdf_download(pdf: bytes) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="letters.pdf"'
    response["Cache-Control"] = "no-store"
    return response


def _print_context(row: BatchPrint | None) -> dict[str, object] | None:
    if row is None:
        return None
    failure = batch_prints.failure(row)
    return {"row": row, "failure": failure,
            "polling": not failure and row.state in batch_prints.IN_PROGRESS}


@requires(LETTER_MODERATORS)
@require_POST
def letters_batch_prepare(request: MemberRequest, facility: int, channel: str) -> HttpResponse:
    """Queue the group's PDF for the worker (letters/batch_prints.py)."""
    found = _group(request, facility, channel)
    batch_prints.queue(request.user, found)
    messages.success(request, _("The PDF is being prepared; this page shows how far it got."))
    return redirect(reverse("letters_batches") + f"#group-{facility}-{channel}")


@requires(LETTER_MODERATORS)
@require_GET
def letters_batch_progress(request: MemberRequest, facility: int, channel: str) -> HttpResponse:
    """How far the member's PDF of the group got: the part of the batches page htmx polls."""
    row = batch_prints.of_group(request.user, facility, channel)
    return render(request, "letters/batch_print.html", {
        "facility_id": facility, "channel": channel, "print": _print_context(row)})


@requires(LETTER_MODERATORS)
@require_POST
def letters_batch_prepared(request: MemberRequest, facility: int, channel: str) -> HttpResponse:
    """The member's prepared PDF, once: it is deleted as it is handed over."""
    pdf = batch_prints.take(request.user, facility, channel)
    if pdf is None:
        messages.warning(request, _("This PDF was already downloaded or has expired; prepare "
                                    "it again."))
        return redirect("letters_batches")
    return _pdf_download(pdf)


@requires(LETTER_MODERATORS)
@require_GET
def letters_batch_zip(request: MemberRequest, facility: int, channel: str) -> HttpResponse:
    found = _group(request, facility, channel)
    data = batches.service_zip(found)
    batches.record_printed(request.user, found, "zip")
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="letters.zip"'
    return response


@requires(LETTER_MODERATORS)
@require_POST
def letters_batch_sent(request: MemberRequest, facility: int, channel: str) -> HttpResponse:
    found = _group(request, facility, channel)
    chosen = request.POST.get("fund", "")
    fund = Fund.objects.filter(pk=int(chosen)).first() if chosen.isdigit() else None
    try:
        done = batches.mark_sent(request.user, found, fund)
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("letters_batches")
    messages.success(request, ngettext("%(n)d letter marked sent.", "%(n)d letters marked sent.",
                                       done.sent) % {"n": done.sent})
    if done.waiting:
        messages.warning(request, ngettext(
            "%(n)d letter waits for a coordinator to approve its cost; mark the batch sent "
            "again once it is approved.",
            "%(n)d letters wait for a coordinator to approve their cost; mark the batch sent "
            "again once they are approved.", len(done.waiting)) % {"n": len(done.waiting)})
    return redirect("letters_batches")


@requires(LETTER_MODERATORS)
@require_http_methods(["GET", "POST"])
def letter_rules(request: MemberRequest, facility: int) -> HttpResponse:
    found = Facility.objects.filter(pk=facility).first()
    if found is None:
        raise Http404
    current = LetterRules.objects.filter(facility=found).first()
    initial = ({key: getattr(current, key) for key in rules.EDITABLE} if current
               else {"accepts_letters": True, "max_chars": rules.DEFAULT_MAX_CHARS,
                     "postcards_accepted": True, "max_images": 0})
    form = RulesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            rules.save_rules(request.user, found, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The letter rules of %(facility)s are saved.")
                             % {"facility": found})
            return redirect("letter_rules", facility=found.pk)
    return render(request, "letters/rules.html", {"facility": found, "form": form,
                                                  "rules": rules.rules_for(found)})
