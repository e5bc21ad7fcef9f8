"""`pompolit init` and `pompolit approvals`: the command-line side of membership."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from pompolit.audit.models import AuditEntry
from pompolit.members import approvals
from pompolit.members.models import ApprovalRequest, Member, RoleGrant
from pompolit.members.roles import Role


def _init(monkeypatch, *founders, passwords, vault=("--threshold", "2", "--keyholder", "Вера",
                                                  "--keyholder", "Софья", "--keyholder", "Анна")):
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(p + "\n" for p in passwords)))
    out = io.StringIO()
    args = [arg for f in founders for arg in ("--founder", f)]
    call_command("init", *args, *vault, "--password-stdin", stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_init_creates_two_founding_coordinators(monkeypatch):
    out = _init(monkeypatch, "Вера", "Софья", passwords=["длинный пароль 1", "длинный пароль 2"])
    assert "Founding coordinator created: Вера" in out
    founders = Member.objects.filter(is_founder=True)
    assert {m.pseudonym for m in founders} == {"Вера", "Софья"}
    assert all(m.has_role(Role.COORDINATOR) for m in founders)
    assert RoleGrant.objects.filter(founding=True).count() == 2
    assert AuditEntry.objects.filter(action="member.founded").count() == 2
    # The vault was made in the same step: 2 of 3 shares, one per keyholder, shown once.
    assert out.count("Вера") >= 2 and "Анна" in out
    assert "2 of 3 shares unseal it" in out


@pytest.mark.django_db
def test_init_needs_a_vault_plan(monkeypatch):
    with pytest.raises(CommandError, match="--threshold 3"):
        _init(monkeypatch, "Вера", "Софья", passwords=["длинный пароль 1"] * 2, vault=())
    assert not Member.objects.exists()


@pytest.mark.django_db
def test_init_refuses_a_vault_one_keyholder_could_open(monkeypatch):
    with pytest.raises(CommandError):
        _init(monkeypatch, "Вера", "Софья", passwords=["длинный пароль 1"] * 2,
              vault=("--threshold", "1", "--keyholder", "Вера", "--keyholder", "Софья"))
    assert not Member.objects.exists()


@pytest.mark.django_db
def test_init_refuses_a_single_founder_outside_demo_mode(monkeypatch):
    with pytest.raises(CommandError, match="at least 2"):
        _init(monkeypatch, "Вера", passwords=["длинный пароль 1"])
    assert not Member.objects.exists()


@pytest.mark.django_db
@override_settings(DEMO_MODE=True)
def test_init_allows_one_founder_in_demo_mode(monkeypatch):
    _init(monkeypatch, "Вера", passwords=["длинный пароль 1"])
    assert Member.objects.get().is_founder


@pytest.mark.django_db
def test_init_with_a_weak_password_creates_nobody(monkeypatch):
    with pytest.raises(CommandError, match="12"):
        _init(monkeypatch, "Вера", "Софья", passwords=["длинный пароль 1", "123"])
    assert not Member.objects.exists()


def test_init_runs_only_once(founders, monkeypatch):
    with pytest.raises(CommandError, match="already has members"):
        _init(monkeypatch, "Третий", "Четвёртый", passwords=["длинный пароль 1"] * 2)


def test_approvals_list_and_expire(founders, make_member, time_machine):
    newcomer = make_member("Николай")
    request = approvals.request_approval(
        founders[0], "grant_role", {"member": newcomer.pk, "role": Role.AUDITOR}
    )
    out = io.StringIO()
    call_command("approvals", "list", stdout=out)
    assert f"#{request.pk}" in out.getvalue()
    assert "auditor role to Николай" in out.getvalue()

    time_machine.move_to(request.expires_at, tick=False)
    call_command("approvals", "expire", stdout=out)
    request.refresh_from_db()
    assert request.status == ApprovalRequest.Status.EXPIRED


def test_approvals_retry_refuses_a_request_that_was_not_approved(founders, make_member):
    newcomer = make_member("Николай")
    request = approvals.request_approval(
        founders[0], "grant_role", {"member": newcomer.pk, "role": Role.AUDITOR}
    )
    with pytest.raises(CommandError, match="not waiting to be carried out"):
        call_command("approvals", "retry", str(request.pk))
    assert not RoleGrant.objects.filter(member=newcomer).exists()


def test_there_is_no_approve_command(founders):
    with pytest.raises(CommandError):
        call_command("approvals", "approve", "1")


def test_demo_codes_under_the_new_name_and_the_old(settings):
    settings.DEMO_MODE = True
    out, err = io.StringIO(), io.StringIO()
    call_command("demo", "codes", stdout=out, stderr=err)
    assert [line.split()[0] for line in out.getvalue().splitlines()][:2] == ["vera", "sofia"]
    assert err.getvalue() == ""
    call_command("demo_codes", stdout=io.StringIO(), stderr=err)
    assert "`pompolit demo_codes` is now `pompolit demo codes`" in err.getvalue()
