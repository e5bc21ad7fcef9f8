"""The volunteers' side: the moderation queue and its decisions, sending, what became of a
sent letter, and replies. Every step is a `LetterStep` (append-only) and an audit entry,
written together; only LETTER_MODERATORS may take one.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pompolit.audit.services import record
from pompolit.core.images import ImageRefused, clean_image
from pompolit.letters import costs
from pompolit.letters.models import TRANSITIONS, Letter, LetterStep, Reply, Status
from pompolit.members import policy
from pompolit.members.models import Member
from pompolit.vault.fields.files import Upload

REFUSAL = "Only case workers and coordinators handle letters."
# Decisions that the writer must be told why.
NEEDS_NOTE = (Status.SENT_BACK, Status.REJECTED, Status.BLOCKED, Status.RETURNED)
MAX_NOTE = 1000
SCAN_SIDE = 2400
MAX_TRANSCRIPTION = 20_000


def _at_most(n: int) -> str:
    return ngettext("At most %(n)s character.", "At most %(n)s characters.", n) % {"n": n}


def _require(actor: Member | None) -> None:
    policy.require(actor, policy.LETTER_MODERATORS, _(REFUSAL))


def queue(actor: Member) -> QuerySet[Letter]:
    """Letters waiting for moderation, the oldest first (no text decrypted here)."""
    _require(actor)
    return (Letter.objects.filter(status=Status.WAITING)
            .select_related("case__person", "facility").order_by("created_at", "pk"))


# What a line of the queue shows: no text, nothing encrypted is even read.
LISTED = ("created_at", "flags", "wants_translation", "case__person__display_name",
          "facility__name", "facility__short_name")


def page_of(found: QuerySet[Letter], per_page: int, number: Any) -> Page[Letter]:
    """One page of a list of letters: the page's ids first, from the letters' table alone
    (the index on status and date), then those letters with what a line shows — so a page
    deep in a long queue never joins the rows before it."""
    ids = Paginator(found.values_list("pk", flat=True), per_page).get_page(number)
    shown = {letter.pk: letter for letter in found.filter(pk__in=list(ids)).only(*LISTED)}
    page: Page[Letter] = Page([shown[pk] for pk in ids if pk in shown], ids.number,
                              ids.paginator)  # type: ignore[arg-type]
    return page


def letters(actor: Member, status: str = "") -> QuerySet[Letter]:
    _require(actor)
    found = Letter.objects.select_related("case__person", "facility")
    if status:
        found = found.filter(status=status)
    return found.order_by("-created_at", "-pk")


def move(actor: Member | None, letter: Letter, to: str, *, note: str = "",
         on: datetime.date | None = None) -> Letter:
    """One step of a letter: a moderator's decision, its sending, what became of it."""
    _require(actor)
    note = " ".join(note.split()) if to != Status.SENT_BACK else note.strip()
    if len(note) > MAX_NOTE:
        raise ValidationError({"note": _at_most(MAX_NOTE)})
    if to in NEEDS_NOTE and not note:
        raise ValidationError({"note": _("Say why: the writer reads it with their code.")})
    with transaction.atomic():
        current = Letter.objects.select_for_update().get(pk=letter.pk)
        if to not in TRANSITIONS.get(current.status, ()):
            raise ValidationError(_("This letter is %(status)s: it cannot become %(to)s.") % {
                "status": current.get_status_display(), "to": Status(to).label})
        if to == Status.APPROVED:
            _check_translated(current)
        LetterStep.objects.create(letter=current, from_status=current.status, to_status=to,
                                  note=note, actor=actor,
                                  at=timezone.now())
        record(f"letters.letter_{to}", actor=actor, obj=current, details={
            "from": current.status, "case": current.case_id,
            "on": (on or timezone.localdate()).isoformat()})
        current.status = to
        current.updated_at = timezone.now()
        current.save(update_fields=["status", "updated_at"])
        if to in (Status.DELIVERED, Status.BLOCKED, Status.RETURNED):
            costs.close(actor, current, to, note=note, on=on)
    return current


def _check_translated(letter: Letter) -> None:
    from pompolit.letters import translations

    if translations.needs_translation(letter) and translations.latest(letter) is None:
        raise ValidationError(_("The writer asked for a translation: approve the letter once "
                                "a volunteer has translated it."))


def add_reply(actor: Member, letter: Letter, *, received_on: datetime.date,
              scan: bytes | None = None, transcription: str = "") -> Reply:
    """A reply from the prisoner: a scan (re-encoded, no metadata) or typed text, or both."""
    _require(actor)
    transcription = transcription.strip()
    if not scan and not transcription:
        raise ValidationError({"transcription": _("Upload the scan or type the reply.")})
    if len(transcription) > MAX_TRANSCRIPTION:
        raise ValidationError({"transcription": _at_most(MAX_TRANSCRIPTION)})
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("A reply cannot arrive in the future.")})
    if Letter.objects.get(pk=letter.pk).status not in (Status.SENT, Status.DELIVERED):
        raise ValidationError(_("Only a letter that was sent can have a reply."))
    cleaned = None
    if scan:
        try:
            cleaned = clean_image(scan, max_side=SCAN_SIDE)
        except ImageRefused:
            raise ValidationError({"scan": _("The scan cannot be read as an image "
                                             "(JPEG, PNG or WebP).")}) from None
    with transaction.atomic():
        scan_file: dict[str, Any] = {
            "scan": Upload("reply.jpg", cleaned, "image/jpeg") if cleaned else None}
        reply = Reply.objects.create(letter=letter, received_on=received_on,
                                     transcription=transcription, created_by=actor, **scan_file)
        record("letters.reply_added", actor=actor, obj=letter, details={
            "reply": reply.pk, "on": received_on.isoformat(), "scan": cleaned is not None})
    return reply


def statistics(actor: Member) -> dict[str, list[Any]]:
    """Per prisoner: letters, replies; per facility: letters sent and the share blocked."""
    _require(actor)
    per_case = list(Letter.objects.values("case_id", "case__person__display_name")
                    .annotate(letters=Count("pk", distinct=True),
                              reply_count=Count("replies", distinct=True))
                    .order_by("-letters", "case__person__display_name")[:50])
    closed = Q(status__in=(Status.DELIVERED, Status.BLOCKED, Status.RETURNED))
    per_facility: list[Any] = list(Letter.objects.filter(closed)
                        .values("facility_id", "facility__name")
                        .annotate(sent=Count("pk"),
                                  blocked=Count("pk", filter=Q(status=Status.BLOCKED)))
                        .order_by("facility__name")[:50])
    for row in per_facility:
        sent = int(row["sent"])
        row["block_rate"] = round(100 * int(row["blocked"]) / sent) if sent else 0
    return {"cases": per_case, "facilities": per_facility}
