from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AidConfig(AppConfig):
    name = "pompolit.aid"
    label = "aid"
    verbose_name = _("Aid to prisoners")
    default_auto_field = "django.db.models.BigAutoField"
