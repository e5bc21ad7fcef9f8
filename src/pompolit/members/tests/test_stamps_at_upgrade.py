"""Upgrading from a version without stamps keeps everyone's access (migration members/0004)."""

import importlib
from datetime import timedelta

from django.apps import apps
from django.db import connection
from django.utils import timezone

from pompolit.audit.models import AuditEntry
from pompolit.audit.services import record, verify_chain
from pompolit.members.models import ApprovalRequest, Member, RoleGrant, payload_digest
from pompolit.members.roles import Role
from pompolit.members.testing import PASSWORD

upgrade = importlib.import_module(
    "pompolit.members.migrations.0004_stamp_approvals_made_before_stamps"
)


class _SchemaEditor:
    connection = connection

    def execute(self, sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)


def test_grants_made_before_stamps_keep_their_access_after_the_upgrade(db):
    # As an older version left them: founders and a grant with unstamped entries.
    vera = Member.objects.create_user("Вера Фигнер", PASSWORD, is_founder=True)
    sofya = Member.objects.create_user("Софья Перовская", PASSWORD, is_founder=True)
    for founder in (vera, sofya):
        RoleGrant.objects.create(member=founder, role=Role.COORDINATOR, founding=True)
        record("member.founded", actor=founder, obj=founder,
               details={"pseudonym": founder.pseudonym})
    anna = Member.objects.create_user("Анна Корба", PASSWORD, vouched_at=timezone.now())
    payload = {"member": anna.pk, "role": Role.TREASURER}
    request = ApprovalRequest.objects.create(
        action="grant_role", payload=payload,
        payload_digest=payload_digest("grant_role", payload), requested_by=vera,
        expires_at=timezone.now() + timedelta(days=1), status="executed", decided_by=sofya,
        decided_at=timezone.now(), executed_at=timezone.now(),
    )
    RoleGrant.objects.create(member=anna, role=Role.TREASURER, approval=request)
    record("approval.approved", actor=sofya, obj=request,
           details={"action": "grant_role", "payload_digest": request.payload_digest})
    assert not Member.objects.get(pk=vera.pk).has_role(Role.COORDINATOR)

    upgrade.stamp_existing(apps, _SchemaEditor())

    assert Member.objects.get(pk=vera.pk).has_role(Role.COORDINATOR)
    assert Member.objects.get(pk=sofya.pk).has_role(Role.COORDINATOR)
    assert Member.objects.get(pk=anna.pk).has_role(Role.TREASURER)
    marked = AuditEntry.objects.filter(actor_label__endswith="(stamped at upgrade)")
    assert marked.count() == 3
    assert verify_chain().intact
    # Run again (a re-applied migration): nothing more to stamp.
    upgrade.stamp_existing(apps, _SchemaEditor())
    assert marked.count() == 3
