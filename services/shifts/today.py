"""
Today at a site, for whoever runs the day there (a team lead, a coordinator): who is on
now and next, who has arrived, the languages covered right now, and the handover notes
the shift must read. Phone numbers are shown to them only: this page is theirs alone
(shifts.run_day).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from fieldapp.errors import NotFound
from services.accounts.models import User
from services.accounts.scoping import in_user_sites
from services.sites.models import Site

from .coverage import Coverage, coverage_load
from .models import HandoverNote, HandoverRead, Shift
from .selectors import day_window
from .words import language_name


@dataclass
class Today:
    site: Site
    now: list[Coverage] = field(default_factory=list)
    next: list[Coverage] = field(default_factory=list)
    # language name -> who speaks it, among those on now: arrived, and still expected
    covered: dict[str, list[str]] = field(default_factory=dict)
    expected: dict[str, list[str]] = field(default_factory=dict)
    unread: int = 0


def _languages(coverages: list[Coverage]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    covered: dict[str, list[str]] = defaultdict(list)
    expected: dict[str, list[str]] = defaultdict(list)
    for coverage in coverages:
        for person in coverage.on:
            into = covered if person.signup.arrived_at else expected
            for code in person.brings.languages:
                into[language_name(code)].append(person.signup.user.get_username())
    return dict(sorted(covered.items())), dict(sorted(expected.items()))


def day_at_site(*, user: User, site: Site) -> Today:
    """The shifts of today at the site that are not over, with their people."""
    if not user.has_perm("shifts.run_day", site):
        raise PermissionDenied
    now = timezone.now()
    start, end = day_window(timezone.localdate(), 1)
    shifts = list(
        Shift.objects.filter(
            site=site,
            cancelled_at__isnull=True,
            starts_at__gte=start,
            starts_at__lt=end,
            ends_at__gt=now,
        )
        .select_related("site")
        .order_by("starts_at", "id")
    )
    coverages = coverage_load(shifts)
    today = Today(site)
    for shift in shifts:
        (today.now if shift.starts_at <= now else today.next).append(coverages[shift.pk])
    today.covered, today.expected = _languages(today.now)
    today.unread = handover_unread(user=user, site=site)
    return today


def handover_notes(*, user: User, site: Site, day: date) -> QuerySet[HandoverNote]:
    """The site's notes of that day, newest first, each saying whether this user read it."""
    if not user.has_perm("shifts.view_handovernote", site):
        raise PermissionDenied
    read = HandoverRead.objects.filter(note=OuterRef("pk"), user=user)
    return (
        HandoverNote.objects.filter(site=site, day=day)
        .select_related("written_by")
        .annotate(is_read=Exists(read))
        .order_by("-written_at", "-id")
    )


def handover_unread(*, user: User, site: Site) -> int:
    """How many of the site's notes of today and yesterday this user has not read."""
    if not user.has_perm("shifts.view_handovernote", site):
        return 0
    since = timezone.localdate() - timedelta(days=1)
    read = HandoverRead.objects.filter(note=OuterRef("pk"), user=user)
    return HandoverNote.objects.filter(site=site, day__gte=since).exclude(Exists(read)).count()


def handover_note_get(*, user: User, pk: int) -> HandoverNote:
    """A note of one of the user's sites; NotFound (404) otherwise."""
    notes = in_user_sites(HandoverNote.objects.all(), user=user)
    note = notes.filter(pk=pk).first() if user.has_perm("shifts.view_handovernote") else None
    if note is None:
        raise NotFound(_("No such note."), code="not_found")
    return note
