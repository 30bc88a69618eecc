from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RisksConfig(AppConfig):
    name = "verksam.risks"
    label = "risks"
    verbose_name = _("Risks and internal control")
