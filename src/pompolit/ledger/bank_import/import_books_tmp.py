"""A bank mapping and an import rule for the access matrix (core/tests/test_access_matrix.py)."""

from typing import Any

from pompolit.ledger import bank_import, services
from pompolit.ledger.bank_import_models import BankMapping, ImportRule


def matrix_mapping(world: Any) -> int:
    found = BankMapping.objects.filter(code="sberbank").first()
    if found is None:
        preset = bank_import.PRESETS["sberbank"]
        found = bank_import.save_mapping(None, code="sberbank", name=preset["name"],
                                         columns=preset["columns"], encoding="cp1251")
    return found.pk


def matrix_rule(world: Any) -> int:
    found = ImportRule.objects.filter(name="Пожертвования").first()
    if found is None:
        found = bank_import.add_rule(None, name="Пожертвования", outcome="donation",
                                     fund=services.fund("general"),
                                     reference_contains="пожертвование")
    return found.pk
