"""What the approver reads for the members' own actions — who and what: the pseudonym, the role
and what it allows, the compartment — and, once decided, what happened, in the past tense."""

import re

from django.urls import reverse

from pompolit.members import approvals
from pompolit.members.roles import Role


def _text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_a_role_request_names_the_member_the_role_and_what_it_allows(
    client_for, founders, make_member
):
    newcomer = make_member("Николай Кибальчич", Role.CASE_WORKER)
    request = approvals.request_approval(
        founders[0], "grant_role", {"member": newcomer.pk, "role": Role.TREASURER})
    page = _text(client_for(founders[1]).get(reverse("approval_detail", args=[request.pk])))

    assert "Who and what" in page
    assert "Николай Кибальчич" in page
    assert "Roles now case worker" in page
    assert "Role treasurer" in page and "pays expenses" in page


def test_a_compartment_request_names_the_member_and_the_compartment(
    client_for, founders, make_member, compartment
):
    newcomer = make_member("Анна Корба")
    request = approvals.request_approval(
        founders[0], "grant_compartment",
        {"member": newcomer.pk, "compartment": compartment.pk})
    response = client_for(founders[1]).get(reverse("approval_detail", args=[request.pk]))
    page = _text(response)

    assert "Анна Корба" in page and compartment.name in page
    assert "Compartments now none" in page
    assert f'href="{reverse("member_detail", args=[newcomer.pk])}"' in response.content.decode()


def test_a_rejected_request_says_what_happened(client_for, founders, make_member):
    newcomer = make_member("Николай Кибальчич")
    request = approvals.request_approval(
        founders[0], "grant_role", {"member": newcomer.pk, "role": Role.AUDITOR})
    approvals.reject(request.pk, founders[1])
    page = _text(client_for(founders[0]).get(reverse("approval_detail", args=[request.pk])))

    assert "What was asked" in page and "What will happen" not in page
    assert f"Rejected by {founders[1].pseudonym} on" in page and "nothing was done" in page


def test_a_withdrawn_request_says_so(client_for, founders, make_member):
    newcomer = make_member("Николай Кибальчич")
    request = approvals.request_approval(
        founders[0], "grant_role", {"member": newcomer.pk, "role": Role.AUDITOR})
    approvals.reject(request.pk, founders[0])
    page = _text(client_for(founders[1]).get(reverse("approval_detail", args=[request.pk])))
    assert f"Withdrawn by {founders[0].pseudonym}, who asked; nothing was done." in page


def test_the_vouching_threshold_now_and_after(client_for, founders):
    request = approvals.request_approval(founders[0], "set_vouches_required",
                                         {"vouches_required": 3})
    page = _text(client_for(founders[1]).get(reverse("approval_detail", args=[request.pk])))
    assert "Vouches needed now 2" in page and "Vouches needed after 3" in page
