"""Moving a case to another compartment (cases/moving.py): asked by a case worker, approved by
another person, carried out whole — the case, its events and relatives, their secrets
re-encrypted under the new compartment's key — audited and told; or not at all."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pompolit.audit.models import AuditEntry
from pompolit.cases import services
from pompolit.cases.models import Case, Event, Relative
from pompolit.cases.moving import services as moving
from pompolit.cases.photos import services as photos
from pompolit.cases.testing import P, event_type, plain
from pompolit.members import approvals
from pompolit.members.models import ApprovalRequest, Notice
from pompolit.members.roles import Role
from pompolit.members.services import notice_text
from pompolit.vault.fields.cipher import key_id_of
from pompolit.vault.keys.keyring import ring


@pytest.fixture(autouse=True)
def attachments(tmp_path, monkeypatch):
    monkeypatch.setenv("POMPOLIT_ATTACHMENTS_DIR", str(tmp_path))


@pytest.fixture
def full(unsealed_vault, worker, exile):
    """The exile's case with secrets everywhere that must follow it."""
    services.update_private(worker, exile, lawyer_contact="адвокат Муравьёв, +7 903 111-22-33",
                            needs="Тёплые носки, инсулин")
    services.add_event(worker, exile, type=event_type("letter"), date=P("1926-01-10"),
                       confidential_note="Письмо передал ссыльный эсер Гоц")
    services.add_relative(worker, exile, relationship="sibling", name="Ремизова Вера",
                          phone="+7 912 345-67-89")
    photos.set_photo(worker, exile, plain("JPEG"))
    return Case.objects.get(pk=exile.pk)


def ask(worker, case, target, reason="Переведена в Бутырки: дело ведёт московская группа"):
    return moving.request_move(worker, case, target, reason=reason)


def approve(request, approver):
    return approvals.approve(request.pk, approver, seen_digest=request.payload_digest)


def compartment_of_key(ciphertext):
    return ring.key(key_id_of(ciphertext)).compartment_id


def test_a_move_carries_everything_and_re_encrypts(full, worker, outsider, moscow, founders):
    request = ask(worker, full, moscow)
    assert request.status == ApprovalRequest.Status.PENDING
    assert Case.objects.get(pk=full.pk).compartment_id == full.compartment_id  # not yet
    done = approve(request, founders[1])
    assert done.status == ApprovalRequest.Status.EXECUTED
    case = Case.objects.get(pk=full.pk)
    assert case.compartment_id == moscow.pk
    assert set(Event.objects.filter(case=case).values_list("compartment_id", flat=True)) == {
        moscow.pk}
    assert set(Relative.objects.filter(case=case).values_list("compartment_id", flat=True)) == {
        moscow.pk}
    # Every secret is now under the Moscow key, and still reads the same.
    assert compartment_of_key(case.__dict__["lawyer_contact"]) == moscow.pk
    assert compartment_of_key(case.__dict__["photo"]) == moscow.pk
    relative = Relative.objects.get(case=case)
    assert compartment_of_key(relative.__dict__["name"]) == moscow.pk
    assert relative.name == "Ремизова Вера"
    note = Event.objects.get(case=case, type__code="letter", date="1926-01-10")
    assert note.confidential_note == "Письмо передал ссыльный эсер Гоц"
    assert case.lawyer_contact.startswith("адвокат Муравьёв")
    assert photos.read_photo(outsider, case) is not None
    # Who sees it changed.
    assert services.case_for(worker, moscow, case.pk) is None
    assert services.case_for(outsider, moscow, case.pk) is not None
    with pytest.raises(PermissionDenied):
        photos.read_photo(worker, case)


def test_audited_and_told(full, worker, outsider, moscow, founders):
    request = ask(worker, full, moscow)
    approve(request, founders[1])
    entry = AuditEntry.objects.filter(action="cases.case_moved").get()
    assert entry.details["from"] == "orenburg-exiles" and entry.details["to"] == "moscow"
    assert entry.details["events"] == 5 and entry.details["relatives"] == 1
    assert entry.details["unassigned"] is True  # Николай does not work in Moscow
    assert entry.actor_id == founders[1].pk and entry.details["approval"] == request.pk
    assert "Ремизова" not in str(entry.details)
    told = set(Notice.objects.filter(kind="cases_move_done").values_list("member_id",
                                                                         flat=True))
    assert told == {worker.pk, outsider.pk}
    text = notice_text(Notice.objects.filter(kind="cases_move_done").first())
    assert text == (f"Case #{full.pk} was moved from the compartment Оренбургская ссылка to "
                    f"Москва (request #{request.pk}).")
    assert Case.objects.get(pk=full.pk).assigned_to is None


def test_the_requester_may_not_approve(make_member, compartment, moscow, open_case, founders):
    both = make_member("Вера Засулич", Role.CASE_WORKER, Role.COORDINATOR,
                       compartments=[compartment])
    case = open_case("Кибальчич", "Николай", "Иванович", who=both)
    request = ask(both, case, moscow)
    with pytest.raises(approvals.ApprovalError, match="cannot approve your own request"):
        approve(request, both)
    assert Case.objects.get(pk=case.pk).compartment_id == compartment.pk


def test_only_a_coordinator_approves(worker, exile, moscow, outsider):
    request = ask(worker, exile, moscow)
    with pytest.raises(PermissionDenied):
        approve(request, outsider)


def test_asking_is_for_the_case_workers_of_the_compartment(outsider, exile, moscow):
    with pytest.raises(PermissionDenied):
        ask(outsider, exile, moscow)


def test_refusals_when_asking(worker, exile, moscow, compartment):
    with pytest.raises(ValidationError, match="Say why"):
        ask(worker, exile, moscow, reason="  ")
    with pytest.raises(ValidationError, match="already in this compartment"):
        ask(worker, exile, compartment)
    ask(worker, exile, moscow)
    with pytest.raises(ValidationError, match="already waiting"):
        ask(worker, exile, moscow)


def test_sealed_vault_leaves_the_request_approved_to_retry(full, worker, moscow, founders,
                                                           monkeypatch):
    request = ask(worker, full, moscow)
    monkeypatch.setattr(moving, "is_unsealed", lambda: False)
    with pytest.raises(ValidationError, match="vault is sealed"):
        approve(request, founders[1])
    stored = ApprovalRequest.objects.get(pk=request.pk)
    assert stored.status == ApprovalRequest.Status.APPROVED and "sealed" in stored.last_error
    assert Case.objects.get(pk=full.pk).compartment_id != moscow.pk
    monkeypatch.undo()
    approvals.execute_approved(request.pk)
    assert Case.objects.get(pk=full.pk).compartment_id == moscow.pk


def test_nothing_half_moved(full, worker, moscow, founders, monkeypatch):
    from pompolit.vault.errors import VaultError

    def broken(self, *args, **kwargs):
        raise VaultError("key agent gone")

    request = ask(worker, full, moscow)
    monkeypatch.setattr(Relative, "save", broken)
    with pytest.raises(ValidationError, match="key agent gone"):
        approve(request, founders[1])
    assert Case.objects.get(pk=full.pk).compartment_id == full.compartment_id
    assert not Event.objects.filter(case=full, compartment=moscow).exists()
    assert not AuditEntry.objects.filter(action="cases.case_moved").exists()


def test_a_case_that_moved_meanwhile_is_not_moved_again(worker, exile, moscow, founders,
                                                         compartment):
    request = ask(worker, exile, moscow)
    Case.objects.filter(pk=exile.pk).update(compartment=moscow)
    with pytest.raises(ValidationError, match="no longer in the compartment"):
        approve(request, founders[1])
