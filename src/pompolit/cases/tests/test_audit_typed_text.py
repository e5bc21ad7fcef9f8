"""Canaries typed into every text a case worker, a coordinator or a stranger at the sign-in
page can give reach the records they belong in — never the append-only audit trail.

The static walk (core/tests/test_audit_details.py) checks how every audit entry's details are
built; this one writes through the services as people do, with a different canary in each
text, and reads the whole trail back.
"""

import datetime
import json

from django.test import Client

from pompolit.audit import services as audit
from pompolit.audit.models import AuditEntry
from pompolit.cases import services
from pompolit.cases.public import consent
from pompolit.cases.testing import P, event_type, status
from pompolit.cases.vocabularies import services as vocabularies
from pompolit.members import approvals
from pompolit.members.roles import Role
from pompolit.members.services import create_compartment
from pompolit.members.trail.services import acknowledge_alert
from pompolit.names import Name
from pompolit.vault.keys import services as vault

CANARIES = {
    "surname": "Канарейкина", "given": "Глафирия", "notes": "КАНАРЕЙКА-заметка-0001",
    "court": "Канареечный районный суд", "case_number": "КН-777-канар",
    "place": "деревня Канарейкино", "summary": "свидание: канарейка-сводка",
    "source": "канарейка-источник.example", "relative": "Канареев Пётр",
    "phone": "+7 916 555-12-34", "contact": "ул. Канареечная, д. 1",
    "relative_notes": "канарейка-о-родственнике", "charge_text": "канарейка-обвинение",
    "story_ru": "канарейка-история", "story_en": "canary-story",
    "term_label": "канарейка-статус", "term_label_en": "canary status",
    "compartment": "Канареечная ячейка", "compartment_about": "канарейка-описание",
    "approval_reason": "канарейка-причина", "login": "Канарейкин-Логин",
    "password": "канарейка-пароль-123", "seal": "канарейка-обыск",
}


def leaks():
    trail = list(AuditEntry.objects.order_by("seq"))
    found = []
    for entry in trail:
        stored = json.dumps(entry.details, ensure_ascii=False) + entry.actor_label
        for field, canary in CANARIES.items():
            for form in {canary, canary.casefold(), canary.replace(" ", "")}:
                if form in stored or form in json.dumps(entry.details):
                    found.append(f"#{entry.seq} {entry.action}: {field}")
    return trail, found


def test_no_typed_text_reaches_the_audit_trail(unsealed_vault, founders, worker, compartment,
                                               facilities, make_member):
    c = CANARIES
    case = services.open_case(
        worker, compartment=compartment, name=Name(c["surname"], c["given"], ""),
        birth_date=P("1990"), status=status("detained"), court=c["court"],
        case_number=c["case_number"], notes=c["notes"])
    services.update_case(worker, case, notes=c["notes"] + " 2")
    services.add_name(worker, case, Name(c["surname"] + "а", c["given"], ""))
    services.add_charge(worker, case, code="RU-UK-280.3", article="280.3",
                        text=c["charge_text"])
    event = services.add_event(worker, case, type=event_type("arrest"), date=P("2024-03-01"),
                               facility=facilities["ik6"], place=c["place"],
                               summary=c["summary"], source=c["source"])
    services.remove_event(worker, event)
    services.add_relative(worker, case, relationship="mother", name=c["relative"],
                          phone=c["phone"], contact=c["contact"], notes=c["relative_notes"])
    consent.give(worker, case, given_by="relative", given_on=datetime.date(2025, 1, 10),
                 scope=["name", "story"], story_ru=c["story_ru"], story_en=c["story_en"])
    consent.withdraw(worker, case, given_by="relative")
    # What coordinators type: vocabulary terms, compartments, requests and decisions.
    coordinator = founders[0]
    statuses = vocabularies.VOCABULARIES["statuses"]
    term = vocabularies.add_term(coordinator, statuses, code="canary-status",
                                 label_ru=c["term_label"], label_en=c["term_label_en"])
    term = vocabularies.update_term(coordinator, term, label_ru=c["term_label"] + " 2")
    vocabularies.delete_term(coordinator, term)
    create_compartment(coordinator, name=c["compartment"], slug="canary-cell",
                       description=c["compartment_about"])
    newcomer = make_member("Новенькая", vouched=True)
    request = approvals.request_approval(
        coordinator, "grant_role", {"member": newcomer.pk, "role": Role.AUDITOR},
        reason=c["approval_reason"])
    approvals.reject(request.pk, founders[1])
    # A stranger at the sign-in page, and a coordinator sealing the vault in a hurry.
    Client().post("/accounts/login/", {"login": c["login"], "password": c["password"]})
    vault.seal(coordinator, reason=c["seal"])

    trail, found = leaks()
    assert found == []
    actions = {e.action for e in trail}
    assert {"cases.case_opened", "cases.case_updated", "cases.event_added",
            "cases.event_removed", "cases.relative_added", "cases.consent_given",
            "cases.term_deleted", "compartment.created", "approval.rejected",
            "login.failed", "vault.sealed"} <= actions


def test_an_alert_is_acknowledged_with_a_code_not_a_note(founders, make_member, settings):
    settings.POMPOLIT_BULK_READ_LIMIT = 1
    reader = make_member("Сергей Дегаев", Role.CASE_WORKER)
    for _ in range(2):
        audit.record_sensitive_read(reader, reader, fields=["notes"])
    alert = AuditEntry.objects.get(action=audit.BULK_READ)
    ack = acknowledge_alert(founders[0], alert.seq, finding="expected")
    assert ack.details == {"alert": alert.seq, "finding": "expected"}


def test_a_vault_sealed_with_a_typed_reason_keeps_only_a_code(unsealed_vault, founders):
    vault.seal(founders[0], reason="пришли с обыском к Вере")
    entry = AuditEntry.objects.filter(action="vault.sealed").get()
    assert entry.details == {"reason": "other"}


def test_the_canaries_would_be_found(founders):
    """The search above can fail: a canary put in details is reported."""
    audit.record("test.leak", actor=founders[0], details={"memo": CANARIES["phone"]})
    seq = AuditEntry.objects.get(action="test.leak").seq
    assert leaks()[1] == [f"#{seq} test.leak: phone"]

