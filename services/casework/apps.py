from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    """
    What the medical and legal records show together: a person's coming appointments,
    as any volunteer may see them (time and place). It stands above legal and
    referrals and reads both; neither knows it.
    """

    name = "services.casework"
    verbose_name = _("Casework")
