"""
Which appointment slots can be offered for a person's language.

A slot is a start on the 30-minute grid where an advisor has availability for the whole
appointment and holds nothing, and either the advisor speaks the language (fluent or
native) or an interpreter who speaks it has availability for the whole appointment and
holds nothing.

Where the interpreter may be: for a slot at a site, the interpreter's availability must
be at that same site or by phone (they interpret over the phone into the room); for a
slot by phone, any of the interpreter's availability will do (a phone call can be joined
from anywhere). One availability row must cover the whole appointment: two adjacent rows
are not joined. Among the interpreters who fit, the one with the fewest bookings that
day is offered, so the work is shared.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from services.accounts.models import SpokenLanguage, User
from services.sites.models import Site

from .models import GRID_MINUTES, Availability, SlotHold, appointment_length

CELL = timedelta(minutes=GRID_MINUTES)
MAX_DAYS = 31
# Basic knowledge of a language is not enough to advise or interpret a legal case.
GOOD_LEVELS = (SpokenLanguage.Level.FLUENT, SpokenLanguage.Level.NATIVE)


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    ends_at: datetime
    site: Site | None
    advisor: User
    interpreter: User | None

    @property
    def key(self) -> str:
        """What a form posts back to book this slot."""
        return "|".join(
            [
                self.starts_at.isoformat(),
                str(self.advisor.pk),
                str(self.interpreter.pk if self.interpreter else ""),
                str(self.site.pk if self.site else ""),
            ]
        )


def cells(starts_at: datetime, ends_at: datetime) -> list[datetime]:
    """
    The 30-minute grid cells an appointment touches. A legal appointment starts on the
    grid; a medical one may not: 10:15-11:15 takes 10:00, 10:30 and 11:00, so a legal
    appointment at 11:00 with the same interpreter is refused.
    """
    out = []
    cell = starts_at.replace(second=0, microsecond=0)
    cell -= timedelta(minutes=cell.minute % GRID_MINUTES)
    while cell < ends_at:
        out.append(cell)
        cell += CELL
    return out


def local_datetime(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at), timezone.get_default_timezone())


def on_grid(at: time) -> bool:
    return at.second == 0 and at.microsecond == 0 and at.minute % GRID_MINUTES == 0


def _applies(row: Availability, day: date) -> bool:
    if row.repeat == Availability.Repeat.ONCE:
        return row.date == day
    if row.weekday != day.weekday():
        return False
    if row.valid_from and day < row.valid_from:
        return False
    return not (row.valid_until and day > row.valid_until)


def _rows(
    role: str, first: date, last: date, users: Iterable[int] | None = None
) -> list[Availability]:
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


def _speakers(language: str) -> set[int]:
    return set(
        SpokenLanguage.objects.filter(language=language, level__in=GOOD_LEVELS).values_list(
            "user_id", flat=True
        )
    )


def _held(
    users: Iterable[int], first: datetime, last: datetime, releasing: int | None
) -> dict[int, set[datetime]]:
    held: dict[int, set[datetime]] = defaultdict(set)
    holds = SlotHold.objects.filter(
        user_id__in=list(users), starts_at__gte=first, starts_at__lt=last
    )
    if releasing is not None:
        holds = holds.exclude(appointment_id=releasing)
    for user_id, starts_at in holds.values_list("user_id", "starts_at"):
        held[user_id].add(starts_at)
    return held


def _covers(row: Availability, day: date, starts_at: datetime, ends_at: datetime) -> bool:
    return (
        _applies(row, day)
        and local_datetime(day, row.start_time) <= starts_at
        and ends_at <= local_datetime(day, row.end_time)
    )


def _interpreter_place_fits(row: Availability, site: Site | None) -> bool:
    return site is None or row.site_id is None or row.site_id == site.pk


def slots_offer(
    *,
    language: str,
    first: date,
    days: int = 7,
    only: tuple[datetime, int, int | None, int | None] | None = None,
    releasing: int | None = None,
) -> list[Slot]:
    """
    Slots from `first` for `days` days, soonest first, one per advisor per start and
    place. `only` = (starts_at, advisor id, interpreter id, site id) checks one slot.
    `releasing` = the id of an appointment being moved: its own holds count as free.
    """
    days = max(1, min(days, MAX_DAYS))
    last = first + timedelta(days=days - 1)
    length = appointment_length()
    now = timezone.now()
    speakers = _speakers(language)
    advisors = _rows(Availability.Role.ADVISOR, first, last, [only[1]] if only else None)
    interpreters = [
        row
        for row in _rows(Availability.Role.INTERPRETER, first, last, speakers)
        if only is None or row.user_id == only[2]
    ]
    window = (local_datetime(first, time.min), local_datetime(last + timedelta(days=1), time.min))
    # Checking one slot to book it leaves the holds to the database: a slot taken since
    # it was offered is a conflict (409) decided by the unique constraint, not a 400.
    held: dict[int, set[datetime]] = (
        _held({row.user_id for row in advisors + interpreters}, *window, releasing)
        if only is None
        else defaultdict(set)
    )
    load: dict[tuple[int, date], int] = defaultdict(int)
    for user_id, cells_held in held.items():
        for cell in cells_held:
            load[(user_id, timezone.localtime(cell).date())] += 1

    offered: dict[tuple[datetime, int, int | None], Slot] = {}
    for day in (first + timedelta(days=n) for n in range(days)):
        for row in advisors:
            if not _applies(row, day):
                continue
            start = local_datetime(day, row.start_time)
            end_of_row = local_datetime(day, row.end_time)
            while start + length <= end_of_row:
                slot = _slot_at(row, day, start, start + length, now, speakers, interpreters, held)
                if slot is not None and (only is None or _matches(slot, only)):
                    offered.setdefault((start, row.user_id, row.site_id), slot)
                start += CELL
    slots = sorted(offered.values(), key=lambda s: (s.starts_at, s.advisor.username))
    return [_least_loaded(slot, interpreters, held, load, only) for slot in slots]


def _slot_at(
    row: Availability,
    day: date,
    starts_at: datetime,
    ends_at: datetime,
    now: datetime,
    speakers: set[int],
    interpreters: list[Availability],
    held: dict[int, set[datetime]],
) -> Slot | None:
    if starts_at <= now:
        return None
    needed = cells(starts_at, ends_at)
    if held[row.user_id].intersection(needed):
        return None
    if row.user_id in speakers:
        return Slot(starts_at, ends_at, row.site, row.user, None)
    for other in interpreters:
        if (
            other.user_id != row.user_id
            and _interpreter_place_fits(other, row.site)
            and _covers(other, day, starts_at, ends_at)
            and not held[other.user_id].intersection(needed)
        ):
            return Slot(starts_at, ends_at, row.site, row.user, other.user)
    return None


def _least_loaded(
    slot: Slot,
    interpreters: list[Availability],
    held: dict[int, set[datetime]],
    load: dict[tuple[int, date], int],
    only: tuple[datetime, int, int | None, int | None] | None,
) -> Slot:
    if slot.interpreter is None or only is not None:
        return slot
    day = timezone.localtime(slot.starts_at).date()
    needed = cells(slot.starts_at, slot.ends_at)
    fitting = [
        row.user
        for row in interpreters
        if row.user_id != slot.advisor.pk
        and _interpreter_place_fits(row, slot.site)
        and _covers(row, day, slot.starts_at, slot.ends_at)
        and not held[row.user_id].intersection(needed)
    ]
    best = min(fitting, key=lambda user: (load[(user.pk, day)], user.username))
    return Slot(slot.starts_at, slot.ends_at, slot.site, slot.advisor, best)


def _matches(slot: Slot, only: tuple[datetime, int, int | None, int | None]) -> bool:
    starts_at, advisor_id, interpreter_id, site_id = only
    return (
        slot.starts_at == starts_at
        and slot.advisor.pk == advisor_id
        and (slot.interpreter.pk if slot.interpreter else None) == interpreter_id
        and (slot.site.pk if slot.site else None) == site_id
    )
