"""A coordinator's answer to an alert of the audit trail.

The trail itself (audit/) sits below the members and knows no roles; who may answer its alerts
is the access policy's business, so the answer is written here.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pompolit.audit.models import AuditEntry
from pompolit.audit.services import ALERT_ACKNOWLEDGED, lock_chain_head, open_alerts, record
from pompolit.members import policy
from pompolit.members.models import Member

FINDINGS = ("expected", "mistake", "misuse", "unclear")


def acknowledge_alert(actor: Member, seq: int, *, finding: str = "unclear") -> AuditEntry:
    """A coordinator has looked into an alert. The alert stays in the trail; this follows it,
    with what they found as a code (trail/forms.py FINDINGS): the trail keeps no typed text."""
    policy.require(
        actor, policy.COORDINATOR, refusal=_("Only coordinators can acknowledge alerts.")
    )
    if finding not in FINDINGS:
        raise ValidationError(_("Choose what you found."))
    with transaction.atomic():
        lock_chain_head()
        alert = open_alerts().filter(seq=seq).first()
        if alert is None:
            raise ValidationError(_("Alert #%(seq)s is not open.") % {"seq": seq})
        # An infiltrator must not be able to silence the alert about themselves.
        if alert.object_type == actor._meta.label_lower and alert.object_id == str(actor.pk):
            raise PermissionDenied(_("Another coordinator must look into an alert about you."))
        return record(
            ALERT_ACKNOWLEDGED, actor=actor, obj=alert,
            details={"alert": alert.seq, "finding": finding},
        )
