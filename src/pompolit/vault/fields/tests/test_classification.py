from django.core import checks
from django.db import models
from django.test.utils import isolate_apps

from pompolit.vault.fields import EncryptedTextField, VaultModel
from pompolit.vault.fields.checks import check_classification
from pompolit.vault.keys.checks import check_demo_key


def test_every_field_of_every_pompolit_model_is_classified(db):
    assert check_classification() == []


def _errors_for(model):
    from pompolit.vault.fields import checks as vault_checks

    original = vault_checks.pompolit_models
    vault_checks.pompolit_models = lambda: [model]
    try:
        return [e.id for e in check_classification()]
    finally:
        vault_checks.pompolit_models = original


@isolate_apps("pompolit.vault")
def test_an_unclassified_field_fails_the_check():
    class Relative(VaultModel):
        name = models.CharField(max_length=100)
        phone = EncryptedTextField(sensitivity="secret")

        class Meta:
            app_label = "vault"

        def __str__(self):
            return "test"

    assert _errors_for(Relative) == ["vault.E001"]


@isolate_apps("pompolit.vault")
def test_a_secret_field_in_clear_fails_the_check():
    class Lawyer(models.Model):
        name = models.CharField(max_length=100)
        classification = {"name": "secret"}

        class Meta:
            app_label = "vault"

        def __str__(self):
            return "test"

    assert _errors_for(Lawyer) == ["vault.E002"]


@isolate_apps("pompolit.vault")
def test_unknown_levels_and_missing_fields_fail_the_check():
    class Donor(models.Model):
        alias = models.CharField(max_length=100)
        classification = {"alias": "confidential", "gone": "internal"}

        class Meta:
            app_label = "vault"

        def __str__(self):
            return "test"

    assert sorted(_errors_for(Donor)) == ["vault.E003", "vault.E004"]


def test_a_demo_key_file_outside_demo_mode_fails_the_deploy_check(settings, tmp_path):
    settings.DEMO_MODE = False
    settings.VAR_DIR = tmp_path
    assert check_demo_key() == []
    (tmp_path / "vault").mkdir()
    (tmp_path / "vault" / "demo-master.key").write_text("x")
    assert [e.id for e in check_demo_key()] == ["vault.E010"]
    assert isinstance(check_demo_key()[0], checks.Error)


@isolate_apps("pompolit.vault")
def test_free_text_in_clear_fails_the_check_unless_its_reason_is_listed():
    """Issue 18: a new text box is encrypted by default — a FreeTextField — or listed in
    CLEAR_TEXT with the reason it is not sensitive."""
    from pompolit.vault.fields import FreeTextField

    class Visit(VaultModel):
        notes = models.TextField(blank=True)
        kind = models.CharField(max_length=10, choices=[("a", "a")])
        summary = FreeTextField()
        classification = {"notes": "internal", "kind": "internal"}

        class Meta:
            app_label = "vault"

        def __str__(self):
            return "test"

    assert _errors_for(Visit) == ["vault.E005"]
