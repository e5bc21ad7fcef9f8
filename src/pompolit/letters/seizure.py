"""Canaries for the vault's seizure test: a letter's text, its return name and image, a
moderator's note to the writer, a reply's scan and transcription, a translation, and the
evening and note of letters written on paper, and a long batch's PDF waiting to be
downloaded."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any


def seed(canary: Callable[..., str]) -> None:
    from pompolit.cases.models import Case, CaseStatus, Facility, FacilityType, Person
    from pompolit.letters.models import (
        BatchPrint,
        Letter,
        LetterImage,
        LetterStep,
        PaperEntry,
        Reply,
        Translation,
    )
    from pompolit.members.models import Compartment, Member
    from pompolit.vault.fields.files import Upload

    member = Member.objects.create_user("Канарейка писем", "correct horse battery staple")
    compartment = Compartment.objects.create(
        name="Канареечные письма", slug="canary-letters", created_by=member)
    facility = Facility.objects.create(name="ФКУ ИК-7 (канарейка)",
                                       type=FacilityType.objects.get(code="colony"))
    case = Case.objects.create(compartment=compartment,
                               person=Person.objects.create(display_name="Письмов Павел"),
                               status=CaseStatus.objects.get(code="sentenced"),
                               current_facility=facility)
    letter = Letter.objects.create(
        case=case, facility=facility, text=canary("letters.Letter.text"),
        return_name=canary("letters.Letter.return_name"), language="ru",
        writer_hash="0" * 64, status="sent")
    image: dict[str, Any] = {"image": Upload(
        "image.jpg", canary("letters.LetterImage.image").encode(), "image/jpeg")}
    LetterImage.objects.create(letter=letter, **image)
    LetterStep.objects.create(letter=letter, from_status="waiting", to_status="sent_back",
                              note=canary("letters.LetterStep.note"), actor=member)
    scan: dict[str, Any] = {
        "scan": Upload("reply.jpg", canary("letters.Reply.scan").encode(), "image/jpeg")}
    Reply.objects.create(
        letter=letter, received_on=datetime.date(2026, 11, 2), created_by=member,
        transcription=canary("letters.Reply.transcription"), **scan)
    Translation.objects.create(letter=letter, language="ru", translated_by=member,
                               text=canary("letters.Translation.text"))
    PaperEntry.objects.create(case=case, count=2, written_on=datetime.date(2026, 11, 1),
                              evening=canary("letters.PaperEntry.evening"),
                              note=canary("letters.PaperEntry.note"), entered_by=member)
    # A long batch's PDF laid out by the worker, kept until its member downloads it.
    pdf: dict[str, Any] = {"pdf": b"%PDF-1.7 " + canary("letters.BatchPrint.pdf").encode()}
    BatchPrint.objects.create(
        owner=member, facility=facility, channel="post", state="ready", letters=1, **pdf,
        expires_at=datetime.datetime(2099, 12, 1, tzinfo=datetime.UTC))
