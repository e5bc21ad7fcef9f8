from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "pompolit.ledger"
    label = "ledger"
    verbose_name = _("Books")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the approval actions pay_expense, ledger.export_donor_identities and
        # ledger.correct_donation, and the payment's summary for the approver.
        from django.db.models.signals import post_save

        from pompolit.ledger import audit_descriptions, services  # noqa: F401
        from pompolit.ledger.donors import services as donors  # noqa: F401
        from pompolit.ledger.expenses import approvals as expense_summaries  # noqa: F401
        from pompolit.ledger.expenses import services as expenses  # noqa: F401
        from pompolit.ledger.journal import services as journal  # noqa: F401

        # A new currency: the cached decimal places (services.currency_exponent) start again.
        post_save.connect(_forget_exponents, sender="ledger.Currency",
                          dispatch_uid="ledger.forget_exponents")


def _forget_exponents(**kwargs: object) -> None:
    from pompolit.ledger import services

    services.forget_exponents()
