from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """
    The coordinators' numbers on one page: people served, items against stock,
    referrals, appointments, texts and next week's shifts. It stands on top and reads
    each service's stats.py; none of them knows it.
    """

    name = "services.dashboard"
    verbose_name = _("Dashboard")
