from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "services.referrals"
    verbose_name = _("Medical referrals")

    def ready(self) -> None:
        from services.audit.words import record_namer_register
        from services.messaging.reply_handlers import reply_handler_register
        from services.messaging.sms_templates import Kind
        from services.scheduling.calendar import calendar_source_register

        from .replies import referral_reply
        from .selectors import calendar_events_of

        reply_handler_register(Kind.REFERRAL_REMINDER, referral_reply)

        calendar_source_register(self.label, calendar_events_of)
        record_namer_register("referrals.referral", "person__code")
