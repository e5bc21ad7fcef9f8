"""Answering the trail's alerts: coordinators only, never about themselves, alerts only."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pompolit.audit import services
from pompolit.audit.models import AuditEntry
from pompolit.members.roles import Role
from pompolit.members.trail.services import acknowledge_alert


@pytest.fixture
def reader(make_member):
    return make_member("Сергей Дегаев", Role.CASE_WORKER)


def alerts_about(member):
    return AuditEntry.objects.filter(action=services.BULK_READ, object_id=str(member.pk))


@pytest.fixture
def alert(reader, compartment, settings):
    settings.POMPOLIT_BULK_READ_LIMIT = 1
    for _ in range(2):
        services.record_sensitive_read(reader, compartment, fields=["address"])
    return alerts_about(reader).get()


def test_a_coordinator_acknowledges_an_alert(alert, founders):
    assert list(services.open_alerts()) == [alert]
    ack = acknowledge_alert(founders[1], alert.seq, finding="expected")
    assert ack.details == {"alert": alert.seq, "finding": "expected"}
    assert (ack.object_type, ack.object_id) == ("audit.auditentry", str(alert.pk))
    assert not services.open_alerts().exists()
    with pytest.raises(ValidationError):
        acknowledge_alert(founders[0], alert.seq)


def test_only_coordinators_acknowledge(alert, make_member):
    auditor = make_member("Михаил Фроленко", Role.AUDITOR)
    with pytest.raises(PermissionDenied):
        acknowledge_alert(auditor, alert.seq)


def test_nobody_acknowledges_an_alert_about_themselves(alert, reader, approved):
    approved("grant_role", {"member": reader.pk, "role": Role.COORDINATOR})
    reader.refresh_from_db()
    with pytest.raises(PermissionDenied, match="Another coordinator"):
        acknowledge_alert(reader, alert.seq)
    assert services.open_alerts().exists()


def test_only_alerts_can_be_acknowledged(founders):
    login = services.record("login", actor=founders[0])
    with pytest.raises(ValidationError):
        acknowledge_alert(founders[1], login.seq)
