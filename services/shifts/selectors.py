"""
Reads of shifts and sign-ups, each scoped by who asks (shifts/rules.py): the shifts of
the sites a user works at (scoping.py), their own sign-ups, and for whoever runs a
site's day the sign-ups there. The coverage board and the candidate list are in
board.py, the day at a site and the handover log in today.py.

Shifts and sign-ups are not sensitive records (no person served is on them), so their
reads are not audited; the handover notes name people by card code only.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from fieldapp.errors import NotFound
from services.accounts.models import User
from services.accounts.roles import Role
from services.accounts.scoping import in_user_sites, sites_of
from services.scheduling.calendar import CalendarEvent
from services.scheduling.grid import cells, local_datetime
from services.scheduling.models import SlotHold
from services.sites.models import Site

from .coverage import Brings, Coverage, coverage_load, user_brings
from .models import Shift, ShiftNeed, SignUp
from .words import language_name, skill_name

# How far from today a list or a board may be asked to look (ten years).
DAYS_IN_REACH = 3660
# How far ahead a volunteer is offered shifts.
OPEN_DAYS = 21
OPEN_MAX = 200


def shifts_visible(user: User) -> QuerySet[Shift]:
    """The shifts of the sites the user works at (every site for coordinators)."""
    if not user.has_perm("shifts.view_shift"):
        return Shift.objects.none()
    return in_user_sites(Shift.objects.select_related("site"), user=user)


def shift_get(*, user: User, pk: int) -> Shift:
    """The shift if this user may see it; NotFound (404) otherwise, whatever exists."""
    shift = shifts_visible(user).filter(pk=pk).first()
    if shift is None:
        raise NotFound(_("No such shift."), code="not_found")
    return shift


def sites_run_by(user: User) -> QuerySet[Site]:
    """The open sites whose day (board, arrivals) the user runs: a team lead's own."""
    if not user.has_perm("shifts.run_day"):
        return Site.objects.none()
    return sites_of(user)


def site_coordinators(site: Site) -> list[User]:
    """The coordinators who work at the site, or every coordinator if none lists it."""
    today = timezone.localdate()
    coordinators = (
        User.objects.filter(is_active=True, groups__name=Role.COORDINATOR)
        .exclude(leaves_on__lt=today)
        .distinct()
        .order_by("username")
    )
    return list(coordinators.filter(sites=site)) or list(coordinators)


def day_in_reach(day: date) -> bool:
    """A day a screen may show: within DAYS_IN_REACH of today (a typed year 9999 is not)."""
    return abs((day - timezone.localdate()).days) <= DAYS_IN_REACH


def day_window(first: date, days: int) -> tuple[datetime, datetime]:
    """From local midnight of `first` to local midnight `days` later."""
    return local_datetime(first, time.min), local_datetime(first + timedelta(days=days), time.min)


def signups_visible(user: User) -> QuerySet[SignUp]:
    """
    One's own sign-ups; a coordinator's, every one of their sites'; a team lead's, also
    those at the sites they lead.
    """
    signups = SignUp.objects.select_related("shift__site", "user")
    if user.has_perm("shifts.assign_shift"):
        return in_user_sites(signups, user=user, field="shift__site")
    led = sites_run_by(user).values("pk")
    return signups.filter(Q(user=user) | Q(shift__site__in=led))


def signup_get(*, user: User, pk: int) -> SignUp:
    signup = signups_visible(user).filter(pk=pk).first()
    if signup is None:
        raise NotFound(_("No such sign-up."), code="not_found")
    return signup


def signups_of(*, user: User) -> list[SignUp]:
    """The user's own sign-ups that stand, for shifts not yet over, soonest first."""
    return list(
        SignUp.objects.filter(
            user=user, withdrawn_at__isnull=True, shift__ends_at__gt=timezone.now()
        )
        .select_related("shift__site")
        .order_by("shift__starts_at", "id")
    )


@dataclass(frozen=True)
class Mark:
    """Something the volunteer brings that the shift needs; `lacking` if it still does."""

    label: str
    lacking: bool


@dataclass
class OpenShift:
    coverage: Coverage
    marks: list[Mark]

    @property
    def shift(self) -> Shift:
        return self.coverage.shift

    @property
    def match(self) -> bool:
        return any(mark.lacking for mark in self.marks)


def marks_for(coverage: Coverage, brings: Brings) -> list[Mark]:
    marks = []
    for need in coverage.needs:
        if need.kind == ShiftNeed.Kind.SKILL and need.code in brings.skills:
            marks.append(Mark(skill_name(need.code), need.code in coverage.skills))
        elif need.kind == ShiftNeed.Kind.LANGUAGE and need.code in brings.languages:
            marks.append(Mark(language_name(need.code), need.code in coverage.languages))
    return marks


def _within_stay(shifts: QuerySet[Shift], user: User) -> QuerySet[Shift]:
    if user.arrives_on is not None:
        shifts = shifts.filter(starts_at__gte=local_datetime(user.arrives_on, time.min))
    if user.leaves_on is not None:
        shifts = shifts.filter(starts_at__lt=day_window(user.leaves_on, 1)[1])
    return shifts


def shifts_open_for(*, user: User, shifts: QuerySet[Shift] | None = None) -> list[OpenShift]:
    """
    The shifts a volunteer can take: at their sites, still to come (within OPEN_DAYS),
    not cancelled nor full, within their stay, not one they are on, and not clashing
    with anything that holds their time. `shifts` narrows them (a filter). What they
    bring that a shift needs is marked.
    """
    now = timezone.now()
    rows = (shifts if shifts is not None else shifts_visible(user)).filter(
        cancelled_at__isnull=True,
        starts_at__gt=now,
        starts_at__lt=now + timedelta(days=OPEN_DAYS),
        signed_up__lt=F("people_needed"),
    )
    mine = SignUp.objects.filter(shift=OuterRef("pk"), user=user, withdrawn_at__isnull=True)
    rows = _within_stay(rows, user).exclude(Exists(mine)).order_by("starts_at", "id")[:OPEN_MAX]
    held = set(
        SlotHold.objects.filter(
            user=user,
            starts_at__gte=now - timedelta(hours=1),
            starts_at__lt=now + timedelta(days=OPEN_DAYS + 1),
        ).values_list("starts_at", flat=True)
    )
    free = [s for s in rows if not held.intersection(cells(s.starts_at, s.ends_at))]
    coverages = coverage_load(free)
    brings = user_brings(user)
    return [OpenShift(coverages[s.pk], marks_for(coverages[s.pk], brings)) for s in free]


def calendar_events_of(
    *, user: User, start: datetime, end: datetime | None, view: str
) -> list[CalendarEvent]:
    """
    The calendar source of shifts (registered in apps.py): the user's own sign-ups that
    stand, from start; a cancelled shift stays in, marked cancelled, so the calendar
    app takes it off.
    """
    if not user.has_perm("shifts.view_shift"):
        return []
    rows = SignUp.objects.filter(user=user, withdrawn_at__isnull=True, shift__starts_at__gte=start)
    if end is not None:
        rows = rows.filter(shift__starts_at__lt=end)
    return [
        CalendarEvent(
            uid=f"shift-{signup.pk}@fieldapp",
            starts_at=signup.shift.starts_at,
            ends_at=signup.shift.ends_at,
            summary=_("Shift: %(task)s") % {"task": signup.shift.get_task_display()},
            location=signup.shift.site.name,
            cancelled=signup.shift.is_cancelled,
        )
        for signup in rows.select_related("shift__site").order_by("shift__starts_at", "id")
    ]


def site_choice(user: User, site_id: object, sites: list[Site]) -> Site | None:
    """The site asked for (an id from a query string) in `sites`, else today's, else the first."""
    by_id = {str(site.pk): site for site in sites}
    chosen = by_id.get(str(site_id or "")) or by_id.get(str(user.site_id or ""))
    return chosen or (sites[0] if sites else None)
