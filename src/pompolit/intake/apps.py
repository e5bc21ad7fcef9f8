from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "pompolit.intake"
    label = "intake"
    verbose_name = _("Detention hotline")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from pompolit.intake import (  # noqa: F401  (the dashboard panel, the trail's words)
            audit_descriptions,
            dashboard,
        )
