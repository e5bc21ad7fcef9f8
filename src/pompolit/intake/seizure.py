"""Canaries for the vault's seizure test: a detention's place, van, lawyer, medicine, injuries
and devices; a relative's name, phone and contact; a report's claims, words and caller; an
exported list waiting for its download."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def seed(canary: Callable[..., str]) -> None:
    from django.utils import timezone

    from pompolit.intake.models import Detainee, Detention, DetentionRelative, Report
    from pompolit.members.models import Compartment, Member

    member = Member.objects.create_user("Канарейка горячей линии", "correct horse battery staple")
    compartment = Compartment.objects.create(
        name="Канареечная горячая линия", slug="canary-hotline", created_by=member
    )
    person = Detainee.objects.create(display_name="Задержанов Пётр")
    secret: dict[str, Any] = {
        field: canary(f"intake.Detention.{field}")
        for field in ("place", "van_number", "lawyer", "medicine", "injuries", "devices")
    }
    detention = Detention.objects.create(
        compartment=compartment,
        detainee=person,
        detained_at=timezone.now(),
        injured=True,
        devices_seized=True,
        need_medicine=True,
        **secret,
    )
    relative: dict[str, Any] = {
        "name": canary("intake.DetentionRelative.name"),
        "contact": canary("intake.DetentionRelative.contact"),
        "phone": canary("intake.DetentionRelative.phone", "phone"),
    }
    DetentionRelative.objects.create(
        detention=detention, compartment=compartment, relationship="mother", **relative
    )
    report: dict[str, Any] = {
        "claims": {"van_number": canary("intake.Report.claims")},
        "text": canary("intake.Report.text"),
        "reporter_contact": canary("intake.Report.reporter_contact"),
    }
    accepted = Report.objects.create(
        compartment=compartment,
        detention=detention,
        channel="hotline",
        reporter="relative",
        quarantine="accepted",
        entered_by=member,
        **report,
    )
    # A photo sent with a public report: the stored body as photos.clean would hand it over (a
    # canary, not pixels), and the caption written with it in the bot.
    from pompolit.intake.public.models import ReportPhoto
    from pompolit.vault.fields.files import Upload

    photo: dict[str, Any] = {
        "image": Upload("photo.jpg", canary("intake.ReportPhoto.image").encode(), "image/jpeg"),
        "caption": canary("intake.ReportPhoto.caption"),
    }
    ReportPhoto.objects.create(compartment=compartment, report=accepted, **photo)
    from pompolit.intake.duty import seizure as duty

    duty.seed(canary, compartment, member)
    # The Telegram bot's half-answered conversation and an update waiting for the worker.
    from pompolit.intake.bot.models import BotConversation, BotUpdate

    answers: dict[str, Any] = {"answers": {"surname": canary("intake.BotConversation.answers")}}
    BotConversation.objects.create(chat_key="canary-chat", step="given", language="ru", **answers)
    update: dict[str, Any] = {
        "body": {"message": {"text": canary("intake.BotUpdate.body")}}
    }
    BotUpdate.objects.create(**update)
    # A list exported by the worker, waiting for its one download (intake/exports.py).
    import datetime

    from pompolit.intake.export_models import DetentionExport

    exported: dict[str, Any] = {
        "body": ("\ufeffNo.,name\r\n1," + canary("intake.DetentionExport.body")).encode()
    }
    DetentionExport.objects.create(
        owner=member, compartment=compartment, state="ready", rows=1, **exported,
        expires_at=datetime.datetime(2099, 12, 1, tzinfo=datetime.UTC),
    )
