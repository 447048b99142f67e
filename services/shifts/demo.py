"""
Demo shifts: volunteers who speak the queue's languages and bring skills (a team lead
among them), and the week ahead planned at two camps, part filled, so the coverage
board has gaps to fill ("Tue 14:15: 1 driver, no Tigrinya speaker"). Through the real
actions, once only (skipped if any shift exists).
"""

import random
import secrets
from datetime import date, time, timedelta

from django.utils import timezone

from fieldapp.errors import DomainError
from services.accounts.demo_passwords import demo_user_create
from services.accounts.models import Channel, Skill, SpokenLanguage, User
from services.accounts.roles import Role
from services.sites.models import Site

from .actions.plan import ShiftPlan
from .actions.shifts import shift_create
from .actions.signups import signup_create
from .models import Shift

# username, {language: level}, skills
DEMO_VOLUNTEERS = [
    ("tesfay", {"ti": "native", "am": "fluent", "en": "working"}, ["interpreter"]),
    ("hiwa", {"ckb": "native", "ar": "fluent", "en": "fluent"}, ["driver"]),
    ("nawid", {"ps": "native", "fa": "fluent", "ur": "working"}, ["first_aid"]),
    ("sara", {"fr": "native", "en": "fluent", "ar": "working"}, ["driver", "first_aid"]),
    ("marta", {"am": "native", "om": "working", "ti": "working"}, ["kitchen"]),
    ("james", {"en": "native", "fr": "basic"}, ["warehouse", "driver"]),
    ("teamlead", {"en": "native", "fr": "working", "ar": "basic"}, ["team_lead", "first_aid"]),
]


def _distribution(day: date) -> ShiftPlan:
    return ShiftPlan(
        task="distribution",
        day=day,
        start_time=time(14, 15),
        end_time=time(16, 45),
        people_needed=4,
        skills={"driver": 1, "first_aid": 1},
        languages={"ti": 1, "ar": 1, "ps": 1},
        notes="Meet at the van 30 minutes before. Gloves and a high-visibility vest.",
    )


def _kitchen(day: date) -> ShiftPlan:
    return ShiftPlan(
        task="kitchen",
        day=day,
        start_time=time(10),
        end_time=time(13),
        people_needed=2,
        skills={"kitchen": 1},
    )


def _volunteer(
    username: str, camps: list[Site], spoken: dict[str, str], skills: list[str]
) -> tuple[User, str]:
    password = secrets.token_urlsafe(9)
    user = demo_user_create(
        username=username, password=password, role=Role.VOLUNTEER, site=camps[0], sites=camps
    )
    today = timezone.localdate()
    user.email = f"{username}@example.org"
    user.notify_by = Channel.EMAIL
    user.arrives_on = today - timedelta(days=2)
    user.leaves_on = today + timedelta(days=12)
    user.save(update_fields=["email", "notify_by", "arrives_on", "leaves_on"])
    SpokenLanguage.objects.bulk_create(
        SpokenLanguage(user=user, language=code, level=level) for code, level in spoken.items()
    )
    Skill.objects.bulk_create(Skill(user=user, kind=kind) for kind in skills)
    return user, password


def _week(coordinator: User, camps: list[Site], first: date) -> list[Shift]:
    """Distributions Monday to Friday at both camps, a kitchen shift on Saturdays."""
    shifts = []
    for day in (first + timedelta(days=n) for n in range(7)):
        if day.weekday() < 5:
            for camp in camps:
                shifts.append(shift_create(actor=coordinator, site=camp, plan=_distribution(day)))
        elif day.weekday() == 5:
            shifts.append(shift_create(actor=coordinator, site=camps[0], plan=_kitchen(day)))
    return shifts


def demo_shifts(coordinator: User, camps: list[Site]) -> dict[str, str]:
    """Once only. Returns the new volunteers' passwords."""
    if Shift.objects.exists():
        return {}
    camps = camps[:2]
    passwords: dict[str, str] = {}
    team = [User.objects.get(username=Role.VOLUNTEER.value)]
    for username, spoken, skills in DEMO_VOLUNTEERS:
        user, passwords[username] = _volunteer(username, camps, spoken, skills)
        team.append(user)
    shifts = _week(coordinator, camps, timezone.localdate() + timedelta(days=1))
    rng = random.Random(11)  # noqa: S311 - which demo volunteer goes where, not a secret
    for shift in shifts:
        there = [user for user in team if user.has_perm("shifts.sign_up", shift)]
        for user in rng.sample(there, k=min(len(there), rng.randint(1, 3))):
            try:
                signup_create(actor=user, shift=shift)
            except DomainError:
                continue  # booked elsewhere then, or outside their stay: a gap stays
    return passwords
