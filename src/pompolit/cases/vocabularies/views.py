"""Coordinators' pages for the controlled vocabularies (the rules are in services.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pompolit.cases.models import Term
from pompolit.cases.vocabularies import services as vocabularies
from pompolit.cases.vocabularies.forms import term_form
from pompolit.cases.vocabularies.services import Vocabulary
from pompolit.core.views import add_errors, flash_errors
from pompolit.members.policy import COORDINATOR, MemberRequest, current_member, requires


def _vocabulary(slug: str) -> Vocabulary:
    found = vocabularies.VOCABULARIES.get(slug)
    if found is None:
        raise Http404
    return found


def _term(vocabulary: Vocabulary, pk: int) -> Term:
    return get_object_or_404(vocabulary.model, pk=pk)


@requires(COORDINATOR)
@require_GET
def vocabulary_list(request: MemberRequest) -> HttpResponse:
    rows = [(v, v.model._default_manager.count(),
             v.model._default_manager.filter(is_active=True).count())
            for v in vocabularies.VOCABULARIES.values()]
    return render(request, "cases/vocabulary_list.html", {"rows": rows})


@requires(COORDINATOR)
@require_GET
def vocabulary_terms(request: MemberRequest, vocabulary: str) -> HttpResponse:
    found = _vocabulary(vocabulary)
    terms = list(found.model._default_manager.all())
    for term in terms:
        term.uses = vocabularies.uses(term)  # type: ignore[attr-defined]
        term.is_system = term.code in found.system_codes  # type: ignore[attr-defined]
    return render(request, "cases/vocabulary_terms.html", {
        "vocabulary": found, "terms": terms,
    })


@requires(COORDINATOR)
@require_http_methods(["GET", "POST"])
def term_new(request: MemberRequest, vocabulary: str) -> HttpResponse:
    found = _vocabulary(vocabulary)
    form = term_form(found, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            term = vocabularies.add_term(current_member(request), found,
                                         **{k: form.cleaned_data[k] for k in form.fields})
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("“%(label)s” is added.") % {"label": term.label})
            return redirect("vocabulary_terms", vocabulary=found.slug)
    return render(request, "cases/form.html", {
        "form": form, "title": _("New term: %(vocabulary)s") % {"vocabulary": found.title},
        "back": reverse("vocabulary_terms", args=[found.slug]),
    })


@requires(COORDINATOR)
@require_http_methods(["GET", "POST"])
def term_edit(request: MemberRequest, vocabulary: str, term: int) -> HttpResponse:
    found = _vocabulary(vocabulary)
    current = _term(found, term)
    fixed = vocabularies.fixed_fields(current)
    form = term_form(found, request.POST or None, instance=current, fixed=fixed)
    if request.method == "POST" and form.is_valid():
        changes = {k: form.cleaned_data[k] for k in form.fields if k not in fixed}
        try:
            # The form wrote onto its instance already: the service reads the row afresh.
            vocabularies.update_term(current_member(request), _term(found, term), **changes)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("vocabulary_terms", vocabulary=found.slug)
    return render(request, "cases/form.html", {
        "form": form,
        "title": _("%(vocabulary)s: %(term)s") % {"vocabulary": found.title, "term": current.label},
        "back": reverse("vocabulary_terms", args=[found.slug]),
    })


@requires(COORDINATOR)
@require_POST
def term_active(request: MemberRequest, vocabulary: str, term: int) -> HttpResponse:
    found = _vocabulary(vocabulary)
    current = _term(found, term)
    active = request.POST.get("active") == "1"
    vocabularies.set_active(current_member(request), current, active)
    if active:
        messages.success(request, _("“%(label)s” is in use again.") % {"label": current.label})
    else:
        messages.success(request, _("“%(label)s” is no longer offered; records that have it "
                                    "keep it.") % {"label": current.label})
    return redirect("vocabulary_terms", vocabulary=found.slug)


@requires(COORDINATOR)
@require_POST
def term_delete(request: MemberRequest, vocabulary: str, term: int) -> HttpResponse:
    found = _vocabulary(vocabulary)
    current = _term(found, term)
    try:
        vocabularies.delete_term(current_member(request), current)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("“%(label)s” is deleted.") % {"label": current.label})
    return redirect("vocabulary_terms", vocabulary=found.slug)
