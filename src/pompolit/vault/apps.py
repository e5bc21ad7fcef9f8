from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VaultConfig(AppConfig):
    name = "pompolit.vault"
    verbose_name = _("Vault")

    def ready(self) -> None:
        # Importing registers the system checks and the keyholder change (an approval action).
        from pompolit.core import sealed_text
        from pompolit.vault import audit_descriptions, mfa  # noqa: F401
        from pompolit.vault.fields import checks as field_checks  # noqa: F401
        from pompolit.vault.fields import services as field_services
        from pompolit.vault.fields.cipher import SealedTextCodec
        from pompolit.vault.keys import checks as key_checks  # noqa: F401
        from pompolit.vault.keys import services as key_services

        key_services.register_notice_texts()
        sealed_text.register(SealedTextCodec())
        # What needs the keys as soon as a share unseals the vault, in this order.
        key_services.unsealed.connect(mfa.seal_after_unseal, dispatch_uid="vault.mfa")
        key_services.unsealed.connect(field_services.encrypt_after_unseal,
                                      dispatch_uid="vault.pending")
