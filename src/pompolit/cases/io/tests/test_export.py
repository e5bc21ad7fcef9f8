"""Exporting a compartment: only fields in clear, formula-safe cells, audit entries, and the
bulk export of encrypted fields only after a coordinator's approval, downloadable once."""

import csv
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pompolit.audit.models import AuditEntry
from pompolit.cases import services
from pompolit.cases.io import exporting
from pompolit.cases.models import SensitiveExport
from pompolit.members import approvals
from pompolit.members.approvals import ApprovalError

PAYLOADS = ["=HYPERLINK(\"http://evil.example\",\"click\")", "+7 999 123-45-67", "-2+3",
            "@SUM(A1:A9)", "\tvia tab", "\rvia carriage return", "＝1+1"]


def read_csv(body):
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_cell_a_spreadsheet_would_run_gets_an_apostrophe(payload):
    assert exporting.safe_cell(payload) == "'" + payload
    assert exporting.safe_cell("Ремизова") == "Ремизова" and exporting.safe_cell(7) == 7


def test_the_csv_holds_the_cases_in_clear_fields_only(unsealed_vault, worker, compartment,
                                                      exile):
    services.update_private(worker, exile, lawyer_contact="адвокат@example.org",
                            needs="инсулин")
    services.add_relative(worker, exile, relationship="sibling", name="Ремизова Ольга",
                          phone="+7 912 000-00-00")
    body = exporting.export(worker, compartment, "csv")
    (row,) = read_csv(body)
    assert row["surname"] == "Ремизова" and row["birth_date"] == "1897"
    assert row["status"] == "in-exile" and row["current_facility"] == "Оренбург, место ссылки"
    assert row["case_number"] == "ГПУ № 7-1922"
    text = body.decode()
    for secret in ("адвокат@example.org", "инсулин", "Ремизова Ольга", "912"):
        assert secret not in text
    entry = AuditEntry.objects.get(action="cases.exported")
    assert entry.details == {"format": "csv", "cases": 1, "sensitive": False}


def test_injection_payloads_are_neutralised_in_csv_and_json(worker, compartment, open_case):
    for number, payload in enumerate(PAYLOADS):
        open_case(f"Фамилия{number}", notes=payload, case_number=payload[:100])
    rows = read_csv(exporting.export(worker, compartment, "csv"))
    assert sorted(r["notes"] for r in rows) == sorted("'" + p for p in PAYLOADS)
    data = json.loads(exporting.export(worker, compartment, "json"))
    assert all(c["notes"].startswith("'") for c in data["cases"])
    assert "lawyer_contact" not in data["columns"]


def test_another_compartment_cannot_be_exported(outsider, compartment, exile):
    with pytest.raises(PermissionDenied):
        exporting.export(outsider, compartment, "csv")


@pytest.fixture
def asked(worker, compartment, exile, unsealed_vault):
    services.update_private(worker, exile, needs="диабет, инсулин")
    return exporting.request_sensitive(worker, compartment, "json",
                                       reason="Передать дела новому адвокату")


def test_the_encrypted_fields_need_a_reason_and_a_coordinator(worker, compartment, asked,
                                                              founders):
    with pytest.raises(ValidationError):
        exporting.request_sensitive(worker, compartment, "csv", reason=" ")
    assert asked.status == "pending" and not SensitiveExport.objects.exists()
    assert exporting.pending_for(worker, compartment) == [asked]
    with pytest.raises(ApprovalError):
        approvals.approve(asked.pk, worker, seen_digest=asked.payload_digest)


def test_the_approved_export_is_downloaded_once_by_the_requester(
        worker, compartment, asked, founders, make_member):
    approvals.approve(asked.pk, founders[0], seen_digest=asked.payload_digest)
    (ticket,) = exporting.ready_for(worker, compartment)
    colleague = make_member("Григорий Гершуни", "case_worker", compartments=[compartment])
    with pytest.raises(PermissionDenied):
        exporting.download_sensitive(colleague, compartment, ticket.pk)
    body, name = exporting.download_sensitive(worker, compartment, ticket.pk)
    assert name.endswith("-sensitive-" + name.rsplit("-sensitive-", 1)[1])
    assert name.endswith(".json")
    (case,) = json.loads(body)["cases"]
    assert case["needs"] == "диабет, инсулин" and case["relatives"] == []
    with pytest.raises(ValidationError):
        exporting.download_sensitive(worker, compartment, ticket.pk)
    assert exporting.ready_for(worker, compartment) == []
    assert AuditEntry.objects.filter(action="cases.sensitive_export_downloaded").count() == 1
    assert AuditEntry.objects.filter(action="read.sensitive", actor_id=worker.pk).exists()


def test_a_worker_who_left_the_compartment_cannot_download(worker, compartment, asked,
                                                            founders, outsider):
    approvals.approve(asked.pk, founders[0], seen_digest=asked.payload_digest)
    (ticket,) = exporting.ready_for(worker, compartment)
    with pytest.raises(PermissionDenied):
        exporting.download_sensitive(outsider, compartment, ticket.pk)
