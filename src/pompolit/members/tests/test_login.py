"""Logging in through allauth's real flow: a password, then a second factor."""

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.test import Client

from pompolit.audit.models import AuditEntry
from pompolit.core.digests import text_digest
from pompolit.members.roles import Role
from pompolit.members.testing import PASSWORD
from pompolit.members.tests.conftest import submit_password, totp_code


@pytest.fixture
def treasurer(make_member):
    return make_member("Мария Ошанина", Role.TREASURER)


def test_password_then_totp_code_reaches_the_dashboard(client, treasurer):
    response = submit_password(client, treasurer.pseudonym)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    # Half-way through, the member is not signed in yet.
    assert client.get("/dashboard/")["Location"].startswith("/accounts/login/")

    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code()})

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200


def test_wrong_totp_code_is_refused(client, treasurer):
    submit_password(client, treasurer.pseudonym)
    wrong = f"{(int(totp_code()) + 1) % 1_000_000:06d}"

    response = client.post("/accounts/2fa/authenticate/", {"code": wrong})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert client.get("/dashboard/").status_code == 302


def test_the_same_totp_code_does_not_work_twice(client, treasurer, log_in):
    code = totp_code()
    log_in(client, treasurer, code=code)
    client.post("/accounts/logout/")

    submit_password(client, treasurer.pseudonym)
    response = client.post("/accounts/2fa/authenticate/", {"code": code})

    assert response.status_code == 200
    assert client.get("/dashboard/").status_code == 302


def test_recovery_code_works_once(client, treasurer):
    code = RecoveryCodes.activate(treasurer).get_unused_codes()[0]

    submit_password(client, treasurer.pseudonym)
    response = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert response["Location"] == "/dashboard/"
    client.post("/accounts/logout/")

    submit_password(client, treasurer.pseudonym)
    response = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert response.status_code == 200
    assert client.get("/dashboard/").status_code == 302


def test_wrong_password_is_refused_without_asking_for_a_code(client, treasurer):
    response = submit_password(client, treasurer.pseudonym, "not the password at all")
    assert response.status_code == 200
    assert response.context["form"].errors
    assert client.get("/dashboard/")["Location"].startswith("/accounts/login/")


# -- a member without a second factor ---------------------------------------------------------


@pytest.fixture
def newcomer(make_member):
    return make_member("Андрей Желябов", two_factor=False)


@pytest.mark.parametrize(
    "page", ["/dashboard/", "/members/", "/vouch/", "/approvals/", "/waiting/", "/audit/",
             "/accounts/password/change/", "/accounts/2fa/recovery-codes/"]
)
def test_member_without_second_factor_is_sent_to_set_it_up_from_every_page(
    client, newcomer, page
):
    response = submit_password(client, newcomer.pseudonym)
    # Logged in by password alone: allowed only so far as setting up the second factor.
    assert response.status_code == 302

    response = client.get(page)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"


def _activate_totp(client):
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    code = totp_code(secret=page.context["form"].secret)
    return client.post("/accounts/2fa/totp/activate/", {"code": code})


def test_after_setting_up_totp_a_vouched_member_reaches_the_dashboard(client, newcomer):
    submit_password(client, newcomer.pseudonym)

    response = _activate_totp(client)

    assert response.status_code == 302
    assert client.get("/dashboard/").status_code == 200


def test_setting_up_totp_is_in_the_audit_trail(
    client, newcomer, django_capture_on_commit_callbacks
):
    submit_password(client, newcomer.pseudonym)

    # allauth announces the new authenticator once its transaction has committed.
    with django_capture_on_commit_callbacks(execute=True):
        _activate_totp(client)

    added = AuditEntry.objects.filter(action="member.second_factor_added", actor_id=newcomer.pk)
    # The app, and the recovery codes allauth makes with it.
    assert sorted(entry.details["type"] for entry in added) == ["recovery_codes", "totp"]
    assert {entry.client for entry in added} == {"127.0.0.0/24"}


def test_after_setting_up_totp_an_unvouched_member_only_waits(client, make_member):
    invitee = make_member("Григорий Гольденберг", vouched=False, two_factor=False)
    submit_password(client, invitee.pseudonym)

    _activate_totp(client)

    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"] == "/waiting/"
    assert client.get("/waiting/").status_code == 200


# -- an unvouched member with a second factor -------------------------------------------------


@pytest.mark.parametrize("page", ["/dashboard/", "/vouch/", "/approvals/", "/compartments/"])
def test_unvouched_member_sees_only_the_waiting_page(client, make_member, log_in, page):
    invitee = make_member("Григорий Гольденберг", vouched=False)
    log_in(client, invitee)

    response = client.get(page)

    assert response.status_code == 302
    assert response["Location"] == "/waiting/"


def test_waiting_page_counts_vouches(client, make_member, founders, log_in):
    from pompolit.members.services import vouch

    invitee = make_member("Григорий Гольденберг", vouched=False)
    vouch(founders[0], invitee)
    log_in(client, invitee)

    response = client.get("/waiting/")

    assert response.status_code == 200
    assert (response.context["count"], response.context["needed"]) == (1, 2)


# -- the audit trail --------------------------------------------------------------------------


def test_login_is_in_the_audit_trail(client, treasurer, log_in):
    log_in(client, treasurer)

    entry = AuditEntry.objects.filter(action="login").last()
    assert entry is not None
    assert (entry.actor_id, entry.actor_label) == (treasurer.pk, treasurer.pseudonym)
    assert entry.client == "127.0.0.0/24"


def test_failed_login_is_in_the_audit_trail_without_the_password(client, treasurer):
    typed = "Пароль-который-нельзя-хранить 42"
    submit_password(client, treasurer.pseudonym, typed)

    entry = AuditEntry.objects.get(action="login.failed")
    assert entry.actor_label == treasurer.pseudonym
    stored = " ".join(
        str(v) for v in AuditEntry.objects.filter(pk=entry.pk).values().first().values()
    )
    assert typed not in stored
    assert PASSWORD not in stored


def test_wrong_second_factor_is_a_failed_login_in_the_audit_trail(client, treasurer):
    submit_password(client, treasurer.pseudonym)
    client.post("/accounts/2fa/authenticate/", {"code": "000000"})

    entry = AuditEntry.objects.get(action="login.failed")
    assert entry.actor_id == treasurer.pk
    assert entry.details == {"step": "second factor"}
    assert "000000" not in str(entry.details)


def test_failed_login_for_an_unknown_pseudonym_is_recorded_without_what_was_typed(client, db):
    """What is typed for an unknown pseudonym may be a real name or a password in the wrong
    box: the trail keeps a keyed digest, the same for the same text, never the text."""
    submit_password(Client(), "Никто Неизвестный", "whatever it is")
    submit_password(Client(), "Никто Неизвестный", "something else")
    labels = list(AuditEntry.objects.filter(action="login.failed")
                  .values_list("actor_label", flat=True))
    assert labels == [f"? {text_digest('Никто Неизвестный')}"] * 2
    assert "Никто" not in labels[0]
