from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    name = "pompolit.letters"
    label = "letters"
    verbose_name = _("Letters to prisoners")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from pompolit.letters import (  # noqa: F401  (the trail's words, the dashboard panel)
            audit_descriptions,
            dashboard,
        )
