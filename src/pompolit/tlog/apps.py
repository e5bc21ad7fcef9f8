from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TlogConfig(AppConfig):
    name = "pompolit.tlog"
    verbose_name = _("Transparency log")

    def ready(self) -> None:
        from pompolit.tlog import audit_descriptions  # noqa: F401  (how the trail says its entries)
