"""
Reads of availability, spoken languages and calendar feeds. A user reads their own
availability only; the free-slot search (slots.py) and interpreter matching
(interpreters.py) read everyone's, through availability_rows().
"""

from collections.abc import Iterable
from datetime import date, datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from fieldapp.errors import NotFound
from fieldapp.types import Actor
from services.accounts.models import SpokenLanguage, User

from .grid import local_datetime
from .models import Availability, CalendarFeed

# Basic knowledge of a language is not enough to advise or interpret a legal case.
GOOD_LEVELS = (SpokenLanguage.Level.FLUENT, SpokenLanguage.Level.NATIVE)


def availability_of(user: Actor) -> QuerySet[Availability]:
    """The user's own availability, nobody else's."""
    pk = user.pk if user is not None else None
    return Availability.objects.filter(user_id=pk or 0).select_related("site")


def availability_get(*, user: Actor, pk: int) -> Availability:
    row = availability_of(user).filter(pk=pk).first()
    if row is None:
        raise NotFound(_("No such availability."), code="not_found")
    return row


def spoken_languages_of(user: Actor) -> QuerySet[SpokenLanguage]:
    pk = user.pk if user is not None else None
    return SpokenLanguage.objects.filter(user_id=pk or 0).order_by("language")


def availability_rows(
    role: str, first: date, last: date, users: Iterable[int] | None = None
) -> list[Availability]:
    """Active users' availability as `role` that may apply between first and last."""
    rows = Availability.objects.filter(role=role, user__is_active=True).filter(
        Q(repeat=Availability.Repeat.ONCE, date__range=(first, last))
        | (
            Q(repeat=Availability.Repeat.WEEKLY)
            & (Q(valid_from__isnull=True) | Q(valid_from__lte=last))
            & (Q(valid_until__isnull=True) | Q(valid_until__gte=first))
        )
    )
    if users is not None:
        rows = rows.filter(user_id__in=list(users))
    return list(rows.select_related("user", "site").order_by("user__username", "start_time"))


def speakers(language: str) -> set[int]:
    """Who speaks the language well enough to advise or interpret in it."""
    return set(
        SpokenLanguage.objects.filter(language=language, level__in=GOOD_LEVELS).values_list(
            "user_id", flat=True
        )
    )


def applies_on(row: Availability, day: date) -> bool:
    if row.repeat == Availability.Repeat.ONCE:
        return row.date == day
    if row.weekday != day.weekday():
        return False
    if row.valid_from and day < row.valid_from:
        return False
    return not (row.valid_until and day > row.valid_until)


def covers(row: Availability, day: date, starts_at: datetime, ends_at: datetime) -> bool:
    """One availability row covers the whole of starts_at-ends_at on that day."""
    return (
        applies_on(row, day)
        and local_datetime(day, row.start_time) <= starts_at
        and ends_at <= local_datetime(day, row.end_time)
    )


def calendar_feed_of(user: Actor) -> CalendarFeed | None:
    pk = user.pk if user is not None else None
    return CalendarFeed.objects.filter(user_id=pk or 0).first()


def calendar_feed_user(token: str) -> User | None:
    """Whose feed this is, while they may still see their bookings (active, with a role)."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.has_perm("scheduling.use_calendar_feed"):
        return None
    return feed.user
