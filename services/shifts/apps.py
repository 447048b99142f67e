from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShiftsConfig(AppConfig):
    """
    Shift planning: coordinators plan who is where by skill and spoken language, volunteers
    sign up from their phone, the team lead runs the day and leaves a handover. Time is
    held through services/scheduling; messages go through services/messaging's outbox.
    """

    name = "services.shifts"
    verbose_name = _("Shifts")

    def ready(self) -> None:
        from services.accounts.signals import account_closed
        from services.messaging.reply_handlers import reply_handler_register
        from services.messaging.sms_templates import Kind
        from services.scheduling.calendar import calendar_source_register

        from .replies import shift_reply
        from .selectors import calendar_events_of
        from .signals import signups_end_for_closed_account

        reply_handler_register(Kind.SHIFT_REMINDER, shift_reply)

        calendar_source_register(self.label, calendar_events_of)
        account_closed.connect(signups_end_for_closed_account, dispatch_uid="shifts.account_closed")
