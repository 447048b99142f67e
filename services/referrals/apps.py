from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "services.referrals"
    verbose_name = _("Medical referrals")

    def ready(self) -> None:
        from services.audit.words import record_namer_register
        from services.scheduling.calendar import calendar_source_register

        from .selectors import calendar_events_of

        calendar_source_register(self.label, calendar_events_of)
        record_namer_register("referrals.referral", "person__code")
