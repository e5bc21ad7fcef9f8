from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "pompolit.members"
    verbose_name = _("Members")

    def ready(self) -> None:
        from pompolit.members import (  # noqa: F401  (register actions, receivers, descriptions)
            audit_descriptions,
            services,
            signals,
        )
