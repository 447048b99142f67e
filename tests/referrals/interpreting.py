"""Helpers for the referral interpreter tests: interpreters and their availability."""

from datetime import time

from services.accounts.models import SpokenLanguage
from services.scheduling.actions import availability_add


def interpreter_for(make_user, username, *languages, level=SpokenLanguage.Level.FLUENT):
    from services.accounts.roles import Role

    user = make_user(Role.VOLUNTEER, username)
    for language in languages:
        SpokenLanguage.objects.create(user=user, language=language, level=level)
    return user


def available(user, day, start=time(8), end=time(18), site=None):
    """Weekly interpreter availability on the weekday of `day`; by phone unless a site."""
    return availability_add(
        actor=user,
        role="interpreter",
        weekday=day.weekday(),
        start_time=start,
        end_time=end,
        site=site,
    )
