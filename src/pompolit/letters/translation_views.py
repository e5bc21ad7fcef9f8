"""Translation tasks (letters/translations.py): a volunteer's queue in the languages they
declared, and one letter to translate. LETTER_TRANSLATORS, as the services check."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pompolit.aid.vocabulary import language_label
from pompolit.core.views import add_errors
from pompolit.letters import translations
from pompolit.letters.forms import TranslationForm, TranslatorLanguagesForm
from pompolit.letters.rules import rules_for
from pompolit.members.policy import LETTER_TRANSLATORS, MemberRequest, requires


@requires(LETTER_TRANSLATORS)
@require_http_methods(["GET", "POST"])
def letter_translations(request: MemberRequest) -> HttpResponse:
    declared = translations.languages_of(request.user)
    form = TranslatorLanguagesForm(request.POST or None, initial={"languages": declared})
    if request.method == "POST" and form.is_valid():
        translations.declare_languages(request.user, form.cleaned_data["languages"])
        messages.success(request, _("Your languages are saved."))
        return redirect("letter_translations")
    return render(request, "letters/translations.html", {
        "form": form, "declared": [language_label(code) for code in declared],
        "tasks": [(letter, language_label(letter.language))
                  for letter in translations.tasks(request.user)[:100]]})


@requires(LETTER_TRANSLATORS)
@require_http_methods(["GET", "POST"])
def letter_translate(request: MemberRequest, pk: int) -> HttpResponse:
    letter = (translations.tasks(request.user).filter(pk=pk).first()
              if request.method == "POST" else translations.open_task(request.user, pk))
    if letter is None:
        raise Http404
    rules = rules_for(letter.facility)
    previous = translations.latest(letter)
    form = TranslationForm(
        request.POST or None, languages=[(c, language_label(c)) for c in rules.languages],
        initial={"language": rules.languages[0] if rules.languages else "",
                 "text": previous.text if previous else ""})
    if request.method == "POST" and form.is_valid():
        try:
            translations.translate(request.user, letter, text=form.cleaned_data["text"],
                                   language=form.cleaned_data["language"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Thank you: the translation is saved; a moderator "
                                        "will read it beside the original."))
            return redirect("letter_translations")
    return render(request, "letters/translate.html", {
        "letter": letter, "form": form, "rules": rules,
        "language": language_label(letter.language)})
