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

from django.utils import timezone

from services.accounts.models import User
from services.sites.models import Site

from .grid import CELL, appointment_length, cells, local_datetime
from .models import Availability, SlotHold
from .selectors import applies_on, availability_rows, covers, speakers

MAX_DAYS = 31
Held = dict[int, set[datetime]]


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    ends_at: datetime
    site: Site | None
    advisor: User
    interpreter: User | None
    # The interpreter joins by phone (their availability is by phone, the slot may not be).
    interpreter_by_phone: bool = False

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

    @property
    def ids(self) -> tuple[datetime, int, int | None, int | None]:
        """(starts_at, advisor id, interpreter id, site id): what names this slot."""
        return (
            self.starts_at,
            self.advisor.pk,
            self.interpreter.pk if self.interpreter else None,
            self.site.pk if self.site else None,
        )


def _held(users: Iterable[int], first: datetime, last: datetime, releasing: int | None) -> Held:
    held: Held = defaultdict(set)
    holds = SlotHold.objects.filter(
        user_id__in=list(users), starts_at__gte=first, starts_at__lt=last
    )
    if releasing is not None:
        holds = holds.exclude(booking_id=releasing)
    for user_id, starts_at in holds.values_list("user_id", "starts_at"):
        held[user_id].add(starts_at)
    return held


def _interpreter_place_fits(row: Availability, site: Site | None) -> bool:
    return site is None or row.site_id is None or row.site_id == site.pk


def _fits(row: Availability, advisor: int, site: Site | None, held: Held, span: tuple) -> bool:
    """This interpreter's row can join the advisor at this place for the whole span."""
    day, starts_at, ends_at = span
    return (
        row.user_id != advisor
        and _interpreter_place_fits(row, site)
        and covers(row, day, starts_at, ends_at)
        and not held[row.user_id].intersection(cells(starts_at, ends_at))
    )


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
    `releasing` = the id of a booking being moved: its own holds count as free.
    """
    days = max(1, min(days, MAX_DAYS))
    last = first + timedelta(days=days - 1)
    spoken = speakers(language)
    advisors = availability_rows(
        Availability.Role.ADVISOR, first, last, [only[1]] if only else None
    )
    interpreters = [
        row
        for row in availability_rows(Availability.Role.INTERPRETER, first, last, spoken)
        if only is None or row.user_id == only[2]
    ]
    window = (local_datetime(first, time.min), local_datetime(last + timedelta(days=1), time.min))
    # Checking one slot to book it leaves the holds to the database: a slot taken since
    # it was offered is a conflict (409) decided by the unique constraint, not a 400.
    held: Held = (
        _held({row.user_id for row in advisors + interpreters}, *window, releasing)
        if only is None
        else defaultdict(set)
    )
    offered: dict[tuple[datetime, int, int | None], Slot] = {}
    for day in (first + timedelta(days=n) for n in range(days)):
        for row in advisors:
            for slot in _slots_in(row, day, spoken, interpreters, held):
                if only is None or slot.ids == only:
                    offered.setdefault((slot.starts_at, row.user_id, row.site_id), slot)
    slots = sorted(offered.values(), key=lambda s: (s.starts_at, s.advisor.username))
    if only is not None:
        return slots
    load = _load(held)
    return [_least_loaded(slot, interpreters, held, load) for slot in slots]


def _slots_in(
    row: Availability, day: date, spoken: set[int], interpreters: list[Availability], held: Held
) -> list[Slot]:
    """The slots an advisor's availability row gives on one day."""
    if not applies_on(row, day):
        return []
    length = appointment_length()
    now = timezone.now()
    found = []
    start = local_datetime(day, row.start_time)
    end_of_row = local_datetime(day, row.end_time)
    while start + length <= end_of_row:
        if start > now:
            slot = _slot_at(row, day, start, start + length, spoken, interpreters, held)
            if slot is not None:
                found.append(slot)
        start += CELL
    return found


def _slot_at(
    row: Availability,
    day: date,
    starts_at: datetime,
    ends_at: datetime,
    spoken: set[int],
    interpreters: list[Availability],
    held: Held,
) -> Slot | None:
    if held[row.user_id].intersection(cells(starts_at, ends_at)):
        return None
    if row.user_id in spoken:
        return Slot(starts_at, ends_at, row.site, row.user, None)
    span = (day, starts_at, ends_at)
    for other in interpreters:
        if _fits(other, row.user_id, row.site, held, span):
            return Slot(starts_at, ends_at, row.site, row.user, other.user, other.site_id is None)
    return None


def _load(held: Held) -> dict[tuple[int, date], int]:
    """How many cells each user holds on each day."""
    load: dict[tuple[int, date], int] = defaultdict(int)
    for user_id, cells_held in held.items():
        for cell in cells_held:
            load[(user_id, timezone.localtime(cell).date())] += 1
    return load


def _least_loaded(
    slot: Slot, interpreters: list[Availability], held: Held, load: dict[tuple[int, date], int]
) -> Slot:
    if slot.interpreter is None:
        return slot
    day = timezone.localtime(slot.starts_at).date()
    span = (day, slot.starts_at, slot.ends_at)
    fitting = [row for row in interpreters if _fits(row, slot.advisor.pk, slot.site, held, span)]
    best = min(fitting, key=lambda row: (load[(row.user_id, day)], row.user.username))
    return Slot(
        slot.starts_at, slot.ends_at, slot.site, slot.advisor, best.user, best.site_id is None
    )
