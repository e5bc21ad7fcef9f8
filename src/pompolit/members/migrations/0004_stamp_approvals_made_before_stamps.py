"""Stamp, once, the approvals and founding grants made before entries were stamped.

Without this an upgraded installation would find every existing grant unstamped — no roles,
no compartments, nobody to approve anything. The migration appends to the audit trail one
stamped `member.founded` entry per founding grant and one stamped `approval.approved` entry
per approved or executed request that has none, all marked "stamped at upgrade": it trusts
the database as it is at the upgrade, and says so in the trail. On a new installation there
is nothing to stamp.
"""

import hashlib
from datetime import UTC, datetime

import rfc8785
from django.conf import settings
from django.db import migrations
from django.utils.crypto import salted_hmac

MARK = " (stamped at upgrade)"
SALT = "pompolit.audit.stamp.v1"  # audit/stamps.py
GENESIS = "0" * 64


def _digest(value):  # type: ignore[no-untyped-def]
    return hashlib.sha256(rfc8785.dumps(value)).hexdigest()


def _stamped(record):  # type: ignore[no-untyped-def]
    message = rfc8785.dumps(record)
    mac = salted_hmac(SALT, message, secret=settings.SECRET_KEY, algorithm="sha256")
    return {**record, "stamp": mac.hexdigest()}


def _timestamp(at):  # type: ignore[no-untyped-def]
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def stamp_existing(apps, schema_editor):  # type: ignore[no-untyped-def]
    AuditEntry = apps.get_model("audit", "AuditEntry")
    Member = apps.get_model("members", "Member")
    RoleGrant = apps.get_model("members", "RoleGrant")
    ApprovalRequest = apps.get_model("members", "ApprovalRequest")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SELECT pg_advisory_xact_lock(7450001)")  # as audit.record()
    head = AuditEntry.objects.order_by("-seq").values("seq", "entry_hash").first()
    state = {"seq": head["seq"] if head else 0, "prev": head["entry_hash"] if head else GENESIS}

    def append(action, actor, object_type, object_id, record):  # type: ignore[no-untyped-def]
        details = _stamped(record)
        at = datetime.now(UTC)
        body = {
            "v": 1, "seq": state["seq"] + 1, "at": _timestamp(at), "actor_id": actor.pk,
            "actor": (actor.pseudonym + MARK)[:64], "action": action,
            "object_type": object_type, "object_id": str(object_id), "client": "",
            "details": _digest(details), "sensitive_read": False, "prev": state["prev"],
        }
        entry_hash = _digest(body)
        AuditEntry.objects.create(
            seq=body["seq"], at=at, actor_id=actor.pk, actor_label=body["actor"],
            action=action, object_type=object_type, object_id=str(object_id), client="",
            details=details, details_digest=body["details"], sensitive_read=False,
            prev_hash=state["prev"], entry_hash=entry_hash,
        )
        state["seq"], state["prev"] = body["seq"], entry_hash

    def has_stamp(action, object_type, object_id):  # type: ignore[no-untyped-def]
        entries = AuditEntry.objects.filter(
            action=action, object_type=object_type, object_id=str(object_id)
        )
        return any("stamp" in entry.details for entry in entries)

    for grant in RoleGrant.objects.filter(founding=True).order_by("pk"):
        member = Member.objects.get(pk=grant.member_id)
        if not has_stamp("member.founded", "members.member", member.pk):
            append("member.founded", member, "members.member", member.pk, {
                "member": member.pk, "pseudonym": member.pseudonym, "role": "coordinator",
            })
    decided = ApprovalRequest.objects.filter(
        status__in=["approved", "executed"], decided_by__isnull=False
    ).order_by("pk")
    for request in decided:
        if has_stamp("approval.approved", "members.approvalrequest", request.pk):
            continue
        approver = Member.objects.get(pk=request.decided_by_id)
        digest = _digest({"action": request.action, "payload": request.payload})
        append("approval.approved", approver, "members.approvalrequest", request.pk, {
            "request": request.pk, "action": request.action, "payload_digest": digest,
            "requested_by": request.requested_by_id, "approver": request.decided_by_id,
            "decided_at": _timestamp(request.decided_at) if request.decided_at else None,
        })


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0003_founding_grants_only_at_init"),
        ("audit", "0002_append_only_triggers"),
    ]

    operations = [migrations.RunPython(stamp_existing, migrations.RunPython.noop)]
