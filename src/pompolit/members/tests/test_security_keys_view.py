"""Adding a security key (allauth's WebAuthn pages): its name box speaks the reader's language,
as every other box does."""

import pytest
from django.test import Client

from pompolit.members.roles import Role


@pytest.mark.parametrize(("language", "label"), [("en", "Name"), ("ru", "Название ключа")])
def test_the_security_keys_name_box_is_labelled_in_the_readers_language(
    make_member, log_in, language, label
):
    member = make_member("Анна Прибылёва", Role.CASE_WORKER)
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.cookies["django_language"] = language
    log_in(client, member)
    page = client.get("/accounts/2fa/webauthn/add/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'<label for="id_name">{label}' in html or f">{label}</label>" in html, html[-3000:]
