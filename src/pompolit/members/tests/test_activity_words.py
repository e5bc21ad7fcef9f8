"""The activity feed and the trail say what happened in the reader's language, whatever the
language of the page the request was made on — older entries that stored an English sentence
included; the stored sentence shows only for an entry nothing else can describe."""

import re

from django.test import Client

from pompolit.audit.services import record
from pompolit.members.roles import Role


def russian(member):
    client = Client(HTTP_ACCEPT_LANGUAGE="ru")
    client.force_login(member)
    client.cookies["django_language"] = "ru"
    return client


def text_of(response):
    assert response.status_code == 200
    main = response.content.decode().split("<main", 1)[1]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def test_a_request_made_in_english_reads_in_russian_in_the_feed_and_the_trail(
    founders, make_member, approved
):
    lisa = make_member("lisa")
    request = approved("grant_role", {"member": lisa.pk, "role": Role.TREASURER})
    # An entry as older versions wrote it: with the English sentence of the moment.
    record(
        "approval.requested",
        actor=founders[0],
        obj=request,
        details={
            "action": "grant_role",
            "payload_digest": request.payload_digest,
            "summary": "Give the treasurer role to lisa",
        },
    )
    record("x.older_action", actor=founders[0], details={"summary": "Something old"})

    feed = text_of(russian(founders[1]).get("/activity/"))
    trail = text_of(russian(founders[1]).get("/audit/"))

    for page in (feed, trail):
        assert "Дать участнику lisa роль «казначей»" in page
        assert "Give the" not in page and "treasurer" not in page
    assert f"Выполнен запрос №{request.pk}: Дать участнику lisa роль «казначей»" in trail
    assert "Участнику lisa дана роль «казначей»" in trail
    assert "Something old" in trail  # no describer: the stored sentence, as it is
