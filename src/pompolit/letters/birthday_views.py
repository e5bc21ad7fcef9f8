"""Birthdays: the public "write to them this week", and a birthday card to print for a
prisoner of one's own compartments (letters/birthdays.py)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from pompolit.letters import birthdays
from pompolit.members.policy import LETTER_MODERATORS, PUBLIC, MemberRequest, requires


@requires(PUBLIC)
@require_GET
def letters_birthdays(request: HttpRequest) -> HttpResponse:
    return render(request, "letters/birthdays.html", {
        "birthdays": birthdays.this_week(), "days": birthdays.PUBLIC_DAYS})


@requires(LETTER_MODERATORS)
@require_GET
def letters_birthday_card(request: MemberRequest, pk: int) -> HttpResponse:
    case = birthdays.card_case(request.user, pk)
    if case is None:
        raise Http404
    response = HttpResponse(birthdays.render_card(request.user, case),
                            content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="birthday-card.pdf"'
    return response
