from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulingConfig(AppConfig):
    """
    Who is available when, the holds that keep anyone from being booked twice, the
    free-slot search, interpreter matching, reminders and the iCal feed: what legal
    advice, medical referrals and shifts share. It knows none of them: they point to
    its bookings and register their calendar events with it (calendar.py).
    """

    name = "services.scheduling"
    verbose_name = _("Scheduling")
