"""Photos sent to the bot (intake/bot/photos.py): downloaded through getFile from the (fake)
Bot API, cleaned as the web form's are, waiting encrypted with no report until the report is
sent — then in its hotline's quarantine — and deleted when the person cancels or goes away."""

import datetime
import io
from typing import Any

import pytest
from django.utils import timezone
from PIL import ExifTags, Image

from pompolit.intake.bot import services
from pompolit.intake.bot.models import BotConversation
from pompolit.intake.bot.testing import photo_update
from pompolit.intake.models import Report, ReportPhoto

from .conftest import post_update

CHAT = 5550077
TO_THE_NOTE = ["/start", "A witness", "Petrov", "Skip", "Skip", "Skip", "Don't know", "Skip",
               "Skip", "Skip", "Skip", "Done", "Yes", "No", "Don't know", "Skip"]


@pytest.fixture(autouse=True)
def attachments(tmp_path: Any, monkeypatch: Any) -> Any:
    monkeypatch.setenv("POMPOLIT_ATTACHMENTS_DIR", str(tmp_path))
    return tmp_path


def gps_jpeg(size: tuple[int, int] = (1280, 960)) -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N",
                                   ExifTags.GPS.GPSLatitude: (59.0, 56.0, 1.0)}
    out = io.BytesIO()
    Image.new("RGB", size, (30, 30, 160)).save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def send_photo(client: Any, api: Any, file_id: str, data: bytes, caption: str = "") -> list[str]:
    api.files[file_id] = data
    before = len(api.sent)
    update = photo_update(CHAT, file_id, size=len(data), caption=caption, language="en")
    assert post_update(client, update).status_code == 200
    return [m["text"] for m in api.sent[before:]]


def to_the_note(say: Any) -> None:
    for text in TO_THE_NOTE:
        say(CHAT, text, language="en")


@pytest.mark.django_db
def test_photos_at_the_last_question_go_with_the_report(
    say: Any, client: Any, bot_api: Any, hotline: Any
) -> None:
    to_the_note(say)
    assert "send up to 3 photos" in bot_api.texts()[-1]
    replies = send_photo(client, bot_api, "AgAD-van", gps_jpeg())
    assert replies[0] == "Photo 1 of at most 3 received."
    assert replies[1].startswith("Anything else, in your own words?")
    assert "getFile" in bot_api.calls and "download" in bot_api.calls
    waiting = ReportPhoto.objects.get()
    assert waiting.report is None and waiting.compartment is None
    send_photo(client, bot_api, "AgAD-protocol", gps_jpeg((960, 1280)))
    confirm = say(CHAT, "Skip", language="en")[0]
    assert "Photos: 2" in confirm
    assert say(CHAT, "Send the report now", language="en")[0].startswith("Thank you")
    report = Report.objects.get()
    kept = list(ReportPhoto.objects.all())
    assert [p.report for p in kept] == [report, report]
    assert {p.compartment for p in kept} == {hotline}
    for photo in kept:
        data = photo.image.read()
        assert b"GPS" not in data and b"Exif" not in data
        assert Image.open(io.BytesIO(data)).format == "JPEG"
    assert not BotConversation.objects.exists()


@pytest.mark.django_db
def test_a_photo_with_a_caption_is_taken_at_any_question(
    say: Any, client: Any, bot_api: Any, hotline: Any
) -> None:
    for text in ["/start", "A witness"]:
        say(CHAT, text, language="en")
    replies = send_photo(client, bot_api, "AgAD-x", gps_jpeg(), caption="номер автозака  А123")
    assert replies == ["Photo 1 of at most 3 received.", "The detained person's surname?"]
    assert ReportPhoto.objects.get().caption == "номер автозака А123"


@pytest.mark.django_db
def test_a_photo_without_a_caption_mid_conversation_is_not_taken(
    say: Any, client: Any, bot_api: Any, hotline: Any
) -> None:
    for text in ["/start", "A witness"]:
        say(CHAT, text, language="en")
    replies = send_photo(client, bot_api, "AgAD-y", gps_jpeg())
    assert replies[0].startswith("To add a photo now, send it again with a caption")
    assert replies[1] == "The detained person's surname?"
    assert not ReportPhoto.objects.exists()


@pytest.mark.django_db
def test_what_is_not_a_picture_is_refused_and_the_fourth_photo_too(
    say: Any, client: Any, bot_api: Any, hotline: Any
) -> None:
    to_the_note(say)
    replies = send_photo(client, bot_api, "AgAD-html", b"<html><script>alert(1)</script>")
    assert replies[0].startswith("This photo cannot be read.")
    for n in range(3):
        send_photo(client, bot_api, f"AgAD-{n}", gps_jpeg((200, 150)))
    replies = send_photo(client, bot_api, "AgAD-4", gps_jpeg((200, 150)))
    assert replies[0] == "You have sent 3 photos already, as many as one report takes."
    assert ReportPhoto.objects.count() == 3


@pytest.mark.django_db
def test_cancelled_or_abandoned_the_waiting_photos_are_deleted(
    say: Any, client: Any, bot_api: Any, hotline: Any, attachments: Any,
    django_capture_on_commit_callbacks: Any
) -> None:
    to_the_note(say)
    with django_capture_on_commit_callbacks(execute=True):
        send_photo(client, bot_api, "AgAD-a", gps_jpeg((200, 150)))
        assert len(list(attachments.iterdir())) == 1
        say(CHAT, "/cancel", language="en")
    assert not ReportPhoto.objects.exists()
    assert list(attachments.iterdir()) == []

    to_the_note(say)
    send_photo(client, bot_api, "AgAD-b", gps_jpeg((200, 150)))
    later = timezone.now() + datetime.timedelta(hours=1)
    services.forget_expired(later)
    assert not ReportPhoto.objects.exists() and not BotConversation.objects.exists()


@pytest.mark.django_db
def test_a_long_conversation_keeps_its_photo_and_starting_again_drops_it(
    say: Any, client: Any, bot_api: Any, hotline: Any, settings: Any
) -> None:
    for text in ["/start", "A witness"]:
        say(CHAT, text, language="en")
    send_photo(client, bot_api, "AgAD-early", gps_jpeg((200, 150)), caption="протокол")
    photo = ReportPhoto.objects.get()
    # 20 minutes later the person answers again; 15 minutes after that (35 after the photo,
    # 15 after the last message) the conversation and its photo are still alive.
    settings.POMPOLIT_BOT_CONVERSATION_MINUTES = 30
    ReportPhoto.objects.filter(pk=photo.pk).update(
        received_at=timezone.now() - datetime.timedelta(minutes=20))
    say(CHAT, "Petrov", language="en")
    services.forget_expired(timezone.now() + datetime.timedelta(minutes=15))
    assert ReportPhoto.objects.filter(pk=photo.pk).exists()
    for text in ["Skip", "Skip", "Skip", "Don't know", "Skip", "Skip", "Skip", "Skip", "Done",
                 "No", "No", "Don't know", "Skip", "Skip"]:
        say(CHAT, text, language="en")
    assert "Photos: 1" in bot_api.texts()[-1]
    say(CHAT, "Start again", language="en")
    assert not ReportPhoto.objects.exists()
