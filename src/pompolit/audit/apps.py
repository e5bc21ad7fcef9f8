from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "pompolit.audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from pompolit.audit import descriptions  # noqa: F401  (how the trail says its entries)
