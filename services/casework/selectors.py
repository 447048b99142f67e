"""What every volunteer may know of a person's medical and legal appointments."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AnonymousUser

from services.accounts.models import User
from services.legal.selectors import appointments_upcoming_for_person
from services.people.models import Person
from services.referrals.selectors import referrals_upcoming_for_person


@dataclass(frozen=True)
class Upcoming:
    """An appointment as a volunteer sees it: when and where, never what for."""

    starts_at: datetime
    place: str


def person_upcoming_appointments(*, user: User | AnonymousUser, person: Person) -> list[Upcoming]:
    """
    The person's coming medical and legal appointments, mixed and in time order, so a
    volunteer can help them get there. Which kind each is stays hidden: a volunteer
    has no need to know, and a list of "clinic" entries says too much.
    """
    found: list[tuple[datetime, str]] = []
    if user.has_perm("referrals.view_upcoming"):
        found += referrals_upcoming_for_person(person)
    if user.has_perm("legal.view_upcoming"):
        found += appointments_upcoming_for_person(person)
    return [Upcoming(starts_at, place) for starts_at, place in sorted(found)]
