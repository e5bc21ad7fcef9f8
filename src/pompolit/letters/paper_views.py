"""Letters written on paper at a letter evening: the sheet to print, and the form to enter
them (letters/paper.py). LETTER_MODERATORS, as the services check."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from pompolit.core.views import add_errors
from pompolit.letters import campaigns, paper, pick
from pompolit.letters.forms import PaperForm
from pompolit.letters.models import Campaign
from pompolit.members.policy import LETTER_MODERATORS, MemberRequest, requires


def _form(request: MemberRequest, everyone: list[pick.Recipient]) -> PaperForm:
    return PaperForm(
        request.POST or None, initial={"written_on": timezone.localdate(), "count": 1},
        prisoners=[(r.public_id, f"{r.name} — {r.facility}") for r in everyone],
        campaigns=[(str(c.pk), campaigns.name(c)) for c in Campaign.objects.all()])


@requires(LETTER_MODERATORS)
@require_http_methods(["GET", "POST"])
def letters_paper(request: MemberRequest) -> HttpResponse:
    everyone = pick.recipients()
    form = _form(request, everyone)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = next(r for r in everyone if r.public_id == data["prisoner"])
        campaign = (Campaign.objects.filter(pk=int(data["campaign"])).first()
                    if data["campaign"] else None)
        try:
            entry = paper.enter(request.user, chosen, count=data["count"],
                                written_on=data["written_on"], evening=data["evening"],
                                campaign=campaign, note=data["note"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, ngettext(
                "%(n)d letter to %(name)s entered: it waits in the batches to be posted.",
                "%(n)d letters to %(name)s entered: they wait in the batches to be posted.",
                entry.count) % {"n": entry.count, "name": chosen.name})
            return redirect("letters_paper")
    return render(request, "letters/paper.html", {
        "form": form,
        "entries": [(e, campaigns.name(e.campaign) if e.campaign else "")
                    for e in paper.entries(request.user)]})


@requires(LETTER_MODERATORS)
@require_GET
def letters_paper_sheet(request: MemberRequest) -> HttpResponse:
    pdf = paper.render_sheet(request.user)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="letter-evening-sheet.pdf"'
    return response
