"""The move page: a case worker asks from the case page; a coordinator approves in the usual
approvals pages; the case then lives under the other compartment's URL."""

import time

import pytest
from django.urls import reverse

from pompolit.cases.models import Case
from pompolit.members.models import ApprovalRequest


@pytest.fixture(autouse=True)
def attachments(tmp_path, monkeypatch):
    monkeypatch.setenv("POMPOLIT_ATTACHMENTS_DIR", str(tmp_path))


def move_url(case):
    return reverse("case_move", args=[case.compartment.slug, case.pk])


def test_ask_from_the_case_page(client_for, worker, exile, moscow):
    client = client_for(worker)
    assert move_url(exile) in client.get(
        reverse("case_detail", args=[exile.compartment.slug, exile.pk])).content.decode()
    form = client.get(move_url(exile)).content.decode()
    assert "Москва" in form and f'value="{exile.compartment.pk}"' not in form
    response = client.post(move_url(exile), {
        "target": moscow.pk, "reason": "Этапирована в Москву, дело ведёт московская группа",
    }, follow=True)
    request = ApprovalRequest.objects.get(action="cases.move_case")
    assert f"Request #{request.pk} is waiting" in response.content.decode()
    assert request.payload == {"case": exile.pk, "from": "orenburg-exiles", "to": "moscow",
                               "requested_by": worker.pk}
    # The page now shows the request instead of the form.
    page = client.get(move_url(exile)).content.decode()
    assert reverse("approval_detail", args=[request.pk]) in page and "<textarea" not in page


def test_a_reason_is_needed(client_for, worker, exile, moscow):
    response = client_for(worker).post(move_url(exile), {"target": moscow.pk, "reason": ""})
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    assert not ApprovalRequest.objects.filter(action="cases.move_case").exists()


def test_approve_in_the_approvals_flow(unsealed_vault, client_for, worker, outsider, exile,
                                       moscow, founders):
    client_for(worker).post(move_url(exile), {"target": moscow.pk, "reason": "Этап"})
    request = ApprovalRequest.objects.get(action="cases.move_case")
    coordinator = client_for(founders[1])
    session = coordinator.session  # sudo mode, as after a fresh re-authentication
    session["account_authentication_methods_user"] = str(founders[1].pk)
    session["account_authentication_methods"] = [
        {"method": "password", "at": time.time(), "reauthenticated": True}]
    session.save()
    listing = coordinator.get(reverse("approval_list")).content.decode()
    assert f"Move case #{exile.pk}" in listing
    detail = coordinator.get(reverse("approval_detail", args=[request.pk])).content.decode()
    assert "Ремизова" not in detail  # the approver is not told who the person is
    response = coordinator.post(reverse("approval_decide", args=[request.pk]), {
        "decision": "approve", "digest": request.payload_digest, "note": "",
    }, follow=True)
    assert "Approved and carried out." in response.content.decode()
    assert Case.objects.get(pk=exile.pk).compartment == moscow
    old = client_for(worker).get(reverse("case_detail", args=["orenburg-exiles", exile.pk]))
    assert old.status_code == 404
    new = client_for(outsider).get(reverse("case_detail", args=["moscow", exile.pk]))
    assert new.status_code == 200 and "Ремизова" in new.content.decode()


def test_another_compartment_cannot_ask(client_for, outsider, exile, moscow):
    response = client_for(outsider).post(move_url(exile), {"target": moscow.pk,
                                                           "reason": "Хочу себе"})
    assert response.status_code == 404
    assert not ApprovalRequest.objects.filter(action="cases.move_case").exists()
