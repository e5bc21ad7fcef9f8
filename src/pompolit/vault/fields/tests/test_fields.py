import datetime

import pytest
from django.db import connection, transaction

from pompolit.members.models import Member
from pompolit.vault import fields
from pompolit.vault.crypto import VaultIntegrityError
from pompolit.vault.emergency.models import EmergencyContact
from pompolit.vault.errors import VaultSealed
from pompolit.vault.fields import (
    EncryptedDateField,
    EncryptedJSONField,
    EncryptedTextField,
    blind,
    cipher,
)
from pompolit.vault.keys import keyring, services


def _member(name="Степняк-Кравчинский"):
    return Member.objects.create_user(name, "correct horse battery staple")


def _raw(column, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM vault_emergencycontact WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def _write_raw(column, pk, value):
    with connection.cursor() as cursor:
        sql = f"UPDATE vault_emergencycontact SET {column} = %s WHERE id = %s"  # noqa: S608
        cursor.execute(sql, [value, pk])


def test_text_is_stored_encrypted_and_read_back(unsealed_vault):
    contact = EmergencyContact.objects.create(
        member=_member(), contact="Сестра Ольга, Саратов", phone="+7 (912) 345-67-89"
    )
    assert "Ольга" not in _raw("contact", contact.pk)
    loaded = EmergencyContact.objects.get(pk=contact.pk)
    assert loaded.contact == "Сестра Ольга, Саратов"
    assert loaded.phone == "+7 (912) 345-67-89"


def test_a_ciphertext_copied_to_another_row_or_column_does_not_decrypt(unsealed_vault):
    first = EmergencyContact.objects.create(member=_member("А"), contact="тайна А", phone="1")
    second = EmergencyContact.objects.create(member=_member("Б"), contact="тайна Б", phone="2")
    _write_raw("contact", second.pk, _raw("contact", first.pk))
    with pytest.raises(VaultIntegrityError):
        _ = EmergencyContact.objects.get(pk=second.pk).contact
    _write_raw("phone", first.pk, _raw("contact", first.pk))
    with pytest.raises(VaultIntegrityError):
        _ = EmergencyContact.objects.get(pk=first.pk).phone


def test_a_tampered_ciphertext_is_an_integrity_error_never_garbage(unsealed_vault):
    contact = EmergencyContact.objects.create(member=_member(), contact="адрес явки")
    raw = _raw("contact", contact.pk)
    middle = len(raw) // 2
    tampered = raw[:middle] + ("A" if raw[middle] != "A" else "B") + raw[middle + 1 :]
    _write_raw("contact", contact.pk, tampered)
    with pytest.raises(VaultIntegrityError):
        _ = EmergencyContact.objects.get(pk=contact.pk).contact
    _write_raw("contact", contact.pk, "not base64 at all!")
    with pytest.raises(VaultIntegrityError):
        _ = EmergencyContact.objects.get(pk=contact.pk).contact


def test_sealed_vault_refuses_to_read_or_write(unsealed_vault):
    contact = EmergencyContact.objects.create(member=_member(), contact="тайна")
    services.seal()
    loaded = EmergencyContact.objects.get(pk=contact.pk)
    with pytest.raises(VaultSealed):
        _ = loaded.contact
    with pytest.raises(VaultSealed), transaction.atomic():
        EmergencyContact.objects.create(member=_member("В"), contact="новая тайна")
    # Non-secret fields still load: pages without secrets keep working.
    assert loaded.member.pseudonym == "Степняк-Кравчинский"


def test_saving_an_unread_row_keeps_its_ciphertext(unsealed_vault):
    contact = EmergencyContact.objects.create(member=_member(), contact="тайна")
    before = _raw("contact", contact.pk)
    loaded = EmergencyContact.objects.get(pk=contact.pk)
    loaded.save()
    assert _raw("contact", contact.pk) == before


def test_encrypted_fields_cannot_be_compared_in_the_database(unsealed_vault):
    with pytest.raises(TypeError, match="blind index"):
        list(EmergencyContact.objects.filter(contact="тайна"))
    with pytest.raises(TypeError), transaction.atomic():
        EmergencyContact.objects.update(contact="всем одно и то же")


def test_blind_index_finds_a_phone_however_it_is_written(unsealed_vault):
    mother = EmergencyContact.objects.create(
        member=_member("А"), contact="мать", phone="+7 912 345-67-89"
    )
    EmergencyContact.objects.create(member=_member("Б"), contact="брат", phone="+7 495 000-00-00")
    found = EmergencyContact.objects.filter(
        fields.blind_lookup(EmergencyContact, "phone_index", "8 (912) 345 67 89")
    )
    assert list(found) == [mother]
    assert "79123456789" not in mother.phone_index
    assert not EmergencyContact.objects.filter(
        fields.blind_lookup(EmergencyContact, "phone_index", "+7 999 111-22-33")
    ).exists()


def test_blind_index_follows_a_changed_value(unsealed_vault):
    contact = EmergencyContact.objects.create(
        member=_member(), contact="мать", phone="+7 912 345-67-89"
    )
    contact.phone = "+7 900 000-00-01"
    contact.save()
    lookup = fields.blind_lookup(EmergencyContact, "phone_index", "79000000001")
    assert EmergencyContact.objects.filter(lookup).get() == contact


def test_blind_index_needs_the_vault(vault_shares):
    with pytest.raises(VaultSealed):
        fields.blind_lookup(EmergencyContact, "phone_index", "+7 912 345-67-89")


@pytest.mark.parametrize(
    ("normalise", "value", "expected"),
    [
        (blind.normalise_phone, "+7 (912) 345-67-89", "79123456789"),
        (blind.normalise_phone, "8 912 345 67 89", "79123456789"),
        (blind.normalise_phone, "00 49 30 1234567", "49301234567"),
        (blind.normalise_text, "  Вера   ФИГНЕР ", "вера фигнер"),
    ],
)
def test_normalisers(normalise, value, expected):
    assert normalise(value) == expected


def test_field_types_round_trip_through_bytes():
    text, data, date = EncryptedTextField(), EncryptedJSONField(), EncryptedDateField()
    assert text.from_bytes(text.to_bytes("Ёлка")) == "Ёлка"
    value = {"суд": "Мещанский", "статьи": [212, 318], "сумма": "1500.00"}
    assert data.from_bytes(data.to_bytes(value)) == value
    day = datetime.date(1881, 3, 1)
    assert date.from_bytes(date.to_bytes(day)) == day


def test_compartment_keys_are_separate(unsealed_vault, compartment):
    import uuid

    row = uuid.uuid4()
    in_compartment = cipher.encrypt_bytes(
        b"secret", table="t", column="c", row_id=row, compartment_id=compartment.pk
    )
    organisation_wide = cipher.encrypt_bytes(
        b"secret", table="t", column="c", row_id=row, compartment_id=None
    )
    assert cipher.key_id_of(in_compartment) != cipher.key_id_of(organisation_wide)
    assert keyring.ring.key(cipher.key_id_of(in_compartment)).compartment_id == compartment.pk
    assert cipher.decrypt_bytes(in_compartment, table="t", column="c", row_id=row) == b"secret"


def test_attachments_are_encrypted_on_disk(unsealed_vault, tmp_path, monkeypatch):
    import uuid

    from pompolit.vault.fields import EncryptedFileField
    from pompolit.vault.fields.files import Upload

    monkeypatch.setenv("POMPOLIT_ATTACHMENTS_DIR", str(tmp_path))
    field = EncryptedFileField()
    field.set_attributes_from_name("scan")
    body = "Приговор: 5 лет колонии".encode() * 5000

    class Row:
        vault_row_id = uuid.uuid4()

        class _meta:
            db_table = "test_attachment"

        def vault_compartment_id(self):
            return None

    row = Row()
    stored = field.encrypt_for(row, Upload("приговор.pdf", body, "application/pdf"))
    on_disk = list(tmp_path.iterdir())
    assert len(on_disk) == 1 and "Приговор".encode() not in on_disk[0].read_bytes()
    restored = field.decrypt_for(row, stored)
    assert restored.name == "приговор.pdf" and restored.size == len(body)
    assert restored.read() == body
    on_disk[0].write_bytes(on_disk[0].read_bytes()[:-1])
    with pytest.raises(VaultIntegrityError):
        restored.read()
