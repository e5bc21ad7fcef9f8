from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TlogConfig(AppConfig):
    name = "pompolit.tlog"
    verbose_name = _("Transparency log")
