"""The export pages: downloads per visible compartment, the request for encrypted fields and
the one-time download after approval."""

from django.urls import reverse

from pompolit.cases.io import exporting
from pompolit.members import approvals


def test_the_export_page_and_downloads(worker, compartment, exile, client_for):
    client = client_for(worker)
    page = client.get(reverse("cases_export")).content.decode()
    assert "Оренбургская ссылка" in page
    response = client.get(reverse("cases_export_download", args=[compartment.slug]))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert "Ремизова" in response.content.decode()
    response = client.get(reverse("cases_export_download", args=[compartment.slug]),
                          {"format": "json"})
    assert response.json()["cases"][0]["surname"] == "Ремизова"


def test_another_compartment_is_not_exported(outsider, compartment, exile, client_for):
    client = client_for(outsider)
    response = client.get(reverse("cases_export_download", args=[compartment.slug]))
    assert response.status_code == 404
    assert "Оренбургская ссылка" not in client.get(reverse("cases_export")).content.decode()


def test_request_approve_and_download_once(unsealed_vault, worker, compartment, exile,
                                           founders, client_for):
    client = client_for(worker)
    url = reverse("cases_export_sensitive", args=[compartment.slug])
    client.post(url, {"action": "request", "format": "csv", "reason": "Новый адвокат"})
    (asked,) = exporting.pending_for(worker, compartment)
    approvals.approve(asked.pk, founders[1], seen_digest=asked.payload_digest)
    (ticket,) = exporting.ready_for(worker, compartment)
    assert "Download the approved export" in client.get(reverse("cases_export")).content.decode()
    response = client.post(url, {"action": "download", "export": ticket.pk})
    assert response.status_code == 200 and "lawyer_contact" in response.content.decode()
    again = client.post(url, {"action": "download", "export": ticket.pk})
    assert again.status_code == 302
