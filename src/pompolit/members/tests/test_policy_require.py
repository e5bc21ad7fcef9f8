"""`policy.require`: the services' check of the same named requirements the views declare."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from pompolit.members import policy
from pompolit.members.roles import Role


def test_the_command_line_passes(db):
    policy.require(None, policy.TREASURER)


def test_a_member_with_one_of_the_roles_passes(make_member):
    auditor = make_member("Михаил Фроленко", Role.AUDITOR)
    policy.require(auditor, policy.BOOKS_READERS)


def test_a_member_without_the_role_is_refused_with_the_roles_named(make_member):
    case_worker = make_member("Николай Морозов", Role.CASE_WORKER)
    with translation.override("en"), pytest.raises(PermissionDenied) as refused:
        policy.require(case_worker, policy.BOOKS_READERS)
    assert str(refused.value) == "This needs the auditor / treasurer role."


def test_a_service_may_say_why_in_its_own_words(make_member):
    case_worker = make_member("Николай Морозов", Role.CASE_WORKER)
    with pytest.raises(PermissionDenied, match="Only a treasurer"):
        policy.require(case_worker, policy.TREASURER, "Only a treasurer can change the books.")


def test_sudo_is_part_of_the_requirement_and_its_description():
    dangerous = policy.sudo(policy.COORDINATOR)
    assert dangerous.sudo and dangerous.roles == policy.COORDINATOR.roles
    assert not policy.COORDINATOR.sudo
    assert dangerous.describe() == "vouched member with role coordinator, re-authenticated"
