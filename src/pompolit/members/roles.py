from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("coordinator")
    TREASURER = "treasurer", _("treasurer")
    CASE_WORKER = "case_worker", _("case worker")
    HOTLINE_OPERATOR = "hotline_operator", _("hotline operator")
    AUDITOR = "auditor", _("auditor")
