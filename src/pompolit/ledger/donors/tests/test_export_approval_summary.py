"""What a coordinator reads before letting the donors' identities leave the server: for whom,
in what format, how many donors left a name or contact."""

import re

from django.test import Client
from django.urls import reverse

from pompolit.ledger.donors import services as donors


def test_the_export_request_says_for_whom_and_how_many(donate, unsealed_vault, treasurer,
                                                       founders):
    donate("5000", "RUB", donor_name="Лев Тихомиров", donor_contact="@tikhomirov")
    donate("300", "EUR", donor_name="Марина Никанорова")
    donate("700", "RUB")
    request = donors.request_export(treasurer, reason="Благодарственные письма")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(founders[0])
    client.cookies["django_language"] = "en"
    html = client.get(reverse("approval_detail", args=[request.pk])).content.decode()
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))

    assert f"For {treasurer.pseudonym}" in page and "Format CSV" in page
    assert "Donors who left a name or contact 2" in page
    assert "Тихомиров" not in page
