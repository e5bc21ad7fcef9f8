"""The seizure test (vault/seizure/tests) needs a canary in every secret field; the hotline's
`seizure.seed` plants one in each of its own, and none is readable from the database."""

from django.apps import apps
from django.db import connection

from pompolit.intake import seizure
from pompolit.vault.fields.checks import classification_of


def test_every_secret_field_of_the_hotline_gets_a_canary_and_none_is_stored_in_clear(
    db, unsealed_vault
):
    planted: dict[str, str] = {}

    def canary(label: str, kind: str = "text", limit: int = 0) -> str:
        planted[label] = "+7 912 000 11 22" if kind == "phone" else f"Канарейка {label}"
        return planted[label]

    seizure.seed(canary)
    for model in apps.get_app_config("intake").get_models():
        for field in model._meta.concrete_fields:
            if classification_of(model, field) == "secret":
                assert model._default_manager.exclude(**{field.attname: None}).exists(), (
                    f"{model._meta.label}.{field.name} has no canary"
                )
    with connection.cursor() as cursor:
        for model in apps.get_app_config("intake").get_models():
            cursor.execute(f'SELECT * FROM "{model._meta.db_table}"')  # noqa: S608
            stored = " ".join(str(v) for row in cursor.fetchall() for v in row)
            assert "Канарейка" not in stored and "912 000 11 22" not in stored
