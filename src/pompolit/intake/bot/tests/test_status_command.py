"""/status CODE answers as the public status page does; a wrong code is said to be unknown."""

from typing import Any

import pytest

from pompolit.intake.models import Channel
from pompolit.intake.public.services import submit_public_report
from pompolit.intake.public.tests.conftest import ANSWERS

CHAT = 5550002


@pytest.mark.django_db
def test_status_of_a_report_in_review(say: Any, hotline: Any) -> None:
    sent = submit_public_report(ANSWERS, channel=Channel.WEB_FORM)
    reply = say(CHAT, f"/status {sent.code}", language="en")
    assert reply[0].startswith("Report received")
    assert "Received; an operator will review it." in reply[0]


@pytest.mark.django_db
def test_status_of_an_unknown_code(say: Any, hotline: Any) -> None:
    assert say(CHAT, "/status ABCD-EFGH-JKMN", language="en") == [
        "No report has this code. Check it and try again."
    ]
    assert say(CHAT, "/status", language="en") == ["Send the code after the command: /status CODE"]
