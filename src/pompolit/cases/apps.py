from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "pompolit.cases"
    label = "cases"
    verbose_name = _("Case registry")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from pompolit.cases import (
            dashboard,  # noqa: F401  (registers the dashboard panel)
            exporting,  # noqa: F401  (registers its approval action)
        )
