"""
The events a user is booked for, from every app that books people's time.

Scheduling imports none of those apps: each registers a source in its
AppConfig.ready (legal advice its appointments, referrals the medical appointments
someone interprets, shifts the sign-ups that stand), as messaging's reply handlers are
registered. A source is a selector: it returns only the asking user's own bookings, as
much as they may see (time, place, card code, language; never a note, a case type or a
service), and audits the read under `view` where the record is sensitive (a shift is
not). The iCal feed (ical.py) and the screens that list "my bookings" read them all
through calendar_events().
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from services.accounts.models import User


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    starts_at: datetime
    ends_at: datetime
    summary: str
    location: str
    cancelled: bool = False


class CalendarSource(Protocol):
    def __call__(
        self, *, user: User, start: datetime, end: datetime | None, view: str
    ) -> list[CalendarEvent]: ...


_SOURCES: dict[str, CalendarSource] = {}


def calendar_source_register(name: str, source: CalendarSource) -> None:
    """Register (or replace) the app's source of calendar events, under its app label."""
    _SOURCES[name] = source


def calendar_sources() -> list[str]:
    return sorted(_SOURCES)


def calendar_events(
    *,
    user: User,
    start: datetime,
    end: datetime | None = None,
    view: str,
    exclude: tuple[str, ...] = (),
) -> list[CalendarEvent]:
    """
    The user's own events from start (to end) from every source but those in exclude
    (a screen that lists its own app's records itself), soonest first.
    """
    events: list[CalendarEvent] = []
    for name in calendar_sources():
        if name not in exclude:
            events += _SOURCES[name](user=user, start=start, end=end, view=view)
    return sorted(events, key=lambda event: (event.starts_at, event.uid))
