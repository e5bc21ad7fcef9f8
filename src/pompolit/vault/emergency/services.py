"""A member's own contact for emergencies: whom to tell if they are detained.

Optional (store as little as possible), encrypted by the vault, written only by the member,
read by the member or — in an emergency — by a coordinator, every read in the audit trail.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pompolit.audit.services import record, record_sensitive_read
from pompolit.members import policy
from pompolit.members.models import Member
from pompolit.vault.emergency.models import EmergencyContact

FIELDS = ["contact", "phone"]


def save(member: Member, *, contact: str, phone: str = "") -> EmergencyContact | None:
    """Store, replace or (with both fields empty) forget the member's emergency contact."""
    contact, phone = contact.strip(), phone.strip()
    with transaction.atomic():
        existing = EmergencyContact.objects.filter(member=member).first()
        if not contact and not phone:
            if existing is not None:
                existing.delete()
                record("emergency_contact.forgotten", actor=member, obj=member)
            return None
        if not contact:
            raise ValidationError(
                {"contact": _("Say whom to tell; the phone alone is not enough.")}
            )
        if existing is None:
            existing = EmergencyContact(member=member)
        existing.contact, existing.phone = contact, phone
        existing.updated_at = timezone.now()
        existing.save()
        # The trail says that it changed, never what it says.
        record("emergency_contact.saved", actor=member, obj=member)
    return existing


def read(reader: Member, member: Member) -> EmergencyContact | None:
    """The contact, for the member themself or a coordinator; every read is recorded."""
    if reader.pk != member.pk:
        policy.require(reader, policy.COORDINATOR,
                       refusal=_("Only the member and coordinators may read this."))
    found = EmergencyContact.objects.filter(member=member).first()
    if found is not None:
        record_sensitive_read(reader, member, fields=FIELDS)
    return found
