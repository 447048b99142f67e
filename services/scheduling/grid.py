"""
The 30-minute grid that every booking is held on, and the length of an appointment.

A legal appointment starts on the grid; a medical one (at a partner's) may not, and
takes every cell it touches.
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from .models import GRID_MINUTES

CELL = timedelta(minutes=GRID_MINUTES)


def appointment_length() -> timedelta:
    """LEGAL_APPOINTMENT_MINUTES as a duration; it must fill whole 30-minute cells."""
    minutes = getattr(settings, "LEGAL_APPOINTMENT_MINUTES", 60)
    if not isinstance(minutes, int) or minutes <= 0 or minutes % GRID_MINUTES:
        raise ImproperlyConfigured(
            f"LEGAL_APPOINTMENT_MINUTES must be a positive multiple of {GRID_MINUTES}."
        )
    return timedelta(minutes=minutes)


def cells(starts_at: datetime, ends_at: datetime) -> list[datetime]:
    """
    The 30-minute grid cells a booking touches: 10:15-11:15 takes 10:00, 10:30 and
    11:00, so a legal appointment at 11:00 with the same interpreter is refused.
    """
    out = []
    cell = starts_at.replace(second=0, microsecond=0)
    cell -= timedelta(minutes=cell.minute % GRID_MINUTES)
    while cell < ends_at:
        out.append(cell)
        cell += CELL
    return out


def local_datetime(day: date, at: time) -> datetime:
    """The aware datetime of a local wall-clock time (Europe/Paris)."""
    return timezone.make_aware(datetime.combine(day, at), timezone.get_default_timezone())


def on_grid(at: time) -> bool:
    return at.second == 0 and at.microsecond == 0 and at.minute % GRID_MINUTES == 0
