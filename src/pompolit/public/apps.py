from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "pompolit.public"
    label = "public"
    verbose_name = _("Public site")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from pompolit.public import (
            audit_descriptions,  # noqa: F401  (the trail's words)
            kept,
        )

        kept.connect()
