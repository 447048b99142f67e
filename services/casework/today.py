"""
The day's work on the home page, for each role: what is on today and what waits for
someone, as counts with a link to the page that holds them. Counts name no person, so
reading them is not a read of any record; the pages they lead to audit their reads.

Which lines a user sees follows the rules (each app's rules.py), not the role's name:
a coordinator with the legal role sees both. The lines, in order:
- legal advice today, and missed legal appointments to follow up (legal role);
- interpreting today (anyone who interprets);
- medical referrals waiting for a booking, medical appointments today, and follow-ups
  due (medical role); referrals waiting, as statuses (coordinators);
- distributions today at one's sites (the table), and check-ins that need a coordinator.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from services.accounts.models import User
from services.distributions.selectors import checkin_conflicts, sessions_visible
from services.legal.follow_up import no_shows_to_follow_up
from services.legal.selectors import appointments_between
from services.referrals.models import Status
from services.referrals.selectors import (
    followups_open,
    referral_statuses_listable,
    referrals_listable,
)
from services.scheduling.grid import local_datetime


@dataclass(frozen=True)
class Work:
    """One line of the day's work: what, how many, where to see them, and whether it waits."""

    label: str
    count: int
    url: str
    waiting: bool = False


def _today() -> tuple[datetime, datetime]:
    day = timezone.localdate()
    return local_datetime(day, time.min), local_datetime(day + timedelta(days=1), time.min)


def _legal(user: User) -> list[Work]:
    start, end = _today()
    lines = []
    if user.has_perm("legal.view_status"):
        count = appointments_between(user=user, start=start, end=end).count()
        lines.append(
            Work(
                ngettext("%(n)d legal appointment today", "%(n)d legal appointments today", count)
                % {"n": count},
                count,
                reverse("legal:calendar"),
            )
        )
    elif user.has_perm("legal.view_upcoming"):
        count = appointments_between(user=user, start=start, end=end).count()
        if count:
            lines.append(
                Work(
                    ngettext(
                        "%(n)d appointment to interpret today",
                        "%(n)d appointments to interpret today",
                        count,
                    )
                    % {"n": count},
                    count,
                    reverse("legal:home"),
                )
            )
    if user.has_perm("legal.change_appointment"):
        missed = no_shows_to_follow_up(user=user).count()
        lines.append(
            Work(
                ngettext(
                    "%(n)d missed appointment to follow up",
                    "%(n)d missed appointments to follow up",
                    missed,
                )
                % {"n": missed},
                missed,
                reverse("legal:home") + "#follow-up",
                waiting=bool(missed),
            )
        )
    return lines


def _medical(user: User) -> list[Work]:
    if user.has_perm("referrals.view_notes"):
        start, end = _today()
        mine = referrals_listable(user)
        waiting = mine.filter(status=Status.REFERRED).count()
        today = mine.filter(status=Status.BOOKED, appointment_at__range=(start, end)).count()
        due = followups_open(user=user).count()
        return [
            Work(
                ngettext(
                    "%(n)d referral waiting for a booking",
                    "%(n)d referrals waiting for a booking",
                    waiting,
                )
                % {"n": waiting},
                waiting,
                reverse("referrals:home"),
                waiting=bool(waiting),
            ),
            Work(
                ngettext(
                    "%(n)d medical appointment today", "%(n)d medical appointments today", today
                )
                % {"n": today},
                today,
                reverse("referrals:home"),
            ),
            Work(
                ngettext("%(n)d follow-up due", "%(n)d follow-ups due", due) % {"n": due},
                due,
                reverse("referrals:followups"),
                waiting=bool(due),
            ),
        ]
    if user.has_perm("referrals.view_status"):
        waiting = referral_statuses_listable(user).filter(status=Status.REFERRED).count()
        return [
            Work(
                ngettext(
                    "%(n)d medical referral waiting for a booking",
                    "%(n)d medical referrals waiting for a booking",
                    waiting,
                )
                % {"n": waiting},
                waiting,
                reverse("referrals:overview") + "?status=referred",
            )
        ]
    return []


def _distributions(user: User) -> list[Work]:
    lines = []
    if user.has_perm("distributions.view_distributionsession"):
        today = sessions_visible(user=user).filter(date=timezone.localdate()).count()
        lines.append(
            Work(
                ngettext("%(n)d distribution today", "%(n)d distributions today", today)
                % {"n": today},
                today,
                reverse("distributions_table:home"),
            )
        )
    if user.has_perm("distributions.change_checkin"):
        conflicts = checkin_conflicts(user=user).count()
        if conflicts:
            lines.append(
                Work(
                    ngettext("%(n)d check-in needs you", "%(n)d check-ins need you", conflicts)
                    % {"n": conflicts},
                    conflicts,
                    reverse("distributions_coordinator:conflicts"),
                    waiting=True,
                )
            )
    return lines


def day_work(*, user: User) -> list[Work]:
    """The lines of the user's day, in the order of the module's docstring."""
    return [*_legal(user), *_medical(user), *_distributions(user)]
