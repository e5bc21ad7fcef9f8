"""Failed logins are limited per account and per client address; proxies only when trusted."""

import pytest
from django.test import Client, override_settings

from pompolit.audit.models import AuditEntry
from pompolit.members.tests.conftest import submit_password

WRONG = "не тот пароль совсем"


def blocked(response) -> bool:
    # allauth keeps the login page and says why; no step to the second factor follows.
    if response.status_code != 200:
        return False
    errors = response.context["form"].non_field_errors().as_data()
    return any(error.code == "too_many_login_attempts" for error in errors)


def advanced_to_second_factor(response) -> bool:
    return response.status_code == 302 and "/2fa/authenticate/" in response["Location"]


@pytest.fixture
def member(make_member):
    return make_member("Вера Засулич")


def test_five_wrong_passwords_block_the_account_even_from_new_addresses(member):
    for attempt in range(5):
        response = submit_password(Client(), member.pseudonym, WRONG,
                                   REMOTE_ADDR=f"192.0.2.{attempt + 1}")
        assert not blocked(response)

    # The right password, from yet another address, is refused too: the guesser may be anyone.
    response = submit_password(Client(), member.pseudonym, REMOTE_ADDR="192.0.2.99")

    assert blocked(response)
    assert not advanced_to_second_factor(response)
    assert AuditEntry.objects.filter(action="login.blocked", actor_label=member.pseudonym).exists()


def test_blocking_one_account_leaves_others_alone(member, make_member):
    other = make_member("Вера Фигнер-2")
    for _ in range(5):
        submit_password(Client(), member.pseudonym, WRONG)

    assert advanced_to_second_factor(submit_password(Client(), other.pseudonym))


def test_ten_failures_from_one_address_block_that_address(member):
    # Two pseudonyms × 5 failures: no single account hits its own limit... except these two.
    for guess in range(10):
        submit_password(Client(), f"Угадываемый {guess % 2}", WRONG, REMOTE_ADDR="198.51.100.7")

    from_there = submit_password(Client(), member.pseudonym, REMOTE_ADDR="198.51.100.7")
    from_elsewhere = submit_password(Client(), member.pseudonym, REMOTE_ADDR="198.51.100.8")

    assert blocked(from_there)
    assert advanced_to_second_factor(from_elsewhere)


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=0)
def test_forwarded_for_is_ignored_without_a_trusted_proxy(member):
    # A guesser who invents a new X-Forwarded-For each time is still one address.
    for guess in range(10):
        submit_password(Client(), f"Угадываемый {guess % 2}", WRONG,
                        HTTP_X_FORWARDED_FOR=f"203.0.113.{guess}")

    response = submit_password(Client(), member.pseudonym, HTTP_X_FORWARDED_FOR="203.0.113.200")

    assert blocked(response)


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_forwarded_for_is_honoured_behind_one_trusted_proxy(member):
    # Everyone arrives from the proxy (127.0.0.1); the client is the last X-Forwarded-For entry.
    for guess in range(10):
        submit_password(Client(), f"Угадываемый {guess % 2}", WRONG,
                        HTTP_X_FORWARDED_FOR="203.0.113.5")

    guesser = submit_password(Client(), member.pseudonym, HTTP_X_FORWARDED_FOR="203.0.113.5")
    # A forged first entry does not help: the proxy appended the real address last.
    forged = submit_password(Client(), member.pseudonym,
                             HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.5")
    colleague = submit_password(Client(), member.pseudonym, HTTP_X_FORWARDED_FOR="203.0.113.6")

    assert blocked(guesser)
    assert blocked(forged)
    assert advanced_to_second_factor(colleague)


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_failed_login_records_the_address_the_proxy_saw(member):
    submit_password(Client(), member.pseudonym, WRONG, HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert AuditEntry.objects.get(action="login.failed").client == "203.0.113.0/24"
