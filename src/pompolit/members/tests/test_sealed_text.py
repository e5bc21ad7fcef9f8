"""Members' free text is encrypted (issue 18): an approval's reason, an invitation's note, a
compartment's description (core.sealed_text, encrypted by the vault's organisation-wide key)."""

import importlib
import types

import pytest
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader

from pompolit.core import sealed_text
from pompolit.members import approvals
from pompolit.members.models import ApprovalRequest, Compartment, Invitation
from pompolit.members.services import create_compartment, create_invitation
from pompolit.vault.errors import VaultSealed
from pompolit.vault.fields import services as vault
from pompolit.vault.fields.pending import PendingPlaintext
from pompolit.vault.keys.services import seal

NOTE = "через сестру Перовской, Ростов, тел. +7 912 000-11-22"
DESCRIPTION = "Ссыльные в Оренбурге: родственники в Орске, адвокат Гольденберг"
REASON = "Николай ведёт дела ссыльных с весны, за него поручилась Засулич"


def _raw(table, column, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def _write_raw(table, column, pk, value):
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, pk])  # noqa: S608


def _all_rows(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608
        return str(cursor.fetchall())


def _threshold_request(founders, reason):
    return approvals.request_approval(founders[0], "set_vouches_required", {"vouches_required": 3},
                                      reason=reason)


# -- typed into the forms: stored encrypted, read back -----------------------------------------


def test_the_invitation_note_typed_into_the_form_is_stored_encrypted(
    client, founders, log_in, unsealed_vault
):
    log_in(client, founders[0])
    client.post("/invite/", {"note": NOTE})

    invitation = Invitation.objects.get()
    assert "Перовской" not in _all_rows("members_invitation")
    assert "912" not in _raw("members_invitation", "note", invitation.pk)
    assert Invitation.objects.get().note == NOTE
    assert NOTE.encode() in client.get("/invite/").content


def test_the_compartment_description_typed_into_the_form_is_stored_encrypted(
    client, founders, log_in, unsealed_vault
):
    log_in(client, founders[0])
    client.post("/compartments/new/", {"name": "Оренбургские ссыльные",
                                       "slug": "orenburg-exiles", "description": DESCRIPTION})

    compartment = Compartment.objects.get(slug="orenburg-exiles")
    assert "Гольденберг" not in _all_rows("members_compartment")
    # The name stays in clear: an organisational label shown in menus, like the slug.
    assert _raw("members_compartment", "name", compartment.pk) == "Оренбургские ссыльные"
    assert Compartment.objects.get(pk=compartment.pk).description == DESCRIPTION
    assert DESCRIPTION.encode() in client.get("/compartments/").content


def test_an_approval_reason_is_stored_encrypted_and_shown_to_the_approver(
    client, founders, log_in, unsealed_vault
):
    request = _threshold_request(founders, REASON)

    assert "Засулич" not in _all_rows("members_approvalrequest")
    assert ApprovalRequest.objects.get(pk=request.pk).reason == REASON
    log_in(client, founders[1])
    assert REASON.encode() in client.get(f"/approvals/{request.pk}/").content


def test_the_forms_put_the_lock_on_the_encrypted_boxes(client, founders, log_in,
                                                       unsealed_vault):
    log_in(client, founders[0])
    for page in ("/invite/", "/compartments/"):
        assert b'<span class="lock"' in client.get(page).content
    from pompolit.members.forms import CompartmentForm, InvitationForm, RoleRequestForm

    assert InvitationForm().fields["note"].encrypted
    assert CompartmentForm().fields["description"].encrypted
    assert not hasattr(CompartmentForm().fields["name"], "encrypted")
    assert RoleRequestForm().fields["reason"].encrypted
    # The vault's own lock tag and form mixin know the sealed fields too.
    from pompolit.vault.fields.labels import is_encrypted

    assert is_encrypted("members.ApprovalRequest.reason")
    assert not is_encrypted("members.Compartment.name")


# -- the ciphertext: bound to its place, never compared ---------------------------------------


def test_a_reason_copied_into_an_invitation_note_does_not_decrypt(founders, unsealed_vault):
    from pompolit.vault.crypto import VaultIntegrityError

    request = _threshold_request(founders, REASON)
    invitation, _token = create_invitation(founders[0], note=NOTE)
    _write_raw("members_invitation", "note", invitation.pk,
               _raw("members_approvalrequest", "reason", request.pk))
    with pytest.raises(VaultIntegrityError):
        _ = Invitation.objects.get(pk=invitation.pk).note


def test_sealed_text_cannot_be_compared_or_updated_in_the_database(founders, unsealed_vault):
    _threshold_request(founders, REASON)
    with pytest.raises(TypeError, match="encrypted"):
        list(ApprovalRequest.objects.filter(reason=REASON))
    with pytest.raises(TypeError), transaction.atomic():
        ApprovalRequest.objects.update(reason="всем одно и то же")


def test_rotating_the_data_keys_keeps_the_text_readable(founders, unsealed_vault):
    request = _threshold_request(founders, REASON)
    compartment = create_compartment(founders[0], name="Москва", slug="moscow",
                                     description=DESCRIPTION)
    before = _raw("members_approvalrequest", "reason", request.pk)
    vault.rotate_data()
    assert _raw("members_approvalrequest", "reason", request.pk) != before
    assert ApprovalRequest.objects.get(pk=request.pk).reason == REASON
    assert Compartment.objects.get(pk=compartment.pk).description == DESCRIPTION
    assert vault.verify_all()["failed"] == 0


# -- a sealed vault ----------------------------------------------------------------------------


def test_sealed_vault_shows_a_placeholder_and_refuses_new_text(
    founders, unsealed_vault, sealed_text_needs_vault
):
    request = _threshold_request(founders, REASON)
    seal()

    loaded = ApprovalRequest.objects.get(pk=request.pk)
    assert isinstance(loaded.reason, sealed_text.Unreadable)
    assert REASON not in loaded.reason
    # The row still saves (its ciphertext is kept as it is): decisions do not need the key.
    loaded.status = ApprovalRequest.Status.WITHDRAWN
    loaded.save()
    with pytest.raises(VaultSealed), transaction.atomic():
        create_invitation(founders[0], note=NOTE)
    # The placeholder is never saved in place of the text.
    loaded.reason = loaded.reason
    with pytest.raises(ValueError, match="sealed"), transaction.atomic():
        loaded.save()
    # Empty text needs no key: a request without a reason can still be made.
    assert _threshold_request(founders, "").reason == ""
    invitation, _token = create_invitation(founders[0])
    assert Invitation.objects.get(pk=invitation.pk).note == ""
    assert _raw("members_invitation", "note", invitation.pk) is None


def test_sealed_vault_page_lists_still_render(client, founders, log_in, unsealed_vault,
                                              sealed_text_needs_vault):
    create_compartment(founders[0], name="Москва", slug="moscow", description=DESCRIPTION)
    create_invitation(founders[0], note=NOTE)
    log_in(client, founders[0])
    seal()
    for page in ("/compartments/", "/invite/"):
        response = client.get(page)
        assert response.status_code == 200
        assert sealed_text.sealed_placeholder().encode() in response.content
        assert b"Orsk" not in response.content and "Орске".encode() not in response.content


def test_a_new_text_while_sealed_shows_the_sealed_page(client, founders, log_in, unsealed_vault,
                                                        sealed_text_needs_vault):
    log_in(client, founders[0])
    seal()
    response = client.post("/invite/", {"note": NOTE})
    assert response.status_code == 503
    assert not Invitation.objects.exists()


def test_without_a_codec_nothing_is_stored(founders, monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setattr(sealed_text, "_codec", None)
    with pytest.raises(ImproperlyConfigured), transaction.atomic():
        create_invitation(founders[0], note=NOTE)
    assert not Invitation.objects.exists()


# -- text from before the upgrade --------------------------------------------------------------


def _migration():
    return importlib.import_module("pompolit.members.migrations.0005_free_text_encrypted")


def test_the_migration_moves_old_text_to_the_pending_table_and_unseal_encrypts_it(
    founders, unsealed_vault
):
    request = _threshold_request(founders, "")
    invitation, _token = create_invitation(founders[0])
    compartment = create_compartment(founders[0], name="Москва", slug="moscow")
    empty_request = _threshold_request(founders, "")
    # What an older version left: plaintext in the columns.
    _write_raw("members_approvalrequest", "reason", request.pk, REASON)
    _write_raw("members_invitation", "note", invitation.pk, NOTE)
    _write_raw("members_compartment", "description", compartment.pk, DESCRIPTION)
    _write_raw("members_approvalrequest", "reason", empty_request.pk, "")

    old = MigrationLoader(connection).project_state([
        ("members", "0004_stamp_approvals_made_before_stamps"),
        ("vault", "0004_pending_plaintext"),
    ]).apps
    editor = types.SimpleNamespace(connection=connection)
    _migration().move(old, editor)
    _migration().empty(old, editor)

    assert sorted(PendingPlaintext.objects.values_list("model", "field", "text")) == [
        ("members.ApprovalRequest", "reason", REASON),
        ("members.Compartment", "description", DESCRIPTION),
        ("members.Invitation", "note", NOTE),
    ]
    for table, column, pk in (("members_approvalrequest", "reason", request.pk),
                              ("members_invitation", "note", invitation.pk),
                              ("members_compartment", "description", compartment.pk),
                              ("members_approvalrequest", "reason", empty_request.pk)):
        assert _raw(table, column, pk) is None

    assert vault.encrypt_pending() == 3
    assert not PendingPlaintext.objects.exists()
    assert "Засулич" not in _all_rows("members_approvalrequest")
    assert "Перовской" not in _all_rows("members_invitation")
    assert "Гольденберг" not in _all_rows("members_compartment")
    assert ApprovalRequest.objects.get(pk=request.pk).reason == REASON
    assert Invitation.objects.get(pk=invitation.pk).note == NOTE
    assert Compartment.objects.get(pk=compartment.pk).description == DESCRIPTION
    assert ApprovalRequest.objects.get(pk=empty_request.pk).reason == ""
