from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "pompolit.ledger"
    label = "ledger"
    verbose_name = _("Books")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from pompolit.ledger import expenses  # noqa: F401 — registers the pay_expense approval
