"""
Each advisor's and interpreter's appointments as an iCal feed, at an address with a
secret token (a calendar app cannot sign in). The events say when, where, whose card
and which language; never the case type or notes. The medical appointments the user
interprets are in it the same way, with nothing medical.
"""

from datetime import datetime

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from icalendar import Calendar, Event

from fieldapp.languages import Language

from .selectors import (
    appointments_listed,
    calendar_feed_user,
    feed_appointments,
    feed_interpreting,
    interpreting_listed,
    place_label,
)


@login_not_required
@never_cache
@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    user = calendar_feed_user(token)
    if user is None:
        raise Http404(_("No such calendar."))
    appointments = list(feed_appointments(user))
    interpreting = feed_interpreting(user)
    calendar = Calendar()
    calendar.add("prodid", "-//fieldapp//legal appointments//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "fieldapp")
    stamp = timezone.now()
    with translation.override(user.language or None):
        for appointment in appointments:
            summary = _("Appointment %(code)s (%(language)s)") % {
                "code": appointment.person.code,
                "language": Language(appointment.language).label,
            }
            calendar.add_component(
                _event(
                    uid=f"legal-{appointment.pk}@fieldapp",
                    stamp=stamp,
                    starts_at=appointment.starts_at,
                    ends_at=appointment.ends_at,
                    summary=summary,
                    location=str(place_label(appointment.site)),
                    status="CONFIRMED" if appointment.is_open else "CANCELLED",
                )
            )
        for booking in interpreting:
            summary = _("Interpreting by phone %(code)s (%(language)s)") % {
                "code": booking.person_code,
                "language": booking.language_label,
            }
            calendar.add_component(
                _event(
                    uid=f"referral-{booking.referral_id}@fieldapp",
                    stamp=stamp,
                    starts_at=booking.starts_at,
                    ends_at=booking.ends_at,
                    summary=summary,
                    location=booking.place,
                    status="CONFIRMED",
                )
            )
    appointments_listed(user=user, appointments=appointments, view="ical")
    interpreting_listed(user=user, bookings=interpreting, view="ical")
    return HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")


def _event(
    *,
    uid: str,
    stamp: datetime,
    starts_at: datetime,
    ends_at: datetime,
    summary: str,
    location: str,
    status: str,
) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", starts_at)
    event.add("dtend", ends_at)
    event.add("summary", summary)
    event.add("location", location)
    event.add("status", status)
    return event
