from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "pompolit.cases"
    label = "cases"
    verbose_name = _("Case registry")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from pompolit.cases import (  # noqa: F401  (the dashboard panel, the trail's words)
            audit_descriptions,
            dashboard,
        )
        from pompolit.cases.duplicates import (  # noqa: F401  (the trail's words)
            audit_descriptions as _words,
        )
        from pompolit.cases.duplicates import dashboard as _panel  # noqa: F401  (its panel)
        from pompolit.cases.duplicates import merge  # noqa: F401  (registers its approval action)
        from pompolit.cases.io import exporting  # noqa: F401  (registers its approval action)
        from pompolit.cases.moving import services as moving  # registers its approval action

        moving.register_notice_texts()
        from pompolit.cases.search.fulltext import (
            ensure_sqlite_index,
            index_after_pending,
            index_all,
        )
        from pompolit.vault.fields.services import data_rotated, pending_encrypted

        pending_encrypted.connect(index_after_pending, dispatch_uid="cases.index_after_pending")
        data_rotated.connect(index_all, dispatch_uid="cases.index_all")

        # A migration that rebuilds a SQLite table drops the list indexes: put them back.
        post_migrate.connect(ensure_sqlite_index, sender=self,
                             dispatch_uid="cases.ensure_sqlite_index")
