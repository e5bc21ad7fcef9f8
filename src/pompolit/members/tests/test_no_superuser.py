"""No path around the two-person rule: no Django admin, no superusers."""

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import Resolver404, resolve

from pompolit.members.models import NO_SUPERUSERS, Member


def test_django_admin_is_not_installed():
    assert "django.contrib.admin" not in settings.INSTALLED_APPS


def test_there_is_no_admin_url(client, db):
    with pytest.raises(Resolver404):
        resolve("/admin/")
    assert client.get("/admin/").status_code == 404


def test_members_have_no_staff_or_superuser_flags():
    fields = {f.name for f in Member._meta.get_fields()}
    assert not {"is_staff", "is_superuser", "user_permissions", "groups"} & fields


def test_manager_refuses_to_create_a_superuser(db):
    with pytest.raises(PermissionDenied, match="no superusers"):
        Member.objects.create_superuser("Царь", "самодержавие-навсегда")
    assert not Member.objects.exists()


@pytest.mark.parametrize("demo", [False, True])
@pytest.mark.parametrize(
    "args", [["--noinput"], ["--noinput", "--pseudonym", "Царь"], ["--username", "Царь"]]
)
def test_createsuperuser_command_explains_and_creates_nothing(db, settings, demo, args):
    settings.DEMO_MODE = demo
    with pytest.raises(CommandError) as raised:
        call_command("createsuperuser", *args)
    assert str(raised.value) == NO_SUPERUSERS
    assert "pompolit init" in NO_SUPERUSERS
    assert not Member.objects.exists()
