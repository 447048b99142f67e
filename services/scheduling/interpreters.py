"""
Interpreters for an appointment that is not on our grid: a medical appointment at a
partner's place (services/referrals), at any minute the partner chose.

Who may be offered: an active volunteer who speaks the language fluently or natively,
whose interpreter availability covers the whole appointment, and who holds none of the
30-minute cells the appointment touches (whichever booking holds them).

Only availability by phone counts. The partner's place is not one of our sites, and
someone who published availability at a site is expected in the room there (legal
appointments at that site are booked on it); by phone they can join a call from
wherever they are, which is how an interpreter helps at a clinic across town.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from fieldapp.errors import DomainError
from fieldapp.languages import Language
from services.accounts.models import User

from .grid import CELL, cells, local_datetime
from .models import Availability, SlotHold
from .selectors import availability_rows, covers, speakers


def _by_phone_covering(
    language: str, starts_at: datetime, ends_at: datetime, users: list[int] | None = None
) -> list[Availability]:
    day = timezone.localtime(starts_at).date()
    spoken = speakers(language) if users is None else speakers(language) & set(users)
    return [
        row
        for row in availability_rows(Availability.Role.INTERPRETER, day, day, spoken)
        if row.site_id is None and covers(row, day, starts_at, ends_at)
    ]


def interpreters_free(
    *, language: str, starts_at: datetime, ends_at: datetime, releasing: int | None = None
) -> list[User]:
    """
    The interpreters who can be booked for this appointment, by username.
    `releasing` = the id of the booking being moved: its own holds count as free.
    """
    available = {row.user_id: row.user for row in _by_phone_covering(language, starts_at, ends_at)}
    busy = SlotHold.objects.filter(
        user_id__in=list(available), starts_at__in=cells(starts_at, ends_at)
    )
    if releasing is not None:
        busy = busy.exclude(booking_id=releasing)
    for user_id in set(busy.values_list("user_id", flat=True)):
        available.pop(user_id, None)
    return sorted(available.values(), key=lambda user: user.username)


def interpreter_refusal(
    *, interpreter: User, language: str, starts_at: datetime, ends_at: datetime
) -> DomainError | None:
    """
    Why this person cannot interpret this appointment, or None. Whether they are free
    is left to the holds' unique constraint, so a race is a Conflict, not this.
    """
    if not _by_phone_covering(language, starts_at, ends_at, [interpreter.pk]):
        return DomainError(
            _(
                "%(name)s does not interpret %(language)s by phone at that time. "
                "Choose another interpreter, or none."
            )
            % {
                "name": interpreter.get_username(),
                "language": Language(language).label if language in Language.values else language,
            },
            field="interpreter",
            code="not_offered",
        )
    return None


@dataclass(frozen=True)
class InterpreterTime:
    """A start on the grid when this interpreter can join by phone for the whole length."""

    starts_at: datetime
    interpreter: User

    @property
    def key(self) -> str:
        return f"{self.starts_at.isoformat()}|{self.interpreter.pk}"


def _held_cells(users: set[int], first: date, last: date, releasing: int | None) -> set[tuple]:
    holds = SlotHold.objects.filter(
        user_id__in=users,
        starts_at__gte=local_datetime(first, time.min),
        starts_at__lt=local_datetime(last + timedelta(days=1), time.min),
    )
    if releasing is not None:
        holds = holds.exclude(booking_id=releasing)
    return set(holds.values_list("user_id", "starts_at"))


def interpreter_times_free(
    *,
    language: str,
    first: date,
    days: int,
    length: timedelta,
    limit: int,
    releasing: int | None = None,
) -> list[InterpreterTime]:
    """
    The next `limit` starts, soonest first, when an interpreter of the language is free
    by phone for `length`: one interpreter per start (by username), for a volunteer to
    propose to the clinic a time when someone can interpret.
    """
    last = first + timedelta(days=days - 1)
    rows = [
        row
        for row in availability_rows(Availability.Role.INTERPRETER, first, last, speakers(language))
        if row.site_id is None
    ]
    held = _held_cells({row.user_id for row in rows}, first, last, releasing)
    now = timezone.now()
    found: dict[datetime, InterpreterTime] = {}
    for day in (first + timedelta(days=n) for n in range(days)):
        for row in rows:
            start = local_datetime(day, row.start_time)
            while covers(row, day, start, start + length):
                free = all((row.user_id, cell) not in held for cell in cells(start, start + length))
                if start > now and free and start not in found:
                    found[start] = InterpreterTime(start, row.user)
                start += CELL
    return [found[start] for start in sorted(found)][:limit]
