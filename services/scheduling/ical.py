"""
Each user's bookings as an iCal feed, at an address with a secret token (a calendar
app cannot sign in). The events come from every app's calendar source (calendar.py):
when, where, whose card and which language; never a case type, a service or a note.
"""

from datetime import datetime, timedelta

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from icalendar import Calendar, Event

from .calendar import CalendarEvent, calendar_events
from .selectors import calendar_feed_user

# How far back the feed goes: a calendar app keeps what it has already shown.
FEED_PAST = timedelta(days=30)


@login_not_required
@never_cache
@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    user = calendar_feed_user(token)
    if user is None:
        raise Http404(_("No such calendar."))
    with translation.override(user.language or None):
        events = calendar_events(user=user, start=timezone.now() - FEED_PAST, view="ical")
    calendar = Calendar()
    calendar.add("prodid", "-//fieldapp//bookings//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "fieldapp")
    stamp = timezone.now()
    for event in events:
        calendar.add_component(_ical_event(event, stamp))
    return HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")


def _ical_event(event: CalendarEvent, stamp: datetime) -> Event:
    out = Event()
    out.add("uid", event.uid)
    out.add("dtstamp", stamp)
    out.add("dtstart", event.starts_at)
    out.add("dtend", event.ends_at)
    out.add("summary", event.summary)
    out.add("location", event.location)
    out.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    return out
