"""What someone who can write the database (but has neither the server's secret key nor the
vault's shares) can and cannot do — one test per claim of docs/security.md.

The attacker's writes are raw SQL, as they would type them; where the database's own
triggers stand in the way, `_without_triggers` drops them first, as a writer with DDL rights
could (inside the test's transaction, so they come back afterwards).
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from pompolit.audit import chain
from pompolit.audit.models import AuditEntry
from pompolit.audit.services import verify_chain
from pompolit.members import approvals
from pompolit.members.models import ApprovalRequest, Member, RoleGrant, approval_record
from pompolit.members.roles import Role
from pompolit.members.services import coordinators

GRANT_TABLES = ("members_rolegrant", "members_compartmentgrant")


def _sql(statement: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def _without_triggers(*tables: str) -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                    [table],
                )
                for (name,) in cursor.fetchall():
                    cursor.execute(f'DROP TRIGGER "{name}"')
    else:
        # Deferred foreign-key checks pending in the test's transaction would block ALTER.
        _sql("SET CONSTRAINTS ALL IMMEDIATE")
        for table in tables:
            _sql(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        _sql("SET CONSTRAINTS ALL DEFERRED")


def _append_entry(action: str, *, actor: Member, obj: Any, details: dict[str, Any]) -> None:
    """Append a well-formed entry at the head of the chain, as a forger with SQL would."""
    head = AuditEntry.objects.order_by("-seq").first()
    assert head is not None
    row: dict[str, Any] = {
        "seq": head.seq + 1, "at": timezone.now(), "actor_id": actor.pk,
        "actor_label": actor.pseudonym, "action": action,
        "object_type": obj._meta.label_lower, "object_id": str(obj.pk), "client": "",
        "details": details, "details_digest": chain.digest(details), "sensitive_read": False,
        "prev_hash": head.entry_hash,
    }
    row["entry_hash"] = chain.row_hash(row)
    AuditEntry.objects.create(**row)


@pytest.fixture
def newcomer(make_member: Any) -> Member:
    return make_member("Николай Кибальчич")


@pytest.fixture
def asked(founders: tuple[Member, Member], newcomer: Member) -> ApprovalRequest:
    """Вера asks to make the newcomer a coordinator; nobody has approved it."""
    return approvals.request_approval(
        founders[0], "grant_role", {"member": newcomer.pk, "role": Role.COORDINATOR}
    )


def _forge_approval(request: ApprovalRequest, approver: Member) -> None:
    _sql(
        "UPDATE members_approvalrequest SET status = 'approved', decided_by_id = %s, "
        "decided_at = %s WHERE id = %s",
        [approver.pk, timezone.now(), request.pk],
    )


def _retry(request: ApprovalRequest) -> None:
    call_command("approvals", "retry", str(request.pk), stdout=io.StringIO())


def _is_coordinator(member: Member) -> bool:
    return Member.objects.get(pk=member.pk).has_role(Role.COORDINATOR)


def test_forged_approval_row_is_refused_and_alerted(founders, asked, newcomer):
    _forge_approval(asked, founders[1])

    with pytest.raises(CommandError, match="no record of its approval"):
        _retry(asked)

    assert not _is_coordinator(newcomer)
    assert not AuditEntry.objects.filter(action="approval.executed").exists()
    alert = AuditEntry.objects.get(action="alert.approval_forged")
    assert alert.object_id == str(asked.pk) and alert.details["decided_by"] == founders[1].pk
    assert ApprovalRequest.objects.get(pk=asked.pk).status == ApprovalRequest.Status.APPROVED


def test_forged_approval_with_forged_audit_entry_is_refused_and_breaks_verify(
    founders, asked, newcomer
):
    _forge_approval(asked, founders[1])
    asked.refresh_from_db()
    # The forger copies the shape of a genuine approval entry, stamp and all, but cannot make
    # the stamp without the server's secret key.
    record = approval_record(asked)
    _append_entry("approval.approved", actor=founders[1], obj=asked,
                  details={**record, "stamp": "0" * 64})

    with pytest.raises(approvals.ApprovalError, match="not stamped by this server"):
        approvals.execute_approved(asked.pk)

    assert not _is_coordinator(newcomer)
    result = verify_chain()
    assert result.problem is not None and result.problem.kind == chain.Kind.FORGED


def test_forged_audit_entry_without_stamp_breaks_verify(founders, asked):
    _forge_approval(asked, founders[1])
    asked.refresh_from_db()
    _append_entry("approval.approved", actor=founders[1], obj=asked,
                  details=approval_record(asked))

    with pytest.raises(approvals.ApprovalError, match="not stamped"):
        approvals.execute_approved(asked.pk)
    assert "has no stamp" in verify_chain().summary()


def test_genuine_approval_rewritten_to_name_another_approver_is_refused(
    founders, newcomer, approved, make_member
):
    # Approved by Софья, but the action failed (the role was given meanwhile), so it waits
    # to be retried; then the row is rewritten to name a third coordinator.
    request = approvals.request_approval(
        founders[0], "grant_role", {"member": newcomer.pk, "role": Role.TREASURER}
    )
    approved("grant_role", {"member": newcomer.pk, "role": Role.TREASURER})
    with pytest.raises(ValidationError):
        approvals.approve(request.pk, founders[1], seen_digest=request.payload_digest)
    RoleGrant.objects.filter(member=newcomer).delete()
    third = make_member("Михаил Фроленко")
    _sql("UPDATE members_approvalrequest SET decided_by_id = %s WHERE id = %s",
         [third.pk, request.pk])

    with pytest.raises(approvals.ApprovalError, match="does not match"):
        approvals.execute_approved(request.pk)
    assert not RoleGrant.objects.filter(member=newcomer).exists()


def test_executed_request_set_back_to_approved_is_not_carried_out_again(
    founders, newcomer, approved
):
    request = approved("grant_role", {"member": newcomer.pk, "role": Role.TREASURER})
    RoleGrant.objects.filter(approval=request).delete()
    _sql("UPDATE members_approvalrequest SET status = 'approved' WHERE id = %s", [request.pk])

    with pytest.raises(approvals.ApprovalError, match="already carried out"):
        approvals.execute_approved(request.pk)
    assert not RoleGrant.objects.filter(member=newcomer).exists()


def test_edited_approval_entry_breaks_the_chain_and_is_refused(founders, newcomer, approved):
    request = approvals.request_approval(
        founders[0], "grant_role", {"member": newcomer.pk, "role": Role.TREASURER}
    )
    approved("grant_role", {"member": newcomer.pk, "role": Role.TREASURER})
    with pytest.raises(ValidationError):
        approvals.approve(request.pk, founders[1], seen_digest=request.payload_digest)
    RoleGrant.objects.filter(member=newcomer).delete()
    entry = AuditEntry.objects.filter(action="approval.approved").last()
    # The stamped entry edited in place, and the row to match it: the chain no longer holds.
    _without_triggers("audit_auditentry")
    _sql("UPDATE audit_auditentry SET actor_id = %s WHERE seq = %s", [founders[0].pk, entry.seq])
    _sql("UPDATE members_approvalrequest SET decided_by_id = %s, requested_by_id = %s "
         "WHERE id = %s", [founders[0].pk, founders[1].pk, request.pk])

    with pytest.raises(approvals.ApprovalError):
        approvals.execute_approved(request.pk)
    assert not RoleGrant.objects.filter(member=newcomer).exists()
    assert verify_chain().problem.kind == chain.Kind.EDITED


def test_founding_grant_inserted_after_init_is_refused_by_the_database(founders, newcomer):
    with pytest.raises(DatabaseError, match="founding grants"), transaction.atomic():
        _sql("INSERT INTO members_rolegrant (member_id, role, granted_at, founding) "
             "VALUES (%s, 'coordinator', %s, %s)", [newcomer.pk, timezone.now(), True])
    assert not _is_coordinator(newcomer)


def test_founding_grant_inserted_without_triggers_gives_no_role(founders, newcomer):
    _without_triggers(*GRANT_TABLES)
    _sql("INSERT INTO members_rolegrant (member_id, role, granted_at, founding) "
         "VALUES (%s, 'coordinator', %s, %s)", [newcomer.pk, timezone.now(), True])
    _sql("UPDATE members_member SET is_founder = %s WHERE id = %s", [True, newcomer.pk])

    assert not _is_coordinator(newcomer)
    assert newcomer.pk not in {m.pk for m in coordinators()}


def test_grant_rows_cannot_be_edited(founders, make_member):
    worker = make_member("Геся Гельфман", Role.CASE_WORKER)
    with pytest.raises(DatabaseError, match="never changed"), transaction.atomic():
        _sql("UPDATE members_rolegrant SET role = 'coordinator' WHERE member_id = %s",
             [worker.pk])
    assert not _is_coordinator(worker)


def test_role_grant_edited_without_triggers_gives_no_role(founders, make_member):
    worker = make_member("Геся Гельфман", Role.CASE_WORKER)
    _without_triggers(*GRANT_TABLES)
    _sql("UPDATE members_rolegrant SET role = 'coordinator' WHERE member_id = %s", [worker.pk])

    member = Member.objects.get(pk=worker.pk)
    assert not member.has_role(Role.COORDINATOR)
    assert not member.has_role(Role.CASE_WORKER)


def test_role_grant_inserted_with_another_members_approval_gives_no_role(
    founders, make_member
):
    worker = make_member("Геся Гельфман", Role.CASE_WORKER)
    genuine = RoleGrant.objects.get(member=worker).approval
    outsider = make_member("Сергей Дегаев")
    _sql("INSERT INTO members_rolegrant (member_id, role, granted_at, approval_id, founding) "
         "VALUES (%s, 'case_worker', %s, %s, %s)",
         [outsider.pk, timezone.now(), genuine.pk, False])

    assert not Member.objects.get(pk=outsider.pk).has_role(Role.CASE_WORKER)
    assert Member.objects.get(pk=worker.pk).has_role(Role.CASE_WORKER)


def test_compartment_grant_inserted_by_hand_gives_no_access(founders, make_member, compartment):
    insider = make_member("Анна Корба", compartments=[compartment])
    genuine = insider.compartment_grants.get().approval
    outsider = make_member("Сергей Дегаев")
    _sql("INSERT INTO members_compartmentgrant (member_id, compartment_id, granted_at, "
         "approval_id) VALUES (%s, %s, %s, %s)",
         [outsider.pk, compartment.pk, timezone.now(), genuine.pk])

    assert compartment.pk not in Member.objects.get(pk=outsider.pk).compartment_ids()
    assert compartment.pk in Member.objects.get(pk=insider.pk).compartment_ids()


def test_genuine_grants_and_founders_keep_their_access(founders, make_member, compartment):
    worker = make_member("Геся Гельфман", Role.CASE_WORKER, compartments=[compartment])
    assert all(_is_coordinator(f) for f in founders)
    assert worker.has_role(Role.CASE_WORKER) and compartment.pk in worker.compartment_ids()
    executed = AuditEntry.objects.filter(action="approval.executed").last()
    assert executed is not None and executed.actor_id == founders[1].pk


def test_audit_rows_cannot_be_deleted_or_edited(founders):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _sql("DELETE FROM audit_auditentry WHERE seq = 1")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _sql("UPDATE audit_auditentry SET actor_id = NULL WHERE seq = 1")
    assert verify_chain().intact


def test_audit_rows_deleted_without_triggers_break_verify(founders):
    _without_triggers("audit_auditentry")
    _sql("DELETE FROM audit_auditentry WHERE seq = 1")
    assert verify_chain().problem.kind == chain.Kind.DELETED


def test_key_rotation_authorised_by_hand_is_refused(founders, unsealed_vault):
    from pompolit.vault.keys import services as vault_services

    request = approvals.request_approval(
        founders[0], "vault_rotate",
        {"keyholders": [founders[0].pk, founders[1].pk], "threshold": 2},
    )
    _sql("UPDATE members_approvalrequest SET status = 'executed', decided_by_id = %s, "
         "decided_at = %s, executed_at = %s WHERE id = %s",
         [founders[1].pk, timezone.now(), timezone.now(), request.pk])
    _sql("INSERT INTO vault_rotation (kind, status, approval_id, plan, progress) "
         "VALUES ('master', 'authorised', %s, %s, '{}')",
         [request.pk, json.dumps(request.payload)])

    with pytest.raises(ValidationError, match="No approved key rotation"):
        vault_services.authorised_rotation()
