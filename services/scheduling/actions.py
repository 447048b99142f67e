"""
Writes of scheduling: one's availability and spoken languages, the calendar feed's
secret, and the bookings that hold people's time.

A booking is taken by the app that books (legal advice, a referral's interpreter, a
shift): it creates one with booking_create(), points its own record to it, and takes
the cells with booking_hold(). The holds' unique constraint decides every race; the
caller turns SlotTaken into its own words.
"""

import secrets
from collections.abc import Iterable
from datetime import date, datetime, time

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fieldapp.errors import Conflict, DomainError
from fieldapp.languages import Language
from services.accounts.models import SpokenLanguage, User
from services.audit.actions import audit_record
from services.sites.models import Site

from .grid import appointment_length, cells, on_grid
from .models import Availability, Booking, CalendarFeed, SlotHold

# Who may publish availability as what (services/scheduling/rules.py).
ROLE_PERMISSIONS = {
    Availability.Role.ADVISOR: "scheduling.offer_advice",
    Availability.Role.INTERPRETER: "scheduling.offer_interpreting",
}


class SlotTaken(Conflict):
    """Someone in the booking already holds one of its cells."""


@transaction.atomic
def booking_create() -> Booking:
    return Booking.objects.create()


def booking_hold(
    *, booking: Booking, users: Iterable[int], starts_at: datetime, ends_at: datetime
) -> None:
    """
    Take every cell of starts_at-ends_at for each user, for this booking, in addition
    to what it holds. SlotTaken if anyone holds one already: then none is taken.
    """
    holds = [
        SlotHold(booking=booking, user_id=user_id, starts_at=cell)
        for user_id in users
        for cell in cells(starts_at, ends_at)
    ]
    try:
        with transaction.atomic():
            SlotHold.objects.bulk_create(holds)
    except IntegrityError as error:
        raise SlotTaken(_("This time was just taken."), code="slot_taken") from error


def booking_release(*, booking: Booking | None) -> None:
    """Free the time the booking holds; the booking itself stays, empty."""
    if booking is not None:
        SlotHold.objects.filter(booking=booking).delete()


def _check_role(actor: User, role: str) -> None:
    if role not in ROLE_PERMISSIONS:
        raise DomainError(_("Choose advisor or interpreter."), field="role")
    if not actor.has_perm(ROLE_PERMISSIONS[Availability.Role(role)]):
        raise PermissionDenied
    if (
        role == Availability.Role.INTERPRETER
        and not SpokenLanguage.objects.filter(user=actor).exists()
    ):
        raise DomainError(
            _("Add the languages you speak first."), field="role", code="no_languages"
        )


def _check_times(start_time: time, end_time: time) -> None:
    for name, value in (("start_time", start_time), ("end_time", end_time)):
        if not on_grid(value):
            raise DomainError(
                _("Use times on the hour or half past, e.g. 09:00 or 09:30."),
                field=name,
                code="off_grid",
            )
    if end_time <= start_time:
        raise DomainError(_("The end must be after the start."), field="end_time", code="order")
    minutes = (end_time.hour * 60 + end_time.minute) - (start_time.hour * 60 + start_time.minute)
    length = int(appointment_length().total_seconds() // 60)
    if minutes < length:
        raise DomainError(
            _("Make it at least one appointment long (%(minutes)d minutes).") % {"minutes": length},
            field="end_time",
            code="too_short",
        )


def _check_when(
    weekday: int | None, day: date | None, valid_from: date | None, valid_until: date | None
) -> None:
    if (weekday is None) == (day is None):
        raise DomainError(_("Choose a weekday or a date."), field="weekday", code="required")
    if weekday is not None and weekday not in Availability.Weekday.values:
        raise DomainError(_("Choose a weekday from the list."), field="weekday")
    if day is not None and day < timezone.localdate():
        raise DomainError(_("Choose a date from today on."), field="date", code="past")
    if valid_from and valid_until and valid_until < valid_from:
        raise DomainError(
            _("The last day must be on or after the first."), field="valid_until", code="order"
        )


@transaction.atomic
def availability_add(
    *,
    actor: User,
    role: str,
    start_time: time,
    end_time: time,
    site: Site | None,
    weekday: int | None = None,
    day: date | None = None,
    valid_from: date | None = None,
    valid_until: date | None = None,
) -> Availability:
    """A weekly window (weekday) or a one-off session (day), at a site or by phone."""
    _check_role(actor, role)
    _check_times(start_time, end_time)
    _check_when(weekday, day, valid_from, valid_until)
    if site is not None and not site.is_active:
        raise DomainError(_("This site is closed."), field="site", code="closed")
    weekly = weekday is not None
    row = Availability.objects.create(
        user=actor,
        role=role,
        repeat=Availability.Repeat.WEEKLY if weekly else Availability.Repeat.ONCE,
        weekday=weekday,
        date=day,
        valid_from=valid_from if weekly else None,
        valid_until=valid_until if weekly else None,
        start_time=start_time,
        end_time=end_time,
        site=site,
    )
    audit_record(actor=actor, action="availability.add", target=row)
    return row


@transaction.atomic
def availability_remove(*, actor: User, availability: Availability) -> None:
    """Removing availability does not touch what is already booked in it."""
    if not actor.has_perm("scheduling.delete_availability", availability):
        raise DomainError(_("No such availability."), code="not_found")
    audit_record(actor=actor, action="availability.remove", target=availability)
    availability.delete()


@transaction.atomic
def spoken_language_set(*, actor: User, language: str, level: str) -> SpokenLanguage:
    if language not in Language.values:
        raise DomainError(_("Choose a language from the list."), field="language")
    if level not in SpokenLanguage.Level.values:
        raise DomainError(_("Choose a level from the list."), field="level")
    row, _created = SpokenLanguage.objects.update_or_create(
        user=actor, language=language, defaults={"level": level}
    )
    return row


@transaction.atomic
def spoken_language_remove(*, actor: User, language: str) -> None:
    SpokenLanguage.objects.filter(user=actor, language=language).delete()


@transaction.atomic
def calendar_feed_renew(*, actor: User) -> CalendarFeed:
    """A new secret address for the user's iCal feed; the old address stops working."""
    if not actor.has_perm("scheduling.use_calendar_feed"):
        raise PermissionDenied
    feed, _created = CalendarFeed.objects.update_or_create(
        user=actor, defaults={"token": secrets.token_urlsafe(32)}
    )
    audit_record(actor=actor, action="calendar_feed.renew", target=feed)
    return feed
