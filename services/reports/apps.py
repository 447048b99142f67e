from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """
    What coordinators take out of the app and bring into it: the donor report, the
    exports of each service's records, and the imports of stock, volunteers and people
    from a spreadsheet. It stands above the field services, whose records it reads and
    whose actions it calls; nothing below it knows it exists.
    """

    name = "services.reports"
    label = "reports"
    verbose_name = _("Reports, exports and imports")
