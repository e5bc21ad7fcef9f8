from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VaultConfig(AppConfig):
    name = "pompolit.vault"
    verbose_name = _("Vault")

    def ready(self) -> None:
        from pompolit.vault import checks, services  # noqa: F401 — registers checks, approvals

        services.register_notice_texts()

        from pompolit.core import sealed_text
        from pompolit.vault.fields import SealedTextCodec

        sealed_text.register(SealedTextCodec())
