"""Photos sent to the bot: taken at the question "Anything else?", or at any time with a
caption (a photo without one, mid-conversation, is more likely a mistake than evidence).

The worker downloads the photo through the Bot API (getFile), before it takes the
conversation's lock, and cleans it as the web form's are (intake/public/photos.py): only the
pixels are kept. It then waits, encrypted, with no report (`photos.keep_pending`), its id in
the conversation's encrypted answers, until the report is sent (it joins the report), the
person cancels or starts again, or the conversation expires (it is deleted).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from typing import Any

from django.utils.translation import gettext as _

from pompolit.intake.bot import client
from pompolit.intake.bot.conversation import Incoming, Reply, State, ask, respond
from pompolit.intake.public import photos

CAPTION_MAX = 200


@dataclass(frozen=True)
class Fetched:
    """A photo message, downloaded and cleaned: the JPEG, or why not ("large", "unreadable",
    "download" with `problem` the cleaner's message)."""

    caption: str
    data: bytes | None = None
    reason: str = ""
    problem: str = ""


def _best_size(sizes: list[Any]) -> dict[str, Any] | None:
    """Telegram sends each photo in several sizes, smallest first: the largest within limits."""
    fitting = [s for s in sizes if isinstance(s, dict) and isinstance(s.get("file_id"), str)
               and int(s.get("file_size") or 0) <= photos.max_bytes()]
    return fitting[-1] if fitting else None


def fetch(message: dict[str, Any]) -> Fetched | None:
    """None when the message has no photo; else the photo downloaded and cleaned."""
    sizes = message.get("photo")
    if not isinstance(sizes, list) or not sizes:
        return None
    caption = " ".join(str(message.get("caption") or "").split())[:CAPTION_MAX]
    best = _best_size(sizes)
    if best is None:
        return Fetched(caption, reason="large")
    try:
        data = client.download(best["file_id"], photos.max_bytes())
    except client.BotApiError:
        return Fetched(caption, reason="download")
    try:
        return Fetched(caption, data=photos.clean("photo.jpg", data))
    except photos.PhotoRefused as refused:
        return Fetched(caption, reason="unreadable", problem=str(refused))


def _refusal(fetched: Fetched) -> str:
    if fetched.reason == "large":
        return _("This photo is too large. Send a smaller one.")
    if fetched.reason == "download":
        return _("The photo could not be received from Telegram. Please send it again.")
    return _("This photo cannot be read. Send it as a photo (not as a file), or another one.")


def take(state: State | None, fetched: Fetched, *, language: str,
         minutes: int) -> tuple[State | None, list[Reply]]:
    """One photo message: kept with the conversation, or said why not; then the current
    question again."""
    replies: list[Reply] = []
    if state is None:
        state, replies = respond(None, Incoming(text="/start"), language=language,
                                 minutes=minutes)
        assert state is not None
    kept: list[int] = list(state.answers.get("photos", []))
    if state.step != "note" and not fetched.caption:
        return state, [*replies, Reply(_(
            "To add a photo now, send it again with a caption (a few words about it); or "
            "send photos when you are asked “Anything else?”.")), ask(state)]
    if len(kept) >= photos.most():
        return state, [*replies, Reply(_(
            "You have sent %(most)d photos already, as many as one report takes.")
            % {"most": photos.most()}), ask(state)]
    if fetched.data is None:
        return state, [*replies, Reply(_refusal(fetched)), ask(state)]
    kept.append(photos.keep_pending(photos.CleanPhoto(fetched.data, fetched.caption)))
    state = replace(state, answers={**state.answers, "photos": kept})
    return state, [*replies, Reply(_("Photo %(number)d of at most %(most)d received.")
                                   % {"number": len(kept), "most": photos.most()}), ask(state)]


def settle(before: State | None, after: State | None) -> None:
    """After a message: photos the conversation no longer holds (cancelled, started again;
    sent ones have joined their report) are deleted, and those it holds are marked as still
    wanted, so the sweep of abandoned ones leaves them alone."""
    held_before = set(before.answers.get("photos", [])) if before else set()
    held_after = set(after.answers.get("photos", [])) if after else set()
    if held_before - held_after:
        photos.forget_pending(sorted(held_before - held_after))
    if held_after:
        photos.still_waiting(sorted(held_after))


def forget_abandoned(before: datetime.datetime) -> int:
    """Photos of conversations given up on (untouched since `before`) are deleted."""
    return photos.forget_pending(before=before)
