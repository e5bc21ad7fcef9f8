"""Writing a letter: the checks a writer sees while typing, and sending it to moderation; and
what the writer's code shows. Moderation, sending and replies: `letters/work.py`.

Nothing here knows who the writer is: no account, no address (`letters/ratelimit.py`), and
the audit entry of a written letter names no actor and no client.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pompolit.aid.vocabulary import language_label
from pompolit.audit.services import record
from pompolit.cases.models import Case, Facility
from pompolit.core.images import ImageRefused, clean_image
from pompolit.letters import campaigns, codes, language, topics
from pompolit.letters.models import MAX_CHARS, Channel, Letter, LetterImage, LetterStep, Status
from pompolit.letters.pick import Recipient
from pompolit.letters.rules import Rules, rules_for
from pompolit.vault.errors import VaultError
from pompolit.vault.fields.files import Upload

MAX_IMAGE_BYTES = 5 * 1024 * 1024
IMAGE_SIDE = 1600
MAX_RETURN_NAME = 100


def _at_most(n: int) -> str:
    return ngettext("At most %(n)s character.", "At most %(n)s characters.", n) % {"n": n}


@dataclass
class Check:
    """What the form says while the writer types: problems stop sending, notes do not."""

    chars: int = 0
    max_chars: int = 0
    language: str = ""
    problems: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def language_name(self) -> str:
        return language_label(self.language) if self.language else ""


def check_letter(rules: Rules, text: str, *, wants_translation: bool = False,
                 images: Sequence[bytes] = ()) -> Check:
    text = text.strip()
    limit = min(rules.max_chars, MAX_CHARS)
    found = Check(chars=len(text), max_chars=limit, language=language.detect(text))
    if not text:
        found.problems["text"] = _("Write the letter.")
    elif len(text) > limit:
        found.problems["text"] = ngettext(
            "The letter is %(chars)d characters long; this facility takes at most %(max)d "
            "character.",
            "The letter is %(chars)d characters long; this facility takes at most %(max)d "
            "characters.", limit) % {"chars": len(text), "max": limit}
    if found.language and found.language not in rules.languages:
        allowed = ", ".join(rules.language_labels)
        if wants_translation:
            found.notes.append(_("Volunteers will translate it into %(languages)s before it "
                                 "is sent.") % {"languages": allowed})
        else:
            found.problems["text"] = _(
                "The letter seems to be in %(language)s; the censor there lets through only "
                "%(languages)s. Write in that language, or ask for a translation below."
            ) % {"language": language_label(found.language), "languages": allowed}
    allowed_images = rules.images_allowed
    if len(images) > allowed_images:
        found.problems["images"] = (
            _("This facility does not accept images.") if not allowed_images else ngettext(
                "At most %(n)d image.", "At most %(n)d images.", allowed_images
            ) % {"n": allowed_images})
    for number, data in enumerate(images, start=1):
        if len(data) > MAX_IMAGE_BYTES:
            found.problems["images"] = _("Image %(n)d is larger than %(mb)d MB.") % {
                "n": number, "mb": MAX_IMAGE_BYTES // (1024 * 1024)}
    return found


def _clean_images(images: Sequence[bytes]) -> list[bytes]:
    cleaned = []
    for number, data in enumerate(images, start=1):
        try:
            cleaned.append(clean_image(data, max_side=IMAGE_SIDE))
        except ImageRefused:
            raise ValidationError({"images": _(
                "Image %(n)d cannot be read as a photo (JPEG, PNG or WebP)."
            ) % {"n": number}}) from None
    return cleaned


@dataclass(frozen=True)
class Written:
    letter: Letter
    code: str  # "" when the writer gave a code of their own


def write_letter(recipient: Recipient, *, text: str, return_name: str = "",
                 wants_translation: bool = False, images: Sequence[bytes] = (),
                 code: str = "") -> Written:
    """A letter from a stranger to someone they may write to (`pick.recipients`), waiting for
    moderation. `code`: a code the writer already holds, to follow all their letters with one;
    otherwise a new one is made and returned — the only time it is ever seen."""
    case = Case.objects.get(pk=recipient.case_id)
    facility = Facility.objects.get(pk=recipient.facility_id)
    rules = rules_for(facility)
    text = text.strip()
    found = check_letter(rules, text, wants_translation=wants_translation, images=images)
    if not found.ok:
        raise ValidationError(found.problems)
    return_name = " ".join(return_name.split())
    if len(return_name) > MAX_RETURN_NAME:
        raise ValidationError({"return_name": _at_most(MAX_RETURN_NAME)})
    new_code = ""
    if code.strip():
        try:
            writer = codes.writer_hash(code)
        except codes.CodeError as error:
            raise ValidationError({"code": str(error)}) from None
    else:
        new_code = codes.new_code()
        writer = codes.writer_hash(new_code)
    cleaned = _clean_images(images)
    channel = Channel.ELECTRONIC if facility.letter_service else Channel.POST
    try:
        with transaction.atomic():
            letter = Letter.objects.create(
                case=case, facility=facility, text=text, return_name=return_name,
                language=found.language, wants_translation=wants_translation,
                writer_hash=writer, channel=channel, status=Status.WAITING,
                flags=topics.flags_for(text, rules.topics_to_avoid),
                campaign=campaigns.current())
            for number, data in enumerate(cleaned, start=1):
                image: dict[str, Any] = {"image": Upload(f"image-{number}.jpg", data,
                                                         "image/jpeg")}
                LetterImage.objects.create(letter=letter, **image)
            LetterStep.objects.create(letter=letter, to_status=Status.WAITING)
            record("letters.letter_written", obj=letter, details={
                "case": case.pk, "language": found.language, "images": len(cleaned),
                "translation": wants_translation, "campaign": letter.campaign_id})
    except VaultError as error:
        raise ValidationError(_("Letters cannot be taken now: %(reason)s")
                              % {"reason": error}) from None
    return Written(letter, new_code)


def letters_of(code: str) -> list[Letter]:
    """The letters a code follows, newest first; CodeError for a code mistyped."""
    return list(Letter.objects.filter(writer_hash=codes.writer_hash(code))
                .select_related("case__person", "facility")
                .prefetch_related("steps", "replies").order_by("-created_at", "-pk"))
