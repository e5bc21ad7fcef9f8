"""What a coordinator reads before moving a case or letting a compartment's encrypted fields
leave the server: the case by its number and the compartments, never the person; for whom the
export is and how many cases it holds."""

import re

from django.urls import reverse

from pompolit.cases.io import exporting
from pompolit.cases.moving import services as moving
from pompolit.members.roles import Role


def _text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_a_move_names_the_case_the_compartments_and_who_will_see_it(
    client_for, founders, make_member, worker, exile, moscow
):
    make_member("Вера Засулич", Role.CASE_WORKER, compartments=[moscow])
    request = moving.request_move(worker, exile, moscow, reason="Этапирована в Москву")
    page = _text(client_for(founders[1]).get(reverse("approval_detail", args=[request.pk])))

    assert f"Case #{exile.pk}" in page
    assert "From the compartment" in page and "To the compartment Москва" in page
    assert "Case workers who will see it Вера Засулич" in page
    assert "Ремизова" not in page


def test_a_sensitive_export_says_for_whom_and_how_many_cases(
    unsealed_vault, client_for, founders, worker, compartment, exile
):
    request = exporting.request_sensitive(worker, compartment, "csv",
                                          reason="Передать адвокатам")
    page = _text(client_for(founders[1]).get(reverse("approval_detail", args=[request.pk])))

    assert "What leaves the server" in page
    assert f"For {worker.pseudonym}" in page and "Format CSV" in page
    assert f"Compartment {compartment.name}" in page and "Cases in it now 1" in page
