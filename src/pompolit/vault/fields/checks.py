"""System checks: every stored field of every Pompolit model is classified (classification.py)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core import checks
from django.db import models

from pompolit.core.sealed_text import SealedTextField
from pompolit.vault.fields import BlindIndexField, EncryptedField
from pompolit.vault.fields.classification import CLEAR_TEXT, LEVELS, REGISTRY

EXEMPT = {"vault_row_id"}


def classification_of(model: type[models.Model], field: models.Field[Any, Any]) -> str | None:
    own = getattr(field, "sensitivity", None)
    if own is not None:
        return str(own)
    declared: dict[str, str] = getattr(model, "classification", None) or {}
    if field.name in declared:
        return declared[field.name]
    return REGISTRY.get(model._meta.label, {}).get(field.name)


def pompolit_models() -> list[type[models.Model]]:
    return [
        model
        for config in apps.get_app_configs()
        if config.name.startswith("pompolit.")
        for model in config.get_models()
        if not model._meta.proxy and model._meta.managed
    ]


# With --deploy (CI runs it) and in the test suite, not on every `migrate` or `runserver`: a
# model being written need not stop everyone else's commands.
@checks.register("vault", deploy=True)
def check_classification(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for model in pompolit_models():
        names = set()
        for field in model._meta.concrete_fields:
            names.add(field.name)
            if (field.primary_key and field.auto_created) or field.name in EXEMPT:
                continue
            level = classification_of(model, field)
            where = f"{model._meta.label}.{field.name}"
            if level is None:
                errors.append(checks.Error(
                    f"{where} has no classification.",
                    hint="Add it to the model's `classification = {...}` (public, internal or "
                    "secret), or make it an Encrypted*Field(sensitivity=...).",
                    obj=model, id="vault.E001",
                ))
            elif level not in LEVELS:
                errors.append(checks.Error(
                    f"{where} is classified {level!r}; use one of {', '.join(LEVELS)}.",
                    obj=model, id="vault.E003",
                ))
            elif level == "secret" and not isinstance(field, EncryptedField | SealedTextField):
                errors.append(checks.Error(
                    f"{where} is classified secret but stored in clear.",
                    hint="Make it an EncryptedTextField / EncryptedJSONField / "
                    "EncryptedDateField / EncryptedFileField.",
                    obj=model, id="vault.E002",
                ))
            elif _clear_free_text(field) and where not in CLEAR_TEXT:
                errors.append(checks.Error(
                    f"{where} is free text stored in clear.",
                    hint="Volunteers type anything into a text box: make it a FreeTextField "
                    "(encrypted, searchable through vault.fields.wordindex), or add it to "
                    "vault.fields.classification.CLEAR_TEXT with the reason it is not sensitive.",
                    obj=model, id="vault.E005",
                ))
        declared = set(getattr(model, "classification", None) or {}) | set(
            REGISTRY.get(model._meta.label, {})
        )
        for extra in sorted(declared - names):
            errors.append(checks.Error(
                f"{model._meta.label} classifies {extra!r}, which is not one of its fields.",
                obj=model, id="vault.E004",
            ))
    return errors


def _clear_free_text(field: models.Field[Any, Any]) -> bool:
    return (isinstance(field, models.CharField | models.TextField) and not field.choices
            and field.editable
            and not isinstance(field, EncryptedField | BlindIndexField | SealedTextField))
