"""The coordinators' review queue of possible duplicates, merging and undoing, and the
as-you-type match endpoint for forms that register people."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pompolit.cases.duplicates import merge as merging
from pompolit.cases.duplicates import services
from pompolit.cases.duplicates.forms import DecisionForm, MergeForm, TypedNameForm
from pompolit.cases.duplicates.models import PersonMerge
from pompolit.cases.models import Person
from pompolit.core.views import add_errors, flash_errors
from pompolit.members.approvals import ApprovalError
from pompolit.members.models import ApprovalRequest
from pompolit.members.policy import (
    CASE_WORKER,
    DUPLICATE_REVIEWERS,
    MATCH_SEEKERS,
    MemberRequest,
    has_roles,
    requires,
    sudo,
)


@requires(DUPLICATE_REVIEWERS)
@require_GET
def duplicate_queue(request: MemberRequest) -> HttpResponse:
    items = services.queue(request.user)
    merges = PersonMerge.objects.order_by("-pk")[:20]
    return render(
        request,
        "cases/duplicates/queue.html",
        {
            "items": items,
            "merges": merges,
            "decision_form": DecisionForm(),
        },
    )


@requires(DUPLICATE_REVIEWERS)
@require_POST
def duplicate_decide(request: MemberRequest) -> HttpResponse:
    form = DecisionForm(request.POST)
    if not form.is_valid() or form.cleaned_data["first"] == form.cleaned_data["second"]:
        messages.error(request, _("Choose a decision for the pair."))
    else:
        data = form.cleaned_data
        services.decide(request.user, data["first"], data["second"], data["verdict"])
        messages.success(request, _("The decision is recorded."))
    return redirect("cases:duplicate_queue")


@requires(sudo(DUPLICATE_REVIEWERS))
@require_http_methods(["GET", "POST"])
def duplicate_merge(request: MemberRequest, first: int, second: int) -> HttpResponse:
    item = services.queue_item(request.user, first, second)
    if item is None:
        raise Http404
    people = {item.first.pk: item.first, item.second.pk: item.second}
    choices = [(card.pk, f"{card.display_name} (#{card.pk})") for card in people.values()]
    form = MergeForm(
        request.POST or None,
        choices=choices,
        initial={"survivor": min(people, key=lambda pk: (-people[pk].cases, pk))},
    )
    survivor_pk = form.data.get("survivor") if form.is_bound else form.initial["survivor"]
    persons = {p.pk: p for p in Person.objects.filter(pk__in=people)}
    reasons = merging.second_person_reasons(persons[item.first.pk], persons[item.second.pk])
    if request.method == "POST" and form.is_valid():
        survivor = persons[form.cleaned_data["survivor"]]
        merged = persons[item.second.pk if survivor.pk == item.first.pk else item.first.pk]
        try:
            done = merging.merge_people(
                request.user, survivor, merged, reason=form.cleaned_data["reason"]
            )
        except (ValidationError, ApprovalError, PermissionDenied) as error:
            add_errors(
                form, error if isinstance(error, ValidationError) else ValidationError(str(error))
            )
        else:
            if isinstance(done, ApprovalRequest):
                messages.success(
                    request,
                    _(
                        "Request #%(id)s is waiting for a second coordinator's approval; the "
                        "people are merged when it is approved."
                    )
                    % {"id": done.pk},
                )
                return redirect("approval_detail", done.pk)
            messages.success(request, _("Merged. The merge can be undone from its page."))
            return redirect("cases:merge_detail", done.pk)
    return render(
        request,
        "cases/duplicates/merge.html",
        {
            "item": item,
            "form": form,
            "reasons": reasons,
            "survivor_pk": survivor_pk,
        },
    )


@requires(DUPLICATE_REVIEWERS)
@require_GET
def merge_detail(request: MemberRequest, pk: int) -> HttpResponse:
    merge = get_object_or_404(PersonMerge, pk=pk)
    cards = services.cards([merge.survivor, merge.merged])
    return render(
        request,
        "cases/duplicates/merge_detail.html",
        {
            "merge": merge,
            "survivor": cards.get(merge.survivor),
            "merged": cards.get(merge.merged),
            "snapshot_names": len(merge.snapshot.get("names", [])),
            "snapshot_cases": len(merge.snapshot.get("cases", [])),
        },
    )


@requires(sudo(DUPLICATE_REVIEWERS))
@require_POST
def merge_undo(request: MemberRequest, pk: int) -> HttpResponse:
    merge = get_object_or_404(PersonMerge, pk=pk)
    try:
        merging.undo_merge(request.user, merge)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The merge is undone: both people are back."))
    return redirect("cases:merge_detail", merge.pk)


@requires(MATCH_SEEKERS)
@require_POST
def possible_matches(request: MemberRequest) -> HttpResponse:
    """The partial a form shows under the name while it is typed (htmx): possible matches in
    the member's compartments, and only the fact that there is one elsewhere."""
    form = TypedNameForm(request.POST)
    form.is_valid()
    text = form.text() if hasattr(form, "cleaned_data") else ""
    birth = form.cleaned_data.get("birth_date") if "birth_date" not in form.errors else None
    found = services.possible_matches(request.user, text, birth) if text.strip() else None
    return render(
        request,
        "cases/duplicates/possible_matches.html",
        {
            "matches": found,
            "can_open": has_roles(request.user, CASE_WORKER),
        },
    )
