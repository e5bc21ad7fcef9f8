"""`pompolit intake hotline|demo` — the detention hotline on the command line."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pompolit.core.commands import AppCommand, Options, Verb
from pompolit.intake import demo, services
from pompolit.members.models import Compartment, Member


def bot_arguments(parser: CommandParser) -> None:
    parser.add_argument(
        "--webhook",
        metavar="BASE_URL",
        help="instead of polling: tell Telegram to post to BASE_URL/intake/telegram/<secret>/",
    )
    parser.add_argument(
        "--delete-webhook", action="store_true", help="stop the webhook (then poll again)"
    )
    parser.add_argument("--once", action="store_true", help="one poll, then stop")
    parser.add_argument("--timeout", type=int, default=25, help="long-poll seconds (25)")


def bot(command: BaseCommand, options: Options) -> None:
    from django.urls import reverse

    from pompolit.intake.bot import client, services
    from pompolit.intake.bot.views import webhook_header_secret, webhook_path_secret
    from pompolit.vault.keys.keyring import ring

    try:
        if options["webhook"]:
            path = reverse("intake_telegram_webhook", kwargs={"token": webhook_path_secret()})
            client.set_webhook(options["webhook"].rstrip("/") + path, webhook_header_secret())
            command.stdout.write("Webhook set; Telegram now posts updates to this server.")
            return
        if options["delete_webhook"]:
            client.delete_webhook()
            command.stdout.write("Webhook deleted.")
            return
        command.stdout.write("Polling Telegram for updates; the worker answers them. Ctrl-C stops.")
        offset: int | None = None
        while True:
            ring.begin()  # a seal since the last poll is noticed
            for update in client.get_updates(offset, options["timeout"]):
                offset = int(update["update_id"]) + 1
                services.accept_update(update)
            if options["once"]:
                return
    except client.NoToken as error:
        raise CommandError(str(error)) from None
    except client.BotApiError as error:
        raise CommandError(f"{error}: check the token and the network.") from None


def hotline_arguments(parser: CommandParser) -> None:
    parser.add_argument("compartment", help="the compartment's slug")
    parser.add_argument("--city", help="the town the hotline answers for (needed to open one)")
    parser.add_argument("--phone", help='the public phone shown on the public form ("" removes it)')
    parser.add_argument("--telegram", help='a public Telegram username, without @ ("" removes it)')
    parser.add_argument(
        "--event",
        help='opening a hotline for one big event: the event\'s name as the console lists it; '
        "public reports that name it come to this hotline",
    )


def hotline(command: BaseCommand, options: Options) -> None:
    """Open a hotline, or change the town or public contacts of one already open."""
    from django.core.exceptions import ValidationError

    compartment = Compartment.objects.filter(slug=options["compartment"]).first()
    if compartment is None:
        raise CommandError(f"No compartment {options['compartment']!r}.")
    existing = services.hotline_of(compartment)
    try:
        if existing is None:
            if not options["city"]:
                raise CommandError("--city is needed to open a hotline.")
            event = None
            if options["event"]:
                event = services.find_event(options["event"])
                if event is None:
                    raise CommandError(f"No event {options['event']!r}: add it first.")
            made = services.open_hotline(
                None,
                compartment,
                city=options["city"],
                phone=options["phone"] or "",
                telegram=options["telegram"] or "",
                event=event,
            )
            said = "opened"
        else:
            if options["event"]:
                raise CommandError("A hotline's event is set when it is opened.")
            made = services.change_hotline(
                None,
                existing,
                city=options["city"],
                phone=options["phone"],
                telegram=options["telegram"],
            )
            said = "changed"
    except ValidationError as error:
        raise CommandError(" ".join(error.messages)) from None
    contact = " · ".join(c for c in (made.phone, made.telegram and f"@{made.telegram}") if c)
    command.stdout.write(
        f"Hotline {said}: {compartment.slug} ({made.city}{', ' + contact if contact else ''})."
    )


def load_demo(command: BaseCommand, options: Options) -> None:
    if not settings.DEMO_MODE:
        raise CommandError(
            "`intake demo` loads made-up detentions; it runs only with POMPOLIT_DEMO=1."
        )
    if not Member.objects.filter(pseudonym="hotline").exists():
        raise CommandError("Run `pompolit demo` first.")
    started = time.monotonic()
    count = demo.load()
    took = time.monotonic() - started
    command.stdout.write(
        f"Demo surge loaded: {count} detentions in {took:.1f} s."
        if count
        else "Demo surge is there."
    )


class Command(AppCommand):
    name = "intake"
    help = "The detention hotline: open a hotline compartment, load the demo surge, run the bot."
    verbs = (
        Verb(
            "hotline",
            "make a compartment a hotline for a town, or change its town and public phone",
            hotline,
            hotline_arguments,
        ),
        Verb("demo", "a demo surge of detentions (demo mode only)", load_demo),
        Verb("bot", "the Telegram bot: long polling, or set its webhook", bot, bot_arguments),
    )
