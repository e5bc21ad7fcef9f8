"""Translation tasks: letters written in a language the facility's censor does not read, whose
writer asked volunteers to translate them.

Any full member may volunteer (LETTER_TRANSLATORS): they declare the languages they can
translate from, and their queue holds only the letters waiting for moderation in those
languages. The translation is encrypted as the letter is; the moderator reads it beside the
original, may not approve the letter until it is there, and the letter is sent in it
(`texts_to_send`, used by the batches). Opening a letter to translate it and saving a
translation are both in the audit trail: a translator reads what strangers wrote.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from pompolit.aid.vocabulary import LANGUAGES
from pompolit.audit.services import record
from pompolit.letters.models import MAX_CHARS, Letter, Status, Translation, TranslatorLanguages
from pompolit.letters.rules import rules_for
from pompolit.members import policy
from pompolit.members.models import Member

REFUSAL = "Only members of the group translate letters."


def _require(actor: Member | None) -> None:
    policy.require(actor, policy.LETTER_TRANSLATORS, _(REFUSAL))


def languages_of(member: Member) -> list[str]:
    found = TranslatorLanguages.objects.filter(member=member).values_list("languages",
                                                                          flat=True).first()
    return [code for code in (found or []) if code in LANGUAGES]


def declare_languages(actor: Member, languages: Iterable[str]) -> list[str]:
    """The languages `actor` can translate from (codes of aid.vocabulary.LANGUAGES)."""
    _require(actor)
    chosen = sorted({code for code in languages if code in LANGUAGES})
    with transaction.atomic():
        TranslatorLanguages.objects.update_or_create(
            member=actor, defaults={"languages": chosen, "updated_at": timezone.now()})
        record("letters.translator_languages", actor=actor, details={"languages": chosen})
    return chosen


def needs_translation(letter: Letter) -> bool:
    """Asked for, and in a language the facility's censor does not read."""
    return (letter.wants_translation and bool(letter.language)
            and letter.language not in rules_for(letter.facility).languages)


def latest(letter: Letter) -> Translation | None:
    return letter.translations.order_by("-created_at", "-pk").first()


def tasks(actor: Member) -> QuerySet[Letter]:
    """Letters waiting for moderation whose writer asked for a translation, in the languages
    `actor` declared; the untranslated first, then the oldest. No text decrypted here."""
    _require(actor)
    return (Letter.objects.filter(status=Status.WAITING, wants_translation=True,
                                  language__in=languages_of(actor))
            .select_related("case__person", "facility")
            .annotate(translated=Exists(Translation.objects.filter(letter=OuterRef("pk"))))
            .order_by("translated", "created_at", "pk"))


def open_task(actor: Member, pk: int) -> Letter | None:
    """One letter of `actor`'s queue, its reading recorded; None if it is not theirs."""
    found = tasks(actor).filter(pk=pk).first()
    if found is not None:
        record("letters.translation_opened", actor=actor, obj=found, details={
            "case": found.case_id, "language": found.language})
    return found


def translate(actor: Member, letter: Letter, *, text: str, language: str) -> Translation:
    """The translation of a letter of `actor`'s queue into a language the censor reads."""
    _require(actor)
    text = text.strip()
    current = tasks(actor).filter(pk=letter.pk).first()
    if current is None:
        raise ValidationError(_("This letter does not wait for a translation from you: it "
                                "was moderated, or is in a language you did not declare."))
    rules = rules_for(current.facility)
    if language not in rules.languages:
        raise ValidationError({"language": _(
            "The censor there reads only %(languages)s.") % {
                "languages": ", ".join(rules.language_labels)}})
    limit = min(rules.max_chars, MAX_CHARS)
    if not text:
        raise ValidationError({"text": _("Type the translation.")})
    if len(text) > limit:
        raise ValidationError({"text": _(
            "The translation is %(chars)d characters long; this facility takes at most "
            "%(max)d.") % {"chars": len(text), "max": limit}})
    with transaction.atomic():
        made = Translation.objects.create(letter=current, language=language, text=text,
                                          translated_by=actor)
        record("letters.translated", actor=actor, obj=current, details={
            "case": current.case_id, "from": current.language, "to": language,
            "translation": made.pk})
    return made


def texts_to_send(letters: Sequence[Letter]) -> dict[int, str]:
    """The text each letter is sent in: its latest translation where it has one."""
    wanted = [letter.pk for letter in letters if letter.wants_translation]
    found: dict[int, str] = {}
    for translation in (Translation.objects.filter(letter_id__in=wanted)
                        .order_by("letter_id", "created_at", "pk")):
        found[translation.letter_id] = translation.text  # the latest wins
    return found
