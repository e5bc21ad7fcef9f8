"""The donors' identities pages: ask for the export, download it once after a coordinator's
approval, forget a donor found by receipt code or entry number."""

import time

import pytest
from django.test import Client
from django.urls import reverse

from pompolit.ledger.donors import services as donors
from pompolit.ledger.models import Donation, DonorIdentity
from pompolit.ledger.statements import services as statements
from pompolit.members import approvals
from pompolit.members.roles import Role


@pytest.fixture
def gifts(donate, unsealed_vault, lawyers):
    return [
        donate("5000", "RUB", donor_name="Лев Тихомиров", donor_contact="@tikhomirov"),
        donate("120.50", "EUR", fund=lawyers, donor_name="@SUM(1+1)*cmd"),
        donate("300", "RUB"),
    ]


def _client(member):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(member)
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def client(treasurer):
    client = _client(treasurer)
    session = client.session  # sudo mode, as after a fresh re-authentication
    session["account_authentication_methods_user"] = str(treasurer.pk)
    session["account_authentication_methods"] = [
        {"method": "password", "at": time.time(), "reauthenticated": True}]
    session.save()
    return client


def test_forgetting_needs_a_fresh_password(gifts, treasurer):
    response = _client(treasurer).post(reverse("donor_forget"), {
        "confirm": "yes", "donation_id": gifts[0].donation.pk})
    assert response["Location"].startswith("/accounts/reauthenticate/")
    assert DonorIdentity.objects.count() == 2


def test_ask_approve_and_download_once(client, gifts, treasurer, founders):
    page = client.get(reverse("donor_identities"))
    html = page.content.decode()
    assert "2 donations have their donor's identity kept." in html
    assert "Тихомиров" not in html  # never listed
    empty = client.post(reverse("donor_export"), {"action": "request", "reason": ""})
    assert empty.context["form"].errors["reason"] == ["This field is required."]
    asked = client.post(reverse("donor_export"), {"action": "request",
                                                  "reason": "Благодарственные письма"},
                        follow=True)
    assert "is waiting for a coordinator&#x27;s approval" in asked.content.decode()
    [request] = donors.pending_for(treasurer)
    coordinator = _client(founders[0])
    detail = coordinator.get(reverse("approval_detail", args=[request.pk])).content.decode()
    assert "Export the names and contacts of every donor who left them" in detail
    assert "Благодарственные письма" in detail and "Тихомиров" not in detail
    approvals.approve(request.pk, founders[0], seen_digest=request.payload_digest)
    [ticket] = donors.ready_for(treasurer)
    listing = client.get(reverse("donor_identities")).content.decode()
    assert "Download the approved export" in listing
    download = client.post(reverse("donor_export"), {"action": "download", "export": ticket.pk})
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert download["Content-Disposition"].startswith('attachment; filename="donors-')
    body = download.content.decode("utf-8-sig")
    assert "Лев Тихомиров" in body and "'@SUM(1+1)*cmd" in body
    again = client.post(reverse("donor_export"), {"action": "download", "export": ticket.pk},
                        follow=True)
    assert "This export was already downloaded" in again.content.decode()
    other = client.post(reverse("donor_export"), {"action": "download", "export": "x"},
                        follow=True)
    assert "There is no approved export of yours with this number." in other.content.decode()


def test_forget_a_donor_by_receipt_code(client, gifts, treasurer):
    code = gifts[0].code
    page = client.post(reverse("donor_forget"), {"donation": code.lower()})
    html = page.content.decode()
    assert "Entry #0" in html and "5000.00 RUB" in html and "Forget this donor" in html
    assert "Тихомиров" not in html
    assert DonorIdentity.objects.count() == 2  # finding deletes nothing
    done = client.post(reverse("donor_forget"), {"confirm": "yes",
                                                 "donation_id": gifts[0].donation.pk},
                       follow=True)
    assert "The donor of entry #0 is forgotten" in done.content.decode()
    assert not DonorIdentity.objects.filter(donation=gifts[0].donation).exists()
    assert Donation.objects.count() == 3
    checked = statements.check_donation(code)
    assert checked is not None and str(checked.amount) == "5000.00 RUB"
    after = client.post(reverse("donor_forget"), {"donation": "#0"})
    assert "there is nothing to forget" in after.content.decode()


def test_forget_says_what_it_could_not_find(client, gifts):
    page = client.post(reverse("donor_forget"), {"donation": "#77"})
    assert page.context["find"].errors["donation"] == ["No donation is entry #77."]
    assert 'value="#77"' in page.content.decode()
    typo = client.post(reverse("donor_forget"), {"donation": "0000-0000-0000"})
    assert typo.context["find"].errors["donation"]
    lost = client.post(reverse("donor_forget"), {"confirm": "yes", "donation_id": "x"})
    assert lost.status_code == 302 and DonorIdentity.objects.count() == 2


def test_other_roles_are_refused(gifts, make_member, founders):
    for member in (make_member("Михаил Фроленко", Role.AUDITOR), founders[0]):
        client = _client(member)
        assert client.get(reverse("donor_identities")).status_code == 403
        assert client.post(reverse("donor_forget"), {"confirm": "yes", "donation_id":
                                                     gifts[0].donation.pk}).status_code == 403
    assert DonorIdentity.objects.count() == 2
