from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "pompolit.ledger"
    label = "ledger"
    verbose_name = _("Books")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the approval actions pay_expense and ledger.export_donor_identities.
        from pompolit.ledger import donors, expenses  # noqa: F401
