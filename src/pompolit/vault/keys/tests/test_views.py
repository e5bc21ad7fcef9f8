import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from pompolit.audit.models import AuditEntry
from pompolit.vault.errors import VaultSealed
from pompolit.vault.keys import services
from pompolit.vault.middleware import SealedMiddleware


@pytest.fixture
def keyholder_vault(founders, vault_agent):
    # The founders are two of the three keyholders; the third is not a member.
    return services.initialise(
        threshold=2, keyholders=["Вера Фигнер", "Софья Перовская", "Вера Засулич"]
    )


def test_a_page_that_touches_a_secret_while_sealed_shows_the_sealed_page(db, vault_agent):
    def view(request):
        raise VaultSealed()

    request = RequestFactory().get("/cases/1/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    middleware = SealedMiddleware(lambda r: HttpResponse("unused"))
    response = middleware.process_exception(request, VaultSealed())
    assert response.status_code == 503
    page = response.content.decode().lower()
    assert "keyholders" in page or "хранител" in page


def test_login_page_works_while_sealed(client, keyholder_vault):
    assert services.status().sealed
    assert client.get("/accounts/login/").status_code == 200


def test_status_page_shows_sealed_and_keyholders(client, founders, keyholder_vault):
    client.force_login(founders[0])
    page = client.get("/vault/").content.decode()
    assert "Вера Засулич" in page and 'action="/vault/seal/"' not in page


def test_keyholders_unseal_on_the_web_page_one_after_another(client, founders, keyholder_vault):
    client.force_login(founders[0])
    response = client.post("/vault/unseal/", {"share": keyholder_vault[0].text})
    assert response.status_code == 302
    assert services.status().entered == [1]
    client.force_login(founders[1])
    client.post("/vault/unseal/", {"share": keyholder_vault[1].text})
    assert not services.status().sealed
    unsealed = AuditEntry.objects.filter(action="vault.unsealed").get()
    assert unsealed.actor_label == "Софья Перовская"


def test_a_keyholder_cannot_enter_someone_elses_share(client, founders, keyholder_vault):
    client.force_login(founders[0])
    response = client.post("/vault/unseal/", {"share": keyholder_vault[1].text})
    assert response.status_code == 200
    assert services.status().entered == []
    assert AuditEntry.objects.filter(
        action="vault.share_refused", details__reason="share_not_yours"
    ).exists()


def test_a_mistyped_share_on_the_web_page_is_explained(client, founders, keyholder_vault):
    client.force_login(founders[0])
    text = keyholder_vault[0].text
    typo = text[:10] + ("A" if text[10] != "A" else "B") + text[11:]
    response = client.post("/vault/unseal/", {"share": typo})
    assert response.status_code == 200
    assert services.status().sealed and services.status().entered == []


def test_members_who_are_not_keyholders_cannot_enter_shares(client, make_member, keyholder_vault):
    outsider = make_member("Нечаев")
    client.force_login(outsider)
    client.post("/vault/unseal/", {"share": keyholder_vault[0].text})
    assert services.status().entered == []


def test_a_coordinator_seals_with_one_button(client, founders, keyholder_vault):
    services.submit_share(keyholder_vault[0].text)
    services.submit_share(keyholder_vault[2].text)
    client.force_login(founders[1])
    assert 'action="/vault/seal/"' in client.get("/vault/").content.decode()
    response = client.post("/vault/seal/")
    assert response.status_code == 302
    assert services.status().sealed
    sealed = AuditEntry.objects.filter(action="vault.sealed").get()
    assert sealed.actor_label == "Софья Перовская"


def test_only_coordinators_and_keyholders_may_seal(client_for, make_member, keyholder_vault):
    services.submit_share(keyholder_vault[0].text)
    services.submit_share(keyholder_vault[1].text)
    client = client_for(make_member("Николай", "case_worker"))
    response = client.post("/vault/seal/", follow=True)
    assert "Only coordinators and keyholders can seal the vault." in response.content.decode()
    assert not services.status().sealed


def test_a_keyholder_who_is_not_a_coordinator_seals(client, founders, make_member, vault_agent):
    keeper = make_member("Вера Засулич", "case_worker")
    shares = services.initialise(
        threshold=2, keyholders=["Вера Фигнер", "Софья Перовская", "Вера Засулич"])
    services.submit_share(shares[0].text)
    services.submit_share(shares[1].text)
    client.force_login(keeper)
    assert 'action="/vault/seal/"' in client.get("/dashboard/").content.decode()
    assert client.post("/vault/seal/").status_code == 302
    assert services.status().sealed


def test_seal_needs_post(client, founders, keyholder_vault):
    client.force_login(founders[0])
    assert client.get("/vault/seal/").status_code == 405
