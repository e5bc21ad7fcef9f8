"""Relatives: encrypted, found by phone through a blind index, read only with a trace."""

import pytest

from pompolit.audit.models import AuditEntry
from pompolit.cases import services
from pompolit.cases.models import Relative


@pytest.fixture
def sister(unsealed_vault, worker, exile):
    return services.add_relative(worker, exile, relationship="sibling",
                                 name="Ремизова Мария Петровна", phone="8 (912) 345-67-89",
                                 contact="Москва, Арбат, спросить у дворника")


def test_relatives_are_encrypted_in_the_database(sister):
    row = Relative.objects.filter(pk=sister.pk).values("name", "phone", "contact").get()
    assert all("Ремизова" not in v and "912" not in v for v in row.values())
    assert Relative.objects.get(pk=sister.pk).name == "Ремизова Мария Петровна"


def test_a_relative_is_found_by_phone_in_any_spelling(sister, worker, outsider, exile):
    assert list(services.cases_with_phone(worker, "+7 912 345 67 89")) == [exile]
    assert not services.cases_with_phone(outsider, "+7 912 345 67 89").exists()


def test_reading_the_private_page_is_recorded_as_a_sensitive_read(sister, worker, exile):
    private = services.read_private(worker, exile)
    assert private["relatives"][0]["contact"].startswith("Москва")
    entry = AuditEntry.objects.get(action="read.sensitive")
    assert entry.sensitive_read and entry.actor_id == worker.pk
    assert "relatives.phone" in entry.details["fields"]
    assert "Ремизова" not in str(entry.details)


def test_lawyer_contact_and_needs_are_encrypted(unsealed_vault, worker, exile):
    services.update_private(worker, exile, lawyer_contact="+7 903 000-00-00, адвокат Т.",
                            needs="инсулин", needs_structured={"diet": "без соли"})
    stored = type(exile).objects.filter(pk=exile.pk).values("needs", "needs_structured").get()
    assert "инсулин" not in stored["needs"] and "соли" not in stored["needs_structured"]
    assert services.read_private(worker, exile)["needs_structured"] == {"diet": "без соли"}
