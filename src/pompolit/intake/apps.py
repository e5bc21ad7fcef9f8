from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "pompolit.intake"
    label = "intake"
    verbose_name = _("Detention hotline")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from pompolit.cases.models import Facility

        # The dashboard panel, the trail's words, the approval action of a list with contacts.
        from pompolit.intake import (  # noqa: F401
            audit_descriptions,
            dashboard,
            export_contacts,
        )
        from pompolit.intake.models import Hotline
        from pompolit.intake.public.received import forget as forget_received_pages
        from pompolit.intake.public.services import forget_choices

        # The public form's towns and stations, kept in the process for a while: read afresh.
        for model in (Hotline, Facility):
            for signal in (post_save, post_delete):
                signal.connect(forget_choices, sender=model, dispatch_uid=f"intake-choices-{model}")
        # The page answering a report shows the hotlines' phones.
        for signal in (post_save, post_delete):
            signal.connect(forget_received_pages, sender=Hotline, dispatch_uid="intake-received")
