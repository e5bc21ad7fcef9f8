"""A member's contact for emergencies: optional, encrypted, read only by them or a coordinator."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from pompolit.audit.models import AuditEntry
from pompolit.members.roles import Role
from pompolit.members.testing import PASSWORD
from pompolit.vault.emergency import services as emergency
from pompolit.vault.emergency.models import EmergencyContact


@pytest.fixture
def member(make_member):
    return make_member("Геся Гельфман", Role.CASE_WORKER)


def test_a_member_keeps_it_encrypted_and_can_forget_it(member, unsealed_vault):
    emergency.save(member, contact="Сестра Анна, знает адвоката", phone="+7 912 000-11-22")
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact, phone FROM vault_emergencycontact")
        stored = " ".join(cursor.fetchone())
    assert "Анна" not in stored and "912" not in stored
    assert emergency.read(member, member).contact == "Сестра Анна, знает адвоката"

    emergency.save(member, contact="", phone="")
    assert not EmergencyContact.objects.exists()
    actions = list(AuditEntry.objects.filter(object_id=str(member.pk)).values_list(
        "action", flat=True))
    assert "emergency_contact.saved" in actions and "emergency_contact.forgotten" in actions
    # The trail says that it changed, never what it says.
    assert not AuditEntry.objects.filter(details__icontains="Анна").exists()


def test_a_phone_without_a_name_is_refused(member, unsealed_vault):
    with pytest.raises(ValidationError):
        emergency.save(member, contact=" ", phone="+7 912 000-11-22")
    assert not EmergencyContact.objects.exists()


def test_only_the_member_and_coordinators_read_it_and_each_read_is_recorded(
    member, founders, make_member, unsealed_vault
):
    emergency.save(member, contact="Мать, Самара")
    assert emergency.read(founders[0], member).contact == "Мать, Самара"
    assert AuditEntry.objects.filter(
        action="read.sensitive", actor_id=founders[0].pk, object_id=str(member.pk)
    ).exists()
    with pytest.raises(PermissionDenied):
        emergency.read(make_member("Казначей", Role.TREASURER), member)


def test_the_pages(client, member, founders, unsealed_vault):
    client.force_login(member)
    response = client.post("/vault/emergency-contact/", {"contact": "Брат Пётр", "phone": ""})
    assert response.status_code == 302
    assert "Брат Пётр" in client.get("/vault/emergency-contact/").content.decode()

    client.force_login(founders[0])
    # A dangerous read: the password is asked for again first.
    response = client.post(f"/vault/emergency-contact/{member.pk}/")
    assert response["Location"].startswith("/accounts/reauthenticate/")
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    response = client.post(f"/vault/emergency-contact/{member.pk}/")
    assert response.status_code == 200
    assert "Брат Пётр" in response.content.decode()
