from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AidConfig(AppConfig):
    name = "pompolit.aid"
    label = "aid"
    verbose_name = _("Aid to prisoners")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from pompolit.aid import (  # noqa: F401  (registers the panel, the approval, signals)
            approvals,
            audit_descriptions,
            dashboard,
            lifecycle,
            signals,
        )
