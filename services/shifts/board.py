"""
The coverage board: a site's week, day by day, each shift with what it lacks in words;
and the volunteers who could fill a shift, best match first.

Both read in a fixed number of queries whatever the number of shifts and volunteers
(coverage.py reads a week's coverage in five; the candidates in five more), which a
test proves at two sizes and bench/board.py prints.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone

from services.accounts.models import SpokenLanguage, User
from services.accounts.roles import Role
from services.scheduling.grid import cells
from services.scheduling.models import SlotHold
from services.sites.models import Site

from .coverage import Brings, Coverage, brings_of, coverage_load
from .models import Shift, SignUp
from .selectors import Mark, day_window, marks_for

FLUENT = (SpokenLanguage.Level.FLUENT, SpokenLanguage.Level.NATIVE)


def week_start(day: date) -> date:
    """The Monday of the day's week."""
    return day - timedelta(days=day.weekday())


@dataclass
class BoardDay:
    day: date
    coverages: list[Coverage]


@dataclass
class Board:
    site: Site
    first: date
    days: list[BoardDay]

    @property
    def previous(self) -> date:
        return self.first - timedelta(days=7)

    @property
    def next(self) -> date:
        return self.first + timedelta(days=7)

    @property
    def last(self) -> date:
        return self.first + timedelta(days=6)

    @property
    def gaps(self) -> list[str]:
        """
        The gaps still to fill in words, in time order (not of cancelled shifts, nor of
        those already started): the list to read out or paste.
        """
        now = timezone.now()
        return [
            c.words()
            for day in self.days
            for c in day.coverages
            if not c.covered and not c.shift.is_cancelled and c.shift.starts_at > now
        ]


def board_week(*, user: User, site: Site, first: date) -> Board:
    """The week from `first` (a Monday) at the site: every shift, cancelled ones too."""
    if not user.has_perm("shifts.view_board", site):
        raise PermissionDenied
    start, end = day_window(first, 7)
    shifts = list(
        Shift.objects.filter(site=site, starts_at__gte=start, starts_at__lt=end)
        .select_related("site")
        .order_by("starts_at", "id")
    )
    coverages = coverage_load(shifts)
    days = [BoardDay(first + timedelta(days=n), []) for n in range(7)]
    for shift in shifts:
        offset = (timezone.localtime(shift.starts_at).date() - first).days
        days[offset].coverages.append(coverages[shift.pk])
    return Board(site, first, days)


@dataclass(frozen=True)
class Candidate:
    user: User
    marks: list[Mark]  # what they bring that the shift needs
    score: int
    shifts_that_week: int


def _score(coverage: Coverage, brings: Brings) -> int:
    """Two for each lacking skill or language they bring, one more when fluent."""
    score = 2 * len(brings.skills & set(coverage.skills))
    for code in coverage.languages:
        level = brings.languages.get(code)
        if level is not None:
            score += 3 if level in FLUENT else 2
    return score


def _available(shift: Shift) -> list[User]:
    """Who could be on the shift: at the site, here that day, free then, not on it yet."""
    day = timezone.localtime(shift.starts_at).date()
    taken = SignUp.objects.filter(shift=shift, withdrawn_at__isnull=True).values("user_id")
    busy = SlotHold.objects.filter(starts_at__in=cells(shift.starts_at, shift.ends_at)).values(
        "user_id"
    )
    return list(
        User.objects.filter(is_active=True, sites=shift.site, groups__name__in=Role.values)
        .filter(Q(arrives_on__isnull=True) | Q(arrives_on__lte=day))
        .filter(Q(leaves_on__isnull=True) | Q(leaves_on__gte=day))
        .exclude(leaves_on__lt=timezone.localdate())
        .exclude(pk__in=taken)
        .exclude(pk__in=busy)
        .distinct()
        .order_by("username")
    )


def candidates(*, user: User, shift: Shift) -> list[Candidate]:
    """Who could fill the shift, best match first: what it lacks, then who works least."""
    if not user.has_perm("shifts.assign_shift", shift):
        raise PermissionDenied
    coverage = coverage_load([shift])[shift.pk]
    people = _available(shift)
    brings = brings_of(person.pk for person in people)
    first = week_start(timezone.localtime(shift.starts_at).date())
    start, end = day_window(first, 7)
    load = Counter(
        SignUp.objects.filter(
            user__in=people,
            withdrawn_at__isnull=True,
            shift__cancelled_at__isnull=True,
            shift__starts_at__gte=start,
            shift__starts_at__lt=end,
        ).values_list("user_id", flat=True)
    )
    found = [
        Candidate(
            person,
            marks_for(coverage, brings[person.pk]),
            _score(coverage, brings[person.pk]),
            load[person.pk],
        )
        for person in people
    ]
    return sorted(found, key=lambda c: (-c.score, c.shifts_that_week, c.user.username))
