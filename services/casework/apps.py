from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    """What medical and legal records share: who may see what, and what a volunteer sees."""

    name = "services.casework"
    verbose_name = _("Casework")
