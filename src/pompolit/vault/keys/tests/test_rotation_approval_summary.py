"""What a coordinator reads before approving a new master key: the keyholders and the number of
shares needed, now and after."""

import re

from django.urls import reverse

from pompolit.members import approvals
from pompolit.vault.keys import services


def test_the_rotation_request_shows_the_keyholders_now_and_after(
    founders, vault_agent, make_member, client_for
):
    services.initialise(threshold=2, keyholders=["Вера Фигнер", "Софья Перовская"])
    zasulich = make_member("Вера Засулич")
    request = approvals.request_approval(
        founders[0], "vault_rotate",
        {"keyholders": [founders[0].pk, founders[1].pk, zasulich.pk], "threshold": 2})
    html = client_for(founders[1]).get(reverse("approval_detail", args=[request.pk]))
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.content.decode()))

    assert "Keyholders now Вера Фигнер, Софья Перовская" in page
    assert "Shares needed now 2 of 2" in page
    assert "Keyholders after Вера Засулич, Вера Фигнер, Софья Перовская" in page
    assert "Shares needed after 2 of 3" in page
